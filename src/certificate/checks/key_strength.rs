//! `cert.key-strength`: the key is RSA of a length Maskinporten accepts.

use serde::Serialize;

use super::*;
use crate::certificate::facts::KeyInfo;
use crate::engine::{Diagnosis, Facts, Finding, Status};

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum StrengthCause {
    RsaStrong { bits: usize },
    RsaAdequate { bits: usize },
    RsaTooShort { bits: usize },
    EcKey { curve: String },
    Unsupported { algorithm: String },
}

impl Diagnosis for StrengthCause {
    fn status(&self) -> Status {
        match self {
            StrengthCause::RsaStrong { .. } | StrengthCause::RsaAdequate { .. } => Status::Pass,
            _ => Status::Fail,
        }
    }
}

pub(crate) fn run(ctx: &Input<'_>) -> Finding {
    with_material(ctx, |m| {
        let key = &m.leaf.facts.key;
        let mut facts = Facts::new();
        facts.put("key_algorithm", key.describe());
        let cause = match key {
            KeyInfo::Rsa { bits, .. } if *bits >= 3072 => StrengthCause::RsaStrong { bits: *bits },
            KeyInfo::Rsa { bits, .. } if *bits >= 2048 => StrengthCause::RsaAdequate { bits: *bits },
            KeyInfo::Rsa { bits, .. } => StrengthCause::RsaTooShort { bits: *bits },
            KeyInfo::Ec { curve, .. } => StrengthCause::EcKey { curve: curve.clone() },
            KeyInfo::Other { algorithm } => StrengthCause::Unsupported { algorithm: algorithm.clone() },
        };
        Finding::of(cause).with(facts)
    })
}
