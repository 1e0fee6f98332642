//! The simulated vendor side of Altinn's authentication API, as its controllers answer
//! (CONTRACTS.md §3–5, 7): the system register, system-user requests (standard and
//! agent), the system-user look-ups, each behind its scope with an empty 403 when the
//! token lacks it, and AUTH-000NN problems where the service gives them.

use std::collections::HashMap;

use axum::body::Body;
use axum::http::{Response, StatusCode};
use axum::response::IntoResponse;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use super::clock::Clock;
use super::registry::{Registry, System, SystemUserEntry};
use crate::altinn::types::*;

/// Page size of `bysystem` (the real one is 50; small here so that paging is exercised).
pub(crate) const PAGE_SIZE: usize = 2;
/// A request this old is `timedOut`.
const TIMEOUT_DAYS: u32 = 180;

/// What the caller is: the vendor's org number and the scopes its token carries.
pub(crate) struct Caller {
    pub(crate) vendor: String,
    pub(crate) scopes: Vec<String>,
}

impl Caller {
    fn has(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// What the routes need besides the registry.
pub(crate) struct Ctx<'a> {
    pub(crate) registry: &'a Registry,
    pub(crate) clock: &'a Clock,
    pub(crate) base_url: &'a str,
    pub(crate) query: &'a HashMap<String, String>,
}

/// An empty answer, as the framework gives a failed policy (401, 403).
fn empty(status: StatusCode) -> Response<Body> {
    (status, "").into_response()
}

/// The framework's own ProblemDetails for `NotFound()` and `Unauthorized()`.
fn framework(status: StatusCode) -> Response<Body> {
    let section = match status.as_u16() {
        401 => "15.5.2",
        404 => "15.5.5",
        _ => "15.5.1",
    };
    let body = ProblemDetails {
        kind: Some(format!("https://tools.ietf.org/html/rfc9110#section-{section}")),
        title: status.canonical_reason().map(str::to_string),
        status: Some(status.as_u16()),
        trace_id: Some(super::altinn::trace_id()),
        ..ProblemDetails::default()
    };
    json_problem(status, &body)
}

/// An `AltinnProblemDetails` of the authentication API: `AUTH-000NN`.
pub(crate) fn auth_problem(code: u16, status: StatusCode, title: &str) -> Response<Body> {
    let code = format!("AUTH-{code:05}");
    let body = ProblemDetails {
        kind: Some(format!("urn:altinn:error:{code}")),
        title: Some(title.into()),
        status: Some(status.as_u16()),
        trace_id: Some(super::altinn::trace_id()),
        code: Some(code),
        status_description: status.canonical_reason().map(str::to_string),
        ..ProblemDetails::default()
    };
    json_problem(status, &body)
}

fn json_problem(status: StatusCode, body: &ProblemDetails) -> Response<Body> {
    (status, [("content-type", "application/problem+json")], serde_json::to_string(body).unwrap_or_default())
        .into_response()
}

fn ok<T: serde::Serialize>(body: &T) -> Response<Body> {
    axum::Json(body).into_response()
}

const NO_REQUEST: &str = "The Id does not refer to a Request in our system.";
const NO_SYSTEM: &str = "The Id does not refer to a Registered System.";
const NOT_AGENT: &str = "The request id is valid but its not a valid request for creating an agent system user";

/// Routes `path` (below `/authentication/api/v1/`) for an authenticated caller.
pub(crate) fn route(rest: &str, caller: &Caller, ctx: &Ctx<'_>) -> Response<Body> {
    let segments: Vec<&str> = rest.split('/').collect();
    match segments.as_slice() {
        ["systemregister", "vendor", system_id] => system(system_id, caller, ctx),
        ["systemuser", "vendor", "byquery"] => by_query(caller, ctx),
        ["systemuser", "vendor", "bysystem", system_id] => by_system(system_id, caller, ctx),
        ["systemuser", "request", "vendor", "byexternalref", system, org, reference] => {
            request_by_ref(system, org, reference, false, caller, ctx)
        }
        ["systemuser", "request", "vendor", "agent", "byexternalref", system, org, reference] => {
            request_by_ref(system, org, reference, true, caller, ctx)
        }
        ["systemuser", "changerequest", "vendor", "byexternalref", system, org, reference] => {
            change_request_by_ref(system, org, reference, caller, ctx)
        }
        ["systemuser", "request", "vendor", "agent", id] => request_by_id(id, true, caller, ctx),
        ["systemuser", "request", "vendor", id] => request_by_id(id, false, caller, ctx),
        _ => framework(StatusCode::NOT_FOUND),
    }
}

/// `GET systemregister/vendor/{systemId}`: `systemregister.write`; another vendor's
/// system is an empty 403, an unknown one the framework's 404.
fn system(system_id: &str, caller: &Caller, ctx: &Ctx<'_>) -> Response<Body> {
    if !caller.has(SCOPE_SYSTEMREGISTER_WRITE) {
        return empty(StatusCode::FORBIDDEN);
    }
    let Some(s) = ctx.registry.systems.iter().find(|s| s.id == system_id) else {
        return framework(StatusCode::NOT_FOUND);
    };
    if s.vendor != caller.vendor {
        return empty(StatusCode::FORBIDDEN);
    }
    ok(&registered(s))
}

fn registered(s: &System) -> RegisteredSystem {
    let name: std::collections::BTreeMap<String, String> =
        ["nb", "nn", "en"].iter().map(|l| (l.to_string(), s.id.clone())).collect();
    RegisteredSystem {
        id: s.id.clone(),
        vendor: VendorInfo { id: format!("0192:{}", s.vendor), authority: None },
        description: name.clone(),
        name,
        rights: None,
        access_packages: Some(s.access_packages.iter().map(|p| AccessPackageRef { urn: p.clone() }).collect()),
        is_deleted: s.is_deleted,
        client_id: s.client_ids.clone(),
        is_visible: true,
        allowed_redirect_urls: Vec::new(),
    }
}

/// The caller's system, or the answer that it is not: AUTH-00011.
fn own_system<'a>(system_id: &str, caller: &Caller, ctx: &Ctx<'a>) -> Result<&'a System, Box<Response<Body>>> {
    ctx.registry
        .systems
        .iter()
        .find(|s| s.id == system_id && s.vendor == caller.vendor)
        .ok_or_else(|| Box::new(auth_problem(11, StatusCode::NOT_FOUND, NO_SYSTEM)))
}

/// `GET systemuser/vendor/byquery?system-id=&orgno=[&external-ref=]`:
/// `systemuser.request.write`; `external-ref` defaults to `orgno` only when absent.
fn by_query(caller: &Caller, ctx: &Ctx<'_>) -> Response<Body> {
    if !caller.has(SCOPE_REQUEST_WRITE) {
        return empty(StatusCode::FORBIDDEN);
    }
    let (Some(system), Some(org)) = (ctx.query.get("system-id"), ctx.query.get("orgno")) else {
        return framework(StatusCode::BAD_REQUEST);
    };
    let wanted = ctx.query.get("external-ref").unwrap_or(org);
    let found = ctx
        .registry
        .systems
        .iter()
        .find(|s| &s.id == system && s.vendor == caller.vendor)
        .and_then(|_| active_users(ctx.registry, system).find(|u| &u.org == org && u.reference() == wanted));
    match found {
        Some(u) => ok(&external(u, &caller.vendor, ctx.clock)),
        None => framework(StatusCode::NOT_FOUND),
    }
}

/// The system users (accepted requests) of a system, standard and agent alike.
fn active_users<'a>(registry: &'a Registry, system: &'a str) -> impl Iterator<Item = &'a SystemUserEntry> {
    registry.system_users.iter().filter(move |u| u.system_id == system && u.status == request_status::ACCEPTED)
}

/// `SystemUserExternalDTO` of a registry entry.
pub(crate) fn external(u: &SystemUserEntry, vendor: &str, clock: &Clock) -> SystemUser {
    SystemUser {
        id: u.id.clone(),
        integration_title: u.system_id.clone(),
        system_id: u.system_id.clone(),
        product_name: String::new(),
        reportee_org_no: u.org.clone(),
        created: created(u, clock),
        is_deleted: false,
        supplier_name: String::new(),
        supplier_orgno: vendor.to_string(),
        external_ref: Some(u.reference().to_string()),
        user_type: u.user_type.clone(),
    }
}

fn created(u: &SystemUserEntry, clock: &Clock) -> String {
    let at = clock.now() - time::Duration::days(u.age_days as i64);
    crate::vocab::times::rfc3339(at)
}

/// `GET systemuser/vendor/bysystem/{systemId}[?token=]`: `systemregister.write`;
/// pages of [`PAGE_SIZE`], `next` left out on the last.
fn by_system(system_id: &str, caller: &Caller, ctx: &Ctx<'_>) -> Response<Body> {
    if !caller.has(SCOPE_SYSTEMREGISTER_WRITE) {
        return empty(StatusCode::FORBIDDEN);
    }
    if let Err(r) = own_system(system_id, caller, ctx) {
        return *r;
    }
    let start = match ctx.query.get("token") {
        None => 0,
        Some(t) => match URL_SAFE_NO_PAD.decode(t).ok().and_then(|b| serde_json::from_slice::<usize>(&b).ok()) {
            Some(n) => n,
            None => return framework(StatusCode::BAD_REQUEST),
        },
    };
    let users: Vec<SystemUser> =
        active_users(ctx.registry, system_id).map(|u| external(u, &caller.vendor, ctx.clock)).collect();
    let data: Vec<SystemUser> = users.iter().skip(start).take(PAGE_SIZE).cloned().collect();
    let next = (start + PAGE_SIZE < users.len()).then(|| {
        let token = URL_SAFE_NO_PAD.encode((start + PAGE_SIZE).to_string());
        format!("{}/authentication/api/v1/systemuser/vendor/bysystem/{system_id}?token={token}", ctx.base_url)
    });
    ok(&Page { links: Links { next }, data })
}

/// `GET systemuser/request/vendor[/agent]/byexternalref/{systemId}/{orgNo}/{externalRef}`.
fn request_by_ref(
    system: &str,
    org: &str,
    reference: &str,
    agent: bool,
    caller: &Caller,
    ctx: &Ctx<'_>,
) -> Response<Body> {
    if !caller.has(SCOPE_REQUEST_READ) {
        return empty(StatusCode::FORBIDDEN);
    }
    if let Err(r) = own_system(system, caller, ctx) {
        return *r;
    }
    let found =
        ctx.registry.system_users_for(system, org).find(|u| u.is_agent() == agent && u.reference() == reference);
    match found {
        Some(u) => ok(&request(u, ctx.clock)),
        None => auth_problem(10, StatusCode::NOT_FOUND, NO_REQUEST),
    }
}

/// `GET systemuser/changerequest/vendor/byexternalref/{systemId}/{orgNo}/{externalRef}`:
/// as Altinn's, the answer copies the rights but not the packages (CONTRACTS.md §4.1).
fn change_request_by_ref(system: &str, org: &str, reference: &str, caller: &Caller, ctx: &Ctx<'_>) -> Response<Body> {
    if !caller.has(SCOPE_REQUEST_READ) {
        return empty(StatusCode::FORBIDDEN);
    }
    if let Err(r) = own_system(system, caller, ctx) {
        return *r;
    }
    let found =
        ctx.registry.change_requests.iter().find(|c| {
            c.system_id == system && c.org == org && c.external_ref.as_deref().unwrap_or(&c.org) == reference
        });
    let Some(c) = found else { return auth_problem(10, StatusCode::NOT_FOUND, NO_REQUEST) };
    ok(&ChangeRequest {
        id: c.id.clone(),
        external_ref: Some(c.external_ref.clone().unwrap_or_else(|| c.org.clone())),
        system_id: c.system_id.clone(),
        system_user_id: Some(c.system_user_id.clone()),
        party_org_no: c.org.clone(),
        required_rights: Vec::new(),
        unwanted_rights: Vec::new(),
        required_access_packages: Vec::new(),
        unwanted_access_packages: Vec::new(),
        status: c.status.clone(),
        redirect_url: None,
        confirm_url: Some(format!(
            "https://am.ui.tt02.altinn.no/accessmanagement/ui/systemuser/changerequest?id={}&DONTCHOOSEREPORTEE=true",
            c.id
        )),
        created: crate::vocab::times::rfc3339(ctx.clock.now()),
        timed_out: false,
    })
}

/// `GET systemuser/request/vendor[/agent]/{requestId}`.
fn request_by_id(id: &str, agent: bool, caller: &Caller, ctx: &Ctx<'_>) -> Response<Body> {
    if !caller.has(SCOPE_REQUEST_READ) {
        return empty(StatusCode::FORBIDDEN);
    }
    let Some(u) = ctx.registry.system_users.iter().find(|u| u.id == id) else {
        return auth_problem(10, StatusCode::NOT_FOUND, NO_REQUEST);
    };
    if let Err(r) = own_system(&u.system_id, caller, ctx) {
        return *r;
    }
    match (agent, u.is_agent()) {
        (true, false) => auth_problem(25, StatusCode::BAD_REQUEST, NOT_AGENT),
        (false, true) => auth_problem(10, StatusCode::NOT_FOUND, NO_REQUEST),
        _ => ok(&request(u, ctx.clock)),
    }
}

/// `RequestSystemResponse` (agent: without `rights`) of a registry entry.
pub(crate) fn request(u: &SystemUserEntry, clock: &Clock) -> SystemUserRequest {
    let page = if u.is_agent() { "agentrequest" } else { "request" };
    SystemUserRequest {
        id: u.id.clone(),
        integration_title: u.system_id.clone(),
        external_ref: Some(u.reference().to_string()),
        system_id: u.system_id.clone(),
        party_org_no: u.org.clone(),
        rights: (!u.is_agent()).then(Vec::new),
        access_packages: u.access_packages.iter().map(|p| AccessPackageRef { urn: p.clone() }).collect(),
        status: u.status.clone(),
        redirect_url: None,
        confirm_url: Some(format!(
            "https://am.ui.tt02.altinn.no/accessmanagement/ui/systemuser/{page}?id={}&DONTCHOOSEREPORTEE=true",
            u.id
        )),
        escalated: false,
        created: created(u, clock),
        timed_out: u.age_days >= TIMEOUT_DAYS,
    }
}

/// The scopes of a token's `scope` claim.
pub(crate) fn scopes(claims: &serde_json::Map<String, Value>) -> Vec<String> {
    claims.get("scope").and_then(Value::as_str).unwrap_or_default().split(' ').map(str::to_string).collect()
}
