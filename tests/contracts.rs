//! The client's parsers on the services' own answers (tests/contracts/, copied from the
//! shared contract examples, each with its source there): what the doctor relies on must
//! read the real shapes, not only the simulator's.

use altinn_doctor::altinn::client::token_of;
use altinn_doctor::maskinporten::client::peek_claims;
use altinn_doctor::maskinporten::types::{AccessTokenClaims, ErrorResponse, Metadata, TokenResponse};

fn example(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/contracts/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn maskinporten_metadata_token_and_errors_parse() {
    let m: Metadata = serde_json::from_str(&example("01-mp-well-known.json")).unwrap();
    assert_eq!(m.issuer, "https://test.maskinporten.no/");
    let t: TokenResponse = serde_json::from_str(&example("07-mp-token-200.json")).unwrap();
    let claims: AccessTokenClaims = peek_claims(t.access_token.expose()).expect("a real token is a token");
    assert_eq!(claims.consumer.orgno(), Some("310547891"));
    for name in ["08-mp-token-400-MP-100.json", "09-mp-token-400-MP-130-expired.json", "13-mp-token-400-MP-303.json"] {
        let e: ErrorResponse = serde_json::from_str(&example(name)).unwrap();
        assert!(!e.error.is_empty(), "{name}");
    }
}

#[test]
fn access_token_claims_of_every_variant_parse() {
    for name in [
        "14-mp-claims-plain-org.json",
        "15-mp-claims-systemuser.json",
        "16-mp-claims-systemuser-agent.json",
        "17-mp-claims-supplier.json",
    ] {
        let c: Result<AccessTokenClaims, _> = serde_json::from_str(&example(name));
        assert!(c.is_ok(), "{name}: {c:?}");
    }
}

#[test]
fn the_real_exchange_answer_is_a_token_and_its_claims_read() {
    let jwt: String = serde_json::from_str(&example("19-altinn-exchange-200.json")).unwrap();
    let token = token_of(example("19-altinn-exchange-200.json").as_bytes()).expect("the JSON string form");
    assert_eq!(token.expose(), jwt);
    assert!(token_of(jwt.as_bytes()).is_some(), "the raw form");
    let claims: serde_json::Value = peek_claims(&jwt).unwrap();
    assert_eq!(claims["urn:altinn:orgNumber"], "310547891");
    assert!(claims["authorization_details"].is_object(), "one object after the exchange");
}
