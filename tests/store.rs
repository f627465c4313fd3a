//! The run store as a user meets it, on SQLite and on a real PostgreSQL: runs kept, sign-offs,
//! waivers, history, diff, tamper evidence, refusal of foreign stores, migration, concurrency.
//!
//! PostgreSQL tests read `GONOGO_TEST_POSTGRES_URL` (each test gets a database of its own);
//! under CI=true they fail when it is unset.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Backend {
    Sqlite,
    Postgres,
}

/// A repository with a checklist, and a store of the chosen backend.
struct Env {
    dir: TempDir,
    store: String,
    backend: Backend,
    /// For PostgreSQL: the admin URL and the test's database, dropped at the end.
    pg: Option<(String, String)>,
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some((admin, db)) = &self.pg {
            let _ = pg_exec(admin, &format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
        }
    }
}

fn pg_base() -> String {
    match std::env::var("GONOGO_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => u,
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("GONOGO_TEST_POSTGRES_URL is not set; CI must run the PostgreSQL store tests")
        }
        _ => "postgres://postgres@127.0.0.1:5432/test".into(),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn pg_exec(url: &str, sql: &str) -> Result<(), tokio_postgres::Error> {
    runtime().block_on(async {
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
        tokio::spawn(conn);
        client.batch_execute(sql).await
    })
}

/// The URL with its database replaced.
fn with_db(url: &str, db: &str) -> String {
    let (head, query) = url.split_once('?').map_or((url, ""), |(h, q)| (h, q));
    let scheme_end = head.find("://").map_or(0, |i| i + 3);
    let base = match head[scheme_end..].find('/') {
        Some(i) => &head[..scheme_end + i],
        None => head,
    };
    if query.is_empty() {
        format!("{base}/{db}")
    } else {
        format!("{base}/{db}?{query}")
    }
}

static N: AtomicUsize = AtomicUsize::new(0);

fn env(backend: Backend) -> Env {
    let dir = TempDir::new().unwrap();
    match backend {
        Backend::Sqlite => Env {
            store: dir.path().join("store.db").display().to_string(),
            dir,
            backend,
            pg: None,
        },
        Backend::Postgres => {
            let admin = pg_base();
            let db = format!(
                "gonogo_t_{}_{}_{}",
                std::process::id(),
                N.fetch_add(1, Ordering::SeqCst),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos()
            );
            pg_exec(&admin, &format!("CREATE DATABASE {db}"))
                .unwrap_or_else(|e| panic!("PostgreSQL at {admin}: {e}"));
            Env {
                store: with_db(&admin, &db),
                dir,
                backend,
                pg: Some((admin, db)),
            }
        }
    }
}

fn write(dir: &Path, rel: &str, content: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

const README: &str = "# svc\n## Installation\nmake\n## Usage\nsvc run\n";

const LIST: &str = "# Release\n\n## Docs\n\n- [ ] The project has a README <!-- gonogo: docs.readme -->\n\n## People\n\n- [ ] Team training completed\n\n## Sign-Off\n\n| Role | Name | Date |\n|------|------|------|\n| Security Lead | | |\n| Product Owner | | |\n";

impl Env {
    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn cmd(&self, args: &[&str]) -> std::process::Output {
        let mut c = Command::cargo_bin("gonogo").unwrap();
        c.env("NO_COLOR", "1")
            .env_remove("GONOGO_NOW")
            .current_dir(self.path())
            .args(args)
            .args(["--store", &self.store]);
        c.output().unwrap()
    }

    fn cmd_at(&self, now: i64, args: &[&str]) -> std::process::Output {
        let mut c = Command::cargo_bin("gonogo").unwrap();
        c.env("NO_COLOR", "1")
            .env("GONOGO_NOW", now.to_string())
            .current_dir(self.path())
            .args(args)
            .args(["--store", &self.store]);
        c.output().unwrap()
    }

    fn check_json(&self) -> Value {
        let out = self.cmd(&["check", "list.md", "--format", "json"]);
        json(&out)
    }

    /// Edits the ledger behind gonogo's back.
    fn tamper(&self, sql: &str) {
        match self.backend {
            Backend::Sqlite => {
                let c = rusqlite::Connection::open(&self.store).unwrap();
                c.execute_batch(sql).unwrap();
            }
            Backend::Postgres => pg_exec(&self.store, sql).unwrap(),
        }
    }
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn item<'a>(report: &'a Value, text: &str) -> &'a Value {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["text"].as_str().unwrap().contains(text))
        .unwrap_or_else(|| panic!("no item {text:?}"))
}

fn id_of(report: &Value, text: &str) -> String {
    item(report, text)["id"].as_str().unwrap().to_string()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn git(dir: &Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .unwrap()
        .status
        .success();
    assert!(ok, "git {args:?}");
}

macro_rules! both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name(super::Backend::Sqlite)
            }
            #[test]
            fn postgres() {
                super::$name(super::Backend::Postgres)
            }
        }
    )*};
}

both!(
    check_keeps_every_run_and_history_lists_them,
    sign_turns_a_manual_item_signed_until_it_expires_or_is_reworded,
    role_sign_offs_fill_sign_off_tables,
    waive_lets_a_failing_item_through_until_it_expires,
    diff_and_the_report_name_regressions,
    verify_names_an_edited_entry,
    verify_names_a_deleted_entry,
    verify_names_reordered_entries,
    two_runs_writing_at_once_both_land,
    a_store_that_is_not_gonogos_is_refused,
    an_older_store_is_migrated,
);

fn check_keeps_every_run_and_history_lists_them(b: Backend) {
    let e = env(b);
    write(e.path(), "list.md", LIST);
    write(e.path(), "README.md", README);
    git(e.path(), &["init", "-q", "-b", "release"]);
    git(e.path(), &["add", "."]);
    git(e.path(), &["commit", "-qm", "init"]);
    for _ in 0..2 {
        let out = e.cmd(&["check", "list.md"]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    }
    // --no-store runs are not kept.
    e.cmd(&["check", "list.md", "--no-store"]);
    let h = json(&e.cmd(&["history", "--format", "json"]));
    let runs = h["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "{h}");
    assert_eq!(runs[1]["verdict"], "no-go");
    assert_eq!(runs[1]["summary"]["pass"], 1);
    assert_eq!(runs[1]["summary"]["manual"], 1);
    assert_eq!(runs[1]["branch"], "release");
    assert_eq!(runs[1]["commit"].as_str().unwrap().len(), 40);
    let human = text(&e.cmd(&["history"]));
    assert!(
        human.contains("NO-GO") && human.contains("trend"),
        "{human}"
    );
    assert!(human.contains("✗✗"), "{human}");
    let v = e.cmd(&["verify"]);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
    assert!(text(&v).contains("2 entries"), "{}", text(&v));
}

fn sign_turns_a_manual_item_signed_until_it_expires_or_is_reworded(b: Backend) {
    let e = env(b);
    write(e.path(), "list.md", LIST);
    write(e.path(), "README.md", README);
    let r = e.check_json();
    assert_eq!(item(&r, "Team training")["status"], "manual");
    let id = id_of(&r, "Team training");
    let out = e.cmd(&[
        "sign",
        &id,
        "list.md",
        "--by",
        "Ada",
        "--note",
        "all trained",
        "--expires",
        "10d",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let r = e.check_json();
    assert_eq!(item(&r, "Team training")["status"], "signed", "{r}");
    assert_eq!(r["summary"]["signed"], 1);
    assert_eq!(r["signoffs"][0]["by"], "Ada");
    assert!(
        item(&r, "Team training")["note"]
            .as_str()
            .unwrap()
            .contains("signed by Ada")
    );
    // Listed, and flagged as expiring soon.
    let l = text(&e.cmd(&["sign", "--list"]));
    assert!(l.contains(&id) && l.contains("expires soon"), "{l}");
    // Eleven days later it has expired.
    let later = now() + 11 * 86_400;
    let out = e.cmd_at(
        later,
        &["check", "list.md", "--format", "json", "--no-store"],
    );
    let r = json(&out);
    assert_eq!(item(&r, "Team training")["status"], "manual", "{r}");
    let out = e.cmd_at(later, &["check", "list.md", "--no-store"]);
    assert!(text(&out).contains("expired on"), "{}", text(&out));
    let l = text(&e.cmd_at(later, &["sign", "--list"]));
    assert!(l.contains("expired"), "{l}");
    // Rewording the item voids the sign-off; re-spacing it does not.
    let out = e.cmd(&["sign", &id, "list.md", "--by", "Ada"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(item(&e.check_json(), "Team training")["status"], "signed");
    write(
        e.path(),
        "list.md",
        &LIST.replace("Team training completed", "Team  training   completed"),
    );
    assert_eq!(
        item(&e.check_json(), "Team training")["status"],
        "signed",
        "spacing is not wording"
    );
    write(
        e.path(),
        "list.md",
        &LIST.replace("Team training completed", "Team training planned"),
    );
    let r = e.check_json();
    assert_eq!(item(&r, "Team training")["status"], "manual", "{r}");
    // Unknown item ids and bad durations are bad input.
    let out = e.cmd(&["sign", "nope", "list.md", "--by", "Ada"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("no item with this id"));
    let out = e.cmd(&["sign", &id, "list.md", "--by", "Ada", "--expires", "soon"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

fn role_sign_offs_fill_sign_off_tables(b: Backend) {
    let e = env(b);
    write(e.path(), "list.md", LIST);
    let r = e.check_json();
    let roles = r["roles"].as_array().unwrap();
    assert_eq!(roles.len(), 2, "{r}");
    assert!(roles.iter().all(|r| r["signed_by"].is_null()));
    let out = e.cmd(&["sign", "--role", "security lead", "--by", "Grace"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let r = e.check_json();
    let sec = r["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == "Security Lead")
        .unwrap();
    assert_eq!(sec["signed_by"], "Grace", "{r}");
    let human = text(&e.cmd(&["check", "list.md"]));
    assert!(human.contains("✓ Security Lead: Grace"), "{human}");
    assert!(human.contains("Product Owner: not signed"), "{human}");

    // Sign-off items (`ROLE: …` under a sign-off heading) are signed by the role.
    write(
        e.path(),
        "list.md",
        "# R\n\n## Final Sign-off\n\n- [ ] **Security Lead**: All security requirements met\n- [ ] **Business Lead**: All business requirements met\n",
    );
    let r = e.check_json();
    assert_eq!(item(&r, "Security Lead")["status"], "signed", "{r}");
    assert_eq!(item(&r, "Business Lead")["status"], "manual");
}

fn waive_lets_a_failing_item_through_until_it_expires(b: Backend) {
    let e = env(b);
    write(
        e.path(),
        "list.md",
        "# R\n\n- [ ] The project has a README <!-- gonogo: docs.readme -->\n",
    );
    let r = e.check_json();
    assert_eq!(item(&r, "README")["status"], "fail");
    assert_eq!(r["verdict"], "no-go");
    let id = id_of(&r, "README");
    let out = e.cmd(&[
        "waive",
        &id,
        "list.md",
        "--reason",
        "README lands next sprint",
        "--by",
        "Linus",
        "--expires",
        "14d",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let r = e.check_json();
    assert_eq!(item(&r, "README")["status"], "waived", "{r}");
    assert_eq!(r["verdict"], "go");
    assert_eq!(r["waivers"][0]["reason"], "README lands next sprint");
    // Its check still ran and still says what is wrong.
    assert_eq!(item(&r, "README")["checks"][0]["status"], "fail");
    let human = text(&e.cmd(&["check", "list.md"]));
    assert!(human.contains("Waivers in force"), "{human}");
    assert!(human.contains("README lands next sprint"), "{human}");
    // Fifteen days later the waiver is over.
    let out = e.cmd_at(
        now() + 15 * 86_400,
        &["check", "list.md", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(item(&json(&out), "README")["status"], "fail");
    // A waiver needs an expiry.
    let out = e.cmd(&["waive", &id, "list.md", "--reason", "x", "--by", "L"]);
    assert_eq!(out.status.code(), Some(2));
}

fn diff_and_the_report_name_regressions(b: Backend) {
    let e = env(b);
    write(e.path(), "list.md", LIST);
    write(e.path(), "README.md", README);
    e.cmd(&["check", "list.md"]);
    std::fs::remove_file(e.path().join("README.md")).unwrap();
    let human = text(&e.cmd(&["check", "list.md"]));
    assert!(human.contains("Regressions since run 1"), "{human}");
    assert!(human.contains("pass → fail"), "{human}");
    let d = json(&e.cmd(&["diff", "--format", "json"]));
    assert_eq!(d["regressed"][0]["text"], "The project has a README", "{d}");
    assert_eq!(d["recovered"].as_array().unwrap().len(), 0);
    // Recovered, and an item appears while another disappears.
    write(e.path(), "README.md", README);
    write(
        e.path(),
        "list.md",
        &LIST.replace("Team training completed", "Rollback rehearsed"),
    );
    let r = e.check_json();
    assert!(r["regressions"].as_array().unwrap().is_empty(), "{r}");
    let d = json(&e.cmd(&["diff", "--format", "json"]));
    assert_eq!(d["recovered"][0]["text"], "The project has a README", "{d}");
    assert_eq!(d["appeared"][0]["text"], "Rollback rehearsed", "{d}");
    assert_eq!(
        d["disappeared"][0]["text"], "Team training completed",
        "{d}"
    );
    // Explicit runs; unknown runs are bad input.
    let d = json(&e.cmd(&["diff", "1", "2", "--format", "json"]));
    assert_eq!(d["regressed"].as_array().unwrap().len(), 1, "{d}");
    let out = e.cmd(&["diff", "1", "99"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let human = text(&e.cmd(&["diff", "1", "2"]));
    assert!(human.contains("regressed (1)"), "{human}");
}

/// Three entries: a run, a sign-off, a run.
fn three_entries(b: Backend) -> Env {
    let e = env(b);
    write(e.path(), "list.md", LIST);
    let r = e.check_json();
    let id = id_of(&r, "Team training");
    e.cmd(&["sign", &id, "list.md", "--by", "Ada"]);
    e.cmd(&["check", "list.md"]);
    let v = e.cmd(&["verify"]);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
    e
}

fn verify_names_an_edited_entry(b: Backend) {
    let e = three_entries(b);
    e.tamper("UPDATE gonogo_ledger SET payload = replace(payload, 'Ada', 'Eve') WHERE seq = 2");
    let v = e.cmd(&["verify"]);
    assert_eq!(v.status.code(), Some(1), "{}", text(&v));
    assert!(text(&v).contains("entry 2 (signoff"), "{}", text(&v));
    assert!(text(&v).contains("edited"), "{}", text(&v));
}

fn verify_names_a_deleted_entry(b: Backend) {
    let e = three_entries(b);
    e.tamper("DELETE FROM gonogo_ledger WHERE seq = 2");
    let v = e.cmd(&["verify"]);
    assert_eq!(v.status.code(), Some(1), "{}", text(&v));
    assert!(text(&v).contains("entry 2 is missing"), "{}", text(&v));
    // Deleting the last entry is caught too.
    let e = three_entries(b);
    e.tamper("DELETE FROM gonogo_ledger WHERE seq = 3");
    let v = e.cmd(&["verify"]);
    assert_eq!(v.status.code(), Some(1), "{}", text(&v));
    assert!(text(&v).contains("entry 3 is missing"), "{}", text(&v));
}

fn verify_names_reordered_entries(b: Backend) {
    let e = three_entries(b);
    e.tamper(
        "UPDATE gonogo_ledger SET seq = 100 WHERE seq = 2;
         UPDATE gonogo_ledger SET seq = 2 WHERE seq = 3;
         UPDATE gonogo_ledger SET seq = 3 WHERE seq = 100;",
    );
    let v = e.cmd(&["verify"]);
    assert_eq!(v.status.code(), Some(1), "{}", text(&v));
    assert!(text(&v).contains("entry 2 "), "{}", text(&v));
}

fn two_runs_writing_at_once_both_land(b: Backend) {
    let e = env(b);
    write(e.path(), "list.md", LIST);
    let spawn = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("gonogo"))
            .current_dir(e.path())
            .args(["check", "list.md", "--store", &e.store])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let children: Vec<_> = (0..4).map(|_| spawn()).collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let h = json(&e.cmd(&["history", "--format", "json"]));
    assert_eq!(h["runs"].as_array().unwrap().len(), 4, "{h}");
    assert_eq!(e.cmd(&["verify"]).status.code(), Some(0));
}

fn a_store_that_is_not_gonogos_is_refused(b: Backend) {
    let e = env(b);
    write(e.path(), "list.md", LIST);
    match b {
        Backend::Sqlite => {
            let c = rusqlite::Connection::open(&e.store).unwrap();
            c.execute_batch(
                "CREATE TABLE customers (id INTEGER); INSERT INTO customers VALUES (7);",
            )
            .unwrap();
            drop(c);
            // Not a database at all.
            let other = e.path().join("notes.txt");
            std::fs::write(&other, "just some notes, long enough to have a header of sorts...................................................................")
                .unwrap();
            let out = Command::cargo_bin("gonogo")
                .unwrap()
                .current_dir(e.path())
                .args(["history", "--store", other.to_str().unwrap()])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{}", text(&out));
            assert!(text(&out).contains("not a gonogo store"), "{}", text(&out));
        }
        Backend::Postgres => e.tamper(
            "CREATE TABLE gonogo_meta (key TEXT PRIMARY KEY, value TEXT);
             INSERT INTO gonogo_meta VALUES ('owner', 'someone else');",
        ),
    }
    let out = e.cmd(&["check", "list.md"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("not a gonogo store"), "{t}");
    // The report is still printed before the error.
    assert!(t.contains("NO-GO"), "{t}");
    let out = e.cmd(&["verify"]);
    assert_eq!(out.status.code(), Some(2));
    // And the foreign data is untouched.
    if b == Backend::Sqlite {
        let c = rusqlite::Connection::open(&e.store).unwrap();
        let n: i64 = c
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
    }
}

fn an_older_store_is_migrated(b: Backend) {
    let e = env(b);
    write(e.path(), "list.md", LIST);
    match b {
        Backend::Sqlite => gonogo_store::sqlite_create_at_version(Path::new(&e.store), 1).unwrap(),
        Backend::Postgres => e.tamper(&format!(
            "{}; UPDATE gonogo_meta SET value = '1' WHERE key = 'schema_version';",
            gonogo_store::PG_MIGRATIONS[0]
        )),
    }
    let out = e.cmd(&["check", "list.md"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(e.cmd(&["verify"]).status.code(), Some(0));
    let h = json(&e.cmd(&["history", "--format", "json"]));
    assert_eq!(h["runs"].as_array().unwrap().len(), 1);
    if b == Backend::Sqlite {
        let c = rusqlite::Connection::open(&e.store).unwrap();
        let v: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, gonogo_store::SCHEMA_VERSION);
    }
}

#[test]
fn the_default_store_lives_under_the_repo_and_is_ignored_by_git() {
    let t = TempDir::new().unwrap();
    write(t.path(), "README.md", README);
    let out = Command::cargo_bin("gonogo")
        .unwrap()
        .current_dir(t.path())
        .arg("check")
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", text(&out));
    assert!(t.path().join(".gonogo/gonogo.db").is_file());
    assert_eq!(
        std::fs::read_to_string(t.path().join(".gonogo/.gitignore")).unwrap(),
        "*\n"
    );
    let out = Command::cargo_bin("gonogo")
        .unwrap()
        .current_dir(t.path())
        .arg("history")
        .output()
        .unwrap();
    let row = regex::Regex::new(r"(?m)^\s+1\s+\d{4}-\d\d-\d\d ").unwrap();
    assert!(row.is_match(&text(&out)), "{}", text(&out));
}

#[test]
fn a_broken_store_path_keeps_the_report_and_exits_2() {
    let t = TempDir::new().unwrap();
    write(t.path(), "README.md", README);
    let out = Command::cargo_bin("gonogo")
        .unwrap()
        .current_dir(t.path())
        .args(["check", "--store", "no/such/dir/x.db"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("NO-GO") || stdout.contains("GO"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no/such/dir") && stderr.contains("not stored"),
        "{stderr}"
    );
}

#[test]
fn a_postgres_password_is_never_printed() {
    let url = with_db(&pg_base(), "gonogo_no_such_db_here");
    let url = url.replacen(
        "postgres://postgres@",
        "postgres://postgres:hunter2secretvalue@",
        1,
    );
    let out = Command::cargo_bin("gonogo")
        .unwrap()
        .args(["history", "--store", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!text(&out).contains("hunter2secretvalue"), "{}", text(&out));
}

both!(runs_killed_at_random_points_leave_the_store_consistent);

/// Many runs, some killed (SIGKILL) at random points while others run: afterwards `verify`
/// and `history` succeed and every run that completed is in the store.
fn runs_killed_at_random_points_leave_the_store_consistent(b: Backend) {
    use std::time::{Duration, Instant};
    let e = env(b);
    write(e.path(), "list.md", LIST);
    write(e.path(), "README.md", README);
    let spawn = |i: usize| {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("gonogo"))
            .current_dir(e.path())
            .env("USER", format!("run-{i}"))
            .args(["check", "list.md", "--store", &e.store])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long one run takes here, to spread the kills over its whole life.
    // (The first run creates the store; then time a batch of five at once, as below.)
    assert_eq!(spawn(0).wait().unwrap().code(), Some(1));
    let t = Instant::now();
    let warm: Vec<_> = (1..=5).map(spawn).collect();
    for mut c in warm {
        assert_eq!(c.wait().unwrap().code(), Some(1));
    }
    let span = t.elapsed().as_micros().max(1_000) as u64 * 6 / 5;
    let mut seed = now() as u64 ^ (std::process::id() as u64) << 20;
    let mut rand = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    let mut completed: Vec<usize> = (0..=5).collect();
    let mut killed = 0;
    let mut i = 6;
    let mut batch = |span: u64, completed: &mut Vec<usize>, killed: &mut usize| {
        let children: Vec<_> = (0..5)
            .map(|_| {
                i += 1;
                (i - 1, spawn(i - 1), Duration::from_micros(rand() % span))
            })
            .collect();
        let start = Instant::now();
        for (n, mut c, at) in children {
            if let Some(left) = at.checked_sub(start.elapsed()) {
                std::thread::sleep(left);
            }
            if c.try_wait().unwrap().is_none() {
                let _ = c.kill();
            }
            match c.wait().unwrap().code() {
                Some(0 | 1) => completed.push(n),
                None => *killed += 1,
                Some(other) => panic!("run {n} exited {other}"),
            }
        }
    };
    for _ in 0..8 {
        batch(span, &mut completed, &mut killed);
    }
    // The warm-up batch may have run while other tests loaded the machine, so its time can
    // overstate a run's life: then every run ends before its kill. Shorter spans until one
    // is killed (each batch still kills at random points within its span).
    let mut shorter = span;
    for _ in 0..12 {
        if killed > 0 {
            break;
        }
        shorter = (shorter / 2).max(1_000);
        batch(shorter, &mut completed, &mut killed);
    }
    assert!(killed > 0, "no run was killed; the test proves nothing");
    let v = e.cmd(&["verify"]);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
    let h = e.cmd(&["history", "--format", "json", "--limit", "1000"]);
    assert_eq!(h.status.code(), Some(0), "{}", text(&h));
    let h = json(&h);
    let by: Vec<String> = h["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["by"].as_str().unwrap().to_string())
        .collect();
    for n in &completed {
        assert!(
            by.contains(&format!("run-{n}")),
            "completed run {n} is missing; stored: {by:?}"
        );
    }
    // A new run still lands after all that.
    assert_eq!(e.cmd(&["check", "list.md"]).status.code(), Some(1));
    assert_eq!(e.cmd(&["verify"]).status.code(), Some(0));
    eprintln!(
        "{b:?}: {} completed, {killed} killed, {} stored",
        completed.len(),
        by.len()
    );
}

#[test]
fn a_store_from_a_newer_gonogo_is_refused_untouched() {
    let e = env(Backend::Sqlite);
    write(e.path(), "list.md", LIST);
    assert_eq!(e.cmd(&["check", "list.md"]).status.code(), Some(1));
    let c = rusqlite::Connection::open(&e.store).unwrap();
    c.pragma_update(None, "user_version", 99).unwrap();
    drop(c);
    let out = e.cmd(&["check", "list.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("newer than this gonogo"),
        "{}",
        text(&out)
    );
    let c = rusqlite::Connection::open(&e.store).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM gonogo_ledger", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}
