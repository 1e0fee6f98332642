//! The support report in Markdown, to paste into a case with the Altinn servicedesk:
//! the tool and the machine, the environment, when it was judged and the clock's offset
//! to Maskinporten, the certificate, the client, the system user, every check with its
//! outcome, cause, fix and trace IDs, and a closing line that says what is left out.
//! Everything in it comes from the outcomes' facts and the profile: never a secret.

use serde_json::Value;

use super::Report;
use super::catalogue::{Style, code_span};
use crate::engine::Outcome;

/// The report as Markdown: titled with the organisation, environment and verdict, the
/// findings first, then everything else.
pub(crate) fn render(report: &Report<'_>) -> String {
    let mut out = title(report);
    out.push_str(&findings(report));
    out.push_str(&details(report));
    out
}

/// The same for `$GITHUB_STEP_SUMMARY`: the title and findings open, the rest folded.
pub(crate) fn render_folded(report: &Report<'_>) -> String {
    let mut out = title(report);
    out.push_str(&findings(report));
    let summary = report.catalogue.text("markdown", "details");
    out.push_str(&format!("\n<details><summary>{summary}</summary>\n{}\n</details>\n", details(report)));
    out
}

/// `# altinn-doctor: 312345676, test: not ready`.
fn title(report: &Report<'_>) -> String {
    let cat = report.catalogue;
    let org = report
        .profile
        .org
        .as_ref()
        .map(|o| o.to_string())
        .or_else(|| report.outcomes.iter().find_map(|o| o.finding.facts.get("org_number")).map(shown))
        .unwrap_or_else(|| "-".into());
    let title = cat
        .text("markdown", "title")
        .replace("{org}", &crate::vocab::outside::defuse(&org))
        .replace("{env}", &cat.text("heading", &format!("env_{}", report.env.as_str())))
        .replace("{verdict}", &verdict_words(report));
    format!("# {title}\n\n")
}

fn verdict_words(report: &Report<'_>) -> String {
    report.catalogue.text("markdown", &format!("verdict_{}", report.verdict.as_str().replace('-', "_")))
}

/// Everything but the title and the findings.
fn details(report: &Report<'_>) -> String {
    let mut out = format!("\n## {}\n\n", report.catalogue.text("markdown", "overview"));
    out.push_str(&overview(report));
    out.push_str(&section(report, "certificate", &certificate(report)));
    out.push_str(&section(report, "client", &client(report)));
    out.push_str(&section(report, "system_user", &system_user(report)));
    if report.profile.altinn.flow.enterprise_user() {
        out.push_str(&section(report, "enterprise_user_section", &enterprise_user(report)));
    }
    out.push_str(&checks(report));
    out.push_str(&requests(report));
    out.push_str(&format!("\n{}\n", report.catalogue.text("markdown", "redacted")));
    out
}

/// Each failure and warning: the check, its cause, its fix and its trace IDs.
fn findings(report: &Report<'_>) -> String {
    let cat = report.catalogue;
    let mut out = format!("## {}\n\n", cat.text("markdown", "findings"));
    let found: Vec<&Outcome> = report
        .outcomes
        .iter()
        .filter(|o| matches!(o.finding.status(), crate::engine::Status::Fail | crate::engine::Status::Warn))
        .filter(|o| o.caused_by.is_none())
        .collect();
    if found.is_empty() {
        out.push_str(&format!("{}\n", cat.text("markdown", "no_findings")));
    }
    for o in found {
        let words = cat.render_as(o, Style::Markdown);
        let status = cat.status_word(o.finding.status());
        out.push_str(&format!("### {status}: `{}` — {}\n\n", o.id, cell(&words.title)));
        out.push_str(&format!("- {}: {}\n", cat.text("heading", "cause"), cell(&words.cause)));
        if let Some(fix) = &words.fix {
            out.push_str(&format!("- {}: {}\n", cat.text("heading", "fix"), cell(fix)));
        }
        if let Some(who) = cat.who(o) {
            out.push_str(&format!("- {}: {}\n", cat.text("heading", "who"), cell(&who)));
        }
        // The failures it causes, with their trace IDs: one problem, one fix.
        let mut traces = trace_ids(o);
        let because: Vec<&Outcome> = report.outcomes.iter().filter(|c| c.caused_by == Some(o.id)).collect();
        if !because.is_empty() {
            let names: Vec<String> = because.iter().map(|c| format!("`{}`", c.id)).collect();
            out.push_str(&format!(
                "- {}\n",
                cat.text("heading", "consequences").replace("{checks}", &names.join(", "))
            ));
            traces.extend(because.iter().flat_map(|c| trace_ids(c)));
        }
        if !traces.is_empty() {
            out.push_str(&format!("- {}: {}\n", cat.text("markdown", "trace_id"), traces.join(", ")));
        }
        out.push('\n');
    }
    out
}

/// A table's head: its columns and the rule under them.
fn head(columns: &[String]) -> String {
    format!("| {} |\n|{}\n", columns.join(" | "), "---|".repeat(columns.len()))
}

/// A table cell: one line, `|` escaped.
fn cell(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

/// A fact as text.
fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// The first value any outcome saw for `key`, as a code span (it may come from outside).
fn fact(report: &Report<'_>, key: &str) -> Option<String> {
    report.outcomes.iter().find_map(|o| o.finding.facts.get(key)).map(|v| code_span(&shown(v)))
}

/// A profile's own value (from a file or a variable), as a code span.
fn given(value: Option<&String>) -> Option<String> {
    value.map(|v| code_span(&crate::vocab::outside::neutralise(v)))
}

/// A two-column table of `(label key, value)` rows that have a value.
fn rows(report: &Report<'_>, rows: &[(&str, Option<String>)]) -> String {
    let cat = report.catalogue;
    let mut out = head(&[cat.text("heading", "fact"), cat.text("heading", "value")]);
    let mut any = false;
    for (label, value) in rows {
        if let Some(value) = value {
            out.push_str(&format!("| {} | {} |\n", cell(&cat.text("markdown", label)), cell(value)));
            any = true;
        }
    }
    if any { out } else { format!("{}\n", cat.text("markdown", "none")) }
}

fn section(report: &Report<'_>, heading: &str, body: &str) -> String {
    format!("\n## {}\n\n{body}", report.catalogue.text("markdown", heading))
}

fn overview(report: &Report<'_>) -> String {
    let cat = report.catalogue;
    let verdict = format!("{} (exit {})", verdict_words(report), report.verdict.exit_code());
    let tool = format!("altinn-doctor {} ({} {})", super::TOOL_VERSION, std::env::consts::OS, std::env::consts::ARCH);
    let offset = fact(report, "clock_offset_s").map(|s| format!("{s} s"));
    rows(
        report,
        &[
            ("tool", Some(tool)),
            ("environment", Some(cat.text("heading", &format!("env_{}", report.env.as_str())))),
            ("judged_at", Some(crate::vocab::times::rfc3339(report.at))),
            ("clock_offset", offset),
            ("verdict", Some(verdict)),
            ("summary", Some(super::table::summary_line(report, cat, super::table::Findings::Above))),
            ("profile", given(report.profile.name.as_ref())),
            ("config_file", report.profile.config_file.as_ref().map(|p| code_span(&p.display().to_string()))),
            ("expected_org", report.profile.org.as_ref().map(|o| o.to_string())),
        ],
    )
}

fn certificate(report: &Report<'_>) -> String {
    let org = fact(report, "org_number")
        .map(|n| format!("{n} ({})", fact(report, "org_number_source").unwrap_or_else(|| "?".into())));
    rows(
        report,
        &[
            ("file", fact(report, "file")),
            ("subject", fact(report, "subject")),
            ("issuer", fact(report, "issuer")),
            ("serial", fact(report, "serial")),
            ("thumbprint", fact(report, "thumbprint_sha1")),
            ("not_before", fact(report, "not_before")),
            ("not_after", fact(report, "not_after")),
            ("org_number", org),
        ],
    )
}

fn client(report: &Report<'_>) -> String {
    let mp = &report.profile.maskinporten;
    let scopes = (!mp.scopes.is_empty()).then(|| mp.scopes.join(" "));
    rows(
        report,
        &[
            ("client_id", given(mp.client_id.as_ref())),
            ("proof", fact(report, "grant_proof")),
            ("scopes", given(scopes.as_ref())),
            ("granted_scope", fact(report, "granted_scope")),
            ("consumer", fact(report, "consumer")),
        ],
    )
}

fn system_user(report: &Report<'_>) -> String {
    let a = &report.profile.altinn;
    let cat = report.catalogue;
    rows(
        report,
        &[
            ("flow", Some(cat.text("markdown", &format!("flow_{}", a.flow.as_str().replace('-', "_"))))),
            ("system_user_org", a.system_user_org.as_ref().map(|o| o.to_string())),
            ("system_id", given(a.system_id.as_ref())),
            ("external_ref", given(a.external_ref.as_ref())),
            ("systemuser_id", fact(report, "systemuser_id")),
            ("system_user_type", fact(report, "system_user_type")),
            (
                "access_packages",
                given((!a.require_access_packages.is_empty()).then(|| a.require_access_packages.join(", ")).as_ref()),
            ),
        ],
    )
}

/// The old guide's path, when the run followed it: the enterprise user, the roles
/// required, whether an API key was given (never the key), and Altinn 2's closing date.
fn enterprise_user(report: &Report<'_>) -> String {
    let a = &report.profile.altinn;
    let cat = report.catalogue;
    let said = |present: bool| cat.text("markdown", if present { "given" } else { "not_given" });
    rows(
        report,
        &[
            ("enterprise_user", given(a.enterprise_user.as_ref())),
            ("require_roles", Some(a.require_roles.join(", "))),
            ("api_key", Some(said(report.profile.secrets.api_key.is_some()))),
            ("enterprise_password", Some(said(report.profile.secrets.enterprise_password.is_some()))),
            ("altinn2_closed", Some(crate::altinn::types::ALTINN2_CLOSED.to_string())),
        ],
    )
}

/// Every check: status, cause, fix and the trace IDs the services gave.
fn checks(report: &Report<'_>) -> String {
    let cat = report.catalogue;
    let mut out = format!("\n## {}\n\n", cat.text("markdown", "checks"));
    out.push_str(&head(&[
        cat.text("heading", "check"),
        cat.text("heading", "status"),
        cat.text("heading", "cause"),
        cat.text("heading", "fix"),
        cat.text("markdown", "trace_id"),
    ]));
    for o in report.outcomes {
        let words = cat.render_as(o, Style::Markdown);
        let status = match cat.notes(o) {
            Some(note) => format!("{} ({note})", cat.status_word(o.finding.status())),
            None => cat.status_word(o.finding.status()),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            o.id,
            status,
            cell(&words.cause),
            cell(words.fix.as_deref().unwrap_or("")),
            cell(&trace_ids(o).join(", ")),
        ));
    }
    out.push_str(&facts(report));
    out
}

/// What was tried: every request of the run, in the order sent, with the check that
/// made it, its answer, its time and its trace ID.
fn requests(report: &Report<'_>) -> String {
    let cat = report.catalogue;
    let mut all: Vec<(&str, &crate::vocab::Request)> =
        report.outcomes.iter().flat_map(|o| o.requests.iter().map(move |r| (o.id.as_str(), r))).collect();
    if all.is_empty() {
        return String::new();
    }
    all.sort_by_key(|(_, r)| r.at);
    let mut out = format!("\n## {}\n\n", cat.text("markdown", "requests"));
    out.push_str(&head(
        &["time", "check", "request", "answer", "ms", "trace_id"]
            .map(|k| cat.text("markdown", &format!("request_{k}"))),
    ));
    for (check, r) in all {
        let at = millis(&r.at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default());
        let trace = r.trace_id.as_deref().map(code_span).unwrap_or_default();
        let request = code_span(&format!("{} {}", r.method, r.url));
        out.push_str(&format!(
            "| {at} | `{check}` | {} | {} | {} | {} |\n",
            cell(&request),
            cell(&r.outcome),
            r.millis,
            cell(&trace)
        ));
    }
    out
}

/// An RFC 3339 time to the millisecond (`…T20:24:53.109Z`).
fn millis(rfc3339: &str) -> String {
    match rfc3339.split_once('.') {
        Some((whole, fraction)) => {
            let digits: String = fraction.chars().filter(char::is_ascii_digit).take(3).collect();
            format!("{whole}.{digits:0<3}Z")
        }
        None => rfc3339.to_string(),
    }
}

/// The trace IDs an outcome carries.
fn trace_ids(o: &Outcome) -> Vec<String> {
    o.finding.facts.iter().filter(|(k, _)| k.contains("trace_id")).map(|(_, v)| code_span(&shown(v))).collect()
}

/// Every fact, under its check.
fn facts(report: &Report<'_>) -> String {
    let cat = report.catalogue;
    let mut out = format!("\n## {}\n\n", cat.text("heading", "facts"));
    out.push_str(&head(&[cat.text("heading", "check"), cat.text("heading", "fact"), cat.text("heading", "value")]));
    for o in report.outcomes {
        for (key, value) in o.finding.facts.iter() {
            let key = crate::vocab::outside::defuse(key).replace('`', "'");
            out.push_str(&format!("| `{}` | `{key}` | {} |\n", o.id, cell(&code_span(&shown(value)))));
        }
    }
    out
}
