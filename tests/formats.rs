//! Every report format, read back by a real parser: JSON with serde, JUnit XML with an
//! XML reader, GitHub workflow commands by their syntax, Markdown tables cell by cell;
//! the exit code the same in each; `--output`, `--support-report`, `$GITHUB_STEP_SUMMARY`.

mod common;

use altinn_doctor::sim::server::Faults;
use common::*;
use quick_xml::events::Event;

const FORMATS: [&str; 5] = ["table", "json", "junit", "github", "markdown"];

/// A demo scenario in a format, in a scratch folder.
fn demo(scenario: &str, format: &str, extra: &[&str]) -> Run {
    let d = Dir::new();
    let mut args = vec!["demo", "--scenario", scenario, "--format", format];
    args.extend_from_slice(extra);
    run(&args, &[("TMPDIR", d.path().to_str().unwrap())], d.path())
}

#[test]
fn the_exit_code_is_the_same_in_every_format() {
    for (scenario, code) in [("ok", 0), ("expired-cert", 1), ("system-user-not-approved", 1)] {
        for format in FORMATS {
            let r = demo(scenario, format, &[]);
            assert_eq!(r.code, code, "{scenario} as {format}: {}{}", r.stdout, r.stderr);
            assert!(!r.stdout.is_empty(), "{scenario} as {format} prints a report");
        }
    }
}

/// An element of the JUnit document: its name, attributes, and text.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> &str {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    fn all(&self, name: &str) -> Vec<&Element> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
}

/// Parses XML into elements; any syntax error fails the test.
fn parse_xml(text: &str) -> Element {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack = vec![Element::default()];
    loop {
        let event = reader.read_event().unwrap_or_else(|e| panic!("not XML: {e}\n{text}"));
        let open = |e: &quick_xml::events::BytesStart<'_>| Element {
            name: e.name().0.to_string(),
            attributes: e
                .attributes()
                .map(|a| {
                    let a = a.expect("a well-formed attribute");
                    let value = a.normalized_value(quick_xml::XmlVersion::default()).expect("an escaped value");
                    (a.key.0.to_string(), value.into_owned())
                })
                .collect(),
            ..Element::default()
        };
        match event {
            Event::Start(e) => stack.push(open(&e)),
            Event::Empty(e) => stack.last_mut().unwrap().children.push(open(&e)),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Text(t) => {
                stack.last_mut().unwrap().text.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) => {
                let name = (*r).to_string();
                let ch = match name.as_str() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unknown entity {other}"),
                };
                stack.last_mut().unwrap().text.push_str(ch);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "every element is closed");
    stack.pop().unwrap()
}

#[test]
fn junit_has_one_case_per_check_with_failures_skips_and_errors() {
    let r = demo("expired-cert", "junit", &[]);
    let doc = parse_xml(&r.stdout);
    let suites = &doc.all("testsuites")[0];
    let suite = &suites.all("testsuite")[0];
    let cases = suite.all("testcase");
    assert_eq!(cases.len(), altinn_doctor::registry::ids().len(), "one test case per check");
    assert_eq!(suite.attr("tests"), altinn_doctor::registry::ids().len().to_string());
    for case in &cases {
        assert!(["certificate", "maskinporten", "altinn"].contains(&case.attr("classname")), "{case:?}");
        assert!(case.attr("time").parse::<f64>().is_ok(), "a time in seconds");
    }
    let failing: Vec<&str> = cases.iter().filter(|c| !c.all("failure").is_empty()).map(|c| c.attr("name")).collect();
    assert!(failing.contains(&"cert.validity") && failing.contains(&"mp.token"), "{failing:?}");
    assert_eq!(suite.attr("failures"), failing.len().to_string());
    let validity = cases.iter().find(|c| c.attr("name") == "cert.validity").unwrap();
    let failure = &validity.all("failure")[0];
    assert!(failure.attr("message").contains("Expired on"), "the cause in the message");
    assert!(failure.text.contains("Fix: Order a new enterprise certificate"), "the fix: {}", failure.text);
    assert_eq!(failure.attr("type"), "expired");
    let skipped = cases.iter().filter(|c| !c.all("skipped").is_empty()).count();
    assert_eq!(suite.attr("skipped"), skipped.to_string());
    assert!(skipped > 0);
    let props = &suite.all("properties")[0].all("property");
    assert!(props.iter().any(|p| p.attr("name") == "verdict" && p.attr("value") == "not-ready"));
}

#[test]
fn junit_tells_a_fault_from_a_failure() {
    let s = start_sim(altinn_doctor::sim::world::Options::default());
    s.sim.set_faults(Faults { status: Some(503), ..Faults::default() });
    let args = ["check", "--config", s.profile.as_str(), "--format", "junit"];
    let r = run(&args, &s.env(), s.dir.path());
    assert_eq!(r.code, 3, "could not check: {}", r.stdout);
    let doc = parse_xml(&r.stdout);
    let suite = &doc.all("testsuites")[0].all("testsuite")[0];
    let discovery = suite.all("testcase").into_iter().find(|c| c.attr("name") == "mp.discovery").unwrap();
    assert_eq!(discovery.all("error").len(), 1, "a fault is an <error>, not a <failure>: {discovery:?}");
    assert_eq!(suite.attr("failures"), "0");
}

/// A workflow command: its name, its properties and its message.
type Command = (String, Vec<(String, String)>, String);

/// A workflow command line: `::NAME key=value,...::message`, unescaped.
fn workflow_command(line: &str) -> Option<Command> {
    let rest = line.strip_prefix("::")?;
    let (head, message) = rest.split_once("::")?;
    let (name, props) = head.split_once(' ').unwrap_or((head, ""));
    let unescape = |s: &str| {
        s.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
    };
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').expect("key=value");
            (k.to_string(), unescape(v))
        })
        .collect();
    assert!(!message.contains('\n') && !message.contains('\r'), "one line");
    Some((name.to_string(), props, unescape(message)))
}

#[test]
fn github_commands_name_each_finding_and_write_the_step_summary() {
    let d = Dir::new();
    let summary = d.file("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let env = [("TMPDIR", d.path().to_str().unwrap()), ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())];
    let r = run(&["demo", "--scenario", "expired-cert", "--format", "github"], &env, d.path());
    assert_eq!(r.code, 1);
    let commands: Vec<_> = r.stdout.lines().filter_map(workflow_command).collect();
    assert!(!commands.is_empty());
    // The folded human report opens and closes the log's group; the rest are findings.
    assert_eq!((commands[0].0.as_str(), commands[1].0.as_str()), ("group", "endgroup"), "{}", r.stdout);
    let commands: Vec<_> = commands[2..].to_vec();
    for (name, props, message) in &commands {
        assert!(["error", "warning", "notice"].contains(&name.as_str()), "{name}");
        let title = &props.iter().find(|(k, _)| k == "title").expect("a title").1;
        assert!(title.contains('.'), "the title is a check ID: {title}");
        assert!(message.contains("altinn-doctor explain"), "{message}");
    }
    let validity = commands.iter().find(|(_, p, _)| p[0].1 == "cert.validity").expect("cert.validity");
    assert_eq!(validity.0, "error");
    assert!(validity.2.contains("Expired on") && validity.2.contains("Fix: "), "cause and fix: {}", validity.2);
    assert!(r.stdout.lines().last().unwrap().contains("Not ready"), "the verdict closes the log");
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(written.starts_with("earlier step\n"), "appended, not replaced");
    assert!(written.contains("# altinn-doctor: ") && written.contains("`cert.validity`"));
}

/// The cells of a Markdown table row (`\|` is a pipe inside a cell).
fn cells(row: &str) -> Vec<String> {
    let inner = row.trim().strip_prefix('|').and_then(|r| r.strip_suffix('|')).expect("a row starts and ends with |");
    let mut out = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                out.last_mut().unwrap().push('|');
                chars.next();
            }
            '|' => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out.into_iter().map(|c| c.trim().to_string()).collect()
}

/// Every table of a Markdown text: header, then rows, each with the header's cell count.
fn tables(text: &str) -> Vec<Vec<Vec<String>>> {
    let mut tables = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with('|') && lines.get(i + 1).is_some_and(|l| l.starts_with("|---")) {
            let header = cells(lines[i]);
            let mut table = vec![header.clone()];
            i += 2;
            while i < lines.len() && lines[i].starts_with('|') {
                let row = cells(lines[i]);
                assert_eq!(row.len(), header.len(), "row `{}` has the header's {} cells", lines[i], header.len());
                table.push(row);
                i += 1;
            }
            tables.push(table);
        } else {
            i += 1;
        }
    }
    tables
}

#[test]
fn the_support_report_is_markdown_with_every_fact_the_servicedesk_asks_for() {
    let r = demo("system-user-not-approved", "markdown", &[]);
    assert_eq!(r.code, 1);
    let md = &r.stdout;
    let tables = tables(md);
    assert!(tables.len() >= 5, "overview, certificate, client, system user, checks: {md}");
    let checks = tables.iter().find(|t| t[0][0] == "Check" && t[0].len() == 5).expect("the checks table");
    assert_eq!(checks.len(), 1 + altinn_doctor::registry::ids().len(), "a header and a row per check");
    let system_user = checks.iter().find(|r| r[0] == "`altinn.system-user`").unwrap();
    assert_eq!(system_user[1], "fail");
    assert!(system_user[2].contains("waiting for the customer's approval"), "{system_user:?}");
    assert!(!system_user[4].is_empty(), "its trace id");
    for needed in [
        "altinn-doctor 0.1.0",
        "Judged at",
        "Local clock minus Maskinporten's",
        "Thumbprint (SHA-1, as Windows shows it)",
        "Valid to",
        "Organisation number (where read)",
        "Client ID",
        "Scopes asked for",
        "Customer (system user's organisation)",
        "Left out on purpose",
    ] {
        assert!(md.contains(needed), "the support report has `{needed}`");
    }
}

#[test]
fn output_and_support_report_go_to_files_of_their_own() {
    let d = Dir::new();
    let (out, support) = (d.file("report.xml"), d.file("support.md"));
    let env = [("TMPDIR", d.path().to_str().unwrap())];
    let args = [
        "demo",
        "--scenario",
        "ok",
        "--format",
        "junit",
        "--output",
        out.to_str().unwrap(),
        "--support-report",
        support.to_str().unwrap(),
    ];
    let r = run(&args, &env, d.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.trim().is_empty(), "the report went to the file: {}", r.stdout);
    let xml = std::fs::read_to_string(&out).unwrap();
    assert_eq!(parse_xml(&xml).all("testsuites").len(), 1);
    assert!(std::fs::read_to_string(&support).unwrap().starts_with("# altinn-doctor: "));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in [&out, &support] {
            assert_eq!(std::fs::metadata(f).unwrap().permissions().mode() & 0o777, 0o600, "{}", f.display());
        }
    }
    let bad = run(&["demo", "--format", "json", "--output", "/nonexistent/dir/r.json"], &env, d.path());
    assert_eq!(bad.code, 2, "an unwritable --output is a usage error");
    assert!(bad.stderr.contains("--output /nonexistent/dir/r.json"), "{}", bad.stderr);
}

#[test]
fn json_parses_and_names_the_verdict() {
    for (scenario, verdict) in [("ok", "ready"), ("wrong-org", "not-ready")] {
        let r = demo(scenario, "json", &[]);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v["verdict"], verdict);
        assert_eq!(v["exit_code"], r.code);
    }
}

/// The support report is titled with the organisation, environment and verdict and leads
/// with the findings; GitHub folds the human report in a group, annotates only what
/// applies, and folds the step summary's details.
#[test]
fn the_support_report_and_github_lead_with_the_verdict_and_findings() {
    let d = Dir::new();
    let summary = d.path().join("summary.md");
    let env = [("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())];
    let r = run(&["demo", "--scenario", "resource-not-granted", "--format", "markdown"], &[], d.path());
    let first = r.stdout.lines().next().unwrap_or_default();
    assert!(first.starts_with("# altinn-doctor: 312345676, test") && first.ends_with(": not ready"), "{first}");
    let (findings, overview) = (r.stdout.find("## Findings").unwrap(), r.stdout.find("## Overview").unwrap());
    assert!(findings < overview, "the findings first");
    assert!(r.stdout[findings..overview].contains("`altinn.system-user-rights`"), "{}", r.stdout);
    assert!(!r.stdout[findings..overview].contains("`altinn.api-key`"), "a skip is no finding");
    let r = run(&["demo", "--scenario", "resource-not-granted", "--format", "markdown", "--lang", "nb"], &[], d.path());
    assert!(r.stdout.lines().next().unwrap_or_default().ends_with(": ikke klar"), "{}", r.stdout);
    assert!(r.stdout.contains("| Altinn-flyt | systembruker |") || r.stdout.contains("systembruker |"), "{}", r.stdout);
    let r = run(&["demo", "--scenario", "resource-not-granted", "--format", "github"], &env, d.path());
    assert!(r.stdout.starts_with("::group::altinn-doctor report\n"), "{}", r.stdout);
    assert_eq!(r.stdout.matches("\n::endgroup::\n").count(), 1);
    assert!(r.stdout.contains("::error title=altinn.system-user-rights::"));
    assert!(!r.stdout.contains("title=altinn.api-key"), "no annotation for a check of another flow");
    let md = std::fs::read_to_string(&summary).unwrap();
    let (findings, details) = (md.find("## Findings").unwrap(), md.find("<details>").unwrap());
    assert!(findings < details && md.contains("</details>"), "{md}");
}

/// JUnit read back: the suite is named for the organisation and environment, carries who
/// the run was for, and a warning stays visible (system-err, the `warnings` property).
#[test]
fn junit_names_its_suite_and_keeps_warnings_visible() {
    let r = demo("dialogporten-empty", "junit", &[]);
    let doc = parse_xml(&r.stdout);
    let suite = &doc.all("testsuites")[0].all("testsuite")[0];
    assert_eq!(suite.attr("name"), "altinn-doctor · 312345676 · test");
    let props = &suite.all("properties")[0].all("property");
    let prop = |name: &str| props.iter().find(|p| p.attr("name") == name).map(|p| p.attr("value").to_string());
    assert_eq!(prop("org").as_deref(), Some("312345676"));
    assert_eq!(prop("client_id").as_deref(), Some("demo-client"));
    assert_eq!(prop("warnings").as_deref(), Some("1"));
    assert_eq!(prop("thumbprint").map(|t| t.len()), Some(40));
    let cases = suite.all("testcase");
    let dp = cases.iter().find(|c| c.attr("name") == "altinn.probe.dialogporten").unwrap();
    assert!(dp.all("failure").is_empty(), "a warning passes");
    assert!(dp.all("system-err")[0].text.contains("found no dialogs"), "{dp:?}");
}

/// `--report FORMAT=FILE`, repeatable: one run writes every report, with one token request.
#[test]
fn one_run_writes_every_report_asked_for() {
    use altinn_doctor::sim::world::Options;
    let s = start_sim(Options::default());
    let (xml, json, md) = (s.dir.file("r.xml"), s.dir.file("r.json"), s.dir.file("r.md"));
    let (a, b, c) =
        (format!("junit={}", xml.display()), format!("json={}", json.display()), format!("markdown={}", md.display()));
    let r = s.check(&["--report", &a, "--report", &b, "--report", &c]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read_to_string(&xml).unwrap().contains("<testsuites"));
    let j: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(j["verdict"], "ready");
    assert!(std::fs::read_to_string(&md).unwrap().starts_with("# altinn-doctor: "));
    let tokens = s.sim.state.seen.lock().unwrap().iter().filter(|x| x.path == "/token").count();
    assert!(tokens <= 3, "the run's own token requests, not one per report: {tokens}");
    let r = s.check(&["--report", "junit"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("FORMAT=FILE"), "{}", r.stderr);
}

/// A configuration or usage error still writes the JUnit and support report asked for,
/// each naming the problem, so a pipeline shows why the run did not start.
#[test]
fn a_usage_error_still_writes_the_reports_asked_for() {
    let d = Dir::new();
    let (xml, md) = (d.path().join("results.xml"), d.path().join("support.md"));
    let report = format!("junit={}", xml.display());
    let args = ["check", "--env", "staging", "--report", &report, "--support-report", md.to_str().unwrap()];
    let r = run(&args, &[], d.path());
    assert_eq!(r.code, 2, "{}", r.stderr);
    let doc = parse_xml(&std::fs::read_to_string(&xml).unwrap());
    let suite = &doc.all("testsuites")[0].all("testsuite")[0];
    assert_eq!(suite.attr("errors"), "1");
    let error = &suite.all("testcase")[0].all("error")[0];
    assert!(error.attr("message").contains("staging"), "{error:?}");
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.starts_with("# altinn-doctor: the run could not start") && md.contains("staging"), "{md}");
    // A usage error found after the configuration (a file named that is not there)
    // writes them too.
    let out = d.path().join("out.json");
    let args = ["check", "--format", "json", "--output", out.to_str().unwrap(), "--ca-file", "/nonexistent/ca.pem"];
    let r = run(&args, &[], d.path());
    assert_eq!(r.code, 2);
    let j: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!((j["verdict"].as_str(), j["exit_code"].as_i64()), (Some("usage-error"), Some(2)));
}

/// The terminal report: who it is for first, no facts unless asked for, one line per
/// check below 100 columns (no box, no ID broken), fitting a screen, in basic colours.
#[test]
fn the_terminal_report_is_compact_and_fits_the_width() {
    use altinn_doctor::sim::world::Options;
    let s = start_sim(Options::default());
    let password = s.dir.file("cert-password").display().to_string();
    let table = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec!["check", "--config", s.profile.as_str()];
        args.extend_from_slice(extra);
        let mut all = s.env().to_vec();
        all.extend_from_slice(env);
        run(&args, &all, s.dir.path())
    };
    let r = table(&[], &[]);
    let head = r.stdout.split("\n\n").next().unwrap_or_default().replace('\n', " ");
    assert!(head.contains("312345676 DEMOBEDRIFT AS") && head.contains("Client: demo-client"), "{head}");
    assert!(head.contains(&password), "where the password came from: {head}");
    assert!(!r.stdout.contains("Facts"), "no facts table by default:\n{}", r.stdout);
    let r = table(&["--facts"], &[]);
    assert!(r.stdout.contains("Facts") && r.stdout.contains("thumbprint_sha1"));
    let r = table(&["--org", "310987654"], &[("COLUMNS", "80")]);
    assert_eq!(r.code, 1);
    assert!(!r.stdout.contains('│') && !r.stdout.contains('╭'), "no box below 100 columns:\n{}", r.stdout);
    for line in r.stdout.lines().filter(|l| !l.contains("checks:")) {
        assert!(line.chars().count() <= 80, "{} > 80: {line}", line.chars().count());
    }
    for id in altinn_doctor::registry::ids() {
        assert!(r.stdout.contains(id.as_str()), "{id} whole");
    }
    assert!(r.stdout.lines().count() < 45, "one finding fits a screen:\n{}", r.stdout);
    let r = table(&["--color", "always"], &[]);
    assert!(r.stdout.contains("\u{1b}[32m") || r.stdout.contains("\u{1b}[38;5;2m"), "basic green");
    assert!(!r.stdout.contains("\u{1b}[92m") && !r.stdout.contains("\u{1b}[38;5;10m"), "no bright green");
}

/// One root cause, its consequences tied to it: an expired certificate fails the token and
/// the system user for the same reason, and every format shows one problem with one fix.
#[test]
fn consequences_are_shown_under_their_root_cause() {
    let r = demo("expired-cert", "json", &[]);
    assert_eq!(r.check("mp.token")["caused_by"], "cert.validity");
    assert_eq!(r.check("altinn.system-user")["caused_by"], "cert.validity", "followed to the first root");
    assert!(r.check("cert.validity").get("caused_by").is_none());
    let table = demo("expired-cert", "table", &[]);
    let fix = &table.stdout[table.stdout.find("What to fix").unwrap()..];
    assert!(fix.contains("✗ cert.validity") && !fix.contains("✗ mp.token"), "{fix}");
    assert!(fix.contains("Because of it, these fail too: mp.token, altinn.system-user."), "{fix}");
    assert!(table.stdout.contains("(because of cert.validity)"), "the row says it: {}", table.stdout);
    let github = demo("expired-cert", "github", &[]);
    let errors: Vec<&str> = github.stdout.lines().filter(|l| l.starts_with("::error ")).collect();
    assert_eq!(errors.len(), 1, "one annotation for one problem: {errors:?}");
    assert!(errors[0].contains("title=cert.validity"));
}

/// The support report says what was tried: every request in order, with the check that
/// made it, its answer and time; `-v` names the check on each line; the old guide's path
/// has its section when it ran.
#[test]
fn the_support_report_logs_what_was_tried() {
    let r = demo("ok", "markdown", &[]);
    let log = &r.stdout[r.stdout.find("## What was tried").expect("the request log")..];
    let rows: Vec<&str> = log.lines().filter(|l| l.starts_with("| 20")).collect();
    assert!(rows.len() >= 6, "{log}");
    let token = rows.iter().find(|l| l.contains("`mp.token`") && l.contains("POST")).expect("the token request");
    assert!(token.contains("/token` | 200 |"), "{token}");
    let times: Vec<&str> = rows.iter().map(|l| l.split(" | ").next().unwrap_or_default()).collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "in the order sent");
    assert!(r.stdout.contains("## Enterprise user (Altinn 2, the old guide)"));
    assert!(r.stdout.contains("| API key | given (not shown) |"));
    let today = demo("system-user-ok", "markdown", &[]);
    assert!(!today.stdout.contains("## Enterprise user (Altinn 2"), "only when that flow ran");
    let v = demo("system-user-ok", "json", &["-v"]);
    assert!(v.stderr.contains("altinn-doctor: [mp.token] POST "), "{}", v.stderr);
}
