//! The doctor's Altinn client: the token exchange, the Altinn 2 API, system-user look-ups.

use super::types::{ENTERPRISE_USER_HEADER, EXCHANGE_PATH, ProblemDetails};
use crate::config::{Environment, Profile, Secret};
use crate::http::{Http, MAX_JSON, NetError, Reply};

/// The platform's base URL (exchange, system users, access management).
pub fn platform_base(profile: &Profile) -> String {
    profile.altinn.platform_url.clone().unwrap_or_else(|| {
        match profile.env {
            Environment::Test => "https://platform.tt02.altinn.no",
            Environment::Prod => "https://platform.altinn.no",
        }
        .into()
    })
}

/// The Altinn 2 API's base URL (historical).
pub fn altinn2_base(profile: &Profile) -> String {
    profile.altinn.altinn_url.clone().unwrap_or_else(|| {
        match profile.env {
            Environment::Test => "https://tt02.altinn.no",
            Environment::Prod => "https://www.altinn.no",
        }
        .into()
    })
}

/// An answer whose body the checks read themselves.
pub type Answer = Reply;

/// A ProblemDetails body, when the answer is one.
pub fn problem(a: &Answer) -> Option<ProblemDetails> {
    serde_json::from_slice(&a.body).ok()
}

/// How the exchange should answer: a raw JWT, or a JSON string literal.
#[derive(Debug, Clone, Copy)]
pub enum Accept {
    Text,
    /// `application/hal+json`, as the guide's sample client asked.
    HalJson,
}

/// GETs the exchange with a Maskinporten token, optionally as an enterprise user.
pub async fn exchange(
    http: &Http,
    platform: &str,
    maskinporten_token: &Secret,
    enterprise_user: Option<(&str, &Secret)>,
    accept: Accept,
) -> Result<Answer, NetError> {
    use base64::Engine;
    let url = format!("{platform}{EXCHANGE_PATH}");
    let mut request = http.get(&url).bearer_auth(maskinporten_token.expose()).header(
        "accept",
        match accept {
            Accept::Text => "text/plain",
            Accept::HalJson => "application/hal+json",
        },
    );
    if let Some((user, password)) = enterprise_user {
        let credentials = format!("{user}:{}", password.expose());
        request = request.header(ENTERPRISE_USER_HEADER, base64::engine::general_purpose::STANDARD.encode(credentials));
    }
    match enterprise_user {
        // The enterprise user's answers (429 lock-out, 502 backend) are the check's to read.
        Some(_) => crate::http::not_redirected(http.send_raw(request, &url, MAX_JSON).await?),
        None => service_answer(http.send(request, &url, MAX_JSON).await?),
    }
}

/// A 5xx is the service's fault, never the credential's.
pub fn service_answer(a: Answer) -> Result<Answer, NetError> {
    match a.status {
        500..=599 => Err(NetError::ServerError { url: a.url, status: a.status }),
        _ => Ok(a),
    }
}

/// The Altinn token in an exchange answer: a raw JWT or a JSON string; either way
/// trimmed and unquoted, and only when it decodes as a JWT whose claims are a JSON
/// object with an `exp` (what the doctor reads of it).
pub fn token_of(body: &[u8]) -> Option<Secret> {
    let text = std::str::from_utf8(body).ok()?.trim();
    let token = match serde_json::from_str::<String>(text) {
        Ok(s) => s,
        Err(_) => text.trim_matches('"').to_string(),
    };
    crate::jwt::Jwt::decode(&token).ok().filter(|jwt| jwt.claims.get("exp").is_some_and(|e| e.is_i64()))?;
    Some(Secret::new(token))
}

/// GET with a bearer token (and an API key, for Altinn 2).
pub async fn get(
    http: &Http,
    url: &str,
    bearer: Option<&Secret>,
    api_key: Option<&Secret>,
    accept: &str,
) -> Result<Answer, NetError> {
    let mut request = http.get(url).header("accept", accept);
    if let Some(token) = bearer {
        request = request.bearer_auth(token.expose());
    }
    if let Some(key) = api_key {
        request = request.header("ApiKey", key.expose());
    }
    http.send(request, url, MAX_JSON).await
}

/// As [`get`], but a redirect is an answer (Altinn 2's shutdown shows as one); it is
/// still never followed.
pub async fn get_altinn2(
    http: &Http,
    url: &str,
    bearer: Option<&Secret>,
    api_key: Option<&Secret>,
) -> Result<Answer, NetError> {
    let mut request = http.get(url).header("accept", "application/hal+json");
    if let Some(token) = bearer {
        request = request.bearer_auth(token.expose());
    }
    if let Some(key) = api_key {
        request = request.header("ApiKey", key.expose());
    }
    http.send_raw(request, url, MAX_JSON).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_answer_raw_or_json_string() {
        // The exchange's real answer (CONTRACTS.md example 19): a JSON string.
        let example = include_str!("../../tests/contracts/19-altinn-exchange-200.json");
        let jwt: String = serde_json::from_str(example).unwrap();
        for body in [jwt.clone(), format!("\"{jwt}\""), format!("  \"{jwt}\"\n"), format!("{jwt}\r\n")] {
            assert_eq!(token_of(body.as_bytes()).unwrap().expose(), jwt, "{body:?}");
        }
        assert!(token_of(b"<html>").is_none());
        assert!(token_of(b"abc.def.ghi").is_none(), "two dots do not make a token");
        assert!(token_of(b"\"abc.def.ghi\"").is_none());
    }
}
