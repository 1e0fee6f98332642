//! The doctor's Maskinporten client: discovery, the grant, the token request.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use time::OffsetDateTime;

use super::types::{
    ErrorResponse, GRANT_TYPE, GrantClaims, ISSUER_PROD, ISSUER_TEST, Metadata, ScopeInfo, TokenResponse,
};
use crate::certificate::key::PrivateKey;
use crate::config::Profile;
use crate::vocab::{Environment, Secret};

/// Longest grant lifetime Maskinporten accepts, and what the doctor uses.
pub(crate) const GRANT_LIFETIME: i64 = 120;

/// The environment's documented base URL.
pub(crate) fn documented_base(env: Environment) -> &'static str {
    match env {
        Environment::Test => "https://test.maskinporten.no",
        Environment::Prod => "https://maskinporten.no",
    }
}

/// The environment's documented issuer (= the grant's `aud`).
pub(crate) fn documented_issuer(env: Environment) -> &'static str {
    match env {
        Environment::Test => ISSUER_TEST,
        Environment::Prod => ISSUER_PROD,
    }
}

/// The base URL the profile talks to.
pub(crate) fn base_url(profile: &Profile) -> String {
    profile.maskinporten.url.clone().unwrap_or_else(|| documented_base(profile.env).to_string())
}

/// Digdir's self-service API (the public scope catalogue) for the profile: as given; the
/// environment's when Maskinporten is the environment's too; `None` for a Maskinporten
/// of its own (a simulator) without one, so that no test ever reaches Digdir.
pub(crate) fn samarbeid_base(profile: &Profile) -> Option<String> {
    let mp = &profile.maskinporten;
    match (&mp.samarbeid_url, &mp.url) {
        (Some(url), _) => Some(url.clone()),
        (None, Some(_)) => None,
        (None, None) => Some(
            match profile.env {
                Environment::Test => "https://api.test.samarbeid.digdir.no",
                Environment::Prod => "https://api.samarbeid.digdir.no",
            }
            .into(),
        ),
    }
}

/// The most the doctor reads of the scope catalogue (every public scope, a few KiB each).
pub(crate) const MAX_CATALOGUE: usize = 16 * 1024 * 1024;

/// `GET {D}/api/v1/scopes/all?inactive=true`, anonymous: every public scope, deactivated
/// ones too (so that "deactivated" can be told from "not listed").
pub(crate) async fn scope_catalogue(http: &Http, base: &str) -> Result<Vec<ScopeInfo>, NetError> {
    let url = format!("{base}/api/v1/scopes/all?inactive=true");
    let reply = crate::http::not_redirected(
        http.send(http.get(&url).header("accept", "application/json"), &url, MAX_CATALOGUE).await?,
    )?;
    if reply.status >= 500 {
        return Err(NetError::ServerError { url, status: reply.status });
    }
    if reply.status != 200 {
        return Err(NetError::UnexpectedStatus { url, status: reply.status });
    }
    reply.json::<Vec<ScopeInfo>>().ok_or_else(|| NetError::Malformed {
        url,
        status: 200,
        expected: "scope catalogue",
        detail: crate::http::first_bytes(&reply.body),
    })
}

pub(crate) use crate::http::NetError;
use crate::http::{Http, MAX_JSON};

/// The metadata document, with the `Date` of its answer for the clock check.
#[derive(Debug, Clone)]
pub(crate) struct Discovered {
    pub(crate) url: String,
    pub(crate) metadata: Metadata,
    pub(crate) server_date: Option<OffsetDateTime>,
    pub(crate) local_time: OffsetDateTime,
}

/// GETs `{base}/.well-known/oauth-authorization-server`.
pub(crate) async fn discover(http: &Http, base: &str) -> Result<Discovered, NetError> {
    let url = format!("{base}/.well-known/oauth-authorization-server");
    let reply = http.send(http.get(&url), &url, MAX_JSON).await?;
    match reply.status {
        200..=299 => {}
        500..=599 => return Err(NetError::ServerError { url, status: reply.status }),
        status => return Err(NetError::UnexpectedStatus { url, status }),
    }
    let metadata: Metadata = serde_json::from_slice(&reply.body).map_err(|e| NetError::Malformed {
        url: url.clone(),
        status: reply.status,
        expected: "metadata",
        detail: e.to_string(),
    })?;
    Ok(Discovered { url, metadata, server_date: reply.date, local_time: reply.received })
}

/// How the grant proves the client: the certificate, or a registered key.
pub(crate) enum Proof<'a> {
    Certificate { chain: Vec<&'a [u8]> },
    RegisteredKey { kid: &'a str },
}

/// Builds and signs a grant (RS256). The result is a secret.
pub(crate) fn sign_grant(key: &PrivateKey, proof: &Proof<'_>, claims: &GrantClaims) -> Result<Secret, String> {
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    match proof {
        Proof::Certificate { chain } => header.x5c = Some(chain.iter().map(|d| STANDARD.encode(d)).collect()),
        Proof::RegisteredKey { kid } => header.kid = Some(kid.to_string()),
    }
    let der = rsa_pkcs1(key)?;
    let encoding = jsonwebtoken::EncodingKey::from_rsa_der(&der);
    jsonwebtoken::encode(&header, claims, &encoding).map(Secret::new).map_err(|e| format!("cannot sign the grant: {e}"))
}

/// The PKCS#1 form of an RSA private key, which the JWT library signs with.
fn rsa_pkcs1(key: &PrivateKey) -> Result<Vec<u8>, String> {
    use rustls_pki_types::PrivateKeyDer;
    match key.der() {
        PrivateKeyDer::Pkcs1(k) => Ok(k.secret_pkcs1_der().to_vec()),
        PrivateKeyDer::Pkcs8(k) => {
            let info = pkcs8::PrivateKeyInfoRef::try_from(k.secret_pkcs8_der()).map_err(|e| e.to_string())?;
            if info.algorithm.oid.to_string() != "1.2.840.113549.1.1.1" {
                return Err("the key is not RSA: Maskinporten grants are RS256".into());
            }
            Ok(info.private_key.as_bytes().to_vec())
        }
        _ => Err("the key is not RSA: Maskinporten grants are RS256".into()),
    }
}

/// The claims of a fresh grant for the profile, issued now.
pub(crate) fn claims(profile: &Profile, audience: &str, now: OffsetDateTime) -> GrantClaims {
    let mp = &profile.maskinporten;
    let iat = now.unix_timestamp();
    GrantClaims {
        aud: audience.to_string(),
        iss: mp.client_id.clone().unwrap_or_default(),
        scope: mp.scopes.join(" "),
        iat,
        exp: iat + GRANT_LIFETIME,
        jti: Some(random_id()),
        resource: mp.resource.clone().map(serde_json::Value::String),
        consumer_org: mp.consumer_org.as_ref().map(|o| o.to_string()),
        authorization_details: None,
    }
}

/// A random UUID-shaped `jti`.
pub(crate) fn random_id() -> String {
    let mut b = [0u8; 16];
    aws_lc_rs::rand::fill(&mut b).unwrap_or(());
    uuid_of(b)
}

/// Sixteen random bytes as a version-4 UUID.
pub(crate) fn uuid_of(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// What a grant is signed with: the key, the `x5c` chain (empty for a `kid` client),
/// and the certificate's org number.
pub(crate) struct Signer {
    pub(crate) key: PrivateKey,
    pub(crate) chain: Vec<Vec<u8>>,
    pub(crate) cert_org: Option<String>,
    /// The registered key's ID, for a client that proves itself with it.
    pub(crate) kid: Option<String>,
}

/// What a grant asks for beyond the profile's client: scopes, and for a system user the
/// `authorization_details` (and no `consumer_org`).
pub(crate) struct Ask {
    pub(crate) scopes: Vec<String>,
    pub(crate) authorization_details: Option<serde_json::Value>,
    pub(crate) consumer_org: bool,
    /// Another client than the profile's (the vendor's look-up client), same signer.
    pub(crate) client_id: Option<String>,
}

/// Why a grant got no answer.
#[derive(Debug)]
pub(crate) enum GrantError {
    /// The grant could not be signed (the key is not RSA).
    Signing(String),
    Net(NetError),
}

/// Builds, signs and posts a grant for `ask`: the one way every check asks Maskinporten
/// for a token. Also returns the claims, whose `scope` and `aud` the report shows.
pub(crate) async fn grant(
    http: &Http,
    profile: &Profile,
    found: &Discovered,
    signer: &Signer,
    ask: Ask,
) -> Result<(GrantClaims, TokenAnswer), GrantError> {
    let mut claims = claims(profile, &found.metadata.issuer, OffsetDateTime::now_utc());
    claims.scope = ask.scopes.join(" ");
    claims.authorization_details = ask.authorization_details;
    if let Some(client_id) = ask.client_id {
        claims.iss = client_id;
    }
    if !ask.consumer_org {
        claims.consumer_org = None;
    }
    let proof = match &signer.kid {
        Some(kid) => Proof::RegisteredKey { kid },
        None => Proof::Certificate { chain: signer.chain.iter().map(Vec::as_slice).collect() },
    };
    let grant = sign_grant(&signer.key, &proof, &claims).map_err(GrantError::Signing)?;
    let answer = request_token(http, &found.metadata.token_endpoint, &grant).await.map_err(GrantError::Net)?;
    Ok((claims, answer))
}

/// What the token endpoint said.
#[derive(Debug, Clone)]
pub(crate) enum TokenAnswer {
    Granted(TokenResponse),
    Refused { status: u16, body: ErrorResponse },
}

/// POSTs the grant to the token endpoint, as the protocol documents. The grant is
/// sent once: never retried, never to where a redirect points.
pub(crate) async fn request_token(http: &Http, endpoint: &str, grant: &Secret) -> Result<TokenAnswer, NetError> {
    let form = [("grant_type", GRANT_TYPE), ("assertion", grant.expose())];
    let reply = http.send(http.post(endpoint).form(&form), endpoint, MAX_JSON).await?;
    let status = reply.status;
    if status >= 500 {
        return Err(NetError::ServerError { url: endpoint.into(), status });
    }
    let body = &reply.body;
    if status == 200 {
        let token: TokenResponse = serde_json::from_slice(body).map_err(|e| NetError::Malformed {
            url: endpoint.to_string(),
            status,
            expected: "token",
            detail: e.to_string(),
        })?;
        return Ok(TokenAnswer::Granted(token));
    }
    match serde_json::from_slice::<ErrorResponse>(body) {
        Ok(error) => Ok(TokenAnswer::Refused { status, body: error }),
        Err(_) => {
            Err(NetError::Malformed { url: endpoint.to_string(), status, expected: "error", detail: snippet(body) })
        }
    }
}

/// The start of a body, for a message.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(200).collect()
}

/// The claims of a JWT, read without verifying it; `None` for anything that is not a JWT.
pub fn peek_claims<T: serde::de::DeserializeOwned>(jwt: &str) -> Option<T> {
    crate::jwt::Jwt::decode(jwt).ok()?.claims_as()
}
