//! The progress line on a terminal: the names of the checks that are running, while the
//! network checks take their time (indicatif, on stderr; gone when the run ends).

use std::sync::Mutex;
use std::time::Duration;

use crate::engine::{CheckId, Watch};

/// A spinner whose message is the running checks' IDs.
pub(crate) struct Progress {
    bar: indicatif::ProgressBar,
    running: Mutex<Vec<CheckId>>,
}

impl Progress {
    pub(crate) fn new() -> Progress {
        let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(100));
        Progress { bar, running: Mutex::new(Vec::new()) }
    }

    fn show(&self) {
        if let Ok(running) = self.running.lock() {
            let names: Vec<&str> = running.iter().map(|id| id.as_str()).collect();
            self.bar.set_message(names.join(" · "));
        }
    }

    /// Clears the line, leaving the report alone on the screen.
    pub(crate) fn done(&self) {
        self.bar.finish_and_clear();
    }
}

impl Watch for Progress {
    fn started(&self, id: CheckId) {
        if let Ok(mut running) = self.running.lock() {
            running.push(id);
        }
        self.show();
    }

    fn finished(&self, id: CheckId) {
        if let Ok(mut running) = self.running.lock() {
            running.retain(|r| *r != id);
        }
        self.show();
    }
}
