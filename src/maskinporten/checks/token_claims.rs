//! `mp.token-claims`: the token says what was asked (consumer, scopes) and carries
//! Maskinporten's signature.

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

use super::Issued;
use crate::engine::{Diagnosis, Facts, Finding, Status};
use crate::maskinporten::client::{self, Discovered};
use crate::maskinporten::types::AccessTokenClaims;
use crate::sources::Sources;
use crate::vocab::Secret;
use crate::vocab::times::rfc3339;

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum ClaimsCause {
    Consistent { consumer: String, client_amr: String, expires_in: u64 },
    ConsumerMismatch { consumer: String, expected: String },
    ScopeMissing { missing: String },
    Unreadable,
    SignatureInvalid { jwks_uri: String },
    NotVerified { jwks_uri: String, reason: String },
}

impl Diagnosis for ClaimsCause {
    fn status(&self) -> Status {
        match self {
            ClaimsCause::Consistent { .. } => Status::Pass,
            ClaimsCause::NotVerified { .. } => Status::Warn,
            _ => Status::Fail,
        }
    }

    /// A signature that could not be verified (the keys could not be fetched) is unjudged.
    fn inconclusive(&self) -> bool {
        matches!(self, ClaimsCause::NotVerified { .. })
    }
}

/// Reads the issued token's claims against the profile, and verifies its signature with
/// the published JWKS.
pub(crate) async fn run(ctx: &Sources, found: &Discovered, issued: &Issued) -> Finding {
    let Some(claims) = client::peek_claims::<AccessTokenClaims>(issued.response.access_token.expose()) else {
        return Finding::of(ClaimsCause::Unreadable);
    };
    let consumer = claims.consumer.orgno().unwrap_or(&claims.consumer.id).to_string();
    let mut facts = Facts::new();
    facts
        .put("consumer", consumer.clone())
        .put("client_amr", claims.client_amr.clone())
        .put("token_scope", claims.scope.clone())
        .put(
            "token_expires",
            rfc3339(OffsetDateTime::from_unix_timestamp(claims.exp).unwrap_or(OffsetDateTime::UNIX_EPOCH)),
        )
        .put("expires_in", issued.response.expires_in);
    facts.put_opt("supplier", claims.supplier.as_ref().map(|s| s.orgno().unwrap_or(&s.id).to_string()));
    let expected = match &ctx.profile.maskinporten.consumer_org {
        Some(org) => Some(org.to_string()),
        None => issued.cert_org.clone(),
    };
    if let Some(expected) = expected
        && expected != consumer
    {
        return Finding::of(ClaimsCause::ConsumerMismatch { consumer, expected }).with(facts);
    }
    let granted: Vec<&str> = claims.scope.split_whitespace().collect();
    let missing: Vec<&str> = issued.requested.iter().map(String::as_str).filter(|s| !granted.contains(s)).collect();
    if !missing.is_empty() {
        return Finding::of(ClaimsCause::ScopeMissing { missing: missing.join(" ") }).with(facts);
    }
    let jwks_uri = found.metadata.jwks_uri.clone();
    match verify(&ctx.http, &jwks_uri, &issued.response.access_token).await {
        Ok(true) => facts.put("signature", "verified").put("jwks_uri", jwks_uri.clone()),
        Ok(false) => return Finding::of(ClaimsCause::SignatureInvalid { jwks_uri }).with(facts),
        Err(reason) => return Finding::of(ClaimsCause::NotVerified { jwks_uri, reason }).with(facts),
    };
    Finding::of(ClaimsCause::Consistent {
        consumer,
        client_amr: claims.client_amr,
        expires_in: issued.response.expires_in,
    })
    .with(facts)
}

/// Verifies the token's signature with the key of its `kid` in the JWKS.
async fn verify(http: &crate::http::Http, jwks_uri: &str, token: &Secret) -> Result<bool, String> {
    let reply = http.send(http.get(jwks_uri), jwks_uri, crate::http::MAX_JSON).await.map_err(|e| e.code())?;
    let jwks: Value = reply.json().ok_or("jwks-not-json")?;
    crate::jwt::verify_with_jwks(token.expose(), &jwks)
}
