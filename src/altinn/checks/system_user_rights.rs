//! `altinn.system-user-rights`: the system user holds the access packages the profile requires.

use serde::Serialize;

use super::*;
use crate::altinn::client::{self};
use crate::altinn::types::*;
use crate::engine::{Diagnosis, Facts, Finding, Status};
use crate::sources::Sources;

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum RightsCause {
    Granted { org: String, packages: String },
    NothingRequired,
    MissingPackage { package: String, org: String, held: String },
    PartyMissing { org: String },
    ScopeMissing,
    Unreadable { status: u16 },
}

impl Diagnosis for RightsCause {
    fn status(&self) -> Status {
        match self {
            RightsCause::Granted { .. } => Status::Pass,
            RightsCause::NothingRequired => Status::Skip,
            _ => Status::Fail,
        }
    }
}

pub(crate) async fn run(ctx: &Sources, system_user_token: &SystemUserToken) -> Finding {
    let a = &ctx.profile.altinn;
    if a.require_access_packages.is_empty() {
        return Finding::of(RightsCause::NothingRequired);
    }
    let SystemUserToken(token) = system_user_token;
    let answer = match client::authorized_parties_of(&ctx.http, &ctx.profile, token).await {
        Ok(a) => a,
        Err(e) => return Finding::of(e),
    };
    match answer.status {
        200 => {}
        403 => return Finding::of(RightsCause::ScopeMissing),
        500..=599 => {
            return Finding::of(crate::http::NetError::ServerError { url: answer.url.clone(), status: answer.status });
        }
        status => return Finding::of(RightsCause::Unreadable { status }),
    }
    let Some(parties) = client::authorized_parties(&answer.body) else {
        return Finding::of(RightsCause::Unreadable { status: 200 });
    };
    let mut facts = Facts::new();
    facts.put("authorized_parties", listing(&parties));
    let org = a.system_user_org.as_ref().map(|o| o.to_string()).unwrap_or_default();
    let Some(party) = client::find_party(&parties, &org) else {
        return Finding::of(RightsCause::PartyMissing { org }).with(facts);
    };
    let held: Vec<&str> =
        party.authorized_access_packages.iter().chain(&party.authorized_roles).map(|p| package_code(p)).collect();
    for package in &a.require_access_packages {
        if !held.contains(&package_code(package)) {
            return Finding::of(RightsCause::MissingPackage { package: package.clone(), org, held: held.join(", ") })
                .with(facts);
        }
    }
    Finding::of(RightsCause::Granted { org, packages: party.authorized_access_packages.join(", ") }).with(facts)
}

/// Each party (and sub-unit) with what it grants, for the facts.
fn listing(parties: &[AuthorizedParty]) -> Vec<String> {
    let mut out = Vec::new();
    for p in parties {
        let mut rights = p.authorized_access_packages.clone();
        rights.extend(p.authorized_roles.iter().cloned());
        out.push(format!("{} ({}): {}", p.name, p.organization_number.clone().unwrap_or_default(), rights.join(" ")));
        out.extend(listing(&p.subunits));
    }
    out
}
