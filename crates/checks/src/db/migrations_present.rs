//! `db.migrations-present` — schema migrations exist for the migration framework in use.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

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
               Skipped when no framework is found.",
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
        let w = words(lower);
        if let Some(x) = [
            "applied", "run", "ran", "executed", "tested", "verified", "upgraded",
        ]
        .iter()
        .find(|x| w.contains(x))
        {
            return BindVerdict::Declined {
                why: format!("\"{x}\" is about a live database, not migration files"),
                candidates: vec![b],
            };
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
            return Outcome::skipped(
                "no migration framework found (Alembic, sqlx, Diesel, Flyway, Django, Rails, Prisma)",
            );
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
