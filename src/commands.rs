//! One function per subcommand: wire configuration, sources, engine and report.

use std::io::IsTerminal;
use std::time::Duration;

use time::OffsetDateTime;

use crate::certificate::{self, TrustStore};
use crate::cli::{CheckArgs, Command, DemoArgs};
use crate::config::{self, ConfigError, Format, Origin, Profile, Surroundings};
use crate::demo;
use crate::engine::{self, CheckId, Context, Summary};
use crate::report::{self, Catalogue, Report};

/// Exit code: no check failed.
pub const EXIT_OK: u8 = 0;
/// Exit code: a check failed (or warned, with `--strict`).
pub const EXIT_FAILED: u8 = 1;
/// Exit code: usage or configuration error.
pub const EXIT_USAGE: u8 = 2;

/// Timeout of any single network call.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);

pub fn dispatch(command: Command) -> u8 {
    quiet_panics();
    match command {
        Command::Check(args) => check(&args),
        Command::Explain { id } => explain(&id),
        Command::List => list(),
        Command::Demo(args) => demo(&args),
    }
}

/// A bug must still end in one line, not a stack trace.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("altinn-doctor: internal error{place}; please report it with the command you ran");
    }));
}

fn fail_usage(e: impl std::fmt::Display) -> u8 {
    eprintln!("altinn-doctor: {e}");
    EXIT_USAGE
}

/// What the process was started with: read here, once.
fn surroundings(vars: &dyn Fn(&str) -> Option<String>) -> Surroundings<'_> {
    Surroundings {
        vars,
        now: OffsetDateTime::now_utc(),
        stdout_is_terminal: std::io::stdout().is_terminal(),
        cwd: std::env::current_dir().unwrap_or_default(),
    }
}

fn check(args: &CheckArgs) -> u8 {
    let vars = |name: &str| std::env::var(name).ok();
    match config::resolve(args, &surroundings(&vars)) {
        Ok(profile) => run_profile(profile),
        Err(e) => fail_usage(e),
    }
}

/// Runs every check for a resolved profile, prints the report, returns the exit code.
pub fn run_profile(profile: Profile) -> u8 {
    let context = match context(profile) {
        Ok(c) => c,
        Err(e) => return fail_usage(e),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail_usage(format!("cannot start the async runtime: {e}")),
    };
    let outcomes = runtime.block_on(engine::run(&context, &engine::registry()));
    let report = Report::new(&context.profile, &outcomes);
    match context.profile.format {
        Format::Table => print!("{}", report::table::render(&report, context.profile.color)),
        Format::Json => println!("{}", report::json::render(&report)),
    }
    Summary::of(&outcomes).exit_code(context.profile.strict)
}

/// Loads the sources the profile names: trust anchors, certificate, HTTP client.
pub fn context(profile: Profile) -> Result<Context, ConfigError> {
    let trust = TrustStore::with_ca_files(&profile.ca_files).map_err(|problem| ConfigError {
        key: "ca_file".into(),
        origin: Origin::Flag("--ca-file".into()),
        problem,
    })?;
    let http = reqwest::Client::builder()
        .connect_timeout(CALL_TIMEOUT)
        .timeout(CALL_TIMEOUT)
        .user_agent(concat!("altinn-doctor/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ConfigError {
            key: "(http client)".into(),
            origin: Origin::Flag("--ca-file".into()),
            problem: e.to_string(),
        })?;
    let certificate = certificate::load(&profile);
    Ok(Context { profile, certificate, trust, http })
}

fn demo(args: &DemoArgs) -> u8 {
    if args.list {
        for s in demo::SCENARIOS {
            println!("{:<20} {}", s.name, s.shows);
        }
        return EXIT_OK;
    }
    let Some(scenario) = demo::find(&args.scenario) else {
        let names: Vec<&str> = demo::SCENARIOS.iter().map(|s| s.name).collect();
        return fail_usage(format!("no scenario `{}`; the scenarios are: {}", args.scenario, names.join(", ")));
    };
    let vars = |name: &str| std::env::var(name).ok();
    let world = surroundings(&vars);
    let base = match config::resolve_demo(args.format.as_deref(), &world) {
        Ok(p) => p,
        Err(e) => return fail_usage(e),
    };
    let lab = match demo::Lab::new(world.now) {
        Ok(lab) => lab,
        Err(e) => return fail_usage(format!("cannot set up the demo: {e}")),
    };
    let profile = match demo::prepare(scenario, &lab, base) {
        Ok(p) => p,
        Err(e) => return fail_usage(format!("cannot set up scenario `{}`: {e}", scenario.name)),
    };
    eprintln!(
        "altinn-doctor demo · scenario `{}`: {}.\nA simulated Buypass Test4 PKI in a temporary folder; nothing leaves this machine.\n",
        scenario.name, scenario.shows
    );
    run_profile(profile)
}

fn explain(id: &str) -> u8 {
    let Some(check) = CheckId::parse(id) else {
        let known: Vec<&str> = CheckId::ALL.iter().map(|c| c.as_str()).collect();
        return fail_usage(format!("no check `{id}`; the checks are: {}", known.join(", ")));
    };
    match report::pages::page(check) {
        Some(text) => {
            print!("{text}");
            EXIT_OK
        }
        None => fail_usage(format!("no page for `{check}`")),
    }
}

fn list() -> u8 {
    let cat = Catalogue::english();
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::UTF8_NO_BORDERS);
    table.set_header(["check", "title", "depends_on"].map(|h| cat.text("heading", h)));
    for check in engine::registry() {
        let deps: Vec<&str> = check.depends_on.iter().map(|d| d.as_str()).collect();
        table.add_row(vec![check.id.as_str().to_string(), cat.title(check.id), deps.join(", ")]);
    }
    println!("{table}");
    EXIT_OK
}
