//! `altinn.probe.*`: real access to a product API, proven by one read-only list call
//! with the token the run already holds. Each product's denial is decoded into a cause;
//! a 200 says the token and the access were accepted (or, for Dialogporten, that an empty
//! list may mean no rights).

use serde::Serialize;
use serde_json::Value;

use crate::altinn::client;
use crate::altinn::products::{self as p, Denial};
use crate::config::{Probe, Profile};
use crate::engine::{Diagnosis, Facts, Finding, Status};
use crate::http::{NetError, Reply};
use crate::maskinporten::client as mp;
use crate::sources::Sources;
use crate::vocab::Secret;

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum ProbeCause {
    /// `--probe` does not name this product.
    NotAsked,
    Listed {
        count: usize,
        target: String,
    },
    /// Accepted, and nothing there: not a denial for this product.
    NothingThere {
        target: String,
    },
    /// Dialogporten: an empty list is also what it says when there are no rights.
    EmptyList {
        target: String,
    },
    /// 401 without a product code: the token itself was not accepted.
    TokenRefused {
        status: u16,
    },
    /// 403 without a body: the token lacks the scope the endpoint takes.
    ScopeRefused {
        takes: String,
        held: String,
    },
    /// Altinn Authorization denied the caller the resource (CORR-04001, BRO-00006).
    NoAccess {
        error_code: String,
        said: String,
        target: String,
        party: String,
    },
    /// Dialogporten: the token's user type is not the endpoint's.
    WrongUserType {
        said: String,
    },
    /// Broker: the resource is not an Altinn 3 resource with a service owner.
    NotRegistered {
        error_code: String,
        said: String,
        target: String,
    },
    /// The resource's owner has not set the product up (CORR-02014, BRO-00002/24/25).
    NotSetUp {
        error_code: String,
        said: String,
        target: String,
    },
    Refused {
        status: u16,
        error_code: String,
        said: String,
    },
}

impl Diagnosis for ProbeCause {
    fn status(&self) -> Status {
        match self {
            ProbeCause::NotAsked => Status::Skip,
            ProbeCause::Listed { .. } | ProbeCause::NothingThere { .. } => Status::Pass,
            ProbeCause::EmptyList { .. } => Status::Warn,
            _ => Status::Fail,
        }
    }
}

/// The skip of a probe the profile does not ask for.
pub(crate) fn asked(profile: &Profile, probe: Probe) -> Option<Finding> {
    (!profile.altinn.probes.contains(&probe)).then(|| Finding::of(ProbeCause::NotAsked))
}

/// Whether the probe takes the system user's token: every product but Storage's
/// service-owner query, in the system-user flow.
pub(crate) fn as_system_user(profile: &Profile, probe: Probe) -> bool {
    probe != Probe::Instances && profile.altinn.flow.system_user()
}

/// One probe's GET and what its answer means.
pub(crate) async fn run(ctx: &Sources, probe: Probe, token: &Secret) -> Finding {
    let profile = &ctx.profile;
    let held = scopes_of(token);
    let mut request = Request::of(profile, probe, &held);
    if request.party.is_empty() {
        request.party = org_of(token);
    }
    let url = p::url(&client::platform_base(profile), request.path, &request.query);
    let mut facts = Facts::new();
    facts.put("probe_url", url.clone());
    let answer = match p::list(&ctx.http, &url, token).await {
        Ok(a) => a,
        Err(e) => return Finding::of(e).with(facts),
    };
    facts.put("probe_status", answer.status);
    let denial = p::denial(&answer.body).unwrap_or_default();
    facts.put_opt("probe_trace_id", denial.trace_id.clone().or_else(|| crate::http::trace_id_of(&answer.body)));
    match judge(probe, &request, &answer, &denial, &held) {
        Ok(cause) => Finding::of(cause).with(facts),
        Err(e) => Finding::of(e).with(facts),
    }
}

/// What the probe asks: the path, the query, whom and what it lists.
struct Request {
    path: &'static str,
    query: Vec<(&'static str, String)>,
    /// What is listed, in the cause's words: the resource, the app.
    target: String,
    /// Who must hold the rights: the system user's organisation, or the token's.
    party: String,
    takes: &'static [&'static str],
}

impl Request {
    fn of(profile: &Profile, probe: Probe, held: &[String]) -> Request {
        let resource = profile.altinn.resources.first().cloned().unwrap_or_default();
        let system_user = as_system_user(profile, probe);
        let party = match (system_user, &profile.altinn.system_user_org) {
            (true, Some(org)) => org.to_string(),
            _ => String::new(),
        };
        let base = |path, query, takes| Request { path, query, target: resource.clone(), party: party.clone(), takes };
        match probe {
            Probe::Correspondence => {
                let sender = held.iter().any(|s| s == p::SCOPE_CORRESPONDENCE_WRITE)
                    && !held.iter().any(|s| s == p::SCOPE_CORRESPONDENCE_READ);
                let role = if sender { p::ROLE_SENDER } else { p::ROLE_RECIPIENT };
                let query = vec![("resourceId", resource.clone()), ("role", role.to_string())];
                base(p::CORRESPONDENCE_PATH, query, &[p::SCOPE_CORRESPONDENCE_READ, p::SCOPE_CORRESPONDENCE_WRITE])
            }
            Probe::Broker => base(
                p::BROKER_PATH,
                vec![("resourceId", resource.clone())],
                &[p::SCOPE_BROKER_READ, p::SCOPE_BROKER_WRITE],
            ),
            Probe::Dialogporten => dialogs(base, profile, &resource, system_user),
            Probe::Instances => {
                let app = profile.altinn.app.clone().unwrap_or_default();
                let r = base(
                    p::INSTANCES_PATH,
                    vec![("appId", app.clone())],
                    &[p::SCOPE_SERVICE_OWNER, p::SCOPE_INSTANCES_READ],
                );
                Request { target: app, ..r }
            }
        }
    }
}

/// Dialogporten's search: the end user's (a system user: its party, the resource) or
/// the service owner's (the resource).
fn dialogs(
    base: impl Fn(&'static str, Vec<(&'static str, String)>, &'static [&'static str]) -> Request,
    profile: &Profile,
    resource: &str,
    end_user: bool,
) -> Request {
    let mut query = Vec::new();
    if !resource.is_empty() {
        query.push(("serviceResource", format!("urn:altinn:resource:{resource}")));
    }
    if !end_user {
        return base(
            p::DIALOGS_SERVICE_OWNER_PATH,
            query,
            &[p::SCOPE_DIALOGPORTEN_PROVIDER, p::SCOPE_DIALOGPORTEN_SEARCH],
        );
    }
    // An agent system user's org is the accountant's: its clients are the parties, so
    // the resource alone is searched for (the party only when there is no resource).
    let agent = profile.altinn.system_user_type == Some(crate::config::SystemUserType::Agent);
    if let Some(org) = profile.altinn.system_user_org.as_ref().filter(|_| !agent || resource.is_empty()) {
        query.push(("party", p::organization_party(&org.to_string())));
    }
    // What is searched for, in the service's own terms: the resource, the party.
    let target = query.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>().join(", ");
    let r = base(p::DIALOGS_END_USER_PATH, query, &[p::SCOPE_DIALOGPORTEN, p::SCOPE_DIALOGPORTEN_NOCONSENT]);
    Request { target, ..r }
}

/// The organisation a token speaks for: Altinn's `urn:altinn:orgNumber`, else
/// Maskinporten's `consumer`.
fn org_of(token: &Secret) -> String {
    let claims = mp::peek_claims::<serde_json::Map<String, Value>>(token.expose()).unwrap_or_default();
    let altinn = claims.get(crate::altinn::types::claims::ORG_NUMBER).and_then(Value::as_str);
    let consumer = claims.get("consumer").and_then(|c| c.get("ID")).and_then(Value::as_str);
    let org = altinn.or(consumer).unwrap_or_default();
    org.rsplit(':').next().unwrap_or_default().to_string()
}

/// The scopes a token carries (its `scope` claim).
fn scopes_of(token: &Secret) -> Vec<String> {
    let claims = mp::peek_claims::<serde_json::Map<String, Value>>(token.expose()).unwrap_or_default();
    let scope = claims.get("scope").and_then(Value::as_str).unwrap_or_default();
    scope.split_whitespace().map(str::to_string).collect()
}

/// What the answer means.
fn judge(probe: Probe, r: &Request, a: &Reply, d: &Denial, held: &[String]) -> Result<ProbeCause, NetError> {
    let said = || d.errors.first().cloned().or_else(|| d.detail.clone()).unwrap_or_else(|| client::said(a));
    let code = || d.code.clone().unwrap_or_default();
    let (target, party) = (r.target.clone(), r.party.clone());
    let product = (d.prefix(), d.number());
    Ok(match (a.status, product) {
        (200, _) => return listed(probe, r, a),
        (401, (Some("CORR"), Some(4001 | 4006)) | (Some("BRO"), Some(6))) => {
            ProbeCause::NoAccess { error_code: code(), said: said(), target, party }
        }
        (403, (Some("BRO"), Some(5))) => ProbeCause::NotRegistered { error_code: code(), said: said(), target },
        (400 | 451, (Some("CORR"), Some(2014)) | (Some("BRO"), Some(2 | 24 | 25))) => {
            ProbeCause::NotSetUp { error_code: code(), said: said(), target }
        }
        (401, _) => ProbeCause::TokenRefused { status: 401 },
        (403, _) if probe == Probe::Dialogporten && !d.errors.is_empty() => ProbeCause::WrongUserType { said: said() },
        (403, _) if a.body.iter().all(u8::is_ascii_whitespace) => ProbeCause::ScopeRefused {
            takes: r.takes.join(", "),
            held: held
                .iter()
                .filter(|s| !s.starts_with("altinn:accessmanagement"))
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
        },
        (status, _) => ProbeCause::Refused { status, error_code: code(), said: said() },
    })
}

/// A 200: the list, empty or not; a body that is not the product's list is malformed.
fn listed(probe: Probe, r: &Request, a: &Reply) -> Result<ProbeCause, NetError> {
    let Some((count, _more)) = p::listed(probe, &a.body) else {
        return Err(NetError::Malformed {
            url: a.url.clone(),
            status: a.status,
            expected: probe.as_str(),
            detail: a.first_bytes(),
        });
    };
    let target = r.target.clone();
    Ok(match (count, probe) {
        (0, Probe::Dialogporten) => ProbeCause::EmptyList { target },
        (0, _) => ProbeCause::NothingThere { target },
        (count, _) => ProbeCause::Listed { count, target },
    })
}
