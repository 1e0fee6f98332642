//! `altinn.system-user-rights`: the system user holds the access packages the profile
//! requires: a standard system user on its own organisation, an agent system user on
//! each of the clients its facilitator delegated to it.

use serde::Serialize;
use serde_json::json;

use super::grantor::{self, ExchangeFault, Grantor};
use super::*;
use crate::altinn::client::{self};
use crate::altinn::types::*;
use crate::certificate::key::PrivateKey;
use crate::config::SystemUserType;
use crate::engine::{Diagnosis, Facts, Finding, Status};
use crate::maskinporten::client::{Discovered, GrantError, TokenAnswer};
use crate::maskinporten::errors;
use crate::maskinporten::types::MpCode;
use crate::sources::Sources;

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum RightsCause {
    Granted {
        org: String,
        packages: String,
    },
    /// An agent system user: every client holds every required package.
    ClientsGranted {
        org: String,
        clients: usize,
        packages: String,
    },
    /// Every `--resource` is granted by a package or role held.
    ResourcesGranted {
        org: String,
        resources: String,
    },
    /// A party (the customer, or a client) holds none of what grants a resource.
    ResourceNotGranted {
        resource: String,
        party: String,
        grants: String,
    },
    NothingRequired,
    MissingPackage {
        package: String,
        org: String,
        held: String,
    },
    /// An agent system user with no client delegated to it yet.
    NoClients {
        org: String,
    },
    /// Clients of an agent system user without a required package. `complete` clients
    /// hold them all.
    ClientsMissingPackage {
        org: String,
        missing: String,
        complete: usize,
        clients: usize,
    },
    /// A missing package the vendor has asked the customer for: the change request waits.
    ChangeRequestPending {
        package: String,
        org: String,
        confirm_url: String,
    },
    PartyMissing {
        org: String,
    },
    /// The client may not ask for the authorised-parties scope (MP-200/201).
    ScopeMissing {
        scope: String,
        client_id: String,
    },
    /// Maskinporten refused the rights grant for another reason.
    GrantRefused {
        mp_code: String,
        description: String,
        trace_id: String,
    },
    /// Access management answered what the doctor does not expect; its own words quoted.
    Unreadable {
        status: u16,
        said: String,
    },
    SigningFailed {
        reason: String,
    },
}

impl Diagnosis for RightsCause {
    fn status(&self) -> Status {
        match self {
            RightsCause::Granted { .. } | RightsCause::ClientsGranted { .. } | RightsCause::ResourcesGranted { .. } => {
                Status::Pass
            }
            RightsCause::NothingRequired => Status::Skip,
            // Some clients are ready: the others are the facilitator's to complete.
            RightsCause::ClientsMissingPackage { complete, .. } if *complete > 0 => Status::Warn,
            _ => Status::Fail,
        }
    }

    fn inconclusive(&self) -> bool {
        matches!(self, RightsCause::Unreadable { .. })
    }
}

/// What the check reads: the system user's token, and what signs a grant of its own.
pub(crate) struct Given<'a> {
    pub(crate) found: &'a Discovered,
    pub(crate) proven_key: Option<&'a PrivateKey>,
    pub(crate) token: &'a SystemUserToken,
    /// What grants each `--resource`, from `altinn.resource`.
    pub(crate) grants: Option<&'a super::resource::ResourceGrants>,
}

pub(crate) async fn run(ctx: &Sources, given: Given<'_>) -> Finding {
    let a = &ctx.profile.altinn;
    let none = super::resource::ResourceGrants::default();
    let resources = given.grants.unwrap_or(&none);
    if a.require_access_packages.is_empty() && resources.0.is_empty() {
        return Finding::of(RightsCause::NothingRequired);
    }
    let token = match rights_token(ctx, &given).await {
        Ok(t) => t,
        Err(finding) => return finding,
    };
    let answer = match client::authorized_parties_of(&ctx.http, &ctx.profile, &token).await {
        Ok(a) => a,
        Err(e) => return Finding::of(e),
    };
    let client_id = ctx.profile.maskinporten.client_id.clone().unwrap_or_default();
    match answer.status {
        200 => {}
        403 => return Finding::of(RightsCause::ScopeMissing { scope: AUTHORIZED_PARTIES_SCOPE.into(), client_id }),
        500..=599 => {
            return Finding::of(crate::http::NetError::ServerError { url: answer.url.clone(), status: answer.status });
        }
        status => return Finding::of(RightsCause::Unreadable { status, said: client::said(&answer) }),
    }
    let Some(parties) = client::authorized_parties(&answer.body) else {
        return Finding::of(RightsCause::Unreadable { status: 200, said: answer.first_bytes() });
    };
    let mut facts = Facts::new();
    facts.put("authorized_parties", listing(&parties));
    let org = a.system_user_org.as_ref().map(|o| o.to_string()).unwrap_or_default();
    let judged = match judge(&parties, &org, a.system_user_type, &a.require_access_packages) {
        c @ (RightsCause::Granted { .. } | RightsCause::ClientsGranted { .. }) => {
            by_resources(&parties, &org, a.system_user_type, resources).unwrap_or(c)
        }
        other => other,
    };
    let cause = match judged {
        RightsCause::MissingPackage { package, org, held } => {
            match pending_change(ctx, &given, &org, &mut facts).await {
                Some(confirm_url) => RightsCause::ChangeRequestPending { package, org, confirm_url },
                None => RightsCause::MissingPackage { package, org, held },
            }
        }
        other => other,
    };
    Finding::of(cause).with(facts)
}

/// The confirm URL of the vendor's change request for this system user, when one waits
/// for the customer (status `New`, not timed out). Looked up only with `--system-id`;
/// any look-up that does not answer leaves the finding as it was, and says so in a fact.
/// The answer's package list is not read: Altinn's look-up leaves it empty.
async fn pending_change(ctx: &Sources, given: &Given<'_>, org: &str, facts: &mut Facts) -> Option<String> {
    let system_id = ctx.profile.altinn.system_id.as_deref()?;
    let via = Grantor::new(ctx, given.found, given.proven_key).ok()?;
    let tokens = via.vendor_tokens(ctx, &[SCOPE_REQUEST_READ]).await;
    let vendor = client::Vendor { http: &ctx.http, platform: client::platform_base(&ctx.profile), tokens: &tokens };
    let reference = ctx.profile.altinn.external_ref.clone().unwrap_or_else(|| org.to_string());
    match vendor.change_request(system_id, org, &reference).await {
        client::Lookup::Found(c) => {
            facts.put("change_request_status", c.status.clone()).put("change_request_timed_out", c.timed_out);
            let waiting = c.status.eq_ignore_ascii_case(request_status::NEW) && !c.timed_out;
            waiting.then(|| c.confirm_url.unwrap_or_else(|| "(not given)".into()))
        }
        client::Lookup::NotFound { .. } => {
            facts.put("change_request_status", "none");
            None
        }
        client::Lookup::NoScope { scope } => {
            facts.put("change_request_status", format!("not looked up: the client lacks {scope}"));
            None
        }
        _ => {
            facts.put("change_request_status", "not looked up: the look-up did not answer");
            None
        }
    }
}

/// The Altinn token to read the parties with: the system user's own when it carries the
/// scope, else one from a grant of its own for that scope alone.
async fn rights_token(ctx: &Sources, given: &Given<'_>) -> Result<crate::vocab::Secret, Finding> {
    if given.token.has_rights_scope {
        return Ok(given.token.altinn.clone());
    }
    let via = Grantor::new(ctx, given.found, given.proven_key)?;
    let scopes = vec![AUTHORIZED_PARTIES_SCOPE.to_string()];
    let answer = match via.grant(ctx, &scopes, Some(json!([given.token.detail]))).await {
        Ok(a) => a,
        Err(GrantError::Signing(reason)) => return Err(Finding::of(RightsCause::SigningFailed { reason })),
        Err(GrantError::Net(e)) => return Err(Finding::of(e)),
    };
    let issued = match answer {
        TokenAnswer::Granted(r) => r.access_token,
        TokenAnswer::Refused { body, .. } => {
            let reading = errors::read(&body);
            return Err(Finding::of(match reading.code {
                Some(MpCode::Mp200 | MpCode::Mp201) => RightsCause::ScopeMissing {
                    scope: AUTHORIZED_PARTIES_SCOPE.into(),
                    client_id: ctx.profile.maskinporten.client_id.clone().unwrap_or_default(),
                },
                code => RightsCause::GrantRefused {
                    mp_code: code.map(|c| c.as_str().to_string()).unwrap_or_else(|| "-".into()),
                    description: reading.description,
                    trace_id: reading.trace_id.unwrap_or_else(|| "(none given)".into()),
                },
            }));
        }
    };
    grantor::exchange(ctx, &issued).await.map_err(|fault| match fault {
        ExchangeFault::Net(e) => Finding::of(e),
        ExchangeFault::Status { status, said } => Finding::of(RightsCause::Unreadable { status, said }),
        ExchangeFault::NotAToken { first_bytes, .. } => {
            Finding::of(RightsCause::Unreadable { status: 200, said: first_bytes })
        }
    })
}

/// Whose packages count: a standard system user's own organisation (or a sub-unit); an
/// agent system user's clients — every party but the facilitator (which Altinn may list,
/// without packages). Without `--system-user-type`, other parties than the owner, or an
/// owner that holds nothing at all (a standard system user is approved with rights;
/// Altinn lists an agent's facilitator bare), mean an agent.
fn judge(
    parties: &[AuthorizedParty],
    org: &str,
    user_type: Option<SystemUserType>,
    required: &[String],
) -> RightsCause {
    let (own, others, agent) = owners(parties, org, user_type);
    if agent {
        return clients(&others, org, required);
    }
    let Some(party) = own else { return RightsCause::PartyMissing { org: org.into() } };
    let held = held(party);
    match required.iter().find(|p| !held.contains(&package_code(p))) {
        Some(package) => {
            RightsCause::MissingPackage { package: package.clone(), org: org.into(), held: held.join(", ") }
        }
        None => RightsCause::Granted { org: org.into(), packages: party.authorized_access_packages.join(", ") },
    }
}

/// Whose packages count: the owner's party (or sub-unit), the other top-level parties
/// (an agent system user's clients), and whether the user is read as an agent.
fn owners<'p>(
    parties: &'p [AuthorizedParty],
    org: &str,
    user_type: Option<SystemUserType>,
) -> (Option<&'p AuthorizedParty>, Vec<&'p AuthorizedParty>, bool) {
    // The owner may be a sub-unit: its parent is the owner's, not a client.
    let others: Vec<&AuthorizedParty> =
        parties.iter().filter(|p| client::find_party(std::slice::from_ref(*p), org).is_none()).collect();
    let own = client::find_party(parties, org);
    let agent = match user_type {
        Some(t) => t == SystemUserType::Agent,
        None => !others.is_empty() || own.is_none_or(holds_nothing),
    };
    (own, others, agent)
}

/// Each `--resource` needs one of the packages or roles its policy names, on the
/// customer's party or, for an agent system user, on every client. `None`: all held.
fn by_resources(
    parties: &[AuthorizedParty],
    org: &str,
    user_type: Option<SystemUserType>,
    all: &super::resource::ResourceGrants,
) -> Option<RightsCause> {
    let resources = &all.0;
    if resources.is_empty() {
        return None;
    }
    let (own, others, agent) = owners(parties, org, user_type);
    let holders: Vec<&AuthorizedParty> = if agent { others } else { own.into_iter().collect() };
    for g in resources {
        let lacking = holders.iter().find(|h| {
            let held: Vec<String> = held(h).iter().map(|c| c.to_ascii_lowercase()).collect();
            !g.packages.iter().chain(&g.roles).any(|grant| held.contains(grant))
        });
        if let Some(h) = lacking {
            let mut grants: Vec<String> = g.packages.iter().map(|p| all.named(p)).collect();
            grants.extend(g.roles.iter().map(|r| format!("{SUBJECT_ROLE_CODE}:{r}")));
            return Some(RightsCause::ResourceNotGranted {
                resource: g.resource.clone(),
                party: h.organization_number.clone().unwrap_or_default(),
                grants: if grants.is_empty() { "-".into() } else { grants.join(", ") },
            });
        }
    }
    let names: Vec<&str> = resources.iter().map(|g| g.resource.as_str()).collect();
    Some(RightsCause::ResourcesGranted { org: org.into(), resources: names.join(", ") })
}

/// An agent system user's clients, each with the packages it lacks.
fn clients(clients: &[&AuthorizedParty], org: &str, required: &[String]) -> RightsCause {
    if clients.is_empty() {
        return RightsCause::NoClients { org: org.into() };
    }
    let lacking: Vec<String> = clients
        .iter()
        .filter_map(|c| {
            let held = held(c);
            let missing: Vec<&str> = required.iter().map(|p| package_code(p)).filter(|p| !held.contains(p)).collect();
            (!missing.is_empty()).then(|| {
                format!("{} ({}): {}", c.name, c.organization_number.clone().unwrap_or_default(), missing.join(" "))
            })
        })
        .collect();
    let packages = required.iter().map(|p| package_code(p)).collect::<Vec<_>>().join(", ");
    if lacking.is_empty() {
        return RightsCause::ClientsGranted { org: org.into(), clients: clients.len(), packages };
    }
    RightsCause::ClientsMissingPackage {
        org: org.into(),
        complete: clients.len() - lacking.len(),
        clients: clients.len(),
        missing: lacking.join("; "),
    }
}

fn holds_nothing(p: &AuthorizedParty) -> bool {
    p.authorized_access_packages.is_empty() && p.authorized_roles.is_empty() && p.authorized_resources.is_empty()
}

/// A party's packages and roles, as codes.
fn held(party: &AuthorizedParty) -> Vec<&str> {
    party.authorized_access_packages.iter().chain(&party.authorized_roles).map(|p| package_code(p)).collect()
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
