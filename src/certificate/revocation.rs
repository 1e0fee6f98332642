//! Revocation: read a CRL (file or HTTP), verify it with the issuing CA, look the serial up.

use ::time::OffsetDateTime;
use x509_parser::prelude::*;

use super::facts::{CertFacts, dn_string, strip_zeros};

/// Largest CRL fetched or read (Buypass' production CRL is about 40 KiB).
pub(crate) const MAX_CRL: usize = 20 * 1024 * 1024;

/// A CRL's facts, once parsed.
#[derive(Debug, Clone)]
pub struct CrlFacts {
    pub(crate) issuer: String,
    pub(crate) this_update: OffsetDateTime,
    pub(crate) next_update: Option<OffsetDateTime>,
    pub entries: usize,
    pub(crate) number: Option<String>,
}

/// A certificate's entry in a CRL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revoked {
    pub(crate) date: OffsetDateTime,
    /// The CRLReason code; `None` when the entry has none.
    pub reason: Option<u8>,
}

/// A CRL in DER, read from a file or the network.
#[derive(Debug, Clone)]
pub struct Crl {
    pub(crate) der: Vec<u8>,
    pub facts: CrlFacts,
}

impl Crl {
    /// Parses DER or PEM (`X509 CRL`). Entries with a reason code RFC 5280 leaves
    /// unassigned (7, seen in a real Commfides test CRL) parse like any other.
    pub fn parse(bytes: &[u8]) -> Result<Crl, String> {
        let der = if bytes.starts_with(b"-----BEGIN") {
            let (_, pem) = x509_parser::pem::parse_x509_pem(bytes).map_err(|e| format!("not a PEM CRL: {e}"))?;
            pem.contents
        } else {
            bytes.to_vec()
        };
        let facts = {
            let (_, crl) = parse_x509_crl(&der).map_err(|e| format!("not a CRL: {e}"))?;
            CrlFacts {
                issuer: dn_string(crl.issuer()),
                this_update: crl.last_update().to_datetime(),
                next_update: crl.next_update().map(|t| t.to_datetime()),
                entries: crl.iter_revoked_certificates().count(),
                number: crl.crl_number().map(|n| format!("{n:X}")),
            }
        };
        Ok(Crl { der, facts })
    }

    /// True when `issuer` (the leaf's issuer on the verified chain) signed the CRL:
    /// its key verifies the signature, and the CRL's authority key identifier, when it
    /// has one, is the issuer's subject key identifier.
    pub fn verify_with_issuer(&self, issuer: &[u8]) -> bool {
        let (Ok((_, crl)), Ok((_, ca))) = (parse_x509_crl(&self.der), X509Certificate::from_der(issuer)) else {
            return false;
        };
        let crl_aki = crl.extensions().iter().find_map(|e| match e.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(aki) => aki.key_identifier.as_ref().map(|k| k.0.to_vec()),
            _ => None,
        });
        let ca_ski = ca.extensions().iter().find_map(|e| match e.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(ski) => Some(ski.0.to_vec()),
            _ => None,
        });
        if let (Some(aki), Some(ski)) = (crl_aki, ca_ski)
            && aki != ski
        {
            return false;
        }
        crl.verify_signature(ca.public_key()).is_ok()
    }

    /// The certificate's entry, if it is listed.
    pub fn lookup(&self, cert: &CertFacts) -> Option<Revoked> {
        let (_, crl) = parse_x509_crl(&self.der).ok()?;
        let serial = strip_zeros(&cert.raw_serial);
        crl.iter_revoked_certificates()
            .find(|r| strip_zeros(r.raw_serial()) == serial)
            .map(|r| Revoked { date: r.revocation_date.to_datetime(), reason: r.reason_code().map(|(_, code)| code.0) })
    }
}

/// The RFC 5280 name of a CRLReason code.
pub fn reason_name(code: Option<u8>) -> String {
    match code {
        // RFC 5280 §5.3.1: an absent reason code means unspecified.
        None => "unspecified".into(),
        Some(0) => "unspecified".into(),
        Some(1) => "keyCompromise".into(),
        Some(2) => "cACompromise".into(),
        Some(3) => "affiliationChanged".into(),
        Some(4) => "superseded".into(),
        Some(5) => "cessationOfOperation".into(),
        Some(6) => "certificateHold".into(),
        Some(8) => "removeFromCRL".into(),
        Some(9) => "privilegeWithdrawn".into(),
        Some(10) => "aACompromise".into(),
        Some(n) => format!("reasonCode {n}"),
    }
}

/// Why a CRL could not be fetched.
#[derive(Debug, Clone)]
pub(crate) enum FetchError {
    /// The certificate's CRL URL is not http(s).
    NotHttp,
    /// The server answered, but not with 2xx.
    Status(u16),
    /// The request did not end in an answer (or the answer was too large).
    Net(crate::http::NetError),
}

/// GETs a CRL over HTTP(S) with the client's timeouts and a size limit. A CRL is
/// public: the request carries no credential.
pub(crate) async fn fetch(http: &crate::http::Http, url: &str) -> Result<Vec<u8>, FetchError> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(FetchError::NotHttp);
    }
    let reply = http.send(http.get(url), url, MAX_CRL).await.map_err(FetchError::Net)?;
    if !(200..300).contains(&reply.status) {
        return Err(FetchError::Status(reply.status));
    }
    Ok(reply.body)
}

impl FetchError {
    /// The fault in a few words, for the cause's `{reason}`.
    pub(crate) fn reason(&self) -> String {
        use crate::http::NetError as N;
        let e = match self {
            FetchError::NotHttp => return "not-http".into(),
            FetchError::Status(status) => return format!("HTTP {status}"),
            FetchError::Net(e) => e,
        };
        match e {
            N::TooLarge { limit_kib, .. } => format!("too-large: {} MiB", limit_kib / 1024),
            N::Redirected { location, .. } => format!("redirect: {location}"),
            N::RateLimited { retry_after, .. } => format!("HTTP 429, Retry-After {retry_after}"),
            N::ServerError { status, .. } | N::UnexpectedStatus { status, .. } => format!("HTTP {status}"),
            N::Timeout { .. } | N::PlainHttp { .. } | N::ProxyTimeout { .. } => e.code(),
            N::ProxyAuthRequired { .. } => "HTTP 407".into(),
            N::Unreachable { reason, .. }
            | N::Tls { reason, .. }
            | N::ProxyUnreachable { reason, .. }
            | N::ProxyRefused { reason, .. } => reason.clone(),
            N::Malformed { expected, .. } => format!("malformed: {expected}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_names() {
        assert_eq!(reason_name(Some(6)), "certificateHold");
        assert_eq!(reason_name(Some(7)), "reasonCode 7");
        assert_eq!(reason_name(None), "unspecified");
    }
}
