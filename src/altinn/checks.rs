//! The Altinn checks: the token exchange, the Altinn 2 API key, the enterprise user and
//! its roles (the old path), and the system user and its rights (the path that replaced it).

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

use super::client::{self, Accept, Answer};
use super::types::*;
use crate::config::Flow;
use crate::engine::{BoxFuture, Check, CheckId, Context, Diagnosis, Facts, Finding, Run, Status};
use crate::maskinporten::checks::Issued;
use crate::maskinporten::client as mp;
use crate::maskinporten::types::AccessTokenClaims;
use crate::vocab::Secret;
use crate::vocab::times::rfc3339;

/// The checks of this module, in run order.
pub const ALL: &[Check] = &[
    Check {
        id: CheckId::AltinnExchange,
        depends_on: &[CheckId::MpToken],
        needs_network: true,
        applies: None,
        run: Run::Async(exchange),
    },
    Check {
        id: CheckId::AltinnApiKey,
        depends_on: &[CheckId::AltinnExchange],
        needs_network: true,
        applies: Some(enterprise_user_flow),
        run: Run::Async(api_key),
    },
    // The one password attempt of the run is spent only once the exchange itself works:
    // a login against a failing exchange would count as a failure towards the lock-out.
    Check {
        id: CheckId::AltinnEnterpriseUser,
        depends_on: &[CheckId::AltinnExchange],
        needs_network: true,
        applies: Some(enterprise_user_flow),
        run: Run::Async(enterprise_user),
    },
    Check {
        id: CheckId::AltinnRoles,
        depends_on: &[CheckId::AltinnEnterpriseUser, CheckId::AltinnApiKey],
        needs_network: true,
        applies: Some(enterprise_user_flow),
        run: Run::Async(roles),
    },
    Check {
        id: CheckId::AltinnSystemUser,
        depends_on: &[CheckId::MpDiscovery],
        needs_network: true,
        applies: Some(system_user_flow),
        run: Run::Async(super::system_user::system_user),
    },
    Check {
        id: CheckId::AltinnSystemUserRights,
        depends_on: &[CheckId::AltinnSystemUser],
        needs_network: true,
        applies: Some(system_user_flow),
        run: Run::Async(super::system_user::system_user_rights),
    },
];

/// The Altinn tokens this run obtained, for the checks after the exchange.
#[derive(Clone)]
pub struct OrgToken(pub Secret);
#[derive(Clone)]
pub struct EnterpriseToken(pub Secret);

/// A check of the other flow than the profile's.
#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum FlowSkip {
    NotInFlow { flow: String },
    NoFlow,
}

impl Diagnosis for FlowSkip {
    fn status(&self) -> Status {
        Status::Skip
    }
}

fn not_in_flow(ctx: &Context) -> Finding {
    match ctx.profile.altinn.flow {
        Flow::None => Finding::of(FlowSkip::NoFlow),
        flow => Finding::of(FlowSkip::NotInFlow { flow: flow.as_str().into() }),
    }
}

fn enterprise_user_flow(ctx: &Context) -> Option<Finding> {
    (!ctx.profile.altinn.flow.enterprise_user()).then(|| not_in_flow(ctx))
}

fn system_user_flow(ctx: &Context) -> Option<Finding> {
    (!ctx.profile.altinn.flow.system_user()).then(|| not_in_flow(ctx))
}

/// An answer that shows Altinn 2 is gone: 410, 404, a redirect, or HTML where
/// HAL+JSON was asked for.
fn altinn2_gone(a: &Answer) -> bool {
    a.status == 410
        || a.status == 404
        || (300..400).contains(&a.status)
        || (a.status == 200 && a.content_type.starts_with("text/html"))
}

/// Whose Altinn token: the organisation's, the enterprise user's, the system user's.
#[derive(Clone, Copy)]
pub(crate) enum Holder {
    Org,
    EnterpriseUser,
    SystemUser,
}

/// Facts of an Altinn token's claims, under keys of their own per holder.
pub(crate) fn altinn_facts(token: &Secret, holder: Holder) -> Facts {
    let [org, method, expires] = match holder {
        Holder::Org => ["altinn_org", "altinn_auth_method", "altinn_expires"],
        Holder::EnterpriseUser => ["eu_altinn_org", "eu_altinn_auth_method", "eu_altinn_expires"],
        Holder::SystemUser => ["su_altinn_org", "su_altinn_auth_method", "su_altinn_expires"],
    };
    let mut f = Facts::new();
    let Some(claims) = mp::peek_claims::<serde_json::Map<String, Value>>(token.expose()) else { return f };
    f.put_opt(org, claims.get(claims::ORG_NUMBER).cloned());
    f.put_opt(method, claims.get(claims::AUTH_METHOD).cloned());
    if let Some(exp) =
        claims.get("exp").and_then(Value::as_i64).and_then(|e| OffsetDateTime::from_unix_timestamp(e).ok())
    {
        f.put(expires, rfc3339(exp));
    }
    f
}

// ---------------------------------------------------------------- altinn.exchange

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum ExchangeCause {
    Exchanged {
        org: String,
        method: String,
    },
    /// 401 where the Maskinporten token's own claims show why.
    UnauthorizedExpired {
        trace_id: String,
    },
    UnauthorizedIssuer {
        issuer: String,
        trace_id: String,
    },
    UnauthorizedConsumer {
        consumer: String,
        trace_id: String,
    },
    /// 401 with nothing more to go on: the causes in the platform's order.
    Unauthorized {
        env: String,
        trace_id: String,
    },
    Unexpected {
        status: u16,
        detail: String,
    },
    NotAToken {
        content_type: String,
        first_bytes: String,
    },
}

impl Diagnosis for ExchangeCause {
    fn status(&self) -> Status {
        match self {
            ExchangeCause::Exchanged { .. } => Status::Pass,
            _ => Status::Fail,
        }
    }
}

fn trace_of(a: &Answer) -> String {
    client::problem(a).and_then(|p| p.trace_id).unwrap_or_else(|| "(none given)".into())
}

fn exchange(ctx: &Context) -> BoxFuture<'_, Finding> {
    Box::pin(async move {
        let Some(issued) = ctx.store.get::<Issued>() else { return Finding::needs(CheckId::MpToken) };
        let platform = client::platform_base(&ctx.profile);
        let token = &issued.response.access_token;
        let answer = match client::exchange(&ctx.http, &platform, token, None, Accept::Text).await {
            Ok(a) => a,
            Err(e) => return Finding::of(e),
        };
        let mut facts = Facts::new();
        facts.put("exchange_url", answer.url.clone()).put("exchange_status", answer.status);
        if answer.status == 401 {
            return Finding::of(unauthorized(ctx, token, trace_of(&answer))).with(facts);
        }
        if answer.status != 200 {
            return Finding::of(ExchangeCause::Unexpected { status: answer.status, detail: answer.reason_text() })
                .with(facts);
        }
        let Some(altinn) = client::token_of(&answer.body) else {
            return Finding::of(ExchangeCause::NotAToken {
                content_type: answer.content_type.clone(),
                first_bytes: answer.first_bytes(),
            })
            .with(facts);
        };
        facts.extend(&altinn_facts(&altinn, Holder::Org));
        let str_fact = |k: &str| facts.get(k).and_then(Value::as_str).unwrap_or("?").to_string();
        let cause = ExchangeCause::Exchanged { org: str_fact("altinn_org"), method: str_fact("altinn_auth_method") };
        ctx.store.put(OrgToken(altinn));
        Finding::of(cause).with(facts)
    })
}

/// A 401 from the exchange is opaque: the Maskinporten token's claims tell which of the
/// platform's checks (in its order) most likely failed.
fn unauthorized(ctx: &Context, token: &Secret, trace_id: String) -> ExchangeCause {
    let claims = mp::peek_claims::<AccessTokenClaims>(token.expose());
    let env = ctx.profile.env.as_str().to_string();
    let Some(c) = claims else { return ExchangeCause::Unauthorized { env, trace_id } };
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let documented = mp::documented_issuer(ctx.profile.env);
    if c.exp + 10 < now {
        ExchangeCause::UnauthorizedExpired { trace_id }
    } else if c.iss != documented {
        ExchangeCause::UnauthorizedIssuer { issuer: c.iss, trace_id }
    } else if !c.consumer.id.starts_with("0192:") {
        ExchangeCause::UnauthorizedConsumer { consumer: c.consumer.id, trace_id }
    } else {
        ExchangeCause::Unauthorized { env, trace_id }
    }
}

// ---------------------------------------------------------------- altinn.api-key

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum ApiKeyCause {
    Valid { reportees: usize },
    NoApiKey,
    HeaderMissing { reason: String },
    NotAuthorized { reason: String, operation: String },
    UnknownKey { reason: String },
    NoOrganisation { reason: String },
    Altinn2Gone { status: u16, closed: String },
    Unexpected { status: u16, reason: String },
}

impl Diagnosis for ApiKeyCause {
    fn status(&self) -> Status {
        match self {
            ApiKeyCause::Valid { .. } => Status::Pass,
            ApiKeyCause::NoApiKey => Status::Skip,
            _ => Status::Fail,
        }
    }
}

fn api_key(ctx: &Context) -> BoxFuture<'_, Finding> {
    Box::pin(async move {
        let Some(key) = &ctx.profile.secrets.api_key else { return Finding::of(ApiKeyCause::NoApiKey) };
        let Some(OrgToken(token)) = ctx.store.get::<OrgToken>() else { return Finding::needs(CheckId::AltinnExchange) };
        let url = format!("{}/api/reportees", client::altinn2_base(&ctx.profile));
        let answer = match client::get_altinn2(&ctx.http1, &url, Some(&token), Some(key)).await {
            Ok(a) => a,
            Err(e) => return Finding::of(e),
        };
        let mut facts = Facts::new();
        facts.put("api_url", url).put("api_status", answer.status).put("api_reason", answer.reason_text());
        Finding::of(api_key_cause(&answer, "Organization.read")).with(facts)
    })
}

/// Reads an Altinn 2 answer by status and reason phrase.
fn api_key_cause(a: &Answer, operation: &str) -> ApiKeyCause {
    let reason = a.reason_text();
    match a.status {
        _ if altinn2_gone(a) => ApiKeyCause::Altinn2Gone { status: a.status, closed: ALTINN2_CLOSED.into() },
        200 => {
            let body: Value = a.json().unwrap_or(Value::Null);
            let reportees = body["_embedded"]["reportees"].as_array().map(Vec::len).unwrap_or(0);
            ApiKeyCause::Valid { reportees }
        }
        400 if reason.contains("ApiKey") => ApiKeyCause::HeaderMissing { reason },
        403 if reason.contains("not authorized for this operation") => {
            ApiKeyCause::NotAuthorized { reason, operation: operation.into() }
        }
        403 => ApiKeyCause::UnknownKey { reason },
        401 => ApiKeyCause::NoOrganisation { reason },
        status => ApiKeyCause::Unexpected { status, reason },
    }
}

// ---------------------------------------------------------------- altinn.enterprise-user

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum EnterpriseCause {
    LoggedIn { user: String },
    NoUser,
    NoPassword { user: String },
    HeaderRejected,
    WrongUserOrPassword { user: String },
    LockedOut { user: String, retry_after: String, unlocks: String },
    Backend,
    Gone { title: String, closed: String },
    Unexpected { status: u16, detail: String },
    NotAToken { content_type: String, first_bytes: String },
}

impl Diagnosis for EnterpriseCause {
    fn status(&self) -> Status {
        match self {
            EnterpriseCause::LoggedIn { .. } => Status::Pass,
            EnterpriseCause::NoUser | EnterpriseCause::NoPassword { .. } => Status::Skip,
            _ => Status::Fail,
        }
    }
}

/// One attempt, never a retry: Altinn locks an enterprise user after ten failures.
fn enterprise_user(ctx: &Context) -> BoxFuture<'_, Finding> {
    Box::pin(async move {
        let a = &ctx.profile.altinn;
        let Some(user) = a.enterprise_user.clone() else { return Finding::of(EnterpriseCause::NoUser) };
        let Some(password) = &ctx.profile.secrets.enterprise_password else {
            return Finding::of(EnterpriseCause::NoPassword { user });
        };
        let Some(issued) = ctx.store.get::<Issued>() else { return Finding::needs(CheckId::MpToken) };
        let platform = client::platform_base(&ctx.profile);
        let token = &issued.response.access_token;
        let answer = match client::exchange(&ctx.http, &platform, token, Some((&user, password)), Accept::HalJson).await
        {
            Ok(a) => a,
            Err(e) => return Finding::of(e),
        };
        let mut facts = Facts::new();
        facts.put("enterprise_user", user.clone()).put("login_status", answer.status).put("login_attempts", 1);
        let problem = client::problem(&answer).unwrap_or_default();
        facts.put_opt("trace_id", problem.trace_id.clone());
        let cause = match answer.status {
            200 => match client::token_of(&answer.body) {
                Some(t) => {
                    facts.extend(&altinn_facts(&t, Holder::EnterpriseUser));
                    ctx.store.put(EnterpriseToken(t));
                    EnterpriseCause::LoggedIn { user }
                }
                None => EnterpriseCause::NotAToken {
                    content_type: answer.content_type.clone(),
                    first_bytes: answer.first_bytes(),
                },
            },
            400 => EnterpriseCause::HeaderRejected,
            401 => EnterpriseCause::WrongUserOrPassword { user },
            429 => {
                let retry_after = answer.retry_after.clone().unwrap_or_else(|| "3600".into());
                let unlocks = retry_after
                    .parse::<i64>()
                    .ok()
                    .and_then(|s| OffsetDateTime::now_utc().checked_add(time::Duration::seconds(s)))
                    .map(rfc3339)
                    .unwrap_or_else(|| retry_after.clone());
                EnterpriseCause::LockedOut { user, retry_after, unlocks }
            }
            502 => EnterpriseCause::Backend,
            410 => EnterpriseCause::Gone {
                title: problem.title.unwrap_or_else(|| GONE_TITLE.into()),
                closed: ALTINN2_CLOSED.into(),
            },
            status => {
                EnterpriseCause::Unexpected { status, detail: problem.detail.unwrap_or_else(|| answer.reason_text()) }
            }
        };
        Finding::of(cause).with(facts)
    })
}

// ---------------------------------------------------------------- altinn.roles

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum RolesCause {
    Held { roles: String },
    MissingRole { role: String, name: String, org: String },
    Altinn2Gone { closed: String },
    Unreadable { status: u16, reason: String },
}

impl Diagnosis for RolesCause {
    fn status(&self) -> Status {
        match self {
            RolesCause::Held { .. } => Status::Pass,
            _ => Status::Fail,
        }
    }
}

fn roles(ctx: &Context) -> BoxFuture<'_, Finding> {
    Box::pin(async move {
        let Some(EnterpriseToken(token)) = ctx.store.get::<EnterpriseToken>() else {
            return Finding::needs(CheckId::AltinnEnterpriseUser);
        };
        let base = client::altinn2_base(&ctx.profile);
        let key = ctx.profile.secrets.api_key.as_ref();
        let definitions =
            match client::get_altinn2(&ctx.http1, &format!("{base}/api/metadata/roledefinitions"), None, None).await {
                Ok(a) => a,
                Err(e) => return Finding::of(e),
            };
        let roles =
            match client::get_altinn2(&ctx.http1, &format!("{base}/api/my/authorization/roles"), Some(&token), key)
                .await
            {
                Ok(a) => a,
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
        let code_of =
            |id: i64| defs.iter().find(|d| d.role_definition_id == id).map(|d| d.role_definition_code.clone());
        let codes: Vec<String> = held.iter().filter_map(|r| code_of(r.role_definition_id)).collect();
        let mut facts = Facts::new();
        facts.put("roles", codes.clone());
        let org = ctx.profile.org.as_ref().map(|o| o.to_string()).unwrap_or_else(|| "the organisation".into());
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
        Finding::of(RolesCause::Held { roles: codes.join(", ") }).with(facts)
    })
}

/// The HAL `_embedded.NAME` array.
fn embedded<T: serde::de::DeserializeOwned>(a: &Answer, name: &str) -> Vec<T> {
    let body: Value = a.json().unwrap_or(Value::Null);
    serde_json::from_value(body["_embedded"][name].clone()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, content_type: &str, reason: Option<&str>) -> Answer {
        Answer {
            url: "https://tt02.altinn.no/api/reportees".into(),
            status,
            reason: reason.map(str::to_string),
            content_type: content_type.into(),
            retry_after: None,
            location: None,
            date: None,
            received: OffsetDateTime::UNIX_EPOCH,
            body: Vec::new(),
        }
    }

    fn code(a: &Answer) -> String {
        Finding::of(api_key_cause(a, "Organization.read")).cause.code
    }

    #[test]
    fn every_sign_of_the_shutdown_is_the_shutdown_never_a_bad_key() {
        for a in [
            answer(410, "text/html", None),
            answer(404, "text/html", None),
            answer(302, "", None),
            answer(301, "", None),
            answer(200, "text/html; charset=utf-8", None),
        ] {
            assert_eq!(code(&a), "altinn2-gone", "{} {}", a.status, a.content_type);
        }
    }

    #[test]
    fn reason_phrases_tell_the_key_problems_apart() {
        assert_eq!(code(&answer(400, "", Some(REASON_APIKEY_MISSING))), "header-missing");
        assert_eq!(code(&answer(403, "", Some(REASON_APIKEY_NOT_AUTHORIZED))), "not-authorized");
        assert_eq!(code(&answer(403, "", Some("Forbidden"))), "unknown-key");
        assert_eq!(code(&answer(401, "", Some(REASON_NO_ORG))), "no-organisation");
        assert_eq!(code(&answer(200, "application/hal+json", None)), "valid");
    }
}
