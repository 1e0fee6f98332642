//! The human report: who the run is for, a comfy-table of the checks (below 100 columns,
//! one line per check instead), what to fix, the facts on request (`--facts`, `-v`), the
//! verdict.
//!
//! Status is always a symbol and a word, never colour alone; colour is off when
//! `NO_COLOR` is set or the output is not a terminal (decided in the profile), and only
//! the basic SGR colours (31/32/33, bold, dim) that every theme keeps readable.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table};

use super::catalogue::{fill, value_text};
use super::{Catalogue, Report};
use crate::engine::{Status, Verdict};
use crate::vocab::times::rfc3339;

/// Width used when the output is not a terminal (a pasted report stays readable).
const PIPE_WIDTH: u16 = 120;
/// Below this width the boxes give way to one line per check.
const BOX_WIDTH: u16 = 100;

pub(crate) fn symbol(status: Status) -> &'static str {
    match status {
        Status::Pass => "✓",
        Status::Warn => "!",
        Status::Fail => "✗",
        Status::Skip => "-",
    }
}

/// The status cell's style: the basic colours (not the 256-palette brights that vanish
/// on light and Solarized themes), bold for a failure, dim for a skip.
fn styled(cell: Cell, status: Status) -> Cell {
    match status {
        Status::Pass => cell.fg(Color::DarkGreen),
        Status::Warn => cell.fg(Color::DarkYellow),
        Status::Fail => cell.fg(Color::DarkRed).add_attribute(Attribute::Bold),
        Status::Skip => cell.add_attribute(Attribute::Dim),
    }
}

/// The SGR sequence of a status for the lines layout (the same colours as the table).
fn sgr(status: Status) -> &'static str {
    match status {
        Status::Pass => "\u{1b}[32m",
        Status::Warn => "\u{1b}[33m",
        Status::Fail => "\u{1b}[1;31m",
        Status::Skip => "\u{1b}[2m",
    }
}

/// The width to lay the report out in: `COLUMNS` when set, else the terminal's (when
/// colour says it is one) or 120.
fn width(report: &Report<'_>, color: bool) -> u16 {
    report.profile.columns.unwrap_or_else(|| match color {
        true => crossterm_width().unwrap_or(PIPE_WIDTH),
        false => PIPE_WIDTH,
    })
}

fn crossterm_width() -> Option<u16> {
    Table::new().width()
}

fn new_table(color: bool, width: u16) -> Table {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED.with_rounded_corners()).set_content_arrangement(ContentArrangement::Dynamic);
    if color {
        // The decision was made (`--color`, NO_COLOR, CLICOLOR_FORCE): styling follows it
        // even when stdout is not a terminal.
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_width(width);
    table
}

pub(crate) fn render(report: &Report<'_>, color: bool) -> String {
    let cat = report.catalogue;
    let env = cat.text("heading", &format!("env_{}", report.env.as_str()));
    let mut out = format!(
        "{} {} · {}: {} · {}: {}\n",
        cat.text("heading", "tool"),
        super::TOOL_VERSION,
        cat.text("heading", "environment"),
        env,
        cat.text("heading", "judged_at"),
        rfc3339(report.at)
    );
    out.push_str(&identity(report));
    let width = width(report, color);
    let mut out: String = out.lines().map(|l| wrap(l, width as usize).join("\n") + "\n").collect();
    out.push('\n');
    match width < BOX_WIDTH {
        true => out.push_str(&outcome_lines(report, color, width)),
        false => out.push_str(&outcome_table(report, color, width)),
    }
    out.push_str(&problems(report, width as usize));
    if report.profile.facts {
        out.push_str(&facts_table(report, color, width));
    }
    out.push('\n');
    // The verdict stays one line: the line scripts and people look for (a terminal wraps it).
    out.push_str(&summary_line(report, cat, Findings::Above));
    out.push('\n');
    out
}

/// Who the run is for: the organisation (number and name), the client, the profile and
/// where the certificate's password came from (never the password).
fn identity(report: &Report<'_>) -> String {
    let cat = report.catalogue;
    let p = report.profile;
    let fact = |key: &str| report.outcomes.iter().find_map(|o| o.finding.facts.get(key)).map(value_text);
    let name = fact("subject").and_then(|s| s.split(", ").find_map(|part| part.strip_prefix("O=").map(str::to_string)));
    let org = p.org.as_ref().map(|o| o.to_string()).or_else(|| fact("org_number"));
    let org = match (org, name) {
        (Some(o), Some(n)) => Some(format!("{o} {n}")),
        (o, n) => o.or(n),
    };
    let parts = [
        ("organisation", org),
        ("client", p.maskinporten.client_id.clone()),
        ("profile", p.name.clone()),
        ("password_from", p.secrets.cert_password_from.clone()),
    ];
    let said: Vec<String> = parts
        .into_iter()
        .filter_map(|(k, v)| Some(format!("{}: {}", cat.text("heading", k), crate::vocab::outside::neutralise(&v?))))
        .collect();
    if said.is_empty() { String::new() } else { format!("{}\n", said.join(" · ")) }
}

/// Below [`BOX_WIDTH`]: one line per check, `✓ pass  cert.readable  Read …`, the cause
/// cut at a space with `…` (the findings below say it whole; `-v` wraps it whole here);
/// a word (an ID, a URL, a path) is never broken.
fn outcome_lines(report: &Report<'_>, color: bool, width: u16) -> String {
    let cat = report.catalogue;
    let id_width = report.outcomes.iter().map(|o| o.id.as_str().len()).max().unwrap_or(0);
    let mut out = String::new();
    // The checks that do not apply to this profile (another flow, a probe not asked
    // for) are named on one line at the end, not one each.
    let aside = |o: &&crate::engine::Outcome| {
        o.finding.status() == Status::Skip && NOT_APPLICABLE.contains(&o.finding.cause.code.as_str())
    };
    for o in report.outcomes.iter().filter(|o| !aside(o)) {
        let status = o.finding.status();
        let words = cat.render(o);
        let result = match cat.notes(o) {
            Some(note) => format!("{} ({note})", words.cause),
            None => words.cause,
        };
        let head = format!("{} {:<4}", symbol(status), cat.status_word(status));
        let shown = if color { format!("{}{head}\u{1b}[0m", sgr(status)) } else { head.clone() };
        let indent = head.chars().count() + 2 + id_width + 2;
        let mut lines = wrap(&result, (width as usize).saturating_sub(indent).max(20));
        if !report.profile.verbose && lines.len() > 1 {
            lines.truncate(1);
            lines[0].push_str(" …");
        }
        out.push_str(&format!("{shown}  {:<id_width$}  {}\n", o.id.as_str(), lines[0]));
        for line in &lines[1..] {
            out.push_str(&format!("{}{line}\n", " ".repeat(indent)));
        }
    }
    let names: Vec<&str> = report.outcomes.iter().filter(aside).map(|o| o.id.as_str()).collect();
    if !names.is_empty() {
        let text = format!("{} {}", cat.text("heading", "not_applicable"), names.join(", "));
        let lines = wrap(&text, (width as usize).saturating_sub(8).max(20));
        let head = format!("{} {:<4}", symbol(Status::Skip), cat.status_word(Status::Skip));
        out.push_str(&format!("{head}  {}\n", lines.join(&format!("\n{}", " ".repeat(8)))));
    }
    out
}

/// Skips that say a check does not apply to this profile.
pub(crate) const NOT_APPLICABLE: &[&str] = &["not-in-flow", "no-flow", "not-asked"];

/// Text wrapped at spaces to `width` characters (room kept for a closing ` …`); a longer
/// word keeps a line of its own.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line at least");
        if line.is_empty() {
            line.push_str(word);
        } else if line.chars().count() + 1 + word.chars().count() + 2 <= width {
            line.push(' ');
            line.push_str(word);
        } else {
            lines.push(word.to_string());
        }
    }
    lines
}

/// One row per check: status, ID, cause.
fn outcome_table(report: &Report<'_>, color: bool, width: u16) -> String {
    let cat = report.catalogue;
    let mut table = new_table(color, width);
    table.set_header(["status", "check", "result"].map(|h| cat.text("heading", h)));
    for o in report.outcomes {
        let status = o.finding.status();
        let words = cat.render(o);
        let mut cell = Cell::new(format!("{} {}", symbol(status), cat.status_word(status)));
        if color {
            cell = styled(cell, status);
        }
        let result = match cat.notes(o) {
            Some(note) => format!("{} ({note})", words.cause),
            None => words.cause,
        };
        table.add_row(vec![cell, Cell::new(o.id.as_str()), Cell::new(result)]);
    }
    format!("{table}\n")
}

/// "What to fix": each failure and warning with its cause, fix and page, wrapped to the
/// width under their labels.
fn problems(report: &Report<'_>, width: usize) -> String {
    let cat = report.catalogue;
    let problems: Vec<_> = report
        .outcomes
        .iter()
        .filter(|o| matches!(o.finding.status(), Status::Fail | Status::Warn) && o.caused_by.is_none())
        .collect();
    if problems.is_empty() {
        return String::new();
    }
    let mut out = format!("\n{}\n", cat.text("heading", "problems"));
    for o in problems {
        let words = cat.render(o);
        let status = o.finding.status();
        let marker = cat.unjudged_marker(o).map(|m| format!(" ({m})")).unwrap_or_default();
        out.push_str(&format!("\n{} {} — {}{marker}\n", symbol(status), o.id, words.title));
        out.push_str(&labelled(&cat.text("heading", "cause"), &words.cause, width));
        if let Some(fix) = words.fix {
            out.push_str(&labelled(&cat.text("heading", "fix"), &fix, width));
        }
        if let Some(who) = cat.who(o) {
            out.push_str(&labelled(&cat.text("heading", "who"), &who, width));
        }
        let because: Vec<&str> =
            report.outcomes.iter().filter(|c| c.caused_by == Some(o.id)).map(|c| c.id.as_str()).collect();
        if !because.is_empty() {
            let said = cat.text("heading", "consequences").replace("{checks}", &because.join(", "));
            out.push_str(&labelled("→", &said, width).replacen("→:", "→", 1));
        }
        out.push_str(&format!("  {}: altinn-doctor explain {}\n", cat.text("heading", "more"), o.id));
    }
    out
}

/// `  Cause: …` wrapped, its further lines under the text.
fn labelled(label: &str, text: &str, width: usize) -> String {
    let indent = label.chars().count() + 4;
    let lines = wrap(text, width.saturating_sub(indent).max(20));
    let pad = " ".repeat(indent);
    let rest: String = lines[1..].iter().map(|l| format!("{pad}{l}\n")).collect();
    format!("  {label}: {}\n{rest}", lines[0])
}

/// The facts the checks saw, each once.
fn facts_table(report: &Report<'_>, color: bool, width: u16) -> String {
    let cat = report.catalogue;
    let facts = fact_rows(report.outcomes);
    if facts.is_empty() {
        return String::new();
    }
    let mut table = new_table(color, width);
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
            caused_by: None,
            requests: Vec::new(),
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
