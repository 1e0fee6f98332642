//! One HTTP exchange as a run remembers it: what was tried, for the support report's
//! request log and `-v`. Never a header or a body; the URL with any password masked.

use time::OffsetDateTime;

/// A request the doctor sent, and what came of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Request {
    /// When it was sent.
    pub(crate) at: OffsetDateTime,
    pub(crate) method: String,
    /// Credentials masked.
    pub(crate) url: String,
    /// The status, or the fault's code (`timeout`, `unreachable`, …).
    pub(crate) outcome: String,
    pub(crate) millis: u128,
    pub(crate) trace_id: Option<String>,
}
