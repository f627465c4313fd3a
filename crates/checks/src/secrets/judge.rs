//! Telling secrets from things shaped like them: placeholders (`changeme`, `xxx`,
//! `<your-key>`), values read from the environment or a secret manager, vendors' documented
//! example keys, hashes, UUIDs and commit ids. Token rules are judged only on placeholders;
//! generic assignments also on entropy and on what the value looks like.

use super::rules::{Kind, Rule};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Secret,
    Placeholder,
    Reference,
    NotSecretShaped,
}

/// Shannon entropy in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    if n == 0.0 {
        return 0.0;
    }
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Words that mark a value as a stand-in, not a credential.
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "xxxx",
    "****",
    "....",
    // An ellipsis stands for a value left out ("redis://:…@cache"); no credential holds one.
    "…",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "changethis",
    "dummy",
    "redacted",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "yoursecret",
    "yourpassword",
    "insert",
    "replace",
    "notreal",
    "not-real",
    "not_real",
    "fake",
    "sample",
    "todo",
    "fixme",
    "<",
    ">",
    "0000000000",
    "1234567890",
    "abcdefghij",
    "qwerty",
];

/// Signs that a value is read from somewhere else (environment, secret manager, template).
const REFERENCE_MARKS: &[&str] = &[
    "${",
    "{{",
    "}}",
    "$(",
    "%(",
    "#{",
    "process.env",
    "environ",
    "getenv",
    "env(",
    "env.",
    "env[",
    "secretkeyref",
    "secrets.",
    "vault:",
    "vault.",
    "ref+",
    "secretsmanager",
    "keyvault",
    "ssm:",
    "ssm/",
    "kms:",
    "sops:",
    "enc[",
    "!secret",
    "secret(",
    "get_secret",
    "getsecret",
    "config.",
    "settings.",
    "params.",
    "options.",
    "request.",
    "args.",
    "self.",
    "this.",
    "arn:aws:",
    "projects/",
    "/run/secrets",
    "file:",
    // Swift and CUE string interpolation: `"\(password)"`, `"\#(password)"`.
    "\\(",
    "\\#(",
];

/// Key names whose values are settings about secrets, not secrets.
const NOT_SECRET_KEYS: &[&str] = &[
    "length",
    "min",
    "max",
    "regex",
    "pattern",
    "field",
    "label",
    "prompt",
    "placeholder",
    "message",
    "msg",
    "error",
    "reset",
    "policy",
    "hint",
    "confirm",
    "name",
    "input",
    "url",
    "uri",
    "file",
    "path",
    "dir",
    "env",
    "type",
    "validator",
    "required",
    "expir",
    "ttl",
    "header",
    "endpoint",
    "prefix",
    "id",
    "count",
    "limit",
    "rotation",
    "format",
    "enabled",
    "mode",
    "param",
    "ref",
    "hash",
    "digest",
    "salt_rounds",
    "strength",
    "policy",
    "version",
    "location",
    "store",
    "provider",
    "manager",
    "class",
    "kind",
    "size",
    "timeout",
    "lifetime",
    "duration",
    "method",
    "scope",
    "audience",
    "issuer",
    // Public by design: .NET `PublicKeyToken`, `publicKey`, Stripe publishable keys,
    // `NEXT_PUBLIC_*` variables sent to browsers.
    "public",
    "publishable",
    // A tokenizer names a model, not a token.
    "tokeniz",
];

/// Defaults that vendors ship in their sample configuration files, documented publicly:
/// Grafana's `secret_key` in `defaults.ini`/`grafana.ini`.
const VENDOR_DEFAULTS: &[&str] = &["SW2YcwTIb9zpOOhoPsMm"];

/// Names of hashing and encryption schemes: the value of `password_encryption:` or
/// `token_algorithm:`, never a credential.
const ALGORITHMS: &[&str] = &[
    "sha", "sha1", "sha224", "sha256", "sha384", "sha512", "scram", "md5", "aes", "aes128",
    "aes256", "rsa", "hmac", "bcrypt", "scrypt", "argon2", "argon2i", "argon2id", "pbkdf2",
    "hs256", "hs384", "hs512", "rs256", "rs384", "rs512", "es256", "es384", "gcm", "cbc",
    "chacha20", "poly1305", "ed25519", "plain", "crypt",
];

/// Passwords vendors and images ship as documented defaults: not leaked secrets.
const DEFAULT_PASSWORDS: &[&str] = &[
    "password", "pass", "passwd", "pwd", "secret", "postgres", "root", "admin", "test", "guest",
    "mysql", "redis", "user", "changeme", "default", "rabbitmq", "mongo", "sa",
];

pub fn judge(rule: &Rule, key: &str, value: &str, quoted: bool, line: &str, path: &str) -> Verdict {
    let lower = value.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w)) {
        return Verdict::Placeholder;
    }
    let distinct = {
        let mut seen = [false; 256];
        value
            .bytes()
            .filter(|&b| !std::mem::replace(&mut seen[b as usize], true))
            .count()
    };
    match rule.kind {
        Kind::Token => {
            if distinct < 6 {
                return Verdict::Placeholder;
            }
            if REFERENCE_MARKS[..3].iter().any(|m| lower.contains(m)) {
                return Verdict::Reference;
            }
            Verdict::Secret
        }
        Kind::UrlPassword => {
            if value.starts_with(['$', '%', '{', '<', '*']) || lower.contains("${") {
                return Verdict::Reference;
            }
            if DEFAULT_PASSWORDS.contains(&lower.as_str()) || lower == key.to_ascii_lowercase() {
                return Verdict::Placeholder;
            }
            Verdict::Secret
        }
        Kind::Generic => generic(key, value, &lower, quoted, distinct, line, path),
    }
}

fn generic(
    key: &str,
    value: &str,
    lower: &str,
    quoted: bool,
    distinct: usize,
    line: &str,
    path: &str,
) -> Verdict {
    // The key part after the secret word: `password_min_length`, `secretName`, `token_url`.
    if NOT_SECRET_KEYS.iter().any(|w| {
        key.split(|c: char| !c.is_ascii_alphanumeric())
            .flat_map(split_camel)
            .any(|part| part == *w || (w.len() > 4 && part.starts_with(w)))
    }) {
        return Verdict::NotSecretShaped;
    }
    if REFERENCE_MARKS.iter().any(|m| lower.contains(m))
        || value.starts_with(['$', '%', '@', '!', '&', '*', '~'])
        || value.contains('$')
    {
        return Verdict::Reference;
    }
    let line_l = line.to_ascii_lowercase();
    // The fallback of a variable lookup, `${DB_PASSWORD:dev-pass}` or `${X:-dev-pass}`: the
    // deployment supplies the variable; the default serves local runs.
    if line.contains(&format!("${{{key}:")) {
        return Verdict::Reference;
    }
    // `password = os.environ["X"]` where the regex took only the key of the lookup.
    if !quoted
        && [
            "environ",
            "getenv",
            "process.env",
            "secretkeyref",
            "valuefrom",
        ]
        .iter()
        .any(|m| line_l.contains(m))
    {
        return Verdict::Reference;
    }
    if DEFAULT_PASSWORDS.contains(&lower) || VENDOR_DEFAULTS.contains(&value) {
        return Verdict::Placeholder;
    }
    if names_a_variable(key, value) {
        return Verdict::Placeholder;
    }
    if distinct < 5 {
        return Verdict::Placeholder;
    }
    if is_uuid(value) || is_commit_id(value) || is_hash_literal(lower) {
        return Verdict::NotSecretShaped;
    }
    if lower.starts_with("http://")
        || lower.starts_with("https://")
        || is_path_like(value)
        || is_jwt_segment(value)
        || is_algorithm(lower)
    {
        return Verdict::NotSecretShaped;
    }
    // Prose: words and spaces (`"Show password"`, `"Enter your token"`); no generated secret
    // has a space in it.
    if value.contains(' ')
        && value.split_whitespace().all(|w| {
            w.trim_end_matches(['.', ',', '!', '?', ':'])
                .chars()
                .all(|c| c.is_alphabetic() || c == '\'' || c == '-')
        })
    {
        return Verdict::NotSecretShaped;
    }
    if matches!(
        lower,
        "true" | "false" | "null" | "none" | "nil" | "undefined" | "required" | "optional"
    ) {
        return Verdict::NotSecretShaped;
    }
    // Identifiers and dotted paths are code, not literals: `config.database.password`,
    // `userPassword`, `PasswordField`.
    let identifier = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        && value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let digits = value.chars().any(|c| c.is_ascii_digit());
    let symbols = value.chars().any(|c| !c.is_ascii_alphanumeric());
    if identifier
        && value.contains('.')
        && value
            .split('.')
            .all(|seg| seg.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
    {
        return Verdict::NotSecretShaped;
    }
    // In source code a literal is quoted; an unquoted value is an expression or sits inside a
    // larger string literal (a test's embedded YAML), where the scan cannot see its quoting.
    if !quoted && is_source_code(path) {
        return Verdict::NotSecretShaped;
    }
    if !quoted && identifier && !digits && !is_env_file(path) {
        return Verdict::NotSecretShaped;
    }
    // Words, not randomness: `ProfileSharedCredentialsSecretKey`, `not-a-legit-token`.
    if value.chars().all(|c| c.is_ascii_alphabetic())
        || value
            .split(['-', '_', '.', ' '])
            .all(|w| w.chars().all(|c| c.is_ascii_lowercase()))
    {
        return Verdict::NotSecretShaped;
    }
    // Weak defaults with a number: `password123`, `admin1`.
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c == '!');
    if DEFAULT_PASSWORDS.contains(&stem)
        || ["letmein", "secret", "qwerty", "welcome"].contains(&stem)
    {
        return Verdict::Placeholder;
    }
    // Prose: several words.
    if value.split_whitespace().count() > 2 {
        return Verdict::NotSecretShaped;
    }
    let e = entropy(value);
    let mixed = value.chars().any(|c| c.is_ascii_uppercase())
        && value.chars().any(|c| c.is_ascii_lowercase());
    let classes = usize::from(digits) + usize::from(symbols) + usize::from(mixed);
    if value.len() < 8 || e < 3.0 || classes == 0 {
        return Verdict::NotSecretShaped;
    }
    Verdict::Secret
}

/// `WANDB_API_KEY='WANDB_API_KEY'`, `token: "GITLAB_RUNNER_TOKEN"`: the value names a variable
/// (the key itself, or an upper-case snake name) for someone to fill in.
fn names_a_variable(key: &str, value: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    if !value.is_empty() && norm(key).ends_with(&norm(value)) && norm(value).len() >= 4 {
        return true;
    }
    value.contains('_')
        && value.starts_with(|c: char| c.is_ascii_uppercase())
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && value
            .split('_')
            .all(|w| w.len() >= 2 && w.chars().any(|c| c.is_ascii_uppercase()))
}

/// A file path or a slash-separated name: `.deploystack/creds.json`, `/run/keys/db`,
/// `google/gemma-3-1b-pt`. Base64 also holds slashes, but not a file extension after the
/// last one, nor lower case only.
fn is_path_like(value: &str) -> bool {
    if value.contains(char::is_whitespace) {
        return false;
    }
    if value.starts_with(['/', '~']) || value.starts_with("./") || value.starts_with("../") {
        return true;
    }
    let last = value.rsplit('/').next().unwrap_or(value);
    let has_extension = last.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && (1..=5).contains(&ext.len())
            && ext.chars().all(|c| c.is_ascii_lowercase())
            && matches!(
                ext,
                "json"
                    | "pem"
                    | "key"
                    | "crt"
                    | "cer"
                    | "p12"
                    | "pfx"
                    | "jks"
                    | "txt"
                    | "yaml"
                    | "yml"
                    | "env"
                    | "cfg"
                    | "ini"
                    | "conf"
                    | "toml"
                    | "properties"
                    | "xml"
                    | "gpg"
                    | "asc"
                    | "der"
                    | "keystore"
                    | "secret"
                    | "enc"
            )
    });
    let from_dot = value.starts_with('.') && value.contains('/');
    let lower_name = value.contains('/')
        && !value.ends_with('/')
        && value.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '/' | '-' | '_' | '.')
        });
    has_extension || from_dot || lower_name
}

/// One segment of a JWT (`eyJhbGciOiJIUzI1NiJ9`): base64 of a JSON header or payload, which
/// anyone holding the token can read. A whole signed token has dots and is a token rule's.
fn is_jwt_segment(value: &str) -> bool {
    use base64::Engine as _;
    value.starts_with("eyJ")
        && !value.contains('.')
        && base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(value.trim_end_matches('='))
            .is_ok_and(|b| b.starts_with(b"{\""))
}

/// `scram-sha-256`, `aes-256-gcm`, `HS256`: the name of a scheme.
fn is_algorithm(lower: &str) -> bool {
    lower.len() <= 24
        && lower
            .split(['-', '_', '/'])
            .any(|w| ALGORITHMS.contains(&w))
        && lower
            .split(['-', '_', '/'])
            .all(|w| ALGORITHMS.contains(&w) || w.chars().all(|c| c.is_ascii_digit()))
}

fn split_camel(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in word.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    out.push(cur);
    out
}

/// Source code, where an unquoted value is an expression, never a literal secret.
fn is_source_code(path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some(
            "go" | "js"
                | "mjs"
                | "cjs"
                | "jsx"
                | "ts"
                | "tsx"
                | "py"
                | "rb"
                | "java"
                | "kt"
                | "kts"
                | "cs"
                | "rs"
                | "php"
                | "swift"
                | "scala"
                | "c"
                | "cc"
                | "cpp"
                | "h"
                | "hpp"
                | "m"
                | "dart"
                | "lua"
                | "ex"
                | "exs"
                | "clj"
                | "groovy"
                | "vue"
                | "svelte"
                | "cue"
                | "ipynb"
        )
    )
}

fn is_env_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == ".env" || name.starts_with(".env.") || name.ends_with(".env")
}

pub fn is_uuid(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A 40- or 64-hex commit id (SHA-1 or SHA-256 object names).
pub fn is_commit_id(v: &str) -> bool {
    (v.len() == 40 || v.len() == 64) && v.bytes().all(|c| c.is_ascii_hexdigit())
}

/// `sha512-…`, `sha256:…` integrity and digest literals.
fn is_hash_literal(lower: &str) -> bool {
    [
        "sha1-", "sha256-", "sha384-", "sha512-", "sha1:", "sha256:", "sha512:", "md5:", "h1:",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generic(key: &str, value: &str, quoted: bool, line: &str, path: &str) -> Verdict {
        let rule = super::super::rules::rule("generic-secret").unwrap();
        judge(rule, key, value, quoted, line, path)
    }

    #[test]
    fn values_shaped_like_code_text_or_names_are_not_secrets() {
        // Shapes met in real repositories (microservices-demo, full-stack-fastapi-template,
        // podinfo, kubernetes-engine-samples, opentelemetry-demo), each a false alarm before.
        let not = [
            // A file path as the value of a credentials variable.
            (
                "GOOGLE_APPLICATION_CREDENTIALS",
                ".deploystack/creds.json",
                false,
                "test",
            ),
            ("credentials_file", "secrets/gcp.json", true, "app.yaml"),
            // UI text.
            ("password", "Show password", true, "input.tsx"),
            // A JWT header constant: base64 of {"alg":"HS256","typ":"JWT"}.
            (
                "JWTSecret",
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
                true,
                "token.go",
            ),
            // CUE: a type expression and string interpolation.
            (
                "#ResourceSecrets",
                "#ResourceName & \"secrets\"",
                false,
                "types.cue",
            ),
            ("password", "\\#(password)", true, "image.cue"),
            // The value names the variable to fill in.
            ("WANDB_API_KEY", "WANDB_API_KEY", true, "submit.sh"),
            (
                "runnerRegistrationToken",
                "GITLAB_RUNNER_TOKEN",
                true,
                "values.yaml.tpl",
            ),
            // A scheme, a model name, a public key token, a vendor's documented default.
            (
                "password_encryption",
                "scram-sha-256",
                false,
                "cluster.yaml",
            ),
            ("tokenizer", "google/gemma-3-1b-pt", true, "perf.yaml"),
            ("PublicKeyToken", "31bf3856ad364e35", false, "Web.config"),
            ("secret_key", "SW2YcwTIb9zpOOhoPsMm", false, "grafana.ini"),
        ];
        for (key, value, quoted, path) in not {
            let line = format!("{key} = {value}");
            assert_ne!(
                generic(key, value, quoted, &line, path),
                Verdict::Secret,
                "{key} = {value}"
            );
        }
        // The fallback of a variable lookup is the deployment's to replace.
        assert_eq!(
            generic(
                "MYSQL_PASSWORD",
                "db-57xsl",
                false,
                "spring.datasource.password=${MYSQL_PASSWORD:db-57xsl}",
                "application.properties"
            ),
            Verdict::Reference
        );
        // Real secrets in the same places still are.
        let secret = [
            (
                "SECRET_KEY_BASE",
                "yYrECL4qbNwleYInGJYvVnSkwJuSQJ4ijPTx5tirGUXr",
                false,
                "compose.yaml",
            ),
            ("api_key", "Zx81kQp0Lm3vN7tR2wYb", true, "settings.py"),
            ("password", "Tr0ub4dor&3xK", true, "config.yaml"),
            (
                "secret",
                "9CY+MFunosoVAMkzDqYQnSIYRDoaheVh/N0pXKk0T3RJRU",
                true,
                "prod.exs",
            ),
        ];
        for (key, value, quoted, path) in secret {
            let line = format!("{key} = {value}");
            assert_eq!(
                generic(key, value, quoted, &line, path),
                Verdict::Secret,
                "{key} = {value}"
            );
        }
    }

    #[test]
    fn entropy_orders_values() {
        assert!(entropy("aaaaaaaa") < 0.1);
        assert!(entropy("Kx9#mQ2vLp8$") > 3.4);
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(is_commit_id("9fceb02d0ae598e95dc970b74767f19372d61af8"));
        assert_eq!(
            split_camel("passwordMinLength"),
            ["password", "min", "length"]
        );
    }
}
