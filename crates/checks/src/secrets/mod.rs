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

/// "Scanned for secrets", "scan images for leaked credentials", "check the image for
/// secrets": a search whose point is that none are there, which a scan of the same place shows
/// directly. An imperative "check for …" with nothing between is a checklist's framing ("Check
/// for randomness of the reset token"), not a search; and what is searched for must be
/// credentials ("tokens checked for expiry" is not a search for secrets).
pub(crate) fn searched_for(lower: &str) -> bool {
    let words: Vec<&str> = lower
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    words.iter().enumerate().any(|(i, w)| {
        let needs_object = match *w {
            "scan" | "scans" | "scanned" | "scanning" | "searched" | "checked" | "inspected" => {
                false
            }
            "check" | "checks" | "inspect" | "audit" => true,
            _ => return false,
        };
        // The first "for" after the verb: right after it, an imperative needs an object first.
        let first_for = (i + 1..words.len().min(i + 5)).find(|&j| words[j] == "for");
        first_for.is_some_and(|j| {
            (!needs_object || j > i + 1)
                && words[j + 1..words.len().min(j + 5)].iter().any(|w| {
                    matches!(
                        *w,
                        "secret"
                            | "secrets"
                            | "credential"
                            | "credentials"
                            | "password"
                            | "passwords"
                            | "token"
                            | "tokens"
                            | "key"
                            | "keys"
                    )
                })
        })
    })
}

/// Scanners that only look for credentials (CI's list): naming one names the secrets it
/// looks for.
pub(crate) use crate::ci::kinds::SECRET_SCANNERS;

/// A secret scanner said to scan ("Gitleaks scans the whole history"), not merely named.
pub(crate) fn scanner_scans(lower: &str) -> bool {
    crate::wording::has_any(lower, SECRET_SCANNERS)
        && crate::wording::has_any(lower, &["scan", "scans", "scanned", "scanning"])
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

#[cfg(test)]
mod tests {
    use super::searched_for;

    #[test]
    fn a_search_for_credentials_is_told_from_a_check_of_them() {
        for yes in [
            "images are scanned for secrets",
            "scan images for leaked credentials",
            "check the built image for secrets",
            "audit the repo for hardcoded api keys",
        ] {
            assert!(searched_for(yes), "{yes}");
        }
        for no in [
            "check for randomness of reset password token",
            "check for no/default passwords for databases",
            "api tokens are checked for expiry on every request",
            "scan for vulnerabilities",
            "no secrets in the repository",
        ] {
            assert!(!searched_for(no), "{no}");
        }
    }
}
