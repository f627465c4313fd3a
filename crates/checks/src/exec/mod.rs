//! Commands written in the checklist, run only with `--allow-exec`.

mod command;
mod expected;
mod process;
mod shell_words;

use std::sync::Arc;

use gonogo_engine::catalogue::Check;

pub use expected::{Expectation, Judgement, judge};
pub use process::{Ran, run_shell};

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![Arc::new(command::Command)]
}
