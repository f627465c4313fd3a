//! Configuration hygiene: documented environment, `.env` kept out of version control.

mod env_documented;
mod env_example;
mod env_ignored;
mod env_not_committed;
mod no_plaintext_secrets;

use std::sync::Arc;

use gonogo_engine::catalogue::Check;

/// Whether a word of an item names a dotenv file a team keeps out of git: `.env`, a pattern
/// for them all (`.env.*`), or one environment's (`.env.production`, `.env.local`); an
/// example, sample or template is meant to be committed.
pub(crate) fn names_env_file(word: &str) -> bool {
    let word = word.trim_end_matches(['.', ':', '!', '?']);
    matches!(word, ".env" | ".env.*" | ".env*" | "*.env")
        || word.strip_prefix(".env.").is_some_and(|which| {
            !which.is_empty()
                && which
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && !matches!(
                    which,
                    "example" | "sample" | "template" | "dist" | "defaults"
                )
        })
}

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![
        Arc::new(env_documented::EnvDocumented),
        Arc::new(env_example::EnvExample),
        Arc::new(env_ignored::EnvIgnored),
        Arc::new(env_not_committed::EnvNotCommitted),
        Arc::new(no_plaintext_secrets::NoPlaintextSecretsInConfig),
    ]
}

#[cfg(test)]
mod tests {
    use super::names_env_file;

    #[test]
    fn an_environment_s_dotenv_file_is_a_dotenv_file_but_its_example_is_not() {
        for w in [
            ".env",
            ".env.*",
            ".env.production",
            ".env.local",
            ".env.prod.",
        ] {
            assert!(names_env_file(w), "{w}");
        }
        for w in [
            ".env.example",
            ".env.sample",
            ".environment",
            "env",
            ".envrc",
        ] {
            assert!(!names_env_file(w), "{w}");
        }
    }
}
