//! `cert.revocation`: the issuer's CRL does not list the certificate.

use serde::Serialize;

use super::*;
use crate::certificate::chain::{self};
use crate::certificate::facts::CertFacts;
use crate::certificate::load::Material;
use crate::certificate::revocation::{self, Crl};
use crate::engine::{Diagnosis, Facts, Finding, Status};
use crate::vocab::times::{date, rfc3339};

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum RevocationCause {
    NotRevoked {
        source: String,
        next_update: String,
    },
    Revoked {
        date: String,
        reason: String,
    },
    OnHold {
        date: String,
    },
    RevokedLater {
        date: String,
        reason: String,
    },
    Stale {
        source: String,
        next_update: String,
    },
    Unreachable {
        url: String,
        reason: String,
    },
    /// The answer was larger than the doctor reads for a CRL.
    CrlTooLarge {
        url: String,
        limit_mib: usize,
    },
    /// The answer came, but is not a CRL.
    NotACrl {
        url: String,
        reason: String,
    },
    /// The proxy on the way to the CRL wanted credentials (407).
    ProxyAuthRequired {
        url: String,
        proxy: String,
    },
    /// The proxy on the way was not reached, refused the CRL's host, or no answer came
    /// through it in time.
    ProxyFailed {
        url: String,
        proxy: String,
        reason: String,
    },
    NoCrlUrl {
        ocsp: String,
    },
    OfflineNoCrl,
    CrlFileUnreadable {
        path: String,
        reason: String,
    },
    CrlNotForIssuer {
        crl_issuer: String,
        issuer: String,
    },
    CrlUnverifiable {
        issuer: String,
    },
    CrlSignatureInvalid {
        source: String,
    },
}

impl Diagnosis for RevocationCause {
    fn status(&self) -> Status {
        use RevocationCause::*;
        match self {
            NotRevoked { .. } | RevokedLater { .. } => Status::Pass,
            Revoked { .. } | OnHold { .. } | CrlSignatureInvalid { .. } => Status::Fail,
            OfflineNoCrl => Status::Skip,
            _ => Status::Warn,
        }
    }

    /// Every warning is a CRL that could not be used (not fetched, stale, another
    /// issuer's, unverifiable, unreadable, or none named): revocation was not judged, and
    /// whoever can block a plain-HTTP CRL fetch must not turn "revoked" into "ready".
    fn inconclusive(&self) -> bool {
        self.status() == Status::Warn
    }
}

pub(crate) async fn run(ctx: &Input<'_>) -> Finding {
    let Ok(m) = &ctx.certificate else {
        return Finding::needs(READABLE);
    };
    let c = &m.leaf.facts;
    let mut facts = url_facts(c);
    let crls = match gather_crls(ctx, c).await {
        Ok(crls) => crls,
        Err(cause) => return Finding::of(cause).with(facts),
    };
    let finding = judge(ctx, m, &crls, &mut facts);
    finding.with(facts)
}

/// The CRLs to judge by: the `--crl` files, else those the certificate points to.
async fn gather_crls(ctx: &Input<'_>, c: &CertFacts) -> Result<Vec<(String, Crl)>, RevocationCause> {
    let mut out = Vec::new();
    if !ctx.profile.crl.is_empty() {
        for (shown, bytes) in ctx.crl_files.iter() {
            let crl = Crl::parse(bytes)
                .map_err(|reason| RevocationCause::CrlFileUnreadable { path: shown.clone(), reason })?;
            out.push((shown.clone(), crl));
        }
        return Ok(out);
    }
    if ctx.profile.offline {
        return Err(RevocationCause::OfflineNoCrl);
    }
    if c.crl_urls.is_empty() {
        let ocsp = if c.ocsp_urls.is_empty() { "none".to_string() } else { c.ocsp_urls.join(", ") };
        return Err(RevocationCause::NoCrlUrl { ocsp });
    }
    let mut last_error = None;
    for url in &c.crl_urls {
        match revocation::fetch(ctx.http, url).await {
            Ok(bytes) => match Crl::parse(&bytes) {
                Ok(crl) => out.push((url.clone(), crl)),
                Err(reason) => last_error = Some(RevocationCause::NotACrl { url: url.clone(), reason }),
            },
            Err(e) => last_error = Some(not_fetched(url, &e)),
        }
        if !out.is_empty() {
            break;
        }
    }
    match (out.is_empty(), last_error) {
        (true, Some(cause)) => Err(cause),
        _ => Ok(out),
    }
}

/// A CRL fetch that failed, as its cause: a proxy's fault names the proxy, a too-large
/// answer says so, the rest is the CRL being out of reach.
fn not_fetched(url: &str, e: &revocation::FetchError) -> RevocationCause {
    use crate::http::NetError as N;
    let url = url.to_string();
    match e {
        revocation::FetchError::Net(N::TooLarge { limit_kib, .. }) => {
            RevocationCause::CrlTooLarge { url, limit_mib: limit_kib / 1024 }
        }
        revocation::FetchError::Net(N::ProxyAuthRequired { proxy, .. }) => {
            RevocationCause::ProxyAuthRequired { url, proxy: proxy.clone() }
        }
        revocation::FetchError::Net(
            N::ProxyTimeout { proxy, .. } | N::ProxyUnreachable { proxy, .. } | N::ProxyRefused { proxy, .. },
        ) => RevocationCause::ProxyFailed { url, proxy: proxy.clone(), reason: e.reason() },
        _ => RevocationCause::Unreachable { url, reason: e.reason() },
    }
}

fn judge(ctx: &Input<'_>, m: &Material, crls: &[(String, Crl)], facts: &mut Facts) -> Finding {
    let c = &m.leaf.facts;
    let Some((source, crl)) = crls.iter().find(|(_, crl)| crl.facts.issuer == c.issuer) else {
        let crl_issuer = crls.first().map(|(_, crl)| crl.facts.issuer.clone()).unwrap_or_default();
        return Finding::of(RevocationCause::CrlNotForIssuer { crl_issuer, issuer: c.issuer.clone() });
    };
    facts
        .put("crl_source", source.clone())
        .put("crl_this_update", rfc3339(crl.facts.this_update))
        .put("crl_entries", crl.facts.entries);
    facts.put_opt("crl_number", crl.facts.number.clone());
    facts.put_opt("crl_next_update", crl.facts.next_update.map(rfc3339));
    // Only the issuer on the verified chain counts: a CA of the same name with another
    // key (a look-alike, or the real CA behind a copy's name) proves nothing.
    let Ok(verified) = chain::verify(m, ctx.trust, ctx.profile.at) else {
        return Finding::of(RevocationCause::CrlUnverifiable { issuer: c.issuer.clone() });
    };
    if !crl.verify_with_issuer(&verified.issuer_der) {
        return Finding::of(RevocationCause::CrlSignatureInvalid { source: source.clone() });
    }
    let at = ctx.profile.at;
    if let Some(entry) = crl.lookup(c) {
        facts.put("revoked_at", rfc3339(entry.date)).put("revocation_reason", revocation::reason_name(entry.reason));
        let when = date(entry.date);
        return Finding::of(if entry.date > at {
            RevocationCause::RevokedLater { date: when, reason: revocation::reason_name(entry.reason) }
        } else if entry.reason == Some(6) {
            RevocationCause::OnHold { date: when }
        } else {
            RevocationCause::Revoked { date: when, reason: revocation::reason_name(entry.reason) }
        });
    }
    let next_update = crl.facts.next_update.map(rfc3339).unwrap_or_else(|| "(none)".into());
    match crl.facts.next_update {
        Some(next) if next < at => Finding::of(RevocationCause::Stale { source: source.clone(), next_update }),
        _ => Finding::of(RevocationCause::NotRevoked { source: source.clone(), next_update }),
    }
}
