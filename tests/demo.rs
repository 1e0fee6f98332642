//! `demo`: every scenario runs with nothing configured and exits as `check` would.

mod common;

use common::*;

/// Who acts in the scenarios where it matters most: the customer approves, the API's
/// owner grants its scope, the vendor adds the vendor scopes.
const WHO: &[(&str, &str)] = &[
    ("system-user-not-approved", "customer"),
    ("missing-scope", "api-owner"),
    ("vendor-scopes-missing", "vendor"),
    ("expired-cert", "administrator"),
    ("unknown-client", "developer"),
    ("resource-not-granted", "customer"),
];

#[test]
fn every_scenario_shows_its_finding() {
    let d = Dir::new();
    let tmp = Dir::new();
    let env = [("TMPDIR", tmp.path().to_str().unwrap())];
    let cases = [
        ("ok", 0, None),
        // The root cause; mp.token's certificate-expired is tied to it (caused_by).
        ("expired-cert", 1, Some(("cert.validity", "expired"))),
        ("signing-cert", 1, Some(("cert.role", "wrong-role"))),
        ("test-cert-in-prod", 1, Some(("cert.issuer", "env-mismatch"))),
        ("wrong-org", 1, Some(("org.number", "mismatch"))),
        ("unknown-client", 1, Some(("mp.token", "client-not-found"))),
        ("missing-scope", 1, Some(("mp.token", "scope-owned-by"))),
        ("clock-skew", 1, Some(("mp.clock", "ahead"))),
        ("wrong-api-key", 1, Some(("altinn.api-key", "unknown-key"))),
        ("wrong-password", 1, Some(("altinn.enterprise-user", "wrong-user-or-password"))),
        ("missing-role", 1, Some(("altinn.roles", "missing-role"))),
        ("enterprise-user-gone", 1, Some(("altinn.enterprise-user", "gone"))),
        ("system-user-ok", 0, None),
        ("system-user-not-approved", 1, Some(("altinn.system-user", "not-approved"))),
        ("system-user-missing-ref", 1, Some(("altinn.system-user", "external-ref-missing"))),
        ("missing-access-package", 1, Some(("altinn.system-user-rights", "missing-package"))),
        ("system-user-timed-out", 1, Some(("altinn.system-user", "request-timed-out"))),
        ("vendor-scopes-missing", 1, Some(("altinn.system-user", "vendor-scopes-missing"))),
        ("agent-system-user-ok", 0, None),
        ("agent-client-org", 1, Some(("altinn.system-user", "not-a-facilitator"))),
        ("rights-as-codes", 0, None),
        ("accountant-no-clients", 1, Some(("altinn.system-user-rights", "no-clients"))),
        ("rights-scope-missing", 1, Some(("altinn.system-user-rights", "scope-missing"))),
        ("system-deleted", 1, Some(("altinn.system-user", "system-deleted"))),
        ("change-request-pending", 1, Some(("altinn.system-user-rights", "change-request-pending"))),
        ("resource-not-granted", 1, Some(("altinn.system-user-rights", "resource-not-granted"))),
        ("resource-level-4", 1, Some(("altinn.resource", "level-too-high"))),
        ("correspondence-no-access", 1, Some(("altinn.probe.correspondence", "no-access"))),
    ];
    for (name, code, finding) in cases {
        let r = run(&["demo", "--scenario", name, "--format", "json"], &env, d.path());
        assert_eq!(r.code, code, "{name}: {}", r.stdout);
        match finding {
            Some((id, cause)) => {
                assert_eq!(r.code_of(id), cause, "{name}");
                let expected = WHO.iter().find(|(n, _)| *n == name).map(|(_, w)| *w);
                if let Some(who) = expected {
                    assert_eq!(r.check(id)["who"], who, "{name}");
                }
                assert_eq!(r.status(id), "fail", "{name}");
                assert!(!r.fix(id).is_empty(), "{name}: a fix");
            }
            None => r.assert_all_pass(),
        }
        assert!(r.stderr.contains(name), "the banner names the scenario");
        // Who acts, on every finding that is not another's consequence.
        let roles = ["developer", "administrator", "vendor", "customer", "api-owner", "digdir", "servicedesk"];
        for c in r.json()["checks"].as_array().unwrap() {
            let finding = c["status"] == "fail" || c["status"] == "warn";
            match (finding, c.get("caused_by"), c.get("who").and_then(|w| w.as_str())) {
                (true, None, Some(who)) => assert!(roles.contains(&who), "{name}: {c}"),
                (true, Some(_), None) | (false, None, None) => {}
                _ => panic!("{name}: who on a finding without caused_by, and only there: {c}"),
            }
        }
    }
    // Dialogporten's empty list is a warning, not a failure: ready, with the reason said.
    let r = run(&["demo", "--scenario", "dialogporten-empty", "--format", "json"], &env, d.path());
    assert_eq!((r.code, r.status("altinn.probe.dialogporten")), (0, "warn".into()), "{}", r.stdout);
    assert_eq!(r.code_of("altinn.probe.dialogporten"), "empty-list");
    // A key client with its private JWK and no certificate gets its token and its system user.
    let r = run(&["demo", "--scenario", "jwk-key-client", "--format", "json"], &env, d.path());
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.fact("mp.token-claims", "client_amr"), "private_key_jwt");
    assert_eq!(r.status("altinn.system-user"), "pass");
    // The demo worked in TMPDIR and left nothing there.
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
    assert!(left.is_empty(), "demo left {left:?}");
}

#[test]
fn list_and_unknown_scenario() {
    let d = Dir::new();
    let r = run(&["demo", "--list"], &[], d.path());
    assert!(r.stdout.contains("ok") && r.stdout.contains("wrong-org"));
    let r = run(&["demo", "--scenario", "nope"], &[], d.path());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("expired-cert"));
}

/// Interrupted (Ctrl-C, SIGTERM), the demo removes its temporary folder and exits as
/// the signal would.
#[cfg(unix)]
#[test]
fn an_interrupted_demo_leaves_no_folder_behind() {
    for (signal, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        let tmp = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_altinn-doctor"))
            .arg("demo")
            .env("TMPDIR", tmp.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        while std::fs::read_dir(tmp.path()).unwrap().next().is_none() {
            assert!(started.elapsed() < std::time::Duration::from_secs(20), "the demo made no folder");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        // SAFETY: a signal to our own child, which has not been waited for.
        assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
        let status = child.wait().unwrap();
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().path()).collect();
        assert!(left.is_empty(), "signal {signal}: left behind {left:?}");
        assert_eq!(status.code(), Some(code), "signal {signal}");
    }
}

/// With no scenario the demo shows today's Altinn (a system user), and takes `check`'s
/// output flags.
#[test]
fn the_default_demo_is_today_s_and_takes_the_output_flags() {
    let d = Dir::new();
    let r = run(&["demo", "--format", "json"], &[], d.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("system-user-ok"), "{}", r.stderr);
    assert_eq!(r.status("altinn.system-user"), "pass");
    assert_eq!(r.code_of("altinn.enterprise-user"), "not-in-flow");
    let r = run(&["demo", "-q", "--color", "never"], &[], d.path());
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    let r = run(&["demo", "--scenario", "dialogporten-empty", "--strict", "-q"], &[], d.path());
    assert_eq!(r.code, 1, "--strict counts the warning: {}", r.stdout);
    let r = run(&["demo", "--color", "sometimes"], &[], d.path());
    assert_eq!(r.code, 2);
}
