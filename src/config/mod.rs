//! The profile: flags, environment and file resolved once into one [`Profile`].
//!
//! After [`resolve`] no code reads the environment or the flags again.

mod flags;
mod from;
mod layers;
pub mod settings;

use std::path::{Path, PathBuf};
use std::time::Duration;

use time::OffsetDateTime;

use crate::vocab::times::parse_at;
use crate::vocab::{Environment, Problem, Secret};
use crate::vocab::{OrgNumber, Thumbprint};
pub(crate) use flags::CheckArgs;
pub(crate) use layers::Origin;
use layers::{Layer, Raw, RawValue};
use settings::Kind;

/// The file read when `--config` is not given, if it exists.
pub(crate) const DEFAULT_CONFIG: &str = "altinn-doctor.toml";

/// Largest secret file read (a password or key file is a line, not a megabyte).
const MAX_SECRET_FILE: u64 = crate::files::MAX_SECRET;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Table,
    Json,
    Junit,
    Github,
    Markdown,
}

/// Secrets, each from the environment or a file, never from a flag.
#[derive(Debug, Default, Clone)]
pub struct Secrets {
    pub cert_password: Option<Secret>,
    /// Where it came from: a variable, a variable's file, a profile file's key.
    pub(crate) cert_password_from: Option<String>,
    pub(crate) api_key: Option<Secret>,
    pub(crate) enterprise_password: Option<Secret>,
}

/// The proxies of the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, either case).
#[derive(Debug, Clone, Default)]
pub(crate) struct ProxySettings {
    pub(crate) https: Option<String>,
    pub(crate) http: Option<String>,
    pub(crate) no_proxy: Option<String>,
}

impl ProxySettings {
    fn from_vars(vars: &dyn Fn(&str) -> Option<String>) -> ProxySettings {
        let var = |name: &str| vars(name).or_else(|| vars(&name.to_ascii_lowercase())).filter(|v| !v.is_empty());
        ProxySettings { https: var("HTTPS_PROXY"), http: var("HTTP_PROXY"), no_proxy: var("NO_PROXY") }
    }
}

/// Which way the organisation calls Altinn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    /// The old path: API key and enterprise user (Altinn 2, shut down 19 June 2026).
    EnterpriseUser,
    /// The path that replaced it: a system user.
    SystemUser,
    Both,
    /// Neither is configured: only the token exchange is checked.
    None,
}

impl Flow {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Flow::EnterpriseUser => "enterprise-user",
            Flow::SystemUser => "system-user",
            Flow::Both => "both",
            Flow::None => "none",
        }
    }

    pub(crate) fn enterprise_user(self) -> bool {
        matches!(self, Flow::EnterpriseUser | Flow::Both)
    }

    pub(crate) fn system_user(self) -> bool {
        matches!(self, Flow::SystemUser | Flow::Both)
    }
}

/// A product API that `--probe` proves real access to, with one read-only GET.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    Correspondence,
    Broker,
    Dialogporten,
    Instances,
}

impl Probe {
    pub const ALL: [Probe; 4] = [Probe::Correspondence, Probe::Broker, Probe::Dialogporten, Probe::Instances];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Probe::Correspondence => "correspondence",
            Probe::Broker => "broker",
            Probe::Dialogporten => "dialogporten",
            Probe::Instances => "instances",
        }
    }

    fn parse(text: &str) -> Result<Probe, Problem> {
        let names: Vec<&'static str> = Probe::ALL.iter().map(|p| p.as_str()).collect();
        Probe::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(text))
            .ok_or_else(|| Problem::one_of(text, &names))
    }
}

/// A standard system user, or an agent one (an accountant acting for its clients).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SystemUserType {
    Standard,
    Agent,
}

impl SystemUserType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            SystemUserType::Standard => "standard",
            SystemUserType::Agent => "agent",
        }
    }
}

/// The Altinn side of a profile.
#[derive(Debug, Clone)]
pub(crate) struct AltinnProfile {
    pub(crate) flow: Flow,
    pub(crate) enterprise_user: Option<String>,
    /// Role codes the enterprise user must hold (default HADM).
    pub(crate) require_roles: Vec<String>,
    pub(crate) system_user_org: Option<OrgNumber>,
    pub(crate) external_ref: Option<String>,
    /// The vendor's system ID, for looking the system user up.
    pub(crate) system_id: Option<String>,
    /// The client of the vendor look-ups, when it is not the profile's.
    pub(crate) vendor_client_id: Option<String>,
    /// Altinn resources the integration calls (registry IDs).
    pub(crate) resources: Vec<String>,
    /// The product APIs to prove real access to (`--probe`).
    pub(crate) probes: Vec<Probe>,
    /// The app whose instances `--probe instances` lists (`org/app`).
    pub(crate) app: Option<String>,
    /// Unsaid: found out from the vendor look-ups.
    pub(crate) system_user_type: Option<SystemUserType>,
    pub(crate) require_access_packages: Vec<String>,
    /// Altinn 2 API base instead of the environment's (`https://tt02.altinn.no`).
    pub(crate) altinn_url: Option<String>,
    /// Platform base instead of the environment's (`https://platform.tt02.altinn.no`).
    pub(crate) platform_url: Option<String>,
}

impl Default for AltinnProfile {
    fn default() -> Self {
        AltinnProfile {
            flow: Flow::None,
            enterprise_user: None,
            require_roles: vec!["HADM".into()],
            system_user_org: None,
            external_ref: None,
            system_id: None,
            vendor_client_id: None,
            resources: Vec::new(),
            probes: Vec::new(),
            app: None,
            system_user_type: None,
            require_access_packages: Vec::new(),
            altinn_url: None,
            platform_url: None,
        }
    }
}

/// The Maskinporten client of a profile.
#[derive(Debug, Clone, Default)]
pub(crate) struct MaskinportenProfile {
    pub(crate) client_id: Option<String>,
    pub(crate) scopes: Vec<String>,
    /// Base URL instead of the environment's (`https://test.maskinporten.no`).
    pub(crate) url: Option<String>,
    /// Digdir's self-service API (the scope catalogue) instead of the environment's.
    pub(crate) samarbeid_url: Option<String>,
    /// A registered key's ID: the grant carries `kid` instead of `x5c`.
    pub(crate) kid: Option<String>,
    pub(crate) resource: Option<String>,
    pub(crate) consumer_org: Option<OrgNumber>,
    /// Send the whole chain in `x5c`, not only the certificate.
    pub(crate) x5c_chain: bool,
}

/// Everything a run needs to know, fully resolved.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The `[profile.NAME]` it was resolved with, if any.
    pub(crate) name: Option<String>,
    pub(crate) env: Environment,
    pub cert: Option<PathBuf>,
    pub(crate) key: Option<PathBuf>,
    pub(crate) thumbprint: Option<Thumbprint>,
    pub(crate) org: Option<OrgNumber>,
    /// The time the certificate is judged at.
    pub(crate) at: OffsetDateTime,
    /// True when `at` was given rather than taken from the clock.
    pub(crate) at_given: bool,
    pub(crate) crl: Vec<PathBuf>,
    pub(crate) ca_files: Vec<PathBuf>,
    pub(crate) offline: bool,
    /// `--insecure-http`: plain HTTP allowed for loopback endpoints.
    pub(crate) insecure_http: bool,
    pub(crate) format: Format,
    /// Where the report goes instead of stdout (`--output`).
    pub(crate) output: Option<PathBuf>,
    /// Where the Markdown support report goes, beside the report (`--support-report`).
    pub(crate) support_report: Option<PathBuf>,
    /// `--report FORMAT=FILE`: further reports of the same run.
    pub(crate) reports: Vec<(Format, PathBuf)>,
    /// `$GITHUB_STEP_SUMMARY`: the file a `github` report appends its Markdown summary to.
    pub(crate) step_summary: Option<PathBuf>,
    pub(crate) strict: bool,
    /// Descending: the first is the early warning, the last the urgent one.
    pub(crate) expiry_warn_days: Vec<u32>,
    pub(crate) deadline: Duration,
    pub(crate) color: bool,
    /// `--only`, `--skip`: check IDs as typed (the registry reads them).
    pub(crate) only: Vec<String>,
    pub(crate) skip: Vec<String>,
    /// `-q`: the verdict line only on stdout.
    pub(crate) quiet: bool,
    /// `--facts` (or `-v`): the facts table in the terminal report.
    pub(crate) facts: bool,
    /// The terminal's width from `COLUMNS`, when set (also when piped).
    pub(crate) columns: Option<u16>,
    /// `-v`: each HTTP exchange on stderr.
    pub(crate) verbose: bool,
    /// The language of the report.
    pub(crate) lang: crate::vocab::Lang,
    /// A progress line on stderr while the checks run: only on a terminal, never in CI
    /// (`CI` set), with `-q` or `-v`.
    pub(crate) progress: bool,
    pub secrets: Secrets,
    pub(crate) maskinporten: MaskinportenProfile,
    pub(crate) altinn: AltinnProfile,
    pub(crate) proxy: ProxySettings,
    /// Whether a profile file or a `--from` settings file was read.
    pub(crate) from_file: bool,
    /// The profile file read, if any (the support report names it).
    pub(crate) config_file: Option<PathBuf>,
}

impl Profile {
    /// Every report file the profile asks for, in its format.
    pub(crate) fn wanted_reports(&self) -> Vec<(Format, PathBuf)> {
        let output = self.output.iter().map(|p| (self.format, p.clone()));
        let support = self.support_report.iter().map(|p| (Format::Markdown, p.clone()));
        output.chain(support).chain(self.reports.iter().cloned()).collect()
    }

    /// True when nothing names what to check: no file, no certificate, key or
    /// thumbprint, no client, scope or service URL, no Altinn flow, no resource (a bare
    /// `check`, which must not go to the network to find that out).
    pub(crate) fn names_nothing(&self) -> bool {
        let (m, a) = (&self.maskinporten, &self.altinn);
        !self.from_file
            && self.cert.is_none()
            && self.key.is_none()
            && self.thumbprint.is_none()
            && m.client_id.is_none()
            && m.url.is_none()
            && m.scopes.is_empty()
            && m.kid.is_none()
            && a.platform_url.is_none()
            && a.altinn_url.is_none()
            && a.system_user_org.is_none()
            && a.enterprise_user.is_none()
            && a.resources.is_empty()
    }

    /// The defaults of every setting, judged at `now`: what a profile with no file,
    /// variables or flags holds.
    pub fn defaults(now: OffsetDateTime) -> Profile {
        Profile {
            name: None,
            env: Environment::Test,
            cert: None,
            key: None,
            thumbprint: None,
            org: None,
            at: now,
            at_given: false,
            crl: Vec::new(),
            ca_files: Vec::new(),
            offline: false,
            insecure_http: false,
            format: Format::Table,
            output: None,
            support_report: None,
            reports: Vec::new(),
            step_summary: None,
            strict: false,
            expiry_warn_days: vec![60, 30],
            deadline: Duration::from_secs(60),
            color: false,
            only: Vec::new(),
            skip: Vec::new(),
            quiet: false,
            facts: false,
            columns: None,
            verbose: false,
            lang: crate::vocab::Lang::En,
            progress: false,
            secrets: Secrets::default(),
            maskinporten: MaskinportenProfile::default(),
            altinn: AltinnProfile::default(),
            proxy: ProxySettings::default(),
            from_file: false,
            config_file: None,
        }
    }
}

/// A configuration problem: which key, from which source, and what is wrong with it.
/// The report puts it into words (`report::usage`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The key; empty when the problem is the file's as a whole (its TOML).
    pub(crate) key: String,
    pub(crate) origin: Origin,
    pub(crate) problem: Box<Problem>,
}

impl ConfigError {
    /// A problem with a flag the user gave (`--output`, `--ca-file`, …).
    /// A setting's variable that cannot be read.
    pub(crate) fn env(var: &str, key: &str, problem: Problem) -> ConfigError {
        ConfigError { key: key.to_string(), origin: Origin::Env(var.to_string()), problem: Box::new(problem) }
    }

    pub(crate) fn flag(flag: &str, problem: Problem) -> ConfigError {
        let key = flag.trim_start_matches('-').replace('-', "_");
        ConfigError { key, origin: Origin::Flag(flag.to_string()), problem: Box::new(problem) }
    }
}

/// Why a command could not start: a setting (with its key and source), a flag, or the
/// request as a whole. Exit code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Usage {
    Config(ConfigError),
    Flag { flag: String, problem: Problem },
    Plain(Problem),
}

impl From<ConfigError> for Usage {
    fn from(e: ConfigError) -> Usage {
        Usage::Config(e)
    }
}

impl From<Problem> for Usage {
    fn from(p: Problem) -> Usage {
        Usage::Plain(p)
    }
}

impl Usage {
    pub(crate) fn flag(flag: &str, problem: Problem) -> Usage {
        Usage::Flag { flag: flag.to_string(), problem }
    }
}

/// What the process was started with, gathered by the caller once.
pub(crate) struct Surroundings<'a> {
    pub(crate) vars: &'a dyn Fn(&str) -> Option<String>,
    pub(crate) now: OffsetDateTime,
    pub(crate) stdout_is_terminal: bool,
    pub(crate) stderr_is_terminal: bool,
    pub(crate) cwd: PathBuf,
    /// The profile file, once read and parsed (`--all-profiles`): each profile is then
    /// resolved from it, not from a fresh read, so the run grows linearly.
    pub(crate) config: Option<&'a ReadConfig>,
}

/// A profile file read and parsed.
pub(crate) struct ReadConfig {
    path: PathBuf,
    table: toml::Table,
}

/// Resolves flags over environment over file into one profile.
pub(crate) fn resolve(args: &CheckArgs, world: &Surroundings<'_>) -> Result<Profile, ConfigError> {
    let (layers, config_path) = all_layers(args, world)?;

    let defaults = Profile::defaults(world.now);
    let at = typed(&layers, &settings::AT, parse_at)?;
    let timeout = typed(&layers, &settings::TIMEOUT, |v| match v.trim().parse::<u64>() {
        Ok(s) if (1..=3600).contains(&s) => Ok(Duration::from_secs(s)),
        _ => Err(Problem::Seconds { given: v.to_string() }),
    })?;
    let profile = Profile {
        name: args.text(&settings::PROFILE).or_else(|| (world.vars)(&settings::PROFILE.env_var())),
        env: typed(&layers, &settings::ENV, parse_env)?.unwrap_or(defaults.env),
        cert: layers.path(settings::CERT.name)?,
        key: layers.path(settings::KEY.name)?,
        thumbprint: typed(&layers, &settings::THUMBPRINT, Thumbprint::parse)?,
        org: typed(&layers, &settings::ORG, OrgNumber::parse)?,
        at_given: at.is_some(),
        at: at.unwrap_or(defaults.at),
        crl: layers.paths(settings::CRL.name)?,
        ca_files: layers.paths(settings::CA_FILE.name)?,
        offline: layers.bool(settings::OFFLINE.name)?,
        insecure_http: layers.bool(settings::INSECURE_HTTP.name)?,
        format: typed(&layers, &settings::FORMAT, parse_format)?.unwrap_or(defaults.format),
        output: layers.path(settings::OUTPUT.name)?,
        support_report: layers.path(settings::SUPPORT_REPORT.name)?,
        reports: reports(&layers, world)?,
        step_summary: (world.vars)("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty()).map(PathBuf::from),
        strict: layers.bool(settings::STRICT.name)?,
        expiry_warn_days: typed(&layers, &settings::EXPIRY_WARN_DAYS, parse_days)?.unwrap_or(defaults.expiry_warn_days),
        deadline: timeout.unwrap_or(defaults.deadline),
        color: typed(&layers, &settings::COLOR, |v| parse_color(v, world))?.unwrap_or_else(|| wants_color(world)),
        only: layers.words(settings::ONLY.name)?,
        skip: layers.words(settings::SKIP.name)?,
        quiet: layers.bool(settings::QUIET.name)?,
        facts: layers.bool(settings::FACTS.name)? || layers.bool(settings::VERBOSE.name)?,
        columns: columns(world),
        verbose: layers.bool(settings::VERBOSE.name)?,
        lang: typed(&layers, &settings::LANG, parse_lang)?.unwrap_or_else(|| locale_lang(world)),
        progress: world.stderr_is_terminal
            && (world.vars)("CI").is_none_or(|v| v.is_empty())
            && !layers.bool(settings::QUIET.name)?
            && !layers.bool(settings::VERBOSE.name)?,
        secrets: Secrets {
            cert_password: layers.secret(settings::CERT_PASSWORD.name)?,
            cert_password_from: layers.secret_source(settings::CERT_PASSWORD.name),
            api_key: header_safe(&layers, "api_key")?,
            enterprise_password: layers.secret(settings::ENTERPRISE_PASSWORD.name)?,
        },
        maskinporten: maskinporten_profile(&layers)?,
        altinn: altinn_profile(&layers)?,
        proxy: ProxySettings::from_vars(world.vars),
        from_file: config_path.is_some()
            || args.text(&settings::FROM).or_else(|| (world.vars)(&settings::FROM.env_var())).is_some(),
        config_file: config_path.clone(),
    };
    let mut inputs = layers.secret_files();
    inputs.extend(config_path);
    reports_are_not_inputs(&profile, &inputs)?;
    Ok(profile)
}

/// A report file must not be one of the run's inputs: `--output` equal to `--cert` would
/// replace the certificate with its own report.
/// `read` holds the profile file and the secrets' `_file`s, which the profile keeps only
/// as their contents.
fn reports_are_not_inputs(profile: &Profile, read: &[PathBuf]) -> Result<(), ConfigError> {
    let inputs: Vec<&Path> = [profile.cert.as_deref(), profile.key.as_deref()]
        .into_iter()
        .flatten()
        .chain(read.iter().map(PathBuf::as_path))
        .chain(profile.crl.iter().map(PathBuf::as_path))
        .chain(profile.ca_files.iter().map(PathBuf::as_path))
        .collect();
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    let named = [("--output", profile.output.as_ref()), ("--support-report", profile.support_report.as_ref())];
    let extra = profile.reports.iter().map(|(_, p)| ("--report", Some(p)));
    for (flag, report) in named.into_iter().chain(extra) {
        if let Some(report) = report
            && let Some(input) = inputs.iter().find(|i| same(i, report))
        {
            let problem = Problem::ReportIsInput { path: input.display().to_string() };
            return Err(ConfigError::flag(flag, problem));
        }
    }
    Ok(())
}

/// A setting's text read into its type; a value that does not read names the setting
/// and where it came from.
fn typed<T>(
    layers: &Layers,
    s: &settings::Setting,
    read: impl Fn(&str) -> Result<T, Problem>,
) -> Result<Option<T>, ConfigError> {
    match layers.text(s.name)? {
        None => Ok(None),
        Some((v, raw)) => read(&v).map(Some).map_err(|p| raw.error(s.name, p)),
    }
}

fn parse_env(text: &str) -> Result<Environment, Problem> {
    match text.to_ascii_lowercase().as_str() {
        "test" | "tt02" => Ok(Environment::Test),
        "prod" | "production" => Ok(Environment::Prod),
        _ => Err(Problem::one_of(text, &["test", "prod"])),
    }
}

/// `--lang`: `nb` or `en` (and the locale spellings [`crate::vocab::Lang::parse`] takes).
pub(crate) fn parse_lang(text: &str) -> Result<crate::vocab::Lang, Problem> {
    crate::vocab::Lang::parse(text).ok_or_else(|| Problem::one_of(text, &["nb", "en"]))
}

fn maskinporten_profile(layers: &Layers) -> Result<MaskinportenProfile, ConfigError> {
    let insecure = layers.bool(settings::INSECURE_HTTP.name)?;
    Ok(MaskinportenProfile {
        client_id: layers.text(settings::CLIENT_ID.name)?.map(|(v, _)| v),
        scopes: layers.words(settings::SCOPE.name)?,
        url: typed(layers, &settings::MASKINPORTEN_URL, |v| parse_base_url(v, insecure))?,
        samarbeid_url: typed(layers, &settings::SAMARBEID_URL, |v| parse_base_url(v, insecure))?,
        kid: layers.text(settings::KID.name)?.map(|(v, _)| v),
        resource: audience(layers)?,
        consumer_org: typed(layers, &settings::CONSUMER_ORG, OrgNumber::parse)?,
        x5c_chain: layers.bool(settings::X5C_CHAIN.name)?,
    })
}

/// The one `--resource` that is an https URL: the token's audience.
fn audience(layers: &Layers) -> Result<Option<String>, ConfigError> {
    let urls: Vec<String> =
        layers.words(settings::RESOURCE.name)?.into_iter().filter(|r| r.starts_with("https://")).collect();
    match urls.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        [_, second, ..] => Err(ConfigError::flag("--resource", Problem::TwoAudiences { second: second.clone() })),
    }
}

/// The `--resource`s that are Altinn resources, as registry IDs (no `urn:altinn:resource:`).
fn altinn_resources(layers: &Layers) -> Result<Vec<String>, ConfigError> {
    let all = layers.words(settings::RESOURCE.name)?;
    Ok(all
        .into_iter()
        .filter(|r| !r.starts_with("https://") && !r.starts_with("http://"))
        .map(|r| r.strip_prefix("urn:altinn:resource:").unwrap_or(&r).to_string())
        .collect())
}

/// The reports a run that could not start was asked for (`--format` with `--output`,
/// `--support-report`, `--report`), read from the flags and variables alone and leniently:
/// a pipeline then still gets a file that says why. Nothing here is an error.
pub(crate) fn wanted_reports(args: &CheckArgs, world: &Surroundings<'_>) -> Vec<(Format, PathBuf)> {
    let given = |s: &settings::Setting| args.text(s).or_else(|| (world.vars)(&s.env_var()));
    let mut out = Vec::new();
    let format = given(&settings::FORMAT).and_then(|f| parse_format(&f).ok()).unwrap_or(Format::Table);
    if let Some(path) = given(&settings::OUTPUT) {
        out.push((format, world.cwd.join(path)));
    }
    if let Some(path) = given(&settings::SUPPORT_REPORT) {
        out.push((Format::Markdown, world.cwd.join(path)));
    }
    let mut words = args.words(&settings::REPORT);
    if words.is_empty() {
        let var = (world.vars)(&settings::REPORT.env_var()).unwrap_or_default();
        words = var.split([',', ' ']).filter(|w| !w.is_empty()).map(str::to_string).collect();
    }
    for word in words {
        if let Some((f, p)) = word.split_once('=')
            && let Ok(f) = parse_format(f)
        {
            out.push((f, world.cwd.join(p)));
        }
    }
    // Never a file the run would read: a report must not replace a certificate.
    let inputs = named_inputs(args, world);
    let same = |a: &Path, b: &Path| a.canonicalize().ok().is_some_and(|a| b.canonicalize().ok() == Some(a));
    out.retain(|(_, p)| !inputs.iter().any(|i| same(i, p)));
    out
}

/// Every file the flags and variables name for reading: certificate, key, CAs, CRLs,
/// the profile and settings files, the secrets' files.
fn named_inputs(args: &CheckArgs, world: &Surroundings<'_>) -> Vec<PathBuf> {
    let one = [&settings::CERT, &settings::KEY, &settings::CONFIG, &settings::FROM];
    let many = [&settings::CA_FILE, &settings::CRL];
    let mut names: Vec<String> = Vec::new();
    for s in one.iter().chain(&many) {
        names.extend(args.words(s));
        names.extend((world.vars)(&s.env_var()));
    }
    let secrets = settings::ALL.iter().filter(|s| s.kind == Kind::Secret);
    names.extend(secrets.filter_map(|s| (world.vars)(&format!("{}_FILE", s.env_var()))));
    names.iter().map(|n| world.cwd.join(n)).collect()
}

/// `--report FORMAT=FILE`, each: a format the doctor writes and a file (relative to the
/// working directory).
fn reports(layers: &Layers, world: &Surroundings<'_>) -> Result<Vec<(Format, PathBuf)>, ConfigError> {
    let name = settings::REPORT.name;
    let error = |problem| layers.error_of(&settings::REPORT, problem);
    let mut out = Vec::new();
    for word in layers.words(name)? {
        let Some((format, file)) = word.split_once('=').filter(|(f, p)| !f.is_empty() && !p.is_empty()) else {
            return Err(error(Problem::NotReport { given: word }));
        };
        out.push((parse_format(format).map_err(error)?, world.cwd.join(file)));
    }
    Ok(out)
}

/// The `--probe`s, each with what it needs to name its target: an Altinn resource
/// (Correspondence, Broker), a resource or a party (Dialogporten), an app (instances).
fn probes(layers: &Layers, party: bool) -> Result<Vec<Probe>, ConfigError> {
    let name = settings::PROBE.name;
    let error = |problem| layers.error_of(&settings::PROBE, problem);
    let mut probes = Vec::new();
    for word in layers.words(name)? {
        let probe = Probe::parse(&word).map_err(error)?;
        if !probes.contains(&probe) {
            probes.push(probe);
        }
    }
    let resource = !altinn_resources(layers)?.is_empty();
    let app = layers.text(settings::APP.name)?.is_some();
    for probe in &probes {
        let needs = match probe {
            Probe::Correspondence | Probe::Broker if !resource => Some("--resource urn:altinn:resource:ID"),
            Probe::Dialogporten if !resource && !party => {
                Some("--resource urn:altinn:resource:ID or --system-user-org")
            }
            Probe::Instances if !app => Some("--app ORG/APP"),
            _ => None,
        };
        if let Some(needs) = needs {
            return Err(error(Problem::ProbeNeeds { probe: probe.as_str().into(), needs: needs.into() }));
        }
    }
    Ok(probes)
}

/// An app ID as Storage takes it: `org/app`, both parts lower-case letters, digits, `-`.
fn parse_app(text: &str) -> Result<String, Problem> {
    let ok = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    match text.split_once('/') {
        Some((org, app)) if ok(org) && ok(app) => Ok(text.to_ascii_lowercase()),
        _ => Err(Problem::NotApp { given: text.to_string() }),
    }
}

/// A secret sent as an HTTP header value as it is: visible ASCII and spaces only.
fn header_safe(layers: &Layers, name: &str) -> Result<Option<Secret>, ConfigError> {
    let secret = layers.secret(name)?;
    if let Some(s) = &secret
        && !s.expose().bytes().all(|b| b == b' ' || b == b'\t' || b.is_ascii_graphic())
    {
        let raw = layers.secret_origin(name);
        return Err(ConfigError { key: name.into(), origin: raw, problem: Box::new(Problem::HeaderUnsafe) });
    }
    Ok(secret)
}

fn altinn_profile(layers: &Layers) -> Result<AltinnProfile, ConfigError> {
    let defaults = AltinnProfile::default();
    let enterprise_user = match layers.text(settings::ENTERPRISE_USER.name)? {
        Some((v, raw)) if v.contains(':') => {
            return Err(raw.error(settings::ENTERPRISE_USER.name, Problem::UsernameColon));
        }
        other => other.map(|(v, _)| v),
    };
    let system_user_org = typed(layers, &settings::SYSTEM_USER_ORG, OrgNumber::parse)?;
    let insecure = layers.bool(settings::INSECURE_HTTP.name)?;
    let flow = typed(layers, &settings::FLOW, |v| match v {
        "enterprise-user" => Ok(Flow::EnterpriseUser),
        "system-user" => Ok(Flow::SystemUser),
        "both" => Ok(Flow::Both),
        _ => Err(Problem::one_of(v, &["enterprise-user", "system-user", "both"])),
    })?;
    // Unsaid, the flow follows what is configured: a required access package asks for
    // the system-user flow as much as its organisation does.
    let packages = layers.words(settings::REQUIRE_ACCESS_PACKAGE.name)?;
    let system_user = system_user_org.is_some() || !packages.is_empty();
    let flow = flow.unwrap_or(match (enterprise_user.is_some(), system_user) {
        (true, true) => Flow::Both,
        (true, false) => Flow::EnterpriseUser,
        (false, true) => Flow::SystemUser,
        (false, false) => Flow::None,
    });
    let roles = layers.words(settings::REQUIRE_ROLE.name)?;
    let probes = probes(layers, system_user_org.is_some())?;
    Ok(AltinnProfile {
        flow,
        enterprise_user,
        require_roles: if roles.is_empty() {
            defaults.require_roles
        } else {
            roles.iter().map(|r| r.to_ascii_uppercase()).collect()
        },
        system_user_org,
        external_ref: layers.text(settings::EXTERNAL_REF.name)?.map(|(v, _)| v),
        system_id: layers.text(settings::SYSTEM_ID.name)?.map(|(v, _)| v),
        vendor_client_id: layers.text(settings::VENDOR_CLIENT_ID.name)?.map(|(v, _)| v),
        resources: altinn_resources(layers)?,
        probes,
        app: typed(layers, &settings::APP, parse_app)?,
        system_user_type: typed(layers, &settings::SYSTEM_USER_TYPE, |v| match v.to_ascii_lowercase().as_str() {
            "standard" => Ok(SystemUserType::Standard),
            "agent" => Ok(SystemUserType::Agent),
            _ => Err(Problem::one_of(v, &["standard", "agent"])),
        })?,
        require_access_packages: layers.words(settings::REQUIRE_ACCESS_PACKAGE.name)?,
        altinn_url: typed(layers, &settings::ALTINN_URL, |v| parse_base_url(v, insecure))?,
        platform_url: typed(layers, &settings::PLATFORM_URL, |v| parse_base_url(v, insecure))?,
    })
}

/// An `https://` base URL without a trailing slash. Every one of these endpoints
/// receives a credential, so `http://` is refused unless `insecure` (`--insecure-http`)
/// allows it, and then only for a loopback address.
fn parse_base_url(text: &str, insecure: bool) -> Result<String, Problem> {
    let url = reqwest::Url::parse(text.trim())
        .map_err(|_| Problem::NotUrl { url: crate::http::mask_credentials(text.trim()) })?;
    credential_safe(&url, insecure)?;
    Ok(text.trim().trim_end_matches('/').to_string())
}

/// Whether a URL may receive a credential: `https://`, or with `insecure`
/// (`--insecure-http`) `http://` to a loopback address.
pub(crate) fn credential_safe(url: &reqwest::Url, insecure: bool) -> Result<(), Problem> {
    let shown = crate::http::mask_credentials(url.as_str());
    let Some(host) = url.host_str() else { return Err(Problem::UrlNoHost { url: shown }) };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let loopback =
        host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    match url.scheme() {
        "https" => Ok(()),
        "http" if insecure && loopback => Ok(()),
        "http" if insecure => Err(Problem::HttpNotLoopback { url: shown }),
        "http" => Err(Problem::PlainHttp { url: shown }),
        other => Err(Problem::NotHttps { url: shown, scheme: other.to_string() }),
    }
}

/// The profile of `demo`: defaults, with the output settings the user gave.
/// What `demo` takes from its flags: how the report is written, and where.
pub(crate) struct DemoOutput<'a> {
    pub(crate) verbose: bool,
    pub(crate) quiet: bool,
    pub(crate) strict: bool,
    pub(crate) color: Option<&'a str>,
    pub(crate) lang: Option<&'a str>,
    pub(crate) format: Option<&'a str>,
    pub(crate) output: Option<&'a Path>,
    pub(crate) support_report: Option<&'a Path>,
}

pub(crate) fn resolve_demo(flags: DemoOutput<'_>, world: &Surroundings<'_>) -> Result<Profile, ConfigError> {
    let format = flags.format;
    let mut profile = Profile::defaults(world.now);
    profile.verbose = flags.verbose;
    profile.lang = match flags.lang {
        Some(text) => parse_lang(text).map_err(|p| ConfigError::flag("--lang", p))?,
        None => locale_lang(world),
    };
    profile.output = flags.output.map(|p| world.cwd.join(p));
    profile.support_report = flags.support_report.map(|p| world.cwd.join(p));
    profile.step_summary = (world.vars)("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty()).map(PathBuf::from);
    if let Some(f) = format {
        profile.format = parse_format(f).map_err(|p| ConfigError::flag("--format", p))?;
    }
    profile.columns = columns(world);
    profile.facts = flags.verbose;
    profile.color = match flags.color {
        Some(c) => parse_color(c, world).map_err(|p| ConfigError::flag("--color", p))?,
        None => wants_color(world),
    };
    (profile.quiet, profile.strict) = (flags.quiet, flags.strict);
    profile.proxy = ProxySettings::from_vars(world.vars);
    Ok(profile)
}

pub(crate) fn parse_format(text: &str) -> Result<Format, Problem> {
    match text.to_ascii_lowercase().as_str() {
        "table" => Ok(Format::Table),
        "json" => Ok(Format::Json),
        "junit" => Ok(Format::Junit),
        "github" => Ok(Format::Github),
        "markdown" | "md" => Ok(Format::Markdown),
        _ => Err(Problem::one_of(text, &["table", "json", "junit", "github", "markdown"])),
    }
}

/// `COLUMNS`, when it is a width a report can use (20 to 1000).
fn columns(world: &Surroundings<'_>) -> Option<u16> {
    (world.vars)("COLUMNS").and_then(|c| c.trim().parse::<u16>().ok()).filter(|c| (20..=1000).contains(c))
}

/// Colour on a terminal whose TERM is not `dumb`; never with `NO_COLOR` (no-color.org);
/// always with `CLICOLOR_FORCE` (not `0`).
fn wants_color(world: &Surroundings<'_>) -> bool {
    let set = |name: &str| (world.vars)(name).is_some_and(|v| !v.is_empty());
    if set("NO_COLOR") {
        return false;
    }
    if set("CLICOLOR_FORCE") && (world.vars)("CLICOLOR_FORCE").as_deref() != Some("0") {
        return true;
    }
    world.stdout_is_terminal && (world.vars)("TERM").as_deref() != Some("dumb")
}

/// The language the locale asks for: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is
/// set, as POSIX orders them.
pub(crate) fn locale_lang(world: &Surroundings<'_>) -> crate::vocab::Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| (world.vars)(name).filter(|v| !v.is_empty()))
        .map(|locale| crate::vocab::Lang::of_locale(&locale))
        .unwrap_or_default()
}

/// The language of a usage error, known before (or without) a profile: `--lang`, then
/// `ALTINN_DOCTOR_LANG`, then the locale. The profile file is not read for it: it may be
/// the very thing that is wrong.
pub(crate) fn usage_lang(flag: Option<&str>, world: &Surroundings<'_>) -> crate::vocab::Lang {
    flag.and_then(crate::vocab::Lang::parse)
        .or_else(|| (world.vars)(&settings::LANG.env_var()).as_deref().and_then(crate::vocab::Lang::parse))
        .unwrap_or_else(|| locale_lang(world))
}

/// `--color`: `auto` decides as [`wants_color`], the others say.
fn parse_color(text: &str, world: &Surroundings<'_>) -> Result<bool, Problem> {
    match text.to_ascii_lowercase().as_str() {
        "auto" => Ok(wants_color(world)),
        "always" => Ok(true),
        "never" => Ok(false),
        _ => Err(Problem::one_of(text, &["auto", "always", "never"])),
    }
}

/// Flags, environment, and the file (with a `--from` settings file over it); the
/// profile file's path when one was read.
fn all_layers(args: &CheckArgs, world: &Surroundings<'_>) -> Result<(Layers, Option<PathBuf>), ConfigError> {
    let flags = flag_layer(args);
    let env = Layer::from_env(world.vars);
    let (mut file, config_path) = file_layer(args, world)?;
    if let Some(from) = args.text(&settings::FROM).or_else(|| (world.vars)(&settings::FROM.env_var())) {
        file.extend(from::layer(&world.cwd.join(from))?);
    }
    Ok((Layers { flags, env, file }, config_path))
}

fn flag_layer(args: &CheckArgs) -> Layer {
    let mut layer = Layer::default();
    for (setting, value) in &args.given {
        if setting.kind != settings::Kind::Locator {
            layer.insert(setting.name, Raw { value: value.clone(), origin: Origin::Flag(setting.flag()), base: None });
        }
    }
    layer
}

fn file_layer(args: &CheckArgs, world: &Surroundings<'_>) -> Result<(Layer, Option<PathBuf>), ConfigError> {
    let profile = args.text(&settings::PROFILE).or_else(|| (world.vars)(&settings::PROFILE.env_var()));
    let (path, explicit) = match args.text(&settings::CONFIG).or_else(|| (world.vars)(&settings::CONFIG.env_var())) {
        Some(p) => (world.cwd.join(p), true),
        None => (world.cwd.join(DEFAULT_CONFIG), false),
    };
    if !explicit && !path.exists() {
        if let Some(name) = profile {
            let problem = Problem::ProfileWithoutFile { name, file: DEFAULT_CONFIG.into() };
            return Err(ConfigError::flag("--profile", problem));
        }
        return Ok((Layer::default(), None));
    }
    if let Some(read) = world.config.filter(|read| read.path == path) {
        return Ok((Layer::from_table(&path, &read.table, profile.as_deref())?, Some(path)));
    }
    let text = read_config_text(&path).map_err(|p| ConfigError::flag("--config", p))?;
    let layer = Layer::from_file(&path, &text, profile.as_deref())?;
    Ok((layer, Some(path)))
}

/// Reads and parses the profile file once, for `--all-profiles`.
pub(crate) fn read_config(args: &CheckArgs, world: &Surroundings<'_>) -> Result<ReadConfig, ConfigError> {
    let given = args.text(&settings::CONFIG).or_else(|| (world.vars)(&settings::CONFIG.env_var()));
    let path = world.cwd.join(given.unwrap_or_else(|| DEFAULT_CONFIG.into()));
    let text = read_config_text(&path).map_err(|p| ConfigError::flag("--all-profiles", p))?;
    let table = layers::parse_toml(&path, &text)?;
    Ok(ReadConfig { path, table })
}

/// The names of the `[profile.NAME]` tables of the profile file (`--all-profiles`), each
/// as `--profile NAME` would resolve it.
pub(crate) fn profile_names(read: &ReadConfig) -> Result<Vec<String>, ConfigError> {
    let (path, table) = (&read.path, &read.table);
    let names: Vec<String> =
        table.get("profile").and_then(toml::Value::as_table).map(|p| p.keys().cloned().collect()).unwrap_or_default();
    if names.is_empty() {
        let problem = Problem::NoProfiles { path: path.display().to_string() };
        return Err(ConfigError::flag("--all-profiles", problem));
    }
    Ok(names)
}

/// The profile file's text: capped, and UTF-8.
fn read_config_text(path: &Path) -> Result<String, Problem> {
    let bytes =
        crate::files::read(path, crate::files::MAX_CONFIG).map_err(|e| Problem::cannot_read(path, e.problem()))?;
    String::from_utf8(bytes).map_err(|_| Problem::cannot_read(path, Problem::NotUtf8))
}

/// Reads a profile file's text as `--config` would (the entry of the fuzz target): its
/// keys, the named profile's table, every value's kind.
pub fn read_file_text(path: &Path, text: &str, profile: Option<&str>) -> Result<(), ConfigError> {
    Layer::from_file(path, text, profile).map(|_| ())
}

struct Layers {
    flags: Layer,
    env: Layer,
    file: Layer,
}

impl Raw {
    fn error(&self, key: &str, problem: Problem) -> ConfigError {
        ConfigError { key: key.to_string(), origin: self.origin.clone(), problem: Box::new(problem) }
    }

    /// A path from a file is relative to that file; from a flag or variable, to the
    /// working directory, and kept as the user typed it.
    fn resolve_path(&self, p: &str) -> PathBuf {
        let p = PathBuf::from(p);
        match &self.base {
            Some(base) if p.is_relative() => base.join(p),
            _ => p,
        }
    }
}

impl Layers {
    /// A problem with a setting's value, named by where the value came from.
    fn error_of(&self, s: &settings::Setting, problem: Problem) -> ConfigError {
        match self.raw(s.name) {
            Some(raw) => raw.error(s.name, problem),
            None => ConfigError::flag(&s.flag(), problem),
        }
    }

    fn raw(&self, name: &str) -> Option<&Raw> {
        self.flags.get(name).or_else(|| self.env.get(name)).or_else(|| self.file.get(name))
    }

    fn text(&self, name: &str) -> Result<Option<(String, &Raw)>, ConfigError> {
        let Some(raw) = self.raw(name) else {
            return Ok(None);
        };
        match &raw.value {
            RawValue::Text(s) if s.trim().is_empty() => Err(raw.error(name, Problem::Empty)),
            RawValue::Text(s) => Ok(Some((s.trim().to_string(), raw))),
            RawValue::List(items) if name == "expiry_warn_days" => Ok(Some((items.join(","), raw))),
            _ => Err(raw.error(name, Problem::NotSingleText)),
        }
    }

    fn path(&self, name: &str) -> Result<Option<PathBuf>, ConfigError> {
        Ok(self.text(name)?.map(|(v, raw)| raw.resolve_path(&v)))
    }

    fn paths(&self, name: &str) -> Result<Vec<PathBuf>, ConfigError> {
        let Some(raw) = self.raw(name) else {
            return Ok(Vec::new());
        };
        let items = match &raw.value {
            RawValue::Text(s) if s.trim().is_empty() => return Err(raw.error(name, Problem::Empty)),
            RawValue::Text(s) => vec![s.clone()],
            RawValue::List(items) => items.clone(),
            RawValue::Bool(_) => return Err(raw.error(name, Problem::NotPaths)),
        };
        Ok(items.iter().map(|p| raw.resolve_path(p)).collect())
    }

    /// Words from a repeatable flag, a list, or a space/comma separated text.
    fn words(&self, name: &str) -> Result<Vec<String>, ConfigError> {
        let Some(raw) = self.raw(name) else { return Ok(Vec::new()) };
        let split = |s: &str| -> Vec<String> {
            s.split(|c: char| c == ',' || c.is_whitespace()).filter(|w| !w.is_empty()).map(str::to_string).collect()
        };
        match &raw.value {
            RawValue::Text(s) if s.trim().is_empty() => Err(raw.error(name, Problem::Empty)),
            RawValue::Text(s) => Ok(split(s)),
            RawValue::List(items) => Ok(items.iter().flat_map(|i| split(i)).collect()),
            RawValue::Bool(_) => Err(raw.error(name, Problem::NotWords)),
        }
    }

    /// The files the secrets are read from (every `<name>_file` given, in any layer).
    fn secret_files(&self) -> Vec<PathBuf> {
        let secrets = settings::ALL.iter().filter(|s| s.kind == Kind::Secret);
        let keys: Vec<String> = secrets.map(|s| format!("{}_file", s.name)).collect();
        let given = keys.iter().flat_map(|k| [self.env.get(k), self.file.get(k)]).flatten();
        given
            .filter_map(|raw| match &raw.value {
                RawValue::Text(p) if !p.trim().is_empty() => Some(raw.resolve_path(p)),
                _ => None,
            })
            .collect()
    }

    /// Where a secret came from, in words a user can follow: the variable (or its
    /// `_FILE` and the file it names), or the profile file's key.
    fn secret_source(&self, name: &str) -> Option<String> {
        let file_key = format!("{name}_file");
        for layer in [&self.env, &self.file] {
            for key in [name, file_key.as_str()] {
                let Some(raw) = layer.get(key) else { continue };
                let named = |p: &str| match (&raw.value, key == file_key) {
                    (RawValue::Text(f), true) => format!("{p} ({})", raw.resolve_path(f).display()),
                    _ => p.to_string(),
                };
                return Some(match &raw.origin {
                    Origin::Env(var) => named(var),
                    Origin::File { path, .. } => named(&format!("{}: {key}", path.display())),
                    Origin::Flag(flag) => named(flag),
                });
            }
        }
        None
    }

    /// Where a secret came from (its own key or its `_file`), for an error.
    fn secret_origin(&self, name: &str) -> Origin {
        let file_key = format!("{name}_file");
        [&self.env, &self.file]
            .iter()
            .find_map(|l| l.get(name).or_else(|| l.get(&file_key)))
            .map(|r| r.origin.clone())
            .unwrap_or_else(|| Origin::Flag(format!("--{name}")))
    }

    fn bool(&self, name: &str) -> Result<bool, ConfigError> {
        let Some(raw) = self.raw(name) else {
            return Ok(false);
        };
        match &raw.value {
            RawValue::Bool(b) => Ok(*b),
            RawValue::Text(s) if s.trim().is_empty() => Err(raw.error(name, Problem::Empty)),
            RawValue::Text(s) => parse_bool(s).ok_or_else(|| raw.error(name, Problem::NotBool)),
            RawValue::List(_) => Err(raw.error(name, Problem::NotBool)),
        }
    }

    /// A secret from the environment or the file (never a flag), given directly or
    /// as `<name>_file`. Within one source, giving both is an error.
    fn secret(&self, name: &str) -> Result<Option<Secret>, ConfigError> {
        debug_assert!(layers::key(name).is_some_and(|k| k.kind == Kind::Secret));
        let file_key = format!("{name}_file");
        for layer in [&self.env, &self.file] {
            let direct = layer.get(name);
            let via_file = layer.get(&file_key);
            match (direct, via_file) {
                (Some(raw), Some(_)) => {
                    let problem = Problem::SecretTwice { name: name.to_string(), file_key: file_key.clone() };
                    return Err(raw.error(name, problem));
                }
                (Some(raw), None) => match &raw.value {
                    // An empty variable is a secret that was not filled in (an unset CI
                    // secret), never an empty password to try.
                    RawValue::Text(s) if s.is_empty() => return Err(raw.error(name, Problem::Empty)),
                    RawValue::Text(s) => return Ok(Some(Secret::new(s.clone()))),
                    _ => return Err(raw.error(name, Problem::NotText)),
                },
                (None, Some(raw)) => {
                    let RawValue::Text(p) = &raw.value else {
                        return Err(raw.error(&file_key, Problem::NotPath));
                    };
                    if p.trim().is_empty() {
                        return Err(raw.error(&file_key, Problem::Empty));
                    }
                    return read_secret_file(&raw.resolve_path(p)).map(Some).map_err(|p| raw.error(&file_key, p));
                }
                (None, None) => {}
            }
        }
        Ok(None)
    }
}

/// A switch's value as a variable or a file's text spells it; `None` for anything else.
/// Every boolean setting, `ALTINN_DOCTOR_ALL_PROFILES` too, is read by this one function.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

fn read_secret_file(path: &Path) -> Result<Secret, Problem> {
    let bytes = crate::files::read(path, MAX_SECRET_FILE).map_err(|e| Problem::cannot_read(path, e.problem()))?;
    let text = String::from_utf8(bytes).map_err(|_| Problem::cannot_read(path, Problem::NotUtf8))?;
    // A file written by `echo` ends in a newline that is not part of the secret.
    let trimmed = text.strip_suffix('\n').map(|t| t.strip_suffix('\r').unwrap_or(t)).unwrap_or(&text);
    if trimmed.is_empty() {
        return Err(Problem::cannot_read(path, Problem::Empty));
    }
    Ok(Secret::new(trimmed.to_string()))
}

fn parse_days(text: &str) -> Result<Vec<u32>, Problem> {
    let mut days = text
        .split(',')
        .map(|d| d.trim().parse::<u32>().map_err(|_| Problem::NotDays { given: d.trim().to_string() }))
        .collect::<Result<Vec<_>, _>>()?;
    if days.is_empty() || days.len() > 2 {
        return Err(Problem::OneOrTwoDays);
    }
    days.sort_unstable_by(|a, b| b.cmp(a));
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn world<'a>(vars: &'a dyn Fn(&str) -> Option<String>, cwd: &Path) -> Surroundings<'a> {
        Surroundings {
            vars,
            now: OffsetDateTime::UNIX_EPOCH,
            stdout_is_terminal: false,
            stderr_is_terminal: false,
            cwd: cwd.to_path_buf(),
            config: None,
        }
    }

    #[test]
    fn flag_beats_environment_beats_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DEFAULT_CONFIG), "env = \"prod\"\norg = \"974760673\"\ncert = \"c.p12\"\n")
            .unwrap();
        let env: HashMap<&str, &str> = [("ALTINN_DOCTOR_ORG", "991825827"), ("ALTINN_DOCTOR_ENV", "prod")].into();
        let vars = |k: &str| env.get(k).map(|v| v.to_string());
        let args = CheckArgs::of(&[(settings::ENV, "test")]);
        let p = resolve(&args, &world(&vars, dir.path())).unwrap();
        assert_eq!(p.env, Environment::Test);
        assert_eq!(p.org.unwrap().as_str(), "991825827");
        assert_eq!(p.cert.unwrap(), dir.path().join("c.p12"));
    }

    #[test]
    fn errors_name_key_and_source() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DEFAULT_CONFIG), "crt = \"x\"\n").unwrap();
        let vars = |_: &str| None;
        let e = resolve(&CheckArgs::default(), &world(&vars, dir.path())).unwrap_err();
        assert_eq!(e.key, "crt");
        assert!(matches!(&e.origin, Origin::File { path, .. } if path.ends_with("altinn-doctor.toml")), "{e:?}");

        let vars = |k: &str| (k == "ALTINN_DOCTOR_AT").then(|| "yesterday".to_string());
        let e = resolve(&CheckArgs::default(), &world(&vars, Path::new("/nonexistent"))).unwrap_err();
        assert_eq!(e.origin, Origin::Env("ALTINN_DOCTOR_AT".into()));
    }

    #[test]
    fn secret_from_file_drops_trailing_newline() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pw"), "s3cret\n").unwrap();
        let pw = dir.path().join("pw").to_string_lossy().into_owned();
        let vars = move |k: &str| (k == "ALTINN_DOCTOR_CERT_PASSWORD_FILE").then(|| pw.clone());
        let p = resolve(&CheckArgs::default(), &world(&vars, dir.path())).unwrap();
        assert_eq!(p.secrets.cert_password.unwrap().expose(), "s3cret");
    }

    #[test]
    fn named_profile_overlays_top_level() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("p.toml");
        std::fs::write(&cfg, "env = \"test\"\n[profile.live]\nenv = \"prod\"\n").unwrap();
        let vars = |_: &str| None;
        let cfg_text = cfg.to_string_lossy().into_owned();
        let args = CheckArgs::of(&[(settings::CONFIG, &cfg_text), (settings::PROFILE, "live")]);
        assert_eq!(resolve(&args, &world(&vars, dir.path())).unwrap().env, Environment::Prod);
        let args = CheckArgs::of(&[(settings::CONFIG, &cfg_text), (settings::PROFILE, "nope")]);
        let e = resolve(&args, &world(&vars, dir.path())).unwrap_err();
        assert_eq!(*e.problem, Problem::NoSuchProfile { name: "nope".into(), known: vec!["live".into()] });
    }

    #[test]
    fn credentials_go_to_https_or_insecure_loopback_only() {
        let url = |s: &str| reqwest::Url::parse(s).unwrap();
        assert!(credential_safe(&url("https://maskinporten.no/token"), false).is_ok());
        let plain = credential_safe(&url("http://maskinporten.no/token"), false).unwrap_err();
        assert!(matches!(plain, Problem::PlainHttp { .. }), "{plain:?}");
        let remote = credential_safe(&url("http://maskinporten.no/token"), true).unwrap_err();
        assert!(matches!(remote, Problem::HttpNotLoopback { .. }), "{remote:?}");
        for local in ["http://127.0.0.1:8080/token", "http://[::1]:8080/", "http://localhost/"] {
            assert!(credential_safe(&url(local), true).is_ok(), "{local}");
            assert!(credential_safe(&url(local), false).is_err(), "{local}");
        }
        assert!(credential_safe(&url("ftp://x/"), true).is_err());
    }

    #[test]
    fn at_takes_date_or_rfc3339() {
        assert_eq!(parse_at("2023-06-01").unwrap().unix_timestamp(), 1685577600);
        assert_eq!(parse_at("2023-06-01T12:00:00Z").unwrap().unix_timestamp(), 1685620800);
        assert!(parse_at("01.06.2023").is_err());
    }
}
