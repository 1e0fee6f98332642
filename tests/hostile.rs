//! Text from outside is data: a loopback Maskinporten and Altinn that answer every field
//! with text built to forge a CI command, rewrite a terminal, break XML or inject Markdown;
//! every format, with `-v`, must print it harmless and keep the exit code true.

mod common;

use altinn_doctor::sim::server::Faults;
use altinn_doctor::sim::world::Options;
use common::*;

/// A line feed then a GitHub command; GitHub's and Azure's in-line markers; a screen
/// clear and an unclosed OSC; a bidi override; NUL; HTML, an image and a link.
const HOSTILE: &str = "evil\n::endgroup::\n::error title=forged::Ready\r\n##[error]gh ##vso[task.complete result=Succeeded]az \
                       \u{1b}[2J\u{1b}]0;title\u{7} \u{202e}rtl\u{0} <img src=x onerror=alert(1)> ![i](https://evil.example/i.png) [l](https://evil.example)";

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// What no output may contain, whatever the format.
fn assert_harmless(what: &str, out: &str, github: bool) {
    for bad in ["\u{1b}", "\u{7}", "\u{0}", "\u{9b}", "\u{202e}", "\u{fffe}"] {
        assert!(!out.contains(bad), "{what}: raw {bad:?} printed:\n{out}");
    }
    let lower = out.to_lowercase();
    assert!(!lower.contains("##[") && !lower.contains("##vso["), "{what}: a runner marker survived:\n{out}");
    assert!(!out.contains("title=forged::"), "{what}: a forged workflow command:\n{out}");
    let own_commands = ["::error title=", "::warning title=", "::notice title=", "::group::", "::endgroup::"];
    for line in out.lines() {
        let body = line.trim_start();
        if body.starts_with("::") {
            let own = own_commands.iter().any(|p| body.starts_with(p));
            assert!(github && own, "{what}: a line a GitHub runner would execute: {line}");
        }
    }
    if github {
        // The one group the doctor opens, closed once: text from outside cannot end it early.
        let count = |p: &str| out.lines().filter(|l| l.starts_with(p)).count();
        assert_eq!((count("::group::"), count("::endgroup::")), (1, 1), "{what}:\n{out}");
    }
}

/// Markdown outside code spans: nothing a renderer would turn into HTML, an image or a link.
fn assert_inert_markdown(out: &str) {
    let bare = outside_code_spans(out);
    for bad in ["<img", "](https://evil", "<script"] {
        assert!(!bare.contains(bad), "Markdown renders {bad}:\n{out}");
    }
}

/// The text with every code span removed (as CommonMark reads backtick runs).
fn outside_code_spans(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        out.push_str(&rest[..open]);
        let run = rest[open..].chars().take_while(|c| *c == '`').count();
        let fence = "`".repeat(run);
        let after = &rest[open + run..];
        match after.find(&fence) {
            Some(close) => rest = &after[close + run..],
            None => {
                out.push_str(&rest[open..]);
                return out;
            }
        }
    }
    out.push_str(rest);
    out
}

fn assert_well_formed_xml(out: &str) {
    let mut reader = quick_xml::Reader::from_str(out);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("JUnit is not XML ({e}):\n{out}"),
        }
    }
    for c in out.chars() {
        let allowed = matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}');
        assert!(allowed, "JUnit holds {c:?}, which XML 1.0 forbids");
    }
}

/// Every format, plain and with `-v`, against the simulator as it stands.
fn every_format(s: &SimRun, expect_code: i32) {
    every_format_with(s, expect_code, &[]);
}

/// As [`every_format`], with these flags added.
fn every_format_with(s: &SimRun, expect_code: i32, extra: &[&str]) {
    for format in ["table", "json", "junit", "github", "markdown"] {
        for verbose in [false, true] {
            let mut args = vec!["check", "--config", s.profile.as_str(), "--format", format];
            args.extend_from_slice(extra);
            if verbose {
                args.push("-v");
            }
            let r = run(&args, &s.env(), s.dir.path());
            let what = format!("--format {format}{}", if verbose { " -v" } else { "" });
            assert_eq!(r.code, expect_code, "{what}: {}\n{}", r.stdout, r.stderr);
            assert_harmless(&what, &r.stdout, format == "github");
            assert_harmless(&format!("{what} (stderr)"), &r.stderr, false);
            match format {
                "junit" => assert_well_formed_xml(&r.stdout),
                "markdown" => assert_inert_markdown(&r.stdout),
                _ => {}
            }
            if format == "table" && !verbose {
                assert!(r.stdout.contains("evil"), "the server's words are still shown, made harmless:\n{}", r.stdout);
            }
        }
    }
}

#[test]
fn a_hostile_maskinporten_error_is_shown_harmless_in_every_format() {
    let s = start_sim(Options::default());
    let body = format!(
        r#"{{"error":{},"error_description":{},"error_uri":{}}}"#,
        json_str(&format!("invalid_grant{HOSTILE}")),
        json_str(&format!("Invalid assertion. Client authentication failed. {HOSTILE} (trace_id: {HOSTILE})")),
        json_str(&format!("https://docs.example/{HOSTILE}")),
    );
    s.sim.set_faults(Faults { token_answer: Some((400, body)), ..Faults::default() });
    every_format(&s, 1);
}

#[test]
fn a_hostile_exchange_problem_is_shown_harmless_in_every_format() {
    let s = start_sim(Options::default());
    let body = format!(r#"{{"type":{h},"title":{h},"status":401,"detail":{h},"traceId":{h}}}"#, h = json_str(HOSTILE));
    s.sim.set_faults(Faults { exchange_answer: Some((401, body)), ..Faults::default() });
    every_format(&s, 1);
}

#[test]
fn a_hostile_product_denial_is_shown_harmless_in_every_format() {
    let s = start_sim(Options { era: altinn_doctor::vocab::Era::Current, ..Options::default() });
    let h = json_str(HOSTILE);
    let body = format!(r#"{{"title":{h},"status":401,"detail":{h},"code":"BRO-00006","traceId":{h}}}"#);
    s.sim.set_faults(Faults { product_answer: Some((401, body)), ..Faults::default() });
    every_format_with(&s, 1, &["--resource", altinn_doctor::sim::world::RESOURCE, "--probe", "broker"]);
    let body = format!(r#"{{"title":"x","status":403,"errors":{{"Type":[{h}]}}}}"#);
    s.sim.set_faults(Faults { product_answer: Some((403, body)), ..Faults::default() });
    every_format_with(&s, 1, &["--resource", altinn_doctor::sim::world::RESOURCE, "--probe", "dialogporten"]);
}

#[test]
fn a_hostile_issuer_is_shown_harmless_in_every_format() {
    let s =
        start_sim(Options { issuer: Some(format!("https://test.maskinporten.no/{HOSTILE}")), ..Options::default() });
    // An undocumented issuer is a warning: the run is ready, and says so harmlessly.
    every_format(&s, 0);
}

#[test]
fn metadata_that_sends_the_grant_to_another_host_gets_no_grant() {
    let s = start_sim(Options::default());
    // Read the metadata at `localhost`: it names `127.0.0.1`, another origin.
    let base = s.sim.base_url.replace("127.0.0.1", "localhost");
    let env = [("ALTINN_DOCTOR_MASKINPORTEN_URL", base.as_str())];
    let r = s.check_env(&[], &env);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.code_of("mp.discovery"), "foreign-endpoint", "{}", r.cause("mp.discovery"));
    assert!(r.cause("mp.discovery").contains("127.0.0.1"), "the finding names the host: {}", r.cause("mp.discovery"));
    assert_eq!(r.status("mp.token"), "skip");
    let seen = s.sim.state.seen.lock().unwrap();
    assert!(seen.iter().all(|q| q.path != "/token"), "a grant was posted: {seen:?}");
}

/// A terminal shown the table in colour: the only escapes are the doctor's own colours
/// (SGR, `ESC [ … m`), so a screen clear, a cursor move or a title from the server cannot
/// paint a forged "Ready" over the real verdict, which stays the last line.
#[test]
fn a_terminal_shows_the_real_verdict_not_a_forged_one() {
    let s = start_sim(Options::default());
    let forged =
        "\u{1b}[2J\u{1b}[H\u{1b}[32m✓ 18 passed · Ready\u{1b}[0m\u{1b}[999B\u{1b}]0;ok\u{1b}\\\u{9b}2J\r✓ Ready";
    let body = format!(r#"{{"error":"invalid_grant","error_description":{}}}"#, json_str(forged));
    s.sim.set_faults(Faults { token_answer: Some((400, body)), ..Faults::default() });
    let args = ["check", "--config", s.profile.as_str(), "--color", "always"];
    let r = run(&args, &s.env(), s.dir.path());
    assert_eq!(r.code, 1, "{}", r.stdout);
    let mut screen = String::new();
    let mut rest = r.stdout.as_str();
    while let Some(i) = rest.find('\u{1b}') {
        screen.push_str(&rest[..i]);
        let seq = &rest[i + 1..];
        let params = seq
            .strip_prefix('[')
            .unwrap_or_else(|| panic!("an escape that is not CSI: {:?}", &seq[..8.min(seq.len())]));
        let end = params.find(|c: char| !(c.is_ascii_digit() || c == ';')).unwrap();
        assert_eq!(&params[end..end + 1], "m", "an escape that is not a colour: ESC[{}", &params[..=end]);
        rest = &params[end + 1..];
    }
    screen.push_str(rest);
    assert!(!screen.contains('\r') && !screen.contains('\u{9b}'), "no carriage return nor C1 CSI:\n{screen}");
    let last = screen.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
    assert!(
        last.contains("2 failed") && last.contains("Not ready"),
        "the last line is the real verdict: {last}\n{screen}"
    );
    for line in screen.lines().filter(|l| l.contains("18 passed")) {
        assert!(!line.trim_start().starts_with('✓'), "the forged line stands as a line of its own: {line}");
    }
}
