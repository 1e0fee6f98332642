//! Chain validation with rustls-webpki to the trust store; anchors matched by subject and key.

use std::time::Duration;

use rustls_pki_types::{CertificateDer, TrustAnchor, UnixTime};
use time::OffsetDateTime;
use webpki::{EndEntityCert, ExtendedKeyUsageValidator, KeyPurposeIdIter};

use super::load::Material;
use super::trust::{KnownCa, TrustStore};

/// A verified chain: the CAs from leaf to anchor.
#[derive(Debug, Clone)]
pub(crate) struct VerifiedChain<'a> {
    pub(crate) intermediates: Vec<String>,
    pub(crate) anchor: &'a KnownCa,
    /// The DER of the certificate that issued the leaf on this path: the one whose key
    /// must have signed the leaf's CRL.
    pub(crate) issuer_der: Vec<u8>,
}

/// Why the chain does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChainError {
    SelfSigned,
    UnknownIssuer,
    BadSignature,
    CaAsLeaf,
    Unparseable(String),
    Other(String),
}

/// The role and EKU are the `cert.role` check's business: the chain check accepts any.
struct AnyPurpose;

impl ExtendedKeyUsageValidator for AnyPurpose {
    fn validate(&self, _iter: KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        Ok(())
    }
}

/// Verifies the chosen certificate to a trust anchor, with the file's CA
/// certificates and the bundled intermediates as helpers. The time is clamped into
/// the certificate's own validity: expiry is `cert.validity`'s verdict, not this one's.
pub(crate) fn verify<'s>(
    material: &Material,
    store: &'s TrustStore,
    at: OffsetDateTime,
) -> Result<VerifiedChain<'s>, ChainError> {
    let leaf = &material.leaf;
    let ee = EndEntityCert::try_from(&leaf.der).map_err(|e| ChainError::Unparseable(format!("{e:?}")))?;
    let anchors: Vec<(TrustAnchor<'_>, &KnownCa)> =
        store.anchors().filter_map(|ca| webpki::anchor_from_trusted_cert(&ca.der).ok().map(|a| (a, ca))).collect();
    let trust: Vec<TrustAnchor<'_>> = anchors.iter().map(|(a, _)| a.clone()).collect();
    let helpers: Vec<CertificateDer<'_>> =
        material.chain.iter().cloned().chain(store.intermediates().map(|c| c.der.clone())).collect();
    let t = at.clamp(leaf.facts.not_before, leaf.facts.not_after);
    let time = UnixTime::since_unix_epoch(Duration::from_secs(t.unix_timestamp().max(0) as u64));
    let path = ee
        .verify_for_usage(webpki::ALL_VERIFICATION_ALGS, &trust, &helpers, time, AnyPurpose, None, None)
        .map_err(|e| classify(e, leaf.facts.self_issued))?;
    let reached = path.anchor();
    let anchor = anchors
        .iter()
        .find(|(a, _)| a.subject == reached.subject && a.subject_public_key_info == reached.subject_public_key_info)
        .map(|(_, ca)| *ca)
        .ok_or_else(|| ChainError::Other("anchor not in store".into()))?;
    let issuer_der =
        path.intermediate_certificates().next().map(|c| c.der().to_vec()).unwrap_or_else(|| anchor.der.to_vec());
    let intermediates = path
        .intermediate_certificates()
        .filter_map(|c| super::facts::CertFacts::read(c.der().as_ref()).ok())
        .map(|f| f.subject_cn.unwrap_or(f.subject))
        .collect();
    Ok(VerifiedChain { intermediates, anchor, issuer_der })
}

fn classify(e: webpki::Error, self_issued: bool) -> ChainError {
    use webpki::Error as E;
    match e {
        E::UnknownIssuer if self_issued => ChainError::SelfSigned,
        E::UnknownIssuer => ChainError::UnknownIssuer,
        E::CaUsedAsEndEntity if self_issued => ChainError::SelfSigned,
        E::CaUsedAsEndEntity => ChainError::CaAsLeaf,
        E::InvalidSignatureForPublicKey => ChainError::BadSignature,
        other => ChainError::Other(format!("{other:?}")),
    }
}
