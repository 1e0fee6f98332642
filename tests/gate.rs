//! The gate a pipeline trusts: settings that look set but would act otherwise (a
//! boolean spelt `TRUE`, an empty variable) stop the run with exit 2 and say so.

mod common;

use common::*;

/// A file whose top level is checkable offline and whose one profile is broken.
fn config_with_a_broken_profile(d: &Dir) -> String {
    let cert = fixtures().join("buypass-seid2-test4-auth-testvirksomhet.pem");
    d.write(
        "customers.toml",
        format!("cert = {:?}\noffline = true\n\n[profile.broken]\nenv = \"staging\"\n", cert.to_str().unwrap()),
    )
}

#[test]
fn every_spelling_of_true_checks_every_profile_and_an_unknown_one_is_usage() {
    let d = Dir::new();
    let config = config_with_a_broken_profile(&d);
    let alone = run(&["check", "--config", &config], &[], d.path());
    assert_ne!(alone.code, 2, "the top level alone reads: {}", alone.stderr);
    for spelling in ["TRUE", "True", "yes", "on", "1"] {
        let r = run(&["check", "--config", &config], &[("ALTINN_DOCTOR_ALL_PROFILES", spelling)], d.path());
        assert_eq!(r.code, 2, "{spelling}: the broken profile is checked and is the worst\n{}", r.stdout);
        assert!(r.stdout.contains("── profile broken ──"), "{spelling}: {}", r.stdout);
    }
    for spelling in ["off", "FALSE", "0", "no"] {
        let r = run(&["check", "--config", &config], &[("ALTINN_DOCTOR_ALL_PROFILES", spelling)], d.path());
        assert!(!r.stdout.contains("profile broken"), "{spelling}: {}", r.stdout);
    }
    for (value, says) in [("sure", "must be true or false"), ("", "is empty"), ("  ", "is empty")] {
        let r = run(&["check", "--config", &config], &[("ALTINN_DOCTOR_ALL_PROFILES", value)], d.path());
        assert_eq!(r.code, 2, "`{value}`: {}", r.stdout);
        assert!(r.stderr.contains("ALTINN_DOCTOR_ALL_PROFILES") && r.stderr.contains(says), "`{value}`: {}", r.stderr);
        assert!(r.stdout.is_empty(), "no report when the run was not what was asked: {}", r.stdout);
    }
}

#[test]
fn an_empty_variable_is_a_usage_error_that_names_it() {
    let d = Dir::new();
    let config = config_with_a_broken_profile(&d);
    let cases = [
        ("ALTINN_DOCTOR_ENTERPRISE_PASSWORD", ""),
        ("ALTINN_DOCTOR_API_KEY", ""),
        ("ALTINN_DOCTOR_CERT_PASSWORD", ""),
        ("ALTINN_DOCTOR_REQUIRE_ACCESS_PACKAGE", ""),
        ("ALTINN_DOCTOR_REQUIRE_ACCESS_PACKAGE", " , "),
        ("ALTINN_DOCTOR_REQUIRE_ROLE", " "),
        ("ALTINN_DOCTOR_SCOPE", ""),
        ("ALTINN_DOCTOR_CA_FILE", ""),
        ("ALTINN_DOCTOR_CRL", ""),
        ("ALTINN_DOCTOR_STRICT", ""),
        ("ALTINN_DOCTOR_ENTERPRISE_PASSWORD_FILE", ""),
    ];
    for (var, value) in cases {
        let r = run(&["check", "--config", &config], &[(var, value)], d.path());
        assert_eq!(r.code, 2, "{var}=`{value}`: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(var) && r.stderr.contains("is empty"), "{var}: {}", r.stderr);
    }
    let empty = d.write("password", "\n");
    let r = run(&["check", "--config", &config], &[("ALTINN_DOCTOR_ENTERPRISE_PASSWORD_FILE", &empty)], d.path());
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("password") && r.stderr.contains("is empty"), "{}", r.stderr);
}

#[test]
fn an_empty_value_in_the_file_is_a_usage_error_too() {
    let d = Dir::new();
    let config = d.write("p.toml", "enterprise_password = \"\"\nrequire_access_package = \"\"\n");
    let r = run(&["check", "--config", &config], &[], d.path());
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("is empty"), "{}", r.stderr);
}

#[test]
fn the_ca_file_variable_is_read() {
    // `ALTINN_DOCTOR_CA_FILE` ends in `_FILE` like a secret's file variable, and was once
    // taken for one and never read.
    let d = Dir::new();
    let config = config_with_a_broken_profile(&d);
    let missing = d.file("missing-ca.pem");
    let r = run(&["check", "--config", &config], &[("ALTINN_DOCTOR_CA_FILE", missing.to_str().unwrap())], d.path());
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("missing-ca.pem") && r.stderr.contains("no such file"), "{}", r.stderr);
}

// ------------------------------------------------ unjudged checks: exit 3 unless proven

use altinn_doctor::sim::server::Faults;
use altinn_doctor::sim::world::{self, Options};

/// A CRL of the simulator's CA whose next update has passed: usable by no one.
fn stale_crl(s: &SimRun) -> String {
    let old = world().ca.crl(&[], now() - time::Duration::days(10), now() - time::Duration::days(3)).unwrap();
    s.dir.write("stale.crl", old)
}

#[test]
fn an_unusable_crl_is_exit_3_unless_maskinporten_accepted_the_certificate() {
    let s = start_sim(Options::default());
    let stale = stale_crl(&s);
    let r = s.check(&["--crl", &stale]);
    assert_eq!((r.status("cert.revocation").as_str(), r.code_of("cert.revocation").as_str()), ("warn", "stale"));
    assert_eq!(r.check("cert.revocation")["inconclusive"], true);
    assert_eq!(r.check("cert.revocation")["proven_by"], "mp.token", "the token proves the certificate");
    assert_eq!(r.code, 0, "{}", r.stdout);
    let table = run(&["check", "--config", &s.profile, "--crl", &stale], &s.env(), s.dir.path());
    assert_eq!(table.code, 0);
    assert!(table.stdout.contains("(proven by"), "{}", table.stdout);
    assert!(table.stdout.contains("but mp.token passed, which proves the same point"), "{}", table.stdout);

    // Without the token, nothing proves it: could not check, in every format.
    let r = s.check(&["--crl", &stale, "--only", "cert.revocation"]);
    assert_eq!(r.code, 3, "{}", r.stdout);
    assert_eq!(r.json()["verdict"], "could-not-check");
    assert!(r.check("cert.revocation").get("proven_by").is_none());
    let junit = run(
        &["check", "--config", &s.profile, "--crl", &stale, "--only", "cert.revocation", "--format", "junit"],
        &s.env(),
        s.dir.path(),
    );
    assert_eq!(junit.code, 3);
    assert!(junit.stdout.contains("<error") && junit.stdout.contains("errors=\"1\""), "{}", junit.stdout);
    let gh = run(
        &["check", "--config", &s.profile, "--crl", &stale, "--only", "cert.revocation", "--format", "github"],
        &s.env(),
        s.dir.path(),
    );
    assert_eq!(gh.code, 3);
    assert!(gh.stdout.contains("::warning title=cert.revocation::") && gh.stdout.contains("could not check"));

    // A client with a registered key sends no certificate: its token proves nothing of it.
    let key = s.dir.file("312345676.pem");
    let kid = ["--client-id", world::KEY_CLIENT, "--kid", world::KEY_ID, "--key", key.to_str().unwrap()];
    let r = s.check(&[&kid[..], &["--crl", &stale, "--only", "cert.revocation,mp.token"]].concat());
    assert_eq!(r.status("mp.token"), "pass", "{}", r.cause("mp.token"));
    assert!(r.check("cert.revocation").get("proven_by").is_none());
    assert_eq!(r.code, 3, "{}", r.stdout);
}

#[test]
fn a_crl_that_cannot_be_fetched_is_exit_3_whatever_the_reason() {
    // Each server answers the CRL fetch in its own broken way; no token is asked for.
    let answers: [(&str, &[u8], &str); 4] = [
        ("404", b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", "unreachable"),
        (
            "redirect",
            b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/x.crl\r\nContent-Length: 0\r\n\r\n",
            "unreachable",
        ),
        ("garbage", b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot a crl", "not-a-crl"),
        (
            "too large",
            b"HTTP/1.1 200 OK\r\nContent-Length: 900000000\r\nConnection: close\r\n\r\n0000",
            "crl-too-large",
        ),
    ];
    for (what, answer, code) in answers {
        let r = crl_served_by(Some(answer), &[]);
        assert_eq!(r.status("cert.revocation"), "warn", "{what}: {}", r.cause("cert.revocation"));
        assert_eq!(r.code_of("cert.revocation"), code, "{what}: {}", r.cause("cert.revocation"));
        assert_eq!(r.code, 3, "{what}: {}", r.stdout);
    }
    let large = crl_served_by(Some(answers[3].1), &[]);
    assert!(large.cause("cert.revocation").contains("larger than the 20 MiB"), "{}", large.cause("cert.revocation"));
    let slow = crl_served_by(None, &["--timeout", "3"]);
    assert_eq!(slow.status("cert.revocation"), "warn", "{}", slow.cause("cert.revocation"));
    assert_eq!(slow.code, 3);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let r = crl_at(&format!("http://127.0.0.1:{closed}/ca.crl"), &[]);
    assert_eq!(r.code, 3, "a closed port: {}", r.stdout);
}

#[test]
fn a_crl_behind_a_proxy_that_hangs_or_wants_credentials_names_the_proxy() {
    use std::io::{Read, Write};
    let hangs = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hangs_url = format!("http://{}", hangs.local_addr().unwrap());
    let wants = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let wants_url = format!("http://{}", wants.local_addr().unwrap());
    std::thread::spawn(move || {
        let held: Vec<_> = hangs.incoming().take(1).collect();
        std::thread::sleep(std::time::Duration::from_secs(6));
        drop(held);
    });
    std::thread::spawn(move || {
        let Some(Ok(mut stream)) = wants.incoming().next() else { return };
        let _ = stream.read(&mut [0u8; 4096]);
        let _ = stream.write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    });
    let crl = "http://crl.example.invalid/ca.crl";
    let r = crl_at_env(crl, &["--timeout", "2"], &[("HTTP_PROXY", &hangs_url)]);
    assert_eq!(r.code_of("cert.revocation"), "proxy-failed", "{}", r.cause("cert.revocation"));
    assert!(r.cause("cert.revocation").contains(&hangs_url), "{}", r.cause("cert.revocation"));
    assert_eq!(r.code, 3);
    let r = crl_at_env(crl, &[], &[("HTTP_PROXY", &wants_url)]);
    assert_eq!(r.code_of("cert.revocation"), "proxy-auth-required", "{}", r.cause("cert.revocation"));
    assert!(r.cause("cert.revocation").contains("407") && r.cause("cert.revocation").contains(&wants_url));
    assert_eq!(r.code, 3);
}

/// A certificate whose CRL is served by a one-shot server that answers `answer` (or
/// never answers), checked offline of Maskinporten (`--only cert.revocation`).
fn crl_served_by(answer: Option<&'static [u8]>, extra: &[&str]) -> Run {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/ca.crl", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let Some(Ok(mut stream)) = listener.incoming().next() else { return };
        let mut buf = [0u8; 4096];
        let _ = stream.read(&mut buf);
        match answer {
            Some(bytes) => drop(stream.write_all(bytes)),
            None => std::thread::sleep(std::time::Duration::from_secs(5)),
        }
    });
    crl_at(&url, extra)
}

fn crl_at(url: &str, extra: &[&str]) -> Run {
    crl_at_env(url, extra, &[])
}

fn crl_at_env(url: &str, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let p = pki();
    let d = Dir::new();
    let mut s = spec(altinn_doctor::sim::pki::Purpose::Authentication);
    s.crl_url = Some(url.to_string());
    let leaf = issue(&p.buypass, &s, &p.key2048);
    let cert = d.pem_bundle("c.pem", &p.buypass, &leaf, &p.key2048);
    let ca = d.ca(&p.buypass);
    let mut args = vec!["--cert", cert.as_str(), "--ca-file", ca.as_str(), "--only", "cert.revocation"];
    args.extend_from_slice(extra);
    check_json(&args, env, d.path())
}

#[test]
fn keys_that_cannot_be_fetched_are_exit_3_unless_altinn_exchanged_the_token() {
    let s = start_sim(Options::default());
    let away = altinn_doctor::sim::server::Redirect {
        path: "/jwk".into(),
        status: 302,
        location: "https://127.0.0.1:9/jwk".into(),
        login_only: false,
    };
    s.sim.set_faults(Faults { redirect: Some(away), ..Faults::default() });
    let r = s.check(&[]);
    assert_eq!(r.code_of("mp.token-claims"), "not-verified");
    assert_eq!(r.check("mp.token-claims")["proven_by"], "altinn.exchange");
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = s.check(&["--only", "mp.token-claims"]);
    assert_eq!(r.code_of("mp.token-claims"), "not-verified");
    assert_eq!(r.code, 3, "the exchange did not run: {}", r.stdout);
}

#[test]
fn a_clock_without_a_date_is_exit_3_unless_maskinporten_accepted_the_grant() {
    let s = start_sim(Options::default());
    s.sim.set_faults(Faults { no_date: true, ..Faults::default() });
    let r = s.check(&[]);
    assert_eq!(r.code_of("mp.clock"), "no-date");
    assert_eq!(r.check("mp.clock")["proven_by"], "mp.token");
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = s.check(&["--only", "mp.clock"]);
    assert_eq!(r.code_of("mp.clock"), "no-date");
    assert_eq!(r.code, 3, "{}", r.stdout);
}

// ------------------------------------------------ one enterprise-user login per run

use altinn_doctor::vocab::Era;

/// How many logins (exchanges with the enterprise-user header) the simulator received.
fn logins_sent(s: &SimRun) -> usize {
    s.sim.state.seen.lock().unwrap().iter().filter(|q| q.enterprise_password).count()
}

/// The 2025 profile with `profiles` appended, checked with `--all-profiles`.
fn all_profiles(s: &SimRun, profiles: &str, password_file: &str, jobs: &str) -> Run {
    let text = std::fs::read_to_string(&s.profile).unwrap().replace("\"enterprise-password\"", password_file);
    let config = s.dir.write("customers.toml", format!("{text}\n{profiles}"));
    let args = ["check", "--config", &config, "--all-profiles", "--format", "json", "--jobs", jobs];
    run(&args, &s.env(), s.dir.path())
}

fn login_codes(r: &Run) -> Vec<String> {
    let v = r.json();
    let mut codes: Vec<String> = v["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let checks = p["report"]["checks"].as_array().unwrap();
            let c = checks.iter().find(|c| c["id"] == "altinn.enterprise-user").unwrap();
            c["cause_code"].as_str().unwrap().to_string()
        })
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn all_profiles_send_each_enterprise_login_once_and_a_failed_user_nothing_more() {
    let twelve: String = (0..12).map(|i| format!("[profile.customer-{i:02}]\n")).collect();

    // Twelve profiles inherit one wrong password: one login is sent, not twelve.
    let s = start_sim(Options { era: Era::Y2025, ..Options::default() });
    s.dir.write("wrong-password", "Feil-Passord-9\n");
    let r = all_profiles(&s, &twelve, "\"wrong-password\"", "4");
    assert_eq!(logins_sent(&s), 1, "{}", r.stdout);
    assert_eq!(login_codes(&r), ["refused-before", "wrong-user-or-password"]);
    assert_eq!(r.code, 1);

    // The right password: one login, its token reused, every profile ready.
    let s = start_sim(Options { era: Era::Y2025, ..Options::default() });
    let r = all_profiles(&s, &twelve, "\"enterprise-password\"", "4");
    assert_eq!(logins_sent(&s), 1, "{}", r.stdout);
    assert_eq!(login_codes(&r), ["logged-in", "logged-in-before"]);
    assert_eq!(r.code, 0, "{}", r.stdout);

    // After a failure, another password for the same user is not tried: could not check.
    let s = start_sim(Options { era: Era::Y2025, ..Options::default() });
    s.dir.write("wrong-password", "Feil-Passord-9\n");
    let later = "[profile.b-own-password]\nenterprise_password_file = \"enterprise-password\"\n";
    let r = all_profiles(&s, &format!("[profile.a-inherits]\n{later}"), "\"wrong-password\"", "1");
    assert_eq!(logins_sent(&s), 1, "{}", r.stdout);
    assert_eq!(login_codes(&r), ["not-retried", "wrong-user-or-password"]);
    let v = r.json();
    let second = &v["profiles"][1];
    assert_eq!(second["name"], "b-own-password");
    assert_eq!(second["exit_code"], 3, "not tried is not judged: {second}");
}

// ------------------------------------------------ a flow asked for but not checkable

#[test]
fn the_system_user_flow_without_its_organisation_is_a_finding_not_a_pass() {
    let d = Dir::new();
    let cert = fixtures().join("buypass-seid2-test4-auth-testvirksomhet.pem");
    let cert = cert.to_str().unwrap();
    for asked in [&["--flow", "system-user"][..], &["--flow", "both"], &["--require-access-package", "skattegrunnlag"]]
    {
        let mut args = vec!["--cert", cert, "--offline", "--strict"];
        args.extend_from_slice(asked);
        let r = check_json(&args, &[], d.path());
        assert_eq!(r.code_of("altinn.system-user"), "no-customer", "{asked:?}");
        assert_eq!(r.status("altinn.system-user"), "fail", "{asked:?}");
        assert_eq!(r.code, 1, "{asked:?}: {}", r.stdout);
    }
}

#[test]
fn a_broken_profile_is_an_error_annotation_and_a_junit_error() {
    let d = Dir::new();
    let config = config_with_a_broken_profile(&d);
    let gh = run(&["check", "--config", &config, "--all-profiles", "--format", "github"], &[], d.path());
    assert_eq!(gh.code, 2);
    let line = gh.stdout.lines().find(|l| l.starts_with("::error title=profile broken::"));
    let line = line.unwrap_or_else(|| panic!("no annotation for the broken profile:\n{}", gh.stdout));
    assert!(line.contains("must be `test` or `prod`"), "{line}");
    let junit = run(&["check", "--config", &config, "--all-profiles", "--format", "junit"], &[], d.path());
    assert_eq!(junit.code, 2);
    assert!(
        junit.stdout.contains("type=\"configuration\"") && junit.stdout.contains("errors=\"1\""),
        "{}",
        junit.stdout
    );
}

#[test]
fn token_refuses_report_files_it_would_not_write() {
    let d = Dir::new();
    let config = config_with_a_broken_profile(&d);
    for flag in ["--output", "--support-report"] {
        let file = d.file("report.txt");
        let r = run(&["token", "--config", &config, flag, file.to_str().unwrap()], &[], d.path());
        assert_eq!(r.code, 2, "{flag}: {}", r.stderr);
        assert!(r.stderr.contains(flag) && r.stderr.contains("is not used by `token`"), "{}", r.stderr);
        assert!(r.stdout.is_empty() && !file.exists());
    }
}

#[test]
fn a_clock_offset_beyond_any_date_is_refused_not_taken_as_zero() {
    let d = Dir::new();
    let dir = d.file("sim");
    let max = i64::MAX.to_string();
    let r = run(&["simulate", "--dir", dir.to_str().unwrap(), "--clock-offset-s", &max], &[], d.path());
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--clock-offset-s"), "{}", r.stderr);
}

#[test]
fn a_top_level_profile_key_is_refused_not_ignored() {
    let d = Dir::new();
    let config = d.write("p.toml", "profile = \"customer\"\noffline = true\n");
    let r = run(&["check", "--config", &config], &[], d.path());
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("`profile`") && r.stderr.contains("--profile NAME"), "{}", r.stderr);
}

// ------------------------------------------------ report files

#[cfg(unix)]
#[test]
fn a_report_file_replaces_a_symlink_never_its_target_and_never_an_input() {
    use std::os::unix::fs::PermissionsExt;
    let d = Dir::new();
    let config = config_with_a_broken_profile(&d);
    let target = d.write("precious.txt", "keep me");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    let link = d.file("report.txt");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let r = run(&["check", "--config", &config, "--output", link.to_str().unwrap()], &[], d.path());
    assert_ne!(r.code, 2, "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me", "the link's target is untouched");
    assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o644);
    let meta = std::fs::symlink_metadata(&link).unwrap();
    assert!(meta.is_file(), "the link itself is replaced by the report");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert!(std::fs::read_to_string(&link).unwrap().contains("cert.readable"));

    let cert = fixtures().join("buypass-seid2-test4-auth-testvirksomhet.pem");
    let copy = d.write("cert.pem", std::fs::read(&cert).unwrap());
    // Neither `--report` nor the report of a usage error ever replaces an input.
    let report = format!("markdown={copy}");
    for extra in [&["--report", report.as_str()][..], &["--env", "staging", "--output", copy.as_str()][..]] {
        let mut args = vec!["check", "--config", config.as_str(), "--cert", copy.as_str()];
        args.extend_from_slice(extra);
        let r = run(&args, &[], d.path());
        assert_eq!(r.code, 2, "{extra:?}: {}", r.stdout);
        assert_eq!(
            std::fs::read(&copy).unwrap(),
            std::fs::read(&cert).unwrap(),
            "{extra:?}: the certificate is intact"
        );
    }
    for flag in ["--output", "--support-report"] {
        let r = run(&["check", "--config", &config, "--cert", &copy, flag, &copy], &[], d.path());
        assert_eq!(r.code, 2, "{flag}: {}", r.stdout);
        assert!(r.stderr.contains(flag) && r.stderr.contains("which this run reads"), "{}", r.stderr);
        assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&cert).unwrap(), "the certificate is intact");
        let r = run(&["check", "--config", &config, flag, &config], &[], d.path());
        assert_eq!(r.code, 2, "{flag} = --config: {}", r.stdout);
        let password = d.write("password.txt", "secret-password\n");
        let env = [("ALTINN_DOCTOR_ENTERPRISE_PASSWORD_FILE", password.as_str())];
        let r = run(&["check", "--config", &config, flag, &password], &env, d.path());
        assert_eq!(r.code, 2, "{flag} = a secret's _FILE: {}", r.stdout);
        assert!(r.stderr.contains("which this run reads"), "{}", r.stderr);
        assert_eq!(std::fs::read_to_string(&password).unwrap(), "secret-password\n", "the secret file is intact");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_report_that_cannot_be_written_is_not_a_success() {
    let d = Dir::new();
    let config = config_with_a_broken_profile(&d);
    let r = run(&["check", "--config", &config, "--output", "/dev/full"], &[], d.path());
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("/dev/full"), "{}", r.stderr);
}

/// Stdout that refuses the report (a full disk) is exit 2, never the verdict's 0; a reader
/// that stopped reading (`| head`) is not an error.
#[cfg(target_os = "linux")]
#[test]
fn stdout_that_cannot_take_the_report_is_not_a_success() {
    use std::process::{Command, Stdio};
    let bin = env!("CARGO_BIN_EXE_altinn-doctor");
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = Command::new(bin).args(["explain", "mp.token"]).stdout(full).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("stdout"), "the error names stdout: {stderr}");

    let mut child =
        Command::new(bin).args(["explain", "mp.token"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "a closed pipe: {}", String::from_utf8_lossy(&out.stderr));
}

/// A profile name with a line feed or a `|` keeps the summary table one row a profile,
/// each row as many cells as the header.
#[test]
fn a_profile_name_cannot_break_the_summary_table() {
    let d = Dir::new();
    let cert = fixtures().join("buypass-seid2-test4-auth-testvirksomhet.pem");
    let config = d.write(
        "customers.toml",
        format!("cert = {:?}\noffline = true\n\n[profile.\"a|b\\nc ::error::x\"]\n", cert.to_str().unwrap()),
    );
    let r = run(&["check", "--config", &config, "--all-profiles"], &[], d.path());
    assert_ne!(r.code, 2, "{}", r.stderr);
    let cells = |line: &str| line.replace("\\|", "").matches('|').count();
    let table: Vec<&str> = r.stdout.lines().take_while(|l| l.starts_with('|')).collect();
    assert_eq!(table.len(), 3, "header, rule and the profile:\n{}", r.stdout);
    assert!(table.iter().all(|l| cells(l) == cells(table[0])), "every row as wide as the header:\n{}", r.stdout);
    assert!(table[2].contains("a\\|b c :-:error:-:x"), "the name, shown harmless: {}", table[2]);
}
