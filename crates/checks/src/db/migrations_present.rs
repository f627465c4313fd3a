//! `db.migrations-present` — schema migrations exist for the migration framework in use.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::scope;

use crate::wording::{bind_unless_claims_more, has_any, human_act, leftover, words};

pub struct MigrationsPresent;

static META: CheckMeta = CheckMeta {
    id: "db.migrations-present",
    title: "Database migrations present for the framework in use",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "Detects the migration framework (Alembic: alembic.ini or alembic in the Python \
               dependencies; sqlx or Diesel in Cargo.toml or diesel.toml; Flyway: flyway.conf/\
               .toml or flyway in pom.xml/build.gradle; Django: manage.py; Rails: rails in the \
               Gemfile; Prisma: schema.prisma) and requires its migration files: \
               …/versions/*.py, migrations/*.sql, migrations/*/up.sql, db/migration/V*__*.sql, \
               <app>/migrations/0001_*.py, db/migrate/*.rb, prisma/migrations/*/migration.sql. \
               Without a framework config, migration files some tool reads count \
               (`V1__x.sql`, `001_x.up.sql`, Liquibase changelogs, numbered files under a \
               migrations folder), as do schema steps applied by version in code; tables \
               created at run time with nothing versioned (create-table statements in an \
               init script or code, SQLAlchemy's create_all, GORM's AutoMigrate, EF Core's \
               EnsureCreated) fail. Skipped when none of these is found.",
        why: "A schema changed by hand in production cannot be reproduced, reviewed or rolled \
              back; migrations in the repository are the schema's history.",
        fix: "Generate the initial migration (alembic revision --autogenerate, sqlx migrate add, \
              diesel migration generate, manage.py makemigrations, rails g migration, prisma \
              migrate dev) and commit it.",
        example: "alembic/versions/3f2a9c1d_create_users.py",
        binds: &[
            "Database migrations present",
            "Migrations committed",
            "Database schema migrations in place",
        ],
        not_binds: &[
            "Database migrations applied (`alembic upgrade head`)",
            "Migration guide",
            "Migrations tested on staging",
        ],
    },
};

struct Framework {
    name: &'static str,
    /// (file name, text it must contain — empty for any)
    markers: &'static [(&'static str, &'static str)],
    migration: fn(&str) -> bool,
}

fn seg(rel: &str, dir: &str) -> bool {
    format!("/{rel}").contains(&format!("/{dir}/"))
}

const FRAMEWORKS: &[Framework] = &[
    Framework {
        name: "Alembic",
        markers: &[
            ("alembic.ini", ""),
            ("pyproject.toml", "alembic"),
            ("requirements.txt", "alembic"),
            ("setup.py", "alembic"),
        ],
        migration: |r| seg(r, "versions") && r.ends_with(".py") && !r.ends_with("__init__.py"),
    },
    Framework {
        name: "sqlx",
        // Embedding migrations (the macro; written in two pieces so this file does not match
        // itself) marks sqlx as in use; merely depending on it marks it only when migration
        // files exist too (see `weak_sqlx`), since sqlx is also a plain database client.
        markers: &[
            ("*.rs", concat!("sqlx::migrate", "!(")),
            ("Cargo.toml", "sqlx"),
        ],
        migration: |r| seg(r, "migrations") && r.ends_with(".sql"),
    },
    Framework {
        name: "Diesel",
        markers: &[("diesel.toml", ""), ("Cargo.toml", "diesel")],
        migration: |r| seg(r, "migrations") && (r.ends_with("/up.sql") || r.ends_with(".sql")),
    },
    Framework {
        name: "Flyway",
        markers: &[
            ("flyway.conf", ""),
            ("flyway.toml", ""),
            ("pom.xml", "flyway"),
            ("build.gradle", "flyway"),
            ("build.gradle.kts", "flyway"),
        ],
        migration: |r| {
            let n = r.rsplit('/').next().unwrap_or(r);
            (n.starts_with('V') || n.starts_with('R')) && n.contains("__") && n.ends_with(".sql")
        },
    },
    Framework {
        name: "Django",
        markers: &[("manage.py", "django")],
        migration: |r| {
            let n = r.rsplit('/').next().unwrap_or(r);
            seg(r, "migrations")
                && n.ends_with(".py")
                && n.chars().next().is_some_and(|c| c.is_ascii_digit())
        },
    },
    Framework {
        name: "Rails",
        markers: &[("Gemfile", "rails")],
        migration: |r| seg(r, "db/migrate") && r.ends_with(".rb"),
    },
    Framework {
        name: "Prisma",
        markers: &[("schema.prisma", "")],
        migration: |r| seg(r, "migrations") && r.ends_with("migration.sql"),
    },
];

#[async_trait::async_trait]
impl Check for MigrationsPresent {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["migrations"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["migration"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(
            lower,
            &[
                "migrations",
                "migration",
                "schema migrations",
                "database migrations",
            ],
        ) || has_any(lower, &["migration guide", "data migration plan"])
        {
            return BindVerdict::No;
        }
        let b = AutoBinding::new("wording says database migrations exist");
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement"),
                candidates: vec![b],
            };
        }
        // Words about something migration files do not show: a live database ("applied",
        // "run"), or a document or plan about migrations ("document migration execution
        // steps", "migration rollback plan").
        const ELSEWHERE: &[(&[&str], &str)] = &[
            (
                &[
                    "applied", "run", "ran", "executed", "tested", "verified", "upgraded",
                ],
                "a live database",
            ),
            (
                &[
                    "document",
                    "documented",
                    "documentation",
                    "steps",
                    "plan",
                    "plans",
                    "procedure",
                    "procedures",
                    "runbook",
                    "rollback",
                ],
                "a document or plan",
            ),
        ];
        let w = words(lower);
        for (said, about) in ELSEWHERE {
            if let Some(x) = said.iter().find(|x| w.contains(x)) {
                return BindVerdict::Declined {
                    why: format!("\"{x}\" is about {about}, not migration files"),
                    candidates: vec![b],
                };
            }
        }
        let extra = leftover(
            lower,
            &[
                "database",
                "db",
                "schema",
                "migrations",
                "migration",
                "files",
                "sql",
                // How teams say migrations are kept: the tools, and schema changes delivered
                // as versioned scripts.
                "alembic",
                "flyway",
                "liquibase",
                "prisma",
                "diesel",
                "sqlx",
                "django",
                "rails",
                "knex",
                "typeorm",
                "sequelize",
                "goose",
                "orm",
                "change",
                "changes",
                "script",
                "scripts",
                "managed",
                "delivered",
                "made",
                "new",
                "table",
                "tables",
                "tool",
                "tooling",
                "checked",
            ],
        );
        bind_unless_claims_more(&extra, 0, "migration files", vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let files: Vec<&str> = ctx
            .repo_index()
            .files
            .iter()
            .map(|f| f.rel.as_str())
            .filter(|r| !crate::repo::is_fixture(r))
            .collect();
        let mut used = Vec::new();
        for fw in FRAMEWORKS {
            let marker = files.iter().find(|r| {
                let n = r.rsplit('/').next().unwrap_or(r);
                fw.markers.iter().any(|(file, needle)| {
                    (*file == n || file.strip_prefix('*').is_some_and(|ext| n.ends_with(ext)))
                        && (needle.is_empty()
                            || ctx
                                .text(r)
                                .as_ref()
                                .as_ref()
                                .is_ok_and(|t| t.text.to_lowercase().contains(needle)))
                })
            });
            if let Some(m) = marker {
                let weak_sqlx = fw.name == "sqlx" && m.ends_with("Cargo.toml");
                if !weak_sqlx || files.iter().any(|r| (fw.migration)(r)) {
                    used.push((fw, *m));
                }
            }
        }
        if used.is_empty() {
            return without_framework(&ctx, &files);
        }
        let mut missing = Vec::new();
        let mut found = Vec::new();
        for (fw, marker) in &used {
            let migrations: Vec<&&str> = files.iter().filter(|r| (fw.migration)(r)).collect();
            if migrations.is_empty() {
                missing.push(Evidence::at(
                    marker.to_string(),
                    None,
                    format!("{} in use, no migration files", fw.name),
                ));
            } else {
                found.push(Evidence::at(
                    migrations[0].to_string(),
                    None,
                    format!(
                        "{}: {} migration file{}",
                        fw.name,
                        migrations.len(),
                        if migrations.len() == 1 { "" } else { "s" }
                    ),
                ));
            }
        }
        // A crate may list both sqlx and Diesel; they read the same `migrations/`.
        let rust_found = found
            .iter()
            .any(|e| e.detail.starts_with("sqlx") || e.detail.starts_with("Diesel"));
        missing.retain(|e| {
            !(rust_found && (e.detail.starts_with("sqlx") || e.detail.starts_with("Diesel")))
        });
        if !missing.is_empty() {
            let mut o = Outcome::fail(format!(
                "{} is used ({}) but no migration files are committed: generate and commit the migrations",
                missing[0].detail.split(' ').next().unwrap_or(""),
                missing[0].file.as_deref().unwrap_or("")
            ));
            for e in missing {
                o = o.with_evidence(e);
            }
            return o;
        }
        let mut o = Outcome::pass(
            found
                .iter()
                .map(|e| e.detail.clone())
                .collect::<Vec<_>>()
                .join("; "),
        );
        for e in found {
            o = o.with_evidence(e);
        }
        o
    }
}

/// Migration files a tool without a config file of its own reads: golang-migrate's
/// `001_x.up.sql`, Flyway's `V1__x.sql`, goose's and dbmate's annotated SQL, Liquibase
/// changelogs, and the migration folders of Laravel, Ecto, knex/TypeORM/Sequelize and EF Core.
fn is_generic_migration(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let numbered = name.chars().next().is_some_and(|c| c.is_ascii_digit());
    let in_migrations = ["migrations", "migration", "migrate"]
        .iter()
        .any(|d| seg(&lower, d));
    (name.ends_with(".up.sql") && numbered)
        || (name.starts_with('v') && name.contains("__") && ext == "sql")
        || (lower.contains("changelog") && name.starts_with("db.changelog"))
        || (in_migrations
            && numbered
            && matches!(
                ext,
                "sql" | "js" | "ts" | "php" | "exs" | "cs" | "go" | "py" | "rb"
            ))
}

/// Tables made at run time instead of by versioned migrations: a create-table statement with
/// its column list, or an ORM's create-everything call. Written as statements and calls, so
/// a string that only names them (a linter's, or this file's) is not one.
static IN_CODE_SCHEMA: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r#"(?i)\bcreate\s+table\s+(?:if\s+not\s+exists\s+)?[\w."`\[\]]+\s*\(|\b(?:metadata|db)\.create_all\(|[\w)]\.AutoMigrate\(|[\w)]\.EnsureCreated(?:Async)?\(|[\w)]\.sync\(\s*\{|synchronize:\s*true"#,
    )
    .expect("schema regex")
});

/// No framework: migration files some tool reads count; tables created in code or by an
/// init script, with nothing versioned, fail; otherwise there is nothing to judge.
fn without_framework(ctx: &RunContext, files: &[&str]) -> Outcome {
    let product: Vec<&str> = files
        .iter()
        .copied()
        .filter(|r| scope::of(r).is_product())
        .collect();
    let migrations: Vec<&str> = product
        .iter()
        .copied()
        .filter(|r| is_generic_migration(r))
        .collect();
    if let Some(first) = migrations.first() {
        return Outcome::pass(format!(
            "{} migration file{} (no framework config; named as migration tools name them)",
            migrations.len(),
            if migrations.len() == 1 { "" } else { "s" }
        ))
        .with_evidence(Evidence::at(first.to_string(), None, "migration file"));
    }
    let init_scripts = init_script_mounts(ctx, &product);
    let mut unversioned: Option<(String, usize, String)> = None;
    for rel in product.iter().filter(|r| is_code_or_sql(r)) {
        // A `.sql` file is a schema only when a database runs it at start (a query file, a
        // schema a code generator reads, a test input are not); code is judged by its calls.
        if rel.ends_with(".sql") && !is_mounted_init_script(rel, &init_scripts) {
            continue;
        }
        let text = ctx.text(rel);
        let Ok(t) = text.as_ref() else { continue };
        let Some(m) = IN_CODE_SCHEMA.find(&t.text) else {
            continue;
        };
        let line = t.text[..m.start()].matches('\n').count() + 1;
        // A list of schema steps applied by version (`PRAGMA user_version`, a
        // `schema_migrations` table) is migrations kept in code.
        let lower = t.text.to_ascii_lowercase();
        if ["migration", "user_version", "schema_version"]
            .iter()
            .any(|w| lower.contains(w))
        {
            return Outcome::pass(format!("versioned schema migrations kept in code: {rel}"))
                .with_evidence(Evidence::at(
                    rel.to_string(),
                    Some(line),
                    "schema steps applied by version",
                ));
        }
        // In code, only a statement that creates when missing (or an ORM's call) is run-time
        // creation; a bare one may be a query string or a fixture.
        let found = m.as_str().to_ascii_lowercase();
        let creates_when_missing = !found.starts_with("create") || found.contains("exists");
        if unversioned.is_none() && (rel.ends_with(".sql") || creates_when_missing) {
            let shown: String = m.as_str().split_whitespace().collect::<Vec<_>>().join(" ");
            unversioned = Some((rel.to_string(), line, shown));
        }
    }
    if let Some((rel, line, shown)) = unversioned {
        return Outcome::fail(format!(
            "the schema is created at run time ({rel}: `{}`) and no migration is versioned: \
             commit migrations so schema changes are reviewed and reproducible",
            shown.trim_end_matches('(').trim_end()
        ))
        .with_evidence(Evidence::at(
            rel,
            Some(line),
            "creates tables outside any migration",
        ));
    }
    Outcome::skipped(
        "no migration framework (Alembic, sqlx, Diesel, Flyway, Django, Rails, Prisma), no \
         migration files and no schema created in code",
    )
}

/// Lines of the product's Compose files, Dockerfiles and manifests that hand files to a
/// database image's start-up scripts (`/docker-entrypoint-initdb.d`).
fn init_script_mounts(ctx: &RunContext, product: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for rel in product {
        let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        if !(matches!(ext, "yml" | "yaml") || name.contains("dockerfile")) {
            continue;
        }
        let text = ctx.text(rel);
        let Ok(t) = text.as_ref() else { continue };
        if !t.text.contains("docker-entrypoint-initdb.d") {
            continue;
        }
        out.extend(
            t.text
                .lines()
                .filter(|l| l.contains("docker-entrypoint-initdb.d"))
                .map(str::to_string),
        );
    }
    out
}

/// Whether a mount or COPY line names the file or its folder.
fn is_mounted_init_script(rel: &str, mounts: &[String]) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let dir_name = dir.rsplit('/').next().unwrap_or(dir);
    mounts.iter().any(|l| {
        l.contains(name)
            || (!dir_name.is_empty() && l.contains(&format!("{dir_name}/")))
            || (!dir_name.is_empty() && l.contains(&format!("{dir_name}:")))
    })
}

/// Source and SQL files where a schema may be created (documents and manifests are not).
fn is_code_or_sql(rel: &str) -> bool {
    let ext = rel.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        ext,
        "sql" | "py" | "go" | "js" | "ts" | "rb" | "java" | "kt" | "cs" | "php" | "rs" | "ex"
    )
}
