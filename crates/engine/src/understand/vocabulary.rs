//! The shared vocabulary: concepts checklists name, each with the canonical wording the
//! checks' binders know and everything else people write for it, kept as data in
//! `vocabulary.toml`. Matching is on word stems (Snowball's English stemmer), so inflections
//! ("runs", "running"), plurals and hyphenation ("non-root", "non root") need no entries of
//! their own.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use serde::Deserialize;

/// The vocabulary as written, checked by the tests in this module.
const SOURCE: &str = include_str!("vocabulary.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    person: Person,
    framing: Framing,
    #[serde(rename = "concept")]
    concepts: Vec<ConceptEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Person {
    acts: Vec<String>,
}

/// Words that frame a claim without being part of it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framing {
    /// Openings dropped at the start ("verify that", "ensure", "we have").
    pub openings: Vec<String>,
    /// Modal words dropped anywhere ("must", "shall", "needs to").
    pub modals: Vec<String>,
    /// Words that open a purpose clause when they follow "to" ("to keep", "to avoid").
    pub purpose_verbs: Vec<String>,
    /// Phrases that open a purpose or reason clause by themselves ("so that", "because").
    pub purpose_openers: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConceptEntry {
    id: String,
    /// What the concept means, for people reading the vocabulary.
    #[allow(dead_code)]
    means: String,
    canonical: String,
    says: Vec<String>,
    /// Words that name the concept only when they are all an item says ("HTTPS"): within
    /// a longer item they may be about something else ("PostgreSQL over TLS").
    #[serde(default)]
    alone: Vec<String>,
    /// What the canonical words leave to a person when they show only part of the concept
    /// ("high availability" is shown in part by replicas): a claim of its own, with a
    /// person's act in it.
    #[serde(default)]
    person: Option<String>,
    /// Words that put the concept's synonyms about something else ("encrypted in transit" to
    /// a database is not the public endpoint's HTTPS): a text naming one is not rewritten.
    #[serde(default)]
    not_with: Vec<String>,
    /// What the synonyms become when a `not_with` word is named (else they stay as written).
    #[serde(default)]
    otherwise: Option<String>,
}

/// One concept, ready to match.
#[derive(Debug)]
pub struct Concept {
    pub id: String,
    pub canonical: String,
    /// Lowercased texts that are this concept when they are the whole item (`alone`).
    pub alone: Vec<String>,
    /// The part a person vouches for (`person` in the vocabulary), when the canonical words
    /// show only a part.
    pub person: Option<String>,
    /// Lowercased words that keep the concept from matching (`not_with`).
    pub not_with: Vec<String>,
    /// The wording used instead of `canonical` when a `not_with` word is named.
    pub otherwise: Option<String>,
}

/// The vocabulary, parsed and stemmed once.
pub struct Vocabulary {
    pub concepts: Vec<Concept>,
    /// Stems of each synonym, by the stem of its first word: (concept index, stems).
    by_first: HashMap<String, Vec<(usize, Vec<String>)>>,
    /// Stems of each concept's canonical wording.
    canonical_stems: Vec<Vec<String>>,
    pub person_acts: Vec<String>,
    /// Stems of each person act, in order.
    act_stems: Vec<Vec<String>>,
    /// Finds the stem of any act's first word: a text none occurs in names no act, which
    /// is most texts, and is answered without stemming.
    act_prefilter: aho_corasick::AhoCorasick,
    pub framing: Framing,
}

static VOCABULARY: LazyLock<Vocabulary> =
    LazyLock::new(|| Vocabulary::parse(SOURCE).expect("vocabulary.toml is valid (tested)"));

/// What a text names when it names nothing else (`Vocabulary::topic`).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Topic {
    /// The concepts named, by index, in order.
    pub concepts: Vec<usize>,
    /// Whether it says they are kept in the repository ("version controlled"): a qualifier
    /// only checks that read the repository can show.
    pub in_repository: bool,
}

/// The built-in vocabulary.
pub fn vocabulary() -> &'static Vocabulary {
    &VOCABULARY
}

/// Whether `phrase` occurs in `text` between word boundaries.
fn has_word(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Where the sentence holding byte `at` begins: after the last ". ", "; ", "? " or "! ".
fn sentence_start(text: &str, at: usize) -> usize {
    [". ", "; ", "? ", "! "]
        .iter()
        .filter_map(|sep| text[..at].rfind(sep).map(|i| i + sep.len()))
        .max()
        .unwrap_or(0)
}

/// Where the clause going on from byte `at` ends: at the next sentence end, coordinated
/// clause (" and ", " but ", " while ") or aside (" (").
fn clause_end(text: &str, at: usize) -> usize {
    [
        ". ",
        "; ",
        "? ",
        "! ",
        " and ",
        " but ",
        " while ",
        " whereas ",
        " (",
    ]
    .iter()
    .filter_map(|sep| text[at..].find(sep).map(|i| at + i))
    .min()
    .unwrap_or(text.len())
}

impl Vocabulary {
    fn parse(source: &str) -> Result<Self, String> {
        let file: File = toml::from_str(source).map_err(|e| e.to_string())?;
        let mut concepts = Vec::new();
        let mut canonical_stems = Vec::new();
        let mut by_first: HashMap<String, Vec<(usize, Vec<String>)>> = HashMap::new();
        for (i, c) in file.concepts.into_iter().enumerate() {
            // A concept shown in part (`person`) borrows another concept's canonical words;
            // they stay that concept's.
            let own = c.person.is_none().then_some(&c.canonical);
            for phrase in c.says.iter().chain(own) {
                let stems: Vec<String> = tokens(phrase).map(|(_, w)| stem(w)).collect();
                let Some(first) = stems.first().cloned() else {
                    return Err(format!("concept {}: an empty phrase", c.id));
                };
                by_first.entry(first).or_default().push((i, stems));
            }
            canonical_stems.push(tokens(&c.canonical).map(|(_, w)| stem(w)).collect());
            concepts.push(Concept {
                id: c.id,
                canonical: c.canonical,
                alone: c.alone.iter().map(|a| a.to_lowercase()).collect(),
                person: c.person,
                not_with: c.not_with.iter().map(|w| w.to_lowercase()).collect(),
                otherwise: c.otherwise,
            });
        }
        // Longest synonyms first, so "non-privileged account" wins over "non-privileged".
        for list in by_first.values_mut() {
            list.sort_by_key(|(_, s)| std::cmp::Reverse(s.len()));
        }
        let act_stems: Vec<Vec<String>> = file
            .person
            .acts
            .iter()
            .map(|a| tokens(a).map(|(_, w)| act_stem(w)).collect())
            .collect();
        let act_prefilter = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(act_stems.iter().filter_map(|s| s.first()))
            .map_err(|e| e.to_string())?;
        Ok(Vocabulary {
            act_stems,
            act_prefilter,
            concepts,
            by_first,
            canonical_stems,
            person_acts: file.person.acts,
            framing: file.framing,
        })
    }

    /// The concept whose `alone` wording `text` is, all of it.
    pub fn alone(&self, text: &str) -> Option<usize> {
        let t = text.trim();
        self.concepts
            .iter()
            .position(|c| c.alone.iter().any(|a| a == t))
    }

    /// `text` with every synonym replaced by its concept's canonical wording, and the
    /// concepts found, in order. Words before a negated synonym that only carry it ("do",
    /// "does", "is") go with it: "do not run as root" → "non-root".
    pub fn rewrite(&self, text: &str) -> (String, Vec<usize>) {
        let toks: Vec<(usize, &str)> = tokens(text).collect();
        if toks.is_empty() {
            return (text.to_string(), Vec::new());
        }
        let stems: Vec<String> = toks.iter().map(|(_, w)| stem(w)).collect();
        let mut out = String::with_capacity(text.len() + 16);
        let mut found = Vec::new();
        let mut copied = 0; // bytes of `text` already in `out`
        let mut i = 0;
        while i < toks.len() {
            let Some((concept, s)) = self.match_at(&stems, i) else {
                i += 1;
                continue;
            };
            let mut start = toks[i].0;
            if matches!(stems[i].as_str(), "not" | "never" | "no")
                && i > 0
                && matches!(
                    toks[i - 1].1,
                    "do" | "does" | "did" | "is" | "are" | "will" | "can"
                )
                && toks[i - 1].0 >= copied
            {
                start = toks[i - 1].0;
            }
            let (last_at, last) = toks[i + s.len() - 1];
            let end = last_at + last.len();
            // Part of a path or a name ("docs/runbook.md", "pr-checks.yml"): not a word.
            let before = text[..toks[i].0].chars().next_back();
            let (last_at, last) = toks[i + s.len() - 1];
            let after = text[last_at + last.len()..].chars().next();
            if matches!(before, Some('/' | '_' | '.')) || matches!(after, Some('/' | '_')) {
                i += 1;
                continue;
            }
            let c = &self.concepts[*concept];
            // A concept shown in part is a claim only where the item claims it: not in an
            // aside ("(if high availability required)") or as a purpose ("anti-affinity
            // rules applied for high availability").
            if c.person.is_some()
                && (text[..start].matches('(').count() > text[..start].matches(')').count()
                    || i > 0 && matches!(toks[i - 1].1, "for" | "if" | "when" | "where"))
            {
                i += 1;
                continue;
            }
            // What the synonyms are said of: their sentence up to the end of their own
            // clause ("all traffic is encrypted in transit and secrets are stored in vault"
            // says nothing of secrets in transit).
            let scope = &text[sentence_start(text, start)..clause_end(text, end)];
            let canonical = if !c.not_with.iter().any(|w| has_word(scope, w)) {
                found.push(*concept);
                &c.canonical
            } else if let Some(otherwise) = &c.otherwise {
                // Said of something else: its plainer wording, and nothing left to a person.
                out.push_str(&text[copied..start]);
                out.push_str(otherwise);
                copied = end;
                i += s.len();
                continue;
            } else {
                i += 1;
                continue;
            };
            // Canonical words inflected ("pins" for "pinned", "tested" for "tests") keep
            // their grammar and number ("security policies" are not a SECURITY.md); only a
            // phrase's modifiers are written canonically ("networking policies"), since
            // binders read phrases as written.
            let last_as_written = canonical.rsplit(' ').next() == Some(last);
            if *s == self.canonical_stems[*concept] && (s.len() == 1 || !last_as_written) {
                i += s.len();
                continue;
            }
            // Already canonical, counting punctuation the words left out (".dockerignore").
            let written = |from: usize| text.get(from..end) == Some(canonical.as_str());
            if written(start) || (start > 0 && written(start - 1)) {
                i += s.len();
                continue;
            }
            out.push_str(&text[copied..start]);
            out.push_str(canonical);
            copied = end;
            i += s.len();
        }
        out.push_str(&text[copied..]);
        (out, found)
    }

    /// The longest synonym starting at word `i` of `stems`: its concept and stems.
    fn match_at(&self, stems: &[String], i: usize) -> Option<&(usize, Vec<String>)> {
        self.by_first.get(&stems[i]).and_then(|list| {
            list.iter()
                .find(|(_, s)| i + s.len() <= stems.len() && stems[i..i + s.len()] == s[..])
        })
    }

    /// The concepts `text` names when it names nothing else ("Networking policies", "SAST
    /// implementation", "Backup strategy implemented"): every word belongs to a concept's
    /// wording, to a concept that only qualifies another ("every", "production"), or says
    /// the thing exists or is in use (`CARRIERS`). `None` when anything else is said —
    /// a negation, a number, a result, a place — or when only qualifiers are named.
    pub fn topic(&self, text: &str) -> Option<Topic> {
        // A topic is a few words; a longer text says more, and is not worth stemming.
        if tokens(text).nth(MAX_TOPIC_WORDS).is_some() {
            return None;
        }
        let stems: Vec<String> = tokens(text).map(|(_, w)| stem(w)).collect();
        // A strategy "defined" is a plan for the thing ("Migration strategy defined"), which
        // a person judges; one "implemented" or "in place" is the thing.
        if stems.iter().any(|s| s == "strategi")
            && stems
                .iter()
                .any(|s| matches!(s.as_str(), "defin" | "document" | "agre"))
        {
            return None;
        }
        let carriers = &*CARRIER_STEMS;
        let mut topic = Topic::default();
        let mut i = 0;
        while i < stems.len() {
            if let Some((concept, s)) = self.match_at(&stems, i) {
                let id = self.concepts[*concept].id.as_str();
                if REPOSITORY_QUALIFIERS.contains(&id) {
                    topic.in_repository = true;
                } else if !QUALIFYING_CONCEPTS.contains(&id) && !topic.concepts.contains(concept) {
                    topic.concepts.push(*concept);
                }
                i += s.len();
                continue;
            }
            if !carriers.contains(stems[i].as_str()) {
                return None;
            }
            i += 1;
        }
        (!topic.concepts.is_empty()).then_some(topic)
    }

    /// The first act in `text` that only a person can vouch for ("rehearsed", "signed off").
    pub fn person_act(&self, text: &str) -> Option<&str> {
        // A stem is a prefix of its inflections ("rehears" of "rehearsed"), so an act whose
        // first stem does not occur is not there.
        if !self.act_prefilter.is_match(text) {
            return None;
        }
        let stems: Vec<String> = tokens(text).map(|(_, w)| act_stem(w)).collect();
        self.person_acts
            .iter()
            .zip(&self.act_stems)
            .find(|(_, want)| {
                !want.is_empty() && stems.windows(want.len()).any(|w| w == want.as_slice())
            })
            .map(|(act, _)| act.as_str())
    }
}

/// Concepts that qualify what an item names without being its subject ("every container",
/// "production dashboards").
const QUALIFYING_CONCEPTS: &[&str] = &[
    "every",
    "enabled",
    "kubernetes",
    "production",
    "containers",
    "configuration",
    "repository",
    "prometheus",
];

/// The most words a topic is written in ("network policy solution adopted for all services").
const MAX_TOPIC_WORDS: usize = 10;

/// Concepts that qualify a subject as files of the repository ("alert rules version
/// controlled"): only checks that read the repository can show them.
const REPOSITORY_QUALIFIERS: &[&str] = &["in-repository"];

/// Words that say a named thing exists, is in use or is put in place, and nothing more:
/// "Backup strategy implemented", "SAST integration", "Dashboards set up for all services".
const CARRIERS: &[&str] = &[
    "a",
    "an",
    "the",
    "our",
    "all",
    "each",
    "any",
    "for",
    "of",
    "on",
    "and",
    "or",
    "is",
    "are",
    "be",
    "been",
    "being",
    "has",
    "have",
    "having",
    "in",
    "place",
    "implement",
    "implemented",
    "implementation",
    "integration",
    "integrated",
    "configure",
    "configured",
    "set",
    "up",
    "setup",
    "define",
    "defined",
    "create",
    "created",
    "exist",
    "exists",
    "present",
    "available",
    "add",
    "added",
    "adopt",
    "adopted",
    "use",
    "used",
    "using",
    "introduce",
    "introduced",
    "establish",
    "established",
    "apply",
    "applied",
    "provide",
    "provided",
    "strategy",
    "solution",
    "mechanism",
    "support",
    "supported",
    "tooling",
    "tool",
    "tools",
    "required",
    "mandatory",
    "recommended",
    "proper",
    "properly",
    "correctly",
    "service",
    "services",
    "app",
    "application",
    "applications",
    "system",
    "systems",
    "project",
];

static CARRIER_STEMS: LazyLock<std::collections::HashSet<String>> =
    LazyLock::new(|| CARRIERS.iter().map(|w| stem(w)).collect());

/// Words for matching, with their byte offsets: runs of letters, digits and `_`, so hyphens
/// and slashes separate words ("non-root" is "non" "root"); a dot inside a word stays
/// ("1.2", "readme.md", "pg_hba.conf" are one word each, and never match part of a name).
pub fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        let is_word = |c: char| c.is_alphanumeric() || c == '_';
        while i < text.len() {
            let c = text[i..].chars().next()?;
            if is_word(c) {
                break;
            }
            i += c.len_utf8();
        }
        if i >= text.len() {
            return None;
        }
        let start = i;
        while i < text.len() {
            let c = text[i..].chars().next()?;
            let inner_dot = c == '.'
                && i > start
                && bytes[i - 1].is_ascii_alphanumeric()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric);
            if !(is_word(c) || inner_dot) {
                break;
            }
            i += c.len_utf8();
        }
        Some((start, &text[start..i]))
    })
}

thread_local! {
    /// Stems seen on this thread: checklists repeat their words, and stemming is the cost.
    /// foldhash, not SipHash: the keys are a checklist's words, hashed millions of times.
    static STEMS: RefCell<foldhash::HashMap<String, String>> = RefCell::new(foldhash::HashMap::default());
}

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// The stem of a lowercase word.
/// A word as person acts are matched: stemmed, except nouns made from a verb with "-ation",
/// which name a thing, not the act ("version information of backend components" informs no
/// one, "communication to dependent services" is traffic); an act written with such a noun
/// ("penetration test") is matched the same way.
fn act_stem(word: &str) -> String {
    let l = word.to_lowercase();
    // Nouns made from an act name a thing, not the act: "version information", "a unique
    // version identifier".
    // So do the people who act: "owning team requested as reviewers" names no review done.
    const AGENTS: &[&str] = &[
        "reviewer",
        "reviewers",
        "approver",
        "approvers",
        "trainer",
        "trainers",
    ];
    if ["ation", "ations", "ational", "ier", "iers"]
        .iter()
        .any(|e| l.ends_with(e))
        || AGENTS.contains(&l.as_str())
    {
        l.trim_end_matches('s').to_string()
    } else {
        stem(word)
    }
}

pub fn stem(word: &str) -> String {
    // Numbers and versions have no inflections (and would fill the memo: "#123" in every item).
    if word.bytes().any(|b| b.is_ascii_digit()) {
        return word.to_string();
    }
    STEMS.with(|cell| {
        let mut memo = cell.borrow_mut();
        if let Some(s) = memo.get(word) {
            return s.clone();
        }
        let s = STEMMER.stem(word).into_owned();
        if memo.len() < 50_000 {
            memo.insert(word.to_string(), s.clone());
        }
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vocabulary_parses_and_has_no_dead_or_clashing_synonyms() {
        let v = Vocabulary::parse(SOURCE).unwrap();
        assert!(v.concepts.len() >= 40, "{} concepts", v.concepts.len());
        // One synonym naming two concepts would make the rewrite depend on file order.
        let mut seen: HashMap<Vec<String>, &str> = HashMap::new();
        for list in v.by_first.values() {
            for (c, stems) in list {
                let id = v.concepts[*c].id.as_str();
                if let Some(other) = seen.insert(stems.clone(), id) {
                    assert_eq!(other, id, "`{}` names two concepts", stems.join(" "));
                }
            }
        }
        let mut ids: Vec<&str> = v.concepts.iter().map(|c| c.id.as_str()).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "concept ids are unique");
    }

    #[test]
    fn synonyms_become_canonical_across_inflections_and_hyphens() {
        let v = vocabulary();
        let (t, _) = v.rewrite("workloads run with a non privileged account");
        assert_eq!(t, "containers run with a non-root user");
        let (t, _) = v.rewrite("containers do not run as root");
        assert_eq!(t, "containers run as non-root");
    }

    #[test]
    fn words_that_put_a_concept_elsewhere_count_only_in_its_own_clause() {
        let v = vocabulary();
        // The secrets are another clause's subject: the traffic is the endpoint's.
        let (t, found) = v.rewrite("all traffic is encrypted in transit and secrets are in vault");
        assert!(t.contains("https"), "{t}");
        assert!(
            found
                .iter()
                .any(|&c| v.concepts[c].id == "encrypted-in-transit")
        );
        // Said of the database, before or after the synonyms, it is not the endpoint's.
        for other in [
            "connections to the database are encrypted in transit",
            "traffic is encrypted in transit to the database",
            "secrets encrypted in transit, and rotated",
        ] {
            let (t, _) = v.rewrite(other);
            assert!(!t.contains("https"), "{other} -> {t}");
        }
    }

    #[test]
    fn names_and_paths_are_not_rewritten() {
        let v = vocabulary();
        assert_eq!(
            v.rewrite("runbook in docs/runbook.md").0,
            "runbook in docs/runbook.md"
        );
        assert_eq!(
            v.rewrite("pg_hba.conf has no trust lines").0,
            "pg_hba.conf has no trust lines"
        );
        assert_eq!(v.rewrite("arch doc").0, "architecture documentation");
    }

    #[test]
    fn person_acts_match_inflected() {
        let v = vocabulary();
        assert_eq!(v.person_act("rollback plan rehearsed"), Some("rehearse"));
        assert_eq!(v.person_act("rollback plan written"), None);
        assert_eq!(
            v.person_act("team informed of the launch"),
            Some("informed of")
        );
        assert_eq!(
            v.person_act("does not expose detailed version information of backend components"),
            None
        );
        assert_eq!(v.person_act("encrypted communication to datastores"), None);
        // The people who act are not the act.
        assert_eq!(
            v.person_act("owning team requested as reviewers on pull requests"),
            None
        );
        assert_eq!(
            v.person_act("changes reviewed by the reviewers"),
            Some("review")
        );
    }

    #[test]
    fn tokens_split_on_punctuation_but_keep_versions() {
        let t: Vec<&str> = tokens("non-root, tls 1.2+ ./x.md")
            .map(|(_, w)| w)
            .collect();
        assert_eq!(t, ["non", "root", "tls", "1.2", "x.md"]);
    }
}
