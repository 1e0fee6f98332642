//! What is wrong with a setting, a flag or a file the user named: a typed cause whose
//! sentence the catalogue's `[usage]` section holds, in every language.
//!
//! Each variant is a catalogue key (kebab-case) and its fields are the facts the
//! sentence names (`{given}`, `{path}`, …). A field named `choices` reads as "`a`, `b` or
//! `c`"; another list as "a, b, c"; a nested problem as its own sentence.

/// A configuration or usage problem, before it is put into words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "key", rename_all = "kebab-case")]
pub(crate) enum Problem {
    // A value of the wrong shape.
    Empty,
    NotSingleText,
    NotPaths,
    NotWords,
    NotText,
    NotPath,
    NotBool,
    OneOf {
        given: String,
        choices: Vec<&'static str>,
    },
    Seconds {
        given: String,
    },
    Jobs {
        given: String,
        max: usize,
    },
    NotDate {
        given: String,
    },
    NotOrgNumber {
        given: String,
    },
    NotThumbprint {
        given: String,
    },
    NotDays {
        given: String,
    },
    OneOrTwoDays,
    HeaderUnsafe,
    UsernameColon,
    /// A report file that is one of the run's inputs.
    ReportIsInput {
        path: String,
    },
    /// A second `--resource` URL: a token has one audience.
    TwoAudiences {
        second: String,
    },
    /// A bare `check`: nothing names a certificate, a client or a flow.
    NothingToCheck {
        file: String,
    },
    /// A `--from` file that is not a Maskinporten settings file.
    NotSettings {
        reason: String,
    },
    /// A `--from` file whose credential is a certificate inside the settings.
    SettingsCertificate {
        field: String,
    },
    /// A `--report` that is not `FORMAT=FILE`.
    NotReport {
        given: String,
    },
    /// A `--probe` without what names its target.
    ProbeNeeds {
        probe: String,
        needs: String,
    },
    /// An `--app` that is not `org/app`.
    NotApp {
        given: String,
    },
    /// A top-level `profile = "x"`: a file holds profiles as tables, and never picks one.
    ProfileKey,
    /// A setting the command does not use (`token --output`): refused, never ignored.
    NotForCommand {
        command: String,
    },
    SecretTwice {
        name: String,
        file_key: String,
    },
    // URLs that would receive a credential.
    NotUrl {
        url: String,
    },
    UrlNoHost {
        url: String,
    },
    HttpNotLoopback {
        url: String,
    },
    PlainHttp {
        url: String,
    },
    NotHttps {
        url: String,
        scheme: String,
    },
    NotProxy {
        url: String,
    },
    // The profile file.
    ProfileWithoutFile {
        name: String,
        file: String,
    },
    NotToml {
        line: usize,
        detail: String,
    },
    NoProfiles {
        path: String,
    },
    NoSuchProfile {
        name: String,
        known: Vec<String>,
    },
    UnknownKey {
        known: Vec<String>,
    },
    ListItems,
    TableNotValue,
    // Files.
    CannotRead {
        path: String,
        why: Box<Problem>,
    },
    CannotWrite {
        path: String,
        why: Box<Problem>,
    },
    NotUtf8,
    NoSuchFile,
    IsDirectory,
    PermissionDenied,
    TooLarge {
        size: String,
    },
    NothingToRead {
        seconds: u64,
        kind: &'static str,
    },
    Os {
        detail: String,
    },
    VarNotUtf8 {
        name: String,
    },
    // Trust anchors and the HTTP clients.
    CaNotPem {
        path: String,
        detail: String,
    },
    CaEmpty {
        path: String,
    },
    CaBadCertificate {
        path: String,
        detail: String,
    },
    HttpsSetup {
        detail: String,
    },
    ClientsBroken,
    Runtime {
        detail: String,
    },
    // Commands.
    NoSuchCheck {
        name: String,
        known: Vec<String>,
    },
    NoSuchPage {
        name: String,
        known: Vec<String>,
    },
    /// A mistyped check ID, near one that exists.
    DidYouMean {
        name: String,
        suggestion: String,
        known: Vec<String>,
    },
    NoScenario {
        name: String,
        known: Vec<String>,
    },
    DemoSetup {
        detail: String,
    },
    ScenarioSetup {
        name: String,
        detail: String,
    },
    ListenNotLoopback {
        addr: String,
    },
    SimulatorStopped {
        detail: String,
    },
    ManPage {
        detail: String,
    },
    TokenMissing,
    StdinUnreadable {
        detail: String,
    },
    NotAJwt {
        why: Box<Problem>,
    },
    JwtTooLong,
    JwtNotThreeParts,
    JwtHeaderNotJson,
    JwtNoAlgorithm,
    JwtClaimsNotJson,
    JwtNoSignature,
    NoJwks {
        url: String,
        status: u16,
    },
    // `jwk`.
    KeyNotRsa,
    CertificateKeyNotRsa,
    KeyUnreadable {
        path: String,
    },
    KidNeeded,
    /// The certificate named could not be read: its `cert.readable` cause, as data.
    CertificateUnreadable {
        cause: serde_json::Value,
    },
    NoKeyMaterial {
        code: String,
    },
    ProfileStopped {
        detail: String,
    },
}

impl Problem {
    /// "`given`: must be `a`, `b` or `c`".
    pub(crate) fn one_of(given: &str, choices: &[&'static str]) -> Problem {
        Problem::OneOf { given: given.trim().to_string(), choices: choices.to_vec() }
    }

    /// Why a file could not be read, for a file of the user's.
    pub(crate) fn cannot_read(path: &std::path::Path, why: Problem) -> Problem {
        Problem::CannotRead { path: path.display().to_string(), why: Box::new(why) }
    }

    /// An I/O error as a cause, without the OS error number.
    pub(crate) fn of_io(e: &std::io::Error) -> Problem {
        use std::io::ErrorKind::*;
        match e.kind() {
            NotFound => Problem::NoSuchFile,
            PermissionDenied => Problem::PermissionDenied,
            IsADirectory => Problem::IsDirectory,
            _ => Problem::Os { detail: os_detail(e) },
        }
    }
}

/// What the OS says of an I/O error, without its error number (`(os error 5)`).
pub(crate) fn os_detail(e: &std::io::Error) -> String {
    let text = e.to_string();
    text.find(" (os error").map_or(text.as_str(), |i| &text[..i]).to_string()
}
