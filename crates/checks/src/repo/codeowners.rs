//! `repo.codeowners` — a CODEOWNERS file assigns owners to the code.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use crate::wording::{bind_unless_claims_more, has_any, human_act, leftover};

pub struct Codeowners;

static META: CheckMeta = CheckMeta {
    id: "repo.codeowners",
    title: "CODEOWNERS assigns owners",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A CODEOWNERS file at the root, in .github/, docs/ or .gitlab/ with at least one \
               rule: a path pattern followed by an owner (`@user`, `@org/team` or an e-mail).",
        why: "Owners are asked to review the changes to what they own; without them, a change \
              to the deploy scripts or the auth code can merge with a review from anyone.",
        fix: "Add .github/CODEOWNERS with a default rule (`* @org/team`) and rules for sensitive \
              paths; require code owner review in branch protection.",
        example: ".github/CODEOWNERS:\n  *            @acme/backend\n  /deploy/     @acme/platform",
        binds: &[
            "CODEOWNERS file present",
            "Code owners defined",
            "CODEOWNERS configured",
            "Owning team automatically requested as reviewers on pull requests",
        ],
        not_binds: &["Code review completed", "Code owners reviewed the release"],
    },
};

const PLACES: &[&str] = &[
    "CODEOWNERS",
    ".github/CODEOWNERS",
    "docs/CODEOWNERS",
    ".gitlab/CODEOWNERS",
];

#[async_trait::async_trait]
impl Check for Codeowners {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["code-owners"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["owner"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(
            lower,
            &["codeowners", "code owners", "code owner", "code ownership"],
        ) {
            return BindVerdict::No;
        }
        let c = vec![AutoBinding::new("wording names CODEOWNERS")];
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement"),
                candidates: c,
            };
        }
        let extra = leftover(
            lower,
            &[
                "codeowners",
                "code",
                "owners",
                "owner",
                "ownership",
                "assigned",
                // Owners are people or teams.
                "team",
                "teams",
                // What CODEOWNERS does: its owners are requested, or added, as reviewers of
                // every pull request that touches what they own.
                "requested",
                "request",
                "added",
                "auto-added",
                "automatically",
                "reviewers",
                "reviewer",
                "pull",
                "requests",
                "prs",
                "pr",
                "owning",
            ],
        );
        bind_unless_claims_more(&extra, 0, "a CODEOWNERS file", c)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let Some(rel) = super::first_file(&ctx, PLACES) else {
            return Outcome::fail(
                "no CODEOWNERS file (looked at the root, .github/, docs/, .gitlab/): add .github/CODEOWNERS",
            );
        };
        let text = ctx.text(rel);
        let text = match text.as_ref() {
            Ok(t) => t,
            Err(e) => return Outcome::error(e.clone()),
        };
        let rule = text.text.lines().enumerate().find(|(_, l)| {
            let l = l.trim();
            !l.is_empty()
                && !l.starts_with('#')
                && !l.starts_with('[')
                && l.split_whitespace()
                    .skip(1)
                    .any(|o| o.starts_with('@') || o.contains('@'))
        });
        match rule {
            Some((i, l)) => {
                Outcome::pass(format!("{rel} assigns owners")).with_evidence(Evidence::at(
                    rel,
                    Some(i + 1),
                    l.trim().chars().take(100).collect::<String>(),
                ))
            }
            None => Outcome::fail(format!(
                "{rel} has no rule (`pattern @owner`): add at least a default rule such as `* @org/team`"
            )),
        }
    }
}
