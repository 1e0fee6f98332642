//! The report: the run's outcomes in words, as a table for people or JSON for programs.

pub mod catalogue;
pub mod inspect;
pub mod json;
pub mod pages;
pub mod table;

use time::OffsetDateTime;

use crate::config::Profile;
use crate::engine::{Outcome, Summary, Verdict};
use crate::vocab::Environment;
pub use catalogue::Catalogue;

/// Everything a report prints, collected once.
pub struct Report<'a> {
    pub env: Environment,
    pub at: OffsetDateTime,
    pub outcomes: &'a [Outcome],
    pub summary: Summary,
    pub verdict: Verdict,
    pub catalogue: &'a Catalogue,
}

impl<'a> Report<'a> {
    pub fn new(profile: &Profile, outcomes: &'a [Outcome]) -> Report<'a> {
        Report {
            env: profile.env,
            at: profile.at,
            outcomes,
            summary: Summary::of(outcomes),
            verdict: Verdict::of(outcomes, profile.strict),
            catalogue: Catalogue::english(),
        }
    }
}

/// The tool's version, as reports carry it.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
