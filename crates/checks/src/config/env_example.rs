//! `config.env-example` — an example environment file documents the configuration.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use crate::wording::{bind_unless_claims_more, human_act, leftover};

pub struct EnvExample;

static META: CheckMeta = CheckMeta {
    id: "config.env-example",
    title: "Example environment file (.env.example) present",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A `.env.example` (or `.env.sample`, `.env.template`, `.env.dist`, `example.env`) \
               at the repository root that defines at least one variable (`NAME=…`).",
        why: "The first deploy to a new environment fails on the variable nobody wrote down; an \
              example file is the list operators fill in.",
        fix: "Add .env.example listing every variable the service reads, with placeholder values \
              and a comment for each; commit it (and keep the real .env out of git).",
        example: ".env.example:\n  # PostgreSQL connection string\n  DATABASE_URL=postgres://user:CHANGEME@db:5432/app",
        binds: &["`.env.example` updated", ".env.example file present"],
        not_binds: &[
            "Production .env configured",
            "Environment variables secured",
            "Changed default passwords in `.env`",
            "Environment variables documented",
        ],
    },
};

pub(crate) const NAMES: &[&str] = &[
    ".env.example",
    ".env.sample",
    ".env.template",
    ".env.dist",
    ".env.defaults",
    "example.env",
    "env.example",
    "sample.env",
];

#[async_trait::async_trait]
impl Check for EnvExample {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["env-example"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        NAMES.to_vec()
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let names_file = NAMES.iter().any(|n| lower.contains(n));
        // "Environment variables documented" is `config.env-documented`'s: it compares the
        // variables the code reads with the example file.
        if !names_file {
            return BindVerdict::No;
        }
        let candidates = vec![AutoBinding::new(
            "wording names an example environment file",
        )];
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement"),
                candidates,
            };
        }
        let extra = leftover(
            lower,
            &[
                "env.example",
                "env",
                "example",
                "environment",
                "variables",
                "vars",
                "sample",
                "template",
            ],
        );
        bind_unless_claims_more(
            &extra,
            1,
            "an example environment file can show",
            candidates,
        )
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let listing = ctx.root_listing();
        let Some(entry) = listing
            .iter()
            .find(|e| !e.is_dir && NAMES.contains(&e.path.to_ascii_lowercase().as_str()))
        else {
            return Outcome::fail(
                "no .env.example at the repository root: add one listing every variable the service reads",
            );
        };
        let text = match crate::docs::read_text(&ctx, &entry.path) {
            Ok(t) => t,
            Err(e) => return Outcome::error(e),
        };
        let vars: Vec<(usize, &str)> = text
            .lines()
            .enumerate()
            .filter_map(|(i, l)| {
                let l = l.trim().strip_prefix("export ").unwrap_or(l.trim());
                let (name, _) = l.split_once('=')?;
                let ok = !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !name.starts_with(|c: char| c.is_ascii_digit());
                ok.then_some((i + 1, name))
            })
            .collect();
        match vars.first() {
            // Only names are shown: example values may still be real secrets.
            Some(&(line, first)) => Outcome::pass(format!(
                "{} documents {} variable{}",
                entry.path,
                vars.len(),
                if vars.len() == 1 { "" } else { "s" }
            ))
            .with_evidence(Evidence::at(
                entry.path.clone(),
                Some(line),
                format!("first: {first}"),
            )),
            None => Outcome::fail(format!(
                "{} defines no variables (expected lines such as NAME=value)",
                entry.path
            )),
        }
    }
}
