//! `postgres.pooler-pool-size` — the connection pooler the checklist names (PgBouncer) keeps
//! pools as large as the item plans, and accepts that many clients.

use std::sync::{Arc, LazyLock};

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use regex::Regex;
use serde_json::Value;

use super::pgbouncer::{Database, Num, Settings, Source, TIMEOUT, parse_ini, read_live};
use crate::wording::{has_any, human_act};

pub struct PoolerPoolSize;

static META: CheckMeta = CheckMeta {
    id: "postgres.pooler-pool-size",
    title: "PgBouncer's pools are as large as planned",
    target: TargetKind::Repository,
    params: &[
        ParamSpec {
            name: "pool_size",
            kind: ParamKind::Integer,
            default: None,
            required: false,
            doc: "server connections each pool (database and user) must be able to open (`PgBouncer pool size 20`, `PgBouncer, 50 connections`)",
        },
        ParamSpec {
            name: "max_client_conn",
            kind: ParamKind::Integer,
            default: None,
            required: false,
            doc: "client connections PgBouncer must accept (`50 connections` asks for this too)",
        },
        ParamSpec {
            name: "database",
            kind: ParamKind::Text,
            default: None,
            required: false,
            doc: "judge only this [databases] entry (default: every entry)",
        },
    ],
    docs: CheckDocs {
        what: "Reads PgBouncer's settings from its admin console (`--pgbouncer URL`: `SHOW CONFIG`, `SHOW DATABASES`, `SHOW POOLS`) or, without one, from the `pgbouncer.ini` files of the repository, and resolves each database's pool as PgBouncer does: the entry's `pool_size` or `default_pool_size`, capped by `max_db_connections` and `max_user_connections`. Each pool must reach the item's number and `max_client_conn` must accept it. `reserve_pool_size` is shown, not counted: it opens only after clients have waited.",
        why: "A pool smaller than the application plans queues requests inside PgBouncer (`cl_waiting`) until `query_wait_timeout` fails them, and a `max_client_conn` below the planned clients refuses connections outright: both show up only at the first traffic peak.",
        fix: "Raise `default_pool_size` (or the database's `pool_size=` in `[databases]`), and `max_client_conn`, in pgbouncer.ini and reload PgBouncer; keep PostgreSQL's `max_connections` above the sum of all pools. For the console, list the checking user in `admin_users` or `stats_users`.",
        example: "- [ ] Connection pooling configured (PgBouncer, 50 connections)   → pgbouncer.ini: default_pool_size = 50, max_client_conn = 500",
        binds: &[
            "Connection pooling configured (PgBouncer, 50 connections)",
            "PgBouncer pool size 20",
            "PgBouncer default_pool_size = 25 and max_client_conn = 1000",
        ],
        not_binds: &[
            "Connection pooling configured (PgBouncer)",
            "Connection pooling configured (50 connections for prod)",
            "PgBouncer load tested with 500 connections",
            "PgBouncer reserve_pool_size 5",
            "Alert when PgBouncer has more than 10 waiting clients",
            "Pgpool-II configured with 50 connections",
        ],
    },
};

/// Poolers whose pool sizes gonogo does not read: named, they are declined with a reason.
const OTHER_POOLERS: &[(&str, &str)] = &[
    ("pgpool", "Pgpool-II"),
    ("pgpool-ii", "Pgpool-II"),
    ("pgpool2", "Pgpool-II"),
    ("odyssey", "Odyssey"),
    ("pgcat", "PgCat"),
    ("supavisor", "Supavisor"),
    ("pgdog", "PgDog"),
    ("rds proxy", "RDS Proxy"),
];

/// Wordings that claim a run, a watch or a setting this check does not judge.
const OTHER_CLAIMS: &[&str] = &[
    "tested",
    "load test",
    "benchmark",
    "benchmarked",
    "stress",
    "concurrent",
    "simulated",
    "under load",
    "alert",
    "alerts",
    "alerting",
    "monitored",
    "monitoring",
    "dashboard",
    "waiting",
    "latency",
    "timeout",
    "reserve",
    "reserve_pool_size",
    "min_pool_size",
    "max_connections",
];

static POOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:default_)?pool[ _]?size\D{0,15}?(\d{1,6})\b|\bpool of (\d{1,6})\b|\b(\d{1,6})[ -]conn(?:ection)?s?[ -]pool",
    )
    .expect("regex")
});
static CONNECTIONS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(\d{1,6})\s*(?:\+\s*)?(?:server |pooled |pool |db |database |backend )?connections\b",
    )
    .expect("regex")
});
static CLIENTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"max_client_conn\D{0,15}?(\d{1,6})\b|\b(\d{1,6})\s*(?:client connections|clients)\b",
    )
    .expect("regex")
});

fn first_number(re: &Regex, text: &str) -> Option<i64> {
    re.captures(text).and_then(|c| {
        c.iter()
            .skip(1)
            .flatten()
            .find_map(|m| m.as_str().parse().ok())
    })
}

#[async_trait::async_trait]
impl Check for PoolerPoolSize {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec![
            "bouncer",
            "pgpool",
            "odyssey",
            "pgcat",
            "supavisor",
            "pgdog",
            "proxy",
        ]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let pgbouncer = has_any(lower, &["pgbouncer", "pg bouncer", "pg_bouncer"]);
        let other = OTHER_POOLERS
            .iter()
            .find(|(w, _)| has_any(lower, &[w]))
            .map(|(_, name)| *name);
        if (!pgbouncer && other.is_none())
            || human_act(lower).is_some()
            || has_any(lower, OTHER_CLAIMS)
            || lower.contains('%')
        {
            return BindVerdict::No;
        }
        let connections = first_number(&CONNECTIONS, lower);
        let pool = first_number(&POOL, lower).or(connections);
        let clients = first_number(&CLIENTS, lower).or(connections);
        if pool.is_none() && clients.is_none() {
            return BindVerdict::No;
        }
        if !pgbouncer {
            return BindVerdict::Declined {
                why: format!(
                    "names {}: gonogo reads the pool sizes of PgBouncer only (its admin console or pgbouncer.ini), so a person must check this one",
                    other.unwrap_or("another pooler")
                ),
                candidates: Vec::new(),
            };
        }
        let mut b = AutoBinding::new(match (pool, clients) {
            (Some(p), Some(c)) if p == c => format!("PgBouncer planned for {p} connections"),
            (Some(p), Some(c)) => format!("PgBouncer pools of {p}, {c} clients"),
            (Some(p), None) => format!("PgBouncer pools of {p}"),
            (None, Some(c)) => format!("PgBouncer accepts {c} clients"),
            (None, None) => unreachable!("one of them is set"),
        });
        if let Some(p) = pool {
            b = b.with("pool_size", Value::from(p));
        }
        if let Some(c) = clients {
            b = b.with("max_client_conn", Value::from(c));
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let want = Want {
            pool: params.get("pool_size").and_then(Value::as_i64),
            clients: params.get("max_client_conn").and_then(Value::as_i64),
            database: params
                .get("database")
                .and_then(Value::as_str)
                .map(String::from),
        };
        if want.pool.is_none() && want.clients.is_none() {
            return Outcome::error(
                "nothing to compare: give pool_size or max_client_conn (or write the number in the item)",
            );
        }
        if let Some(url) = &ctx.pgbouncer {
            return match read_live(url, TIMEOUT).await {
                Ok(s) => judge(&s, &want).into_outcome(),
                Err(e) => Outcome::error(e),
            };
        }
        let c = ctx.clone();
        let files = tokio::task::spawn_blocking(move || ini_files(&c))
            .await
            .unwrap_or_default();
        if files.is_empty() {
            return Outcome::skipped(
                "no PgBouncer given (use --pgbouncer URL for its admin console) and no pgbouncer.ini in the repository",
            );
        }
        let mut judged = Vec::new();
        for rel in files {
            match &*ctx.text(&rel) {
                Ok(t) => judged.push(judge(&parse_ini(&rel, &t.text), &want)),
                Err(e) => judged.push(Judged {
                    verdict: None,
                    message: format!("{rel} not read: {e}"),
                    evidence: vec![Evidence::at(rel.clone(), None, e.clone())],
                }),
            }
        }
        combine(judged)
    }
}

/// `pgbouncer*.ini` files of the repository, test fixtures and examples left out.
fn ini_files(ctx: &RunContext) -> Vec<String> {
    ctx.repo_index()
        .find(|name, rel| {
            name.starts_with("pgbouncer")
                && name.ends_with(".ini")
                && !crate::repo::is_fixture(rel)
                && !format!("/{rel}").contains("/test/")
                && !format!("/{rel}").contains("/tests/")
        })
        .map(|f| f.rel.clone())
        .collect()
}

struct Want {
    pool: Option<i64>,
    clients: Option<i64>,
    database: Option<String>,
}

/// One source's verdict: `None` when a value needed is not a number (a template).
struct Judged {
    verdict: Option<bool>,
    message: String,
    evidence: Vec<Evidence>,
}

impl Judged {
    fn into_outcome(self) -> Outcome {
        let mut o = match self.verdict {
            Some(true) => Outcome::pass(self.message),
            Some(false) => Outcome::fail(self.message),
            None => Outcome::skipped(self.message),
        };
        o.evidence = self.evidence;
        o
    }
}

/// Several ini files: any short one fails; all readable ones meeting it pass (saying which
/// were not judged); none judged is skipped.
fn combine(judged: Vec<Judged>) -> Outcome {
    if judged.len() == 1 {
        return judged.into_iter().next().expect("one").into_outcome();
    }
    let mut evidence = Vec::new();
    let (mut pass, mut fail, mut unknown) = (Vec::new(), Vec::new(), Vec::new());
    for j in judged {
        evidence.extend(j.evidence);
        match j.verdict {
            Some(true) => pass.push(j.message),
            Some(false) => fail.push(j.message),
            None => unknown.push(j.message),
        }
    }
    let mut o = if !fail.is_empty() {
        Outcome::fail(fail.join("; "))
    } else if !pass.is_empty() {
        let mut m = pass.join("; ");
        if !unknown.is_empty() {
            m.push_str(&format!(" (partial: {})", unknown.join("; ")));
        }
        Outcome::pass(m)
    } else {
        Outcome::skipped(unknown.join("; "))
    };
    o.evidence = evidence;
    o
}

/// A database's pool as PgBouncer opens it, with what limits it.
struct Pool<'a> {
    db: &'a Database,
    /// `None` when a value is not a number.
    size: Option<i64>,
    limited_by: &'static str,
}

fn pool_of<'a>(db: &'a Database, s: &Settings) -> Pool<'a> {
    let num = |n: &Num| n.value.as_ref().ok().copied();
    let (Some(mut size), Some(cap), Some(per_user)) = (
        num(&db.pool_size),
        num(&db.cap),
        num(&s.max_user_connections),
    ) else {
        return Pool {
            db,
            size: None,
            limited_by: "",
        };
    };
    let mut limited_by = if db.own_pool_size {
        "its pool_size"
    } else {
        "default_pool_size"
    };
    if cap > 0 && cap < size {
        size = cap;
        limited_by = "max_db_connections";
    }
    if per_user > 0 && per_user < size {
        size = per_user;
        limited_by = "max_user_connections";
    }
    Pool {
        db,
        size: Some(size),
        limited_by,
    }
}

fn judge(s: &Settings, want: &Want) -> Judged {
    let file = match &s.source {
        Source::Ini(f) => Some(f.clone()),
        Source::Live(_) => None,
    };
    let at = |line: Option<usize>, detail: String| match &file {
        Some(f) => Evidence::at(f.clone(), line, detail),
        None => Evidence::detail(detail),
    };
    let mut evidence = vec![at(
        None,
        match &s.source {
            Source::Live(url) => format!(
                "read from PgBouncer's admin console at {url} (SHOW CONFIG, SHOW DATABASES, SHOW POOLS)"
            ),
            Source::Ini(_) => {
                "read from the repository's pgbouncer.ini (no --pgbouncer URL given)".into()
            }
        },
    )];
    evidence.push(at(
        s.default_pool_size.line,
        format!(
            "default_pool_size = {}, max_client_conn = {}, max_db_connections = {}, max_user_connections = {}, reserve_pool_size = {} (not counted), pool_mode = {}",
            s.default_pool_size.show(),
            s.max_client_conn.show(),
            s.max_db_connections.show(),
            s.max_user_connections.show(),
            s.reserve_pool_size.show(),
            s.pool_mode.as_deref().unwrap_or("session (default)"),
        ),
    ));

    // Every [databases] entry, or the one asked for; with none, the pool any database gets.
    let fallback = Database {
        name: "(any database)".into(),
        line: None,
        pool_size: s.default_pool_size.clone(),
        own_pool_size: false,
        cap: s.max_db_connections.clone(),
        pool_mode: None,
    };
    let mut missing = None;
    let dbs: Vec<&Database> = match &want.database {
        Some(name) => match s
            .databases
            .iter()
            .find(|d| &d.name == name)
            .or_else(|| s.databases.iter().find(|d| d.name == "*"))
        {
            Some(d) => vec![d],
            None if s.databases.is_empty() || matches!(s.source, Source::Live(_)) => {
                vec![&fallback]
            }
            None => {
                missing = Some(name.clone());
                Vec::new()
            }
        },
        None if s.databases.is_empty() => vec![&fallback],
        None => s.databases.iter().collect(),
    };
    let pools: Vec<Pool> = dbs.iter().map(|d| pool_of(d, s)).collect();
    for p in &pools {
        evidence.push(at(
            p.db.line,
            format!(
                "database {}: pool_size {}{}, max_db_connections {} → {}{}",
                p.db.name,
                p.db.pool_size.show(),
                if p.db.own_pool_size { " (its own)" } else { "" },
                p.db.cap.show(),
                match p.size {
                    Some(n) => format!("up to {n} server connections per user"),
                    None => "not judged".into(),
                },
                p.db.pool_mode
                    .as_ref()
                    .map(|m| format!(" ({m} pooling)"))
                    .unwrap_or_default(),
            ),
        ));
    }
    evidence.extend(s.notes.iter().cloned());
    let source = s.source.describe();

    let mut short = Vec::new();
    let mut unknown = Vec::new();
    let mut met = Vec::new();
    if let Some(name) = missing {
        short.push(format!(
            "{source} has no [databases] entry for `{name}` and no fallback `*`, so clients asking for it are refused"
        ));
    }
    if let Some(want_pool) = want.pool {
        for p in &pools {
            match p.size {
                None => unknown.push(format!("the pool of {}", p.db.name)),
                Some(n) if n < want_pool => short.push(format!(
                    "the pool for {} opens at most {n} server connections ({}), fewer than the {want_pool} planned",
                    p.db.name, p.limited_by
                )),
                Some(_) => {}
            }
        }
        let sizes: Vec<(String, i64)> = pools
            .iter()
            .filter_map(|p| p.size.map(|n| (p.db.name.clone(), n)))
            .collect();
        if let Some(smallest) = sizes.iter().map(|(_, n)| *n).min() {
            let list: Vec<String> = sizes.iter().map(|(d, n)| format!("{d} {n}")).collect();
            met.push(format!(
                "every pool can open {smallest} or more server connections ({}; planned {want_pool})",
                list.join(", ")
            ));
        }
    }
    if let Some(want_clients) = want.clients {
        match s.max_client_conn.value {
            Err(_) => unknown.push("max_client_conn".into()),
            Ok(n) if n < want_clients => short.push(format!(
                "it accepts only {n} clients (max_client_conn), fewer than the {want_clients} planned"
            )),
            Ok(n) => met.push(format!("it accepts {n} clients (planned {want_clients})")),
        }
    }
    let (verdict, message) = if !short.is_empty() {
        (
            Some(false),
            format!(
                "PgBouncer ({source}): {}: raise default_pool_size or the database's pool_size (and max_client_conn) in pgbouncer.ini and reload, keeping PostgreSQL's max_connections above the sum of the pools",
                short.join("; ")
            ),
        )
    } else if !unknown.is_empty() {
        (
            None,
            format!(
                "{source}: {} not a number (filled in at deploy time?): give --pgbouncer URL to read the running values",
                unknown.join(", ")
            ),
        )
    } else {
        (
            Some(true),
            format!("PgBouncer ({source}): {}", met.join("; ")),
        )
    };
    Judged {
        verdict,
        message,
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gonogo_engine::catalogue::CheckStatus;

    fn run(ini: &str, pool: Option<i64>, clients: Option<i64>, db: Option<&str>) -> Outcome {
        judge(
            &parse_ini("pgbouncer.ini", ini),
            &Want {
                pool,
                clients,
                database: db.map(String::from),
            },
        )
        .into_outcome()
    }

    #[test]
    fn per_database_pool_size_overrides_the_default() {
        let ini = "[databases]\napp = host=db pool_size=10\nother = host=db\n[pgbouncer]\ndefault_pool_size = 50\n";
        let o = run(ini, Some(40), None, None);
        assert_eq!(o.status, CheckStatus::Fail, "{o:?}");
        assert!(
            o.message.contains("the pool for app opens at most 10"),
            "{}",
            o.message
        );
        assert!(!o.message.contains("other"), "{}", o.message);
        assert_eq!(
            run(ini, Some(40), None, Some("other")).status,
            CheckStatus::Pass
        );
    }

    #[test]
    fn caps_limit_the_pool() {
        let ini = "[databases]\napp = host=db max_db_connections=5\n[pgbouncer]\ndefault_pool_size = 50\n";
        let o = run(ini, Some(20), None, None);
        assert!(
            o.message
                .contains("at most 5 server connections (max_db_connections)"),
            "{}",
            o.message
        );
        let ini = "[pgbouncer]\ndefault_pool_size = 50\nmax_user_connections = 8\n";
        let o = run(ini, Some(20), None, None);
        assert!(
            o.message.contains("(any database) opens at most 8"),
            "{}",
            o.message
        );
    }

    #[test]
    fn clients_are_judged_against_max_client_conn_with_its_default() {
        let ini = "[pgbouncer]\ndefault_pool_size = 50\n";
        let o = run(ini, Some(50), Some(500), None);
        assert_eq!(o.status, CheckStatus::Fail);
        assert!(
            o.message.contains("accepts only 100 clients"),
            "{}",
            o.message
        );
        assert_eq!(run(ini, Some(50), Some(50), None).status, CheckStatus::Pass);
    }

    #[test]
    fn templates_are_not_judged_and_missing_databases_fail() {
        let o = run(
            "[pgbouncer]\ndefault_pool_size = ${POOL}\n",
            Some(20),
            None,
            None,
        );
        assert_eq!(o.status, CheckStatus::Skipped, "{o:?}");
        assert!(o.message.contains("--pgbouncer"), "{}", o.message);
        let o = run(
            "[databases]\napp = host=db\n",
            Some(10),
            None,
            Some("billing"),
        );
        assert_eq!(o.status, CheckStatus::Fail);
        assert!(
            o.message.contains("no [databases] entry for `billing`"),
            "{}",
            o.message
        );
    }
}
