//! The engine: check IDs, the `Check` unit, findings, and the run in dependency order.

mod finding;
mod ids;

use std::future::Future;
use std::pin::Pin;

pub use finding::{Cause, Diagnosis, Facts, Finding, Outcome, Status, Summary, Verdict};
pub use ids::CheckId;

use crate::certificate::{LoadError, Material, TrustStore};
use crate::config::Profile;

/// What the checks read: the profile and the sources loaded from it.
pub struct Context {
    pub profile: Profile,
    /// The certificate (and key) the profile names, or why it could not be loaded.
    pub certificate: Result<Material, LoadError>,
    pub trust: TrustStore,
    /// The `--crl` files as read (name, bytes): a named file that cannot be read is a
    /// usage error, found before any check.
    pub crl_files: Vec<(String, Vec<u8>)>,
    pub http: crate::http::Http,
    /// HTTP/1.1 only: for the Altinn 2 API, whose reason phrases carry the diagnosis.
    pub http1: crate::http::Http,
    /// What checks hand on to later checks.
    pub store: Store,
}

/// Products of checks for later checks (a discovered metadata document, a token),
/// one value per type.
#[derive(Default)]
pub struct Store(std::sync::Mutex<Vec<Box<dyn std::any::Any + Send>>>);

impl Store {
    pub fn put<T: std::any::Any + Send>(&self, value: T) {
        if let Ok(mut items) = self.0.lock() {
            items.retain(|i| !i.is::<T>());
            items.push(Box::new(value));
        }
    }

    pub fn get<T: std::any::Any + Clone>(&self) -> Option<T> {
        let items = self.0.lock().ok()?;
        items.iter().find_map(|i| i.downcast_ref::<T>()).cloned()
    }
}

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How a check runs: most only read the context; some wait on the network.
#[derive(Clone, Copy)]
pub enum Run {
    Local(fn(&Context) -> Finding),
    Async(for<'a> fn(&'a Context) -> BoxFuture<'a, Finding>),
}

/// One check: an ID, the checks it needs to have passed, and its function.
#[derive(Clone, Copy)]
pub struct Check {
    pub id: CheckId,
    pub depends_on: &'static [CheckId],
    /// True when the check cannot run at all without the network (`--offline` skips it).
    pub needs_network: bool,
    /// Decided before the dependencies: a check that does not apply to this profile
    /// (another flow's) says so, rather than that its dependencies were skipped.
    pub applies: Option<fn(&Context) -> Option<Finding>>,
    pub run: Run,
}

/// Why the engine, not the check, decided a finding.
#[derive(Debug, serde::Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum EngineCause {
    /// A check this one needs failed or was skipped.
    DependencyNotPassed { dependency: String },
    /// The check needs the network and the run is offline.
    Offline,
    /// The run's deadline passed before the check finished.
    DeadlineReached { seconds: u64 },
    /// The run's deadline had passed before the check could start.
    DeadlinePassed { seconds: u64 },
}

impl Diagnosis for EngineCause {
    fn status(&self) -> Status {
        match self {
            EngineCause::DependencyNotPassed { .. } | EngineCause::Offline => Status::Skip,
            EngineCause::DeadlinePassed { .. } => Status::Skip,
            EngineCause::DeadlineReached { .. } => Status::Fail,
        }
    }

    /// A check cut off by the deadline proved nothing: the run could not check.
    fn inconclusive(&self) -> bool {
        matches!(self, EngineCause::DeadlineReached { .. } | EngineCause::DeadlinePassed { .. })
    }
}

/// Every check in run order.
pub fn registry() -> Vec<Check> {
    let mut checks = crate::certificate::checks::ALL.to_vec();
    checks.extend_from_slice(crate::maskinporten::checks::ALL);
    checks.extend_from_slice(crate::altinn::checks::ALL);
    checks
}

/// Runs the checks, each as soon as the checks it depends on have finished, so that
/// independent ones (certificate checks beside discovery, the Altinn flows beside each
/// other) run at once. A check whose dependency did not pass is skipped with the reason;
/// the whole run shares one deadline. The outcomes keep the registry's order.
pub async fn run(ctx: &Context, checks: &[Check]) -> Vec<Outcome> {
    use futures_util::StreamExt;
    let deadline = tokio::time::Instant::now() + ctx.profile.deadline;
    let mut done: Vec<Option<Finding>> = vec![None; checks.len()];
    let mut started = vec![false; checks.len()];
    let mut running = futures_util::stream::FuturesUnordered::new();
    loop {
        // Start (or decide without running) every check whose dependencies are done.
        let mut progress = true;
        while progress {
            progress = false;
            for (i, check) in checks.iter().enumerate() {
                if started[i] || !ready(check, checks, &done) {
                    continue;
                }
                started[i] = true;
                match decided(ctx, check, checks, &done, deadline) {
                    Some(finding) => {
                        done[i] = Some(finding);
                        progress = true;
                    }
                    None => running.push(execute(ctx, check, i, deadline)),
                }
            }
        }
        match running.next().await {
            Some((i, finding)) => done[i] = Some(finding),
            None => break,
        }
    }
    checks
        .iter()
        .zip(done)
        .map(|(check, finding)| Outcome {
            id: check.id,
            finding: finding.unwrap_or_else(|| {
                // Only a dependency outside this list (or a cycle) leaves a check here.
                Finding::from_engine(EngineCause::DeadlinePassed { seconds: ctx.profile.deadline.as_secs() })
            }),
        })
        .collect()
}

/// True when every dependency of `check` in the list has its finding.
fn ready(check: &Check, checks: &[Check], done: &[Option<Finding>]) -> bool {
    check.depends_on.iter().all(|dep| match checks.iter().position(|c| c.id == *dep) {
        Some(j) => done[j].is_some(),
        None => true,
    })
}

/// The finding the engine gives without running the check: another flow's, a dependency
/// that did not pass, offline, or the deadline already passed. `None`: run it.
fn decided(
    ctx: &Context,
    check: &Check,
    checks: &[Check],
    done: &[Option<Finding>],
    deadline: tokio::time::Instant,
) -> Option<Finding> {
    if let Some(finding) = check.applies.and_then(|f| f(ctx)) {
        return Some(finding);
    }
    let blocker = check.depends_on.iter().find(|dep| {
        checks
            .iter()
            .position(|c| c.id == **dep)
            .and_then(|j| done[j].as_ref())
            .is_some_and(|f| matches!(f.status(), Status::Fail | Status::Skip))
    });
    if let Some(dep) = blocker {
        return Some(Finding::from_engine(EngineCause::DependencyNotPassed { dependency: dep.as_str().into() }));
    }
    if check.needs_network && ctx.profile.offline {
        return Some(Finding::from_engine(EngineCause::Offline));
    }
    if tokio::time::Instant::now() >= deadline {
        return Some(Finding::from_engine(EngineCause::DeadlinePassed { seconds: ctx.profile.deadline.as_secs() }));
    }
    None
}

/// Runs one check within the run's deadline.
async fn execute<'a>(
    ctx: &'a Context,
    check: &'a Check,
    index: usize,
    deadline: tokio::time::Instant,
) -> (usize, Finding) {
    let work = async {
        match check.run {
            Run::Local(f) => f(ctx),
            Run::Async(f) => f(ctx).await,
        }
    };
    let finding = match tokio::time::timeout_at(deadline, work).await {
        Ok(finding) => finding,
        Err(_) => Finding::from_engine(EngineCause::DeadlineReached { seconds: ctx.profile.deadline.as_secs() }),
    };
    (index, finding)
}
