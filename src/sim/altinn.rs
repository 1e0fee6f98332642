//! The simulated Altinn: the platform's token exchange (with the enterprise-user header),
//! the Altinn 2 API (API keys, reportees, roles), system users and authorised parties,
//! in two eras: `2025` as the guide describes, and `current` with Altinn 2 gone.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Body;
use axum::http::{HeaderMap, Response, StatusCode};
use axum::response::IntoResponse;
use base64::Engine;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::clock::Clock;
use super::maskinporten::{Signer, TokenService};
use super::registry::Registry;
use crate::altinn::types::*;

/// Which Altinn the simulator plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    /// Everything as the 2021 guide describes: Altinn 2, API keys, enterprise users.
    Y2025,
    /// Since 19 June 2026: the enterprise-user header answers 410, Altinn 2 is gone.
    Current,
}

impl Era {
    pub fn parse(text: &str) -> Option<Era> {
        match text {
            "2025" => Some(Era::Y2025),
            "current" => Some(Era::Current),
            _ => None,
        }
    }
}

/// Failed logins Altinn 2 allowed in two hours before locking a user for an hour.
const MAX_FAILURES: usize = 10;

/// The Altinn side of the simulator.
pub struct AltinnService {
    pub era: Era,
    pub platform_issuer: String,
    signer: Signer,
    failures: Mutex<HashMap<String, Vec<OffsetDateTime>>>,
    /// Every enterprise-user login attempt, for the tests of lock-out safety.
    pub attempts: Mutex<Vec<String>>,
}

/// A verified token's claims.
type Claims = serde_json::Map<String, Value>;

fn trace_id() -> String {
    let mut b = [0u8; 8];
    aws_lc_rs::rand::fill(&mut b).unwrap_or(());
    format!("00-{}-01", b.iter().map(|x| format!("{x:02x}")).collect::<String>())
}

fn problem(status: StatusCode, title: &str, detail: Option<&str>) -> Response<Body> {
    problem_of("https://tools.ietf.org/html/rfc9110", status, title, detail)
}

fn problem_of(kind: &str, status: StatusCode, title: &str, detail: Option<&str>) -> Response<Body> {
    let body = ProblemDetails {
        kind: Some(kind.into()),
        title: Some(title.into()),
        status: Some(status.as_u16()),
        detail: detail.map(str::to_string),
        trace_id: Some(trace_id()),
    };
    (status, [("content-type", "application/problem+json")], serde_json::to_string(&body).unwrap_or_default())
        .into_response()
}

/// An Altinn 2 answer: status, reason phrase, no body (as the real API mostly did).
fn reason(status: StatusCode, phrase: &'static str) -> Response<Body> {
    let mut r = (status, "").into_response();
    r.extensions_mut().insert(hyper::ext::ReasonPhrase::from_static(phrase.as_bytes()));
    r
}

fn hal(value: Value) -> Response<Body> {
    (StatusCode::OK, [("content-type", "application/hal+json")], value.to_string()).into_response()
}

/// The page a browser gets where Altinn 2's API was.
fn gone_page(status: StatusCode) -> Response<Body> {
    let html = "<!DOCTYPE html><html><head><title>Altinn</title></head><body><h1>Altinn II er stengt</h1>\
                <p>Altinn II ble stengt 19. juni 2026.</p></body></html>";
    (status, [("content-type", "text/html; charset=utf-8")], html).into_response()
}

/// A registry entry as the vendor API shows a system user.
fn system_user(u: &super::registry::SystemUserEntry) -> SystemUser {
    SystemUser {
        id: u.id.clone(),
        system_id: u.system_id.clone(),
        party_org_no: u.org.clone(),
        external_ref: u.external_ref.clone(),
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get("authorization")?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

impl AltinnService {
    pub fn new(era: Era, platform_issuer: String) -> Result<AltinnService, String> {
        Ok(AltinnService {
            era,
            platform_issuer,
            signer: Signer::generate()?,
            failures: Mutex::new(HashMap::new()),
            attempts: Mutex::new(Vec::new()),
        })
    }

    /// Verifies a Maskinporten token as the platform does: signature and lifetime
    /// against Maskinporten's key (±10 s), then issuer, then consumer.
    fn verify_maskinporten(&self, token: &str, mp: &TokenService) -> Option<Claims> {
        let claims = verify(token, &mp.signer.jwk, &mp.clock)?;
        if claims.get("iss").and_then(Value::as_str) != Some(mp.issuer.as_str()) {
            return None;
        }
        let consumer = claims.get("consumer")?.get("ID")?.as_str()?;
        consumer.starts_with("0192:").then_some(claims)
    }

    /// Verifies a token the platform itself issued.
    fn verify_altinn(&self, headers: &HeaderMap, clock: &Clock) -> Option<Claims> {
        let claims = verify(bearer(headers)?, &self.signer.jwk, clock)?;
        (claims.get("iss").and_then(Value::as_str) == Some(self.platform_issuer.as_str())).then_some(claims)
    }

    /// `GET /authentication/api/v1/exchange/maskinporten`.
    pub fn exchange(&self, headers: &HeaderMap, mp: &TokenService, registry: &Registry) -> Response<Body> {
        let unauthorized = || problem(StatusCode::UNAUTHORIZED, "Unauthorized", None);
        let Some(token) = bearer(headers) else { return unauthorized() };
        let Some(mp_claims) = self.verify_maskinporten(token, mp) else { return unauthorized() };
        let org = mp_claims["consumer"]["ID"].as_str().unwrap_or_default().trim_start_matches("0192:").to_string();
        let now = mp.clock.now();
        let mut claims = json!({
            "iss": self.platform_issuer,
            "iat": now.unix_timestamp(),
            "exp": mp_claims.get("exp").cloned().unwrap_or(json!(now.unix_timestamp() + 120)),
            "scope": mp_claims.get("scope").cloned().unwrap_or(json!("")),
            "client_amr": mp_claims.get("client_amr").cloned().unwrap_or(Value::Null),
            "consumer": mp_claims.get("consumer").cloned().unwrap_or(Value::Null),
            (claims::ORG_NUMBER): org,
            (claims::AUTH_METHOD): "maskinporten",
            (claims::AUTH_LEVEL): 3,
        });
        if let Some(details) = mp_claims.get("authorization_details") {
            claims["authorization_details"] = details.clone();
            claims[claims::AUTH_METHOD] = json!("systemuser");
        }
        let header = headers.get(ENTERPRISE_USER_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
        if !header.trim().is_empty() {
            if self.era == Era::Current {
                return problem_of("https://docs.altinn.studio", StatusCode::GONE, GONE_TITLE, Some(GONE_DETAIL));
            }
            match self.enterprise_login(header.trim(), &org, registry, now) {
                Ok((id, name)) => {
                    claims[claims::USER_ID] = json!(id);
                    claims[claims::USER_NAME] = json!(name);
                    claims[claims::AUTH_METHOD] = json!("virksomhetsbruker");
                }
                Err(r) => return *r,
            }
        }
        let Ok(jwt) = self.signer.sign(&claims) else {
            return problem(StatusCode::INTERNAL_SERVER_ERROR, "Error", None);
        };
        let wants_json = headers.get("accept").and_then(|v| v.to_str().ok()).is_some_and(|a| {
            a.split(',').any(|t| {
                let t = t.split(';').next().unwrap_or_default().trim();
                t == "application/json" || (t.starts_with("application/") && t.ends_with("+json"))
            })
        });
        if wants_json {
            (StatusCode::OK, [("content-type", "application/json")], Value::String(jwt).to_string()).into_response()
        } else {
            (StatusCode::OK, [("content-type", "text/plain")], jwt).into_response()
        }
    }

    /// The enterprise-user header: base64 of `username:password`, split at the first
    /// colon. Ten failures in two hours lock the user for an hour.
    fn enterprise_login(
        &self,
        header: &str,
        org: &str,
        registry: &Registry,
        now: OffsetDateTime,
    ) -> Result<(i64, String), Box<Response<Body>>> {
        let bad_request =
            || problem(StatusCode::BAD_REQUEST, "Bad Request", Some("The enterprise user header is not valid."));
        let decoded = base64::engine::general_purpose::STANDARD.decode(header).map_err(|_| Box::new(bad_request()))?;
        let text = String::from_utf8(decoded).map_err(|_| Box::new(bad_request()))?;
        let (user, password) = text.split_once(':').ok_or_else(|| Box::new(bad_request()))?;
        if let Ok(mut a) = self.attempts.lock() {
            a.push(user.to_string());
        }
        let mut failures =
            self.failures.lock().map_err(|_| Box::new(problem(StatusCode::BAD_GATEWAY, "Bad Gateway", None)))?;
        let recent: &mut Vec<OffsetDateTime> = failures.entry(user.to_string()).or_default();
        recent.retain(|t| now - *t < time::Duration::hours(2));
        if recent.len() >= MAX_FAILURES {
            let unlock = recent[MAX_FAILURES - 1] + time::Duration::hours(1);
            if now < unlock {
                let mut r = problem(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests", Some("The user is locked."));
                r.headers_mut().insert("retry-after", ((unlock - now).whole_seconds().max(1) as u64).into());
                return Err(Box::new(r));
            }
        }
        let found = registry.enterprise_users.iter().position(|u| u.username == user && u.org == org);
        match found {
            Some(i) if registry.enterprise_users[i].password == password => {
                recent.clear();
                Ok((50_000_000 + i as i64, user.to_string()))
            }
            _ => {
                recent.push(now);
                Err(Box::new(problem(StatusCode::UNAUTHORIZED, "Unauthorized", Some(WRONG_USER_OR_PASSWORD))))
            }
        }
    }

    /// The Altinn 2 API (`/api/...`): gone in the current era.
    pub fn api(&self, path: &str, headers: &HeaderMap, registry: &Registry, clock: &Clock) -> Response<Body> {
        if self.era == Era::Current {
            return if path.trim_end_matches('/') == "/api" {
                gone_page(StatusCode::NOT_FOUND)
            } else {
                gone_page(StatusCode::GONE)
            };
        }
        let path = path.trim_end_matches('/');
        if path == "/api" {
            return hal(json!({"_links": {"self": {"href": "/api"}, "reportees": {"href": "/api/reportees"}}}));
        }
        if path.eq_ignore_ascii_case("/api/metadata/roledefinitions") {
            let defs: Vec<RoleDefinition> = registry
                .role_definitions
                .iter()
                .map(|d| RoleDefinition {
                    role_definition_id: d.id,
                    role_definition_code: d.code.clone(),
                    role_name: d.name.clone(),
                })
                .collect();
            return hal(json!({"_embedded": {"roledefinitions": defs}}));
        }
        let operation = if path.eq_ignore_ascii_case("/api/reportees") {
            "Organization.read"
        } else if path.to_ascii_lowercase().ends_with("/authorization/roles") {
            "Authorization.read"
        } else {
            return gone_page(StatusCode::NOT_FOUND);
        };
        let Some(key) = headers.get("apikey").and_then(|v| v.to_str().ok()) else {
            return reason(StatusCode::BAD_REQUEST, REASON_APIKEY_MISSING);
        };
        let Some(entry) = registry.api_keys.iter().find(|k| k.key == key) else {
            return reason(StatusCode::FORBIDDEN, REASON_APIKEY_UNKNOWN);
        };
        if !entry.operations.iter().any(|o| o == operation) {
            return reason(StatusCode::FORBIDDEN, REASON_APIKEY_NOT_AUTHORIZED);
        }
        let Some(claims) = self.verify_altinn(headers, clock) else {
            return reason(StatusCode::UNAUTHORIZED, REASON_NO_ORG);
        };
        let org = claims.get(claims::ORG_NUMBER).and_then(Value::as_str).unwrap_or_default().to_string();
        if operation == "Organization.read" {
            return hal(
                json!({"_embedded": {"reportees": [{"Name": "DEMOBEDRIFT AS", "OrganizationNumber": org, "Type": "Enterprise"}]}}),
            );
        }
        let Some(user) = claims.get(claims::USER_NAME).and_then(Value::as_str) else {
            return reason(StatusCode::UNAUTHORIZED, REASON_NO_ORG);
        };
        let roles: Vec<Role> = registry
            .enterprise_users
            .iter()
            .find(|u| u.username == user && u.org == org)
            .map(|u| u.roles.clone())
            .unwrap_or_default()
            .iter()
            .filter_map(|code| registry.role_definitions.iter().find(|d| &d.code == code))
            .enumerate()
            .map(|(i, d)| Role {
                role_id: 1000 + i as i64,
                role_type: "Altinn".into(),
                role_definition_id: d.id,
                role_name: d.name.clone(),
                role_description: String::new(),
            })
            .collect();
        hal(json!({"_embedded": {"roles": roles}}))
    }

    /// The vendor look-ups of system users and their requests, and the system register.
    pub fn vendor(
        &self,
        path: &str,
        query: &HashMap<String, String>,
        headers: &HeaderMap,
        registry: &Registry,
        clock: &Clock,
    ) -> Response<Body> {
        let Some(claims) = self.verify_altinn(headers, clock) else {
            return problem(StatusCode::UNAUTHORIZED, "Unauthorized", None);
        };
        let vendor = claims.get(claims::ORG_NUMBER).and_then(Value::as_str).unwrap_or_default();
        let not_found = || problem(StatusCode::NOT_FOUND, "Not Found", None);
        let rest = path.trim_start_matches("/authentication/api/v1/");
        if let Some(system_id) = rest.strip_prefix("systemregister/vendor/") {
            let Some(s) = registry.systems.iter().find(|s| s.id == system_id && s.vendor == vendor) else {
                return not_found();
            };
            let body = RegisteredSystem {
                id: s.id.clone(),
                vendor: s.vendor.clone(),
                client_id: s.client_ids.clone(),
                access_packages: s.access_packages.clone(),
            };
            return axum::Json(body).into_response();
        }
        if rest == "systemuser/vendor/byquery" {
            let (Some(system), Some(org)) = (query.get("system-id"), query.get("orgno")) else { return not_found() };
            if !registry.systems.iter().any(|s| &s.id == system && s.vendor == vendor) {
                return not_found();
            }
            let wanted = query.get("external-ref").cloned().unwrap_or_else(|| org.clone());
            let user = registry
                .system_users_for(system, org)
                .filter(|u| u.status == "Accepted")
                .find(|u| u.external_ref.clone().unwrap_or_else(|| org.clone()) == wanted);
            return match user {
                Some(u) => axum::Json(system_user(u)).into_response(),
                None => not_found(),
            };
        }
        if let Some(system_id) = rest.strip_prefix("systemuser/vendor/").filter(|s| !s.contains('/')) {
            // Every system user of the vendor's system.
            if !registry.systems.iter().any(|s| s.id == system_id && s.vendor == vendor) {
                return not_found();
            }
            let users: Vec<SystemUser> = registry
                .system_users
                .iter()
                .filter(|u| u.system_id == system_id && u.status == "Accepted")
                .map(system_user)
                .collect();
            return axum::Json(users).into_response();
        }
        if let Some(parts) = rest.strip_prefix("systemuser/request/vendor/byexternalref/") {
            let parts: Vec<&str> = parts.split('/').collect();
            let [system, org, external_ref] = parts.as_slice() else { return not_found() };
            let request = registry
                .system_users_for(system, org)
                .find(|u| u.external_ref.as_deref().unwrap_or(org) == *external_ref);
            return match request {
                Some(u) => axum::Json(SystemUserRequest {
                    id: u.id.clone(),
                    system_id: u.system_id.clone(),
                    party_org_no: u.org.clone(),
                    external_ref: u.external_ref.clone(),
                    status: u.status.clone(),
                    confirm_url: (u.status == "New").then(|| {
                        format!("https://authn.ui.tt02.altinn.no/authfront/ui/auth/vendorrequest?id={}", u.id)
                    }),
                })
                .into_response(),
                None => not_found(),
            };
        }
        not_found()
    }

    /// `GET /accessmanagement/api/v1/enduser/authorizedparties`.
    pub fn authorized_parties(&self, headers: &HeaderMap, registry: &Registry, clock: &Clock) -> Response<Body> {
        let Some(claims) = self.verify_altinn(headers, clock) else {
            return problem(StatusCode::UNAUTHORIZED, "Unauthorized", None);
        };
        let scopes = claims.get("scope").and_then(Value::as_str).unwrap_or_default();
        if !scopes.split_whitespace().any(|s| s == AUTHORIZED_PARTIES_SCOPE) {
            return problem(StatusCode::FORBIDDEN, "Forbidden", Some("The token lacks the required scope."));
        }
        let ids: Vec<String> = claims
            .get("authorization_details")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|d| d.get("systemuser_id")?.as_array().cloned())
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        let parties: Vec<AuthorizedParty> = registry
            .system_users
            .iter()
            .filter(|u| ids.contains(&u.id))
            .map(|u| AuthorizedParty {
                name: format!("Organisasjon {}", u.org),
                organization_number: Some(u.org.clone()),
                kind: "Organization".into(),
                authorized_access_packages: u.access_packages.clone(),
                authorized_roles: Vec::new(),
            })
            .collect();
        axum::Json(parties).into_response()
    }
}

/// Verifies an RS256 JWT with a JWK, allowing 10 s of clock skew.
fn verify(token: &str, jwk: &Value, clock: &Clock) -> Option<Claims> {
    let key = jsonwebtoken::DecodingKey::from_rsa_components(jwk["n"].as_str()?, jwk["e"].as_str()?).ok()?;
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    v.validate_exp = false;
    v.validate_aud = false;
    v.required_spec_claims.clear();
    let data = jsonwebtoken::decode::<Claims>(token, &key, &v).ok()?;
    let exp = data.claims.get("exp").and_then(Value::as_i64)?;
    (exp + 10 >= clock.now_unix()).then_some(data.claims)
}
