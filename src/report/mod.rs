//! The report: the run's outcomes in words, as a table for people, JSON for programs,
//! JUnit XML and GitHub workflow commands for pipelines, Markdown for a support case.

pub(crate) mod catalogue;
pub(crate) mod completion;
pub(crate) mod github;
pub mod help;
pub(crate) mod inspect;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod markdown;
pub(crate) mod pages;
pub(crate) mod table;
pub(crate) mod usage;

use time::OffsetDateTime;

use crate::config::{Format, Profile};
use crate::engine::{Outcome, Summary, Verdict};
use crate::vocab::Environment;
pub use catalogue::Catalogue;

/// Everything a report prints, collected once.
pub(crate) struct Report<'a> {
    pub(crate) profile: &'a Profile,
    pub(crate) strict: bool,
    pub(crate) env: Environment,
    pub(crate) at: OffsetDateTime,
    pub(crate) outcomes: &'a [Outcome],
    pub(crate) summary: Summary,
    pub(crate) verdict: Verdict,
    pub(crate) catalogue: &'a Catalogue,
}

impl<'a> Report<'a> {
    pub(crate) fn new(profile: &'a Profile, outcomes: &'a [Outcome]) -> Report<'a> {
        Report {
            profile,
            strict: profile.strict,
            env: profile.env,
            at: profile.at,
            outcomes,
            summary: Summary::of(outcomes),
            verdict: Verdict::of(outcomes, profile.strict),
            catalogue: Catalogue::of(profile.lang),
        }
    }
}

/// A run's report in `format`; no URL in it carries its user and password.
pub(crate) fn render(format: Format, profile: &Profile, outcomes: &[Outcome], color: bool) -> String {
    let report = Report::new(profile, outcomes);
    let text = match format {
        Format::Table => table::render(&report, color),
        Format::Json => format!("{}\n", json::render(&report)),
        Format::Junit => junit::render(&report),
        // The GitHub renderer writes its own commands and guards the rest itself.
        Format::Github => return crate::http::mask_credentials(&github::render(&report)),
        Format::Markdown => markdown::render(&report),
    };
    crate::http::mask_credentials(&crate::vocab::outside::guard_lines(&text))
}

/// The Markdown report for `$GITHUB_STEP_SUMMARY`: the verdict and findings open, the
/// rest folded in `<details>`.
pub(crate) fn step_summary(profile: &Profile, outcomes: &[Outcome]) -> String {
    let report = Report::new(profile, outcomes);
    let text = markdown::render_folded(&report);
    crate::http::mask_credentials(&crate::vocab::outside::guard_lines(&text))
}

/// A run that could not start, in `format`: one `<error>` test case in JUnit, an
/// `::error` on GitHub, a JSON object with the exit code, a Markdown page, or the line.
pub(crate) fn usage_error(format: Format, cat: &Catalogue, message: &str) -> String {
    let message = crate::vocab::outside::neutralise(message);
    let title = cat.text("markdown", "usage_error");
    let text = match format {
        Format::Junit => junit::render_many(&[("", junit::Suite::Broken(message.clone()))]),
        Format::Json => format!(
            "{}\n",
            serde_json::json!({"tool": "altinn-doctor", "version": TOOL_VERSION, "verdict": "usage-error",
                "exit_code": 2, "error": message})
        ),
        Format::Github => return format!("::error title=configuration::{}\n", github::data(&message)),
        Format::Markdown => format!("# altinn-doctor: {title}\n\n{message}\n"),
        Format::Table => format!("altinn-doctor: {message}\n"),
    };
    crate::http::mask_credentials(&crate::vocab::outside::guard_lines(&text))
}

/// The tool's version, as reports carry it.
pub(crate) const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
