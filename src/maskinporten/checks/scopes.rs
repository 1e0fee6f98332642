//! `mp.scopes`: each scope the profile asks for is, in Digdir's public scope catalogue,
//! active, for Maskinporten, and delegable when the grant acts for a customer; read
//! before the token request, so that a refusal can name the scope's owner.

use serde::Serialize;
use serde_json::json;

use crate::engine::{Diagnosis, Facts, Finding, Status};
use crate::maskinporten::client;
use crate::maskinporten::types::ScopeInfo;
use crate::sources::Sources;

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum ScopesCause {
    /// Every scope is listed, active and for Maskinporten.
    Known {
        count: usize,
        open: String,
        owned: String,
    },
    /// As `Known`, and a scope caps the token's lifetime (`at_max_age`: the lowest wins).
    KnownLifetime {
        count: usize,
        open: String,
        owned: String,
        seconds: u64,
        capped_by: String,
    },
    NoScope,
    /// A Maskinporten of its own (a simulator) and no catalogue named for it.
    NoCatalogue,
    Inactive {
        scope: String,
        owner: String,
    },
    WrongIntegration {
        scope: String,
        types: String,
    },
    /// `consumer_org` is asked for, and the scope names no delegation source.
    NotDelegable {
        scope: String,
        owner: String,
        consumer_org: String,
    },
    /// Not in the public catalogue: private, or misspelt. Proves nothing either way.
    NotListed {
        scopes: String,
    },
}

impl Diagnosis for ScopesCause {
    fn status(&self) -> Status {
        match self {
            ScopesCause::Known { .. } | ScopesCause::KnownLifetime { .. } => Status::Pass,
            ScopesCause::NoScope | ScopesCause::NoCatalogue => Status::Skip,
            ScopesCause::NotListed { .. } => Status::Warn,
            _ => Status::Fail,
        }
    }

    fn inconclusive(&self) -> bool {
        matches!(self, ScopesCause::NotListed { .. })
    }
}

/// The catalogue's entries for the profile's scopes, for `mp.token`'s refusals.
#[derive(Debug, Clone, Default)]
pub(crate) struct ScopeCatalogue(pub(crate) Vec<ScopeInfo>);

impl ScopeCatalogue {
    pub(crate) fn get(&self, scope: &str) -> Option<&ScopeInfo> {
        self.0.iter().find(|s| s.full_name() == scope)
    }
}

/// Reads the catalogue and judges each scope; hands on the entries it found.
pub(crate) async fn run(ctx: &Sources) -> (Finding, Option<ScopeCatalogue>) {
    let scopes = &ctx.profile.maskinporten.scopes;
    if scopes.is_empty() {
        return (Finding::of(ScopesCause::NoScope), None);
    }
    let Some(base) = client::samarbeid_base(&ctx.profile) else {
        return (Finding::of(ScopesCause::NoCatalogue), None);
    };
    let all = match client::scope_catalogue(&ctx.http, &base).await {
        Ok(all) => all,
        Err(e) => return (Finding::of(e), None),
    };
    let found: Vec<ScopeInfo> =
        scopes.iter().filter_map(|s| all.iter().find(|i| &i.full_name() == s)).cloned().collect();
    let mut facts = Facts::new();
    facts.put("scope_catalogue", found.iter().map(entry).collect::<Vec<_>>());
    let consumer_org = ctx.profile.maskinporten.consumer_org.as_ref().map(|o| o.to_string());
    let cause = judge(scopes, &found, consumer_org);
    (Finding::of(cause).with(facts), Some(ScopeCatalogue(found)))
}

/// What the catalogue says of one scope, as a fact.
fn entry(s: &ScopeInfo) -> serde_json::Value {
    json!({
        "scope": s.full_name(),
        "owner_orgno": s.owner_orgno,
        "active": s.active,
        "accessible_for_all": s.accessible_for_all,
        "allowed_integration_types": s.allowed_integration_types,
        "delegation_source": s.delegation_source,
        "at_max_age": s.at_max_age,
    })
}

/// The first scope that cannot work, in the order a fix would be made; else what is not
/// listed; else every scope known.
fn judge(asked: &[String], found: &[ScopeInfo], consumer_org: Option<String>) -> ScopesCause {
    for s in found {
        let (scope, owner) = (s.full_name(), s.owner_orgno.clone());
        if !s.active {
            return ScopesCause::Inactive { scope, owner };
        }
        if !s.for_maskinporten() {
            return ScopesCause::WrongIntegration { scope, types: s.allowed_integration_types.join(", ") };
        }
        if let Some(consumer_org) = &consumer_org
            && s.delegation_source.is_none()
        {
            return ScopesCause::NotDelegable { scope, owner, consumer_org: consumer_org.clone() };
        }
    }
    let missing: Vec<&str> =
        asked.iter().filter(|a| !found.iter().any(|s| &s.full_name() == *a)).map(String::as_str).collect();
    if !missing.is_empty() {
        return ScopesCause::NotListed { scopes: missing.join(", ") };
    }
    let names = |open: bool| {
        let list: Vec<String> =
            found.iter().filter(|s| s.accessible_for_all == open).map(ScopeInfo::full_name).collect();
        if list.is_empty() { "-".to_string() } else { list.join(", ") }
    };
    let owned: Vec<String> = found
        .iter()
        .filter(|s| !s.accessible_for_all)
        .map(|s| format!("{} ({})", s.full_name(), s.owner_orgno))
        .collect();
    let (count, open, owned) = (found.len(), names(true), if owned.is_empty() { "-".into() } else { owned.join(", ") });
    match found.iter().filter_map(|s| Some((s.at_max_age?, s.full_name()))).min() {
        Some((seconds, capped_by)) => ScopesCause::KnownLifetime { count, open, owned, seconds, capped_by },
        None => ScopesCause::Known { count, open, owned },
    }
}
