//! One function per subcommand: wire configuration, sources, engine and report.

use std::io::IsTerminal;

use time::OffsetDateTime;

use crate::certificate::TrustStore;
use crate::cli::{CheckArgs, Command, DemoArgs, InspectArgs, SimulateArgs};
use crate::config::{self, Format, Profile, Surroundings, Usage};
use crate::demo;
use crate::engine::{self, Verdict};
use crate::registry::{self, Run};
use crate::report::inspect::Signature;
use crate::report::{self, Catalogue, Report};
use crate::vocab::{Lang, Problem};

/// Exit code: ready (every check that applies passed).
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code: a finding (a check failed, or warned with `--strict`).
pub(crate) const EXIT_FAILED: u8 = 1;
/// Exit code: usage or configuration error.
pub(crate) const EXIT_USAGE: u8 = 2;
/// Exit code: could not check (network, service, deadline), and nothing found wrong.
pub(crate) const EXIT_COULD_NOT_CHECK: u8 = 3;

/// Timeout of any single network call.
pub(crate) use crate::http::CALL_TIMEOUT;

/// The program: the command line parsed (its help and its errors in the user's
/// language), then dispatched. Returns the exit code.
pub fn main() -> u8 {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = usage_lang(lang_flag(&argv).as_deref());
    quiet_panics(lang);
    let parsed = report::help::command(lang)
        .try_get_matches_from(&argv)
        .and_then(|m| <crate::cli::Cli as clap::FromArgMatches>::from_arg_matches(&m));
    match parsed {
        Ok(cli) => {
            let code = dispatch(cli);
            match STDOUT_LOST.get() {
                Some(why) => fail(lang, Problem::CannotWrite { path: "stdout".into(), why: Box::new(why.clone()) }),
                None => code,
            }
        }
        Err(e) => match report::help::error(&e, lang) {
            Some(text) => {
                eprintln!("altinn-doctor: {text}");
                EXIT_USAGE
            }
            None => {
                let _ = e.print();
                u8::try_from(e.exit_code()).unwrap_or(EXIT_USAGE)
            }
        },
    }
}

/// `--lang X` or `--lang=X` anywhere on the command line, read before clap (whose
/// help and errors it sets the language of).
fn lang_flag(argv: &[std::ffi::OsString]) -> Option<String> {
    let words: Vec<String> = argv.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    words.iter().enumerate().find_map(|(i, w)| match w.strip_prefix("--lang") {
        Some("") => words.get(i + 1).cloned(),
        Some(rest) => rest.strip_prefix('=').map(str::to_string),
        None => None,
    })
}

/// Runs a parsed command line. `--lang` before the command is every command's language
/// unless the command's own says otherwise.
pub fn dispatch(cli: crate::cli::Cli) -> u8 {
    let root = cli.lang.as_deref();
    let lang = &config::settings::LANG;
    match cli.command {
        Command::Check(args) => check(&args.or_given(lang, root)),
        Command::Explain { id, lang } => explain(&id, lang.as_deref().or(root)),
        Command::List { format } => list(root, format.as_deref()),
        Command::Demo(args) => demo(&args, root),
        Command::Token(args) => token(&args.or_given(lang, root)),
        Command::Jwk(args) => jwk(&args.or_given(lang, root)),
        Command::Simulate(args) => simulate(&args, root),
        Command::Inspect(args) => inspect(&args, root),
        Command::Completions { shell } => completions(shell, usage_lang(root)),
        Command::Man => man(root),
    }
}

/// `completions SHELL`: generated from the clap definitions, their descriptions in the
/// user's language.
fn completions(shell: clap_complete::Shell, lang: Lang) -> u8 {
    let mut command = report::help::command(lang);
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut command, "altinn-doctor", &mut buffer);
    let script = String::from_utf8_lossy(&buffer);
    if shell != clap_complete::Shell::Bash {
        out(&script);
        return EXIT_OK;
    }
    let ids = registry::ids().iter().map(|c| c.as_str()).collect::<Vec<_>>().join(" ");
    let scenarios = demo::SCENARIOS.iter().map(|s| s.name).collect::<Vec<_>>().join(" ");
    let lists = [
        ("--env", "test prod".to_string()),
        ("--format", "table json junit github markdown".into()),
        ("--flow", "enterprise-user system-user both".into()),
        ("--color", "auto always never".into()),
        ("--lang", "nb en".into()),
        ("--system-user-type", "standard agent".into()),
        ("--probe", "correspondence broker dialogporten instances".into()),
        ("--era", "2025 current".into()),
        ("--only", ids.clone()),
        ("--skip", ids.clone()),
        ("--scenario", scenarios),
    ];
    out(&report::completion::bash(&script, &lists, &format!("{ids} exit-codes")));
    EXIT_OK
}

/// `man`: the man page, generated from the clap definitions, in the user's language.
fn man(lang: Option<&str>) -> u8 {
    let lang = usage_lang(lang);
    let mut buffer = Vec::new();
    match clap_mangen::Man::new(report::help::command(lang)).render(&mut buffer) {
        Ok(()) => {
            let checks: Vec<(String, String)> =
                registry::ids().iter().map(|id| (id.as_str().to_string(), Catalogue::of(lang).title(*id))).collect();
            let roff = report::help::man_headings(&String::from_utf8_lossy(&buffer), lang);
            out(&report::help::man_sections(&roff, lang, &checks));
            EXIT_OK
        }
        Err(e) => fail(lang, Problem::ManPage { detail: e.to_string() }),
    }
}

/// A bug must still end in one line, not a stack trace.
fn quiet_panics(lang: Lang) {
    let words = Catalogue::of(lang).text("usage", "internal-error");
    std::panic::set_hook(Box::new(move |info| {
        let place = info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
        eprintln!("altinn-doctor: {}", words.replace("{place}", &place));
    }));
}

/// Why stdout did not take what was written to it, when it did not: the run then ends in
/// exit 2, whatever its verdict, since the report is lost (stdout is one per process,
/// hence one cell per process).
static STDOUT_LOST: std::sync::OnceLock<Problem> = std::sync::OnceLock::new();

/// Writes to stdout; a reader that stopped reading (`| head`) is not an error, any other
/// failure (a full disk, `/dev/full`, an I/O error) is remembered for the exit code.
fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            let _ = STDOUT_LOST.set(Problem::of_io(&e));
        }
        _ => {}
    }
}

/// A report as printed: no URL in it carries its user and password.
fn render(profile: &Profile, outcomes: &[engine::Outcome], color: bool) -> String {
    render_as(profile.format, profile, outcomes, color)
}

fn render_as(format: Format, profile: &Profile, outcomes: &[engine::Outcome], color: bool) -> String {
    report::render(format, profile, outcomes, color)
}

/// Delivers a run's report where the profile says: stdout or `--output`, the support
/// report beside it, and for `github` the Markdown summary appended to
/// `$GITHUB_STEP_SUMMARY`. A file that cannot be written is a usage error (exit 2).
fn deliver(profile: &Profile, outcomes: &[engine::Outcome]) -> Result<(), u8> {
    let text = render(profile, outcomes, profile.color && profile.output.is_none());
    match &profile.output {
        Some(path) => write_report(path, &text, "--output", profile.lang)?,
        None if profile.quiet => {
            let report = Report::new(profile, outcomes);
            out(&format!(
                "{}\n",
                report::table::summary_line(&report, report.catalogue, report::table::Findings::Hidden)
            ));
        }
        None => out(&text),
    }
    if let Some(path) = &profile.support_report {
        write_report(path, &render_as(Format::Markdown, profile, outcomes, false), "--support-report", profile.lang)?;
    }
    for (format, path) in &profile.reports {
        write_report(path, &render_as(*format, profile, outcomes, false), "--report", profile.lang)?;
    }
    if profile.format == Format::Github
        && let Some(path) = &profile.step_summary
    {
        let summary = report::step_summary(profile, outcomes);
        crate::files::append(path, summary.as_bytes())
            .map_err(|e| fail(profile.lang, cannot_write("GITHUB_STEP_SUMMARY", path, &e)))?;
    }
    Ok(())
}

/// Writes a report file, owner-only.
fn write_report(path: &std::path::Path, text: &str, flag: &str, lang: Lang) -> Result<(), u8> {
    crate::files::write_report(path, text.as_bytes()).map_err(|e| fail(lang, cannot_write(flag, path, &e)))
}

fn cannot_write(flag: &str, path: &std::path::Path, e: &std::io::Error) -> Usage {
    let problem = Problem::CannotWrite { path: path.display().to_string(), why: Box::new(Problem::of_io(e)) };
    Usage::flag(flag, problem)
}

/// A usage error on stderr in the user's language; exit code 2.
fn fail(lang: Lang, usage: impl Into<Usage>) -> u8 {
    eprintln!("altinn-doctor: {}", report::usage::sentence(Catalogue::of(lang), &usage.into()));
    EXIT_USAGE
}

/// The process's environment, read through this one door.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The language of a usage error: `--lang`, `ALTINN_DOCTOR_LANG`, the locale.
fn usage_lang(flag: Option<&str>) -> Lang {
    config::usage_lang(flag, &surroundings(&env_var))
}

/// What the process was started with: read here, once.
fn surroundings(vars: &dyn Fn(&str) -> Option<String>) -> Surroundings<'_> {
    Surroundings {
        vars,
        now: OffsetDateTime::now_utc(),
        stdout_is_terminal: std::io::stdout().is_terminal(),
        stderr_is_terminal: std::io::stderr().is_terminal(),
        cwd: std::env::current_dir().unwrap_or_default(),
        config: None,
    }
}

/// The variables the doctor reads must be text: a value that is not UTF-8 is named,
/// never silently taken as unset.
fn environment_is_text() -> Result<(), Problem> {
    let read = |name: &str| {
        let upper = name.to_ascii_uppercase();
        upper.starts_with("ALTINN_DOCTOR_")
            || ["HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "NO_COLOR"].contains(&upper.as_str())
    };
    for (name, value) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if read(&name) && value.to_str().is_none() {
            return Err(Problem::VarNotUtf8 { name: name.into_owned() });
        }
    }
    Ok(())
}

fn check(args: &CheckArgs) -> u8 {
    let lang = usage_lang(args.text(&config::settings::LANG).as_deref());
    if let Err(e) = environment_is_text() {
        return fail(lang, e);
    }
    let world = surroundings(&env_var);
    match crate::all_profiles::wanted(args, &world) {
        Ok(true) => return all_profiles(args, &world, lang),
        Ok(false) => {}
        Err(e) => return fail(lang, e),
    }
    match config::resolve(args, &world) {
        Ok(profile) => run_profile(profile),
        Err(e) => fail_with_reports(lang, e, &config::wanted_reports(args, &world)),
    }
}

/// A usage error that still writes the reports asked for, each saying why the run could
/// not start: a pipeline's JUnit reader and the support case then show the reason.
fn fail_with_reports(lang: Lang, usage: impl Into<Usage>, reports: &[(Format, std::path::PathBuf)]) -> u8 {
    let usage = usage.into();
    let cat = Catalogue::of(lang);
    let message = report::usage::sentence(cat, &usage);
    // A report that would replace one of the run's inputs is the error itself.
    let refused = matches!(&usage, Usage::Config(e) if matches!(*e.problem, Problem::ReportIsInput { .. }));
    for (format, path) in reports.iter().filter(|_| !refused) {
        let _ = crate::files::write_report(path, report::usage_error(*format, cat, &message).as_bytes());
    }
    fail(lang, usage)
}

/// `check --all-profiles`: every profile of the file; the report to stdout or `--output`.
fn all_profiles(args: &CheckArgs, world: &Surroundings<'_>, lang: Lang) -> u8 {
    let jobs = match crate::all_profiles::jobs(args, world) {
        Ok(n) => n,
        Err(e) => return fail(lang, e),
    };
    // The top-level settings (format, output, colour, language) are the report's.
    let top = match config::resolve(args, world) {
        Ok(p) => p,
        Err(e) => return fail(lang, e),
    };
    let ran = match crate::all_profiles::run_all(args, world, jobs) {
        Ok(ran) => ran,
        Err(e) => return fail(top.lang, e),
    };
    let color = top.color && top.output.is_none();
    let text = crate::http::mask_credentials(&crate::all_profiles::render(&ran, top.format, color, top.lang));
    let mut written = match &top.output {
        Some(path) => write_report(path, &text, "--output", top.lang),
        None if top.quiet => {
            out(&format!("{}\n", crate::all_profiles::verdict_line(&ran, top.lang)));
            Ok(())
        }
        None => {
            out(&text);
            Ok(())
        }
    };
    if let (Ok(()), Some(path)) = (&written, &top.support_report) {
        let markdown = crate::all_profiles::render(&ran, Format::Markdown, false, top.lang);
        written = write_report(path, &crate::http::mask_credentials(&markdown), "--support-report", top.lang);
    }
    match written {
        Ok(()) => crate::all_profiles::exit_code(&ran),
        Err(code) => code,
    }
}

/// Runs every check for a resolved profile, prints the report, returns the exit code.
pub(crate) fn run_profile(profile: Profile) -> u8 {
    let (run, outcomes) = match run_checks(profile) {
        Ok(done) => done,
        Err(code) => return code,
    };
    let profile = &run.sources.profile;
    if let Err(code) = deliver(profile, &outcomes) {
        return code;
    }
    Verdict::of(&outcomes, profile.strict).exit_code()
}

/// Loads the sources and runs the checks.
fn run_checks(profile: Profile) -> Result<(Run, Vec<engine::Outcome>), u8> {
    let checks = registry::checks();
    let lang = profile.lang;
    let only = chosen_ids(&profile.only, "--only", lang)?;
    let skip = chosen_ids(&profile.skip, "--skip", lang)?;
    let selection = engine::Selection::of(&checks, &only, &skip);
    let wanted = profile.wanted_reports();
    let run = Run::new(crate::sources::load(profile).map_err(|e| fail_with_reports(lang, e, &wanted))?);
    // After the files named are read (their errors first), before any request.
    if run.sources.profile.names_nothing() {
        let nothing = Problem::NothingToCheck { file: config::DEFAULT_CONFIG.into() };
        return Err(fail_with_reports(lang, nothing, &wanted));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(lang, Problem::Runtime { detail: e.to_string() }))?;
    let settings = engine::Settings { deadline: run.sources.profile.deadline, offline: run.sources.profile.offline };
    // The warm-up runs beside the checks and ends with the runtime.
    runtime.spawn(registry::warm_up(&run));
    let outcomes = if run.sources.profile.progress {
        let progress = crate::progress::Progress::new(checks.len());
        let outcomes = runtime.block_on(engine::run(&run, &checks, settings, &selection, &progress));
        progress.done();
        outcomes
    } else {
        runtime.block_on(engine::run(&run, &checks, settings, &selection, &engine::Unwatched))
    };
    let mut outcomes = outcomes;
    engine::tie_consequences(&mut outcomes, registry::CONSEQUENCES);
    Ok((run, outcomes))
}

/// The check IDs of `--only` or `--skip`; an unknown one is a usage error naming them all.
fn chosen_ids(names: &[String], flag: &str, lang: Lang) -> Result<Vec<engine::CheckId>, u8> {
    names
        .iter()
        .map(|name| registry::parse_id(name).ok_or_else(|| fail(lang, registry::unknown_id(flag, name))))
        .collect()
}

/// `token`: the report on stderr; the token alone on stdout when nothing failed.
fn token(args: &CheckArgs) -> u8 {
    let profile = match resolved(args) {
        Ok(p) => p,
        Err(code) => return code,
    };
    // A report file asked for and silently not written would be lost: refuse it.
    let unused = [
        ("--output", profile.output.is_some()),
        ("--support-report", profile.support_report.is_some()),
        ("--report", !profile.reports.is_empty()),
    ];
    if let Some((flag, _)) = unused.iter().find(|(_, given)| *given) {
        return fail(profile.lang, Usage::flag(flag, Problem::NotForCommand { command: "token".into() }));
    }
    let (run, outcomes) = match run_checks(profile) {
        Ok(done) => done,
        Err(code) => return code,
    };
    let profile = &run.sources.profile;
    let verdict = Verdict::of(&outcomes, profile.strict);
    match run.issued.after_run() {
        Some(issued) if verdict == Verdict::Ready => {
            // On success the verdict line is enough: the report is for what went wrong.
            let report = Report::new(profile, &outcomes);
            eprintln!("{}", report::table::summary_line(&report, report.catalogue, report::table::Findings::Hidden));
            out(&format!("{}\n", issued.response.access_token.expose()));
            EXIT_OK
        }
        _ => {
            eprint!("{}", render(profile, &outcomes, false));
            eprintln!("altinn-doctor: {}", Catalogue::of(profile.lang).text("demo", "no_token"));
            match verdict {
                Verdict::CouldNotCheck => EXIT_COULD_NOT_CHECK,
                _ => EXIT_FAILED,
            }
        }
    }
}

/// `jwk`: the public key of the certificate (or of --key) as a JWK.
fn jwk(args: &CheckArgs) -> u8 {
    let profile = match resolved(args) {
        Ok(p) => p,
        Err(code) => return code,
    };
    match crate::maskinporten::jwk::for_profile(&profile) {
        Ok(jwk) => {
            out(&format!("{}\n", serde_json::to_string_pretty(&jwk).unwrap_or_default()));
            EXIT_OK
        }
        Err(e) => fail(profile.lang, e),
    }
}

/// `inspect --cert FILE`: the certificate's own checks, offline, with every fact.
fn inspect_certificate(cert: &str, ca_files: &[String], format: Option<&str>, lang: Option<&str>) -> u8 {
    use config::settings as s;
    let only = "cert.readable,cert.key-match,cert.validity,cert.role,cert.key-strength,cert.issuer,org.number";
    let mut pairs = vec![(s::CERT, cert), (s::OFFLINE, ""), (s::FACTS, ""), (s::ONLY, only)];
    pairs.extend(ca_files.iter().map(|f| (s::CA_FILE, f.as_str())));
    if let Some(format) = format {
        pairs.push((s::FORMAT, format));
    }
    if let Some(lang) = lang {
        pairs.push((s::LANG, lang));
    }
    check(&CheckArgs::of(&pairs))
}

/// The profile of `token` and `jwk`, or the exit code of why there is none.
fn resolved(args: &CheckArgs) -> Result<Profile, u8> {
    let lang = usage_lang(args.text(&config::settings::LANG).as_deref());
    environment_is_text().map_err(|e| fail(lang, e))?;
    config::resolve(args, &surroundings(&env_var)).map_err(|e| fail(lang, e))
}

/// `inspect`: a token explained. 0 it is valid now (and its signature verified when
/// asked), 1 expired or a signature that fails, 2 not a token, 3 the JWKS unreachable.
fn inspect(args: &InspectArgs, lang: Option<&str>) -> u8 {
    use std::io::IsTerminal;
    if let Some(cert) = &args.cert {
        return inspect_certificate(cert, &args.ca_file, args.format.as_deref(), lang);
    }
    let lang = usage_lang(lang);
    let format = match args.format.as_deref().map(config::parse_format) {
        None => Format::Table,
        Some(Ok(f)) => f,
        Some(Err(problem)) => return fail(lang, Usage::flag("--format", problem)),
    };
    let input = match args.token.as_deref() {
        Some(token) if token != "-" => token.to_string(),
        _ if std::io::stdin().is_terminal() => return fail(lang, Problem::TokenMissing),
        _ => match crate::files::read(std::path::Path::new("/dev/stdin"), crate::files::MAX_SECRET) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                return fail(
                    lang,
                    Problem::StdinUnreadable { detail: report::usage::problem(Catalogue::of(lang), &e.problem()) },
                );
            }
        },
    };
    let token = crate::inspect::clean(&input);
    let jwt = match crate::jwt::Jwt::decode(&token) {
        Ok(jwt) => jwt,
        Err(why) => return fail(lang, why.problem()),
    };
    let explained = crate::inspect::explain(&jwt, OffsetDateTime::now_utc());
    let signature = match &args.jwks {
        None => Signature::NotChecked,
        Some(url) => match fetch_jwks(url, &args.ca_file, Catalogue::of(lang)) {
            Ok(jwks) => match crate::jwt::verify_with_jwks(&token, &jwks) {
                Ok(true) => Signature::Verified,
                Ok(false) => Signature::Invalid,
                Err(reason) => Signature::Unverifiable { reason },
            },
            Err(reason) => Signature::Unreachable { reason },
        },
    };
    out(&crate::http::mask_credentials(&report::inspect::render(&explained, &signature, format, lang)));
    match signature {
        Signature::Invalid => EXIT_FAILED,
        Signature::Unreachable { .. } => EXIT_COULD_NOT_CHECK,
        _ if explained.seconds_left.is_some_and(|s| s < 0) => EXIT_FAILED,
        _ => EXIT_OK,
    }
}

/// A JWKS document over https (or loopback http), within the usual limits; why not, in
/// the catalogue's words.
fn fetch_jwks(url: &str, ca_files: &[String], cat: &Catalogue) -> Result<serde_json::Value, String> {
    let said = |p: Problem| report::usage::problem(cat, &p);
    let parsed = reqwest::Url::parse(url).map_err(|_| said(Problem::NotUrl { url: url.to_string() }))?;
    config::credential_safe(&parsed, true).map_err(said)?;
    let paths: Vec<std::path::PathBuf> = ca_files.iter().map(std::path::PathBuf::from).collect();
    let trust = TrustStore::with_ca_files(&paths).map_err(said)?;
    let extra: Vec<reqwest::Certificate> =
        trust.cas.iter().filter_map(|ca| reqwest::Certificate::from_der(&ca.der).ok()).collect();
    let setup = |e: &dyn std::fmt::Display| said(Problem::HttpsSetup { detail: e.to_string() });
    let client = reqwest::Client::builder()
        .timeout(CALL_TIMEOUT)
        .tls_certs_merge(extra)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| setup(&e))?;
    let http = crate::http::Http::new(client, crate::http::Proxies::default());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| setup(&e))?;
    let reply = runtime
        .block_on(http.send(http.get(url), url, crate::http::MAX_JSON))
        .map_err(|e| cat.common_cause(&serde_json::to_value(&e).unwrap_or_default()))?;
    let status = reply.status;
    reply.json().ok_or_else(|| said(Problem::NoJwks { url: url.to_string(), status }))
}

/// `simulate`: serve until interrupted.
fn simulate(args: &SimulateArgs, lang: Option<&str>) -> u8 {
    let lang = usage_lang(lang);
    let env = match args.env.as_str() {
        "test" => crate::vocab::Environment::Test,
        "prod" => crate::vocab::Environment::Prod,
        other => return fail(lang, Usage::flag("--env", Problem::one_of(other, &["test", "prod"]))),
    };
    if !args.listen.ip().is_loopback() {
        return fail(lang, Usage::flag("--listen", Problem::ListenNotLoopback { addr: args.listen.to_string() }));
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(lang, Problem::Runtime { detail: e.to_string() }),
    };
    let options = crate::sim::world::Options {
        env,
        listen: args.listen,
        latency: std::time::Duration::from_millis(args.latency_ms),
        clock_offset_s: args.clock_offset_s,
        era: args.era,
        ..crate::sim::world::Options::default()
    };
    match runtime.block_on(crate::sim::serve(&args.dir, options)) {
        Ok(()) => EXIT_OK,
        Err(e) => fail(lang, Problem::SimulatorStopped { detail: e.to_string() }),
    }
}

fn demo(args: &DemoArgs, root: Option<&str>) -> u8 {
    let given = args.lang.as_deref().or(root);
    let lang = usage_lang(given);
    if args.list {
        let cat = Catalogue::of(lang);
        let list: String =
            demo::SCENARIOS.iter().map(|s| format!("{:<20} {}\n", s.name, cat.text("demo-scenario", s.name))).collect();
        out(&list);
        return EXIT_OK;
    }
    let Some(scenario) = demo::find(&args.scenario) else {
        let known = demo::SCENARIOS.iter().map(|s| s.name.to_string()).collect();
        return fail(lang, Problem::NoScenario { name: args.scenario.clone(), known });
    };
    if let Err(e) = environment_is_text() {
        return fail(lang, e);
    }
    let world = surroundings(&env_var);
    let flags = config::DemoOutput {
        verbose: args.verbose,
        quiet: args.quiet,
        strict: args.strict,
        color: args.color.as_deref(),
        lang: given,
        format: args.format.as_deref(),
        output: args.output.as_deref(),
        support_report: args.support_report.as_deref(),
    };
    let base = match config::resolve_demo(flags, &world) {
        Ok(p) => p,
        Err(e) => return fail(lang, e),
    };
    let lab = match demo::Lab::start(scenario, world.now) {
        Ok(lab) => lab,
        Err(e) => return fail(lang, Problem::DemoSetup { detail: e.to_string() }),
    };
    let profile = match demo::prepare(scenario, &lab, base) {
        Ok(p) => p,
        Err(e) => return fail(lang, Problem::ScenarioSetup { name: scenario.name.into(), detail: e.to_string() }),
    };
    let cat = Catalogue::of(profile.lang);
    let era = match scenario.era {
        crate::vocab::Era::Y2025 => cat.text("demo", "era_2025"),
        crate::vocab::Era::Current => cat.text("demo", "era_current"),
    };
    let banner = cat
        .text("demo", "banner")
        .replace("{name}", scenario.name)
        .replace("{shows}", &cat.text("demo-scenario", scenario.name))
        .replace("{era}", &era)
        .replace("{url}", &lab.sim.base_url);
    eprintln!("{banner}\n");
    let code = run_profile(profile);
    if args.scenario == demo::DEFAULT && code != EXIT_USAGE && !args.quiet {
        eprintln!("\n{}", cat.text("demo", "others"));
    }
    code
}

fn explain(id: &str, lang: Option<&str>) -> u8 {
    let lang = match lang.map(config::parse_lang) {
        None => usage_lang(None),
        Some(Ok(lang)) => lang,
        Some(Err(problem)) => return fail(usage_lang(None), Usage::flag("--lang", problem)),
    };
    if id.trim().eq_ignore_ascii_case("exit-codes") {
        out(report::pages::exit_codes(lang));
        return EXIT_OK;
    }
    let ids = registry::ids();
    let footer = Catalogue::of(lang).text("heading", "exit_codes_line");
    if let Some(check) = registry::parse_id(id) {
        out(&format!("{}\n{footer}\n", check.page_in(lang)));
        return EXIT_OK;
    }
    // An MP code or a cause code: every page that explains it.
    let pages = report::pages::mentioning(id, &ids);
    if !pages.is_empty() {
        let names: Vec<&str> = pages.iter().map(|c| c.as_str()).collect();
        let found = Catalogue::of(lang)
            .text("heading", "explained_on")
            .replace("{term}", &report::pages::term(id))
            .replace("{checks}", &names.join(", "));
        let texts: Vec<&str> = pages.iter().map(|c| c.page_in(lang)).collect();
        out(&format!("{found}\n\n{}\n{footer}\n", texts.join("\n---\n\n")));
        return EXIT_OK;
    }
    if let Some(near) = report::pages::nearest(id, &ids) {
        let known = ids.iter().map(|c| c.as_str().to_string()).collect();
        return fail(lang, Problem::DidYouMean { name: id.to_string(), suggestion: near.as_str().into(), known });
    }
    let known = ids.iter().map(|c| c.as_str().to_string()).collect();
    fail(lang, Problem::NoSuchPage { name: id.to_string(), known })
}

fn list(lang: Option<&str>, format: Option<&str>) -> u8 {
    let cat = Catalogue::of(usage_lang(lang));
    match format.map(str::to_ascii_lowercase).as_deref() {
        None | Some("table") => {}
        Some("json") => {
            let checks: Vec<serde_json::Value> = registry::checks()
                .iter()
                .map(|c| {
                    let ids = |list: &[engine::CheckId]| list.iter().map(|d| d.as_str()).collect::<Vec<_>>();
                    serde_json::json!({"id": c.id.as_str(), "title": cat.title(c.id), "domain": c.id.domain(),
                        "depends_on": ids(c.depends_on), "reads": ids(c.reads)})
                })
                .collect();
            out(&format!("{}\n", serde_json::to_string_pretty(&checks).unwrap_or_default()));
            return EXIT_OK;
        }
        Some(other) => {
            return fail(usage_lang(lang), Usage::flag("--format", Problem::one_of(other, &["table", "json"])));
        }
    }
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_NO_BORDERS);
    table.set_header(["check", "title", "depends_on"].map(|h| cat.text("heading", h)));
    for check in registry::checks() {
        let deps: Vec<&str> = check.depends_on.iter().map(|d| d.as_str()).collect();
        table.add_row(vec![check.id.as_str().to_string(), cat.title(check.id), deps.join(", ")]);
    }
    out(&format!("{table}\n"));
    EXIT_OK
}
