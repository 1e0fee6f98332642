//! The Altinn checks, one per file: the token exchange; the old guide's API key,
//! enterprise user and roles; the system user and its rights that replaced them. Each
//! takes what it reads as arguments and returns what it hands on.

pub(crate) mod api_key;
pub(crate) mod enterprise_user;
pub(crate) mod exchange;
pub(crate) mod grantor;
pub(crate) mod probe;
pub(crate) mod resource;
pub(crate) mod roles;
pub(crate) mod system_user;
pub(crate) mod system_user_rights;

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

use crate::altinn::client::Answer;
use crate::altinn::types::claims;
use crate::config::{Flow, Profile};
use crate::engine::{Diagnosis, Facts, Finding, Status};
use crate::maskinporten::client as mp;
use crate::vocab::Secret;
use crate::vocab::times::rfc3339;

/// The domain of these checks, as reports group them.
const DOMAIN: &str = "altinn";

crate::check_id!(EXCHANGE = "altinn.exchange");
crate::check_id!(API_KEY = "altinn.api-key");
crate::check_id!(ENTERPRISE_USER = "altinn.enterprise-user");
crate::check_id!(ROLES = "altinn.roles");
crate::check_id!(RESOURCE = "altinn.resource");
crate::check_id!(SYSTEM_USER = "altinn.system-user");
crate::check_id!(SYSTEM_USER_RIGHTS = "altinn.system-user-rights");
crate::check_id!(PROBE_CORRESPONDENCE = "altinn.probe.correspondence");
crate::check_id!(PROBE_BROKER = "altinn.probe.broker");
crate::check_id!(PROBE_DIALOGPORTEN = "altinn.probe.dialogporten");
crate::check_id!(PROBE_INSTANCES = "altinn.probe.instances");

/// The organisation's Altinn token, from `altinn.exchange`.
pub(crate) struct OrgToken(pub Secret);
/// The enterprise user's Altinn token, from `altinn.enterprise-user`.
pub(crate) struct EnterpriseToken(pub Secret);
/// The system user's Altinn token, from `altinn.system-user`, and how it was asked for,
/// so that the rights check can ask for its own scope with the same entry.
pub(crate) struct SystemUserToken {
    pub(crate) altinn: Secret,
    /// The grant's `authorization_details` entry (`systemuser_org`, `externalRef`).
    pub(crate) detail: Value,
    /// Whether the profile's scopes already hold the authorised-parties scope.
    pub(crate) has_rights_scope: bool,
}

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

fn not_in_flow(profile: &Profile) -> Finding {
    match profile.altinn.flow {
        Flow::None => Finding::of(FlowSkip::NoFlow),
        flow => Finding::of(FlowSkip::NotInFlow { flow: flow.as_str().into() }),
    }
}

/// The skip of an enterprise-user check when the profile follows another flow.
pub(crate) fn enterprise_user_flow(profile: &Profile) -> Option<Finding> {
    (!profile.altinn.flow.enterprise_user()).then(|| not_in_flow(profile))
}

/// The skip of a system-user check when the profile follows another flow.
pub(crate) fn system_user_flow(profile: &Profile) -> Option<Finding> {
    (!profile.altinn.flow.system_user()).then(|| not_in_flow(profile))
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
