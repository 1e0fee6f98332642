//! `altinn.resource`: each resource the integration calls (`--resource`) is in Altinn's
//! resource registry, and its policy names who gets access; hands on, per resource, the
//! access packages and roles that grant it, for the rights check.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::altinn::client;
use crate::altinn::types::*;
use crate::engine::{Diagnosis, Facts, Finding, Status};
use crate::sources::Sources;

/// The authentication level of a system user's Altinn token.
const SYSTEM_USER_LEVEL: u8 = 3;

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum ResourceCause {
    Known {
        resources: String,
    },
    NoResource,
    NotFound {
        resource: String,
    },
    /// The system-user flow, and a resource its owner does not let be delegated.
    NotDelegable {
        resource: String,
        owner: String,
    },
    /// The policy names no access package or role: a system user cannot be granted it.
    NoGrant {
        resource: String,
    },
    /// The API's Maskinporten scope is not among the profile's.
    ScopeNotAsked {
        resource: String,
        scopes: String,
    },
    /// The policy demands a higher authentication level than a system user's token has.
    LevelTooHigh {
        resource: String,
        level: u8,
        owner: String,
    },
    /// The owner keeps an access list; a consumer cannot read whether it is on it.
    AccessList {
        resource: String,
        owner: String,
    },
}

impl Diagnosis for ResourceCause {
    fn status(&self) -> Status {
        match self {
            ResourceCause::Known { .. } => Status::Pass,
            ResourceCause::NoResource => Status::Skip,
            ResourceCause::ScopeNotAsked { .. } | ResourceCause::AccessList { .. } => Status::Warn,
            _ => Status::Fail,
        }
    }
}

/// What grants one resource: any one of these packages or roles (codes, lower case).
#[derive(Debug, Clone)]
pub(crate) struct Grants {
    pub(crate) resource: String,
    pub(crate) packages: Vec<String>,
    pub(crate) roles: Vec<String>,
}

/// Every resource's grants, for `altinn.system-user-rights`, and the packages' names
/// from access management's metadata (code → name).
#[derive(Debug, Clone, Default)]
pub(crate) struct ResourceGrants(pub(crate) Vec<Grants>, pub(crate) BTreeMap<String, String>);

impl ResourceGrants {
    /// A package's code with its name beside it, when access management gave one.
    pub(crate) fn named(&self, code: &str) -> String {
        match self.1.get(code) {
            Some(name) => format!("{code} ({name})"),
            None => code.to_string(),
        }
    }
}

/// Reads every resource at once; the first that cannot work decides, then warnings.
pub(crate) async fn run(ctx: &Sources) -> (Finding, Option<ResourceGrants>) {
    let ids = &ctx.profile.altinn.resources;
    if ids.is_empty() {
        return (Finding::of(ResourceCause::NoResource), None);
    }
    let reads = ids.iter().map(|id| client::resource(&ctx.http, &ctx.profile, id));
    let answers = futures_util::future::join_all(reads).await;
    let mut facts = Facts::new();
    let (mut grants, mut failure, mut warning) = (Vec::new(), None, None);
    for (id, answer) in ids.iter().zip(answers) {
        let read = match answer {
            Ok(Some(read)) => read,
            Ok(None) => {
                failure.get_or_insert(ResourceCause::NotFound { resource: id.clone() });
                continue;
            }
            Err(e) => return (Finding::of(e).with(facts), None),
        };
        let g = grants_of(id, &read.subjects);
        match judge(ctx, &read, &g) {
            Some(c) if c.status() == Status::Fail => drop(failure.get_or_insert(c)),
            Some(c) => drop(warning.get_or_insert(c)),
            None => {}
        }
        grants.push(g);
    }
    let mut codes: Vec<String> = grants.iter().flat_map(|g| g.packages.iter().cloned()).collect();
    codes.sort();
    codes.dedup();
    let grants = ResourceGrants(grants, client::package_names(&ctx.http, &ctx.profile, &codes).await);
    facts.put("resource_grants", listed(&grants));
    let cause = failure.or(warning).unwrap_or_else(|| ResourceCause::Known { resources: ids.join(", ") });
    (Finding::of(cause).with(facts), Some(grants))
}

/// Each resource with what grants it, packages named, for the facts.
fn listed(all: &ResourceGrants) -> Vec<String> {
    let line = |g: &Grants| {
        let packages: Vec<String> = g.packages.iter().map(|p| all.named(p)).collect();
        let roles = g.roles.iter().map(|r| format!("{SUBJECT_ROLE_CODE}:{r}"));
        format!("{}: {}", g.resource, packages.into_iter().chain(roles).collect::<Vec<_>>().join(", "))
    };
    all.0.iter().map(line).collect()
}

fn grants_of(id: &str, subjects: &[PolicySubject]) -> Grants {
    let of = |kind: &str| -> Vec<String> {
        subjects.iter().filter(|s| s.kind.eq_ignore_ascii_case(kind)).map(|s| s.value.to_ascii_lowercase()).collect()
    };
    Grants { resource: id.to_string(), packages: of(SUBJECT_ACCESS_PACKAGE), roles: of(SUBJECT_ROLE_CODE) }
}

/// What would keep the integration from one resource, in the order a fix is made.
fn judge(ctx: &Sources, read: &client::ReadResource, g: &Grants) -> Option<ResourceCause> {
    let r = &read.resource;
    let resource = g.resource.clone();
    let owner = r.has_competent_authority.as_ref().and_then(|a| a.organization.clone()).unwrap_or_default();
    let system_user = ctx.profile.altinn.flow.system_user();
    if system_user && !r.delegable {
        return Some(ResourceCause::NotDelegable { resource, owner });
    }
    // A system user's exchanged token is level 3 (urn:altinn:authlevel).
    if system_user && let Some(level) = read.min_level.filter(|l| *l > SYSTEM_USER_LEVEL) {
        return Some(ResourceCause::LevelTooHigh { resource, level, owner });
    }
    if system_user && g.packages.is_empty() && g.roles.is_empty() {
        return Some(ResourceCause::NoGrant { resource });
    }
    let asked = &ctx.profile.maskinporten.scopes;
    let scopes = r.scopes();
    if !scopes.is_empty() && !scopes.iter().any(|s| asked.contains(s)) {
        return Some(ResourceCause::ScopeNotAsked { resource, scopes: scopes.join(", ") });
    }
    if r.access_list_mode.as_deref().is_some_and(|m| m.eq_ignore_ascii_case("Enabled")) {
        return Some(ResourceCause::AccessList { resource, owner });
    }
    None
}
