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
}
