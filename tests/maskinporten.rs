//! The Maskinporten checks against the simulator over real HTTPS on loopback: a passing
//! client, every refusal the doctor can provoke, clock skew, and network faults.

mod common;

use std::time::Duration;

use altinn_doctor::sim::pki::LeafSpec;
use altinn_doctor::sim::server::Faults;
use altinn_doctor::sim::world::{self, Options};
use altinn_doctor::vocab::Environment;
use common::*;

const DEMO: &str = "312345676";
const SUPPLIER: &str = "310987654";

#[test]
fn a_correct_client_passes_every_check() {
    let s = start_sim(Options::default());
    let r = s.check(&[]);
    r.assert_all_pass();
    assert_eq!(r.fact("mp.discovery", "mp_issuer"), "https://test.maskinporten.no/");
    assert_eq!(r.fact("mp.token", "expires_in"), 599, "the scope's lifetime, not a constant");
    assert_eq!(r.fact("mp.token-claims", "consumer"), DEMO);
    assert_eq!(r.fact("mp.token-claims", "client_amr"), "virksomhetssertifikat");
    assert_eq!(r.fact("mp.token-claims", "signature"), "verified");
    // The whole chain in x5c is accepted too.
    let r = s.check(&["--x5c-chain"]);
    assert_eq!(r.status("mp.token"), "pass", "{}", r.cause("mp.token"));
}

/// A refusal's cause code, and that its trace id is shown.
fn refused(r: &Run) -> String {
    assert_eq!(r.status("mp.token"), "fail", "{}", r.cause("mp.token"));
    let trace = r.fact("mp.token", "trace_id");
    assert!(trace.as_str().is_some_and(|t| t.len() >= 16), "trace id shown: {trace}");
    assert!(r.cause("mp.token").contains(trace.as_str().unwrap()), "the cause names the trace id");
    assert_eq!(r.status("mp.token-claims"), "skip");
    r.code_of("mp.token")
}

#[test]
fn client_refusals_are_diagnosed() {
    let s = start_sim(Options::default());
    let cases: &[(&[&str], &str, &str)] = &[
        (&["--client-id", "no-such-client"], "client-not-found", "MP-100"),
        // A client of the other environment is not found in this one (the real text).
        (&["--client-id", world::PROD_CLIENT], "client-not-found", "MP-100"),
        (&["--client-id", world::SUPPLIER_CLIENT], "org-mismatch", "MP-122"),
        (&["--scope", "digdir:not-on-client"], "scope-not-on-client", "MP-200"),
        (&["--scope", world::SCOPE_IDPORTEN], "scope-wrong-integration", "MP-201"),
        (&["--scope", world::SCOPE_NOT_GRANTED], "scope-owned-by", "MP-250"),
        (&["--consumer-org", DEMO], "consumer-org-is-self", ""),
    ];
    for (args, code, mp) in cases {
        let r = s.check(args);
        assert_eq!(refused(&r), *code, "{args:?}: {}", r.cause("mp.token"));
        assert!(r.cause("mp.token").contains(mp), "{args:?} names {mp}: {}", r.cause("mp.token"));
        assert!(!r.fix("mp.token").is_empty());
        assert_eq!(r.code, 1);
    }
    // MP-250 names the scope's owner (from the catalogue), and asks a supplier whether
    // consumer_org is missing.
    let r = s.check(&["--scope", world::SCOPE_NOT_GRANTED]);
    assert!(r.cause("mp.token").contains(world::SCOPE_NOT_GRANTED_OWNER), "{}", r.cause("mp.token"));
    assert!(r.fix("mp.token").contains("consumer-org"), "{}", r.fix("mp.token"));
}

#[test]
fn the_scope_catalogue_is_read_before_the_token_request() {
    let s = start_sim(Options::default());
    let r = s.check(&[]);
    assert_eq!(r.code_of("mp.scopes"), "known-lifetime", "{}", r.cause("mp.scopes"));
    assert!(r.cause("mp.scopes").contains("599 s"), "{}", r.cause("mp.scopes"));
    // The lowest at_max_age of the scopes asked for caps the token, and is named.
    let both = s.check(&["--scope", world::SCOPE, "--scope", world::SCOPE_GRANTED]);
    let cause = both.cause("mp.scopes");
    assert!(cause.contains("120 s") && cause.contains(world::SCOPE_GRANTED), "{cause}");
    assert_eq!(both.fact("mp.token", "expires_in"), 120, "Maskinporten's expires_in is the cap");
    let entry = &r.fact("mp.scopes", "scope_catalogue")[0];
    assert_eq!((entry["scope"].as_str(), entry["accessible_for_all"].as_bool()), (Some(world::SCOPE), Some(true)));
    assert_eq!(entry["owner_orgno"], world::DIGDIR);
    let r = s.check(&["--scope", world::SCOPE_IDPORTEN]);
    assert_eq!(r.code_of("mp.scopes"), "wrong-integration", "{}", r.cause("mp.scopes"));
    // A scope the catalogue does not list proves nothing: a warning, and the granted token
    // proves the point.
    let r = s.check(&["--scope", "digdir:not-on-client"]);
    assert_eq!(r.code_of("mp.scopes"), "not-listed");
    assert_eq!(r.status("mp.scopes"), "warn");
    // An open scope the client lacks: add it yourself, no one grants it.
    let r = s.check(&[
        "--client-id",
        world::NO_RIGHTS_SCOPE_CLIENT,
        "--scope",
        "altinn:accessmanagement/authorizedparties",
    ]);
    assert_eq!(refused(&r), "scope-not-on-client-open", "{}", r.cause("mp.token"));
    assert!(r.fix("mp.token").contains("no one needs to grant it"));
    // A supplier's consumer_org with a scope that cannot be delegated.
    let p12 = s.dir.file(format!("{SUPPLIER}.p12").as_str());
    let supplier = [
        "--cert",
        p12.to_str().unwrap(),
        "--org",
        SUPPLIER,
        "--client-id",
        world::SUPPLIER_CLIENT,
        "--consumer-org",
        DEMO,
        "--scope",
        "altinn:accessmanagement/authorizedparties",
    ];
    let r = s.check(&supplier);
    assert_eq!(r.code_of("mp.scopes"), "not-delegable", "{}", r.cause("mp.scopes"));
    // A Maskinporten of its own and no catalogue named: not read (never the real host).
    let env: Vec<(&str, &str)> = s.env().into_iter().filter(|(k, _)| *k != "ALTINN_DOCTOR_SAMARBEID_URL").collect();
    let text = std::fs::read_to_string(&s.profile).unwrap();
    let without: String = text.lines().filter(|l| !l.starts_with("samarbeid_url")).map(|l| format!("{l}\n")).collect();
    let profile = s.dir.write("no-catalogue.toml", without);
    let r = check_json(&["--config", &profile], &env, s.dir.path());
    assert_eq!(r.code_of("mp.scopes"), "no-catalogue");
}

#[test]
fn supplier_acting_for_a_customer() {
    let s = start_sim(Options::default());
    let p12 = s.dir.file(format!("{SUPPLIER}.p12").as_str());
    let p12 = p12.to_str().unwrap();
    let supplier = ["--cert", p12, "--org", SUPPLIER, "--client-id", world::SUPPLIER_CLIENT, "--consumer-org", DEMO];
    let r = s.check(&supplier);
    assert_eq!(r.status("mp.token"), "pass", "{}", r.cause("mp.token"));
    assert_eq!(r.fact("mp.token-claims", "consumer"), DEMO);
    assert_eq!(r.fact("mp.token-claims", "supplier"), SUPPLIER);
    // A scope the customer has not delegated: MP-251.
    let mut args = supplier.to_vec();
    args.extend(["--scope", world::SCOPE_GRANTED]);
    let r = s.check(&args);
    assert_eq!(refused(&r), "delegation-missing");
    assert!(r.cause("mp.token").contains("MP-251"));
}

#[test]
fn test_certificate_against_prod_is_the_environment_mix_up() {
    let s = start_sim(Options { env: Environment::Prod, ..Options::default() });
    let r = s.check(&["--env", "prod", "--client-id", world::PROD_CLIENT]);
    assert_eq!(r.code_of("cert.issuer"), "env-mismatch");
    assert_eq!(r.status("mp.discovery"), "pass", "the prod simulator names the prod issuer");
    assert_eq!(refused(&r), "environment-mix-up");
    let cause = r.cause("mp.token");
    assert!(cause.contains("MP-120") && cause.contains("test certificate"), "{cause}");
}

#[test]
fn expired_certificate_refused_with_mp124_is_explained() {
    let s = start_sim(Options::default());
    let org = world().org(DEMO).unwrap();
    let mut spec = LeafSpec::authentication(DEMO, org.name, now());
    spec.not_before = now() - time::Duration::days(800);
    spec.not_after = now() - time::Duration::days(3);
    let leaf = world().ca.issue(&spec, &org.key).unwrap();
    let pem = s.dir.write("expired.pem", format!("{}{}", leaf.pem, org.key.serialize_pem()));
    let r = s.check(&["--cert", &pem]);
    assert_eq!(r.code_of("cert.validity"), "expired");
    assert_eq!(refused(&r), "certificate-expired");
    assert!(r.cause("mp.token").contains("MP-124"));
}

#[test]
fn registered_key_clients() {
    let s = start_sim(Options::default());
    let key = s.dir.file(format!("{DEMO}.pem").as_str());
    let key = key.to_str().unwrap();
    let kid_client = ["--client-id", world::KEY_CLIENT, "--key", key];
    // With the key alone, no certificate: the certificate checks step aside.
    let only_key = Dir::new();
    only_key.write("profile.toml", format!(
        "maskinporten_url = \"{}\"\nca_file = [\"{}\"]\nclient_id = \"{}\"\nscope = [\"{}\"]\nkid = \"{}\"\nkey = \"{key}\"\n",
        s.sim.base_url, s.dir.file("ca.pem").display(), world::KEY_CLIENT, world::SCOPE, world::KEY_ID
    ));
    let r = check_json(&["--config", only_key.file("profile.toml").to_str().unwrap()], &s.env(), only_key.path());
    assert_eq!(r.code_of("cert.readable"), "key-client");
    assert_eq!(r.status("mp.token"), "pass", "{}", r.cause("mp.token"));
    assert_eq!(r.fact("mp.token-claims", "client_amr"), "private_key_jwt");
    assert_eq!(r.code, 0, "{}", r.stdout);

    let r = s.check(&[&kid_client[..], &["--kid", "another-kid"]].concat());
    assert_eq!(refused(&r), "unknown-kid");
    // The other cause of the same answer: a kid sent to a client that has no key uploaded.
    let r = s.check(&["--kid", world::KEY_ID]);
    assert_eq!(refused(&r), "unknown-kid");
    // A key client sent a certificate grant.
    let r = s.check(&["--client-id", world::KEY_CLIENT]);
    assert_eq!(refused(&r), "key-required");
    // The right kid, the wrong key: MP-124.
    let other = s.dir.file(format!("{SUPPLIER}.pem").as_str());
    let r = s.check(&["--client-id", world::KEY_CLIENT, "--kid", world::KEY_ID, "--key", other.to_str().unwrap()]);
    assert_eq!(refused(&r), "bad-signature");
    // A key registered more than a year ago: MP-121.
    if let Ok(mut reg) = s.sim.state.mp.registry.write() {
        let c = reg.clients.iter_mut().find(|c| c.client_id == world::KEY_CLIENT).unwrap();
        c.key_registered = Some("2020-01-01".into());
    }
    let r = s.check(&[&kid_client[..], &["--kid", world::KEY_ID]].concat());
    assert_eq!(refused(&r), "expired-key");
    assert!(r.cause("mp.token").contains("MP-121"));
}

#[test]
fn certificate_maskinporten_does_not_trust_is_mp120() {
    let s = start_sim(Options::default());
    let key = s.dir.file(format!("{DEMO}.pem").as_str());
    let out = s.dir.file("self.pem");
    s.dir.openssl(&[
        "req",
        "-x509",
        "-key",
        key.to_str().unwrap(),
        "-out",
        out.to_str().unwrap(),
        "-subj",
        &format!("/C=NO/O=DEMOBEDRIFT AS/CN=DEMOBEDRIFT AS/organizationIdentifier=NTRNO-{DEMO}"),
        "-days",
        "30",
    ]);
    let r = s.check(&["--cert", out.to_str().unwrap(), "--key", key.to_str().unwrap()]);
    assert_eq!(r.code_of("cert.issuer"), "self-signed");
    assert_eq!(refused(&r), "invalid-certificate");
    assert!(r.cause("mp.token").contains("MP-120"));
}

#[test]
fn an_answer_the_catalogue_does_not_know_is_shown_verbatim() {
    let s = start_sim(Options::default());
    let body = r#"{"error":"temporarily_unavailable","error_description":"Quota for client exceeded today (trace_id: 0f0f0f0f0f0f0f0f)"}"#;
    s.sim.set_faults(Faults { token_answer: Some((400, body.into())), ..Faults::default() });
    let r = s.check(&[]);
    assert_eq!(refused(&r), "unrecognised");
    let cause = r.cause("mp.token");
    assert!(cause.contains("temporarily_unavailable") && cause.contains("Quota for client exceeded today"), "{cause}");
    assert!(r.fix("mp.token").contains("servicedesk"));
}

#[test]
fn clock_skew_both_ways() {
    // The simulator's clock 30 s ahead: the local clock is behind.
    let s = start_sim(Options { clock_offset_s: 30, ..Options::default() });
    let r = s.check(&[]);
    assert_eq!(r.code_of("mp.clock"), "behind");
    // The Date header has whole seconds: 30 s of offset reads as 29 or 30.
    let cause = r.cause("mp.clock");
    assert!(cause.contains("30 s behind") || cause.contains("29 s behind"), "{cause}");
    // The simulator's clock 30 s behind: the local clock is ahead, grants are "from the future".
    s.sim.set_clock_offset(-30);
    let r = s.check(&[]);
    assert_eq!(r.code_of("mp.clock"), "ahead");
    assert_eq!(refused(&r), "issued-in-future");
    // 7 s: a warning.
    s.sim.set_clock_offset(-7);
    let r = s.check(&[]);
    assert_eq!((r.status("mp.clock").as_str(), r.code_of("mp.clock").as_str()), ("warn", "drift-ahead"));
}

#[test]
fn network_and_service_faults_are_never_credential_findings() {
    let s = start_sim(Options::default());
    let cases: Vec<(Faults, &str)> = vec![
        (Faults { status: Some(503), ..Faults::default() }, "server-error"),
        (Faults { too_many_requests: Some(42), ..Faults::default() }, "rate-limited"),
        (Faults { reset: true, ..Faults::default() }, "unreachable"),
        (Faults { malformed_body: true, ..Faults::default() }, "malformed"),
    ];
    for (faults, code) in cases {
        s.sim.set_faults(faults);
        let r = s.check(&[]);
        assert_eq!(r.code_of("mp.discovery"), code, "{}", r.cause("mp.discovery"));
        assert_eq!(r.status("mp.token"), "skip");
        let cause = r.cause("mp.discovery");
        assert!(!cause.to_lowercase().contains("client id"), "{cause}");
        if code == "rate-limited" {
            assert!(cause.contains("42"), "Retry-After shown: {cause}");
        }
    }
    // Slow answers: the call times out within the run's deadline.
    s.sim.set_faults(Faults { request_latency: Duration::from_secs(4), ..Faults::default() });
    let r = s.check(&["--timeout", "3"]);
    assert_eq!(r.code_of("mp.discovery"), "timeout");
    s.sim.set_faults(Faults { connection_latency: Duration::from_secs(4), ..Faults::default() });
    let r = s.check(&["--timeout", "3"]);
    assert_eq!(r.code_of("mp.discovery"), "timeout", "a slow TLS handshake");
    // A wrong Date header shows as clock skew.
    s.sim.set_faults(Faults { date_skew_s: 3600, ..Faults::default() });
    let r = s.check(&[]);
    assert_eq!(r.code_of("mp.clock"), "behind");
    s.sim.set_faults(Faults::default());
    // Untrusted TLS (no --ca-file for the simulator's CA) and a closed port.
    let r = check_json(
        &["--maskinporten-url", &s.sim.base_url, "--client-id", "x", "--scope", "y", "--offline"],
        &[],
        s.dir.path(),
    );
    assert_eq!(r.status("mp.discovery"), "skip", "--offline skips the network checks");
    let r = check_json(&["--maskinporten-url", &s.sim.base_url], &[], s.dir.path());
    assert_eq!(r.code_of("mp.discovery"), "tls", "{}", r.cause("mp.discovery"));
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let r = check_json(&["--maskinporten-url", &format!("https://127.0.0.1:{port}")], &[], s.dir.path());
    assert_eq!(r.code_of("mp.discovery"), "unreachable");
}

#[test]
fn retired_and_other_issuers_are_named() {
    let s = start_sim(Options { issuer: Some("https://ver2.maskinporten.no/".into()), ..Options::default() });
    let r = s.check(&[]);
    assert_eq!(r.code_of("mp.discovery"), "issuer-retired");
    let s = start_sim(Options { env: Environment::Prod, ..Options::default() });
    let r = s.check(&[]);
    assert_eq!(r.code_of("mp.discovery"), "issuer-other-environment");
}

#[test]
fn token_prints_only_the_token_and_jwk_prints_the_key() {
    let s = start_sim(Options::default());
    let r = run(&["token", "--config", &s.profile], &s.env(), s.dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let token = r.stdout.trim();
    assert_eq!(token.split('.').count(), 3, "a JWT alone on stdout: {token}");
    assert!(!token.contains('\n') && !token.contains(' '));
    // On success the verdict line alone goes to stderr, not the whole report.
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("Ready"), "{}", r.stderr);
    // Everywhere else the token never appears.
    let c = s.check(&[]);
    let payload = token.split('.').nth(1).unwrap();
    assert!(!c.stdout.contains(payload));
    // A failing run prints no token.
    let r = run(&["token", "--config", &s.profile, "--client-id", "nope"], &s.env(), s.dir.path());
    assert_eq!(r.code, 1);
    assert!(r.stdout.trim().is_empty());
    assert!(r.stderr.contains("mp.token"), "a failure has its report on stderr: {}", r.stderr);
    // `--cert-file` is taken as the --cert users meant, never "corrected" to --ca-file.
    let cert = s.dir.file("312345676.p12").display().to_string();
    let r = check_json(&["--cert-file", &cert, "--offline"], &s.env(), s.dir.path());
    assert_eq!(r.code_of("cert.readable"), "password-needed", "{}", r.stderr);

    let r = run(&["jwk", "--config", &s.profile], &s.env(), s.dir.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let jwk: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(jwk["kty"], "RSA");
    assert_eq!(jwk["alg"], "RS256");
    assert_eq!(jwk["x5c"].as_array().unwrap().len(), 1);
    let thumb = c.fact("cert.readable", "thumbprint_sha1");
    assert_eq!(jwk["kid"], thumb);
    // The JWK is the one the simulator registers for the same key.
    let registered = world().public_jwk(world().org(DEMO).unwrap(), "k");
    assert_eq!(jwk["n"], registered["n"]);
}

/// A private JWK of a demo organisation's key: the twelve members Altinn's tools write.
fn private_jwk(orgno: &str, kid: &str) -> serde_json::Value {
    use base64::Engine;
    let pkcs8 = world().org(orgno).unwrap().key.serialize_der();
    let info = pkcs8::PrivateKeyInfoRef::try_from(pkcs8.as_slice()).unwrap();
    let (_, seq) = der_parser::parse_der(info.private_key.as_bytes()).unwrap();
    let ints: Vec<String> = seq
        .as_sequence()
        .unwrap()
        .iter()
        .map(|i| {
            let bytes = i.as_slice().unwrap();
            let bytes = bytes.strip_prefix(&[0u8][..]).filter(|b| !b.is_empty()).unwrap_or(bytes);
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        })
        .collect();
    serde_json::json!({
        "kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid,
        "n": ints[1], "e": ints[2], "d": ints[3], "p": ints[4], "q": ints[5], "dp": ints[6], "dq": ints[7], "qi": ints[8],
    })
}

#[test]
fn keys_as_users_hold_them_a_private_jwk_and_its_base64() {
    use base64::Engine;
    let s = start_sim(Options::default());
    let jwk = private_jwk(DEMO, world::KEY_ID);
    let encoded = base64::engine::general_purpose::STANDARD.encode(jwk.to_string());
    for (name, text) in [("key.jwk", jwk.to_string()), ("encoded-jwk.txt", encoded)] {
        let key = s.dir.write(name, text);
        let profile = s.dir.write(
            &format!("{name}.toml"),
            format!(
                "maskinporten_url = \"{}\"\nca_file = [\"{}\"]\nclient_id = \"{}\"\nscope = [\"{}\"]\nkey = \"{key}\"\n",
                s.sim.base_url,
                s.dir.file("ca.pem").display(),
                world::KEY_CLIENT,
                world::SCOPE
            ),
        );
        // No --kid: the JWK's own kid is the registered key's.
        let r = check_json(&["--config", &profile], &s.env(), s.dir.path());
        assert_eq!(r.status("mp.token"), "pass", "{name}: {}", r.cause("mp.token"));
        assert_eq!(r.fact("mp.token-claims", "client_amr"), "private_key_jwt", "{name}");
    }
    // The public half only: not a key to sign with, and said so.
    let mut public = jwk.clone();
    for m in ["d", "p", "q", "dp", "dq", "qi"] {
        public.as_object_mut().unwrap().remove(m);
    }
    let key = s.dir.write("public.jwk", public.to_string());
    let r = s.check(&["--client-id", world::KEY_CLIENT, "--kid", world::KEY_ID, "--key", &key]);
    assert_eq!(r.status("mp.token"), "fail", "{}", r.cause("mp.token"));
    assert!(!r.stdout.contains(jwk["d"].as_str().unwrap()), "no private member is ever shown");
    // Judged locally too: offline, with no certificate, the key client's key is checked.
    let offline = |key: &str| {
        let args = ["--client-id", world::KEY_CLIENT, "--kid", world::KEY_ID, "--key", key, "--offline"];
        check_json(&args, &[], s.dir.path())
    };
    let r = offline(&key);
    assert_eq!(r.code_of("cert.key-match"), "key-jwk-public-only", "{}", r.cause("cert.key-match"));
    assert_eq!(r.code, 1, "an offline run with a key that cannot sign is not ready");
    let good = s.dir.write("good.jwk", jwk.to_string());
    let r = offline(&good);
    assert_eq!(r.code_of("cert.key-match"), "registered-key", "{}", r.cause("cert.key-match"));
}

/// `--from FILE`: the settings other tools keep become the profile, and are then tested.
#[test]
fn from_reads_the_settings_other_tools_keep_and_tests_them() {
    use base64::Engine;
    let s = start_sim(Options::default());
    let jwk = private_jwk(DEMO, world::KEY_ID);
    let b64 = base64::engine::general_purpose::STANDARD.encode(jwk.to_string());
    let authority = format!("{}/", s.sim.base_url);
    let shapes = [
        (
            "dotnet.json",
            serde_json::json!({"MaskinportenSettings": {"Environment": "test", "ClientId": world::KEY_CLIENT,
            "Scope": world::SCOPE, "EncodedJwk": b64, "ExhangeToAltinnToken": true}}),
        ),
        (
            "provisioned.json",
            serde_json::json!({"MaskinportenSettings": {"authority": authority, "clientId": world::KEY_CLIENT,
            "jwkBase64": b64}}),
        ),
        ("bare.json", serde_json::json!({"authority": authority, "clientId": world::KEY_CLIENT, "jwk": jwk})),
        (
            "named.json",
            serde_json::json!({"my-app--MaskinportenSettings": {"clientId": world::KEY_CLIENT,
            "authority": authority, "jwkBase64": b64}}),
        ),
    ];
    let ca = s.dir.file("ca.pem").display().to_string();
    for (name, settings) in shapes {
        let file = s.dir.write(name, settings.to_string());
        let mut args = vec!["--from", file.as_str(), "--ca-file", ca.as_str()];
        if name != "dotnet.json" {
            args.extend(["--scope", world::SCOPE]);
        }
        let r = check_json(&args, &s.env(), s.dir.path());
        assert_eq!(r.status("mp.token"), "pass", "{name}: {}", r.cause("mp.token"));
        assert_eq!(r.fact("mp.token", "client_id"), world::KEY_CLIENT, "{name}");
        assert_eq!(r.fact("mp.token-claims", "client_amr"), "private_key_jwt", "{name}");
        assert!(!r.stdout.contains(jwk["d"].as_str().unwrap()), "{name}: no private member is ever shown");
    }
    // A flag still wins over the file.
    let file = s.dir.file("dotnet.json").display().to_string();
    let r = check_json(&["--from", &file, "--ca-file", &ca, "--client-id", "nope"], &s.env(), s.dir.path());
    assert_eq!(r.fact("mp.token", "client_id"), "nope");
    // What is not a settings file, or holds a certificate inside it, is a usage error.
    let other = s.dir.write("other.json", r#"{"a": 1, "b": 2}"#);
    let r = run(&["check", "--from", &other], &s.env(), s.dir.path());
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--from") && r.stderr.contains("MaskinportenSettings"), "{}", r.stderr);
    let x509 = s.dir.write("x509.json", r#"{"MaskinportenSettings": {"ClientId": "c", "EncodedX509": "MII..."}}"#);
    let r = run(&["check", "--from", &x509], &s.env(), s.dir.path());
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("EncodedX509") && r.stderr.contains("--cert"), "{}", r.stderr);
}
