//! Splitting a shell code block into commands and `# Expected: …` comments.

/// Returns (commands, expectations). Comments and blank lines are dropped, `\` continuations
/// are joined and a leading `$ ` prompt is removed.
pub(crate) fn split_block(content: &str) -> (Vec<String>, Vec<String>) {
    let mut commands = Vec::new();
    let mut expected = Vec::new();
    let mut pending = String::new();
    for raw in content.lines() {
        let line = raw.trim();
        if pending.is_empty() {
            if line.is_empty() || line.starts_with("#!") {
                continue;
            }
            if let Some(comment) = line.strip_prefix('#') {
                if let Some(exp) = expected_text(comment) {
                    expected.push(exp);
                }
                continue;
            }
        }
        let line = if pending.is_empty() {
            line.strip_prefix("$ ").unwrap_or(line)
        } else {
            line
        };
        if let Some(cont) = line.strip_suffix('\\') {
            pending.push_str(cont.trim_end());
            pending.push(' ');
            continue;
        }
        pending.push_str(line);
        commands.push(std::mem::take(&mut pending).trim().to_string());
    }
    if !pending.trim().is_empty() {
        commands.push(pending.trim().to_string());
    }
    (commands, expected)
}

fn expected_text(comment: &str) -> Option<String> {
    let c = comment.trim();
    let lower = c.to_ascii_lowercase();
    let rest = lower.strip_prefix("expected")?;
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix('-'))?;
    let start = c.len() - rest.len();
    let text = c[start..].trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::split_block;

    #[test]
    fn commands_and_expectations() {
        let (cmds, exp) = split_block(
            "# Run them\npytest tests/ -v\n# Expected: 318+ tests passing\n\nhelm install x ./c \\\n  --namespace q \\\n  --values v.yaml\n$ ls\n",
        );
        assert_eq!(
            cmds,
            vec![
                "pytest tests/ -v",
                "helm install x ./c --namespace q --values v.yaml",
                "ls"
            ]
        );
        assert_eq!(exp, vec!["318+ tests passing"]);
    }

    #[test]
    fn expected_is_case_insensitive_and_keeps_case_of_value() {
        let (_, exp) = split_block("curl x\n#EXPECTED: {\"status\": \"OK\"}\n# expectedly not\n");
        assert_eq!(exp, vec!["{\"status\": \"OK\"}"]);
    }
}
