//! What a check concludes: a status, a typed cause, and the facts it saw.

use serde::Serialize;
use serde_json::{Map, Value};

use super::CheckId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }
}

/// A typed cause. Each check has its own enum, serialised with a `code` tag that,
/// with the check ID, keys the message catalogue; its fields fill the message.
pub(crate) trait Diagnosis: Serialize {
    fn status(&self) -> Status;

    /// True when the check could not reach a verdict (a network or service fault, the
    /// deadline): the set-up was not judged, so a retry may tell more.
    fn inconclusive(&self) -> bool {
        false
    }
}

/// A cause once taken out of its enum: status, code and the values the messages use.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cause {
    pub(crate) status: Status,
    pub(crate) code: String,
    pub(crate) args: Map<String, Value>,
    /// True when the engine, not the check, decided it (catalogue section `engine`).
    pub(crate) from_engine: bool,
    /// True when nothing was judged (see [`Diagnosis::inconclusive`]).
    pub(crate) inconclusive: bool,
}

/// Facts a check saw, in the order it saw them.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Facts(Vec<(&'static str, Value)>);

impl Facts {
    pub(crate) fn new() -> Self {
        Facts::default()
    }

    /// Records a fact. Its strings are neutralised here, where they enter the report: a
    /// fact is often text from outside (a server, a certificate, a file name).
    pub(crate) fn put(&mut self, key: &'static str, value: impl Into<Value>) -> &mut Self {
        let mut value = value.into();
        crate::vocab::outside::neutralise_value(&mut value);
        self.set(key, value)
    }

    fn set(&mut self, key: &'static str, value: Value) -> &mut Self {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
        self
    }

    pub(crate) fn put_opt(&mut self, key: &'static str, value: Option<impl Into<Value>>) -> &mut Self {
        if let Some(v) = value {
            self.put(key, v);
        }
        self
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&'static str, &Value)> {
        self.0.iter().map(|(k, v)| (*k, v))
    }

    pub(crate) fn extend(&mut self, other: &Facts) {
        for (k, v) in other.iter() {
            self.set(k, v.clone());
        }
    }
}

impl Serialize for Facts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// A check's conclusion.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub(crate) cause: Cause,
    pub(crate) facts: Facts,
    /// Checks whose point this (passing) finding proves as well: a service that accepted
    /// what they could not judge. An inconclusive one of them then holds up no verdict.
    pub(crate) proves: Vec<CheckId>,
}

impl Finding {
    /// A finding from a typed cause, with no facts yet.
    pub(crate) fn of(diagnosis: impl Diagnosis) -> Finding {
        Finding::build(diagnosis, false)
    }

    /// A finding the engine decided (catalogue section `engine`).
    pub(super) fn from_engine(cause: super::EngineCause) -> Finding {
        Finding::build(cause, true)
    }

    /// A skip because `dependency` gave the check nothing to work on.
    pub(crate) fn needs(dependency: CheckId) -> Finding {
        Finding::from_engine(super::EngineCause::DependencyNotPassed { dependency: dependency.as_str().into() })
    }

    fn build(diagnosis: impl Diagnosis, from_engine: bool) -> Finding {
        let status = diagnosis.status();
        let inconclusive = diagnosis.inconclusive();
        let mut value = serde_json::to_value(&diagnosis).unwrap_or(Value::Null);
        // A cause's fields are often text from outside (a server's message, a name):
        // neutralised here, where they enter the report, for every format at once.
        crate::vocab::outside::neutralise_value(&mut value);
        let mut args = match value {
            Value::Object(map) => map,
            // A cause is always a tagged enum: anything else is a bug caught by tests.
            other => Map::from_iter([("code".to_string(), other)]),
        };
        let code = match args.remove("code") {
            Some(Value::String(code)) => code,
            _ => "unknown".to_string(),
        };
        Finding {
            cause: Cause { status, code, args, from_engine, inconclusive },
            facts: Facts::new(),
            proves: Vec::new(),
        }
    }

    /// Says that this finding, when it passes, proves the point of `checks` too.
    pub(crate) fn proving(mut self, checks: &[CheckId]) -> Finding {
        if self.status() == Status::Pass {
            self.proves.extend_from_slice(checks);
        }
        self
    }

    /// True when the check could not reach a verdict on its point (a warning or failure
    /// it could not judge: a network fault, a CRL it could not use, the deadline).
    pub(crate) fn unjudged(&self) -> bool {
        self.cause.inconclusive && matches!(self.status(), Status::Warn | Status::Fail)
    }

    pub(crate) fn with(mut self, facts: Facts) -> Finding {
        self.facts.extend(&facts);
        self
    }

    pub(crate) fn status(&self) -> Status {
        self.cause.status
    }
}

/// A finding under its check's ID, as the report shows it.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub(crate) id: CheckId,
    pub(crate) finding: Finding,
    /// How long the check ran (zero when the engine decided it without running it).
    pub(crate) elapsed: std::time::Duration,
    /// Set when the user did not choose this check, and it ran because this one needs it.
    pub(crate) needed_by: Option<CheckId>,
    /// For a check that could not reach its verdict: the later check that passed and so
    /// proved the same point (Maskinporten accepting the certificate proves it is not
    /// revoked). Without one, the run could not check.
    pub(crate) proven_by: Option<CheckId>,
    /// For a failure that is the consequence of an earlier one (an expired certificate
    /// makes the token fail): the check whose failure is the root cause.
    pub(crate) caused_by: Option<CheckId>,
    /// The requests the check made, in order (the support report's log).
    pub(crate) requests: Vec<crate::vocab::Request>,
}

/// Counts per status.
#[derive(Debug, Default, Clone, Copy, Serialize, PartialEq, Eq)]
pub(crate) struct Summary {
    pub(crate) pass: usize,
    pub(crate) warn: usize,
    pub(crate) fail: usize,
    pub(crate) skip: usize,
}

impl Summary {
    pub(crate) fn of(outcomes: &[Outcome]) -> Summary {
        let mut s = Summary::default();
        for o in outcomes {
            match o.finding.status() {
                Status::Pass => s.pass += 1,
                Status::Warn => s.warn += 1,
                Status::Fail => s.fail += 1,
                Status::Skip => s.skip += 1,
            }
        }
        s
    }
}

/// What a run concludes, for a person, a pipeline and the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Verdict {
    /// Every check that applies passed (warnings allowed unless strict).
    Ready,
    /// A check found something wrong in the set-up.
    NotReady,
    /// No check found a set-up problem, but a fault (network, service, deadline) kept
    /// a check that applies from a verdict.
    CouldNotCheck,
}

impl Verdict {
    /// A definite problem wins over a fault: it is worth more than a retry. A check that
    /// could not reach its verdict (a warning too) leaves the run unchecked, unless a
    /// later check that passed proved the same point.
    pub(crate) fn of(outcomes: &[Outcome], strict: bool) -> Verdict {
        let mut verdict = Verdict::Ready;
        for o in outcomes {
            if o.finding.unjudged() {
                if o.proven_by.is_none() {
                    verdict = Verdict::CouldNotCheck;
                }
                continue;
            }
            match o.finding.status() {
                Status::Fail => return Verdict::NotReady,
                Status::Warn if strict => return Verdict::NotReady,
                _ => {}
            }
        }
        verdict
    }

    /// 0 ready, 1 a finding, 3 could not check (2 is usage, decided before any check).
    pub(crate) fn exit_code(self) -> u8 {
        match self {
            Verdict::Ready => 0,
            Verdict::NotReady => 1,
            Verdict::CouldNotCheck => 3,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::NotReady => "not-ready",
            Verdict::CouldNotCheck => "could-not-check",
        }
    }
}
