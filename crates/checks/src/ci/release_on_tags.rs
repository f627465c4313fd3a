//! `ci.release-on-tags` — a workflow triggered by tags builds and publishes a release.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::{bind_step, kinds, model, no_pipelines};
use crate::wording::has_any;

pub struct ReleaseOnTags;

const TAG_WORDS: &[&str] = &[
    "tag",
    "tags",
    "tagged",
    "tagging",
    "tag-triggered",
    "tag-based",
    "tag push",
    "version tag",
    "version tags",
    "git tag",
    "git tags",
];

const RELEASE_WORDS: &[&str] = &[
    "release",
    "releases",
    "released",
    "releasing",
    "goreleaser",
    "semantic-release",
];

/// Building and shipping what a release is.
const SHIP_WORDS: &[&str] = &[
    "build",
    "builds",
    "built",
    "publish",
    "publishes",
    "published",
    "publishing",
    "artifact",
    "artifacts",
    "artefact",
    "artefacts",
    "push",
    "cut",
    "cuts",
    "deploy",
    "deploys",
];

/// Triggers that say a tag was pushed, not that anything followed.
const WEAK_TRIGGERS: &[&str] = &["pushing", "pushed", "kicks", "kick", "off", "starts"];

/// Words that make the tag what starts the release.
const TRIGGERED: &[&str] = &[
    "on",
    "from",
    "when",
    "whenever",
    "triggered",
    "triggers",
    "trigger",
    "tag-triggered",
    "tag-based",
    "tag push",
    "pushing",
    "pushed",
    "kicks",
    "kick",
    "off",
    "starts",
    "automatically",
    "automatic",
    "automated",
    "workflow",
    "workflows",
    "pipeline",
    "job",
    "automation",
];

static META: CheckMeta = CheckMeta {
    id: "ci.release-on-tags",
    title: "A release workflow runs on tags, builds and publishes",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A GitHub Actions workflow triggered by pushed tags (`on: push: tags:`) or a \
               published release, or a GitLab job limited to tags (`only: [tags]`, \
               `rules: - if: $CI_COMMIT_TAG`), has a build step (cargo build, docker build, \
               python -m build, npm run build, go build…) and a publish step (docker push, \
               build-push-action, cargo/npm publish, twine upload, pypi-publish, goreleaser, \
               action-gh-release, gh release create…) in the same workflow.",
        why: "A release built by hand from someone's laptop cannot be reproduced or audited; a \
              tag-triggered workflow makes every release the same, traceable build.",
        fix: "Add .github/workflows/release.yml with `on: {push: {tags: ['v*']}}` that builds \
              the artifact and publishes it (registry push, package upload or GitHub release).",
        example: "on:\n  push:\n    tags: ['v*']\njobs:\n  release:\n    steps:\n      - uses: actions/checkout@<sha>\n      - run: cargo build --release\n      - uses: softprops/action-gh-release@<sha>",
        binds: &[
            "Release workflow triggered by tags",
            "Release pipeline builds and publishes on tag",
            "Tag-triggered release workflow configured",
            "Releases are cut from version tags",
            "Pushing a v* tag builds and publishes the release",
            "goreleaser runs on tags",
            "Packages published to npm automatically when a tag is pushed",
        ],
        not_binds: &[
            "Release automation validated (tag -> build -> publish to artifacts storage).",
            "Tag release",
            "Docker image built",
            "Releases are tagged in git",
            "Images tagged with the commit SHA",
            "Release notes written for every tag",
            "Release on tags after manual approval",
            "Git tag pushed for the release",
        ],
    },
};

#[async_trait::async_trait]
impl Check for ReleaseOnTags {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["tag"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(lower, TAG_WORDS) {
            return BindVerdict::No;
        }
        let release = has_any(lower, RELEASE_WORDS);
        let ships = has_any(lower, SHIP_WORDS);
        if !release && !ships {
            return BindVerdict::No;
        }
        // What an image is tagged with is `ci.image-tags`'s ("image pushed with the sha tag").
        if !release && has_any(lower, &["image", "images", "container", "docker"]) {
            return BindVerdict::No;
        }
        // A tag must start the release: "on tags", "from version tags", "pushing a tag cuts a
        // release", "tag-triggered". "Releases are tagged" or "tag the release" is a
        // practice, not a workflow.
        // Pushing a tag starts a release only when something follows from it: "pushing a tag
        // builds and publishes", not "git tag pushed for the release" (a person's step).
        let pushed_only = !has_any(lower, TRIGGERED)
            || (!ships
                && !has_any(
                    lower,
                    TRIGGERED
                        .iter()
                        .filter(|t| !WEAK_TRIGGERS.contains(t))
                        .copied()
                        .collect::<Vec<_>>()
                        .as_slice(),
                ));
        if pushed_only {
            return BindVerdict::No;
        }
        // "manual approval", "by hand": unless said to be without them.
        if has_any(lower, &["manual", "manually", "hand"])
            && !has_any(lower, &["without", "no", "never"])
        {
            return BindVerdict::Declined {
                why: "a manual step is asked; a workflow file does not show it".into(),
                candidates: vec![AutoBinding::new(
                    "wording asks for a tag-triggered release workflow",
                )],
            };
        }
        let mut allowed: Vec<&str> = TAG_WORDS.to_vec();
        allowed.extend_from_slice(SHIP_WORDS);
        allowed.extend_from_slice(TRIGGERED);
        allowed.extend_from_slice(&[
            "automation",
            "storage",
            "registry",
            "->",
            "without",
            "manual",
            "no",
            "them",
            "version",
            "semver",
            "semantic",
            "v",
            "new",
            "pypi",
            "npm",
            "crates.io",
            "ghcr",
            "docker",
            "hub",
            "goreleaser",
            "semantic-release",
        ]);
        let names: Vec<&str> = [TAG_WORDS, RELEASE_WORDS, SHIP_WORDS].concat();
        bind_step(
            lower,
            &names,
            &allowed,
            AutoBinding::new("wording asks for a tag-triggered release workflow"),
        )
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let p = model::pipelines(&ctx);
        if let Some(o) = no_pipelines(&p) {
            return o;
        }
        let mut partial: Option<String> = None;
        let mut tagged = 0;
        for pl in &p.list {
            let jobs: Vec<&model::Job> = pl
                .jobs
                .iter()
                // Only tags asked for explicitly: a bare `on: push` or an unruled GitLab job
                // also runs on tags, but is a build, not a release.
                .filter(|j| match pl.provider {
                    model::Provider::GitHub => pl.triggers.tags,
                    model::Provider::GitLab => j.triggers.as_ref().is_some_and(|t| t.tags),
                })
                .collect();
            if jobs.is_empty() {
                continue;
            }
            let steps: Vec<&model::Step> = jobs.iter().flat_map(|j| &j.steps).collect();
            let publish = steps
                .iter()
                .find_map(|s| kinds::publish(s).map(|w| (w, s.line)));
            let Some((pw, pl_line)) = publish else {
                if pl.provider == model::Provider::GitHub && pl.triggers.tags {
                    tagged += 1;
                    partial.get_or_insert(format!("{} runs on tags but publishes nothing", pl.rel));
                }
                continue;
            };
            tagged += 1;
            let build = steps
                .iter()
                .find_map(|s| kinds::build(s).map(|w| (w, s.line)));
            let Some((bw, bl)) = build else {
                partial.get_or_insert(format!("{} publishes ({pw}) but has no build step", pl.rel));
                continue;
            };
            return Outcome::pass(format!(
                "{} builds ({bw}) and publishes ({pw}) on tags",
                pl.rel
            ))
            .with_evidence(gonogo_engine::catalogue::Evidence::at(
                pl.rel.clone(),
                Some(bl),
                format!("build: {bw}"),
            ))
            .with_evidence(gonogo_engine::catalogue::Evidence::at(
                pl.rel.clone(),
                Some(pl_line),
                format!("publish: {pw}"),
            ));
        }
        Outcome::fail(match partial {
            Some(why) => format!("{why}: a tag-triggered workflow must build and publish the release"),
            None if tagged == 0 => "no workflow runs on tags: add a release workflow with `on: {push: {tags: ['v*']}}` that builds and publishes".to_string(),
            None => "no tag-triggered workflow builds and publishes a release".to_string(),
        })
    }
}
