//! The simulated Altinn: the platform's token exchange (with the enterprise-user header),
//! the Altinn 2 API (API keys, reportees, roles), system users and authorised parties,
//! in two eras: `2025` as the guide describes, and `current` with Altinn 2 gone.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Body;
use axum::http::{HeaderMap, Response, StatusCode};
use axum::response::IntoResponse;
use base64::Engine;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::clock::Clock;
use super::maskinporten::{Signer, TokenService};
use super::registry::Registry;
use crate::altinn::types::*;
use crate::vocab::Era;

/// Failed logins Altinn 2 allowed in two hours before locking a user for an hour.
const MAX_FAILURES: usize = 10;

/// The Altinn side of the simulator.
pub struct AltinnService {
    pub(crate) era: Era,
    pub(crate) platform_issuer: String,
    signer: Signer,
    failures: Mutex<HashMap<String, Vec<OffsetDateTime>>>,
    /// Every enterprise-user login attempt, for the tests of lock-out safety.
    pub attempts: Mutex<Vec<String>>,
}

/// A verified token's claims.
type Claims = serde_json::Map<String, Value>;

pub(crate) fn trace_id() -> String {
    let mut b = [0u8; 8];
    aws_lc_rs::rand::fill(&mut b).unwrap_or(());
    format!("00-{}-01", b.iter().map(|x| format!("{x:02x}")).collect::<String>())
}

fn problem(status: StatusCode, title: &str, detail: Option<&str>) -> Response<Body> {
    problem_of("https://tools.ietf.org/html/rfc9110", status, title, detail)
}

fn problem_of(kind: &str, status: StatusCode, title: &str, detail: Option<&str>) -> Response<Body> {
    let body = ProblemDetails {
        kind: Some(kind.into()),
        title: Some(title.into()),
        status: Some(status.as_u16()),
        detail: detail.map(str::to_string),
        trace_id: Some(trace_id()),
        ..ProblemDetails::default()
    };
    (status, [("content-type", "application/problem+json")], serde_json::to_string(&body).unwrap_or_default())
        .into_response()
}

/// The 410 an enterprise user gets since June 2026: a `ProblemDetails` built by hand in
/// the controller, so without the `traceId` the framework's own problems carry.
fn gone() -> Response<Body> {
    let body = ProblemDetails {
        kind: Some("https://docs.altinn.studio".into()),
        title: Some(GONE_TITLE.into()),
        status: Some(410),
        detail: Some(GONE_DETAIL.into()),
        ..ProblemDetails::default()
    };
    (StatusCode::GONE, [("content-type", "application/problem+json")], serde_json::to_string(&body).unwrap_or_default())
        .into_response()
}

/// An Altinn 2 answer: status, reason phrase, no body (as the real API mostly did).
fn reason(status: StatusCode, phrase: &'static str) -> Response<Body> {
    let mut r = (status, "").into_response();
    r.extensions_mut().insert(hyper::ext::ReasonPhrase::from_static(phrase.as_bytes()));
    r
}

fn hal(value: Value) -> Response<Body> {
    (StatusCode::OK, [("content-type", "application/hal+json")], value.to_string()).into_response()
}

/// The page a browser gets where Altinn 2's API was.
fn gone_page(status: StatusCode) -> Response<Body> {
    let html = "<!DOCTYPE html><html><head><title>Altinn</title></head><body><h1>Altinn II er stengt</h1>\
                <p>Altinn II ble stengt 19. juni 2026.</p></body></html>";
    (status, [("content-type", "text/html; charset=utf-8")], html).into_response()
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get("authorization")?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

impl AltinnService {
    pub(crate) fn new(era: Era, platform_issuer: String) -> Result<AltinnService, String> {
        Ok(AltinnService {
            era,
            platform_issuer,
            signer: Signer::generate()?,
            failures: Mutex::new(HashMap::new()),
            attempts: Mutex::new(Vec::new()),
        })
    }

    /// Verifies a Maskinporten token as the platform does: signature and lifetime
    /// against Maskinporten's key (±10 s), then issuer, then consumer.
    pub(super) fn verify_maskinporten(&self, token: &str, mp: &TokenService) -> Option<Claims> {
        let claims = verify(token, &mp.signer.jwk, &mp.clock)?;
        if claims.get("iss").and_then(Value::as_str) != Some(mp.issuer.as_str()) {
            return None;
        }
        let consumer = claims.get("consumer")?.get("ID")?.as_str()?;
        consumer.starts_with("0192:").then_some(claims)
    }

    /// Verifies a token the platform itself issued.
    pub(super) fn verify_altinn(&self, headers: &HeaderMap, clock: &Clock) -> Option<Claims> {
        let claims = verify(bearer(headers)?, &self.signer.jwk, clock)?;
        (claims.get("iss").and_then(Value::as_str) == Some(self.platform_issuer.as_str())).then_some(claims)
    }

    /// `GET /authentication/api/v1/exchange/maskinporten`.
    pub(crate) fn exchange(&self, headers: &HeaderMap, mp: &TokenService, registry: &Registry) -> Response<Body> {
        let unauthorized = || problem(StatusCode::UNAUTHORIZED, "Unauthorized", None);
        let Some(token) = bearer(headers) else { return unauthorized() };
        let Some(mp_claims) = self.verify_maskinporten(token, mp) else { return unauthorized() };
        let org = mp_claims["consumer"]["ID"].as_str().unwrap_or_default().trim_start_matches("0192:").to_string();
        let now = mp.clock.now();
        let mut claims = exchanged_claims(&mp_claims, &self.platform_issuer, &org, now.unix_timestamp());
        // `urn:altinn:org` only for a service owner that asked for `altinn:serviceowner`.
        let scopes = mp_claims.get("scope").and_then(Value::as_str).unwrap_or_default();
        if scopes.split_whitespace().any(|s| s == crate::altinn::products::SCOPE_SERVICE_OWNER)
            && let Some(owner) = registry.service_owners.iter().find(|o| o.org == org)
        {
            claims.insert(claims::SERVICE_OWNER.into(), json!(owner.code));
        }
        let mut claims = Value::Object(claims);
        let header = headers.get(ENTERPRISE_USER_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
        if !header.trim().is_empty() {
            if self.era == Era::Current {
                return gone();
            }
            match self.enterprise_login(header.trim(), &org, registry, now) {
                Ok((id, name)) => {
                    claims[claims::USER_ID] = json!(id);
                    claims[claims::USER_NAME] = json!(name);
                    claims[claims::AUTH_METHOD] = json!("virksomhetsbruker");
                }
                Err(r) => return *r,
            }
        }
        let Ok(jwt) = self.signer.sign(&claims) else {
            return problem(StatusCode::INTERNAL_SERVER_ERROR, "Error", None);
        };
        let wants_json = headers.get("accept").and_then(|v| v.to_str().ok()).is_some_and(|a| {
            a.split(',').any(|t| {
                let t = t.split(';').next().unwrap_or_default().trim();
                t == "application/json" || (t.starts_with("application/") && t.ends_with("+json"))
            })
        });
        if wants_json {
            (StatusCode::OK, [("content-type", "application/json")], Value::String(jwt).to_string()).into_response()
        } else {
            (StatusCode::OK, [("content-type", "text/plain")], jwt).into_response()
        }
    }

    /// The enterprise-user header: base64 of `username:password`, split at the first
    /// colon. Ten failures in two hours lock the user for an hour.
    fn enterprise_login(
        &self,
        header: &str,
        org: &str,
        registry: &Registry,
        now: OffsetDateTime,
    ) -> Result<(i64, String), Box<Response<Body>>> {
        let bad_request =
            || problem(StatusCode::BAD_REQUEST, "Bad Request", Some("The enterprise user header is not valid."));
        let decoded = base64::engine::general_purpose::STANDARD.decode(header).map_err(|_| Box::new(bad_request()))?;
        let text = String::from_utf8(decoded).map_err(|_| Box::new(bad_request()))?;
        let (user, password) = text.split_once(':').ok_or_else(|| Box::new(bad_request()))?;
        if let Ok(mut a) = self.attempts.lock() {
            a.push(user.to_string());
        }
        let mut failures =
            self.failures.lock().map_err(|_| Box::new(problem(StatusCode::BAD_GATEWAY, "Bad Gateway", None)))?;
        let recent: &mut Vec<OffsetDateTime> = failures.entry(user.to_string()).or_default();
        recent.retain(|t| now - *t < time::Duration::hours(2));
        if recent.len() >= MAX_FAILURES {
            let unlock = recent[MAX_FAILURES - 1] + time::Duration::hours(1);
            if now < unlock {
                let mut r = problem(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests", Some("The user is locked."));
                r.headers_mut().insert("retry-after", ((unlock - now).whole_seconds().max(1) as u64).into());
                return Err(Box::new(r));
            }
        }
        let found = registry.enterprise_users.iter().position(|u| u.username == user && u.org == org);
        match found {
            Some(i) if registry.enterprise_users[i].password == password => {
                recent.clear();
                Ok((50_000_000 + i as i64, user.to_string()))
            }
            _ => {
                recent.push(now);
                Err(Box::new(problem(StatusCode::UNAUTHORIZED, "Unauthorized", Some(WRONG_USER_OR_PASSWORD))))
            }
        }
    }

    /// The Altinn 2 API (`/api/...`): gone in the current era.
    pub(crate) fn api(&self, path: &str, headers: &HeaderMap, registry: &Registry, clock: &Clock) -> Response<Body> {
        if self.era == Era::Current {
            return if path.trim_end_matches('/') == "/api" {
                gone_page(StatusCode::NOT_FOUND)
            } else {
                gone_page(StatusCode::GONE)
            };
        }
        let path = path.trim_end_matches('/');
        if path == "/api" {
            return hal(json!({"_links": {"self": {"href": "/api"}, "reportees": {"href": "/api/reportees"}}}));
        }
        if path.eq_ignore_ascii_case("/api/metadata/roledefinitions") {
            return Self::role_definitions(registry);
        }
        let operation = if path.eq_ignore_ascii_case("/api/reportees") {
            "Organization.read"
        } else if path.to_ascii_lowercase().ends_with("/authorization/roles") {
            "Authorization.read"
        } else {
            return gone_page(StatusCode::NOT_FOUND);
        };
        let Some(key) = headers.get("apikey").and_then(|v| v.to_str().ok()) else {
            return reason(StatusCode::BAD_REQUEST, REASON_APIKEY_MISSING);
        };
        let Some(entry) = registry.api_keys.iter().find(|k| k.key == key) else {
            return reason(StatusCode::FORBIDDEN, REASON_APIKEY_UNKNOWN);
        };
        if !entry.operations.iter().any(|o| o == operation) {
            return reason(StatusCode::FORBIDDEN, REASON_APIKEY_NOT_AUTHORIZED);
        }
        let Some(claims) = self.verify_altinn(headers, clock) else {
            return reason(StatusCode::UNAUTHORIZED, REASON_NO_ORG);
        };
        let org = claims.get(claims::ORG_NUMBER).and_then(Value::as_str).unwrap_or_default().to_string();
        if operation == "Organization.read" {
            return hal(
                json!({"_embedded": {"reportees": [{"Name": "DEMOBEDRIFT AS", "OrganizationNumber": org, "Type": "Enterprise"}]}}),
            );
        }
        let Some(user) = claims.get(claims::USER_NAME).and_then(Value::as_str) else {
            return reason(StatusCode::UNAUTHORIZED, REASON_NO_ORG);
        };
        hal(json!({"_embedded": {"roles": roles_of(registry, user, &org)}}))
    }

    /// `/api/metadata/roledefinitions`, open to all.
    fn role_definitions(registry: &Registry) -> Response<Body> {
        let defs: Vec<RoleDefinition> = registry
            .role_definitions
            .iter()
            .map(|d| RoleDefinition {
                role_definition_id: d.id,
                role_definition_code: d.code.clone(),
                role_name: d.name.clone(),
            })
            .collect();
        hal(json!({"_embedded": {"roledefinitions": defs}}))
    }
}

/// The roles an enterprise user of `org` holds, as Altinn 2 lists them.
fn roles_of(registry: &Registry, user: &str, org: &str) -> Vec<Role> {
    registry
        .enterprise_users
        .iter()
        .find(|u| u.username == user && u.org == org)
        .map(|u| u.roles.clone())
        .unwrap_or_default()
        .iter()
        .filter_map(|code| registry.role_definitions.iter().find(|d| &d.code == code))
        .enumerate()
        .map(|(i, d)| Role {
            role_id: 1000 + i as i64,
            role_type: "Altinn".into(),
            role_definition_id: d.id,
            role_name: d.name.clone(),
            role_description: String::new(),
        })
        .collect()
}

impl AltinnService {
    /// The vendor API (`/authentication/api/v1/systemregister/…`, `…/systemuser/…`): a
    /// Maskinporten token (as the vendor's integration sends) or an Altinn token; no or
    /// a bad token is an empty 401.
    pub(crate) fn vendor(
        &self,
        path: &str,
        query: &HashMap<String, String>,
        headers: &HeaderMap,
        registry: &Registry,
        mp: &TokenService,
        base_url: &str,
    ) -> Response<Body> {
        let claims = bearer(headers)
            .and_then(|t| self.verify_maskinporten(t, mp))
            .or_else(|| self.verify_altinn(headers, &mp.clock));
        let Some(claims) = claims else { return (StatusCode::UNAUTHORIZED, "").into_response() };
        let vendor = claims
            .get("consumer")
            .and_then(|c| c.get("ID"))
            .and_then(Value::as_str)
            .map(|id| id.trim_start_matches("0192:").to_string())
            .unwrap_or_default();
        if vendor.is_empty() {
            return super::vendor::auth_problem(
                23,
                StatusCode::UNAUTHORIZED,
                "Can't resolve the Organisation Number for the Vendor from the Token.",
            );
        }
        let caller = super::vendor::Caller { vendor, scopes: super::vendor::scopes(&claims) };
        let ctx = super::vendor::Ctx { registry, clock: &mp.clock, base_url, query };
        super::vendor::route(path.trim_start_matches("/authentication/api/v1/"), &caller, &ctx)
    }

    /// `GET /accessmanagement/api/v1/enduser/authorizedparties`.
    pub(crate) fn authorized_parties(&self, headers: &HeaderMap, registry: &Registry, clock: &Clock) -> Response<Body> {
        let Some(claims) = self.verify_altinn(headers, clock) else {
            return problem(StatusCode::UNAUTHORIZED, "Unauthorized", None);
        };
        let scopes = claims.get("scope").and_then(Value::as_str).unwrap_or_default();
        if !scopes.split_whitespace().any(|s| s == AUTHORIZED_PARTIES_SCOPE) {
            return (StatusCode::FORBIDDEN, "").into_response();
        }
        let data: Vec<AuthorizedParty> = system_users_of(&claims, registry).into_iter().flat_map(parties).collect();
        axum::Json(AuthorizedParties { links: AmLinks { next: None }, data }).into_response()
    }
}

/// The system users a token speaks for (`authorization_details`: one object after the
/// exchange, an array before it).
pub(super) fn system_users_of<'r>(
    claims: &Claims,
    registry: &'r Registry,
) -> Vec<&'r super::registry::SystemUserEntry> {
    let details = claims.get("authorization_details").cloned().unwrap_or(Value::Null);
    let entries = match details {
        Value::Array(items) => items,
        Value::Object(_) => vec![details],
        _ => Vec::new(),
    };
    let ids: Vec<String> = entries
        .iter()
        .filter_map(|d| d.get("systemuser_id")?.as_array().cloned())
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    registry.system_users.iter().filter(|u| ids.contains(&u.id)).collect()
}

/// The parties a system user acts for, as access management lists them, packages as
/// codes: a standard system user's organisation with its packages; an agent system
/// user's clients, each with the packages delegated, then the facilitator without any
/// (its `agent` role dropped, CONTRACTS.md §6, example 77).
fn parties(u: &super::registry::SystemUserEntry) -> Vec<AuthorizedParty> {
    if !u.is_agent() {
        return vec![party(&u.org, &format!("Organisasjon {}", u.org), &u.access_packages)];
    }
    let mut out: Vec<AuthorizedParty> = u.clients.iter().map(|c| party(&c.org, &c.name, &c.access_packages)).collect();
    out.push(party(&u.org, &format!("Regnskapsfører {}", u.org), &[]));
    out
}

fn party(org: &str, name: &str, packages: &[String]) -> AuthorizedParty {
    AuthorizedParty {
        party_uuid: Some(format!("00000000-0000-4000-8000-{org:0>12}")),
        name: name.into(),
        organization_number: Some(org.into()),
        party_id: org.parse().ok(),
        kind: "Organization".into(),
        unit_type: Some("AS".into()),
        authorized_access_packages: packages.iter().map(|p| package_code(p).to_string()).collect(),
        ..AuthorizedParty::default()
    }
}

/// How long an exchanged token lives (`JwtValidityMinutes`, CONTRACTS.md §2).
pub(crate) const EXCHANGED_LIFETIME_S: i64 = 1800;

/// The exchanged token's claims: every Maskinporten claim copied but `aud`, `iss`,
/// `client_amr` and `sid`; Altinn's own added; a one-element `authorization_details`
/// array made one object; 30 minutes from now, whatever the Maskinporten token's expiry.
fn exchanged_claims(mp: &Claims, issuer: &str, org: &str, now: i64) -> Claims {
    let mut claims = mp.clone();
    for removed in ["aud", "iss", "client_amr", "sid"] {
        claims.remove(removed);
    }
    if let Some(Value::Array(items)) = claims.get("authorization_details")
        && items.len() == 1
    {
        let single = items[0].clone();
        claims.insert("authorization_details".into(), single);
    }
    let mut sid = [0u8; 16];
    aws_lc_rs::rand::fill(&mut sid).unwrap_or(());
    let added = json!({
        (claims::ORG_NUMBER): org,
        (claims::AUTH_METHOD): "maskinporten",
        (claims::AUTH_LEVEL): 3,
        "iss": issuer,
        "sid": crate::maskinporten::client::uuid_of(sid),
        "iat": now,
        "nbf": now,
        "exp": now + EXCHANGED_LIFETIME_S,
    });
    if let Value::Object(added) = added {
        claims.extend(added);
    }
    claims
}

/// Verifies an RS256 JWT with a JWK, allowing 10 s of clock skew.
fn verify(token: &str, jwk: &Value, clock: &Clock) -> Option<Claims> {
    let key = jsonwebtoken::DecodingKey::from_rsa_components(jwk["n"].as_str()?, jwk["e"].as_str()?).ok()?;
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    v.validate_exp = false;
    v.validate_aud = false;
    v.required_spec_claims.clear();
    let data = jsonwebtoken::decode::<Claims>(token, &key, &v).ok()?;
    let exp = data.claims.get("exp").and_then(Value::as_i64)?;
    (exp + 10 >= clock.now_unix()).then_some(data.claims)
}

/// `GET /resourceregistry/api/v1/resource/{id}[/policy/subjects]`, anonymous, as the
/// registry answers (CONTRACTS-APIS §1): the entry, or its policy's subjects with values
/// lower-cased; an unknown resource is the framework's 404.
pub(crate) fn resource_registry(path: &str, registry: &Registry) -> Response<Body> {
    let rest = path.trim_start_matches("/resourceregistry/api/v1/resource/");
    let (id, subjects) = match rest.strip_suffix("/policy/subjects") {
        Some(id) => (id, true),
        None => (rest, false),
    };
    if let Some(id) = rest.strip_suffix("/policy") {
        return match registry.resources.iter().find(|r| r.id == id) {
            Some(r) => ([("content-type", "text/xml")], xacml(r)).into_response(),
            None => (StatusCode::NOT_FOUND, "Unable to find resource").into_response(),
        };
    }
    let Some(r) = registry.resources.iter().find(|r| r.id == id) else {
        return problem_of(
            "https://tools.ietf.org/html/rfc9110#section-15.5.5",
            StatusCode::NOT_FOUND,
            "Not Found",
            None,
        );
    };
    if subjects {
        let subject = |kind: &str, value: &String| PolicySubject {
            kind: kind.into(),
            value: value.to_ascii_lowercase(),
            urn: format!("{kind}:{}", value.to_ascii_lowercase()),
        };
        let data: Vec<PolicySubject> = r
            .roles
            .iter()
            .map(|v| subject(SUBJECT_ROLE_CODE, v))
            .chain(r.packages.iter().map(|v| subject(SUBJECT_ACCESS_PACKAGE, v)))
            .collect();
        return axum::Json(json!({"links": {}, "data": data})).into_response();
    }
    let title: std::collections::BTreeMap<String, String> =
        ["en", "nb", "nn"].iter().map(|l| (l.to_string(), format!("Simulated resource {}", r.id))).collect();
    axum::Json(ServiceResource {
        identifier: r.id.clone(),
        title,
        status: Some("Active".into()),
        resource_references: r
            .scopes
            .iter()
            .map(|s| ResourceReference {
                reference_source: Some("ExternalPlatform".into()),
                reference: s.clone(),
                reference_type: Some("MaskinportenScope".into()),
            })
            .collect(),
        delegable: r.delegable,
        access_list_mode: Some(if r.access_list { "Enabled" } else { "Disabled" }.into()),
        resource_type: Some("GenericAccessResource".into()),
        has_competent_authority: Some(CompetentAuthority {
            organization: Some(r.owner.clone()),
            orgcode: Some("ttd".into()),
            name: ["en", "nb", "nn"].iter().map(|l| (l.to_string(), "Testdepartement".to_string())).collect(),
        }),
    })
    .into_response()
}

/// The demo packages' names, bokmål and English, as access management's metadata has them.
const PACKAGE_NAMES: &[(&str, &str, &str)] = &[
    ("skattegrunnlag", "Skattegrunnlag", "Tax basis"),
    ("regnskapsforer-lonn", "Regnskapsfører lønn", "Accountant salary"),
];

/// `GET …/meta/info/accesspackages/package/urn/{urn}`, anonymous: a package the registry
/// knows (its resources' policies, its system users), by URN or bare code (the match is
/// "ends with `:code`", case-insensitive); 404 for none.
pub(crate) fn package_info(urn: &str, headers: &HeaderMap, registry: &Registry) -> Response<Body> {
    let code = package_code(urn).to_ascii_lowercase();
    let users = registry.system_users.iter().flat_map(|u| u.access_packages.iter());
    let known = registry.resources.iter().flat_map(|r| r.packages.iter()).chain(users).any(|p| package_code(p) == code);
    let Some((_, nb, en)) = PACKAGE_NAMES.iter().find(|(c, ..)| *c == code).filter(|_| known) else {
        return problem(StatusCode::NOT_FOUND, "Not Found", Some("Package not found"));
    };
    let english = headers.get("accept-language").and_then(|v| v.to_str().ok()).is_some_and(|l| l.starts_with("en"));
    axum::Json(PackageInfo {
        id: format!("1886712b-e077-445a-ab3f-{:012x}", code.len()),
        name: (if english { en } else { nb }).to_string(),
        urn: format!("{ACCESS_PACKAGE_URN}{code}"),
        description: Some(format!("Simulated access package {code}")),
        is_delegable: true,
        is_assignable: true,
        is_resource_policy_available: true,
        area: Some(json!({"id": "7d32591d-34b7-4afc-8afa-013722f8c05d", "name": "Skatt, avgift, regnskap og toll",
            "urn": "accesspackage:area:skatt_avgift_regnskap_og_toll", "description": "Simulated area",
            "iconUrl": "https://altinncdn.no/authorization/accesspackageicons/Aksel_Money_SackKroner.svg",
            "packages": [], "group": null})),
        kind: Some(
            json!({"id": "8c216e2f-afdd-4234-9ba2-691c727bb33d", "providerId": "0195ea92-2080-7e7c-bbe3-bb0521c1e51a",
            "name": "Organisasjon", "provider": null}),
        ),
        resources: Some(Vec::new()),
    })
    .into_response()
}

/// A resource's XACML 3.0 policy as the registry serves it: one rule per subject (read),
/// and its minimum authentication level as an obligation (CONTRACTS-APIS §1.1).
fn xacml(r: &super::registry::ResourceEntry) -> String {
    let rule = |kind: &str, value: &str| {
        format!(
            "<xacml:Rule RuleId=\"urn:altinn:resource:{id}:{value}\" Effect=\"Permit\"><xacml:Target><xacml:AnyOf><xacml:AllOf>\
             <xacml:Match MatchId=\"urn:oasis:names:tc:xacml:3.0:function:string-equal-ignore-case\">\
             <xacml:AttributeValue DataType=\"http://www.w3.org/2001/XMLSchema#string\">{value}</xacml:AttributeValue>\
             <xacml:AttributeDesignator AttributeId=\"{kind}\" Category=\"urn:oasis:names:tc:xacml:1.0:subject-category:access-subject\" \
             DataType=\"http://www.w3.org/2001/XMLSchema#string\" MustBePresent=\"false\"/></xacml:Match>\
             </xacml:AllOf></xacml:AnyOf></xacml:Target></xacml:Rule>",
            id = r.id
        )
    };
    let rules: String = r
        .roles
        .iter()
        .map(|v| rule(SUBJECT_ROLE_CODE, v))
        .chain(r.packages.iter().map(|v| rule(SUBJECT_ACCESS_PACKAGE, v)))
        .collect();
    let obligation = r.min_level.map(|level| {
        format!(
            "<xacml:ObligationExpressions><xacml:ObligationExpression FulfillOn=\"Permit\" ObligationId=\"urn:altinn:obligation:authenticationLevel1\">\
             <xacml:AttributeAssignmentExpression AttributeId=\"urn:altinn:obligation-assignment:1\" Category=\"{MIN_LEVEL}\">\
             <xacml:AttributeValue DataType=\"http://www.w3.org/2001/XMLSchema#integer\">{level}</xacml:AttributeValue>\
             </xacml:AttributeAssignmentExpression></xacml:ObligationExpression></xacml:ObligationExpressions>"
        )
    });
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><xacml:Policy xmlns:xacml=\"urn:oasis:names:tc:xacml:3.0:core:schema:wd-17\" \
         PolicyId=\"urn:altinn:policyid:1\" Version=\"1.0\" \
         RuleCombiningAlgId=\"urn:oasis:names:tc:xacml:3.0:rule-combining-algorithm:deny-overrides\"><xacml:Target/>{rules}{}</xacml:Policy>",
        obligation.unwrap_or_default()
    )
}
