//! Norwegian bokmål beside English: the same keys, the same placeholders, no English left
//! in the Norwegian (beyond names and codes), and every demo scenario read in bokmål.

mod common;

use altinn_doctor::report::Catalogue;
use common::*;

/// The `{name}` placeholders of a template, sorted.
fn placeholders(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    out.sort();
    out
}

/// The text without what stays as it is in any language: `code`, "quoted answers",
/// the services' own messages in (parentheses), URLs and flags.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut skip = None;
    for c in text.chars() {
        match (skip, c) {
            (None, '`') | (None, '"') => skip = Some(c),
            (None, '(') => skip = Some(')'),
            // A service's own words, quoted as bokmål quotes them.
            (None, '«') => skip = Some('»'),
            (Some(close), c) if c == close => skip = None,
            (None, c) => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace()
        .filter(|w| !w.contains("://") && !w.starts_with("--") && !w.contains('_'))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_norwegian_catalogue_has_every_key_and_placeholder_of_the_english() {
    let (en, nb) = (Catalogue::english(), Catalogue::norwegian());
    let (en_paths, nb_paths) = (en.paths(), nb.paths());
    let missing: Vec<&String> = en_paths.iter().filter(|p| !nb_paths.contains(p)).collect();
    assert!(
        missing.is_empty(),
        "not in nb.toml: {:?}",
        missing.iter().map(|p| p.replace('\u{1f}', ".")).collect::<Vec<_>>()
    );
    let extra: Vec<&String> = nb_paths.iter().filter(|p| !en_paths.contains(p)).collect();
    assert!(extra.is_empty(), "in nb.toml only: {extra:?}");
    for path in &en_paths {
        let (e, n) = (en.at(path).unwrap(), nb.at(path).unwrap());
        assert_eq!(placeholders(e), placeholders(n), "{}: the same placeholders", path.replace('\u{1f}', "."));
    }
}

/// Words that give English away in a sentence meant to be bokmål.
const ENGLISH: [&str; 9] = [" the ", " is ", " and ", " not ", " with ", " was ", " cannot ", " could ", " give "];

/// Words that crept into the bokmål: Altinn says tokenforespørsel, systembrukerflyten,
/// avgivere, signeringssertifikatet, testsertifikat, ikke klar, begge, sperret, feilet.
const HALF_ENGLISH: [&str; 9] = [
    " grant ",
    " grantet",
    " doktoren",
    "-løpet",
    " reportees",
    "signing-sertifikat",
    "test-sertifikat",
    " not-ready",
    " both ",
];

#[test]
fn no_english_is_left_in_the_norwegian() {
    let nb = Catalogue::norwegian();
    let english = ENGLISH;
    for path in nb.paths() {
        let text = format!(" {} ", prose(nb.at(&path).unwrap()).to_lowercase());
        for word in english {
            assert!(!text.contains(word), "{}: English `{}` in `{text}`", path.replace('\u{1f}', "."), word.trim());
        }
    }
}

#[test]
fn every_demo_scenario_reads_in_bokmal() {
    let d = Dir::new();
    let env = [("TMPDIR", d.path().to_str().unwrap())];
    let list = run(&["demo", "--list"], &[], d.path()).stdout;
    for scenario in list.lines().filter_map(|l| l.split_whitespace().next()) {
        for format in ["table", "markdown"] {
            let r = run(&["demo", "--scenario", scenario, "--lang", "nb", "--format", format], &env, d.path());
            let place = format!("{scenario} as {format}");
            assert!(!r.stdout.contains("[missing message"), "{place}: {}", r.stdout);
            assert!(!r.stdout.contains("[heading.") && !r.stdout.contains("[markdown."), "{place}: {}", r.stdout);
            let unfilled: Vec<String> = placeholders(&r.stdout).into_iter().filter(|p| !p.is_empty()).collect();
            assert!(unfilled.is_empty(), "{place}: placeholders left: {unfilled:?}");
            assert!(r.stdout.contains("sjekker:"), "{place}: the summary in bokmål");
            // The English and half-English words a reader met, outside quotes and code.
            let text = format!(" {} ", prose(&r.stdout).to_lowercase());
            for word in ENGLISH.iter().chain(&HALF_ENGLISH) {
                assert!(!text.contains(word), "{place}: `{}` in:\n{}", word.trim(), r.stdout);
            }
        }
    }
}

#[test]
fn the_language_follows_the_flag_then_the_locale() {
    let d = Dir::new();
    let cert = fixtures().join("buypass-seid2-test4-auth-testvirksomhet.pem");
    let cert = cert.to_str().unwrap();
    let check = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec!["check", "--cert", cert, "--offline"];
        args.extend_from_slice(extra);
        run(&args, env, d.path()).stdout
    };
    assert!(check(&[], &[("LANG", "nb_NO.UTF-8")]).contains("sjekker:"), "a Norwegian locale");
    assert!(check(&[], &[("LANG", "nn_NO.UTF-8")]).contains("sjekker:"), "nynorsk locales get bokmål");
    assert!(check(&[], &[("LC_ALL", "no_NO"), ("LANG", "en_GB.UTF-8")]).contains("sjekker:"), "LC_ALL first");
    assert!(
        check(&[], &[("LC_MESSAGES", "en_US.UTF-8"), ("LANG", "nb_NO.UTF-8")]).contains("checks:"),
        "LC_MESSAGES before LANG"
    );
    assert!(check(&["--lang", "en"], &[("LANG", "nb_NO.UTF-8")]).contains("checks:"), "the flag wins");
    assert!(check(&["--lang", "nb"], &[("LANG", "C")]).contains("sjekker:"));
    assert!(check(&[], &[]).contains("checks:"), "English without a locale");
    let bad = run(&["check", "--cert", cert, "--offline", "--lang", "sv"], &[], d.path());
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--lang"), "{}", bad.stderr);
}

#[test]
fn every_check_page_is_in_bokmal_too_and_explain_follows_the_language() {
    let cat = Catalogue::english();
    for id in altinn_doctor::registry::ids() {
        let nb = id.page_in(altinn_doctor::vocab::Lang::Nb);
        assert!(nb.starts_with(&format!("# {id} — ")), "checks/nb/{id}.md opens with its ID");
        assert!(nb.contains("## Når den består") || nb.contains("## Årsaker"), "{id}: the Norwegian headings");
        for (section, code) in cat.keys() {
            if section == id.as_str() {
                assert!(nb.contains(&format!("`{code}`")), "checks/nb/{id}.md explains `{code}`");
            }
        }
    }
    let d = Dir::new();
    let nb = run(&["explain", "mp.clock", "--lang", "nb"], &[], d.path());
    assert!(nb.stdout.contains("Den lokale klokken stemmer med Maskinportens"), "{}", nb.stdout);
    assert!(nb.stdout.contains("Avslutningskoder: 0 klar"), "{}", nb.stdout);
    let by_locale = run(&["explain", "exit-codes"], &[("LANG", "nb_NO.UTF-8")], d.path());
    assert!(by_locale.stdout.starts_with("# Avslutningskoder"), "{}", by_locale.stdout);
    let en = run(&["explain", "mp.clock"], &[("LANG", "nb_NO.UTF-8"), ("LC_ALL", "C")], d.path());
    assert!(en.stdout.contains("The local clock agrees"), "LC_ALL=C is English: {}", en.stdout);
    let bad = run(&["explain", "mp.clock", "--lang", "de"], &[], d.path());
    assert_eq!(bad.code, 2);
}

/// Arguments, environment, and what stderr must say.
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);

#[test]
fn configuration_and_usage_errors_read_in_bokmal() {
    let d = Dir::new();
    d.write("bad.toml", "crt = \"x\"\n");
    d.write("broken.toml", "a = [\n");
    let nb = [("LANG", "nb_NO.UTF-8")];
    let cases: [Case; 9] = [
        (
            &["check", "--lang", "nb", "--env", "staging"],
            &[],
            "`env` fra flagget --env: `staging`: må være `test` eller `prod`",
        ),
        (&["check", "--config", "bad.toml"], &nb, "`crt` fra filen"),
        (&["check", "--config", "broken.toml", "--lang", "nb"], &[], "linje 1: ikke gyldig TOML"),
        (
            &["check", "--offline", "--only", "mp.tokn"],
            &[("ALTINN_DOCTOR_LANG", "nb")],
            "--only mp.tokn: ingen slik sjekk",
        ),
        (&["check", "--lang", "nb", "--ca-file", "/dev/null"], &[], "/dev/null inneholder ikke noe sertifikat"),
        (&["check", "--maskinporten-url", "http://example.com"], &nb, "er ren HTTP"),
        (&["check", "--org", "12"], &nb, "`12` er ikke et organisasjonsnummer"),
        (&["demo", "--lang", "nb", "--output", "/nonexistent/dir/r.md"], &[], "kan ikke skrive den: filen finnes ikke"),
        (&["explain", "cert.nope"], &nb, "ingen sjekk `cert.nope`"),
    ];
    for (args, env, said) in cases {
        let r = run(args, env, d.path());
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        let line = r.stderr.lines().find(|l| l.starts_with("altinn-doctor: ")).unwrap_or_default();
        assert!(line.contains(said), "{args:?}: `{said}` in:\n{}", r.stderr);
        let text = format!(" {} ", prose(line).to_lowercase());
        for word in ENGLISH {
            assert!(!text.contains(word), "{args:?}: English `{}` in `{line}`", word.trim());
        }
        let plain: Vec<&str> = args.iter().copied().filter(|a| *a != "--lang" && *a != "nb").collect();
        let english = run(&plain, &[("LANG", "C")], d.path());
        assert_eq!(english.code, 2, "{plain:?}");
        assert!(!english.stderr.contains(said), "{plain:?}: English without a Norwegian flag or locale");
    }
}

#[test]
fn help_and_command_line_errors_read_in_bokmal() {
    let d = Dir::new();
    let commands =
        ["", "check", "explain", "list", "token", "jwk", "inspect", "simulate", "demo", "completions", "man"];
    for (i, command) in commands.iter().enumerate() {
        let mut args: Vec<&str> = command.split_whitespace().collect();
        args.push(if i % 2 == 0 { "--help" } else { "-h" });
        // By the flag before the command, and by the locale.
        let by_flag = run(&[&["--lang", "nb"][..], &args].concat(), &[], d.path());
        let by_locale = run(&args, &[("LANG", "nb_NO.UTF-8")], d.path());
        for r in [by_flag, by_locale] {
            assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
            assert!(r.stdout.contains("Bruk: altinn-doctor") && r.stdout.contains("Valg:"), "{args:?}:\n{}", r.stdout);
            for clap_word in ["Usage:", "Options:", "Commands:", "Arguments:", "Print help", "[default:", "[possible"] {
                assert!(!r.stdout.contains(clap_word), "{args:?}: `{clap_word}` in:\n{}", r.stdout);
            }
            let text = format!(" {} ", prose(&r.stdout).to_lowercase());
            for word in ENGLISH {
                assert!(!text.contains(word), "{args:?}: English `{}` in:\n{}", word.trim(), r.stdout);
            }
        }
        let english = run(&args, &[("LANG", "C")], d.path());
        assert!(english.stdout.contains("Usage: altinn-doctor"), "{args:?}: English by default");
    }
    let errors: [(&[&str], &str); 4] = [
        (&["--lang", "nb", "chekc"], "ukjent kommando `chekc`; mente du `check`?"),
        (&["--lang", "nb", "check", "--bogus"], "ukjent argument `--bogus`"),
        (&["--lang", "nb", "explain"], "mangler påkrevd argument"),
        (&["--lang", "nb", "completions", "nosh"], "`nosh` er ikke en gyldig verdi"),
    ];
    for (args, said) in errors {
        let r = run(args, &[], d.path());
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stderr.contains(said), "{args:?}: `{said}` in:\n{}", r.stderr);
        assert!(r.stderr.contains("Mer hjelp: altinn-doctor --help"), "{args:?}: {}", r.stderr);
    }
    let man = run(&["--lang", "nb", "man"], &[], d.path());
    assert!(man.stdout.contains(".SH NAVN") && man.stdout.contains(".SH VALG"), "the man page in bokmål too");
    let fish = run(&["completions", "fish"], &[("LANG", "nb_NO.UTF-8")], d.path());
    assert!(fish.stdout.contains("Virksomhetssertifikat"), "completions describe the flags in bokmål");
    let root_lang = run(&["--lang", "nb", "list"], &[], d.path());
    assert!(root_lang.stdout.contains("Tittel"), "--lang before the command sets the command's: {}", root_lang.stdout);
}
