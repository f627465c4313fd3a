//! Wording normalised before anything reads it: case, typography, contractions, British
//! spellings, German and Romance words in an English item, numbers written as words, symbols, and long
//! durations in days. The output is still English a person can read (`map` shows it); it only
//! removes differences that do not change what an item claims.

/// Lowercase `text` and remove the differences that do not change its meaning.
pub fn normalise(text: &str) -> String {
    let typed = typography(&super::cjk::to_english(&without_html_tags(text)));
    let mut words: Vec<String> = Vec::new();
    for raw in typed.split_whitespace() {
        expand_word(raw, &mut words);
    }
    super::german::to_english(&mut words);
    super::romance::to_english(&mut words);
    numbers(&mut words);
    durations(&mut words);
    percents(&mut words);
    words.retain(|w| !w.is_empty());
    words.join(" ")
}

/// Inline HTML tags left in Markdown (`<a name='secret-scanning'></a>`, `<br/>`) are markup:
/// their attribute values are not words of the item. Only HTML's own tag names count, so a
/// placeholder such as `<secret>` or a comparison such as `<200ms` stays.
fn without_html_tags(text: &str) -> std::borrow::Cow<'_, str> {
    static TAG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)</?(?:a|abbr|b|br|code|del|details|div|em|i|img|ins|kbd|mark|p|s|small|span|strong|sub|summary|sup|u)\b[^<>]*>",
        )
        .expect("html tag regex")
    });
    if !text.contains('<') {
        return text.into();
    }
    TAG.replace_all(text, " ")
}

/// Lowercase; one kind of quote, dash and space; symbols that stand for words spelt out;
/// pictographs (emoji, ticks, warning signs) dropped.
fn typography(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' | '`' | '\u{b4}' => out.push('\''),
            '\u{201c}' | '\u{201d}' | '\u{ab}' | '\u{bb}' => out.push('"'),
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => {
                out.push('-')
            }
            '\u{2265}' => out.push_str(" >= "),
            '\u{2264}' => out.push_str(" <= "),
            '\u{2192}' | '\u{21d2}' => out.push_str(" -> "),
            '&' if chars.peek().is_some_and(|n| n.is_whitespace()) => out.push_str(" and "),
            '\u{a0}' | '\u{2009}' | '\u{202f}' => out.push(' '),
            // Spanish opens a question or exclamation with its mark upside down.
            '\u{bf}' | '\u{a1}' => out.push(' '),
            // Emoji, check marks, arrows, box drawing and variation selectors say nothing an
            // item claims ("✅ Backups", "🔒 TLS").
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c if is_pictograph(c) => out.push(' '),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn is_pictograph(c: char) -> bool {
    matches!(c as u32,
        0x2190..=0x21ff   // arrows
        | 0x2300..=0x23ff // technical (⏱, ⌛)
        | 0x2500..=0x27bf // box drawing, shapes, dingbats (✅ ✔ ✗ ★ ⚠)
        | 0x2b00..=0x2bff // arrows and stars
        | 0xfe00..=0xfe0f // variation selectors
        | 0x1f000..=0x1faff // emoji
        | 0x200d          // zero-width joiner
    )
}

/// A word with its contraction expanded and its spelling made American, pushed as one or
/// more words (punctuation around the word kept).
fn expand_word(raw: &str, out: &mut Vec<String>) {
    let (lead, core, trail) = word_core(raw);
    if core.is_empty() {
        out.push(raw.to_string());
        return;
    }
    // "limits/requests" names Kubernetes resources, the pair in either order; in this order
    // its words are rate limiting's "limit requests" once the slash splits them.
    if core == "limits/requests" {
        out.push(format!("{lead}requests/limits{trail}"));
        return;
    }
    // "Workflow-level permissions", "job-level settings": the scope is the thing named
    // ("workflow permissions"), which binders read as a word of its own.
    if let Some(scope) = core.strip_suffix("-level")
        && matches!(
            scope,
            "workflow"
                | "job"
                | "step"
                | "repo"
                | "repository"
                | "org"
                | "organization"
                | "organisation"
                | "project"
                | "namespace"
                | "cluster"
                | "pod"
                | "container"
        )
    {
        out.push(format!("{lead}{scope}"));
        out.push(format!("level{trail}"));
        return;
    }
    // Most words are neither contractions nor British: no pieces to build.
    if !core.contains('\'')
        && contraction_without_apostrophe(core).is_none()
        && american(core).is_none()
    {
        out.push(raw.to_string());
        return;
    }
    let mut pieces = contraction(core);
    if let Some(last) = pieces.last_mut()
        && let Some(american) = american(last)
    {
        *last = american.to_string();
    }
    let n = pieces.len();
    for (i, p) in pieces.into_iter().enumerate() {
        let mut w = String::new();
        if i == 0 {
            w.push_str(lead);
        }
        w.push_str(&p);
        if i + 1 == n {
            w.push_str(trail);
        }
        out.push(w);
    }
}

/// Contractions that need no apostrophe to be recognised, and their words.
fn contraction_without_apostrophe(core: &str) -> Option<[&'static str; 2]> {
    Some(match core {
        "cannot" => ["can", "not"],
        // Typed without their apostrophe ("dont run as root").
        "dont" => ["do", "not"],
        "doesnt" => ["does", "not"],
        "isnt" => ["is", "not"],
        "arent" => ["are", "not"],
        "cant" => ["can", "not"],
        "shouldnt" => ["should", "not"],
        "mustnt" => ["must", "not"],
        "wasnt" => ["was", "not"],
        "havent" => ["have", "not"],
        "hasnt" => ["has", "not"],
        _ => return None,
    })
}

/// `don't` → `do not`, `it's` → `it is`, `team's` → `team`, `cannot` → `can not`.
fn contraction(core: &str) -> Vec<String> {
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    if let Some(words) = contraction_without_apostrophe(core) {
        return owned(&words);
    }
    match core {
        "can't" => return owned(&["can", "not"]),
        "won't" => return owned(&["will", "not"]),
        "shan't" => return owned(&["shall", "not"]),
        "let's" => return owned(&["let", "us"]),
        "ain't" => return owned(&["is", "not"]),
        _ => {}
    }
    if let Some(stem) = core.strip_suffix("n't") {
        return owned(&[stem, "not"]);
    }
    for (suffix, word) in [
        ("'re", "are"),
        ("'ve", "have"),
        ("'ll", "will"),
        ("'m", "am"),
    ] {
        if let Some(stem) = core.strip_suffix(suffix) {
            return owned(&[stem, word]);
        }
    }
    if let Some(stem) = core.strip_suffix("'s") {
        return match stem {
            "it" | "that" | "there" | "what" | "here" | "who" | "he" | "she" | "where" => {
                owned(&[stem, "is"])
            }
            // A possessive: "the team's runbook" claims the runbook.
            _ => owned(&[stem]),
        };
    }
    if let Some(stem) = core.strip_suffix("s'") {
        return vec![format!("{stem}s")];
    }
    vec![core.to_string()]
}

/// British spellings of words checklists use, and their American forms (the binders' words).
const BRITISH: &[(&str, &str)] = &[
    ("analyse", "analyze"),
    ("analysed", "analyzed"),
    ("analyses", "analyzes"),
    ("artefact", "artifact"),
    ("artefacts", "artifacts"),
    ("authorisation", "authorization"),
    ("authorise", "authorize"),
    ("authorised", "authorized"),
    ("behaviour", "behavior"),
    ("catalogue", "catalog"),
    ("centralise", "centralize"),
    ("centralised", "centralized"),
    ("centre", "center"),
    ("containerisation", "containerization"),
    ("containerise", "containerize"),
    ("containerised", "containerized"),
    ("customise", "customize"),
    ("customised", "customized"),
    ("defence", "defense"),
    ("finalise", "finalize"),
    ("finalised", "finalized"),
    ("honour", "honor"),
    ("initialise", "initialize"),
    ("initialised", "initialized"),
    ("judgement", "judgment"),
    ("licence", "license"),
    ("licenced", "licensed"),
    ("licences", "licenses"),
    ("maximise", "maximize"),
    ("minimise", "minimize"),
    ("minimised", "minimized"),
    ("normalise", "normalize"),
    ("normalised", "normalized"),
    ("optimisation", "optimization"),
    ("optimise", "optimize"),
    ("optimised", "optimized"),
    ("organisation", "organization"),
    ("organisational", "organizational"),
    ("prioritise", "prioritize"),
    ("prioritised", "prioritized"),
    ("programme", "program"),
    ("recognise", "recognize"),
    ("recognised", "recognized"),
    ("sanitise", "sanitize"),
    ("sanitised", "sanitized"),
    ("serialise", "serialize"),
    ("serialised", "serialized"),
    ("standardise", "standardize"),
    ("standardised", "standardized"),
    ("summarise", "summarize"),
    ("synchronise", "synchronize"),
    ("synchronised", "synchronized"),
    ("utilisation", "utilization"),
    ("utilise", "utilize"),
    ("visualisation", "visualization"),
    ("visualise", "visualize"),
];

fn american(word: &str) -> Option<&'static str> {
    look_up(BRITISH, word)
}

/// Rewrite the words of lowercased `words` found in `table` (a sorted table of another
/// language's words and their English) in place, and those in `in_context` too when the item
/// is known to be in that language (`foreign`) or has a word of `table`; English of several
/// words ("at least") is split.
pub(super) fn translate(
    words: &mut Vec<String>,
    table: &[(&str, &'static str)],
    in_context: &[(&str, &'static str)],
    foreign: bool,
) {
    if !foreign && !has_word_of(words, table) {
        return;
    }
    let mut out = Vec::with_capacity(words.len() + 2);
    for w in words.drain(..) {
        let c = word_core(&w).1;
        match in_table(table, c).or_else(|| look_up(in_context, c).map(str::to_string)) {
            Some(e) => out.extend(in_place_of(&w, &w, &e)),
            None => out.push(w),
        }
    }
    *words = out;
}

/// Whether `words` hold a word of `table` (a hyphenated compound's part too).
pub(super) fn has_word_of(words: &[String], table: &[(&str, &'static str)]) -> bool {
    words
        .iter()
        .any(|w| in_table(table, word_core(w).1).is_some())
}

/// The words of `english` written in place of the words from `first` to `last`: the
/// punctuation before `first` and after `last` kept ("(teste de carga)" → "(load test)").
pub(super) fn in_place_of(first: &str, last: &str, english: &str) -> Vec<String> {
    let lead = word_core(first).0;
    let trail = word_core(last).2;
    format!("{lead}{english}{trail}")
        .split(' ')
        .map(str::to_string)
        .collect()
}

/// `word`'s English in `table`; for a hyphenated compound not in it as a whole
/// ("SSL-Zertifikat", "Datenbank-Backup"), its parts', joined by spaces, when a part of five
/// letters or more is.
fn in_table(table: &[(&str, &'static str)], word: &str) -> Option<String> {
    if let Some(e) = look_up(table, word) {
        return Some(e.to_string());
    }
    if !word.contains('-') {
        return None;
    }
    // Short parts are English prefixes as often as foreign words ("non-production").
    let parts: Vec<(&str, Option<&str>)> = word
        .split('-')
        .map(|p| (p, look_up(table, p).filter(|_| p.chars().count() >= 5)))
        .collect();
    parts.iter().any(|(_, e)| e.is_some()).then(|| {
        parts
            .iter()
            .map(|(p, e)| e.unwrap_or(p))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

/// `word`'s replacement in a sorted (tested) table of pairs: a binary search, not a scan,
/// for every word of every item.
pub(super) fn look_up(table: &[(&str, &'static str)], word: &str) -> Option<&'static str> {
    table
        .binary_search_by_key(&word, |(from, _)| from)
        .ok()
        .map(|i| table[i].1)
}

/// A word split into the punctuation before it, its letters and digits, and the punctuation
/// after it (`("`, `don't`, `").`); all of it is `lead` when it has no letter or digit.
pub(super) fn word_core(raw: &str) -> (&str, &str, &str) {
    let start = raw.find(|c: char| c.is_alphanumeric()).unwrap_or(raw.len());
    let end = raw.rfind(|c: char| c.is_alphanumeric()).map_or(start, |i| {
        i + raw[i..].chars().next().map_or(1, char::len_utf8)
    });
    if start >= end {
        return (raw, "", "");
    }
    (&raw[..start], &raw[start..end], &raw[end..])
}

/// The value of a number written as a word.
fn number_word(w: &str) -> Option<u64> {
    Some(match w {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "hundred" => 100,
        _ => return None,
    })
}

/// Nouns after which "one" is a number ("one year", "one replica"), not a pronoun ("no one",
/// "one of").
const COUNTED: &[&str] = &[
    "percent",
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "hour",
    "hours",
    "minute",
    "minutes",
    "second",
    "seconds",
    "replica",
    "replicas",
    "instance",
    "instances",
    "node",
    "nodes",
    "zone",
    "zones",
    "region",
    "regions",
    "pod",
    "pods",
    "standby",
    "reviewer",
    "approver",
    "approval",
    "approvals",
    "copy",
    "copies",
];

/// Numbers written as words become digits: "thirty days" → "30 days", "twenty-one" → "21".
fn numbers(words: &mut [String]) {
    for i in 0..words.len() {
        let (core, trail) = split_trailing(&words[i]);
        let value = match core.split_once('-') {
            Some((tens, unit)) => match (number_word(tens), number_word(unit)) {
                (Some(t), Some(u)) if (20..=90).contains(&t) && u < 10 => Some(t + u),
                _ => None,
            },
            None => number_word(core),
        };
        let Some(v) = value else { continue };
        if v == 1 {
            let next = words.get(i + 1).map(|w| split_trailing(w).0);
            if !next.is_some_and(|n| COUNTED.contains(&n)) {
                continue;
            }
        }
        if v == 100 && core == "hundred" {
            continue;
        }
        words[i] = format!("{v}{trail}");
    }
}

/// "1 percent", "99.9 per cent" → "1%", "99.9%": the form thresholds are read in.
fn percents(words: &mut [String]) {
    for i in 1..words.len() {
        let (unit, trail) = split_trailing(&words[i]);
        let per_cent = unit == "cent" && words[i - 1] == "per" && i >= 2;
        if unit != "percent" && !per_cent {
            continue;
        }
        let at = if per_cent { i - 2 } else { i - 1 };
        if words[at].parse::<f64>().is_ok() {
            words[at] = format!("{}%{trail}", words[at]);
            for w in &mut words[at + 1..=i] {
                w.clear();
            }
        }
    }
}

/// A word without trailing punctuation, and that punctuation.
fn split_trailing(w: &str) -> (&str, &str) {
    let end = w
        .trim_end_matches([',', '.', ';', ':', ')', '!', '?'])
        .len();
    w.split_at(end)
}

/// Years, months and weeks in days, the unit every threshold reader understands: "at least
/// 1 year" → "at least 365 days", "a year" → "365 days", "6 months" → "180 days".
fn durations(words: &mut [String]) {
    let mut i = 0;
    while i + 1 < words.len() {
        let (unit, trail) = split_trailing(&words[i + 1]);
        let days_per = match unit {
            "year" | "years" | "yr" | "yrs" => 365,
            "month" | "months" => 30,
            "week" | "weeks" => 7,
            _ => {
                i += 1;
                continue;
            }
        };
        let trail = trail.to_string();
        let count = match words[i].as_str() {
            "a" | "an" => {
                // "once a year", "twice a month", "per week" are frequencies, not durations.
                let before = i.checked_sub(1).map(|j| words[j].as_str());
                if matches!(before, Some("once" | "twice" | "times" | "per")) {
                    i += 1;
                    continue;
                }
                Some(1.0)
            }
            w => w.parse::<f64>().ok().filter(|n| *n > 0.0 && *n < 1000.0),
        };
        if let Some(n) = count {
            let days = (n * days_per as f64).round() as u64;
            words[i] = days.to_string();
            words[i + 1] = format!("days{trail}");
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn inline_html_tags_are_markup_not_words() {
        assert_eq!(
            normalise("Don't trust yourself or others! <a name='secret-scanning'></a>"),
            "do not trust yourself or others!"
        );
        assert_eq!(normalise("Backups<br/>tested"), "backups tested");
        // A placeholder and a comparison are words of the item.
        assert_eq!(normalise("Rotate <secret>"), "rotate <secret>");
        assert_eq!(normalise("p95 <200ms"), "p95 <200ms");
    }

    #[test]
    fn a_scope_level_is_the_scope() {
        assert_eq!(
            normalise("Workflow-level permissions set to read-only"),
            "workflow level permissions set to read-only"
        );
        // Other compounds keep their hyphen.
        assert_eq!(normalise("High-level design"), "high-level design");
    }

    #[test]
    fn contractions_expand() {
        assert_eq!(
            normalise("Our images don't run as the root user"),
            "our images do not run as the root user"
        );
        assert_eq!(
            normalise("It's encrypted; we can't skip it"),
            "it is encrypted; we can not skip it"
        );
        assert_eq!(
            normalise("The team’s runbook isn’t stale"),
            "the team runbook is not stale"
        );
        assert_eq!(
            normalise("Containers cannot escalate"),
            "containers can not escalate"
        );
    }

    #[test]
    fn british_spellings_are_sorted_for_the_search() {
        assert!(super::BRITISH.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn british_spellings_become_american() {
        assert_eq!(
            normalise("Authorisation centralised"),
            "authorization centralized"
        );
        assert_eq!(normalise("LICENCE file present"), "license file present");
    }

    #[test]
    fn resource_limits_and_requests_are_one_pair_in_either_order() {
        assert_eq!(normalise("Limits/requests"), "requests/limits");
        assert_eq!(
            normalise("CPU limits/requests set."),
            "cpu requests/limits set."
        );
    }

    #[test]
    fn numbers_and_durations() {
        assert_eq!(
            normalise("max-age of at least one year"),
            "max-age of at least 365 days"
        );
        assert_eq!(normalise("valid for thirty days"), "valid for 30 days");
        assert_eq!(normalise("twenty-one days"), "21 days");
        assert_eq!(normalise("kept for 6 months."), "kept for 180 days.");
        assert_eq!(normalise("no one can push"), "no one can push");
        assert_eq!(
            normalise("backups run once a week"),
            "backups run once a week"
        );
        assert_eq!(normalise("HSTS for a year"), "hsts for 365 days");
        assert_eq!(normalise("two replicas"), "2 replicas");
        assert_eq!(
            normalise("less than one percent of requests fail"),
            "less than 1% of requests fail"
        );
        assert_eq!(normalise("99.9 per cent uptime"), "99.9% uptime");
    }

    #[test]
    fn symbols_and_pictographs() {
        assert_eq!(normalise("✅ TLS ≥ 1.2"), "tls >= 1.2");
        assert_eq!(normalise("Logs & metrics"), "logs and metrics");
        assert_eq!(normalise("Uptime – 99.9%"), "uptime - 99.9%");
    }
}
