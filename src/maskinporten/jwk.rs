//! The public JWK of the profile's key, to register on a Maskinporten client that uses keys.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};

use crate::certificate::key::PublicPart;
use crate::certificate::load::{KeySource, load_key_file};
use crate::config::Profile;
use crate::vocab::Problem;

/// `{kty, kid, alg, use, n, e, x5c}`: from the certificate when there is one (its
/// thumbprint is the default kid), else from the key file.
pub(crate) fn for_profile(profile: &Profile) -> Result<Value, Problem> {
    let password = profile.secrets.cert_password.as_ref().map(|s| s.expose());
    match crate::certificate::load(profile) {
        Ok(m) => {
            let crate::certificate::facts::KeyInfo::Rsa { modulus, exponent, .. } = &m.leaf.facts.key else {
                return Err(Problem::CertificateKeyNotRsa);
            };
            let kid = profile.maskinporten.kid.clone().unwrap_or_else(|| m.leaf.facts.thumbprint.to_string());
            let mut jwk = rsa_jwk(&kid, modulus, exponent);
            jwk["x5c"] = json!([STANDARD.encode(&m.leaf.der)]);
            Ok(jwk)
        }
        Err(_) if profile.key.is_some() => {
            let path = profile.key.as_deref().unwrap_or(std::path::Path::new(""));
            let KeySource::Found(keys) = load_key_file(path, password) else {
                return Err(Problem::KeyUnreadable { path: path.display().to_string() });
            };
            let Ok(PublicPart::Rsa { modulus, exponent }) = keys[0].public_part() else {
                return Err(Problem::KeyNotRsa);
            };
            let kid = profile.maskinporten.kid.clone().ok_or(Problem::KidNeeded)?;
            Ok(rsa_jwk(&kid, &modulus, &exponent))
        }
        Err(crate::certificate::load::LoadError::NoSource) => Err(Problem::NoKeyMaterial { code: "no-source".into() }),
        // What keeps the certificate from being read (a password missing or wrong, a
        // damaged file) in the words `cert.readable` uses for it.
        Err(e) => Err(Problem::CertificateUnreadable { cause: serde_json::to_value(&e).unwrap_or_default() }),
    }
}

/// An RSA public JWK for signing with RS256.
pub(crate) fn rsa_jwk(kid: &str, modulus: &[u8], exponent: &[u8]) -> Value {
    json!({
        "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
        "n": URL_SAFE_NO_PAD.encode(modulus), "e": URL_SAFE_NO_PAD.encode(exponent),
    })
}
