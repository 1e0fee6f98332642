//! The human report: a comfy-table of the checks, what to fix, the facts, a summary.
//!
//! Status is always a symbol and a word, never colour alone; colour is off when
//! `NO_COLOR` is set or the output is not a terminal (decided in the profile).

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, Color, ContentArrangement, Table};

use super::catalogue::{fill, value_text};
use super::{Catalogue, Report};
use crate::engine::{Status, Verdict};
use crate::vocab::times::rfc3339;

/// Width used when the output is not a terminal (a pasted report stays readable).
const PIPE_WIDTH: u16 = 120;

pub(crate) fn symbol(status: Status) -> &'static str {
    match status {
        Status::Pass => "✓",
        Status::Warn => "!",
        Status::Fail => "✗",
        Status::Skip => "-",
    }
}

fn colour(status: Status) -> Color {
    match status {
        Status::Pass => Color::Green,
        Status::Warn => Color::Yellow,
        Status::Fail => Color::Red,
        Status::Skip => Color::DarkGrey,
    }
}

fn new_table(color: bool) -> Table {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED.with_rounded_corners()).set_content_arrangement(ContentArrangement::Dynamic);
    if color {
        // The decision was made (`--color`, NO_COLOR, CLICOLOR_FORCE): styling follows it
        // even when stdout is not a terminal.
        table.enforce_styling();
    } else {
        table.force_no_tty().set_width(PIPE_WIDTH);
    }
    table
}

pub(crate) fn render(report: &Report<'_>, color: bool) -> String {
    let cat = report.catalogue;
    let env = cat.text("heading", &format!("env_{}", report.env.as_str()));
    let mut out = format!(
        "{} {} · {}: {} · {}: {}\n\n",
        cat.text("heading", "tool"),
        super::TOOL_VERSION,
        cat.text("heading", "environment"),
        env,
        cat.text("heading", "judged_at"),
        rfc3339(report.at)
    );
    out.push_str(&outcome_table(report, color));
    out.push_str(&problems(report));
    out.push_str(&facts_table(report, color));
    out.push('\n');
    out.push_str(&summary_line(report, cat, Findings::Above));
    out.push('\n');
    out
}

/// One row per check: status, ID, cause.
fn outcome_table(report: &Report<'_>, color: bool) -> String {
    let cat = report.catalogue;
    let mut table = new_table(color);
    table.set_header(["status", "check", "result"].map(|h| cat.text("heading", h)));
    for o in report.outcomes {
        let status = o.finding.status();
        let words = cat.render(o);
        let mut cell = Cell::new(format!("{} {}", symbol(status), cat.status_word(status)));
        if color {
            cell = cell.fg(colour(status));
        }
        let result = match cat.notes(o) {
            Some(note) => format!("{} ({note})", words.cause),
            None => words.cause,
        };
        table.add_row(vec![cell, Cell::new(o.id.as_str()), Cell::new(result)]);
    }
    format!("{table}\n")
}

/// "What to fix": each failure and warning with its cause, fix and page.
fn problems(report: &Report<'_>) -> String {
    let cat = report.catalogue;
    let problems: Vec<_> =
        report.outcomes.iter().filter(|o| matches!(o.finding.status(), Status::Fail | Status::Warn)).collect();
    if problems.is_empty() {
        return String::new();
    }
    let mut out = format!("\n{}\n", cat.text("heading", "problems"));
    for o in problems {
        let words = cat.render(o);
        let status = o.finding.status();
        let marker = cat.unjudged_marker(o).map(|m| format!(" ({m})")).unwrap_or_default();
        out.push_str(&format!("\n{} {} — {}{marker}\n", symbol(status), o.id, words.title));
        out.push_str(&format!("  {}: {}\n", cat.text("heading", "cause"), words.cause));
        if let Some(fix) = words.fix {
            out.push_str(&format!("  {}: {}\n", cat.text("heading", "fix"), fix));
        }
        out.push_str(&format!("  {}: altinn-doctor explain {}\n", cat.text("heading", "more"), o.id));
    }
    out
}

/// The facts the checks saw, each once.
fn facts_table(report: &Report<'_>, color: bool) -> String {
    let cat = report.catalogue;
    let facts = fact_rows(report.outcomes);
    if facts.is_empty() {
        return String::new();
    }
    let mut table = new_table(color);
    table.set_header(["fact", "value"].map(|h| cat.text("heading", h)));
    for (key, value) in facts {
        table.add_row(vec![key, value]);
    }
    format!("\n{}\n{table}\n", cat.text("heading", "facts"))
}

/// The facts of every check, each once: a fact several checks saw with the same value
/// is one row; a key with different values in different checks (two `trace_id`s) gets a
/// row per check, named `check · key`, so that no fact hides another.
fn fact_rows(outcomes: &[crate::engine::Outcome]) -> Vec<(String, String)> {
    let all: Vec<(&str, &str, String)> = outcomes
        .iter()
        .flat_map(|o| o.finding.facts.iter().map(move |(k, v)| (o.id.as_str(), k, value_text(v))))
        .collect();
    let mut rows: Vec<(String, String)> = Vec::new();
    for (check, key, value) in &all {
        let shared = all.iter().any(|(_, k, v)| k == key && v != value);
        let name = if shared { format!("{check} · {key}") } else { key.to_string() };
        if !rows.iter().any(|(n, v)| *n == name && v == value) {
            rows.push((name, value.clone()));
        }
    }
    rows
}

/// Where the findings are, seen from the verdict line: above it (the table, the log, the
/// support report's overview after its findings), or not shown (`-q`, `token`).
#[derive(Clone, Copy)]
pub(crate) enum Findings {
    Above,
    Hidden,
}

/// The counts and the verdict in one line, each noun in its number.
pub(crate) fn summary_line(report: &Report<'_>, cat: &Catalogue, findings: Findings) -> String {
    let s = report.summary;
    let number = |key: &str, n: usize| cat.text("heading", &format!("{key}_{}", if n == 1 { "one" } else { "many" }));
    let place = cat.text(
        "heading",
        match findings {
            Findings::Above => "above",
            Findings::Hidden => "elsewhere",
        },
    );
    let args = serde_json::json!({
        "total": report.outcomes.len(), "pass": s.pass, "warn": s.warn, "fail": s.fail, "skip": s.skip,
        "warnings": number("warning", s.warn), "the_failures": number("the_failures", s.fail),
        "the_warnings": number("the_warnings", s.warn), "where": place,
    });
    let args = args.as_object().expect("json! object");
    let counts = fill(&cat.text("heading", "summary"), args);
    let verdict = match report.verdict {
        Verdict::NotReady if s.fail == 0 => "verdict_strict",
        Verdict::NotReady => "verdict_fail",
        Verdict::CouldNotCheck => "verdict_unknown",
        Verdict::Ready if s.warn > 0 => "verdict_warn",
        Verdict::Ready => "verdict_ok",
    };
    format!("{counts} {}", fill(&cat.text("heading", verdict), args))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{CheckId, Diagnosis, Facts, Finding, Outcome};

    #[derive(serde::Serialize)]
    #[serde(tag = "code", rename_all = "kebab-case")]
    enum Seen {
        Seen,
    }

    impl Diagnosis for Seen {
        fn status(&self) -> Status {
            Status::Pass
        }
    }

    fn outcome(id: CheckId, facts: &[(&'static str, &str)]) -> Outcome {
        let mut f = Facts::new();
        for (k, v) in facts {
            f.put(k, *v);
        }
        Outcome {
            id,
            finding: Finding::of(Seen::Seen).with(f),
            elapsed: std::time::Duration::ZERO,
            needed_by: None,
            proven_by: None,
        }
    }

    const DOMAIN: &str = "test";
    crate::check_id!(READABLE = "cert.readable");
    crate::check_id!(VALIDITY = "cert.validity");
    crate::check_id!(TOKEN = "mp.token");
    crate::check_id!(SYSTEM_USER = "altinn.system-user");

    #[test]
    fn no_fact_hides_another() {
        let outcomes = [
            outcome(READABLE, &[("not_after", "2027-01-01"), ("subject", "CN=x")]),
            outcome(VALIDITY, &[("not_after", "2027-01-01")]),
            outcome(TOKEN, &[("trace_id", "aaa")]),
            outcome(SYSTEM_USER, &[("trace_id", "bbb")]),
        ];
        let rows = fact_rows(&outcomes);
        let names: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["not_after", "subject", "mp.token · trace_id", "altinn.system-user · trace_id"]);
    }
}
