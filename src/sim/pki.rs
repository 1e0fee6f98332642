//! The simulator's PKI: CA chains that mirror Buypass Test4 G2 and Commfides G3 TEST
//! (names, organizationIdentifier, key usage), enterprise certificates, and CRLs.
//!
//! Built with rcgen at start. The tests use it too, so that every certificate they
//! check has the shape of a real one.

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CrlDistributionPoint, DistinguishedName,
    DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod, KeyPair, KeyUsagePurpose, PublicKeyData,
    RevocationReason, RevokedCertParams, SerialNumber,
};
use rustls_pki_types::CertificateDer;
use time::OffsetDateTime;

/// organizationIdentifier (2.5.4.97).
const ORGANIZATION_IDENTIFIER: &[u64] = &[2, 5, 4, 97];

/// Which CA a chain mirrors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Buypass Class 3 Test4 G2 ST: org number in organizationIdentifier, no EKU.
    BuypassTest4,
    /// Commfides G3 TEST: org number in serialNumber and organizationIdentifier,
    /// EKU clientAuth + emailProtection on every certificate of a set.
    CommfidesTest,
}

/// Which certificate of a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Authentication,
    Signing,
    Encryption,
}

/// What to issue.
#[derive(Debug, Clone)]
pub struct LeafSpec {
    pub org: String,
    pub name: String,
    pub purpose: Purpose,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub crl_url: Option<String>,
}

impl LeafSpec {
    /// An authentication certificate valid from a year ago for two more years.
    pub fn authentication(org: &str, name: &str, now: OffsetDateTime) -> LeafSpec {
        LeafSpec {
            org: org.into(),
            name: name.into(),
            purpose: Purpose::Authentication,
            not_before: now - time::Duration::days(365),
            not_after: now + time::Duration::days(730),
            crl_url: None,
        }
    }
}

/// An issued certificate.
#[derive(Debug, Clone)]
pub struct Leaf {
    pub der: Vec<u8>,
    pub pem: String,
    pub serial: Vec<u8>,
}

/// A two-level CA: a self-signed root and the issuing CA under it.
pub struct CaChain {
    pub(crate) style: Style,
    root_der: CertificateDer<'static>,
    issuing_der: CertificateDer<'static>,
    root: Issuer<'static, KeyPair>,
    issuing: Issuer<'static, KeyPair>,
    /// Known for a chain made here, not for one loaded from files.
    root_params: Option<CertificateParams>,
}

impl CaChain {
    /// Builds a chain with fresh RSA keys (2048 bits: the real ones are 4096, which
    /// only slows the start-up down).
    pub fn new(style: Style) -> Result<CaChain, rcgen::Error> {
        let (org, orgno, root_cn, issuing_cn) = match style {
            Style::BuypassTest4 => (
                "Buypass AS",
                "983163327",
                "Buypass Class 3 Test4 Root CA G2 ST",
                "Buypass Class 3 Test4 CA G2 ST Business",
            ),
            Style::CommfidesTest => (
                "Commfides Norge AS",
                "988312495",
                "Commfides Root CA - G3 - TEST",
                "Commfides Legal Person - G3 - TEST",
            ),
        };
        let ca_params = |cn: &str| {
            let mut p = CertificateParams::default();
            let mut dn = DistinguishedName::new();
            dn.push(DnType::CountryName, "NO");
            dn.push(DnType::CustomDnType(ORGANIZATION_IDENTIFIER.to_vec()), format!("NTRNO-{orgno}"));
            dn.push(DnType::OrganizationName, org);
            dn.push(DnType::CommonName, cn);
            p.distinguished_name = dn;
            p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
            p.not_before = time::macros::datetime!(2020-11-05 00:00 UTC);
            p.not_after = time::macros::datetime!(2045-11-05 00:00 UTC);
            p.serial_number = Some(random_serial());
            p.use_authority_key_identifier_extension = true;
            p
        };
        let root_params = ca_params(root_cn);
        let root_key = rsa_key(rcgen::RsaKeySize::_2048)?;
        let root_der = root_params.self_signed(&root_key)?.der().clone();
        let root = Issuer::new(root_params.clone(), root_key);
        let issuing_params = ca_params(issuing_cn);
        let issuing_key = rsa_key(rcgen::RsaKeySize::_2048)?;
        let issuing_der = issuing_params.signed_by(&issuing_key, &root)?.der().clone();
        let issuing = Issuer::new(issuing_params, issuing_key);
        Ok(CaChain { style, root_der, issuing_der, root, issuing, root_params: Some(root_params) })
    }

    /// The root's certificate.
    pub(crate) fn root_der(&self) -> &CertificateDer<'static> {
        &self.root_der
    }

    /// The issuing CA's certificate.
    pub(crate) fn issuing_der(&self) -> &CertificateDer<'static> {
        &self.issuing_der
    }

    /// The issuing CA, to sign with.
    pub(crate) fn issuer(&self) -> &Issuer<'static, KeyPair> {
        &self.issuing
    }

    /// Writes the chain and its keys into `dir` (root.pem/.key, issuing.pem/.key).
    pub(crate) fn save(&self, dir: &std::path::Path) -> Result<(), String> {
        let files = [
            ("root.pem", pem("CERTIFICATE", &self.root_der)),
            ("root.key", self.root.key().serialize_pem()),
            ("issuing.pem", pem("CERTIFICATE", &self.issuing_der)),
            ("issuing.key", self.issuing.key().serialize_pem()),
        ];
        for (name, text) in files {
            let p = dir.join(name);
            crate::files::write_private(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
        }
        Ok(())
    }

    /// Reads a chain [`CaChain::save`] wrote.
    pub fn load(dir: &std::path::Path, style: Style) -> Result<CaChain, String> {
        let read = |name: &str| {
            let p = dir.join(name);
            std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))
        };
        let cert = |name: &str| -> Result<CertificateDer<'static>, String> {
            let text = read(name)?;
            let (_, der) = pem_rfc7468::decode_vec(text.as_bytes()).map_err(|e| format!("{name}: {e}"))?;
            Ok(CertificateDer::from(der))
        };
        let key = |name: &str| KeyPair::from_pem(&read(name)?).map_err(|e| format!("{name}: {e}"));
        let (root_der, issuing_der) = (cert("root.pem")?, cert("issuing.pem")?);
        let root = Issuer::from_ca_cert_der(&root_der, key("root.key")?).map_err(|e| e.to_string())?;
        let issuing = Issuer::from_ca_cert_der(&issuing_der, key("issuing.key")?).map_err(|e| e.to_string())?;
        Ok(CaChain { style, root_der, issuing_der, root, issuing, root_params: None })
    }

    /// Issues an enterprise certificate for `key` in the style of the chain.
    pub fn issue(&self, spec: &LeafSpec, key: &impl PublicKeyData) -> Result<Leaf, rcgen::Error> {
        let mut p = CertificateParams::default();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CountryName, "NO");
        dn.push(DnType::OrganizationName, spec.name.clone());
        dn.push(DnType::CommonName, spec.name.clone());
        if self.style == Style::CommfidesTest {
            dn.push(DnType::CustomDnType(vec![2, 5, 4, 5]), spec.org.clone());
        }
        dn.push(DnType::CustomDnType(ORGANIZATION_IDENTIFIER.to_vec()), format!("NTRNO-{}", spec.org));
        p.distinguished_name = dn;
        p.is_ca = IsCa::ExplicitNoCa;
        p.key_usages = match (self.style, spec.purpose) {
            (Style::BuypassTest4, Purpose::Authentication) => {
                vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment]
            }
            (Style::CommfidesTest, Purpose::Authentication) => {
                vec![KeyUsagePurpose::DigitalSignature]
            }
            (_, Purpose::Signing) => vec![KeyUsagePurpose::ContentCommitment],
            (_, Purpose::Encryption) => vec![KeyUsagePurpose::KeyEncipherment, KeyUsagePurpose::DataEncipherment],
        };
        if self.style == Style::CommfidesTest {
            p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth, ExtendedKeyUsagePurpose::EmailProtection];
        }
        p.not_before = spec.not_before;
        p.not_after = spec.not_after;
        let serial = random_serial();
        p.serial_number = Some(serial.clone());
        p.use_authority_key_identifier_extension = true;
        if let Some(url) = &spec.crl_url {
            p.crl_distribution_points = vec![CrlDistributionPoint { uris: vec![url.clone()] }];
        }
        let cert = p.signed_by(key, &self.issuing)?;
        Ok(Leaf { der: cert.der().to_vec(), pem: cert.pem(), serial: serial.to_bytes() })
    }

    /// A CRL of the issuing CA listing `revoked` (serial, time, reason).
    pub fn crl(
        &self,
        revoked: &[(Vec<u8>, OffsetDateTime, Option<RevocationReason>)],
        this_update: OffsetDateTime,
        next_update: OffsetDateTime,
    ) -> Result<Vec<u8>, rcgen::Error> {
        let params = CertificateRevocationListParams {
            this_update,
            next_update,
            crl_number: SerialNumber::from(vec![1]),
            issuing_distribution_point: None,
            revoked_certs: revoked
                .iter()
                .map(|(serial, when, reason)| RevokedCertParams {
                    serial_number: SerialNumber::from(serial.clone()),
                    revocation_time: *when,
                    reason_code: *reason,
                    invalidity_date: None,
                })
                .collect(),
            key_identifier_method: KeyIdMethod::Sha256,
        };
        Ok(params.signed_by(&self.issuing)?.der().to_vec())
    }

    /// The issuing CA then the root, in PEM: what a chain file holds.
    pub fn chain_pem(&self) -> String {
        format!("{}{}", pem("CERTIFICATE", &self.issuing_der), self.root_pem())
    }

    pub fn root_pem(&self) -> String {
        pem("CERTIFICATE", &self.root_der)
    }

    /// The root reissued with the same name and key but a new serial and dates, as
    /// Buypass did with its Test4 G2 roots: both versions must anchor the same chains.
    pub fn reissued_root_pem(&self) -> Result<String, rcgen::Error> {
        let mut params = self.root_params.clone().ok_or(rcgen::Error::CouldNotParseCertificate)?;
        params.serial_number = Some(random_serial());
        params.not_before += time::Duration::days(2);
        Ok(params.self_signed(self.root.key())?.pem())
    }
}

/// PEM text of one DER object.
pub(crate) fn pem(label: &str, der: &[u8]) -> String {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der).unwrap_or_default()
}

/// A fresh RSA key pair.
pub fn rsa_key(size: rcgen::RsaKeySize) -> Result<KeyPair, rcgen::Error> {
    KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, size)
}

/// A positive 16-byte serial.
fn random_serial() -> SerialNumber {
    let mut bytes = [0u8; 16];
    aws_lc_rs::rand::fill(&mut bytes).unwrap_or(());
    bytes[0] = (bytes[0] & 0x7f) | 0x10;
    SerialNumber::from(bytes.to_vec())
}

/// A PKCS#12 file (AES-256, SHA-256 MAC: the OpenSSL 3 default) holding the
/// certificate, its key and the CA chain, as a CA delivers a soft certificate.
pub(crate) fn pkcs12(leaf_der: &[u8], key_pkcs8: &[u8], chain: &[&[u8]], password: &str) -> Result<Vec<u8>, String> {
    use p12_keystore::{Certificate, KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain};
    let mut certs = vec![Certificate::from_der(leaf_der).map_err(|e| e.to_string())?];
    for der in chain {
        certs.push(Certificate::from_der(der).map_err(|e| e.to_string())?);
    }
    let key = PrivateKey::from_der(key_pkcs8).map_err(|e| e.to_string())?;
    let mut store = KeyStore::new();
    store.add_entry("authentication", KeyStoreEntry::PrivateKeyChain(PrivateKeyChain::new(vec![1u8], key, certs)));
    store.writer(password).write().map_err(|e| e.to_string())
}

/// An RSA key as a private JWK (the form Altinn's key tool and NAIS hand out), read from
/// its PKCS#8 DER: `n`, `e`, `d`, `p`, `q`, `dp`, `dq`, `qi` of the PKCS#1 key inside.
pub(crate) fn private_jwk(key_pkcs8: &[u8], kid: &str) -> Option<serde_json::Value> {
    use crate::certificate::der;
    let info = der::elements(der::value(key_pkcs8)?)?;
    let pkcs1 = der::value(der::value(info.get(2)?)?)?;
    let ints: Vec<&[u8]> = der::elements(pkcs1)?.into_iter().map(der::value).collect::<Option<_>>()?;
    let unsigned = |b: &[u8]| -> Vec<u8> {
        let trimmed = b.strip_prefix(&[0u8][..]).filter(|t| !t.is_empty()).unwrap_or(b);
        trimmed.to_vec()
    };
    let mut jwk = crate::maskinporten::jwk::rsa_jwk(kid, &unsigned(ints.get(1)?), &unsigned(ints.get(2)?));
    let names = ["d", "p", "q", "dp", "dq", "qi"];
    for (name, value) in names.iter().zip(ints.get(3..9)?) {
        use base64::Engine;
        jwk[*name] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(unsigned(value)).into();
    }
    Some(jwk)
}
