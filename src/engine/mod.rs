//! The engine: runs checks, each as soon as the checks it needs have finished, and hands
//! their products on. It knows checks only as IDs, dependencies and functions over a run
//! context `C`; which checks exist is the registry's business.

mod finding;
mod handover;
mod ids;

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

pub(crate) use finding::{Diagnosis, Facts, Finding, Outcome, Status, Summary, Verdict};
pub(crate) use handover::{Given, Misuse, Slot};
pub(crate) use ids::CheckId;

pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How a check runs: most only compute; some wait on the network.
pub enum Run<C> {
    Local(for<'a> fn(&'a C, &Given<'a>) -> Finding),
    Async(for<'a> fn(&'a C, Given<'a>) -> BoxFuture<'a, Finding>),
}

/// One check: an ID, what it needs, and its function over the run context `C`.
pub struct Check<C> {
    pub(crate) id: CheckId,
    /// Checks that must have passed: otherwise this one is skipped, naming the first.
    pub(crate) depends_on: &'static [CheckId],
    /// Checks whose products this one may read when they made one, without needing them
    /// to pass (the certificate's key, for a client that may sign with another key).
    pub(crate) reads: &'static [CheckId],
    /// True when the check cannot run at all without the network (`--offline` skips it).
    pub(crate) needs_network: bool,
    /// Requests on its passing path that wait for each other: the bench's lower bound is
    /// the longest chain of these through the graph.
    pub(crate) round_trips: u8,
    /// Decided before the dependencies: a check that does not apply to this profile
    /// (another flow's) says so, rather than that its dependencies were skipped.
    pub(crate) applies: Option<fn(&C) -> Option<Finding>>,
    pub(crate) run: Run<C>,
}

/// What the whole run shares.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    pub(crate) deadline: Duration,
    pub(crate) offline: bool,
}

/// Told when a check starts and ends (a progress line); the engine waits for nothing.
pub(crate) trait Watch: Sync {
    fn started(&self, id: CheckId);
    fn finished(&self, id: CheckId);
    /// A check the engine decided without running it (a skip, another flow's).
    fn decided(&self, _id: CheckId) {}
}

/// A watch that sees nothing.
pub(crate) struct Unwatched;

impl Watch for Unwatched {
    fn started(&self, _: CheckId) {}
    fn finished(&self, _: CheckId) {}
}

/// Which checks the user chose (`--only`, `--skip`), and which others run only because a
/// chosen one needs them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Selection {
    /// Checks left out, with the flag that left them out.
    pub(crate) left_out: Vec<(CheckId, &'static str)>,
    /// Checks run only for another: (the check, the chosen one that needs it).
    pub(crate) needed_by: Vec<(CheckId, CheckId)>,
}

impl Selection {
    /// Every check but those in `skip`, or only those in `only` (when any); then every
    /// check a chosen one depends on or reads, which runs and says for whom.
    pub(crate) fn of<C>(checks: &[Check<C>], only: &[CheckId], skip: &[CheckId]) -> Selection {
        let flag = if only.is_empty() { "--skip" } else { "--only" };
        let chosen: Vec<CheckId> = checks
            .iter()
            .map(|c| c.id)
            .filter(|id| if only.is_empty() { !skip.contains(id) } else { only.contains(id) })
            .collect();
        let mut needed_by: Vec<(CheckId, CheckId)> = Vec::new();
        for id in &chosen {
            let mut stack = vec![*id];
            while let Some(next) = stack.pop() {
                let Some(check) = checks.iter().find(|c| c.id == next) else { continue };
                for dep in check.depends_on.iter().chain(check.reads) {
                    if !chosen.contains(dep) && !needed_by.iter().any(|(d, _)| d == dep) {
                        needed_by.push((*dep, *id));
                        stack.push(*dep);
                    }
                }
            }
        }
        let left_out = checks
            .iter()
            .map(|c| c.id)
            .filter(|id| !chosen.contains(id) && !needed_by.iter().any(|(d, _)| d == id))
            .map(|id| (id, flag))
            .collect();
        Selection { left_out, needed_by }
    }
}

/// Why the engine, not the check, decided a finding.
#[derive(Debug, serde::Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub(crate) enum EngineCause {
    /// A check this one needs failed or was skipped.
    DependencyNotPassed { dependency: String },
    /// The check needs the network and the run is offline.
    Offline,
    /// The run's deadline passed before the check finished.
    DeadlineReached { seconds: u64 },
    /// The run's deadline had passed before the check could start.
    DeadlinePassed { seconds: u64 },
    /// The check read a product of a check it did not declare (a defect of this tool).
    UndeclaredInput { product_of: String },
    /// The user left the check out (`--only`, `--skip`).
    NotChosen { flag: String },
}

impl Diagnosis for EngineCause {
    fn status(&self) -> Status {
        match self {
            EngineCause::DependencyNotPassed { .. } | EngineCause::Offline | EngineCause::NotChosen { .. } => {
                Status::Skip
            }
            EngineCause::DeadlinePassed { .. } => Status::Skip,
            EngineCause::DeadlineReached { .. } | EngineCause::UndeclaredInput { .. } => Status::Fail,
        }
    }

    /// A check cut off by the deadline proved nothing: the run could not check.
    fn inconclusive(&self) -> bool {
        matches!(self, EngineCause::DeadlineReached { .. } | EngineCause::DeadlinePassed { .. })
    }
}

/// Runs the checks, each as soon as the checks it depends on (or reads) have finished,
/// so that independent ones run at once. A check whose dependency did not pass is
/// skipped with the reason; the whole run shares one deadline. The outcomes keep the
/// order of `checks`.
pub(crate) async fn run<C: Sync>(
    ctx: &C,
    checks: &[Check<C>],
    settings: Settings,
    selection: &Selection,
    watch: &dyn Watch,
) -> Vec<Outcome> {
    use futures_util::StreamExt;
    let deadline = tokio::time::Instant::now() + settings.deadline;
    let misuse = Mutex::new(Vec::new());
    let mut done: Vec<Option<Finding>> = vec![None; checks.len()];
    let mut started = vec![false; checks.len()];
    let mut elapsed = vec![Duration::ZERO; checks.len()];
    let mut trails: Vec<Vec<crate::vocab::Request>> = vec![Vec::new(); checks.len()];
    let mut running = futures_util::stream::FuturesUnordered::new();
    loop {
        let mut progress = true;
        while progress {
            progress = false;
            for (i, check) in checks.iter().enumerate() {
                if started[i] || !ready(check, checks, &done) {
                    continue;
                }
                started[i] = true;
                let left_out = selection.left_out.iter().find(|(id, _)| *id == check.id).map(|(_, flag)| *flag);
                match left_out_or_decided(left_out, || decided(ctx, check, checks, &done, settings, deadline)) {
                    Some(finding) => {
                        watch.decided(check.id);
                        done[i] = Some(finding);
                        progress = true;
                    }
                    None => {
                        watch.started(check.id);
                        running.push(execute(ctx, check, i, given(check, &misuse), settings, deadline));
                    }
                }
            }
        }
        match running.next().await {
            Some((i, finding, took, requests)) => {
                watch.finished(checks[i].id);
                done[i] = Some(finding);
                elapsed[i] = took;
                trails[i] = requests;
            }
            None => break,
        }
    }
    drop(running);
    let mut all = outcomes(checks, done, elapsed, misuse.into_inner().unwrap_or_default(), settings, selection);
    for (o, requests) in all.iter_mut().zip(trails) {
        o.requests = requests;
    }
    all
}

/// Ties each failure that a table of consequences names to its root: `(check, cause
/// code, root)` applies when the root failed too, followed to the first root (a system
/// user refused because the token is, refused because the certificate expired).
pub(crate) fn tie_consequences(outcomes: &mut [Outcome], consequences: &[(CheckId, &str, CheckId)]) {
    let failed = |outcomes: &[Outcome], id: CheckId| {
        outcomes.iter().any(|o| o.id == id && matches!(o.finding.status(), Status::Fail | Status::Warn))
    };
    let root_of = |outcomes: &[Outcome], o: &Outcome| {
        consequences
            .iter()
            .find(|(id, code, root)| *id == o.id && *code == o.finding.cause.code && failed(outcomes, *root))
            .map(|(_, _, root)| *root)
    };
    for i in 0..outcomes.len() {
        let mut root = root_of(outcomes, &outcomes[i]);
        // Followed a few steps at most: the table has no circles, and a check is its own end.
        for _ in 0..4 {
            let Some(next) = root.and_then(|r| outcomes.iter().find(|o| o.id == r)).and_then(|r| root_of(outcomes, r))
            else {
                break;
            };
            root = Some(next);
        }
        outcomes[i].caused_by = root;
    }
}

/// A check the user left out says so; otherwise the engine's own decision, if any.
fn left_out_or_decided(left_out: Option<&str>, decided: impl FnOnce() -> Option<Finding>) -> Option<Finding> {
    match left_out {
        Some(flag) => Some(Finding::from_engine(EngineCause::NotChosen { flag: flag.to_string() })),
        None => decided(),
    }
}

/// The outcomes in the checks' order, with their times and for whom they ran.
fn outcomes<C>(
    checks: &[Check<C>],
    done: Vec<Option<Finding>>,
    elapsed: Vec<Duration>,
    misuse: Vec<Misuse>,
    settings: Settings,
    selection: &Selection,
) -> Vec<Outcome> {
    let mut all: Vec<Outcome> = checks
        .iter()
        .zip(done)
        .zip(elapsed)
        .map(|((check, finding), took)| Outcome {
            elapsed: took,
            needed_by: selection.needed_by.iter().find(|(d, _)| *d == check.id).map(|(_, by)| *by),
            ..outcome(check, finding, &misuse, settings)
        })
        .collect();
    let proofs: Vec<(CheckId, CheckId)> =
        all.iter().flat_map(|o| o.finding.proves.iter().map(move |proved| (*proved, o.id))).collect();
    for o in all.iter_mut().filter(|o| o.finding.unjudged()) {
        o.proven_by = proofs.iter().find(|(proved, _)| *proved == o.id).map(|(_, by)| *by);
    }
    all
}

fn given<'a, C>(check: &Check<C>, misuse: &'a Mutex<Vec<Misuse>>) -> Given<'a> {
    let declared = check.depends_on.iter().chain(check.reads).copied().collect();
    Given { id: check.id, declared, misuse }
}

/// A check's outcome: its finding, unless it read what it did not declare.
fn outcome<C>(check: &Check<C>, finding: Option<Finding>, misuse: &[Misuse], settings: Settings) -> Outcome {
    let finding = match misuse.iter().find(|m| m.check == check.id) {
        Some(m) => Finding::from_engine(EngineCause::UndeclaredInput { product_of: m.slot_of.as_str().into() }),
        // Only a dependency outside this list (or a cycle) leaves a check without one.
        None => finding.unwrap_or_else(|| {
            Finding::from_engine(EngineCause::DeadlinePassed { seconds: settings.deadline.as_secs() })
        }),
    };
    Outcome {
        id: check.id,
        finding,
        elapsed: Duration::ZERO,
        needed_by: None,
        proven_by: None,
        caused_by: None,
        requests: Vec::new(),
    }
}

/// The position of `id` in `checks`.
fn index_of<C>(checks: &[Check<C>], id: CheckId) -> Option<usize> {
    checks.iter().position(|c| c.id == id)
}

/// True when every check `check` depends on or reads has its finding.
fn ready<C>(check: &Check<C>, checks: &[Check<C>], done: &[Option<Finding>]) -> bool {
    check.depends_on.iter().chain(check.reads).all(|dep| match index_of(checks, *dep) {
        Some(j) => done[j].is_some(),
        None => true,
    })
}

/// The finding the engine gives without running the check: another flow's, a dependency
/// that did not pass, offline, or the deadline already passed. `None`: run it.
fn decided<C>(
    ctx: &C,
    check: &Check<C>,
    checks: &[Check<C>],
    done: &[Option<Finding>],
    settings: Settings,
    deadline: tokio::time::Instant,
) -> Option<Finding> {
    if let Some(finding) = check.applies.and_then(|f| f(ctx)) {
        return Some(finding);
    }
    let blocker = check.depends_on.iter().find(|dep| {
        index_of(checks, **dep)
            .and_then(|j| done[j].as_ref())
            .is_some_and(|f| matches!(f.status(), Status::Fail | Status::Skip))
    });
    if let Some(dep) = blocker {
        return Some(Finding::needs(*dep));
    }
    if check.needs_network && settings.offline {
        return Some(Finding::from_engine(EngineCause::Offline));
    }
    if tokio::time::Instant::now() >= deadline {
        return Some(Finding::from_engine(EngineCause::DeadlinePassed { seconds: settings.deadline.as_secs() }));
    }
    None
}

/// What a running check leaves behind besides its finding: the requests it made.
type Trail = std::sync::Arc<Mutex<Vec<crate::vocab::Request>>>;

tokio::task_local! {
    /// The check whose work this task is doing, and where its requests are kept.
    static CURRENT: (CheckId, Trail);
}

/// The check whose work is running here, if any (a log line names it).
pub(crate) fn current_check() -> Option<CheckId> {
    CURRENT.try_with(|(id, _)| *id).ok()
}

/// Keeps a request with the check that made it (nothing outside a check).
pub(crate) fn record(request: crate::vocab::Request) {
    let _ = CURRENT.try_with(|(_, trail)| {
        if let Ok(mut all) = trail.lock() {
            all.push(request);
        }
    });
}

/// Runs one check within the run's deadline.
async fn execute<'a, C: Sync>(
    ctx: &'a C,
    check: &'a Check<C>,
    index: usize,
    given: Given<'a>,
    settings: Settings,
    deadline: tokio::time::Instant,
) -> (usize, Finding, Duration, Vec<crate::vocab::Request>) {
    let started = tokio::time::Instant::now();
    let trail = Trail::default();
    let work = CURRENT.scope((check.id, trail.clone()), async {
        match &check.run {
            Run::Local(f) => f(ctx, &given),
            Run::Async(f) => f(ctx, given).await,
        }
    });
    let finding = match tokio::time::timeout_at(deadline, work).await {
        Ok(finding) => finding,
        Err(_) => Finding::from_engine(EngineCause::DeadlineReached { seconds: settings.deadline.as_secs() }),
    };
    let requests = trail.lock().map(|mut r| std::mem::take(&mut *r)).unwrap_or_default();
    (index, finding, started.elapsed(), requests)
}

/// The longest chain of round trips that must wait for each other, through the
/// dependencies of the checks `counts` says took part (the others weigh nothing).
pub fn longest_chain<C>(checks: &[Check<C>], counts: impl Fn(CheckId) -> bool) -> u32 {
    let mut memo: Vec<Option<u32>> = vec![None; checks.len()];
    (0..checks.len()).map(|i| chain_to(checks, i, &counts, &mut memo, 0)).max().unwrap_or(0)
}

fn chain_to<C>(
    checks: &[Check<C>],
    i: usize,
    counts: &impl Fn(CheckId) -> bool,
    memo: &mut Vec<Option<u32>>,
    depth: usize,
) -> u32 {
    if let Some(v) = memo[i] {
        return v;
    }
    if depth > checks.len() {
        return 0; // a cycle: no chain through it
    }
    let check = &checks[i];
    let before = check
        .depends_on
        .iter()
        .chain(check.reads)
        .filter_map(|d| index_of(checks, *d))
        .map(|j| chain_to(checks, j, counts, memo, depth + 1))
        .max()
        .unwrap_or(0);
    let own = if counts(check.id) { u32::from(check.round_trips) } else { 0 };
    memo[i] = Some(before + own);
    before + own
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOMAIN: &str = "test";
    crate::check_id!(A = "cert.readable");
    crate::check_id!(B = "mp.discovery");
    crate::check_id!(C = "mp.token");

    #[derive(serde::Serialize)]
    #[serde(tag = "code", rename_all = "kebab-case")]
    enum Said {
        Fine,
    }

    impl Diagnosis for Said {
        fn status(&self) -> Status {
            Status::Pass
        }
    }

    /// A run context of two products.
    struct Ctx {
        a: Slot<u32>,
        b: Slot<u32>,
    }

    fn ctx() -> Ctx {
        Ctx { a: Slot::new(A), b: Slot::new(B) }
    }

    fn check(
        id: CheckId,
        depends_on: &'static [CheckId],
        run: for<'a> fn(&'a Ctx, &Given<'a>) -> Finding,
    ) -> Check<Ctx> {
        Check { id, depends_on, reads: &[], needs_network: false, round_trips: 1, applies: None, run: Run::Local(run) }
    }

    fn run_all(checks: &[Check<Ctx>]) -> Vec<Outcome> {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let settings = Settings { deadline: Duration::from_secs(5), offline: false };
        rt.block_on(run(&ctx(), checks, settings, &Selection::default(), &Unwatched))
    }

    #[test]
    fn a_declared_product_is_handed_on() {
        let checks = [
            check(A, &[], |c, g| {
                g.put(&c.a, Some(7));
                Finding::of(Said::Fine)
            }),
            check(C, &[A], |c, g| match g.get(&c.a) {
                Some(7) => Finding::of(Said::Fine),
                _ => Finding::needs(A),
            }),
        ];
        let outcomes = run_all(&checks);
        assert!(outcomes.iter().all(|o| o.finding.cause.code == "fine"), "{outcomes:?}");
    }

    #[test]
    fn reading_an_undeclared_product_fails_the_check() {
        let checks = [
            check(B, &[], |c, g| {
                g.put(&c.b, Some(1));
                Finding::of(Said::Fine)
            }),
            // Declares A only, reads B's product.
            check(A, &[], |_, _| Finding::of(Said::Fine)),
            check(C, &[A], |c, g| {
                let _ = g.get(&c.b);
                Finding::of(Said::Fine)
            }),
        ];
        let outcomes = run_all(&checks);
        let c = &outcomes[2].finding;
        assert_eq!(c.cause.code, "undeclared-input");
        assert_eq!(c.status(), Status::Fail);
        assert_eq!(c.cause.args["product_of"], "mp.discovery");
    }

    #[test]
    fn writing_another_check_s_slot_fails_the_check() {
        let checks = [check(A, &[], |c, g| {
            g.put(&c.b, Some(1));
            Finding::of(Said::Fine)
        })];
        assert_eq!(run_all(&checks)[0].finding.cause.code, "undeclared-input");
    }

    #[test]
    fn the_longest_chain_follows_dependencies_and_reads() {
        let checks = [
            check(A, &[], |_, _| Finding::of(Said::Fine)),
            check(B, &[A], |_, _| Finding::of(Said::Fine)),
            Check { reads: &[B], ..check(C, &[], |_, _| Finding::of(Said::Fine)) },
        ];
        assert_eq!(longest_chain(&checks, |_| true), 3);
        assert_eq!(longest_chain(&checks, |id| id != B), 2);
    }
}
