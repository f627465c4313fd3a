//! Secret scanning: credentials committed to the repository (and, with `--history`, to its
//! past), and secrets baked into images. One scan per run is shared by the family's checks.

pub mod history;
pub mod images;
pub mod judge;
pub(crate) mod none_in_images;
mod none_in_repository;
pub mod rules;
pub mod scan;

use std::sync::{Arc, OnceLock};

use gonogo_engine::catalogue::Check;
use gonogo_engine::context::RunContext;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![
        Arc::new(none_in_images::NoneInImages),
        Arc::new(none_in_repository::NoneInRepository),
    ]
}

type Shared = OnceLock<Result<Arc<scan::ScanReport>, String>>;

/// The working tree's scan, made once per run by whichever check asks first. Blocking.
pub(crate) fn tree_scan(ctx: &RunContext) -> Result<Arc<scan::ScanReport>, String> {
    let cell = ctx.cached::<Shared>("secrets.tree-scan", OnceLock::new);
    cell.get_or_init(|| {
        let accept = scan::Accept::load(&ctx.repo, &ctx.secrets)?;
        let index = ctx.repo_index();
        let mut report = scan::scan_tree(&ctx.repo, &index.files, &accept);
        drop_dev_database_values(ctx, &mut report);
        Ok(Arc::new(report))
    })
    .clone()
}

/// Findings whose value is the password of a database the repository starts only for
/// development (`docker compose up` beside the code, `postgres:16` with
/// `POSTGRES_PASSWORD: mysecretpassword`): the test URL in a Makefile that uses it is that
/// database's, published in the Compose file anyway. Such findings are counted, not reported.
fn drop_dev_database_values(ctx: &RunContext, report: &mut scan::ScanReport) {
    let composed = crate::container::compose_projects_dev_secrets(ctx);
    if composed.is_empty() || report.findings.is_empty() {
        return;
    }
    let before = report.findings.len();
    report.findings.retain(|f| {
        !composed
            .iter()
            .any(|v| scan::value_key(f.rule, v) == f.value_key)
    });
    report.dev_database_values = before - report.findings.len();
}

/// How a finding is shown: rule, masked value, column, fingerprint. Never the value.
pub(crate) fn describe(f: &scan::Finding) -> String {
    format!(
        "{}: {} (column {}; fingerprint {})",
        f.rule, f.shown, f.column, f.fingerprint
    )
}

/// "12 files (3.4 MiB) scanned; skipped 2 binary, 1 over 8 MiB, 1 lockfiles".
pub(crate) fn coverage(r: &scan::ScanReport) -> String {
    let mut s = format!(
        "{} files ({:.1} MiB) scanned",
        r.files_scanned,
        r.bytes_scanned as f64 / (1024.0 * 1024.0)
    );
    let mut skipped = Vec::new();
    if r.skipped_binary > 0 {
        skipped.push(format!("{} binary", r.skipped_binary));
    }
    if r.skipped_large > 0 {
        skipped.push(format!("{} over 8 MiB", r.skipped_large));
    }
    if r.skipped_lockfiles > 0 {
        skipped.push(format!("{} lockfiles", r.skipped_lockfiles));
    }
    if r.allowed_paths > 0 {
        skipped.push(format!("{} by allow_paths", r.allowed_paths));
    }
    if !r.unreadable.is_empty() {
        skipped.push(format!("{} unreadable", r.unreadable.len()));
    }
    if !skipped.is_empty() {
        s.push_str(&format!("; skipped {}", skipped.join(", ")));
    }
    if r.not_product > 0 {
        s.push_str(&format!(
            "; in {} test, fixture, example, tooling or generated files only known token formats were looked for",
            r.not_product
        ));
    }
    if r.dev_database_values > 0 {
        s.push_str(&format!(
            "; {} value(s) equal to the password of a database the repository starts only for \
             development were not counted",
            r.dev_database_values
        ));
    }
    let mut accepted = Vec::new();
    if r.allowed_inline > 0 {
        accepted.push(format!("{} by inline allow comment", r.allowed_inline));
    }
    if r.allowed_rules > 0 {
        accepted.push(format!("{} by allow_rules", r.allowed_rules));
    }
    if r.baselined > 0 {
        accepted.push(format!("{} in the baseline", r.baselined));
    }
    if !accepted.is_empty() {
        s.push_str(&format!("; accepted {}", accepted.join(", ")));
    }
    s
}
