//! Maskinporten's answers: the metadata, a token answer and its JWT, an error answer and
//! the reading of its MP code and text; and any token `inspect` is given.
#![no_main]

use altinn_doctor::maskinporten::client::peek_claims;
use altinn_doctor::maskinporten::errors;
use altinn_doctor::maskinporten::types::{AccessTokenClaims, ErrorResponse, Metadata, TokenResponse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<Metadata>(data);
    if let Ok(token) = serde_json::from_slice::<TokenResponse>(data) {
        let _ = peek_claims::<AccessTokenClaims>(token.access_token.expose());
    }
    if let Ok(error) = serde_json::from_slice::<ErrorResponse>(data) {
        let _ = errors::read(&error);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = peek_claims::<AccessTokenClaims>(text);
        let cleaned = altinn_doctor::inspect::clean(text);
        if let Ok(jwt) = altinn_doctor::jwt::Jwt::decode(&cleaned) {
            let _ = altinn_doctor::inspect::explain(&jwt, time::OffsetDateTime::UNIX_EPOCH);
        }
    }
});
