//! The simulated Maskinporten: metadata, `/jwk`, and a `/token` endpoint that checks a
//! grant the way the real service does and answers with its status, error and texts.
//!
//! This is the simulator's own logic, written from PROTOCOLS.md apart from the
//! client's: only the wire types are shared.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rustls_pki_types::{CertificateDer, TrustAnchor, UnixTime};
use serde_json::{Value, json};
use x509_parser::prelude::*;

use super::clock::Clock;
use super::registry::{AuthMethod, Client, Registry};
use crate::maskinporten::types::*;
use crate::vocab::Environment;

/// Claims a grant may carry; anything else is refused.
const KNOWN_CLAIMS: &[&str] = &[
    "aud",
    "iss",
    "scope",
    "iat",
    "exp",
    "jti",
    "resource",
    "consumer_org",
    "iss_onbehalfof",
    "authorization_details",
    // Accepted by Maskinporten, and not used (CONTRACTS.md §1.3).
    "sub",
    "nbf",
    "pid",
];
/// Skew Maskinporten allows on `iat` and `exp`.
const SKEW: i64 = 10;
/// Longest grant lifetime accepted: the server enforces 180 s while the documentation says
/// 120 (CONTRACTS.md §1.3); the doctor sends 120.
const MAX_LIFETIME: i64 = 180;
/// Where a supplier's delegation comes from, in the test environment.
const DELEGATION_SOURCE_TEST: &str = "https://tt02.altinn.no/";

/// A refusal: HTTP status and the JSON body.
#[derive(Debug, Clone)]
pub(crate) struct Refusal {
    pub(crate) status: u16,
    pub(crate) body: ErrorResponse,
}

/// The token service's fixed parts and its memory of used `jti`s.
pub struct TokenService {
    pub(crate) env: Environment,
    pub(crate) issuer: String,
    /// The CA certificates enterprise certificates must chain to (root last).
    pub(crate) anchors: Vec<CertificateDer<'static>>,
    pub(crate) intermediates: Vec<CertificateDer<'static>>,
    pub registry: std::sync::RwLock<Registry>,
    pub(crate) signer: Signer,
    pub(crate) clock: Clock,
    used_jti: Mutex<HashSet<String>>,
}

/// The simulator's token-signing key and its published JWK.
pub(crate) struct Signer {
    key: jsonwebtoken::EncodingKey,
    pub(crate) kid: String,
    pub(crate) jwk: Value,
}

impl Signer {
    /// A fresh RSA key for signing access tokens.
    pub(crate) fn generate() -> Result<Signer, String> {
        let pair = super::pki::rsa_key(rcgen::RsaKeySize::_2048).map_err(|e| e.to_string())?;
        let pkcs8 = pair.serialize_der();
        let info = pkcs8::PrivateKeyInfoRef::try_from(pkcs8.as_slice()).map_err(|e| e.to_string())?;
        let pkcs1 = info.private_key.as_bytes();
        let (n, e) = rsa_numbers(pkcs1).ok_or("token key unreadable")?;
        let kid = format!("sim-{}", hex(&n[..6]));
        let jwk = json!({
            "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(&n), "e": URL_SAFE_NO_PAD.encode(&e),
        });
        Ok(Signer { key: jsonwebtoken::EncodingKey::from_rsa_der(pkcs1), kid, jwk })
    }

    pub(crate) fn sign(&self, claims: &impl serde::Serialize) -> Result<String, String> {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.key).map_err(|e| e.to_string())
    }
}

/// Modulus and exponent of a PKCS#1 RSAPrivateKey (leading zeros stripped).
fn rsa_numbers(pkcs1: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (_, obj) = der_parser::parse_der(pkcs1).ok()?;
    let items = obj.as_sequence().ok()?;
    let int = |i: usize| items.get(i)?.as_slice().ok().map(|b| b.iter().skip_while(|x| **x == 0).copied().collect());
    Some((int(1)?, int(2)?))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new trace id, as Maskinporten appends to every error description.
fn trace_id() -> String {
    let mut b = [0u8; 16];
    aws_lc_rs::rand::fill(&mut b).unwrap_or(());
    hex(&b)
}

impl TokenService {
    pub(crate) fn new(
        env: Environment,
        issuer: String,
        anchors: Vec<CertificateDer<'static>>,
        intermediates: Vec<CertificateDer<'static>>,
        registry: Registry,
        clock: Clock,
    ) -> Result<TokenService, String> {
        Ok(TokenService {
            env,
            issuer,
            anchors,
            intermediates,
            registry: std::sync::RwLock::new(registry),
            signer: Signer::generate()?,
            clock,
            used_jti: Mutex::new(HashSet::new()),
        })
    }

    /// The well-known metadata, with endpoints at `base` (the simulator's own URL).
    pub(crate) fn metadata(&self, base: &str) -> Metadata {
        Metadata {
            issuer: self.issuer.clone(),
            token_endpoint: format!("{base}/token"),
            jwks_uri: format!("{base}/jwk"),
            token_endpoint_auth_methods_supported: vec!["private_key_jwt".into()],
            grant_types_supported: vec![GRANT_TYPE.into()],
            token_endpoint_auth_signing_alg_values_supported: vec!["RS256".into(), "RS384".into(), "RS512".into()],
            // The real metadata lists `urn:altinn:consent` too (example 01); this simulator
            // has no consent path yet and refuses such grants (MP-301), so it does not
            // claim the type.
            authorization_details_types_supported: vec!["urn:altinn:systemuser".into()],
        }
    }

    pub(crate) fn jwks(&self) -> Value {
        json!({ "keys": [self.signer.jwk] })
    }

    fn refuse(&self, status: u16, error: &str, code: Option<MpCode>, description: &str) -> Refusal {
        Refusal {
            status,
            body: ErrorResponse {
                error: error.into(),
                error_description: Some(format!("{description} (trace_id: {})", trace_id())),
                error_uri: code.map(|c| format!("{}errors/{}", self.issuer, c.as_str())),
            },
        }
    }

    fn grant_error(&self, code: Option<MpCode>, description: &str) -> Refusal {
        self.refuse(400, "invalid_grant", code, description)
    }

    /// Handles a token request's form fields.
    pub(crate) fn token(&self, form: &[(String, String)]) -> Result<TokenResponse, Refusal> {
        let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        if field("grant_type") != Some(GRANT_TYPE) {
            return Err(self.refuse(400, "unsupported_grant_type", None, "Unsupported grant_type"));
        }
        let Some(assertion) = field("assertion") else {
            return Err(self.refuse(
                400,
                "invalid_request",
                Some(MpCode::Mp011),
                "Invalid assertion. Invalid parameter value: assertion is missing",
            ));
        };
        let grant = Grant::parse(assertion).map_err(|what| {
            self.refuse(
                400,
                "invalid_request",
                Some(MpCode::Mp011),
                &format!("Invalid assertion. Invalid parameter value: {what}"),
            )
        })?;
        self.check(&grant)
    }

    /// Judges a parsed grant in Maskinporten's order: its form, the client and its proof,
    /// the audience and times, replay, the consumer, system-user details, the scopes.
    fn check(&self, g: &Grant) -> Result<TokenResponse, Refusal> {
        let claims = self.read_claims(g)?;
        let registry =
            self.registry.read().map_err(|_| self.refuse(500, "server_error", None, "registry unavailable"))?;
        let Some(client) = registry.client(&claims.iss).filter(|c| c.env == self.env.as_str()) else {
            // A client of the other environment does not exist in this one.
            return Err(self.grant_error(Some(MpCode::Mp100), "Invalid assertion. Client not found"));
        };
        // With both in the header, the `kid` wins (documented): the registered key is used.
        let amr = match (g.header.get("kid"), client.auth) {
            (Some(_), _) | (None, AuthMethod::Kid) => self.check_registered_key(g, client)?,
            (None, AuthMethod::X5c) => self.check_certificate(g, &client.org)?,
        };
        self.check_audience_and_times(&claims)?;
        self.check_replay(&claims)?;
        let consumer = self.consumer_of(&claims, client)?;
        let authorization_details = match &claims.authorization_details {
            Some(details) => Some(self.check_system_user(&registry, client, details)?),
            None => None,
        };
        let scopes: Vec<&str> = claims.scope.split_whitespace().collect();
        let lifetime = self.check_scopes(&registry, client, &consumer, &scopes)?;
        let now = self.clock.now_unix();
        let token = AccessTokenClaims {
            iss: self.issuer.clone(),
            client_id: client.client_id.clone(),
            client_amr: amr.into(),
            consumer: Party::org(&consumer),
            supplier: (consumer != client.org).then(|| Party::org(&client.org)),
            delegation_source: (consumer != client.org).then(|| DELEGATION_SOURCE_TEST.to_string()),
            token_type: Some("Bearer".into()),
            scope: scopes.join(" "),
            iat: now,
            exp: now + lifetime as i64,
            jti: trace_id(),
            aud: claims.resource.clone(),
            authorization_details,
        };
        let access_token = self.signer.sign(&token).map_err(|e| self.refuse(500, "server_error", None, &e))?;
        Ok(TokenResponse {
            access_token: crate::vocab::Secret::new(access_token),
            token_type: "Bearer".into(),
            expires_in: lifetime,
            scope: token.scope,
        })
    }

    /// The grant's header and claims as Maskinporten reads them, before the client.
    fn read_claims(&self, g: &Grant) -> Result<GrantClaims, Refusal> {
        if let Some(x5c) = g.header.get("x5c")
            && !x5c.as_array().is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string))
        {
            return Err(self.grant_error(Some(MpCode::Mp123), "Invalid JWT header x5c"));
        }
        if let Some(unknown) = g.claims.as_object().and_then(|o| o.keys().find(|k| !KNOWN_CLAIMS.contains(&k.as_str())))
        {
            return Err(self.grant_error(None, &format!("Invalid assertion. Unknown claim {unknown}")));
        }
        let invalid = |what: &str| {
            self.refuse(
                400,
                "invalid_request",
                Some(MpCode::Mp011),
                &format!("Invalid assertion. Invalid parameter value: {what}"),
            )
        };
        if g.claims.get("consumer_org").is_some() && g.claims.get("iss_onbehalfof").is_some() {
            return Err(invalid("consumer_org and iss_onbehalfof exclude each other"));
        }
        serde_json::from_value(g.claims.clone()).map_err(|e| invalid(&e.to_string()))
    }

    fn check_audience_and_times(&self, claims: &GrantClaims) -> Result<(), Refusal> {
        if claims.aud != self.issuer {
            return Err(self.grant_error(
                Some(MpCode::Mp110),
                "Invalid assertion. Client authentication failed. Invalid JWT claim aud",
            ));
        }
        let now = self.clock.now_unix();
        if claims.iat > now + SKEW {
            return Err(self.grant_error(None, "Invalid assertion. Issue time is after now"));
        }
        if claims.exp < now - SKEW {
            return Err(self.grant_error(Some(MpCode::Mp130), "JWT is expired"));
        }
        if claims.exp - claims.iat > MAX_LIFETIME {
            return Err(self.grant_error(None, "Invalid assertion. JWT has too long lifetime"));
        }
        Ok(())
    }

    /// A `jti` may be used once per client.
    fn check_replay(&self, claims: &GrantClaims) -> Result<(), Refusal> {
        if let Some(jti) = &claims.jti {
            let mut used = self.used_jti.lock().map_err(|_| self.refuse(500, "server_error", None, "jti store"))?;
            if !used.insert(format!("{}:{jti}", claims.iss)) {
                return Err(self.grant_error(Some(MpCode::Mp012), "Grant is used before"));
            }
        }
        Ok(())
    }

    /// Whom the token is for: the client's org, or the `consumer_org` it acts for.
    fn consumer_of(&self, claims: &GrantClaims, client: &Client) -> Result<String, Refusal> {
        match &claims.consumer_org {
            Some(org) if org == &client.org => Err(self.grant_error(
                None,
                "Validation of JWT claim failed: The combination consumer_org in claim and delegation scope on client is invalid",
            )),
            Some(org) => Ok(org.clone()),
            None => Ok(client.org.clone()),
        }
    }

    /// Every scope asked for is the client's, a Maskinporten scope, and the consumer's
    /// (or delegated to the client's org). The answer is the token's lifetime.
    fn check_scopes(
        &self,
        registry: &Registry,
        client: &Client,
        consumer: &str,
        scopes: &[&str],
    ) -> Result<u64, Refusal> {
        let invalid = || {
            self.refuse(400, "invalid_scope", Some(MpCode::Mp200), "Token request contains invalid scopes for client")
        };
        if scopes.is_empty() || scopes.iter().any(|s| !client.scopes.iter().any(|c| c == s)) {
            return Err(invalid());
        }
        let mut lifetime = u64::MAX;
        for name in scopes {
            let Some(scope) = registry.scope(name) else { return Err(invalid()) };
            if !scope.maskinporten {
                return Err(self.refuse(
                    400,
                    "invalid_scope",
                    Some(MpCode::Mp201),
                    "Token request contains scopes not allowed for maskinporten",
                ));
            }
            if consumer != client.org {
                if !registry.delegated(consumer, &client.org, name) {
                    let text = format!(
                        "Consumer {consumer} has not delegated access to the scope {name} to supplier {}",
                        client.org
                    );
                    return Err(self.refuse(403, "forbidden", Some(MpCode::Mp251), &text));
                }
            } else if !(scope.open || scope.consumers.iter().any(|c| c == consumer)) {
                return Err(self.refuse(
                    403,
                    "forbidden",
                    Some(MpCode::Mp250),
                    "Consumer has not been granted access to the scope",
                ));
            }
            lifetime = lifetime.min(scope.lifetime);
        }
        Ok(lifetime)
    }

    /// `authorization_details` for a system user: one `urn:altinn:systemuser` entry
    /// with `systemuser_org` and, when the request had one, `externalRef`. The answer is
    /// the token's entry, with the system user's ID and the system's.
    fn check_system_user(
        &self,
        registry: &Registry,
        client: &super::registry::Client,
        details: &Value,
    ) -> Result<Value, Refusal> {
        let malformed = || {
            self.refuse(
                400,
                "invalid_request",
                Some(MpCode::Mp011),
                "Invalid assertion. Invalid parameter value: authorization_details",
            )
        };
        let entry = details.as_array().filter(|a| a.len() == 1).and_then(|a| a[0].as_object()).ok_or_else(malformed)?;
        let kind = entry.get("type").and_then(Value::as_str).unwrap_or_default();
        if kind != crate::altinn::types::SYSTEMUSER_TYPE {
            return Err(self.grant_error(Some(MpCode::Mp301), "Unknown authorization details type"));
        }
        if entry.keys().any(|k| !["type", "systemuser_org", "externalRef"].contains(&k.as_str())) {
            return Err(self.grant_error(Some(MpCode::Mp302), "Unknown fields in the authorization details"));
        }
        let customer_id = entry
            .get("systemuser_org")
            .and_then(Value::as_object)
            .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case("id")).map(|(_, v)| v))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let external_ref = entry.get("externalRef").and_then(Value::as_str);
        let invalid = || {
            self.grant_error(
                Some(MpCode::Mp303),
                "Invalid authorization details values. Altinn: invalid_altinn_customer_configuration",
            )
        };
        let customer = customer_id.strip_prefix("0192:").ok_or_else(invalid)?;
        // Altinn's match (CONTRACTS.md §5): a system not deleted whose client IDs hold the
        // client, the owner's accepted system user, the reference (default: the owner).
        let reference = external_ref.unwrap_or(customer);
        let system = registry.system_of_client(&client.client_id).filter(|s| !s.is_deleted).ok_or_else(invalid)?;
        let user = registry
            .system_users_for(&system.id, customer)
            .filter(|u| u.status == "Accepted")
            .find(|u| u.reference() == reference)
            .ok_or_else(invalid)?;
        let mut entry = serde_json::json!({
            "type": crate::altinn::types::SYSTEMUSER_TYPE,
            "systemuser_id": [user.id],
            "systemuser_org": Party::org(customer),
            "system_id": system.id,
        });
        if let Some(r) = external_ref {
            entry["externalRef"] = r.into();
        }
        Ok(serde_json::json!([entry]))
    }

    /// An `x5c` client: the certificate must chain to the CA of this environment, be
    /// valid now, belong to the client's owner, and verify the grant's signature.
    fn check_certificate(&self, g: &Grant, owner: &str) -> Result<&'static str, Refusal> {
        let Some(x5c) = g.header.get("x5c").and_then(Value::as_array) else {
            return Err(match g.header.get("kid") {
                Some(_) => self.grant_error(None, "Invalid assertion. Unknown key identifier (kid) for client"),
                None => self.refuse(
                    400,
                    "invalid_request",
                    Some(MpCode::Mp011),
                    "Invalid assertion. Invalid parameter value: no x5c or kid",
                ),
            });
        };
        let ders: Vec<Vec<u8>> = x5c
            .iter()
            .filter_map(Value::as_str)
            .map(|s| STANDARD.decode(s))
            .collect::<Result<_, _>>()
            .map_err(|_| self.grant_error(Some(MpCode::Mp123), "Invalid JWT header x5c"))?;
        let invalid = || {
            self.grant_error(
                Some(MpCode::Mp120),
                "Invalid assertion. Client authentication failed. The JWT is signed with an invalid certificate.",
            )
        };
        let leaf = CertificateDer::from(ders[0].clone());
        let (_, cert) = X509Certificate::from_der(&ders[0]).map_err(|_| invalid())?;
        match self.verify_chain(&leaf, &ders[1..]) {
            Ok(()) => {}
            Err(webpki::Error::CertExpired { .. }) => {
                return Err(self.grant_error(Some(MpCode::Mp124), "Invalid JWT signature"));
            }
            Err(_) => return Err(invalid()),
        }
        if cert_org(&cert).as_deref() != Some(owner) {
            return Err(self.grant_error(
                Some(MpCode::Mp122),
                "Invalid JWT. Invalid organization number for client. Does not match certificate orgno",
            ));
        }
        let x509_parser::public_key::PublicKey::RSA(_) = cert.public_key().parsed().map_err(|_| invalid())? else {
            return Err(invalid());
        };
        let key = cert.public_key().subject_public_key.data.to_vec();
        self.verify_signature(g, &key)?;
        Ok(AMR_CERTIFICATE)
    }

    fn verify_chain(&self, leaf: &CertificateDer<'_>, extra: &[Vec<u8>]) -> Result<(), webpki::Error> {
        if self.env == Environment::Prod {
            // The simulator's PKI is a test PKI: no production CA to chain to.
            return Err(webpki::Error::UnknownIssuer);
        }
        let ee = webpki::EndEntityCert::try_from(leaf)?;
        let anchors: Vec<TrustAnchor<'_>> =
            self.anchors.iter().filter_map(|a| webpki::anchor_from_trusted_cert(a).ok()).collect();
        let mut helpers: Vec<CertificateDer<'_>> = self.intermediates.clone();
        helpers.extend(extra.iter().map(|d| CertificateDer::from(d.clone())));
        let time = UnixTime::since_unix_epoch(Duration::from_secs(self.clock.now_unix().max(0) as u64));
        ee.verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &anchors,
            &helpers,
            time,
            webpki::KeyUsage::client_auth(),
            None,
            None,
        )
        .map(|_| ())
    }

    /// A `kid` client: the kid must be the registered one, the key under a year old.
    fn check_registered_key(&self, g: &Grant, client: &super::registry::Client) -> Result<&'static str, Refusal> {
        let Some(kid) = g.header.get("kid").and_then(Value::as_str) else {
            return Err(self.grant_error(
                None,
                "Invalid JWT. The client requires pre-registered jwk and no key identifier (kid) provided",
            ));
        };
        let (Some(registered), Some(jwk)) = (&client.kid, &client.jwk) else {
            return Err(self.grant_error(None, "Invalid assertion. Unknown key identifier (kid) for client"));
        };
        if registered != kid {
            return Err(self.grant_error(None, "Invalid assertion. Unknown key identifier (kid) for client"));
        }
        if let Some(date) = &client.key_registered {
            let registered = crate::vocab::times::parse_at(date).map(|t| t.unix_timestamp()).unwrap_or(0);
            if self.clock.now_unix() - registered > 365 * 24 * 3600 {
                return Err(self
                    .grant_error(Some(MpCode::Mp121), "Invalid assertion. Client authentication failed. Expired key"));
            }
        }
        let n = jwk.get("n").and_then(Value::as_str).and_then(|s| URL_SAFE_NO_PAD.decode(s).ok());
        let e = jwk.get("e").and_then(Value::as_str).and_then(|s| URL_SAFE_NO_PAD.decode(s).ok());
        let (Some(n), Some(e)) = (n, e) else {
            return Err(self.grant_error(Some(MpCode::Mp124), "Invalid JWT signature"));
        };
        let components = aws_lc_rs::signature::RsaPublicKeyComponents { n: n.as_slice(), e: e.as_slice() };
        let alg = rsa_alg(&g.alg).ok_or_else(|| self.grant_error(Some(MpCode::Mp124), "Invalid JWT signature"))?;
        components
            .verify(alg, g.signing_input.as_bytes(), &g.signature)
            .map_err(|_| self.grant_error(Some(MpCode::Mp124), "Invalid JWT signature"))?;
        Ok(AMR_KEY)
    }

    fn verify_signature(&self, g: &Grant, rsa_public_key: &[u8]) -> Result<(), Refusal> {
        let alg = rsa_alg(&g.alg).ok_or_else(|| self.grant_error(Some(MpCode::Mp124), "Invalid JWT signature"))?;
        aws_lc_rs::signature::UnparsedPublicKey::new(alg, rsa_public_key)
            .verify(g.signing_input.as_bytes(), &g.signature)
            .map_err(|_| self.grant_error(Some(MpCode::Mp124), "Invalid JWT signature"))
    }
}

fn rsa_alg(alg: &str) -> Option<&'static aws_lc_rs::signature::RsaParameters> {
    use aws_lc_rs::signature::*;
    match alg {
        "RS256" => Some(&RSA_PKCS1_2048_8192_SHA256),
        "RS384" => Some(&RSA_PKCS1_2048_8192_SHA384),
        "RS512" => Some(&RSA_PKCS1_2048_8192_SHA512),
        _ => None,
    }
}

/// The org number in a certificate subject: organizationIdentifier, then serialNumber.
fn cert_org(cert: &X509Certificate<'_>) -> Option<String> {
    let mut serial = None;
    for attr in cert.subject().iter_attributes() {
        let value = attr.as_str().ok()?;
        match attr.attr_type().to_id_string().as_str() {
            "2.5.4.97" => {
                if let Some(n) = value.strip_prefix("NTRNO-") {
                    return Some(n.to_string());
                }
            }
            "2.5.4.5" if value.len() == 9 => serial = Some(value.to_string()),
            _ => {}
        }
    }
    serial
}

/// A grant split into its parts.
struct Grant {
    header: Value,
    claims: Value,
    alg: String,
    signing_input: String,
    signature: Vec<u8>,
}

impl Grant {
    fn parse(jwt: &str) -> Result<Grant, String> {
        let parts: Vec<&str> = jwt.trim().split('.').collect();
        let [h, c, s] = parts.as_slice() else { return Err("the assertion is not a signed JWT".into()) };
        let json = |part: &str, what: &str| -> Result<Value, String> {
            let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|_| format!("{what} is not base64url"))?;
            serde_json::from_slice(&bytes).map_err(|_| format!("{what} is not JSON"))
        };
        let header = json(h, "header")?;
        let claims = json(c, "claims")?;
        let alg = header.get("alg").and_then(Value::as_str).unwrap_or_default().to_string();
        if !["RS256", "RS384", "RS512"].contains(&alg.as_str()) {
            return Err(format!("alg {alg} is not RS256, RS384 or RS512"));
        }
        let signature = URL_SAFE_NO_PAD.decode(s).map_err(|_| "signature is not base64url".to_string())?;
        Ok(Grant { header, claims, alg, signing_input: format!("{h}.{c}"), signature })
    }
}
