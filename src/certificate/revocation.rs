//! Revocation: read a CRL (file or HTTP), verify it with the issuing CA, look the serial up.

use ::time::OffsetDateTime;
use x509_parser::prelude::*;

use super::facts::{CertFacts, dn_string, strip_zeros};

/// Largest CRL fetched or read (Buypass' production CRL is about 40 KiB).
pub const MAX_CRL: usize = 20 * 1024 * 1024;

/// A CRL's facts, once parsed.
#[derive(Debug, Clone)]
pub struct CrlFacts {
    pub issuer: String,
    pub this_update: OffsetDateTime,
    pub next_update: Option<OffsetDateTime>,
    pub entries: usize,
    pub number: Option<String>,
}

/// A certificate's entry in a CRL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revoked {
    pub date: OffsetDateTime,
    /// The CRLReason code; `None` when the entry has none.
    pub reason: Option<u8>,
}

/// A CRL in DER, read from a file or the network.
#[derive(Debug, Clone)]
pub struct Crl {
    pub der: Vec<u8>,
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

    /// True when one of `issuers`' keys verifies the CRL's signature.
    pub fn verify_with<'a>(&self, issuers: impl IntoIterator<Item = &'a [u8]>) -> bool {
        let Ok((_, crl)) = parse_x509_crl(&self.der) else {
            return false;
        };
        issuers.into_iter().any(|der| match X509Certificate::from_der(der) {
            Ok((_, ca)) => crl.verify_signature(ca.public_key()).is_ok(),
            Err(_) => false,
        })
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
        None => "no reason given".into(),
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
        Some(n) => format!("unknown reason (code {n}, unassigned in RFC 5280)"),
    }
}

/// Why a CRL could not be fetched.
#[derive(Debug, Clone)]
pub struct FetchError(pub String);

/// GETs a CRL over HTTP(S) with the client's timeouts and a size limit.
pub async fn fetch(http: &reqwest::Client, url: &str) -> Result<Vec<u8>, FetchError> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(FetchError(format!("{url} is not an HTTP URL")));
    }
    let mut response = http.get(url).send().await.map_err(|e| FetchError(crate::http::reason(&e)))?;
    if !response.status().is_success() {
        return Err(FetchError(format!("HTTP {}", response.status())));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| FetchError(crate::http::reason(&e)))? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_CRL {
            return Err(FetchError(format!("larger than {} MiB", MAX_CRL / 1024 / 1024)));
        }
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_names() {
        assert_eq!(reason_name(Some(6)), "certificateHold");
        assert!(reason_name(Some(7)).contains("unassigned"));
    }
}
