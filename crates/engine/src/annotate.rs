//! `gonogo map --annotate`: the automatic bindings of a checklist written back into it as
//! `<!-- gonogo: CHECK key=value -->` annotations, so a team reviews them in a pull request and
//! they stay as they are when a later gonogo binds the wording differently.
//!
//! Only bytes are inserted (at the end of each item's own text line); nothing else changes.
//! Every insertion is proved before it is kept: the annotated text is parsed and bound again,
//! and an item whose annotation would not give back exactly its bindings (a value the
//! annotation syntax cannot carry, a binder that answers differently once asked directly) is
//! left as it was, with the reason.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::bind::{BindSource, Binding, ItemBindings, bind_all};
use crate::catalogue::{Catalogue, CheckMeta, ParamKind, ParamSpec, Params, parse_param};
use crate::config::Config;
use crate::error::InputError;
use crate::model::{Checklist, Item};
use crate::parse::parse_str;

/// The result for one checklist.
#[derive(Debug, Clone)]
pub struct Annotated {
    /// The new text (equal to the source when nothing was annotated).
    pub text: String,
    /// Indices (in `Checklist::items`) of the items that were annotated.
    pub annotated: Vec<usize>,
    /// Items with automatic bindings that were not annotated, and why.
    pub refused: Vec<(usize, String)>,
}

/// Annotate every item of `cl` whose bindings came from automatic binding.
///
/// `bindings` are `cl`'s as `bind_all` gave them with this catalogue and config; they are
/// bound again on the annotated text to prove each annotation.
pub fn annotate(
    cl: &Checklist,
    bindings: &[ItemBindings],
    catalogue: &Catalogue,
    config: &Config,
) -> Result<Annotated, InputError> {
    let mut refused = Vec::new();
    let mut planned: BTreeMap<usize, String> = BTreeMap::new();
    for (i, b) in bindings.iter().enumerate().take(cl.items.len()) {
        // Annotated or `[[bind]]` items already say what they bind; unbound items stay manual
        // without being told.
        if b.bindings.is_empty() || b.bindings.iter().any(|x| x.source != BindSource::Auto) {
            continue;
        }
        match annotation_text(b) {
            Ok(text) => {
                planned.insert(i, text);
            }
            Err(why) => refused.push((i, why)),
        }
    }
    // Prove, and drop what does not hold, until everything kept holds. Items bind
    // independently, so this ends after one more round in practice.
    loop {
        if planned.is_empty() {
            return Ok(Annotated {
                text: cl.source.clone(),
                annotated: Vec::new(),
                refused: sorted(refused),
            });
        }
        let text = insert(cl, &planned);
        let again = parse_str(&text, &cl.path)?.checklist;
        let rebound = bind_all(std::slice::from_ref(&again), catalogue, config)?;
        let rebound = rebound.into_iter().next().unwrap_or_default();
        let mut failed = Vec::new();
        for &i in planned.keys() {
            if let Err(why) = same(&cl.items[i], &bindings[i], &again.items, &rebound, i) {
                failed.push((i, why));
            }
        }
        if failed.is_empty() {
            return Ok(Annotated {
                text,
                annotated: planned.into_keys().collect(),
                refused: sorted(refused),
            });
        }
        for (i, why) in failed {
            planned.remove(&i);
            refused.push((i, why));
        }
    }
}

fn sorted(mut v: Vec<(usize, String)>) -> Vec<(usize, String)> {
    v.sort_by_key(|r| r.0);
    v
}

/// The annotations for one item's bindings: one per check, in binding order, and `manual`
/// when part of the item is left to a person.
fn annotation_text(b: &ItemBindings) -> Result<String, String> {
    // A check bound several times (one binding per endpoint, per command…) gets one
    // annotation: binding from an annotation asks the check's binder and applies the written
    // parameters to each binding it proposes, so only what all of them share is written.
    let mut by_check: Vec<(&'static CheckMeta, Vec<&Params>)> = Vec::new();
    for x in &b.bindings {
        match by_check.iter_mut().find(|(m, _)| m.id == x.check.id) {
            Some((_, ps)) => ps.push(&x.params),
            None => by_check.push((x.check, vec![&x.params])),
        }
    }
    let mut out = Vec::new();
    for (meta, params) in by_check {
        let mut words = vec![meta.id.to_string()];
        for spec in meta.params {
            let Some(v) = params[0].get(spec.name) else {
                continue;
            };
            if params[1..]
                .iter()
                .any(|p| !p.get(spec.name).is_some_and(|w| equal(v, w)))
            {
                continue;
            }
            let default = spec.default.and_then(|d| parse_param(spec, d).ok());
            if default.as_ref().is_some_and(|d| equal(v, d)) {
                continue;
            }
            // Judged before anything else, so no message ever repeats a credential.
            if v.as_str().is_some_and(looks_like_a_secret)
                || v.as_array()
                    .is_some_and(|a| a.iter().filter_map(Value::as_str).any(looks_like_a_secret))
            {
                return Err(secret(spec, meta));
            }
            let written = format_value(spec, v)?;
            let word = format!("{}={}", spec.name, quote(&written));
            if looks_like_a_secret(&word) {
                return Err(secret(spec, meta));
            }
            words.push(word);
        }
        out.push(format!("<!-- gonogo: {} -->", words.join(" ")));
    }
    if b.manual_reason.is_some() {
        out.push("<!-- gonogo: manual -->".into());
    }
    Ok(out.join(" "))
}

fn secret(spec: &ParamSpec, meta: &CheckMeta) -> String {
    format!(
        "the value of `{}` for `{}` looks like a credential, and gonogo never writes one into a file",
        spec.name, meta.id
    )
}

fn looks_like_a_secret(s: &str) -> bool {
    crate::redact::redact(s) != s
}

/// A parameter value as an annotation writes it, such that `parse_param` reads it back.
fn format_value(spec: &ParamSpec, v: &Value) -> Result<String, String> {
    let cannot = || {
        format!(
            "the value of `{}` cannot be written in an annotation (wrong type, or a list value with a comma)",
            spec.name
        )
    };
    let text = match (spec.kind, v) {
        (ParamKind::Integer | ParamKind::Number, Value::Number(n)) => n.to_string(),
        (ParamKind::DurationMs, Value::Number(n)) => {
            format!("{}ms", n.as_u64().ok_or_else(cannot)?)
        }
        (ParamKind::Bool, Value::Bool(b)) => b.to_string(),
        (ParamKind::Text, Value::String(s)) => s.clone(),
        (ParamKind::TextList, Value::Array(a)) => {
            let parts: Option<Vec<&str>> = a.iter().map(Value::as_str).collect();
            let parts = parts.ok_or_else(cannot)?;
            // The list is written comma-separated; a comma inside a value would split it.
            if parts
                .iter()
                .any(|p| p.contains(',') || p.trim() != *p || p.is_empty())
            {
                return Err(cannot());
            }
            parts.join(",")
        }
        _ => return Err(cannot()),
    };
    // An annotation is an HTML comment on one line; its words are split on white space and
    // runs of it collapsed, so such values would not come back as they were.
    let collapsed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed != text {
        return Err(format!(
            "the value of `{}` spans several lines or has runs of spaces, which an annotation (one line) cannot keep",
            spec.name
        ));
    }
    if text.contains("-->") || text.contains("--!>") {
        return Err(format!(
            "the value of `{}` holds `-->`, which would end the annotation's comment",
            spec.name
        ));
    }
    Ok(text)
}

/// A word of the annotation parser: bare when it can be, else quoted so that splitting it
/// gives the value back (the parser groups '…' and "…", and `\` escapes inside "…").
fn quote(value: &str) -> String {
    let plain = !value.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '\'');
    if plain {
        value.to_string()
    } else if !value.contains('"') && !value.contains('\\') {
        format!("\"{value}\"")
    } else if !value.contains('\'') {
        format!("'{value}'")
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// Numbers compare by value: `90` from a binder and `90.0` read back are the same threshold.
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn same_params(a: &Params, b: &Params) -> bool {
    a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| equal(v, w)))
}

/// Whether item `i`, annotated, binds as it did: the same checks with the same parameters,
/// all from its annotations, the same id and wording, and still partly manual if it was.
fn same(
    before: &Item,
    was: &ItemBindings,
    items: &[Item],
    rebound: &[ItemBindings],
    i: usize,
) -> Result<(), String> {
    let (Some(after), Some(now)) = (items.get(i), rebound.get(i)) else {
        return Err("the annotated checklist no longer has this item".into());
    };
    if after.id != before.id || after.text != before.text {
        return Err("the annotation would change the item's wording or id".into());
    }
    let matches =
        |a: &Binding, b: &Binding| a.check.id == b.check.id && same_params(&a.params, &b.params);
    if now
        .bindings
        .iter()
        .any(|b| b.source != BindSource::Annotation)
    {
        return Err("the annotation is not read as part of the item here".into());
    }
    if now.bindings.len() != was.bindings.len()
        || !now
            .bindings
            .iter()
            .zip(&was.bindings)
            .all(|(a, b)| matches(a, b))
    {
        return Err(
            "its check's binder proposes different bindings when named in an annotation, so an annotation would not keep them"
                .into(),
        );
    }
    if now.manual_reason.is_some() != was.manual_reason.is_some() {
        return Err("the annotation would change whether a person must sign part of it".into());
    }
    Ok(())
}

/// The source with each planned annotation inserted at the end of its item's text line,
/// before a status note left there by the Markdown report (which that report replaces).
fn insert(cl: &Checklist, planned: &BTreeMap<usize, String>) -> String {
    let src = cl.source.as_str();
    let mut edits: Vec<(usize, String)> = planned
        .iter()
        .map(|(&i, text)| {
            let at = insertion_point(src, cl.items[i].note_at);
            let glue = if src[..at].ends_with([' ', '\t']) {
                ""
            } else {
                " "
            };
            (at, format!("{glue}{text}"))
        })
        .collect();
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(src.len() + edits.iter().map(|e| e.1.len()).sum::<usize>());
    let mut last = 0;
    for (at, text) in edits {
        out.push_str(&src[last..at]);
        out.push_str(&text);
        last = at;
    }
    out.push_str(&src[last..]);
    out
}

/// Where on the item's line to insert: its end, or the start of a trailing status note.
fn insertion_point(src: &str, note_at: usize) -> usize {
    const STATUS: &str = " <!-- gonogo-status: ";
    let line_start = src[..note_at].rfind('\n').map_or(0, |i| i + 1);
    let line = &src[line_start..note_at];
    match line.rfind(STATUS) {
        Some(i) if line[i..].trim_end().ends_with("-->") && !line[i + 4..].contains("<!--") => {
            line_start + i
        }
        _ => note_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(kind: ParamKind) -> ParamSpec {
        ParamSpec {
            name: "p",
            kind,
            default: None,
            required: false,
            doc: "",
        }
    }

    #[test]
    fn values_read_back_as_written() {
        let cases: Vec<(ParamKind, Value)> = vec![
            (ParamKind::Integer, Value::from(42)),
            (ParamKind::Number, Value::from(99.9)),
            (ParamKind::Number, Value::from(90)),
            (ParamKind::DurationMs, Value::from(1500)),
            (ParamKind::Bool, Value::from(false)),
            (ParamKind::Text, Value::from("./scripts/test.sh")),
            (ParamKind::Text, Value::from("40+ tests passing")),
            (ParamKind::Text, Value::from(r#"{"status": "ok"}"#)),
            (ParamKind::Text, Value::from(r#"it's "quoted" \ here"#)),
            (ParamKind::Text, Value::from("a=b")),
            (ParamKind::Text, Value::from("")),
            (ParamKind::TextList, Value::from(vec!["/health", "/ready"])),
        ];
        for (kind, v) in cases {
            let s = spec(kind);
            let written = format_value(&s, &v).unwrap();
            let word = quote(&written);
            let read = unquote(&word);
            let back = parse_param(&s, &read).unwrap();
            assert!(equal(&back, &v), "{v} → {word} → {back}");
        }
    }

    /// The annotation parser's word splitting (bind/annotation.rs), for one word.
    fn unquote(word: &str) -> String {
        let mut out = String::new();
        let mut chars = word.chars();
        while let Some(c) = chars.next() {
            if c == '"' || c == '\'' {
                while let Some(q) = chars.next() {
                    match q {
                        q if q == c => break,
                        '\\' if c == '"' => out.extend(chars.next()),
                        other => out.push(other),
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn values_an_annotation_cannot_carry_are_refused() {
        let s = spec(ParamKind::Text);
        for bad in ["two  spaces", "line\nbreak", " padded", "a --> b"] {
            assert!(format_value(&s, &Value::from(bad)).is_err(), "{bad:?}");
        }
        let l = spec(ParamKind::TextList);
        assert!(format_value(&l, &Value::from(vec!["a,b"])).is_err());
    }

    #[test]
    fn credentials_are_recognised() {
        // Built at run time, so this file holds nothing shaped like a credential.
        let url = format!("curl https://deploy:{}@example.com/", "pw".repeat(5));
        assert!(looks_like_a_secret(&url));
        let token = format!("ghp_{}", "a1".repeat(18));
        assert!(looks_like_a_secret(&token));
        assert!(!looks_like_a_secret("./scripts/test.sh"));
    }

    static META: CheckMeta = CheckMeta {
        id: "docs.readme",
        title: "README",
        target: crate::catalogue::TargetKind::Repository,
        params: &[ParamSpec {
            name: "sections",
            kind: ParamKind::TextList,
            default: Some("installation,usage"),
            required: false,
            doc: "",
        }],
        docs: crate::catalogue::CheckDocs {
            what: "",
            why: "",
            fix: "",
            example: "",
            binds: &[],
            not_binds: &[],
        },
    };

    fn binding(params: &[(&str, Value)]) -> Binding {
        Binding {
            check: &META,
            params: params
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            reason: String::new(),
            source: BindSource::Auto,
        }
    }

    #[test]
    fn partly_manual_items_also_get_manual() {
        let b = ItemBindings {
            bindings: vec![binding(&[(
                "sections",
                Value::from(vec!["installation", "usage", "api"]),
            )])],
            manual_reason: Some("the on-call part is a person's".into()),
            ..ItemBindings::default()
        };
        assert_eq!(
            annotation_text(&b).unwrap(),
            "<!-- gonogo: docs.readme sections=installation,usage,api --> <!-- gonogo: manual -->"
        );
    }

    #[test]
    fn one_annotation_per_check_with_only_shared_parameters() {
        let b = ItemBindings {
            bindings: vec![
                binding(&[("sections", Value::from(vec!["a"]))]),
                binding(&[("sections", Value::from(vec!["b"]))]),
            ],
            manual_reason: None,
            ..ItemBindings::default()
        };
        assert_eq!(annotation_text(&b).unwrap(), "<!-- gonogo: docs.readme -->");
        // Defaults are not written.
        let b = ItemBindings {
            bindings: vec![binding(&[(
                "sections",
                Value::from(vec!["installation", "usage"]),
            )])],
            manual_reason: None,
            ..ItemBindings::default()
        };
        assert_eq!(annotation_text(&b).unwrap(), "<!-- gonogo: docs.readme -->");
    }

    #[test]
    fn inserted_before_a_status_note() {
        let src = "- [x] a <!-- gonogo-status: pass -->\n";
        assert_eq!(insertion_point(src, src.len() - 1), 7);
        let src = "- [ ] a  \n";
        assert_eq!(insertion_point(src, 9), 9);
    }
}
