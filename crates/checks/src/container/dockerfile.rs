//! A small Dockerfile parser: instructions with their line numbers, the escape directive,
//! line continuations (with comment lines inside them dropped, as BuildKit does), heredocs
//! (`<<EOF`, `<<-EOF`, quoted delimiters), JSON exec form versus shell form, leading `--flags`,
//! `FROM image [AS name]` stages, `ARG`s before the first `FROM`, and `$VAR` / `${VAR:-default}`
//! expansion of ARG and ENV values where BuildKit expands them (FROM, USER…).
//!
//! It never fails: text it cannot make sense of becomes an instruction with the keyword as
//! written, and checks judge only the instructions they know.

use std::collections::HashMap;

/// A parsed Dockerfile.
#[derive(Debug, Clone, Default)]
pub struct Dockerfile {
    pub instructions: Vec<Instruction>,
    /// Stages in file order; each owns the instructions after its FROM up to the next FROM.
    pub stages: Vec<Stage>,
    /// `ARG name[=default]` before the first FROM: usable in FROM lines.
    pub global_args: Vec<(String, Option<String>)>,
    /// The escape character (`\` unless `# escape=` says otherwise).
    pub escape: char,
}

/// One instruction, continuation lines joined.
#[derive(Debug, Clone, PartialEq)]
pub struct Instruction {
    /// 1-based line of the keyword.
    pub line: usize,
    /// The keyword, uppercased (`RUN`, `FROM`…).
    pub keyword: String,
    /// Leading `--name[=value]` flags (`--from=build`, `--chown=app`, `--platform=…`).
    pub flags: Vec<(String, Option<String>)>,
    /// Everything after the keyword and the flags, continuations joined with a space.
    pub args: String,
    /// JSON exec form (`["a", "b"]`) or shell form.
    pub form: Form,
    /// Heredoc bodies that follow the instruction, in order.
    pub heredocs: Vec<Heredoc>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Form {
    Exec(Vec<String>),
    Shell(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heredoc {
    pub delimiter: String,
    pub body: String,
    /// 1-based line where the body starts.
    pub line: usize,
}

/// A build stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    /// Index of the stage's FROM in `instructions`.
    pub from: usize,
    /// Index one past its last instruction.
    pub end: usize,
    /// The image as written (before expansion).
    pub image: String,
    /// `AS name`, lowercased (stage names are case-insensitive).
    pub name: Option<String>,
    pub line: usize,
}

impl Instruction {
    /// The value of a flag (`--from` → `Some("build")`).
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_deref().unwrap_or(""))
    }

    /// Words of the arguments: the exec-form array, or shell-form words with quotes removed.
    pub fn words(&self) -> Vec<String> {
        match &self.form {
            Form::Exec(v) => v.clone(),
            Form::Shell(s) => split_words(s),
        }
    }

    /// `KEY=VALUE` pairs of ENV, ARG and LABEL (also the legacy `ENV KEY VALUE`), with the
    /// value's quotes removed. ARG without a default gives `None`.
    pub fn pairs(&self) -> Vec<(String, Option<String>)> {
        let words = split_words(&self.args);
        if self.keyword == "ENV" && words.len() >= 2 && !words[0].contains('=') {
            // Legacy form: ENV KEY the rest of the line.
            let rest = self.args.trim_start()[words[0].len()..].trim();
            return vec![(words[0].clone(), Some(unquote(rest)))];
        }
        words
            .into_iter()
            .map(|w| match w.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (w, None),
            })
            .collect()
    }
}

impl Dockerfile {
    /// Instructions of a stage.
    pub fn stage_instructions(&self, stage: &Stage) -> &[Instruction] {
        &self.instructions[stage.from + 1..stage.end]
    }

    /// The stage a FROM names, if it names an earlier stage rather than an image.
    pub fn stage_named(&self, name: &str, before: usize) -> Option<usize> {
        let name = name.to_ascii_lowercase();
        self.stages[..before]
            .iter()
            .rposition(|s| s.name.as_deref() == Some(name.as_str()))
    }

    /// The parent stage of stage `i` if its FROM names an earlier stage.
    pub fn parent_stage(&self, i: usize) -> Option<usize> {
        let image = self.expand_from(i).text;
        self.stage_named(&image, i)
    }

    /// The image of stage `i` with global ARGs expanded.
    pub fn expand_from(&self, i: usize) -> Expanded {
        let vars: HashMap<String, Option<String>> = self.global_args.iter().cloned().collect();
        expand(&self.stages[i].image, &vars)
    }

    /// ARG and ENV values known at the end of instruction `upto` (exclusive) within stage `i`,
    /// including those inherited from parent stages; a global ARG is visible in a stage only
    /// after it is redeclared there.
    pub fn vars_at(&self, i: usize, upto: usize) -> HashMap<String, Option<String>> {
        let mut vars = match self.parent_stage(i) {
            Some(p) => self.vars_at(p, self.stages[p].end),
            None => HashMap::new(),
        };
        let globals: HashMap<&str, &Option<String>> = self
            .global_args
            .iter()
            .map(|(k, v)| (k.as_str(), v))
            .collect();
        let stage = &self.stages[i];
        for ins in &self.instructions[stage.from + 1..upto.min(stage.end)] {
            match ins.keyword.as_str() {
                "ENV" => {
                    for (k, v) in ins.pairs() {
                        let v = v.map(|v| expand(&v, &vars).text);
                        vars.insert(k, v);
                    }
                }
                "ARG" => {
                    for (k, v) in ins.pairs() {
                        let v = match v {
                            Some(v) => Some(expand(&v, &vars).text),
                            None => globals.get(k.as_str()).and_then(|g| (*g).clone()),
                        };
                        // An ENV of the same name wins over an ARG.
                        vars.entry(k).or_insert(v);
                    }
                }
                _ => {}
            }
        }
        vars
    }
}

/// A string after variable expansion, with the variables that had no value.
#[derive(Debug, Clone, PartialEq)]
pub struct Expanded {
    pub text: String,
    pub unresolved: Vec<String>,
}

/// Expand `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`
/// and `${VAR:?msg}` with `vars` (a `None` value is declared without a value). `\$` stays `$`.
pub fn expand(s: &str, vars: &HashMap<String, Option<String>>) -> Expanded {
    let mut out = String::new();
    let mut unresolved = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && chars.get(i + 1) == Some(&'$') {
            out.push('$');
            i += 2;
            continue;
        }
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'{') {
            let mut depth = 0usize;
            let close = chars[i + 2..].iter().position(|&c| {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => return true,
                    '}' => depth -= 1,
                    _ => {}
                }
                false
            });
            let Some(close) = close else {
                out.extend(&chars[i..]);
                break;
            };
            let inner: String = chars[i + 2..i + 2 + close].iter().collect();
            i += close + 3;
            let name_len = inner
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(inner.len());
            let (name, op) = inner.split_at(name_len);
            let value = vars.get(name).cloned().flatten();
            let set = value.as_deref().is_some_and(|v| !v.is_empty());
            let declared = value.is_some();
            let expanded = |w: &str| expand(w, vars);
            let piece = if let Some(d) = op.strip_prefix(":-") {
                if set { value } else { Some(expanded(d).text) }
            } else if let Some(d) = op.strip_prefix('-') {
                if declared {
                    value
                } else {
                    Some(expanded(d).text)
                }
            } else if let Some(a) = op.strip_prefix(":+") {
                Some(if set { expanded(a).text } else { String::new() })
            } else if let Some(a) = op.strip_prefix('+') {
                Some(if declared {
                    expanded(a).text
                } else {
                    String::new()
                })
            } else {
                // `${VAR}`, `${VAR:?msg}` and operators we do not model.
                value
            };
            match piece {
                Some(p) => out.push_str(&p),
                None => unresolved.push(name.to_string()),
            }
            continue;
        }
        let name: String = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
            .collect();
        if name.is_empty() {
            out.push('$');
            i += 1;
            continue;
        }
        i += 1 + name.chars().count();
        match vars.get(&name).cloned().flatten() {
            Some(v) => out.push_str(&v),
            None => unresolved.push(name),
        }
    }
    Expanded {
        text: out,
        unresolved,
    }
}

/// Parse a Dockerfile's text. Never fails.
pub fn parse(text: &str) -> Dockerfile {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut escape = '\\';
    let mut i = 0;
    // Parser directives: `# name=value` lines at the very top.
    while i < lines.len() {
        let l = lines[i].trim();
        let Some(rest) = l.strip_prefix('#') else {
            break;
        };
        let Some((name, value)) = rest.split_once('=') else {
            break;
        };
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() || name.contains(char::is_whitespace) {
            break;
        }
        if name == "escape" {
            match value.trim() {
                "`" => escape = '`',
                "\\" => escape = '\\',
                _ => {}
            }
        }
        i += 1;
    }
    let mut df = Dockerfile {
        escape,
        ..Dockerfile::default()
    };
    while i < lines.len() {
        let first = lines[i].trim_start();
        if first.is_empty() || first.starts_with('#') {
            i += 1;
            continue;
        }
        let start = i + 1;
        // Join continuation lines.
        let mut logical = String::new();
        let mut cur = first.to_string();
        loop {
            let trimmed = cur.trim_end();
            if let Some(body) = trimmed.strip_suffix(escape) {
                logical.push_str(body);
                logical.push(' ');
                i += 1;
                // Comment and empty lines inside a continuation are dropped.
                while i < lines.len() {
                    let t = lines[i].trim_start();
                    if t.starts_with('#') || t.is_empty() {
                        i += 1;
                    } else {
                        break;
                    }
                }
                if i >= lines.len() {
                    break;
                }
                cur = lines[i].trim_start().to_string();
            } else {
                logical.push_str(trimmed);
                i += 1;
                break;
            }
        }
        let (keyword, rest) = match logical.find(char::is_whitespace) {
            Some(p) => (&logical[..p], logical[p..].trim()),
            None => (logical.as_str(), ""),
        };
        let keyword = keyword.to_ascii_uppercase();
        // Heredocs: their bodies follow the instruction line.
        let mut heredocs = Vec::new();
        if matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
            for (delimiter, strip_tabs) in heredoc_markers(rest) {
                let body_line = i + 1;
                let mut body = String::new();
                while i < lines.len() {
                    let l = lines[i];
                    i += 1;
                    let cmp = if strip_tabs {
                        l.trim_start_matches('\t')
                    } else {
                        l
                    };
                    if cmp.trim_end() == delimiter {
                        break;
                    }
                    body.push_str(cmp);
                    body.push('\n');
                }
                heredocs.push(Heredoc {
                    delimiter,
                    body,
                    line: body_line,
                });
            }
        }
        let (flags, args) = split_flags(rest);
        let form = exec_form(&args).map_or_else(|| Form::Shell(args.clone()), Form::Exec);
        df.instructions.push(Instruction {
            line: start,
            keyword,
            flags,
            args,
            form,
            heredocs,
        });
    }
    // Stages and global ARGs.
    for (idx, ins) in df.instructions.iter().enumerate() {
        match ins.keyword.as_str() {
            "FROM" => {
                if let Some(last) = df.stages.last_mut() {
                    last.end = idx;
                }
                let words = split_words(&ins.args);
                let image = words.first().cloned().unwrap_or_default();
                let name = match words.get(1) {
                    Some(w) if w.eq_ignore_ascii_case("as") => {
                        words.get(2).map(|n| n.to_ascii_lowercase())
                    }
                    _ => None,
                };
                df.stages.push(Stage {
                    from: idx,
                    end: df.instructions.len(),
                    image,
                    name,
                    line: ins.line,
                });
            }
            "ARG" if df.stages.is_empty() => df.global_args.extend(ins.pairs()),
            _ => {}
        }
    }
    df
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'` markers in an instruction line, outside quotes.
fn heredoc_markers(rest: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let b = rest.as_bytes();
    let mut quote: Option<u8> = None;
    let mut k = 0;
    while k < b.len() {
        let c = b[k];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'<' && b.get(k + 1) == Some(&b'<') && b.get(k + 2) != Some(&b'<') => {
                let mut j = k + 2;
                let strip = b.get(j) == Some(&b'-');
                if strip {
                    j += 1;
                }
                let q = b.get(j).copied().filter(|c| *c == b'"' || *c == b'\'');
                if q.is_some() {
                    j += 1;
                }
                let s = j;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                if j > s {
                    out.push((rest[s..j].to_string(), strip));
                    if q.is_some() && b.get(j) == q.as_ref() {
                        j += 1;
                    }
                    k = j;
                    continue;
                }
            }
            None => {}
        }
        k += 1;
    }
    out
}

/// Leading `--flag[=value]` words, then the rest.
fn split_flags(rest: &str) -> (Vec<(String, Option<String>)>, String) {
    let mut flags = Vec::new();
    let mut s = rest.trim_start();
    while let Some(after) = s.strip_prefix("--") {
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        let word = &after[..end];
        if word.is_empty() {
            break;
        }
        match word.split_once('=') {
            Some((n, v)) => flags.push((n.to_string(), Some(unquote(v)))),
            None => flags.push((word.to_string(), None)),
        }
        s = after[end..].trim_start();
    }
    (flags, s.to_string())
}

/// The JSON array of an exec-form instruction, if it is one.
fn exec_form(args: &str) -> Option<Vec<String>> {
    let t = args.trim();
    if !t.starts_with('[') {
        return None;
    }
    serde_json::from_str::<Vec<String>>(t).ok()
}

/// Shell-like words: whitespace-separated, with `"…"` and `'…'` quotes removed and `\x`
/// escapes kept as `x`.
pub fn split_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut have = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') if matches!(chars.peek(), Some('"' | '\\')) => {
                cur.push(chars.next().unwrap_or('\\'))
            }
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                have = true;
            }
            (None, c) if c.is_whitespace() => {
                if have || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    have = false;
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if have || !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn unquote(s: &str) -> String {
    let t = s.trim();
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return t[1..t.len() - 1].to_string();
        }
    }
    t.to_string()
}

/// An image reference split into its parts: `[registry/]repository[:tag][@digest]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageRef {
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(reference: &str) -> ImageRef {
        let (name, digest) = match reference.split_once('@') {
            Some((n, d)) => (n, Some(d.to_string())),
            None => (reference, None),
        };
        let slash = name.rfind('/').map_or(0, |p| p + 1);
        let (repository, tag) = match name[slash..].rfind(':') {
            Some(p) => (
                name[..slash + p].to_string(),
                Some(name[slash + p + 1..].to_string()),
            ),
            None => (name.to_string(), None),
        };
        ImageRef {
            repository,
            tag,
            digest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, Option<&str>)]) -> HashMap<String, Option<String>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
            .collect()
    }

    #[test]
    fn instructions_lines_continuations_and_comments() {
        let df = parse(
            "# syntax=docker/dockerfile:1\n\nFROM python:3.12-slim AS base\n# a comment\nRUN apt-get update \\\n  # inside\n  && apt-get install -y curl \\\n\n  && rm -rf /var/lib/apt/lists/*\nUSER app\n",
        );
        let k: Vec<(&str, usize)> = df
            .instructions
            .iter()
            .map(|i| (i.keyword.as_str(), i.line))
            .collect();
        assert_eq!(k, vec![("FROM", 3), ("RUN", 5), ("USER", 10)]);
        assert_eq!(
            df.instructions[1].args,
            "apt-get update  && apt-get install -y curl  && rm -rf /var/lib/apt/lists/*"
        );
        assert_eq!(df.stages.len(), 1);
        assert_eq!(df.stages[0].name.as_deref(), Some("base"));
    }

    #[test]
    fn escape_directive_uses_backtick() {
        let df = parse(
            "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n  c:\\\nUSER ContainerUser\n",
        );
        assert_eq!(df.escape, '`');
        assert_eq!(df.instructions.len(), 3);
        assert_eq!(df.instructions[1].args, "dir  c:\\");
        assert_eq!(df.instructions[2].line, 5);
    }

    #[test]
    fn a_directive_after_a_comment_is_just_a_comment() {
        let df = parse("# hello\n# escape=`\nFROM a:1\nRUN x \\\n y\n");
        assert_eq!(df.escape, '\\');
        assert_eq!(df.instructions.len(), 2);
    }

    #[test]
    fn heredocs_are_bodies_not_instructions() {
        let df = parse(
            "FROM alpine:3.20\nRUN <<EOF\nUSER root\nENV PASSWORD=x\nEOF\nCOPY <<-\"CONF\" /etc/app.conf\n\tkey=1\n\tCONF\nUSER app\n",
        );
        let k: Vec<&str> = df.instructions.iter().map(|i| i.keyword.as_str()).collect();
        assert_eq!(k, vec!["FROM", "RUN", "COPY", "USER"]);
        assert_eq!(
            df.instructions[1].heredocs[0].body,
            "USER root\nENV PASSWORD=x\n"
        );
        assert_eq!(df.instructions[1].heredocs[0].line, 3);
        assert_eq!(df.instructions[2].heredocs[0].delimiter, "CONF");
        assert_eq!(df.instructions[2].heredocs[0].body, "key=1\n");
        assert_eq!(df.instructions[3].line, 9);
    }

    #[test]
    fn exec_and_shell_forms_and_flags() {
        let df = parse(
            "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nCOPY --from=build --chown=app:app /out /app\nCMD [\"/app\", \"--serve\"]\nENTRYPOINT exec /app\nHEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1\n",
        );
        assert_eq!(df.instructions[0].flag("platform"), Some("$BUILDPLATFORM"));
        assert_eq!(df.stages[0].image, "golang:1.22");
        assert_eq!(df.instructions[1].flag("from"), Some("build"));
        assert_eq!(df.instructions[1].words(), vec!["/out", "/app"]);
        assert_eq!(
            df.instructions[2].form,
            Form::Exec(vec!["/app".into(), "--serve".into()])
        );
        assert_eq!(df.instructions[3].form, Form::Shell("exec /app".into()));
        assert_eq!(df.instructions[4].flag("interval"), Some("30s"));
        // Not valid JSON: shell form.
        let df = parse("FROM a:1\nCMD [\"unterminated\n");
        assert!(matches!(df.instructions[1].form, Form::Shell(_)));
    }

    #[test]
    fn env_and_arg_pairs() {
        let df = parse(
            "ARG VERSION=3.12\nARG BASE\nFROM python:${VERSION}\nENV A=1 B=\"two words\"\nENV LEGACY some value here\nARG TOKEN\n",
        );
        assert_eq!(
            df.global_args,
            vec![
                ("VERSION".to_string(), Some("3.12".to_string())),
                ("BASE".to_string(), None)
            ]
        );
        assert_eq!(
            df.instructions[3].pairs(),
            vec![
                ("A".to_string(), Some("1".to_string())),
                ("B".to_string(), Some("two words".to_string()))
            ]
        );
        assert_eq!(
            df.instructions[4].pairs(),
            vec![("LEGACY".to_string(), Some("some value here".to_string()))]
        );
        assert_eq!(
            df.instructions[5].pairs(),
            vec![("TOKEN".to_string(), None)]
        );
        assert_eq!(df.expand_from(0).text, "python:3.12");
    }

    #[test]
    fn expansion_forms() {
        let v = vars(&[("A", Some("x")), ("E", Some("")), ("N", None)]);
        assert_eq!(expand("$A/${A}", &v).text, "x/x");
        assert_eq!(expand("${E:-d}|${E-d}|${Z-d}", &v).text, "d||d");
        assert_eq!(expand("${A:+alt}|${E:+alt}|${E+alt}", &v).text, "alt||alt");
        assert_eq!(expand("${A:-${B:-deep}}|${Q:-${A}}", &v).text, "x|x");
        assert_eq!(expand("\\$A", &v).text, "$A");
        let e = expand("img:${TAG}", &v);
        assert_eq!(e.unresolved, vec!["TAG"]);
        let e = expand("img:$N", &v);
        assert_eq!(e.unresolved, vec!["N"]);
    }

    #[test]
    fn stages_inherit_variables_and_find_parents() {
        let df = parse(
            "ARG UID=10001\nFROM alpine:3.20 AS base\nARG UID\nENV APP_USER=app\nFROM base AS final\nUSER ${APP_USER}:${UID}\n",
        );
        assert_eq!(df.parent_stage(1), Some(0));
        let v = df.vars_at(1, df.stages[1].end);
        assert_eq!(v.get("APP_USER"), Some(&Some("app".to_string())));
        assert_eq!(v.get("UID"), Some(&Some("10001".to_string())));
        assert_eq!(expand("${APP_USER}:${UID}", &v).text, "app:10001");
    }

    #[test]
    fn image_references() {
        let r = ImageRef::parse("localhost:5000/team/app:1.2@sha256:abc");
        assert_eq!(r.repository, "localhost:5000/team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = ImageRef::parse("localhost:5000/app");
        assert_eq!((r.repository.as_str(), r.tag), ("localhost:5000/app", None));
        let r = ImageRef::parse("nginx@sha256:def");
        assert_eq!((r.tag, r.digest.as_deref()), (None, Some("sha256:def")));
    }

    #[test]
    fn words_strip_quotes() {
        assert_eq!(
            split_words("a \"b c\" 'd' e\\ f \"\""),
            vec!["a", "b c", "d", "e\\", "f", ""]
        );
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for t in [
            "\\",
            "FROM",
            "RUN <<",
            "RUN <<EOF",
            "FROM a AS",
            "ENV",
            "USER ${",
            "RUN a \\",
            "\u{feff}FROM x",
            "ＦＲＯＭ x",
        ] {
            let df = parse(t);
            let _ = df.stages.iter().map(|s| s.image.len()).sum::<usize>();
        }
        assert_eq!(expand("${", &HashMap::new()).text, "${");
    }
}
