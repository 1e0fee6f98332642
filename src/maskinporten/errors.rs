//! Maskinporten's error catalogue as data: an answer's code and text to a typed cause.
//!
//! Matching uses the MP code (at the end of `error_uri`, or anywhere in
//! `error_description`), then the text, most specific entry first: the real MP-110, 120
//! and 121 texts start "Invalid assertion. Client authentication failed." like MP-100's,
//! so the longer text decides. An `error` of `invalid_altinn_customer_configuration` is
//! MP-303. An answer that matches nothing is shown verbatim.

use serde::Serialize;

use super::types::{ErrorResponse, MpCode};

/// What an error answer means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MpCause {
    GrantMalformed,
    GrantReused,
    ClientAuthenticationFailed,
    ClientNotFound,
    WrongAudience,
    InvalidCertificate,
    ExpiredKey,
    UnknownKid,
    KeyRequired,
    OrgMismatch,
    X5cNotArray,
    BadSignature,
    GrantExpired,
    IssuedInFuture,
    LifetimeTooLong,
    ConsumerOrgIsSelf,
    ScopeNotOnClient,
    ScopeWrongIntegration,
    ScopeNotGranted,
    DelegationMissing,
    UnknownDetailsType,
    UnknownDetailsFields,
    InvalidDetailsValues,
}

/// One catalogue entry: the code (if any), the `error`, and the description's prefix
/// after any leading `Invalid assertion. ` / `Invalid JWT. `.
struct Entry {
    code: Option<MpCode>,
    prefix: &'static str,
    cause: MpCause,
}

const CATALOGUE: &[Entry] = &[
    Entry { code: Some(MpCode::Mp011), prefix: "Invalid parameter value", cause: MpCause::GrantMalformed },
    Entry { code: Some(MpCode::Mp012), prefix: "Grant is used before", cause: MpCause::GrantReused },
    Entry {
        code: Some(MpCode::Mp100),
        prefix: "Client authentication failed",
        cause: MpCause::ClientAuthenticationFailed,
    },
    Entry { code: Some(MpCode::Mp100), prefix: "Client not found", cause: MpCause::ClientNotFound },
    Entry { code: Some(MpCode::Mp110), prefix: "Invalid JWT claim aud", cause: MpCause::WrongAudience },
    Entry {
        code: Some(MpCode::Mp120),
        prefix: "The JWT is signed with an invalid certificate",
        cause: MpCause::InvalidCertificate,
    },
    Entry { code: Some(MpCode::Mp121), prefix: "Expired key", cause: MpCause::ExpiredKey },
    Entry { code: None, prefix: "Unknown key identifier (kid) for client", cause: MpCause::UnknownKid },
    Entry {
        code: None,
        prefix: "The client requires pre-registered jwk and no key identifier (kid) provided",
        cause: MpCause::KeyRequired,
    },
    Entry { code: Some(MpCode::Mp122), prefix: "Invalid organization number for client", cause: MpCause::OrgMismatch },
    Entry { code: Some(MpCode::Mp123), prefix: "Invalid JWT header x5c", cause: MpCause::X5cNotArray },
    Entry { code: Some(MpCode::Mp124), prefix: "Invalid JWT signature", cause: MpCause::BadSignature },
    Entry { code: Some(MpCode::Mp130), prefix: "JWT is expired", cause: MpCause::GrantExpired },
    Entry { code: None, prefix: "Issue time is after now", cause: MpCause::IssuedInFuture },
    Entry { code: None, prefix: "JWT has too long lifetime", cause: MpCause::LifetimeTooLong },
    Entry {
        code: None,
        prefix: "Validation of JWT claim failed: The combination consumer_org in claim and delegation scope",
        cause: MpCause::ConsumerOrgIsSelf,
    },
    Entry {
        code: Some(MpCode::Mp200),
        prefix: "Token request contains invalid scopes for client",
        cause: MpCause::ScopeNotOnClient,
    },
    Entry {
        code: Some(MpCode::Mp201),
        prefix: "Token request contains scopes not allowed for maskinporten",
        cause: MpCause::ScopeWrongIntegration,
    },
    Entry {
        code: Some(MpCode::Mp250),
        prefix: "Consumer has not been granted access to the scope",
        cause: MpCause::ScopeNotGranted,
    },
    Entry {
        code: Some(MpCode::Mp251),
        prefix: "has not delegated access to the scope",
        cause: MpCause::DelegationMissing,
    },
    Entry {
        code: Some(MpCode::Mp301),
        prefix: "Unknown authorization details type",
        cause: MpCause::UnknownDetailsType,
    },
    Entry {
        code: Some(MpCode::Mp302),
        prefix: "Unknown fields in the authorization details",
        cause: MpCause::UnknownDetailsFields,
    },
    Entry {
        code: Some(MpCode::Mp303),
        prefix: "Invalid authorization details values",
        cause: MpCause::InvalidDetailsValues,
    },
];

/// An error answer taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub cause: Option<MpCause>,
    pub(crate) code: Option<MpCode>,
    /// The description without its trace id.
    pub(crate) description: String,
    pub trace_id: Option<String>,
}

/// The `error` Maskinporten gives MP-303 (CONTRACTS.md §1.5).
pub(crate) const CUSTOMER_CONFIGURATION_ERROR: &str = "invalid_altinn_customer_configuration";

/// Splits `… (trace_id: X)` or `… (correlation id: X)` into the text and the id.
pub(crate) fn split_trace_id(description: &str) -> (String, Option<String>) {
    for marker in ["(trace_id:", "(correlation id:", "(correlation_id:"] {
        if let Some(start) = description.rfind(marker) {
            let id = description[start + marker.len()..].trim().trim_end_matches(')').trim().to_string();
            return (description[..start].trim_end().to_string(), Some(id));
        }
    }
    (description.trim().to_string(), None)
}

/// The MP code at the end of an `error_uri`.
fn code_of(uri: Option<&str>) -> Option<MpCode> {
    let uri = uri?;
    MpCode::parse(uri.rsplit('/').next()?)
}

/// The first `MP-nnn` anywhere in a text.
fn code_in(text: &str) -> Option<MpCode> {
    text.match_indices("MP-").find_map(|(i, _)| text.get(i..i + 6).and_then(MpCode::parse))
}

/// The catalogue entry whose text the description holds, the most specific first: the
/// one found last (a real text adds its detail after the opening it shares with MP-100),
/// then the longest.
fn by_text<'a>(entries: impl Iterator<Item = &'a Entry>, text: &str) -> Option<&'a Entry> {
    entries
        .filter_map(|e| text.find(e.prefix).map(|at| (at, e.prefix.len(), e)))
        .max_by_key(|(at, len, _)| (*at, *len))
        .map(|(_, _, e)| e)
}

/// Reads an error answer against the catalogue.
pub fn read(answer: &ErrorResponse) -> Reading {
    let (description, trace_id) = split_trace_id(answer.error_description.as_deref().unwrap_or_default());
    let code = code_of(answer.error_uri.as_deref())
        .or_else(|| code_in(&description))
        .or_else(|| (answer.error == CUSTOMER_CONFIGURATION_ERROR).then_some(MpCode::Mp303));
    let cause = match code {
        Some(c) => {
            let same_code = || CATALOGUE.iter().filter(move |e| e.code == Some(c));
            by_text(same_code(), &description).or_else(|| same_code().next()).map(|e| e.cause)
        }
        // RFC 6749's `invalid_client` with no code or known text: the client ID is unknown
        // (in this environment).
        None => by_text(CATALOGUE.iter(), &description)
            .map(|e| e.cause)
            .or_else(|| (answer.error == "invalid_client").then_some(MpCause::ClientNotFound)),
    };
    Reading { cause, code: code.or_else(|| cause.and_then(code_for)), description, trace_id }
}

fn code_for(cause: MpCause) -> Option<MpCode> {
    CATALOGUE.iter().find(|e| e.cause == cause).and_then(|e| e.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(uri: Option<&str>, description: &str) -> ErrorResponse {
        ErrorResponse {
            error: "invalid_grant".into(),
            error_description: Some(description.into()),
            error_uri: uri.map(str::to_string),
        }
    }

    #[test]
    fn invalid_client_without_a_code_is_the_client_id() {
        let r = read(&ErrorResponse {
            error: "invalid_client".into(),
            error_description: Some("unknown client id".into()),
            error_uri: None,
        });
        assert_eq!((r.cause, r.code), (Some(MpCause::ClientNotFound), Some(MpCode::Mp100)));
    }

    #[test]
    fn both_mp100_texts_and_trace_ids() {
        let r = read(&answer(
            Some("https://test.maskinporten.no/errors/MP-100"),
            "Invalid assertion. Client not found (trace_id: abc123)",
        ));
        assert_eq!((r.cause, r.trace_id.as_deref()), (Some(MpCause::ClientNotFound), Some("abc123")));
        let r = read(&answer(None, "Invalid assertion. Client authentication failed. (correlation id: 9f)"));
        assert_eq!(
            (r.cause, r.code, r.trace_id.as_deref()),
            (Some(MpCause::ClientAuthenticationFailed), Some(MpCode::Mp100), Some("9f"))
        );
        let r = read(&answer(None, "Something new entirely (trace_id: x)"));
        assert_eq!(r.cause, None);
        assert_eq!(r.description, "Something new entirely");
    }

    #[test]
    fn the_most_specific_text_wins_and_codes_are_found_anywhere() {
        // Real texts share MP-100's opening; without a code the longer text decides.
        for (text, cause) in [
            ("Invalid assertion. Client authentication failed. Invalid JWT claim aud", MpCause::WrongAudience),
            (
                "Invalid assertion. Client authentication failed. The JWT is signed with an invalid certificate.",
                MpCause::InvalidCertificate,
            ),
            ("Invalid assertion. Client authentication failed. Expired key", MpCause::ExpiredKey),
            ("Invalid assertion. Client authentication failed.", MpCause::ClientAuthenticationFailed),
        ] {
            assert_eq!(read(&answer(None, text)).cause, Some(cause), "{text}");
        }
        let r = read(&answer(None, "MP-110: Invalid assertion. Client authentication failed. Invalid JWT claim aud"));
        assert_eq!((r.code, r.cause), (Some(MpCode::Mp110), Some(MpCause::WrongAudience)));
        let r = read(&ErrorResponse {
            error: CUSTOMER_CONFIGURATION_ERROR.into(),
            error_description: Some("Something about the customer".into()),
            error_uri: None,
        });
        assert_eq!((r.code, r.cause), (Some(MpCode::Mp303), Some(MpCause::InvalidDetailsValues)));
        let r =
            read(&answer(None, "Consumer 310123455 has not delegated access to the scope a:b to supplier 974760673"));
        assert_eq!(r.cause, Some(MpCause::DelegationMissing));
    }

    #[test]
    fn the_contract_examples_read_as_their_codes() {
        for (file, cause) in [
            ("08-mp-token-400-MP-100.json", MpCause::ClientAuthenticationFailed),
            ("11-mp-token-400-MP-200-scope.json", MpCause::ScopeNotOnClient),
            ("13-mp-token-400-MP-303.json", MpCause::InvalidDetailsValues),
        ] {
            let path = format!("{}/tests/contracts/{file}", env!("CARGO_MANIFEST_DIR"));
            let body: ErrorResponse = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            assert_eq!(read(&body).cause, Some(cause), "{file}");
        }
    }
}
