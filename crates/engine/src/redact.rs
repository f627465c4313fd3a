//! Masking credential-shaped values in text that gonogo shows (command output, evidence).
//!
//! A small, conservative set of shapes: `key = value` assignments with sensitive key names,
//! passwords inside URLs, private key blocks and a few well-known token prefixes. The secret
//! scanning checks carry the full rule set; this is the net under everything gonogo prints.

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

/// How many leading characters of a secret may be shown.
pub const SHOWN_PREFIX: usize = 4;

struct Rule {
    re: Regex,
    /// The capture group holding the secret.
    group: usize,
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let r = |pattern: &str, group: usize| Rule {
        re: Regex::new(pattern).expect("redaction rule"),
        group,
    };
    vec![
        // -----BEGIN … PRIVATE KEY----- bodies.
        r(
            r"(?s)-----BEGIN [A-Z ]*PRIVATE KEY-----(.*?)(?:-----END [A-Z ]*PRIVATE KEY-----|\z)",
            1,
        ),
        // scheme://user:password@host
        r(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^:/\s@]+:([^@\s/]+)@", 1),
        // password = "…", api_key: …, SECRET_KEY=…, "token": "…"
        r(
            r#"(?i)\b[a-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth[_-]?key|client[_-]?secret)[a-z0-9_.-]*["']?\s*(?:=|:|=>)\s*["']?([^\s"',;}{)(<$][^\s"',;}{)(]{3,})"#,
            1,
        ),
        // Bearer tokens in headers.
        r(r"(?i)\bbearer\s+([A-Za-z0-9\-._~+/]{8,}=*)", 1),
        // Well-known token shapes.
        r(r"\b((?:AKIA|ASIA)[0-9A-Z]{16})\b", 1),
        r(r"\b(gh[pousr]_[A-Za-z0-9]{30,})\b", 1),
        r(r"\b(github_pat_[A-Za-z0-9_]{30,})\b", 1),
        r(r"\b(glpat-[A-Za-z0-9\-_]{20,})\b", 1),
        r(r"\b(xox[baprs]-[A-Za-z0-9-]{10,})\b", 1),
        r(r"\b((?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,})\b", 1),
        r(
            r"\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})\b",
            1,
        ),
    ]
});

/// All rules at once: most text holds no credential, and one pass over it says so.
static ANY: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(RULES.iter().map(|r| r.re.as_str())).expect("redaction rules form a set")
});

/// The value as it may be shown: a few leading characters and a marker.
pub fn mask(secret: &str) -> String {
    let shown: String = secret
        .chars()
        .take(SHOWN_PREFIX.min(secret.chars().count() / 3))
        .collect();
    format!("{shown}…[redacted]")
}

/// `text` with every credential-shaped value masked.
pub fn redact(text: &str) -> String {
    let mut out = text.to_string();
    if !ANY.is_match(text) {
        return out;
    }
    for rule in RULES.iter() {
        if !rule.re.is_match(&out) {
            continue;
        }
        let mut result = String::with_capacity(out.len());
        let mut last = 0;
        for caps in rule.re.captures_iter(&out) {
            let Some(m) = caps.get(rule.group) else {
                continue;
            };
            if m.as_str().contains("[redacted]") || m.as_str().trim().is_empty() {
                continue;
            }
            result.push_str(&out[last..m.start()]);
            result.push_str(&mask(m.as_str().trim()));
            last = m.end();
        }
        result.push_str(&out[last..]);
        out = result;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_common_shapes() {
        let cases = [
            ("password = \"hunter2hunter2\"", "hunter2hunter2"),
            (
                "DATABASE_URL=postgres://app:s3cretpass@db:5432/app", // gonogo:allow-secret
                "s3cretpass",
            ),
            ("Authorization: Bearer abcdefghijklmnop", "abcdefghijklmnop"),
            ("key AKIAIOSFODNN7EXAMPLE here", "AKIAIOSFODNN7EXAMPLE"),
            ("\"api_key\": \"0123456789abcdef\"", "0123456789abcdef"),
        ];
        for (text, secret) in cases {
            let r = redact(text);
            assert!(!r.contains(secret), "{text} → {r}");
            assert!(r.contains("[redacted]"), "{r}");
        }
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecretbody\n-----END RSA PRIVATE KEY-----";
        assert!(!redact(pem).contains("secretbody"));
    }

    #[test]
    fn leaves_ordinary_text() {
        let t = "320 passed in 4.1s; coverage 97%";
        assert_eq!(redact(t), t);
        assert_eq!(
            redact("password: <from-secrets-manager>"),
            "password: <from-secrets-manager>"
        );
    }
}
