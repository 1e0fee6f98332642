//! The Maskinporten checks: discovery, clock, the client's token, and the token's claims.

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

use super::client::{self, Discovered, NetError, Proof, TokenAnswer};
use super::errors::{self, MpCause};
use super::types::{AccessTokenClaims, ErrorResponse, ISSUER_PROD, ISSUER_TEST, ISSUER_VER2, MpCode, TokenResponse};
use crate::certificate::key::PrivateKey;
use crate::certificate::load::{KeySource, load_key_file};
use crate::engine::{BoxFuture, Check, CheckId, Context, Diagnosis, Facts, Finding, Run, Status};
use crate::vocab::times::{date, rfc3339};
use crate::vocab::{Environment, Secret};

/// The checks of this module, in run order.
pub const ALL: &[Check] = &[
    Check { id: CheckId::MpDiscovery, depends_on: &[], needs_network: true, applies: None, run: Run::Async(discovery) },
    Check {
        id: CheckId::MpClock,
        depends_on: &[CheckId::MpDiscovery],
        needs_network: true,
        applies: None,
        run: Run::Local(clock),
    },
    Check {
        id: CheckId::MpToken,
        depends_on: &[CheckId::MpDiscovery],
        needs_network: true,
        applies: None,
        run: Run::Async(token),
    },
    Check {
        id: CheckId::MpTokenClaims,
        depends_on: &[CheckId::MpToken],
        needs_network: true,
        applies: None,
        run: Run::Async(token_claims),
    },
];

/// Clock offsets (seconds) at which `mp.clock` warns and fails.
pub const CLOCK_WARN_S: i64 = 5;
pub const CLOCK_FAIL_S: i64 = 10;

impl Diagnosis for NetError {
    fn status(&self) -> Status {
        Status::Fail
    }

    fn inconclusive(&self) -> bool {
        NetError::inconclusive(self)
    }
}

/// A token Maskinporten issued in this run, for the checks after `mp.token`.
#[derive(Clone)]
pub struct Issued {
    pub response: TokenResponse,
    pub requested: Vec<String>,
    /// The org the certificate says the client acts as (x5c clients).
    pub cert_org: Option<String>,
}

// ---------------------------------------------------------------- mp.discovery

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum DiscoveryCause {
    Found {
        issuer: String,
        url: String,
    },
    IssuerRetired {
        issuer: String,
    },
    IssuerOtherEnvironment {
        issuer: String,
        env: String,
    },
    IssuerUndocumented {
        issuer: String,
        expected: String,
    },
    /// The metadata sends grants to an endpoint that is not https (or not a URL).
    InsecureTokenEndpoint {
        endpoint: String,
        problem: String,
    },
}

impl Diagnosis for DiscoveryCause {
    fn status(&self) -> Status {
        match self {
            DiscoveryCause::Found { .. } => Status::Pass,
            DiscoveryCause::IssuerUndocumented { .. } => Status::Warn,
            _ => Status::Fail,
        }
    }
}

fn discovery(ctx: &Context) -> BoxFuture<'_, Finding> {
    Box::pin(async move {
        let base = client::base_url(&ctx.profile);
        let found = match client::discover(&ctx.http, &base).await {
            Ok(d) => d,
            Err(e) => return Finding::of(e),
        };
        let m = &found.metadata;
        let mut facts = Facts::new();
        facts
            .put("metadata_url", found.url.clone())
            .put("mp_issuer", m.issuer.clone())
            .put("token_endpoint", m.token_endpoint.clone())
            .put("jwks_uri", m.jwks_uri.clone());
        let expected = client::documented_issuer(ctx.profile.env);
        let other = match ctx.profile.env {
            Environment::Test => ISSUER_PROD,
            Environment::Prod => ISSUER_TEST,
        };
        let issuer = m.issuer.clone();
        let endpoint_problem = match reqwest::Url::parse(&m.token_endpoint) {
            Ok(url) => crate::config::credential_safe(&url, ctx.profile.insecure_http).err(),
            Err(e) => Some(format!(" is not a URL: {e}")),
        };
        let cause = if let Some(problem) = endpoint_problem {
            DiscoveryCause::InsecureTokenEndpoint { endpoint: m.token_endpoint.clone(), problem }
        } else if issuer == expected {
            DiscoveryCause::Found { issuer, url: found.url.clone() }
        } else if issuer.trim_end_matches('/') == ISSUER_VER2.trim_end_matches('/') {
            DiscoveryCause::IssuerRetired { issuer }
        } else if issuer.trim_end_matches('/') == other.trim_end_matches('/') {
            DiscoveryCause::IssuerOtherEnvironment { issuer, env: ctx.profile.env.as_str().into() }
        } else {
            DiscoveryCause::IssuerUndocumented { issuer, expected: expected.into() }
        };
        ctx.store.put(found);
        Finding::of(cause).with(facts)
    })
}

// ---------------------------------------------------------------- mp.clock

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum ClockCause {
    InStep { seconds: i64 },
    DriftAhead { seconds: i64 },
    DriftBehind { seconds: i64 },
    Ahead { seconds: i64 },
    Behind { seconds: i64 },
    NoDate,
}

impl Diagnosis for ClockCause {
    fn status(&self) -> Status {
        match self {
            ClockCause::InStep { .. } => Status::Pass,
            ClockCause::DriftAhead { .. } | ClockCause::DriftBehind { .. } | ClockCause::NoDate => Status::Warn,
            ClockCause::Ahead { .. } | ClockCause::Behind { .. } => Status::Fail,
        }
    }
}

fn clock(ctx: &Context) -> Finding {
    let Some(found) = ctx.store.get::<Discovered>() else { return Finding::needs(CheckId::MpDiscovery) };
    let Some(server) = found.server_date else { return Finding::of(ClockCause::NoDate) };
    // The Date header has whole seconds: compare at that resolution.
    let local = found.local_time.replace_nanosecond(0).unwrap_or(found.local_time);
    let ahead = (local - server).whole_seconds();
    let seconds = ahead.abs();
    let mut facts = Facts::new();
    facts.put("local_time", rfc3339(local)).put("maskinporten_time", rfc3339(server)).put("clock_offset_s", ahead);
    let cause = match (seconds, ahead > 0) {
        (s, _) if s <= CLOCK_WARN_S => ClockCause::InStep { seconds },
        (s, true) if s <= CLOCK_FAIL_S => ClockCause::DriftAhead { seconds },
        (s, false) if s <= CLOCK_FAIL_S => ClockCause::DriftBehind { seconds },
        (_, true) => ClockCause::Ahead { seconds },
        (_, false) => ClockCause::Behind { seconds },
    };
    Finding::of(cause).with(facts)
}

// ---------------------------------------------------------------- mp.token

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum TokenCause {
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

/// What a grant is signed with: the key, the `x5c` chain (empty for a `kid` client),
/// and the certificate's org number.
pub(crate) struct Signer {
    pub key: PrivateKey,
    pub chain: Vec<Vec<u8>>,
    pub cert_org: Option<String>,
}

/// The signer of the profile's grant, or the finding that says why there is none.
pub(crate) fn signer(ctx: &Context) -> Result<Signer, Finding> {
    let profile = &ctx.profile;
    if let Some(kid) = &profile.maskinporten.kid {
        let keys = match (&ctx.certificate, &profile.key) {
            (Ok(m), _) => m.keys.clone(),
            (Err(_), Some(path)) => load_key_file(path, profile.secrets.cert_password.as_ref().map(|s| s.expose())),
            (Err(_), None) => KeySource::Absent,
        };
        return match keys {
            KeySource::Found(keys) => Ok(Signer { key: keys[0].clone(), chain: Vec::new(), cert_org: None }),
            KeySource::Absent => Err(Finding::of(TokenCause::NoKeyForKid { kid: kid.clone() })),
            KeySource::Problem(_) => Err(Finding::of(TokenCause::KeyUnreadable {
                path: profile.key.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
            })),
        };
    }
    let Ok(m) = &ctx.certificate else { return Err(Finding::needs(CheckId::CertReadable)) };
    let Some(key) = m.matching_key() else { return Err(Finding::needs(CheckId::CertKeyMatch)) };
    let mut chain = vec![m.leaf.der.to_vec()];
    if profile.maskinporten.x5c_chain {
        chain.extend(m.chain.iter().map(|c| c.to_vec()));
    }
    let org = match &m.leaf.facts.org {
        crate::certificate::orgno::OrgReading::Found { number, .. } => Some(number.to_string()),
        _ => None,
    };
    Ok(Signer { key: key.clone(), chain, cert_org: org })
}

fn token(ctx: &Context) -> BoxFuture<'_, Finding> {
    Box::pin(async move {
        let mp = &ctx.profile.maskinporten;
        let Some(client_id) = mp.client_id.clone() else { return Finding::of(TokenCause::NoClientId) };
        if mp.scopes.is_empty() {
            return Finding::of(TokenCause::NoScope);
        }
        let Some(found) = ctx.store.get::<Discovered>() else { return Finding::needs(CheckId::MpDiscovery) };
        let Signer { key, chain, cert_org } = match signer(ctx) {
            Ok(s) => s,
            Err(finding) => return finding,
        };
        let proof = match &mp.kid {
            Some(kid) => Proof::RegisteredKey { kid },
            None => Proof::Certificate { chain: chain.iter().map(Vec::as_slice).collect() },
        };
        let claims = client::claims(&ctx.profile, &found.metadata.issuer, OffsetDateTime::now_utc());
        let grant = match client::sign_grant(&key, &proof, &claims) {
            Ok(g) => g,
            Err(reason) => return Finding::of(TokenCause::SigningFailed { reason }),
        };
        let mut facts = Facts::new();
        facts
            .put("client_id", client_id.clone())
            .put("requested_scope", claims.scope.clone())
            .put("grant_proof", if mp.kid.is_some() { "kid" } else { "x5c" })
            .put("aud", claims.aud.clone());
        let answer = match client::request_token(&ctx.http, &found.metadata.token_endpoint, &grant).await {
            Ok(a) => a,
            Err(e) => return Finding::of(e).with(facts),
        };
        match answer {
            TokenAnswer::Granted(response) => {
                if client::peek_claims::<AccessTokenClaims>(response.access_token.expose()).is_none() {
                    let first_bytes = crate::http::first_bytes(response.access_token.expose().as_bytes());
                    return Finding::of(TokenCause::NotAToken { first_bytes }).with(facts);
                }
                facts.put("expires_in", response.expires_in).put("granted_scope", response.scope.clone());
                let cause =
                    TokenCause::Granted { client_id, scope: response.scope.clone(), expires_in: response.expires_in };
                ctx.store.put(Issued { response, requested: mp.scopes.clone(), cert_org });
                Finding::of(cause).with(facts)
            }
            TokenAnswer::Refused { status, body } => {
                refused(ctx, status, &body, client_id, claims.scope.clone(), cert_org).with(facts)
            }
        }
    })
}

/// Explains a refusal, using what the certificate checks already know.
fn refused(
    ctx: &Context,
    status: u16,
    body: &ErrorResponse,
    client_id: String,
    scope: String,
    cert_org: Option<String>,
) -> Finding {
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

// ---------------------------------------------------------------- mp.token-claims

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
}

fn token_claims(ctx: &Context) -> BoxFuture<'_, Finding> {
    Box::pin(async move {
        let Some(issued) = ctx.store.get::<Issued>() else { return Finding::needs(CheckId::MpToken) };
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
        let jwks_uri = ctx.store.get::<Discovered>().map(|d| d.metadata.jwks_uri).unwrap_or_default();
        match verify(&ctx.http, &jwks_uri, &issued.response.access_token).await {
            Ok(true) => facts.put("signature", "verified with the published JWKS"),
            Ok(false) => return Finding::of(ClaimsCause::SignatureInvalid { jwks_uri }).with(facts),
            Err(reason) => return Finding::of(ClaimsCause::NotVerified { jwks_uri, reason }).with(facts),
        };
        Finding::of(ClaimsCause::Consistent {
            consumer,
            client_amr: claims.client_amr,
            expires_in: issued.response.expires_in,
        })
        .with(facts)
    })
}

/// Verifies the token's signature with the key of its `kid` in the JWKS.
async fn verify(http: &crate::http::Http, jwks_uri: &str, token: &Secret) -> Result<bool, String> {
    let reply = http.send(http.get(jwks_uri), jwks_uri, crate::http::MAX_JSON).await.map_err(|e| format!("{e:?}"))?;
    let jwks: Value = reply.json().ok_or("the JWKS is not JSON")?;
    crate::jwt::verify_with_jwks(token.expose(), &jwks)
}
