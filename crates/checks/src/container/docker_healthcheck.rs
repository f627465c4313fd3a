//! `docker.healthcheck` — the image each Dockerfile builds declares a HEALTHCHECK.

use std::collections::HashMap;
use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::dockerfile::Dockerfile;
use super::{
    LIVE_WORDS, Subject, bind_claim, built_dockerfile, compose_files, no_dockerfile,
    over_dockerfiles, services,
};
use crate::wording::has_any;
use crate::yaml;

pub struct Healthcheck;

static META: CheckMeta = CheckMeta {
    id: "docker.healthcheck",
    title: "Dockerfiles declare a HEALTHCHECK",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "The final stage of every Dockerfile has a `HEALTHCHECK CMD …` (its own or the \
               stage it builds on), and not `HEALTHCHECK NONE`. A Compose service that builds \
               the Dockerfile and defines its own `healthcheck:` counts too.",
        why: "Without a health check, Docker and Compose report a hung or half-started \
              container as running: restarts, `depends_on: service_healthy` and rolling \
              updates act on a process that is alive but not serving.",
        fix: "Add `HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:8080/health || exit 1` \
              (or an equivalent probe binary) to the final stage.",
        example: "FROM nginx:1.27\nHEALTHCHECK --interval=30s CMD curl -fsS http://localhost/ || exit 1",
        binds: &[
            "Dockerfile has HEALTHCHECK",
            "HEALTHCHECK instruction in every Dockerfile",
            "Docker health checks configured",
            "Container images define a health check",
            "Add a HEALTHCHECK",
        ],
        not_binds: &[
            "Health checks passing",
            "Deployment with health/readiness probes",
            "Docker Compose services have healthchecks",
            "Model inference cluster healthchecks passing",
        ],
    },
};

pub(crate) const HEALTH_WORDS: &[&str] = &[
    "healthcheck",
    "healthchecks",
    "health check",
    "health checks",
    "health-check",
    "health-checks",
    "healthchecking",
];

/// Whether the final stage has a HEALTHCHECK: `Some(true)` a check, `Some(false)` NONE,
/// `None` nothing; with the line.
pub(crate) fn final_healthcheck(df: &Dockerfile) -> (Option<bool>, Option<usize>) {
    let mut i = df.stages.len() - 1;
    loop {
        let stage = &df.stages[i];
        if let Some(ins) = df
            .stage_instructions(stage)
            .iter()
            .rev()
            .find(|ins| ins.keyword == "HEALTHCHECK")
        {
            let none = ins.args.trim().eq_ignore_ascii_case("none");
            return (Some(!none), Some(ins.line));
        }
        match df.parent_stage(i) {
            Some(p) => i = p,
            None => return (None, None),
        }
    }
}

#[async_trait::async_trait]
impl Check for Healthcheck {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        crate::wording::triggers_of(&[HEALTH_WORDS])
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let claim = has_any(view.lower, HEALTH_WORDS);
        // The claim is cheap to rule out; what the item is about costs more.
        if !claim {
            return BindVerdict::No;
        }
        let s = Subject::of(view);
        if claim && s.dockerfile_side() && has_any(view.lower, LIVE_WORDS) {
            return BindVerdict::Declined {
                why: "the item is about health checks passing on a running deployment; this \
                      check reads the Dockerfile"
                    .into(),
                candidates: Vec::new(),
            };
        }
        // HEALTHCHECK in capitals is the Dockerfile instruction, whatever else is named.
        let instruction = view
            .item
            .text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| w == "HEALTHCHECK");
        bind_claim(
            view,
            claim,
            s.dockerfile_side() || (instruction && !s.orchestrator && !s.compose),
            &[
                "healthcheck",
                "healthchecks",
                "cmd",
                "curl",
                "curls",
                "probe",
                "probes",
                "alive",
                "status",
                "route",
                "hits",
                "healthz",
                "ping",
                "endpoint",
                "unhealthy",
                "visible",
                "stage",
                "final",
                "baked",
                "defined",
                "tells",
                "how",
                "health",
                "check",
                "checks",
                "health-check",
                "health-checks",
                "define",
                "defines",
                "declare",
                "declares",
                "has",
                "have",
                "in",
            ],
            "wording asks for a container health check",
        )
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        // Compose services that build a Dockerfile and define their own healthcheck.
        let mut from_compose: HashMap<String, (String, usize)> = HashMap::new();
        for entry in compose_files(&ctx).iter() {
            let Ok(y) = entry.yaml.as_ref() else { continue };
            for s in services(y) {
                if let (Some(df), Some(hc)) = (
                    built_dockerfile(&entry.rel, s.node),
                    yaml::get(s.node, "healthcheck"),
                ) && !super::compose_healthchecks::disabled(hc)
                {
                    from_compose.insert(df, (entry.rel.clone(), yaml::line(hc)));
                }
            }
        }
        let Some(f) = over_dockerfiles(&ctx, |rel, df, f| match final_healthcheck(df) {
            (Some(true), line) => f.note(rel, line, "HEALTHCHECK in the final stage"),
            (Some(false), line) => f.problem(rel, line, "HEALTHCHECK NONE disables the check"),
            (None, _) => match from_compose.get(rel) {
                Some((compose, line)) => f.note(
                    compose,
                    Some(*line),
                    format!(
                        "no HEALTHCHECK in {rel}, but the Compose service building it defines one"
                    ),
                ),
                None => f.problem(
                    rel,
                    Some(df.stages[df.stages.len() - 1].line),
                    "the final stage has no HEALTHCHECK",
                ),
            },
        }) else {
            return no_dockerfile();
        };
        f.outcome(
            "Dockerfile",
            "the final stage declares a HEALTHCHECK",
            "no HEALTHCHECK in the final stage; add `HEALTHCHECK CMD <probe>`",
        )
    }
}
