//! `compose.no-plaintext-secrets` — no credential is written in a Compose file's
//! `environment` (or build args).

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::docker_no_secrets_in_image::{ABSENCE_WORDS, SECRET_ALLOWED, SECRET_WORDS};
use super::{
    Subject, bind_claim, masked, no_compose, over_services, secret_literal, service_label,
};
use crate::wording::has_any;
use crate::yaml::{self, Node};

pub struct ComposeNoPlaintextSecrets;

static META: CheckMeta = CheckMeta {
    id: "compose.no-plaintext-secrets",
    title: "No plaintext secrets in Compose files",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "No service of a Compose file sets a credential-named variable (password, token, \
               secret, API key…) in `environment` or `build.args` to a literal value, or any \
               value shaped like a known token or a URL with a password. `${VAR}` \
               interpolation is fine; a literal default in `${VAR:-default}` is not.",
        why: "A Compose file is committed and copied around: a password in it is readable by \
              everyone with the repository, stays in git history, and usually ends up being \
              the production password too.",
        fix: "Interpolate from the environment (`DB_PASSWORD: ${DB_PASSWORD:?set it}`) with \
              the values in an untracked .env, or use Compose `secrets:` mounted as files \
              (`DB_PASSWORD_FILE: /run/secrets/db_password`).",
        example: "services:\n  db:\n    image: postgres:16.4\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db_password\n    secrets: [db_password]",
        binds: &[
            "No plaintext secrets in docker-compose environment",
            "docker-compose.yml contains no hardcoded passwords",
            "No secrets in Docker Compose files",
        ],
        not_binds: &[
            "No secrets in code",
            "No secrets in images",
            "Secrets management planned",
        ],
    },
};

/// `environment:` / `args:` as (key, value, line): a mapping or a list of `KEY=VALUE`.
pub(crate) fn pairs(node: &Node) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    for (k, v) in yaml::entries(node) {
        if let (Some(key), Some(val)) = (yaml::as_str(k), yaml::as_str(v)) {
            out.push((key, val, yaml::line(k)));
        }
    }
    for item in yaml::items(node) {
        if let Some(s) = yaml::as_str(item)
            && let Some((k, v)) = s.split_once('=')
        {
            out.push((k.trim().to_string(), v.to_string(), yaml::line(item)));
        }
    }
    out
}

#[async_trait::async_trait]
impl Check for ComposeNoPlaintextSecrets {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        crate::wording::triggers_of(&[SECRET_WORDS])
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let claim = has_any(lower, SECRET_WORDS) && has_any(lower, ABSENCE_WORDS);
        // The claim is cheap to rule out; what the item is about costs more.
        if !claim {
            return BindVerdict::No;
        }
        let s = Subject::of(view);
        let mut allowed = SECRET_ALLOWED.to_vec();
        allowed.extend_from_slice(&["environment", "env", "variables", "files", "file"]);
        bind_claim(
            view,
            claim,
            s.compose && !s.orchestrator,
            &allowed,
            "wording says Compose files hold no plaintext secrets",
        )
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let Some(f) = over_services(&ctx, |rel, s, f| {
            let mut sources: Vec<(&str, &Node)> = Vec::new();
            if let Some(env) = yaml::get(s.node, "environment") {
                sources.push(("environment", env));
            }
            if let Some(args) = yaml::path(s.node, &["build", "args"]) {
                sources.push(("build.args", args));
            }
            for (what, node) in sources {
                for (k, v, line) in pairs(node) {
                    if let Some(why) = secret_literal(&k, &v) {
                        f.problem_at(
                            &service_label(rel, s),
                            rel,
                            Some(line),
                            format!("service {} {what}: {k}={}: {why}", s.name, masked(&v)),
                        );
                    }
                }
            }
        }) else {
            return no_compose();
        };
        f.outcome(
            "Compose service",
            "no credential written in environment or build args",
            "a secret is written in the Compose file; interpolate `${VAR}` or use `secrets:`",
        )
    }
}
