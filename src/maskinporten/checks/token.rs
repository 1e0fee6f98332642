//! `mp.token`: Maskinporten issues the client a token for its scopes; a refusal is
//! explained with its MP code and what the certificate checks know.

use serde::Serialize;
use time::OffsetDateTime;

use super::Issued;
use super::scopes::ScopeCatalogue;
use crate::certificate::key::PrivateKey;
use crate::engine::{CheckId, Diagnosis, Facts, Finding, Status};
use crate::maskinporten::client::{self, Ask, Discovered, GrantError, TokenAnswer};
use crate::maskinporten::errors::{self, MpCause};
use crate::maskinporten::types::{AccessTokenClaims, ErrorResponse, MpCode};
use crate::sources::Sources;
use crate::vocab::times::date;

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub(crate) enum TokenCause {
    Granted {
        client_id: String,
        scope: String,
        expires_in: u64,
    },
    NoClientId,
    NoScope,
    NoKeyForKid {
        kid: String,
    },
    KeyUnreadable {
        path: String,
    },
    SigningFailed {
        reason: String,
    },
    /// MP-120 or MP-124 with a certificate of the other environment.
    EnvironmentMixUp {
        mp_code: String,
        trace_id: String,
        cert_env: String,
        env: String,
    },
    /// MP-124 (or MP-120) with an expired certificate.
    CertificateExpired {
        mp_code: String,
        trace_id: String,
        not_after: String,
    },
    Unrecognised {
        status: u16,
        error: String,
        description: String,
        trace_id: String,
    },
    /// A 200 whose `access_token` is not a JWT with the claims Maskinporten puts in one.
    NotAToken {
        first_bytes: String,
    },
    /// MP-200 for scopes the catalogue lists as open to all: the client only lacks them.
    ScopeNotOnClientOpen {
        mp_code: String,
        trace_id: String,
        scope: String,
        client_id: String,
    },
    /// MP-200 or MP-250 for a scope its owner grants: who to ask.
    ScopeOwnedBy {
        mp_code: String,
        trace_id: String,
        scope: String,
        owner: String,
        client_id: String,
    },
}

impl Diagnosis for TokenCause {
    fn status(&self) -> Status {
        match self {
            TokenCause::Granted { .. } => Status::Pass,
            TokenCause::NoClientId => Status::Skip,
            _ => Status::Fail,
        }
    }
}

/// A refusal the catalogue knows: the cause code is the catalogue's.
#[derive(Serialize)]
struct Refused {
    code: MpCause,
    mp_code: String,
    trace_id: String,
    description: String,
    client_id: String,
    scope: String,
    env: String,
    cert_org: String,
}

impl Diagnosis for Refused {
    fn status(&self) -> Status {
        Status::Fail
    }
}

/// Signs a grant for the profile's client and scopes and asks for a token; hands the
/// token on when Maskinporten issued one.
pub(crate) async fn run(
    ctx: &Sources,
    found: &Discovered,
    proven_key: Option<&PrivateKey>,
    catalogue: Option<&ScopeCatalogue>,
) -> (Finding, Option<Issued>) {
    let mp = &ctx.profile.maskinporten;
    let Some(client_id) = mp.client_id.clone() else { return (Finding::of(TokenCause::NoClientId), None) };
    if mp.scopes.is_empty() {
        return (Finding::of(TokenCause::NoScope), None);
    }
    let signer = match super::signer(ctx, proven_key) {
        Ok(s) => s,
        Err(finding) => return (finding, None),
    };
    let ask = Ask { scopes: mp.scopes.clone(), authorization_details: None, consumer_org: true, client_id: None };
    let (claims, answer) = match client::grant(&ctx.http, &ctx.profile, found, &signer, ask).await {
        Ok(done) => done,
        Err(GrantError::Signing(reason)) => return (Finding::of(TokenCause::SigningFailed { reason }), None),
        Err(GrantError::Net(e)) => return (Finding::of(e).with(grant_facts(&client_id, mp.kid.is_some(), None)), None),
    };
    let mut facts = grant_facts(&client_id, mp.kid.is_some(), Some((&claims.scope, &claims.aud)));
    match answer {
        TokenAnswer::Granted(response) => {
            if client::peek_claims::<AccessTokenClaims>(response.access_token.expose()).is_none() {
                let first_bytes = crate::http::first_bytes(response.access_token.expose().as_bytes());
                return (Finding::of(TokenCause::NotAToken { first_bytes }).with(facts), None);
            }
            facts.put("expires_in", response.expires_in).put("granted_scope", response.scope.clone());
            let cause =
                TokenCause::Granted { client_id, scope: response.scope.clone(), expires_in: response.expires_in };
            let issued = Issued { response, requested: mp.scopes.clone(), cert_org: signer.cert_org };
            (Finding::of(cause).with(facts).proving(proven_by_a_token(mp.kid.is_some())), Some(issued))
        }
        TokenAnswer::Refused { status, body } => {
            let refusal = Refusal { status, client_id, scope: claims.scope.clone(), cert_org: signer.cert_org };
            (refused(ctx, &body, refusal, catalogue).with(facts), None)
        }
    }
}

/// A scope refusal (MP-200, MP-250) the scope catalogue can say more of: whose scope it
/// is, and whether the client only lacks it (open to all) or its owner must grant it.
fn owner_cause(
    catalogue: &ScopeCatalogue,
    cause: MpCause,
    mp_code: &str,
    trace_id: &str,
    asked: &str,
    client_id: &str,
) -> Option<TokenCause> {
    if !matches!(cause, MpCause::ScopeNotOnClient | MpCause::ScopeNotGranted) {
        return None;
    }
    let known: Vec<_> = asked.split(' ').filter_map(|s| catalogue.get(s)).collect();
    let (mp_code, trace_id, client_id) = (mp_code.to_string(), trace_id.to_string(), client_id.to_string());
    match known.iter().find(|s| !s.accessible_for_all) {
        Some(s) => Some(TokenCause::ScopeOwnedBy {
            mp_code,
            trace_id,
            scope: s.full_name(),
            owner: s.owner_orgno.clone(),
            client_id,
        }),
        None if cause == MpCause::ScopeNotOnClient && !known.is_empty() => {
            let scope = known.iter().map(|s| s.full_name()).collect::<Vec<_>>().join(" ");
            Some(TokenCause::ScopeNotOnClientOpen { mp_code, trace_id, scope, client_id })
        }
        None => None,
    }
}

/// What Maskinporten issuing a token proves beside the client: that the grant's times
/// were within its tolerance (the clock), and, when the grant carried the certificate
/// (not a registered key), that it accepts the certificate, revocation included.
fn proven_by_a_token(kid: bool) -> &'static [CheckId] {
    if kid {
        &[super::CLOCK, super::SCOPES]
    } else {
        &[super::CLOCK, super::SCOPES, crate::certificate::checks::REVOCATION]
    }
}

/// What the report shows of the grant sent.
fn grant_facts(client_id: &str, kid: bool, sent: Option<(&String, &String)>) -> Facts {
    let mut facts = Facts::new();
    facts.put("client_id", client_id.to_string());
    if let Some((scope, _)) = sent {
        facts.put("requested_scope", scope.clone());
    }
    facts.put("grant_proof", if kid { "kid" } else { "x5c" });
    if let Some((_, aud)) = sent {
        facts.put("aud", aud.clone());
    }
    facts
}

/// A refusal and what the grant asked.
struct Refusal {
    status: u16,
    client_id: String,
    scope: String,
    cert_org: Option<String>,
}

/// Explains a refusal, using what the certificate checks already know.
fn refused(ctx: &Sources, body: &ErrorResponse, r: Refusal, catalogue: Option<&ScopeCatalogue>) -> Finding {
    let Refusal { status, client_id, scope, cert_org } = r;
    let reading = errors::read(body);
    let trace_id = reading.trace_id.clone().unwrap_or_else(|| "(none given)".into());
    let mp_code = reading.code.map(|c| c.as_str().to_string()).unwrap_or_else(|| "-".into());
    let mut facts = Facts::new();
    facts
        .put("http_status", status)
        .put("error", body.error.clone())
        .put("error_description", reading.description.clone())
        .put("trace_id", trace_id.clone());
    facts.put_opt("error_uri", body.error_uri.clone());
    let Some(cause) = reading.cause else {
        return Finding::of(TokenCause::Unrecognised {
            status,
            error: body.error.clone(),
            description: reading.description,
            trace_id,
        })
        .with(facts);
    };
    if matches!(reading.code, Some(MpCode::Mp120 | MpCode::Mp124))
        && let Ok(m) = &ctx.certificate
        && ctx.profile.maskinporten.kid.is_none()
    {
        let leaf = &m.leaf.facts;
        if let Some(class) = leaf.classification
            && class.env != ctx.profile.env
        {
            return Finding::of(TokenCause::EnvironmentMixUp {
                mp_code,
                trace_id,
                cert_env: class.env.as_str().into(),
                env: ctx.profile.env.as_str().into(),
            })
            .with(facts);
        }
        if leaf.not_after < OffsetDateTime::now_utc() {
            return Finding::of(TokenCause::CertificateExpired { mp_code, trace_id, not_after: date(leaf.not_after) })
                .with(facts);
        }
    }
    if let Some(owned) = catalogue.and_then(|c| owner_cause(c, cause, &mp_code, &trace_id, &scope, &client_id)) {
        return Finding::of(owned).with(facts);
    }
    Finding::of(Refused {
        code: cause,
        mp_code,
        trace_id,
        description: reading.description,
        client_id,
        scope,
        env: ctx.profile.env.as_str().into(),
        cert_org: cert_org.unwrap_or_else(|| "?".into()),
    })
    .with(facts)
}
