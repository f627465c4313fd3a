//! `postgres.wal-archiving` — WAL is archived, so point-in-time recovery is possible.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;
use sqlx::Row;

use super::conn::{pool, rows, setting};
use crate::wording::has_any;

pub struct WalArchiving;

static META: CheckMeta = CheckMeta {
    id: "postgres.wal-archiving",
    title: "PostgreSQL archives WAL for point-in-time recovery",
    target: TargetKind::Postgres,
    params: &[],
    docs: CheckDocs {
        what: "`archive_mode` is on, an `archive_command` or `archive_library` is set, and `pg_stat_archiver` shows no failure since the last successful archive.",
        why: "Point-in-time recovery replays archived WAL on top of a base backup; without archiving, the newest backup is the best you can restore, and an archive that silently fails is the same as none.",
        fix: "Set `archive_mode = on` and an `archive_command` (or `archive_library`, e.g. pgBackRest or WAL-G), restart, and watch `pg_stat_archiver.failed_count`.",
        example: "archive_mode = on\narchive_command = 'pgbackrest --stanza=main archive-push %p'",
        binds: &[
            "Point-in-time recovery tested",
            "WAL archiving enabled",
            "PITR configured for PostgreSQL",
        ],
        not_binds: &[
            "Backup restoration tested",
            "Automated backups enabled",
            "Database recovery tested",
        ],
    },
};

/// The verdict from the settings and the archiver's counters.
pub(crate) fn judge(
    mode: &str,
    command: &str,
    library: &str,
    last_failed_after_success: bool,
) -> Result<String, String> {
    if mode != "on" && mode != "always" {
        return Err(format!(
            "archive_mode is {mode}: set archive_mode = on and an archive_command"
        ));
    }
    let cmd = command.trim();
    if (cmd.is_empty() || cmd == "(disabled)") && library.trim().is_empty() {
        return Err(
            "archive_mode is on but neither archive_command nor archive_library is set".into(),
        );
    }
    if last_failed_after_success {
        return Err("pg_stat_archiver shows a failure after the last successful archive: WAL is not reaching the archive".into());
    }
    Ok(format!(
        "WAL is archived ({})",
        if library.trim().is_empty() {
            cmd.to_string()
        } else {
            library.trim().to_string()
        }
    ))
}

#[async_trait::async_trait]
impl Check for WalArchiving {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["point-in-time", "recovery", "pitr", "archiv"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if has_any(
            lower,
            &[
                "point-in-time recovery",
                "point in time recovery",
                "pitr",
                "wal archiving",
                "wal archive",
            ],
        ) {
            BindVerdict::Bind(vec![AutoBinding::new(
                "point-in-time recovery needs WAL archiving",
            )])
        } else {
            BindVerdict::No
        }
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let pool = match pool(&ctx).await {
            Ok(p) => p,
            Err(e) => return Outcome::error(e),
        };
        let mode = match setting(&pool, "archive_mode").await {
            Ok(v) => v,
            Err(e) => return Outcome::error(e),
        };
        let command = setting(&pool, "archive_command").await.unwrap_or_default();
        let library = setting(&pool, "archive_library").await.unwrap_or_default();
        let stats = rows(
            &pool,
            "SELECT archived_count, failed_count, COALESCE(last_failed_time > COALESCE(last_archived_time, 'epoch'::timestamptz), false) FROM pg_stat_archiver",
        )
        .await;
        let (archived, failed, failing) = match stats.as_deref() {
            Ok([row, ..]) => (
                row.try_get::<i64, _>(0).unwrap_or(0),
                row.try_get::<i64, _>(1).unwrap_or(0),
                row.try_get::<bool, _>(2).unwrap_or(false),
            ),
            Ok([]) => (0, 0, false),
            Err(e) => return Outcome::error(e.clone()),
        };
        let ev = Evidence::detail(format!(
            "archive_mode = {mode}, archive_command = {}, archive_library = {}, archived {archived}, failed {failed}",
            if command.is_empty() {
                "(empty)"
            } else {
                &command
            },
            if library.is_empty() {
                "(empty)"
            } else {
                &library
            }
        ));
        match judge(&mode, &command, &library, failing) {
            Ok(msg) => Outcome::pass(msg).with_evidence(ev),
            Err(msg) => Outcome::fail(msg).with_evidence(ev),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::judge;

    #[test]
    fn archiving_verdicts() {
        assert!(judge("on", "pgbackrest archive-push %p", "", false).is_ok());
        assert!(judge("always", "", "pgbackrest", false).is_ok());
        assert!(
            judge("off", "cp %p /a", "", false)
                .unwrap_err()
                .contains("archive_mode is off")
        );
        assert!(judge("on", "(disabled)", "", false).is_err());
        assert!(
            judge("on", "cp %p /a", "", true)
                .unwrap_err()
                .contains("failure")
        );
    }
}
