//! `org.number`: the certificate carries the organisation number the profile expects.

use serde::Serialize;

use super::*;
use crate::certificate::orgno::OrgReading;
use crate::engine::{Diagnosis, Facts, Finding, Status};

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum OrgCause {
    Matches { org: String, source: String },
    Found { org: String, source: String },
    Mismatch { org: String, expected: String, source: String },
    CheckDigit { org: String, source: String },
    Foreign { identifier: String },
    Missing { subject: String },
}

impl Diagnosis for OrgCause {
    fn status(&self) -> Status {
        match self {
            OrgCause::Matches { .. } | OrgCause::Found { .. } => Status::Pass,
            OrgCause::CheckDigit { .. } => Status::Warn,
            _ => Status::Fail,
        }
    }
}

pub(crate) fn run(ctx: &Input<'_>) -> Finding {
    with_material(ctx, |m| {
        let c = &m.leaf.facts;
        let (number, source) = match &c.org {
            OrgReading::Found { number, source } => (number, source.as_str().to_string()),
            OrgReading::Foreign { identifier } => {
                return Finding::of(OrgCause::Foreign { identifier: identifier.clone() });
            }
            OrgReading::Missing => {
                return Finding::of(OrgCause::Missing { subject: c.subject.clone() });
            }
        };
        let mut facts = Facts::new();
        facts.put("org_number", number.to_string()).put("org_number_source", source.clone());
        facts.put_opt("sub_unit", c.sub_unit.clone());
        if let Some(expected) = &ctx.profile.org {
            facts.put("expected_org_number", expected.to_string());
        }
        let org = number.to_string();
        let cause = match &ctx.profile.org {
            Some(expected) if expected != number => OrgCause::Mismatch { org, expected: expected.to_string(), source },
            _ if !number.has_valid_check_digit() => OrgCause::CheckDigit { org, source },
            Some(_) => OrgCause::Matches { org, source },
            None => OrgCause::Found { org, source },
        };
        Finding::of(cause).with(facts)
    })
}
