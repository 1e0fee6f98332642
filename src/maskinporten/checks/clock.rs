//! `mp.clock`: the local clock agrees with Maskinporten's, within what a grant tolerates.

use serde::Serialize;

use crate::engine::{Diagnosis, Facts, Finding, Status};
use crate::maskinporten::client::Discovered;
use crate::vocab::times::rfc3339;

/// Clock offsets (seconds) at which `mp.clock` warns and fails.
pub(crate) const CLOCK_WARN_S: i64 = 5;
pub(crate) const CLOCK_FAIL_S: i64 = 10;

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum ClockCause {
    InStep { seconds: i64 },
    DriftAhead { seconds: i64 },
    DriftBehind { seconds: i64 },
    Ahead { seconds: i64 },
    Behind { seconds: i64 },
    NoDate,
}

impl Diagnosis for ClockCause {
    fn status(&self) -> Status {
        match self {
            ClockCause::InStep { .. } => Status::Pass,
            ClockCause::DriftAhead { .. } | ClockCause::DriftBehind { .. } | ClockCause::NoDate => Status::Warn,
            ClockCause::Ahead { .. } | ClockCause::Behind { .. } => Status::Fail,
        }
    }

    /// An answer without a `Date` leaves the clock unjudged.
    fn inconclusive(&self) -> bool {
        matches!(self, ClockCause::NoDate)
    }
}

/// Compares the local clock with the `Date` of the metadata answer.
pub(crate) fn run(found: &Discovered) -> Finding {
    let Some(server) = found.server_date else { return Finding::of(ClockCause::NoDate) };
    // The Date header has whole seconds: compare at that resolution.
    let local = found.local_time.replace_nanosecond(0).unwrap_or(found.local_time);
    let ahead = (local - server).whole_seconds();
    let seconds = ahead.abs();
    let mut facts = Facts::new();
    facts.put("local_time", rfc3339(local)).put("maskinporten_time", rfc3339(server)).put("clock_offset_s", ahead);
    let cause = match (seconds, ahead > 0) {
        (s, _) if s <= CLOCK_WARN_S => ClockCause::InStep { seconds },
        (s, true) if s <= CLOCK_FAIL_S => ClockCause::DriftAhead { seconds },
        (s, false) if s <= CLOCK_FAIL_S => ClockCause::DriftBehind { seconds },
        (_, true) => ClockCause::Ahead { seconds },
        (_, false) => ClockCause::Behind { seconds },
    };
    Finding::of(cause).with(facts)
}
