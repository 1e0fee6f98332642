//! Private keys: decoding (PKCS#8, PKCS#1, SEC1, encrypted PKCS#8), matching a certificate.

use std::fmt;

use der_parser::ber::BerObjectContent;
use rustls_pki_types::PrivateKeyDer;

use super::facts::{KeyInfo, strip_zeros};

/// A private key. `Debug` prints no key material.
pub struct PrivateKey(PrivateKeyDer<'static>);

impl Clone for PrivateKey {
    fn clone(&self) -> Self {
        PrivateKey(self.0.clone_key())
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey({}, {})", self.kind(), crate::vocab::MASK)
    }
}

/// The public half of a private key, in the form a certificate's key is compared in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicPart {
    Rsa { modulus: Vec<u8>, exponent: Vec<u8> },
    Ec { point: Vec<u8> },
}

impl PrivateKey {
    pub(crate) fn new(der: PrivateKeyDer<'static>) -> PrivateKey {
        PrivateKey(der)
    }

    pub(crate) fn der(&self) -> &PrivateKeyDer<'static> {
        &self.0
    }

    pub(crate) fn kind(&self) -> &'static str {
        match &self.0 {
            PrivateKeyDer::Pkcs1(_) => "PKCS#1 RSA",
            PrivateKeyDer::Pkcs8(_) => "PKCS#8",
            PrivateKeyDer::Sec1(_) => "SEC1 EC",
            _ => "unknown",
        }
    }

    /// The public part, read from the key's own structure.
    pub fn public_part(&self) -> Result<PublicPart, String> {
        match &self.0 {
            PrivateKeyDer::Pkcs1(k) => rsa_public(k.secret_pkcs1_der()),
            PrivateKeyDer::Sec1(k) => ec_public(k.secret_sec1_der()),
            PrivateKeyDer::Pkcs8(k) => {
                let info = pkcs8::PrivateKeyInfoRef::try_from(k.secret_pkcs8_der())
                    .map_err(|e| format!("not a PKCS#8 key: {e}"))?;
                match info.algorithm.oid.to_string().as_str() {
                    "1.2.840.113549.1.1.1" => rsa_public(info.private_key.as_bytes()),
                    "1.2.840.10045.2.1" => match info.public_key.as_ref().and_then(|b| b.as_bytes()) {
                        Some(point) => Ok(PublicPart::Ec { point: point.to_vec() }),
                        None => ec_public(info.private_key.as_bytes()),
                    },
                    other => Err(format!("key algorithm {other} is neither RSA nor EC")),
                }
            }
            _ => Err("unknown private key encoding".into()),
        }
    }

    /// True when this key's public part is the certificate's public key.
    pub(crate) fn matches(&self, key: &KeyInfo) -> bool {
        match (self.public_part(), key) {
            (Ok(PublicPart::Rsa { modulus, exponent }), KeyInfo::Rsa { modulus: m, exponent: e, .. }) => {
                modulus == *m && exponent == *e
            }
            (Ok(PublicPart::Ec { point }), KeyInfo::Ec { point: p, .. }) => point == *p,
            _ => false,
        }
    }

    /// Proves the key belongs to the certificate and is usable for RS256: the crypto
    /// library accepts the key pair (its parts consistent), and the public key it derives
    /// is the certificate's. Deterministic: no signature, so no random numbers to seed.
    pub(crate) fn prove_rsa(&self, spki_rsa_public_key: &[u8]) -> Result<(), String> {
        use aws_lc_rs::signature::{KeyPair as _, RsaKeyPair};
        let pair = match &self.0 {
            PrivateKeyDer::Pkcs1(k) => RsaKeyPair::from_der(k.secret_pkcs1_der()),
            PrivateKeyDer::Pkcs8(k) => RsaKeyPair::from_pkcs8(k.secret_pkcs8_der()),
            _ => return Err("not an RSA key".into()),
        }
        .map_err(|e| format!("the RSA key is not usable for signing: {e}"))?;
        if pair.public_key().as_ref() != spki_rsa_public_key {
            return Err("the key's public half is not the certificate's".into());
        }
        Ok(())
    }
}

fn rsa_public(pkcs1: &[u8]) -> Result<PublicPart, String> {
    let (_, obj) = der_parser::parse_der(pkcs1).map_err(|e| format!("not an RSA private key: {e}"))?;
    let items = obj.as_sequence().map_err(|_| "not an RSA private key".to_string())?;
    let int = |i: usize| -> Result<Vec<u8>, String> {
        match items.get(i).map(|o| &o.content) {
            Some(BerObjectContent::Integer(bytes)) => Ok(strip_zeros(bytes).to_vec()),
            _ => Err("not an RSA private key".into()),
        }
    };
    Ok(PublicPart::Rsa { modulus: int(1)?, exponent: int(2)? })
}

/// SEC1 ECPrivateKey: the public point is the optional `[1]` field.
fn ec_public(sec1: &[u8]) -> Result<PublicPart, String> {
    let (_, obj) = der_parser::parse_der(sec1).map_err(|e| format!("not an EC private key: {e}"))?;
    let items = obj.as_sequence().map_err(|_| "not an EC private key".to_string())?;
    for item in items {
        if item.header.tag().0 == 1 && item.header.class() == der_parser::ber::Class::ContextSpecific {
            let inner = item.as_slice().map_err(|_| "EC public key unreadable".to_string())?;
            let (_, bits) = der_parser::parse_der(inner).map_err(|_| "EC public key unreadable".to_string())?;
            if let BerObjectContent::BitString(_, b) = bits.content {
                return Ok(PublicPart::Ec { point: b.data.to_vec() });
            }
        }
    }
    Err("the EC key does not include its public point".into())
}

/// Decodes a private key in DER: PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1.
pub(crate) fn from_der(der: &[u8], password: Option<&str>) -> Result<PrivateKey, KeyDecodeError> {
    if pkcs8::PrivateKeyInfoRef::try_from(der).is_ok() {
        return Ok(PrivateKey(PrivateKeyDer::Pkcs8(der.to_vec().into())));
    }
    if pkcs8::EncryptedPrivateKeyInfoRef::try_from(der).is_ok() {
        return decrypt_pkcs8(der, password);
    }
    if rsa_public(der).is_ok() {
        return Ok(PrivateKey(PrivateKeyDer::Pkcs1(der.to_vec().into())));
    }
    if ec_public(der).is_ok() {
        return Ok(PrivateKey(PrivateKeyDer::Sec1(der.to_vec().into())));
    }
    Err(KeyDecodeError::NotAKey)
}

/// Decrypts an EncryptedPrivateKeyInfo (PBES2: PBKDF2 with AES or 3DES).
pub(crate) fn decrypt_pkcs8(der: &[u8], password: Option<&str>) -> Result<PrivateKey, KeyDecodeError> {
    let info = pkcs8::EncryptedPrivateKeyInfoRef::try_from(der).map_err(|_| KeyDecodeError::NotAKey)?;
    let Some(password) = password else {
        return Err(KeyDecodeError::PasswordNeeded);
    };
    let doc = info.decrypt(password).map_err(|e| match e {
        pkcs8::Error::EncryptedPrivateKey(pkcs8::pkcs5::Error::UnsupportedAlgorithm { .. }) => {
            KeyDecodeError::Unsupported(e.to_string())
        }
        _ => KeyDecodeError::WrongPassword,
    })?;
    let plain = doc.as_bytes().to_vec();
    if pkcs8::PrivateKeyInfoRef::try_from(plain.as_slice()).is_err() {
        return Err(KeyDecodeError::WrongPassword);
    }
    Ok(PrivateKey(PrivateKeyDer::Pkcs8(plain.into())))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyDecodeError {
    NotAKey,
    PasswordNeeded,
    WrongPassword,
    Unsupported(String),
    /// A JWK that cannot sign an RS256 grant.
    Jwk(JwkFault),
}

/// Why a JWK cannot sign Maskinporten's RS256 grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JwkFault {
    NotRsa {
        kty: String,
    },
    /// A member the private key needs is missing: the public half only.
    PublicOnly {
        member: String,
    },
    /// A member that is not base64url, or members that make no RSA key.
    Broken {
        member: String,
    },
    TooWeak {
        bits: usize,
    },
}

/// A private RSA key as a JWK (RFC 7517/7518: `kty`, `n`, `e`, `d`, `p`, `q`, `dp`,
/// `dq`, `qi`, base64url), given as its JSON or as the standard base64 of that JSON
/// (Altinn's `EncodedJwk`, the app libraries' `jwkBase64`): the key, and the JWK's `kid`.
/// `None` when the bytes are neither form, so that PEM and DER are tried.
pub(crate) fn from_jwk(bytes: &[u8]) -> Option<Result<(PrivateKey, Option<String>), KeyDecodeError>> {
    let json = jwk_json(bytes)?;
    Some(jwk_key(&json))
}

fn jwk_json(bytes: &[u8]) -> Option<serde_json::Map<String, serde_json::Value>> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    let json = match text.starts_with('{') {
        true => serde_json::from_str(text).ok()?,
        false => serde_json::from_slice(&any_base64(text)?).ok()?,
    };
    match json {
        serde_json::Value::Object(map) => unwrap_settings(map, 0),
        _ => None,
    }
}

/// Standard or URL-safe base64, padded or not (as the tools write a JWK's base64).
fn any_base64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD].iter().find_map(|e| e.decode(text.trim()).ok())
}

/// The JWK inside the Maskinporten settings shapes tools write (CONTRACTS-APIS §8): a
/// `jwk` object, or a `jwkBase64` / `EncodedJwk` string, any case; a single-key wrapper
/// (`{"MaskinportenSettings": {…}}`, `{"my-app--MaskinportenSettings": {…}}`) unwrapped
/// level by level. A map with `kty` is the JWK itself.
fn unwrap_settings(
    map: serde_json::Map<String, serde_json::Value>,
    depth: usize,
) -> Option<serde_json::Map<String, serde_json::Value>> {
    if map.contains_key("kty") || depth > 4 {
        return Some(map);
    }
    let get = |name: &str| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v);
    if let Some(serde_json::Value::Object(jwk)) = get("jwk") {
        return Some(jwk.clone());
    }
    if let Some(serde_json::Value::String(encoded)) = get("jwkBase64").or_else(|| get("EncodedJwk")) {
        return match serde_json::from_slice(&any_base64(encoded)?).ok()? {
            serde_json::Value::Object(jwk) => Some(jwk),
            _ => None,
        };
    }
    match map.into_iter().collect::<Vec<_>>().as_slice() {
        [(_, serde_json::Value::Object(inner))] => unwrap_settings(inner.clone(), depth + 1),
        _ => None,
    }
}

fn jwk_key(jwk: &serde_json::Map<String, serde_json::Value>) -> Result<(PrivateKey, Option<String>), KeyDecodeError> {
    use base64::Engine;
    let fault = |f: JwkFault| KeyDecodeError::Jwk(f);
    let kty = jwk.get("kty").and_then(serde_json::Value::as_str).unwrap_or_default();
    if kty != "RSA" {
        return Err(fault(JwkFault::NotRsa { kty: kty.to_string() }));
    }
    let member = |name: &str| {
        let text = jwk
            .get(name)
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| fault(JwkFault::PublicOnly { member: name.into() }))?;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .map_err(|_| fault(JwkFault::Broken { member: name.into() }))
    };
    let parts = ["n", "e", "d", "p", "q", "dp", "dq", "qi"].map(member);
    if let Ok(n) = &parts[0] {
        let bits = n.iter().skip_while(|b| **b == 0).count() * 8;
        if bits < 2048 {
            return Err(fault(JwkFault::TooWeak { bits }));
        }
    }
    let mut ints = vec![vec![0u8]];
    for part in parts {
        ints.push(part?);
    }
    let der = der_sequence_of_integers(&ints);
    aws_lc_rs::signature::RsaKeyPair::from_der(&der).map_err(|_| fault(JwkFault::Broken { member: "d".into() }))?;
    let kid = jwk.get("kid").and_then(serde_json::Value::as_str).map(str::to_string);
    Ok((PrivateKey(PrivateKeyDer::Pkcs1(der.into())), kid))
}

/// DER of `SEQUENCE { INTEGER … }` from unsigned big-endian integers (PKCS#1
/// RSAPrivateKey, RFC 8017 A.1.2). No crate here writes DER; this is the whole encoder.
fn der_sequence_of_integers(ints: &[Vec<u8>]) -> Vec<u8> {
    fn length(n: usize, out: &mut Vec<u8>) {
        if n < 0x80 {
            out.push(n as u8);
        } else {
            let bytes: Vec<u8> = n.to_be_bytes().into_iter().skip_while(|b| *b == 0).collect();
            out.push(0x80 | bytes.len() as u8);
            out.extend(bytes);
        }
    }
    let mut body = Vec::new();
    for int in ints {
        let trimmed = match int.iter().position(|b| *b != 0) {
            Some(i) => &int[i..],
            None => &[0u8][..],
        };
        let pad = trimmed[0] & 0x80 != 0;
        body.push(0x02);
        length(trimmed.len() + usize::from(pad), &mut body);
        if pad {
            body.push(0);
        }
        body.extend_from_slice(trimmed);
    }
    let mut out = vec![0x30];
    length(body.len(), &mut out);
    out.extend(body);
    out
}

#[cfg(test)]
mod jwk_tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn a_short_rsa_jwk_is_named_as_too_weak_and_an_ec_one_as_not_rsa() {
        let b = |n: usize| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(vec![0xA5u8; n]);
        let jwk = serde_json::json!({"kty": "RSA", "n": b(128), "e": "AQAB", "d": b(128), "p": b(64), "q": b(64),
            "dp": b(64), "dq": b(64), "qi": b(64)});
        match from_jwk(jwk.to_string().as_bytes()) {
            Some(Err(KeyDecodeError::Jwk(JwkFault::TooWeak { bits }))) => assert_eq!(bits, 1024),
            other => panic!("{:?}", other.map(|r| r.map(|_| ()))),
        }
        let ec = serde_json::json!({"kty": "EC", "crv": "P-256"});
        assert!(matches!(from_jwk(ec.to_string().as_bytes()), Some(Err(KeyDecodeError::Jwk(JwkFault::NotRsa { .. })))));
        assert!(from_jwk(b"-----BEGIN PRIVATE KEY-----").is_none(), "PEM is not a JWK");
    }
}
