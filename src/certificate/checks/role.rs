//! `cert.role`: the certificate is the authentication one, not the signing or encryption one.

use serde::Serialize;

use super::*;
use crate::certificate::facts::Role;
use crate::engine::{Diagnosis, Facts, Finding, Status};

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum RoleCause {
    Authentication { key_usage: String },
    WrongRole { role: String, key_usage: String },
    WrongRoleUseOther { role: String, key_usage: String, other: String },
    NoClientAuth { eku: String },
}

impl Diagnosis for RoleCause {
    fn status(&self) -> Status {
        match self {
            RoleCause::Authentication { .. } => Status::Pass,
            _ => Status::Fail,
        }
    }
}

pub(crate) fn run(ctx: &Input<'_>) -> Finding {
    with_material(ctx, |m| {
        let c = &m.leaf.facts;
        let mut facts = Facts::new();
        facts.put("role", c.role.as_str()).put("key_usage", key_usage_text(c));
        facts.put_opt("eku", c.eku.as_ref().map(|e| e.join(", ")));
        let auth_other = m
            .others
            .iter()
            .find(|o| o.facts.role == Role::Authentication && o.facts.eku_allows_client_auth)
            .map(|o| o.facts.thumbprint.to_string());
        let cause = if c.role != Role::Authentication {
            match auth_other {
                Some(other) => {
                    RoleCause::WrongRoleUseOther { role: c.role.as_str().into(), key_usage: key_usage_text(c), other }
                }
                None => RoleCause::WrongRole { role: c.role.as_str().into(), key_usage: key_usage_text(c) },
            }
        } else if !c.eku_allows_client_auth {
            RoleCause::NoClientAuth { eku: c.eku.as_ref().map(|e| e.join(", ")).unwrap_or_default() }
        } else {
            RoleCause::Authentication { key_usage: key_usage_text(c) }
        };
        Finding::of(cause).with(facts)
    })
}
