//! `config.no-plaintext-secrets-in-config` — production configuration files hold no
//! plaintext secrets.

use std::sync::{Arc, LazyLock};

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::redact::mask;
use regex::Regex;

use crate::wording::{has_any, human_act};

pub struct NoPlaintextSecretsInConfig;

static META: CheckMeta = CheckMeta {
    id: "config.no-plaintext-secrets-in-config",
    title: "No plaintext secrets in production configuration files",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "Configuration files meant for production — YAML, JSON, TOML, INI, .conf, \
               .properties and .env files whose name or folder says prod/production/live \
               (config/app.production.yaml, docker-compose.prod.yml, values-prod.yaml, \
               .env.production) — have no secret-named key (password, secret, token, api_key, \
               private_key, credentials…) with a literal value. References (`${VAR}`, \
               `{{ … }}`, `<placeholder>`, `CHANGEME`, `vault:`, `secretKeyRef`, empty values) \
               pass. When no file is named for production, the application's settings \
               files that name no stage (config/settings.yaml, application.yml, \
               appsettings.json, files under config/) are read instead: they are what \
               production runs with. Values are never printed whole.",
        why: "A password in a committed production file is readable by everyone with access to \
              the repository, its forks, clones and CI logs, and stays in history after it is \
              removed.",
        fix: "Replace the value with a reference (`password: ${DB_PASSWORD}`, a Kubernetes \
              secretKeyRef, a Vault path), rotate the exposed secret, and purge it from history.",
        example: "config/app.production.yaml:\n  database:\n    password: ${DATABASE_PASSWORD}",
        binds: &[
            "No plaintext secrets in production config",
            "Production config files contain no secrets",
            "No secrets in configuration files",
        ],
        not_binds: &[
            "No secrets in code",
            "No secrets in images",
            "Production configuration file reviewed (`config/qbitel.production.yaml`)",
        ],
    },
};

static KEY_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)^\s*-?\s*["']?([A-Za-z0-9_.\-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key|credentials?|auth[_-]?key|client[_-]?secret|dsn)[A-Za-z0-9_.\-]*)["']?\s*[:=]\s*(.*?)\s*,?\s*$"#).expect("regex")
});

fn is_production_file(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let config_ext = matches!(
        ext,
        "yaml" | "yml" | "json" | "toml" | "ini" | "conf" | "cfg" | "properties" | "env"
    ) || name.starts_with(".env.");
    if !config_ext
        || name.contains("example")
        || name.contains("sample")
        || name.contains("template")
    {
        return false;
    }
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| matches!(w, "prod" | "production" | "live" | "prd"))
}

/// An application's settings file that names no stage (`config/settings.yaml`,
/// `application.yml`, `appsettings.json`, `config/default.toml`): when no file is named for
/// production, this is what production runs with.
fn is_unstaged_settings_file(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let (stem, ext) = name.split_once('.').unwrap_or((name, ""));
    let ext = ext.rsplit('.').next().unwrap_or(ext);
    if !matches!(
        ext,
        "yaml" | "yml" | "json" | "toml" | "ini" | "conf" | "cfg" | "properties"
    ) {
        return false;
    }
    // `config/`, `backend/config/`: the app's settings folder, not a package named config
    // deep in the source (`internal/config/` holds code and schemas).
    let dirs: Vec<&str> = lower.split('/').collect();
    let in_config_dir = dirs[..dirs.len() - 1]
        .iter()
        .take(2)
        .any(|d| matches!(*d, "config" | "configs" | "conf" | "settings"))
        && !dirs
            .iter()
            .any(|d| matches!(*d, "internal" | "pkg" | "src" | "lib"));
    let settings_name = matches!(
        stem,
        "application" | "appsettings" | "settings" | "config" | "configuration"
    );
    let staged = lower.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
        matches!(
            w,
            "dev"
                | "development"
                | "test"
                | "tests"
                | "testing"
                | "local"
                | "staging"
                | "stage"
                | "ci"
                | "example"
                | "sample"
                | "template"
                | "docker"
                | "e2e"
                | "qa"
        )
    });
    (settings_name || in_config_dir) && !staged
}

/// Whether a value is a reference or placeholder rather than a secret.
fn is_reference(v: &str) -> bool {
    let t = v.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    let l = t.to_ascii_lowercase();
    t.len() < 6
        || t.contains("${")
        || t.contains("{{")
        || t.starts_with('$')
        || t.starts_with('<')
        || t.starts_with('%')
        || t.starts_with('!')
        || t.starts_with('{')
        || t.starts_with('[')
        || t.starts_with('&')
        || t.starts_with('*')
        || t.starts_with('#')
        || t.starts_with('|')
        || t.starts_with('>')
        || [
            "changeme",
            "change_me",
            "change-me",
            "replace",
            "placeholder",
            "your-",
            "your_",
            "xxx",
            "***",
            "vault:",
            "secretkeyref",
            "valuefrom",
            "env:",
            "arn:aws:secretsmanager",
            "projects/",
            "ref+",
            "file:",
            "/run/secrets/",
            "/etc/",
            "/var/",
            "todo",
            "none",
            "null",
            "true",
            "false",
            "redacted",
            "example",
        ]
        .iter()
        .any(|p| l.contains(p))
        || l.ends_with("_file")
        || l.ends_with("_env")
}

#[async_trait::async_trait]
impl Check for NoPlaintextSecretsInConfig {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["secret", "password", "credential"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let secrets = has_any(
            lower,
            &[
                "secrets",
                "secret",
                "passwords",
                "credentials",
                "plaintext secrets",
            ],
        );
        let config = has_any(
            lower,
            &[
                "config",
                "configuration",
                "config files",
                "configuration files",
                "production config",
            ],
        );
        let negated = has_any(
            lower,
            &["no", "not", "without", "never", "contain no", "free of"],
        );
        if !(secrets && config && negated) {
            return BindVerdict::No;
        }
        let b = AutoBinding::new("wording says configuration files hold no secrets");
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement"),
                candidates: vec![b],
            };
        }
        // "not in code/config" also claims the code; that is the secret scanners' item.
        if has_any(
            lower,
            &[
                "code", "source", "images", "manager", "vault", "stored", "kms",
            ],
        ) {
            return BindVerdict::Declined {
                why: "the item claims more than configuration files (code, images or a secrets store)".into(),
                candidates: vec![b],
            };
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let product =
            |rel: &str| !crate::repo::is_fixture(rel) && gonogo_engine::scope::of(rel).is_product();
        let index = ctx.repo_index();
        let mut files: Vec<String> = index
            .files
            .iter()
            .filter(|f| is_production_file(&f.rel) && product(&f.rel))
            .map(|f| f.rel.clone())
            .collect();
        // No file named for production: the settings files that name no stage are the ones
        // production reads.
        let unstaged = files.is_empty();
        if unstaged {
            files = index
                .files
                .iter()
                .filter(|f| is_unstaged_settings_file(&f.rel) && product(&f.rel))
                .map(|f| f.rel.clone())
                .collect();
        }
        if files.is_empty() {
            return Outcome::skipped(
                "no production configuration file (a config file named or placed under \
                 prod/production) and no application settings file (config/, settings.*, \
                 application.*, appsettings.*)",
            );
        }
        let mut found = Vec::new();
        for rel in &files {
            let text = ctx.text(rel);
            let Ok(t) = text.as_ref() else { continue };
            for (i, line) in t.text.lines().enumerate() {
                let Some(c) = KEY_VALUE.captures(line) else {
                    continue;
                };
                let key = c.get(1).map_or("", |m| m.as_str());
                let value = c.get(2).map_or("", |m| m.as_str());
                let value = value.split(" #").next().unwrap_or(value);
                if key.to_ascii_lowercase().ends_with("_file")
                    || key.to_ascii_lowercase().contains("path")
                    || is_reference(value)
                {
                    continue;
                }
                let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
                found.push(Evidence::at(
                    rel.clone(),
                    Some(i + 1),
                    format!("{key} = {}", mask(v)),
                ));
            }
        }
        if found.is_empty() {
            return Outcome::pass(format!(
                "{} {} file{} hold no literal secret values{}",
                files.len(),
                if unstaged {
                    "settings"
                } else {
                    "production config"
                },
                if files.len() == 1 { "" } else { "s" },
                if unstaged {
                    format!(
                        " ({})",
                        files.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                    )
                } else {
                    String::new()
                }
            ));
        }
        let mut o = Outcome::fail(format!(
            "{} plaintext secret value{} in production config (first: {}:{}): replace with references and rotate them",
            found.len(),
            if found.len() == 1 { "" } else { "s" },
            found[0].file.as_deref().unwrap_or(""),
            found[0].line.unwrap_or(0)
        ));
        for e in found.into_iter().take(20) {
            o = o.with_evidence(e);
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unstaged_settings_files() {
        assert!(is_unstaged_settings_file("config/settings.yaml"));
        assert!(is_unstaged_settings_file(
            "src/main/resources/application.yml"
        ));
        assert!(is_unstaged_settings_file("appsettings.json"));
        assert!(!is_unstaged_settings_file("config/settings.dev.yaml"));
        assert!(!is_unstaged_settings_file(
            "src/main/resources/application-test.yml"
        ));
        assert!(!is_unstaged_settings_file("package.json"));
        assert!(!is_unstaged_settings_file("config/app.rb"));
    }

    #[test]
    fn production_files_and_references() {
        assert!(is_production_file("config/qbitel.production.yaml"));
        assert!(is_production_file("deploy/prod/values.yaml"));
        assert!(is_production_file(".env.production"));
        assert!(!is_production_file("config/dev.yaml"));
        assert!(!is_production_file("src/production.rs"));
        assert!(!is_production_file(".env.production.example"));
        assert!(is_reference("${DB_PASSWORD}"));
        assert!(is_reference("\"<from-secrets-manager>\""));
        assert!(is_reference(""));
        assert!(!is_reference("\"S3cr3t-Pa55word!\""));
    }
}
