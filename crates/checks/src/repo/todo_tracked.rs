//! `repo.todo-tracked` — TODO/FIXME comments are resolved or point at a tracked issue.

use std::sync::{Arc, LazyLock};

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use regex::Regex;
use serde_json::Value;

use crate::wording::{has_any, human_act};

pub struct TodoTracked;

static META: CheckMeta = CheckMeta {
    id: "repo.todo-tracked",
    title: "TODO/FIXME comments are tracked",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "max",
        kind: ParamKind::Integer,
        default: Some("0"),
        required: false,
        doc: "how many untracked TODO/FIXME/XXX/HACK comments are tolerated",
    }],
    docs: CheckDocs {
        what: "Counts TODO, FIXME, XXX and HACK markers (upper case, in a comment) in the \
               project's source files, outside test fixtures and vendored folders. A marker \
               that names an issue — `#123`, an `/issues/123` link, or a tracker key such as \
               `PROJ-42` — is tracked; the others must not exceed `max` (default 0).",
        why: "An untracked TODO is a known defect that nobody will schedule; in production it \
              becomes the incident whose cause was written down years ago.",
        fix: "Resolve each TODO, or open an issue and reference it in the comment \
              (`// TODO(#123): retry on timeout`).",
        example: "# TODO(#482): paginate once the API supports cursors",
        binds: &[
            "All TODO items resolved or tracked",
            "No untracked TODOs in the code",
            "TODO/FIXME comments tracked",
            "Every FIXME links to a ticket",
            "TODOs reference a Jira issue",
            "At most 10 untracked TODO comments",
        ],
        not_binds: &[
            "Todo list app deployed",
            "Action items from the post-mortem reviewed",
            "TODOs reviewed by the team lead",
        ],
    },
};

/// What an item may ask of TODOs: resolved, tracked (an issue or ticket named), or few.
const WHAT_HOLDS: &[&str] = &[
    "resolved",
    "tracked",
    "untracked",
    "no",
    "count",
    "threshold",
    "under",
    "zero",
    "linked",
    "link",
    "links",
    "ticket",
    "tickets",
    "ticket key",
    "issue",
    "issues",
    "issue number",
    "issue tracker",
    "tracker",
    "jira",
    "->",
    "at most",
    "max",
    "maximum",
    "<=",
    "<",
    "fewer",
    "less",
];

/// The number of untracked TODOs tolerated, when the item gives one: "at most 10", "<= 20",
/// "fewer than 5" (4), "max 3". `None` when it names none (then none is tolerated).
fn max_count(lower: &str) -> Option<i64> {
    static LIMIT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(at most|no more than|not more than|max(?:imum)?(?: of)?|<=|≤|up to|fewer than|less than|under|below|<)\s*(\d+)",
        )
        .expect("regex")
    });
    let c = LIMIT.captures(lower)?;
    let n: i64 = c[2].parse().ok()?;
    let strict = matches!(&c[1], "fewer than" | "less than" | "under" | "below" | "<");
    Some(if strict { (n - 1).max(0) } else { n })
}

const CODE_EXTS: &[&str] = &[
    "rs", "py", "js", "jsx", "ts", "tsx", "mjs", "cjs", "go", "java", "kt", "kts", "scala", "rb",
    "php", "c", "h", "cc", "cpp", "hpp", "cs", "swift", "m", "sh", "bash", "zsh", "ps1", "sql",
    "lua", "ex", "exs", "erl", "hs", "clj", "dart", "vue", "svelte", "tf", "r", "pl",
];

static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(TODO|FIXME|XXX|HACK)\b").expect("regex"));
static TRACKED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"#\d+|/issues/\d+|/-/issues/\d+|/pull/\d+|\b[A-Z][A-Z0-9]{1,9}-\d+\b")
        .expect("regex")
});

const COMMENT_STARTS: &[&str] = &["//", "#", "/*", "*", "--", "<!--"];

/// The marker and whether it is tracked, for a line with a marker inside a comment.
fn marker(line: &str) -> Option<(&str, bool)> {
    let m = MARKER.find(line)?;
    let before = &line[..m.start()];
    let in_comment = COMMENT_STARTS.iter().any(|c| before.contains(c)) || before.trim().is_empty();
    if !in_comment {
        return None;
    }
    Some((m.as_str(), TRACKED.is_match(&line[m.start()..])))
}

#[async_trait::async_trait]
impl Check for TodoTracked {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["todo", "fixme"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(lower, &["todo", "todos", "todo items", "fixme", "fixmes"])
            || has_any(lower, &["todo list", "todo app"])
        {
            return BindVerdict::No;
        }
        let b = AutoBinding::new("wording asks that TODOs be resolved or tracked");
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement"),
                candidates: vec![b],
            };
        }
        if !has_any(lower, WHAT_HOLDS) {
            return BindVerdict::Declined {
                why: "the item does not say what must hold for TODOs".into(),
                candidates: vec![b],
            };
        }
        match max_count(lower) {
            Some(n) => BindVerdict::Bind(vec![b.with("max", Value::from(n))]),
            None => BindVerdict::Bind(vec![b]),
        }
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let max = params
            .get("max")
            .and_then(Value::as_i64)
            .unwrap_or(0)
            .max(0) as usize;
        let idx = ctx.repo_index();
        let mut files = 0;
        let mut tracked = 0;
        let mut untracked: Vec<Evidence> = Vec::new();
        let mut count = 0usize;
        for f in &idx.files {
            let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
            let ext = name
                .rsplit_once('.')
                .map(|(_, e)| e.to_ascii_lowercase())
                .unwrap_or_default();
            if !CODE_EXTS.contains(&ext.as_str()) || super::is_fixture(&f.rel) {
                continue;
            }
            let text = ctx.text(&f.rel);
            let Ok(t) = text.as_ref() else { continue };
            files += 1;
            for (i, line) in t.text.lines().enumerate() {
                if let Some((m, ok)) = marker(line) {
                    if ok {
                        tracked += 1;
                    } else {
                        count += 1;
                        if untracked.len() < 20 {
                            untracked.push(Evidence::at(
                                f.rel.clone(),
                                Some(i + 1),
                                format!(
                                    "{m}: {}",
                                    line.trim().chars().take(100).collect::<String>()
                                ),
                            ));
                        }
                    }
                }
            }
        }
        if files == 0 {
            return Outcome::skipped("no source files to look at");
        }
        if count <= max {
            return Outcome::pass(format!(
                "{count} untracked TODO/FIXME (max {max}), {tracked} tracked, in {files} source files"
            ));
        }
        let mut o = Outcome::fail(format!(
            "{count} untracked TODO/FIXME comments (max {max}; {tracked} tracked): resolve them or reference an issue (`TODO(#123)`)"
        ));
        for e in untracked {
            o = o.with_evidence(e);
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerated_counts() {
        assert_eq!(max_count("at most 10 untracked todo comments"), Some(10));
        assert_eq!(max_count("<= 20 untracked todo/fixme"), Some(20));
        assert_eq!(max_count("fewer than 5 todos"), Some(4));
        assert_eq!(max_count("todos linked to issues"), None);
        assert_eq!(max_count("todo(#123) style references"), None);
    }

    #[test]
    fn markers_in_comments_and_tracking() {
        assert_eq!(marker("    // TODO: retry"), Some(("TODO", false)));
        assert_eq!(marker("# FIXME(#12) paginate"), Some(("FIXME", true)));
        assert_eq!(
            marker("// TODO see https://x/y/issues/9"),
            Some(("TODO", true))
        );
        assert_eq!(marker("# TODO PROJ-42"), Some(("TODO", true)));
        assert_eq!(marker("let todo = TODO_LIST;"), None);
        assert_eq!(marker("x = 'no todo here'"), None);
    }
}
