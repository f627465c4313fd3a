//! `<!-- gonogo: CHECK key=value key2="a value" -->` — the words of an inline annotation.

/// A check id (or `manual`) and its `key=value` pairs as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedAnnotation {
    pub check: String,
    pub params: Vec<(String, String)>,
}

/// Split like a shell: white space separates words, quotes ('…' or "…") group them,
/// backslash escapes a quote inside "…".
fn words(body: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                in_word = true;
                let quote = c;
                loop {
                    match chars.next() {
                        None => return Err(format!("a {quote} quote is not closed")),
                        Some(q) if q == quote => break,
                        Some('\\') if quote == '"' => match chars.next() {
                            Some(e) => cur.push(e),
                            None => return Err("a \" quote is not closed".into()),
                        },
                        Some(other) => cur.push(other),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

pub(crate) fn parse(body: &str) -> Result<ParsedAnnotation, String> {
    let mut w = words(body)?.into_iter();
    let check = w
        .next()
        .ok_or("the annotation names no check (write `<!-- gonogo: CHECK_ID key=value -->` or `<!-- gonogo: manual -->`)")?;
    let mut params = Vec::new();
    for word in w {
        let (k, v) = word
            .split_once('=')
            .ok_or_else(|| format!("`{word}` is not a key=value parameter"))?;
        if k.is_empty() {
            return Err(format!("`{word}` has no parameter name before `=`"));
        }
        params.push((k.to_string(), v.to_string()));
    }
    Ok(ParsedAnnotation { check, params })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_and_params() {
        let a = parse(r#"exec.command command="pytest -q" expect='{"status": "ok"}' timeout=30s"#)
            .unwrap();
        assert_eq!(a.check, "exec.command");
        assert_eq!(
            a.params,
            vec![
                ("command".into(), "pytest -q".into()),
                ("expect".into(), r#"{"status": "ok"}"#.into()),
                ("timeout".into(), "30s".into())
            ]
        );
    }

    #[test]
    fn errors() {
        assert!(parse("").is_err());
        assert!(parse("x.y flag").unwrap_err().contains("key=value"));
        assert!(parse("x.y a=\"open").unwrap_err().contains("not closed"));
    }
}
