//! The gate a pipeline trusts: settings that look set but would act otherwise (a
//! boolean spelt `TRUE`, an empty variable) stop the run with exit 2 and say so.

mod common;

use common::*;

/// A file whose top level is checkable offline and whose one profile is broken.
fn config_with_a_broken_profile(d: &Dir) -> String {
    let cert = fixtures().join("buypass-seid2-test4-auth-testvirksomhet.pem");
    d.write(
        "customers.toml",
        format!("cert = {:?}\noffline = true\n\n[profile.broken]\nenv = \"staging\"\n", cert.to_str().unwrap()),
    )
}

#[test]
fn every_spelling_of_true_checks_every_profile_and_an_unknown_one_is_usage() {
    let d = Dir::new();
    let config = config_with_a_broken_profile(&d);
    let alone = run(&["check", "--config", &config], &[], d.path());
    assert_ne!(alone.code, 2, "the top level alone reads: {}", alone.stderr);
    for spelling in ["TRUE", "True", "yes", "on", "1"] {
        let r = run(&["check", "--config", &config], &[("ALTINN_DOCTOR_ALL_PROFILES", spelling)], d.path());
        assert_eq!(r.code, 2, "{spelling}: the broken profile is checked and is the worst\n{}", r.stdout);
        assert!(r.stdout.contains("── profile broken ──"), "{spelling}: {}", r.stdout);
    }
    for spelling in ["off", "FALSE", "0", "no"] {
        let r = run(&["check", "--config", &config], &[("ALTINN_DOCTOR_ALL_PROFILES", spelling)], d.path());
        assert!(!r.stdout.contains("profile broken"), "{spelling}: {}", r.stdout);
    }
    for (value, says) in [("sure", "must be true or false"), ("", "is empty"), ("  ", "is empty")] {
        let r = run(&["check", "--config", &config], &[("ALTINN_DOCTOR_ALL_PROFILES", value)], d.path());
        assert_eq!(r.code, 2, "`{value}`: {}", r.stdout);
        assert!(r.stderr.contains("ALTINN_DOCTOR_ALL_PROFILES") && r.stderr.contains(says), "`{value}`: {}", r.stderr);
        assert!(r.stdout.is_empty(), "no report when the run was not what was asked: {}", r.stdout);
    }
}

#[test]
fn an_empty_variable_is_a_usage_error_that_names_it() {
    let d = Dir::new();
    let config = config_with_a_broken_profile(&d);
    let cases = [
        ("ALTINN_DOCTOR_ENTERPRISE_PASSWORD", ""),
        ("ALTINN_DOCTOR_API_KEY", ""),
        ("ALTINN_DOCTOR_CERT_PASSWORD", ""),
        ("ALTINN_DOCTOR_REQUIRE_ACCESS_PACKAGE", ""),
        ("ALTINN_DOCTOR_REQUIRE_ACCESS_PACKAGE", " , "),
        ("ALTINN_DOCTOR_REQUIRE_ROLE", " "),
        ("ALTINN_DOCTOR_SCOPE", ""),
        ("ALTINN_DOCTOR_CA_FILE", ""),
        ("ALTINN_DOCTOR_CRL", ""),
        ("ALTINN_DOCTOR_STRICT", ""),
        ("ALTINN_DOCTOR_ENTERPRISE_PASSWORD_FILE", ""),
    ];
    for (var, value) in cases {
        let r = run(&["check", "--config", &config], &[(var, value)], d.path());
        assert_eq!(r.code, 2, "{var}=`{value}`: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(var) && r.stderr.contains("is empty"), "{var}: {}", r.stderr);
    }
    let empty = d.write("password", "\n");
    let r = run(&["check", "--config", &config], &[("ALTINN_DOCTOR_ENTERPRISE_PASSWORD_FILE", &empty)], d.path());
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("password") && r.stderr.contains("is empty"), "{}", r.stderr);
}

#[test]
fn an_empty_value_in_the_file_is_a_usage_error_too() {
    let d = Dir::new();
    let config = d.write("p.toml", "enterprise_password = \"\"\nrequire_access_package = \"\"\n");
    let r = run(&["check", "--config", &config], &[], d.path());
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("is empty"), "{}", r.stderr);
}

#[test]
fn the_ca_file_variable_is_read() {
    // `ALTINN_DOCTOR_CA_FILE` ends in `_FILE` like a secret's file variable, and was once
    // taken for one and never read.
    let d = Dir::new();
    let config = config_with_a_broken_profile(&d);
    let missing = d.file("missing-ca.pem");
    let r = run(&["check", "--config", &config], &[("ALTINN_DOCTOR_CA_FILE", missing.to_str().unwrap())], d.path());
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("missing-ca.pem") && r.stderr.contains("no such file"), "{}", r.stderr);
}
