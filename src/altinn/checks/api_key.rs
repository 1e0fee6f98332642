//! `altinn.api-key`: the Altinn 2 API key is accepted (the old guide's path).

use serde::Serialize;
use serde_json::Value;

use super::*;
use crate::altinn::client::{self, Answer};
use crate::altinn::types::*;
use crate::engine::{Diagnosis, Facts, Finding, Status};
use crate::sources::Sources;

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum ApiKeyCause {
    Valid { reportees: usize },
    NoApiKey,
    HeaderMissing { reason: String },
    NotAuthorized { reason: String, operation: String },
    UnknownKey { reason: String },
    NoOrganisation { reason: String },
    Altinn2Gone { status: u16, closed: String },
    Unexpected { status: u16, reason: String },
}

impl Diagnosis for ApiKeyCause {
    fn status(&self) -> Status {
        match self {
            ApiKeyCause::Valid { .. } => Status::Pass,
            ApiKeyCause::NoApiKey => Status::Skip,
            _ => Status::Fail,
        }
    }
}

pub(crate) async fn run(ctx: &Sources, org_token: &OrgToken) -> Finding {
    let Some(key) = &ctx.profile.secrets.api_key else { return Finding::of(ApiKeyCause::NoApiKey) };
    let OrgToken(token) = org_token;
    let answer = match client::reportees(&ctx.http1, &ctx.profile, token, key).await {
        Ok(a) => a,
        Err(e) => return Finding::of(e),
    };
    let mut facts = Facts::new();
    facts.put("api_url", answer.url.clone()).put("api_status", answer.status).put("api_reason", answer.reason_text());
    Finding::of(api_key_cause(&answer, "Organization.read")).with(facts)
}

/// Reads an Altinn 2 answer by status and reason phrase.
fn api_key_cause(a: &Answer, operation: &str) -> ApiKeyCause {
    let reason = a.reason_text();
    match a.status {
        _ if altinn2_gone(a) => ApiKeyCause::Altinn2Gone { status: a.status, closed: ALTINN2_CLOSED.into() },
        200 => {
            let body: Value = a.json().unwrap_or(Value::Null);
            let reportees = body["_embedded"]["reportees"].as_array().map(Vec::len).unwrap_or(0);
            ApiKeyCause::Valid { reportees }
        }
        400 if reason.contains("ApiKey") => ApiKeyCause::HeaderMissing { reason },
        403 if reason.contains("not authorized for this operation") => {
            ApiKeyCause::NotAuthorized { reason, operation: operation.into() }
        }
        403 => ApiKeyCause::UnknownKey { reason },
        401 => ApiKeyCause::NoOrganisation { reason },
        status => ApiKeyCause::Unexpected { status, reason },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, content_type: &str, reason: Option<&str>) -> Answer {
        Answer {
            url: "https://tt02.altinn.no/api/reportees".into(),
            status,
            reason: reason.map(str::to_string),
            content_type: content_type.into(),
            retry_after: None,
            location: None,
            date: None,
            received: OffsetDateTime::UNIX_EPOCH,
            body: Vec::new(),
        }
    }

    fn code(a: &Answer) -> String {
        Finding::of(api_key_cause(a, "Organization.read")).cause.code
    }

    #[test]
    fn every_sign_of_the_shutdown_is_the_shutdown_never_a_bad_key() {
        for a in [
            answer(410, "text/html", None),
            answer(404, "text/html", None),
            answer(302, "", None),
            answer(301, "", None),
            answer(200, "text/html; charset=utf-8", None),
        ] {
            assert_eq!(code(&a), "altinn2-gone", "{} {}", a.status, a.content_type);
        }
    }

    #[test]
    fn reason_phrases_tell_the_key_problems_apart() {
        assert_eq!(code(&answer(400, "", Some(REASON_APIKEY_MISSING))), "header-missing");
        assert_eq!(code(&answer(403, "", Some(REASON_APIKEY_NOT_AUTHORIZED))), "not-authorized");
        assert_eq!(code(&answer(403, "", Some("Forbidden"))), "unknown-key");
        assert_eq!(code(&answer(401, "", Some(REASON_NO_ORG))), "no-organisation");
        assert_eq!(code(&answer(200, "application/hal+json", None)), "valid");
    }
}
