//! `sqlite.cache-size` — connections to the SQLite database get the page cache the checklist
//! asks for.
//!
//! `PRAGMA cache_size` belongs to a connection: setting it changes nothing in the file, and the
//! next connection starts again from the default. The only size a file carries is the
//! "suggested cache size" of its header (offset 48, written by the deprecated
//! `PRAGMA default_cache_size`), which a new connection adopts as its `cache_size` in pages
//! (measured with the bundled SQLite 3.50: header 10000 → a fresh connection reports 10000;
//! header 0 → -2000, SQLite's built-in default; `default_cache_size=-64000` stores 64000
//! *pages*). So the check passes when the file's stored default meets the size, or when the
//! repository's code sets `PRAGMA cache_size` at least that large where it opens connections.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use gonogo_engine::repo::TextFile;
use regex::Regex;
use serde_json::Value;

use super::{about_sqlite, named_db, open, resolve};
use crate::wording::{has_any, human_act};

pub struct CacheSize;

static META: CheckMeta = CheckMeta {
    id: "sqlite.cache-size",
    title: "SQLite connections get the planned page cache",
    target: TargetKind::Repository,
    params: &[
        ParamSpec {
            name: "cache_size",
            kind: ParamKind::Integer,
            default: None,
            required: true,
            doc: "the size wanted, as `PRAGMA cache_size` takes it: N pages, or -N KiB (`64 MB` is -62500)",
        },
        ParamSpec {
            name: "path",
            kind: ParamKind::Text,
            default: None,
            required: false,
            doc: "the SQLite file whose stored default and page size are read (without it, only the code is searched)",
        },
    ],
    docs: CheckDocs {
        what: "Compares the wanted cache size, in bytes, with what connections get: the stored default of the database file (the header's suggested cache size, which a new connection adopts; else SQLite's default of 2000 KiB), or a `PRAGMA cache_size` that the repository's code sets (SQL, Python, Rust, JavaScript/TypeScript, Go: statements, `pragma(...)` calls, pragma maps, `_cache_size=` DSNs), shown with file and line. Tests, fixtures and examples do not count.",
        why: "`PRAGMA cache_size` lasts only as long as the connection that ran it: running it once by hand, as many checklists suggest, leaves every connection of the application with the 2000 KiB default, and a working set larger than the cache is read from disk on every query.",
        fix: "Set it where the application opens each connection (`PRAGMA cache_size = -64000` right after connecting, or the driver's pragma option), or store a default in the file with `PRAGMA default_cache_size = N` (pages; deprecated but still honoured).",
        example: "- [ ] SQLite cache size 64 MB (`data/app.db`)   → app/db.py: conn.execute(\"PRAGMA cache_size = -64000\")",
        binds: &[
            "PRAGMA cache_size = -64000",
            "SQLite cache size 64 MB for `data/app.db`",
            "SQLite page cache of 10000 pages",
            "cache_size = -32000",
            "We set the SQLite cache_size to -8000",
            "SQLite cache 32 MB",
        ],
        not_binds: &[
            "Cache size optimized",
            "Redis cache size 2GB",
            "effective_cache_size = 12GB",
            "Database optimized",
            "query_cache_size = 64M",
            "Cache size 16 MB",
        ],
    },
};

/// SQLite's built-in `cache_size` for a connection whose file stores no default.
const SQLITE_DEFAULT: i64 = -2000;
/// The page size assumed for a page count when no file says otherwise.
const DEFAULT_PAGE_SIZE: i64 = 4096;

static SET_IN_WORDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bcache_size\s*(?:=|\(|:|\s+(?:to|of|is)\s+|\s)\s*(-?\d{1,9})\b")
        .expect("regex")
});
static SIZE_IN_WORDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,6}(?:\.\d{1,3})?)\s*(kib|kb|mib|mb|gib|gb)\b").expect("regex")
});
static PAGES_IN_WORDING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(\d{1,9})\s*pages?\b").expect("regex"));

/// `cache_size` (or `default_cache_size`, or a DSN's `_cache_size`) followed by a literal
/// value: `= -64000`, `(-64000)`, `': -64000`, `", &-64000`, `-1 * 64000`.
static SET_IN_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?:^|[^A-Za-z0-9_])(_|default_)?cache_size["'\s]*(?:=|:|\(|,)[\s&("']*(-?\s*\d[\d_]*)(?:\s*\*\s*(-?\d[\d_]*))?"#,
    )
    .expect("regex")
});

/// The word pragma as code uses it (`PRAGMA`, `pragmas=`, `pragma_update(`), not a
/// coverage comment's `# pragma: no cover`.
static PRAGMA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)pragma\w*(?:$|[^:\w])").expect("regex"));

/// Where code is searched: the languages that open SQLite databases.
const CODE_EXTENSIONS: &[&str] = &[
    "sql", "py", "rs", "js", "mjs", "cjs", "jsx", "ts", "tsx", "go",
];

#[async_trait::async_trait]
impl Check for CacheSize {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["cache"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let item = view.item;
        let own = format!(
            "{} {}",
            view.lower,
            item.code_spans.join(" ").to_lowercase()
        );
        // The item itself must be about the cache size: a block that also sets it under
        // "Database optimized" does not make that item a cache-size claim.
        // `cache_size` as one word is SQLite's pragma (PostgreSQL's is
        // `effective_cache_size`, MySQL's `query_cache_size`).
        if !(about_sqlite(view) || has_any(&own, &["cache_size"]))
            || !has_any(
                &own,
                &["cache_size", "cache size", "page cache", "sqlite cache"],
            )
            || human_act(view.lower).is_some()
            || has_any(view.lower, &["tested", "benchmark", "benchmarked"])
        {
            return BindVerdict::No;
        }
        let Some((want, how)) = wanted(view, &own) else {
            return BindVerdict::No;
        };
        let mut b = AutoBinding::new(format!("wants cache_size {want} ({how})"))
            .with("cache_size", Value::from(want));
        if let Some(p) = named_db(view) {
            b.reason.push_str(&format!(" for {p}"));
            b = b.with("path", Value::from(p));
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let want = params
            .get("cache_size")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        if want == 0 {
            return Outcome::error("cache_size must be N pages or -N KiB, not 0");
        }
        let path = params.get("path").and_then(Value::as_str).map(String::from);
        let mut evidence = Vec::new();
        let mut page_size = DEFAULT_PAGE_SIZE;
        // What a fresh connection to the file starts with, and where that comes from.
        let mut fresh = None;
        let mut missing = false;
        if let Some(path) = &path
            && !resolve(&ctx, path).exists()
        {
            // The code may still settle it; without either, it is an error below.
            missing = true;
            evidence.push(Evidence::at(
                path.clone(),
                None,
                "does not exist: the default it stores is not known",
            ));
        } else if let Some(path) = &path {
            let header = match read_header(&resolve(&ctx, path)) {
                Ok(h) => h,
                Err(e) => return Outcome::error(format!("{path}: {e}")),
            };
            page_size = header.page_size;
            let mut con = match open(&ctx, path).await {
                Ok(c) => c,
                Err(e) => return Outcome::error(e),
            };
            let got: Result<i64, _> = sqlx::query_scalar("PRAGMA cache_size")
                .fetch_one(&mut con)
                .await;
            let got = match got {
                Ok(v) => v,
                Err(e) => return Outcome::error(format!("{path}: {e}")),
            };
            evidence.push(Evidence::at(
                path.clone(),
                None,
                format!(
                    "page_size {page_size}; stored default cache size (header offset 48): {}; a new connection starts with cache_size = {got} ({})",
                    if header.default_cache == 0 {
                        "none".to_string()
                    } else {
                        format!("{} pages", header.default_cache)
                    },
                    describe(got, page_size)
                ),
            ));
            fresh = Some((got, header.default_cache != 0));
        }
        let want_bytes = bytes(want, page_size);
        let wanted = format!("the wanted {want} ({})", describe(want, page_size));
        if let Some((got, stored)) = fresh
            && bytes(got, page_size) >= want_bytes
        {
            let path = path.as_deref().unwrap_or_default();
            let from = if stored {
                "the default stored in the file"
            } else {
                "SQLite's built-in default"
            };
            return Outcome::pass(format!(
                "{path}: every new connection starts with cache_size = {got} ({}, {from}), at least {wanted}",
                describe(got, page_size)
            ))
            .with_evidence(evidence.remove(0));
        }

        let c = ctx.clone();
        let settings = tokio::task::spawn_blocking(move || code_settings(&c))
            .await
            .unwrap_or_default();
        let best = settings.iter().max_by_key(|s| bytes(s.value, page_size));
        for s in settings.iter().take(20) {
            let verdict = if bytes(s.value, page_size) >= want_bytes {
                "meets"
            } else {
                "is below"
            };
            evidence.push(Evidence::at(
                s.file.clone(),
                Some(s.line),
                format!(
                    "{} = {} ({}) {verdict} {wanted}: {}",
                    s.pragma(),
                    s.value,
                    describe(s.value, page_size),
                    s.excerpt
                ),
            ));
        }
        if let Some(best) = best
            && bytes(best.value, page_size) >= want_bytes
        {
            let smaller = settings
                .iter()
                .filter(|s| bytes(s.value, page_size) < want_bytes)
                .count();
            let mut message = format!(
                "{}:{} sets {} = {} ({}) when it opens the database, at least {wanted}",
                best.file,
                best.line,
                best.pragma(),
                best.value,
                describe(best.value, page_size)
            );
            if smaller > 0 {
                message.push_str(&format!(
                    " ({smaller} other setting{} smaller: see evidence)",
                    if smaller == 1 { " is" } else { "s are" }
                ));
            }
            let mut o = Outcome::pass(message);
            o.evidence = evidence;
            return o;
        }
        if missing {
            let mut o = Outcome::error(format!(
                "{} does not exist, so the cache size it stores cannot be read, and {}",
                path.as_deref().unwrap_or_default(),
                match best {
                    Some(b) => format!(
                        "the repository's code sets at most {} ({}:{}), below {wanted}",
                        b.value, b.file, b.line
                    ),
                    None => "no code in the repository sets PRAGMA cache_size".into(),
                }
            ));
            o.evidence = evidence;
            return o;
        }
        if fresh.is_none() && bytes(SQLITE_DEFAULT, page_size) >= want_bytes && best.is_none() {
            let mut o = Outcome::pass(format!(
                "no code sets PRAGMA cache_size, and SQLite's default ({SQLITE_DEFAULT}, {}) is at least {wanted}",
                describe(SQLITE_DEFAULT, page_size)
            ));
            o.evidence = evidence;
            return o;
        }
        let start = match (&path, fresh) {
            (Some(p), Some((got, stored))) => format!(
                "{p}: a new connection starts with cache_size = {got} ({}, {}), below {wanted}",
                describe(got, page_size),
                if stored {
                    "the default stored in the file"
                } else {
                    "SQLite's built-in default: the file stores none"
                }
            ),
            _ => format!(
                "connections start with SQLite's default cache_size = {SQLITE_DEFAULT} ({}), below {wanted}",
                describe(SQLITE_DEFAULT, page_size)
            ),
        };
        let code = match best {
            Some(b) => format!(
                "the repository's code sets at most {} ({}:{})",
                b.value, b.file, b.line
            ),
            None => "no code in the repository sets PRAGMA cache_size".to_string(),
        };
        let mut o = Outcome::fail(format!(
            "{start}, and {code}: cache_size belongs to a connection and is not kept in the file, so set `PRAGMA cache_size = {}` where the application opens each connection (or store a default with PRAGMA default_cache_size)",
            want
        ));
        o.evidence = evidence;
        o
    }
}

/// The wanted size in `PRAGMA cache_size` terms, and how the item said it.
fn wanted(view: &ItemView<'_>, own: &str) -> Option<(i64, String)> {
    if let Some(c) = SET_IN_WORDING.captures(own) {
        let v: i64 = c[1].parse().ok()?;
        return (v != 0).then(|| (v, "as written".to_string()));
    }
    // A block that sets it, or reads it with an `# Expected:` value.
    for b in &view.item.code_blocks {
        if !b.content.to_lowercase().contains("cache_size") {
            continue;
        }
        if let Some(c) = SET_IN_WORDING.captures(&b.content) {
            let v: i64 = c[1].parse().ok()?;
            return (v != 0).then(|| (v, format!("block at line {}", b.line)));
        }
        if let Some(v) = b
            .expected
            .iter()
            .find_map(|e| e.trim().parse::<i64>().ok())
            .filter(|v| *v != 0)
        {
            return Some((v, format!("`# Expected:` of the block at line {}", b.line)));
        }
    }
    if let Some(c) = SIZE_IN_WORDING.captures(own) {
        let n: f64 = c[1].parse().ok()?;
        let unit = c[2].to_ascii_lowercase();
        let factor = match unit.as_str() {
            "kb" => 1e3,
            "kib" => 1024.0,
            "mb" => 1e6,
            "mib" => 1_048_576.0,
            "gb" => 1e9,
            _ => 1_073_741_824.0,
        };
        let kib = (n * factor / 1024.0).ceil() as i64;
        return (kib > 0).then(|| (-kib, format!("{} {}", &c[1], &c[2])));
    }
    if let Some(c) = PAGES_IN_WORDING.captures(own) {
        let v: i64 = c[1].parse().ok()?;
        return (v > 0).then(|| (v, format!("{v} pages")));
    }
    None
}

/// Bytes a `cache_size` value stands for: N pages of `page_size`, or -N KiB.
fn bytes(cache_size: i64, page_size: i64) -> i64 {
    if cache_size >= 0 {
        cache_size.saturating_mul(page_size)
    } else {
        cache_size.saturating_neg().saturating_mul(1024)
    }
}

/// `10000 pages ≈ 39.1 MiB`, `64000 KiB ≈ 62.5 MiB`.
fn describe(cache_size: i64, page_size: i64) -> String {
    let b = bytes(cache_size, page_size) as f64;
    let size = if b >= 1_048_576.0 {
        format!("{:.1} MiB", b / 1_048_576.0)
    } else {
        format!("{:.0} KiB", b / 1024.0)
    };
    if cache_size >= 0 {
        format!("{cache_size} pages of {page_size} bytes ≈ {size}")
    } else if b >= 1_048_576.0 {
        format!("{} KiB ≈ {size}", -cache_size)
    } else {
        format!("{} KiB", -cache_size)
    }
}

#[derive(Debug)]
struct Header {
    page_size: i64,
    /// The suggested cache size in pages; 0: none stored.
    default_cache: i64,
}

/// The database header: page size (offset 16) and the suggested cache size (offset 48).
fn read_header(path: &Path) -> Result<Header, String> {
    use std::io::Read;
    if !path.exists() {
        return Err("does not exist".into());
    }
    let mut f = std::fs::File::open(path).map_err(|e| format!("cannot be read: {e}"))?;
    let mut h = Vec::with_capacity(100);
    f.by_ref()
        .take(100)
        .read_to_end(&mut h)
        .map_err(|e| format!("cannot be read: {e}"))?;
    if h.is_empty() {
        // An empty file is an empty database: nothing stored yet.
        return Ok(Header {
            page_size: DEFAULT_PAGE_SIZE,
            default_cache: 0,
        });
    }
    if h.len() < 100 || !h.starts_with(b"SQLite format 3\0") {
        return Err("is not a SQLite database (no SQLite header)".into());
    }
    let page_size = match u16::from_be_bytes([h[16], h[17]]) {
        1 => 65536,
        n => i64::from(n),
    };
    let default_cache = i64::from(i32::from_be_bytes([h[48], h[49], h[50], h[51]])).abs();
    Ok(Header {
        page_size,
        default_cache,
    })
}

/// A `cache_size` the code sets.
#[derive(Debug, Clone, PartialEq)]
struct Setting {
    file: String,
    line: usize,
    value: i64,
    /// `PRAGMA default_cache_size`: stored in the file, counted in pages.
    stored: bool,
    /// A connection string's `_cache_size=` (go-sqlite3).
    dsn: bool,
    excerpt: String,
}

impl Setting {
    fn pragma(&self) -> &'static str {
        if self.stored {
            "PRAGMA default_cache_size"
        } else if self.dsn {
            "the connection string's _cache_size"
        } else {
            "PRAGMA cache_size"
        }
    }
}

/// Every `cache_size` setting in the repository's own code (not tests, fixtures or examples).
fn code_settings(ctx: &RunContext) -> Vec<Setting> {
    let mut out = Vec::new();
    for f in ctx.repo_index().find(|name, rel| {
        let ext = name.rsplit('.').next().unwrap_or_default();
        name.contains('.')
            && CODE_EXTENSIONS.contains(&ext)
            && !crate::repo::is_fixture(rel)
            && !is_test(name, rel)
    }) {
        let Ok(t) = TextFile::read(&ctx.repo, &f.rel) else {
            continue;
        };
        out.extend(settings_in(&f.rel, &t.text));
    }
    out
}

fn is_test(name: &str, rel: &str) -> bool {
    let r = format!("/{rel}");
    ["/test/", "/tests/", "/spec/", "/__tests__/", "/testing/"]
        .iter()
        .any(|d| r.contains(d))
        || name.starts_with("test_")
        || name.contains("_test.")
        || name.contains(".test.")
        || name.contains(".spec.")
}

/// The `cache_size` settings of one file. A match counts when it is a pragma: `pragma` on its
/// line or one of the five lines before (a pragma map spread over lines), or a DSN's
/// `?_cache_size=` / `&_cache_size=`. `self.cache_size = 1000` of an unrelated cache does not.
fn settings_in(file: &str, text: &str) -> Vec<Setting> {
    if !text.to_ascii_lowercase().contains("cache_size") {
        return Vec::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        for c in SET_IN_CODE.captures_iter(line) {
            let prefix = c.get(1).map(|m| m.as_str().to_ascii_lowercase());
            let start = c.get(0).map_or(0, |m| m.start());
            let is_dsn = prefix.as_deref() == Some("_") && line[start..].starts_with(['?', '&']);
            let near_pragma = lines[i.saturating_sub(5)..=i]
                .iter()
                .any(|l| PRAGMA.is_match(l));
            if !(is_dsn || (near_pragma && prefix.as_deref() != Some("_"))) {
                continue;
            }
            let num = |s: &str| s.replace(['_', ' '], "").parse::<i64>().ok();
            let Some(mut value) = num(&c[2]) else {
                continue;
            };
            if let Some(m) = c.get(3).and_then(|m| num(m.as_str())) {
                value = value.saturating_mul(m);
            }
            let stored = prefix.as_deref() == Some("default_");
            if stored {
                value = value.abs();
            }
            let mut excerpt: String = line.trim().chars().take(120).collect();
            if line.trim().chars().count() > 120 {
                excerpt.push('…');
            }
            out.push(Setting {
                file: file.to_string(),
                line: i + 1,
                value,
                stored,
                dsn: is_dsn,
                excerpt,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(file: &str, text: &str) -> Vec<(usize, i64, bool)> {
        settings_in(file, text)
            .into_iter()
            .map(|s| (s.line, s.value, s.stored))
            .collect()
    }

    #[test]
    fn settings_in_every_language_are_found() {
        assert_eq!(
            values(
                "schema.sql",
                "PRAGMA journal_mode = WAL;\nPRAGMA cache_size = -64000;\n"
            ),
            [(2, -64000, false)]
        );
        assert_eq!(
            values(
                "db.py",
                "conn = sqlite3.connect(path)\nconn.execute(\"PRAGMA cache_size=10000\")\n"
            ),
            [(2, 10000, false)]
        );
        assert_eq!(
            values(
                "db.py",
                "db = SqliteDatabase('app.db', pragmas={\n    'journal_mode': 'wal',\n    'cache_size': -1 * 64000,\n})\n"
            ),
            [(3, -64000, false)]
        );
        assert_eq!(
            values(
                "db.rs",
                "conn.pragma_update(None, \"cache_size\", &-32_000)?;\n"
            ),
            [(1, -32000, false)]
        );
        assert_eq!(
            values(
                "db.rs",
                "let opts = opts.pragma(\"cache_size\", \"-64000\");\n"
            ),
            [(1, -64000, false)]
        );
        assert_eq!(
            values("db.ts", "db.pragma('cache_size = -16000');\n"),
            [(1, -16000, false)]
        );
        assert_eq!(
            values(
                "main.go",
                "sql.Open(\"sqlite3\", \"file:app.db?_journal=WAL&_cache_size=-64000\")\n"
            ),
            [(1, -64000, false)]
        );
        assert_eq!(
            values(
                "main.go",
                "sql.Open(\"sqlite\", \"app.db?_pragma=cache_size(-20000)\")\n"
            ),
            [(1, -20000, false)]
        );
        assert_eq!(
            values("init.sql", "PRAGMA default_cache_size = -8000;\n"),
            [(1, 8000, true)]
        );
    }

    #[test]
    fn other_caches_and_postgres_settings_are_not_sqlite_pragmas() {
        assert!(values("lru.py", "self.cache_size = 1000\n").is_empty());
        assert!(values("pg.sql", "ALTER SYSTEM SET effective_cache_size = 12;\n").is_empty());
        assert!(values("cfg.py", "# pragma: no cover\nmy_cache_size = 50\n").is_empty());
        assert!(values("a.py", "x = '?_cache_size'\n").is_empty());
        assert!(values("c.py", "cache_size = 1000  # pragma: no cover\n").is_empty());
        assert!(values("c.py", "# pragma: no cover\ncache_size = 1000\n").is_empty());
    }

    #[test]
    fn sizes_are_compared_in_bytes() {
        assert_eq!(bytes(10000, 4096), 40_960_000);
        assert_eq!(bytes(-64000, 4096), 65_536_000);
        assert!(bytes(-64000, 4096) >= 64_000_000);
        assert_eq!(describe(-2000, 4096), "2000 KiB ≈ 2.0 MiB");
        assert_eq!(
            describe(10000, 4096),
            "10000 pages of 4096 bytes ≈ 39.1 MiB"
        );
    }

    #[test]
    fn the_header_gives_page_size_and_the_stored_default() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("not.db");
        std::fs::write(&p, "hello, not a database at all, but long enough to have a hundred bytes of header, really it is so long").unwrap();
        assert!(
            read_header(&p)
                .unwrap_err()
                .contains("not a SQLite database")
        );
        let mut h = b"SQLite format 3\0".to_vec();
        h.resize(100, 0);
        h[16] = 0x10; // 4096
        h[48..52].copy_from_slice(&10000i32.to_be_bytes());
        std::fs::write(&p, &h).unwrap();
        let got = read_header(&p).unwrap();
        assert_eq!((got.page_size, got.default_cache), (4096, 10000));
    }
}
