//! Small helpers for reading an item's wording. Binders combine them; precision comes first.

use std::cell::RefCell;

use gonogo_engine::catalogue::{AutoBinding, BindVerdict, SAYS_MORE};

/// Words of lowercased text. `.`, `-` and `_` inside a word are kept ("readme.md", "on-call").
pub fn words(lower: &str) -> Vec<&str> {
    with_words(lower, |w| w.iter().collect())
}

/// The words of `words`, without collecting them.
fn tokens(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-' || c == '_'))
        .map(|w| w.trim_matches(|c: char| c == '.' || c == '-' || c == '_'))
        .filter(|w| !w.is_empty())
}

/// Whether `tokens(phrase)` would give back `phrase` itself: ASCII letters and digits, with
/// `.`, `-` or `_` only inside.
fn is_one_word(phrase: &str) -> bool {
    let b = phrase.as_bytes();
    let inner = |c: &u8| matches!(c, b'.' | b'-' | b'_');
    !b.is_empty()
        && !inner(&b[0])
        && !inner(&b[b.len() - 1])
        && b.iter().all(|c| c.is_ascii_alphanumeric() || inner(c))
}

/// Whether `word` is one of the words of `phrase`.
fn phrase_has_word(phrase: &str, word: &str) -> bool {
    if is_one_word(phrase) {
        phrase == word
    } else {
        tokens(phrase).any(|t| t == word)
    }
}

/// The words of one text, as byte ranges into it.
struct Words<'t, 's> {
    text: &'t str,
    spans: &'s [(u32, u32)],
    /// Bit `b` is set when a word starts with the ASCII byte `b`.
    firsts: u128,
}

impl<'t> Words<'t, '_> {
    fn iter(&self) -> impl Iterator<Item = &'t str> + '_ {
        self.spans
            .iter()
            .map(|&(s, e)| &self.text[s as usize..e as usize])
    }

    fn get(&self, i: usize) -> Option<&'t str> {
        self.spans
            .get(i)
            .map(|&(s, e)| &self.text[s as usize..e as usize])
    }

    /// False when no word starts as `phrase` does: most phrases asked are ruled out by their
    /// first letter alone.
    fn may_start_a_word(&self, phrase: &str) -> bool {
        match phrase.as_bytes().first() {
            Some(&c) if c.is_ascii_alphanumeric() => self.firsts & (1u128 << c) != 0,
            Some(_) => true,
            None => false,
        }
    }

    /// Whether the words of `phrase` occur here one after another.
    fn contains_phrase(&self, phrase: &str) -> bool {
        if !self.may_start_a_word(phrase) {
            return false;
        }
        if is_one_word(phrase) {
            // Most phrases are one word already: compare without splitting the phrase.
            return self.iter().any(|w| w == phrase);
        }
        // Each piece of the phrase as written must occur too: punctuation the words drop is
        // part of what the phrase says ("tls 1.3+" is not "tls 1.3", "ci/cd" not "ci cd").
        if !phrase
            .split_whitespace()
            .all(|w| self.text.contains(w.trim_matches(['.', '-', '_'])))
        {
            return false;
        }
        let mut want = tokens(phrase);
        let Some(first) = want.next() else {
            return false;
        };
        (0..self.spans.len()).any(|i| {
            self.get(i) == Some(first)
                && tokens(phrase)
                    .skip(1)
                    .enumerate()
                    .all(|(k, t)| self.get(i + 1 + k) == Some(t))
        })
    }
}

/// Texts tokenised lately on this thread, with their word spans. Each binder asks a dozen
/// phrases of the same item text, and ninety binders ask in turn: tokenising once per item
/// instead of once per phrase is most of what binding costs. Entries are found by content,
/// so a text freed and another allocated in its place can never be mistaken for it.
const REMEMBERED: usize = 4;

#[derive(Default)]
struct Entry {
    text: String,
    spans: Vec<(u32, u32)>,
    firsts: u128,
}

impl Entry {
    /// Make this the entry of `text`, reusing its buffers.
    fn fill(&mut self, text: &str) {
        self.text.clear();
        self.text.push_str(text);
        self.spans.clear();
        self.firsts = 0;
        let base = text.as_ptr() as usize;
        for w in tokens(text) {
            let s = w.as_ptr() as usize - base;
            self.spans.push((s as u32, (s + w.len()) as u32));
            if let Some(&c) = w.as_bytes().first().filter(|c| c.is_ascii()) {
                self.firsts |= 1u128 << c;
            }
        }
    }
}

#[derive(Default)]
struct Remembered {
    entries: Vec<Entry>,
    next: usize,
}

thread_local! {
    static LATELY: RefCell<Remembered> = RefCell::new(Remembered::default());
}

fn with_words<'t, R>(text: &'t str, f: impl FnOnce(&Words<'t, '_>) -> R) -> R {
    LATELY.with(|cell| {
        let mut cache = cell.borrow_mut();
        let at = match cache.entries.iter().position(|e| e.text == text) {
            Some(at) => at,
            None if cache.entries.len() < REMEMBERED => {
                let mut e = Entry::default();
                e.fill(text);
                cache.entries.push(e);
                cache.entries.len() - 1
            }
            None => {
                let at = cache.next;
                cache.next = (at + 1) % REMEMBERED;
                cache.entries[at].fill(text);
                at
            }
        };
        // `f` is one of this module's closures, none of which tokenises another text while
        // it runs, so the cache stays borrowed.
        let e = &cache.entries[at];
        f(&Words {
            text,
            spans: &e.spans,
            firsts: e.firsts,
        })
    })
}

/// Whether the phrase (one or more words) occurs on word boundaries.
pub fn has_phrase(lower: &str, phrase: &str) -> bool {
    with_words(lower, |w| w.contains_phrase(phrase))
}

/// Trigger words (`Check::triggers`) for a binder that needs one of these phrases: the
/// longest word of each, which every occurrence of the phrase contains. Words, not phrases,
/// because a phrase matches across punctuation ("backed, up") where a substring would not.
pub fn triggers_of(lists: &[&[&'static str]]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for phrase in lists.iter().flat_map(|l| l.iter()) {
        if let Some(w) = tokens(phrase).max_by_key(|w| w.len())
            && !out.contains(&w)
        {
            out.push(w);
        }
    }
    out
}

/// Whether the item, its parent item or one of its section headings names any of the
/// phrases: what an item is about when it does not say so itself.
pub fn in_context(view: &gonogo_engine::catalogue::ItemView<'_>, phrases: &[&str]) -> bool {
    has_any(view.lower, phrases)
        || view.parent_lower.is_some_and(|p| has_any(p, phrases))
        || view
            .item
            .section
            .iter()
            .any(|h| has_any(&h.to_lowercase(), phrases))
}

/// Whether the item's own text names one of `words` exactly as written, case included: a
/// Dockerfile instruction ("HEALTHCHECK", "ARG", "ENV") as Dockerfiles write it.
pub fn names_as_written(view: &gonogo_engine::catalogue::ItemView<'_>, words: &[&str]) -> bool {
    view.item
        .text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| words.contains(&w))
}

/// Whether the item is written as a question ("Are any Secret values committed?"), which asks
/// whether the thing is there at all, as a negation does.
pub fn is_question(view: &gonogo_engine::catalogue::ItemView<'_>) -> bool {
    view.item.display_text.trim_end().ends_with('?')
}

/// Whether any of the phrases occurs.
pub fn has_any(lower: &str, phrases: &[&str]) -> bool {
    with_words(lower, |w| phrases.iter().any(|p| w.contains_phrase(p)))
}

/// The act in the wording that only a person can vouch for ("reviewed", "rehearsed"), if
/// any: the shared vocabulary's list (`[person] acts`), so every binder and the claim
/// splitter agree on what waits for a person.
pub fn human_act(lower: &str) -> Option<&'static str> {
    gonogo_engine::understand::person_act(lower)
}

/// Words that say nothing beyond "this exists" ("README.md created", "CI configured").
/// Words saying a thing exists, shared by binders whose subject named alone ("Unit tests",
/// "Metric instrumentation", "Dashboards") or said to exist is their check's.
pub const EXISTENCE: &[&str] = &[
    "in place",
    "exist",
    "exists",
    "available",
    "set up",
    "implemented",
    "added",
    "provided",
    "created",
    "defined",
    "present",
    // A thing "ready" or "prepared" for launch is one that exists to be used.
    "ready",
    "prepared",
];

const FILLER: &[&str] = &[
    "a",
    "an",
    "the",
    "is",
    "are",
    "be",
    "been",
    "has",
    "have",
    "all",
    "our",
    "project",
    "repo",
    "repository",
    "file",
    "files",
    "present",
    "exists",
    "exist",
    "created",
    "written",
    "added",
    "updated",
    "up-to-date",
    "complete",
    "completed",
    "done",
    "in",
    "place",
    "configured",
    "set",
    "up",
    "setup",
    "defined",
    "available",
    "committed",
    "provided",
    "included",
    "documented",
    "production",
    "prod",
    "and",
    "with",
    "for",
    "of",
    "to",
    "optional",
    "current",
    "there",
    "exists",
    "maintained",
    "kept",
    "md",
    "at",
    "root",
    "document",
    "doc",
    "docs",
    // "The project documentation includes an explanation of X": X is documented.
    "documentation",
    "include",
    "includes",
    "explanation",
    "description",
    // Words that point or count without claiming anything themselves.
    "each",
    "every",
    "its",
    "their",
    "it",
    "we",
    // First person: "My application …", "I have …".
    "i",
    "my",
    "me",
    "us",
    "that",
    "this",
    "these",
    "always",
    "also",
    // Saying a thing is done, or where, claims no more than that it is.
    "implemented",
    "in-place",
    "applied",
    "enabled",
    "established",
    "adopted",
    "introduced",
    "ready",
    "prepared",
    "system",
    "application",
    "app",
    "service",
    "microservice",
    "environment",
    "environments",
    // What is checked is always the service: "external facing services", "backend
    // components", "on all responses" name it, not a further claim.
    "services",
    "microservices",
    "applications",
    "apps",
    "systems",
    "components",
    "software",
    "external",
    "external-facing",
    "public-facing",
    "internet-facing",
    "customer-facing",
    "user-facing",
    "facing",
    "field",
    "fields",
    // Verbs of doing and a qualifier's "level": "load tests conducted", "APM tools
    // leveraged", "service-level autoscaling policies" claim what the thing claims.
    "conducted",
    "performed",
    "creation",
    "leverage",
    "leverages",
    "leveraged",
    "leveraging",
    "employ",
    "employed",
    "employing",
    "utilize",
    "utilized",
    "utilise",
    "utilised",
    "tool",
    "tools",
    "level",
    // The way a thing is done is the thing: "a CI/CD process" is CI, "a backup process" backups.
    "process",
    "processes",
    "mechanism",
    "mechanisms",
    // Function words and the verbs of doing that any claim may use.
    "or",
    "by",
    "from",
    "on",
    "your",
    "you",
    "via",
    "using",
    "use",
    "uses",
    "used",
    "can",
    "when",
    "both",
    "add",
    "implement",
    "enable",
    "configure",
    "define",
    "set",
    // Pronouns, prepositions and comparatives that only join the words that claim, and the
    // marks of an example or a list left open.
    "etc",
    "e.g",
    "eg",
    "i.e",
    "do",
    "does",
    "they",
    "them",
    "through",
    "into",
    "under",
    "as",
    "being",
    "which",
    "rather",
    "instead",
    "any",
    "per",
    "alongside",
    // Verbs that restate having a thing: "images carry a version tag", "is referenced".
    "carry",
    "carries",
    "referenced",
    "references",
    "having",
    "contain",
    "contains",
    "declare",
    "declares",
    "declared",
    "specify",
    "specifies",
    "specified",
    // Being in the repository is what a repository check shows.
    "commit",
    "git",
    "version-controlled",
    "versioned",
    "tracked",
];

/// Words of the wording that are neither filler nor among `used` — what else the item claims.
/// Words in brackets explain or give examples ("(both software and OS)", "(e.g. Renovate)"):
/// they are not claims of their own, so they are not counted.
pub fn leftover<'a>(lower: &'a str, used: &[&str]) -> Vec<&'a str> {
    // A bracket the text opens with is what it says, not an aside to it.
    let bracketed: Vec<_> = bracketed(lower)
        .into_iter()
        .filter(|r| !lower[..r.start].trim().is_empty())
        .collect();
    with_words(lower, |w| {
        w.spans
            .iter()
            .map(|&(s, e)| (s as usize, &lower[s as usize..e as usize]))
            // What a short bracket names for a check still counts ("(anti-affinity)"); a
            // longer one lists examples ("(Snyk, Dependabot, OWASP Dependency-Check)").
            .filter(|&(s, x)| match bracketed.iter().find(|r| r.contains(&s)) {
                None => true,
                Some(r) => {
                    claim_bearing_name(x) && lower[r.clone()].split_whitespace().count() <= 2
                }
            })
            .map(|(_, x)| x)
            .filter(|x| {
                !FILLER.contains(x) && !is_manner(x) && !used.iter().any(|p| phrase_has_word(p, x))
            })
            .collect()
    })
}

/// Byte ranges of `text` inside round brackets (nested ones count once; an unclosed one
/// runs to the end).
fn bracketed(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '(' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(start..i);
                }
            }
            _ => {}
        }
    }
    if depth > 0 {
        out.push(start..text.len());
    }
    out
}

/// Adverbs of manner ("correctly", "explicitly", "automatically") say how a thing holds,
/// not another thing that must: they are not claims of their own. Words ending in -ly that
/// do carry a claim are kept: how often ("daily", "nightly"), "only", "manually".
fn is_manner(word: &str) -> bool {
    const CLAIMING: &[&str] = &[
        "only",
        "manually",
        "daily",
        "nightly",
        "weekly",
        "monthly",
        "hourly",
        "yearly",
        "quarterly",
        "early",
        "apply",
        "reply",
        "supply",
        "rely",
        "family",
        "publicly",
        "externally",
        "internally",
        "locally",
        "remotely",
        "globally",
    ];
    word.len() > 5 && word.ends_with("ly") && !word.contains('-') && !CLAIMING.contains(&word)
}

/// Unknown words an item may add beyond what the check knows and still be about it alone:
/// "scan images for Common Vulnerabilities and Exposures", "regular image scanning". Words
/// that name something a check or a verdict turns on (`claim_bearing`) are never tolerated
/// this way; only the check's own `tolerated` count allows those.
const PLAIN_TOLERATED: usize = 2;

/// Words that change what a claim says whatever they stand beside: limits, negations,
/// exceptions, results and manners of doing that no repository shows.
const QUALIFYING: &[&str] = &[
    // A tool named as "a common choice" or "an example" describes options, not what holds.
    "example",
    "examples",
    "choice",
    "choices",
    "only",
    "manually",
    "manual",
    "not",
    "no",
    "never",
    "without",
    "except",
    "unless",
    "but",
    "tested",
    "verified",
    "reviewed",
    "monitored",
    "alerted",
    "encrypted",
    "rotated",
    "restricted",
    "limited",
    "disabled",
    "removed",
    "deleted",
    "expired",
    "expiring",
    "failed",
    "failing",
    "broken",
    "passing",
    "passed",
    "green",
    "approved",
    "signed",
    "documented",
    "owner",
    "owners",
    "team",
    "user",
    "users",
    "customer",
    "customers",
    "external",
    "internal",
    "public",
    "private",
    "encrypt",
    "backup",
    "backups",
    "restore",
    "latency",
    "error",
    "errors",
    "rate",
    "limit",
    "limits",
    "log",
    "logs",
    "logging",
    "metric",
    "metrics",
    "alert",
    "alerts",
    "dashboard",
    "dashboards",
    "test",
    "tests",
    "database",
    "databases",
    "cache",
    "queue",
    "queues",
    "version",
    "versions",
    // Plans and judgements are a person's: "migration plan", "actionable alerts".
    "plan",
    "plans",
    "strategy",
    "strategies",
    "process",
    "processes",
    "procedure",
    "procedures",
    "policy",
    "policies",
    "actionable",
    "meaningful",
    "noise",
    "noisy",
    "chatty",
    "useful",
    "appropriate",
    "relevant",
    "effective",
    "sensible",
    "reasonable",
    "proper",
    "properly",
    "adequate",
    "sufficient",
    "good",
    "better",
    "best",
    "clear",
    "clearly",
    "understood",
    "known",
    "agreed",
    "considered",
    "mode",
    "rootless",
    // Acts of change and live behaviour: not a state a file shows.
    "replace",
    "rotate",
    "remove",
    "delete",
    "migrate",
    "upgrade",
    "fix",
    "rename",
    "move",
    "apply",
    "respond",
    "responds",
    "answer",
    "answers",
    "returns",
    "reachable",
    "primary",
    "standby",
    "token",
    "tokens",
    "auth",
    "credentials",
    "login",
    "password",
    "passwords",
    // Another thing than the one in place: "the previous artifact is available".
    "previous",
    "prior",
    "older",
    "old",
    "artifact",
    "artifacts",
];

/// Participles that only join or qualify ("used by", "based on", "including"): not claims.
const PLAIN_PARTICIPLES: &[&str] = &[
    "used",
    "based",
    "required",
    "needed",
    "expected",
    "supported",
    "allowed",
    "including",
    "following",
    "existing",
    "related",
    "given",
    "recommended",
    "preferred",
    "intended",
    "concerned",
    "regarding",
    "according",
    "during",
    "pushing",
    "going",
    "making",
    "having",
    "getting",
    "being",
    "setting",
    "building",
    "bring",
    "thing",
    "nothing",
    "something",
    "anything",
    "everything",
    "during",
    "called",
    "named",
    "shared",
    "listed",
    // Saying a thing is set up or found where it belongs claims no more than that it is.
    "integrated",
    "installed",
    "deployed",
    "established",
    "created",
    "provisioned",
    "specified",
    "located",
    "placed",
    "stored",
    "kept",
    "written",
    "added",
    "included",
    "setup",
];

/// Every check's trigger words, lowercased: a leftover word that triggers some check names
/// something a check judges, so it is a claim of its own. Short triggers ("ci", "db") count
/// only as whole words, longer ones as stems ("dependenc"), and the longer words of a
/// phrase trigger as whole words ("read-only root" → "read-only").
struct Triggers {
    whole: std::collections::HashSet<String>,
    stems: std::collections::HashSet<String>,
}

static TRIGGERS: std::sync::LazyLock<Triggers> = std::sync::LazyLock::new(|| {
    let mut t = Triggers {
        whole: Default::default(),
        stems: Default::default(),
    };
    for trigger in crate::catalogue().iter().flat_map(|c| c.triggers()) {
        let trigger = trigger.to_ascii_lowercase();
        if trigger.contains(' ') {
            t.whole.extend(
                trigger
                    .split(' ')
                    .filter(|p| p.len() >= 5)
                    .map(str::to_string),
            );
        } else if trigger.len() < 4 {
            t.whole.insert(trigger);
        } else {
            t.stems.insert(trigger);
        }
    }
    t
});

/// Whether a word left over names something that changes or adds to the claim.
fn claim_bearing(word: &str) -> bool {
    // A participle predicates something of its own ("flaky tests quarantined", "chart
    // version bumped", "replicas streaming from the primary"), unless it only joins.
    let participle = word.len() > 4
        && (word.ends_with("ed") || word.ends_with("ing"))
        && !PLAIN_PARTICIPLES.contains(&word);
    participle
        || word.bytes().any(|b| b.is_ascii_digit())
        || QUALIFYING.contains(&word)
        || claim_bearing_name(word)
}

/// How many of the words left over name something another check judges: a sentence listing
/// several ("virus scans, secret rotations, backups, reindexing databases, deployments") is
/// about all of them, not one.
pub(crate) fn names_of_other_claims(extra: &[&str]) -> usize {
    extra.iter().filter(|w| claim_bearing_name(w)).count()
}

/// Whether a word names something some check judges (one of its trigger words).
fn claim_bearing_name(word: &str) -> bool {
    let t = &*TRIGGERS;
    let names = |w: &str| {
        t.whole.contains(w)
            || (4..=w.len()).any(|n| w.is_char_boundary(n) && t.stems.contains(&w[..n]))
    };
    // "anti-affinity" names what "affinity" does.
    names(word) || (word.contains('-') && word.split('-').any(names))
}

/// Whether the words left over (`leftover`) say more than the check shows: more than
/// `tolerated` words, or, when none of them names something (`claim_bearing`), more than a
/// couple.
pub(crate) fn says_more(extra: &[&str], tolerated: usize) -> bool {
    let bearing = extra.iter().filter(|w| claim_bearing(w)).count();
    let plain = if gonogo_engine::understand::is_strict() {
        0
    } else {
        PLAIN_TOLERATED
    };
    // Unknown words are tolerated only beside nothing that names a claim: one word that
    // does brings back the check's own tolerance.
    extra.len()
        > if bearing == 0 {
            tolerated.max(plain)
        } else {
            tolerated
        }
}

/// The decline of an item that claims more than the check can show (`says_more`), naming
/// the words, so the item stays a person's and an annotation can still bind `candidates`.
/// `None` when it claims no more.
pub fn claims_more(
    extra: &[&str],
    tolerated: usize,
    what: &str,
    candidates: impl FnOnce() -> Vec<AutoBinding>,
) -> Option<BindVerdict> {
    says_more(extra, tolerated).then(|| more_than(extra, what, candidates()))
}

/// The decline of an item whose `extra` words say more than `what`: `… can show (word
/// word)`, the form the engine reads back to leave those words to a person.
pub fn more_than(extra: &[&str], what: &str, candidates: Vec<AutoBinding>) -> BindVerdict {
    BindVerdict::Declined {
        why: format!("{SAYS_MORE}{what} ({})", extra.join(" ")),
        candidates,
    }
}

/// Bind `candidates`, unless the item claims more than the check can show (`claims_more`).
pub fn bind_unless_claims_more(
    extra: &[&str],
    tolerated: usize,
    what: &str,
    candidates: Vec<AutoBinding>,
) -> BindVerdict {
    if says_more(extra, tolerated) {
        return more_than(extra, what, candidates);
    }
    BindVerdict::Bind(candidates)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_couple_of_plain_words_are_tolerated_but_not_beside_a_claiming_one() {
        assert!(!says_more(&["common", "exposures"], 0));
        assert!(says_more(&["common", "exposures", "everywhere"], 0));
        // A participle, a negation, a judgement or another check's word claims.
        assert!(says_more(&["quarantined"], 0));
        assert!(says_more(&["not"], 0));
        assert!(says_more(&["actionable"], 0));
        assert!(says_more(&["dockerfile"], 0));
        // One claiming word is within a binder's own tolerance, but then nothing more.
        assert!(!says_more(&["dockerfile"], 1));
        assert!(says_more(&["dockerfile", "common"], 1));
    }

    #[test]
    fn the_process_of_a_thing_is_the_thing() {
        assert_eq!(
            leftover("any ci/cd process", &["ci/cd"]),
            Vec::<&str>::new()
        );
        assert_eq!(leftover("backup process tested", &["backup"]), ["tested"]);
    }

    #[test]
    fn explaining_brackets_are_not_claims_but_an_opening_one_is() {
        assert_eq!(
            leftover(
                "check dependencies (both software and os) for vulns",
                &["check", "dependencies", "vulns"]
            ),
            Vec::<&str>::new()
        );
        // A short bracket naming a check still counts: "(anti-affinity)".
        assert_eq!(
            leftover("replicas spread (anti-affinity)", &["replicas", "spread"]),
            ["anti-affinity"]
        );
        // A bracket the text opens with is what it says.
        assert_eq!(
            leftover("(no more than one ci system)", &["ci", "system"]),
            ["no", "more", "than", "one"]
        );
    }

    #[test]
    fn phrases_respect_word_boundaries() {
        assert!(has_phrase("readme.md complete", "readme.md"));
        assert!(has_phrase(
            "github actions workflow configured",
            "github actions"
        ));
        assert!(!has_phrase("licensed fonts", "license"));
        assert!(!has_phrase("changelogs", "changelog"));
    }

    #[test]
    fn punctuation_written_in_a_phrase_counts() {
        assert!(!has_phrase("tls 1.3 enabled", "tls 1.3+"));
        assert!(has_phrase("tls 1.3+ enforced", "tls 1.3+"));
        assert!(has_phrase("ci/cd pipeline green", "ci/cd"));
        assert!(!has_phrase("ci, cd and more", "ci/cd"));
        assert!(has_phrase("backups are backed, up", "backed up"));
    }

    #[test]
    fn answers_stay_right_when_texts_alternate() {
        // More texts than the per-thread memory holds, asked in turn, twice over.
        let texts = [
            "readme present",
            "tls 1.3 enabled",
            "runbook written",
            "backups tested daily",
            "on-call rota agreed",
            "readme.md updated",
        ];
        for _ in 0..2 {
            for (i, t) in texts.iter().enumerate() {
                for (j, other) in texts.iter().enumerate() {
                    let first = words(other)[0];
                    let expected = i == j || t.split(' ').any(|w| w == first);
                    assert_eq!(has_phrase(t, first), expected, "{t} / {first}");
                }
            }
        }
        assert_eq!(words("on-call rota agreed"), ["on-call", "rota", "agreed"]);
        assert_eq!(human_act("on-call rota agreed"), Some("agree"));
    }

    #[test]
    fn leftovers_are_the_extra_claims() {
        assert_eq!(
            leftover("production runbook created", &["runbook"]),
            Vec::<&str>::new()
        );
        assert_eq!(
            leftover(
                "workflows are defined and use least-privilege accounts",
                &["workflows"]
            ),
            vec!["least-privilege", "accounts"]
        );
    }

    #[test]
    fn adverbs_of_manner_are_not_claims_but_frequency_and_read_only_are() {
        assert_eq!(
            leftover(
                "helm charts render correctly",
                &["helm", "charts", "render"]
            ),
            Vec::<&str>::new()
        );
        assert_eq!(
            leftover("backups run nightly", &["backups", "run"]),
            vec!["nightly"]
        );
        assert_eq!(
            leftover(
                "containers with a read-only root filesystem",
                &["containers"]
            ),
            vec!["read-only", "filesystem"]
        );
    }

    #[test]
    fn human_acts() {
        // The vocabulary's acts, by their entry, in any inflection.
        assert_eq!(human_act("runbooks reviewed"), Some("review"));
        assert_eq!(human_act("team training completed"), Some("train"));
        assert_eq!(human_act("runbook created"), None);
        // What a machine does is not a person's act: a header sent, an image signed.
        assert_eq!(human_act("security headers are sent"), None);
        assert_eq!(human_act("images signed with cosign"), None);
    }
}
