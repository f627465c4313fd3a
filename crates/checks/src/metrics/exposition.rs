//! The Prometheus text exposition format (0.0.4, and the OpenMetrics `# EOF` ending), parsed in
//! full with line numbers: `# HELP` and `# TYPE` lines, samples with escaped label values,
//! special float values, timestamps, and the rules that tie a histogram's or summary's samples
//! together (cumulative buckets, a `+Inf` bucket equal to `_count`, `quantile` labels).

use std::collections::BTreeMap;

/// Label pairs in the order written.
pub type Labels = Vec<(String, String)>;

/// One sample line.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub line: usize,
    pub name: String,
    pub labels: Vec<(String, String)>,
    pub value: f64,
    pub timestamp: Option<i64>,
}

/// A metric family: its declared type and help, and its samples.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Family {
    pub kind: Option<String>,
    pub help: Option<String>,
    pub samples: Vec<Sample>,
}

/// A parsed exposition: families by name (samples without `# TYPE` form their own family).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exposition {
    pub families: BTreeMap<String, Family>,
}

impl Exposition {
    pub fn sample_count(&self) -> usize {
        self.families.values().map(|f| f.samples.len()).sum()
    }

    /// Whether a family or a sample of that name exists (`http_requests_total`, or the base
    /// name of a histogram `latency_seconds` for `latency_seconds_bucket`).
    pub fn has(&self, name: &str) -> bool {
        self.families.contains_key(name)
            || self
                .families
                .values()
                .any(|f| f.samples.iter().any(|s| s.name == name))
    }
}

/// A problem at a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

const TYPES: &[&str] = &[
    "counter",
    "gauge",
    "histogram",
    "summary",
    "untyped",
    "unknown",
    "stateset",
    "info",
    "gaugehistogram",
];

fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(ch) if ch.is_ascii_alphabetic() || ch == '_' || ch == ':')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == ':')
}

fn is_label_name(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(ch) if ch.is_ascii_alphabetic() || ch == '_')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
}

/// The family a sample belongs to: `x_bucket`, `x_sum`, `x_count` (and `x_created`) belong to a
/// declared histogram or summary `x`.
fn family_of<'a>(name: &'a str, declared: &BTreeMap<String, Family>) -> &'a str {
    for suffix in [
        "_bucket", "_sum", "_count", "_created", "_total", "_gsum", "_gcount",
    ] {
        if let Some(base) = name.strip_suffix(suffix)
            && declared.get(base).is_some_and(|f| f.kind.is_some())
        {
            return base;
        }
    }
    name
}

pub fn parse_value(s: &str) -> Option<f64> {
    match s {
        "+Inf" | "Inf" | "+inf" | "inf" => Some(f64::INFINITY),
        "-Inf" | "-inf" => Some(f64::NEG_INFINITY),
        "NaN" | "nan" => Some(f64::NAN),
        _ => s.parse::<f64>().ok().filter(|_| {
            // Rust accepts "infinity" and "nan" spellings the format does not.
            s.bytes()
                .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        }),
    }
}

/// Parse a whole exposition; every problem found is returned (with its line), not just the first.
pub fn parse(text: &str) -> Result<Exposition, Vec<Problem>> {
    let mut exp = Exposition::default();
    let mut problems = Vec::new();
    let mut seen_samples_of: std::collections::HashSet<String> = Default::default();
    let mut eof = false;
    for (i, raw) in text.split('\n').enumerate() {
        let line = i + 1;
        let l = raw.strip_suffix('\r').unwrap_or(raw);
        if eof && !l.trim().is_empty() {
            problems.push(Problem {
                line,
                message: "content after `# EOF`".into(),
            });
            break;
        }
        if l.trim().is_empty() {
            continue;
        }
        if let Some(rest) = l.strip_prefix('#') {
            let rest = rest.trim_start();
            if rest == "EOF" {
                eof = true;
                continue;
            }
            let mut parts = rest.splitn(3, [' ', '\t']);
            let keyword = parts.next().unwrap_or("");
            if keyword != "HELP" && keyword != "TYPE" && keyword != "UNIT" {
                continue; // a plain comment
            }
            let name = parts.next().unwrap_or("").trim();
            let arg = parts.next().unwrap_or("").trim_start();
            if !is_name(name) {
                problems.push(Problem {
                    line,
                    message: format!("`# {keyword}` names no valid metric (`{name}`)"),
                });
                continue;
            }
            let fam = exp.families.entry(name.to_string()).or_default();
            match keyword {
                "HELP" => {
                    if fam.help.is_some() {
                        problems.push(Problem {
                            line,
                            message: format!("a second `# HELP` for {name}"),
                        });
                    }
                    match unescape(arg, false) {
                        Ok(h) => fam.help = Some(h),
                        Err(e) => problems.push(Problem {
                            line,
                            message: format!("HELP of {name}: {e}"),
                        }),
                    }
                }
                "TYPE" => {
                    let t = arg.trim();
                    if !TYPES.contains(&t) {
                        problems.push(Problem {
                            line,
                            message: format!("unknown type `{t}` for {name}"),
                        });
                    } else if fam.kind.is_some() {
                        problems.push(Problem {
                            line,
                            message: format!("a second `# TYPE` for {name}"),
                        });
                    } else if seen_samples_of.contains(name) {
                        problems.push(Problem {
                            line,
                            message: format!("`# TYPE` for {name} after its samples"),
                        });
                    } else {
                        fam.kind = Some(t.to_string());
                    }
                }
                _ => {}
            }
            continue;
        }
        match sample(l, line) {
            Ok(s) => {
                let fam_name = family_of(&s.name, &exp.families).to_string();
                seen_samples_of.insert(fam_name.clone());
                exp.families.entry(fam_name).or_default().samples.push(s);
            }
            Err(message) => problems.push(Problem { line, message }),
        }
    }
    for (name, fam) in &exp.families {
        match fam.kind.as_deref() {
            Some("histogram") => check_histogram(name, fam, &mut problems),
            Some("summary") => {
                for s in &fam.samples {
                    if s.name == *name && !s.labels.iter().any(|(k, _)| k == "quantile") {
                        problems.push(Problem {
                            line: s.line,
                            message: format!("summary {name} sample without a `quantile` label"),
                        });
                    }
                }
            }
            Some("counter") => {
                for s in &fam.samples {
                    if s.value < 0.0 {
                        problems.push(Problem {
                            line: s.line,
                            message: format!("counter {} is negative ({})", s.name, s.value),
                        });
                    }
                }
            }
            _ => {}
        }
    }
    problems.sort_by_key(|p| p.line);
    if problems.is_empty() {
        Ok(exp)
    } else {
        Err(problems)
    }
}

/// One sample line: `name{a="b",c="d"} value [timestamp]`.
fn sample(l: &str, line: usize) -> Result<Sample, String> {
    let name_end = l
        .find(['{', ' ', '\t'])
        .ok_or_else(|| format!("`{}` has no value", short(l)))?;
    let name = &l[..name_end];
    if !is_name(name) {
        return Err(format!("`{}` is not a valid metric name", short(name)));
    }
    let mut rest = &l[name_end..];
    let mut labels = Vec::new();
    if let Some(after) = rest.strip_prefix('{') {
        let (parsed, remaining) = label_set(after)?;
        labels = parsed;
        rest = remaining;
    }
    let mut fields = rest.split_whitespace();
    let v = fields
        .next()
        .ok_or_else(|| format!("{name} has no value"))?;
    let value = parse_value(v).ok_or_else(|| format!("{name}: `{v}` is not a number"))?;
    let timestamp = match fields.next() {
        Some(t) => Some(
            t.parse::<i64>()
                .ok()
                .or_else(|| t.parse::<f64>().ok().map(|f| f as i64))
                .ok_or_else(|| format!("{name}: timestamp `{t}` is not a number"))?,
        ),
        None => None,
    };
    if let Some(extra) = fields.next()
        && !extra.starts_with('#')
    {
        return Err(format!(
            "{name}: unexpected `{}` after the value",
            short(extra)
        ));
    }
    let _ = line;
    Ok(Sample {
        line,
        name: name.to_string(),
        labels,
        value,
        timestamp,
    })
}

/// The label pairs after `{`, and what follows the closing `}`.
fn label_set(mut s: &str) -> Result<(Labels, &str), String> {
    let mut labels: Vec<(String, String)> = Vec::new();
    loop {
        s = s.trim_start();
        if let Some(rest) = s.strip_prefix('}') {
            return Ok((labels, rest));
        }
        let eq = s.find('=').ok_or("a label without `=`")?;
        let key = s[..eq].trim();
        if !is_label_name(key) {
            return Err(format!("`{}` is not a valid label name", short(key)));
        }
        if labels.iter().any(|(k, _)| k == key) {
            return Err(format!("label `{key}` appears twice"));
        }
        s = s[eq + 1..].trim_start();
        let body = s
            .strip_prefix('"')
            .ok_or_else(|| format!("the value of label `{key}` is not quoted"))?;
        // Find the closing quote, skipping escapes.
        let mut end = None;
        let mut escaped = false;
        for (i, c) in body.char_indices() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                end = Some(i);
                break;
            }
        }
        let end = end.ok_or_else(|| format!("the value of label `{key}` is not closed"))?;
        let value = unescape(&body[..end], true).map_err(|e| format!("label `{key}`: {e}"))?;
        labels.push((key.to_string(), value));
        s = body[end + 1..].trim_start();
        if let Some(rest) = s.strip_prefix(',') {
            s = rest;
        } else if !s.starts_with('}') {
            return Err("labels must be separated by `,` and closed by `}`".into());
        }
    }
}

/// `\\`, `\n` (and `\"` in label values) unescaped; any other escape is an error.
fn unescape(s: &str, quotes: bool) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('"') if quotes => out.push('"'),
            Some(o) => return Err(format!("unknown escape `\\{o}`")),
            None => return Err("a trailing `\\`".into()),
        }
    }
    Ok(out)
}

fn check_histogram(name: &str, fam: &Family, problems: &mut Vec<Problem>) {
    // Group buckets by their labels other than `le`.
    // (upper bound, cumulative count, line) per series.
    let mut series: BTreeMap<Labels, Vec<(f64, f64, usize)>> = BTreeMap::new();
    let mut counts: BTreeMap<Vec<(String, String)>, f64> = BTreeMap::new();
    for s in &fam.samples {
        let others: Vec<(String, String)> = {
            let mut v: Vec<(String, String)> = s
                .labels
                .iter()
                .filter(|(k, _)| k != "le")
                .cloned()
                .collect();
            v.sort();
            v
        };
        if s.name == format!("{name}_bucket") {
            let Some((_, le)) = s.labels.iter().find(|(k, _)| k == "le") else {
                problems.push(Problem {
                    line: s.line,
                    message: format!("{name}_bucket without an `le` label"),
                });
                continue;
            };
            let Some(bound) = parse_value(le) else {
                problems.push(Problem {
                    line: s.line,
                    message: format!("{name}_bucket le=\"{le}\" is not a number"),
                });
                continue;
            };
            series
                .entry(others)
                .or_default()
                .push((bound, s.value, s.line));
        } else if s.name == format!("{name}_count") {
            counts.insert(others, s.value);
        } else if s.name == *name {
            problems.push(Problem {
                line: s.line,
                message: format!(
                    "histogram {name} has a bare sample (expected _bucket, _sum, _count)"
                ),
            });
        }
    }
    for (labels, mut buckets) in series {
        buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
        let last = buckets.last().copied();
        for w in buckets.windows(2) {
            if w[1].1 < w[0].1 {
                problems.push(Problem {
                    line: w[1].2,
                    message: format!(
                        "{name}_bucket is not cumulative: le={} holds {} < {} at le={}",
                        w[1].0, w[1].1, w[0].1, w[0].0
                    ),
                });
            }
        }
        match last {
            Some((b, v, line)) if b == f64::INFINITY => {
                if let Some(c) = counts.get(&labels)
                    && *c != v
                {
                    problems.push(Problem {
                        line,
                        message: format!(
                            "{name}_bucket{{le=\"+Inf\"}} is {v} but {name}_count is {c}"
                        ),
                    });
                }
            }
            Some((_, _, line)) => problems.push(Problem {
                line,
                message: format!("histogram {name} has no le=\"+Inf\" bucket"),
            }),
            None => {}
        }
    }
}

fn short(s: &str) -> String {
    let mut t: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        t.push('…');
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000

# Escaping in label values:
msdos_file_access_time_seconds{path="C:\\DIR\\FILE.TXT",error="Cannot find file:\n\"FILE.TXT\""} 1.458255915e9

# Minimalistic line:
metric_without_timestamp_and_labels 12.47

# A weird metric from before the epoch:
something_weird{problem="division by zero"} +Inf -3982045

# HELP http_request_duration_seconds A histogram of the request duration.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.05"} 24054
http_request_duration_seconds_bucket{le="0.1"} 33444
http_request_duration_seconds_bucket{le="0.2"} 100392
http_request_duration_seconds_bucket{le="+Inf"} 144320
http_request_duration_seconds_sum 53423
http_request_duration_seconds_count 144320

# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile="0.5"} 4773
rpc_duration_seconds{quantile="0.99"} 76656
rpc_duration_seconds_sum 1.7560473e+07
rpc_duration_seconds_count 2693
"#;

    #[test]
    fn the_reference_example_parses() {
        let e = parse(GOOD).unwrap();
        assert_eq!(e.families["http_requests_total"].samples.len(), 2);
        assert_eq!(e.families["http_request_duration_seconds"].samples.len(), 6);
        let ms = &e.families["msdos_file_access_time_seconds"].samples[0];
        assert_eq!(ms.labels[0].1, r"C:\DIR\FILE.TXT");
        assert_eq!(ms.labels[1].1, "Cannot find file:\n\"FILE.TXT\"");
        assert_eq!(
            e.families["something_weird"].samples[0].value,
            f64::INFINITY
        );
        assert!(e.has("http_request_duration_seconds_bucket"));
        assert!(e.has("rpc_duration_seconds"));
    }

    #[test]
    fn broken_expositions_name_the_line() {
        let cases = [
            ("x{a=\"b\" 1\n", "closed by `}`"),
            ("x{a=\"b} 1\n", "not closed"),
            ("x{a=b} 1\n", "not quoted"),
            ("x 1\n# TYPE x counter\n", "after its samples"),
            ("# TYPE x countr\nx 1\n", "unknown type"),
            ("x{a=\"\\q\"} 1\n", "unknown escape"),
            ("9x 1\n", "not a valid metric name"),
            ("x abc\n", "not a number"),
            ("x{a=\"1\",a=\"2\"} 1\n", "appears twice"),
            (
                "# TYPE h histogram\nh_bucket{le=\"1\"} 5\nh_bucket{le=\"2\"} 3\nh_bucket{le=\"+Inf\"} 5\nh_count 5\n",
                "not cumulative",
            ),
            (
                "# TYPE h histogram\nh_bucket{le=\"1\"} 5\nh_count 5\n",
                "no le=\"+Inf\"",
            ),
            (
                "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 5\nh_count 6\n",
                "but h_count is 6",
            ),
            ("# TYPE s summary\ns 3\n", "without a `quantile`"),
            ("# TYPE c counter\nc -1\n", "negative"),
        ];
        for (text, want) in cases {
            let e = parse(text).expect_err(text);
            assert!(
                e.iter().any(|p| p.message.contains(want)),
                "{text:?}: {e:?} lacks {want}"
            );
        }
        let e = parse("ok 1\nbad{ 1\n").unwrap_err();
        assert_eq!(e[0].line, 2);
    }

    #[test]
    fn openmetrics_eof_is_accepted() {
        assert!(parse("# TYPE a gauge\na 1\n# EOF\n").is_ok());
        assert!(parse("a 1\n# EOF\nb 2\n").is_err());
    }
}
