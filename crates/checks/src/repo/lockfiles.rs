//! `repo.lockfiles` — every dependency manifest has its lockfile committed.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use crate::wording::{bind_unless_claims_more, has_any, human_act, in_context, leftover};

pub struct Lockfiles;

static META: CheckMeta = CheckMeta {
    id: "repo.lockfiles",
    title: "Lockfiles committed for every dependency manifest",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "Every dependency manifest outside test fixtures has a lockfile in its folder or \
               an enclosing one (workspaces), tracked (not gitignored): Cargo.toml → Cargo.lock; \
               package.json with dependencies → package-lock.json, npm-shrinkwrap.json, \
               yarn.lock, pnpm-lock.yaml, bun.lock(b); pyproject.toml with dependencies → \
               uv.lock, poetry.lock, pdm.lock, pylock.toml or a requirements*.txt; Pipfile → \
               Pipfile.lock; go.mod with requirements → go.sum; Gemfile → Gemfile.lock; \
               composer.json → composer.lock.",
        why: "Without a lockfile each build resolves dependencies afresh: production runs \
              versions nobody tested, and a compromised new release is installed automatically.",
        fix: "Generate the lockfile (cargo generate-lockfile, npm install, uv lock, poetry lock, \
              go mod tidy, bundle lock) and commit it; remove it from .gitignore.",
        example: "Cargo.toml + Cargo.lock, web/package.json + web/package-lock.json",
        binds: &[
            "Lockfiles committed",
            "Dependency lockfiles committed for every manifest",
            "Dependencies locked",
        ],
        not_binds: &[
            "Dependencies up to date",
            "Database locks monitored",
            "Account lockout configured",
        ],
    },
};

/// A manifest file name, its lockfiles, and text that must appear for it to declare
/// dependencies (`None`: always).
type Manifest = (
    &'static str,
    &'static [&'static str],
    Option<&'static [&'static str]>,
);

const MANIFESTS: &[Manifest] = &[
    ("Cargo.toml", &["Cargo.lock"], None),
    (
        "package.json",
        &[
            "package-lock.json",
            "npm-shrinkwrap.json",
            "yarn.lock",
            "pnpm-lock.yaml",
            "bun.lockb",
            "bun.lock",
        ],
        Some(&["\"dependencies\"", "\"devDependencies\""]),
    ),
    (
        "pyproject.toml",
        &[
            "uv.lock",
            "poetry.lock",
            "pdm.lock",
            "pylock.toml",
            "requirements.txt",
            "requirements.lock",
            "requirements-lock.txt",
        ],
        Some(&[
            "dependencies = [",
            "[tool.poetry.dependencies]",
            "dependencies=[",
        ]),
    ),
    ("Pipfile", &["Pipfile.lock"], None),
    ("go.mod", &["go.sum"], Some(&["require"])),
    ("Gemfile", &["Gemfile.lock"], None),
    ("composer.json", &["composer.lock"], Some(&["\"require\""])),
];

#[async_trait::async_trait]
impl Check for Lockfiles {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// Dependency versions fixed for every package manager are lockfiles.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["lockfile"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["lock"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(
            lower,
            &[
                "lockfile",
                "lockfiles",
                "lock file",
                "lock files",
                "dependencies locked",
                "dependency lock",
            ],
        ) {
            return BindVerdict::No;
        }
        // "Pin package versions" under a Dockerfile heading pins what the Dockerfile installs
        // (`apt-get install curl=7.88.1-10`), which no lockfile shows; lockfiles or
        // dependencies the item names itself are still the project's.
        if in_context(view, &["dockerfile", "dockerfiles"])
            && !has_any(
                &view.item.display_text.to_lowercase(),
                &[
                    "lockfile",
                    "lockfiles",
                    "lock file",
                    "lock files",
                    "dependency",
                    "dependencies",
                ],
            )
        {
            return BindVerdict::No;
        }
        let c = vec![AutoBinding::new(
            "wording says dependency lockfiles are committed",
        )];
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement"),
                candidates: c,
            };
        }
        let extra = leftover(
            lower,
            &[
                "lockfile",
                "lockfiles",
                "lock",
                "locked",
                "files",
                "dependency",
                "dependencies",
                "every",
                "each",
                "manifest",
                "manifests",
                "package",
            ],
        );
        bind_unless_claims_more(&extra, 0, "committed lockfiles", c)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let idx = ctx.repo_index();
        let has = |rel: &str| {
            idx.files
                .binary_search_by(|f| f.rel.as_str().cmp(rel))
                .is_ok()
        };
        let mut checked = 0;
        let mut missing = Vec::new();
        for f in &idx.files {
            if super::is_fixture(&f.rel) {
                continue;
            }
            let (dir, name) = match f.rel.rsplit_once('/') {
                Some((d, n)) => (d, n),
                None => ("", f.rel.as_str()),
            };
            let Some((_, locks, needs)) = MANIFESTS.iter().find(|(m, _, _)| *m == name) else {
                continue;
            };
            if let Some(needles) = needs {
                let declares = ctx
                    .text(&f.rel)
                    .as_ref()
                    .as_ref()
                    .is_ok_and(|t| needles.iter().any(|n| t.text.contains(n)));
                if !declares {
                    continue;
                }
            }
            checked += 1;
            // The manifest's folder, then each enclosing folder up to the root.
            let mut d = Some(dir.to_string());
            let mut found = false;
            while let Some(cur) = d {
                if locks.iter().any(|l| {
                    has(&if cur.is_empty() {
                        l.to_string()
                    } else {
                        format!("{cur}/{l}")
                    })
                }) {
                    found = true;
                    break;
                }
                d = if cur.is_empty() {
                    None
                } else {
                    Some(
                        cur.rsplit_once('/')
                            .map(|(p, _)| p.to_string())
                            .unwrap_or_default(),
                    )
                };
            }
            if !found {
                missing.push(Evidence::at(
                    f.rel.clone(),
                    None,
                    format!("no {} committed", locks[..locks.len().min(3)].join(" / ")),
                ));
            }
        }
        if checked == 0 {
            return Outcome::skipped(
                "no dependency manifest (Cargo.toml, package.json, pyproject.toml, go.mod, Gemfile…) declares dependencies",
            );
        }
        if missing.is_empty() {
            return Outcome::pass(format!(
                "all {checked} dependency manifest{} have a committed lockfile",
                if checked == 1 { "" } else { "s" }
            ));
        }
        let mut o = Outcome::fail(format!(
            "{} of {checked} manifests have no committed lockfile (first: {}): generate and commit it",
            missing.len(),
            missing[0].file.as_deref().unwrap_or("")
        ));
        for e in missing.into_iter().take(20) {
            o = o.with_evidence(e);
        }
        o
    }
}
