//! Trust anchors: the bundled Buypass and Commfides CAs (see trust/MANIFEST.md), plus `--ca-file`.

use std::path::{Path, PathBuf};

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use super::facts::{CertFacts, Classification, Family, Generation};
use crate::vocab::{Environment, Problem};

/// One CA certificate shipped in the binary, with what the manifest says of it.
pub(crate) struct Bundled {
    pub(crate) file: &'static str,
    pub(crate) pem: &'static [u8],
    pub(crate) classification: Classification,
    pub(crate) root: bool,
}

macro_rules! bundled {
    ($file:literal, $family:ident, $generation:ident, $env:ident, $root:expr) => {
        Bundled {
            file: $file,
            pem: include_bytes!(concat!("trust/", $file)),
            classification: Classification {
                family: Family::$family,
                generation: Generation::$generation,
                env: Environment::$env,
            },
            root: $root,
        }
    };
}

/// The bundled CAs, as listed in trust/MANIFEST.md.
pub(crate) const BUNDLE: &[Bundled] = &[
    bundled!("buypass-prod-root-seid1.pem", Buypass, Seid1, Prod, true),
    bundled!("buypass-prod-ca3-seid1.pem", Buypass, Seid1, Prod, false),
    bundled!("buypass-prod-root-g2-st.pem", Buypass, Seid2, Prod, true),
    bundled!("buypass-prod-ca-g2-st-business.pem", Buypass, Seid2, Prod, false),
    bundled!("buypass-prod-root-g2-ht.pem", Buypass, Seid2, Prod, true),
    bundled!("buypass-prod-ca-g2-ht-business.pem", Buypass, Seid2, Prod, false),
    bundled!("buypass-test4-root-seid1.pem", Buypass, Seid1, Test, true),
    bundled!("buypass-test4-ca3-seid1.pem", Buypass, Seid1, Test, false),
    bundled!("buypass-test4-root-g2-st.pem", Buypass, Seid2, Test, true),
    bundled!("buypass-test4-ca-g2-st-business.pem", Buypass, Seid2, Test, false),
    bundled!("buypass-test4-root-g2-ht.pem", Buypass, Seid2, Test, true),
    bundled!("buypass-test4-ca-g2-ht-business.pem", Buypass, Seid2, Test, false),
    bundled!("commfides-prod-root-g3.pem", Commfides, Seid2, Prod, true),
    bundled!("commfides-prod-legal-person-g3.pem", Commfides, Seid2, Prod, false),
    bundled!("commfides-test-root-g3.pem", Commfides, Seid2, Test, true),
    bundled!("commfides-test-legal-person-g3.pem", Commfides, Seid2, Test, false),
];

/// Where a CA certificate the doctor trusts came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorOrigin {
    Bundled { file: &'static str, classification: Classification },
    CaFile { path: PathBuf },
}

/// A CA certificate the doctor knows.
#[derive(Debug, Clone)]
pub struct KnownCa {
    pub der: CertificateDer<'static>,
    pub(crate) facts: CertFacts,
    pub origin: AnchorOrigin,
    /// Trust anchors end a chain; the others only help build one.
    pub(crate) anchor: bool,
}

/// The bundled CAs and those the user added.
#[derive(Debug, Clone)]
pub struct TrustStore {
    pub cas: Vec<KnownCa>,
}

impl TrustStore {
    /// The bundle alone.
    pub fn bundled() -> TrustStore {
        let cas = BUNDLE
            .iter()
            .map(|b| {
                let der = CertificateDer::from_pem_slice(b.pem).expect("bundled CA is valid PEM");
                let facts = CertFacts::read(&der).expect("bundled CA parses");
                KnownCa {
                    der,
                    facts,
                    origin: AnchorOrigin::Bundled { file: b.file, classification: b.classification },
                    anchor: b.root,
                }
            })
            .collect();
        TrustStore { cas }
    }

    /// The bundle plus every certificate in each `--ca-file`, all trusted as anchors.
    pub(crate) fn with_ca_files(paths: &[PathBuf]) -> Result<TrustStore, Problem> {
        let mut store = TrustStore::bundled();
        for path in paths {
            store.cas.extend(read_ca_file(path)?);
        }
        Ok(store)
    }

    pub(crate) fn anchors(&self) -> impl Iterator<Item = &KnownCa> {
        self.cas.iter().filter(|c| c.anchor)
    }

    pub(crate) fn intermediates(&self) -> impl Iterator<Item = &KnownCa> {
        self.cas.iter().filter(|c| !c.anchor)
    }
}

fn read_ca_file(path: &Path) -> Result<Vec<KnownCa>, Problem> {
    let shown = path.display().to_string();
    let bytes =
        crate::files::read(path, crate::files::MAX_CA_FILE).map_err(|e| Problem::cannot_read(path, e.problem()))?;
    let ders: Vec<CertificateDer<'static>> = if bytes.first() == Some(&0x30) {
        vec![CertificateDer::from(bytes)]
    } else {
        CertificateDer::pem_slice_iter(&bytes)
            .collect::<Result<_, _>>()
            .map_err(|e| Problem::CaNotPem { path: shown.clone(), detail: e.to_string() })?
    };
    if ders.is_empty() {
        return Err(Problem::CaEmpty { path: shown });
    }
    ders.into_iter()
        .map(|der| {
            let facts =
                CertFacts::read(&der).map_err(|e| Problem::CaBadCertificate { path: shown.clone(), detail: e.0 })?;
            Ok(KnownCa { der, facts, origin: AnchorOrigin::CaFile { path: path.to_path_buf() }, anchor: true })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_parses_and_matches_manifest() {
        let store = TrustStore::bundled();
        assert_eq!(store.cas.len(), 16);
        for ca in &store.cas {
            assert!(ca.facts.is_ca, "{}", ca.facts.subject);
            let AnchorOrigin::Bundled { classification, file } = &ca.origin else { unreachable!() };
            // The name-based reading agrees with the manifest for every bundled CA.
            let cn = ca.facts.subject_cn.as_deref().unwrap();
            assert_eq!(Classification::from_issuer_name(cn).as_ref(), Some(classification), "{file}");
            assert_eq!(ca.anchor, ca.facts.self_issued, "{file}");
        }
    }
}
