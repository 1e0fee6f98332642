//! The system-user diagnosis against an independent server: not our simulator, but a
//! plain HTTPS server on loopback that answers with the contract examples
//! (tests/contracts/, from the services' own source) and nothing else. Each scenario
//! changes only what the contract says may vary (a status, a flag, which answer).

mod common;

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use rcgen::{CertificateParams, DnType, IsCa, KeyPair};
use serde_json::Value;

/// The customer, system and client of the contract examples.
const CUSTOMER: &str = "313876144";
const SUB_UNIT: &str = "973154125";
const SYSTEM: &str = "310547891_regnskapsklar";
const CLIENT: &str = "7b3c2f9e-41d5-4c8a-9e2b-5f0d6a1c3e84";
const FACILITATOR: &str = "314250052";

fn example(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/contracts/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// An answer: status, content type, body.
type Answer = (u16, &'static str, String);

fn json(status: u16, body: String) -> Answer {
    (status, "application/json", body)
}

fn problem(status: u16, file: &str) -> Answer {
    (status, "application/problem+json", example(file))
}

fn empty(status: u16) -> Answer {
    (status, "text/plain", String::new())
}

/// What one scenario answers on the endpoints that vary.
#[derive(Clone)]
struct Scenario {
    system_user_grant: Answer,
    vendor_grant: Answer,
    system: Answer,
    by_query: Answer,
    request: Answer,
    agent_request: Answer,
    by_system: Vec<Answer>,
    parties: Answer,
    /// A vendor scope this client may not ask for (MP-200 on its grant).
    refused_vendor_scope: Option<&'static str>,
    change_request: Answer,
    exchange: Answer,
}

impl Scenario {
    /// MP-303, and every look-up answers "not there".
    fn mp_303() -> Scenario {
        Scenario {
            system_user_grant: json(400, example("13-mp-token-400-MP-303.json")),
            vendor_grant: json(200, example("07-mp-token-200.json")),
            system: json(200, example("23-systemregister-vendor-200.json")),
            by_query: problem(404, "24-systemregister-vendor-404.json"),
            request: problem(404, "32-request-404-AUTH-00010.json"),
            agent_request: problem(404, "32-request-404-AUTH-00010.json"),
            by_system: vec![json(200, r#"{"links":{},"data":[]}"#.into())],
            parties: json(200, example("37-authorizedparties-200.json")),
            refused_vendor_scope: None,
            change_request: problem(404, "32-request-404-AUTH-00010.json"),
            exchange: json(200, example("19-altinn-exchange-200.json")),
        }
    }

    /// The request answer with its status and `timedOut` flag set.
    fn with_request(mut self, status: &str, timed_out: bool) -> Scenario {
        let mut r: Value = serde_json::from_str(&example("27-request-vendor-get-200.json")).unwrap();
        r["status"] = status.into();
        r["timedOut"] = timed_out.into();
        self.request = json(200, r.to_string());
        self
    }
}

/// The independent server: the examples, on loopback, over HTTPS.
struct Server {
    base: String,
    ca: String,
    seen: Arc<Mutex<Vec<String>>>,
    _rt: tokio::runtime::Runtime,
}

fn serve(scenario: Scenario, dir: &Dir) -> Server {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "Independent test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate().unwrap();
    let params = CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
    let cert = params.signed_by(&key, &issuer).unwrap();
    let ca = dir.write("independent-ca.pem", ca_cert.pem());
    let tls = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], rustls_pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()))
        .unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = Arc::new((scenario, base.clone(), seen.clone()));
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    rt.spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else { continue };
            let (acceptor, state) = (acceptor.clone(), state.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else { return };
                let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    handle(req.map(axum::body::Body::new), state.clone())
                });
                let _ = hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new())
                    .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    Server { base, ca, seen, _rt: rt }
}

type State = Arc<(Scenario, String, Arc<Mutex<Vec<String>>>)>;

async fn handle(req: axum::extract::Request, state: State) -> Result<axum::response::Response, Infallible> {
    let (scenario, base, seen) = (&state.0, &state.1, &state.2);
    let path = req.uri().path().to_string();
    let query: HashMap<String, String> = req.uri().query().map(url_pairs).unwrap_or_default();
    seen.lock().unwrap().push(format!("{} {}", req.method(), req.uri()));
    let body = axum::body::to_bytes(req.into_body(), 1 << 20).await.unwrap_or_default();
    let (status, content_type, text) = answer(scenario, base, &path, &query, &body);
    Ok(axum::response::Response::builder()
        .status(status)
        .header("content-type", content_type)
        .header("date", altinn_doctor::http::http_date(time::OffsetDateTime::now_utc()))
        .body(axum::body::Body::from(text))
        .unwrap())
}

fn url_pairs(q: &str) -> HashMap<String, String> {
    q.split('&').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn answer(s: &Scenario, base: &str, path: &str, query: &HashMap<String, String>, body: &[u8]) -> Answer {
    let api = "/authentication/api/v1";
    match path {
        "/.well-known/oauth-authorization-server" => json(
            200,
            // Both endpoints on this server: the doctor refuses endpoints on another origin.
            example("01-mp-well-known.json")
                .replace("https://test.maskinporten.no/token", &format!("{base}/token"))
                .replace("https://test.maskinporten.no/jwk", &format!("{base}/jwk")),
        ),
        "/jwk" => json(200, example("02-mp-jwk.json")),
        "/token" => grant_answer(s, body),
        p if p == format!("{api}/exchange/maskinporten") => s.exchange.clone(),
        p if p == format!("{api}/systemregister/vendor/{SYSTEM}") => s.system.clone(),
        p if p.starts_with(&format!("{api}/systemregister/vendor/")) => {
            problem(404, "24-systemregister-vendor-404.json")
        }
        p if p == format!("{api}/systemuser/vendor/byquery") => s.by_query.clone(),
        p if p.starts_with(&format!("{api}/systemuser/request/vendor/agent/byexternalref/")) => s.agent_request.clone(),
        p if p.starts_with(&format!("{api}/systemuser/request/vendor/byexternalref/")) => s.request.clone(),
        p if p.starts_with(&format!("{api}/systemuser/changerequest/vendor/byexternalref/")) => {
            s.change_request.clone()
        }
        p if p == format!("{api}/systemuser/vendor/bysystem/{SYSTEM}") => {
            let page = query.get("token").map(|_| 1).unwrap_or(0);
            let (status, ct, text) = s.by_system.get(page).cloned().unwrap_or_else(|| empty(404));
            // The example's `next` names the real host: the same page on this one.
            (status, ct, text.replace("https://platform.tt02.altinn.no", base))
        }
        "/accessmanagement/api/v1/enduser/authorizedparties" => s.parties.clone(),
        _ => problem(404, "24-systemregister-vendor-404.json"),
    }
}

/// The token endpoint: the grant's claims (read, not verified) say which answer it gets.
fn grant_answer(s: &Scenario, body: &[u8]) -> Answer {
    let form = url_pairs(&String::from_utf8_lossy(body));
    let assertion = form.get("assertion").cloned().unwrap_or_default();
    let claims: Value = assertion
        .split('.')
        .nth(1)
        .and_then(|p| URL_SAFE_NO_PAD.decode(p).ok())
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null);
    let scope = claims["scope"].as_str().unwrap_or_default();
    if claims.get("authorization_details").is_some() {
        s.system_user_grant.clone()
    } else if s.refused_vendor_scope.is_some_and(|r| scope == r) {
        json(400, example("11-mp-token-400-MP-200-scope.json"))
    } else if scope.contains("altinn:authentication/") {
        s.vendor_grant.clone()
    } else {
        json(200, example("07-mp-token-200.json"))
    }
}

/// A check of the system user against the server, with the doctor's certificate.
fn check(server: &Server, d: &Dir, extra: &[&str]) -> Run {
    let p = pki();
    let leaf = issue(&p.buypass, &spec(altinn_doctor::sim::pki::Purpose::Authentication), &p.key2048);
    let cert = d.pem_bundle("c.pem", &p.buypass, &leaf, &p.key2048);
    let mut args = vec!["--cert", cert.as_str(), "--ca-file", server.ca.as_str(), "--flow", "system-user"];
    args.extend_from_slice(extra);
    // The scenario's defaults come from the environment, so a flag can override them.
    let env = [
        ("ALTINN_DOCTOR_MASKINPORTEN_URL", server.base.as_str()),
        ("ALTINN_DOCTOR_PLATFORM_URL", server.base.as_str()),
        ("ALTINN_DOCTOR_CLIENT_ID", CLIENT),
        ("ALTINN_DOCTOR_SCOPE", "altinn:correspondence.read"),
        ("ALTINN_DOCTOR_SYSTEM_USER_ORG", CUSTOMER),
        ("ALTINN_DOCTOR_SYSTEM_ID", SYSTEM),
    ];
    check_json(&args, &env, d.path())
}

fn diagnose(scenario: Scenario, extra: &[&str]) -> (Run, Server) {
    let d = Dir::new();
    let server = serve(scenario, &d);
    let r = check(&server, &d, extra);
    (r, server)
}

fn code(r: &Run) -> String {
    r.code_of("altinn.system-user")
}

#[test]
fn every_mp_303_cause_is_told_from_the_real_shapes() {
    let base = Scenario::mp_303;
    let (r, _) = diagnose(base(), &["--client-id", "another-client"]);
    assert_eq!(code(&r), "client-not-in-system", "{}", r.cause("altinn.system-user"));
    let (r, _) = diagnose(base(), &["--system-id", "310547891_ukjent"]);
    assert_eq!(code(&r), "system-not-found");
    let (r, _) = diagnose(base().with_request("New", false), &[]);
    assert_eq!(code(&r), "not-approved");
    assert!(r.fix("altinn.system-user").contains("am.ui.tt02.altinn.no/accessmanagement/ui/systemuser/request?id="));
    let (r, _) = diagnose(base().with_request("New", true), &[]);
    assert_eq!(code(&r), "request-timed-out");
    let (r, _) = diagnose(base().with_request("Rejected", false), &[]);
    assert_eq!(code(&r), "rejected");
    let (r, _) = diagnose(base().with_request("Accepted", false), &[]);
    assert_eq!(code(&r), "system-user-deleted");
    let (r, _) = diagnose(base(), &[]);
    assert_eq!(code(&r), "no-request");
    let (r, _) =
        diagnose(Scenario { vendor_grant: json(400, example("11-mp-token-400-MP-200-scope.json")), ..base() }, &[]);
    assert_eq!(code(&r), "vendor-scopes-missing");
    let (r, _) = diagnose(Scenario { system: empty(403), ..base() }, &[]);
    assert_eq!(code(&r), "lookup-failed");
    assert!(r.cause("altinn.system-user").contains("403"));
    assert_eq!(r.check("altinn.system-user")["inconclusive"], true, "a look-up that did not answer is could-not-check");
}

#[test]
fn the_listing_is_paged_and_tells_the_reference_and_the_agent_apart() {
    let pages = vec![
        json(200, example("35-systemuser-bysystem-200.json")),
        json(200, example("36-systemuser-bysystem-200-lastpage.json")),
    ];
    // The customer's system user exists under kunde-4471 (page 1).
    let (r, server) = diagnose(Scenario { by_system: pages.clone(), ..Scenario::mp_303() }, &[]);
    assert_eq!(code(&r), "external-ref-missing");
    assert!(r.fix("altinn.system-user").contains("kunde-4471"));
    let listed = server.seen.lock().unwrap().iter().filter(|l| l.contains("/bysystem/")).count();
    assert_eq!(listed, 2, "links.next followed, on this host");
    // An agent system user of a facilitator, and the grant named someone else.
    let agent_only = vec![json(200, example("36-systemuser-bysystem-200-lastpage.json"))];
    let (r, _) =
        diagnose(Scenario { by_system: agent_only, ..Scenario::mp_303() }, &["--system-user-org", "311111111"]);
    assert_eq!(code(&r), "agent-not-facilitator", "{}", r.cause("altinn.system-user"));
    assert!(r.cause("altinn.system-user").contains(FACILITATOR));
    // Nobody for this customer on either page: both pages read, then no-request.
    let (r, server) = diagnose(
        Scenario { by_system: pages, ..Scenario::mp_303() },
        &["--system-user-org", "311111111", "--system-user-type", "standard"],
    );
    assert_eq!(code(&r), "no-request");
    let listed = server.seen.lock().unwrap().iter().filter(|l| l.contains("/bysystem/")).count();
    assert_eq!(listed, 2, "links.next followed");
}

#[test]
fn a_working_system_user_and_its_rights_as_codes_and_in_sub_units() {
    let ready = Scenario { system_user_grant: json(200, example("07-mp-token-200.json")), ..Scenario::mp_303() };
    let (r, _) = diagnose(ready.clone(), &["--require-access-package", "urn:altinn:accesspackage:skattegrunnlag"]);
    assert_eq!(r.status("altinn.system-user"), "pass", "{}", r.cause("altinn.system-user"));
    assert_eq!(r.fact("altinn.system-user", "system_id"), SYSTEM);
    assert_eq!(r.status("altinn.system-user-rights"), "pass", "{}", r.cause("altinn.system-user-rights"));
    let (r, _) =
        diagnose(ready.clone(), &["--system-user-org", SUB_UNIT, "--require-access-package", "regnskapsforer-lonn"]);
    assert_eq!(
        r.code_of("altinn.system-user-rights"),
        "granted",
        "a sub-unit: {}",
        r.cause("altinn.system-user-rights")
    );
    let (r, _) = diagnose(ready, &["--require-access-package", "revisor"]);
    assert_eq!(r.code_of("altinn.system-user-rights"), "missing-package");
    assert!(r.cause("altinn.system-user-rights").contains("skattegrunnlag"), "what it holds is listed");
}

#[test]
fn an_agent_system_user_s_rights_are_read_on_its_clients() {
    let agent = Scenario {
        system_user_grant: json(200, example("07-mp-token-200.json")),
        parties: json(200, example("77-authorizedparties-agent-200.json")),
        ..Scenario::mp_303()
    };
    // Example 77: the client 313876144 holds the package; the facilitator 310547891 is
    // listed bare. With or without the type, the client is what counts.
    for typed in [&["--system-user-type", "agent"][..], &[]] {
        let args = [&["--system-user-org", "310547891", "--require-access-package", "regnskapsforer-lonn"][..], typed]
            .concat();
        let (r, _) = diagnose(agent.clone(), &args);
        assert_eq!(
            r.code_of("altinn.system-user-rights"),
            "clients-granted",
            "{}",
            r.cause("altinn.system-user-rights")
        );
    }
    let (r, _) = diagnose(agent.clone(), &["--system-user-org", "310547891", "--require-access-package", "revisor"]);
    assert_eq!(r.code_of("altinn.system-user-rights"), "clients-missing-package");
    assert_eq!(r.status("altinn.system-user-rights"), "fail", "no client is complete");
    assert!(r.cause("altinn.system-user-rights").contains("313876144"));
    // No client yet: the facilitator alone, or nothing at all.
    let mut bare: Value = serde_json::from_str(&example("77-authorizedparties-agent-200.json")).unwrap();
    bare["data"].as_array_mut().unwrap().remove(0);
    for body in [bare.to_string(), r#"{"links":{"next":null},"data":[]}"#.to_string()] {
        let scenario = Scenario { parties: json(200, body), ..agent.clone() };
        let (r, _) =
            diagnose(scenario, &["--system-user-org", "310547891", "--require-access-package", "regnskapsforer-lonn"]);
        assert_eq!(r.code_of("altinn.system-user-rights"), "no-clients", "{}", r.cause("altinn.system-user-rights"));
    }
    // The documents' form: `data` nested one level deeper.
    let mut nested: Value = serde_json::from_str(&example("77-authorizedparties-agent-200.json")).unwrap();
    nested["data"] = Value::Array(vec![nested["data"].clone()]);
    let scenario = Scenario { parties: json(200, nested.to_string()), ..agent };
    let (r, _) =
        diagnose(scenario, &["--system-user-org", "310547891", "--require-access-package", "regnskapsforer-lonn"]);
    assert_eq!(r.code_of("altinn.system-user-rights"), "clients-granted", "{}", r.cause("altinn.system-user-rights"));
}

#[test]
fn request_states_are_read_in_any_case_and_an_unknown_one_is_not_guessed() {
    let base = Scenario::mp_303;
    for (status, timed_out, expect) in [
        ("TimedOut", false, "request-timed-out"),
        ("Timedout", false, "request-timed-out"),
        ("Accepted", true, "request-timed-out"),
        ("new", false, "not-approved"),
        ("Denied", false, "rejected"),
        ("Accepted", false, "system-user-deleted"),
        ("Escalated", false, "request-status-unknown"),
    ] {
        let (r, _) = diagnose(base().with_request(status, timed_out), &[]);
        assert_eq!(code(&r), expect, "{status} timedOut={timed_out}: {}", r.cause("altinn.system-user"));
        if expect == "request-status-unknown" {
            assert_eq!(r.check("altinn.system-user")["inconclusive"], true, "an unknown status is could-not-check");
            assert!(r.cause("altinn.system-user").contains("Escalated"));
        }
    }
    // The timeout is worded without a fixed number of days as fact.
    let (r, _) = diagnose(base().with_request("New", true), &[]);
    let cause = r.cause("altinn.system-user");
    assert!(cause.contains("180") && cause.contains("10"), "both sources: {cause}");
}

#[test]
fn the_system_register_and_the_found_system_user_decide_before_anything_else() {
    let base = Scenario::mp_303;
    // A deleted system is still answered, 200 with isDeleted: the vendor's cause.
    let mut deleted: Value = serde_json::from_str(&example("23-systemregister-vendor-200.json")).unwrap();
    deleted["isDeleted"] = true.into();
    let (r, _) = diagnose(Scenario { system: json(200, deleted.to_string()), ..base() }, &[]);
    assert_eq!(code(&r), "system-deleted", "{}", r.cause("altinn.system-user"));
    assert!(r.cause("altinn.system-user").contains(SYSTEM));
    // byquery finds the user under kunde-4471: the grant without it is told to send it.
    let found = json(200, example("34-systemuser-byquery-200.json"));
    let (r, _) = diagnose(Scenario { by_query: found.clone(), ..base() }, &[]);
    assert_eq!(code(&r), "external-ref-missing");
    assert!(r.fix("altinn.system-user").contains("kunde-4471"));
    let (r, _) = diagnose(Scenario { by_query: found.clone(), ..base() }, &["--external-ref", "kunde-9"]);
    assert_eq!(code(&r), "external-ref-mismatch");
    assert!(r.cause("altinn.system-user").contains("kunde-4471") && r.cause("altinn.system-user").contains("kunde-9"));
    // Everything agrees and Maskinporten still refuses: the servicedesk, never "give
    // --system-id" when it was given.
    let (r, _) = diagnose(Scenario { by_query: found, ..base() }, &["--external-ref", "kunde-4471"]);
    assert_eq!(code(&r), "all-found", "{}", r.cause("altinn.system-user"));
    let fix = r.fix("altinn.system-user");
    assert!(fix.contains("servicedesk") && !fix.contains("--system-id"), "{fix}");
}

#[test]
fn vendor_scopes_are_asked_one_by_one_and_every_look_up_they_allow_is_made() {
    let base = Scenario::mp_303;
    // Without request.write, byquery cannot be asked; the register still is.
    let scenario = Scenario { refused_vendor_scope: Some("altinn:authentication/systemuser.request.write"), ..base() };
    let (r, server) = diagnose(scenario, &[]);
    assert_eq!(code(&r), "vendor-scopes-missing", "{}", r.cause("altinn.system-user"));
    let cause = r.cause("altinn.system-user");
    assert!(cause.contains("systemuser.request.write") && !cause.contains("systemregister.write"), "{cause}");
    assert!(server.seen.lock().unwrap().iter().any(|l| l.contains("/systemregister/vendor/")), "the register was read");
    assert_eq!(r.fact("altinn.system-user", "system_client_ids")[0], CLIENT);
    // Without systemregister.write, the client's registration cannot be read: that is
    // the first look-up, so the cause names that scope.
    let scenario = Scenario { refused_vendor_scope: Some("altinn:authentication/systemregister.write"), ..base() };
    let (r, _) = diagnose(scenario, &[]);
    assert_eq!(code(&r), "vendor-scopes-missing");
    assert!(r.cause("altinn.system-user").contains("systemregister.write"));
}

#[test]
fn a_listing_not_read_to_its_end_is_could_not_check() {
    let base = Scenario::mp_303;
    let mut page: Value = serde_json::from_str(&example("35-systemuser-bysystem-200.json")).unwrap();
    // Every page has a next: the doctor stops after its 20 pages and says so.
    let endless: Vec<Answer> = (0..25).map(|_| json(200, page.to_string())).collect();
    let (r, server) = diagnose(Scenario { by_system: endless, ..base() }, &["--system-user-org", "311111111"]);
    assert_eq!(code(&r), "listing-incomplete", "{}", r.cause("altinn.system-user"));
    assert_eq!(r.check("altinn.system-user")["inconclusive"], true);
    let listed = server.seen.lock().unwrap().iter().filter(|l| l.contains("/bysystem/")).count();
    assert_eq!(listed, 20);
    // A next on another host with the same endpoint is read here; another endpoint is not.
    page["links"]["next"] =
        "https://gateway.example/authentication/api/v1/systemuser/vendor/bysystem/310547891_regnskapsklar?token=MTIzNA"
            .into();
    let pages = vec![json(200, page.to_string()), json(200, example("36-systemuser-bysystem-200-lastpage.json"))];
    let (r, server) = diagnose(
        Scenario { by_system: pages, ..base() },
        &["--system-user-org", "311111111", "--system-user-type", "standard"],
    );
    assert_eq!(code(&r), "no-request", "{}", r.cause("altinn.system-user"));
    assert_eq!(server.seen.lock().unwrap().iter().filter(|l| l.contains("/bysystem/")).count(), 2);
    page["links"]["next"] = "https://gateway.example/elsewhere?token=MTIzNA".into();
    let (r, _) = diagnose(
        Scenario { by_system: vec![json(200, page.to_string())], ..base() },
        &["--system-user-org", "311111111"],
    );
    assert_eq!(code(&r), "listing-incomplete");
}

#[test]
fn several_agent_system_users_name_no_accountant() {
    let mut page: Value = serde_json::from_str(&example("36-systemuser-bysystem-200-lastpage.json")).unwrap();
    let mut second = page["data"][0].clone();
    second["reporteeOrgNo"] = "315555555".into();
    second["id"] = "d1b9e4e2-3c7f-4fa0-9b82-4e6dac3f8051".into();
    page["data"].as_array_mut().unwrap().push(second);
    let scenario = Scenario { by_system: vec![json(200, page.to_string())], ..Scenario::mp_303() };
    let (r, _) = diagnose(scenario, &["--system-user-org", "311111111"]);
    assert_eq!(code(&r), "not-a-facilitator", "{}", r.cause("altinn.system-user"));
    let cause = r.cause("altinn.system-user");
    assert!(cause.contains("2 agent system users") && !cause.contains(FACILITATOR), "{cause}");
}

#[test]
fn the_token_s_system_must_be_the_profile_s_and_a_change_request_is_read_by_its_state() {
    let ready = Scenario { system_user_grant: json(200, example("07-mp-token-200.json")), ..Scenario::mp_303() };
    let (r, _) = diagnose(ready.clone(), &["--system-id", "310547891_annet"]);
    assert_eq!(r.code_of("altinn.system-user"), "other-system", "{}", r.cause("altinn.system-user"));
    assert!(!r.cause("altinn.system-user").contains("type:"), "no '(type: -)'");
    // A missing package, and the vendor's change request waiting (status New).
    let change = serde_json::json!({
        "id": "0c9e8f7a-1b2c-4d3e-8f40-5a6b7c8d9e01", "externalRef": CUSTOMER, "systemId": SYSTEM,
        "systemUserId": "5e1b9c42-8d7a-4f36-b2e0-9a4c6d3f1b77", "partyOrgNo": CUSTOMER,
        "requiredRights": [], "unwantedRights": [], "requiredAccessPackages": [], "unwantedAccessPackages": [],
        "status": "New",
        "confirmUrl": "https://am.ui.tt02.altinn.no/accessmanagement/ui/systemuser/changerequest?id=0c9e8f7a-1b2c-4d3e-8f40-5a6b7c8d9e01&DONTCHOOSEREPORTEE=true",
        "created": "2026-11-30T09:12:44.118Z", "timedOut": false
    });
    let pending = Scenario { change_request: json(200, change.to_string()), ..ready.clone() };
    let (r, _) = diagnose(pending, &["--require-access-package", "revisor"]);
    assert_eq!(
        r.code_of("altinn.system-user-rights"),
        "change-request-pending",
        "{}",
        r.cause("altinn.system-user-rights")
    );
    assert!(r.fix("altinn.system-user-rights").contains("changerequest?id=0c9e8f7a"));
    let mut accepted = change.clone();
    accepted["status"] = "Accepted".into();
    let done = Scenario { change_request: json(200, accepted.to_string()), ..ready };
    let (r, _) = diagnose(done, &["--require-access-package", "revisor"]);
    assert_eq!(r.code_of("altinn.system-user-rights"), "missing-package");
    assert_eq!(r.fact("altinn.system-user-rights", "change_request_status"), "Accepted");
}

#[test]
fn answers_the_doctor_does_not_expect_are_quoted_in_the_service_s_words() {
    let provider = "Invalid token provider: maskinporte. Trusted token providers are 'Maskinporten', 'Id-porten' and 'AltinnStudio'.";
    let scenario = Scenario { exchange: (400, "text/plain; charset=utf-8", provider.into()), ..Scenario::mp_303() };
    let (r, _) = diagnose(scenario, &[]);
    assert_eq!(r.code_of("altinn.exchange"), "unexpected", "{}", r.cause("altinn.exchange"));
    assert!(
        r.cause("altinn.exchange").contains("Invalid token provider: maskinporte"),
        "{}",
        r.cause("altinn.exchange")
    );
    // The parties refused with the text Altinn gives a token that is not a system user's.
    let ready = Scenario {
        system_user_grant: json(200, example("07-mp-token-200.json")),
        parties: (401, "text/plain; charset=utf-8", "Unknown user type".into()),
        ..Scenario::mp_303()
    };
    let (r, _) = diagnose(ready, &["--require-access-package", "skattegrunnlag"]);
    assert_eq!(r.code_of("altinn.system-user-rights"), "unreadable");
    assert!(
        r.cause("altinn.system-user-rights").contains("\"Unknown user type\""),
        "{}",
        r.cause("altinn.system-user-rights")
    );
}
