//! `ci.image-tags` — CI publishes a container image, to the named registry, with the named tags.

use std::sync::{Arc, LazyLock};

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind, text_list,
};
use gonogo_engine::context::RunContext;
use regex::Regex;
use serde_json::Value;

use super::model::{self, command_lines, runs};
use crate::wording::{bind_unless_claims_more, has_any, human_act, leftover};

pub struct ImageTags;

static META: CheckMeta = CheckMeta {
    id: "ci.image-tags",
    title: "CI publishes the container image with the required tags",
    target: TargetKind::Repository,
    params: &[
        ParamSpec {
            name: "tags",
            kind: ParamKind::TextList,
            default: Some(""),
            required: false,
            doc: "tags the published image must get, as the checklist names them: `latest`, a \
                  commit SHA (`commit-sha`, `sha`), a date (`YYYY.MM.DD`), a version \
                  (`semver`, `vX.Y.Z`) or any literal tag",
        },
        ParamSpec {
            name: "registry",
            kind: ParamKind::Text,
            default: Some("any"),
            required: false,
            doc: "registry host the image must be pushed to (`ghcr.io`, `docker.io`, \
                  `quay.io`…), or `any`",
        },
    ],
    docs: CheckDocs {
        what: "A CI job pushes a container image (docker/build-push-action with push, \
               docker push, buildx --push, podman/crane push) and, when asked, to the named \
               registry and with tags of each named kind: `latest`; a commit SHA \
               (github.sha, GITHUB_SHA, metadata-action `type=sha`, CI_COMMIT_SHA); a date \
               (`date +%Y…`, `{{date …}}`); a version (`type=semver`, github.ref_name, \
               CI_COMMIT_TAG); or the literal tag. Tags given through docker/metadata-action \
               in the same job count.",
        why: "Deployments and rollbacks name images by tag: without an immutable per-commit tag \
              you cannot tell what runs or go back to it, and without the tags the runbook \
              names the deploy step pulls nothing.",
        fix: "Push from CI with the tags the checklist names, e.g. with docker/metadata-action \
              `tags: type=raw,value=latest\\ntype=sha,format=long\\ntype=raw,value={{date \
              'YYYY.MM.DD'}}` feeding docker/build-push-action.",
        example: "- uses: docker/build-push-action@<sha>\n  with:\n    push: true\n    tags: |\n      ghcr.io/acme/app:latest\n      ghcr.io/acme/app:${{ github.sha }}",
        binds: &[
            "Image tags: `latest`, `YYYY.MM.DD`, `commit-sha`",
            "Docker image publishing to GHCR",
            "Container image pushed to the registry with `latest` and commit SHA tags",
            "Images tagged with the git SHA and the semantic version",
            "CI pushes `:latest` and `:<sha>` tags",
            "Published images carry the release version as tag",
            "The pipeline pushes images to GitHub's container registry",
        ],
        not_binds: &[
            "Docker image built",
            "Docker image scanned",
            "Base images pinned by digest",
            "No :latest tags in the deploy pipeline",
            "Compose images use a fixed version tag",
            "Manifests reference images by tag, never latest",
        ],
    },
};

const REGISTRIES: &[(&[&str], &str)] = &[
    (
        &[
            "ghcr",
            "ghcr.io",
            "github container registry",
            "github's container registry",
            "github packages",
        ],
        "ghcr.io",
    ),
    (&["docker hub", "dockerhub", "docker.io"], "docker.io"),
    (&["quay", "quay.io"], "quay.io"),
    (&["gcr", "gcr.io", "artifact registry"], "gcr.io"),
    (&["ecr", "amazon ecr"], "amazonaws.com"),
    (&["acr", "azure container registry"], "azurecr.io"),
    (
        &["gitlab registry", "gitlab container registry"],
        "CI_REGISTRY",
    ),
];

/// Tag kinds named in words, and the name `tag_markers` reads.
const TAG_KINDS: &[(&[&str], &str)] = &[
    (&["latest"], "latest"),
    (
        &[
            "sha",
            "git sha",
            "commit sha",
            "commit hash",
            "short sha",
            "<sha>",
            "github.sha",
        ],
        "commit-sha",
    ),
    (
        &[
            "semver",
            "version",
            "semantic version",
            "release version",
            "vx.y.z",
            "x.y.z",
        ],
        "semver",
    ),
    (&["date", "yyyy.mm.dd", "yyyymmdd"], "YYYY.MM.DD"),
];

/// Words of an item about pinning the images a deployment pulls, or forbidding a tag.
const NOT_PUBLISHING: &[&str] = &[
    "pin",
    "pinned",
    "pinning",
    "digest",
    "digests",
    "floating",
    "base",
    "from line",
    "manifest",
    "manifests",
    "compose",
    "k8s",
    "kubernetes",
    "helm",
    "fixed",
    "real",
    "explicit",
    "specific",
    "mutable",
    "no",
    "not",
    "never",
    "avoid",
    "without",
];

/// The tag a code span names, as `tag_markers` reads it: `:<sha>` and `vX.Y.Z` are kinds, not
/// literal tags.
fn tag_kind(span: &str) -> String {
    let t = span.to_ascii_lowercase();
    if t.is_empty() {
        return String::new();
    }
    if t.contains("sha") {
        return "commit-sha".into();
    }
    if t.contains("x.y") || t.contains("semver") {
        return "semver".into();
    }
    span.to_string()
}

/// Words that say an image is published.
const PUBLISHING: &[&str] = &[
    "publish",
    "publishing",
    "published",
    "publishes",
    "push",
    "pushed",
    "pushes",
    "pushing",
];

/// A sub-item that is an image reference alone (`ghcr.io/acme/web:<commit-sha>`) under an item
/// saying what CI publishes ("`build-and-push` job publishes:"): that image, with that tag,
/// is one CI must push.
fn published_reference(view: &ItemView<'_>) -> Option<AutoBinding> {
    static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:([a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?)/)?[a-z0-9._-]+(?:/[a-z0-9._-]+)*:([a-z0-9_.<>{}$-]+)$")
            .expect("image reference regex")
    });
    if !has_any(view.parent_lower?, PUBLISHING) {
        return None;
    }
    let c = REFERENCE.captures(view.lower.trim().trim_matches('`'))?;
    let tag = tag_kind(c.get(2)?.as_str());
    let mut b = AutoBinding::new(format!(
        "the image this reference names is published with the tag {tag}"
    ))
    .with("tags", Value::from(vec![tag]));
    if let Some(host) = c.get(1) {
        b = b.with("registry", Value::from(host.as_str()));
    }
    Some(b)
}

/// What in the job's text shows a tag of the kind the checklist names.
fn tag_markers(tag: &str) -> Vec<String> {
    let t = tag.to_ascii_lowercase();
    if t == "latest" {
        return vec!["latest".into()];
    }
    if t.contains("sha") || t.contains("commit") {
        return [
            "github.sha",
            "github_sha",
            "type=sha",
            "ci_commit_sha",
            "ci_commit_short_sha",
            "rev-parse",
            "github.event.pull_request.head.sha",
        ]
        .map(String::from)
        .to_vec();
    }
    if t.contains("yyyy") || t.contains("date") || t.contains("%y") {
        return [
            "date +",
            "date -u",
            "{{date",
            "%y",
            "yyyy",
            "type=schedule",
            "steps.date",
            "env.date",
        ]
        .map(String::from)
        .to_vec();
    }
    if t.contains("semver") || t.contains("version") || t.contains("x.y") || t.contains("{{version")
    {
        return [
            "type=semver",
            "type=ref,event=tag",
            "github.ref_name",
            "github_ref_name",
            "ci_commit_tag",
            "github.ref",
            // `${GITHUB_REF/refs\/tags\//}`, `${GITHUB_REF#refs/tags/}`: the pushed tag's name.
            "github_ref",
            "{{version",
            "steps.version",
            "env.version",
        ]
        .map(String::from)
        .to_vec();
    }
    vec![t]
}

/// One image-publishing job: the publish step and all text that names registries and tags.
struct Publish {
    rel: String,
    line: usize,
    what: String,
    /// Everything that names registries, images and tags (for the registry).
    text: String,
    /// Only what sets tags, with the definitions of the variables it uses: a `BUILD_DATE`
    /// computed for a label is not a date tag.
    tag_text: String,
}

/// `NAME=value` assignments of a command line (`export NAME=…`, `echo "name=…" >>
/// $GITHUB_OUTPUT`), by name.
static ASSIGNMENT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r#"(?:^|[\s"'])([A-Za-z_][A-Za-z0-9_]*)="#).expect("assignment regex")
});

/// Whether a command line sets or pushes an image tag.
fn sets_tags(l: &str) -> bool {
    let lower = l.to_ascii_lowercase();
    [
        "docker tag",
        "docker push",
        "podman push",
        "podman tag",
        "buildah push",
        "buildah tag",
        "crane",
        "skopeo",
        "imagetools",
        " -t ",
        "--tag",
        "skaffold",
    ]
    .iter()
    .any(|c| lower.contains(c))
        || ASSIGNMENT.captures_iter(l).any(|c| {
            let n = c[1].to_ascii_lowercase();
            n.contains("tag") || n.contains("image")
        })
}

/// The tag text with the definitions of the variables it names added, two levels deep
/// (`IMAGE=$REPO:$DATE`, `DATE=$(date +%Y%m%d)`).
fn resolve(tag_text: &str, defs: &[(String, String)]) -> String {
    let mut out = tag_text.to_ascii_lowercase();
    for _ in 0..2 {
        let mut add = String::new();
        for (name, line) in defs {
            let n = name.to_ascii_lowercase();
            let used = [
                format!("${n}"),
                format!("${{{n}}}"),
                format!("env.{n}"),
                format!("outputs.{n}"),
            ]
            .iter()
            .any(|r| out.contains(r.as_str()));
            if used && !out.contains(line.as_str()) && !add.contains(line.as_str()) {
                add.push_str(line);
                add.push('\n');
            }
        }
        if add.is_empty() {
            break;
        }
        out.push_str(&add);
    }
    out
}

fn publishers(p: &model::Pipelines) -> Vec<Publish> {
    let mut out = Vec::new();
    for pl in &p.list {
        for j in &pl.jobs {
            let mut hit: Option<(usize, String)> = None;
            let mut text = String::new();
            let mut tag_text = String::new();
            let mut defs: Vec<(String, String)> = Vec::new();
            for s in &j.steps {
                let a = s.action().unwrap_or_default();
                if matches!(
                    a.as_str(),
                    "docker/build-push-action"
                        | "docker/bake-action"
                        | "redhat-actions/push-to-registry"
                ) && s.input("push").is_none_or(|v| v != "false")
                {
                    hit.get_or_insert((s.line, a.clone()));
                }
                if a.starts_with("docker/") || a.starts_with("redhat-actions/") {
                    for (k, v) in &s.with {
                        if matches!(
                            k.as_str(),
                            "tags" | "images" | "flavor" | "registry" | "image" | "set"
                        ) {
                            text.push_str(v);
                            text.push('\n');
                            if k != "registry" {
                                tag_text.push_str(v);
                                tag_text.push('\n');
                            }
                        }
                    }
                }
                if let Some(run) = &s.run {
                    for l in command_lines(run) {
                        let pushes = [
                            "docker push",
                            "podman push",
                            "buildah push",
                            "crane push",
                            "docker buildx build --push",
                            "docker buildx imagetools create",
                            "skopeo copy",
                        ]
                        .iter()
                        .any(|c| runs(&l, c))
                            // skaffold builds and pushes to the registry unless told not to.
                            || ((runs(&l, "skaffold build") || runs(&l, "skaffold run"))
                                && !l.contains("--push=false"));
                        if pushes {
                            hit.get_or_insert((s.line, l.chars().take(100).collect()));
                        }
                        for c in ASSIGNMENT.captures_iter(&l) {
                            defs.push((c[1].to_string(), l.to_ascii_lowercase()));
                        }
                        if pushes || sets_tags(&l) {
                            tag_text.push_str(&l);
                            tag_text.push('\n');
                        }
                        if l.contains("docker")
                            || l.contains("skaffold")
                            || l.contains("podman")
                            || l.contains("TAG")
                            || l.contains("tag")
                            || l.contains("date")
                            || l.contains("IMAGE")
                        {
                            text.push_str(&l);
                            text.push('\n');
                        }
                    }
                }
            }
            if let Some((line, what)) = hit {
                out.push(Publish {
                    rel: pl.rel.clone(),
                    line,
                    what,
                    text: text.to_ascii_lowercase(),
                    tag_text: resolve(&tag_text, &defs),
                });
            }
        }
    }
    out
}

#[async_trait::async_trait]
impl Check for ImageTags {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// A claim about how CI tags the images it publishes holds only if it publishes them tagged.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["image", "img", "tag", "publish", "push"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if let Some(b) = published_reference(view) {
            return BindVerdict::Bind(vec![b]);
        }
        // `:latest`, `:<sha>`: a tag written as an image reference's suffix names an image.
        let image_suffix = view
            .item
            .code_spans
            .iter()
            .any(|s| s.trim().starts_with(':'));
        if !image_suffix
            && !has_any(
                lower,
                &[
                    "image",
                    "images",
                    "img",
                    "imgs",
                    "container image",
                    "docker image",
                ],
            )
        {
            return BindVerdict::No;
        }
        let publishing = has_any(lower, PUBLISHING);
        let tagged = has_any(lower, &["tag", "tags", "tagged"]);
        if !publishing && !tagged {
            return BindVerdict::No;
        }
        // Pinning what is pulled is another check's (base images, manifests, Compose), and a
        // tag forbidden ("no :latest") is not one CI must push.
        if has_any(lower, NOT_PUBLISHING) {
            return BindVerdict::No;
        }
        let mut tags: Vec<String> = Vec::new();
        for span in &view.item.code_spans {
            let t = tag_kind(span.trim().trim_start_matches(':'));
            if !t.is_empty() && !tags.contains(&t) {
                tags.push(t);
            }
        }
        for (words, kind) in TAG_KINDS {
            if has_any(lower, words) && !tags.iter().any(|t| t == kind) {
                tags.push((*kind).to_string());
            }
        }
        if tagged && !publishing && tags.is_empty() {
            return BindVerdict::No;
        }
        let registry = REGISTRIES
            .iter()
            .find(|(names, _)| has_any(lower, names))
            .map(|(_, h)| *h);
        let mut b = AutoBinding::new(if tags.is_empty() {
            "wording says CI publishes the image".to_string()
        } else {
            format!("wording names image tags: {}", tags.join(", "))
        });
        if !tags.is_empty() {
            b = b.with("tags", Value::from(tags.clone()));
        }
        if let Some(r) = registry {
            b = b.with("registry", Value::from(r));
        }
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement"),
                candidates: vec![b],
            };
        }
        let mut used: Vec<&str> = vec![
            "image",
            "images",
            "container",
            "docker",
            "oci",
            "tag",
            "tags",
            "tagged",
            "registry",
            "ci",
            "from",
            "github",
            "container",
            "sha",
            "commit",
            "latest",
        ];
        used.extend_from_slice(PUBLISHING);
        for (names, _) in REGISTRIES {
            used.extend_from_slice(names);
        }
        for (words, _) in TAG_KINDS {
            used.extend_from_slice(words);
        }
        used.extend_from_slice(&[
            "img", "imgs", "w", "short", "full", "git", "hash", "semantic", "both", "than", "s",
            "pipeline", "workflow", "build", "builds", "job",
        ]);
        let lowered: Vec<String> = view
            .item
            .code_spans
            .iter()
            .map(|t| t.trim().to_lowercase())
            .collect();
        let spans: Vec<&str> = lowered.iter().map(String::as_str).collect();
        used.extend_from_slice(&spans);
        let extra = leftover(lower, &used);
        bind_unless_claims_more(&extra, 0, "CI publishing the image can show", vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let tags: Vec<String> = text_list(&params, "tags")
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let registry = params
            .get("registry")
            .and_then(Value::as_str)
            .unwrap_or("any")
            .to_string();
        let p = model::pipelines(&ctx);
        if let Some(o) = super::no_pipelines(&p) {
            return o;
        }
        let pubs = publishers(&p);
        if pubs.is_empty() {
            return Outcome::fail(
                "no CI job pushes a container image (docker/build-push-action with push, docker push…): add an image publishing job",
            );
        }
        let reg_ok =
            |pb: &Publish| registry == "any" || pb.text.contains(&registry.to_ascii_lowercase());
        let candidates: Vec<&Publish> = pubs.iter().filter(|pb| reg_ok(pb)).collect();
        if candidates.is_empty() {
            return Outcome::fail(format!(
                "images are pushed ({}:{}) but not to {registry}: push to the registry the checklist names",
                pubs[0].rel, pubs[0].line
            ))
            .with_evidence(Evidence::at(pubs[0].rel.clone(), Some(pubs[0].line), pubs[0].what.clone()));
        }
        // The job that covers most tags decides.
        let missing_of = |pb: &Publish| -> Vec<String> {
            tags.iter()
                .filter(|t| {
                    !tag_markers(t)
                        .iter()
                        .any(|m| pb.tag_text.contains(m.as_str()))
                })
                .cloned()
                .collect()
        };
        let best = candidates
            .iter()
            .min_by_key(|pb| missing_of(pb).len())
            .expect("non-empty");
        let missing = missing_of(best);
        let ev = Evidence::at(best.rel.clone(), Some(best.line), best.what.clone());
        if !missing.is_empty() {
            return Outcome::fail(format!(
                "{}:{} pushes the image without tag{} {}: add them to the push step's tags",
                best.rel,
                best.line,
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ))
            .with_evidence(ev);
        }
        let mut msg = format!("{}:{} pushes the image", best.rel, best.line);
        if registry != "any" {
            msg.push_str(&format!(" to {registry}"));
        }
        if !tags.is_empty() {
            msg.push_str(&format!(" tagged {}", tags.join(", ")));
        }
        Outcome::pass(msg).with_evidence(ev)
    }
}
