//! The certificate and org-number checks: each an ID, its dependencies, and a function.

use serde::Serialize;
use serde_json::Value;

use super::chain::{self, ChainError};
use super::facts::{CertFacts, KeyInfo, Role};
use super::load::{KeyProblem, KeySource, LoadError, Material};
use super::orgno::OrgReading;
use super::revocation::{self, Crl};
use super::trust::AnchorOrigin;
use crate::engine::{BoxFuture, Check, CheckId, Context, Diagnosis, Facts, Finding, Run, Status};
use crate::vocab::times::{date, rfc3339};

const READABLE: &[CheckId] = &[CheckId::CertReadable];

/// The checks of this module, in run order.
pub const ALL: &[Check] = &[
    Check {
        id: CheckId::CertReadable,
        depends_on: &[],
        needs_network: false,
        applies: None,
        run: Run::Local(readable),
    },
    Check {
        id: CheckId::CertKeyMatch,
        depends_on: READABLE,
        needs_network: false,
        applies: None,
        run: Run::Local(key_match),
    },
    Check {
        id: CheckId::CertValidity,
        depends_on: READABLE,
        needs_network: false,
        applies: None,
        run: Run::Local(validity),
    },
    Check { id: CheckId::CertRole, depends_on: READABLE, needs_network: false, applies: None, run: Run::Local(role) },
    Check {
        id: CheckId::CertKeyStrength,
        depends_on: READABLE,
        needs_network: false,
        applies: None,
        run: Run::Local(key_strength),
    },
    Check {
        id: CheckId::CertIssuer,
        depends_on: READABLE,
        needs_network: false,
        applies: None,
        run: Run::Local(issuer),
    },
    Check {
        id: CheckId::CertRevocation,
        depends_on: READABLE,
        needs_network: false,
        applies: None,
        run: Run::Async(revocation),
    },
    Check {
        id: CheckId::OrgNumber,
        depends_on: READABLE,
        needs_network: false,
        applies: None,
        run: Run::Local(org_number),
    },
];

/// Runs `f` on the loaded material; without it, the check is skipped as dependent.
fn with_material(ctx: &Context, f: impl FnOnce(&Material) -> Finding) -> Finding {
    match &ctx.certificate {
        Ok(m) => f(m),
        Err(_) => Finding::needs(CheckId::CertReadable),
    }
}

/// The facts of a certificate under the keys the JSON schema documents.
pub fn certificate_facts(c: &CertFacts) -> Facts {
    let mut f = Facts::new();
    f.put("subject", c.subject.clone())
        .put("issuer", c.issuer.clone())
        .put("serial", c.serial.clone())
        .put("thumbprint_sha1", c.thumbprint.to_string())
        .put("not_before", rfc3339(c.not_before))
        .put("not_after", rfc3339(c.not_after));
    if let OrgReading::Found { number, source } = &c.org {
        f.put("org_number", number.to_string()).put("org_number_source", source.as_str());
    }
    if let Some(class) = &c.classification {
        f.put("family", json(&class.family))
            .put("generation", json(&class.generation))
            .put("cert_env", class.env.as_str());
    }
    f.put("key_usage", key_usage_text(c)).put("role", c.role.as_str()).put("key_algorithm", c.key.describe());
    f.put_opt("eku", c.eku.as_ref().map(|e| e.join(", ")));
    f.extend(&url_facts(c));
    f
}

/// The revocation URLs the certificate names, when it names any.
fn url_facts(c: &CertFacts) -> Facts {
    let mut f = Facts::new();
    for (key, urls) in [("crl_urls", &c.crl_urls), ("ocsp_urls", &c.ocsp_urls)] {
        if !urls.is_empty() {
            f.put(key, urls.clone());
        }
    }
    f
}

fn json(v: &impl Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn key_usage_text(c: &CertFacts) -> String {
    match &c.key_usage {
        Some(ku) => ku.join(", "),
        None => "(none: any use)".into(),
    }
}

// ---------------------------------------------------------------- cert.readable

impl Diagnosis for LoadError {
    fn status(&self) -> Status {
        Status::Fail
    }
}

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum ReadableCause {
    Read {
        path: String,
        format: String,
        subject: String,
        others: usize,
    },
    /// A client with a registered key (`kid`) and no certificate given.
    KeyClient {
        kid: String,
    },
}

impl Diagnosis for ReadableCause {
    fn status(&self) -> Status {
        match self {
            ReadableCause::Read { .. } => Status::Pass,
            ReadableCause::KeyClient { .. } => Status::Skip,
        }
    }
}

fn readable(ctx: &Context) -> Finding {
    let m = match (&ctx.certificate, &ctx.profile.maskinporten.kid) {
        (Ok(m), _) => m,
        (Err(LoadError::NoSource), Some(kid)) => return Finding::of(ReadableCause::KeyClient { kid: kid.clone() }),
        (Err(e), _) => return Finding::of(e.clone()),
    };
    let mut facts = Facts::new();
    facts
        .put("file", m.path.display().to_string())
        .put("format", m.format.as_str())
        .put("selection", json(&m.selection));
    facts.extend(&certificate_facts(&m.leaf.facts));
    if !m.others.is_empty() {
        let others: Vec<String> =
            m.others.iter().map(|o| format!("{} ({})", o.facts.thumbprint, o.facts.role.as_str())).collect();
        facts.put("other_certificates", others);
    }
    Finding::of(ReadableCause::Read {
        path: m.path.display().to_string(),
        format: m.format.as_str().into(),
        subject: m.leaf.facts.subject_cn.clone().unwrap_or_else(|| m.leaf.facts.subject.clone()),
        others: m.others.len(),
    })
    .with(facts)
}

// ---------------------------------------------------------------- cert.key-match

impl Diagnosis for KeyProblem {
    fn status(&self) -> Status {
        Status::Fail
    }
}

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum KeyMatchCause {
    Matches {
        kind: String,
    },
    NoKey {
        path: String,
    },
    /// No key, and the profile asks for something only a signature proves.
    KeyNeeded {
        path: String,
        needed_by: String,
    },
    Mismatch {
        keys: usize,
        thumbprint: String,
    },
    BelongsToOther {
        thumbprint: String,
        other: String,
    },
    Unusable {
        reason: String,
    },
}

impl Diagnosis for KeyMatchCause {
    fn status(&self) -> Status {
        match self {
            KeyMatchCause::Matches { .. } => Status::Pass,
            KeyMatchCause::NoKey { .. } => Status::Skip,
            _ => Status::Fail,
        }
    }
}

fn key_match(ctx: &Context) -> Finding {
    with_material(ctx, |m| {
        let keys = match &m.keys {
            KeySource::Absent => {
                let path = m.path.display().to_string();
                return Finding::of(match signature_needed_by(&ctx.profile) {
                    Some(needed_by) => KeyMatchCause::KeyNeeded { path, needed_by: needed_by.into() },
                    None => KeyMatchCause::NoKey { path },
                });
            }
            KeySource::Problem(p) => return Finding::of(p.clone()),
            KeySource::Found(keys) => keys,
        };
        let leaf = &m.leaf.facts;
        let Some(key) = m.matching_key() else {
            let other = m.others.iter().find(|o| keys.iter().any(|k| k.matches(&o.facts.key)));
            return Finding::of(match other {
                Some(o) => KeyMatchCause::BelongsToOther {
                    thumbprint: leaf.thumbprint.to_string(),
                    other: o.facts.thumbprint.to_string(),
                },
                None => KeyMatchCause::Mismatch { keys: keys.len(), thumbprint: leaf.thumbprint.to_string() },
            });
        };
        let mut facts = Facts::new();
        facts.put("private_key", key.kind());
        if let KeyInfo::Rsa { .. } = leaf.key
            && let Err(reason) = key.prove_rsa(&leaf.public_key_bits)
        {
            return Finding::of(KeyMatchCause::Unusable { reason }).with(facts);
        }
        Finding::of(KeyMatchCause::Matches { kind: key.kind().into() }).with(facts)
    })
}

/// What in the profile needs a grant signed with the certificate's key, if anything:
/// a certificate-only run (`--offline`, no client, no system user) needs none.
fn signature_needed_by(profile: &crate::config::Profile) -> Option<&'static str> {
    if profile.offline || profile.maskinporten.kid.is_some() {
        return None;
    }
    if profile.maskinporten.client_id.is_some() {
        Some("--client-id")
    } else if profile.altinn.system_user_org.is_some() {
        Some("--system-user-org")
    } else {
        None
    }
}

// ---------------------------------------------------------------- cert.validity

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

fn validity(ctx: &Context) -> Finding {
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

// ---------------------------------------------------------------- cert.role

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum RoleCause {
    Authentication { key_usage: String },
    WrongRole { role: String, key_usage: String },
    WrongRoleUseOther { role: String, key_usage: String, other: String },
    NoClientAuth { eku: String },
}

impl Diagnosis for RoleCause {
    fn status(&self) -> Status {
        match self {
            RoleCause::Authentication { .. } => Status::Pass,
            _ => Status::Fail,
        }
    }
}

fn role(ctx: &Context) -> Finding {
    with_material(ctx, |m| {
        let c = &m.leaf.facts;
        let mut facts = Facts::new();
        facts.put("role", c.role.as_str()).put("key_usage", key_usage_text(c));
        facts.put_opt("eku", c.eku.as_ref().map(|e| e.join(", ")));
        let auth_other = m
            .others
            .iter()
            .find(|o| o.facts.role == Role::Authentication && o.facts.eku_allows_client_auth)
            .map(|o| o.facts.thumbprint.to_string());
        let cause = if c.role != Role::Authentication {
            match auth_other {
                Some(other) => {
                    RoleCause::WrongRoleUseOther { role: c.role.as_str().into(), key_usage: key_usage_text(c), other }
                }
                None => RoleCause::WrongRole { role: c.role.as_str().into(), key_usage: key_usage_text(c) },
            }
        } else if !c.eku_allows_client_auth {
            RoleCause::NoClientAuth { eku: c.eku.as_ref().map(|e| e.join(", ")).unwrap_or_default() }
        } else {
            RoleCause::Authentication { key_usage: key_usage_text(c) }
        };
        Finding::of(cause).with(facts)
    })
}

// ---------------------------------------------------------------- cert.key-strength

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum StrengthCause {
    RsaStrong { bits: usize },
    RsaAdequate { bits: usize },
    RsaTooShort { bits: usize },
    EcKey { curve: String },
    Unsupported { algorithm: String },
}

impl Diagnosis for StrengthCause {
    fn status(&self) -> Status {
        match self {
            StrengthCause::RsaStrong { .. } | StrengthCause::RsaAdequate { .. } => Status::Pass,
            _ => Status::Fail,
        }
    }
}

fn key_strength(ctx: &Context) -> Finding {
    with_material(ctx, |m| {
        let key = &m.leaf.facts.key;
        let mut facts = Facts::new();
        facts.put("key_algorithm", key.describe());
        let cause = match key {
            KeyInfo::Rsa { bits, .. } if *bits >= 3072 => StrengthCause::RsaStrong { bits: *bits },
            KeyInfo::Rsa { bits, .. } if *bits >= 2048 => StrengthCause::RsaAdequate { bits: *bits },
            KeyInfo::Rsa { bits, .. } => StrengthCause::RsaTooShort { bits: *bits },
            KeyInfo::Ec { curve, .. } => StrengthCause::EcKey { curve: curve.clone() },
            KeyInfo::Other { algorithm } => StrengthCause::Unsupported { algorithm: algorithm.clone() },
        };
        Finding::of(cause).with(facts)
    })
}

// ---------------------------------------------------------------- cert.issuer

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum IssuerCause {
    Trusted { product: String, cert_env: String, anchor: String, anchor_source: String },
    TrustedByCaFile { anchor: String, path: String },
    EnvMismatch { product: String, cert_env: String, env: String },
    SelfSigned { subject: String },
    UnknownIssuer { issuer: String },
    BadSignature { issuer: String },
    CaAsLeaf { subject: String },
    Invalid { detail: String },
}

impl Diagnosis for IssuerCause {
    fn status(&self) -> Status {
        match self {
            IssuerCause::Trusted { .. } | IssuerCause::TrustedByCaFile { .. } => Status::Pass,
            _ => Status::Fail,
        }
    }
}

fn issuer(ctx: &Context) -> Finding {
    with_material(ctx, |m| {
        let c = &m.leaf.facts;
        let mut facts = Facts::new();
        let verified = match chain::verify(m, &ctx.trust, ctx.profile.at) {
            Ok(v) => v,
            Err(e) => {
                let issuer = c.issuer.clone();
                return Finding::of(match e {
                    ChainError::SelfSigned => IssuerCause::SelfSigned { subject: c.subject.clone() },
                    ChainError::UnknownIssuer => IssuerCause::UnknownIssuer { issuer },
                    ChainError::BadSignature => IssuerCause::BadSignature { issuer },
                    ChainError::CaAsLeaf => IssuerCause::CaAsLeaf { subject: c.subject.clone() },
                    ChainError::Unparseable(detail) | ChainError::Other(detail) => IssuerCause::Invalid { detail },
                });
            }
        };
        let anchor_name =
            verified.anchor.facts.subject_cn.clone().unwrap_or_else(|| verified.anchor.facts.subject.clone());
        let mut chain_names = verified.intermediates.clone();
        chain_names.push(anchor_name.clone());
        facts.put("chain", chain_names).put("anchor", anchor_name.clone());
        let (classification, anchor_source) = match &verified.anchor.origin {
            AnchorOrigin::Bundled { file, classification } => (Some(*classification), format!("bundled: {file}")),
            AnchorOrigin::CaFile { path } => (c.classification, format!("--ca-file {}", path.display())),
        };
        facts.put("anchor_source", anchor_source.clone());
        let Some(class) = classification else {
            let path = match &verified.anchor.origin {
                AnchorOrigin::CaFile { path } => path.display().to_string(),
                AnchorOrigin::Bundled { file, .. } => file.to_string(),
            };
            return Finding::of(IssuerCause::TrustedByCaFile { anchor: anchor_name, path }).with(facts);
        };
        facts
            .put("family", json(&class.family))
            .put("generation", json(&class.generation))
            .put("cert_env", class.env.as_str());
        let product = class.product().to_string();
        let cause = if class.env != ctx.profile.env {
            IssuerCause::EnvMismatch {
                product,
                cert_env: class.env.as_str().into(),
                env: ctx.profile.env.as_str().into(),
            }
        } else {
            IssuerCause::Trusted { product, cert_env: class.env.as_str().into(), anchor: anchor_name, anchor_source }
        };
        Finding::of(cause).with(facts)
    })
}

// ---------------------------------------------------------------- cert.revocation

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum RevocationCause {
    NotRevoked { source: String, next_update: String },
    Revoked { date: String, reason: String },
    OnHold { date: String },
    RevokedLater { date: String, reason: String },
    Stale { source: String, next_update: String },
    Unreachable { url: String, reason: String },
    NoCrlUrl { ocsp: String },
    OfflineNoCrl,
    CrlFileUnreadable { path: String, reason: String },
    CrlNotForIssuer { crl_issuer: String, issuer: String },
    CrlUnverifiable { issuer: String },
    CrlSignatureInvalid { source: String },
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

    /// A CRL that could not be fetched left revocation unjudged.
    fn inconclusive(&self) -> bool {
        matches!(self, RevocationCause::Unreachable { .. })
    }
}

fn revocation(ctx: &Context) -> BoxFuture<'_, Finding> {
    Box::pin(async move {
        let Ok(m) = &ctx.certificate else {
            return Finding::needs(CheckId::CertReadable);
        };
        let c = &m.leaf.facts;
        let mut facts = url_facts(c);
        let crls = match gather_crls(ctx, c).await {
            Ok(crls) => crls,
            Err(cause) => return Finding::of(cause).with(facts),
        };
        let finding = judge(ctx, m, &crls, &mut facts);
        finding.with(facts)
    })
}

/// The CRLs to judge by: the `--crl` files, else those the certificate points to.
async fn gather_crls(ctx: &Context, c: &CertFacts) -> Result<Vec<(String, Crl)>, RevocationCause> {
    let mut out = Vec::new();
    if !ctx.profile.crl.is_empty() {
        for (shown, bytes) in &ctx.crl_files {
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
        match revocation::fetch(&ctx.http, url).await {
            Ok(bytes) => match Crl::parse(&bytes) {
                Ok(crl) => out.push((url.clone(), crl)),
                Err(reason) => last_error = Some(RevocationCause::Unreachable { url: url.clone(), reason }),
            },
            Err(e) => last_error = Some(RevocationCause::Unreachable { url: url.clone(), reason: e.0 }),
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

fn judge(ctx: &Context, m: &Material, crls: &[(String, Crl)], facts: &mut Facts) -> Finding {
    let c = &m.leaf.facts;
    let Some((source, crl)) = crls.iter().find(|(_, crl)| crl.facts.issuer == c.issuer) else {
        let crl_issuer = crls.first().map(|(_, crl)| crl.facts.issuer.clone()).unwrap_or_default();
        return Finding::of(RevocationCause::CrlNotForIssuer { crl_issuer, issuer: c.issuer.clone() });
    };
    facts
        .put("crl_source", source.clone())
        .put("crl_this_update", rfc3339(crl.facts.this_update))
        .put("crl_entries", crl.facts.entries);
    facts.put_opt("crl_next_update", crl.facts.next_update.map(rfc3339));
    // Only the issuer on the verified chain counts: a CA of the same name with another
    // key (a look-alike, or the real CA behind a copy's name) proves nothing.
    let Ok(verified) = chain::verify(m, &ctx.trust, ctx.profile.at) else {
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

// ---------------------------------------------------------------- org.number

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum OrgCause {
    Matches { org: String, source: String },
    Found { org: String, source: String },
    Mismatch { org: String, expected: String, source: String },
    CheckDigit { org: String, source: String },
    Foreign { identifier: String },
    Missing { subject: String },
}

impl Diagnosis for OrgCause {
    fn status(&self) -> Status {
        match self {
            OrgCause::Matches { .. } | OrgCause::Found { .. } => Status::Pass,
            OrgCause::CheckDigit { .. } => Status::Warn,
            _ => Status::Fail,
        }
    }
}

fn org_number(ctx: &Context) -> Finding {
    with_material(ctx, |m| {
        let c = &m.leaf.facts;
        let (number, source) = match &c.org {
            OrgReading::Found { number, source } => (number, source.as_str().to_string()),
            OrgReading::Foreign { identifier } => {
                return Finding::of(OrgCause::Foreign { identifier: identifier.clone() });
            }
            OrgReading::Missing => {
                return Finding::of(OrgCause::Missing { subject: c.subject.clone() });
            }
        };
        let mut facts = Facts::new();
        facts.put("org_number", number.to_string()).put("org_number_source", source.clone());
        facts.put_opt("sub_unit", c.sub_unit.clone());
        if let Some(expected) = &ctx.profile.org {
            facts.put("expected_org_number", expected.to_string());
        }
        let org = number.to_string();
        let cause = match &ctx.profile.org {
            Some(expected) if expected != number => OrgCause::Mismatch { org, expected: expected.to_string(), source },
            _ if !number.has_valid_check_digit() => OrgCause::CheckDigit { org, source },
            Some(_) => OrgCause::Matches { org, source },
            None => OrgCause::Found { org, source },
        };
        Finding::of(cause).with(facts)
    })
}
