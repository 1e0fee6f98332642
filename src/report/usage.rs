//! Configuration and usage errors in words: the catalogue's `[usage]` and
//! `[usage-origin]` sections, in the language of the run.

use serde_json::{Map, Value};

use super::Catalogue;
use super::catalogue::fill;
use crate::config::{ConfigError, Origin, Usage};
use crate::vocab::Problem;

/// A usage error as the user reads it, after `altinn-doctor: `. No URL in it carries
/// its user and password.
pub(crate) fn sentence(cat: &Catalogue, usage: &Usage) -> String {
    let text = match usage {
        Usage::Config(e) => config_error(cat, e),
        Usage::Flag { flag, problem: p } => said(cat, "flag", [("flag", flag.clone()), ("problem", problem(cat, p))]),
        Usage::Plain(p) => problem(cat, p),
    };
    crate::http::mask_credentials(&text)
}

/// "configuration: `KEY` from SOURCE: PROBLEM".
fn config_error(cat: &Catalogue, e: &ConfigError) -> String {
    let template = if e.key.is_empty() { "config-file" } else { "config" };
    let parts = [("key", e.key.clone()), ("origin", origin(cat, &e.origin)), ("problem", problem(cat, &e.problem))];
    said(cat, template, parts)
}

/// Where a setting came from: a flag, a variable, a file (and its table).
fn origin(cat: &Catalogue, origin: &Origin) -> String {
    let (key, parts) = match origin {
        Origin::Flag(flag) => ("flag", vec![("flag", flag.clone())]),
        Origin::Env(var) => ("env", vec![("var", var.clone())]),
        Origin::File { path, table } if table.is_empty() => ("file", vec![("path", path.display().to_string())]),
        Origin::File { path, table } => {
            ("file-table", vec![("path", path.display().to_string()), ("table", table.clone())])
        }
    };
    fill(&cat.text("usage-origin", key), &args(parts))
}

/// A problem's sentence: its key's template with its fields filled in.
pub(crate) fn problem(cat: &Catalogue, p: &Problem) -> String {
    words(cat, &serde_json::to_value(p).unwrap_or(Value::Null))
}

fn words(cat: &Catalogue, value: &Value) -> String {
    let Some(fields) = value.as_object() else { return String::new() };
    let key = fields.get("key").and_then(Value::as_str).unwrap_or("");
    if key == "certificate-unreadable" {
        return cat.cause_of("cert.readable", &fields["cause"]);
    }
    let parts = fields.iter().filter(|(name, _)| *name != "key").map(|(name, v)| {
        let text = match v {
            Value::Object(_) => words(cat, v),
            Value::Array(items) if name == "choices" => choices(cat, items),
            Value::Array(items) if items.is_empty() => cat.text("usage", "none"),
            Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join(", "),
            other => text_of(other),
        };
        (name.as_str(), text)
    });
    said(cat, key, parts)
}

/// "`a`, `b` or `c`", with the catalogue's word for "or".
fn choices(cat: &Catalogue, items: &[Value]) -> String {
    let quoted: Vec<String> = items.iter().map(|v| format!("`{}`", text_of(v))).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {} {last}", rest.join(", "), cat.text("usage", "or")),
        None => String::new(),
    }
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn said<'a>(cat: &Catalogue, key: &str, parts: impl IntoIterator<Item = (&'a str, String)>) -> String {
    fill(&cat.text("usage", key), &args(parts))
}

fn args<'a>(parts: impl IntoIterator<Item = (&'a str, String)>) -> Map<String, Value> {
    parts.into_iter().map(|(k, v)| (k.to_string(), Value::String(v))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::Lang;

    /// One of each problem, with facts in every field.
    fn samples() -> Vec<Problem> {
        use Problem::*;
        let s = |t: &str| t.to_string();
        let why = || Box::new(NoSuchFile);
        let known = || vec![s("a"), s("b")];
        vec![
            Empty,
            NotSingleText,
            NotPaths,
            NotWords,
            NotText,
            NotPath,
            NotBool,
            NotForCommand { command: s("token") },
            ProfileKey,
            ReportIsInput { path: s("p") },
            TwoAudiences { second: s("u") },
            ProbeNeeds { probe: s("broker"), needs: s("--resource") },
            NotSettings { reason: s("r") },
            NotReport { given: s("x") },
            NothingToCheck { file: s("altinn-doctor.toml") },
            SettingsCertificate { field: s("EncodedX509") },
            NotApp { given: s("x") },
            Problem::one_of("x", &["a", "b", "c"]),
            Seconds { given: s("0") },
            Jobs { given: s("0"), max: 64 },
            NotDate { given: s("x") },
            NotOrgNumber { given: s("x") },
            NotThumbprint { given: s("x") },
            NotDays { given: s("x") },
            OneOrTwoDays,
            HeaderUnsafe,
            UsernameColon,
            SecretTwice { name: s("api_key"), file_key: s("api_key_file") },
            NotUrl { url: s("u") },
            UrlNoHost { url: s("u") },
            HttpNotLoopback { url: s("u") },
            PlainHttp { url: s("u") },
            NotHttps { url: s("u"), scheme: s("ftp") },
            NotProxy { url: s("u") },
            ProfileWithoutFile { name: s("p"), file: s("f") },
            NotToml { line: 3, detail: s("d") },
            NoProfiles { path: s("p") },
            NoSuchProfile { name: s("p"), known: Vec::new() },
            UnknownKey { known: known() },
            ListItems,
            TableNotValue,
            CannotRead { path: s("p"), why: why() },
            CannotWrite { path: s("p"), why: why() },
            NotUtf8,
            NoSuchFile,
            IsDirectory,
            PermissionDenied,
            TooLarge { size: s("1 MiB") },
            NothingToRead { seconds: 5, kind: "FIFO" },
            Os { detail: s("d") },
            VarNotUtf8 { name: s("V") },
            CaNotPem { path: s("p"), detail: s("d") },
            CaEmpty { path: s("p") },
            CaBadCertificate { path: s("p"), detail: s("d") },
            HttpsSetup { detail: s("d") },
            ClientsBroken,
            Runtime { detail: s("d") },
            NoSuchCheck { name: s("n"), known: known() },
            NoSuchPage { name: s("n"), known: known() },
            DidYouMean { name: s("mp.tokn"), suggestion: s("mp.token"), known: known() },
            NoScenario { name: s("n"), known: known() },
            DemoSetup { detail: s("d") },
            ScenarioSetup { name: s("n"), detail: s("d") },
            ListenNotLoopback { addr: s("a") },
            SimulatorStopped { detail: s("d") },
            ManPage { detail: s("d") },
            TokenMissing,
            StdinUnreadable { detail: s("d") },
            NotAJwt { why: Box::new(JwtTooLong) },
            JwtTooLong,
            JwtNotThreeParts,
            JwtHeaderNotJson,
            JwtNoAlgorithm,
            JwtClaimsNotJson,
            JwtNoSignature,
            NoJwks { url: s("u"), status: 500 },
            KeyNotRsa,
            CertificateKeyNotRsa,
            KeyUnreadable { path: s("p") },
            KidNeeded,
            NoKeyMaterial { code: s("c") },
            CertificateUnreadable { cause: serde_json::json!({"code": "password-needed", "path": "p"}) },
            ProfileStopped { detail: s("d") },
        ]
    }

    /// The variants as the source declares them, in the catalogue's spelling.
    fn declared() -> Vec<String> {
        let source = include_str!("../vocab/problem.rs");
        let body = &source[source.find("pub(crate) enum Problem").unwrap()..];
        let body = &body[..body.find("\n}").unwrap()];
        body.lines()
            .filter(|l| l.starts_with("    ") && l.chars().nth(4).is_some_and(|c| c.is_ascii_uppercase()))
            .map(|l| l.trim().split(|c: char| !c.is_alphanumeric()).next().unwrap().to_string())
            .map(|name| kebab(&name))
            .collect()
    }

    fn kebab(name: &str) -> String {
        let mut out = String::new();
        for (i, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    fn key_of(p: &Problem) -> String {
        serde_json::to_value(p).unwrap()["key"].as_str().unwrap().to_string()
    }

    #[test]
    fn every_problem_is_sampled_and_reads_in_both_languages() {
        let sampled: Vec<String> = samples().iter().map(key_of).collect();
        assert_eq!(declared().len(), sampled.len(), "a sample of each variant: {:?}", declared());
        for key in declared() {
            assert!(sampled.contains(&key), "no sample of `{key}`");
        }
        for lang in [Lang::En, Lang::Nb] {
            let cat = Catalogue::of(lang);
            for p in samples() {
                let text = problem(cat, &p);
                assert!(!text.contains('{') && !text.contains("[usage"), "{lang:?} {}: `{text}`", key_of(&p));
            }
        }
        let (en, nb) = (Catalogue::english(), Catalogue::norwegian());
        let given = Problem::one_of("yaml", &["json", "junit"]);
        assert_eq!(problem(en, &given), "`yaml`: must be `json` or `junit`");
        assert_eq!(problem(nb, &given), "`yaml`: må være `json` eller `junit`");
        let none = Problem::NoSuchProfile { name: "x".into(), known: Vec::new() };
        assert!(problem(nb, &none).ends_with("profiler i filen: ingen"), "{}", problem(nb, &none));
    }

    #[test]
    fn a_configuration_error_names_key_and_source_in_the_language() {
        let e = ConfigError {
            key: "env".into(),
            origin: Origin::Env("ALTINN_DOCTOR_ENV".into()),
            problem: Box::new(Problem::one_of("staging", &["test", "prod"])),
        };
        let nb = sentence(Catalogue::norwegian(), &Usage::Config(e.clone()));
        assert_eq!(
            nb,
            "konfigurasjon: `env` fra miljøvariabelen ALTINN_DOCTOR_ENV: `staging`: må være `test` eller `prod`"
        );
        let en = sentence(Catalogue::english(), &Usage::Config(e));
        assert_eq!(
            en,
            "configuration: `env` from environment variable ALTINN_DOCTOR_ENV: `staging`: must be `test` or `prod`"
        );
    }
}
