//! `backup.fresh` — the newest backup is recent enough and not empty; its age is the RPO.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, SystemTime};

use globset::Glob;
use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Limit, Measure,
    Outcome, ParamKind, ParamSpec, Params, SAYS_MORE, TargetKind,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::extract::interval_ms;
use gonogo_engine::run::human_duration;
use regex::Regex;
use serde_json::Value;

use crate::wording::{EXISTENCE, has_any, human_act, words};

pub struct Fresh;

static META: CheckMeta = CheckMeta {
    id: "backup.fresh",
    title: "Newest backup is recent and not empty",
    target: TargetKind::Repository,
    params: &[
        ParamSpec {
            name: "path",
            kind: ParamKind::Text,
            default: None,
            required: true,
            doc: "where backups are: a folder, or a glob such as /var/backups/db/*.dump (relative paths are under the repository)",
        },
        ParamSpec {
            name: "max_age_ms",
            kind: ParamKind::DurationMs,
            default: Some("26h"),
            required: false,
            doc: "the oldest the newest backup may be (from the item: `every 6 hours`, `daily`)",
        },
    ],
    docs: CheckDocs {
        what: "Finds the newest file at the backup location (a folder, searched two levels deep, or a glob) and checks that it is younger than the interval the item states and not empty. Its age is reported as the recovery point (RPO) you would get right now.",
        why: "Backup jobs fail silently: a cron entry that stopped months ago looks the same in the checklist as one that ran an hour ago, until the day you need it.",
        fix: "Make the backup job run on schedule and alert when it fails; point gonogo at where it writes: `<!-- gonogo: backup.fresh path=\"/var/backups/db/*.dump\" -->` or a [[bind]] rule.",
        example: "- [ ] Database backups: Every 6 hours <!-- gonogo: backup.fresh path=\"/var/backups/pg/*.dump\" -->",
        binds: &[
            "Backups written every 6 hours to `backups/`",
            "Daily database backups in `/var/backups/db/`",
            "Newest dump under /var/backups/pg is younger than a day",
            "Database backups",
            "Backup process present",
        ],
        not_binds: &[
            "Backup restoration tested",
            "Backup retention policy",
            "Off-site backup storage",
            "Backups kept for 30 days",
            "Backup encryption keys are available",
            "Backup strategy defined",
            "Heap dumps collected every hour",
            "The latest dump restores into a scratch database",
        ],
    },
};

/// Words that make a "dump" or "snapshot" a database backup (not a heap dump).
const DATABASE_WORDS: &[&str] = &[
    "database",
    "databases",
    "db",
    "postgres",
    "postgresql",
    "pg",
    "mysql",
    "mariadb",
    "mongo",
    "mongodb",
    "redis",
    "sqlite",
    "data",
];

/// What else an item may say of backups, which the newest file's age cannot show.
const OTHER_BACKUP_CLAIMS: &[&str] = &[
    "restore",
    "restored",
    "restores",
    "restorable",
    "restoring",
    "restoration",
    "recover",
    "recovered",
    "recoverable",
    "recovering",
    "recovery",
    "retention",
    "retained",
    "retain",
    "kept",
    "keep",
    "tested",
    "test",
    "tests",
    "testing",
    "verify",
    "verified",
    "verification",
    "encrypt",
    "decrypt",
    "decrypted",
    "document",
    "documentation",
    "docs",
    "define",
    "defined",
    "describe",
    "described",
    "how",
    "off-site",
    "offsite",
    "encryption",
    "encrypted",
    "immutable",
    "strategy",
    "plan",
    "policy",
    "procedure",
    "documented",
    "cross-region",
    "region",
    "replicated",
    "copies",
    "copy",
    "integrity",
    "verified",
    "monitored",
    "alert",
    "alerts",
    "alerting",
    "size",
    "cost",
    // When backups run ("backup window during low-traffic hours"), not whether they are recent.
    "window",
    "off-peak",
    "peak",
    "low-traffic",
];

/// A database's own dump tools, which make backups by name ("Schedule daily pg_dump").
const DUMP_TOOLS: &[&str] = &["pg_dump", "pg_dumpall", "mysqldump", "mongodump"];

/// Words that ask for backups being taken now, which a recent file shows.
const FRESH_WORDS: &[&str] = &[
    "fresh",
    "recent",
    // "Backups are current", "up-to-date backups": no older than the schedule allows.
    "current",
    "up to date",
    "up-to-date",
    "latest",
    "newest",
    "last",
    "landed",
    "automated",
    "automatic",
    "automatically",
    "enabled",
    "running",
    "scheduled",
    // "Configure a backup schedule": backups on a schedule are what the age shows.
    "schedule",
    "schedules",
    "taken",
    "configured",
    "in place",
    "working",
    "succeed",
    "succeeding",
    "produced",
    "written",
    // "Database backup completed", "backup done before the deploy": one was taken.
    "completed",
    "done",
    "performed",
    "created",
    "executed",
    // Backups that happen at all, on some schedule: the default age is what shows it.
    "regular",
    "regularly",
    "frequent",
    "frequently",
    "periodic",
    "periodically",
    "routinely",
    "run",
    "runs",
    "ran",
    "occur",
    "occurs",
    "happen",
    "happens",
];

/// Backups named alone or said to exist ("Database backups", "Backup process present"): the
/// newest backup file is what shows them, at the default age. Any other word ("encrypted",
/// "off-site", "strategy") is a claim the file's age cannot show.
fn backups_alone(lower: &str, said: &str) -> bool {
    const BARE: &[&str] = &[
        "backup",
        "backups",
        // "Backup files exist": the files are the backups.
        "file",
        // "Full backup of all databases": a whole one, which the newest file is.
        "full",
        "complete",
        "files",
        "process",
        "processes",
        "regular",
        "regularly",
        "any",
        "the",
        "a",
        "an",
        "all",
        "of",
        "for",
        "our",
        "service",
        "application",
        "app",
        "system",
        "production",
        "prod",
        "is",
        "are",
        "there",
        "we",
        "have",
        "has",
        "primary",
        "main",
    ];
    let set = |w: &str| BARE.contains(&w) || DATABASE_WORDS.contains(&w) || EXISTENCE.contains(&w);
    // Phrases of existence ("in place", "set up") count as words of existence.
    // "Backed up" alone leans on a heading for what is ("State: backed up"): the item itself
    // must say the noun (the vocabulary reads both as "backups").
    let rest = EXISTENCE
        .iter()
        .filter(|e| e.contains(' '))
        .fold(lower.to_string(), |t, e| t.replace(e, " "));
    // (Normalised, so an item in another language, "数据库备份", says it too.)
    words(&rest).iter().all(|w| set(w))
        && has_any(
            &gonogo_engine::understand::normalise(said),
            &["backup", "backups"],
        )
}

/// An age written out: "< 26h", "no older than 12 hours", "from the last 24 hours",
/// "younger than a day".
fn stated_age_ms(lower: &str) -> Option<u64> {
    static AGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?P<n>\d+(?:\.\d+)?|an?|one)\s*(?P<u>minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)\b")
            .expect("age regex")
    });
    AGE.captures_iter(lower).find_map(|c| {
        let n = match &c["n"] {
            "a" | "an" | "one" => 1.0,
            n => n.parse::<f64>().ok()?,
        };
        let unit_ms = match c["u"].chars().next()? {
            'm' => 60_000.0,
            'h' => 3_600_000.0,
            'd' => 86_400_000.0,
            'w' => 604_800_000.0,
            _ => return None,
        };
        Some((n * unit_ms) as u64).filter(|&ms| ms > 0)
    })
}

/// Where backups are written, as the item says it: a code span with a slash, else a path in
/// the text (`/var/backups/pg`, `backups/`, `./dumps`). URLs and "24/7" are not locations.
fn location(code_spans: &[String], text: &str) -> Option<String> {
    static PATH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:^|[\s(])((?:~|\.{1,2})?/[A-Za-z0-9._*/-]+|[A-Za-z0-9._-]+(?:/[A-Za-z0-9._*-]+)*/)",
        )
        .expect("path regex")
    });
    if let Some(span) = code_spans
        .iter()
        .find(|s| s.contains('/') && !s.contains(' ') && !s.contains("://"))
    {
        return Some(span.clone());
    }
    PATH.captures_iter(text)
        .map(|c| c[1].trim_end_matches(['.', ',']).to_string())
        .find(|p| p.len() > 1 && !p.contains("://") && p.chars().any(char::is_alphabetic))
}

/// Files matching the location, with their modification times.
fn candidates(root: &Path, location: &str) -> Result<Vec<(PathBuf, SystemTime, u64)>, String> {
    let full = if Path::new(location).is_absolute() {
        PathBuf::from(location)
    } else {
        root.join(location)
    };
    let (dir, matcher) = if location.contains(['*', '?', '[']) {
        let dir: PathBuf = full
            .ancestors()
            .find(|a| !a.to_string_lossy().contains(['*', '?', '[']))
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let glob = Glob::new(&full.to_string_lossy())
            .map_err(|e| format!("`{location}` is not a valid pattern: {e}"))?
            .compile_matcher();
        (dir, Some(glob))
    } else {
        (full, None)
    };
    if !dir.is_dir() {
        return Err(format!(
            "the backup location {} does not exist",
            dir.display()
        ));
    }
    let mut out = Vec::new();
    for entry in walk(&dir, 2) {
        if matcher.as_ref().is_some_and(|m| !m.is_match(&entry)) {
            continue;
        }
        if let Ok(meta) = std::fs::metadata(&entry)
            && meta.is_file()
        {
            out.push((
                entry,
                meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                meta.len(),
            ));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, depth: usize) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.filter_map(Result::ok) {
        let p = e.path();
        match e.file_type() {
            Ok(t) if t.is_dir() && depth > 0 => out.extend(walk(&p, depth - 1)),
            Ok(t) if t.is_file() => out.push(p),
            _ => {}
        }
    }
    out
}

#[async_trait::async_trait]
impl Check for Fresh {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["backups"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        [&["backup", "backed", "dump", "snapshot"][..], DUMP_TOOLS].concat()
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        let backups = has_any(lower, &["backup", "backups", "backed up"])
            || has_any(lower, DUMP_TOOLS)
            || (has_any(lower, &["dump", "dumps", "snapshot", "snapshots"])
                && has_any(lower, DATABASE_WORDS));
        if !backups || human_act(lower).is_some() || has_any(lower, OTHER_BACKUP_CLAIMS) {
            return BindVerdict::No;
        }
        // The interval the backups run at (with a little slack for the job's own run time),
        // else an age stated outright ("< 26h", "no older than a day").
        let max_age = interval_ms(lower)
            .map(|ms| ms + ms / 12)
            .or_else(|| stated_age_ms(lower));
        // A recovery point objective is the newest backup's age only with its value: "RPO
        // met" leaves the target to the team.
        if max_age.is_none() && lower.contains("newest backup age") {
            return BindVerdict::No;
        }
        if max_age.is_none()
            && !has_any(lower, FRESH_WORDS)
            && !backups_alone(lower, &view.item.display_text)
        {
            return BindVerdict::No;
        }
        // A list of operations that names backups among several other checks' subjects is
        // about the list, not the backups.
        let extra = crate::wording::leftover(
            lower,
            &[
                &[
                    "backup",
                    "backups",
                    "backed",
                    "up",
                    "dump",
                    "dumps",
                    "snapshot",
                    "snapshots",
                    // How often, which the interval reads.
                    "nightly",
                    "daily",
                    "hourly",
                    "weekly",
                    "every",
                    "each",
                    "hour",
                    "hours",
                    "day",
                    "days",
                    "night",
                    "run",
                    "runs",
                    "routine",
                    "once",
                    "least",
                ][..],
                DATABASE_WORDS,
                DUMP_TOOLS,
                FRESH_WORDS,
            ]
            .concat(),
        );
        // Strictly judged (a claim split out of a longer item), a word beyond backups and
        // their age is a claim of its own ("backups scheduled outside peak traffic").
        if crate::wording::names_of_other_claims(&extra) >= 3
            || gonogo_engine::understand::is_strict() && crate::wording::says_more(&extra, 1)
        {
            return BindVerdict::Declined {
                why: format!(
                    "{SAYS_MORE}the newest backup's age can show ({})",
                    extra.join(" ")
                ),
                candidates: Vec::new(),
            };
        }
        let mut b = AutoBinding::new(match max_age {
            Some(ms) => format!(
                "the newest backup must be under {} old",
                human_duration(Duration::from_millis(ms))
            ),
            None => "the item asks for backups that are taken (default: within 26 h)".into(),
        });
        if let Some(ms) = max_age {
            b = b.with("max_age_ms", Value::from(ms));
        }
        // Where backups are written: a code span or a path in the text. Without one, the
        // team's `[checks."backup.fresh"] path` completes the binding (or it is declined,
        // saying so).
        if let Some(loc) = location(&view.item.code_spans, &view.item.text) {
            b = b.with("path", Value::from(loc));
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let location = params
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let max_age = Duration::from_millis(
            params
                .get("max_age_ms")
                .and_then(Value::as_u64)
                .unwrap_or(26 * 3_600_000),
        );
        let root = ctx.repo.clone();
        let loc = location.clone();
        let found = match tokio::task::spawn_blocking(move || candidates(&root, &loc)).await {
            Ok(Ok(f)) => f,
            Ok(Err(e)) => return Outcome::error(e),
            Err(e) => return Outcome::error(format!("listing backups failed: {e}")),
        };
        let Some((newest, modified, size)) = found.iter().max_by_key(|(_, t, _)| *t).cloned()
        else {
            return Outcome::fail(format!("no backup files at {location}"));
        };
        let age = SystemTime::now()
            .duration_since(modified)
            .unwrap_or_default();
        let shown = newest
            .strip_prefix(&ctx.repo)
            .unwrap_or(&newest)
            .display()
            .to_string();
        let ev = Evidence::at(
            shown.clone(),
            None,
            format!(
                "newest of {} backup file(s): {size} bytes, {} old (the RPO right now)",
                found.len(),
                human_duration(age)
            ),
        );
        let hours = |d: Duration| d.as_secs_f64() / 3600.0;
        let age_measure =
            Measure::new("backup age", hours(age), "hours").limit(Limit::AtMost(hours(max_age)));
        let outcome = if size == 0 {
            Outcome::fail(format!(
                "the newest backup {shown} is empty: the backup job writes nothing"
            ))
            .with_evidence(ev)
        } else if age > max_age {
            Outcome::fail(format!("the newest backup is {} old, older than the {} allowed: the backup job is not running on schedule", human_duration(age), human_duration(max_age))).with_evidence(ev)
        } else {
            Outcome::pass(format!(
                "the newest backup is {} old (allowed {})",
                human_duration(age),
                human_duration(max_age)
            ))
            .with_evidence(ev)
        };
        outcome.with_measure(age_measure)
    }
}
