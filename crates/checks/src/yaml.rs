//! YAML as checks read it: multi-document files parsed once per run (saphyr, with positions),
//! with the limits that keep hostile files harmless. saphyr bounds alias expansion ("billion
//! laughs"); nesting is bounded here before parsing, because deep trees exhaust the stack.
//!
//! Note: saphyr does not apply `<<:` merge keys; `get` follows them one level so compose files
//! that share settings through anchors still read as written.

use std::sync::Arc;

use gonogo_engine::context::RunContext;
use saphyr::{MarkedYamlOwned, ScalarOwned, YamlDataOwned, YamlLoader};

/// A YAML node with its position.
pub type Node = MarkedYamlOwned;

/// Deeper nesting than this is refused as hostile or generated.
pub const MAX_DEPTH: usize = 256;

/// A parsed YAML file: its documents (empty ones dropped).
#[derive(Debug)]
pub struct YamlFile {
    pub rel: String,
    pub docs: Vec<Node>,
}

/// Load `rel` once per run; `Err` says why it could not be read or parsed (with its line).
pub fn load(ctx: &RunContext, rel: &str) -> Arc<Result<YamlFile, String>> {
    ctx.cached(rel, || {
        let text = ctx.text(rel);
        let text = match text.as_ref() {
            Ok(t) => t,
            Err(e) => return Err(e.clone()),
        };
        parse(rel, &text.text)
    })
}

/// Parse YAML text (all documents).
pub fn parse(rel: &str, text: &str) -> Result<YamlFile, String> {
    if let Some(line) = too_deep(text) {
        return Err(format!(
            "{rel}:{line}: nested more than {MAX_DEPTH} levels deep; not parsed"
        ));
    }
    let docs = match load_documents(text) {
        Ok(docs) => docs,
        Err(e) => {
            // saphyr holds flow collections to YAML 1.2's indentation rule, which Compose,
            // PyYAML and kubectl do not: a `]` back at its key's column is common in real
            // files. Indentation carries no meaning inside `[...]`/`{...}`, so such lines
            // are moved right (lines keep their numbers) and the file is read again.
            let relaxed = flow_lines_indented(text).and_then(|t| load_documents(&t).ok());
            match relaxed {
                Some(docs) => docs,
                None => {
                    let m = e.marker();
                    return Err(format!("{rel}:{}: invalid YAML: {}", m.line(), e.info()));
                }
            }
        }
    };
    Ok(YamlFile {
        rel: rel.to_string(),
        docs: docs.into_iter().filter(|d| !is_null(d)).collect(),
    })
}

/// The line where flow nesting (`[`/`{`) or block indentation goes past `MAX_DEPTH`.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth: usize = 0;
    for (i, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent / 2 > MAX_DEPTH {
            return Some(i + 1);
        }
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '#') => break,
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some(i + 1);
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

/// Every document of `text`. A key given twice keeps its last value, as PyYAML and kubectl
/// read it (saphyr refuses such files by default, which would turn a file those tools apply
/// into an `error`).
fn load_documents(text: &str) -> Result<Vec<Node>, saphyr::ScanError> {
    let mut loader = YamlLoader::default();
    loader.allow_duplicate_keys(true);
    saphyr_parser::Parser::new_from_str(text).load(&mut loader, true)?;
    match loader.error() {
        Some(e) => Err(e.clone()),
        None => Ok(loader.into_documents()),
    }
}

/// `text` with every line that continues a flow collection (`[`/`{` opened on an earlier
/// line) indented past the column of the bracket that opened it; `None` when no line moves.
fn flow_lines_indented(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut moved = false;
    // Columns of the open brackets; the outermost one sets the indentation lines need.
    let mut open: Vec<usize> = Vec::new();
    for line in text.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        match open.first() {
            Some(&col) if indent <= col && !line.trim().is_empty() => {
                out.extend(std::iter::repeat_n(' ', col + 1 - indent));
                moved = true;
            }
            _ => {}
        }
        out.push_str(line);
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for (col, c) in line.char_indices() {
            match (quote, c) {
                // A quote opens a scalar only where a token starts ("don't" is plain text).
                (None, '"' | '\'') if matches!(prev, ' ' | '[' | '{' | ',' | ':') => {
                    quote = Some(c)
                }
                (Some(q), c) if c == q => quote = None,
                (None, '#') if prev == ' ' || col == 0 => break,
                (None, '[' | '{') => open.push(col),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
            prev = c;
        }
    }
    moved.then_some(out)
}

/// 1-based line of a node.
pub fn line(node: &Node) -> usize {
    node.span.start.line()
}

pub fn is_null(node: &Node) -> bool {
    matches!(
        node.data,
        YamlDataOwned::Value(ScalarOwned::Null) | YamlDataOwned::BadValue
    )
}

/// A scalar as text (strings, numbers and booleans as written in YAML 1.2 terms).
pub fn as_str(node: &Node) -> Option<String> {
    match &node.data {
        YamlDataOwned::Value(ScalarOwned::String(s)) => Some(s.clone()),
        YamlDataOwned::Value(ScalarOwned::Integer(i)) => Some(i.to_string()),
        YamlDataOwned::Value(ScalarOwned::FloatingPoint(f)) => Some(f.to_string()),
        YamlDataOwned::Value(ScalarOwned::Boolean(b)) => Some(b.to_string()),
        YamlDataOwned::Representation(s, _, _) => Some(s.clone()),
        YamlDataOwned::Tagged(_, inner) => as_str(inner),
        _ => None,
    }
}

pub fn as_bool(node: &Node) -> Option<bool> {
    match &node.data {
        YamlDataOwned::Value(ScalarOwned::Boolean(b)) => Some(*b),
        YamlDataOwned::Value(ScalarOwned::String(s)) => match s.as_str() {
            "true" | "True" | "TRUE" => Some(true),
            "false" | "False" | "FALSE" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

pub fn as_i64(node: &Node) -> Option<i64> {
    match &node.data {
        YamlDataOwned::Value(ScalarOwned::Integer(i)) => Some(*i),
        YamlDataOwned::Value(ScalarOwned::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The pairs of a mapping, in file order (empty for other nodes).
pub fn entries(node: &Node) -> Vec<(&Node, &Node)> {
    match &node.data {
        YamlDataOwned::Mapping(m) => m.iter().collect(),
        YamlDataOwned::Tagged(_, inner) => entries(inner),
        _ => Vec::new(),
    }
}

/// The items of a sequence (empty for other nodes).
pub fn items(node: &Node) -> &[Node] {
    match &node.data {
        YamlDataOwned::Sequence(s) => s.as_slice(),
        YamlDataOwned::Tagged(_, inner) => items(inner),
        _ => &[],
    }
}

/// The value under `key` in a mapping, following a `<<:` merge one level.
pub fn get<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    let pairs = entries(node);
    if let Some((_, v)) = pairs
        .iter()
        .find(|(k, _)| as_str(k).as_deref() == Some(key))
    {
        return Some(v);
    }
    let merged = pairs
        .iter()
        .find(|(k, _)| as_str(k).as_deref() == Some("<<"))?
        .1;
    match &merged.data {
        YamlDataOwned::Sequence(s) => s.iter().find_map(|m| get_direct(m, key)),
        _ => get_direct(merged, key),
    }
}

fn get_direct<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    entries(node)
        .into_iter()
        .find(|(k, _)| as_str(k).as_deref() == Some(key))
        .map(|(_, v)| v)
}

/// `get` along a path of keys.
pub fn path<'a>(node: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    keys.iter().try_fold(node, |n, k| get(n, k))
}

pub fn is_mapping(node: &Node) -> bool {
    matches!(node.data, YamlDataOwned::Mapping(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_sequence_closed_at_its_keys_column_reads_as_compose_does() {
        // The shape of a real Compose file: `]` back at the column of `command:`.
        let text = "services:\n  flagd:\n    command: [\n      \"start\",\n      \"--uri\", 'it''s'\n    ]\n    ports: {\n  a: 1\n  }\n    image: x:1 # [not a flow\n";
        let f = parse("compose.yaml", text).unwrap();
        let flagd = path(&f.docs[0], &["services", "flagd"]).unwrap();
        let command: Vec<_> = items(get(flagd, "command").unwrap())
            .iter()
            .filter_map(as_str)
            .collect();
        assert_eq!(command, ["start", "--uri", "it's"]);
        assert_eq!(as_i64(path(flagd, &["ports", "a"]).unwrap()), Some(1));
        assert_eq!(line(get(flagd, "image").unwrap()), 10);
        // A key given twice keeps its last value (PyYAML, kubectl).
        let f = parse("k.yaml", "metadata:\n  name: a\n  name: b\n").unwrap();
        assert_eq!(
            as_str(path(&f.docs[0], &["metadata", "name"]).unwrap()).as_deref(),
            Some("b")
        );
        // A file that is wrong for other reasons still says where.
        let err = parse("bad.yaml", "a: [\n  1,\nb: : :\n").unwrap_err();
        assert!(err.starts_with("bad.yaml:"), "{err}");
    }

    #[test]
    fn multi_document_with_lines_and_merge_keys() {
        let f = parse(
            "k.yaml",
            "x-common: &common\n  restart: always\nservices:\n  web:\n    <<: *common\n    image: nginx:1.27\n---\nkind: Service\n",
        )
        .unwrap();
        assert_eq!(f.docs.len(), 2);
        let web = path(&f.docs[0], &["services", "web"]).unwrap();
        assert_eq!(
            as_str(get(web, "image").unwrap()).as_deref(),
            Some("nginx:1.27")
        );
        assert_eq!(
            as_str(get(web, "restart").unwrap()).as_deref(),
            Some("always")
        );
        assert_eq!(line(get(web, "image").unwrap()), 6);
        assert_eq!(
            as_str(get(&f.docs[1], "kind").unwrap()).as_deref(),
            Some("Service")
        );
    }

    #[test]
    fn hostile_yaml_is_an_error_not_a_crash() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            bomb.push_str(&format!(
                "{}: &{} [*{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}, *{}]\n",
                (b'a' + i) as char,
                (b'a' + i) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char
            ));
        }
        let e = parse("bomb.yaml", &bomb).unwrap_err();
        assert!(e.contains("alias expansion"), "{e}");
        let deep = "[".repeat(100_000);
        let e = parse("deep.yaml", &deep).unwrap_err();
        assert!(e.contains("nested more than"), "{e}");
        let e = parse("bad.yaml", "a: b\n  c: d: e\n").unwrap_err();
        assert!(e.starts_with("bad.yaml:2:"), "{e}");
    }
}
