//! Configuration hygiene: documented environment, `.env` kept out of version control.

mod env_documented;
mod env_example;
mod env_ignored;
mod env_not_committed;
mod no_plaintext_secrets;

use std::sync::Arc;

use gonogo_engine::catalogue::Check;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![
        Arc::new(env_documented::EnvDocumented),
        Arc::new(env_example::EnvExample),
        Arc::new(env_ignored::EnvIgnored),
        Arc::new(env_not_committed::EnvNotCommitted),
        Arc::new(no_plaintext_secrets::NoPlaintextSecretsInConfig),
    ]
}
