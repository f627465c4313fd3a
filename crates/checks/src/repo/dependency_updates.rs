//! `repo.dependency-updates` — Dependabot or Renovate is configured.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use crate::wording::{bind_unless_claims_more, has_any, human_act, leftover};
use crate::yaml;

pub struct DependencyUpdates;

static META: CheckMeta = CheckMeta {
    id: "repo.dependency-updates",
    title: "Automated dependency updates configured (Dependabot or Renovate)",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A dependency update tool is configured: .github/dependabot.yml with at least one \
               entry under `updates:`, or a Renovate configuration (renovate.json, \
               renovate.json5, .renovaterc, .renovaterc.json, .github/renovate.json, \
               .gitlab/renovate.json, or a `renovate` key in package.json).",
        why: "Security fixes arrive as new versions; without a bot proposing them, dependencies \
              age silently until an advisory forces a rushed, large upgrade.",
        fix: "Add .github/dependabot.yml with an entry per ecosystem (cargo, pip, npm, docker, \
              github-actions) on a weekly schedule, or a renovate.json extending \
              `config:recommended`.",
        example: ".github/dependabot.yml:\n  version: 2\n  updates:\n    - package-ecosystem: cargo\n      directory: /\n      schedule: {interval: weekly}",
        binds: &[
            "Dependabot configured",
            "Renovate configured",
            "Automated dependency updates enabled",
            "renovate.json in the repo",
            "A bot opens pull requests when dependencies have new versions",
            "Dependency updates proposed automatically by Dependabot",
            "Dependencies are updated automatically",
            "Configure a bot to upgrade dependencies",
            "Inspect for outdated packages",
        ],
        not_binds: &[
            "Vulnerability scan (dependabot/Snyk) run and critical issues resolved.",
            "Dependencies up to date",
            "Dependency auditing",
            "Dependabot alerts triaged weekly",
            "Chat bot answers questions about dependencies",
            "No outdated dependencies",
            "Dependencies upgraded manually every quarter",
        ],
    },
};

/// The tools, and the files that configure them.
const TOOLS: &[&str] = &[
    "dependabot",
    "renovate",
    "renovatebot",
    "renovate.json",
    "renovate.json5",
    ".renovaterc",
    "dependabot.yml",
    "dependabot.yaml",
];

/// Words of updating a dependency.
const UPDATE_WORDS: &[&str] = &[
    "update", "updates", "updated", "upgrade", "upgrades", "upgraded", "bump", "bumps", "bumped",
];

const RENOVATE: &[&str] = &[
    ".github/renovate.json",
    ".github/renovate.json5",
    ".gitlab/renovate.json",
    ".gitlab/renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".renovaterc.json5",
    "renovate.json",
    "renovate.json5",
];

#[async_trait::async_trait]
impl Check for DependencyUpdates {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["dependency-updates"]
    }

    /// Dependencies kept current in any way need the update tool's configuration to be so by
    /// machine; how it is used ("sign up", "after pinning") is a person's.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec![
            "dependabot",
            "renovate",
            "dependenc",
            "bot",
            "outdated",
            "packages",
            "librar",
            "deps",
        ]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let tool = has_any(lower, TOOLS);
        let generic = has_any(
            lower,
            &[
                "dependency updates",
                "dependency update",
                "automated dependency updates",
                "dependency update tool",
            ],
        );
        // "A bot keeps dependencies up to date", "a bot opens pull requests for new releases":
        // a bot is what makes the updates automatic; without one, "up to date" is a state.
        let deps = has_any(
            lower,
            &[
                "dependency",
                "dependencies",
                "deps",
                "packages",
                "libraries",
            ],
        );
        let updating = has_any(lower, UPDATE_WORDS);
        // "Dependencies are automatically updated": automatic updates are a tool's.
        let automatic = deps
            && updating
            && has_any(lower, &["automatically", "automated", "automatic", "auto"]);
        // "Inspect for outdated packages": an update tool is what keeps watch.
        let watch = deps
            && has_any(lower, &["outdated", "out-of-date", "stale"])
            && has_any(
                lower,
                &[
                    "inspect",
                    "inspected",
                    "check",
                    "checked",
                    "detect",
                    "detected",
                    "monitor",
                    "monitored",
                    "track",
                    "tracked",
                    "flag",
                    "flagged",
                    "watch",
                ],
            );
        let bot = has_any(lower, &["bot", "bots"])
            && has_any(
                lower,
                &[
                    "dependency",
                    "dependencies",
                    "deps",
                    "packages",
                    "libraries",
                    "them",
                ],
            )
            && has_any(
                lower,
                &[
                    "update",
                    "updates",
                    "updated",
                    "up to date",
                    "up-to-date",
                    "pull requests",
                    "prs",
                    "new release",
                    "new version",
                    "new versions",
                    "bump",
                    "bumps",
                    "upgrade",
                    "upgrades",
                    "upgraded",
                ],
            );
        if !tool && !generic && !bot && !automatic && !watch {
            return BindVerdict::No;
        }
        let c = vec![AutoBinding::new("wording names a dependency update tool")];
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement"),
                candidates: c,
            };
        }
        let extra = leftover(
            lower,
            &[
                "dependabot",
                "renovate",
                "renovatebot",
                "automated",
                "automatic",
                "dependency",
                "dependencies",
                "updates",
                "update",
                "tool",
                "enabled",
                "or",
                "pull",
                "requests",
                "prs",
                "proposed",
                "propose",
                "proposes",
                "opens",
                "open",
                "bot",
                "bots",
                "keeps",
                "keep",
                "whenever",
                "new",
                "release",
                "releases",
                "publishes",
                "version",
                "versions",
                "bump",
                "bumps",
                // Security updates are what update bots open first.
                "security",
                "patches",
                "patch",
                "date",
                "one",
                "deps",
                "packages",
                "libraries",
                "renovate.json",
                "renovate.json5",
                ".renovaterc",
                "dependabot.yml",
                "dependabot.yaml",
                "automatically",
                "auto",
                "upgrade",
                "upgrades",
                "upgraded",
                "updated",
                "outdated",
                "out-of-date",
                "stale",
                "inspect",
                "inspected",
                "check",
                "checked",
                "detect",
                "detected",
                "monitor",
                "monitored",
                "track",
                "tracked",
                "flag",
                "flagged",
                "watch",
                "for",
            ],
        );
        bind_unless_claims_more(&extra, 0, "a configured update tool", c)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        if let Some(rel) =
            super::first_file(&ctx, &[".github/dependabot.yml", ".github/dependabot.yaml"])
        {
            let f = yaml::load(&ctx, rel);
            let f = match f.as_ref() {
                Ok(f) => f,
                Err(e) => return Outcome::error(e.clone()),
            };
            let ecos: Vec<String> = f
                .docs
                .first()
                .and_then(|d| yaml::get(d, "updates"))
                .map(|u| {
                    yaml::items(u)
                        .iter()
                        .filter_map(|e| yaml::get(e, "package-ecosystem").and_then(yaml::as_str))
                        .collect()
                })
                .unwrap_or_default();
            if ecos.is_empty() {
                return Outcome::fail(format!(
                    "{rel} lists no `updates:` entry: add one per package ecosystem"
                ));
            }
            return Outcome::pass(format!("Dependabot updates {}", ecos.join(", "))).with_evidence(
                Evidence::at(rel, None, format!("{} ecosystem(s)", ecos.len())),
            );
        }
        if let Some(rel) = super::first_file(&ctx, RENOVATE) {
            return Outcome::pass(format!("Renovate configured in {rel}"))
                .with_evidence(Evidence::at(rel, None, "Renovate configuration"));
        }
        if let Some(rel) = super::first_file(&ctx, &["package.json"])
            && let Ok(t) = ctx.text(rel).as_ref()
            && serde_json::from_str::<serde_json::Value>(&t.text)
                .ok()
                .is_some_and(|v| v.get("renovate").is_some())
        {
            return Outcome::pass("Renovate configured in package.json")
                .with_evidence(Evidence::at(rel, None, "`renovate` key"));
        }
        Outcome::fail(
            "no Dependabot or Renovate configuration: add .github/dependabot.yml (or renovate.json)",
        )
    }
}
