//! Repository documents: README, LICENSE, CHANGELOG, SECURITY.md, runbooks.

mod api_docs;
mod architecture;
mod changelog;
pub(crate) mod content;
mod deployment_guide;
mod license;
pub(crate) mod presence;
mod readme;
mod runbook;
mod security_policy;
mod troubleshooting;

use std::sync::Arc;

use gonogo_engine::catalogue::Check;
use gonogo_engine::context::{RepoEntry, RunContext};

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![
        Arc::new(api_docs::ApiDocs),
        Arc::new(architecture::Architecture),
        Arc::new(changelog::Changelog),
        Arc::new(deployment_guide::DeploymentGuide),
        Arc::new(license::License),
        Arc::new(readme::Readme),
        Arc::new(runbook::Runbook),
        Arc::new(security_policy::SecurityPolicy),
        Arc::new(troubleshooting::Troubleshooting),
    ]
}

/// Files near the root (root, `docs/`, `.github/`…) whose name, lowercased and without
/// extension, satisfies `wanted`. Root files come first.
pub(crate) fn find_docs(ctx: &RunContext, wanted: impl Fn(&str) -> bool) -> Vec<&RepoEntry> {
    ctx.root_listing()
        .iter()
        .filter(|e| !e.is_dir)
        .filter(|e| {
            let name = e
                .path
                .rsplit('/')
                .next()
                .unwrap_or(&e.path)
                .to_ascii_lowercase();
            let stem = name.split('.').next().unwrap_or(&name).to_string();
            wanted(&stem)
        })
        .collect()
}

/// A readable, non-empty text file, or why not.
pub(crate) fn read_text(ctx: &RunContext, rel: &str) -> Result<String, String> {
    let path = ctx.repo.join(rel);
    let meta = std::fs::metadata(&path).map_err(|e| format!("{rel} cannot be read: {e}"))?;
    if meta.len() > 8 * 1024 * 1024 {
        return Err(format!("{rel} is over 8 MiB; not read"));
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("{rel} cannot be read: {e}"))?;
    if bytes.contains(&0) {
        return Err(format!("{rel} is a binary file"));
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The list of candidates as a person reads it: `LICENSE, COPYING`.
pub(crate) fn names(list: &[&RepoEntry]) -> String {
    list.iter()
        .map(|e| e.path.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Headings of a Markdown, reStructuredText or AsciiDoc document, lowercased, with lines.
pub(crate) fn headings(text: &str) -> Vec<(usize, String)> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let line_of = |off: usize| text[..off].matches('\n').count() + 1;
    let mut current: Option<(usize, String)> = None;
    for (ev, range) in Parser::new(text).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading { .. }) => {
                current = Some((line_of(range.start), String::new()))
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, h)) = current.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((l, h)) = current.take() {
                    out.push((l, h.trim().to_lowercase()));
                }
            }
            _ => {}
        }
    }
    // reStructuredText underlines and AsciiDoc `== Title` are not Markdown headings.
    let lines: Vec<&str> = text.lines().collect();
    for (i, pair) in lines.windows(2).enumerate() {
        let under = pair[1].trim();
        if under.len() >= 3
            && !pair[0].trim().is_empty()
            && under.chars().all(|c| "=-~^\"'*+#".contains(c))
            && under.len() + 2 >= pair[0].trim().len()
        {
            let h = pair[0].trim().to_lowercase();
            if !out.iter().any(|(_, x)| *x == h) {
                out.push((i + 1, h));
            }
        }
    }
    for (i, l) in lines.iter().enumerate() {
        if let Some(rest) = l.strip_prefix("== ").or_else(|| l.strip_prefix("=== ")) {
            out.push((i + 1, rest.trim().to_lowercase()));
        }
    }
    out
}
