//! `check` against certificates shaped like the real Buypass and Commfides ones.

mod common;

use altinn_doctor::sim::pki::Purpose;
use common::*;
use time::Duration;

#[test]
fn buypass_like_pem_bundle_passes_every_offline_check() {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &p.key3072);
    let cert = d.pem_bundle("bundle.pem", &p.buypass, &leaf, &p.key3072);
    let ca = d.ca(&p.buypass);
    let r = check_json(&["--cert", &cert, "--ca-file", &ca, "--org", ORG, "--offline"], &[], d.path());
    assert_eq!(r.code, 0, "{}", r.stdout);
    for id in [
        "cert.readable",
        "cert.key-match",
        "cert.validity",
        "cert.role",
        "cert.key-strength",
        "cert.issuer",
        "org.number",
    ] {
        assert_eq!(r.status(id), "pass", "{id}: {}", r.cause(id));
    }
    assert_eq!(r.status("cert.revocation"), "skip");
    assert_eq!(r.fact("cert.readable", "family"), "buypass");
    assert_eq!(r.fact("cert.readable", "generation"), "seid2");
    assert_eq!(r.fact("cert.readable", "cert_env"), "test");
    assert_eq!(r.fact("cert.readable", "org_number"), ORG);
    assert_eq!(r.fact("cert.readable", "org_number_source"), "organizationIdentifier");
    assert_eq!(r.fact("cert.readable", "role"), "authentication");
    assert_eq!(r.fact("cert.readable", "key_usage"), "digitalSignature, keyEncipherment");
    assert!(r.fact("cert.readable", "eku").is_null(), "Buypass SEID 2 has no EKU");
    assert_eq!(r.fact("cert.issuer", "anchor_source"), format!("--ca-file {ca}"));
    assert_eq!(r.fact("cert.key-strength", "key_algorithm"), "RSA 3072");
    // The thumbprint is what OpenSSL (and Windows) computes: SHA-1 of the DER.
    let pem = d.write("leaf.pem", &leaf.pem);
    let fp = String::from_utf8(d.openssl(&["x509", "-in", &pem, "-noout", "-fingerprint", "-sha1"])).unwrap();
    let want = fp.trim().rsplit('=').next().unwrap().replace(':', "");
    assert_eq!(r.fact("cert.readable", "thumbprint_sha1"), want.as_str());
}

#[test]
fn commfides_like_pkcs12_modern_and_legacy_both_read() {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.commfides, &spec(Purpose::Authentication), &p.key2048);
    let ca = d.ca(&p.commfides);
    for legacy in [false, true] {
        let name = if legacy { "legacy.p12" } else { "modern.p12" };
        let file = d.pkcs12(
            name,
            P12 { chain: &p.commfides, leaf: &leaf, key: &p.key2048, extra: &[], password: "Hemmelig-1", legacy },
        );
        let r = check_json(
            &["--cert", &file, "--ca-file", &ca, "--offline"],
            &[("ALTINN_DOCTOR_CERT_PASSWORD", "Hemmelig-1")],
            d.path(),
        );
        assert_eq!(r.code, 0, "{name}: {}", r.stdout);
        assert_eq!(r.fact("cert.readable", "format"), "PKCS#12");
        assert_eq!(r.fact("cert.readable", "family"), "commfides");
        assert_eq!(r.fact("cert.readable", "generation"), "seid2");
        // Commfides carries the number in both attributes; organizationIdentifier wins.
        assert_eq!(r.fact("cert.readable", "org_number_source"), "organizationIdentifier");
        assert!(r.fact("cert.role", "eku").as_str().unwrap().contains("clientAuth"));
        assert_eq!(r.status("cert.key-match"), "pass");
        assert_eq!(r.fact("cert.key-strength", "key_algorithm"), "RSA 2048");
        assert!(r.cause("cert.key-strength").contains("3072"), "2048 passes, recommending 3072");
    }
}

#[test]
fn a_set_in_one_pkcs12_is_searched_for_the_authentication_certificate() {
    let p = pki();
    let d = Dir::new();
    let auth = issue(&p.buypass, &spec(Purpose::Authentication), &p.key3072);
    let signing = issue(&p.buypass, &spec(Purpose::Signing), &p.key2048);
    let file = d.pkcs12(
        "set.p12",
        P12 { chain: &p.buypass, leaf: &auth, key: &p.key3072, extra: &[&signing], password: "pw", legacy: false },
    );
    let ca = d.ca(&p.buypass);
    let env = [("ALTINN_DOCTOR_CERT_PASSWORD", "pw")];
    let r = check_json(&["--cert", &file, "--ca-file", &ca, "--offline"], &env, d.path());
    assert_eq!(r.code, 0, "{}", r.stdout);
    let auth_thumb = r.fact("cert.readable", "thumbprint_sha1").as_str().unwrap().to_string();

    // Choosing the signing certificate by thumbprint: the role check names the other.
    let pem = d.write("signing.pem", &signing.pem);
    let fp = String::from_utf8(d.openssl(&["x509", "-in", &pem, "-noout", "-fingerprint", "-sha1"])).unwrap();
    let signing_thumb = fp.trim().rsplit('=').next().unwrap().to_lowercase();
    let r =
        check_json(&["--cert", &file, "--ca-file", &ca, "--offline", "--thumbprint", &signing_thumb], &env, d.path());
    assert_eq!(r.code, 1);
    assert_eq!(r.code_of("cert.role"), "wrong-role-use-other");
    assert!(r.fix("cert.role").contains(&auth_thumb), "{}", r.fix("cert.role"));
    assert_eq!(r.code_of("cert.key-match"), "belongs-to-other");
}

#[test]
fn unknown_thumbprint_lists_those_found() {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &p.key3072);
    let cert = d.pem_bundle("bundle.pem", &p.buypass, &leaf, &p.key3072);
    let r = check_json(&["--cert", &cert, "--offline", "--thumbprint", &"AB".repeat(20)], &[], d.path());
    assert_eq!(r.code, 1);
    assert_eq!(r.code_of("cert.readable"), "thumbprint-not-found");
    assert!(r.cause("cert.readable").contains("Thumbprints in the file:"));
}

#[test]
fn thumbprint_alone_shows_the_powershell_export() {
    let d = Dir::new();
    let t = "0D02D0B6C1381259AEF62F953EC24EC273C58365";
    let r = check_json(&["--thumbprint", &t.to_lowercase(), "--offline"], &[], d.path());
    assert_eq!(r.code, 1);
    assert_eq!(r.code_of("cert.readable"), "thumbprint-only");
    let fix = r.fix("cert.readable");
    assert!(fix.contains("Export-PfxCertificate") && fix.contains(&format!("Cert:\\LocalMachine\\My\\{t}")), "{fix}");
}

#[test]
fn signing_only_certificate_fails_the_role_check() {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.buypass, &spec(Purpose::Signing), &p.key2048);
    let cert = d.pem_bundle("signing.pem", &p.buypass, &leaf, &p.key2048);
    let r = check_json(&["--cert", &cert, "--ca-file", &d.ca(&p.buypass), "--offline"], &[], d.path());
    assert_eq!(r.code, 1);
    assert_eq!(r.code_of("cert.role"), "wrong-role");
    assert!(r.cause("cert.role").contains("signing"));
    assert!(r.fix("cert.role").contains("digitalSignature"));
    // A Commfides signing certificate lists clientAuth in its EKU, yet is still signing.
    let leaf = issue(&p.commfides, &spec(Purpose::Signing), &p.key2048);
    let cert = d.pem_bundle("cf-signing.pem", &p.commfides, &leaf, &p.key2048);
    let r = check_json(&["--cert", &cert, "--offline"], &[], d.path());
    assert_eq!(r.fact("cert.role", "role"), "signing");
    assert_eq!(r.status("cert.role"), "fail");
}

#[test]
fn validity_windows() {
    let p = pki();
    let d = Dir::new();
    let ca = d.ca(&p.buypass);
    let cases = [
        (Duration::days(-400), Duration::days(-5), "fail", "expired"),
        (Duration::days(5), Duration::days(400), "fail", "not-yet-valid"),
        (Duration::days(-300), Duration::days(20), "warn", "expires-urgently"),
        (Duration::days(-300), Duration::days(45), "warn", "expires-soon"),
        (Duration::days(-300), Duration::days(200), "pass", "valid"),
    ];
    for (from, to, status, code) in cases {
        let mut s = spec(Purpose::Authentication);
        s.not_before = now() + from;
        s.not_after = now() + to;
        let leaf = issue(&p.buypass, &s, &p.key2048);
        let cert = d.pem_bundle("c.pem", &p.buypass, &leaf, &p.key2048);
        let r = check_json(&["--cert", &cert, "--ca-file", &ca, "--offline"], &[], d.path());
        assert_eq!((r.status("cert.validity").as_str(), r.code_of("cert.validity").as_str()), (status, code));
        // Expiry is the validity check's verdict; the chain still verifies.
        assert_eq!(r.status("cert.issuer"), "pass", "{code}: {}", r.cause("cert.issuer"));
        let want_exit = if status == "fail" { 1 } else { 0 };
        assert_eq!(r.code, want_exit, "{code}");
        if status == "warn" {
            let strict = check_json(&["--cert", &cert, "--ca-file", &ca, "--offline", "--strict"], &[], d.path());
            assert_eq!(strict.code, 1, "--strict turns warnings into failure");
        }
    }
    // The thresholds are configurable.
    let mut s = spec(Purpose::Authentication);
    s.not_after = now() + Duration::days(100);
    let leaf = issue(&p.buypass, &s, &p.key2048);
    let cert = d.pem_bundle("c.pem", &p.buypass, &leaf, &p.key2048);
    let r = check_json(&["--cert", &cert, "--offline", "--expiry-warn-days", "120,30"], &[], d.path());
    assert_eq!(r.code_of("cert.validity"), "expires-soon");
}

#[test]
fn self_signed_and_unknown_issuers_name_maskinporten_s_answer() {
    let p = pki();
    let d = Dir::new();
    let key = d.write("k.pem", p.key2048.serialize_pem());
    let out = d.file("self.pem");
    d.openssl(&[
        "req",
        "-x509",
        "-key",
        &key,
        "-out",
        out.to_str().unwrap(),
        "-subj",
        "/C=NO/O=EGEN AS/CN=EGEN AS/serialNumber=310123456",
        "-days",
        "30",
    ]);
    let r = check_json(&["--cert", out.to_str().unwrap(), "--key", &key, "--offline"], &[], d.path());
    assert_eq!(r.code_of("cert.issuer"), "self-signed");
    assert!(r.cause("cert.issuer").contains("MP-120"));
    assert_eq!(r.fact("org.number", "org_number_source"), "serialNumber");

    // Issued by the test chain, with its chain, but the chain is not trusted (no --ca-file).
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &p.key2048);
    let cert = d.write("leaf-and-chain.pem", format!("{}{}", leaf.pem, p.buypass.chain_pem()));
    let r = check_json(&["--cert", &cert, "--offline"], &[], d.path());
    assert_eq!(r.code_of("cert.issuer"), "unknown-issuer");
    assert!(r.cause("cert.issuer").contains("MP-120"));
    // The certificate alone (a bare .cer) whose issuer is a Buypass CA by name: the
    // chain is incomplete, not the issuer wrong; the .p12 is the way out.
    let cert = d.write("leaf.cer", &leaf.der);
    let r = check_json(&["--cert", &cert, "--offline"], &[], d.path());
    assert_eq!(r.code_of("cert.issuer"), "chain-incomplete", "{}", r.cause("cert.issuer"));
    assert!(r.cause("cert.issuer").contains("Buypass") && !r.cause("cert.issuer").contains("neither"));
    assert!(r.fix("cert.issuer").contains(".p12"), "{}", r.fix("cert.issuer"));
}

#[test]
fn weak_and_unusable_keys() {
    let p = pki();
    let d = Dir::new();
    // 1024-bit RSA: aws-lc will not make one, so OpenSSL does.
    d.openssl(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "weak.key"]);
    // The RSAPublicKey inside the SPKI starts after the fixed 24-byte header of a
    // 1024-bit key's SubjectPublicKeyInfo.
    let spki = d.openssl(&["pkey", "-in", "weak.key", "-pubout", "-outform", "DER"]);
    let public = RawRsaPublic(spki[spki.len() - 140..].to_vec());
    let leaf = p.buypass.issue(&spec(Purpose::Authentication), &public).unwrap();
    let cert = d.write("weak.pem", &leaf.pem);
    let r = check_json(&["--cert", &cert, "--ca-file", &d.ca(&p.buypass), "--offline"], &[], d.path());
    assert_eq!(r.code_of("cert.key-strength"), "rsa-too-short");
    assert!(r.cause("cert.key-strength").contains("1024"));

    let ec = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &ec);
    let cert = d.pem_bundle("ec.pem", &p.buypass, &leaf, &ec);
    let r = check_json(&["--cert", &cert, "--ca-file", &d.ca(&p.buypass), "--offline"], &[], d.path());
    assert_eq!(r.code_of("cert.key-strength"), "ec-key");
    assert!(r.cause("cert.key-strength").contains("RS256"));
    assert_eq!(r.status("cert.key-match"), "pass", "an EC key still matches its certificate");
}

#[test]
fn org_number_mismatch_and_check_digit() {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &p.key2048);
    let cert = d.write("c.pem", &leaf.pem);
    let r = check_json(&["--cert", &cert, "--offline", "--org", OTHER_ORG], &[], d.path());
    assert_eq!(r.code_of("org.number"), "mismatch");
    assert!(r.cause("org.number").contains("MP-122"));
    // A synthetic number may fail MOD11: a warning that names it.
    let mut s = spec(Purpose::Authentication);
    s.org = BAD_CHECK_DIGIT_ORG.into();
    let leaf = issue(&p.buypass, &s, &p.key2048);
    let cert = d.write("c1.pem", &leaf.pem);
    let r = check_json(&["--cert", &cert, "--offline"], &[], d.path());
    assert!(r.cause("org.number").contains(BAD_CHECK_DIGIT_ORG));
    assert_eq!(r.code_of("org.number"), "check-digit");
    assert_eq!(r.status("org.number"), "warn");
    // A real (valid) number passes.
    let mut s = spec(Purpose::Authentication);
    s.org = OTHER_ORG.into();
    let leaf = issue(&p.buypass, &s, &p.key2048);
    let cert = d.write("c2.pem", &leaf.pem);
    let r = check_json(&["--cert", &cert, "--offline", "--org", "974 760 673"], &[], d.path());
    assert_eq!(r.code_of("org.number"), "matches");
}

#[test]
fn test_certificate_against_prod_names_the_maskinporten_consequence() {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &p.key2048);
    let cert = d.pem_bundle("c.pem", &p.buypass, &leaf, &p.key2048);
    let r = check_json(&["--cert", &cert, "--ca-file", &d.ca(&p.buypass), "--offline", "--env", "prod"], &[], d.path());
    assert_eq!(r.code, 1);
    assert_eq!(r.code_of("cert.issuer"), "env-mismatch");
    let cause = r.cause("cert.issuer");
    assert!(cause.contains("MP-120") && cause.contains("MP-124") && cause.contains("prod"), "{cause}");
}

#[test]
fn private_key_forms_and_mismatches() {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &p.key2048);
    let cert = d.write("c.pem", &leaf.pem);
    let key = d.write("k.pem", p.key2048.serialize_pem());
    let ca = d.ca(&p.buypass);
    let base = ["--cert", cert.as_str(), "--ca-file", ca.as_str(), "--offline", "--key"];
    // PKCS#1, encrypted PKCS#8 (AES-256), and a wrong key.
    d.openssl(&["rsa", "-in", "k.pem", "-traditional", "-out", "pkcs1.pem"]);
    d.openssl(&[
        "pkcs8",
        "-topk8",
        "-v2",
        "aes-256-cbc",
        "-in",
        "k.pem",
        "-out",
        "enc.pem",
        "-passout",
        "pass:Nøkkel 1",
    ]);
    let other = d.write("other.pem", p.other2048.serialize_pem());
    let with = |k: &str, env: &[(&str, &str)]| {
        let mut args = base.to_vec();
        args.push(k);
        check_json(&args, env, d.path())
    };
    assert_eq!(with(&key, &[]).code_of("cert.key-match"), "matches");
    assert_eq!(with(d.file("pkcs1.pem").to_str().unwrap(), &[]).code_of("cert.key-match"), "matches");
    let enc = d.file("enc.pem");
    let enc = enc.to_str().unwrap();
    assert_eq!(with(enc, &[("ALTINN_DOCTOR_CERT_PASSWORD", "Nøkkel 1")]).code_of("cert.key-match"), "matches");
    assert_eq!(with(enc, &[("ALTINN_DOCTOR_CERT_PASSWORD", "feil")]).code_of("cert.key-match"), "key-wrong-password");
    assert_eq!(with(enc, &[]).code_of("cert.key-match"), "key-password-needed");
    let r = with(&other, &[]);
    assert_eq!(r.code_of("cert.key-match"), "mismatch");
    assert!(r.fix("cert.key-match").contains("MP-124"));
    assert_eq!(with("missing.key", &[]).code_of("cert.key-match"), "key-file-not-found");
    // Only a certificate: the key check is skipped and says why.
    let r = check_json(&["--cert", &cert, "--offline"], &[], d.path());
    assert_eq!((r.status("cert.key-match").as_str(), r.code_of("cert.key-match").as_str()), ("skip", "no-key"));
}

#[test]
fn der_certificate_is_told_by_content_not_name() {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &p.key2048);
    let cert = d.write("looks-like.pem", &leaf.der);
    // A lone DER certificate: the intermediate comes from the CA file.
    let cas = d.write("cas.pem", p.buypass.chain_pem());
    let r = check_json(&["--cert", &cert, "--ca-file", &cas, "--offline"], &[], d.path());
    assert_eq!(r.fact("cert.readable", "format"), "DER");
    assert_eq!(r.status("cert.issuer"), "pass");
}

/// An RSA public key for rcgen to certify (its PKCS#1 RSAPublicKey bytes).
struct RawRsaPublic(Vec<u8>);

impl rcgen::PublicKeyData for RawRsaPublic {
    fn der_bytes(&self) -> &[u8] {
        &self.0
    }
    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        &rcgen::PKCS_RSA_SHA256
    }
}

#[test]
fn anchors_match_by_name_and_key_not_by_certificate_hash() {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &p.key2048);
    // The file carries the original root; the user trusts the reissued one.
    let cert = d.pem_bundle("c.pem", &p.buypass, &leaf, &p.key2048);
    let reissued = d.write("reissued.pem", p.buypass.reissued_root_pem().unwrap());
    assert_ne!(std::fs::read_to_string(&reissued).unwrap(), p.buypass.root_pem());
    let r = check_json(&["--cert", &cert, "--ca-file", &reissued, "--offline"], &[], d.path());
    assert_eq!(r.status("cert.issuer"), "pass", "{}", r.cause("cert.issuer"));
    assert_eq!(r.fact("cert.issuer", "anchor_source"), format!("--ca-file {reissued}"));
}
