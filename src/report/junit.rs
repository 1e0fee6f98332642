//! The JUnit XML report: one test case per check (class name = its domain, name = its
//! ID), for the test-report readers of GitHub, GitLab, Azure Pipelines and Jenkins.
//!
//! A failure is `<failure>`; a check that could not reach a verdict (network, service,
//! deadline) is `<error>`, which every reader shows apart from a failure; a skip is
//! `<skipped>`; a warning passes and says so in `<system-out>` (with `--strict` it fails).

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::Report;
use crate::engine::{Outcome, Status};

/// One profile's part of the document: its report, or why it could not run.
pub(crate) enum Suite<'a> {
    Ran(Report<'a>),
    /// The profile's configuration could not be resolved: one `<error>` test case.
    Broken(String),
}

/// The report as a JUnit XML document.
pub(crate) fn render(report: &Report<'_>) -> String {
    render_many(&[("", Suite::Ran(Report { ..*report }))])
}

/// Several profiles' reports as one document, a suite each (`--all-profiles`).
pub(crate) fn render_many(reports: &[(&str, Suite<'_>)]) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let written = write(&mut writer, reports);
    match written {
        Ok(()) => xml_safe(&String::from_utf8_lossy(&writer.into_inner())) + "\n",
        // Writing to memory does not fail; were it to, an empty suite says so.
        Err(e) => format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites><!-- {e} --></testsuites>\n"),
    }
}

/// `inspect`'s JUnit report: one test case, `token`, that fails when the token expired
/// or its signature does not verify, and errs when the signature could not be checked.
pub(crate) fn render_token(summary: &str, rows: &[(String, String)], failed: bool, unchecked: bool) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let facts: String = rows.iter().map(|(k, v)| format!("{k}: {v}\n")).collect();
    let count = |on: bool| if on { "1" } else { "0" };
    let written: std::io::Result<()> = (|| {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.create_element("testsuites")
            .with_attributes([("name", "altinn-doctor inspect"), ("tests", "1"), ("failures", count(failed))])
            .write_inner_content(|w| {
                w.create_element("testsuite")
                    .with_attributes([
                        ("name", "altinn-doctor inspect"),
                        ("tests", "1"),
                        ("failures", count(failed)),
                        ("errors", count(unchecked)),
                        ("skipped", "0"),
                    ])
                    .write_inner_content(|w| {
                        w.create_element("testcase")
                            .with_attributes([("classname", "inspect"), ("name", "token")])
                            .write_inner_content(|w| {
                                if failed || unchecked {
                                    w.create_element(if failed { "failure" } else { "error" })
                                        .with_attribute(("message", summary))
                                        .write_text_content(BytesText::new(&facts))?;
                                }
                                w.create_element("system-out").write_text_content(BytesText::new(&facts))?;
                                Ok(())
                            })?;
                        Ok(())
                    })?;
                Ok(())
            })?;
        Ok(())
    })();
    match written {
        Ok(()) => xml_safe(&String::from_utf8_lossy(&w.into_inner())) + "\n",
        Err(e) => format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites><!-- {e} --></testsuites>\n"),
    }
}

/// What the suite counts, as the readers expect the attributes.
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
    seconds: f64,
}

fn suite_counts(s: &Suite<'_>) -> Counts {
    match s {
        Suite::Ran(report) => counts(report),
        Suite::Broken(_) => Counts { tests: 1, failures: 0, errors: 1, skipped: 0, seconds: 0.0 },
    }
}

fn counts(report: &Report<'_>) -> Counts {
    let mut c = Counts { tests: report.outcomes.len(), failures: 0, errors: 0, skipped: 0, seconds: 0.0 };
    for o in report.outcomes {
        match kind(o, report.strict) {
            Kind::Failure => c.failures += 1,
            Kind::Error => c.errors += 1,
            Kind::Skipped => c.skipped += 1,
            Kind::Passed => {}
        }
        c.seconds += o.elapsed.as_secs_f64();
    }
    c
}

/// How a check's outcome shows as a test case.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Passed,
    Failure,
    Error,
    Skipped,
}

fn kind(o: &Outcome, strict: bool) -> Kind {
    match o.finding.status() {
        _ if o.finding.unjudged() && o.proven_by.is_some() => Kind::Passed,
        _ if o.finding.unjudged() => Kind::Error,
        Status::Fail => Kind::Failure,
        Status::Warn if strict => Kind::Failure,
        Status::Skip => Kind::Skipped,
        Status::Pass | Status::Warn => Kind::Passed,
    }
}

/// The document with every character XML 1.0 forbids (controls but tab and newline,
/// U+FFFE, U+FFFF) written as `\u{..}`: a reader that meets one rejects the whole file.
fn xml_safe(doc: &str) -> String {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}');
    if doc.chars().all(allowed) {
        return doc.to_string();
    }
    doc.chars().map(|c| if allowed(c) { c.to_string() } else { format!("\\u{{{:x}}}", c as u32) }).collect()
}

fn write(w: &mut Writer<Vec<u8>>, reports: &[(&str, Suite<'_>)]) -> std::io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let all: Vec<Counts> = reports.iter().map(|(_, s)| suite_counts(s)).collect();
    let sum = |f: fn(&Counts) -> usize| all.iter().map(f).sum::<usize>().to_string();
    let seconds = format!("{:.3}", all.iter().map(|c| c.seconds).sum::<f64>());
    w.create_element("testsuites")
        .with_attributes([
            ("name", "altinn-doctor"),
            ("tests", sum(|c| c.tests).as_str()),
            ("failures", sum(|c| c.failures).as_str()),
            ("errors", sum(|c| c.errors).as_str()),
            ("skipped", sum(|c| c.skipped).as_str()),
            ("time", seconds.as_str()),
        ])
        .write_inner_content(|w| {
            for ((name, s), c) in reports.iter().zip(&all) {
                match s {
                    Suite::Ran(report) => suite(w, name, report, c)?,
                    Suite::Broken(why) => broken(w, name, why)?,
                }
            }
            Ok(())
        })?;
    Ok(())
}

/// One profile's checks as a test suite.
fn suite(w: &mut Writer<Vec<u8>>, profile: &str, report: &Report<'_>, c: &Counts) -> std::io::Result<()> {
    let name = suite_name(profile, report);
    let (tests, failures, errors, skipped) =
        (c.tests.to_string(), c.failures.to_string(), c.errors.to_string(), c.skipped.to_string());
    let (time, stamp) = (format!("{:.3}", c.seconds), crate::vocab::times::rfc3339(report.at));
    w.create_element("testsuite")
        .with_attributes([
            ("name", name.as_str()),
            ("tests", tests.as_str()),
            ("failures", failures.as_str()),
            ("errors", errors.as_str()),
            ("skipped", skipped.as_str()),
            ("time", time.as_str()),
            ("timestamp", stamp.as_str()),
        ])
        .write_inner_content(|w| {
            properties(w, report)?;
            for o in report.outcomes {
                case(w, report, o)?;
            }
            Ok(())
        })?;
    Ok(())
}

/// `altinn-doctor · customer-042 · 312345676 · test`: the profile (`--profile`, or the
/// profile of `--all-profiles`), the organisation and the environment, so that the reports
/// of several runs merged into one do not collide.
fn suite_name(profile: &str, report: &Report<'_>) -> String {
    let named = report.profile.name.clone().filter(|_| profile.is_empty()).unwrap_or_else(|| profile.to_string());
    let parts = ["altinn-doctor".to_string(), named, org(report).unwrap_or_default(), report.env.as_str().to_string()];
    parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" · ")
}

/// The organisation the run is for: the one expected, else the certificate's.
fn org(report: &Report<'_>) -> Option<String> {
    let read = || report.outcomes.iter().find_map(|o| o.finding.facts.get("org_number")).and_then(|v| v.as_str());
    report.profile.org.as_ref().map(|o| o.to_string()).or_else(|| read().map(str::to_string))
}

/// A fact any check saw, as text.
fn fact(report: &Report<'_>, key: &str) -> Option<String> {
    report.outcomes.iter().find_map(|o| o.finding.facts.get(key)).and_then(|v| v.as_str()).map(str::to_string)
}

/// A profile that could not run: a suite with one `configuration` test case in error,
/// so the reader counts it instead of leaving it out.
fn broken(w: &mut Writer<Vec<u8>>, profile: &str, why: &str) -> std::io::Result<()> {
    let name = format!("altinn-doctor · {profile}");
    w.create_element("testsuite")
        .with_attributes([
            ("name", name.as_str()),
            ("tests", "1"),
            ("failures", "0"),
            ("errors", "1"),
            ("skipped", "0"),
        ])
        .write_inner_content(|w| {
            w.create_element("testcase")
                .with_attributes([("classname", "config"), ("name", "configuration")])
                .write_inner_content(|w| {
                    w.create_element("error")
                        .with_attributes([("message", why), ("type", "configuration")])
                        .write_text_content(BytesText::new(why))?;
                    Ok(())
                })?;
            Ok(())
        })?;
    Ok(())
}

/// The verdict, the warnings, who the run was for, and the tool's version, as suite
/// properties (those the run does not know are left out).
fn properties(w: &mut Writer<Vec<u8>>, report: &Report<'_>) -> std::io::Result<()> {
    let known = [
        ("org", org(report)),
        ("client_id", report.profile.maskinporten.client_id.clone()),
        ("profile", report.profile.name.clone()),
        ("thumbprint", fact(report, "thumbprint_sha1")),
    ];
    let known = known.into_iter().filter_map(|(k, v)| Some((k, v?)));
    w.create_element("properties").write_inner_content(|w| {
        let fixed = [
            ("verdict", report.verdict.as_str().to_string()),
            ("exit_code", report.verdict.exit_code().to_string()),
            ("warnings", report.summary.warn.to_string()),
            ("tool_version", super::TOOL_VERSION.to_string()),
        ];
        for (name, value) in fixed.into_iter().chain(known) {
            w.create_element("property").with_attributes([("name", name), ("value", value.as_str())]).write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

/// One check as a test case.
fn case(w: &mut Writer<Vec<u8>>, report: &Report<'_>, o: &Outcome) -> std::io::Result<()> {
    let words = report.catalogue.render(o);
    let time = format!("{:.3}", o.elapsed.as_secs_f64());
    let mut detail = words.cause.clone();
    if let Some(fix) = &words.fix {
        detail.push_str(&format!("\n{}: {fix}", report.catalogue.text("heading", "fix")));
    }
    if let Some(who) = report.catalogue.who(o) {
        detail.push_str(&format!("\n{}: {who}", report.catalogue.text("heading", "who")));
    }
    detail.push_str(&format!("\n{}: altinn-doctor explain {}", report.catalogue.text("heading", "more"), o.id));
    let message = match &words.fix {
        Some(fix) => format!("{} — {fix}", words.cause),
        None => words.cause.clone(),
    };
    let code = o.finding.cause.code.clone();
    w.create_element("testcase")
        .with_attributes([("classname", o.id.domain()), ("name", o.id.as_str()), ("time", time.as_str())])
        .write_inner_content(|w| {
            match kind(o, report.strict) {
                Kind::Failure | Kind::Error => {
                    let tag = if kind(o, report.strict) == Kind::Error { "error" } else { "failure" };
                    w.create_element(tag)
                        .with_attributes([("message", message.as_str()), ("type", code.as_str())])
                        .write_text_content(BytesText::new(&detail))?;
                }
                Kind::Skipped => {
                    w.create_element("skipped").with_attribute(("message", message.as_str())).write_empty()?;
                }
                Kind::Passed => {}
            }
            w.create_element("system-out").write_text_content(BytesText::new(&system_out(report, o)))?;
            // A warning passes; readers show system-err apart, so it is not lost.
            if o.finding.status() == Status::Warn && kind(o, report.strict) == Kind::Passed {
                let said = format!("{}: {}", report.catalogue.status_word(Status::Warn), message);
                w.create_element("system-err").write_text_content(BytesText::new(&said))?;
            }
            Ok(())
        })?;
    Ok(())
}

/// The check's status, cause and facts, for the reader's log pane.
fn system_out(report: &Report<'_>, o: &Outcome) -> String {
    let words = report.catalogue.render(o);
    let mut out = format!("{}: {}\n", report.catalogue.status_word(o.finding.status()), words.cause);
    for (key, value) in o.finding.facts.iter() {
        let value = match value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.push_str(&format!("{key}: {value}\n"));
    }
    out
}
