//! The stable check IDs: the names reports, pages and scripts rely on.

use std::fmt;

macro_rules! check_ids {
    ($($variant:ident => $name:literal),* $(,)?) => {
        /// A check's stable ID.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum CheckId { $($variant),* }

        impl CheckId {
            /// Every ID, in run order.
            pub const ALL: &'static [CheckId] = &[$(CheckId::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(CheckId::$variant => $name),* }
            }
        }
    };
}

check_ids! {
    CertReadable => "cert.readable",
    CertKeyMatch => "cert.key-match",
    CertValidity => "cert.validity",
    CertRole => "cert.role",
    CertKeyStrength => "cert.key-strength",
    CertIssuer => "cert.issuer",
    CertRevocation => "cert.revocation",
    OrgNumber => "org.number",
    MpDiscovery => "mp.discovery",
    MpClock => "mp.clock",
    MpToken => "mp.token",
    MpTokenClaims => "mp.token-claims",
    AltinnExchange => "altinn.exchange",
    AltinnApiKey => "altinn.api-key",
    AltinnEnterpriseUser => "altinn.enterprise-user",
    AltinnRoles => "altinn.roles",
    AltinnSystemUser => "altinn.system-user",
    AltinnSystemUserRights => "altinn.system-user-rights",
}

impl CheckId {
    /// Reads an ID as the user typed it (case-insensitive).
    pub fn parse(text: &str) -> Option<CheckId> {
        let text = text.trim().to_ascii_lowercase();
        CheckId::ALL.iter().copied().find(|id| id.as_str() == text)
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for CheckId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
