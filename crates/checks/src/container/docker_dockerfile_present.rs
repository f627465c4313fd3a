//! `docker.dockerfile-present` — the service has a Dockerfile (or another way to build its
//! image that the repository declares).

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::scope;

use super::{Subject, dockerfiles, is_dockerfile_name};
use crate::wording::{EXISTENCE, has_any, human_act, leftover};

pub struct DockerfilePresent;

/// Dockerfiles named one by one as evidence.
const MAX_SHOWN: usize = 10;

static META: CheckMeta = CheckMeta {
    id: "docker.dockerfile-present",
    title: "The service has a Dockerfile",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A Dockerfile or Containerfile of the product (not of tests, examples or a dev \
               container) exists and has a FROM instruction. Image builders that need no \
               Dockerfile count too when the repository configures them: Jib (Maven or Gradle \
               plugin), ko (`.ko.yaml`), Cloud Native Buildpacks (`project.toml`) and \
               Skaffold's `jib`, `ko` or `buildpacks` artifacts.",
        why: "Without a declared image build, what runs in production is whatever someone \
              built by hand: nothing reviews it, nothing rebuilds it when a base image is \
              patched.",
        fix: "Add a Dockerfile at the service's root (multi-stage, pinned base, non-root \
              user), or configure an image builder such as Jib or Buildpacks.",
        example: "FROM golang:1.23 AS build\n…\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app",
        binds: &[
            "Dockerfile exists",
            "Dockerfile created",
            "Application containerized",
            "Containerfile present for the service",
        ],
        not_binds: &[
            "Dockerfile uses a non-root user",
            "Docker image builds successfully",
            "Dockerfile reviewed by security",
            "Dockerfile optimized (multi-stage)",
        ],
    },
};

/// Words that make a Dockerfile ("Write a Dockerfile", "We have a Dockerfile").
const CREATE: &[&str] = &[
    "write", "written", "add", "create", "has", "have", "contains", "contain", "own",
];

/// Words an item may use beside the subject without claiming more than that it exists.
const ALLOWED: &[&str] = &[
    "dockerfile",
    "dockerfiles",
    "containerfile",
    "containerfiles",
    "docker",
    "container",
    "containerized",
    "containerization",
    "dockerized",
    "dockerization",
    "containerize",
    "dockerize",
    "application",
    "app",
    "service",
    "services",
    "project",
    "repo",
    "repository",
    "root",
    "for",
    "of",
    "with",
    "production",
    "deployable",
    "write",
    "written",
    "add",
    "create",
    "has",
    "have",
    "contains",
    "contain",
    "own",
    "its",
    "their",
    "we",
    "complete",
    "done",
    "ready",
    "each",
    "every",
    "all",
    "image",
    "images",
];

#[async_trait::async_trait]
impl Check for DockerfilePresent {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec![
            "dockerfile",
            "containerfile",
            "containerize",
            "dockerize",
            "containerized",
            "containerization",
            "dockerized",
            "dockerization",
        ]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let file = has_any(
            lower,
            &[
                "dockerfile",
                "dockerfiles",
                "containerfile",
                "containerfiles",
            ],
        );
        let state = has_any(
            lower,
            &[
                "containerize",
                "containerized",
                "containerization",
                "dockerize",
                "dockerized",
                "dockerization",
            ],
        );
        if !(file || state) || Subject::of(view).orchestrator || human_act(lower).is_some() {
            return BindVerdict::No;
        }
        // Anything beyond existence ("uses a non-root user", "builds") is another check's.
        let mut used = ALLOWED.to_vec();
        used.extend_from_slice(EXISTENCE);
        // Any word left is a claim about the image ("multi-stage", "slim"), not its existence.
        if !leftover(lower, &used).is_empty() {
            return BindVerdict::No;
        }
        // A bare "Dockerfile" is an item of its own only when the whole item says no more:
        // in "Dockerfile: pinned base, non-root" it is the subject of the other claims.
        let said = state || has_any(lower, EXISTENCE) || has_any(lower, CREATE);
        if !said && !leftover(&view.item.text.to_lowercase(), &used).is_empty() {
            return BindVerdict::No;
        }
        BindVerdict::Bind(vec![AutoBinding::new(
            "wording says the service has a Dockerfile",
        )])
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let files = dockerfiles(&ctx);
        let building: Vec<&str> = files
            .iter()
            .filter(|e| e.parsed.as_ref().is_ok_and(|d| !d.stages.is_empty()))
            .map(|e| e.rel.as_str())
            .collect();
        if !building.is_empty() {
            let mut out = Outcome::pass(format!(
                "{} Dockerfile(s) of the service: {}",
                building.len(),
                shown(&building)
            ));
            out.evidence = building
                .iter()
                .take(MAX_SHOWN)
                .map(|rel| Evidence::at(rel.to_string(), None, "builds an image (has FROM)"))
                .collect();
            return out;
        }
        if let Some((rel, how)) = image_builder(&ctx) {
            return Outcome::pass(format!("the image is built without a Dockerfile: {how}"))
                .with_evidence(Evidence::at(rel, None, how));
        }
        let index = ctx.repo_index();
        let elsewhere: Vec<&str> = index
            .find(|name, _| is_dockerfile_name(name))
            .filter(|f| !scope::of(&f.rel).is_product())
            .map(|f| f.rel.as_str())
            .collect();
        let mut out = Outcome::fail(
            "no Dockerfile or Containerfile of the service, and no image builder (Jib, ko, \
             Buildpacks) configured: add a Dockerfile at the service's root",
        );
        for e in files.iter() {
            let why = match &e.parsed {
                Ok(_) => "has no FROM instruction, so it builds nothing".to_string(),
                Err(err) => format!("could not be read: {err}"),
            };
            out.evidence.push(Evidence::at(e.rel.clone(), None, why));
        }
        if !elsewhere.is_empty() {
            out.evidence.push(Evidence::detail(format!(
                "only tests, examples or development tooling have one: {}",
                shown(&elsewhere)
            )));
        }
        out
    }
}

/// Up to five paths, then a count.
fn shown(rels: &[&str]) -> String {
    let mut s = rels.iter().take(5).copied().collect::<Vec<_>>().join(", ");
    if rels.len() > 5 {
        s.push_str(&format!(" and {} more", rels.len() - 5));
    }
    s
}

/// Image builders that need no Dockerfile: the files that configure them, what in them says
/// so (nothing: the file alone), and how the builder is named.
const BUILDERS: &[(&[&str], &[&str], &str)] = &[
    (&["pom.xml"], &["jib-maven-plugin"], "Jib (Maven plugin)"),
    (
        &["build.gradle", "build.gradle.kts"],
        &["com.google.cloud.tools.jib"],
        "Jib (Gradle plugin)",
    ),
    (&[".ko.yaml", ".ko.yml"], &[], "ko (.ko.yaml)"),
    (
        &["project.toml"],
        &["[_]", "[io.buildpacks]", "[[build.buildpacks]]"],
        "Cloud Native Buildpacks (project.toml)",
    ),
    (
        &["skaffold.yaml", "skaffold.yml"],
        &["jib:", "ko:", "buildpacks:"],
        "a Skaffold artifact built by Jib, ko or Buildpacks",
    ),
];

/// An image build the repository configures without a Dockerfile: file and description.
fn image_builder(ctx: &RunContext) -> Option<(String, &'static str)> {
    let index = ctx.repo_index();
    BUILDERS.iter().find_map(|(names, needles, how)| {
        let f = index
            .find(|name, rel| names.contains(&name) && scope::of(rel).is_product())
            .find(|f| {
                needles.is_empty()
                    || ctx
                        .text(&f.rel)
                        .as_ref()
                        .as_ref()
                        .is_ok_and(|t| needles.iter().any(|n| t.text.contains(n)))
            })?;
        Some((f.rel.clone(), *how))
    })
}
