//! `inspect`: explains a Maskinporten or Altinn token a user has at hand (a log line, a
//! support case): who issued it, what kind it is, for whom, with which scopes, until when,
//! and what it can be used for. It prints claims, never the token or its signature.

use serde::Serialize;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::altinn::types::{authorization_detail, detail_field};
use crate::jwt::Jwt;
use crate::maskinporten::types::{ISSUER_PROD, ISSUER_TEST};
use crate::vocab::outside::neutralised_map;
use crate::vocab::times::rfc3339;

/// Who issued a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Issuer {
    MaskinportenTest,
    MaskinportenProd,
    AltinnTt02,
    AltinnProd,
    /// Another Altinn platform (a test environment, the simulator).
    AltinnOther,
    Unknown,
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Kind {
    Organisation,
    Supplier,
    SystemUser,
    Consent,
    ExchangedOrganisation,
    ExchangedSystemUser,
    ExchangedEnterpriseUser,
    Unknown,
}

/// A token explained: every field a fact the report and the JSON show.
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    pub(crate) issuer: Issuer,
    pub(crate) iss: String,
    pub(crate) kind: Kind,
    pub(crate) algorithm: String,
    pub(crate) key_id: Option<String>,
    pub(crate) organisation: Option<String>,
    pub(crate) supplier: Option<String>,
    pub(crate) client_id: Option<String>,
    pub(crate) client_amr: Option<String>,
    pub(crate) scopes: Vec<String>,
    pub(crate) system_user_id: Option<String>,
    pub(crate) system_user_org: Option<String>,
    pub(crate) system_id: Option<String>,
    pub(crate) external_ref: Option<String>,
    pub(crate) consent_id: Option<String>,
    pub(crate) issued: Option<String>,
    pub(crate) expires: Option<String>,
    /// Seconds left (negative: expired that long ago), judged at `now`.
    pub(crate) seconds_left: Option<i64>,
    /// Keys of the catalogue's `inspect.use` that say what the token is for.
    pub(crate) uses: Vec<&'static str>,
}

/// Reads what a user pasted: the token, `Bearer <token>`, a JSON string of it, or any
/// log line or header that holds one (`Authorization: Bearer eyJ…`, `"access_token":"eyJ…"`).
pub fn clean(input: &str) -> String {
    if let Some(jwt) = embedded_jwt(input) {
        return jwt.to_string();
    }
    let text = input.trim();
    let text = text.strip_prefix("Bearer ").or_else(|| text.strip_prefix("bearer ")).unwrap_or(text).trim();
    serde_json::from_str::<String>(text).unwrap_or_else(|_| text.trim_matches('"').to_string())
}

/// The first run of text shaped as a JWT (`eyJ…` base64url, three parts) in `input`.
fn embedded_jwt(input: &str) -> Option<&str> {
    let part = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut from = 0;
    while let Some(at) = input[from..].find("eyJ").map(|i| i + from) {
        let run = &input[at..];
        let len = run.find(|c: char| !(part(c) || c == '.')).unwrap_or(run.len());
        let candidate = &run[..len];
        let parts: Vec<&str> = candidate.splitn(4, '.').collect();
        if parts.len() >= 3 && parts[..3].iter().all(|p| !p.is_empty()) {
            let end = parts[0].len() + parts[1].len() + parts[2].len() + 2;
            return Some(&candidate[..end]);
        }
        from = at + 3;
    }
    None
}

/// Explains a decoded token at `now`.
pub fn explain(jwt: &Jwt, now: OffsetDateTime) -> Explained {
    // Every claim and header field is text from outside: neutralised before any is shown.
    let (c, header) = (&neutralised_map(&jwt.claims), neutralised_map(&jwt.header));
    let text = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_string);
    let iss = text("iss").unwrap_or_default();
    let issuer = issuer_of(&iss);
    let detail = authorization_detail(c.get("authorization_details"));
    let kind = kind_of(issuer, c, &detail);
    let time_of = |k: &str| c.get(k).and_then(Value::as_i64).and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok());
    let expires = time_of("exp");
    let scopes: Vec<String> = text("scope").unwrap_or_default().split_whitespace().map(str::to_string).collect();
    Explained {
        issuer,
        iss,
        kind,
        algorithm: header.get("alg").and_then(Value::as_str).unwrap_or("-").to_string(),
        key_id: header.get("kid").and_then(Value::as_str).map(str::to_string),
        organisation: party(c.get("consumer")).or_else(|| text(crate::altinn::types::claims::ORG_NUMBER)),
        supplier: party(c.get("supplier")),
        client_id: text("client_id"),
        client_amr: text("client_amr"),
        system_user_id: detail_field(&detail, "systemuser_id").and_then(|v| match v {
            Value::Array(items) => items.first().and_then(Value::as_str).map(str::to_string),
            other => other.as_str().map(str::to_string),
        }),
        system_user_org: detail_field(&detail, "systemuser_org").and_then(|v| party(Some(&v))),
        system_id: detail_field(&detail, "system_id").and_then(|v| v.as_str().map(str::to_string)),
        external_ref: detail_field(&detail, "externalRef").and_then(|v| v.as_str().map(str::to_string)),
        consent_id: (kind == Kind::Consent)
            .then(|| detail_field(&detail, "id"))
            .flatten()
            .and_then(|v| v.as_str().map(str::to_string)),
        issued: time_of("iat").map(rfc3339),
        expires: expires.map(rfc3339),
        seconds_left: expires.map(|e| (e - now).whole_seconds()),
        uses: uses(kind, &scopes),
        scopes,
    }
}

fn issuer_of(iss: &str) -> Issuer {
    let iss_slash = format!("{}/", iss.trim_end_matches('/'));
    if iss_slash == ISSUER_TEST {
        Issuer::MaskinportenTest
    } else if iss_slash == ISSUER_PROD {
        Issuer::MaskinportenProd
    } else if iss.contains("platform.tt02.altinn.no") {
        Issuer::AltinnTt02
    } else if iss.contains("platform.altinn.no") {
        Issuer::AltinnProd
    } else if iss.contains("/authentication/api/v1/openid") {
        Issuer::AltinnOther
    } else {
        Issuer::Unknown
    }
}

fn altinn(issuer: Issuer) -> bool {
    matches!(issuer, Issuer::AltinnTt02 | Issuer::AltinnProd | Issuer::AltinnOther)
}

/// The org number of a `{"authority":…,"ID":"0192:…"}` party.
fn party(v: Option<&Value>) -> Option<String> {
    let o = v?.as_object()?;
    let id = o.iter().find(|(k, _)| k.eq_ignore_ascii_case("id")).and_then(|(_, v)| v.as_str())?;
    Some(id.trim_start_matches("0192:").to_string())
}

fn kind_of(issuer: Issuer, c: &Map<String, Value>, detail: &Value) -> Kind {
    let detail_type = detail_field(detail, "type").and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let system_user = detail_type == crate::altinn::types::SYSTEMUSER_TYPE;
    if altinn(issuer) {
        return if system_user {
            Kind::ExchangedSystemUser
        } else if c.contains_key(crate::altinn::types::claims::USER_ID) {
            Kind::ExchangedEnterpriseUser
        } else {
            Kind::ExchangedOrganisation
        };
    }
    if system_user {
        Kind::SystemUser
    } else if detail_type == "urn:altinn:consent" {
        Kind::Consent
    } else if c.contains_key("supplier") {
        Kind::Supplier
    } else if c.contains_key("consumer") {
        Kind::Organisation
    } else {
        Kind::Unknown
    }
}

/// What the token can be used for, as catalogue keys.
fn uses(kind: Kind, scopes: &[String]) -> Vec<&'static str> {
    let mut out = match kind {
        Kind::Organisation | Kind::Supplier | Kind::SystemUser => vec!["exchange", "maskinporten-apis"],
        Kind::Consent => vec!["consent"],
        Kind::ExchangedOrganisation | Kind::ExchangedSystemUser | Kind::ExchangedEnterpriseUser => vec!["altinn-apis"],
        Kind::Unknown => vec!["unknown"],
    };
    if scopes.iter().any(|s| s == crate::altinn::types::AUTHORIZED_PARTIES_SCOPE) {
        out.push("authorized-parties");
    }
    if scopes.iter().any(|s| s.starts_with("altinn:authentication/")) {
        out.push("vendor-api");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_forms_are_cleaned() {
        assert_eq!(clean("Bearer a.b.c\n"), "a.b.c");
        assert_eq!(clean("\"a.b.c\""), "a.b.c");
        assert_eq!(clean("  a.b.c  "), "a.b.c");
        // A token inside any pasted line: a header, a log entry, JSON.
        assert_eq!(clean("2026-12-04 INFO Authorization: Bearer eyJh.eyJp.sig-_1 sent"), "eyJh.eyJp.sig-_1");
        assert_eq!(clean(r#"{"access_token":"eyJa.eyJb.c","expires_in":120}"#), "eyJa.eyJb.c");
        assert_eq!(clean("eyJnot a token, then eyJx.eyJy.z."), "eyJx.eyJy.z");
    }
}
