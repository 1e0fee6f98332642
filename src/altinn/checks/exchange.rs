//! `altinn.exchange`: Altinn exchanges the organisation's Maskinporten token for its own.

use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

use super::*;
use crate::altinn::client::{self, Accept, Answer};
use crate::engine::{Diagnosis, Facts, Finding, Status};
use crate::maskinporten::checks::Issued;
use crate::maskinporten::client as mp;
use crate::maskinporten::types::AccessTokenClaims;
use crate::sources::Sources;
use crate::vocab::Secret;

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum ExchangeCause {
    Exchanged {
        org: String,
        method: String,
    },
    /// 401 where the Maskinporten token's own claims show why.
    UnauthorizedExpired {
        trace_id: String,
    },
    UnauthorizedIssuer {
        issuer: String,
        trace_id: String,
    },
    UnauthorizedConsumer {
        consumer: String,
        trace_id: String,
    },
    /// 401 with nothing more to go on: the causes in the platform's order.
    Unauthorized {
        env: String,
        trace_id: String,
    },
    Unexpected {
        status: u16,
        detail: String,
    },
    NotAToken {
        content_type: String,
        first_bytes: String,
    },
}

impl Diagnosis for ExchangeCause {
    fn status(&self) -> Status {
        match self {
            ExchangeCause::Exchanged { .. } => Status::Pass,
            _ => Status::Fail,
        }
    }
}

fn trace_of(a: &Answer) -> String {
    client::problem(a).and_then(|p| p.trace_id).unwrap_or_else(|| "(none given)".into())
}

/// Runs the check; hands on OrgToken when it passes.
pub(crate) async fn run(ctx: &Sources, issued: &Issued) -> (Finding, Option<OrgToken>) {
    let mut product = None;
    let finding = judge(ctx, issued, &mut product).await;
    (finding, product)
}

async fn judge(ctx: &Sources, issued: &Issued, product: &mut Option<OrgToken>) -> Finding {
    let platform = client::platform_base(&ctx.profile);
    let token = &issued.response.access_token;
    let answer = match client::exchange(&ctx.http, &platform, token, None, Accept::Text).await {
        Ok(a) => a,
        Err(e) => return Finding::of(e),
    };
    let mut facts = Facts::new();
    facts.put("exchange_url", answer.url.clone()).put("exchange_status", answer.status);
    if answer.status == 401 {
        return Finding::of(unauthorized(ctx, token, trace_of(&answer))).with(facts);
    }
    if answer.status != 200 {
        return Finding::of(ExchangeCause::Unexpected { status: answer.status, detail: client::said(&answer) })
            .with(facts);
    }
    let Some(altinn) = client::token_of(&answer.body) else {
        return Finding::of(ExchangeCause::NotAToken {
            content_type: answer.content_type.clone(),
            first_bytes: answer.first_bytes(),
        })
        .with(facts);
    };
    facts.extend(&altinn_facts(&altinn, Holder::Org));
    let str_fact = |k: &str| facts.get(k).and_then(Value::as_str).unwrap_or("?").to_string();
    let cause = ExchangeCause::Exchanged { org: str_fact("altinn_org"), method: str_fact("altinn_auth_method") };
    *product = Some(OrgToken(altinn));
    // Altinn exchanges only a token whose Maskinporten signature it verified.
    Finding::of(cause).with(facts).proving(&[crate::maskinporten::checks::TOKEN_CLAIMS])
}

/// A 401 from the exchange is opaque: the Maskinporten token's claims tell which of the
/// platform's checks (in its order) most likely failed.
fn unauthorized(ctx: &Sources, token: &Secret, trace_id: String) -> ExchangeCause {
    let claims = mp::peek_claims::<AccessTokenClaims>(token.expose());
    let env = ctx.profile.env.as_str().to_string();
    let Some(c) = claims else { return ExchangeCause::Unauthorized { env, trace_id } };
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let documented = mp::documented_issuer(ctx.profile.env);
    if c.exp + 10 < now {
        ExchangeCause::UnauthorizedExpired { trace_id }
    } else if c.iss != documented {
        ExchangeCause::UnauthorizedIssuer { issuer: c.iss, trace_id }
    } else if !c.consumer.id.starts_with("0192:") {
        ExchangeCause::UnauthorizedConsumer { consumer: c.consumer.id, trace_id }
    } else {
        ExchangeCause::Unauthorized { env, trace_id }
    }
}
