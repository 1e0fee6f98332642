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

/// Runs the checks in order. A check whose dependency did not pass is skipped with
/// the reason; the whole run shares one deadline.
pub async fn run(ctx: &Context, checks: &[Check]) -> Vec<Outcome> {
    let deadline = tokio::time::Instant::now() + ctx.profile.deadline;
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(checks.len());
    for check in checks {
        let blocker = check.depends_on.iter().find(|dep| {
            outcomes.iter().any(|o| o.id == **dep && matches!(o.finding.status(), Status::Fail | Status::Skip))
        });
        let not_applicable = check.applies.and_then(|f| f(ctx));
        let finding = if let Some(finding) = not_applicable {
            finding
        } else if let Some(dep) = blocker {
            Finding::from_engine(EngineCause::DependencyNotPassed { dependency: dep.as_str().into() })
        } else if check.needs_network && ctx.profile.offline {
            Finding::from_engine(EngineCause::Offline)
        } else if tokio::time::Instant::now() >= deadline {
            Finding::from_engine(EngineCause::DeadlinePassed { seconds: ctx.profile.deadline.as_secs() })
        } else {
            let work = async {
                match check.run {
                    Run::Local(f) => f(ctx),
                    Run::Async(f) => f(ctx).await,
                }
            };
            match tokio::time::timeout_at(deadline, work).await {
                Ok(finding) => finding,
                Err(_) => {
                    Finding::from_engine(EngineCause::DeadlineReached { seconds: ctx.profile.deadline.as_secs() })
                }
            }
        };
        outcomes.push(Outcome { id: check.id, finding });
    }
    outcomes
}
