//! `cert.readable`: the certificate (and its key) the profile names can be read.

use serde::Serialize;

use super::*;
use crate::certificate::load::LoadError;
use crate::engine::{Diagnosis, Facts, Finding, Status};

impl Diagnosis for LoadError {
    fn status(&self) -> Status {
        Status::Fail
    }
}

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum ReadableCause {
    Read {
        path: String,
        format: String,
        subject: String,
        others: usize,
    },
    /// A client with a registered key (`kid`) and no certificate given.
    KeyClient {
        kid: String,
    },
}

impl Diagnosis for ReadableCause {
    fn status(&self) -> Status {
        match self {
            ReadableCause::Read { .. } => Status::Pass,
            ReadableCause::KeyClient { .. } => Status::Skip,
        }
    }
}

pub(crate) fn run(ctx: &Input<'_>) -> Finding {
    let m = match (&ctx.certificate, &ctx.profile.maskinporten.kid) {
        (Ok(m), _) => m,
        (Err(LoadError::NoSource), Some(kid)) => return Finding::of(ReadableCause::KeyClient { kid: kid.clone() }),
        (Err(e), _) => return Finding::of(e.clone()),
    };
    let mut facts = Facts::new();
    facts
        .put("file", m.path.display().to_string())
        .put("format", m.format.as_str())
        .put("selection", json(&m.selection));
    facts.extend(&certificate_facts(&m.leaf.facts));
    if !m.others.is_empty() {
        let others: Vec<String> =
            m.others.iter().map(|o| format!("{} ({})", o.facts.thumbprint, o.facts.role.as_str())).collect();
        facts.put("other_certificates", others);
    }
    Finding::of(ReadableCause::Read {
        path: m.path.display().to_string(),
        format: m.format.as_str().into(),
        subject: m.leaf.facts.subject_cn.clone().unwrap_or_else(|| m.leaf.facts.subject.clone()),
        others: m.others.len(),
    })
    .with(facts)
}
