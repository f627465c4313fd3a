//! `docker.non-root-user` — the final stage of every Dockerfile runs as a user other than root.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::dockerfile::{Dockerfile, expand};
use super::{Subject, bind_claim, no_dockerfile, over_dockerfiles};
use crate::wording::has_any;

pub struct NonRootUser;

static META: CheckMeta = CheckMeta {
    id: "docker.non-root-user",
    title: "Containers run as a non-root user",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "In every Dockerfile, the final stage (the image that ships) sets `USER` to a \
               user other than root or UID 0, directly or through the stage it builds on. ARG \
               and ENV values are expanded; a user chosen only at build time is noted, not \
               failed.",
        why: "A process running as root inside a container turns any code-execution bug into \
              root on the container, one kernel or runtime flaw away from root on the host.",
        fix: "Create an unprivileged user and switch to it at the end of the final stage: \
              `RUN useradd --uid 10001 --no-create-home app` then `USER 10001`.",
        example: "FROM python:3.12-slim\nRUN useradd --uid 10001 app\nCOPY . /app\nUSER app\nCMD [\"python\", \"/app/main.py\"]",
        binds: &[
            "Non-root container user",
            "Containers run as non-root",
            "Dockerfile sets a non-root USER",
            "Docker image does not run as root",
            "USER instruction in Dockerfile is not root",
            "Non-root user",
        ],
        not_binds: &[
            "Pods run as non-root (securityContext)",
            "Non-root database user for the application",
            "Containers run as non-root with a read-only root filesystem",
            "Database is not root-owned",
            "Non-root user for SSH on the hosts",
            "The Docker daemon runs as a non-root user",
            "Run Docker in rootless mode",
        ],
    },
};

const CLAIM: &[&str] = &[
    "non-root",
    "nonroot",
    "non root",
    "rootless",
    "unprivileged user",
    "least-privileged user",
    "not run as root",
    "not running as root",
    "never run as root",
    "never runs as root",
    "not as root",
    "not root",
    "isn't root",
];

/// The effective user of stage `i` (the last USER, or its parent stage's), expanded, with
/// the line that set it and any variables left unresolved.
fn effective_user(df: &Dockerfile, i: usize) -> Option<(String, usize, Vec<String>)> {
    let stage = &df.stages[i];
    let pos = (stage.from + 1..stage.end)
        .rev()
        .find(|&k| df.instructions[k].keyword == "USER");
    match pos {
        Some(k) => {
            let ins = &df.instructions[k];
            let e = expand(ins.args.trim(), &df.vars_at(i, k));
            Some((e.text, ins.line, e.unresolved))
        }
        None => df.parent_stage(i).and_then(|p| effective_user(df, p)),
    }
}

fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name.eq_ignore_ascii_case("root") || name == "0"
}

#[async_trait::async_trait]
impl Check for NonRootUser {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        crate::wording::triggers_of(&[CLAIM])
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        // Pod security-context fields name Kubernetes, not a Dockerfile's USER; the Docker
        // daemon running rootless ("Docker in rootless mode") is the host's setting, not the
        // image's.
        if has_any(
            view.lower,
            &[
                "runasuser",
                "runasnonroot",
                "securitycontext",
                "daemon",
                "dockerd",
                "docker engine",
            ],
        ) || (has_any(view.lower, &["rootless"])
            && !has_any(
                view.lower,
                &[
                    "container",
                    "containers",
                    "image",
                    "images",
                    "process",
                    "processes",
                ],
            ))
        {
            return BindVerdict::No;
        }
        let s = Subject::of(view);
        bind_claim(
            view,
            has_any(view.lower, CLAIM),
            s.dockerfile_side() || s.unnamed(view),
            &[
                "non-root",
                "nonroot",
                "non",
                "root",
                "rootless",
                "unprivileged",
                "least-privileged",
                "user",
                "users",
                "run",
                "runs",
                "running",
                "as",
                "process",
                "processes",
            ],
            "wording says containers run as a non-root user",
        )
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let Some(f) = over_dockerfiles(&ctx, |rel, df, f| {
            let last = df.stages.len() - 1;
            match effective_user(df, last) {
                Some((_, line, unresolved)) if !unresolved.is_empty() => f.note(
                    rel,
                    Some(line),
                    format!(
                        "USER is set at build time from {}; not judged",
                        unresolved.join(", ")
                    ),
                ),
                Some((user, line, _)) if is_root(&user) => f.problem(
                    rel,
                    Some(line),
                    format!("the final stage switches to USER {user}"),
                ),
                Some((user, line, _)) => f.note(rel, Some(line), format!("USER {user}")),
                None => {
                    let image = df.expand_from(last).text;
                    if image.contains("nonroot") {
                        f.note(
                            rel,
                            Some(df.stages[last].line),
                            format!("no USER, but the base image `{image}` runs as nonroot"),
                        );
                    } else {
                        f.problem(
                            rel,
                            Some(df.stages[last].line),
                            format!(
                                "the final stage (FROM {image}) never sets USER, so it runs as root"
                            ),
                        );
                    }
                }
            }
        }) else {
            return no_dockerfile();
        };
        f.outcome(
            "Dockerfile",
            "the final stage runs as a non-root user",
            "the final stage runs as root; add `USER <non-root user>` at its end",
        )
    }
}
