//! The shared shape of "this document exists" checks: which wording names the document, which
//! file names count, and the refusal to bind items that claim more than existence.

use gonogo_engine::catalogue::{AutoBinding, BindVerdict, ItemView, Outcome};
use gonogo_engine::context::{RepoEntry, RunContext};

use super::{find_docs, read_text};
use crate::wording::{has_any, human_act, leftover};

pub(crate) struct Presence {
    /// Wording that names the document ("security policy", "SECURITY.md").
    pub phrases: &'static [&'static str],
    /// Further words that are part of naming it, not extra claims.
    pub allowed: &'static [&'static str],
    /// Whether a file name stem (lowercase, before the first dot) is this document.
    pub stem: fn(&str) -> bool,
    /// How messages name the document, with its article ("a LICENSE file").
    pub what: &'static str,
    /// The same without the article ("LICENSE file").
    pub name: &'static str,
}

impl Presence {
    pub fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(lower, self.phrases) {
            return BindVerdict::No;
        }
        let candidates = vec![AutoBinding::new(format!("wording names {}", self.what))];
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!(
                    "\"{act}\" is a person's judgement; {} existing does not prove it",
                    self.what
                ),
                candidates,
            };
        }
        let mut used: Vec<&str> = self.phrases.to_vec();
        used.extend_from_slice(self.allowed);
        let extra = leftover(lower, &used);
        if extra.len() > 1 {
            return BindVerdict::Declined {
                why: format!(
                    "the item claims more than {} existing can show ({})",
                    self.what,
                    extra.join(" ")
                ),
                candidates,
            };
        }
        BindVerdict::Bind(candidates)
    }

    /// The document (the first non-empty match), or the outcome to report.
    pub fn find<'a>(&self, ctx: &'a RunContext) -> Result<(&'a RepoEntry, String), Outcome> {
        let found = find_docs(ctx, self.stem);
        let mut empty = None;
        for entry in &found {
            match read_text(ctx, &entry.path) {
                Ok(text) if !text.trim().is_empty() => return Ok((entry, text)),
                Ok(_) => empty = Some(entry.path.clone()),
                Err(e) => return Err(Outcome::error(e)),
            }
        }
        Err(match empty {
            Some(path) => Outcome::fail(format!("{path} is empty")),
            None => Outcome::fail(format!(
                "no {} found at the repository root, docs/ or .github/: add one",
                self.name
            )),
        })
    }
}
