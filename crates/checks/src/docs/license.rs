//! `docs.license` — a LICENSE file.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::presence::Presence;

pub struct License;

static META: CheckMeta = CheckMeta {
    id: "docs.license",
    title: "LICENSE file present",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A non-empty LICENSE, LICENCE, COPYING or UNLICENSE file (any extension, also \
               LICENSE-MIT style) at the root, in docs/ or in .github/.",
        why: "Without a license nobody outside the authors may legally use, ship or audit the \
              code; legal review blocks releases that lack one.",
        fix: "Add a LICENSE file with the full text of the license you chose.",
        example: "LICENSE (the MIT license text)",
        binds: &[
            "LICENSE file present",
            "License added",
            "Licence file committed",
        ],
        not_binds: &[
            "Third-party licenses reviewed",
            "Open source license compliance checked",
            "License keys rotated for all vendors",
            "No API keys or passwords in the image, whether as build arguments or copied files",
        ],
    },
};

static DOC: Presence = Presence {
    phrases: &["license", "licence", "license file", "licence file"],
    allowed: &[],
    stem: |s| {
        s.starts_with("license") || s.starts_with("licence") || s == "copying" || s == "unlicense"
    },
    what: "a LICENSE file",
    name: "LICENSE file",
};

#[async_trait::async_trait]
impl Check for License {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["license"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        DOC.triggers()
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        // The shared vocabulary reads "copied files" as a COPYING file (stems match):
        // only an item that names a licence itself, as written, is about one.
        let raw = view.item.text.to_lowercase();
        let names_one = raw.contains("licen")
            || crate::wording::words(&raw)
                .iter()
                .any(|w| w.starts_with("copying"));
        if !names_one {
            return BindVerdict::No;
        }
        DOC.bind(view)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        match DOC.find(&ctx) {
            Ok((entry, text)) => {
                let first = text
                    .lines()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("")
                    .trim();
                Outcome::pass(format!("{} is present", entry.path)).with_evidence(Evidence::at(
                    entry.path.clone(),
                    Some(1),
                    first.chars().take(80).collect::<String>(),
                ))
            }
            Err(outcome) => outcome,
        }
    }
}
