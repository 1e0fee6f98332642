//! `altinn.system-user`: Maskinporten issues a system-user token and Altinn accepts it; MP-303 is explained
//! from the vendor's look-ups.

use serde::Serialize;
use serde_json::Value;

use super::grantor::{self, ExchangeFault, Grantor};
use super::*;
use crate::altinn::client::{self};
use crate::altinn::client::{Lookup, Vendor};
use crate::altinn::types::*;
use crate::certificate::key::PrivateKey;
use crate::config::SystemUserType;
use crate::engine::{Diagnosis, Facts, Finding, Status};
use crate::maskinporten::client as mp;
use crate::maskinporten::client::{Discovered, GrantError, TokenAnswer};
use crate::maskinporten::errors::{self, MpCause};
use crate::maskinporten::types::Party;
use crate::sources::Sources;
use crate::vocab::Secret;
use serde_json::json;

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum SystemUserCause {
    Ready {
        id: String,
        org: String,
        system_id: String,
    },
    NoCustomer,
    NotSupported {
        types: String,
    },
    UnknownDetailsType {
        trace_id: String,
    },
    UnknownDetailsFields {
        trace_id: String,
    },
    /// MP-303, and which of its causes the look-ups found.
    ClientNotInSystem {
        client_id: String,
        system_id: String,
        trace_id: String,
    },
    SystemNotFound {
        system_id: String,
        trace_id: String,
    },
    NoRequest {
        org: String,
        system_id: String,
        trace_id: String,
    },
    NotApproved {
        org: String,
        confirm_url: String,
        trace_id: String,
    },
    RequestTimedOut {
        org: String,
        created: String,
        trace_id: String,
    },
    Rejected {
        org: String,
        status: String,
        trace_id: String,
    },
    SystemUserDeleted {
        org: String,
        trace_id: String,
    },
    ExternalRefMissing {
        external_ref: String,
        trace_id: String,
    },
    ExternalRefMismatch {
        external_ref: String,
        given: String,
        trace_id: String,
    },
    /// The system is registered, but its vendor deleted it.
    SystemDeleted {
        system_id: String,
        trace_id: String,
    },
    /// Every look-up finds the system user as the grant describes it, and Maskinporten
    /// still refuses: only Altinn can tell why.
    AllFound {
        org: String,
        system_id: String,
        trace_id: String,
    },
    /// The request's status is none the doctor knows: not guessed at.
    RequestStatusUnknown {
        org: String,
        status: String,
        trace_id: String,
    },
    /// The system's listing went on past what the doctor reads.
    ListingIncomplete {
        pages: usize,
        trace_id: String,
    },
    /// The grant named an organisation with no system user of this system, which has
    /// several agent system users (one per accountant).
    NotAFacilitator {
        org: String,
        agents: usize,
        trace_id: String,
    },
    /// The token acts for another system than `--system-id`.
    OtherSystem {
        system_id: String,
        given: String,
    },
    /// An agent system user exists, owned by `facilitator`, and the grant named `org`.
    AgentNotFacilitator {
        org: String,
        facilitator: String,
        trace_id: String,
    },
    /// MP-303 without a vendor system ID to look anything up with.
    CustomerConfiguration {
        org: String,
        trace_id: String,
    },
    /// The client may not ask for the vendor scopes: MP-303 explained without look-ups.
    VendorScopesMissing {
        scopes: String,
        org: String,
        trace_id: String,
    },
    /// A look-up that answered neither the thing nor "not found".
    LookupFailed {
        lookup: String,
        answer: String,
        trace_id: String,
    },
    MaskinportenRefused {
        mp_code: String,
        description: String,
        trace_id: String,
    },
    ExchangeFailed {
        status: u16,
        said: String,
    },
    SigningFailed {
        reason: String,
    },
    /// Maskinporten's system-user answer, or Altinn's exchange of it, is not a JWT.
    NotAToken {
        from: String,
        content_type: String,
        first_bytes: String,
    },
}

impl Diagnosis for SystemUserCause {
    fn status(&self) -> Status {
        match self {
            SystemUserCause::Ready { .. } => Status::Pass,
            // The flow was asked for (by `flow` or a required access package) and cannot
            // be checked: nothing of it was proven, so the run is not ready.
            _ => Status::Fail,
        }
    }

    fn inconclusive(&self) -> bool {
        matches!(
            self,
            SystemUserCause::LookupFailed { .. }
                | SystemUserCause::RequestStatusUnknown { .. }
                | SystemUserCause::ListingIncomplete { .. }
        )
    }
}

/// Runs the check; hands on SystemUserToken when it passes.
pub(crate) async fn run(
    ctx: &Sources,
    found: &Discovered,
    proven_key: Option<&PrivateKey>,
) -> (Finding, Option<SystemUserToken>) {
    let mut product = None;
    let finding = judge(ctx, found, proven_key, &mut product).await;
    (finding, product)
}

/// Decided before anything is sent: another flow's check steps aside; the system-user
/// flow without its organisation is a finding, even offline.
pub(crate) fn applies(profile: &crate::config::Profile) -> Option<Finding> {
    super::system_user_flow(profile)
        .or_else(|| profile.altinn.system_user_org.is_none().then(|| Finding::of(SystemUserCause::NoCustomer)))
}

async fn judge(
    ctx: &Sources,
    found: &Discovered,
    proven_key: Option<&PrivateKey>,
    product: &mut Option<SystemUserToken>,
) -> Finding {
    let a = &ctx.profile.altinn;
    let Some(customer) = a.system_user_org.as_ref().map(|o| o.to_string()) else {
        return Finding::of(SystemUserCause::NoCustomer);
    };
    let types = &found.metadata.authorization_details_types_supported;
    if !types.iter().any(|t| t == SYSTEMUSER_TYPE) {
        return Finding::of(SystemUserCause::NotSupported { types: types.join(", ") });
    }
    let mut facts = Facts::new();
    facts.put("system_user_org", customer.clone());
    facts.put_opt("external_ref", a.external_ref.clone());
    let via = match Grantor::new(ctx, found, proven_key) {
        Ok(g) => g,
        Err(finding) => return finding.with(facts),
    };
    let asked = grant_detail(&customer, a.external_ref.as_deref());
    let scopes = ctx.profile.maskinporten.scopes.clone();
    let response = match system_user_token(ctx, &via, (&customer, &asked), &scopes, &mut facts).await {
        Ok(r) => r,
        Err(finding) => return finding.with(facts),
    };
    let claims = mp::peek_claims::<Value>(response.access_token.expose()).unwrap_or(Value::Null);
    let detail = authorization_detail(claims.get("authorization_details"));
    let id = detail_field(&detail, "systemuser_id")
        .and_then(|v| v.as_array().and_then(|a| a.first().cloned()).or(Some(v)))
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let org = detail_field(&detail, "systemuser_org")
        .and_then(|o| o.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case("id")).map(|(_, v)| v.clone()))
        .and_then(|v| v.as_str().map(|s| s.trim_start_matches("0192:").to_string()))
        .unwrap_or_default();
    let system_id = detail_field(&detail, "system_id").and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    facts.put("systemuser_id", id.clone()).put("systemuser_org", org.clone()).put("system_id", system_id.clone());
    let altinn = match exchange(ctx, &response.access_token).await {
        Ok(t) => t,
        Err(finding) => return finding.with(facts),
    };
    facts.extend(&super::altinn_facts(&altinn, super::Holder::SystemUser));
    facts.put_opt("system_user_type", a.system_user_type.map(|t| t.as_str()));
    if let Some(given) = &a.system_id
        && !system_id.is_empty()
        && &system_id != given
    {
        return Finding::of(SystemUserCause::OtherSystem { system_id, given: given.clone() }).with(facts);
    }
    let has_rights_scope = scopes.iter().any(|s| s == AUTHORIZED_PARTIES_SCOPE);
    *product = Some(SystemUserToken { altinn, detail: asked, has_rights_scope });
    Finding::of(SystemUserCause::Ready { id, org, system_id }).with(facts)
}

/// The grant's `authorization_details` entry for the system user of `customer`.
fn grant_detail(customer: &str, external_ref: Option<&str>) -> Value {
    let mut detail = json!({"type": SYSTEMUSER_TYPE, "systemuser_org": Party::org(customer)});
    if let Some(r) = external_ref {
        detail["externalRef"] = json!(r);
    }
    detail
}

/// Asks Maskinporten for the system user's token; a refusal is explained.
/// The token is asked for with the profile's scopes only: the rights check asks for its
/// own scope in a grant of its own, so that a client without it still proves the user.
async fn system_user_token(
    ctx: &Sources,
    via: &Grantor<'_>,
    (customer, detail): (&str, &Value),
    scopes: &[String],
    facts: &mut Facts,
) -> Result<crate::maskinporten::types::TokenResponse, Finding> {
    facts.put("system_user_scope", scopes.join(" "));
    let answer = grant(ctx, via, scopes, Some(json!([detail]))).await?;
    match answer {
        TokenAnswer::Granted(r) if mp::peek_claims::<Value>(r.access_token.expose()).is_some() => Ok(r),
        TokenAnswer::Granted(r) => Err(Finding::of(SystemUserCause::NotAToken {
            from: "Maskinporten".into(),
            content_type: "application/json".into(),
            first_bytes: crate::http::first_bytes(r.access_token.expose().as_bytes()),
        })),
        TokenAnswer::Refused { body, .. } => {
            let reading = errors::read(&body);
            let trace_id = reading.trace_id.clone().unwrap_or_else(|| "(none given)".into());
            facts.put("trace_id", trace_id.clone());
            Err(Finding::of(match reading.cause {
                Some(MpCause::UnknownDetailsType) => SystemUserCause::UnknownDetailsType { trace_id },
                Some(MpCause::UnknownDetailsFields) => SystemUserCause::UnknownDetailsFields { trace_id },
                Some(MpCause::InvalidDetailsValues) => why_303(ctx, via, customer, trace_id, facts).await,
                _ => SystemUserCause::MaskinportenRefused {
                    mp_code: reading.code.map(|c| c.as_str().to_string()).unwrap_or_else(|| "-".into()),
                    description: reading.description,
                    trace_id,
                },
            }))
        }
    }
}

/// Signs and sends a grant; a fault is this check's cause.
async fn grant(
    ctx: &Sources,
    via: &Grantor<'_>,
    scopes: &[String],
    authorization_details: Option<Value>,
) -> Result<TokenAnswer, Finding> {
    match via.grant(ctx, scopes, authorization_details).await {
        Ok(answer) => Ok(answer),
        Err(GrantError::Signing(reason)) => Err(Finding::of(SystemUserCause::SigningFailed { reason })),
        Err(GrantError::Net(e)) => Err(Finding::of(e)),
    }
}

/// Exchanges the system user's Maskinporten token for an Altinn token.
async fn exchange(ctx: &Sources, token: &Secret) -> Result<Secret, Finding> {
    grantor::exchange(ctx, token).await.map_err(|fault| match fault {
        ExchangeFault::Net(e) => Finding::of(e),
        ExchangeFault::Status { status, said } => Finding::of(SystemUserCause::ExchangeFailed { status, said }),
        ExchangeFault::NotAToken { content_type, first_bytes } => Finding::of(SystemUserCause::NotAToken {
            from: "Altinn's token exchange".into(),
            content_type,
            first_bytes,
        }),
    })
}

/// MP-303 has several causes; the vendor's look-ups tell which one, when the profile
/// names the vendor's system. Each vendor scope is asked for in a grant of its own, and
/// every look-up the scopes granted allow is made.
async fn why_303(
    ctx: &Sources,
    via: &Grantor<'_>,
    customer: &str,
    trace_id: String,
    facts: &mut Facts,
) -> SystemUserCause {
    let Some(system_id) = ctx.profile.altinn.system_id.clone() else {
        return SystemUserCause::CustomerConfiguration { org: customer.into(), trace_id };
    };
    let tokens = via.vendor_tokens(ctx, &VENDOR_SCOPES).await;
    if !tokens.missing.is_empty() {
        facts.put("vendor_scopes_missing", tokens.missing.join(" "));
    }
    if tokens.none() {
        return match &tokens.failure {
            Some(answer) => {
                SystemUserCause::LookupFailed { lookup: "vendor-token".into(), answer: answer.clone(), trace_id }
            }
            None => SystemUserCause::VendorScopesMissing {
                scopes: tokens.missing.join(" "),
                org: customer.into(),
                trace_id,
            },
        };
    }
    let vendor = Vendor { http: &ctx.http, platform: client::platform_base(&ctx.profile), tokens: &tokens };
    let investigation = Investigation {
        vendor,
        system_id,
        customer: customer.to_string(),
        client_id: ctx.profile.maskinporten.client_id.clone().unwrap_or_default(),
        external_ref: ctx.profile.altinn.external_ref.clone(),
        user_type: ctx.profile.altinn.system_user_type,
        trace_id,
    };
    investigation.run(facts).await
}

/// The vendor look-ups of one MP-303, in the order the set-up is done: the system
/// register (step 2), the system user, the request (steps 3 and 4).
struct Investigation<'a> {
    vendor: Vendor<'a>,
    system_id: String,
    customer: String,
    client_id: String,
    external_ref: Option<String>,
    user_type: Option<SystemUserType>,
    trace_id: String,
}

/// A look-up that did not answer: the cause that says so.
type Stop = Box<SystemUserCause>;

impl Investigation<'_> {
    async fn run(self, facts: &mut Facts) -> SystemUserCause {
        self.investigate(facts).await.unwrap_or_else(|stop| *stop)
    }

    async fn investigate(&self, facts: &mut Facts) -> Result<SystemUserCause, Stop> {
        let trace_id = self.trace_id.clone();
        let org = self.customer.clone();
        let system_id = self.system_id.clone();
        let system = match self.vendor.system(&self.system_id).await {
            Lookup::Found(s) => s,
            Lookup::NotFound { .. } => return Ok(SystemUserCause::SystemNotFound { system_id, trace_id }),
            other => return Err(self.failed("systemregister/vendor", other)),
        };
        facts.put("system_client_ids", system.client_id.clone()).put("system_is_deleted", system.is_deleted);
        // A deleted system is still answered; Maskinporten matches only live ones.
        if system.is_deleted {
            return Ok(SystemUserCause::SystemDeleted { system_id, trace_id });
        }
        if !system.client_id.iter().any(|c| c == &self.client_id) {
            return Ok(SystemUserCause::ClientNotInSystem { client_id: self.client_id.clone(), system_id, trace_id });
        }
        let reference = self.external_ref.clone().unwrap_or_else(|| org.clone());
        match self.vendor.system_user(&self.system_id, &org, self.external_ref.as_deref()).await {
            Lookup::Found(user) => {
                facts.put("system_user_type", user.user_type.clone());
                return Ok(self.by_found_user(&user, &reference));
            }
            Lookup::NotFound { .. } => {}
            other => return Err(self.failed("systemuser/byquery", other)),
        }
        if let Some(request) = self.request(&reference).await? {
            facts.put("request_status", request.status.clone()).put("request_timed_out", request.timed_out);
            return Ok(self.by_request(request));
        }
        let users = match self.vendor.system_users(&self.system_id).await {
            Lookup::Found(users) => users,
            other => return Err(self.failed("systemuser/vendor/bysystem", other)),
        };
        Ok(self.by_listing(&users))
    }

    /// The active system user answers the look-up: its reference decides, and when it
    /// is the grant's too, every look-up agrees and only Altinn can say more.
    fn by_found_user(&self, user: &SystemUser, reference: &str) -> SystemUserCause {
        let trace_id = self.trace_id.clone();
        match &user.external_ref {
            Some(found) if found != reference => match &self.external_ref {
                None => SystemUserCause::ExternalRefMissing { external_ref: found.clone(), trace_id },
                Some(given) => {
                    SystemUserCause::ExternalRefMismatch { external_ref: found.clone(), given: given.clone(), trace_id }
                }
            },
            _ => SystemUserCause::AllFound { org: self.customer.clone(), system_id: self.system_id.clone(), trace_id },
        }
    }

    /// The request under `reference`, standard or agent as the profile says (unsaid: both).
    async fn request(&self, reference: &str) -> Result<Option<SystemUserRequest>, Stop> {
        let kinds: &[bool] = match self.user_type {
            Some(SystemUserType::Standard) => &[false],
            Some(SystemUserType::Agent) => &[true],
            None => &[false, true],
        };
        for agent in kinds {
            match self.vendor.request(&self.system_id, &self.customer, reference, *agent).await {
                Lookup::Found(r) => return Ok(Some(r)),
                Lookup::NotFound { .. } => {}
                other => return Err(self.failed("systemuser/request/vendor/byexternalref", other)),
            }
        }
        Ok(None)
    }

    /// What a request's state says: who acts, and how. Statuses are compared in any case
    /// (`Timedout` in the code, `TimedOut` in the documents), and `timedOut` counts
    /// whatever the status; a status the doctor does not know is not guessed at.
    fn by_request(&self, r: SystemUserRequest) -> SystemUserCause {
        let org = self.customer.clone();
        let trace_id = self.trace_id.clone();
        let status = r.status.to_ascii_lowercase();
        if r.timed_out || status == request_status::TIMEDOUT.to_ascii_lowercase() {
            return SystemUserCause::RequestTimedOut { org, created: r.created, trace_id };
        }
        let is = |s: &str| status == s.to_ascii_lowercase();
        if is(request_status::NEW) {
            let confirm_url = r.confirm_url.unwrap_or_else(|| "(not given)".into());
            SystemUserCause::NotApproved { org, confirm_url, trace_id }
        } else if is(request_status::REJECTED) || is(request_status::DENIED) {
            SystemUserCause::Rejected { org, status: r.status, trace_id }
        } else if is(request_status::ACCEPTED) {
            // Accepted, yet no active system user answers the look-up: deleted since.
            SystemUserCause::SystemUserDeleted { org, trace_id }
        } else {
            SystemUserCause::RequestStatusUnknown { org, status: r.status, trace_id }
        }
    }

    /// Nothing under the reference: the system's users tell whether the reference or
    /// the organisation is the mistake.
    fn by_listing(&self, users: &[SystemUser]) -> SystemUserCause {
        let trace_id = self.trace_id.clone();
        let org = self.customer.clone();
        if let Some(u) = users.iter().find(|u| u.reportee_org_no == org) {
            let found = u.external_ref.clone().unwrap_or_else(|| org.clone());
            return match &self.external_ref {
                None => SystemUserCause::ExternalRefMissing { external_ref: found, trace_id },
                Some(given) => {
                    SystemUserCause::ExternalRefMismatch { external_ref: found, given: given.clone(), trace_id }
                }
            };
        }
        // The vendor cannot see an agent system user's clients; the pitfall is named when
        // the profile says agent, or when the system has agent system users only. The
        // facilitator is named only when there is one: a vendor has one per accountant.
        let agents: Vec<&SystemUser> =
            users.iter().filter(|u| u.user_type.eq_ignore_ascii_case(USER_TYPE_AGENT)).collect();
        let agent_system = match self.user_type {
            Some(t) => t == SystemUserType::Agent,
            None => !users.is_empty() && agents.len() == users.len(),
        };
        match agents.as_slice() {
            [one] if agent_system => {
                SystemUserCause::AgentNotFacilitator { org, facilitator: one.reportee_org_no.clone(), trace_id }
            }
            [_, _, ..] if agent_system => SystemUserCause::NotAFacilitator { org, agents: agents.len(), trace_id },
            _ => SystemUserCause::NoRequest { org, system_id: self.system_id.clone(), trace_id },
        }
    }

    fn failed<T>(&self, lookup: &str, answer: Lookup<T>) -> Stop {
        let trace_id = self.trace_id.clone();
        let answer = match answer {
            Lookup::NoScope { .. } => {
                return Box::new(SystemUserCause::VendorScopesMissing {
                    scopes: self.vendor.tokens.missing.join(" "),
                    org: self.customer.clone(),
                    trace_id,
                });
            }
            Lookup::Incomplete { pages } => {
                return Box::new(SystemUserCause::ListingIncomplete { pages, trace_id });
            }
            Lookup::Unauthorized => "HTTP 401".to_string(),
            Lookup::Forbidden { scope } => format!("HTTP 403 ({scope})"),
            Lookup::Unexpected { status, code } => {
                format!("HTTP {status} {}", code.unwrap_or_default()).trim().to_string()
            }
            Lookup::Failed(e) => e.code(),
            Lookup::Found(_) | Lookup::NotFound { .. } => "unreadable".to_string(),
        };
        Box::new(SystemUserCause::LookupFailed { lookup: lookup.into(), answer, trace_id })
    }
}
