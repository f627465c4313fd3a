//! What an item claims: its framing ("Verify that", "must", "SEC-04:") and purpose clauses
//! ("to keep the context small") removed, then split into claims at lists, "and", "+",
//! commas and semicolons. A claim that starts with a verb takes the subject of the first
//! ("Each Dockerfile defines a HEALTHCHECK, pins its base image" → "each dockerfile pins its
//! base image"); list members without a verb of their own share the predicate that follows
//! them ("HSTS, CSP and X-Frame-Options headers set").

use std::sync::LazyLock;

use regex::Regex;

use super::vocabulary::{Framing, tokens};

/// Numbering, requirement ids and tags before an item's words: "1.", "2.3)", "(a)", "SEC-04:",
/// "R12.", "[P1]", "P0:", "Monitoring.4".
static LEADING_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
            \d+(?:\.\d+)*[.):]\s+
          | \(\d+\)\s+
          | \(?[a-z]\)\s+
          | [a-z]{1,8}(?:[-_][a-z]{1,8}){0,3}[-_]?\d+(?:[.-]\d+)*[:.)]\s+
          | [a-z][a-z-]{1,24}\.\d+(?:\.\d+)*[:.)]?\s+
          | \[[^\]]{1,24}\]\s*
          | p[0-4]\s*[:\-]\s+
          | -\s+
        )",
    )
    .expect("leading id regex")
});

/// Tags after an item's words: "(P1)", "[required]", "(must)", "- critical".
static TRAILING_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)\s*(?:
            \((?:p[0-4]|required|mandatory|must|should|optional|critical|high|medium|low|blocker|nice\ to\ have|automated|manual|scored|not\ scored)\)
          | \[(?:p[0-4]|required|mandatory|must|should|optional|critical|high|medium|low|blocker)\]
        )\s*$",
    )
    .expect("trailing tag regex")
});

/// A condition an item opens with ("While active,", "When the project has made a release,",
/// "Prior to a commit being accepted,"): when the claim holds, not what it is. It becomes an
/// aside in brackets after the claim (binders still read "when a tag is pushed"; its words
/// are not counted as claims), when a claim of three words or more follows its comma.
static LEADING_CONDITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:when|whenever|while|once|if|prior\s+to|before|after|upon|in\s+case)\b[^,;:()]{2,80},\s+(?:\S+\s+){2}\S",
    )
    .expect("leading condition regex")
});

/// Qualifiers that leave the claim as it is: "(if applicable)", "(e.g. Renovate)", "where
/// possible", "(optional)". A specific condition stays: "(if using Prometheus Operator)" is
/// read by the check it concerns.
static QUALIFIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \s*\((?:(?:eg|for\ example|for\ instance|such\ as|optional|ideally|recommended|preferably|see|like)\b|e\.g\.?|i\.e\.?)[^()]*\)
      | \s*\((?:if|where|when)\ (?:applicable|possible|practical|feasible|needed|necessary|relevant|required|appropriate|available)\)
      | \s*\([^()]*\b(?:e\.g\.?|eg|for\ example|for\ instance|such\ as)\ [^()]*\)
      | \s*\([^()]*\bor\ (?:equivalent|similar|alike|comparable|another)\b[^()]*\)
      | ,?\s+\b(?:if|where|when)\ (?:applicable|possible|practical|feasible|needed|necessary|relevant|required|appropriate)\b
      | ,?\s+\bas\ (?:needed|appropriate|applicable)\b",
    )
    .expect("qualifier regex")
});

/// `text` without what frames it: numbering and tags, a question's form, openings such as
/// "verify that", modal words and qualifiers.
pub fn strip_framing(text: &str, framing: &Framing) -> String {
    // The qualifier patterns all need a bracket or one of these words: skip the search
    // for the many items without.
    let unqualified = if text.contains('(')
        || [" if ", " where ", " when ", " as "]
            .iter()
            .any(|w| text.contains(w))
    {
        QUALIFIER.replace_all(text, "")
    } else {
        text.into()
    };
    let unqualified = drop_label(&unqualified);
    let mut t = unqualified
        .trim()
        .trim_end_matches('.')
        .trim_end()
        .to_string();
    loop {
        let before = t.len();
        if let Some(m) = LEADING_ID.find(&t) {
            t = t[m.end()..].to_string();
        }
        if LEADING_CONDITION.is_match(&t)
            && let Some(comma) = t.find(", ")
        {
            t = format!("{} ({})", &t[comma + 2..], &t[..comma]);
        }
        if (t.ends_with(')') || t.ends_with(']'))
            && let Some(m) = TRAILING_TAG.find(&t)
        {
            t.truncate(m.start());
        }
        if let Some(q) = t.strip_suffix('?') {
            t = q.trim_end().to_string();
        }
        let first = t.as_bytes().first().copied();
        for opening in &framing.openings {
            // Most openings are ruled out by their first letter.
            if opening.as_bytes().first().copied() != first {
                continue;
            }
            if let Some(rest) = strip_words(&t, opening) {
                t = rest.to_string();
                break;
            }
        }
        t = t.trim_start_matches([':', ',', '-', ' ']).to_string();
        if t.len() == before {
            break;
        }
    }
    remove_modals(&t, &framing.modals)
}

/// "PDB: It has a PodDisruptionBudget …" → "It has a PodDisruptionBudget …": a short label
/// before a colon names the topic the sentence after it states. Kept when the label is
/// all there is, or when the colon is part of a value ("max-age: 31536000").
fn drop_label(text: &str) -> std::borrow::Cow<'_, str> {
    let Some((label, rest)) = text.split_once(": ") else {
        return text.into();
    };
    let words = label.split_whitespace().count();
    let sentence = rest.split_whitespace().count() >= 3
        && rest.split_whitespace().next().is_some_and(|w| {
            matches!(
                w,
                "it" | "its"
                    | "the"
                    | "all"
                    | "every"
                    | "each"
                    | "there"
                    | "we"
                    | "a"
                    | "an"
                    | "our"
            )
        });
    if (1..=4).contains(&words) && sentence {
        rest.to_string().into()
    } else {
        text.into()
    }
}

/// `text` after `prefix` when `text` starts with its words (whole words only).
fn strip_words<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let rest = text.strip_prefix(prefix)?;
    if prefix.ends_with(':') {
        return Some(rest.trim_start());
    }
    // The rest must start a new word, and leave something to claim.
    let next = rest.chars().next()?;
    (next == ' ' || next == ',' || next == ':')
        .then(|| rest.trim_start_matches([' ', ',', ':']))
        .filter(|r| !r.is_empty())
}

fn remove_modals(text: &str, modals: &[String]) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    let mut i = 0;
    'next: while i < words.len() {
        for m in modals {
            if !m.starts_with(words[i].trim_end_matches([',', ':', ';'])) {
                continue;
            }
            let n = m.split(' ').count();
            if i + n <= words.len() && words[i..i + n].iter().copied().eq(m.split(' ')) {
                // Keep punctuation that followed the modal ("mandatory," ends a clause).
                let last = words[i + n - 1];
                if let Some(p) = last.strip_prefix(m.rsplit(' ').next().unwrap_or(m))
                    && !p.is_empty()
                {
                    out.push(p);
                }
                i += n;
                continue 'next;
            }
        }
        // "mandatory," and "must:" carry punctuation: compare without it.
        let bare = words[i].trim_end_matches([',', ':', ';']);
        if bare != words[i] && modals.iter().any(|m| m == bare) {
            i += 1;
            continue;
        }
        out.push(words[i]);
        i += 1;
    }
    out.retain(|w| !w.is_empty());
    if out.is_empty() {
        return text.to_string();
    }
    out.join(" ")
}

/// `text` up to a purpose or reason clause ("to keep the context small", "so that …"),
/// when enough is left before it to be a claim.
pub fn strip_purpose(text: &str, framing: &Framing) -> String {
    let words: Vec<(usize, &str)> = text
        .split(' ')
        .scan(0usize, |at, w| {
            let start = *at;
            *at += w.len() + 1;
            Some((start, w))
        })
        .collect();
    for (k, &(at, w)) in words.iter().enumerate().skip(1) {
        let bare = w.trim_start_matches(['(', ',']);
        // Every opener starts with a word some opener starts with: rule the rest out cheaply.
        if bare != "to" && !framing.purpose_openers.iter().any(|p| p.starts_with(bare)) {
            continue;
        }
        let cut = if bare == "to" {
            words.get(k + 1).is_some_and(|(_, next)| {
                let next = next.trim_end_matches([',', '.', ';', ')']);
                framing.purpose_verbs.iter().any(|v| v == next)
            })
        } else {
            framing.purpose_openers.iter().any(|p| {
                let n = p.split(' ').count();
                k + n <= words.len()
                    && words[k..k + n]
                        .iter()
                        .map(|(_, w)| w.trim_start_matches(['(', ',']).trim_end_matches(','))
                        .eq(p.split(' '))
            })
        };
        if cut {
            let kept = text[..at]
                .trim_end()
                .trim_end_matches([',', ';', '(', '-', ' ']);
            // A purpose inside brackets ends where they close, or at the next comma:
            // "(audit packages to limit CVEs, use Snyk)" keeps "(audit packages, use Snyk)".
            let open = text[..at].matches('(').count() > text[..at].matches(')').count();
            if open && let Some(end) = text[at..].find([',', ')']).map(|e| at + e) {
                let rest = strip_purpose(&text[end..], framing);
                let joined = if text[..at].trim_end().ends_with('(') {
                    format!(
                        "{}{}",
                        text[..at].trim_end(),
                        rest.trim_start_matches([',', ' '])
                    )
                } else {
                    format!("{kept}{rest}")
                };
                return joined.replace("()", "").trim().to_string();
            }
            return kept.to_string();
        }
    }
    text.to_string()
}

/// A topic label before a colon ("docker: pinned base + healthcheck") and what follows it,
/// when the label is a few words without a verb.
pub fn label(text: &str) -> Option<(&str, &str)> {
    let (label, rest) = text.split_once(": ").or_else(|| text.split_once(" - "))?;
    let words: Vec<&str> = label.split_whitespace().collect();
    // Four words, for a term the vocabulary spelt out ("limits and requests" reads
    // "resource requests and limits").
    ((1..=4).contains(&words.len())
        && !words.iter().any(|w| is_verbish(w))
        && !rest.trim().is_empty())
    .then_some((label.trim(), rest.trim()))
}

/// Small words a title leaves in lower case ("Run as Non-Root", "Define Build as Code").
const TITLE_SMALL: &[&str] = &[
    "a", "an", "the", "as", "to", "of", "in", "on", "and", "or", "for", "from", "by", "with", "at",
    "via", "into",
];

/// Verbs a rule's headline opens with ("Enforce Non-Root Containers", "Pin Third-Party
/// Actions"). A headline of nouns ("Image Registry: Stores build artefacts") is a term the
/// words after it define (`split_defined`), not a rule restated.
const HEADLINE_VERBS: &[&str] = &[
    "enforce",
    "minimize",
    "minimise",
    "apply",
    "define",
    "protect",
    "manage",
    "pin",
    "avoid",
    "use",
    "run",
    "restrict",
    "limit",
    "require",
    "enable",
    "disable",
    "set",
    "scan",
    "sign",
    "store",
    "keep",
    "drop",
    "prefer",
    "validate",
    "verify",
    "ensure",
    "implement",
    "rotate",
    "isolate",
    "log",
    "monitor",
    "encrypt",
    "deny",
    "block",
    "separate",
    "audit",
    "generate",
    "lock",
    "harden",
    "remove",
    "update",
    "patch",
    "configure",
    "add",
    "include",
    "expose",
    "secure",
    "segregate",
    "version",
    "automate",
    "document",
    "test",
    "review",
    "inject",
    "mount",
    "pass",
    "provide",
    "supply",
    "grant",
    "forbid",
    "disallow",
    "prevent",
    "build",
    "sanitize",
    "sanitise",
    "track",
    "clean",
    "combine",
    "switch",
    "exclude",
    "reject",
    "deploy",
];

/// What stands before an item's first ": " (without emphasis) and after it, trimmed.
fn before_colon(text: &str) -> Option<(&str, &str)> {
    let (head, rest) = text.split_once(": ")?;
    Some((head.trim().trim_matches('*').trim(), rest.trim()))
}

/// A headline in title case before a colon, opening with a verb, followed by the rule it
/// names in a sentence of its own ("Enforce Non-Root Containers: Run containers as non-root
/// users."): the headline restates the rule in fewer words, so the sentence is what the item
/// claims. Read on the item as written, since case is what marks the headline. The headline
/// and the sentence, or `None`.
pub fn headline(text: &str) -> Option<(&str, &str)> {
    let (head, rest) = before_colon(text)?;
    let head_words: Vec<&str> = head.split_whitespace().collect();
    let titled = |w: &&str| {
        TITLE_SMALL.contains(w)
            || w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    };
    let capitalised = head_words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    let opens_with_verb = head_words
        .first()
        .is_some_and(|w| HEADLINE_VERBS.contains(&w.to_lowercase().as_str()));
    ((2..=7).contains(&head_words.len())
        && opens_with_verb
        && head_words.iter().all(titled)
        && capitalised >= 2
        && rest.chars().next().is_some_and(char::is_uppercase)
        && rest.split_whitespace().count() >= 4)
        .then_some((head, rest))
}

/// A category written in capitals before a question ("SECURITY: How do we ensure that data
/// in transit is encrypted?", "DIAGNOSIS: How do we know …?"): the question asks what the
/// item claims; the category files it, like a heading, and is a term of its own bound alone
/// only when nothing else binds ("TLS: Is it enabled everywhere?"). The category and the
/// question, or `None`.
pub fn category_question(text: &str) -> Option<(&str, &str)> {
    let (head, rest) = before_colon(text)?;
    let words: Vec<&str> = head.split_whitespace().collect();
    let capitals = |w: &&str| {
        w.chars().any(|c| c.is_alphabetic())
            && w.chars()
                .all(|c| c.is_uppercase() || matches!(c, '&' | '/' | '-'))
    };
    ((1..=3).contains(&words.len())
        && words.iter().all(capitals)
        && head.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && rest.ends_with('?')
        && rest.chars().next().is_some_and(char::is_uppercase)
        && rest.split_whitespace().count() >= 4)
        .then_some((head, rest))
}

/// Claims of a labelled list, each about the label ("docker pinned base", "docker
/// healthcheck"); `None` when what follows the label is one claim.
pub fn split_labelled(text: &str) -> Option<Vec<Claim>> {
    let (label, rest) = label(text)?;
    let parts = split(rest);
    (parts.len() > 1).then(|| {
        // The label is a term of its own too ("Network policies: allow…, require…"); like a
        // defined term it binds alone only when nothing else does.
        std::iter::once(Claim {
            topic: true,
            ..claim(label)
        })
        .chain(
            parts
                .into_iter()
                .map(|c| claim(&format!("{label} {}", c.text))),
        )
        .collect()
    })
}

/// A term and its definition ("Limits and requests: explicit resource allocation for
/// pods"): the term is what the item asks for, the words after it explain it. The term is a
/// claim of its own (a topic), and each part of the definition a claim about the term, so a
/// check that knows the term binds and what only explains it stays with a person. `None`
/// when there is no such term, or nothing after it to explain it.
pub fn split_defined(text: &str) -> Option<Vec<Claim>> {
    // A colon defines; a dash (which `label` also reads) more often continues the item.
    if !text.contains(": ") {
        return None;
    }
    let (label, rest) = label(text)?;
    if rest.split_whitespace().count() < 2 {
        return None;
    }
    let mut out = vec![Claim {
        topic: true,
        ..claim(label)
    }];
    out.extend(
        split(rest)
            .into_iter()
            .map(|c| claim(&format!("{label} {}", c.text))),
    );
    Some(out)
}

/// Documents whose existence a check shows, by vocabulary concept.
const DOCUMENT_CONCEPTS: &[&str] = &[
    "recovery-procedure",
    "rollback-plan",
    "runbook",
    "deployment-guide",
    "api-docs",
    "architecture-docs",
    "troubleshooting-guide",
];

/// Their canonical words (what the text holds after the rewrite), longest first so
/// "recovery runbook" is found before "runbook".
static DOCUMENTS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    let mut docs = super::canonical_of(DOCUMENT_CONCEPTS);
    docs.sort_by_key(|d| std::cmp::Reverse(d.len()));
    docs
});

/// Words that open what a document is about.
const ABOUT: &[&str] = &[
    "for",
    "on",
    "about",
    "covering",
    "describing",
    "that covers",
];

/// A document and what it is about ("a runbook for patching of service"): that the document
/// exists is one claim, a check's; what it says about its subject is another, a person's.
/// `None` when the text does not open with a document followed by its subject.
pub fn split_document_subject(text: &str) -> Option<Vec<Claim>> {
    let t = text.trim();
    let bare = ["a ", "an ", "the "]
        .iter()
        .find_map(|a| t.strip_prefix(a))
        .unwrap_or(t);
    // The document, in the singular or plural, and the words after it.
    let (doc, rest) = DOCUMENTS.iter().find_map(|d| {
        let r = bare.strip_prefix(d)?;
        Some((*d, r.strip_prefix('s').unwrap_or(r).strip_prefix(' ')?))
    })?;
    let subject = ABOUT
        .iter()
        .find_map(|a| rest.strip_prefix(a).and_then(|r| r.strip_prefix(' ')))?;
    // "…for schema changes is explicit" says something of the document itself: not a
    // subject alone.
    let predicated = subject
        .split_whitespace()
        .any(|w| matches!(w, "is" | "are" | "be" | "was" | "were" | "has" | "have"));
    if subject.split_whitespace().count() == 0 || predicated {
        return None;
    }
    Some(vec![claim(doc), claim(&format!("{doc} {rest}"))])
}

/// One thing an item says must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The claim as binders read it: normalised, framing removed, canonical words.
    pub text: String,
    /// Says it must not hold ("no", "not", "never", "without").
    pub negated: bool,
    /// The term a definition explains (`split_defined`): bound on its own only when the item
    /// as a whole binds nothing.
    pub topic: bool,
    /// What a vocabulary concept's canonical words leave to a person (`person` in the
    /// vocabulary): a person's part of the item, not a claim that splits it.
    pub rest: bool,
}

/// Split `text` into claims (see the module's docs). One claim when it has no separators,
/// or when its parts are not claims of their own.
pub fn split(text: &str) -> Vec<Claim> {
    let (frags, starts): (Vec<Vec<&str>>, Vec<bool>) = fragments(text).into_iter().unzip();
    if frags.len() < 2 {
        return vec![claim(text)];
    }
    let first_verb = frags[0].iter().position(|w| is_verbish(w));
    // The subject a later claim that starts with a verb takes: the first part's words before
    // its verb ("each dockerfile").
    let subject: Vec<&str> = match first_verb {
        Some(v) if (1..=5).contains(&v) => frags[0][..v].to_vec(),
        _ => Vec::new(),
    };
    let mut claims: Vec<Vec<&str>> = Vec::new();
    let mut pending: Vec<Vec<&str>> = Vec::new();
    // Claims made since the current sentence began.
    let mut in_sentence = 0;
    for (k, f) in frags.iter().enumerate() {
        if starts[k] {
            // Members left without a predicate never take one from the next sentence:
            // after a claim they end its list ("sent to a separate system for analysis,
            // detection, alerting and escalation."); alone they are a sentence of names.
            end_sentence(&mut pending, &mut claims, in_sentence);
            in_sentence = 0;
        }
        let before = claims.len();
        let verb = f.iter().position(|w| is_verbish(w));
        match verb {
            // Members without a verb before it are its subjects ("alerts configured and
            // tested" after a rewrite to "alert rules and tested").
            Some(0) if k > 0 && !pending.is_empty() => {
                flush_pending(&mut pending, &mut claims, &f[..]);
            }
            Some(0) if k > 0 => {
                let mut c = subject.clone();
                c.extend(f);
                claims.push(c);
            }
            Some(v) => {
                // List members before it share its predicate.
                flush_pending(&mut pending, &mut claims, &f[v..]);
                claims.push(f.clone());
            }
            // "encrypt data at rest and in transit": a phrase that only says where or when
            // shares what the claim before it says up to that claim's own phrase.
            None if pending.is_empty() && in_sentence > 0 && is_place_phrase(f) => {
                let prev = claims.last().cloned().unwrap_or_default();
                match prev.iter().rposition(|w| PLACES.contains(w)) {
                    Some(at) if at > 0 => {
                        let mut c = prev[..at].to_vec();
                        c.extend(f);
                        claims.push(c);
                    }
                    _ => pending.push(f.clone()),
                }
            }
            None => pending.push(f.clone()),
        }
        in_sentence += claims.len() - before;
    }
    if !pending.is_empty() {
        // Members with no predicate after them are claims of their own about the subject
        // ("pinned base + healthcheck + non-root"), or, with no claim before them, the whole
        // item is a list without a verb.
        if claims.is_empty() {
            // A list of short names and nothing said of them ("probes, limits and an hpa"):
            // each name is asked for. A longer phrase is one claim.
            if pending.len() >= 2 && pending.iter().all(|p| p.len() <= 3) {
                return pending.iter().map(|p| claim(&p.join(" "))).collect();
            }
            return vec![claim(text)];
        }
        for p in pending {
            let mut c = subject.clone();
            c.extend(p);
            claims.push(c);
        }
    }
    if claims.len() < 2 {
        return vec![claim(text)];
    }
    // A place named once at the end is every claim's ("pin the base image, add a
    // HEALTHCHECK and drop root in every Dockerfile").
    if let Some(place) = trailing_place(claims.last().map(Vec::as_slice).unwrap_or(&[])) {
        let n = claims.len();
        for c in &mut claims[..n - 1] {
            if !c.windows(place.len()).any(|w| w == place.as_slice()) {
                c.extend(place.iter().copied());
            }
        }
    }
    claims.iter().map(|c| claim(&c.join(" "))).collect()
}

/// Prepositions that open a phrase saying where or when a claim holds.
const PLACES: &[&str] = &[
    "in", "at", "on", "over", "within", "across", "between", "during", "from",
];

/// A fragment that is only such a phrase: a preposition and at most three words.
fn is_place_phrase(f: &[&str]) -> bool {
    (2..=4).contains(&f.len()) && PLACES.contains(&f[0])
}

/// "in every dockerfile", "on all services", "for each deployment" ending a claim: a
/// preposition, a quantifier and at most three words.
fn trailing_place<'a>(words: &[&'a str]) -> Option<Vec<&'a str>> {
    let n = words.len();
    (1..=3).rev().find_map(|tail| {
        let start = n.checked_sub(tail + 2)?;
        let (prep, quant) = (words[start], words[start + 1]);
        (matches!(prep, "in" | "on" | "for" | "across")
            && matches!(quant, "every" | "each" | "all" | "our"))
        .then(|| words[start..].to_vec())
    })
}

/// Give each pending list member the predicate `pred` (or the member is a claim by itself
/// when it is longer than a name).
/// What a sentence's members without a predicate are once the sentence ends: the end of the
/// list its last claim opened, or, in a sentence with no claim, short names each asked for or
/// one longer phrase.
fn end_sentence<'a>(pending: &mut Vec<Vec<&'a str>>, claims: &mut Vec<Vec<&'a str>>, made: usize) {
    if pending.is_empty() {
        return;
    }
    if made > 0 {
        if let Some(last) = claims.last_mut() {
            last.extend(pending.drain(..).flatten());
        }
    } else if pending.len() >= 2 && pending.iter().all(|p| p.len() <= 3) {
        claims.append(pending);
    } else {
        let all: Vec<&str> = pending.drain(..).flatten().collect();
        claims.push(all);
    }
}

fn flush_pending<'a>(
    pending: &mut Vec<Vec<&'a str>>,
    claims: &mut Vec<Vec<&'a str>>,
    pred: &[&'a str],
) {
    for mut p in pending.drain(..) {
        if p.len() <= 4 {
            p.extend(pred.iter().skip_while(|w| !is_verbish(w)));
        }
        claims.push(p);
    }
}

pub(crate) fn claim(text: &str) -> Claim {
    let negated = tokens(text).any(|(_, w)| {
        matches!(
            w,
            "no" | "not" | "never" | "without" | "none" | "nothing" | "zero"
        )
    });
    Claim {
        text: text.trim().to_string(),
        negated,
        topic: false,
        rest: false,
    }
}

/// The words of each part of `text`, split at separators outside brackets and quotes, and
/// whether each part starts a new sentence (after ". " or "; ").
fn fragments(text: &str) -> Vec<(Vec<&str>, bool)> {
    let mut parts: Vec<(&str, bool)> = Vec::new();
    let mut new_sentence = false;
    let mut depth = 0i32;
    let mut quoted = false;
    let mut start = 0;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            b'"' => quoted = !quoted,
            _ => {}
        }
        // Every separator starts with one of these bytes.
        let may_separate = matches!(b[i], b' ' | b';' | b',' | b'.');
        if may_separate && depth <= 0 && !quoted && text.is_char_boundary(i) {
            let sep = separator_at(text, i);
            if sep > 0 {
                parts.push((&text[start..i], new_sentence));
                new_sentence = matches!(b[i], b'.' | b';');
                i += sep;
                start = i;
                continue;
            }
        }
        i += 1;
    }
    parts.push((&text[start..], new_sentence));
    let mut out: Vec<(Vec<&str>, bool)> = Vec::new();
    let mut carried = false;
    for (p, starts) in parts {
        let words: Vec<&str> = p
            .split_whitespace()
            .map(|w| w.trim_matches([',', ';', '.']))
            .filter(|w| !w.is_empty() && *w != "and")
            .collect();
        // An empty part passes its sentence start on to the next.
        if words.is_empty() {
            carried |= starts;
            continue;
        }
        out.push((words, starts || carried));
        carried = false;
    }
    out
}

/// The length of a claim separator starting at byte `i`, or 0.
fn separator_at(text: &str, i: usize) -> usize {
    let rest = &text[i..];
    for sep in [
        "; ",
        ". ",
        ", and ",
        ", as well as ",
        ", plus ",
        " as well as ",
        " along with ",
        " and also ",
        " and ",
        " + ",
        " plus ",
    ] {
        if rest.starts_with(sep) {
            return sep.len();
        }
    }
    // A comma, but not inside a number ("1,000").
    if rest.starts_with(", ") {
        return 2;
    }
    0
}

/// Verbs and participles checklists use for what must hold. Words that are as often nouns
/// ("tests", "alerts", "logs", "checks") are left out: they would make a subject a predicate.
const VERBS: &[&str] = &[
    "is",
    "are",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "having",
    "run",
    "runs",
    "running",
    "use",
    "uses",
    "using",
    "used",
    "define",
    "defines",
    "defined",
    "pin",
    "pins",
    "set",
    "sets",
    "expose",
    "exposes",
    "return",
    "returns",
    "answer",
    "answers",
    "respond",
    "responds",
    "serve",
    "serves",
    "enforce",
    "enforces",
    "enable",
    "enables",
    "require",
    "requires",
    "store",
    "stores",
    "send",
    "sends",
    "sent",
    "reject",
    "rejects",
    "refuse",
    "refuses",
    "rotate",
    "rotates",
    "contain",
    "contains",
    "include",
    "includes",
    "declare",
    "declares",
    "specify",
    "specifies",
    "configure",
    "configures",
    "built",
    "publish",
    "publishes",
    "push",
    "pushes",
    "emit",
    "emits",
    "redirect",
    "redirects",
    "encrypt",
    "encrypts",
    "listen",
    "listens",
    "deny",
    "denies",
    "allow",
    "allows",
    "trigger",
    "triggers",
    "verify",
    "verifies",
    "restart",
    "restarts",
    "scale",
    "scales",
    "mount",
    "mounts",
    "keep",
    "keeps",
    "kept",
    "retain",
    "retains",
    "written",
    "done",
    "shown",
    "known",
    "taken",
    "given",
    "drawn",
    "made",
    "stay",
    "stays",
    "remain",
    "remains",
    "get",
    "gets",
    "got",
    "ship",
    "ships",
    "add",
    "adds",
    "avoid",
    "avoids",
    "never",
    "expire",
    "expires",
    "pass",
    "passes",
    "fail",
    "fails",
    "handle",
    "handles",
    "follow",
    "follows",
    "apply",
    "applies",
    "spread",
    "spreads",
    "exist",
    "exists",
    "works",
    "rehearse",
    "rehearses",
    "train",
    "trains",
    "tested",
    "approve",
    "approves",
    "go",
    "goes",
    "create",
    "creates",
    "write",
    "writes",
    "read",
    "reads",
    "understand",
    "understood",
    "automate",
    "automates",
    "renew",
    "renews",
    "reach",
    "reaches",
    "answered",
    "not",
    "certificates valid for 21 days",
    "valid",
    "present",
    "available",
    "ready",
    "healthy",
    "active",
    "current",
    "up-to-date",
    "secure",
    "encrypted",
    "reachable",
    "green",
];

/// Words ending in "-ed" that are not verbs.
const NOT_VERBS: &[&str] = &[
    "need", "speed", "embed", "seed", "feed", "bed", "red", "shed", "hundred",
];

fn is_verbish(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    VERBS.contains(&w)
        || (w.len() >= 5 && w.ends_with("ed") && !NOT_VERBS.contains(&w) && !w.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::understand::vocabulary::vocabulary;

    fn texts(s: &str) -> Vec<String> {
        split(s).into_iter().map(|c| c.text).collect()
    }

    #[test]
    fn a_category_in_capitals_files_the_question_after_it() {
        assert_eq!(
            category_question("SECURITY: How do we ensure that data in transit is encrypted?"),
            Some((
                "SECURITY",
                "How do we ensure that data in transit is encrypted?"
            ))
        );
        // Not a question, not capitals, or too little after it: the item reads as written.
        assert_eq!(category_question("BACKUPS: Taken every 6 hours"), None);
        assert_eq!(category_question("Security: How do we ensure it?"), None);
        assert_eq!(category_question("TLS: Enabled?"), None);
    }

    #[test]
    fn a_rule_headline_restates_the_sentence_after_it() {
        assert_eq!(
            headline("Enforce Non-Root Containers: Run containers as non-root users."),
            Some((
                "Enforce Non-Root Containers",
                "Run containers as non-root users."
            ))
        );
        assert_eq!(
            headline("**Pin Actions to a Commit**: Pin every third-party action to a SHA"),
            Some((
                "Pin Actions to a Commit",
                "Pin every third-party action to a SHA"
            ))
        );
        // A term defined after it, a label of a lower-case list, or a short rest are not.
        for not in [
            "Image Registry: Stores build artefacts for the cluster to pull",
            "docker: pinned base + healthcheck and a non-root user",
            "Enforce Non-Root Containers: Always",
            "Enforce non-root containers: run containers as non-root users",
        ] {
            assert_eq!(headline(not), None, "{not}");
        }
    }

    #[test]
    fn a_place_phrase_shares_the_claim_before_it() {
        assert_eq!(
            texts("encrypt data at rest and in transit"),
            ["encrypt data at rest", "encrypt data in transit"]
        );
        assert_eq!(
            texts("logs kept in loki and on disk"),
            ["logs kept in loki", "logs kept on disk"]
        );
    }

    #[test]
    fn framing_is_not_a_claim() {
        let f = &vocabulary().framing;
        assert_eq!(
            strip_framing(
                "verify that containers run with a read-only root filesystem",
                f
            ),
            "containers run with a read-only root filesystem"
        );
        assert_eq!(strip_framing("sec-04: tls 1.2+ only", f), "tls 1.2+ only");
        assert_eq!(
            strip_framing("monitoring.4 error-rate alerts validated", f),
            "error-rate alerts validated"
        );
        assert_eq!(
            strip_framing("1.2) workloads must run as non-root", f),
            "workloads run as non-root"
        );
        assert_eq!(
            strip_framing("do containers run as non-root?", f),
            "containers run as non-root"
        );
        assert_eq!(
            strip_framing("ensure a changelog entry exists (p1)", f),
            "a changelog entry exists"
        );
        assert_eq!(
            strip_framing("it has a .dockerignore", f),
            "a .dockerignore"
        );
        // Numbers that are part of the claim stay.
        assert_eq!(strip_framing("2 replicas minimum", f), "2 replicas minimum");
        // Baseline ids with groups and dotted numbers, audit tags, and the condition a
        // requirement opens with.
        assert_eq!(
            strip_framing(
                "osps-vm-02.01: while active, the project documentation must contain security contacts.",
                f
            ),
            "the project documentation contain security contacts (while active)"
        );
        assert_eq!(
            strip_framing(
                "ensure that container health is checked at runtime (automated)",
                f
            ),
            "container health is checked at runtime"
        );
        // A condition with too little after it is the claim itself.
        assert_eq!(
            strip_framing("when deploying, rollback", f),
            "when deploying, rollback"
        );
    }

    #[test]
    fn purpose_clauses_are_not_claims() {
        let f = &vocabulary().framing;
        assert_eq!(
            strip_purpose("a .dockerignore to keep the build context small", f),
            "a .dockerignore"
        );
        assert_eq!(
            strip_purpose("rate limiting enabled to avoid ddos", f),
            "rate limiting enabled"
        );
        assert_eq!(
            strip_purpose("http redirects to https", f),
            "http redirects to https"
        );
    }

    #[test]
    fn claims_share_subject_and_predicate() {
        assert_eq!(
            texts(
                "each dockerfile defines a healthcheck, pins its base image and runs as non-root"
            ),
            [
                "each dockerfile defines a healthcheck",
                "each dockerfile pins its base image",
                "each dockerfile runs as non-root"
            ]
        );
        assert_eq!(
            texts("rollback plan written and rehearsed"),
            ["rollback plan written", "rollback plan rehearsed"]
        );
        assert_eq!(
            texts("hsts, csp and x-frame-options headers set"),
            ["hsts set", "csp set", "x-frame-options headers set"]
        );
        // A list of names is a claim per name; a list with a longer phrase stays whole.
        assert_eq!(
            texts("probes, limits and an hpa"),
            ["probes", "limits", "an hpa"]
        );
        assert_eq!(
            texts("runbook, on-call rota and the escalation policy of the team").len(),
            1
        );
        assert_eq!(
            texts("logs are shipped to datadog and sentry"),
            ["logs are shipped to datadog", "logs sentry"]
        );
        let labelled = split_labelled("docker: pinned base + healthcheck + non-root").unwrap();
        // The label is a term (a topic claim), then each part is a claim about it.
        assert!(labelled[0].topic && !labelled[1].topic);
        let labelled: Vec<String> = labelled.into_iter().map(|c| c.text).collect();
        assert_eq!(
            labelled,
            [
                "docker",
                "docker pinned base",
                "docker healthcheck",
                "docker non-root"
            ]
        );
        assert!(split_labelled("docker: runs as non-root").is_none());
        assert_eq!(
            texts("pin the base image, add a healthcheck and drop root in every dockerfile"),
            [
                "pin the base image in every dockerfile",
                "add a healthcheck in every dockerfile",
                "drop root in every dockerfile"
            ]
        );
        assert_eq!(texts("alert rules and tested"), ["alert rules and tested"]);
        assert_eq!(
            texts("rate limit dashboards and alerting configured for each tenant"),
            [
                "rate limit dashboards configured for each tenant",
                "alerting configured for each tenant"
            ]
        );
    }

    #[test]
    fn a_defined_term_is_a_claim_of_its_own_beside_its_definition() {
        let c = split_defined("network policies: rules for which connections are allowed")
            .expect("a term and its definition");
        assert!(c[0].topic);
        assert_eq!(c[0].text, "network policies");
        assert_eq!(
            c[1].text,
            "network policies rules for which connections are allowed"
        );
        assert!(!c[1].topic);
        // A term with nothing to explain it, a sentence before the colon, or a value.
        assert!(split_defined("alerts: yes").is_none());
        assert!(split_defined("we always deploy on tuesdays: it is the quiet day").is_none());
        assert!(split_defined("dashboards").is_none());
    }

    #[test]
    fn a_list_never_takes_its_predicate_from_the_next_sentence() {
        // After a claim, the members end its list: "alerting" is not a claim of its own.
        assert_eq!(
            texts(
                "logs are sent to a separate system for analysis, alerting, and escalation. the aim is clear"
            ),
            [
                "logs are sent to a separate system for analysis alerting escalation",
                "the aim is clear"
            ]
        );
        // A sentence of names and nothing said of them is one phrase when they are long.
        assert_eq!(
            texts("separate accounts for separate concerns, for ci and ops. this is why"),
            [
                "separate accounts for separate concerns for ci ops",
                "this is why"
            ]
        );
    }

    #[test]
    fn a_document_and_its_subject_are_two_claims() {
        let got: Vec<String> = split_document_subject("a runbook for patching of service")
            .unwrap()
            .into_iter()
            .map(|c| c.text)
            .collect();
        assert_eq!(got, ["runbook", "runbook for patching of service"]);
        assert!(split_document_subject("runbook").is_none());
        assert!(
            split_document_subject("rollback runbook for schema changes is explicit").is_none()
        );
        assert!(split_document_subject("runbook reviewed").is_none());
    }
}
