//! Revocation: CRLs the tests make (revoked, on hold, stale, foreign, served over HTTP)
//! and the real Buypass and Commfides CRLs.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;

use altinn_doctor::certificate::revocation::Crl;
use altinn_doctor::certificate::{CertFacts, TrustStore};
use altinn_doctor::sim::pki::Purpose;
use common::*;
use rcgen::RevocationReason;
use time::Duration;

struct Setup {
    d: Dir,
    cert: String,
    ca: String,
    serial: Vec<u8>,
}

fn setup(crl_url: Option<String>) -> Setup {
    let p = pki();
    let d = Dir::new();
    let mut s = spec(Purpose::Authentication);
    s.crl_url = crl_url;
    let leaf = issue(&p.buypass, &s, &p.key2048);
    let cert = d.pem_bundle("c.pem", &p.buypass, &leaf, &p.key2048);
    let ca = d.ca(&p.buypass);
    Setup { d, cert, ca, serial: leaf.serial }
}

fn crl(revoked: &[(Vec<u8>, Option<RevocationReason>)], next: Duration) -> Vec<u8> {
    let when = now() - Duration::days(10);
    let list: Vec<_> = revoked.iter().map(|(s, r)| (s.clone(), when, *r)).collect();
    pki().buypass.crl(&list, now() - Duration::days(1), now() + next).unwrap()
}

fn with_crl(s: &Setup, crl_der: &[u8]) -> Run {
    let file = s.d.write("list.crl", crl_der);
    check_json(&["--cert", &s.cert, "--ca-file", &s.ca, "--crl", &file, "--offline"], &[], s.d.path())
}

#[test]
fn revoked_certificate_fails_with_date_and_reason() {
    let s = setup(None);
    let r = with_crl(&s, &crl(&[(s.serial.clone(), Some(RevocationReason::KeyCompromise))], Duration::days(1)));
    assert_eq!(r.code, 1);
    assert_eq!(r.code_of("cert.revocation"), "revoked");
    let cause = r.cause("cert.revocation");
    let date = altinn_doctor::vocab::times::date(now() - Duration::days(10));
    assert!(cause.contains("keyCompromise") && cause.contains(&date), "{cause}");
}

#[test]
fn certificate_on_hold_is_its_own_failure() {
    let s = setup(None);
    let r = with_crl(&s, &crl(&[(s.serial.clone(), Some(RevocationReason::CertificateHold))], Duration::days(1)));
    assert_eq!(r.code_of("cert.revocation"), "on-hold");
}

#[test]
fn not_listed_passes_and_stale_warns() {
    let s = setup(None);
    let other = vec![0x42; 16];
    let r = with_crl(&s, &crl(&[(other.clone(), None)], Duration::days(1)));
    assert_eq!(r.code_of("cert.revocation"), "not-revoked");
    assert_eq!(r.fact("cert.revocation", "crl_entries"), 1);
    let r = with_crl(&s, &crl(&[(other, None)], Duration::hours(-2)));
    assert_eq!((r.status("cert.revocation").as_str(), r.code_of("cert.revocation").as_str()), ("warn", "stale"));
}

#[test]
fn a_crl_of_another_ca_or_forged_is_not_trusted() {
    let s = setup(None);
    let foreign = pki().commfides.crl(&[], now() - Duration::days(1), now() + Duration::days(1)).unwrap();
    let r = with_crl(&s, &foreign);
    assert_eq!(r.code_of("cert.revocation"), "crl-not-for-issuer");
    // Flip a bit in the signature: the CRL no longer verifies with the issuing CA.
    let mut forged = crl(&[], Duration::days(1));
    let last = forged.len() - 3;
    forged[last] ^= 0x01;
    let r = with_crl(&s, &forged);
    assert_eq!(r.code_of("cert.revocation"), "crl-signature-invalid");
    let r = with_crl(&s, b"not a crl");
    assert_eq!(r.code_of("cert.revocation"), "crl-file-unreadable");
}

#[test]
fn crl_fetched_over_http_from_the_certificate_s_distribution_point() {
    // Bind first: the certificate names the port, and the CRL lists the certificate.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/ca.crl", listener.local_addr().unwrap());
    let s = setup(Some(url.clone()));
    let body = crl(&[(s.serial.clone(), Some(RevocationReason::Superseded))], Duration::days(1));
    std::thread::spawn(move || {
        if let Some(Ok(mut stream)) = listener.incoming().next() {
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    let r = check_json(&["--cert", &s.cert, "--ca-file", &s.ca], &[], s.d.path());
    assert_eq!(r.code_of("cert.revocation"), "revoked", "{}", r.cause("cert.revocation"));
    assert_eq!(r.fact("cert.revocation", "crl_source"), url.as_str());
}

#[test]
fn unreachable_crl_is_a_warning_not_a_failure() {
    // Bind and drop: nothing listens on the port any more.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let s = setup(Some(format!("http://127.0.0.1:{port}/ca.crl")));
    let r = check_json(&["--cert", &s.cert, "--ca-file", &s.ca], &[], s.d.path());
    assert_eq!((r.status("cert.revocation").as_str(), r.code_of("cert.revocation").as_str()), ("warn", "unreachable"));
    assert!(r.fix("cert.revocation").contains("--crl"));
}

fn real_crl(name: &str) -> Crl {
    Crl::parse(&std::fs::read(fixtures().join("crl").join(name)).unwrap()).unwrap()
}

fn bundled(file: &str) -> Vec<u8> {
    let store = TrustStore::bundled();
    let ca = store.cas.iter().find(
        |c| matches!(&c.origin, altinn_doctor::certificate::trust::AnchorOrigin::Bundled { file: f, .. } if *f == file),
    );
    ca.unwrap().der.to_vec()
}

#[test]
fn real_crls_parse_and_verify_against_the_real_cas() {
    for (crl, ca, wrong, entries) in [
        (
            "buypass-test4-ca-g2-st-business.crl",
            "buypass-test4-ca-g2-st-business.pem",
            "buypass-prod-ca-g2-st-business.pem",
            112,
        ),
        (
            "commfides-test-legal-person-g3.crl",
            "commfides-test-legal-person-g3.pem",
            "commfides-prod-legal-person-g3.pem",
            15,
        ),
        (
            "buypass-prod-ca-g2-st-business.crl",
            "buypass-prod-ca-g2-st-business.pem",
            "buypass-test4-ca-g2-st-business.pem",
            1391,
        ),
        (
            "commfides-prod-legal-person-g3.crl",
            "commfides-prod-legal-person-g3.pem",
            "commfides-test-legal-person-g3.pem",
            8,
        ),
    ] {
        let c = real_crl(crl);
        assert_eq!(c.facts.entries, entries, "{crl}");
        assert!(c.verify_with_issuer(&bundled(ca)), "{crl} verifies with {ca}");
        assert!(!c.verify_with_issuer(&bundled(wrong)), "{crl} must not verify with {wrong}");
    }
}

#[test]
fn unassigned_reason_code_7_counts_as_revoked_with_unknown_reason() {
    let c = real_crl("commfides-test-legal-person-g3.crl");
    let p = pki();
    let leaf = issue(&p.commfides, &spec(Purpose::Authentication), &p.key2048);
    let mut facts = CertFacts::read(&leaf.der).unwrap();
    facts.raw_serial = hex("7E574F7E02B3A23DBFC589296BFE9E780FA9D0E4");
    let entry = c.lookup(&facts).expect("listed");
    assert_eq!(entry.reason, Some(7));
    assert!(altinn_doctor::certificate::revocation::reason_name(entry.reason) == "reasonCode 7");
    // And a certificateHold entry of the real Buypass production CRL.
    let c = real_crl("buypass-prod-ca-g2-st-business.crl");
    facts.raw_serial = hex("587F872B5240F9DF6A1C");
    assert_eq!(c.lookup(&facts).unwrap().reason, Some(6));
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn real_certificate_with_real_crl_at_a_date_when_it_was_current() {
    let d = Dir::new();
    let cert = fixtures().join("buypass-seid2-test4-auth-testvirksomhet.pem");
    let crl = fixtures().join("crl/buypass-test4-ca-g2-st-business.crl");
    let args = ["--cert", cert.to_str().unwrap(), "--crl", crl.to_str().unwrap()];
    let mut at = args.to_vec();
    at.extend(["--at", "2025-04-03T12:00:00Z"]);
    let r = check_json(&at, &[], d.path());
    assert_eq!(r.code_of("cert.revocation"), "not-revoked", "{}", r.cause("cert.revocation"));
    // Today the same CRL is long out of date.
    let r = check_json(&args, &[], d.path());
    assert_eq!(r.code_of("cert.revocation"), "stale");
}
