//! `cert.key-match`: a private key belongs to the certificate, and can sign.

use serde::Serialize;

use super::*;
use crate::certificate::facts::KeyInfo;
use crate::certificate::key::PrivateKey;
use crate::certificate::load::{KeyProblem, KeySource, LoadError};
use crate::engine::{Diagnosis, Facts, Finding, Status};

impl Diagnosis for KeyProblem {
    fn status(&self) -> Status {
        Status::Fail
    }
}

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum KeyMatchCause {
    Matches {
        kind: String,
    },
    NoKey {
        path: String,
    },
    /// No key, and the profile asks for something only a signature proves.
    KeyNeeded {
        path: String,
        needed_by: String,
    },
    Mismatch {
        keys: usize,
        thumbprint: String,
    },
    BelongsToOther {
        thumbprint: String,
        other: String,
    },
    Unusable {
        reason: String,
    },
    /// A key client without a certificate: its registered key reads and can sign.
    RegisteredKey {
        kid: String,
        kind: String,
    },
    /// A key client without a certificate, and no private key given.
    NoKeyForKid {
        kid: String,
    },
}

impl Diagnosis for KeyMatchCause {
    fn status(&self) -> Status {
        match self {
            KeyMatchCause::Matches { .. } | KeyMatchCause::RegisteredKey { .. } => Status::Pass,
            KeyMatchCause::NoKey { .. } => Status::Skip,
            _ => Status::Fail,
        }
    }
}

/// Judges the key, and hands on the key that belongs to the certificate when it passes.
pub(crate) fn run(ctx: &Input<'_>) -> (Finding, Option<PrivateKey>) {
    let finding = judge(ctx);
    let key = match ctx.certificate {
        Ok(m) if finding.status() == Status::Pass => m.matching_key().cloned(),
        _ => None,
    };
    (finding, key)
}

fn judge(ctx: &Input<'_>) -> Finding {
    if let (Err(LoadError::NoSource), Some(kid)) = (ctx.certificate, &ctx.profile.maskinporten.kid) {
        return registered(kid, ctx.kid_keys);
    }
    with_material(ctx, |m| {
        let keys = match &m.keys {
            KeySource::Absent => {
                let path = m.path.display().to_string();
                return Finding::of(match signature_needed_by(ctx.profile) {
                    Some(needed_by) => KeyMatchCause::KeyNeeded { path, needed_by: needed_by.into() },
                    None => KeyMatchCause::NoKey { path },
                });
            }
            KeySource::Problem(p) => return Finding::of(p.clone()),
            KeySource::Found(keys) => keys,
        };
        let leaf = &m.leaf.facts;
        let Some(key) = m.matching_key() else {
            let other = m.others.iter().find(|o| keys.iter().any(|k| k.matches(&o.facts.key)));
            return Finding::of(match other {
                Some(o) => KeyMatchCause::BelongsToOther {
                    thumbprint: leaf.thumbprint.to_string(),
                    other: o.facts.thumbprint.to_string(),
                },
                None => KeyMatchCause::Mismatch { keys: keys.len(), thumbprint: leaf.thumbprint.to_string() },
            });
        };
        let mut facts = Facts::new();
        facts.put("private_key", key.kind());
        if let KeyInfo::Rsa { .. } = leaf.key
            && let Err(reason) = key.prove_rsa(&leaf.public_key_bits)
        {
            return Finding::of(KeyMatchCause::Unusable { reason }).with(facts);
        }
        Finding::of(KeyMatchCause::Matches { kind: key.kind().into() }).with(facts)
    })
}

/// A key client's registered key, when no certificate was given: the one it signs with.
fn registered(kid: &str, keys: &KeySource) -> Finding {
    let kid = kid.to_string();
    match keys {
        KeySource::Found(keys) => match keys.first() {
            Some(key) => Finding::of(KeyMatchCause::RegisteredKey { kid, kind: key.kind().into() }),
            None => Finding::of(KeyMatchCause::NoKeyForKid { kid }),
        },
        KeySource::Absent => Finding::of(KeyMatchCause::NoKeyForKid { kid }),
        KeySource::Problem(p) => Finding::of(p.clone()),
    }
}

/// What in the profile needs a grant signed with the certificate's key, if anything:
/// a certificate-only run (`--offline`, no client, no system user) needs none.
fn signature_needed_by(profile: &crate::config::Profile) -> Option<&'static str> {
    if profile.offline || profile.maskinporten.kid.is_some() {
        return None;
    }
    if profile.maskinporten.client_id.is_some() {
        Some("--client-id")
    } else if profile.altinn.system_user_org.is_some() {
        Some("--system-user-org")
    } else {
        None
    }
}
