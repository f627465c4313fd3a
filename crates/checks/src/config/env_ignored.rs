//! `config.env-ignored` — `.env` files are ignored by git and not left in the tree unignored.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;
use ignore::gitignore::GitignoreBuilder;

use crate::wording::has_any;

pub struct EnvIgnored;

static META: CheckMeta = CheckMeta {
    id: "config.env-ignored",
    title: ".env is ignored by git",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "The repository's .gitignore rules ignore `.env` (and `.env.local`, \
               `.env.production`), while example files such as `.env.example` stay tracked.",
        why: ".env holds real credentials; one `git add .` without an ignore rule publishes \
              them to everyone with read access, forever (history keeps them).",
        fix: "Add `.env` and `.env.*` to .gitignore, with `!.env.example` to keep the example; \
              if .env was ever committed, rotate its secrets and remove it from history.",
        example: ".gitignore:\n  .env\n  .env.*\n  !.env.example",
        binds: &[
            ".env file not in version control",
            ".env ignored by git",
            ".env in .gitignore",
            "`.gitignore` ignores `.env`",
        ],
        not_binds: &["`.env.example` updated", "Production .env configured"],
    },
};

#[async_trait::async_trait]
impl Check for EnvIgnored {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec![".env"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let names_env = lower
            .split(|c: char| c.is_whitespace() || matches!(c, '`' | '(' | ')' | ',' | '"' | ';'))
            .any(super::names_env_file);
        let kept_out = has_any(
            lower,
            &[
                "not in version control",
                "not committed",
                "gitignore",
                ".gitignore",
                "ignored",
                "not in git",
                "excluded from git",
                "never committed",
            ],
        );
        if names_env && kept_out {
            BindVerdict::Bind(vec![AutoBinding::new(
                "wording says .env is kept out of version control",
            )])
        } else {
            BindVerdict::No
        }
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let root = &ctx.repo;
        let gi_path = root.join(".gitignore");
        let mut builder = GitignoreBuilder::new(root);
        let has_gitignore = gi_path.is_file();
        if has_gitignore && let Some(err) = builder.add(&gi_path) {
            return Outcome::error(format!(".gitignore could not be read: {err}"));
        }
        let info_exclude = root.join(".git/info/exclude");
        if info_exclude.is_file() {
            let _ = builder.add(&info_exclude);
        }
        let gi = match builder.build() {
            Ok(g) => g,
            Err(e) => return Outcome::error(format!(".gitignore could not be parsed: {e}")),
        };
        let ignored = |name: &str| {
            gi.matched_path_or_any_parents(root.join(name), false)
                .is_ignore()
        };
        let mut problems = Vec::new();
        for name in [".env", ".env.local", ".env.production"] {
            if !ignored(name) {
                problems.push(name);
            }
        }
        let example_ignored = ignored(".env.example");
        if problems.is_empty() {
            let mut o = Outcome::pass(".env files are ignored by git");
            o = o.with_evidence(Evidence::at(
                ".gitignore",
                None,
                "ignores .env, .env.local, .env.production",
            ));
            if example_ignored {
                o = o.with_evidence(Evidence::at(".gitignore", None, "note: .env.example is ignored too; add `!.env.example` to keep the example tracked"));
            }
            return o;
        }
        let present = root.join(".env").exists();
        let mut msg = if has_gitignore {
            format!(
                ".gitignore does not ignore {}: add `.env` and `.env.*` (with `!.env.example`)",
                problems.join(", ")
            )
        } else {
            "there is no .gitignore, so .env is not ignored: add one with `.env` and `.env.*`"
                .to_string()
        };
        if present && problems.contains(&".env") {
            let tracked = matches!(
                super::env_not_committed::tracked(&ctx).await.as_ref(),
                Ok(Some(files)) if files.iter().any(|f| f == ".env")
            );
            msg.push_str(if tracked {
                "; .env is already tracked by git (`git rm --cached .env`)"
            } else {
                "; a .env file is in the working tree and could be committed"
            });
        }
        Outcome::fail(msg)
    }
}
