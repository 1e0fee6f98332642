//! The JSON report: one object, versioned by `schema_version` (documented in the README).

use serde::Serialize;
use serde_json::Value;

use super::{Report, TOOL_VERSION};
use crate::engine::{Facts, Summary};
use crate::vocab::times::rfc3339;

/// Bumped when a field is removed or changes meaning; new fields do not bump it.
pub(crate) const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    tool_version: &'static str,
    env: &'static str,
    at: String,
    /// `ready`, `not-ready` or `could-not-check`: what the exit code says (0, 1, 3).
    verdict: &'static str,
    exit_code: u8,
    checks: Vec<JsonCheck<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    id: &'static str,
    title: String,
    status: &'static str,
    cause_code: &'a str,
    /// True when a fault, not the set-up, kept the check from its verdict.
    inconclusive: bool,
    /// The chosen check (`--only`, `--skip`) this one ran for, when it was not chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    needed_by: Option<&'static str>,
    /// A check that could not reach its verdict, but whose point this passed check proved.
    #[serde(skip_serializing_if = "Option::is_none")]
    proven_by: Option<&'static str>,
    /// A failure that is the consequence of this check's failure: its root cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    caused_by: Option<&'static str>,
    /// Who acts on a failure or warning that has no `caused_by`.
    #[serde(skip_serializing_if = "Option::is_none")]
    who: Option<&'a str>,
    cause: String,
    fix: Option<String>,
    explain: String,
    facts: &'a Facts,
}

#[derive(Serialize)]
struct JsonSummary {
    #[serde(flatten)]
    counts: Summary,
    total: usize,
}

pub(crate) fn render(report: &Report<'_>) -> String {
    let checks = report
        .outcomes
        .iter()
        .map(|o| {
            let words = report.catalogue.render(o);
            JsonCheck {
                id: o.id.as_str(),
                title: words.title,
                status: o.finding.status().as_str(),
                cause_code: &o.finding.cause.code,
                inconclusive: o.finding.cause.inconclusive,
                needed_by: o.needed_by.map(|id| id.as_str()),
                proven_by: o.proven_by.map(|id| id.as_str()),
                caused_by: o.caused_by.map(|id| id.as_str()),
                who: report.catalogue.who_code(o),
                cause: words.cause,
                fix: words.fix,
                explain: format!("altinn-doctor explain {}", o.id),
                facts: &o.finding.facts,
            }
        })
        .collect();
    let doc = JsonReport {
        schema_version: SCHEMA_VERSION,
        tool_version: TOOL_VERSION,
        env: report.env.as_str(),
        at: rfc3339(report.at),
        verdict: report.verdict.as_str(),
        exit_code: report.verdict.exit_code(),
        checks,
        summary: JsonSummary { counts: report.summary, total: report.outcomes.len() },
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| Value::String(e.to_string()).to_string())
}
