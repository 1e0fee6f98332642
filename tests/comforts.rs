//! The comforts: `-q`, `-v`, `--color`, shell completions and the man page.

mod common;

use altinn_doctor::sim::world::{self, Options};
use common::*;

#[test]
fn verbose_logs_each_exchange_and_no_secret() {
    let s = start_sim(Options { era: altinn_doctor::vocab::Era::Y2025, ..Options::default() });
    let args = ["check", "--config", s.profile.as_str(), "-v"];
    let r = run(&args, &s.env(), s.dir.path());
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let log: Vec<&str> = r.stderr.lines().filter(|l| l.contains(" -> ")).collect();
    let base = &s.sim.base_url;
    for wanted in [
        format!("GET {base}/.well-known/oauth-authorization-server -> 200 OK"),
        format!("POST {base}/token -> 200 OK"),
        format!("GET {base}/authentication/api/v1/exchange/maskinporten -> 200 OK"),
        format!("GET {base}/api/my/authorization/roles -> 200 OK"),
    ] {
        assert!(log.iter().any(|l| l.contains(&wanted)), "`{wanted}` in the log:\n{}", r.stderr);
    }
    assert!(log.iter().all(|l| l.ends_with(")") || l.contains(" trace_id ")), "a time on each line");
    for secret in [world::API_KEY, world::ENTERPRISE_PASSWORD, world::SIM_PASSWORD, "Bearer", "eyJ"] {
        assert!(!r.stderr.contains(secret), "`{secret}` in the -v log:\n{}", r.stderr);
    }
    let refused =
        run(&["check", "--config", s.profile.as_str(), "-v", "--scope", "digdir:restricted"], &s.env(), s.dir.path());
    assert!(
        refused.stderr.lines().any(|l| l.contains("/token -> 403 Forbidden") && l.contains(" trace_id ")),
        "a refusal's trace id: {}",
        refused.stderr
    );
}

#[test]
fn quiet_prints_the_verdict_line_only() {
    let s = start_sim(Options::default());
    let r = run(&["check", "--config", s.profile.as_str(), "-q"], &s.env(), s.dir.path());
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    assert!(r.stdout.contains("checks:") && r.stdout.contains("Ready"), "{}", r.stdout);
    let bad = run(&["check", "--config", s.profile.as_str(), "-q", "--org", "974760673"], &s.env(), s.dir.path());
    assert_eq!(bad.code, 1);
    assert!(
        bad.stdout.trim().starts_with(&format!("{} checks", altinn_doctor::registry::ids().len()))
            && bad.stdout.contains("Not ready"),
        "{}",
        bad.stdout
    );
}

#[test]
fn colour_follows_the_flag_and_the_conventions() {
    let d = Dir::new();
    let cert = fixtures().join("buypass-seid2-test4-auth-testvirksomhet.pem");
    let cert = cert.to_str().unwrap();
    let esc = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["check", "--cert", cert, "--offline"];
        all.extend_from_slice(args);
        run(&all, env, d.path()).stdout.contains('\u{1b}')
    };
    assert!(!esc(&[], &[]), "auto, not a terminal: no colour");
    assert!(esc(&["--color", "always"], &[]), "always");
    assert!(!esc(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]), "never beats CLICOLOR_FORCE");
    assert!(esc(&[], &[("CLICOLOR_FORCE", "1")]), "CLICOLOR_FORCE forces it when auto");
    assert!(!esc(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]), "NO_COLOR wins");
    assert!(!esc(&[], &[("CLICOLOR_FORCE", "0")]), "CLICOLOR_FORCE=0 forces nothing");
    let bad = run(&["check", "--cert", cert, "--offline", "--color", "sometimes"], &[], d.path());
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--color") && bad.stderr.contains("auto"), "{}", bad.stderr);
}

#[test]
fn completions_and_man_page_come_from_the_flag_definitions() {
    let d = Dir::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = run(&["completions", shell], &[], d.path());
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        for word in ["client-id", "system-user-org", "support-report", "inspect"] {
            assert!(r.stdout.contains(word), "{shell} completes {word}");
        }
    }
    let bash = d.write("complete.bash", run(&["completions", "bash"], &[], d.path()).stdout);
    let syntax = std::process::Command::new("bash").args(["-n", &bash]).status().unwrap();
    assert!(syntax.success(), "bash reads the completion script");
    let man = run(&["man"], &[], d.path());
    assert_eq!(man.code, 0);
    assert!(man.stdout.contains(".TH altinn-doctor 1"), "a man page");
    assert!(man.stdout.contains("completions") && man.stdout.contains("inspect"), "its subcommands");
    // The sections a man page is read for, each variable, and every check.
    let sections: Vec<&str> = man.stdout.lines().filter_map(|l| l.strip_prefix(".SH ")).collect();
    for s in ["EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "CHECKS"] {
        assert!(sections.contains(&s), "{s} in {sections:?}");
    }
    for var in ["ALTINN_DOCTOR_CERT_PASSWORD_FILE", "ALTINN_DOCTOR_CLIENT_ID", "NO_COLOR", "HTTPS_PROXY"] {
        assert!(man.stdout.contains(var), "{var}");
    }
    for id in altinn_doctor::registry::ids() {
        assert!(man.stdout.contains(&id.as_str().replace('-', "\\-")), "{id} in the man page");
    }
    let unknown = run(&["completions", "tcsh"], &[], d.path());
    assert_eq!(unknown.code, 2, "an unknown shell is a usage error");
}

#[test]
fn only_and_skip_choose_checks_and_the_needed_ones_say_for_whom() {
    let s = start_sim(Options::default());
    let r = s.check(&["--only", "mp.token"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.status("mp.token"), "pass");
    for needed in ["mp.discovery", "cert.key-match", "cert.readable"] {
        assert_eq!(r.check(needed)["needed_by"], "mp.token", "{needed}: {}", r.check(needed));
    }
    assert_eq!(r.code_of("altinn.exchange"), "not-chosen");
    assert!(r.cause("altinn.exchange").contains("--only"), "{}", r.cause("altinn.exchange"));
    assert_eq!(r.code_of("cert.validity"), "not-chosen");
    assert!(r.check("mp.token").get("needed_by").is_none(), "a chosen check runs for itself");

    let r = s.check(&["--skip", "mp.discovery", "--skip", "altinn.system-user-rights"]);
    assert_eq!(r.code_of("altinn.system-user-rights"), "not-chosen");
    assert!(r.cause("altinn.system-user-rights").contains("--skip"));
    assert_eq!(r.status("mp.discovery"), "pass", "skipped, but others need it");
    assert!(r.check("mp.discovery")["needed_by"].is_string());

    let table = run(&["check", "--config", s.profile.as_str(), "--only", "mp.clock"], &s.env(), s.dir.path());
    assert!(table.stdout.contains("run because mp.clock needs it"), "{}", table.stdout);
    let bad = s.check(&["--only", "mp.tokn"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--only mp.tokn") && bad.stderr.contains("mp.token"), "{}", bad.stderr);
}

#[test]
fn all_profiles_checks_each_customer_and_exits_with_the_worst() {
    let s = start_sim(Options::default());
    let mut text = std::fs::read_to_string(&s.profile).unwrap();
    text.push_str(
        "\n[profile.good]\n\n[profile.other-org]\norg = \"974760673\"\n\n[profile.typo]\nclient_id = \"demo-clinet\"\n",
    );
    let config = s.dir.write("customers.toml", &text);
    let r = run(&["check", "--config", &config, "--all-profiles", "--jobs", "2"], &s.env(), s.dir.path());
    assert_eq!(r.code, 1, "the worst of ready, not-ready, not-ready: {}{}", r.stdout, r.stderr);
    let summary: Vec<&str> = r.stdout.lines().take_while(|l| !l.is_empty()).collect();
    for (name, verdict) in [("good", "ready"), ("other-org", "not ready"), ("typo", "not ready")] {
        let row = summary.iter().find(|l| l.contains(&format!("| {name} "))).unwrap_or_else(|| panic!("{name} row"));
        assert!(row.contains(&format!("| {verdict} ")), "{row}");
    }
    assert!(r.stdout.contains("1 cert.readable"), "the legend");
    for name in ["good", "other-org", "typo"] {
        assert!(r.stdout.contains(&format!("── profile {name} ──")), "{name}'s report below");
    }

    let json = run(&["check", "--config", &config, "--all-profiles", "--format", "json"], &s.env(), s.dir.path());
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["exit_code"], 1);
    let codes: Vec<i64> = v["profiles"].as_array().unwrap().iter().map(|p| p["exit_code"].as_i64().unwrap()).collect();
    assert_eq!(codes, [0, 1, 1]);
    let typo = &v["profiles"][2]["report"]["checks"];
    let token = typo.as_array().unwrap().iter().find(|c| c["id"] == "mp.token").unwrap();
    assert_eq!(token["cause_code"], "client-not-found");

    let junit = run(&["check", "--config", &config, "--all-profiles", "--format", "junit"], &s.env(), s.dir.path());
    assert_eq!(junit.stdout.matches("<testsuite ").count(), 3, "a suite per profile");
    let support = s.dir.file("support.md");
    let args = ["check", "--config", &config, "--all-profiles", "-q", "--support-report", support.to_str().unwrap()];
    let quiet = run(&args, &s.env(), s.dir.path());
    assert_eq!(quiet.code, 1);
    assert_eq!(
        quiet.stdout,
        "3 profiles: 1 ready, 2 not ready, 0 could not be checked, 0 with a configuration error.\n"
    );
    let md = std::fs::read_to_string(&support).unwrap();
    assert_eq!(
        md.matches("\n# altinn-doctor: ").count() + usize::from(md.starts_with("# altinn-doctor: ")),
        3,
        "a support report per profile, in one file"
    );

    text.push_str("\n[profile.broken]\nenv = \"staging\"\n");
    let config = s.dir.write("customers.toml", &text);
    let r = run(&["check", "--config", &config, "--all-profiles"], &s.env(), s.dir.path());
    assert_eq!(r.code, 2, "a profile that cannot be read is the worst");
    assert!(r.stdout.contains("configuration error") && r.stdout.contains("must be `test` or `prod`"), "{}", r.stdout);
    let nb = run(&["check", "--config", &config, "--all-profiles", "--lang", "nb"], &s.env(), s.dir.path());
    let head = nb.stdout.lines().next().unwrap_or_default();
    assert!(head.contains("| profil ") && head.contains("| resultat "), "the summary's heads in bokmål: {head}");
    for said in
        ["| klar ", "| ikke klar ", "feil i konfigurasjonen", "── profil broken ──", "må være `test` eller `prod`"]
    {
        assert!(nb.stdout.contains(said), "`{said}` in:\n{}", nb.stdout);
    }
    let bad = run(&["check", "--config", &config, "--all-profiles", "--jobs", "0"], &s.env(), s.dir.path());
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--jobs `0`"), "{}", bad.stderr);
}

/// Runs `check` under a pseudo-terminal (`script`), so that stderr is a terminal.
fn on_a_terminal(s: &SimRun, extra: &str, ci: bool) -> String {
    let bin = env!("CARGO_BIN_EXE_altinn-doctor");
    let line = format!("{bin} check --config {} --color never {extra}", s.profile);
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"]).env_remove("CI").envs(s.env());
    if ci {
        cmd.env("CI", "true");
    }
    let out = cmd.output().expect("script(1) from util-linux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_progress_line_names_the_running_checks_on_a_terminal_only() {
    let s = start_sim(Options { latency: std::time::Duration::from_millis(150), ..Options::default() });
    let shown = on_a_terminal(&s, "", false);
    let redraws: Vec<&str> = shown.split("\u{1b}[2K").collect();
    assert!(redraws.len() > 2, "the line is redrawn in place, then cleared: {shown}");
    let lines = &redraws[..redraws.len() - 1];
    assert!(lines.iter().any(|l| l.contains("mp.discovery")), "the running check's name: {shown}");
    assert!(lines.iter().any(|l| l.contains(", ")), "checks running together: {shown}");
    // How far it is, and for how long: `⠋ 9/24 (1.2 s) · …`.
    let total = format!("/{} (", altinn_doctor::registry::ids().len());
    assert!(lines.iter().any(|l| l.contains(&total) && l.contains(" s) · ")), "count and time: {shown}");
    for (extra, ci) in [("", true), ("-q", false), ("-v", false)] {
        let quiet = on_a_terminal(&s, extra, ci);
        assert!(!quiet.contains("\u{1b}[2K"), "no progress line with CI={ci} {extra}: {quiet}");
    }
    let piped = s.check(&[]);
    assert!(!piped.stderr.contains("\u{1b}"), "none when stderr is not a terminal");
}

/// The verdict line counts in the right number and points the right way: the table
/// closes with it (the findings above); `-q` shows it alone (the findings elsewhere).
#[test]
fn the_verdict_line_speaks_in_the_right_number_and_direction() {
    let d = Dir::new();
    let r = run(&["demo", "--scenario", "dialogporten-empty"], &[], d.path());
    let last = r.stdout.lines().last().unwrap_or_default().to_string();
    assert!(last.contains(" 1 warning,") && last.contains("the warning above"), "{last}");
    let r = run(&["demo", "--scenario", "wrong-org", "-q"], &[], d.path());
    assert!(r.stdout.contains("fix the failure in the report (run without -q)"), "{}", r.stdout);
    let r = run(&["demo", "--scenario", "wrong-org", "--lang", "nb"], &[], d.path());
    assert!(r.stdout.lines().last().unwrap_or_default().contains("rett feilen over"), "{}", r.stdout);
}

/// Messages that used to point the wrong way: `jwk` without the password names the
/// password, and a wrong password is traced to where it came from.
#[test]
fn password_messages_point_to_the_password_and_where_it_came_from() {
    use altinn_doctor::sim::world::Options;
    let s = start_sim(Options::default());
    let p12 = s.dir.file("312345676.p12").display().to_string();
    let r = run(&["jwk", "--cert", &p12], &[], s.dir.path());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("ALTINN_DOCTOR_CERT_PASSWORD") && r.stderr.contains("password"), "{}", r.stderr);
    assert!(!r.stderr.contains("give --cert"), "the certificate was given: {}", r.stderr);
    let wrong = s.dir.write("wrong-password", "not-it\n");
    let env = [("ALTINN_DOCTOR_CERT_PASSWORD_FILE", wrong.as_str())];
    let r = check_json(&["--cert", &p12, "--offline"], &env, s.dir.path());
    assert_eq!(r.code_of("cert.readable"), "wrong-password");
    let fix = r.fix("cert.readable");
    assert!(fix.contains(&format!("ALTINN_DOCTOR_CERT_PASSWORD_FILE ({wrong})")), "{fix}");
}
