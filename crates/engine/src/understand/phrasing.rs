//! Whole phrasings rewritten before synonyms apply: a synonym list cannot hold every subject
//! or example a team puts inside them.

use std::sync::LazyLock;

use regex::Regex;

/// The rewrites, in order.
pub fn rephrase(text: &str) -> String {
    let text = without_timing_aside(text);
    let text = failure_condition(&text);
    let text = kubernetes_fields(&text);
    let text = probe_results(&text);
    let text = handles_load(&text);
    let text = negated_root(&text);
    // Examples first: "sensitive data, such as secrets and credentials, in git" names the
    // place after its aside.
    let text = examples_aside(&text);
    let text = shared_test_head(&text);
    let text = documented_steps(&text);
    let text = removed_secrets(&text);
    negated_secrets(&text)
}

/// An aside that says when, not what ("HSTS configured (after SSL testing)", "(before the
/// first release)", "(once traffic moves)"): the order of the work is no claim of the item,
/// and the words in it name other checks' subjects.
fn without_timing_aside(text: &str) -> String {
    static WHEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\s*\((?:after|before|once|prior to|following|until)\s[^()]*\)")
            .expect("timing aside regex")
    });
    WHEN.replace_all(text, "").into_owned()
}

/// Acts whose steps a document gives: "document how to deploy", "deployment process
/// documented" name instructions for that act.
const DOCUMENTED_ACTS: &str = "deploy|build|install|release|upgrade";

/// "Document how the code should be deployed", "documented how to build", "deployment
/// process documented", "documented release steps": steps written down for an act are that
/// act's instructions, the words the vocabulary knows ("deploy instructions"), whatever
/// stands between the document and the act.
fn documented_steps(text: &str) -> String {
    static HOW: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"\bdocument(?:ed|s|ing)?\s+(?:how|the\s+way)\s+(?:to\s+)?(?:[a-z']+\s+){{0,5}}?({DOCUMENTED_ACTS})(?:ed|s|ing|ment)?\b"
        ))
        .expect("documented how regex")
    });
    static PROCESS: LazyLock<Regex> = LazyLock::new(|| {
        let acts = DOCUMENTED_ACTS;
        let steps = "process|processes|procedure|procedures|steps|workflow";
        Regex::new(&format!(
            r"\b(?:({acts})(?:ment|ation)?\s+(?:{steps})\s+(?:(?:is|are|has\s+been|have\s+been)\s+)?documented|documented\s+({acts})(?:ment|ation)?\s+(?:{steps}))\b"
        ))
        .expect("documented process regex")
    });
    // "The API is documented" says what "API documented" says: the vocabulary's documents
    // are written without the verb ("api documentation").
    static COPULA: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:is|are|has\s+been|have\s+been|gets|get)\s+documented\b")
            .expect("documented copula regex")
    });
    // Every item runs through here; few say "document".
    if !text.contains("document") {
        return text.to_string();
    }
    let text = HOW.replace_all(text, "$1 instructions");
    let text = COPULA.replace_all(&text, "documented");
    PROCESS
        .replace_all(&text, |c: &regex::Captures<'_>| {
            let act = c.get(1).or_else(|| c.get(2)).map_or("", |m| m.as_str());
            format!("{act} instructions")
        })
        .into_owned()
}

/// Kinds of automated test, as a list names them before the one word "tests".
const TEST_KINDS: &str = "unit|integration|e2e|end-to-end|end to end|functional|acceptance|smoke|\
                          load|stress|soak|contract|regression|lint|performance|security|api|ui|\
                          component|system|snapshot|property|fuzz|mutation|chaos|browser";

/// "lint, unit, integration and end-to-end tests": a list of kinds shares its last word, so
/// each kind is a claim about tests ("lint tests, unit tests, …"), not a bare "unit" beside
/// "end-to-end tests". Only kinds of test: a list in general may not share its last noun
/// ("logs, metrics and distributed traces").
fn shared_test_head(text: &str) -> String {
    static LIST: LazyLock<Regex> = LazyLock::new(|| {
        let k = TEST_KINDS;
        Regex::new(&format!(
            r"\b((?:{k})(?:\s*[,/]\s*(?:{k}))*,?\s*(?:and|or|&|/)\s*(?:{k})|(?:{k})(?:\s*/\s*(?:{k}))+)\s+(tests|testing|test suites)\b"
        ))
        .expect("test kinds regex")
    });
    static KIND: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&format!(r"\b(?:{TEST_KINDS})\b")).expect("test kind regex"));
    // Every item runs through here; few name a kind of test.
    if !text.contains("test") {
        return text.to_string();
    }
    LIST.replace_all(text, |c: &regex::Captures<'_>| {
        let head = &c[2];
        KIND.replace_all(&c[1], |k: &regex::Captures<'_>| format!("{} {head}", &k[0]))
            .into_owned()
    })
    .into_owned()
}

/// "Fails when a liveness probe is not configured", "Fails if securityContext.privileged is
/// true", "Fails when PDB is missing": a tool's check written as the condition it fails on. The
/// requirement is that condition's opposite, said the way a checklist says it. A condition
/// whose opposite is not plain stays as written (and a person's).
fn failure_condition(text: &str) -> String {
    static FAILS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:this\s+check\s+|the\s+check\s+)?(?:fails|fail|flags|warns|alerts|errors)\s+(?:when|if|whenever)\s+(.+)$")
            .expect("failure condition regex")
    });
    static OPPOSITES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
        [
            // "there is no topology spread constraint on the pod"
            (r"^there\s+(?:is|are)\s+no\s+(.+)$", "$1"),
            // "no HorizontalPodAutoscaler targets the deployment"
            (r"^no\s+(.+)$", "$1"),
            // "there is only one replica for a deployment"
            (r"^(?:there\s+(?:is|are)\s+)?only\s+(?:one|1|a\s+single)\s+(.+)$", "more than one $1"),
            // "neither AppArmor, Seccomp, or SELinux is in use"
            (r"^neither\s+(.+?)\s+(?:is|are)\s+(in\s+use|used|set|configured|enabled)\b(.*)$", "$1 $2$3"),
            // "PDB is missing"
            (r"^(.+?)\s+(?:is|are)\s+(?:missing|absent|not\s+present|not\s+found|not\s+defined)\b(.*)$", "$1 present$2"),
            // "a liveness probe is not configured for a pod"
            (r"^(.+?)\s+(is|are)\s+not\s+(.+)$", "$1 $2 $3"),
            // "the image does not set a user"
            (r"^(.+?)\s+(?:does|do)\s+not\s+(.+)$", "$1 $2"),
            // "securityContext.privileged is true"
            (r"^(.+?)\s+(is|are)\s+(?:set\s+to\s+)?true\b(.*)$", "$1 $2 false$3"),
            // "hostNetwork is enabled", "the latest tag is used"
            (r"^(.+?)\s+(is|are)\s+(enabled|used|in\s+use|allowed|mounted|exposed|configured|set)\b(.*)$", "$1 $2 not $3$4"),
        ]
        .into_iter()
        .map(|(p, r)| (Regex::new(p).expect("opposite regex"), r))
        .collect()
    });
    let Some(c) = FAILS.captures(text) else {
        return text.to_string();
    };
    let condition = c[1].trim().trim_end_matches('.');
    OPPOSITES
        .iter()
        .find(|(re, _)| re.is_match(condition))
        .map_or_else(
            || text.to_string(),
            |(re, to)| re.replace(condition, *to).trim().to_string(),
        )
}

/// "The system handles expected load", "copes with peak traffic": the load the team plans for,
/// withstood, is what a load test against the team's thresholds shows. A multiple of it ("2×
/// expected load") is a load the thresholds do not say, and stays as written.
fn handles_load(text: &str) -> String {
    static HANDLES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\b(?:can\s+)?(?:handles?|handling|copes?\s+with|sustains?|withstands?)\s+(?:the\s+)?(?:expected|peak|projected|anticipated|planned|target|estimated)\s+(?:production\s+)?(?:load|traffic|(?:number\s+of\s+)?(?:concurrent\s+|simultaneous\s+)?(?:users|clients))\b",
        )
        .expect("handles load regex")
    });
    // Every item runs through here; few say "load", "traffic", "users" or "clients".
    if !["load", "traffic", "users", "clients"]
        .iter()
        .any(|w| text.contains(w))
    {
        return text.to_string();
    }
    HANDLES
        .replace_all(text, "passes the load test")
        .into_owned()
}

/// "Liveness probe passing", "readiness checks are green": a probe's result is what the running
/// service answers on that endpoint, not the probe written in a manifest.
fn probe_results(text: &str) -> String {
    static RESULT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\b(liveness|readiness|startup)\s+(?:probes?|checks?)\s+(?:(?:is|are)\s+)?(passing|pass|passes|succeeding|succeeds|succeed|green|healthy)\b",
        )
        .expect("probe result regex")
    });
    // Every item runs through here; few name a probe.
    if !text.contains("ness ") && !text.contains("startup ") {
        return text.to_string();
    }
    RESULT.replace_all(text, "$1 endpoint $2").into_owned()
}

/// Kubernetes field paths as a manifest writes them ("resources.limits.cpu",
/// "securityContext.runAsNonRoot") are the words a checklist uses for them.
fn kubernetes_fields(text: &str) -> String {
    static RESOURCES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\bresources\.(requests|limits)\.(cpu|memory)\b(?:\s+attribute)?")
            .expect("resources field regex")
    });
    static CONTEXT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:spec\.)?(?:containers\.)?securitycontext\.([a-z]+)\b")
            .expect("security context field regex")
    });
    // Every item runs through here; most sentences have a full stop, few have these paths.
    if !text.contains("resources.") && !text.contains("securitycontext.") {
        return text.to_string();
    }
    let text = RESOURCES.replace_all(text, "$2 $1");
    CONTEXT
        .replace_all(&text, "securitycontext $1")
        .into_owned()
}

/// "Do not run pods under the root account", "never run the application as the root user",
/// "containers should not be run with root privileges": a negated run as root, whatever stands
/// between the verb and "root", is the vocabulary's "run as non-root" said of its subject.
/// (A synonym list cannot hold every subject a team puts there.)
fn negated_root(text: &str) -> String {
    static NEGATED_ROOT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\b(?:(?:do|does|did)\s+)?(?:not|never)\s+(?:be\s+)?(?:run|runs|running|executed|execute)\s+((?:[a-z0-9./_-]+\s+){0,4}?)(?:as|under|with)\s+(?:the\s+|a\s+)?(?:root|uid\s*0)\b(?:\s+(?:user|account|privileges|privilege))?(?:\s*[-–,]?\s*\(?uid\s*0\)?)?",
        )
        .expect("negated root regex")
    });
    if !text.contains("root") && !text.contains("uid") {
        return text.to_string();
    }
    NEGATED_ROOT
        .replace_all(text, |c: &regex::Captures| {
            let subject = c.get(1).map_or("", |m| m.as_str()).trim();
            if subject.is_empty() {
                "run as non-root".to_string()
            } else {
                format!("{subject} run as non-root")
            }
        })
        .into_owned()
}

/// What a credential is called in a sentence that keeps it out of somewhere: "secrets",
/// "sensitive information", "passwords, tokens or keys".
const SECRET_NOUN: &str = r"(?:sensitive\s+(?:information|data|values|settings|config(?:uration)?)|secrets?|credentials?|passwords?|tokens?|(?:api|private|secret|access|ssh|encryption)\s+keys?|keys|certificates)";
/// Placing a thing somewhere, as a team writes it after "do not" or "avoid".
const PLACE_VERB: &str = r"(?:store|storing|leave|leaving|put|putting|keep|keeping|hard-?code|hard-?coding|embed|embedding|bake|baking|include|including|leak|leaking|place|placing|write|writing|commit|committing|save|saving|push|pushing|add|adding|check\s+in|checking\s+in)";
const PLACED: &str = r"(?:stored|left|put|kept|hard-?coded|embedded|baked|included|leaked|placed|written|committed|saved|pushed|added|checked\s+in)";

/// Where a repository keeps what was committed, as a removal names it ("from the git history").
const REPOSITORY_PLACE: &str = r"git\s+history|version\s+control\s+history|repository\s+history|repo\s+history|commit\s+history|history|git|repository|repo|codebase|source\s+code|code";

/// "Remove secrets from the code", "purge the git history of committed secrets": what is left
/// afterwards holds none, which a scan of that place shows ("no secrets in the git history").
fn removed_secrets(text: &str) -> String {
    static PATTERNS: LazyLock<[Regex; 2]> = LazyLock::new(|| {
        let nouns = format!(
            r"(?:(?:any|all|the|your|previously|committed|leaked|hardcoded|hard-coded)\s+)*{SECRET_NOUN}(?:\s*(?:,|/|\band\b|\bor\b)\s*{SECRET_NOUN})*"
        );
        let re = |p: String| Regex::new(&p).expect("removed secrets regex");
        [
            re(format!(
                r"\b(?:remove|removed|purge|purged|scrub|scrubbed|erase|erased|delete|deleted)\s+{nouns}\s+from\s+(?:the\s+)?(?P<place>{REPOSITORY_PLACE})\b"
            )),
            re(format!(
                r"\b(?:remove|purge|purged|scrub|scrubbed|clean|cleaned|rewrite|rewritten)\s+(?:the\s+)?(?P<place>{REPOSITORY_PLACE})\s+of\s+{nouns}"
            )),
        ]
    });
    if !["remov", "purg", "scrub", "eras", "delet", "clean", "rewrit"]
        .iter()
        .any(|w| text.contains(w))
    {
        return text.to_string();
    }
    let mut out = text.to_string();
    for re in PATTERNS.iter() {
        out = re
            .replace_all(&out, "no secrets in the $place")
            .into_owned();
    }
    out
}

/// "Do not store sensitive information (passwords, tokens) in the Dockerfile", "avoid putting
/// credentials into images", "secrets are never stored in code", "images should not contain
/// secrets": a negated placement of credentials is the vocabulary's "no secrets in" of that
/// place, whatever the team calls the credentials ("sensitive information" only in this
/// sentence: elsewhere it is personal data, not a credential).
fn negated_secrets(text: &str) -> String {
    static PATTERNS: LazyLock<[(Regex, &str); 5]> = LazyLock::new(|| {
        let nouns = format!(
            r"(?:(?:any|the|your|unencrypted|plaintext|plain-text|plain\s+text)\s+)*{SECRET_NOUN}(?:\s*(?:,|/|\band\b|\bor\b)\s*{SECRET_NOUN})*(?:\s*\([^)]*\))?,?"
        );
        let re = |p: String| Regex::new(&p).expect("negated secrets regex");
        [
            (
                re(format!(
                    r"\b(?:(?:do|does)\s+)?(?:not|never|avoid)\s+(?:ever\s+)?{PLACE_VERB}\s+{nouns}\s+(?:in|into|inside|within|to)\b"
                )),
                "no secrets in",
            ),
            (
                re(format!(
                    r"\b{nouns}\s+(?:(?:are|is)\s+)?(?:not|never)\s+(?:be\s+)?{PLACED}\s+(?:in|into|inside|within|to)\b"
                )),
                "no secrets in",
            ),
            (
                re(format!(
                    r"\b{nouns}\s+(?:(?:are|is)\s+)?(?:not|never)\s+(?:be\s+)?(?:part\s+of|in|inside|within)\b"
                )),
                "no secrets in",
            ),
            (
                re(format!(
                    r"\b(?:prevent|prevents|avoid|avoids)\s+(?:the\s+)?(?:(?:unintentional|accidental|inadvertent)\s+)?(?:storage|storing|commit|committing|leak|leakage|leaking|inclusion)\s+of\s+{nouns}\s+(?:in|into|inside|within|to)\b"
                )),
                "no secrets in",
            ),
            (
                re(format!(
                    r"\b(?:(?:do|does)\s+)?(?:not|never)\s+(?:contain|include|hold|have|has|carry|ship|embed|bake\s+in)s?\s+{nouns}"
                )),
                "contain no secrets",
            ),
        ]
    });
    if ![
        "secret",
        "credential",
        "password",
        "token",
        "key",
        "sensitive",
        "certificate",
    ]
    .iter()
    .any(|w| text.contains(w))
    {
        return text.to_string();
    }
    let mut out = text.to_string();
    for (re, with) in PATTERNS.iter() {
        out = re
            .replace_all(&out.clone(), |c: &regex::Captures| {
                // "Secrets are not stored in plain text" says how they are stored (encrypted),
                // not where they are kept out of.
                let after = &out[c.get(0).map_or(0, |m| m.end())..];
                let how = [
                    "plain text",
                    "plaintext",
                    "clear text",
                    "cleartext",
                    "memory",
                ]
                .iter()
                .any(|h| after.trim_start().starts_with(h));
                if how {
                    c[0].to_string()
                } else {
                    (*with).to_string()
                }
            })
            .into_owned();
    }
    out
}

/// Words that open a list of examples.
const EXAMPLE_MARKERS: &[&str] = &[
    "such as",
    "e.g.",
    "e.g",
    "eg.",
    "for example",
    "for instance",
];

/// "Use a linter such as hadolint, kics or conftest", "tools like JMeter, k6": examples said
/// without brackets explain a claim as bracketed ones do, so they become an aside in brackets
/// (`wording::leftover` does not count its words; a binder still reads them). An aside ends
/// where the sentence, a clause (", and", ";", " - ") or an open bracket does, so a claim
/// after the examples stays a claim.
fn examples_aside(text: &str) -> String {
    let Some((start, marker)) = example_marker(text) else {
        return text.to_string();
    };
    let from = start + marker.len();
    let rest = &text[from..];
    let mut depth = 0i32;
    let mut end = text.len();
    for (i, c) in rest.char_indices() {
        let tail = &rest[i..];
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = from + i;
                break;
            }
            ')' => depth -= 1,
            _ if depth > 0 => {}
            '.' | ';' if tail[1..].starts_with(' ') || tail.len() == 1 => {
                end = from + i;
                break;
            }
            // A clause, or the place the examples' claim is about (", in the repository").
            ',' if [
                ", and ",
                ", or ",
                ", but ",
                ", so ",
                ", then ",
                ", in ",
                ", on ",
                ", into ",
                ", to ",
                ", within ",
                ", across ",
                ", for ",
                ", from ",
            ]
            .iter()
            .any(|s| tail.starts_with(s)) =>
            {
                end = from + i;
                break;
            }
            ' ' if tail.starts_with(" - ") => {
                end = from + i;
                break;
            }
            _ => {}
        }
    }
    let before = text[..start].trim_end().trim_end_matches(',').trim_end();
    let aside = text[start..end].trim_end_matches([',', ' ']);
    format!("{before} ({aside}){}", examples_aside(&text[end..]))
}

/// Kinds of thing "like" gives examples of ("tools like JMeter", "headers like CSP"), singular;
/// after anything else it compares ("behaves like production").
const LIKE_AFTER: &[&str] = &[
    "tool",
    "solution",
    "framework",
    "linter",
    "scanner",
    "service",
    "library",
    "product",
    "platform",
    "technology",
    "header",
    "mechanism",
    "method",
    "protocol",
    "measure",
    "database",
    "store",
    "manager",
    "utility",
    "vendor",
    "provider",
    "system",
    "module",
    "technique",
    "attack",
    "algorithm",
    "format",
    "standard",
    "policy",
    "polic",
    "control",
];

/// The first example marker outside brackets, after a word of the claim, at a word boundary.
/// "like" counts after a kind of thing ("tools like k6"), not as a verb or a comparison.
fn example_marker(text: &str) -> Option<(usize, &'static str)> {
    let mut depth = 0i32;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = (depth - 1).max(0),
            _ => {}
        }
        if depth > 0 || i == 0 || !text[..i].ends_with(' ') {
            continue;
        }
        let before = text[..i].trim_end();
        if before.is_empty() {
            continue;
        }
        let tail = &text[i..];
        let at_end = |m: &str| {
            tail.starts_with(m)
                && tail[m.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
        };
        if let Some(m) = EXAMPLE_MARKERS.iter().find(|m| at_end(m)) {
            return Some((i, m));
        }
        let last = before
            .rsplit(' ')
            .next()
            .unwrap_or("")
            .trim_end_matches(',');
        if at_end("like") && LIKE_AFTER.iter().any(|w| is_plural_of(last, w)) {
            return Some((i, "like"));
        }
    }
    None
}

/// `word` is `noun` or its plural ("tools", "policies").
fn is_plural_of(word: &str, noun: &str) -> bool {
    word == noun
        || word.strip_suffix('s') == Some(noun)
        || noun
            .strip_suffix('y')
            .is_some_and(|stem| word.strip_suffix("ies") == Some(stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_removed_from_a_place_are_none_there() {
        assert_eq!(
            removed_secrets("remove secrets from git history"),
            "no secrets in the git history"
        );
        assert_eq!(
            removed_secrets("purge version control history of any previously committed secrets."),
            "no secrets in the version control history."
        );
        // Removed from elsewhere, it is not the repository's.
        for same in [
            "remove old api keys from the provider console",
            "remove unused images",
        ] {
            assert_eq!(removed_secrets(same), same);
        }
    }

    #[test]
    fn the_planned_load_withstood_is_a_load_test() {
        assert_eq!(
            handles_load("system handles expected load"),
            "system passes the load test"
        );
        assert_eq!(
            handles_load("the api can cope with peak traffic"),
            "the api passes the load test"
        );
        assert_eq!(
            handles_load("can handle expected concurrent users"),
            "passes the load test"
        );
        for same in ["system handles 2x expected load", "handles load balancing"] {
            assert_eq!(handles_load(same), same);
        }
    }

    #[test]
    fn a_probes_result_is_its_endpoints_answer() {
        assert_eq!(
            probe_results("liveness probe passing"),
            "liveness endpoint passing"
        );
        assert_eq!(
            probe_results("readiness checks are green"),
            "readiness endpoint green"
        );
        // Probes set, not their results, stay the manifests'.
        for same in ["liveness probe configured", "readiness probes on every pod"] {
            assert_eq!(probe_results(same), same);
        }
    }

    #[test]
    fn documented_steps_of_an_act_are_its_instructions() {
        for (said, meant) in [
            (
                "document how the code should be deployed",
                "deploy instructions",
            ),
            (
                "document how to locally build and test",
                "build instructions and test",
            ),
            ("deployment process documented", "deploy instructions"),
            ("release steps are documented", "release instructions"),
            ("documented installation procedure", "install instructions"),
            ("the api is documented", "the api documented"),
            (
                "on-call procedures have been documented",
                "on-call procedures documented",
            ),
        ] {
            assert_eq!(documented_steps(said), meant);
        }
        // Documents of other things, and acts not documented, stay as written.
        for same in [
            "document the architecture",
            "deployment process automated",
            "document how incidents are handled",
        ] {
            assert_eq!(documented_steps(same), same);
        }
    }

    #[test]
    fn a_list_of_test_kinds_shares_its_last_word() {
        assert_eq!(
            shared_test_head("appropriate lint, unit, integration, and end-to-end tests"),
            "appropriate lint tests, unit tests, integration tests, and end-to-end tests"
        );
        assert_eq!(
            shared_test_head("functional/e2e/acceptance tests in place"),
            "functional tests/e2e tests/acceptance tests in place"
        );
        // One kind, or a list of other things, is left as written.
        for same in [
            "unit tests run in ci",
            "logs, metrics and distributed traces",
            "load and soak",
        ] {
            assert_eq!(shared_test_head(same), same);
        }
    }

    #[test]
    fn a_failure_condition_is_its_opposite() {
        for (condition, requirement) in [
            (
                "fails when a startup probe is not configured for a pod.",
                "a startup probe is configured for a pod",
            ),
            ("fails if the pdb is missing", "the pdb present"),
            (
                "fails when there is no pod anti-affinity for a deployment",
                "pod anti-affinity for a deployment",
            ),
            (
                "fails when there is only 1 replica for a statefulset",
                "more than one replica for a statefulset",
            ),
            (
                "this check fails when securitycontext privileged is true",
                "securitycontext privileged is false",
            ),
            ("flags when hostpid is enabled", "hostpid is not enabled"),
            (
                "fails when the image does not declare a user",
                "the image declare a user",
            ),
        ] {
            assert_eq!(failure_condition(condition), requirement);
        }
        // A condition whose opposite is not plain stays as written; other text is untouched.
        for kept in [
            "fails when the container sets sensitive environment variables",
            "deploys that fail when a test fails are rolled back",
        ] {
            assert_eq!(failure_condition(kept), kept);
        }
    }

    #[test]
    fn kubernetes_field_paths_are_the_words_for_them() {
        assert_eq!(
            kubernetes_fields("resources.limits.memory attribute is configured"),
            "memory limits is configured"
        );
        assert_eq!(
            kubernetes_fields("securitycontext.runasnonroot is true"),
            "securitycontext runasnonroot is true"
        );
        assert_eq!(
            kubernetes_fields("package.json lists resources.md"),
            "package.json lists resources.md"
        );
    }

    #[test]
    fn a_negated_run_as_root_is_run_as_non_root_of_its_subject() {
        assert_eq!(
            negated_root("not run pods under the root account - uid 0."),
            "pods run as non-root."
        );
        assert_eq!(
            negated_root("containers not be run with root privileges"),
            "containers run as non-root"
        );
        assert_eq!(negated_root("never run as root"), "run as non-root");
        // The auxiliary of a contraction goes with its negation.
        assert_eq!(
            negated_root("our images do not run as the root user"),
            "our images run as non-root"
        );
        // Root of something else, or no negation, is left alone.
        assert_eq!(
            negated_root("root cause analysis for every incident"),
            "root cause analysis for every incident"
        );
        assert_eq!(negated_root("run as root"), "run as root");
    }

    #[test]
    fn a_negated_placement_of_credentials_is_no_secrets_there() {
        assert_eq!(
            negated_secrets(
                "do not store sensitive information (passwords, tokens, certificates) in the dockerfile."
            ),
            "no secrets in the dockerfile."
        );
        assert_eq!(
            negated_secrets("avoid putting credentials or api keys into images"),
            "no secrets in images"
        );
        assert_eq!(
            negated_secrets("secrets are never stored in code"),
            "no secrets in code"
        );
        assert_eq!(
            negated_secrets("secrets are not part of the commit history"),
            "no secrets in the commit history"
        );
        assert_eq!(
            negated_secrets(
                "the project prevent the unintentional storage of unencrypted sensitive data (such as secrets and credentials), in the version control system"
            ),
            "the project no secrets in the version control system"
        );
        assert_eq!(
            negated_secrets("images not contain secrets"),
            "images contain no secrets"
        );
        // Sensitive data kept somewhere, credentials that are not placed, or a manner of
        // storing them, stay as said.
        assert_eq!(
            negated_secrets("secrets are not stored in plain text"),
            "secrets are not stored in plain text"
        );
        assert_eq!(
            negated_secrets("sensitive data encrypted at rest"),
            "sensitive data encrypted at rest"
        );
        assert_eq!(
            negated_secrets("do not reuse passwords across accounts"),
            "do not reuse passwords across accounts"
        );
    }

    #[test]
    fn an_aside_saying_when_is_no_claim() {
        assert_eq!(
            without_timing_aside("hsts configured (after ssl testing)"),
            "hsts configured"
        );
        assert_eq!(
            without_timing_aside("backups tested (before launch) daily"),
            "backups tested daily"
        );
        // Other asides stay: they may name what the item claims.
        assert_eq!(
            without_timing_aside("security headers set (hsts, csp)"),
            "security headers set (hsts, csp)"
        );
    }

    #[test]
    fn examples_without_brackets_are_an_aside() {
        assert_eq!(
            examples_aside("only modern tls versions are enabled, such as tls 1.2 and tls 1.3."),
            "only modern tls versions are enabled (such as tls 1.2 and tls 1.3)."
        );
        assert_eq!(
            examples_aside("scan images with tools like trivy, grype, and sign them"),
            "scan images with tools (like trivy, grype), and sign them"
        );
        assert_eq!(
            examples_aside("sensitive data, such as secrets and credentials, in git"),
            "sensitive data (such as secrets and credentials), in git"
        );
        assert_eq!(
            examples_aside("a secrets manager, e.g. vault; rotate keys"),
            "a secrets manager (e.g. vault); rotate keys"
        );
        // A comparison or a verb is not an example; brackets already are an aside.
        assert_eq!(
            examples_aside("staging behaves like production"),
            "staging behaves like production"
        );
        assert_eq!(
            examples_aside("a scanner (such as trivy) runs"),
            "a scanner (such as trivy) runs"
        );
    }
}
