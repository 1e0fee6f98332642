//! The simulator answers with the services' own shapes: for each endpoint it serves, its
//! answer has the property names and casing of the contract example, recursively (values
//! may differ; properties the contract marks optional may be absent). Requests are built
//! here with jsonwebtoken and reqwest, not with the doctor's client.

mod common;

use altinn_doctor::altinn::types::*;
use altinn_doctor::sim::world::{self, Options};
use altinn_doctor::vocab::Era;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::*;
use serde_json::{Value, json};

const DEMO: &str = "312345676";

fn example(name: &str) -> Value {
    let path = format!("{}/tests/contracts/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Every property of `actual` is one of `expected`'s, spelt the same; every property of
/// `expected` is in `actual`; a property `optional` names may be either absent or present. Arrays compare their first items;
/// objects whose keys are data (language maps) compare as values.
fn same_shape(actual: &Value, expected: &Value, optional: &[&str], path: &str) -> Result<(), String> {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for key in a.keys() {
                if !e.contains_key(key) && !optional.contains(&key.as_str()) {
                    return Err(format!("{path}: `{key}` is not in the contract"));
                }
            }
            for (key, value) in e {
                let here = format!("{path}.{key}");
                match a.get(key) {
                    Some(v) if !v.is_null() && !value.is_null() => same_shape(v, value, optional, &here)?,
                    Some(_) => {}
                    None if optional.contains(&key.as_str()) => {}
                    None => return Err(format!("{here} is missing")),
                }
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(e)) => match (a.first(), e.first()) {
            (Some(a), Some(e)) => same_shape(a, e, optional, &format!("{path}[0]")),
            _ => Ok(()),
        },
        (a, e) if std::mem::discriminant(a) == std::mem::discriminant(e) => Ok(()),
        (Value::Number(_), Value::Number(_)) => Ok(()),
        (a, e) => Err(format!("{path}: {a} where the contract has {e}")),
    }
}

fn assert_shape(actual: &Value, example_file: &str, optional: &[&str]) {
    if let Err(e) = same_shape(actual, &example(example_file), optional, "$") {
        panic!("{example_file}: {e}\nthe simulator answered: {actual:#}");
    }
}

/// A client of the simulator that builds its own grants.
struct Caller {
    http: reqwest::Client,
    base: String,
}

impl Caller {
    fn new(s: &SimRun) -> Caller {
        let ca = reqwest::Certificate::from_pem(world().ca.root_pem().as_bytes()).unwrap();
        let http = reqwest::Client::builder()
            .tls_certs_only([ca])
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Caller { http, base: s.sim.base_url.clone() }
    }

    fn grant(&self, scope: &str, details: Option<Value>) -> String {
        let org = world().org(DEMO).unwrap();
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.x5c = Some(vec![STANDARD.encode(&org.auth.der)]);
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let mut jti = [0u8; 8];
        aws_lc_rs::rand::fill(&mut jti).unwrap();
        let mut claims = json!({
            "aud": "https://test.maskinporten.no/", "iss": world::CLIENT, "scope": scope,
            "iat": now, "exp": now + 120, "jti": URL_SAFE_NO_PAD.encode(jti),
        });
        if let Some(d) = details {
            claims["authorization_details"] = d;
        }
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(org.key.serialize_pem().as_bytes()).unwrap();
        jsonwebtoken::encode(&header, &claims, &key).unwrap()
    }

    fn token(&self, s: &SimRun, scope: &str, details: Option<Value>) -> (u16, Value) {
        let assertion = self.grant(scope, details);
        let form = [("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion.as_str())];
        let url = format!("{}/token", self.base);
        s.block_on(async {
            let r = self.http.post(&url).form(&form).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        })
    }

    fn access_token(&self, s: &SimRun, scope: &str, details: Option<Value>) -> String {
        let (status, body) = self.token(s, scope, details);
        assert_eq!(status, 200, "{body}");
        body["access_token"].as_str().unwrap().to_string()
    }

    fn get(&self, s: &SimRun, path: &str, token: Option<&str>, headers: &[(&str, &str)]) -> (u16, Value) {
        let url = if path.starts_with("https://") { path.to_string() } else { format!("{}{path}", self.base) };
        s.block_on(async {
            let mut req = self.http.get(&url);
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            for (k, v) in headers {
                req = req.header(*k, *v);
            }
            let r = req.send().await.unwrap();
            let status = r.status().as_u16();
            let text = r.text().await.unwrap();
            (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
        })
    }
}

fn claims_of(jwt: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(jwt.split('.').nth(1).unwrap()).unwrap()).unwrap()
}

fn system_user_details(org: &str) -> Value {
    json!([{"type": SYSTEMUSER_TYPE, "systemuser_org": {"authority": "iso6523-actorid-upis", "ID": format!("0192:{org}")}}])
}

#[test]
fn maskinporten_answers_have_the_contract_s_shapes() {
    let s = start_sim(Options::default());
    let c = Caller::new(&s);
    let (_, metadata) = c.get(&s, "/.well-known/oauth-authorization-server", None, &[]);
    assert_shape(&metadata, "01-mp-well-known.json", &[]);
    let (_, jwks) = c.get(&s, "/jwk", None, &[]);
    assert_shape(&jwks, "02-mp-jwk.json", &["alg", "use"]);
    let (status, token) = c.token(&s, world::SCOPE, None);
    assert_eq!(status, 200);
    assert_shape(&token, "07-mp-token-200.json", &[]);
    assert_shape(&claims_of(token["access_token"].as_str().unwrap()), "14-mp-claims-plain-org.json", &[]);
    let (status, refused) = c.token(&s, "digdir:not-on-client", None);
    assert_eq!(status, 400);
    assert_shape(&refused, "11-mp-token-400-MP-200-scope.json", &["error_uri"]);
    let su = c.access_token(&s, world::SCOPE, Some(system_user_details(DEMO)));
    assert_shape(&claims_of(&su), "15-mp-claims-systemuser.json", &["externalRef"]);
    let (status, refused) = c.token(&s, world::SCOPE, Some(system_user_details("313311317")));
    assert_eq!(status, 400);
    assert_shape(&refused, "13-mp-token-400-MP-303.json", &["error_uri"]);
}

#[test]
fn the_resource_registry_has_the_contract_s_shapes() {
    let s = start_sim(Options::default());
    let c = Caller::new(&s);
    let base = format!("/resourceregistry/api/v1/resource/{}", world::RESOURCE);
    let (status, body) = c.get(&s, &base, None, &[]);
    assert_eq!(status, 200, "anonymous: {body}");
    let optional = [
        "description",
        "rightDescription",
        "homepage",
        "contactPoints",
        "isPartOf",
        "visible",
        "keywords",
        "selfIdentifiedUserEnabled",
        "enterpriseUserEnabled",
        "isOneTimeConsent",
        "versionId",
    ];
    assert_shape(&body, "60-rr-resource-200.json", &optional);
    let (status, body) = c.get(&s, &format!("{base}/policy/subjects"), None, &[]);
    assert_eq!(status, 200);
    assert_shape(&body, "62-rr-policy-subjects-200.json", &[]);
    let (status, body) = c.get(&s, "/resourceregistry/api/v1/resource/finnes-ikke", None, &[]);
    assert_eq!(status, 404);
    assert_shape(&body, "61-rr-resource-404.json", &[]);
}

#[test]
fn the_scope_catalogue_has_the_contract_s_shape() {
    let s = start_sim(Options::default());
    let c = Caller::new(&s);
    let (status, body) = c.get(&s, "/api/v1/scopes/all?inactive=true", None, &[]);
    assert_eq!(status, 200, "anonymous: {body}");
    let open = body.as_array().unwrap().iter().find(|i| i["name"] == world::SCOPE).expect("the demo scope is listed");
    assert_shape(&Value::Array(vec![open.clone()]), "68-mp-scopes-all-200.json", &[]);
    // A scope without a delegation source leaves the member out, as Digdir does.
    let granted = body.as_array().unwrap().iter().find(|i| i["name"] == world::SCOPE_NOT_GRANTED).unwrap();
    assert!(granted.get("delegation_source").is_none(), "{granted}");
}

#[test]
fn the_exchange_answers_have_the_contract_s_shapes() {
    let s = start_sim(Options { era: Era::Current, ..Options::default() });
    let c = Caller::new(&s);
    let su = c.access_token(&s, world::SCOPE, Some(system_user_details(DEMO)));
    let (status, exchanged) = c.get(&s, EXCHANGE_PATH, Some(&su), &[("accept", "application/json")]);
    assert_eq!(status, 200);
    assert!(exchanged.is_string(), "a JSON string with Accept: application/json");
    let claims = claims_of(exchanged.as_str().unwrap());
    assert_shape(&claims, "20-altinn-exchanged-claims-systemuser.json", &["externalRef", "urn:altinn:org"]);
    assert!(claims["authorization_details"].is_object(), "one object after the exchange");
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 1800);
    assert_eq!(claims["urn:altinn:authenticatemethod"], "maskinporten");
    assert!(claims.get("client_amr").is_none());
    let (status, unauthorized) = c.get(&s, EXCHANGE_PATH, Some("not.a.token"), &[]);
    assert_eq!(status, 401);
    assert_shape(&unauthorized, "21-altinn-exchange-401.json", &[]);
    let header = [(ENTERPRISE_USER_HEADER, "dXNlcjpwYXNz")];
    let plain = c.access_token(&s, world::SCOPE, None);
    let (status, gone) = c.get(&s, EXCHANGE_PATH, Some(&plain), &header);
    assert_eq!(status, 410);
    assert_shape(&gone, "22-altinn-exchange-410.json", &[]);
    // The route in any case, as ASP.NET matches it; the grant's externalRef carried over.
    let mut details = system_user_details(world::CUSTOMER_WITH_REF);
    details[0]["externalRef"] = world::CUSTOMER_REF.into();
    let with_ref = c.access_token(&s, world::SCOPE, Some(details));
    assert_eq!(claims_of(&with_ref)["authorization_details"][0]["externalRef"], world::CUSTOMER_REF);
    let (status, _) = c.get(&s, &EXCHANGE_PATH.replace("maskinporten", "MaskinPorten"), Some(&with_ref), &[]);
    assert_eq!(status, 200, "the exchange route in another case");
}

#[test]
fn vendor_answers_have_the_contract_s_shapes_and_scopes() {
    let s = start_sim(Options { era: Era::Current, ..Options::default() });
    let c = Caller::new(&s);
    let vendor = c.access_token(&s, &altinn_doctor::altinn::types::VENDOR_SCOPES.join(" "), None);
    let without = c.access_token(&s, world::SCOPE, None);
    let api = "/authentication/api/v1";
    let system = format!("{api}/systemregister/vendor/{}", world::SYSTEM_ID);
    let (status, body) = c.get(&s, &system, Some(&vendor), &[]);
    assert_eq!(status, 200);
    assert_shape(&body, "23-systemregister-vendor-200.json", &["rights"]);
    assert!(body["vendor"].get("authority").is_none(), "vendor.authority is never sent");
    // The scope is enforced with an empty 403; no token is an empty 401.
    let (status, body) = c.get(&s, &system, Some(&without), &[]);
    assert_eq!((status, body), (403, Value::String(String::new())));
    let (status, _) = c.get(&s, &system, None, &[]);
    assert_eq!(status, 401);
    let (status, body) = c.get(&s, &format!("{api}/systemregister/vendor/{DEMO}_nope"), Some(&vendor), &[]);
    assert_eq!(status, 404);
    assert_shape(&body, "24-systemregister-vendor-404.json", &[]);

    let by_ref = format!("{api}/systemuser/request/vendor/byexternalref/{}/{DEMO}/{DEMO}", world::SYSTEM_ID);
    let (status, body) = c.get(&s, &by_ref, Some(&vendor), &[]);
    assert_eq!(status, 200);
    assert_shape(&body, "27-request-vendor-get-200.json", &["redirectUrl"]);
    let (status, body) =
        c.get(&s, &format!("{api}/systemuser/request/vendor/{}", body["id"].as_str().unwrap()), Some(&vendor), &[]);
    assert_eq!(status, 200);
    assert_shape(&body, "27-request-vendor-get-200.json", &["redirectUrl"]);
    let missing = format!("{api}/systemuser/request/vendor/byexternalref/{}/313311317/313311317", world::SYSTEM_ID);
    let (status, body) = c.get(&s, &missing, Some(&vendor), &[]);
    assert_eq!(status, 404);
    assert_shape(&body, "32-request-404-AUTH-00010.json", &[]);
    let other = format!("{api}/systemuser/request/vendor/byexternalref/974760673_x/{DEMO}/{DEMO}");
    let (status, body) = c.get(&s, &other, Some(&vendor), &[]);
    assert_eq!(status, 404);
    assert_shape(&body, "31-request-404-AUTH-00011.json", &[]);
    assert_eq!(body["code"], "AUTH-00011");

    let query = format!("{api}/systemuser/vendor/byquery?system-id={}&orgno={DEMO}", world::SYSTEM_ID);
    let (status, body) = c.get(&s, &query, Some(&vendor), &[]);
    assert_eq!(status, 200);
    assert_shape(&body, "34-systemuser-byquery-200.json", &[]);

    // Every page of bysystem, `next` followed; the last page has no `next`.
    let mut url = format!("{api}/systemuser/vendor/bysystem/{}", world::SYSTEM_ID);
    let mut pages = 0;
    loop {
        let (status, body) = c.get(&s, &url, Some(&vendor), &[]);
        assert_eq!(status, 200);
        pages += 1;
        match body["links"]["next"].as_str() {
            Some(next) => {
                assert_shape(&body, "35-systemuser-bysystem-200.json", &[]);
                url = next.to_string();
            }
            None => {
                assert_shape(&body, "36-systemuser-bysystem-200-lastpage.json", &[]);
                break;
            }
        }
        assert!(pages < 10);
    }
    assert!(pages > 1, "the simulator pages its listing");
    // A change request, by reference: the rights copied, the packages left out (§4.1).
    let change = format!(
        "{api}/systemuser/changerequest/vendor/byexternalref/{}/{c}/{c}",
        world::SYSTEM_ID,
        c = world::CUSTOMER_CHANGE_PENDING
    );
    let (status, body) = c.get(&s, &change, Some(&vendor), &[]);
    assert_eq!(status, 200, "{body}");
    assert_shape(&body, "c1-changerequest-byexternalref-200.json", &[]);
    assert_eq!(body["requiredAccessPackages"], serde_json::json!([]));
    let none = format!("{api}/systemuser/changerequest/vendor/byexternalref/{}/{DEMO}/{DEMO}", world::SYSTEM_ID);
    let (status, body) = c.get(&s, &none, Some(&vendor), &[]);
    assert_eq!(status, 404);
    assert_shape(&body, "32-request-404-AUTH-00010.json", &[]);
    // A deleted system is still answered, with isDeleted.
    let deleted = format!("{api}/systemregister/vendor/{}", world::DELETED_SYSTEM_ID);
    let (status, body) = c.get(&s, &deleted, Some(&vendor), &[]);
    assert_eq!((status, &body["isDeleted"]), (200, &Value::Bool(true)));
    // The route the real service lacks is not served.
    let (status, _) = c.get(&s, &format!("{api}/systemuser/vendor/{}", world::SYSTEM_ID), Some(&vendor), &[]);
    assert_eq!(status, 404);
}

#[test]
fn authorized_parties_have_the_contract_s_shape() {
    let s = start_sim(Options { era: Era::Current, ..Options::default() });
    let c = Caller::new(&s);
    let su =
        c.access_token(&s, &format!("{} {AUTHORIZED_PARTIES_SCOPE}", world::SCOPE), Some(system_user_details(DEMO)));
    let (_, exchanged) = c.get(&s, EXCHANGE_PATH, Some(&su), &[]);
    let altinn = exchanged.as_str().unwrap().to_string();
    let url = "/accessmanagement/api/v1/enduser/authorizedparties?includeAccessPackages=true";
    let (status, body) = c.get(&s, url, Some(&altinn), &[]);
    assert_eq!(status, 200, "{body}");
    assert_shape(&body, "37-authorizedparties-200.json", &[]);
    assert_eq!(body["links"]["next"], Value::Null, "nulls are written here");
    let package = body["data"][0]["authorizedAccessPackages"][0].as_str().unwrap();
    assert!(!package.starts_with("urn:"), "codes, not URNs: {package}");
    // An agent system user: its clients with their packages, the facilitator bare.
    let agent = c.access_token(
        &s,
        &format!("{} {AUTHORIZED_PARTIES_SCOPE}", world::SCOPE),
        Some(system_user_details(world::FACILITATOR)),
    );
    let (_, exchanged) = c.get(&s, EXCHANGE_PATH, Some(&agent), &[]);
    let (status, body) = c.get(&s, url, Some(exchanged.as_str().unwrap()), &[]);
    assert_eq!(status, 200, "{body}");
    assert_shape(&body, "77-authorizedparties-agent-200.json", &[]);
    let data = body["data"].as_array().unwrap();
    let facilitator = data.iter().find(|p| p["organizationNumber"] == world::FACILITATOR).unwrap();
    assert_eq!(facilitator["authorizedAccessPackages"], serde_json::json!([]));
    assert!(data.iter().any(|p| p["organizationNumber"] == world::AGENT_CLIENT
        && p["authorizedAccessPackages"] == serde_json::json!(["regnskapsforer-lonn"])));
}

/// The product APIs' list answers and denials have the contract's shapes (examples
/// 69-76), each behind its scopes.
#[test]
fn the_product_apis_have_the_contract_s_shapes() {
    use altinn_doctor::altinn::products as p;
    let s = start_sim(Options { era: Era::Current, ..Options::default() });
    let c = Caller::new(&s);
    let exchanged = |scope: &str, details: Option<Value>| {
        let raw = c.access_token(&s, scope, details);
        let (_, token) = c.get(&s, EXCHANGE_PATH, Some(&raw), &[]);
        token.as_str().unwrap().to_string()
    };
    let scopes = [p::SCOPE_CORRESPONDENCE_READ, world::SCOPE_GRANTED, p::SCOPE_DIALOGPORTEN].join(" ");
    let su = exchanged(&scopes, Some(system_user_details(DEMO)));
    let corr = |id: &str| format!("{}?resourceId={id}&role=Recipient", p::CORRESPONDENCE_PATH);
    let (status, body) = c.get(&s, &corr(world::RESOURCE), Some(&su), &[]);
    assert_eq!(status, 200, "{body}");
    assert_shape(&body, "69-corr-list-200.json", &[]);
    let (status, body) = c.get(&s, &corr(world::RESOURCE_OTHER_PACKAGE), Some(&su), &[]);
    assert_eq!(status, 401, "{body}");
    assert_shape(&body, "70-corr-401-4001.json", &[]);
    assert_eq!(body["code"], "CORR-04001");
    assert_eq!(body["detail"], example("70-corr-401-4001.json")["detail"], "the service's own words");
    let brkr = |id: &str| format!("{}?resourceId={id}", p::BROKER_PATH);
    let (status, body) = c.get(&s, &brkr(world::RESOURCE), Some(&su), &[]);
    assert_eq!(status, 200, "{body}");
    assert_shape(&body, "71-brkr-list-200.json", &[]);
    let (status, body) = c.get(&s, &brkr(world::RESOURCE_OTHER_PACKAGE), Some(&su), &[]);
    assert_eq!(status, 401, "{body}");
    assert_shape(&body, "72-brkr-401-6.json", &[]);
    assert_eq!(body["detail"], example("72-brkr-401-6.json")["detail"]);
    let dp = |id: &str| format!("{}?serviceResource=urn:altinn:resource:{id}", p::DIALOGS_END_USER_PATH);
    let (status, body) = c.get(&s, &dp(world::RESOURCE_OTHER_PACKAGE), Some(&su), &[]);
    assert_eq!(status, 200, "{body}");
    assert_shape(&body, "74-dp-enduser-search-200-empty.json", &[]);
    // A plain organisation token on the end-user search: the user-type 403.
    let org = exchanged(&scopes, None);
    let (status, body) = c.get(&s, &dp(world::RESOURCE), Some(&org), &[]);
    assert_eq!(status, 403, "{body}");
    assert_shape(&body, "75-dp-403-usertype.json", &[]);
    assert_eq!(body["errors"]["Type"], example("75-dp-403-usertype.json")["errors"]["Type"]);
    // Storage: the service owner's exchanged token; a raw Maskinporten token is refused.
    let owner_scopes = [p::SCOPE_SERVICE_OWNER, p::SCOPE_INSTANCES_READ].join(" ");
    let owner = exchanged(&owner_scopes, None);
    assert_eq!(claims_of(&owner)["urn:altinn:org"], world::SERVICE_OWNER_CODE);
    let url = format!("{}?appId={}", p::INSTANCES_PATH, world::APP);
    let (status, body) = c.get(&s, &url, Some(&owner), &[]);
    assert_eq!(status, 200, "{body}");
    assert_shape(&body, "76-storage-instances-200-empty.json", &[]);
    let raw = c.access_token(&s, &owner_scopes, None);
    assert_eq!(c.get(&s, &url, Some(&raw), &[]).0, 401);
    // Missing scopes: 403 with no body.
    let bare = exchanged(world::SCOPE, Some(system_user_details(DEMO)));
    let (status, body) = c.get(&s, &corr(world::RESOURCE), Some(&bare), &[]);
    assert_eq!((status, body), (403, Value::String(String::new())));
}

/// Access management's package metadata: anonymous, by URN or bare code, named in the
/// language asked for (example 64); an unknown package is a 404.
#[test]
fn access_package_metadata_has_the_contract_s_shape() {
    let s = start_sim(Options { era: Era::Current, ..Options::default() });
    let c = Caller::new(&s);
    let path = |p: &str| format!("{PACKAGE_BY_URN_PATH}{p}");
    let (status, body) = c.get(&s, &path("urn:altinn:accesspackage:skattegrunnlag"), None, &[]);
    assert_eq!(status, 200, "{body}");
    assert_shape(&body, "64-am-package-by-urn-200.json", &[]);
    assert_eq!(body["name"], "Skattegrunnlag", "bokmål by default");
    let (_, body) = c.get(&s, &path("skattegrunnlag"), None, &[("accept-language", "en")]);
    assert_eq!(body["name"], "Tax basis");
    assert_eq!(c.get(&s, &path("finnes-ikke"), None, &[]).0, 404);
}
