//! A JWT read without verifying it: what the doctor needs to tell a token from a
//! string with two dots.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

/// Largest token decoded (real ones are a few KiB).
const MAX_TOKEN: usize = 64 * 1024;

/// The decoded header and claims of a compact JWS.
#[derive(Debug, Clone)]
pub struct Jwt {
    pub(crate) header: Map<String, Value>,
    pub(crate) claims: Map<String, Value>,
}

/// Why a string is not a JWT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAJwt {
    TooLong,
    NotThreeParts,
    HeaderNotJson,
    NoAlgorithm,
    ClaimsNotJson,
    NoSignature,
}

impl NotAJwt {
    /// "not a token: …", as the catalogue words it.
    pub(crate) fn problem(self) -> crate::vocab::Problem {
        use crate::vocab::Problem;
        let why = match self {
            NotAJwt::TooLong => Problem::JwtTooLong,
            NotAJwt::NotThreeParts => Problem::JwtNotThreeParts,
            NotAJwt::HeaderNotJson => Problem::JwtHeaderNotJson,
            NotAJwt::NoAlgorithm => Problem::JwtNoAlgorithm,
            NotAJwt::ClaimsNotJson => Problem::JwtClaimsNotJson,
            NotAJwt::NoSignature => Problem::JwtNoSignature,
        };
        Problem::NotAJwt { why: Box::new(why) }
    }
}

impl Jwt {
    /// Decodes `header.claims.signature`: each part base64url, the first two JSON
    /// objects, the header naming its `alg`, the signature not empty.
    pub fn decode(token: &str) -> Result<Jwt, NotAJwt> {
        if token.len() > MAX_TOKEN {
            return Err(NotAJwt::TooLong);
        }
        let parts: Vec<&str> = token.split('.').collect();
        let [header, claims, signature] = parts.as_slice() else { return Err(NotAJwt::NotThreeParts) };
        let header = json_object(header).ok_or(NotAJwt::HeaderNotJson)?;
        if !header.get("alg").is_some_and(Value::is_string) {
            return Err(NotAJwt::NoAlgorithm);
        }
        let claims = json_object(claims).ok_or(NotAJwt::ClaimsNotJson)?;
        if signature.is_empty() || URL_SAFE_NO_PAD.decode(signature).is_err() {
            return Err(NotAJwt::NoSignature);
        }
        Ok(Jwt { header, claims })
    }

    /// The claims as a typed value.
    pub(crate) fn claims_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_value(Value::Object(self.claims.clone())).ok()
    }
}

/// Verifies a token's signature with the key of its `kid` in a JWKS document (RSA):
/// `Ok(false)` when the key is found and the signature fails; why it could not be
/// checked as a code the catalogue's sentences quote (`no-matching-kid`, …).
pub(crate) fn verify_with_jwks(token: &str, jwks: &Value) -> Result<bool, String> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| "token-header-unreadable".to_string())?;
    let keys = jwks.get("keys").and_then(Value::as_array).ok_or("jwks-without-keys")?;
    let key = keys
        .iter()
        .find(|k| header.kid.is_none() || k.get("kid").and_then(Value::as_str) == header.kid.as_deref())
        .ok_or("no-matching-kid")?;
    let (Some(n), Some(e)) = (key.get("n").and_then(Value::as_str), key.get("e").and_then(Value::as_str)) else {
        return Err("jwks-key-not-rsa".into());
    };
    let decoding = jsonwebtoken::DecodingKey::from_rsa_components(n, e).map_err(|_| "jwks-key-unreadable")?;
    let mut validation = jsonwebtoken::Validation::new(header.alg);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    Ok(jsonwebtoken::decode::<Value>(token, &decoding, &validation).is_ok())
}

fn json_object(part: &str) -> Option<Map<String, Value>> {
    match serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(v: &str) -> String {
        URL_SAFE_NO_PAD.encode(v)
    }

    #[test]
    fn two_dots_do_not_make_a_token() {
        assert_eq!(Jwt::decode("abc.def.ghi").unwrap_err(), NotAJwt::HeaderNotJson);
        assert_eq!(Jwt::decode("a.b").unwrap_err(), NotAJwt::NotThreeParts);
        let header = part(r#"{"alg":"RS256"}"#);
        assert_eq!(Jwt::decode(&format!("{header}.def.c2ln")).unwrap_err(), NotAJwt::ClaimsNotJson);
        let claims = part(r#"{"exp":1}"#);
        assert_eq!(Jwt::decode(&format!("{header}.{claims}.")).unwrap_err(), NotAJwt::NoSignature);
        assert_eq!(Jwt::decode(&format!("{}.{claims}.c2ln", part("{}"))).unwrap_err(), NotAJwt::NoAlgorithm);
        let jwt = Jwt::decode(&format!("{header}.{claims}.c2ln")).unwrap();
        assert_eq!(jwt.claims["exp"], 1);
    }

    #[test]
    fn why_a_signature_could_not_be_checked_is_a_code() {
        let token = format!("{}.{}.c2ln", part(r#"{"alg":"RS256","kid":"k1"}"#), part(r#"{"exp":1}"#));
        let jwks = |keys: &str| serde_json::from_str::<Value>(&format!(r#"{{"keys": {keys}}}"#)).unwrap();
        assert_eq!(verify_with_jwks(&token, &serde_json::json!({})), Err("jwks-without-keys".into()));
        assert_eq!(
            verify_with_jwks(&token, &jwks(r#"[{"kid":"k2","n":"AQAB","e":"AQAB"}]"#)),
            Err("no-matching-kid".into())
        );
        assert_eq!(verify_with_jwks(&token, &jwks(r#"[{"kid":"k1","kty":"EC"}]"#)), Err("jwks-key-not-rsa".into()));
        assert_eq!(verify_with_jwks("x.y.z", &jwks("[]")), Err("token-header-unreadable".into()));
    }
}
