//! The shared words every module may use: the environment, the Altinn era, secrets, the
//! organisation number, the thumbprint, time formats, and the problems a setting can have.

mod orgno;
pub(crate) mod outside;
pub(crate) mod problem;
mod request;
mod secret;
mod thumbprint;
pub mod times;

use std::fmt;

pub(crate) use orgno::OrgNumber;
pub(crate) use outside::Outside;
pub(crate) use problem::Problem;
pub(crate) use request::Request;
pub use secret::{MASK, Secret};
pub(crate) use thumbprint::Thumbprint;

/// The Altinn/Maskinporten environment pair a profile targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// Maskinporten test + Altinn TT02.
    Test,
    /// Maskinporten + Altinn production.
    Prod,
}

impl Environment {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Environment::Test => "test",
            Environment::Prod => "prod",
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which Altinn a world is in: the 2025 one, or the one after Altinn 2 closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    /// Everything as the 2021 guide describes: Altinn 2, API keys, enterprise users.
    Y2025,
    /// Since 19 June 2026: the enterprise-user header answers 410, Altinn 2 is gone.
    Current,
}

impl Era {
    pub(crate) fn parse(text: &str) -> Option<Era> {
        match text {
            "2025" => Some(Era::Y2025),
            "current" => Some(Era::Current),
            _ => None,
        }
    }
}

/// The language of every sentence a user reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    /// Norwegian bokmål (also for `nn` and `no` locales: the catalogue has no nynorsk).
    Nb,
}

impl Lang {
    /// `--lang nb|en` (also `no`, `nn`, `nb-NO`, `en-GB`, …).
    pub fn parse(text: &str) -> Option<Lang> {
        let lower = text.trim().to_ascii_lowercase();
        let code = lower.split(['_', '-', '.', '@']).next().unwrap_or("");
        match code {
            "nb" | "nn" | "no" => Some(Lang::Nb),
            "en" | "c" | "posix" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of a locale (`LC_ALL`, `LC_MESSAGES`, `LANG`): bokmål for `nb`, `nn`
    /// and `no`, English for anything else.
    pub fn of_locale(locale: &str) -> Lang {
        Lang::parse(locale).unwrap_or(Lang::En)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nb => "nb",
        }
    }
}
