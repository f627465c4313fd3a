//! Small helpers for reading an item's wording. Binders combine them; precision comes first.

/// Words of lowercased text. `.`, `-` and `_` inside a word are kept ("readme.md", "on-call").
pub fn words(lower: &str) -> Vec<&str> {
    tokens(lower).collect()
}

/// The words of `words`, without collecting them.
fn tokens(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-' || c == '_'))
        .map(|w| w.trim_matches(|c: char| c == '.' || c == '-' || c == '_'))
        .filter(|w| !w.is_empty())
}

/// Whether the phrase (one or more words) occurs on word boundaries.
pub fn has_phrase(lower: &str, phrase: &str) -> bool {
    // Every word of a match is a substring of the text: a cheap test that rules out most
    // phrases before any tokenising.
    if !phrase
        .split_whitespace()
        .all(|w| lower.contains(w.trim_matches(['.', '-', '_'])))
    {
        return false;
    }
    let mut want = tokens(phrase);
    let Some(first) = want.next() else {
        return false;
    };
    if want.next().is_none() {
        // Most phrases are one word: compare as the text is split, allocating nothing.
        return tokens(lower).any(|w| w == first);
    }
    let want = words(phrase);
    words(lower)
        .windows(want.len())
        .any(|w| w == want.as_slice())
}

/// Trigger words (`Check::triggers`) for a binder that needs one of these phrases: the
/// longest word of each, which every occurrence of the phrase contains. Words, not phrases,
/// because a phrase matches across punctuation ("backed, up") where a substring would not.
pub fn triggers_of(lists: &[&[&'static str]]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for phrase in lists.iter().flat_map(|l| l.iter()) {
        if let Some(w) = words(phrase).into_iter().max_by_key(|w| w.len())
            && !out.contains(&w)
        {
            out.push(w);
        }
    }
    out
}

/// Whether any of the phrases occurs.
pub fn has_any(lower: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| has_phrase(lower, p))
}

/// Verbs that only a person can vouch for. An item saying "reviewed" or "trained" is not
/// proved by a file existing, so document checks decline it.
const HUMAN_ACTS: &[&str] = &[
    "reviewed",
    "approved",
    "trained",
    "briefed",
    "communicated",
    "signed",
    "understood",
    "read",
    "agreed",
    "discussed",
    "announced",
    "sent",
    "acknowledged",
    "rehearsed",
    "planned",
    "addressed",
];

/// The first verb of a person's judgement in the wording, if any.
pub fn human_act(lower: &str) -> Option<&'static str> {
    let w = words(lower);
    HUMAN_ACTS.iter().copied().find(|act| w.contains(act))
}

/// Words that say nothing beyond "this exists" ("README.md created", "CI configured").
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
];

/// Words of the wording that are neither filler nor among `used` — what else the item claims.
pub fn leftover<'a>(lower: &'a str, used: &[&str]) -> Vec<&'a str> {
    let used: Vec<&str> = used.iter().flat_map(|p| words(p)).collect();
    words(lower)
        .into_iter()
        .filter(|w| !FILLER.contains(w) && !used.contains(w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
            vec!["use", "least-privilege", "accounts"]
        );
    }

    #[test]
    fn human_acts() {
        assert_eq!(human_act("runbooks reviewed"), Some("reviewed"));
        assert_eq!(human_act("team training completed"), None);
        assert_eq!(human_act("runbook created"), None);
    }
}
