//! Typed hand-over between checks: a check puts its product in a [`Slot`] it owns, and a
//! later check reads it only if it declared the producer.

use std::sync::{Mutex, OnceLock};

use super::CheckId;

/// The product of one check (a token, a document), written once by that check.
pub struct Slot<T> {
    from: CheckId,
    cell: OnceLock<T>,
}

impl<T> Slot<T> {
    /// An empty slot that only the check `from` may fill.
    pub(crate) const fn new(from: CheckId) -> Slot<T> {
        Slot { from, cell: OnceLock::new() }
    }

    /// The product after the run (for commands such as `token`).
    pub(crate) fn after_run(&self) -> Option<&T> {
        self.cell.get()
    }
}

/// What the engine gives a running check: the products of the checks it declared
/// (`depends_on` and `reads`), and a place for its own.
pub struct Given<'a> {
    pub(super) id: CheckId,
    pub(super) declared: Vec<CheckId>,
    pub(super) misuse: &'a Mutex<Vec<Misuse>>,
}

/// A check that read a product it did not declare, or wrote another check's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Misuse {
    pub(crate) check: CheckId,
    pub(crate) slot_of: CheckId,
}

impl<'a> Given<'a> {
    /// The product of a declared check, if it made one. Reading an undeclared check's
    /// product gives nothing and is recorded: the engine fails the check for it.
    pub(crate) fn get<'s, T>(&self, slot: &'s Slot<T>) -> Option<&'s T> {
        if !self.declared.contains(&slot.from) {
            self.record(slot.from);
            return None;
        }
        slot.cell.get()
    }

    /// As [`Given::get`], or the skip that says which check gave nothing.
    pub(crate) fn need<'s, T>(&self, slot: &'s Slot<T>) -> Result<&'s T, super::Finding> {
        self.get(slot).ok_or_else(|| super::Finding::needs(slot.from))
    }

    /// Hands this check's product on.
    pub(crate) fn put<T>(&self, slot: &Slot<T>, value: Option<T>) {
        if slot.from != self.id {
            self.record(slot.from);
            return;
        }
        if let Some(value) = value {
            let _ = slot.cell.set(value);
        }
    }

    fn record(&self, slot_of: CheckId) {
        if let Ok(mut all) = self.misuse.lock() {
            all.push(Misuse { check: self.id, slot_of });
        }
    }
}
