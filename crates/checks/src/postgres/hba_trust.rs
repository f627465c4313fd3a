//! `postgres.no-trust-auth` — no `trust` authentication for connections from other hosts.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;
use sqlx::Row;

use super::conn::{pool, rows};
use super::names_database;
use crate::wording::{has_any, human_act};

pub struct HbaTrust;

static META: CheckMeta = CheckMeta {
    id: "postgres.no-trust-auth",
    title: "PostgreSQL does not trust connections from other hosts",
    target: TargetKind::Postgres,
    params: &[],
    docs: CheckDocs {
        what: "Reads `pg_hba_file_rules`: no rule for a `host`/`hostssl`/`hostnossl` connection from a non-loopback address may use `trust`. Local (socket) and loopback rules are allowed. Reading the rules needs superuser or pg_read_server_files; without it the check reports an error naming the grant.",
        why: "`trust` lets anyone who can reach the port log in as any user, password or not.",
        fix: "Replace `trust` with `scram-sha-256` for every rule whose address is not 127.0.0.1/32 or ::1/128, then reload.",
        example: "pg_hba.conf: host all all 10.0.0.0/8 scram-sha-256",
        binds: &[
            "PostgreSQL strong password set",
            "Database password authentication enforced",
            "No trust authentication in pg_hba.conf",
        ],
        not_binds: &[
            "Redis password set",
            "Changed default passwords in `.env`",
            "Password rotation policy defined",
        ],
    },
};

/// Rules that trust non-local connections: (line, address).
pub(crate) fn trusting(rules: &[(i32, String, Option<String>, String)]) -> Vec<(i32, String)> {
    rules
        .iter()
        .filter(|(_, ty, _, method)| ty != "local" && method == "trust")
        .filter(|(_, _, addr, _)| {
            let a = addr.as_deref().unwrap_or("all");
            !matches!(a, "127.0.0.1" | "::1" | "localhost" | "samehost") && !a.starts_with("127.")
        })
        .map(|(line, _, addr, _)| (*line, addr.clone().unwrap_or_else(|| "all".into())))
        .collect()
}

#[async_trait::async_trait]
impl Check for HbaTrust {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["password", "authentication", "pg_hba"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let section = view.item.section.join(" ").to_lowercase();
        let parent = view.parent_lower.unwrap_or("");
        let db = names_database(lower, &section)
            || names_database(parent, "")
            || lower.contains("pg_hba");
        let about_auth = has_any(
            lower,
            &[
                "strong password",
                "password authentication",
                "trust authentication",
                "pg_hba",
                "pg_hba.conf",
            ],
        );
        if db
            && about_auth
            && human_act(lower).is_none()
            && !has_any(lower, &["redis", "rotation", "default passwords"])
        {
            BindVerdict::Bind(vec![AutoBinding::new(
                "database authentication: no trust for remote hosts",
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
        let sql = "SELECT line_number, type, address, auth_method FROM pg_hba_file_rules WHERE error IS NULL ORDER BY line_number";
        let found = match rows(&pool, sql).await {
            Ok(r) => r,
            Err(e) if e.contains("insufficient privilege") || e.contains("permission denied") => {
                return Outcome::error(
                    "cannot read pg_hba_file_rules: connect as a superuser or grant pg_read_server_files to the checking role",
                );
            }
            Err(e) => return Outcome::error(e),
        };
        let rules: Vec<(i32, String, Option<String>, String)> = found
            .iter()
            .filter_map(|r| {
                Some((
                    r.try_get(0).ok()?,
                    r.try_get(1).ok()?,
                    r.try_get::<Option<String>, _>(2).ok()?,
                    r.try_get(3).ok()?,
                ))
            })
            .collect();
        let bad = trusting(&rules);
        if bad.is_empty() {
            Outcome::pass(format!(
                "none of the {} pg_hba.conf rules trusts a remote host",
                rules.len()
            ))
        } else {
            let mut o = Outcome::fail(format!(
                "pg_hba.conf trusts connections from {}: use scram-sha-256 instead",
                bad.iter()
                    .map(|(_, a)| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            for (line, addr) in bad {
                o = o.with_evidence(Evidence::at(
                    "pg_hba.conf",
                    Some(line as usize),
                    format!("trust for {addr}"),
                ));
            }
            o
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_remote_trust_is_a_failure() {
        let r = |line, ty: &str, addr: Option<&str>, m: &str| {
            (line, ty.to_string(), addr.map(String::from), m.to_string())
        };
        let rules = vec![
            r(1, "local", None, "trust"),
            r(2, "host", Some("127.0.0.1"), "trust"),
            r(3, "host", Some("::1"), "trust"),
            r(4, "host", Some("10.0.0.0"), "scram-sha-256"),
        ];
        assert!(super::trusting(&rules).is_empty());
        let mut open = rules.clone();
        open.push(r(5, "host", Some("0.0.0.0"), "trust"));
        open.push(r(6, "hostssl", None, "trust"));
        assert_eq!(
            super::trusting(&open),
            vec![(5, "0.0.0.0".to_string()), (6, "all".to_string())]
        );
    }
}
