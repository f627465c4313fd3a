//! The shared shape of "this document exists" checks: which wording names the document, which
//! file names count, and the refusal to bind items that claim more than existence.

use gonogo_engine::catalogue::{AutoBinding, BindVerdict, ItemView, Outcome};
use gonogo_engine::context::{RepoEntry, RunContext};

use super::{find_docs, read_text};
use crate::wording::{has_any, has_phrase, human_act, leftover};

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
    /// The binder's trigger words: those of its phrases.
    pub fn triggers(&self) -> Vec<&'static str> {
        crate::wording::triggers_of(&[self.phrases])
    }

    pub fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        self.bind_as(view, false)
    }

    /// As `bind`, but a person's act done *on the document* ("runbook reviewed by on-call",
    /// "deployment guide rehearsed") binds too: the act presupposes the document, which the
    /// check shows, and the act itself stays a person's (the engine keeps every claim with a
    /// person's act for a person to sign). For documents people work from, not ones whose
    /// review is about something else (third-party licenses, company security policies).
    pub fn bind_with_acts(&self, view: &ItemView<'_>) -> BindVerdict {
        self.bind_as(view, true)
    }

    /// The plurals of the phrases that name a kind of document ("troubleshooting guides"): a
    /// team names the one document, or each of several, the same way. Not file names, and not
    /// a single word, whose plural is often other people's ("licenses" of dependencies).
    fn plurals(&self) -> Vec<String> {
        self.phrases
            .iter()
            .filter(|p| {
                p.ends_with(|c: char| c.is_ascii_alphabetic())
                    && !p.contains('.')
                    && p.contains(' ')
            })
            .map(|p| format!("{p}s"))
            .collect()
    }

    fn bind_as(&self, view: &ItemView<'_>, acts_on_it: bool) -> BindVerdict {
        let lower = view.lower;
        let plurals = self.plurals();
        if !has_any(lower, self.phrases) && !plurals.iter().any(|p| has_phrase(lower, p)) {
            return BindVerdict::No;
        }
        // The plural's last word is part of naming the document, as the singular's is.
        let plural_words: Vec<&str> = plurals
            .iter()
            .filter_map(|p| p.rsplit(' ').next())
            .collect();
        let candidates = vec![AutoBinding::new(format!("wording names {}", self.what))];
        // Acts done to people ("team trained on the runbook") say nothing of the document.
        const ON_PEOPLE: &[&str] = &[
            "train",
            "brief",
            "communicated to",
            "communicate to",
            "communicated with",
            "announce",
            "acknowledge",
            "understood",
            "aware",
            "kept informed",
            "informed of",
            "informed about",
            "are informed",
            "is informed",
            "interview",
        ];
        if acts_on_it
            && let Some(act) = human_act(lower)
            && !ON_PEOPLE.contains(&act)
        {
            // Who acts ("by the operations team", "with on-call") says nothing of the
            // document; what is left must be the document and the act alone.
            let cut = [" by ", " with "]
                .iter()
                .filter_map(|w| lower.find(w))
                .min()
                .unwrap_or(lower.len());
            let head = &lower[..cut];
            let mut used: Vec<&str> = self.phrases.to_vec();
            used.extend_from_slice(self.allowed);
            used.extend_from_slice(&plural_words);
            // Pieces of "we've" and "the system's".
            used.extend_from_slice(&["s", "ve"]);
            let extra: Vec<&str> = leftover(head, &used)
                .into_iter()
                .filter(|w| human_act(w).is_none())
                .collect();
            let names = has_any(head, self.phrases) || plurals.iter().any(|p| has_phrase(head, p));
            if names && extra.len() <= 1 {
                return BindVerdict::Bind(vec![AutoBinding::new(format!(
                    "wording names {}; \"{act}\" stays a person's",
                    self.what
                ))]);
            }
        }
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
        used.extend_from_slice(&plural_words);
        used.extend_from_slice(PLACE);
        let extra = leftover(lower, &used);
        // A word that claims something ("tested", "linked") is more than the document's
        // presence; a couple of others ("for top failure modes") say which document.
        if crate::wording::says_more(&extra, 0) {
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

/// Where a document is put ("a SECURITY.md in the root directory of your repository"): part
/// of naming it, not a claim beyond it.
const PLACE: &[&str] = &[
    "root",
    "directory",
    "folder",
    "top-level",
    "repository",
    "repo",
    "project",
    "place",
    "placed",
    "file",
];

/// Extensions a prose document has (or none); an OpenAPI description may be YAML or JSON.
fn is_document(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let spec = name.starts_with("openapi") || name.starts_with("swagger");
    matches!(
        ext,
        "" | "md" | "markdown" | "rst" | "txt" | "adoc" | "asciidoc" | "html" | "org"
    ) || (spec && matches!(ext, "yaml" | "yml" | "json"))
}

/// Whether a folder holds a non-empty document or diagram (two levels deep): a `deploy/`
/// folder of manifests and keys is not a deployment guide.
fn holds_writing(dir: &std::path::Path, depth: usize) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().take(500).any(|e| {
        let Ok(kind) = e.file_type() else {
            return false;
        };
        let name = e.file_name().to_string_lossy().to_ascii_lowercase();
        if kind.is_dir() {
            return depth > 1 && holds_writing(&e.path(), depth - 1);
        }
        let ext = name.rsplit_once('.').map_or("", |(_, x)| x);
        let writing = matches!(
            ext,
            "md" | "markdown" | "rst" | "txt" | "adoc" | "asciidoc" | "html" | "org"
        ) || matches!(ext, "png" | "svg" | "drawio" | "puml" | "mmd");
        kind.is_file() && writing && e.metadata().is_ok_and(|m| m.len() > 0)
    })
}

impl Presence {
    /// `run`, then, when no file is named for the document, a section or file that says it
    /// wherever it is (`content.rs`).
    pub fn run_or_by_content(
        &self,
        ctx: &RunContext,
        by_content: fn(&RunContext) -> Option<gonogo_engine::catalogue::Evidence>,
    ) -> Outcome {
        let mut named = self.run(ctx);
        if named.status != gonogo_engine::catalogue::CheckStatus::Fail {
            return named;
        }
        match by_content(ctx) {
            Some(found) => Outcome::pass(format!(
                "{} found by its content: {}",
                self.name,
                found.file.as_deref().unwrap_or("")
            ))
            .with_evidence(found),
            None => {
                named
                    .message
                    .push_str("; no section of the README or docs describes it either");
                named
            }
        }
    }

    /// The whole check for documents that only need to exist: a non-empty prose file (a
    /// `deployment.yaml` manifest is not a deployment guide), or a non-empty folder
    /// (`docs/deployment/`), whose name is this document.
    pub fn run(&self, ctx: &RunContext) -> Outcome {
        use gonogo_engine::catalogue::Evidence;
        let mut empty = None;
        for entry in find_docs(ctx, self.stem) {
            if !is_document(&entry.path) {
                continue;
            }
            match read_text(ctx, &entry.path) {
                Ok(text) if !text.trim().is_empty() => {
                    return Outcome::pass(format!(
                        "{} found: {} ({} lines)",
                        self.name,
                        entry.path,
                        text.lines().count()
                    ))
                    .with_evidence(Evidence::at(
                        entry.path.clone(),
                        None,
                        self.name.to_string(),
                    ));
                }
                Ok(_) => empty = Some(entry.path.clone()),
                Err(e) => return Outcome::error(e),
            }
        }
        let dir = ctx.root_listing().iter().find(|e| {
            let n = e
                .path
                .rsplit('/')
                .next()
                .unwrap_or(&e.path)
                .to_ascii_lowercase();
            e.is_dir && (self.stem)(&n) && holds_writing(&ctx.repo.join(&e.path), 2)
        });
        if let Some(d) = dir {
            return Outcome::pass(format!("{} found: {}/", self.name, d.path)).with_evidence(
                Evidence::at(format!("{}/", d.path), None, self.name.to_string()),
            );
        }
        Outcome::fail(match empty {
            Some(path) => format!("{path} is empty"),
            None => format!(
                "no {} found at the repository root, docs/ or .github/: add one",
                self.name
            ),
        })
    }
}
