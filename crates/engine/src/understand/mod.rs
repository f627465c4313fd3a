//! Stage 1½, between parse and bind: what an item means, in words every check's binder shares.
//!
//! `understand` normalises the wording (case, contractions, British spellings, numbers written
//! as words, symbols, durations), drops what frames it ("Verify that", "must", "SEC-04:") and
//! what explains it ("to keep the context small"), rewrites synonyms to the canonical words of
//! the shared vocabulary (`vocabulary.toml`), and splits the result into claims. Binders read
//! the understood text instead of the raw one, so one vocabulary entry teaches every check a
//! new way of saying something.

mod cjk;
mod claims;
mod german;
mod normalise;
mod phrasing;
mod romance;
mod vocabulary;

pub use claims::Claim;
pub use normalise::normalise;
pub use vocabulary::{Topic, Vocabulary, stem, vocabulary};

/// What an item says, ready for binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Understanding {
    /// The whole item as binders read it: normalised, framing and purpose removed, canonical
    /// words.
    pub text: String,
    /// The claims it makes; one when it makes one (then equal to `text`).
    pub claims: Vec<Claim>,
    /// Vocabulary concepts named, by id, in order.
    pub concepts: Vec<&'static str>,
    /// Whether the words binders read differ from the item's own beyond case and spacing
    /// (synonyms replaced, framing removed): a binding then rests on the vocabulary.
    pub rewritten: bool,
}

/// Understand an item's display text.
pub fn understand(text: &str) -> Understanding {
    // A category in capitals before a question: in words ("SECURITY", "DIAGNOSIS") it files
    // the question like a heading and claims nothing; an acronym ("TLS", "CORS") is the
    // question's subject, kept as a term like a headline.
    let category = claims::category_question(text);
    if let Some((name, question)) = category
        && name.chars().filter(|c| c.is_alphabetic()).count() > 5
    {
        let mut said = understand(question);
        said.rewritten = true;
        return said;
    }
    // A title-case headline restating the rule after it: the rule is the claim, the headline
    // a term of its own, bound alone only when nothing else binds.
    if let Some((head, rule)) = claims::headline(text).or(category) {
        let mut said = understand(rule);
        let head = understand(head);
        said.claims.insert(
            0,
            Claim {
                topic: true,
                ..claims::claim(&head.text)
            },
        );
        said.rewritten = true;
        return said;
    }
    let v = vocabulary();
    let normal = normalise(text);
    let framed = claims::strip_framing(&normal, &v.framing);
    let purposeful = claims::strip_purpose(&framed, &v.framing);
    let purposeful = phrasing::rephrase(&purposeful);
    let (rewritten_text, found) = match v.alone(&purposeful) {
        Some(i) => (v.concepts[i].canonical.clone(), vec![i]),
        None => v.rewrite(&purposeful),
    };
    let text = if rewritten_text.trim().is_empty() {
        normal.clone()
    } else {
        rewritten_text
    };
    let mut claims = claims::split_labelled(&text)
        .or_else(|| claims::split_defined(&text))
        .or_else(|| claims::split_document_subject(&text))
        .unwrap_or_else(|| claims::split(&text));
    // A claim that takes its subject from another part ("database backups automated and
    // tested" → "database backups tested") can name a concept the whole item did not.
    // Only a concept new to the item: rewriting again what the item already named would
    // drop words its binders read ("automated tests" is "tests").
    let mut found = found;
    if claims.len() > 1 {
        let whole = found.clone();
        let mut out = Vec::with_capacity(claims.len());
        for c in claims {
            let (rewritten, more) = if c.rest || c.topic {
                (String::new(), Vec::new())
            } else {
                v.rewrite(&c.text)
            };
            if more.iter().any(|i| !whole.contains(i)) && rewritten != c.text {
                for i in more {
                    if !found.contains(&i) {
                        found.push(i);
                    }
                }
                // Canonical words may make claims of their own ("… and a valid tls
                // certificate").
                out.extend(claims::split(&rewritten));
            } else {
                out.push(c);
            }
        }
        claims = out;
    }
    // A concept its canonical words show only in part leaves the rest to a person.
    for &i in &found {
        // Not when the item itself says the canonical means ("highly available with
        // multiple replicas").
        if let Some(rest) = &v.concepts[i].person
            && !purposeful.contains(v.concepts[i].canonical.as_str())
            && !claims.iter().any(|c| c.text == *rest)
        {
            claims.push(Claim {
                rest: true,
                ..claims::claim(rest)
            });
        }
    }
    let concepts = found.iter().map(|&i| v.concepts[i].id.as_str()).collect();
    Understanding {
        rewritten: text != normal,
        text,
        claims,
        concepts,
    }
}

std::thread_local! {
    static STRICT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run `f` with binders judging strictly: a claim split out of an item that did not bind as
/// a whole may not add words its check does not know. The tolerance of a few unknown words
/// is the whole item's; splitting must not multiply it.
pub fn strictly<R>(f: impl FnOnce() -> R) -> R {
    let before = STRICT.with(|s| s.replace(true));
    let out = f();
    STRICT.with(|s| s.set(before));
    out
}

/// Whether binders judge strictly now (`strictly`).
pub fn is_strict() -> bool {
    STRICT.with(std::cell::Cell::get)
}

/// The vocabulary concepts `text` names when it names nothing else (`Vocabulary::topic`),
/// by id, and whether it says they are kept in the repository.
pub fn topic(text: &str) -> Option<(Vec<&'static str>, bool)> {
    let v = vocabulary();
    v.topic(text).map(|t| {
        let ids = t
            .concepts
            .iter()
            .map(|&i| v.concepts[i].id.as_str())
            .collect();
        (ids, t.in_repository)
    })
}

/// The canonical wording of each concept, by id (unknown ids are skipped).
pub fn canonical_of(ids: &[&str]) -> Vec<&'static str> {
    let v = vocabulary();
    ids.iter()
        .filter_map(|id| v.concepts.iter().find(|c| c.id == *id))
        .map(|c| c.canonical.as_str())
        .collect()
}

/// Whether two words are one word inflected ("identify", "identified").
pub fn same_word(a: &str, b: &str) -> bool {
    vocabulary::stem(a) == vocabulary::stem(b)
}

/// The act in `text` that only a person can vouch for, by its vocabulary entry ("rehearse").
pub fn person_act(text: &str) -> Option<&'static str> {
    vocabulary().person_act(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(text: &str) -> Vec<String> {
        understand(text)
            .claims
            .into_iter()
            .map(|c| c.text)
            .collect()
    }

    #[test]
    fn the_issues_examples() {
        assert_eq!(
            understand("Our images don't run as the root user").text,
            "our images run as non-root"
        );
        assert_eq!(
            understand("Workloads must run with a non-privileged account").text,
            "containers run with a non-root user"
        );
        assert_eq!(
            understand("It has a .dockerignore to keep the build context small").text,
            "a .dockerignore"
        );
        assert_eq!(
            understand("Verify that containers run with a read-only root filesystem").text,
            "containers run with a read-only root filesystem"
        );
        assert_eq!(
            claims(
                "Each Dockerfile defines a HEALTHCHECK, pins its base image and runs as non-root"
            ),
            [
                "each dockerfile defines a healthcheck",
                "each dockerfile pins its base image",
                "each dockerfile runs as non-root"
            ]
        );
        assert_eq!(
            understand("Strict-Transport-Security set with a max-age of at least one year").text,
            "strict-transport-security set with a max-age of at least 365 days"
        );
        let u = understand("Rollback plan written and rehearsed");
        assert_eq!(u.claims.len(), 2);
        assert_eq!(person_act(&u.claims[1].text), Some("rehearse"));
        assert_eq!(person_act(&u.claims[0].text), None);
    }

    proptest::proptest! {
        /// Any text, of any script and punctuation, is understood without a panic, into at
        /// least one claim.
        #[test]
        fn any_text_is_understood(text in "\\PC{0,120}") {
            let u = understand(&text);
            proptest::prop_assert!(!u.claims.is_empty());
        }

        #[test]
        fn wordy_text_is_understood(words in proptest::collection::vec(
            "(and|,|;|\\.|\\+|…|é|must|verify that|to keep|\\(e\\.g\\. x\\)|non-root|runs|a|:|\\?|✅|one|year|don't)",
            0..30,
        )) {
            let u = understand(&words.join(" "));
            proptest::prop_assert!(!u.claims.is_empty());
        }
    }

    #[test]
    fn a_claim_that_borrows_its_subject_names_its_own_concept() {
        let u = understand("Database backups automated and tested");
        let texts: Vec<&str> = u.claims.iter().map(|c| c.text.as_str()).collect();
        assert!(
            texts.contains(&"database backup restore tested"),
            "{texts:?}"
        );
        assert!(u.concepts.contains(&"backups-verified"), "{:?}", u.concepts);
        // A concept the whole item already named is not rewritten again in a claim.
        let u = understand("automated integration tests execute and pass");
        assert!(
            u.claims.iter().any(|c| c.text.contains("automated")),
            "{:?}",
            u.claims
        );
    }

    #[test]
    fn several_instances_are_multiple_replicas_and_checks_are_probes() {
        assert!(
            understand("Run multiple instances of the service")
                .text
                .contains("multiple replicas")
        );
        assert_eq!(understand("Readiness Checks").text, "readiness probe");
    }

    #[test]
    fn alone_words_are_a_concept_only_as_the_whole_item() {
        assert_eq!(
            understand("HTTPS (if needed)").text,
            "http redirects to https and a valid tls certificate"
        );
        assert_eq!(
            understand("HTTP redirects to HTTPS").text,
            "http redirects to https"
        );
    }

    #[test]
    fn a_purpose_inside_brackets_ends_where_they_close() {
        assert_eq!(
            understand("Audits run in CI (audit packages to limit CVEs, use Snyk)").text,
            "audits run in ci (audit packages, use snyk)"
        );
    }

    #[test]
    fn a_phrase_takes_canonical_modifiers_and_keeps_its_number() {
        assert_eq!(understand("Networking policies").text, "network policies");
        assert_eq!(understand("Security policies").text, "security policies");
        assert_eq!(understand("Lockfile committed").text, "lockfile committed");
    }

    #[test]
    fn a_topic_is_concepts_and_words_of_existence_only() {
        assert_eq!(
            topic("backup strategy implemented"),
            Some((vec!["backups"], false))
        );
        assert_eq!(
            topic("network policies in place for every production service"),
            Some((vec!["network-policy"], false))
        );
        assert_eq!(
            topic("alert rules version controlled"),
            Some((vec!["alerts"], true))
        );
        assert_eq!(topic("backups restored weekly"), None);
        assert_eq!(topic("every production service"), None);
        assert_eq!(
            topic("network policies disabled"),
            Some((vec!["network-policy", "disabled"], false))
        );
    }

    #[test]
    fn a_concept_shown_in_part_leaves_the_rest_to_a_person() {
        let u = understand("Be highly available");
        assert_eq!(u.text, "be multiple replicas");
        assert_eq!(u.claims.len(), 2);
        assert!(u.claims[1].rest && person_act(&u.claims[1].text).is_some());
        // Said by the item itself, of something else, in an aside or as a purpose: no rest.
        for text in [
            "Highly available with multiple replicas",
            "Redis is highly available",
            "Read replicas configured (if high availability required)",
            "Anti-affinity rules applied for high availability",
        ] {
            assert!(!understand(text).claims.iter().any(|c| c.rest), "{text}");
        }
        assert_eq!(
            understand("Connections to PostgreSQL are encrypted in transit").text,
            "connections to postgresql are tls"
        );
        assert!(
            understand("Data is encrypted in transit")
                .text
                .contains("http redirects to https and a valid tls certificate")
        );
    }

    #[test]
    fn plain_items_are_not_rewritten() {
        let u = understand("README present");
        assert_eq!(u.text, "readme present");
        assert!(!u.rewritten);
        assert!(understand("Anonymous requests to /admin are refused").rewritten);
    }
}
