//! The binder's measuring stick: a labelled corpus of checklist wordings
//! (`tests/wording/*.md`, one file per writing style) is parsed and bound exactly as a user's
//! checklist would be, and the bindings are scored against the labels.
//!
//! Each item carries one label at the end of its line:
//! `<!-- expect: docker.non-root-user, docker.healthcheck -->`, optionally with `+person`
//! (part of the item needs a human), `<!-- expect: person -->` (wholly human) or
//! `<!-- expect: none -->` (not a claim anything could check). Expected parameters are
//! written `check.id{name=value, other=value}` and only the ones written are compared.
//!
//! Run with `cargo test --release -p gonogo-checks --test wording_corpus -- --nocapture` to
//! see the tables; the same figures go to `target/wording-corpus.json`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use gonogo_engine::bind::bind_all;
use gonogo_engine::catalogue::{Catalogue, parse_param};
use gonogo_engine::config::Config;
use gonogo_engine::model::Checklist;
use gonogo_engine::parse::parse_file;
use serde_json::{Value, json};

/// What a team tells gonogo once, in `gonogo.toml`: values no checklist item states (where
/// backups are written, how a restore runs). With them, "Backups fresh" binds to
/// `backup.fresh`; without them, the same item is declined, saying which value is missing —
/// the wording was understood either way, and that is what the corpus measures.
const TEAM_SETTINGS: &str = r#"
[checks."backup.fresh"]
path = "/var/backups/db"

[checks."backup.restore-tested"]
restore = "./scripts/restore-latest.sh scratch"
verify = "psql scratch -Atc 'select count(*) from orders'"

[checks."load.latency-under-load"]
max_ms = 500
"#;

/// Floors, set a little below what the binder measured when the corpus was written. Raise
/// them as the binder improves; never lower them to let a regression through.
/// Measured at 98.0% precision, 83.2% recall, 82.1% exact, 0.6% human bound (session 6).
const MIN_PAIR_PRECISION: f64 = 0.96;
const MIN_PAIR_RECALL: f64 = 0.80;
/// Automatable items whose bound set is exactly the expected set.
const MIN_ITEMS_EXACT: f64 = 0.78;
/// Wholly human items that got a binding, as a share of all wholly human items.
const MAX_HUMAN_BOUND_SHARE: f64 = 0.02;

/// Size of the corpus, so that it cannot quietly shrink.
const MIN_ITEMS: usize = 2_000;
const MIN_STYLES: usize = 10;
/// Every catalogue check must be expected by at least this many items.
const MIN_LABELS_PER_CHECK: usize = 8;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wording")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
            crate_dir.ancestors().nth(2).unwrap().join("target")
        })
}

/// One expected check, with the parameters the label insists on.
#[derive(Debug, Clone)]
struct Expected {
    id: String,
    params: BTreeMap<String, Value>,
}

#[derive(Debug, Clone)]
struct Label {
    checks: Vec<Expected>,
    /// `+person` or `person`: some or all of the item needs a human.
    person: bool,
}

impl Label {
    fn is_human(&self) -> bool {
        self.checks.is_empty()
    }
}

/// Split at commas that are not inside `{…}`.
fn split_top(s: &str) -> Vec<&str> {
    let (mut out, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// Parse the inside of an `expect:` comment; errors name what is wrong.
fn parse_label(body: &str, catalogue: &Catalogue) -> Result<Label, String> {
    let mut person = false;
    let mut checks = Vec::new();
    let mut words = Vec::new();
    for word in body.split_whitespace() {
        if word == "+person" {
            person = true;
        } else {
            words.push(word);
        }
    }
    let rest = words.join(" ");
    for tok in split_top(&rest).into_iter().map(str::trim) {
        match tok {
            "" => return Err("empty entry".into()),
            "none" => {}
            "person" => person = true,
            _ => {
                let (id, raw_params) = match tok.split_once('{') {
                    Some((id, p)) => (id.trim(), Some(p.strip_suffix('}').ok_or("unclosed `{`")?)),
                    None => (tok, None),
                };
                let check = catalogue
                    .get(id)
                    .ok_or_else(|| format!("`{id}` is not a check of the catalogue"))?;
                let mut params = BTreeMap::new();
                for kv in raw_params.into_iter().flat_map(split_top) {
                    let (k, v) = kv
                        .split_once('=')
                        .ok_or_else(|| format!("`{kv}` is not name=value"))?;
                    let (k, v) = (k.trim(), v.trim());
                    let spec = check
                        .meta()
                        .params
                        .iter()
                        .find(|s| s.name == k)
                        .ok_or_else(|| format!("{id} has no parameter `{k}`"))?;
                    // Lists are written `a|b` in labels, since commas separate the checks.
                    params.insert(k.to_string(), parse_param(spec, &v.replace('|', ","))?);
                }
                checks.push(Expected {
                    id: id.to_string(),
                    params,
                });
            }
        }
    }
    let has_none = split_top(&rest).iter().any(|t| t.trim() == "none");
    if has_none && (person || !checks.is_empty()) {
        return Err("`none` stands alone".into());
    }
    if checks.iter().map(|c| &c.id).collect::<BTreeSet<_>>().len() != checks.len() {
        return Err("a check is named twice".into());
    }
    Ok(Label { checks, person })
}

/// Parameter values agree; lists are compared as sets (their order says nothing).
fn same_value(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Array(a), Value::Array(b)) => {
            let set = |v: &Vec<Value>| v.iter().map(|x| x.to_string()).collect::<BTreeSet<_>>();
            set(a) == set(b)
        }
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
        _ => want == got,
    }
}

/// One labelled item and what the binder made of it.
struct Scored {
    style: String,
    line: usize,
    text: String,
    label: Label,
    /// None when the parser found no task item on the labelled line (e.g. a table row).
    parsed: bool,
    bound: Vec<(String, BTreeMap<String, Value>)>,
    /// Why the binder left the item to a person, when it says.
    manual_reason: Option<String>,
}

impl Scored {
    /// Expected checks the binder got right, parameters included.
    fn right(&self) -> BTreeSet<&str> {
        self.label
            .checks
            .iter()
            .filter(|e| {
                self.bound.iter().any(|(id, params)| {
                    *id == e.id
                        && e.params
                            .iter()
                            .all(|(k, v)| params.get(k).is_some_and(|g| same_value(v, g)))
                })
            })
            .map(|e| e.id.as_str())
            .collect()
    }

    fn bound_ids(&self) -> BTreeSet<&str> {
        self.bound.iter().map(|(id, _)| id.as_str()).collect()
    }

    fn exact(&self) -> bool {
        let right = self.right();
        right.len() == self.label.checks.len() && self.bound_ids().len() == right.len()
    }
}

#[derive(Default, Clone, Copy)]
struct Tally {
    expected: usize,
    bound: usize,
    right: usize,
    /// Expected but unbound, and the binder's reason for leaving it to a person names the
    /// check (it recognised the item but needs configuration, such as a backup path).
    asked: usize,
}

impl Tally {
    fn precision(&self) -> f64 {
        ratio(self.right, self.bound)
    }
    fn recall(&self) -> f64 {
        ratio(self.right, self.expected)
    }
    fn json(&self) -> Value {
        json!({
            "expected": self.expected, "bound": self.bound, "right": self.right, "asked": self.asked,
            "precision": self.precision(), "recall": self.recall(),
        })
    }
}

/// A share; an empty denominator counts as perfect (nothing could go wrong).
fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 1.0 } else { n as f64 / d as f64 }
}

/// Read, label, clean, parse and bind every corpus file. Label errors are collected, not
/// fatal at once, so that one run lists every typo.
fn score(catalogue: &Catalogue) -> (Vec<Scored>, Vec<String>) {
    let label_re = regex::Regex::new(r"\s*<!--\s*expect:(.*?)-->").unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("the wording corpus folder")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let tmp = tempfile::tempdir().unwrap();
    let mut errors = Vec::new();
    let mut checklists = Vec::new();
    let mut labels = Vec::new();
    for f in &files {
        let style = f.file_stem().unwrap().to_string_lossy().into_owned();
        let src = std::fs::read_to_string(f).unwrap();
        let mut cleaned = String::new();
        let mut by_line = BTreeMap::new();
        for (i, line) in src.lines().enumerate() {
            let caps: Vec<_> = label_re.captures_iter(line).collect();
            if caps.len() > 1 {
                errors.push(format!("{style}.md:{}: more than one label", i + 1));
            }
            if let Some(c) = caps.first() {
                match parse_label(&c[1], catalogue) {
                    Ok(l) => {
                        by_line.insert(i + 1, l);
                    }
                    Err(e) => errors.push(format!("{style}.md:{}: {e}", i + 1)),
                }
            }
            // The parser must see a checklist without the labels, line for line.
            cleaned.push_str(label_re.replace_all(line, "").trim_end());
            cleaned.push('\n');
        }
        let path = tmp.path().join(format!("{style}.md"));
        std::fs::write(&path, &cleaned).unwrap();
        // A file whose every item the parser misses is no error here: its items score as
        // unbound.
        let cl = match parse_file(&path, &format!("{style}.md")) {
            Ok(out) => out.checklist,
            Err(e) if e.to_string().contains("has no task items") => Checklist {
                path: format!("{style}.md"),
                file: None,
                source: cleaned.clone(),
                title: style.clone(),
                items: Vec::new(),
                sections: Vec::new(),
            },
            Err(e) => panic!("{style}.md: {e}"),
        };
        let lines: Vec<String> = cleaned.lines().map(str::to_string).collect();
        for item in &cl.items {
            if !by_line.contains_key(&item.line) {
                errors.push(format!(
                    "{style}.md:{}: item has no label: {}",
                    item.line, item.display_text
                ));
            }
        }
        labels.push((style, by_line, lines));
        checklists.push(cl);
    }
    let team = Config::parse(TEAM_SETTINGS, "gonogo.toml").expect("team settings");
    let bindings = bind_all(&checklists, catalogue, &team).expect("binding");
    let mut scored = Vec::new();
    for ((cl, bound), (style, by_line, lines)) in checklists.iter().zip(&bindings).zip(labels) {
        let by_item: BTreeMap<usize, usize> = cl
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.line, i))
            .collect();
        for (line, label) in by_line {
            let idx = by_item.get(&line);
            let text = match idx {
                Some(&i) => cl.items[i].display_text.clone(),
                None => lines[line - 1].trim().to_string(),
            };
            let manual_reason = idx.and_then(|&i| bound[i].manual_reason.clone());
            let bound = idx
                .map(|&i| {
                    bound[i]
                        .bindings
                        .iter()
                        .map(|b| {
                            let params = b.params.iter().map(|(k, v)| (k.clone(), v.clone()));
                            (b.check.id.to_string(), params.collect())
                        })
                        .collect()
                })
                .unwrap_or_default();
            scored.push(Scored {
                style: style.clone(),
                line,
                text,
                label,
                parsed: idx.is_some(),
                bound,
                manual_reason,
            });
        }
    }
    (scored, errors)
}

fn pct(x: f64) -> String {
    format!("{:5.1}%", x * 100.0)
}

#[test]
fn wording_corpus() {
    let catalogue = gonogo_checks::catalogue();
    let (scored, errors) = score(&catalogue);
    assert!(
        errors.is_empty(),
        "{} corpus error(s):\n{}",
        errors.len(),
        errors.join("\n")
    );

    let mut per_check: BTreeMap<String, Tally> = catalogue
        .iter()
        .map(|c| (c.meta().id.to_string(), Tally::default()))
        .collect();
    let mut per_style: BTreeMap<&str, (Tally, usize, usize)> = BTreeMap::new();
    let mut overall = Tally::default();
    let (mut auto_items, mut auto_exact, mut human_items, mut human_bound) = (0, 0, 0, 0);
    let (mut partly_human, mut unparsed) = (0, 0);
    let mut misses = Vec::new();
    for s in &scored {
        let right = s.right();
        let bound = s.bound_ids();
        let style = per_style.entry(&s.style).or_default();
        for e in &s.label.checks {
            per_check.get_mut(&e.id).unwrap().expected += 1;
        }
        for id in &bound {
            // A bound check is wrong unless it is expected with matching parameters.
            per_check.entry(id.to_string()).or_default().bound += 1;
        }
        for id in &right {
            per_check.get_mut(*id).unwrap().right += 1;
        }
        if let Some(reason) = &s.manual_reason {
            for e in &s.label.checks {
                if !right.contains(e.id.as_str()) && reason.contains(e.id.as_str()) {
                    per_check.get_mut(&e.id).unwrap().asked += 1;
                }
            }
        }
        let t = Tally {
            expected: s.label.checks.len(),
            bound: bound.len(),
            right: right.len(),
            asked: 0,
        };
        for agg in [&mut overall, &mut style.0] {
            agg.expected += t.expected;
            agg.bound += t.bound;
            agg.right += t.right;
        }
        unparsed += usize::from(!s.parsed);
        partly_human += usize::from(s.label.person && !s.label.is_human());
        if s.label.is_human() {
            human_items += 1;
            human_bound += usize::from(!bound.is_empty());
        } else {
            auto_items += 1;
            style.1 += 1;
            if s.exact() {
                auto_exact += 1;
                style.2 += 1;
            }
        }
        if !s.exact() {
            misses.push(json!({
                "style": s.style, "line": s.line, "text": s.text, "parsed": s.parsed,
                "expected": s.label.checks.iter().map(|e| {
                    if e.params.is_empty() { e.id.clone() }
                    else { format!("{}{}", e.id, json!(e.params)) }
                }).collect::<Vec<_>>(),
                "person": s.label.person,
                "bound": s.bound.iter().map(|(id, p)| json!({"check": id, "params": p})).collect::<Vec<_>>(),
                "manual_reason": s.manual_reason,
            }));
        }
    }
    let items_exact = ratio(auto_exact, auto_items);
    let human_share = ratio(human_bound, human_items);

    eprintln!(
        "\nwording corpus: per check, worst recall first (asked: unbound, but the binder's reason names the check)"
    );
    eprintln!(
        "{:<40} {:>8} {:>6} {:>6} {:>10} {:>7} {:>6}",
        "check", "expected", "bound", "right", "precision", "recall", "asked"
    );
    let mut rows: Vec<_> = per_check.iter().collect();
    rows.sort_by(|a, b| {
        (a.1.recall(), a.1.precision())
            .partial_cmp(&(b.1.recall(), b.1.precision()))
            .unwrap()
            .then(a.0.cmp(b.0))
    });
    for (id, t) in &rows {
        eprintln!(
            "{:<40} {:>8} {:>6} {:>6} {:>10} {:>7} {:>6}",
            id,
            t.expected,
            t.bound,
            t.right,
            pct(t.precision()),
            pct(t.recall()),
            t.asked
        );
    }
    eprintln!("\nper style");
    eprintln!(
        "{:<22} {:>8} {:>6} {:>6} {:>10} {:>7} {:>12}",
        "style", "expected", "bound", "right", "precision", "recall", "items exact"
    );
    for (style, (t, n, ok)) in &per_style {
        eprintln!(
            "{:<22} {:>8} {:>6} {:>6} {:>10} {:>7} {:>12}",
            style,
            t.expected,
            t.bound,
            t.right,
            pct(t.precision()),
            pct(t.recall()),
            format!("{ok}/{n}")
        );
    }
    eprintln!(
        "\noverall: {} items in {} styles ({} automatable, {} partly human, {} wholly human; {} labelled lines the parser saw no item on)",
        scored.len(),
        per_style.len(),
        auto_items,
        partly_human,
        human_items,
        unparsed
    );
    eprintln!(
        "  pair precision {} ({}/{})   pair recall {} ({}/{})",
        pct(overall.precision()),
        overall.right,
        overall.bound,
        pct(overall.recall()),
        overall.right,
        overall.expected
    );
    eprintln!(
        "  automatable items bound exactly right {} ({auto_exact}/{auto_items})   wholly human items wrongly bound {} ({human_bound}/{human_items})",
        pct(items_exact),
        pct(human_share),
    );

    let report = json!({
        "items": scored.len(),
        "styles": per_style.len(),
        "automatable_items": auto_items,
        "partly_human_items": partly_human,
        "human_items": human_items,
        "unparsed_items": unparsed,
        "overall": overall.json(),
        "items_exact": {"right": auto_exact, "of": auto_items, "share": items_exact},
        "human_wrongly_bound": {"bound": human_bound, "of": human_items, "share": human_share},
        "per_check": per_check.iter().map(|(k, t)| (k.clone(), t.json())).collect::<serde_json::Map<_, _>>(),
        "per_style": per_style.iter().map(|(k, (t, n, ok))| {
            let mut v = t.json();
            v["items_exact"] = json!({"right": ok, "of": n});
            (k.to_string(), v)
        }).collect::<serde_json::Map<_, _>>(),
        "misses": misses,
    });
    let out = target_dir().join("wording-corpus.json");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(&out, serde_json::to_string_pretty(&report).unwrap()).unwrap();
    eprintln!("  figures and every miss: {}", out.display());

    // The corpus itself.
    assert!(scored.len() >= MIN_ITEMS, "{} labelled items", scored.len());
    assert!(per_style.len() >= MIN_STYLES, "{} styles", per_style.len());
    let thin: Vec<String> = per_check
        .iter()
        .filter(|(_, t)| t.expected < MIN_LABELS_PER_CHECK)
        .map(|(id, t)| format!("{id} ({})", t.expected))
        .collect();
    assert!(
        thin.is_empty(),
        "checks expected by fewer than {MIN_LABELS_PER_CHECK} items: {}",
        thin.join(", ")
    );

    // The binder.
    assert!(
        overall.precision() >= MIN_PAIR_PRECISION,
        "pair precision {} fell below {MIN_PAIR_PRECISION}",
        overall.precision()
    );
    assert!(
        overall.recall() >= MIN_PAIR_RECALL,
        "pair recall {} fell below {MIN_PAIR_RECALL}",
        overall.recall()
    );
    assert!(
        items_exact >= MIN_ITEMS_EXACT,
        "items bound exactly right {items_exact} fell below {MIN_ITEMS_EXACT}"
    );
    assert!(
        human_share <= MAX_HUMAN_BOUND_SHARE,
        "wholly human items bound {human_share} rose above {MAX_HUMAN_BOUND_SHARE}"
    );
}

#[test]
fn labels_are_strict() {
    let catalogue = gonogo_checks::catalogue();
    let ok = |s: &str| parse_label(s, &catalogue);
    assert!(ok(" docker.non-root-user, docker.healthcheck ").is_ok());
    assert!(ok(" docs.runbook +person ").unwrap().person);
    assert!(ok(" person ").unwrap().is_human());
    assert!(ok(" none ").unwrap().is_human());
    let l = ok(" load.latency-under-load{percentile=95, max_ms=200} ").unwrap();
    assert_eq!(l.checks[0].params.len(), 2);
    // A typo in an id or a parameter name must fail, or the corpus silently scores wrong.
    assert!(ok(" docker.non-root ").is_err());
    assert!(ok(" load.latency-under-load{p95_ms=200} ").is_err());
    assert!(ok(" none, docs.readme ").is_err());
    assert!(ok(" docs.readme, docs.readme ").is_err());
}
