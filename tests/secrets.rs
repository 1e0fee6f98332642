//! The secret sweep: no password, API key, private key, grant or token in any output of
//! any demo scenario, in any format, with `-v`; searched as written, base64-encoded and
//! URL-encoded. The tokens and grants of a run are those the simulator saw cross the wire.

mod common;

use altinn_doctor::sim::world::{self, Options};
use altinn_doctor::vocab::Era;
use base64::Engine;
use common::*;

const FORMATS: [&str; 5] = ["table", "json", "junit", "github", "markdown"];

/// The forms a secret could leak in.
fn forms(secret: &str) -> Vec<String> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let url: String = secret
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let mut all = vec![secret.to_string(), b64.encode(secret), b64url.encode(secret), url];
    all.dedup();
    all
}

/// Fails naming the place when any form of any secret shows in `text`.
fn assert_clean(text: &str, secrets: &[String], place: &str) {
    for secret in secrets {
        for form in forms(secret) {
            assert!(!text.contains(&form), "{place}: a secret ({} chars) shows as `{form}`", secret.len());
        }
    }
    // Whatever the run: nothing shaped like a JWT (header.claims) or a private key.
    for shape in ["eyJhbGci", "eyJ0eXAi", "PRIVATE KEY", "UFJJVkFURSBLRVk"] {
        assert!(!text.contains(shape), "{place}: `{shape}` shows");
    }
}

#[test]
fn the_sweep_finds_a_secret_in_each_form() {
    let secret = vec!["s3cret/Passord+1".to_string()];
    for form in forms(&secret[0]) {
        let found = std::panic::catch_unwind(|| assert_clean(&format!("x {form} y"), &secret, "probe"));
        assert!(found.is_err(), "`{form}` is found");
    }
    assert!(std::panic::catch_unwind(|| assert_clean("Bearer eyJhbGciOiJSUzI1NiJ9.e30.sig", &[], "probe")).is_err());
    assert_clean("nothing here", &secret, "probe");
}

fn static_secrets() -> Vec<String> {
    [world::API_KEY, world::API_KEY_ROLES_ONLY, world::ENTERPRISE_PASSWORD, world::SIM_PASSWORD]
        .iter()
        .map(|s| s.to_string())
        .chain([format!("{}:{}", world::ENTERPRISE_USER, world::ENTERPRISE_PASSWORD)])
        .collect()
}

#[test]
fn no_demo_scenario_shows_a_secret_in_any_format() {
    let d = Dir::new();
    let env = [("TMPDIR", d.path().to_str().unwrap())];
    let list = run(&["demo", "--list"], &[], d.path()).stdout;
    let scenarios: Vec<&str> = list.lines().filter_map(|l| l.split_whitespace().next()).collect();
    assert!(scenarios.len() >= 20, "{scenarios:?}");
    let secrets = static_secrets();
    for scenario in &scenarios {
        for format in FORMATS {
            let support = d.file("support.md");
            let args = ["demo", "--scenario", scenario, "--format", format, "-v"];
            let mut all = args.to_vec();
            all.extend(["--support-report", support.to_str().unwrap()]);
            let r = run(&all, &env, d.path());
            let place = format!("{scenario} as {format}");
            assert!(r.code == 0 || r.code == 1, "{place}: exit {}: {}", r.code, r.stderr);
            assert!(r.stderr.contains(" -> "), "{place}: -v logs the exchanges");
            assert_clean(&r.stdout, &secrets, &format!("{place} stdout"));
            assert_clean(&r.stderr, &secrets, &format!("{place} stderr"));
            assert_clean(&std::fs::read_to_string(&support).unwrap(), &secrets, &format!("{place} support report"));
        }
    }
}

#[test]
fn no_token_or_grant_of_a_run_shows_in_any_format() {
    for era in [Era::Y2025, Era::Current] {
        let s = start_sim(Options { era, ..Options::default() });
        let mut outputs = Vec::new();
        for format in FORMATS {
            for extra in [&[][..], &["--org", "974760673"][..], &["--scope", "digdir:restricted"][..]] {
                let mut args = vec!["check", "--config", s.profile.as_str(), "--format", format, "-v"];
                args.extend_from_slice(extra);
                let r = run(&args, &s.env(), s.dir.path());
                outputs.push((format!("{era:?} {format} {extra:?}"), r.stdout, r.stderr));
            }
        }
        let mut secrets = static_secrets();
        secrets.extend(s.sim.state.credentials.lock().unwrap().iter().cloned());
        assert!(secrets.len() > 20, "the simulator saw the run's tokens and grants: {}", secrets.len());
        for (place, stdout, stderr) in &outputs {
            assert_clean(stdout, &secrets, &format!("{place} stdout"));
            assert_clean(stderr, &secrets, &format!("{place} stderr"));
        }
    }
}
