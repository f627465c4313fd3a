//! `docs.changelog` — a CHANGELOG with version entries.

use std::sync::{Arc, LazyLock};

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use regex::Regex;

use super::headings;
use super::presence::Presence;

pub struct Changelog;

static META: CheckMeta = CheckMeta {
    id: "docs.changelog",
    title: "CHANGELOG with version entries",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A non-empty CHANGELOG (also CHANGES, HISTORY, NEWS, RELEASES) whose headings \
               include at least one version (`1.2.0`, `v2.0`) or an `Unreleased` entry.",
        why: "Operators deciding whether to upgrade, and responders hunting the change that \
              broke production, read the changelog first.",
        fix: "Add CHANGELOG.md with a heading per release, newest first, e.g. \
              `## [1.0.0] - 2026-11-23`, listing what changed.",
        example: "CHANGELOG.md:\n  # Changelog\n  ## [Unreleased]\n  ## [1.0.0] - 2026-11-01",
        binds: &[
            "CHANGELOG.md updated",
            "Changelog maintained",
            "Release notes written",
        ],
        not_binds: &[
            "Changelog reviewed by product",
            "Change log approved by the CAB",
        ],
    },
};

static DOC: Presence = Presence {
    phrases: &["changelog", "changelog.md", "change log", "release notes"],
    allowed: &["notes", "release"],
    stem: |s| {
        matches!(
            s,
            "changelog" | "changes" | "history" | "news" | "releases" | "release-notes"
        )
    },
    what: "a CHANGELOG",
    name: "CHANGELOG",
};

static VERSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bv?\d+\.\d+(\.\d+)?\b|\bunreleased\b").expect("version regex"));

#[async_trait::async_trait]
impl Check for Changelog {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// What the changelog must say needs the changelog, when the item names it outside an
    /// aside: release notes "drafted" or "sent to customers" are a message, not the file.
    fn shows_part(&self, item: &ItemView<'_>) -> bool {
        let head = item.lower.split('(').next().unwrap_or_default();
        crate::wording::has_any(head, &["changelog", "change log"])
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["changelog"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        DOC.triggers()
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        DOC.bind(view)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let (entry, text) = match DOC.find(&ctx) {
            Ok(found) => found,
            Err(outcome) => return outcome,
        };
        let versions: Vec<(usize, String)> = headings(&text)
            .into_iter()
            .filter(|(_, h)| VERSION.is_match(h))
            .collect();
        match versions.first() {
            Some((line, h)) => Outcome::pass(format!(
                "{} has {} version entr{}",
                entry.path,
                versions.len(),
                if versions.len() == 1 { "y" } else { "ies" }
            ))
            .with_evidence(Evidence::at(
                entry.path.clone(),
                Some(*line),
                format!("latest entry: \"{h}\""),
            )),
            None => Outcome::fail(format!(
                "{} has no version headings: add one per release, e.g. \"## [1.0.0] - 2026-11-23\"",
                entry.path
            )),
        }
    }
}
