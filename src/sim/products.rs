//! The simulated product APIs' list endpoints (Correspondence, Broker, Dialogporten,
//! Storage's instances), each behind its scopes and Altinn Authorization, with the
//! denial bodies the real services give (CONTRACTS-APIS §4).

use axum::body::Body;
use axum::http::{HeaderMap, Response, StatusCode};
use axum::response::IntoResponse;
use serde_json::{Value, json};
use std::collections::HashMap;

use super::altinn::{AltinnService, trace_id};
use super::clock::Clock;
use super::maskinporten::TokenService;
use super::registry::{Registry, ResourceEntry, SystemUserEntry};
use crate::altinn::products::*;
use crate::altinn::types::{claims, package_code};

/// Correspondence's text for `CORR-04001` (its `Errors.cs:130`).
pub const CORR_NO_ACCESS: &str = "You must use an Altinn token, DialogToken or log in to IDPorten as someone with access to the resource and organization in Altinn Authorization";
/// Broker's text for `BRO-00006` (its `Errors.cs:14`).
pub const BRO_NO_ACCESS: &str = "You must use a bearer token that represents a system user with access to the resource in the Resource Rights Registry";
/// Dialogporten's user-type text, before the endpoint's list of valid types.
pub const DP_USER_TYPE: &str = "The request was authenticated, but we were unable to determine valid user type in order to authorize the request. Valid user types for this endpoint are: ";

/// Who called: the token's claims, and whether Maskinporten (not Altinn) issued it.
struct Caller {
    claims: serde_json::Map<String, Value>,
    raw_maskinporten: bool,
}

impl Caller {
    fn has(&self, scope: &str) -> bool {
        let scopes = self.claims.get("scope").and_then(Value::as_str).unwrap_or_default();
        scopes.split_whitespace().any(|s| s == scope)
    }

    fn org(&self) -> String {
        let altinn = self.claims.get(claims::ORG_NUMBER).and_then(Value::as_str);
        let consumer = self.claims.get("consumer").and_then(|c| c.get("ID")).and_then(Value::as_str);
        altinn.or(consumer).unwrap_or_default().rsplit(':').next().unwrap_or_default().to_string()
    }

    fn system_users<'r>(&self, registry: &'r Registry) -> Vec<&'r SystemUserEntry> {
        super::altinn::system_users_of(&self.claims, registry)
    }
}

/// The parties a system user acts for, each with its packages.
fn parties(u: &SystemUserEntry) -> Vec<(&str, &[String])> {
    if u.is_agent() {
        u.clients.iter().map(|c| (c.org.as_str(), c.access_packages.as_slice())).collect()
    } else {
        vec![(u.org.as_str(), u.access_packages.as_slice())]
    }
}

/// The parties for which the caller may reach `r`, as Altinn Authorization decides: a
/// system user's parties holding a package the policy names; else the owner itself.
fn allowed_parties(registry: &Registry, caller: &Caller, r: &ResourceEntry) -> Vec<String> {
    let users = caller.system_users(registry);
    if users.is_empty() {
        return if caller.org() == r.owner { vec![r.owner.clone()] } else { Vec::new() };
    }
    let grants = |packages: &[String]| {
        packages.iter().any(|p| r.packages.iter().any(|g| package_code(p).eq_ignore_ascii_case(g)))
    };
    users
        .iter()
        .flat_map(|u| parties(u))
        .filter(|(_, packages)| grants(packages))
        .map(|(org, _)| org.to_string())
        .collect()
}

fn empty(status: StatusCode) -> Response<Body> {
    let mut response = (status, "").into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert("www-authenticate", axum::http::HeaderValue::from_static("Bearer"));
    }
    response
}

/// A Correspondence or Broker problem (`CORR-0NNNN`, `BRO-000NN`), as their helpers write it.
fn coded(status: StatusCode, prefix: &str, number: u32, detail: &str) -> Response<Body> {
    let reason = status.canonical_reason().unwrap_or_default();
    let section = if status == StatusCode::UNAUTHORIZED { "15.5.2" } else { "15.5.4" };
    let mut body = json!({
        "type": format!("https://tools.ietf.org/html/rfc9110#section-{section}"),
        "title": reason,
        "status": status.as_u16(),
        "detail": detail,
        "code": format!("{prefix}-{number:05}"),
        "traceId": trace_id(),
        "statusDescription": reason,
    });
    if prefix == "CORR" {
        body["errorCode"] = json!(number);
    }
    (status, [("content-type", "application/problem+json")], body.to_string()).into_response()
}

/// Every product route: the path decides, the caller is verified once.
pub(crate) fn route(
    path: &str,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
    registry: &Registry,
    altinn: &AltinnService,
    mp: &TokenService,
) -> Response<Body> {
    let caller = caller(headers, altinn, mp, &mp.clock);
    let Some(caller) = caller else { return empty(StatusCode::UNAUTHORIZED) };
    let resource = |key: &str| query.get(key).map(|r| r.trim_start_matches("urn:altinn:resource:").to_string());
    match path {
        CORRESPONDENCE_PATH => correspondence(&caller, registry, resource("resourceId"), query.get("role")),
        BROKER_PATH => broker(&caller, registry, resource("resourceId")),
        DIALOGS_END_USER_PATH => dialogs(&caller, registry, resource("serviceResource"), query.get("party"), true),
        DIALOGS_SERVICE_OWNER_PATH => dialogs(&caller, registry, resource("serviceResource"), None, false),
        INSTANCES_PATH => instances(&caller, query.get("appId"), altinn),
        _ => (StatusCode::NOT_FOUND, "Not Found").into_response(),
    }
}

/// An Altinn token, else a Maskinporten one (which Storage does not take).
fn caller(headers: &HeaderMap, altinn: &AltinnService, mp: &TokenService, clock: &Clock) -> Option<Caller> {
    if let Some(claims) = altinn.verify_altinn(headers, clock) {
        return Some(Caller { claims, raw_maskinporten: false });
    }
    let token = headers.get("authorization")?.to_str().ok()?.strip_prefix("Bearer ")?;
    altinn.verify_maskinporten(token, mp).map(|claims| Caller { claims, raw_maskinporten: true })
}

fn guids(n: usize, seed: &str) -> Vec<String> {
    let tag: u32 = seed.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32));
    (0..n).map(|i| format!("0198d6e1-{:04x}-7c93-a1f0-{:012x}", tag & 0xffff, i + 1)).collect()
}

fn items_for(registry: &Registry, caller: &Caller, id: &Option<String>) -> Option<(usize, String)> {
    let r = registry.resources.iter().find(|r| Some(&r.id) == id.as_ref())?;
    let parties = allowed_parties(registry, caller, r);
    (!parties.is_empty()).then(|| (r.items as usize, r.id.clone()))
}

fn correspondence(caller: &Caller, registry: &Registry, id: Option<String>, role: Option<&String>) -> Response<Body> {
    let sender = match role.map(String::as_str) {
        Some(ROLE_RECIPIENT) => false,
        Some(ROLE_SENDER) => true,
        _ => return validation("role", "The Role field is required."),
    };
    let may = if sender {
        caller.has(SCOPE_CORRESPONDENCE_WRITE) && (!caller.raw_maskinporten || caller.has(SCOPE_SERVICE_OWNER))
    } else {
        caller.has(SCOPE_CORRESPONDENCE_READ)
    };
    if !may {
        return empty(StatusCode::FORBIDDEN);
    }
    match items_for(registry, caller, &id) {
        Some((n, seed)) => axum::Json(CorrespondenceList { ids: guids(n, &seed) }).into_response(),
        None => coded(StatusCode::UNAUTHORIZED, "CORR", 4001, CORR_NO_ACCESS),
    }
}

fn broker(caller: &Caller, registry: &Registry, id: Option<String>) -> Response<Body> {
    if !caller.has(SCOPE_BROKER_READ) && !caller.has(SCOPE_BROKER_WRITE) {
        return empty(StatusCode::FORBIDDEN);
    }
    match items_for(registry, caller, &id) {
        Some((n, seed)) => axum::Json(guids(n, &seed)).into_response(),
        None => coded(StatusCode::UNAUTHORIZED, "BRO", 6, BRO_NO_ACCESS),
    }
}

/// Dialogporten's searches: scopes first (403 empty), then the user type (403 JSON),
/// then the dialogs the caller may see; no rights is an empty list, not an error.
fn dialogs(
    caller: &Caller,
    registry: &Registry,
    id: Option<String>,
    party: Option<&String>,
    end_user: bool,
) -> Response<Body> {
    let scoped = if end_user {
        caller.has(SCOPE_DIALOGPORTEN) || caller.has(SCOPE_DIALOGPORTEN_NOCONSENT)
    } else {
        caller.has(SCOPE_DIALOGPORTEN_PROVIDER) && caller.has(SCOPE_DIALOGPORTEN_SEARCH)
    };
    if !scoped {
        return empty(StatusCode::FORBIDDEN);
    }
    let system_user = !caller.system_users(registry).is_empty();
    if end_user != system_user {
        let (path, types) = match end_user {
            true => (DIALOGS_END_USER_PATH, "Person, SystemUser, IdportenEmailIdentifiedUser"),
            false => (DIALOGS_SERVICE_OWNER_PATH, "ServiceOwner, ServiceOwnerOnBehalfOfPerson"),
        };
        return user_type(path, types);
    }
    if end_user && id.is_none() && party.is_none() {
        return validation("", "Either ServiceResource or Party must be specified.");
    }
    let items: Vec<Value> = registry
        .resources
        .iter()
        .filter(|r| id.as_ref().is_none_or(|i| *i == r.id))
        .flat_map(|r| {
            let parties = match end_user {
                true => allowed_parties(registry, caller, r),
                false if caller.org() == r.owner => vec![r.owner.clone()],
                false => Vec::new(),
            };
            let wanted = |p: &String| party.is_none_or(|q| *q == organization_party(p));
            let parties: Vec<String> = parties.into_iter().filter(wanted).collect();
            parties.into_iter().flat_map(move |p| dialog_items(r, &p))
        })
        .collect();
    let page =
        DialogSearch { items, order_by: Some("contentupdatedat_desc,id_desc".into()), ..DialogSearch::default() };
    axum::Json(page).into_response()
}

fn dialog_items(r: &ResourceEntry, party: &str) -> Vec<Value> {
    guids(r.items as usize, &format!("{}{party}", r.id))
        .into_iter()
        .map(|id| {
            json!({"id": id, "serviceResource": format!("urn:altinn:resource:{}", r.id),
                   "party": organization_party(party), "status": "New"})
        })
        .collect()
}

fn user_type(path: &str, types: &str) -> Response<Body> {
    let body = json!({
        "type": "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.3",
        "title": "Forbidden.",
        "status": 403,
        "instance": path.trim_start_matches("/dialogporten"),
        "traceId": trace_id(),
        "errors": {"Type": [format!("{DP_USER_TYPE}{types}")]},
    });
    (StatusCode::FORBIDDEN, [("content-type", "application/json; charset=utf-8")], body.to_string()).into_response()
}

fn validation(field: &str, text: &str) -> Response<Body> {
    let body = json!({
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        "title": "One or more validation errors occurred.",
        "status": 400,
        "traceId": trace_id(),
        "errors": {field: [text]},
    });
    (StatusCode::BAD_REQUEST, [("content-type", "application/problem+json")], body.to_string()).into_response()
}

/// Storage's instance query: an Altinn token only, as the app's service owner
/// (`urn:altinn:org` and the instances scope), for its own apps.
fn instances(caller: &Caller, app: Option<&String>, altinn: &AltinnService) -> Response<Body> {
    if caller.raw_maskinporten {
        return empty(StatusCode::UNAUTHORIZED);
    }
    let owner = caller.claims.get(claims::SERVICE_OWNER).and_then(Value::as_str);
    let Some(owner) = owner.filter(|_| caller.has(SCOPE_INSTANCES_READ)) else {
        return empty(StatusCode::FORBIDDEN);
    };
    let Some(app) = app else {
        return (StatusCode::BAD_REQUEST, "Org or AppId must be defined.").into_response();
    };
    if app.split('/').next() != Some(owner) {
        return empty(StatusCode::FORBIDDEN);
    }
    let host = altinn.platform_issuer.split("/authentication").next().unwrap_or_default();
    axum::Json(InstanceQuery {
        count: 0,
        self_link: Some(format!("{host}{INSTANCES_PATH}?appId={app}")),
        next: None,
        instances: Vec::new(),
    })
    .into_response()
}
