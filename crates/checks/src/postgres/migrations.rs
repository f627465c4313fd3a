//! `postgres.migrations-applied` — every migration in the repository is applied to the database.
//!
//! Frameworks are recognised by their files (Alembic, sqlx, Diesel, Rails, Django, Flyway); each
//! keeps its history in a table, which is compared with the repository's migrations.

use std::collections::BTreeSet;
use std::sync::{Arc, LazyLock};

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;
use regex::Regex;
use sqlx::Row;

use super::conn::{pool, rows};
use crate::wording::{has_any, human_act};

pub struct Migrations;

static META: CheckMeta = CheckMeta {
    id: "postgres.migrations-applied",
    title: "Database migrations in the repository are applied",
    target: TargetKind::Postgres,
    params: &[],
    docs: CheckDocs {
        what: "Finds the repository's migrations (Alembic `versions/*.py`, sqlx `migrations/*.sql`, Diesel `migrations/*/up.sql`, Rails `db/migrate/*.rb`, Django `*/migrations/*.py`, Flyway `V*__*.sql`) and compares them with the framework's history table in the database: Alembic's head revision must be current; for the others every migration must be recorded (and successful where the table says so).",
        why: "Code that expects a column the database does not have fails on its first query; an unapplied migration is one of the commonest causes of a broken deploy.",
        fix: "Run the framework's migrate command against the production database as part of the deploy (`alembic upgrade head`, `sqlx migrate run`, `diesel migration run`, `rails db:migrate`, `python manage.py migrate`, `flyway migrate`).",
        example: "- [ ] Database migrations applied (`alembic upgrade head`)   → alembic_version = repository head passes",
        binds: &[
            "Database migrations applied (`alembic upgrade head`)",
            "All migrations applied to production",
            "DB schema migrations up to date",
        ],
        not_binds: &[
            "Migration guide",
            "Database migrations present",
            "Rollback migrations tested",
        ],
    },
};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Framework {
    /// Heads of the revision graph.
    Alembic(BTreeSet<String>),
    /// (framework name, history table, SQL returning applied versions, versions in the repository)
    Versioned(&'static str, &'static str, &'static str, BTreeSet<String>),
}

static ALEMBIC_REV: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)^revision\s*(?::\s*\w+\s*)?=\s*['"]([0-9A-Za-z_]+)['"]"#).expect("regex")
});
static ALEMBIC_DOWN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?m)^down_revision\s*(?::[^=]+)?=\s*(.+)$"#).expect("regex"));
static QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"['"]([0-9A-Za-z_]+)['"]"#).expect("regex"));

/// The frameworks whose migrations the repository holds.
pub(crate) fn detect(ctx: &RunContext) -> Vec<Framework> {
    let index = ctx.repo_index();
    let mut out = Vec::new();
    // Alembic: revision files in a `versions/` folder.
    let (mut revs, mut downs) = (BTreeSet::new(), BTreeSet::new());
    for f in index.find(|name, rel| name.ends_with(".py") && rel.contains("versions/")) {
        let Ok(t) = ctx.text(&f.rel).as_ref().clone() else {
            continue;
        };
        if let Some(c) = ALEMBIC_REV.captures(&t.text) {
            revs.insert(c[1].to_string());
            if let Some(d) = ALEMBIC_DOWN.captures(&t.text) {
                downs.extend(QUOTED.captures_iter(&d[1]).map(|c| c[1].to_string()));
            }
        }
    }
    if !revs.is_empty() {
        out.push(Framework::Alembic(
            revs.difference(&downs).cloned().collect(),
        ));
    }
    let collect = |re: &Regex, filter: &dyn Fn(&str) -> bool| -> BTreeSet<String> {
        index
            .files
            .iter()
            .filter(|f| filter(&f.rel))
            .filter_map(|f| re.captures(&f.rel).map(|c| c[1].replace(['-', '_'], "")))
            .collect()
    };
    let sqlx = collect(
        &Regex::new(r"(?:^|/)migrations/(\d+)_[^/]+\.sql$").expect("regex"),
        &|r| !r.contains(".down.sql"),
    );
    if !sqlx.is_empty() {
        let v: BTreeSet<String> = sqlx
            .into_iter()
            .map(|s| s.trim_start_matches('0').to_string())
            .collect();
        out.push(Framework::Versioned(
            "sqlx",
            "_sqlx_migrations",
            "SELECT version::text FROM _sqlx_migrations WHERE success",
            v,
        ));
    }
    let diesel = collect(
        &Regex::new(r"(?:^|/)migrations/([\d_-]{8,})_[^/]+/up\.sql$").expect("regex"),
        &|_| true,
    );
    if !diesel.is_empty() {
        out.push(Framework::Versioned(
            "diesel",
            "__diesel_schema_migrations",
            "SELECT version FROM __diesel_schema_migrations",
            diesel,
        ));
    }
    let rails = collect(
        &Regex::new(r"(?:^|/)db/migrate/(\d{14})_[^/]+\.rb$").expect("regex"),
        &|_| true,
    );
    if !rails.is_empty() {
        out.push(Framework::Versioned(
            "rails",
            "schema_migrations",
            "SELECT version FROM schema_migrations",
            rails,
        ));
    }
    let django: BTreeSet<String> = index
        .files
        .iter()
        .filter_map(|f| {
            let c = Regex::new(
                r"(?:^|/)([A-Za-z_][A-Za-z0-9_]*)/migrations/(\d{4}_[A-Za-z0-9_]+)\.py$",
            )
            .expect("regex")
            .captures(&f.rel)?;
            Some(format!("{}.{}", &c[1], &c[2]))
        })
        .collect();
    if !django.is_empty() {
        out.push(Framework::Versioned(
            "django",
            "django_migrations",
            "SELECT app || '.' || name FROM django_migrations",
            django,
        ));
    }
    let flyway = collect(
        &Regex::new(r"(?:^|/)V([0-9._]+)__[^/]+\.sql$").expect("regex"),
        &|_| true,
    );
    if !flyway.is_empty() {
        out.push(Framework::Versioned("flyway", "flyway_schema_history", "SELECT replace(replace(version, '.', ''), '_', '') FROM flyway_schema_history WHERE success", flyway));
    }
    out
}

#[async_trait::async_trait]
impl Check for Migrations {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["migration"]
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["migrations-run"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let applied = has_any(
            lower,
            &["applied", "up to date", "up-to-date", "current", "run"],
        );
        if has_any(lower, &["migrations", "migration"])
            && applied
            && human_act(lower).is_none()
            && !has_any(lower, &["guide", "rollback", "tested"])
        {
            BindVerdict::Bind(vec![AutoBinding::new(
                "migrations must be applied to the database",
            )])
        } else {
            BindVerdict::No
        }
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let scan = ctx.clone();
        let frameworks = tokio::task::spawn_blocking(move || detect(&scan))
            .await
            .unwrap_or_default();
        if frameworks.is_empty() {
            return Outcome::skipped(
                "no database migrations found in the repository (Alembic, sqlx, Diesel, Rails, Django or Flyway)",
            );
        }
        let pool = match pool(&ctx).await {
            Ok(p) => p,
            Err(e) => return Outcome::error(e),
        };
        let mut problems = Vec::new();
        let mut evidence = Vec::new();
        for fw in frameworks {
            let (name, table, sql, want) = match &fw {
                Framework::Alembic(heads) => (
                    "alembic",
                    "alembic_version",
                    "SELECT version_num FROM alembic_version",
                    heads.clone(),
                ),
                Framework::Versioned(n, t, s, v) => (*n, *t, *s, v.clone()),
            };
            let exists = rows(&pool, &format!("SELECT to_regclass('{table}') IS NOT NULL")).await;
            match exists
                .as_deref()
                .map(|r| r.first().and_then(|row| row.try_get::<bool, _>(0).ok()))
            {
                Ok(Some(true)) => {}
                Ok(_) => {
                    problems.push(format!("{name}: the table {table} does not exist, so no migration was ever applied to this database"));
                    continue;
                }
                Err(e) => return Outcome::error(e.clone()),
            }
            let applied: BTreeSet<String> = match rows(&pool, sql).await {
                Ok(r) => r
                    .iter()
                    .filter_map(|row| row.try_get::<String, _>(0).ok())
                    .map(|v| v.trim_start_matches('0').to_string())
                    .collect(),
                Err(e) => return Outcome::error(e),
            };
            let want_n: BTreeSet<String> = want
                .iter()
                .map(|v| v.trim_start_matches('0').to_string())
                .collect();
            let missing: Vec<&String> = want_n.difference(&applied).collect();
            evidence.push(Evidence::detail(format!(
                "{name}: {} in the repository, {} recorded in {table}",
                want_n.len(),
                applied.len()
            )));
            if !missing.is_empty() {
                let shown: Vec<&str> = missing.iter().take(5).map(|s| s.as_str()).collect();
                problems.push(format!(
                    "{name}: {} not applied ({}{})",
                    if matches!(fw, Framework::Alembic(_)) {
                        "head revision".to_string()
                    } else {
                        format!("{} migration(s)", missing.len())
                    },
                    shown.join(", "),
                    if missing.len() > 5 { ", …" } else { "" }
                ));
            }
        }
        let mut o = if problems.is_empty() {
            Outcome::pass("every migration in the repository is applied")
        } else {
            Outcome::fail(format!(
                "{}: run the migrations against this database",
                problems.join("; ")
            ))
        };
        o.evidence = evidence;
        o
    }
}
