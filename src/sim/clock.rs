//! The simulator's clock: the system clock shifted by a settable offset.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::OffsetDateTime;

/// A clock `offset` seconds away from the system's; clones share the offset.
#[derive(Debug, Clone, Default)]
pub(crate) struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    pub(crate) fn with_offset(seconds: i64) -> Clock {
        Clock { offset: Arc::new(AtomicI64::new(seconds)) }
    }

    pub(crate) fn set_offset(&self, seconds: i64) {
        self.offset.store(seconds, Ordering::Relaxed);
    }

    pub(crate) fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        now.checked_add(time::Duration::seconds(self.offset.load(Ordering::Relaxed))).unwrap_or(now)
    }

    pub(crate) fn now_unix(&self) -> i64 {
        self.now().unix_timestamp()
    }
}
