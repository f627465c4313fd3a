//! A progress bar on stderr while checks run, only when stderr is a terminal.

use std::io::IsTerminal;

use gonogo_engine::run::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    pub fn new(enabled: bool) -> Self {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let b = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            b.set_style(
                ProgressStyle::with_template("{spinner} checking {pos}/{len} {wide_msg}")
                    .expect("progress template"),
            );
            b
        });
        Bar { bar }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn start(&self, total: usize) {
        if let Some(b) = &self.bar {
            b.set_length(total as u64);
            b.enable_steady_tick(std::time::Duration::from_millis(120));
        }
    }

    fn finished(&self, check_id: &str) {
        if let Some(b) = &self.bar {
            b.inc(1);
            b.set_message(check_id.to_string());
        }
    }
}
