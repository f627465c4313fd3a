//! `gonogo.toml`: bindings and settings. Every problem is an `InputError` with the file's line.

use std::path::Path;
use std::time::Duration;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::error::InputError;

/// The parsed configuration (defaults when there is no file).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from, for messages.
    pub path: Option<String>,
    pub run: RunSettings,
    pub exec: ExecConfig,
    pub decide: DecideSettings,
    pub binds: Vec<BindRule>,
    pub secrets: SecretsConfig,
    /// `[repo]`: what the repository walk leaves out.
    pub repo: RepoConfig,
    /// Top-level `checklists = ["…"]`: the repository's own checklists, used when none is
    /// named on the command line (paths relative to the repository).
    pub checklists: Vec<ListedChecklist>,
    /// `[checks."ID"]` tables: values only the team knows (where backups are written, how a
    /// restore runs), given once for every item that check binds to.
    pub check_settings: Vec<CheckSettings>,
}

/// One `[checks."ID"]` table of `gonogo.toml`, validated against the catalogue when binding.
#[derive(Debug, Clone)]
pub struct CheckSettings {
    pub line: usize,
    pub check: String,
    pub params: serde_json::Map<String, serde_json::Value>,
}

/// One entry of `checklists`, with its line for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedChecklist {
    pub path: String,
    pub line: usize,
}

/// `[repo]`: gitignore-style patterns of paths no check looks at (test fixtures, examples,
/// generated code), on top of `.gitignore`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepoConfig {
    pub exclude: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRepo {
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
}

/// `[secrets]`: what secret scanning accepts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecretsConfig {
    /// Gitignore-style patterns of paths never scanned for secrets (test fixtures…).
    pub allow_paths: Vec<String>,
    /// Rule ids that are not reported.
    pub allow_rules: Vec<String>,
    /// A baseline file of accepted findings (fingerprints), relative to the repository.
    pub baseline: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RunSettings {
    /// Per-check time limit (a check's own `timeout_ms` parameter extends it).
    pub timeout: Duration,
    /// How many checks run at once.
    pub concurrency: usize,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            timeout: Duration::from_secs(30),
            concurrency: 8,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ExecConfig {
    pub timeout: Option<Duration>,
    pub output_cap: Option<usize>,
}

/// How strict the verdict is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DecideSettings {
    /// Manual items only warn instead of blocking GO.
    pub manual_warns: bool,
    /// Errors only warn instead of blocking GO.
    pub error_warns: bool,
}

/// A `[[bind]]` entry: items it matches get these checks instead of automatic ones.
#[derive(Debug, Clone)]
pub struct BindRule {
    pub line: usize,
    pub matcher: Matcher,
    /// `None`: keep matching items manual.
    pub check: Option<String>,
    pub params: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone)]
pub enum Matcher {
    /// Case-insensitive regex over the item's text.
    Text(Regex),
    /// An item id.
    Id(String),
}

impl BindRule {
    pub fn matches(&self, id: &str, text: &str) -> bool {
        match &self.matcher {
            Matcher::Text(re) => re.is_match(text),
            Matcher::Id(want) => want == id,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    checklists: Vec<Spanned<String>>,
    #[serde(default)]
    run: Option<Spanned<RawRun>>,
    #[serde(default)]
    exec: Option<Spanned<RawExec>>,
    #[serde(default)]
    decide: Option<Spanned<RawDecide>>,
    #[serde(default)]
    bind: Vec<Spanned<RawBind>>,
    #[serde(default)]
    secrets: Option<Spanned<RawSecrets>>,
    #[serde(default)]
    repo: Option<Spanned<RawRepo>>,
    #[serde(default)]
    checks: std::collections::BTreeMap<String, Spanned<toml::Table>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSecrets {
    #[serde(default)]
    allow_paths: Vec<Spanned<String>>,
    #[serde(default)]
    allow_rules: Vec<Spanned<String>>,
    baseline: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRun {
    timeout: Option<Spanned<String>>,
    concurrency: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExec {
    timeout: Option<Spanned<String>>,
    output_limit: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecide {
    manual: Option<Spanned<String>>,
    error: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBind {
    #[serde(rename = "match")]
    matches: Option<Spanned<String>>,
    item: Option<Spanned<String>>,
    check: Spanned<String>,
    #[serde(default)]
    params: toml::Table,
}

impl Config {
    /// Read `path`; `shown_as` names it in messages.
    pub fn load(path: &Path, shown_as: &str) -> Result<Config, InputError> {
        let text = std::fs::read_to_string(path).map_err(|e| InputError::io(shown_as, &e))?;
        Config::parse(&text, shown_as)
    }

    pub fn parse(text: &str, shown_as: &str) -> Result<Config, InputError> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let err =
            |offset: usize, msg: String| InputError::new(shown_as, Some(line_of(offset)), msg);
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(s.start));
            InputError::new(shown_as, line, e.message().trim().to_string())
        })?;
        let mut cfg = Config {
            path: Some(shown_as.to_string()),
            ..Config::default()
        };
        for c in &raw.checklists {
            let path = c.get_ref().trim();
            if path.is_empty() {
                return Err(err(
                    c.span().start,
                    "`checklists` entries must be paths of Markdown checklists, not empty".into(),
                ));
            }
            cfg.checklists.push(ListedChecklist {
                path: path.to_string(),
                line: line_of(c.span().start),
            });
        }
        if let Some(run) = raw.run.map(Spanned::into_inner) {
            if let Some(t) = run.timeout {
                cfg.run.timeout = duration(&t).map_err(|m| err(t.span().start, m))?;
            }
            if let Some(c) = run.concurrency {
                let n = *c.get_ref();
                if !(1..=256).contains(&n) {
                    return Err(err(
                        c.span().start,
                        "`concurrency` must be from 1 to 256".into(),
                    ));
                }
                cfg.run.concurrency = n as usize;
            }
        }
        if let Some(exec) = raw.exec.map(Spanned::into_inner) {
            if let Some(t) = exec.timeout {
                cfg.exec.timeout = Some(duration(&t).map_err(|m| err(t.span().start, m))?);
            }
            if let Some(l) = exec.output_limit {
                cfg.exec.output_cap = Some(bytes(l.get_ref()).ok_or_else(|| {
                    err(
                        l.span().start,
                        format!(
                            "`output_limit` takes a size such as 64KiB or 1MiB, not `{}`",
                            l.get_ref()
                        ),
                    )
                })?);
            }
        }
        if let Some(d) = raw.decide.map(Spanned::into_inner) {
            cfg.decide.manual_warns =
                policy(d.manual.as_ref(), "manual").map_err(|(o, m)| err(o, m))?;
            cfg.decide.error_warns =
                policy(d.error.as_ref(), "error").map_err(|(o, m)| err(o, m))?;
        }
        if let Some(repo) = raw.repo.map(Spanned::into_inner) {
            for p in &repo.exclude {
                let pattern = p.get_ref().trim();
                let valid = !pattern.is_empty()
                    && ignore::overrides::OverrideBuilder::new("/")
                        .add(&format!("!{pattern}"))
                        .is_ok();
                if !valid {
                    return Err(err(
                        p.span().start,
                        format!(
                            "`exclude` takes gitignore-style patterns such as \"tests/fixtures/**\", not `{pattern}`"
                        ),
                    ));
                }
                cfg.repo.exclude.push(pattern.to_string());
            }
        }
        if let Some(sec) = raw.secrets.map(Spanned::into_inner) {
            for p in &sec.allow_paths {
                if p.get_ref().trim().is_empty() {
                    return Err(err(
                        p.span().start,
                        "`allow_paths` entries must not be empty".into(),
                    ));
                }
            }
            for r in &sec.allow_rules {
                let id = r.get_ref();
                if id.is_empty()
                    || !id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    return Err(err(
                        r.span().start,
                        format!(
                            "`allow_rules` takes rule ids such as \"generic-password\", not `{id}`"
                        ),
                    ));
                }
            }
            cfg.secrets = SecretsConfig {
                allow_paths: sec
                    .allow_paths
                    .into_iter()
                    .map(Spanned::into_inner)
                    .collect(),
                allow_rules: sec
                    .allow_rules
                    .into_iter()
                    .map(Spanned::into_inner)
                    .collect(),
                baseline: sec.baseline.map(Spanned::into_inner),
            };
        }
        for b in raw.bind {
            let start = b.span().start;
            let b = b.into_inner();
            let matcher = match (b.matches, b.item) {
                (Some(m), None) => Matcher::Text(
                    regex::RegexBuilder::new(m.get_ref())
                        .case_insensitive(true)
                        .size_limit(1 << 20)
                        .build()
                        .map_err(|e| {
                            err(
                                m.span().start,
                                format!("`match` is not a valid regular expression: {e}"),
                            )
                        })?,
                ),
                (None, Some(id)) => Matcher::Id(id.into_inner()),
                _ => {
                    return Err(err(
                        start,
                        "a [[bind]] entry needs exactly one of `match` (a regular expression over the item's text) or `item` (an item id)".into(),
                    ));
                }
            };
            let check_name = b.check.get_ref().trim().to_string();
            let check = (check_name != "manual").then_some(check_name);
            let params = serde_json::to_value(&b.params)
                .ok()
                .and_then(|v| v.as_object().cloned())
                .unwrap_or_default();
            cfg.binds.push(BindRule {
                line: line_of(start),
                matcher,
                check,
                params,
            });
        }
        for (check, table) in raw.checks {
            let line = line_of(table.span().start);
            let params = serde_json::to_value(table.into_inner())
                .ok()
                .and_then(|v| v.as_object().cloned())
                .unwrap_or_default();
            cfg.check_settings.push(CheckSettings {
                line,
                check: check.trim().to_string(),
                params,
            });
        }
        Ok(cfg)
    }
}

fn duration(s: &Spanned<String>) -> Result<Duration, String> {
    crate::extract::parse_duration_ms(s.get_ref())
        .filter(|&ms| ms > 0)
        .map(Duration::from_millis)
        .ok_or_else(|| {
            format!(
                "expected a duration such as 30s or 2m, not `{}`",
                s.get_ref()
            )
        })
}

fn policy(v: Option<&Spanned<String>>, what: &str) -> Result<bool, (usize, String)> {
    match v.map(|s| (s.span().start, s.get_ref().as_str())) {
        None | Some((_, "block")) => Ok(false),
        Some((_, "warn")) => Ok(true),
        Some((o, other)) => Err((
            o,
            format!("`{what}` takes \"block\" or \"warn\", not `{other}`"),
        )),
    }
}

/// `64KiB`, `1MiB`, `500KB`, `4096`.
fn bytes(s: &str) -> Option<usize> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let n: usize = t[..split].parse().ok()?;
    let mult = match t[split..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1000,
        "kib" | "k" => 1024,
        "mb" => 1_000_000,
        "mib" | "m" => 1024 * 1024,
        _ => return None,
    };
    n.checked_mul(mult).filter(|&b| b > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_config() {
        let cfg = Config::parse(
            r#"
[run]
timeout = "10s"
concurrency = 4

[exec]
timeout = "5m"
output_limit = "1MiB"

[decide]
manual = "warn"

[[bind]]
match = "backups? tested"
check = "exec.command"
params = { command = "./restore-check.sh" }

[[bind]]
item = "0123456789ab"
check = "manual"
"#,
            "gonogo.toml",
        )
        .unwrap();
        assert_eq!(cfg.run.timeout, Duration::from_secs(10));
        assert_eq!(cfg.run.concurrency, 4);
        assert_eq!(cfg.exec.timeout, Some(Duration::from_secs(300)));
        assert_eq!(cfg.exec.output_cap, Some(1024 * 1024));
        assert!(cfg.decide.manual_warns);
        assert_eq!(cfg.binds.len(), 2);
        assert!(cfg.binds[0].matches("x", "Backup tested weekly"));
        assert_eq!(cfg.binds[0].line, 13);
        assert_eq!(cfg.binds[1].check, None);
    }

    #[test]
    fn listed_checklists_keep_their_lines() {
        let cfg = Config::parse(
            "# ours\nchecklists = [\n  \"PRODUCTION_CHECKLIST.md\",\n  \"docs/launch.md\",\n]\n[run]\nconcurrency = 2\n",
            "g.toml",
        )
        .unwrap();
        let got: Vec<_> = cfg
            .checklists
            .iter()
            .map(|c| (c.path.as_str(), c.line))
            .collect();
        assert_eq!(got, [("PRODUCTION_CHECKLIST.md", 3), ("docs/launch.md", 4)]);
        let e = Config::parse("checklists = [\"\"]\n", "g.toml").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
        let e = Config::parse("checklists = \"one.md\"\n", "g.toml").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
    }

    #[test]
    fn repo_excludes() {
        let cfg = Config::parse(
            "[repo]\nexclude = [\"tests/cases/**\", \"examples/\"]\n",
            "g.toml",
        )
        .unwrap();
        assert_eq!(cfg.repo.exclude, ["tests/cases/**", "examples/"]);
        let e = Config::parse("[repo]\nexclude = [\"\"]\n", "g.toml").unwrap_err();
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn secrets_section() {
        let cfg = Config::parse(
            "[secrets]\nallow_paths = [\"tests/fixtures/**\"]\nallow_rules = [\"jwt\"]\nbaseline = \".gonogo/secrets-baseline.json\"\n",
            "g.toml",
        )
        .unwrap();
        assert_eq!(cfg.secrets.allow_paths, ["tests/fixtures/**"]);
        assert_eq!(cfg.secrets.allow_rules, ["jwt"]);
        assert_eq!(
            cfg.secrets.baseline.as_deref(),
            Some(".gonogo/secrets-baseline.json")
        );
        let e = Config::parse("[secrets]\nallow_rules = [\"Not A Rule\"]\n", "g.toml").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        let e = Config::parse("[secrets]\nbogus = 1\n", "g.toml").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
    }

    #[test]
    fn errors_name_the_line() {
        let e = Config::parse("[run]\ntimeout = \"soon\"\n", "g.toml").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("duration"), "{e}");
        let e = Config::parse("[[bind]]\ncheck = \"x\"\n", "g.toml").unwrap_err();
        assert_eq!(e.line, Some(1));
        let e = Config::parse("\n\n[bogus]\n", "g.toml").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        let e = Config::parse("[[bind]]\nmatch = \"(\"\ncheck = \"x\"\n", "g.toml").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = Config::parse("x = \n", "g.toml").unwrap_err();
        assert_eq!(e.line, Some(1));
    }
}
