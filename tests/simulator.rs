//! The Maskinporten simulator against grants built here, independently of the doctor
//! (jsonwebtoken and reqwest used directly), so the two cannot share a bug; and the
//! doctor's error catalogue reading each of the simulator's refusals.

mod common;

use altinn_doctor::maskinporten::errors::{self, MpCause};
use altinn_doctor::maskinporten::types::ErrorResponse;
use altinn_doctor::sim::world::{self, Options};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use common::*;
use serde_json::{Value, json};

const DEMO: &str = "312345676";

struct Client {
    http: reqwest::Client,
    token_url: String,
}

fn client(s: &SimRun) -> Client {
    let ca = reqwest::Certificate::from_pem(world().ca.root_pem().as_bytes()).unwrap();
    let http = reqwest::Client::builder().tls_certs_only([ca]).no_proxy().build().unwrap();
    Client { http, token_url: format!("{}/token", s.sim.base_url) }
}

/// A grant signed with the demo organisation's key, certificate in `x5c`.
fn grant(header_edit: impl FnOnce(&mut jsonwebtoken::Header), claims: Value) -> String {
    let org = world().org(DEMO).unwrap();
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.x5c = Some(vec![STANDARD.encode(&org.auth.der)]);
    header_edit(&mut header);
    let pem = org.key.serialize_pem();
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap();
    jsonwebtoken::encode(&header, &claims, &key).unwrap()
}

fn claims(edit: impl FnOnce(&mut Value)) -> Value {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut c = json!({
        "aud": "https://test.maskinporten.no/",
        "iss": world::CLIENT,
        "scope": world::SCOPE,
        "iat": now,
        "exp": now + 120,
        "jti": format!("test-{}", now * 1000 + (rand_u16() as i64)),
    });
    edit(&mut c);
    c
}

fn rand_u16() -> u16 {
    let mut b = [0u8; 2];
    aws_lc_rs::rand::fill(&mut b).unwrap();
    u16::from_le_bytes(b)
}

impl Client {
    fn post(&self, s: &SimRun, body: &[(&str, &str)]) -> (u16, Value) {
        s.block_on(async {
            let r = self.http.post(&self.token_url).form(body).send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap())
        })
    }

    fn token(&self, s: &SimRun, assertion: &str) -> (u16, Value) {
        self.post(s, &[("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion)])
    }
}

#[test]
fn an_independent_correct_grant_gets_a_real_token() {
    let s = start_sim(Options::default());
    let c = client(&s);
    let (status, body) = c.token(&s, &grant(|_| {}, claims(|_| {})));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 599);
    // The token is a JWT signed with the key published at /jwk.
    let token = body["access_token"].as_str().unwrap();
    let jwks: Value =
        s.block_on(async { c.http.get(format!("{}/jwk", s.sim.base_url)).send().await.unwrap().json().await.unwrap() });
    let k = &jwks["keys"][0];
    let key =
        jsonwebtoken::DecodingKey::from_rsa_components(k["n"].as_str().unwrap(), k["e"].as_str().unwrap()).unwrap();
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    v.validate_aud = false;
    let data = jsonwebtoken::decode::<Value>(token, &key, &v).unwrap();
    let t = data.claims;
    assert_eq!(t["iss"], "https://test.maskinporten.no/");
    assert_eq!(t["client_id"], world::CLIENT);
    assert_eq!(t["client_amr"], "virksomhetssertifikat");
    assert_eq!(t["consumer"], json!({"authority": "iso6523-actorid-upis", "ID": format!("0192:{DEMO}")}));
    assert_eq!(t["scope"], world::SCOPE);
    assert!(t["jti"].is_string() && t["exp"].as_i64().unwrap() - t["iat"].as_i64().unwrap() == 599);
    // The metadata has every field of the real document, and no authorization_endpoint.
    let meta: Value = s.block_on(async {
        c.http
            .get(format!("{}/.well-known/oauth-authorization-server", s.sim.base_url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    assert_eq!(meta["issuer"], "https://test.maskinporten.no/");
    assert_eq!(meta["grant_types_supported"], json!(["urn:ietf:params:oauth:grant-type:jwt-bearer"]));
    assert_eq!(meta["token_endpoint_auth_methods_supported"], json!(["private_key_jwt"]));
    assert_eq!(meta["token_endpoint_auth_signing_alg_values_supported"], json!(["RS256", "RS384", "RS512"]));
    // No consent path here, so no consent type claimed (the real service lists both).
    assert_eq!(meta["authorization_details_types_supported"], json!(["urn:altinn:systemuser"]));
    assert!(meta["jwks_uri"].as_str().unwrap().ends_with("/jwk"));
    assert!(meta.get("authorization_endpoint").is_none());
}

/// A refusal as the doctor reads it.
fn read(body: &Value) -> errors::Reading {
    let answer: ErrorResponse = serde_json::from_value(body.clone()).unwrap();
    errors::read(&answer)
}

#[test]
fn grant_rules_refuse_with_maskinporten_s_answers_and_the_doctor_reads_each() {
    let s = start_sim(Options::default());
    let c = client(&s);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    type Case = (&'static str, String, u16, &'static str, Option<&'static str>, MpCause);
    let reused = grant(|_| {}, claims(|c| c["jti"] = json!("used-once")));
    let (status, _) = c.token(&s, &reused);
    assert_eq!(status, 200);
    let cases: Vec<Case> = vec![
        ("not a JWT", "abc.def".into(), 400, "invalid_request", Some("MP-011"), MpCause::GrantMalformed),
        ("replayed jti", reused, 400, "invalid_grant", Some("MP-012"), MpCause::GrantReused),
        (
            "wrong aud",
            grant(|_| {}, claims(|c| c["aud"] = json!("https://test.maskinporten.no/token"))),
            400,
            "invalid_grant",
            Some("MP-110"),
            MpCause::WrongAudience,
        ),
        (
            "aud without the slash",
            grant(|_| {}, claims(|c| c["aud"] = json!("https://test.maskinporten.no"))),
            400,
            "invalid_grant",
            Some("MP-110"),
            MpCause::WrongAudience,
        ),
        ("x5c not an array", x5c_string(), 400, "invalid_grant", Some("MP-123"), MpCause::X5cNotArray),
        (
            "expired grant",
            grant(
                |_| {},
                claims(|c| {
                    c["iat"] = json!(now - 300);
                    c["exp"] = json!(now - 200);
                }),
            ),
            400,
            "invalid_grant",
            Some("MP-130"),
            MpCause::GrantExpired,
        ),
        (
            "issued in the future",
            grant(
                |_| {},
                claims(|c| {
                    c["iat"] = json!(now + 60);
                    c["exp"] = json!(now + 120);
                }),
            ),
            400,
            "invalid_grant",
            None,
            MpCause::IssuedInFuture,
        ),
        (
            "lifetime over 180 s (enforced; 120 documented)",
            // From the grant's own iat: `now` here may be a second before claims()' own.
            grant(|_| {}, claims(|c| c["exp"] = json!(c["iat"].as_i64().unwrap() + 181))),
            400,
            "invalid_grant",
            None,
            MpCause::LifetimeTooLong,
        ),
        (
            "tampered signature",
            {
                let g = grant(|_| {}, claims(|_| {}));
                let (head, sig) = g.rsplit_once('.').unwrap();
                let flipped = if sig.starts_with('A') { "B" } else { "A" };
                format!("{head}.{flipped}{}", &sig[1..])
            },
            400,
            "invalid_grant",
            Some("MP-124"),
            MpCause::BadSignature,
        ),
        (
            "unknown client",
            grant(|_| {}, claims(|c| c["iss"] = json!("nobody"))),
            400,
            "invalid_grant",
            Some("MP-100"),
            MpCause::ClientNotFound,
        ),
        (
            "scope not granted",
            grant(|_| {}, claims(|c| c["scope"] = json!(world::SCOPE_NOT_GRANTED))),
            403,
            "forbidden",
            Some("MP-250"),
            MpCause::ScopeNotGranted,
        ),
    ];
    for (what, assertion, want_status, want_error, want_code, want_cause) in cases {
        let (status, body) = c.token(&s, &assertion);
        assert_eq!(status, want_status, "{what}: {body}");
        assert_eq!(body["error"], want_error, "{what}: {body}");
        let description = body["error_description"].as_str().unwrap();
        assert!(description.contains("(trace_id: "), "{what}: {description}");
        match want_code {
            Some(code) => {
                assert!(body["error_uri"].as_str().unwrap().ends_with(&format!("/errors/{code}")), "{what}: {body}")
            }
            None => assert!(body.get("error_uri").is_none_or(Value::is_null), "{what}: {body}"),
        }
        let reading = read(&body);
        assert_eq!(reading.cause, Some(want_cause), "{what}: the doctor reads {body}");
        assert!(reading.trace_id.is_some(), "{what}");
    }
    // System-user details: the wrong type (MP-301), an unknown field (MP-302).
    for (details, code, cause) in [
        (
            json!([{"type": "urn:altinn:something", "systemuser_org": {"authority": "iso6523-actorid-upis", "ID": "0192:312345676"}}]),
            "MP-301",
            MpCause::UnknownDetailsType,
        ),
        (
            json!([{"type": "urn:altinn:systemuser", "systemuser_org": {"authority": "iso6523-actorid-upis", "ID": "0192:312345676"}, "extra": 1}]),
            "MP-302",
            MpCause::UnknownDetailsFields,
        ),
        (
            json!([{"type": "urn:altinn:systemuser", "systemuser_org": {"authority": "iso6523-actorid-upis", "ID": "0192:313311341"}}]),
            "MP-303",
            MpCause::InvalidDetailsValues,
        ),
    ] {
        let (status, body) = c.token(&s, &grant(|_| {}, claims(|c| c["authorization_details"] = details)));
        assert_eq!(status, 400, "{body}");
        assert!(body["error_uri"].as_str().unwrap().ends_with(code), "{body}");
        assert_eq!(read(&body).cause, Some(cause), "{body}");
    }
    // A correct one: the token names the system user, with field names as Maskinporten writes them.
    let details = json!([{"type": "urn:altinn:systemuser", "systemuser_org": {"authority": "iso6523-actorid-upis", "ID": "0192:312345676"}}]);
    let (status, body) = c.token(&s, &grant(|_| {}, claims(|c| c["authorization_details"] = details)));
    assert_eq!(status, 200, "{body}");
    let payload = body["access_token"].as_str().unwrap().split('.').nth(1).unwrap();
    let token: Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    let d = &token["authorization_details"][0];
    assert_eq!(d["type"], "urn:altinn:systemuser");
    assert_eq!(d["systemuser_org"]["ID"], "0192:312345676");
    assert_eq!(d["system_id"], world::SYSTEM_ID);
    assert!(d["systemuser_id"][0].is_string());
    // consumer_org and iss_onbehalfof exclude each other.
    let (status, body) = c.token(
        &s,
        &grant(
            |_| {},
            claims(|c| {
                c["consumer_org"] = json!("310987654");
                c["iss_onbehalfof"] = json!("x");
            }),
        ),
    );
    assert_eq!((status, read(&body).cause), (400, Some(MpCause::GrantMalformed)), "{body}");
    // Claims Maskinporten accepts and does not use, and a lifetime between the documented
    // 120 s and the enforced 180 s, are accepted.
    let (status, body) = c.token(
        &s,
        &grant(
            |_| {},
            claims(|c| {
                c["sub"] = json!("x");
                c["nbf"] = json!(now);
                c["pid"] = json!("12345678901");
                c["exp"] = json!(now + 150);
            }),
        ),
    );
    assert_eq!(status, 200, "{body}");
    // An unknown claim is refused; so is a missing grant type.
    let (status, body) = c.token(&s, &grant(|_| {}, claims(|c| c["foo"] = json!("bar"))));
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
    assert!(body["error_description"].as_str().unwrap().starts_with("Invalid assertion"));
    let (status, body) = c.post(&s, &[("assertion", "x")]);
    assert_eq!((status, body["error"].as_str()), (400, Some("unsupported_grant_type")));
}

/// A grant whose `x5c` header is a string, not an array.
fn x5c_string() -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let org = world().org(DEMO).unwrap();
    let header = json!({"alg": "RS256", "x5c": STANDARD.encode(&org.auth.der)});
    let h = URL_SAFE_NO_PAD.encode(header.to_string());
    let c = URL_SAFE_NO_PAD.encode(claims(|_| {}).to_string());
    format!("{h}.{c}.AAAA")
}

#[test]
fn simulate_command_writes_a_folder_check_passes_against() {
    use std::io::{BufRead, BufReader};
    let d = Dir::new();
    let sim_dir = d.file("sim");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_altinn-doctor"))
        .args(["simulate", "--dir", sim_dir.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("https://127.0.0.1:"), "the base URL first: {first}");
    let rest: Vec<String> = lines.take(4).map(|l| l.unwrap()).collect();
    assert!(rest.iter().any(|l| l.contains("profile.toml")), "{rest:?}");
    for f in ["ca.pem", "312345676.p12", "312345676.pem", "clients.toml", "profile.toml"] {
        assert!(sim_dir.join(f).exists(), "{f} written");
    }
    let profile = sim_dir.join("profile.toml");
    let env1 = sim_env(&first);
    let r = check_json(&["--config", profile.to_str().unwrap()], &pairs(&env1), d.path());
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(r.code, 0, "{}", r.stdout);
    // The registry is TOML a user can edit: it names the demo client.
    let registry = std::fs::read_to_string(sim_dir.join("clients.toml")).unwrap();
    assert!(registry.contains(world::CLIENT) && registry.contains("[[client]]"));

    // A restart loads the PKI from the folder (the same CA) and the edited registry.
    let ca_before = std::fs::read_to_string(sim_dir.join("ca.pem")).unwrap();
    std::fs::write(sim_dir.join("clients.toml"), registry.replace(world::CLIENT, "renamed-client")).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_altinn-doctor"))
        .args(["simulate", "--dir", sim_dir.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let first = BufReader::new(child.stdout.take().unwrap()).lines().next().unwrap().unwrap();
    assert_eq!(std::fs::read_to_string(sim_dir.join("ca.pem")).unwrap(), ca_before, "the same CA");
    let env2 = sim_env(&first);
    let env = pairs(&env2);
    let old = check_json(&["--config", profile.to_str().unwrap()], &env, d.path());
    let new = check_json(&["--config", profile.to_str().unwrap(), "--client-id", "renamed-client"], &env, d.path());
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(old.code_of("mp.token"), "client-not-found", "the edited registry is served: {}", old.stdout);
    assert_eq!(new.status("mp.token"), "pass", "{}", new.cause("mp.token"));
    assert_eq!(new.status("cert.issuer"), "pass");
    assert_eq!(
        new.status("cert.revocation"),
        "pass",
        "a CRL signed by the loaded CA: {}",
        new.cause("cert.revocation")
    );
}

/// The variables that point the doctor at a simulator's base URL.
fn sim_env(url: &str) -> Vec<(&'static str, String)> {
    ["ALTINN_DOCTOR_MASKINPORTEN_URL", "ALTINN_DOCTOR_PLATFORM_URL", "ALTINN_DOCTOR_ALTINN_URL"]
        .into_iter()
        .map(|k| (k, url.to_string()))
        .collect()
}

fn pairs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// `simulate --dir` writes into a folder only when it is the user's alone, and replaces a
/// link planted there instead of writing through it; a PKI folder others could have
/// written is never loaded.
#[cfg(unix)]
#[test]
fn simulate_never_writes_through_a_planted_link_nor_loads_a_pki_others_could_write() {
    use std::io::{BufRead, BufReader};
    use std::os::unix::fs::PermissionsExt;
    let d = Dir::new();
    let mode = |p: &std::path::Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    let simulate = |dir: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_altinn-doctor"))
            .args(["simulate", "--dir", dir.to_str().unwrap()])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let precious = d.write("precious.txt", "keep me");
    mode(std::path::Path::new(&precious), 0o644);
    let sim_dir = d.file("sim");
    std::fs::create_dir(&sim_dir).unwrap();
    mode(&sim_dir, 0o700);
    std::os::unix::fs::symlink(&precious, sim_dir.join("ca.pem")).unwrap();
    let mut child = simulate(&sim_dir);
    let first = BufReader::new(child.stdout.take().unwrap()).lines().next().unwrap().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.starts_with("https://127.0.0.1:"), "{first}");
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me", "the link's target is untouched");
    let meta = std::fs::metadata(&precious).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o644, "and its mode too");
    assert!(std::fs::symlink_metadata(sim_dir.join("ca.pem")).unwrap().is_file(), "the link is replaced");

    // pki/ that others may write: refused, named, nothing served.
    mode(&sim_dir.join("pki"), 0o777);
    let out = simulate(&sim_dir).wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("pki") && stderr.contains("chmod go-w"), "{stderr}");
    mode(&sim_dir.join("pki"), 0o700);

    // The folder itself open to others: refused before anything is read.
    mode(&sim_dir, 0o777);
    let out = simulate(&sim_dir).wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--dir") && stderr.contains("mode 777"), "{stderr}");
    mode(&sim_dir, 0o700);
}
