//! `altinn.roles`: the enterprise user holds the roles the profile requires (the old guide's path).

use serde::Serialize;
use serde_json::Value;

use super::*;
use crate::altinn::client::{self, Answer};
use crate::altinn::types::*;
use crate::engine::{Diagnosis, Facts, Finding, Status};
use crate::sources::Sources;

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum RolesCause {
    Held {
        roles: String,
    },
    MissingRole {
        role: String,
        name: String,
        org: String,
    },
    /// A `--resource` whose policy grants it to roles the enterprise user holds none of.
    ResourceRoleMissing {
        resource: String,
        roles: String,
        org: String,
    },
    Altinn2Gone {
        closed: String,
    },
    Unreadable {
        status: u16,
        reason: String,
    },
}

impl Diagnosis for RolesCause {
    fn status(&self) -> Status {
        match self {
            RolesCause::Held { .. } => Status::Pass,
            _ => Status::Fail,
        }
    }
}

pub(crate) async fn run(
    ctx: &Sources,
    enterprise_token: &EnterpriseToken,
    grants: Option<&super::resource::ResourceGrants>,
) -> Finding {
    let EnterpriseToken(token) = enterprise_token;
    let key = ctx.profile.secrets.api_key.as_ref();
    let (definitions, roles) = match client::roles(&ctx.http1, &ctx.profile, token, key).await {
        Ok(answers) => answers,
        Err(e) => return Finding::of(e),
    };
    for a in [&definitions, &roles] {
        if altinn2_gone(a) {
            return Finding::of(RolesCause::Altinn2Gone { closed: ALTINN2_CLOSED.into() });
        }
        if a.status != 200 {
            return Finding::of(RolesCause::Unreadable { status: a.status, reason: a.reason_text() });
        }
    }
    let defs: Vec<RoleDefinition> = embedded(&definitions, "roledefinitions");
    let held: Vec<Role> = embedded(&roles, "roles");
    let code_of = |id: i64| defs.iter().find(|d| d.role_definition_id == id).map(|d| d.role_definition_code.clone());
    let codes: Vec<String> = held.iter().filter_map(|r| code_of(r.role_definition_id)).collect();
    let mut facts = Facts::new();
    facts.put("roles", codes.clone());
    // The org asked for, else the certificate's: the enterprise user logs in for it.
    let from_certificate = ctx.certificate.as_ref().ok().and_then(|m| match &m.leaf.facts.org {
        crate::certificate::orgno::OrgReading::Found { number, .. } => Some(number.to_string()),
        _ => None,
    });
    let org = ctx.profile.org.as_ref().map(|o| o.to_string()).or(from_certificate).unwrap_or_else(|| "-".into());
    for wanted in &ctx.profile.altinn.require_roles {
        if !codes.contains(wanted) {
            let name = defs
                .iter()
                .find(|d| &d.role_definition_code == wanted)
                .map(|d| d.role_name.clone())
                .unwrap_or_default();
            return Finding::of(RolesCause::MissingRole { role: wanted.clone(), name, org }).with(facts);
        }
    }
    if let Some(cause) = grants.and_then(|g| by_resources(g, &codes, &org)) {
        return Finding::of(cause).with(facts);
    }
    Finding::of(RolesCause::Held { roles: codes.join(", ") }).with(facts)
}

/// The first resource whose policy names roles, none of which the enterprise user holds.
fn by_resources(grants: &super::resource::ResourceGrants, held: &[String], org: &str) -> Option<RolesCause> {
    let holds = |role: &String| held.iter().any(|h| h.eq_ignore_ascii_case(role));
    let lacking = grants.0.iter().find(|g| !g.roles.is_empty() && !g.roles.iter().any(holds))?;
    Some(RolesCause::ResourceRoleMissing {
        resource: lacking.resource.clone(),
        roles: lacking.roles.iter().map(|r| r.to_ascii_uppercase()).collect::<Vec<_>>().join(", "),
        org: org.to_string(),
    })
}

/// The HAL `_embedded.NAME` array.
fn embedded<T: serde::de::DeserializeOwned>(a: &Answer, name: &str) -> Vec<T> {
    let body: Value = a.json().unwrap_or(Value::Null);
    serde_json::from_value(body["_embedded"][name].clone()).unwrap_or_default()
}
