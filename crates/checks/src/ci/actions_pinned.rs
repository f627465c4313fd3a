//! `ci.actions-pinned` — third-party actions are pinned to a full commit SHA.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::model;
use crate::wording::{bind_unless_claims_more, has_any, human_act, leftover};

pub struct ActionsPinned;

static META: CheckMeta = CheckMeta {
    id: "ci.actions-pinned",
    title: "Third-party actions pinned to a full commit SHA",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "trusted_owners",
        kind: ParamKind::TextList,
        default: Some("actions,github"),
        required: false,
        doc: "owners whose actions may use a tag (GitHub's own by default); give an empty list \
              to require a SHA for every action, as OpenSSF Scorecard does",
    }],
    docs: CheckDocs {
        what: "Every `uses:` of a GitHub Actions step or reusable workflow from another \
               repository names a full 40-hex commit SHA (`owner/repo@<sha>`), and every \
               `docker://` image a `@sha256:` digest. Local actions (`./…`, and the \
               self-repository reference `$/…`) and the trusted owners are exempt.",
        why: "A tag or branch can be moved by whoever controls the action's repository; a \
              hijacked tag runs their code in your pipeline with your secrets (as with \
              tj-actions/changed-files in 2025). A commit SHA cannot be moved.",
        fix: "Replace `owner/action@v4` with `owner/action@<full sha> # v4`; Dependabot and \
              Renovate keep SHA pins up to date.",
        example: "- uses: docker/login-action@74a5d142397b4f367a81961eba4e8cd7edddf772 # v3.4.0",
        binds: &[
            "Third-party actions pinned to a full commit SHA",
            "GitHub Actions pinned to commit SHAs",
            "All actions pinned by SHA",
            "Workflows reference third-party actions by commit hash",
            "CI: uses: refs are full 40-char SHAs, not tags",
            "External actions referenced by immutable commit identifier",
            "Actions pinned to a commit SHA or a trusted tag (not a branch)",
        ],
        not_binds: &[
            "Dependencies pinned",
            "Base images pinned by digest",
            "GitHub Actions configured",
            "Deploy action records the commit SHA",
            "Container images referenced by SHA digest",
            "Action items tracked by commit",
            "Actions pinned to a major version tag",
        ],
    },
};

/// A commit's hash, which is what a pin names.
const SHA_WORDS: &[&str] = &[
    "sha",
    "shas",
    "sha-1",
    "sha1",
    "commit sha",
    "commit shas",
    "commit hash",
    "commit hashes",
    "hash",
    "hashes",
    "immutable",
];

fn is_sha(r: &str) -> bool {
    r.len() == 40 && r.chars().all(|c| c.is_ascii_hexdigit())
}

#[async_trait::async_trait]
impl Check for ActionsPinned {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["pin", "sha", "hash", "immutable"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        // Actions: by name, or the `uses:` references that call them.
        let actions = has_any(lower, &["action", "actions", "uses", "uses:"])
            || (has_any(lower, &["refs", "references", "reference", "ref"])
                && (has_any(lower, super::CI_NAMES)
                    || has_any(lower, &["third-party", "3rd-party", "external"])));
        if !actions {
            return BindVerdict::No;
        }
        // Pinned: said so, or the reference is a commit's hash.
        let pinned =
            has_any(lower, &["pinned", "pin", "pinning", "pins"]) || has_any(lower, SHA_WORDS);
        if !pinned {
            return BindVerdict::No;
        }
        let candidates = vec![AutoBinding::new("wording says actions are pinned")];
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement"),
                candidates,
            };
        }
        // "pinned to tags" is not what the check asks; "SHAs, not tags" is, and so is "SHA or
        // trusted tags": the check trusts its `trusted_owners`' tags too.
        let trusted_tags = has_any(lower, &["trusted", "verified"]) && has_any(lower, SHA_WORDS);
        if has_any(lower, &["tag", "tags", "branch", "branches"])
            && !trusted_tags
            && !has_any(
                lower,
                &["not", "instead", "rather", "never", "than", "no", "replace"],
            )
        {
            return BindVerdict::Declined {
                why: "the item names tags as the pin; the check asks for commit SHAs".into(),
                candidates,
            };
        }
        let mut used: Vec<&str> = SHA_WORDS.to_vec();
        used.extend_from_slice(&[
            "commit",
            "commits",
            "trusted",
            "verified",
            "tag",
            "tags",
            "branches",
            "github",
            "actions",
            "action",
            "third-party",
            "3rd-party",
            "third",
            "party",
            "external",
            "pinned",
            "pin",
            "pinning",
            "pins",
            "full",
            "full-length",
            "length",
            "40-char",
            "40-character",
            "40",
            "char",
            "character",
            "immutable",
            "identifier",
            "identifiers",
            "by",
            "uses",
            "refs",
            "ref",
            "reference",
            "references",
            "workflow",
            "workflows",
            "definitions",
            "ci",
            "versions",
            "on",
            "not",
            "tag",
            "tags",
            "branch",
            "branches",
            "replace",
            "style",
            "@v3-style",
            "v3-style",
        ]);
        let extra = leftover(lower, &used);
        bind_unless_claims_more(&extra, 0, "pinned actions", candidates)
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let trusted: Vec<String> = params
            .get("trusted_owners")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_ascii_lowercase))
                    .collect()
            })
            .unwrap_or_else(|| vec!["actions".into(), "github".into()]);
        let p = model::pipelines(&ctx);
        let gh: Vec<&model::Pipeline> = p.github().collect();
        if gh.is_empty() {
            return if p.errors.is_empty() {
                Outcome::skipped("no GitHub Actions workflow in the repository")
            } else {
                Outcome::error(format!(
                    "no workflow could be read: {}",
                    p.errors.join("; ")
                ))
            };
        }
        let mut checked = 0usize;
        let mut unpinned: Vec<Evidence> = Vec::new();
        for w in &gh {
            let mut refs: Vec<(&str, usize)> = Vec::new();
            for j in &w.jobs {
                if let Some((u, line)) = &j.uses {
                    refs.push((u, *line));
                }
                // Steps copied from a called local workflow are counted in that file.
                for s in j.steps.iter().filter(|s| !s.inherited) {
                    if let Some(u) = &s.uses {
                        refs.push((u, s.line));
                    }
                }
            }
            for (u, line) in refs {
                let u = u.trim();
                // `./dir` and the self-repository reference `$/dir` resolve at the running commit.
                if u.starts_with("./") || u.starts_with(".\\") || u.starts_with("$/") {
                    continue;
                }
                if let Some(image) = u.strip_prefix("docker://") {
                    checked += 1;
                    if !image.contains("@sha256:") {
                        unpinned.push(Evidence::at(
                            w.rel.clone(),
                            Some(line),
                            format!("{u} (no digest)"),
                        ));
                    }
                    continue;
                }
                let owner = u.split('/').next().unwrap_or("").to_ascii_lowercase();
                if trusted.contains(&owner) {
                    continue;
                }
                checked += 1;
                match u.rsplit_once('@') {
                    Some((_, r)) if is_sha(r) => {}
                    _ => unpinned.push(Evidence::at(w.rel.clone(), Some(line), u.to_string())),
                }
            }
        }
        if unpinned.is_empty() {
            return Outcome::pass(format!(
                "{checked} third-party action reference{} pinned to a commit SHA",
                if checked == 1 { " is" } else { "s are" }
            ));
        }
        let mut o = Outcome::fail(format!(
            "{} of {checked} third-party action references are not pinned to a full commit SHA (first: {}): pin them as owner/action@<sha> # vX",
            unpinned.len(),
            unpinned[0].detail
        ));
        for e in unpinned.into_iter().take(25) {
            o = o.with_evidence(e);
        }
        o
    }
}
