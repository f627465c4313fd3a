//! Parameters read out of an item's wording: thresholds with units, durations, percentiles,
//! versions, URL paths, expected JSON bodies, schedules. Shared by every check's binder.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

/// A comparison operator as written (`<`, `under`, `at least`, `15+`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

impl Op {
    pub fn holds(self, measured: f64, limit: f64) -> bool {
        match self {
            Op::Lt => measured < limit,
            Op::Le => measured <= limit,
            Op::Gt => measured > limit,
            Op::Ge => measured >= limit,
            Op::Eq => (measured - limit).abs() < f64::EPSILON,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Gt => ">",
            Op::Ge => "≥",
            Op::Eq => "=",
        }
    }
}

/// The unit of a quantity, normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Durations, in milliseconds.
    Millis,
    Percent,
    Days,
    Chars,
    /// A plain count (tests, indexes, connections…).
    Count,
}

/// A threshold such as `< 200ms`, `90%+`, `within 30 days`, `32+ chars`, `318+ tests`.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub op: Op,
    /// In the unit's base (milliseconds for durations).
    pub value: f64,
    pub unit: Unit,
    /// The word after the number, for counts ("tests", "indexes").
    pub noun: Option<String>,
}

impl Comparison {
    /// How it reads to a person: `< 200 ms`, `≥ 90%`.
    pub fn describe(&self) -> String {
        let v = trim_float(self.value);
        match self.unit {
            Unit::Millis => format!("{} {v} ms", self.op.symbol()),
            Unit::Percent => format!("{} {v}%", self.op.symbol()),
            Unit::Days => format!("{} {v} days", self.op.symbol()),
            Unit::Chars => format!("{} {v} characters", self.op.symbol()),
            Unit::Count => match &self.noun {
                Some(n) => format!("{} {v} {n}", self.op.symbol()),
                None => format!("{} {v}", self.op.symbol()),
            },
        }
    }
}

pub fn trim_float(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

static COMPARISON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        (?P<op><=|>=|≤|≥|<|>|=|\bunder\b|\bbelow\b|\bless\ than\b|\bat\ most\b|\bat\ least\b|\bover\b|\babove\b|\bmore\ than\b|\bwithin\b|\bminimum(?:\ of)?\b|\bmax(?:imum)?(?:\ of)?\b)?
        \s*
        (?P<num>\d+(?:[.,]\d+)?)
        (?P<plus1>\+)?
        \s*
        (?P<unit>ms\b|milliseconds?\b|µs\b|us\b|s\b|secs?\b|seconds?\b|m\b|mins?\b|minutes?\b|h\b|hrs?\b|hours?\b|d\b|days?\b|%|chars?\b|characters?\b)?
        (?P<plus2>\+)?
        (?:\s*(?P<noun>[a-z][a-z-]{2,}))?",
    )
    .expect("comparison regex")
});

/// Every threshold in the text that carries an operator (`<`, `under`, `+`, `≥`…).
/// Bare numbers without an operator are not thresholds ("Phase 8", "2 CPU").
pub fn comparisons(text: &str) -> Vec<Comparison> {
    let mut out = Vec::new();
    // Every comparison has a number; most wordings have none, and the regex costs more.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return out;
    }
    let mut pos = 0;
    while let Some(c) = COMPARISON.captures_at(text, pos) {
        let whole = c.get(0).expect("match");
        let num_end = c.name("num").map_or(whole.end(), |m| m.end());
        match comparison(&c) {
            Some(found) => {
                out.push(found);
                pos = whole.end().max(pos + 1);
            }
            // Without an operator, the words after the number may hold the next operator
            // ("p99 under 300 ms"): resume right after the number.
            None => pos = num_end.max(pos + 1),
        }
        while pos < text.len() && !text.is_char_boundary(pos) {
            pos += 1;
        }
        if pos >= text.len() {
            break;
        }
    }
    out
}

fn comparison(c: &regex::Captures<'_>) -> Option<Comparison> {
    let num: f64 = c.name("num")?.as_str().replace(',', ".").parse().ok()?;
    let plus = c.name("plus1").is_some() || c.name("plus2").is_some();
    let op_word = c.name("op").map(|m| m.as_str().to_ascii_lowercase());
    let op = match op_word.as_deref() {
        Some("<" | "under" | "below" | "less than") => Op::Lt,
        Some("<=" | "≤" | "at most" | "within") => Op::Le,
        Some(w) if w.starts_with("max") => Op::Le,
        Some(">" | "over" | "above" | "more than") => Op::Gt,
        Some(">=" | "≥" | "at least") => Op::Ge,
        Some(w) if w.starts_with("minimum") => Op::Ge,
        Some("=") => Op::Eq,
        _ if plus => Op::Ge,
        _ => return None,
    };
    let unit_raw = c.name("unit").map(|m| m.as_str().to_ascii_lowercase());
    let (unit, value) = match unit_raw.as_deref() {
        Some("ms" | "millisecond" | "milliseconds") => (Unit::Millis, num),
        Some("µs" | "us") => (Unit::Millis, num / 1000.0),
        Some("s" | "sec" | "secs" | "second" | "seconds") => (Unit::Millis, num * 1e3),
        Some("m" | "min" | "mins" | "minute" | "minutes") => (Unit::Millis, num * 6e4),
        Some("h" | "hr" | "hrs" | "hour" | "hours") => (Unit::Millis, num * 3.6e6),
        Some("d" | "day" | "days") => (Unit::Days, num),
        Some("%") => (Unit::Percent, num),
        Some("char" | "chars" | "character" | "characters") => (Unit::Chars, num),
        _ => (Unit::Count, num),
    };
    let noun = c.name("noun").map(|m| m.as_str().to_ascii_lowercase());
    Some(Comparison {
        op,
        value,
        unit,
        noun: if unit == Unit::Count { noun } else { None },
    })
}

/// A duration written as `500ms`, `30s`, `2m`, `1h`, `1.5s`, `7d`, in whole milliseconds.
pub fn parse_duration_ms(text: &str) -> Option<u64> {
    let t = text.trim().to_ascii_lowercase();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().ok()?;
    let factor = match unit.trim() {
        "ms" => 1.0,
        "s" | "sec" | "secs" | "second" | "seconds" => 1e3,
        "m" | "min" | "mins" | "minute" | "minutes" => 6e4,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3.6e6,
        "d" | "day" | "days" => 8.64e7,
        "w" | "week" | "weeks" => 6.048e8,
        _ => return None,
    };
    let ms = n * factor;
    (0.0..1e15).contains(&ms).then_some(ms.round() as u64)
}

static PERCENTILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bp(50|75|90|95|99|999)\b|\b(50|75|90|95|99)(?:th)?[ -]percentile\b")
        .expect("percentile regex")
});

/// The percentile a latency item names (`p95`, `99th percentile`).
pub fn percentile(text: &str) -> Option<u32> {
    let c = PERCENTILE.captures(text)?;
    c.get(1).or_else(|| c.get(2))?.as_str().parse().ok()
}

static VERSION_MIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[vV]?(\d+(?:\.\d+){0,2})\s*\+").expect("version regex"));

/// A minimum version written as `15+`, `1.24+`, `v2.1+`.
pub fn min_version(text: &str) -> Option<String> {
    VERSION_MIN.captures(text).map(|c| c[1].to_string())
}

/// URL paths among the item's code spans and text (`/health`, `GET /readyz`).
pub fn url_paths(text: &str, code_spans: &[String]) -> Vec<String> {
    static PATH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|[\s(`])(?:(?:GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS)\s+)?(/[A-Za-z0-9._~\-/]*[A-Za-z0-9_~\-])")
            .expect("path regex")
    });
    let mut out: Vec<String> = Vec::new();
    let spans = code_spans.iter().map(String::as_str);
    for s in spans.chain(std::iter::once(text)) {
        for c in PATH.captures_iter(s) {
            let p = c[1].to_string();
            // Filesystem paths are not endpoints.
            let fs_like = p.starts_with("/etc/")
                || p.starts_with("/var/")
                || p.starts_with("/usr/")
                || p.starts_with("/tmp/")
                || p.starts_with("/home/")
                || p.rsplit('/').next().is_some_and(|last| {
                    last.contains('.') && !last.starts_with('.') && !last.ends_with(".json")
                });
            if !fs_like && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// JSON objects the item states as an expected body (`{"status": "ok"}`).
pub fn json_bodies(code_spans: &[String]) -> Vec<Value> {
    code_spans
        .iter()
        .filter(|s| s.trim_start().starts_with('{'))
        .filter_map(|s| serde_json::from_str::<Value>(s).ok())
        .filter(Value::is_object)
        .collect()
}

/// How often something must happen ("every 6 hours", "daily", "hourly"), in milliseconds.
pub fn interval_ms(text: &str) -> Option<u64> {
    static EVERY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\bevery\s+(\d+)\s*(minutes?|mins?|hours?|hrs?|h|days?|d|weeks?)\b")
            .expect("every regex")
    });
    if let Some(c) = EVERY.captures(text) {
        return parse_duration_ms(&format!("{}{}", &c[1], &c[2]));
    }
    let lower = text.to_ascii_lowercase();
    for (word, ms) in [
        ("hourly", 3_600_000u64),
        ("daily", 86_400_000),
        ("nightly", 86_400_000),
        ("weekly", 604_800_000),
    ] {
        if lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == word)
        {
            return Some(ms);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Comparison {
        let all = comparisons(text);
        assert_eq!(all.len(), 1, "{text}: {all:?}");
        all.into_iter().next().unwrap()
    }

    #[test]
    fn latency_thresholds() {
        let c = one("API response times < 200ms (p95)");
        assert_eq!((c.op, c.value, c.unit), (Op::Lt, 200.0, Unit::Millis));
        let c = one("p99 under 300 ms at 50 concurrent users");
        assert_eq!((c.op, c.value, c.unit), (Op::Lt, 300.0, Unit::Millis));
        let c = one("Query time <20ms");
        assert_eq!((c.op, c.value), (Op::Lt, 20.0));
        let c = one("Response time < 1.5s");
        assert_eq!(c.value, 1500.0);
    }

    #[test]
    fn percentages_counts_days_chars() {
        let c = one("Error rate < 1%");
        assert_eq!((c.op, c.value, c.unit), (Op::Lt, 1.0, Unit::Percent));
        let c = one("Coverage ≥90%");
        assert_eq!((c.op, c.value, c.unit), (Op::Ge, 90.0, Unit::Percent));
        let c = one("90%+ coverage");
        assert_eq!((c.op, c.value, c.unit), (Op::Ge, 90.0, Unit::Percent));
        let c = one("not expiring within 30 days");
        assert_eq!((c.op, c.value, c.unit), (Op::Le, 30.0, Unit::Days));
        let c = one("JWT secret is cryptographically strong (32+ chars)");
        assert_eq!((c.op, c.value, c.unit), (Op::Ge, 32.0, Unit::Chars));
        let c = one("318+ tests passing");
        assert_eq!((c.op, c.value, c.unit), (Op::Ge, 318.0, Unit::Count));
        assert_eq!(c.noun.as_deref(), Some("tests"));
    }

    #[test]
    fn bare_numbers_are_not_thresholds() {
        assert!(comparisons("Phase 8 Complete").is_empty());
        assert!(comparisons("Docker: 2 CPU limit").is_empty());
        assert!(comparisons("12 indexes verified").is_empty());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("200ms"), Some(200));
        assert_eq!(parse_duration_ms("30s"), Some(30_000));
        assert_eq!(parse_duration_ms("2m"), Some(120_000));
        assert_eq!(parse_duration_ms("1.5s"), Some(1500));
        assert_eq!(parse_duration_ms("90d"), Some(7_776_000_000));
        assert_eq!(parse_duration_ms("soon"), None);
        assert_eq!(parse_duration_ms("10"), None);
    }

    #[test]
    fn percentiles_versions_paths_bodies_intervals() {
        assert_eq!(percentile("API response times < 200ms (p95)"), Some(95));
        assert_eq!(percentile("99th percentile under 1s"), Some(99));
        assert_eq!(percentile("port 9095"), None);
        assert_eq!(
            min_version("PostgreSQL 15+ deployed").as_deref(),
            Some("15")
        );
        assert_eq!(
            min_version("Kubernetes 1.24+ cluster ready").as_deref(),
            Some("1.24")
        );
        assert_eq!(
            url_paths("Readiness endpoint working (/ready)", &["/ready".into()]),
            vec!["/ready"]
        );
        assert_eq!(url_paths("", &["GET /healthz".into()]), vec!["/healthz"]);
        assert!(url_paths("", &["config/qbitel.production.yaml".into()]).is_empty());
        assert!(url_paths("", &["/etc/qbitel/certs/server.crt".into()]).is_empty());
        let bodies = json_bodies(&["{\"status\": \"ok\"}".into(), "/health".into()]);
        assert_eq!(bodies, vec![serde_json::json!({"status": "ok"})]);
        assert_eq!(
            interval_ms("Database backups: Every 6 hours"),
            Some(21_600_000)
        );
        assert_eq!(
            interval_ms("Configuration backups: Daily"),
            Some(86_400_000)
        );
        assert_eq!(interval_ms("Backups tested"), None);
    }
}
