//! Configuration hygiene: documented environment, `.env` kept out of version control.

mod env_example;
mod env_ignored;

use std::sync::Arc;

use gonogo_engine::catalogue::Check;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![
        Arc::new(env_example::EnvExample),
        Arc::new(env_ignored::EnvIgnored),
    ]
}
