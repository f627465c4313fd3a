//! What a `# Expected: …` comment asks of a command's output, and judging it.
//!
//! Kinds, tried in this order: an HTTP status (`HTTP 200`); a negative (`No errors`); a JSON
//! body (compared structurally: every expected key must be there with the same value); a
//! threshold (`318+ tests passing`, `<20ms`, `90%+ coverage`); an exact count (`12 indexes`); a
//! bare claim of success (`Build successful`: the exit status judges); otherwise text the output
//! must contain (case-insensitive).

use std::sync::LazyLock;

use gonogo_engine::extract::{Comparison, Op, Unit, comparisons, trim_float};
use regex::Regex;
use serde_json::Value;

use super::shell_words::{program, simple_commands};

#[derive(Debug, Clone, PartialEq)]
pub enum Expectation {
    Status(u16),
    Nothing { what: String },
    Json(Value),
    Threshold(Comparison),
    Count { n: f64, noun: String },
    Success(String),
    Text(String),
}

/// How an expectation fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    pub ok: bool,
    /// What was expected and what came, for the message.
    pub detail: String,
}

const SUCCESS_WORDS: &[&str] = &[
    "successful",
    "success",
    "succeeds",
    "succeeded",
    "ok",
    "passes",
    "passed",
    "passing",
    "healthy",
    "available",
    "works",
    "working",
    "done",
    "complete",
    "completed",
    "up",
    "running",
    "ready",
    "green",
    "fine",
    "clean",
    "built",
];

pub fn parse(text: &str) -> Expectation {
    static PAREN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s*\([^)]*\)\s*$").expect("paren"));
    static STATUS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:http\s*(?:status\s*)?(\d{3})\b.*|(\d{3})\s+ok)$").expect("status")
    });
    static NEG: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^(?:no|zero|0)\s+(.+?)[.!]?$").expect("neg"));
    static COUNT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(\d+(?:\.\d+)?)\s+([a-z][a-z -]*?)[.!]?$").expect("count")
    });
    let raw = text.trim();
    if (raw.starts_with('{') || raw.starts_with('['))
        && let Ok(v) = serde_json::from_str::<Value>(raw)
    {
        return Expectation::Json(v);
    }
    let t = PAREN.replace(raw, "").trim().to_string();
    if let Some(c) = STATUS.captures(&t) {
        let code = c
            .get(1)
            .or_else(|| c.get(2))
            .map(|m| m.as_str())
            .unwrap_or("0");
        return Expectation::Status(code.parse().unwrap_or(0));
    }
    if let Some(c) = NEG.captures(&t) {
        return Expectation::Nothing {
            what: c[1].to_lowercase(),
        };
    }
    if let Some(cmp) = comparisons(&t).into_iter().next() {
        return Expectation::Threshold(cmp);
    }
    if let Some(c) = COUNT.captures(&t)
        && let Ok(n) = c[1].parse()
    {
        return Expectation::Count {
            n,
            noun: c[2].trim().to_lowercase(),
        };
    }
    let words: Vec<String> = t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if !words.is_empty()
        && words.len() <= 4
        && words.iter().any(|w| SUCCESS_WORDS.contains(&w.as_str()))
    {
        return Expectation::Success(t);
    }
    Expectation::Text(t)
}

/// A word's stem for loose matching ("vulnerabilities" → "vulnerabilit").
fn stem(word: &str) -> String {
    let w = word.to_lowercase();
    ["ies", "es", "s"]
        .iter()
        .find_map(|suffix| w.strip_suffix(suffix).filter(|s| s.len() >= 3))
        .map_or_else(|| w.clone(), str::to_string)
}

/// Whether the last command of the script lists matches (grep-like), so output lines are findings.
fn lists_matches(script: &str) -> bool {
    let cmds = simple_commands(script);
    let Some(last) = cmds.last() else {
        return false;
    };
    let Some((i, prog)) = program(last) else {
        return false;
    };
    matches!(prog, "grep" | "egrep" | "fgrep" | "rg" | "ag" | "git")
        && !last[i + 1..]
            .iter()
            .any(|a| a == "-c" || a == "-q" || a == "--count" || a == "--quiet")
        && (prog != "git" || last.get(i + 1).is_some_and(|s| s == "grep"))
}

/// Judge one expectation against a finished command.
pub fn judge(exp: &Expectation, script: &str, output: &str, exit: i32) -> Judgement {
    let lines: Vec<&str> = output.lines().filter(|l| !l.trim().is_empty()).collect();
    let verdict = |ok: bool, detail: String| Judgement { ok, detail };
    if let Expectation::Nothing { what } = exp {
        if lines.is_empty() && (exit == 0 || exit == 1) {
            return verdict(true, format!("expected no {what}: the output is empty"));
        }
        if exit != 0 {
            return verdict(
                false,
                format!("expected no {what}: the command exited with {exit}"),
            );
        }
        if lists_matches(script) {
            return verdict(
                false,
                format!(
                    "expected no {what}: {} matching line{} found",
                    lines.len(),
                    plural(lines.len())
                ),
            );
        }
        let head = what.split_whitespace().last().unwrap_or(what);
        let re = Regex::new(&format!(
            r"(?i)\b(\d+)\s+(?:[a-z-]+\s+){{0,2}}{}\w*",
            regex::escape(&stem(head))
        ))
        .expect("escaped");
        if let Some(c) = re
            .captures_iter(output)
            .find(|c| c[1].parse::<u64>().is_ok_and(|n| n > 0))
        {
            return verdict(
                false,
                format!("expected no {what}: the output says \"{}\"", c[0].trim()),
            );
        }
        return verdict(true, format!("expected no {what}: none reported (exit 0)"));
    }
    if exit != 0 {
        return verdict(false, format!("the command exited with {exit}"));
    }
    match exp {
        Expectation::Nothing { .. } => unreachable!("handled above"),
        Expectation::Success(t) => verdict(true, format!("\"{t}\": the command exited 0")),
        Expectation::Text(t) => {
            let ok = output.to_lowercase().contains(&t.to_lowercase());
            verdict(
                ok,
                if ok {
                    format!("output contains \"{t}\"")
                } else {
                    format!("expected output containing \"{t}\"; it does not")
                },
            )
        }
        Expectation::Status(code) => {
            static LINE: LazyLock<Regex> = LazyLock::new(|| {
                Regex::new(r"(?m)HTTP/\d(?:\.\d)?\s+(\d{3})|^\s*(\d{3})\s*$").expect("status line")
            });
            match LINE.captures_iter(output).last() {
                Some(c) => {
                    let got: u16 = c
                        .get(1)
                        .or_else(|| c.get(2))
                        .map_or(0, |m| m.as_str().parse().unwrap_or(0));
                    verdict(
                        got == *code,
                        format!("expected HTTP {code}, got HTTP {got}"),
                    )
                }
                None => verdict(
                    false,
                    format!(
                        "expected HTTP {code}, but the output shows no status (add `-i` or `-w '%{{http_code}}'` to curl)"
                    ),
                ),
            }
        }
        Expectation::Json(want) => match first_json(output) {
            Some(got) if contains(&got, want) => verdict(true, format!("body matches {want}")),
            Some(got) => verdict(
                false,
                format!(
                    "expected a body with {want}, got {}",
                    clip(&got.to_string(), 200)
                ),
            ),
            None => verdict(
                false,
                format!("expected a JSON body with {want}; the output holds no JSON"),
            ),
        },
        Expectation::Threshold(cmp) => match measure(cmp, output, &lines) {
            Some((got, how)) => {
                let ok = cmp.op.holds(got, cmp.value);
                verdict(
                    ok,
                    format!(
                        "expected {}, measured {} ({how})",
                        cmp.describe(),
                        show(got, cmp.unit)
                    ),
                )
            }
            None => verdict(
                false,
                format!(
                    "expected {}, but the output states no such value",
                    cmp.describe()
                ),
            ),
        },
        Expectation::Count { n, noun } => {
            let cmp = Comparison {
                op: Op::Eq,
                value: *n,
                unit: Unit::Count,
                noun: Some(noun.clone()),
            };
            match measure(&cmp, output, &lines) {
                Some((got, how)) => verdict(
                    (got - n).abs() < f64::EPSILON,
                    format!(
                        "expected {} {noun}, found {} ({how})",
                        trim_float(*n),
                        trim_float(got)
                    ),
                ),
                None => verdict(
                    false,
                    format!("expected {} {noun}; none found", trim_float(*n)),
                ),
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn show(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Millis => format!("{} ms", trim_float((v * 100.0).round() / 100.0)),
        Unit::Percent => format!("{}%", trim_float(v)),
        _ => trim_float(v),
    }
}

/// The measured value for a threshold: durations take the slowest, percentages the last one
/// printed (tools print the total last), counts the number next to the noun or else the number
/// of output lines (as `grep` prints one line per match).
fn measure(cmp: &Comparison, output: &str, lines: &[&str]) -> Option<(f64, String)> {
    match cmp.unit {
        Unit::Millis => {
            static DUR: LazyLock<Regex> = LazyLock::new(|| {
                Regex::new(r"(?i)(\d+(?:\.\d+)?)\s*(ms|msec|µs|us|s|sec|seconds)\b").expect("dur")
            });
            DUR.captures_iter(output)
                .filter_map(|c| {
                    let v: f64 = c[1].parse().ok()?;
                    Some(match c[2].to_lowercase().as_str() {
                        "ms" | "msec" => v,
                        "µs" | "us" => v / 1000.0,
                        _ => v * 1000.0,
                    })
                })
                .reduce(f64::max)
                .map(|v| (v, "the slowest duration in the output".into()))
        }
        Unit::Percent => {
            static PCT: LazyLock<Regex> =
                LazyLock::new(|| Regex::new(r"(\d+(?:\.\d+)?)\s*%").expect("pct"));
            PCT.captures_iter(output)
                .last()
                .and_then(|c| c[1].parse().ok())
                .map(|v| (v, "the last percentage in the output".into()))
        }
        Unit::Days | Unit::Chars | Unit::Count => {
            let noun = cmp.noun.clone().unwrap_or_default();
            let head = noun.split_whitespace().next().unwrap_or("");
            let alternatives = if head.starts_with("test") {
                r"passed|tests?\s+pass(?:ed|ing)?|tests?".to_string()
            } else if head.is_empty() {
                String::new()
            } else {
                format!(r"{}\w*", regex::escape(&stem(head)))
            };
            if !alternatives.is_empty() {
                let re =
                    Regex::new(&format!(r"(?i)\b(\d+)\s+(?:{alternatives})\b")).expect("escaped");
                if let Some(c) = re.captures_iter(output).last()
                    && let Ok(v) = c[1].parse()
                {
                    return Some((v, format!("\"{}\"", c[0].trim())));
                }
            }
            Some((lines.len() as f64, "counted output lines".into()))
        }
    }
}

fn first_json(output: &str) -> Option<Value> {
    if let Ok(v) = serde_json::from_str::<Value>(output.trim()) {
        return Some(v);
    }
    output.match_indices('{').find_map(|(i, _)| {
        serde_json::Deserializer::from_str(&output[i..])
            .into_iter::<Value>()
            .next()
            .and_then(Result::ok)
    })
}

/// Whether `got` has everything `want` has (objects by key, recursively; other values equal).
fn contains(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => w
            .iter()
            .all(|(k, wv)| g.get(k).is_some_and(|gv| contains(gv, wv))),
        _ => got == want,
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(expect: &str, script: &str, output: &str, exit: i32) -> Judgement {
        judge(&parse(expect), script, output, exit)
    }

    #[test]
    fn parses_each_kind() {
        assert_eq!(parse("HTTP 200"), Expectation::Status(200));
        assert_eq!(
            parse("No errors"),
            Expectation::Nothing {
                what: "errors".into()
            }
        );
        assert!(matches!(
            parse("{\"status\": \"healthy\"}"),
            Expectation::Json(_)
        ));
        assert!(matches!(
            parse("318+ tests passing"),
            Expectation::Threshold(_)
        ));
        assert!(
            matches!(parse("90%+ coverage (current: 97%+)"), Expectation::Threshold(c) if c.value == 90.0)
        );
        assert!(matches!(
            parse("Query time <20ms"),
            Expectation::Threshold(_)
        ));
        assert_eq!(
            parse("12 indexes"),
            Expectation::Count {
                n: 12.0,
                noun: "indexes".into()
            }
        );
        assert!(matches!(parse("Build successful"), Expectation::Success(_)));
        assert!(matches!(
            parse("All services healthy"),
            Expectation::Success(_)
        ));
        assert_eq!(parse("wal"), Expectation::Text("wal".into()));
        assert_eq!(parse("10000"), Expectation::Text("10000".into()));
    }

    #[test]
    fn thresholds_and_counts() {
        assert!(
            j(
                "318+ tests passing",
                "pytest",
                "===== 320 passed in 4.1s =====",
                0
            )
            .ok
        );
        let low = j(
            "318+ tests passing",
            "pytest",
            "===== 12 passed in 0.1s =====",
            0,
        );
        assert!(!low.ok);
        assert!(low.detail.contains("measured 12"), "{}", low.detail);
        assert!(
            j(
                "90%+ coverage",
                "pytest --cov",
                "a.py 80%\nTOTAL 1000 30 97%",
                0
            )
            .ok
        );
        assert!(!j("90%+ coverage", "pytest --cov", "TOTAL 1000 300 70%", 0).ok);
        assert!(j("Query time <20ms", "x", "query took 12.5ms; other 3ms", 0).ok);
        assert!(!j("Query time <20ms", "x", "query took 25ms", 0).ok);
        assert!(!j("Query time <20ms", "x", "1 passed", 0).ok);
        let idx = "CREATE INDEX a ON t(x);\nCREATE INDEX b ON t(y);\n";
        assert!(j("2 indexes", "sqlite3 db .schema | grep INDEX", idx, 0).ok);
        assert!(!j("12 indexes", "sqlite3 db .schema | grep INDEX", idx, 0).ok);
    }

    #[test]
    fn negatives() {
        let grep = "grep -r \"password\\|secret\" src/ | grep -v test";
        assert!(j("No hardcoded secrets", grep, "", 1).ok);
        let found = j(
            "No hardcoded secrets",
            grep,
            "src/a.py: password = 'x'\n",
            0,
        );
        assert!(
            !found.ok && found.detail.contains("1 matching line"),
            "{}",
            found.detail
        );
        assert!(j("No errors", "ruff check .", "All checks passed!", 0).ok);
        assert!(!j("No errors", "ruff check .", "Found 3 errors.", 1).ok);
        assert!(
            !j(
                "No critical vulnerabilities",
                "audit",
                "Found 2 critical vulnerabilities",
                0
            )
            .ok
        );
        assert!(
            j(
                "No known vulnerabilities found",
                "pip-audit",
                "No known vulnerabilities found",
                0
            )
            .ok
        );
    }

    #[test]
    fn status_json_text_success() {
        assert!(j("HTTP 200", "curl -i x", "HTTP/1.1 200 OK\r\n\r\n{}", 0).ok);
        assert!(!j("HTTP 200", "curl -i x", "HTTP/2 503\r\n", 0).ok);
        assert!(
            j(
                "HTTP 200",
                "curl -s -o /dev/null -w '%{http_code}' x",
                "200",
                0
            )
            .ok
        );
        assert!(!j("HTTP 200", "curl x", "{\"status\":\"ok\"}", 0).ok);
        let body = "{\"status\": \"healthy\", \"database\": \"connected\", \"v\": 1}";
        assert!(
            j(
                "{\"status\": \"healthy\", \"database\": \"connected\"}",
                "curl x",
                body,
                0
            )
            .ok
        );
        let bad = j(
            "{\"status\": \"healthy\"}",
            "curl x",
            "{\"status\": \"degraded\"}",
            0,
        );
        assert!(!bad.ok && bad.detail.contains("degraded"));
        assert!(j("wal", "sqlite3 db 'PRAGMA journal_mode;'", "wal\n", 0).ok);
        assert!(!j("wal", "sqlite3 db 'PRAGMA journal_mode;'", "delete\n", 0).ok);
        assert!(j("Build successful", "docker build .", "whatever", 0).ok);
        assert!(!j("Build successful", "docker build .", "error", 1).ok);
    }
}
