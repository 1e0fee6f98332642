//! The progress line on a terminal: how many checks are done of how many, the time so
//! far, and the names of those running (`⠋ 9/24 (1.2 s) · mp.token, altinn.system-user`),
//! cut to the terminal's width (indicatif, on stderr; gone when the run ends).

use std::sync::Mutex;
use std::time::Duration;

use crate::engine::{CheckId, Watch};

/// A spinner whose message is the running checks' IDs.
pub(crate) struct Progress {
    bar: indicatif::ProgressBar,
    running: Mutex<Vec<CheckId>>,
}

impl Progress {
    pub(crate) fn new(total: usize) -> Progress {
        let bar = indicatif::ProgressBar::with_draw_target(Some(total as u64), indicatif::ProgressDrawTarget::stderr());
        let style = indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} ({seconds}) · {wide_msg}")
            .map(|s| {
                s.with_key("seconds", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.1} s", state.elapsed().as_secs_f64());
                })
            })
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(100));
        Progress { bar, running: Mutex::new(Vec::new()) }
    }

    fn show(&self) {
        if let Ok(running) = self.running.lock() {
            let names: Vec<&str> = running.iter().map(|id| id.as_str()).collect();
            self.bar.set_message(names.join(", "));
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
        self.bar.inc(1);
        self.show();
    }

    fn decided(&self, _id: CheckId) {
        self.bar.inc(1);
    }
}
