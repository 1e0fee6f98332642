//! The check pages of `checks/`, embedded: what `altinn-doctor explain ID` prints.

use crate::engine::CheckId;

macro_rules! pages {
    ($($id:literal),* $(,)?) => {
        /// `(check ID, page text)` for every page in `checks/`.
        pub const PAGES: &[(&str, &str)] = &[$(($id, include_str!(concat!("../../checks/", $id, ".md")))),*];
    };
}

pages!(
    "cert.readable",
    "cert.key-match",
    "cert.validity",
    "cert.role",
    "cert.key-strength",
    "cert.issuer",
    "cert.revocation",
    "org.number",
    "mp.discovery",
    "mp.clock",
    "mp.token",
    "mp.token-claims",
    "altinn.exchange",
    "altinn.api-key",
    "altinn.enterprise-user",
    "altinn.roles",
    "altinn.system-user",
    "altinn.system-user-rights",
);

/// The page of exit codes: `altinn-doctor explain exit-codes`.
pub const EXIT_CODES: &str = include_str!("../../checks/exit-codes.md");

/// The page of a check.
pub fn page(id: CheckId) -> Option<&'static str> {
    PAGES.iter().find(|(name, _)| *name == id.as_str()).map(|(_, text)| *text)
}
