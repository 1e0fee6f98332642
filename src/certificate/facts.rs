//! The facts of one certificate, read once from its DER: names, dates, usages, key, URLs.

use ::time::OffsetDateTime;
use serde::Serialize;
use x509_parser::prelude::*;
use x509_parser::public_key::PublicKey;

use super::orgno::{self, OrgReading, SubjectAttributes};
use crate::vocab::Thumbprint;

const OID_ORGANIZATION_IDENTIFIER: &str = "2.5.4.97";
const OID_SERIAL_NUMBER: &str = "2.5.4.5";

/// What a certificate is for, from its keyUsage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Authentication,
    Signing,
    Encryption,
}

impl Role {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Role::Authentication => "authentication",
            Role::Signing => "signing",
            Role::Encryption => "encryption",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Family {
    Buypass,
    Commfides,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Generation {
    Seid1,
    Seid2,
}

/// Which CA product issued a certificate, as its issuer's name tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Classification {
    pub(crate) family: Family,
    pub(crate) generation: Generation,
    pub(crate) env: crate::vocab::Environment,
}

impl Classification {
    /// Reads family, generation and environment from an issuer common name.
    /// Buypass test CAs have "Test4" in the name; Commfides test CAs end in "TEST".
    /// Buypass SEID 2 CAs are "G2"; Commfides G3 follows SEID 2.
    pub(crate) fn from_issuer_name(cn: &str) -> Option<Classification> {
        use crate::vocab::Environment;
        let upper = cn.to_ascii_uppercase();
        let family = if upper.contains("BUYPASS") {
            Family::Buypass
        } else if upper.contains("COMMFIDES") {
            Family::Commfides
        } else {
            return None;
        };
        let test = match family {
            Family::Buypass => upper.contains("TEST4") || upper.contains("TEST"),
            Family::Commfides => upper.contains("TEST"),
        };
        let generation = match family {
            Family::Buypass if upper.contains(" G2") => Generation::Seid2,
            Family::Buypass => Generation::Seid1,
            Family::Commfides if upper.contains("G3") => Generation::Seid2,
            Family::Commfides => Generation::Seid1,
        };
        Some(Classification { family, generation, env: if test { Environment::Test } else { Environment::Prod } })
    }

    /// The product name a user recognises: "Buypass SEID 2", "Commfides G3".
    pub(crate) fn product(&self) -> &'static str {
        match (self.family, self.generation) {
            (Family::Buypass, Generation::Seid1) => "Buypass SEID 1",
            (Family::Buypass, Generation::Seid2) => "Buypass SEID 2",
            (Family::Commfides, Generation::Seid1) => "Commfides SEID 1",
            (Family::Commfides, Generation::Seid2) => "Commfides G3 (SEID 2)",
        }
    }
}

/// The public key in a certificate, as far as the checks care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyInfo {
    Rsa { bits: usize, modulus: Vec<u8>, exponent: Vec<u8> },
    Ec { curve: String, point: Vec<u8> },
    Other { algorithm: String },
}

impl KeyInfo {
    pub(crate) fn describe(&self) -> String {
        match self {
            KeyInfo::Rsa { bits, .. } => format!("RSA {bits}"),
            KeyInfo::Ec { curve, .. } => format!("EC {curve}"),
            KeyInfo::Other { algorithm } => algorithm.clone(),
        }
    }
}

/// Everything the checks read from one certificate.
#[derive(Debug, Clone)]
pub struct CertFacts {
    pub(crate) subject: String,
    pub(crate) issuer: String,
    pub(crate) subject_cn: Option<String>,
    /// Upper-case hex, no separators, as Windows shows it.
    pub(crate) serial: String,
    pub raw_serial: Vec<u8>,
    pub(crate) thumbprint: Thumbprint,
    pub(crate) not_before: OffsetDateTime,
    pub(crate) not_after: OffsetDateTime,
    /// keyUsage names; `None` when the extension is absent (any use allowed).
    pub(crate) key_usage: Option<Vec<&'static str>>,
    /// extendedKeyUsage purposes; `None` when absent.
    pub(crate) eku: Option<Vec<String>>,
    pub(crate) eku_allows_client_auth: bool,
    pub(crate) role: Role,
    pub(crate) is_ca: bool,
    pub(crate) self_issued: bool,
    pub(crate) key: KeyInfo,
    /// The subjectPublicKey bits (for RSA: the PKCS#1 RSAPublicKey DER).
    pub(crate) public_key_bits: Vec<u8>,
    pub(crate) crl_urls: Vec<String>,
    pub(crate) ocsp_urls: Vec<String>,
    pub(crate) classification: Option<Classification>,
    pub(crate) org: OrgReading,
    pub(crate) sub_unit: Option<String>,
}

/// Why a DER blob is not a certificate the checks can read.
#[derive(Debug, Clone)]
pub struct NotACertificate(pub String);

impl CertFacts {
    pub fn read(der: &[u8]) -> Result<CertFacts, NotACertificate> {
        let (rest, cert) = X509Certificate::from_der(der).map_err(|e| NotACertificate(e.to_string()))?;
        if !rest.is_empty() {
            return Err(NotACertificate(format!("{} bytes after the certificate", rest.len())));
        }
        let attrs = subject_attributes(cert.subject());
        let org = orgno::read(&attrs);
        let sub_unit = match &org {
            OrgReading::Found { number, .. } => orgno::sub_unit(&attrs, number),
            _ => None,
        };
        let key_usage = cert.key_usage().ok().flatten().map(|ku| key_usage_names(ku.value));
        let eku = cert.extended_key_usage().ok().flatten().map(|e| e.value.clone());
        let eku_allows_client_auth = eku.as_ref().is_none_or(|e| e.client_auth || e.any);
        let issuer_cn = common_name(cert.issuer());
        Ok(CertFacts {
            subject: dn_string(cert.subject()),
            issuer: dn_string(cert.issuer()),
            subject_cn: common_name(cert.subject()),
            classification: issuer_cn.as_deref().and_then(Classification::from_issuer_name),
            serial: cert.raw_serial().iter().map(|b| format!("{b:02X}")).collect(),
            raw_serial: cert.raw_serial().to_vec(),
            thumbprint: Thumbprint::of(der),
            not_before: cert.validity().not_before.to_datetime(),
            not_after: cert.validity().not_after.to_datetime(),
            role: role_of(key_usage.as_deref()),
            key_usage,
            eku: eku.as_ref().map(eku_names),
            eku_allows_client_auth,
            is_ca: cert.is_ca(),
            self_issued: cert.subject().as_raw() == cert.issuer().as_raw(),
            key: key_info(cert.public_key()),
            public_key_bits: cert.public_key().subject_public_key.data.to_vec(),
            crl_urls: crl_urls(&cert),
            ocsp_urls: ocsp_urls(&cert),
            org,
            sub_unit,
        })
    }
}

fn subject_attributes(name: &X509Name<'_>) -> SubjectAttributes {
    let mut attrs = SubjectAttributes::default();
    for attr in name.iter_attributes() {
        let Ok(value) = attr.as_str() else { continue };
        let value = value.to_string();
        match attr.attr_type().to_id_string().as_str() {
            OID_ORGANIZATION_IDENTIFIER => attrs.organization_identifier.push(value),
            OID_SERIAL_NUMBER => attrs.serial_number.push(value),
            "2.5.4.10" => attrs.organization.push(value),
            "2.5.4.11" => attrs.organizational_unit.push(value),
            _ => {}
        }
    }
    attrs
}

fn common_name(name: &X509Name<'_>) -> Option<String> {
    name.iter_common_name().next().and_then(|cn| cn.as_str().ok()).map(str::to_string)
}

/// A distinguished name as OpenSSL's one-line form writes it, with the attribute
/// names Norwegian certificates use (organizationIdentifier, serialNumber).
pub(crate) fn dn_string(name: &X509Name<'_>) -> String {
    name.iter_attributes()
        .map(|attr| {
            let oid = attr.attr_type().to_id_string();
            let label = match oid.as_str() {
                "2.5.4.6" => "C",
                "2.5.4.10" => "O",
                "2.5.4.11" => "OU",
                "2.5.4.3" => "CN",
                "2.5.4.7" => "L",
                "2.5.4.8" => "ST",
                OID_SERIAL_NUMBER => "serialNumber",
                OID_ORGANIZATION_IDENTIFIER => "organizationIdentifier",
                "1.2.840.113549.1.9.1" => "emailAddress",
                other => other,
            };
            let value = attr.as_str().map(str::to_string).unwrap_or_else(|_| "#…".to_string());
            format!("{label}={value}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn key_usage_names(ku: &KeyUsage) -> Vec<&'static str> {
    let all = [
        (ku.digital_signature(), "digitalSignature"),
        (ku.non_repudiation(), "nonRepudiation"),
        (ku.key_encipherment(), "keyEncipherment"),
        (ku.data_encipherment(), "dataEncipherment"),
        (ku.key_agreement(), "keyAgreement"),
        (ku.key_cert_sign(), "keyCertSign"),
        (ku.crl_sign(), "cRLSign"),
        (ku.encipher_only(), "encipherOnly"),
        (ku.decipher_only(), "decipherOnly"),
    ];
    all.iter().filter(|(on, _)| *on).map(|(_, name)| *name).collect()
}

/// digitalSignature = authentication (the one Maskinporten wants); nonRepudiation
/// alone = signing; encipherment alone = encryption. No keyUsage allows any use.
fn role_of(key_usage: Option<&[&str]>) -> Role {
    let Some(ku) = key_usage else {
        return Role::Authentication;
    };
    if ku.contains(&"digitalSignature") {
        Role::Authentication
    } else if ku.contains(&"nonRepudiation") {
        Role::Signing
    } else if ku.iter().any(|u| matches!(*u, "keyEncipherment" | "dataEncipherment" | "keyAgreement")) {
        Role::Encryption
    } else {
        Role::Signing
    }
}

fn eku_names(eku: &ExtendedKeyUsage<'_>) -> Vec<String> {
    let mut names = Vec::new();
    for (on, name) in [
        (eku.any, "anyExtendedKeyUsage"),
        (eku.server_auth, "serverAuth"),
        (eku.client_auth, "clientAuth"),
        (eku.code_signing, "codeSigning"),
        (eku.email_protection, "emailProtection"),
        (eku.time_stamping, "timeStamping"),
        (eku.ocsp_signing, "OCSPSigning"),
    ] {
        if on {
            names.push(name.to_string());
        }
    }
    names.extend(eku.other.iter().map(|oid| oid.to_id_string()));
    names
}

fn key_info(spki: &SubjectPublicKeyInfo<'_>) -> KeyInfo {
    match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => KeyInfo::Rsa {
            bits: rsa.key_size(),
            modulus: strip_zeros(rsa.modulus).to_vec(),
            exponent: strip_zeros(rsa.exponent).to_vec(),
        },
        Ok(PublicKey::EC(point)) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|oid| match oid.to_id_string().as_str() {
                    "1.2.840.10045.3.1.7" => "P-256".to_string(),
                    "1.3.132.0.34" => "P-384".to_string(),
                    "1.3.132.0.35" => "P-521".to_string(),
                    other => other.to_string(),
                })
                .unwrap_or_else(|| "unknown curve".into());
            KeyInfo::Ec { curve, point: point.data().to_vec() }
        }
        _ => KeyInfo::Other {
            algorithm: match spki.algorithm.algorithm.to_id_string().as_str() {
                "1.3.101.112" => "Ed25519".to_string(),
                "1.2.840.10040.4.1" => "DSA".to_string(),
                other => other.to_string(),
            },
        },
    }
}

pub(crate) fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

fn crl_urls(cert: &X509Certificate<'_>) -> Vec<String> {
    let mut urls = Vec::new();
    for ext in cert.extensions() {
        if let ParsedExtension::CRLDistributionPoints(points) = ext.parsed_extension() {
            for point in points.iter() {
                if let Some(DistributionPointName::FullName(names)) = &point.distribution_point {
                    urls.extend(names.iter().filter_map(uri));
                }
            }
        }
    }
    urls
}

fn ocsp_urls(cert: &X509Certificate<'_>) -> Vec<String> {
    let mut urls = Vec::new();
    for ext in cert.extensions() {
        if let ParsedExtension::AuthorityInfoAccess(aia) = ext.parsed_extension() {
            for desc in &aia.accessdescs {
                if desc.access_method.to_id_string() == "1.3.6.1.5.5.7.48.1" {
                    urls.extend(uri(&desc.access_location));
                }
            }
        }
    }
    urls
}

fn uri(name: &GeneralName<'_>) -> Option<String> {
    match name {
        GeneralName::URI(u) => Some(u.to_string()),
        _ => None,
    }
}
