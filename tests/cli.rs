//! The command line as users and scripts meet it: bad input, configuration, exit
//! codes, the JSON contract, secrets, `explain` and `list`.

mod common;

use altinn_doctor::sim::pki::Purpose;
use common::*;

/// The one line a user reads about the certificate file.
fn readable_line(r: &Run) -> (String, String) {
    (r.code_of("cert.readable"), r.cause("cert.readable"))
}

#[test]
fn bad_files_give_one_clear_line_and_no_panic() {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &p.key2048);
    let p12 = d.pkcs12(
        "ok.p12",
        P12 { chain: &p.buypass, leaf: &leaf, key: &p.key2048, extra: &[], password: "riktig", legacy: false },
    );
    let p12_bytes = std::fs::read(&p12).unwrap();
    let mut random = vec![0u8; 4096];
    aws_lc_rs::rand::fill(&mut random).unwrap();
    random[0] = 0x17; // not a DER SEQUENCE, not PEM
    let cases: Vec<(String, Env, &str)> = vec![
        (d.write("empty.p12", b""), &[], "empty"),
        (d.write("random.bin", &random), &[], "unrecognised"),
        (
            d.write("cut.p12", &p12_bytes[..p12_bytes.len() / 2]),
            &[("ALTINN_DOCTOR_CERT_PASSWORD", "riktig")],
            "truncated",
        ),
        (d.write("big.pem", vec![b'A'; 2 * 1024 * 1024]), &[], "too-large"),
        (p12.clone(), &[("ALTINN_DOCTOR_CERT_PASSWORD", "feil")], "wrong-password"),
        (p12.clone(), &[], "password-needed"),
        (d.path().join("nope.p12").to_string_lossy().into_owned(), &[], "not-found"),
        (d.write("key-only.pem", p.key2048.serialize_pem()), &[], "only-private-key"),
    ];
    for (file, env, code) in cases {
        let r = check_json(&["--cert", &file, "--offline"], env, d.path());
        assert_eq!(r.code, 1, "{code}");
        let (got, cause) = readable_line(&r);
        assert_eq!(got, code, "{file}: {cause}");
        assert!(!cause.contains('\n') && cause.len() < 300, "one short line: {cause}");
        assert!(
            cause.contains(std::path::Path::new(&file).file_name().unwrap().to_str().unwrap()),
            "names the file: {cause}"
        );
        assert_eq!(r.status("cert.validity"), "skip", "dependants are skipped");
        // The table form is just as calm.
        let t = run(&["check", "--cert", &file, "--offline"], env, d.path());
        assert_eq!(t.code, 1);
        assert!(t.stdout.contains("altinn-doctor explain cert.readable"));
    }
}

#[test]
fn configuration_errors_exit_2_and_name_key_and_source() {
    let d = Dir::new();
    let cases: Vec<(Vec<&str>, Env, &str)> = vec![
        (vec!["--at", "31.12.2026"], &[], "flag --at"),
        (vec!["--env", "staging"], &[], "flag --env"),
        (vec!["--org", "12345"], &[], "flag --org"),
        (vec!["--thumbprint", "xyz"], &[], "flag --thumbprint"),
        (vec![], &[("ALTINN_DOCTOR_FORMAT", "xml")], "environment variable ALTINN_DOCTOR_FORMAT"),
        (vec![], &[("ALTINN_DOCTOR_CERT_PASSWORD_FILE", "/nonexistent/pw")], "ALTINN_DOCTOR_CERT_PASSWORD_FILE"),
        (vec!["--ca-file", "/nonexistent/ca.pem"], &[], "ca_file"),
    ];
    for (args, env, names) in cases {
        let mut all = vec!["check"];
        all.extend(args.iter());
        let r = run(&all, env, d.path());
        assert_eq!(r.code, 2, "{args:?}: {}", r.stdout);
        assert!(r.stderr.contains(names), "{args:?}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "one line: {}", r.stderr);
    }
    // An unknown key in the profile file names the key and the file.
    d.write("altinn-doctor.toml", "sertifikat = \"x.p12\"\n");
    let r = run(&["check"], &[], d.path());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`sertifikat`") && r.stderr.contains("altinn-doctor.toml"), "{}", r.stderr);
    // Secrets are never accepted as flags.
    let r = run(&["check", "--cert-password", "x"], &[], d.path());
    assert_eq!(r.code, 2);
}

#[test]
fn profile_file_environment_and_flags_layer() {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &p.key2048);
    let p12 = d.pkcs12(
        "c.p12",
        P12 { chain: &p.buypass, leaf: &leaf, key: &p.key2048, extra: &[], password: "fil-passord", legacy: false },
    );
    d.write("pw.txt", "fil-passord\n");
    d.write("ca.pem", p.buypass.root_pem());
    std::fs::create_dir(d.file("sub")).unwrap();
    // Paths in the file are relative to the file, wherever the command runs.
    d.write(
        "altinn-doctor.toml",
        format!(
            "env = \"prod\"\ncert = \"{}\"\ncert_password_file = \"pw.txt\"\nca_file = [\"ca.pem\"]\noffline = true\norg = \"{ORG}\"\n\n[profile.tt02]\nenv = \"test\"\n",
            std::path::Path::new(&p12).file_name().unwrap().to_str().unwrap()
        ),
    );
    let r = check_json(&[], &[], d.path());
    assert_eq!(r.json()["env"], "prod");
    assert_eq!(r.code_of("cert.issuer"), "env-mismatch");
    let r = check_json(&["--profile", "tt02"], &[], d.path());
    assert_eq!(r.json()["env"], "test");
    assert_eq!(r.code, 0, "{}", r.stdout);
    // Environment beats the file; a flag beats the environment.
    let r = check_json(&["--profile", "tt02"], &[("ALTINN_DOCTOR_ORG", OTHER_ORG)], d.path());
    assert_eq!(r.code_of("org.number"), "mismatch");
    let r = check_json(&["--profile", "tt02", "--org", ORG], &[("ALTINN_DOCTOR_ORG", OTHER_ORG)], d.path());
    assert_eq!(r.code_of("org.number"), "matches");
    // --config from another folder.
    let cfg = d.file("altinn-doctor.toml");
    let r = check_json(&["--config", cfg.to_str().unwrap(), "--profile", "tt02"], &[], &d.file("sub"));
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn secrets_never_appear_in_any_output() {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &p.key2048);
    let secret = "Sv4rt-Hemmelig-Passord";
    let p12 = d.pkcs12(
        "c.p12",
        P12 { chain: &p.buypass, leaf: &leaf, key: &p.key2048, extra: &[], password: secret, legacy: true },
    );
    let key_pem = p.key2048.serialize_pem();
    let key_line = key_pem.lines().nth(1).unwrap().to_string();
    for (pw, format) in [(secret, "json"), (secret, "table"), ("not-it", "json"), ("not-it", "table")] {
        let r = run(
            &["check", "--cert", &p12, "--offline", "--format", format],
            &[("ALTINN_DOCTOR_CERT_PASSWORD", pw)],
            d.path(),
        );
        for out in [&r.stdout, &r.stderr] {
            assert!(!out.contains(secret) && !out.contains("not-it"), "password leaked:\n{out}");
            assert!(!out.contains(&key_line), "key material leaked");
        }
    }
}

#[test]
fn json_report_follows_the_documented_schema() {
    let p = pki();
    let d = Dir::new();
    let leaf = issue(&p.buypass, &spec(Purpose::Authentication), &p.key2048);
    let cert = d.pem_bundle("c.pem", &p.buypass, &leaf, &p.key2048);
    let r = check_json(&["--cert", &cert, "--ca-file", &d.ca(&p.buypass), "--offline"], &[], d.path());
    let j = r.json();
    assert_eq!(j["schema_version"], 1);
    assert_eq!(j["tool_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(j["env"], "test");
    let checks = j["checks"].as_array().unwrap();
    let ids: Vec<&str> = checks.iter().map(|c| c["id"].as_str().unwrap()).collect();
    let want: Vec<&str> = altinn_doctor::registry::ids().iter().map(|c| c.as_str()).collect();
    assert_eq!(ids, want, "every check, in run order");
    for c in checks {
        for key in ["id", "title", "status", "cause", "cause_code", "fix", "explain", "facts"] {
            assert!(c.get(key).is_some(), "{key} in {c}");
        }
        assert!(["pass", "warn", "fail", "skip"].contains(&c["status"].as_str().unwrap()));
        assert!(!c["cause"].as_str().unwrap().contains("[missing"), "{c}");
    }
    let facts = &r.check("cert.readable")["facts"];
    for key in [
        "subject",
        "issuer",
        "serial",
        "thumbprint_sha1",
        "not_before",
        "not_after",
        "org_number",
        "org_number_source",
        "family",
        "generation",
        "cert_env",
        "key_usage",
        "role",
    ] {
        assert!(facts.get(key).is_some(), "fact {key}");
    }
    let s = &j["summary"];
    assert_eq!(
        s["pass"].as_u64().unwrap()
            + s["warn"].as_u64().unwrap()
            + s["fail"].as_u64().unwrap()
            + s["skip"].as_u64().unwrap(),
        altinn_doctor::registry::ids().len() as u64
    );
    assert_eq!(s["total"], altinn_doctor::registry::ids().len());
}

#[test]
fn the_real_test_certificate() {
    let d = Dir::new();
    let cert = fixtures().join("buypass-seid2-test4-auth-testvirksomhet.pem");
    let cert = cert.to_str().unwrap();
    let r = check_json(&["--cert", cert, "--offline", "--at", "2023-06-01", "--org", "100101688"], &[], d.path());
    for id in ["cert.readable", "cert.validity", "cert.role", "cert.key-strength", "cert.issuer", "org.number"] {
        assert_eq!(r.status(id), "pass", "{id}: {}", r.cause(id));
    }
    assert_eq!(r.status("cert.key-match"), "skip", "no key for a public certificate");
    assert_eq!(r.fact("cert.readable", "family"), "buypass");
    assert_eq!(r.fact("cert.readable", "generation"), "seid2");
    assert_eq!(r.fact("cert.readable", "cert_env"), "test");
    assert_eq!(r.fact("cert.readable", "org_number_source"), "organizationIdentifier");
    assert_eq!(r.fact("cert.readable", "thumbprint_sha1"), "0D02D0B6C1381259AEF62F953EC24EC273C58365");
    assert_eq!(r.fact("cert.issuer", "anchor_source"), "bundled: buypass-test4-root-g2-st.pem");
    assert_eq!(r.fact("cert.issuer", "anchor"), "Buypass Class 3 Test4 Root CA G2 ST");
    // Without --at it is expired; against prod it is the wrong environment.
    let r = check_json(&["--cert", cert, "--offline"], &[], d.path());
    assert_eq!(r.code_of("cert.validity"), "expired");
    let r = check_json(&["--cert", cert, "--offline", "--at", "2023-06-01", "--env", "prod"], &[], d.path());
    assert_eq!(r.code_of("cert.issuer"), "env-mismatch");
}

#[test]
fn explain_prints_every_page_and_list_every_check() {
    let d = Dir::new();
    for id in altinn_doctor::registry::ids() {
        let r = run(&["explain", id.as_str()], &[], d.path());
        assert_eq!(r.code, 0);
        assert!(r.stdout.starts_with(&format!("# {id}")), "{id}: page starts with its ID");
        assert!(r.stdout.contains("## "), "{id}: the page has sections");
    }
    let r = run(&["explain", "cert.nope"], &[], d.path());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cert.readable"));
    let r = run(&["list"], &[], d.path());
    for id in altinn_doctor::registry::ids() {
        assert!(r.stdout.contains(id.as_str()));
    }
}

#[test]
fn pages_and_checks_stay_in_step() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("checks");
    let mut pages: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".md").to_string())
        // Topic pages beside the check pages, and the folder of their translations.
        .filter(|name| name != "exit-codes" && name != "nb")
        .collect();
    pages.sort();
    let mut ids: Vec<String> = altinn_doctor::registry::ids().iter().map(|c| c.as_str().to_string()).collect();
    ids.sort();
    assert_eq!(pages, ids, "one page in checks/ per implemented check, and the topic pages");
    for id in altinn_doctor::registry::ids() {
        assert!(id.page().starts_with('#'), "the page of {id} is embedded with its ID");
    }
}

#[test]
fn table_has_no_colour_when_piped_or_no_color() {
    let d = Dir::new();
    let cert = fixtures().join("buypass-seid2-test4-auth-testvirksomhet.pem");
    let r = run(&["check", "--cert", cert.to_str().unwrap(), "--offline"], &[("NO_COLOR", "1")], d.path());
    assert!(!r.stdout.contains('\u{1b}'), "no escape codes");
    assert!(r.stdout.contains("✗ fail") && r.stdout.contains("✓ pass"), "status as symbol and word");
    assert!(r.stdout.contains("checks:"), "summary line");
}

#[test]
fn every_cause_in_the_catalogue_is_on_its_check_s_page() {
    let cat = altinn_doctor::report::Catalogue::english();
    let mut seen = 0;
    for (section, code) in cat.keys() {
        if ["engine", "heading", "status", "common"].contains(&section.as_str()) {
            continue;
        }
        let id = altinn_doctor::registry::parse_id(&section)
            .unwrap_or_else(|| panic!("catalogue section `{section}` is no check"));
        let page = id.page();
        assert!(page.contains(&format!("`{code}`")), "the page of {id} does not explain `{code}`");
        seen += 1;
    }
    assert!(seen > 50, "the catalogue has the causes ({seen})");
    for id in &altinn_doctor::registry::ids() {
        assert_ne!(cat.title(*id), id.as_str(), "{id} has a title");
    }
}

#[test]
fn foreign_identifier_and_sub_unit() {
    let p = pki();
    let d = Dir::new();
    let key = d.write("k.pem", p.key2048.serialize_pem());
    let make = |name: &str, subj: &str| {
        let out = d.file(name);
        d.openssl(&["req", "-x509", "-key", &key, "-out", out.to_str().unwrap(), "-subj", subj, "-days", "30"]);
        out.to_string_lossy().into_owned()
    };
    let dk = make("dk.pem", "/C=DK/O=DANSK AS/CN=DANSK AS/organizationIdentifier=NTRDK-12345678");
    let r = check_json(&["--cert", &dk, "--offline"], &[], d.path());
    assert_eq!(r.code_of("org.number"), "foreign");
    assert!(r.cause("org.number").contains("NTRDK-12345678"));
    let ou = make(
        "ou.pem",
        &format!(
            "/C=NO/O=KONSERN AS/OU=Avdeling Bergen 987654321/CN=KONSERN AS/organizationIdentifier=NTRNO-{OTHER_ORG}"
        ),
    );
    let r = check_json(&["--cert", &ou, "--offline"], &[], d.path());
    assert_eq!(r.code_of("org.number"), "found");
    assert_eq!(r.fact("org.number", "sub_unit"), "987654321");
}

/// Every cause variant in the source (enums serialised with a kebab-case `code`) has a
/// sentence in the catalogue, so no cause can reach a user as a missing message.
#[test]
fn every_cause_variant_has_a_message() {
    let cat = altinn_doctor::report::Catalogue::english();
    let codes: std::collections::HashSet<String> = cat.keys().into_iter().map(|(_, code)| code).collect();
    let mut checked = 0;
    let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("sim") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for variant in cause_variants(&text) {
                let code = kebab(&variant);
                assert!(codes.contains(&code), "{}: cause `{code}` has no message", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "found the cause enums ({checked} variants)");
}

/// Variant names of the enums marked as causes (`tag = "code"`, or `MpCause`).
fn cause_variants(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let is_cause = line.contains(r#"tag = "code""#) || line.contains("pub enum MpCause");
        if !is_cause || line.trim_start().starts_with("//") {
            continue;
        }
        let Some(start) = lines[i..].iter().position(|l| l.contains("enum ")) else { continue };
        for l in &lines[i + start + 1..] {
            if l.starts_with('}') {
                break;
            }
            let t = l.trim_start();
            if l.starts_with("    ")
                && !l.starts_with("        ")
                && t.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            {
                out.push(t.split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap().to_string());
            }
        }
    }
    out
}

fn kebab(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The README's tables of settings and secrets are the settings' declaration, as
/// `--help` shows it: a setting added, renamed or redocumented there changes them.
#[test]
fn readme_tables_are_the_settings() {
    use altinn_doctor::config::settings;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let mut readme = std::fs::read_to_string(path).unwrap();
    for (open, close, table) in [
        ("<!-- settings:", "<!-- /settings -->", settings::readme_table()),
        ("<!-- secrets -->", "<!-- /secrets -->", settings::readme_secrets()),
    ] {
        let start = readme.find(open).and_then(|i| readme[i..].find('\n').map(|j| i + j + 1)).expect(open);
        let end = readme.find(close).expect(close);
        // `BLESS=1 cargo test --test cli readme` writes the tables in.
        if std::env::var_os("BLESS").is_some() {
            readme.replace_range(start..end, &table);
            std::fs::write(path, &readme).unwrap();
            continue;
        }
        assert_eq!(readme[start..end], table, "README between `{open}` and `{close}` must be:\n{table}");
    }
    let help = run(&["check", "--help"], &[], Dir::new().path()).stdout;
    for s in settings::ALL.iter().filter(|s| s.has_flag()) {
        assert!(help.contains(&s.flag()), "--help lists {}", s.flag());
    }
}

/// A bare `check` names nothing to check: a usage error that points to the three ways
/// in, found before any request (a listener standing in as the proxy every request would
/// go through sees none).
#[test]
fn a_bare_check_is_a_usage_error_that_never_goes_to_the_network() {
    let d = Dir::new();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let proxy = format!("http://{}", listener.local_addr().unwrap());
    // Not `run`: it names a Maskinporten (closed) for every test, and that is something
    // to check. Here nothing is named at all.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_altinn-doctor"))
        .arg("check")
        .current_dir(d.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HTTPS_PROXY", &proxy)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for hint in ["altinn-doctor demo", "--cert", "altinn-doctor.toml"] {
        assert!(stderr.contains(hint), "{hint}: {stderr}");
    }
    assert!(listener.accept().is_err(), "no connection was made");
    // A profile file, a certificate or a client is something to check.
    d.write("altinn-doctor.toml", "env = \"test\"\noffline = true\n");
    let r = run(&["check"], &[], d.path());
    assert_ne!(r.code, 2, "{}", r.stderr);
}

/// `explain` takes an MP code or a cause code as well as a check ID, and suggests the
/// check a mistyped ID is nearest.
#[test]
fn explain_finds_mp_codes_and_cause_codes_and_suggests_a_near_check() {
    let d = Dir::new();
    let r = run(&["explain", "mp-303"], &[], d.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("MP-303 is explained on: mp.token, altinn.system-user."), "{}", r.stdout);
    assert!(r.stdout.contains("# mp.token") && r.stdout.contains("# altinn.system-user"));
    let r = run(&["explain", "scope-owned-by"], &[], d.path());
    assert!(r.stdout.contains("# mp.token") && !r.stdout.contains("# altinn.resource"), "{}", r.stdout);
    let r = run(&["explain", "MP-303", "--lang", "nb"], &[], d.path());
    assert!(r.stdout.starts_with("MP-303 forklares på:"), "{}", r.stdout);
    let r = run(&["explain", "mp.tokn"], &[], d.path());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `mp.token`?"), "{}", r.stderr);
    let r = run(&["explain", "nothing-like-it"], &[], d.path());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cert.readable"), "the list when nothing is near: {}", r.stderr);
}

#[test]
fn list_speaks_json_for_scripts() {
    let d = Dir::new();
    let r = run(&["list", "--format", "json"], &[], d.path());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let checks: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(checks.len(), altinn_doctor::registry::ids().len());
    let token = checks.iter().find(|c| c["id"] == "mp.token").unwrap();
    assert_eq!(
        (token["domain"].as_str(), token["depends_on"][0].as_str()),
        (Some("maskinporten"), Some("mp.discovery"))
    );
    assert_eq!(run(&["list", "--format", "xml"], &[], d.path()).code, 2);
}

/// Bash completion works after the subcommand (clap-rs/clap#6421 mended) and knows the
/// values: the check IDs for `explain` and `--only`, each list flag's words, the
/// scenarios. Completed by bash itself, from the script sourced.
#[test]
fn bash_completes_flags_values_and_check_ids_after_the_subcommand() {
    let d = Dir::new();
    let script = run(&["completions", "bash"], &[], d.path()).stdout;
    let file = d.write("altinn-doctor.bash", &script);
    let harness = format!(
        "source {file}\ncomplete_words() {{\n  COMP_WORDS=(\"$@\"); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n  \
         COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; COMPREPLY=()\n  \
         _altinn__doctor altinn-doctor \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n  \
         echo \"${{COMPREPLY[*]}}\"\n}}\n\
         complete_words altinn-doctor check --ou\n\
         complete_words altinn-doctor explain mp.to\n\
         complete_words altinn-doctor check --env ''\n\
         complete_words altinn-doctor check --format j\n\
         complete_words altinn-doctor demo --scenario resource-\n"
    );
    let out = std::process::Command::new("bash").arg("-c").arg(&harness).output().expect("bash runs");
    let lines: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 5, "{lines:?} {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(lines[0], "--output");
    assert_eq!(lines[1], "mp.token mp.token-claims");
    assert_eq!(lines[2], "test prod");
    assert_eq!(lines[3], "json junit");
    assert_eq!(lines[4], "resource-not-granted resource-level-4");
}

/// `check --help`: the flags in groups, each with its variable, wrapped to the width.
#[test]
fn check_help_groups_the_flags_with_their_variables() {
    let d = Dir::new();
    for (lang, groups) in [
        ("en", ["Profile:", "Certificate:", "Maskinporten:", "Altinn:", "Output:", "Run:"]),
        ("nb", ["Profil:", "Sertifikat:", "Maskinporten:", "Altinn:", "Rapport:", "Kjøring:"]),
    ] {
        let r = run(&["--lang", lang, "check", "--help"], &[("COLUMNS", "80")], d.path());
        assert_eq!(r.code, 0, "{}", r.stderr);
        for g in groups {
            assert!(r.stdout.lines().any(|l| l == g), "{lang}: {g}\n{}", r.stdout);
        }
        assert!(r.stdout.contains("[ALTINN_DOCTOR_CLIENT_ID]"), "{lang}: the variable beside the flag");
        for line in r.stdout.lines() {
            assert!(line.chars().count() <= 80, "{lang}: {} > 80: {line}", line.chars().count());
        }
    }
}
