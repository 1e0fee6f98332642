//! CRLs (DER or PEM): parsing, the look-up of a serial, the signature check.
#![no_main]

use std::sync::OnceLock;

use altinn_doctor::certificate::CertFacts;
use altinn_doctor::certificate::revocation::Crl;
use libfuzzer_sys::fuzz_target;

/// A real certificate (Buypass Test4) to look up, and its issuer to verify with.
fn cert() -> &'static (CertFacts, Vec<u8>) {
    static CERT: OnceLock<(CertFacts, Vec<u8>)> = OnceLock::new();
    CERT.get_or_init(|| {
        let pem = include_bytes!("../../tests/fixtures/buypass-seid2-test4-auth-testvirksomhet.pem");
        let der = pem_der(pem);
        let issuer = pem_der(include_bytes!("../../src/certificate/trust/buypass-test4-ca-g2-st-business.pem"));
        (CertFacts::read(&der).expect("the fixture is a certificate"), issuer)
    })
}

fn pem_der(pem: &[u8]) -> Vec<u8> {
    use rustls_pki_types::pem::PemObject;
    rustls_pki_types::CertificateDer::from_pem_slice(pem).expect("a PEM certificate").to_vec()
}

fuzz_target!(|data: &[u8]| {
    if let Ok(crl) = Crl::parse(data) {
        let (facts, issuer) = cert();
        let _ = crl.lookup(facts);
        let _ = crl.verify_with_issuer(issuer);
    }
});
