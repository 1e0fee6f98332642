//! Speed and memory figures: `cargo bench --bench speed` (add `-- --quick` for the short
//! run `.ci/run` makes). Prints, for the 2025 and the current profile against the
//! simulator with L ms added per connection and per answer:
//! - the wall time of a full check;
//! - its lower bound, L × (1 + the longest chain of requests that wait for each other),
//!   the chain computed from the registry's check graph over the checks that ran (the one
//!   is the first connection, which no request can avoid), and the ratio of the two;
//! - the time of `benches/baseline.sh`, the same requests one by one with curl and openssl;
//! - the peak RSS of a full check (the kernel's accounting of the child process);
//!
//! - the time and peak RSS of `--all-profiles --offline` over 300 and 3,000 profiles (the
//!   cost a profile should stay flat: resolution is linear);
//!
//! and the medians of the offline check of a modern PKCS#12 and of `--version`.

use std::process::Command;
use std::time::{Duration, Instant};

use altinn_doctor::sim::world::{Options, Simulator, World, write_dir};
use altinn_doctor::vocab::Era;

const BIN: &str = env!("CARGO_BIN_EXE_altinn-doctor");

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let runs = if quick { 3 } else { 10 };
    let now = time::OffsetDateTime::now_utc();
    let world = World::generate(now).expect("a simulated world");
    println!("altinn-doctor speed ({} runs each; {})", runs, machine());
    for era in [Era::Y2025, Era::Current] {
        for latency_ms in [0u64, 50, 100] {
            let f = full_check(&world, era, latency_ms, runs);
            let ratio = if f.bound.is_zero() { String::from("-") } else { format!("{:.2}", ms(f.wall) / ms(f.bound)) };
            println!(
                "full check, {:<7} L = {latency_ms:>3} ms: median {:>6.1} ms, lower bound {:>5.0} ms ({} requests in a chain), \
                 ratio {ratio:>4}; baseline script {}; peak RSS {} KiB",
                format!("{era:?}"),
                ms(f.wall),
                ms(f.bound),
                f.chain,
                f.baseline.map(|b| format!("{:.1} ms", ms(b))).unwrap_or_else(|| "not run (no curl)".into()),
                f.rss
            );
        }
    }
    let (without, with) = probes(&world, runs);
    println!(
        "full check, Current L = 100 ms, --resource and all four --probe: median {:>6.1} ms, without the probes {:>6.1} ms: \
         the probes add {:.1} round trips to the critical path (all four at once)",
        ms(with),
        ms(without),
        (ms(with) - ms(without)) / 100.0
    );
    for jobs in [4usize, 50] {
        let (one, many) = all_profiles(&world, 100, jobs, if quick { 1 } else { 3 });
        println!(
            "--all-profiles, 100 profiles, --jobs {jobs:>2}, L = 100 ms: median {:>7.1} ms = {:.1} x one profile ({:.1} ms)",
            ms(many),
            ms(many) / ms(one),
            ms(one)
        );
    }
    for count in [300usize, 3000] {
        let (wall, rss) = offline_profiles(&world, count, if quick { 1 } else { 3 });
        println!(
            "--all-profiles --offline, {count:>4} profiles: median {:>7.1} ms ({:.2} ms a profile); peak RSS {rss} KiB",
            ms(wall),
            ms(wall) / count as f64
        );
    }
    let (offline, version) = offline_and_version(&world, runs);
    println!("offline check of a modern PKCS#12: median {:.1} ms", ms(offline));
    println!("--version: median {:.1} ms", ms(version));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    format!("{cpus} cores")
}

/// What the bench measured of one profile at one latency.
struct FullCheck {
    wall: Duration,
    bound: Duration,
    chain: u32,
    baseline: Option<Duration>,
    rss: u64,
}

/// A simulator with `latency_ms` per connection and per answer, its folder, and the median
/// wall time and the largest peak RSS of `runs` full checks of the profile it writes;
/// the lower bound from the checks that ran; the baseline script's median.
fn full_check(world: &World, era: Era, latency_ms: u64, runs: usize) -> FullCheck {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let options = Options { era, latency: Duration::from_millis(latency_ms), ..Options::default() };
    let sim = rt.block_on(Simulator::start(world, options)).expect("the simulator starts");
    let dir = tempfile::tempdir().unwrap();
    let registry = sim.state.mp.registry.read().unwrap().clone();
    let profile = write_dir(world, dir.path(), &sim, &registry).unwrap();
    let ran = checks_that_ran(&profile);
    let chain = 1 + altinn_doctor::engine::longest_chain(&altinn_doctor::registry::checks(), |id| {
        ran.iter().any(|r| r == id.as_str())
    });
    let mut times = Vec::new();
    let mut rss = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let (status, peak) = run(Command::new(BIN).args(["check", "--config"]).arg(&profile));
        times.push(start.elapsed());
        assert!(status == 0, "the full check passes against the simulator (exit {status})");
        rss = rss.max(peak);
    }
    let baseline = baseline(&sim.base_url, dir.path(), era, runs);
    rt.block_on(sim.stop());
    let bound = Duration::from_millis(latency_ms) * chain;
    FullCheck { wall: median(times), bound, chain, baseline, rss }
}

/// The median wall time of today's full check with a resource, without and with every
/// product probe, against the simulator at L = 100 ms.
fn probes(world: &World, runs: usize) -> (Duration, Duration) {
    use altinn_doctor::altinn::products as p;
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let options = Options { era: Era::Current, latency: Duration::from_millis(100), ..Options::default() };
    let sim = rt.block_on(Simulator::start(world, options)).expect("the simulator starts");
    let dir = tempfile::tempdir().unwrap();
    let registry = sim.state.mp.registry.read().unwrap().clone();
    let profile = write_dir(world, dir.path(), &sim, &registry).unwrap();
    let scopes = [
        altinn_doctor::sim::world::SCOPE,
        p::SCOPE_CORRESPONDENCE_READ,
        altinn_doctor::sim::world::SCOPE_GRANTED,
        p::SCOPE_DIALOGPORTEN,
        p::SCOPE_SERVICE_OWNER,
        p::SCOPE_INSTANCES_READ,
    ]
    .map(|s| format!("--scope={s}"));
    let base = ["check", "--resource", altinn_doctor::sim::world::RESOURCE, "--config"];
    let probes = ["--probe", "correspondence,broker,dialogporten,instances", "--app", altinn_doctor::sim::world::APP];
    let (mut without, mut with) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        for (extra, times) in [(&[][..], &mut without), (&probes[..], &mut with)] {
            let start = Instant::now();
            let (status, _) = run(Command::new(BIN).args(base).arg(&profile).args(extra).args(&scopes));
            times.push(start.elapsed());
            assert!(status == 0, "the check with probes passes (exit {status})");
        }
    }
    rt.block_on(sim.stop());
    (median(without), median(with))
}

/// The median wall time of one profile's check and of `--all-profiles` over `count`
/// copies of it, `jobs` at a time, against the simulator at L = 100 ms.
fn all_profiles(world: &World, count: usize, jobs: usize, runs: usize) -> (Duration, Duration) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let options = Options { latency: Duration::from_millis(100), ..Options::default() };
    let sim = rt.block_on(Simulator::start(world, options)).expect("the simulator starts");
    let dir = tempfile::tempdir().unwrap();
    let registry = sim.state.mp.registry.read().unwrap().clone();
    let profile = write_dir(world, dir.path(), &sim, &registry).unwrap();
    let mut text = std::fs::read_to_string(&profile).unwrap();
    for i in 0..count {
        text.push_str(&format!("\n[profile.customer-{i:03}]\n"));
    }
    let many = dir.path().join("customers.toml");
    std::fs::write(&many, text).unwrap();
    let (mut one_times, mut many_times) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let start = Instant::now();
        let (status, _) = run(Command::new(BIN).args(["check", "--config"]).arg(&profile));
        one_times.push(start.elapsed());
        assert!(status == 0, "one profile passes (exit {status})");
        let start = Instant::now();
        let jobs = jobs.to_string();
        let (status, _) =
            run(Command::new(BIN).args(["check", "--all-profiles", "--jobs", &jobs, "--config"]).arg(&many));
        many_times.push(start.elapsed());
        assert!(status == 0, "every profile passes (exit {status})");
    }
    rt.block_on(sim.stop());
    (median(one_times), median(many_times))
}

/// The IDs of the checks that ran to a verdict of their own (pass, warn or fail).
fn checks_that_ran(profile: &std::path::Path) -> Vec<String> {
    let out = Command::new(BIN)
        .args(["check", "--format", "json", "--config"])
        .arg(profile)
        .env_clear()
        .envs(std::env::vars().filter(|(k, _)| k == "PATH" || k == "HOME"))
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the JSON report");
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "skip")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// The median time of `benches/baseline.sh` against the simulator, or `None` without curl.
fn baseline(base: &str, dir: &std::path::Path, era: Era, runs: usize) -> Option<Duration> {
    use altinn_doctor::sim::world::{API_KEY, CLIENT, ENTERPRISE_PASSWORD, ENTERPRISE_USER, ORGS, SCOPE};
    if Command::new("curl").arg("--version").output().is_err() {
        return None;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/baseline.sh");
    let org = ORGS[0].0;
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let status = Command::new("sh")
            .arg(script)
            .current_dir(dir)
            .env("BASE", base)
            .env("CA", "ca.pem")
            .env("PEM", format!("{org}.pem"))
            .env("CLIENT_ID", CLIENT)
            .env("SCOPE", SCOPE)
            .env("ORG", org)
            .env("ERA", if era == Era::Y2025 { "2025" } else { "current" })
            .env("API_KEY", API_KEY)
            .env("EU_USER", ENTERPRISE_USER)
            .env("EU_PASSWORD", ENTERPRISE_PASSWORD)
            .status()
            .unwrap();
        times.push(start.elapsed());
        assert!(status.success(), "the baseline script passes against the simulator");
    }
    Some(median(times))
}

/// `--all-profiles --offline` over COUNT profiles that each inherit the generated one:
/// the median wall time and the largest peak RSS. Linear growth shows as a steady time
/// per profile between the two sizes.
fn offline_profiles(world: &World, count: usize, runs: usize) -> (Duration, u64) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let sim = rt.block_on(Simulator::start(world, Options::default())).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let registry = sim.state.mp.registry.read().unwrap().clone();
    let profile = write_dir(world, dir.path(), &sim, &registry).unwrap();
    rt.block_on(sim.stop());
    let mut text = std::fs::read_to_string(&profile).unwrap();
    for i in 0..count {
        text.push_str(&format!("\n[profile.customer-{i:04}]\n"));
    }
    let many = dir.path().join("customers.toml");
    std::fs::write(&many, text).unwrap();
    let (mut times, mut peak) = (Vec::new(), 0);
    for _ in 0..runs {
        let start = Instant::now();
        let (status, rss) =
            run(Command::new(BIN).args(["check", "--offline", "--all-profiles", "--jobs", "4", "--config"]).arg(&many));
        times.push(start.elapsed());
        assert!(status == 0, "every offline profile passes (exit {status})");
        peak = peak.max(rss);
    }
    (median(times), peak)
}

fn offline_and_version(world: &World, runs: usize) -> (Duration, Duration) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let sim = rt.block_on(Simulator::start(world, Options::default())).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let registry = sim.state.mp.registry.read().unwrap().clone();
    write_dir(world, dir.path(), &sim, &registry).unwrap();
    let p12 = dir.path().join(format!("{}.p12", altinn_doctor::sim::world::ORGS[0].0));
    let password = dir.path().join("cert-password");
    let mut offline = Vec::new();
    let mut version = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let mut cmd = Command::new(BIN);
        cmd.args(["check", "--offline", "--cert"]).arg(&p12).env("ALTINN_DOCTOR_CERT_PASSWORD_FILE", &password);
        run(&mut cmd);
        offline.push(start.elapsed());
        let start = Instant::now();
        run(Command::new(BIN).arg("--version"));
        version.push(start.elapsed());
    }
    rt.block_on(sim.stop());
    (median(offline), median(version))
}

/// Runs a command to its end, in an environment of its own (no proxy or profile variable
/// of the machine's): its exit code and its peak RSS in KiB.
fn run(cmd: &mut Command) -> (i32, u64) {
    let keep: Vec<(String, String)> =
        std::env::vars().filter(|(k, _)| k == "PATH" || k == "HOME" || k == "TMPDIR").collect();
    let password = cmd
        .get_envs()
        .find(|(k, _)| *k == "ALTINN_DOCTOR_CERT_PASSWORD_FILE")
        .and_then(|(_, v)| v.map(|v| v.to_owned()));
    cmd.env_clear().envs(keep);
    if let Some(p) = password {
        cmd.env("ALTINN_DOCTOR_CERT_PASSWORD_FILE", p);
    }
    let child = cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
    let pid = child.id() as libc::pid_t;
    let (status, rss) = wait_with_rusage(pid);
    drop(child);
    (status, rss)
}

/// `wait4` gives the child's peak RSS (KiB on Linux).
fn wait_with_rusage(pid: libc::pid_t) -> (i32, u64) {
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it and the status for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if r < 0 {
        return (-1, 0);
    }
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
    (code, usage.ru_maxrss.max(0) as u64)
}
