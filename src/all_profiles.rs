//! `check --all-profiles`: every `[profile.NAME]` of the profile file, as a vendor checks
//! its customers' system users, a few at a time; one summary table (profile × check
//! status), each profile's report below, and the exit code of the worst.

use std::sync::Arc;

use crate::config::{self, CheckArgs, ConfigError, Format, Profile, Surroundings, Usage};
use crate::engine::{self, Outcome, Status, Verdict};
use crate::registry::{self, Run};
use crate::report::{self, Catalogue, Report};
use crate::vocab::{Lang, Outside, Problem};

/// The exit code of a profile whose configuration could not be read (as `check` exits).
const USAGE: u8 = 2;

/// Profiles checked at once unless `--jobs` says otherwise: few enough that one
/// organisation's tokens stay well inside Maskinporten's rate limits.
pub(crate) const DEFAULT_JOBS: usize = 4;
const MAX_JOBS: usize = 64;

/// One profile's run: its outcomes, or why it did not run.
pub(crate) struct Ran {
    /// The profile's name as the file spells it, neutralised: a TOML key may hold any text.
    pub(crate) name: Outside,
    pub(crate) result: Result<(Profile, Vec<Outcome>), Usage>,
}

impl Ran {
    /// 2 for a profile that could not run (its configuration), else its verdict's code.
    fn exit_code(&self) -> u8 {
        match &self.result {
            Ok((profile, outcomes)) => Verdict::of(outcomes, profile.strict).exit_code(),
            Err(_) => USAGE,
        }
    }
}

/// The worst exit code: usage (2), then a finding (1), then could not check (3), then 0.
pub(crate) fn worst(codes: impl Iterator<Item = u8>) -> u8 {
    let rank = |c: u8| match c {
        2 => 3,
        1 => 2,
        3 => 1,
        _ => 0,
    };
    codes.max_by_key(|c| rank(*c)).unwrap_or(0)
}

/// `--jobs N` (or its variable): 1 to 64.
/// True when `--all-profiles` or its variable asks for every profile. The variable is
/// read by the same parser as every other switch: `TRUE`, `yes`, `on` count, and a value
/// that is no boolean (or empty) is a usage error, never a silent "no".
pub(crate) fn wanted(args: &CheckArgs, world: &Surroundings<'_>) -> Result<bool, Usage> {
    let setting = &config::settings::ALL_PROFILES;
    if args.switch(setting) {
        return Ok(true);
    }
    let var = setting.env_var();
    let Some(text) = (world.vars)(&var) else { return Ok(false) };
    let problem = if text.trim().is_empty() { Problem::Empty } else { Problem::NotBool };
    config::parse_bool(&text).ok_or_else(|| Usage::Config(ConfigError::env(&var, setting.name, problem)))
}

pub(crate) fn jobs(args: &CheckArgs, world: &Surroundings<'_>) -> Result<usize, Usage> {
    let setting = &config::settings::JOBS;
    let Some(text) = args.text(setting).or_else(|| (world.vars)(&setting.env_var())) else {
        return Ok(DEFAULT_JOBS);
    };
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_JOBS).contains(&n) => Ok(n),
        _ => Err(Usage::flag("--jobs", Problem::Jobs { given: text, max: MAX_JOBS })),
    }
}

/// Resolves and runs every profile, `jobs` at a time; the results by profile name.
pub(crate) fn run_all(args: &CheckArgs, world: &Surroundings<'_>, jobs: usize) -> Result<Vec<Ran>, ConfigError> {
    // The file is read and parsed once; every profile is resolved from that.
    let read = config::read_config(args, world)?;
    let names = config::profile_names(&read)?;
    let world = Surroundings { cwd: world.cwd.clone(), config: Some(&read), ..*world };
    let resolved: Vec<(String, Result<Profile, Usage>)> = names
        .into_iter()
        .map(|name| {
            let profile = config::resolve(&args.with_profile(&name), &world).map_err(Usage::from);
            (name, profile)
        })
        .collect();
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(workers).enable_all().build();
    let runtime =
        runtime.map_err(|e| ConfigError::flag("--all-profiles", Problem::Runtime { detail: e.to_string() }))?;
    Ok(runtime.block_on(run_many(resolved, jobs)))
}

async fn run_many(resolved: Vec<(String, Result<Profile, Usage>)>, jobs: usize) -> Vec<Ran> {
    let permits = Arc::new(tokio::sync::Semaphore::new(jobs));
    let clients = Arc::new(crate::sources::Clients::default());
    let checks = Arc::new(registry::checks());
    let mut handles = Vec::new();
    for (name, profile) in resolved {
        let (permits, checks, clients) = (permits.clone(), checks.clone(), clients.clone());
        handles.push((
            name.clone(),
            tokio::spawn(async move {
                let _permit = permits.acquire_owned().await.map_err(|e| stopped(&e))?;
                run_one(profile?, &checks, clients).await
            }),
        ));
    }
    let mut ran = Vec::new();
    for (name, handle) in handles {
        let result = handle.await.unwrap_or_else(|e| Err(stopped(&e)));
        ran.push(Ran { name: Outside::new(&name), result });
    }
    ran
}

/// One profile: its sources (on a blocking thread: files and key derivation), then its
/// checks, as `check --profile NAME` runs them.
async fn run_one(
    profile: Profile,
    checks: &[engine::Check<Run>],
    clients: Arc<crate::sources::Clients>,
) -> Result<(Profile, Vec<Outcome>), Usage> {
    let only = ids(&profile.only, "--only")?;
    let skip = ids(&profile.skip, "--skip")?;
    let selection = engine::Selection::of(checks, &only, &skip);
    let settings = engine::Settings { deadline: profile.deadline, offline: profile.offline };
    let sources = tokio::task::spawn_blocking(move || crate::sources::load_with(profile, Some(&clients)))
        .await
        .map_err(|e| stopped(&e))??;
    let run = Run::new(sources);
    let warm = tokio::spawn(registry::warm_up(&run));
    let mut outcomes = engine::run(&run, checks, settings, &selection, &engine::Unwatched).await;
    engine::tie_consequences(&mut outcomes, registry::CONSEQUENCES);
    warm.abort();
    Ok((run.sources.profile, outcomes))
}

fn ids(names: &[String], flag: &str) -> Result<Vec<engine::CheckId>, Usage> {
    names.iter().map(|n| registry::parse_id(n).ok_or_else(|| registry::unknown_id(flag, n))).collect()
}

/// A profile's run that ended before its report (a task that panicked or was cancelled).
fn stopped(e: &dyn std::fmt::Display) -> Usage {
    Usage::Plain(Problem::ProfileStopped { detail: e.to_string() })
}

/// The report of every profile in `format`: for the table, the summary then each
/// profile's report; JSON, one object; JUnit, one suite per profile.
pub(crate) fn render(ran: &[Ran], format: Format, color: bool, lang: Lang) -> String {
    let cat = Catalogue::of(lang);
    match format {
        Format::Json => json(ran, cat),
        Format::Junit => {
            let reports: Vec<(&str, report::junit::Suite<'_>)> = ran
                .iter()
                .map(|r| {
                    let suite = match &r.result {
                        Ok((p, o)) => report::junit::Suite::Ran(Report::new(p, o)),
                        Err(e) => report::junit::Suite::Broken(report::usage::sentence(cat, e)),
                    };
                    (r.name.as_str(), suite)
                })
                .collect();
            report::junit::render_many(&reports)
        }
        _ => {
            let mut out = summary(ran, cat);
            for r in ran {
                out.push_str(&format!("\n{}\n\n", cat.text("profiles", "divider").replace("{name}", r.name.as_str())));
                match &r.result {
                    Ok((profile, outcomes)) => out.push_str(&report::render(format, profile, outcomes, color)),
                    // A pipeline's annotations show a broken profile as much as a failed check.
                    Err(e) if format == Format::Github => out.push_str(&format!(
                        "::error title={}::{}\n",
                        report::github::property(&format!("profile {}", r.name.as_str())),
                        report::github::data(&report::usage::sentence(cat, e)),
                    )),
                    Err(e) => out.push_str(&format!("{}\n", report::usage::sentence(cat, e))),
                }
            }
            out
        }
    }
}

/// One row per profile: its verdict, then one status mark per check (numbered, with a
/// legend), so a hundred customers fit on a screen.
fn summary(ran: &[Ran], cat: &Catalogue) -> String {
    let ids = registry::ids();
    let mut table = comfy_table::Table::new();
    table.load_style(comfy_table::presets::ASCII_MARKDOWN);
    let mut header = vec![cat.text("profiles", "profile"), cat.text("profiles", "verdict")];
    header.extend((1..=ids.len()).map(|i| i.to_string()));
    table.set_header(header);
    for r in ran {
        // A cell of a Markdown-style table: a `|` in the name would split the row.
        let mut row = vec![r.name.as_str().replace('|', "\\|")];
        match &r.result {
            Ok((profile, outcomes)) => {
                row.push(cat.text("profiles", Verdict::of(outcomes, profile.strict).as_str()));
                row.extend(outcomes.iter().map(|o| mark(o.finding.status()).to_string()));
            }
            Err(_) => row.push(cat.text("profiles", "configuration-error")),
        }
        table.add_row(row);
    }
    let legend: Vec<String> = ids.iter().enumerate().map(|(i, id)| format!("{} {id}", i + 1)).collect();
    format!("{table}\n\n{} · {}\n", legend.join(" · "), cat.text("profiles", "marks"))
}

fn mark(status: Status) -> &'static str {
    match status {
        Status::Pass => "✓",
        Status::Warn => "!",
        Status::Fail => "✗",
        Status::Skip => "–",
    }
}

/// `{"exit_code": N, "profiles": [{"name", "exit_code", "report" | "error"}]}`.
fn json(ran: &[Ran], cat: &Catalogue) -> String {
    let profiles: Vec<serde_json::Value> = ran
        .iter()
        .map(|r| match &r.result {
            Ok((profile, outcomes)) => {
                let report: serde_json::Value =
                    serde_json::from_str(&report::json::render(&Report::new(profile, outcomes))).unwrap_or_default();
                serde_json::json!({"name": r.name, "exit_code": r.exit_code(), "report": report})
            }
            Err(e) => {
                let error = report::usage::sentence(cat, e);
                serde_json::json!({"name": r.name, "exit_code": r.exit_code(), "error": error})
            }
        })
        .collect();
    let doc = serde_json::json!({"exit_code": exit_code(ran), "profiles": profiles});
    format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default())
}

/// One line for `-q`: how many profiles ended how.
pub(crate) fn verdict_line(ran: &[Ran], lang: Lang) -> String {
    let count = |code: u8| ran.iter().filter(|r| r.exit_code() == code).count();
    let text = report::Catalogue::of(lang).text("heading", "profiles_summary");
    text.replace("{total}", &ran.len().to_string())
        .replace("{ready}", &count(0).to_string())
        .replace("{not_ready}", &count(1).to_string())
        .replace("{unknown}", &count(3).to_string())
        .replace("{broken}", &count(2).to_string())
}

/// The exit code of the worst profile.
pub(crate) fn exit_code(ran: &[Ran]) -> u8 {
    worst(ran.iter().map(Ran::exit_code))
}
