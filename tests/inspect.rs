//! `inspect` on real tokens of each kind (the contract examples) and on the simulator's,
//! with its JWKS: the kind, the facts, the signature, and never the token itself.

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use serde_json::Value;

fn example(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/contracts/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// A JWT carrying the claims of a contract example (the signature is not a real one).
fn token_of_claims(file: &str) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"test-key"}"#);
    let claims: Value = serde_json::from_str(&example(file)).unwrap();
    format!("{header}.{}.c2lnbmF0dXJl", URL_SAFE_NO_PAD.encode(claims.to_string()))
}

fn inspect(token: &str, extra: &[&str]) -> Run {
    let mut args = vec!["inspect", token, "--format", "json"];
    args.extend_from_slice(extra);
    run(&args, &[], Dir::new().path())
}

#[test]
fn each_kind_of_real_token_is_told() {
    let mp: Value = serde_json::from_str(&example("07-mp-token-200.json")).unwrap();
    let exchanged: String = serde_json::from_str(&example("19-altinn-exchange-200.json")).unwrap();
    let cases = [
        (mp["access_token"].as_str().unwrap().to_string(), "system-user", "maskinporten-test"),
        (exchanged, "exchanged-system-user", "altinn-tt02"),
        (token_of_claims("14-mp-claims-plain-org.json"), "organisation", "maskinporten-test"),
        (token_of_claims("16-mp-claims-systemuser-agent.json"), "system-user", "maskinporten-test"),
        (token_of_claims("17-mp-claims-supplier.json"), "supplier", "maskinporten-test"),
        (token_of_claims("18-mp-claims-consent.json"), "consent", "maskinporten-test"),
    ];
    for (token, kind, issuer) in cases {
        let r = inspect(&token, &[]);
        let j = r.json();
        assert_eq!((j["kind"].as_str().unwrap(), j["issuer"].as_str().unwrap()), (kind, issuer), "{j}");
        assert_eq!(r.code, 1, "the examples expired long ago");
        assert!(j["summary"].as_str().unwrap().starts_with("Expired"));
        let signature = token.rsplit('.').next().unwrap();
        assert!(!r.stdout.contains(signature) && !r.stdout.contains(&token), "the token is never printed");
    }
    let r = inspect(mp["access_token"].as_str().unwrap(), &[]);
    let j = r.json();
    assert_eq!(j["system_user_org"], "313876144");
    assert_eq!(j["system_id"], "310547891_regnskapsklar");
    assert_eq!(j["external_ref"], "kunde-4471");
    assert_eq!(j["system_user_id"], "5e1b9c42-8d7a-4f36-b2e0-9a4c6d3f1b77");
    let supplier = inspect(&token_of_claims("17-mp-claims-supplier.json"), &[]).json();
    assert!(supplier["supplier"].is_string() && supplier["organisation"] != supplier["supplier"]);
}

#[test]
fn the_simulator_s_token_verifies_with_its_jwks_and_a_tampered_one_does_not() {
    let s = start_sim(altinn_doctor::sim::world::Options::default());
    let token = run(&["token", "--config", &s.profile], &s.env(), s.dir.path()).stdout.trim().to_string();
    let jwks = format!("{}/jwk", s.sim.base_url);
    let ca = s.dir.file("ca.pem");
    let ca = ca.to_str().unwrap();
    let r = inspect(&token, &["--jwks", &jwks, "--ca-file", ca]);
    assert_eq!(r.json()["signature"]["status"], "verified", "{}", r.stdout);
    assert_eq!(r.code, 0);
    assert!(r.json()["summary"].as_str().unwrap().starts_with("Valid for"));
    // The same claims under another signature.
    let mut parts: Vec<&str> = token.split('.').collect();
    let forged = URL_SAFE_NO_PAD.encode([7u8; 256]);
    parts[2] = &forged;
    let r = inspect(&parts.join("."), &["--jwks", &jwks, "--ca-file", ca]);
    assert_eq!((r.json()["signature"]["status"].as_str().unwrap(), r.code), ("invalid", 1));
    // The table, from stdin, as a pasted `Bearer` header.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_altinn-doctor"))
        .args(["inspect", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(format!("Bearer {token}\n").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("An organisation's Maskinporten token") && !text.contains(&token), "{text}");
}

#[test]
fn not_a_token_is_a_usage_error() {
    let r = run(&["inspect", "abc.def.ghi"], &[], Dir::new().path());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a token"), "{}", r.stderr);
}

#[test]
fn inspect_speaks_every_format_and_never_prints_the_token() {
    let mp: Value = serde_json::from_str(&example("07-mp-token-200.json")).unwrap();
    let token = mp["access_token"].as_str().unwrap();
    let d = Dir::new();
    for format in ["table", "json", "junit", "github", "markdown"] {
        let r = run(&["inspect", token, "--format", format], &[], d.path());
        assert_eq!(r.code, 1, "{format}: the example expired long ago");
        assert!(!r.stdout.contains(token.split('.').nth(1).unwrap()), "{format} prints no part of the token");
        match format {
            "junit" => {
                assert!(r.stdout.contains("<testcase classname=\"inspect\" name=\"token\""), "{}", r.stdout);
                assert!(r.stdout.contains("<failure message=\"Expired"), "{}", r.stdout);
            }
            "github" => assert!(r.stdout.starts_with("::error title=token::Expired"), "{}", r.stdout),
            "markdown" => {
                assert!(r.stdout.starts_with("# altinn-doctor: a token explained\n\n| Fact | Value |\n|---|---|\n"));
                assert!(r.stdout.contains("| Kind |"), "{}", r.stdout);
            }
            _ => {}
        }
    }
    let bad = run(&["inspect", token, "--format", "yaml"], &[], d.path());
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--format `yaml`") && bad.stderr.contains("junit"), "{}", bad.stderr);
}

/// The token inside any pasted log line is found, and never printed back.
#[test]
fn a_token_inside_a_pasted_log_line_is_found() {
    let token = token_of_claims("14-mp-claims-plain-org.json");
    for line in [
        format!("2026-12-04T10:00:00Z DEBUG http: Authorization: Bearer {token} (sent)"),
        format!(r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":120}}"#),
        format!("curl -H 'Authorization: Bearer {token}' https://platform.tt02.altinn.no/"),
    ] {
        let r = inspect(&line, &[]);
        assert_eq!(r.json()["kind"], "organisation", "{line}: {}", r.stderr);
        assert!(!r.stdout.contains(&token), "the token is never printed");
    }
}

/// `inspect --cert FILE`: a certificate alone, its own checks offline with every fact.
#[test]
fn inspect_cert_shows_a_certificate_alone() {
    use altinn_doctor::sim::world::Options;
    let s = start_sim(Options::default());
    let p12 = s.dir.file("312345676.p12").display().to_string();
    let password = s.dir.file("cert-password").display().to_string();
    let env = [("ALTINN_DOCTOR_CERT_PASSWORD_FILE", password.as_str())];
    let ca = s.dir.file("ca.pem").display().to_string();
    let r = run(&["inspect", "--cert", &p12, "--ca-file", &ca, "--format", "json"], &env, s.dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.status("cert.readable"), "pass");
    assert_eq!(r.fact("cert.readable", "thumbprint_sha1").as_str().map(str::len), Some(40));
    assert_eq!(r.code_of("mp.token"), "not-chosen", "nothing leaves the machine");
    let table = run(&["inspect", "--cert", &p12], &env, s.dir.path());
    assert!(table.stdout.contains("Facts") && table.stdout.contains("not_after"), "{}", table.stdout);
    assert_eq!(run(&["inspect", "--cert", &p12, "--jwks", "https://x"], &env, s.dir.path()).code, 2);
}
