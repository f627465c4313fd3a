//! Repository hygiene: ownership, contribution guide, dependency updates, hooks, linter
//! configuration, lockfiles, and tracked TODOs.

mod codeowners;
mod contributing;
mod dependency_updates;
mod lint_config;
mod lockfiles;
mod pre_commit;
mod todo_tracked;

use std::sync::Arc;

use gonogo_engine::catalogue::Check;
use gonogo_engine::context::RunContext;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![
        Arc::new(codeowners::Codeowners),
        Arc::new(contributing::Contributing),
        Arc::new(dependency_updates::DependencyUpdates),
        Arc::new(lint_config::LintConfig),
        Arc::new(lockfiles::Lockfiles),
        Arc::new(pre_commit::PreCommit),
        Arc::new(todo_tracked::TodoTracked),
    ]
}

/// Paths that hold test fixtures or examples, not the project's own files.
pub(crate) fn is_fixture(rel: &str) -> bool {
    let r = format!("/{rel}");
    [
        "/fixtures/",
        "/fixture/",
        "/testdata/",
        "/test-data/",
        "/tests/cases/",
        "/examples/",
        "/example/",
        "/samples/",
        "/__snapshots__/",
    ]
    .iter()
    .any(|d| r.contains(d))
}

/// The first of `names` that is a file in the repository index (gitignore-aware, so an ignored
/// file does not count as committed).
pub(crate) fn first_file<'a>(ctx: &RunContext, names: &[&'a str]) -> Option<&'a str> {
    let idx = ctx.repo_index();
    names.iter().copied().find(|n| {
        idx.files
            .binary_search_by(|f| f.rel.as_str().cmp(n))
            .is_ok()
    })
}
