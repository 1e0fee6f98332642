//! `altinn.enterprise-user`: the enterprise user logs in, with one attempt per run (the old guide's path).

use serde::Serialize;
use time::OffsetDateTime;

use super::*;
use crate::altinn::client::{self, Accept};
use crate::altinn::types::*;
use crate::engine::{Diagnosis, Facts, Finding, Status};
use crate::maskinporten::checks::Issued;
use crate::sources::Sources;
use crate::sources::logins::{Attempt, Turn};
use crate::vocab::times::rfc3339;

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum EnterpriseCause {
    LoggedIn {
        user: String,
    },
    /// The same user and password logged in for an earlier profile of the run.
    LoggedInBefore {
        user: String,
        profile: String,
    },
    /// The same user and password were refused for an earlier profile: not sent again.
    RefusedBefore {
        user: String,
        profile: String,
    },
    /// This user's login failed for an earlier profile: another password is not tried,
    /// since a second failure could lock the user out.
    NotRetried {
        user: String,
        profile: String,
    },
    NoUser,
    NoPassword {
        user: String,
    },
    HeaderRejected,
    WrongUserOrPassword {
        user: String,
    },
    LockedOut {
        user: String,
        retry_after: String,
        unlocks: String,
    },
    Backend,
    Gone {
        title: String,
        closed: String,
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

impl Diagnosis for EnterpriseCause {
    fn status(&self) -> Status {
        match self {
            EnterpriseCause::LoggedIn { .. } | EnterpriseCause::LoggedInBefore { .. } => Status::Pass,
            EnterpriseCause::NoUser | EnterpriseCause::NoPassword { .. } => Status::Skip,
            _ => Status::Fail,
        }
    }

    /// A password not sent was not judged.
    fn inconclusive(&self) -> bool {
        matches!(self, EnterpriseCause::NotRetried { .. })
    }
}

/// One attempt, never a retry: Altinn locks an enterprise user after a few failures. A
/// run of several profiles sends each user and password once, and a user whose login
/// failed nothing more (see [`crate::sources::logins`]).
/// Runs the check; hands on EnterpriseToken when it passes.
pub(crate) async fn run(ctx: &Sources, issued: &Issued) -> (Finding, Option<EnterpriseToken>) {
    let mut product = None;
    let finding = judge(ctx, issued, &mut product).await;
    (finding, product)
}

async fn judge(ctx: &Sources, issued: &Issued, product: &mut Option<EnterpriseToken>) -> Finding {
    let a = &ctx.profile.altinn;
    let Some(user) = a.enterprise_user.clone() else { return Finding::of(EnterpriseCause::NoUser) };
    let Some(password) = &ctx.profile.secrets.enterprise_password else {
        return Finding::of(EnterpriseCause::NoPassword { user });
    };
    let platform = client::platform_base(&ctx.profile);
    let attempt = match earlier(ctx.logins.turn(&platform, &user, password).await, &user, product) {
        Ok(attempt) => attempt,
        Err(finding) => return finding,
    };
    let token = &issued.response.access_token;
    let sent = client::exchange(&ctx.http, &platform, token, Some((&user, password)), Accept::HalJson).await;
    let answer = match sent {
        Ok(a) => a,
        Err(e) => {
            attempt.record(None, ctx.profile.name.clone());
            return Finding::of(e);
        }
    };
    let logged_in = (answer.status == 200).then(|| client::token_of(&answer.body)).flatten();
    attempt.record(logged_in, ctx.profile.name.clone());
    let mut facts = Facts::new();
    facts.put("enterprise_user", user.clone()).put("login_status", answer.status).put("login_attempts", 1);
    let problem = client::problem(&answer).unwrap_or_default();
    facts.put_opt("trace_id", problem.trace_id.clone());
    let cause = match answer.status {
        200 => match client::token_of(&answer.body) {
            Some(t) => {
                facts.extend(&altinn_facts(&t, Holder::EnterpriseUser));
                *product = Some(EnterpriseToken(t));
                EnterpriseCause::LoggedIn { user }
            }
            None => EnterpriseCause::NotAToken {
                content_type: answer.content_type.clone(),
                first_bytes: answer.first_bytes(),
            },
        },
        400 => EnterpriseCause::HeaderRejected,
        401 => EnterpriseCause::WrongUserOrPassword { user },
        429 => locked_out(user, answer.retry_after.clone()),
        502 => EnterpriseCause::Backend,
        410 => EnterpriseCause::Gone {
            title: problem.title.unwrap_or_else(|| GONE_TITLE.into()),
            closed: ALTINN2_CLOSED.into(),
        },
        status => {
            EnterpriseCause::Unexpected { status, detail: problem.detail.unwrap_or_else(|| answer.reason_text()) }
        }
    };
    Finding::of(cause).with(facts)
}

/// What the run's earlier logins decide: send this one, or judge from them unsent.
fn earlier(turn: Turn, user: &str, product: &mut Option<EnterpriseToken>) -> Result<Attempt, Finding> {
    let user = user.to_string();
    match turn {
        Turn::Go(attempt) => Ok(attempt),
        Turn::LoggedInBefore { profile, token } => {
            *product = Some(EnterpriseToken(token));
            let facts = sent_none(&user);
            Err(Finding::of(EnterpriseCause::LoggedInBefore { user, profile: profile.unwrap_or_default() }).with(facts))
        }
        Turn::FailedBefore { profile, same_password } => {
            let facts = sent_none(&user);
            let profile = profile.unwrap_or_default();
            let cause = if same_password {
                EnterpriseCause::RefusedBefore { user, profile }
            } else {
                EnterpriseCause::NotRetried { user, profile }
            };
            Err(Finding::of(cause).with(facts))
        }
    }
}

/// A locked user, and when Altinn says the lock lifts (`Retry-After` in seconds; an hour
/// when it says nothing).
fn locked_out(user: String, retry_after: Option<String>) -> EnterpriseCause {
    let retry_after = retry_after.unwrap_or_else(|| "3600".into());
    let unlocks = retry_after
        .parse::<i64>()
        .ok()
        .and_then(|s| OffsetDateTime::now_utc().checked_add(time::Duration::seconds(s)))
        .map(rfc3339)
        .unwrap_or_else(|| retry_after.clone());
    EnterpriseCause::LockedOut { user, retry_after, unlocks }
}

/// The facts of a login not sent: the user, and no attempt.
fn sent_none(user: &str) -> Facts {
    let mut facts = Facts::new();
    facts.put("enterprise_user", user.to_string()).put("login_attempts", 0);
    facts
}
