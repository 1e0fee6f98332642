//! GitHub Actions workflow commands: the human report folded in a `::group::`, then an
//! `::error`, `::warning` or `::notice` per finding (title = the check ID, message =
//! cause and fix; none for a check that does not apply), then the verdict as a plain line.
//! The Markdown summary for `$GITHUB_STEP_SUMMARY` is the support report, folded.

use super::Report;
use crate::engine::Status;

/// The skips that say a check does not apply to this profile: no annotation for them.
const NOT_APPLICABLE: &[&str] = &["not-in-flow", "no-flow", "not-asked", "no-resource"];

/// The report as workflow commands.
pub(crate) fn render(report: &Report<'_>) -> String {
    let cat = report.catalogue;
    let mut out = format!("::group::{}\n", data(&cat.text("heading", "report_group")));
    out.push_str(&crate::vocab::outside::guard_lines(&super::table::render(report, false)));
    out.push_str("::endgroup::\n");
    for o in report.outcomes {
        let command = match o.finding.status() {
            // A consequence is named in its root's annotation: one problem, one annotation.
            _ if o.caused_by.is_some() => continue,
            Status::Fail => "error",
            Status::Warn if report.strict => "error",
            Status::Warn => "warning",
            Status::Skip if o.finding.cause.from_engine => continue,
            Status::Skip if NOT_APPLICABLE.contains(&o.finding.cause.code.as_str()) => continue,
            Status::Skip => "notice",
            Status::Pass => continue,
        };
        let words = cat.render(o);
        let mut message = words.cause;
        if let Some(marker) = cat.unjudged_marker(o) {
            message.push_str(&format!(" ({marker})"));
        }
        if let Some(fix) = words.fix {
            message.push_str(&format!("\n{}: {fix}", cat.text("heading", "fix")));
        }
        if let Some(who) = cat.who(o) {
            message.push_str(&format!("\n{}: {who}", cat.text("heading", "who")));
        }
        let because: Vec<&str> =
            report.outcomes.iter().filter(|c| c.caused_by == Some(o.id)).map(|c| c.id.as_str()).collect();
        if !because.is_empty() {
            message.push_str(&format!(
                "\n{}",
                cat.text("heading", "consequences").replace("{checks}", &because.join(", "))
            ));
        }
        message.push_str(&format!("\n{}: altinn-doctor explain {}", cat.text("heading", "more"), o.id));
        out.push_str(&format!("::{command} title={}::{}\n", property(o.id.as_str()), data(&message)));
    }
    out.push_str(&crate::vocab::outside::guard_lines(&super::table::summary_line(
        report,
        cat,
        super::table::Findings::Above,
    )));
    out.push('\n');
    out
}

/// A command's message: `%`, CR and LF escaped as the runner reads them.
pub(crate) fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A command's property value: as [`data`], and `:` and `,` too.
pub(crate) fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
