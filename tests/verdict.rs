//! A verdict you can trust: exit codes (0 ready, 1 finding, 2 usage, 3 could not check),
//! no credential sent where it should not go, bounded on any input. Each over real
//! sockets (the simulator, plain TCP servers on loopback) or real files (FIFOs, /dev/zero).

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use altinn_doctor::altinn::types::EXCHANGE_PATH;
use altinn_doctor::sim::pki::Purpose;
use altinn_doctor::sim::server::{Faults, Redirect};
use altinn_doctor::sim::world::{self, Options};
use altinn_doctor::vocab::Era;
use common::*;

fn era(era: Era) -> SimRun {
    start_sim(Options { era, ..Options::default() })
}

/// A certificate with its key and the CA that trusts it, in a folder.
fn good_cert() -> (Dir, String, String) {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &p.key2048);
    let cert = d.pem_bundle("c.pem", &p.buypass, &leaf, &p.key2048);
    let ca = d.ca(&p.buypass);
    (d, cert, ca)
}

// ---------------------------------------------------------------- exit codes

#[test]
fn an_unreachable_service_is_could_not_check_and_a_finding_wins_over_it() {
    let (d, cert, ca) = good_cert();
    let args = ["--cert", cert.as_str(), "--ca-file", &ca, "--client-id", "c", "--scope", "s"];
    let r = check_json(&args, &[], d.path());
    assert_eq!(r.code_of("mp.discovery"), "unreachable");
    assert_eq!(r.code, 3, "nothing wrong was found, but Maskinporten was not reached");
    assert_eq!(r.json()["verdict"], "could-not-check");
    assert_eq!(r.check("mp.discovery")["inconclusive"], true);
    let table = run(&["check", "--cert", &cert, "--ca-file", &ca, "--client-id", "c", "--scope", "s"], &[], d.path());
    assert_eq!(table.code, 3);
    assert!(table.stdout.trim_end().ends_with("(exit 3)."), "{}", table.stdout);
    assert!(
        table.stdout.contains("mp.discovery — Maskinporten reachable and its metadata as documented (could not check")
    );

    // The same with a definite problem (the wrong organisation): 1 wins over 3.
    let mut with_org = args.to_vec();
    with_org.extend(["--org", OTHER_ORG]);
    let r = check_json(&with_org, &[], d.path());
    assert_eq!(r.code_of("org.number"), "mismatch");
    assert_eq!((r.code, r.json()["verdict"].as_str().unwrap()), (1, "not-ready"));
}

#[test]
fn a_check_cut_off_by_the_deadline_fails_and_the_run_exits_3() {
    // The 2025 profile has the longest chain of calls that wait for each other: discovery,
    // token, exchange, login, role definitions, roles (six; 12 s at 2 s an answer).
    let s = era(Era::Y2025);
    // Each answer takes 2 s; each call may take a third of the 9 s deadline (3 s): every
    // call succeeds, and the chain outlasts the run.
    s.sim.set_faults(Faults { request_latency: Duration::from_millis(2000), ..Faults::default() });
    let r = s.check(&["--timeout", "9"]);
    let checks = r.json()["checks"].as_array().unwrap().clone();
    let cut: Vec<&serde_json::Value> = checks.iter().filter(|c| c["cause_code"] == "deadline-reached").collect();
    assert!(!cut.is_empty(), "a check was cut off: {}", r.stdout);
    for c in &cut {
        assert_eq!((c["status"].as_str(), c["inconclusive"].as_bool()), (Some("fail"), Some(true)), "{c}");
    }
    // Every check that did not pass says why: cut off, not started, or its dependency.
    for c in &checks {
        if c["status"] == "pass" {
            continue;
        }
        assert!(
            [
                "deadline-reached",
                "deadline-passed",
                "dependency-not-passed",
                "not-in-flow",
                "no-flow",
                "no-resource",
                "not-asked"
            ]
            .contains(&c["cause_code"].as_str().unwrap()),
            "{c}"
        );
    }
    assert_eq!((r.code, r.json()["verdict"].as_str().unwrap()), (3, "could-not-check"));
}

// ---------------------------------------------------------------- no private key

#[test]
fn a_certificate_without_its_key_fails_when_a_grant_is_asked_for() {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &p.key2048);
    let cert = d.write("public-half.cer.pem", format!("{}{}", leaf.pem, p.buypass.chain_pem()));
    let ca = d.ca(&p.buypass);
    let r =
        check_json(&["--cert", &cert, "--ca-file", &ca, "--client-id", "c", "--scope", "s", "--strict"], &[], d.path());
    assert_eq!((r.status("cert.key-match").as_str(), r.code_of("cert.key-match").as_str()), ("fail", "key-needed"));
    assert!(r.fix("cert.key-match").contains(".p12"), "{}", r.fix("cert.key-match"));
    assert_eq!(r.code, 1);
    // A certificate-only run may still skip it, and is ready.
    let r = check_json(&["--cert", &cert, "--ca-file", &ca, "--offline"], &[], d.path());
    assert_eq!((r.status("cert.key-match").as_str(), r.code_of("cert.key-match").as_str()), ("skip", "no-key"));
    assert_eq!(r.code, 0, "{}", r.stdout);
}

// ---------------------------------------------------------------- redirects

fn count(s: &SimRun, pred: impl Fn(&altinn_doctor::sim::server::Seen) -> bool) -> usize {
    s.sim.state.seen.lock().unwrap().iter().filter(|r| pred(r)).count()
}

#[test]
fn a_redirect_loop_on_the_exchange_gets_the_password_once_and_blames_no_credential() {
    let s = era(Era::Y2025);
    let back_to_itself = format!("{}{EXCHANGE_PATH}", s.sim.base_url);
    // The login alone redirected back to itself, as a loop.
    let login =
        Redirect { path: EXCHANGE_PATH.into(), status: 307, location: back_to_itself.clone(), login_only: true };
    s.sim.set_faults(Faults { redirect: Some(login), ..Faults::default() });
    let r = s.check(&["--flow", "enterprise-user"]);
    assert_eq!(r.code_of("altinn.enterprise-user"), "redirected", "{}", r.cause("altinn.enterprise-user"));
    assert!(r.cause("altinn.enterprise-user").contains(&back_to_itself));
    assert_eq!(count(&s, |q| q.enterprise_password), 1, "the password is sent once, never re-sent to a Location");
    assert_eq!(count(&s, |q| q.path == EXCHANGE_PATH), 2, "one exchange, one login: no request followed");
    assert_eq!(r.code, 1, "a redirect is a finding (a proxy or a wrong base URL)");
    // Every exchange redirected: the exchange says so, and no password is spent at all.
    let s = era(Era::Y2025);
    let all = Redirect { path: EXCHANGE_PATH.into(), status: 307, location: back_to_itself, login_only: false };
    s.sim.set_faults(Faults { redirect: Some(all), ..Faults::default() });
    let r = s.check(&["--flow", "enterprise-user"]);
    assert_eq!(r.code_of("altinn.exchange"), "redirected");
    assert_eq!(r.code_of("altinn.enterprise-user"), "dependency-not-passed");
    assert_eq!(count(&s, |q| q.enterprise_password), 0);
}

#[test]
fn a_redirect_on_token_does_not_re_post_the_grant() {
    let s = era(Era::Current);
    let elsewhere = "https://127.0.0.1:9/token".to_string();
    let redirect = Redirect { path: "/token".into(), status: 307, location: elsewhere.clone(), login_only: false };
    s.sim.set_faults(Faults { redirect: Some(redirect), ..Faults::default() });
    let r = s.check(&[]);
    assert_eq!(r.code_of("mp.token"), "redirected");
    assert!(r.cause("mp.token").contains(&elsewhere));
    assert_eq!(r.code_of("altinn.system-user"), "redirected");
    // Two grants (the organisation's, the system user's), each posted once.
    assert_eq!(count(&s, |q| q.path == "/token"), 2);
    assert_eq!(r.code, 1);
}

// ---------------------------------------------------------------- plain HTTP

#[test]
fn plain_http_endpoints_are_refused_unless_insecure_on_loopback() {
    let d = Dir::new();
    for flag in ["--platform-url", "--maskinporten-url", "--altinn-url"] {
        let r = check_json(&[flag, "http://127.0.0.1:9"], &[], d.path());
        assert_eq!(r.code, 2, "{flag}: {}", r.stderr);
        let key = flag.trim_start_matches("--").replace('-', "_");
        assert!(r.stderr.contains(&key) && r.stderr.contains("clear text"), "{}", r.stderr);
    }
    let r = check_json(&["--platform-url", "http://127.0.0.1:9", "--insecure-http", "--offline"], &[], d.path());
    assert_ne!(r.code, 2, "{}", r.stderr);
    let r = check_json(&["--platform-url", "http://altinn.example", "--insecure-http"], &[], d.path());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("loopback"), "{}", r.stderr);
}

// ---------------------------------------------------------------- not a token

#[test]
fn two_dots_are_not_a_token() {
    let s = era(Era::Current);
    s.sim.set_faults(Faults { exchange_answer: Some((200, "abc.def.ghi".into())), ..Faults::default() });
    let r = s.check(&["--flow", "system-user"]);
    assert_eq!(r.code_of("altinn.exchange"), "not-a-token");
    assert!(r.cause("altinn.exchange").contains("abc.def.ghi"), "{}", r.cause("altinn.exchange"));
    assert_eq!(r.code_of("altinn.system-user"), "not-a-token");
    assert_eq!(r.code, 1);
}

// ---------------------------------------------------------------- bounded reads

#[test]
fn endless_and_huge_answers_are_cut_at_their_cap() {
    let s = era(Era::Current);
    for faults in [
        Faults { endless_body: true, ..Faults::default() },
        Faults { huge_body: Some(200 * 1024 * 1024), ..Faults::default() },
    ] {
        s.sim.set_faults(faults);
        let r = s.check(&[]);
        assert_eq!(r.code_of("mp.discovery"), "too-large");
        assert!(r.cause("mp.discovery").contains("512 KiB"), "{}", r.cause("mp.discovery"));
        assert_eq!(r.code, 3);
    }
}

#[test]
fn dev_zero_as_crl_config_or_ca_file_is_refused_naming_the_cap() {
    let (d, cert, _) = good_cert();
    for (flag, cap) in [("--crl", "20 MiB"), ("--config", "1 MiB"), ("--ca-file", "4 MiB")] {
        let r = check_json(&["--cert", &cert, "--offline", flag, "/dev/zero"], &[], d.path());
        assert_eq!(r.code, 2, "{flag}: {}", r.stderr);
        assert!(r.stderr.contains("/dev/zero") && r.stderr.contains(cap), "{flag}: {}", r.stderr);
    }
}

#[test]
fn a_fifo_never_hangs_the_run() {
    let (d, cert, _) = good_cert();
    let fifo = d.file("fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let fifo = fifo.to_string_lossy().into_owned();
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, i32);
    let cases: Vec<Case> = vec![
        (vec!["--cert", &fifo, "--offline"], vec![], 1),
        (vec!["--cert", &cert, "--offline"], vec![("ALTINN_DOCTOR_CERT_PASSWORD_FILE", fifo.as_str())], 2),
        (vec!["--cert", &cert, "--offline", "--crl", &fifo], vec![], 2),
        (vec!["--offline", "--config", &fifo], vec![], 2),
    ];
    let d = &d;
    std::thread::scope(|scope| {
        for (args, env, code) in &cases {
            scope.spawn(move || {
                let r = check_json(args, env, d.path());
                assert_eq!(r.code, *code, "{args:?}: {}{}", r.stdout, r.stderr);
                assert!(r.stdout.contains("FIFO") || r.stderr.contains("FIFO"), "{args:?}: {}{}", r.stdout, r.stderr);
                if *code == 1 {
                    assert!(r.stdout.contains("\"no-answer\""), "a cause of its own: {}", r.stdout);
                }
            });
        }
    });
}

// ---------------------------------------------------------------- PKCS#12

fn load(path: &str, password: &str) -> Result<(), String> {
    let mut profile = altinn_doctor::config::Profile::defaults(now());
    profile.cert = Some(path.into());
    profile.secrets.cert_password = Some(altinn_doctor::vocab::Secret::new(password));
    altinn_doctor::certificate::load(&profile)
        .map(|_| ())
        .map_err(|e| serde_json::to_value(&e).unwrap()["code"].as_str().unwrap().to_string())
}

#[test]
fn a_damaged_pkcs12_is_not_blamed_on_the_right_password() {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &p.key2048);
    let file = d.pkcs12(
        "v.p12",
        P12 { chain: &p.buypass, leaf: &leaf, key: &p.key2048, extra: &[], password: "pw", legacy: false },
    );
    let good = std::fs::read(&file).unwrap();
    assert_eq!(load(&file, "pw"), Ok(()));
    assert_eq!(load(&file, "not-it"), Err("wrong-password".into()));
    // A byte of the MAC itself: the contents open with the password, so it is damage.
    let mut bad = good.clone();
    let mac = bad.len() - 20;
    bad[mac] ^= 0x40;
    let damaged = d.write("mac.p12", &bad);
    assert_eq!(load(&damaged, "pw"), Err("pkcs12-damaged".into()));
    // Single bytes damaged across the file, with the right password: mostly damage, and
    // never reported as readable.
    let positions: Vec<usize> = (0..40).map(|i| 40 + i * (good.len() - 80) / 40).collect();
    let mut wrong_password = 0;
    for pos in &positions {
        let mut bad = good.clone();
        bad[*pos] ^= 0x01;
        let path = d.write("bad.p12", &bad);
        match load(&path, "pw") {
            Err(code) if code == "wrong-password" => wrong_password += 1,
            _ => {}
        }
    }
    assert!(wrong_password * 4 < positions.len(), "{wrong_password} of {} blamed on the password", positions.len());
    // The wording of the ambiguous case says both.
    let r = check_json(&["--cert", &file, "--offline"], &[("ALTINN_DOCTOR_CERT_PASSWORD", "not-it")], d.path());
    assert!(r.cause("cert.readable").contains("or the file is damaged"), "{}", r.cause("cert.readable"));
}

#[test]
fn an_emoji_password_works_as_openssl_encodes_it() {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &p.key2048);
    let pw = "pass😀word";
    let file = d.pkcs12(
        "e.p12",
        P12 { chain: &p.buypass, leaf: &leaf, key: &p.key2048, extra: &[], password: pw, legacy: false },
    );
    assert_eq!(load(&file, pw), Ok(()));
    assert_eq!(load(&file, "pass😃word"), Err("wrong-password".into()));
    // The legacy ciphers derive their keys from a BMP-only encoding: said, not guessed.
    let legacy = d.pkcs12(
        "l.p12",
        P12 { chain: &p.buypass, leaf: &leaf, key: &p.key2048, extra: &[], password: pw, legacy: true },
    );
    assert_eq!(load(&legacy, pw), Err("pkcs12-unsupported".into()));
    let r = check_json(&["--cert", &legacy, "--offline"], &[("ALTINN_DOCTOR_CERT_PASSWORD", pw)], d.path());
    assert!(r.cause("cert.readable").contains("emoji"), "{}", r.cause("cert.readable"));
}

// ---------------------------------------------------------------- CRLs

#[test]
fn a_real_crl_of_a_look_alike_ca_is_not_trusted() {
    // The test PKI's CA is named like Buypass Test4 G2; the real Test4 CRL has its name
    // but not its key.
    let (d, cert, ca) = good_cert();
    let real = fixtures().join("crl/buypass-test4-ca-g2-st-business.crl");
    let r =
        check_json(&["--cert", &cert, "--ca-file", &ca, "--crl", real.to_str().unwrap(), "--offline"], &[], d.path());
    let code = r.code_of("cert.revocation");
    assert!(code == "crl-signature-invalid" || code == "crl-not-for-issuer", "{code}: {}", r.cause("cert.revocation"));
    assert_eq!(r.status("cert.revocation"), "fail");
    assert_eq!(r.code, 1);
}

#[test]
fn a_named_crl_file_that_is_missing_is_a_usage_error() {
    let (d, cert, ca) = good_cert();
    let r = check_json(&["--cert", &cert, "--ca-file", &ca, "--crl", "nowhere.crl", "--offline"], &[], d.path());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nowhere.crl") && r.stderr.contains("crl"), "{}", r.stderr);
}

// ---------------------------------------------------------------- credentials in URLs

#[test]
fn credentials_in_a_url_are_masked_everywhere() {
    let (d, cert, ca) = good_cert();
    let url = "https://someone:hunter2secret@127.0.0.1:9";
    let args =
        ["--cert", cert.as_str(), "--ca-file", &ca, "--client-id", "c", "--scope", "s", "--maskinporten-url", url];
    let r = check_json(&args, &[], d.path());
    let mut table_args = vec!["check"];
    table_args.extend(args);
    let t = run(&table_args, &[], d.path());
    let bad = run(&["check", "--maskinporten-url", "https://someone:hunter2secret@"], &[], d.path());
    for out in [&r.stdout, &r.stderr, &t.stdout, &t.stderr, &bad.stderr] {
        assert!(!out.contains("hunter2secret"), "{out}");
    }
    assert!(r.cause("mp.discovery").contains("***@127.0.0.1"), "{}", r.cause("mp.discovery"));
}

// ---------------------------------------------------------------- the simulator's files

#[cfg(unix)]
#[test]
fn the_simulator_writes_its_secrets_for_its_owner_alone() {
    use std::os::unix::fs::PermissionsExt;
    let s = era(Era::Y2025);
    let pki_dir = s.dir.file("pki");
    altinn_doctor::sim::world::World::load_or_generate(&pki_dir, now()).unwrap();
    for dir in [s.dir.path().to_path_buf(), pki_dir] {
        assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700, "{}", dir.display());
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let meta = entry.metadata().unwrap();
            if meta.is_file() {
                assert_eq!(meta.permissions().mode() & 0o077, 0, "{} is readable by others", entry.path().display());
            }
        }
    }
}

// ---------------------------------------------------------------- smaller misclassifications

#[test]
fn a_5xx_or_429_from_the_exchange_is_the_service_and_429_is_respected() {
    let s = era(Era::Current);
    s.sim.set_faults(Faults { exchange_answer: Some((503, "{}".into())), ..Faults::default() });
    let r = s.check(&[]);
    assert_eq!(r.code_of("altinn.exchange"), "server-error");
    assert_eq!(r.code, 3);

    // The enterprise user's login waits for the exchange: after its 429, the run leaves the
    // exchange alone, and the password is never sent.
    let s = era(Era::Y2025);
    s.sim.set_faults(Faults { exchange_answer: Some((429, "{}".into())), ..Faults::default() });
    let r = s.check(&["--flow", "enterprise-user"]);
    assert_eq!(r.code_of("altinn.exchange"), "rate-limited");
    assert!(r.cause("altinn.exchange").contains("120"), "{}", r.cause("altinn.exchange"));
    assert_eq!(count(&s, |q| q.path == EXCHANGE_PATH), 1, "the exchange is not called again within Retry-After");
    assert_eq!(count(&s, |q| q.enterprise_password), 0);
    assert_eq!(r.code, 3);
}

#[test]
fn an_api_key_with_a_control_character_is_a_configuration_error() {
    let d = Dir::new();
    let r = check_json(&["--offline"], &[("ALTINN_DOCTOR_API_KEY", "abc\r\ndef")], d.path());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("api_key") && r.stderr.contains("ALTINN_DOCTOR_API_KEY"), "{}", r.stderr);
    assert!(!r.stderr.contains("abc"), "the value is not shown");
}

#[test]
fn a_dead_proxy_is_named_not_maskinporten() {
    let s = era(Era::Current);
    let dead = format!("http://127.0.0.1:{}", TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port());
    let r = s.check_env(&[], &[("HTTPS_PROXY", &dead)]);
    assert_eq!(r.code_of("mp.discovery"), "proxy-unreachable", "{}", r.cause("mp.discovery"));
    assert!(r.cause("mp.discovery").contains(&dead), "{}", r.cause("mp.discovery"));
    assert_eq!(r.code, 3);
}

#[test]
fn an_https_url_that_answers_plain_http_says_so() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten().take(4) {
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    let d = Dir::new();
    let r = check_json(&["--maskinporten-url", &url], &[], d.path());
    assert_eq!(r.code_of("mp.discovery"), "plain-http", "{}", r.cause("mp.discovery"));
}

#[test]
fn a_pem_without_its_end_line_names_the_file_and_the_line() {
    let (d, _, _) = good_cert();
    let leaf = issue(&pki().buypass, &spec(Purpose::Authentication), &pki().key2048);
    let cut = &leaf.pem[..leaf.pem.find("-----END").unwrap()];
    let file = d.write("cut.pem", cut);
    let r = check_json(&["--cert", &file, "--offline"], &[], d.path());
    assert_eq!(r.code_of("cert.readable"), "pem-no-end");
    let cause = r.cause("cert.readable");
    assert!(cause.contains("cut.pem") && cause.contains("-----END CERTIFICATE-----"), "{cause}");
}

#[test]
fn a_timeout_written_as_a_float_is_read_or_named() {
    let d = Dir::new();
    d.write("a.toml", "timeout = 30.0\noffline = true\n");
    let r = check_json(&["--config", "a.toml"], &[], d.path());
    assert_ne!(r.code, 2, "{}", r.stderr);
    d.write("b.toml", "timeout = 30.5\noffline = true\n");
    let r = check_json(&["--config", "b.toml"], &[], d.path());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("whole number of seconds"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn a_variable_that_is_not_utf8_is_named() {
    use std::os::unix::ffi::OsStrExt;
    let d = Dir::new();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_altinn-doctor"))
        .args(["check", "--offline"])
        .current_dir(d.path())
        .env_clear()
        .env("ALTINN_DOCTOR_ENV", std::ffi::OsStr::from_bytes(b"pr\xffod"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ALTINN_DOCTOR_ENV"));
}

#[test]
fn the_simulator_answers_no_redirect_or_credential_leak_in_the_ok_run() {
    let s = era(Era::Y2025);
    let r = s.check(&[]);
    r.assert_all_pass();
    assert_eq!(r.json()["verdict"], "ready");
    assert_eq!(count(&s, |q| q.enterprise_password), 1);
    let _ = world::API_KEY;
}

#[test]
fn the_exit_code_table_is_the_same_in_the_readme_and_explain() {
    let table = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| ["| 0 |", "| 1 |", "| 2 |", "| 3 |"].iter().any(|code| l.starts_with(code)))
            .map(str::to_string)
            .collect()
    };
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let d = Dir::new();
    let explained = run(&["explain", "exit-codes"], &[], d.path());
    assert_eq!(explained.code, 0);
    let rows = table(&explained.stdout);
    assert_eq!(rows.len(), 4, "{rows:?}");
    for row in &rows {
        assert!(readme.contains(row.as_str()), "README lacks {row}");
    }
    let page = run(&["explain", "mp.token"], &[], d.path());
    assert!(page.stdout.contains("3 could not check"), "{}", page.stdout);
}
