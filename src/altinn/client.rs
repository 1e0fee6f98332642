//! The doctor's Altinn client: the token exchange, the Altinn 2 API, system-user look-ups.

use serde::de::DeserializeOwned;

use super::types::{ENTERPRISE_USER_HEADER, EXCHANGE_PATH, ProblemDetails};
use crate::config::{Environment, Profile, Secret};
use crate::maskinporten::client::NetError;

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
#[derive(Debug, Clone)]
pub struct Answer {
    pub url: String,
    pub status: u16,
    /// The HTTP/1.1 reason phrase, when the server sent its own.
    pub reason: Option<String>,
    pub content_type: String,
    pub retry_after: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn problem(&self) -> Option<ProblemDetails> {
        serde_json::from_slice(&self.body).ok()
    }

    pub fn json<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The reason phrase, or the status' canonical one.
    pub fn reason_text(&self) -> String {
        self.reason.clone().unwrap_or_else(|| {
            reqwest::StatusCode::from_u16(self.status).ok().and_then(|s| s.canonical_reason()).unwrap_or("").to_string()
        })
    }
}

async fn read(url: &str, response: reqwest::Response) -> Result<Answer, NetError> {
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let status = response.status().as_u16();
    let reason = response
        .extensions()
        .get::<hyper::ext::ReasonPhrase>()
        .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned());
    let content_type = header("content-type").unwrap_or_default();
    let retry_after = header("retry-after");
    let location = header("location");
    let body = response
        .bytes()
        .await
        .map_err(|e| NetError::Unreachable { url: url.into(), reason: crate::http::reason(&e) })?;
    Ok(Answer { url: url.into(), status, reason, content_type, retry_after, location, body: body.to_vec() })
}

fn net(url: &str, e: &reqwest::Error) -> NetError {
    let reason = crate::http::reason(e);
    if e.is_timeout() {
        NetError::Timeout { url: url.into() }
    } else if reason.to_ascii_lowercase().contains("certificate") {
        NetError::Tls { url: url.into(), reason }
    } else {
        NetError::Unreachable { url: url.into(), reason }
    }
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
    http: &reqwest::Client,
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
    let response = request.send().await.map_err(|e| net(&url, &e))?;
    read(&url, response).await
}

/// The Altinn token in an exchange answer: a raw JWT or a JSON string; either way
/// trimmed and unquoted.
pub fn token_of(body: &[u8]) -> Option<Secret> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let token = match serde_json::from_str::<String>(text) {
        Ok(s) => s,
        Err(_) => text.trim_matches('"').to_string(),
    };
    (token.split('.').count() == 3).then(|| Secret::new(token))
}

/// GET with a bearer token (and an API key, for Altinn 2).
pub async fn get(
    http: &reqwest::Client,
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
    let response = request.send().await.map_err(|e| net(url, &e))?;
    read(url, response).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_answer_raw_or_json_string() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.c2ln";
        for body in [jwt.to_string(), format!("\"{jwt}\""), format!("  \"{jwt}\"\n"), format!("{jwt}\r\n")] {
            assert_eq!(token_of(body.as_bytes()).unwrap().expose(), jwt, "{body:?}");
        }
        assert!(token_of(b"<html>").is_none());
    }
}
