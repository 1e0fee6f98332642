//! `cert.validity`: the certificate is valid at the time judged, and for how long.

use serde::Serialize;

use super::*;
use crate::engine::{Diagnosis, Facts, Finding, Status};
use crate::vocab::times::{date, rfc3339};

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum ValidityCause {
    Valid { not_after: String, days_left: i64 },
    ExpiresSoon { not_after: String, days_left: i64 },
    ExpiresUrgently { not_after: String, days_left: i64 },
    Expired { not_after: String, days_ago: i64 },
    NotYetValid { not_before: String, days_until: i64 },
}

impl Diagnosis for ValidityCause {
    fn status(&self) -> Status {
        match self {
            ValidityCause::Valid { .. } => Status::Pass,
            ValidityCause::ExpiresSoon { .. } | ValidityCause::ExpiresUrgently { .. } => Status::Warn,
            ValidityCause::Expired { .. } | ValidityCause::NotYetValid { .. } => Status::Fail,
        }
    }
}

pub(crate) fn run(ctx: &Input<'_>) -> Finding {
    with_material(ctx, |m| {
        let c = &m.leaf.facts;
        let at = ctx.profile.at;
        let mut facts = Facts::new();
        facts.put("not_before", rfc3339(c.not_before)).put("not_after", rfc3339(c.not_after));
        if ctx.profile.at_given {
            facts.put("at", rfc3339(at));
        }
        let not_after = date(c.not_after);
        let cause = if at < c.not_before {
            ValidityCause::NotYetValid { not_before: rfc3339(c.not_before), days_until: ceil_days(c.not_before - at) }
        } else if at > c.not_after {
            ValidityCause::Expired { not_after, days_ago: (at - c.not_after).whole_days() }
        } else {
            let days_left = (c.not_after - at).whole_days();
            facts.put("days_left", days_left);
            let warn = &ctx.profile.expiry_warn_days;
            let urgent = warn.last().copied().unwrap_or(0) as i64;
            let early = warn.first().copied().unwrap_or(0) as i64;
            if warn.len() > 1 && days_left <= urgent {
                ValidityCause::ExpiresUrgently { not_after, days_left }
            } else if days_left <= early {
                ValidityCause::ExpiresSoon { not_after, days_left }
            } else {
                ValidityCause::Valid { not_after, days_left }
            }
        };
        Finding::of(cause).with(facts)
    })
}

fn ceil_days(d: time::Duration) -> i64 {
    let days = d.whole_days();
    if d > time::Duration::days(days) { days + 1 } else { days }
}
