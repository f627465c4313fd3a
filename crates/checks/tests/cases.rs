//! Every check's cases, as data: `tests/cases/<check-id>/<case>/` holds `repo/` (the repository
//! the check looks at) and `case.toml` (expected `status`, a `message` fragment, `[params]`,
//! and `allow_exec`, default true). Each case also snapshots its message and evidence
//! (`tests/snapshots/`); bless changes with `INSTA_UPDATE=always cargo test -p gonogo-checks`.
//!
//! Adding a case is adding a folder. Every check must have a passing and a failing case.
//!
//! Datastore cases add `[postgres]` (`server = "shared"` or `"own"` with `conf`, `hba`,
//! `standby`; `database` + `setup` for a fresh database), `[redis]` (`server = "shared"` or
//! `"own"` with `args`) and `[[files]]` made at run time (`path`, `sqlite` SQL or `content`,
//! `mode`, `dir_mode`, `age`). Each case runs on a temporary copy of its `repo/`; `track =
//! [paths]` makes that copy a git repository tracking those paths.
//! `[pgbouncer]` starts a PgBouncer in front of the shared PostgreSQL (`settings` lines of its
//! `[pgbouncer]` section, `databases` entries such as `"test = pool_size=30"`) and passes its
//! admin console as `--pgbouncer`, as `user` (default `gonogo_admin`; `gonogo_stats`,
//! `gonogo_app` is in neither list) with `password = "wrong"` if asked; `target =
//! "closed-port"` gives a URL where nothing listens.
//!
//! Live checks' cases add `[server]` with `[[server.routes]]` (path, status, headers, body,
//! delay_ms, trickle_ms, reflect_origin): the harness serves them on 127.0.0.1 and passes the server as
//! `--target` (plus `target_path`, if given). `target = "closed-port"` targets a port where
//! nothing listens. `[tls]` (cert = good | expired | expiring-10-days | wrong-host | untrusted,
//! versions, legacy) serves TLS with certificates generated for the run and its CA as --ca-file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use gonogo_engine::bind::{BindSource, Binding, ItemBindings};
use gonogo_engine::catalogue::{Params, check_param_value, with_defaults};
use gonogo_engine::context::RunContext;
use gonogo_engine::run::{Quiet, RunOptions, run_all};

mod support;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

struct Case {
    check: String,
    name: String,
    dir: PathBuf,
    spec: toml::Table,
}

fn all_cases() -> Vec<Case> {
    let mut out = Vec::new();
    for check in sorted_dirs(&cases_dir()) {
        for case in sorted_dirs(&check) {
            let spec: toml::Table = toml::from_str(
                &std::fs::read_to_string(case.join("case.toml")).expect("case.toml"),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", case.display()));
            out.push(Case {
                check: check.file_name().unwrap().to_string_lossy().into_owned(),
                name: case.file_name().unwrap().to_string_lossy().into_owned(),
                dir: case,
                spec,
            });
        }
    }
    out
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

async fn run_case(case: &Case) -> gonogo_engine::decide::CheckRun {
    let catalogue = gonogo_checks::catalogue();
    let check = catalogue
        .get(&case.check)
        .unwrap_or_else(|| panic!("cases/{}: no such check", case.check));
    let meta = check.meta();
    let mut params = Params::new();
    if let Some(toml::Value::Table(t)) = case.spec.get("params") {
        for (k, v) in t {
            let spec = meta
                .param(k)
                .unwrap_or_else(|| panic!("{}: no param {k}", case.name));
            let json = serde_json::to_value(v).unwrap();
            params.insert(k.clone(), check_param_value(spec, &json).unwrap());
        }
    }
    // A copy of the repository, so files made at run time stay out of the source tree.
    let work = tempfile::TempDir::new().unwrap();
    copy_dir(&case.dir.join("repo"), work.path());
    if let Some(toml::Value::Array(files)) = case.spec.get("files") {
        for f in files {
            support::make_file(work.path(), f.as_table().unwrap()).await;
        }
    }
    // `track = [paths]`: the copy is a git repository whose index holds those paths (added
    // with -f, as a file committed before its ignore rule stays tracked).
    if let Some(toml::Value::Array(paths)) = case.spec.get("track") {
        let git = |args: &[&str]| {
            let st = std::process::Command::new("git")
                .arg("-C")
                .arg(work.path())
                .args(args)
                .status()
                .expect("git runs");
            assert!(st.success(), "git {args:?}");
        };
        git(&["init", "-q"]);
        for p in paths {
            git(&[
                "add",
                "-f",
                "--",
                p.as_str().expect("track paths are strings"),
            ]);
        }
    }
    let mut ctx = RunContext::new(work.path().to_path_buf());
    let mut _server = None;
    if let Some(toml::Value::Table(t)) = case.spec.get("server") {
        let server = support::server::start(support::server::routes_from_toml(t)).await;
        let path = case
            .spec
            .get("target_path")
            .and_then(toml::Value::as_str)
            .unwrap_or("");
        ctx.targets.push(format!("{}{path}", server.url()));
        _server = Some(server);
    }
    let mut _tls = None;
    if let Some(toml::Value::Table(t)) = case.spec.get("tls") {
        let cert = t
            .get("cert")
            .and_then(toml::Value::as_str)
            .unwrap_or("good");
        let versions: Vec<String> = t
            .get("versions")
            .and_then(toml::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_else(|| vec!["1.2".into(), "1.3".into()]);
        let legacy = t
            .get("legacy")
            .and_then(toml::Value::as_bool)
            .unwrap_or(false);
        let server = support::tls::start(cert, &versions, legacy).await;
        ctx.targets.push(server.url());
        ctx.ca_file = Some(server.ca_file.clone());
        _tls = Some(server);
    }
    match case.spec.get("target").and_then(toml::Value::as_str) {
        Some("closed-port") => ctx.targets.push(format!(
            "http://127.0.0.1:{}/",
            support::server::closed_port()
        )),
        Some(other) => ctx.targets.push(other.to_string()),
        None => {}
    }
    ctx.exec.allowed = case
        .spec
        .get("allow_exec")
        .and_then(toml::Value::as_bool)
        .unwrap_or(true);
    let strings = |t: &toml::Table, k: &str| -> Vec<String> {
        t.get(k)
            .and_then(toml::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut _own_pg = None;
    if let Some(toml::Value::Table(pg)) = case.spec.get("postgres") {
        let server = if let Some(url) = pg.get("url").and_then(toml::Value::as_str) {
            url.to_string()
        } else if pg.get("server").and_then(toml::Value::as_str) == Some("own") {
            let own = support::OwnPostgres::start(
                &strings(pg, "conf"),
                &strings(pg, "hba"),
                pg.get("standby")
                    .and_then(toml::Value::as_bool)
                    .unwrap_or(false),
            );
            let url = own.url.clone();
            _own_pg = Some(own);
            url
        } else {
            support::postgres_url()
        };
        ctx.postgres = Some(match pg.get("database").and_then(toml::Value::as_str) {
            Some(db) => {
                let setup = pg.get("setup").and_then(toml::Value::as_str).unwrap_or("");
                support::fresh_database(&server, db, setup).await
            }
            None => server,
        });
    }
    let mut _own_redis = None;
    if let Some(toml::Value::Table(r)) = case.spec.get("redis") {
        ctx.redis = Some(
            if r.get("server").and_then(toml::Value::as_str) == Some("own") {
                let own = support::OwnRedis::start(&strings(r, "args"));
                let url = own.url.clone();
                _own_redis = Some(own);
                url
            } else {
                support::redis_url()
            },
        );
    }
    let mut _own_pgbouncer = None;
    if let Some(toml::Value::Table(b)) = case.spec.get("pgbouncer") {
        if b.get("target").and_then(toml::Value::as_str) == Some("closed-port") {
            ctx.pgbouncer = Some(format!(
                "postgres://gonogo_admin@127.0.0.1:{}/pgbouncer",
                support::server::closed_port()
            ));
        } else {
            let own =
                support::OwnPgBouncer::start(&strings(b, "settings"), &strings(b, "databases"));
            let user = b
                .get("user")
                .and_then(toml::Value::as_str)
                .unwrap_or("gonogo_admin");
            let mut url = own.url_as(user, "pgbouncer");
            if b.get("password").and_then(toml::Value::as_str) == Some("wrong") {
                url = url.replace(&own.secret, "not-the-secret");
            }
            ctx.pgbouncer = Some(url);
            _own_pgbouncer = Some(own);
        }
    }
    ctx.exec.timeout = Duration::from_secs(20);
    let bindings = vec![vec![ItemBindings {
        bindings: vec![Binding {
            check: meta,
            params: with_defaults(meta, params),
            reason: "case".into(),
            source: BindSource::Config,
        }],
        manual_reason: None,
        ..ItemBindings::default()
    }]];
    let opts = RunOptions {
        concurrency: 1,
        timeout: Duration::from_secs(30),
    };
    let (mut runs, _) = run_all(
        &catalogue,
        &bindings,
        Arc::new(ctx),
        &opts,
        &Quiet,
        std::future::pending(),
    )
    .await;
    runs.remove(0).remove(0).remove(0)
}

fn copy_dir(from: &Path, to: &Path) {
    // Live-check cases need no repository.
    if !from.is_dir() {
        return;
    }
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

#[tokio::test]
async fn every_case_has_its_expected_outcome() {
    let mut failures = Vec::new();
    // Durations differ from run to run ("12ms", "1.5s", "30h1m", "2m10s"); sizes such as a
    // compose limit of "256m" must stay.
    let durations = regex::Regex::new(
        r"\bin \d+ ms\b|\b\d+(?:\.\d+)?(?:ms|s)\b|\b\d+[hd](?:\d+[mh])?\b|\b\d+m\d+s\b|\b\d+m(?P<tail> old|\))",
    )
    .unwrap();
    // What else differs from run to run: days until a fixed date (relative ones, under 100, do
    // not), throughput, loopback ports.
    let masks: Vec<(regex::Regex, &str)> = [
        (r"-?\b\d{3,} days\b", "[many] days"),
        (r"\(\d+ req/s\)", "([n] req/s)"),
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
    ]
    .into_iter()
    .map(|(re, with)| (regex::Regex::new(re).unwrap(), with))
    .collect();
    for case in all_cases() {
        let run = run_case(&case).await;
        let o = &run.outcome;
        let want = case
            .spec
            .get("status")
            .and_then(toml::Value::as_str)
            .expect("status");
        if o.status.as_str() != want {
            failures.push(format!(
                "{}/{}: expected {want}, got {}: {}",
                case.check,
                case.name,
                o.status.as_str(),
                o.message
            ));
            continue;
        }
        if let Some(fragment) = case.spec.get("message").and_then(toml::Value::as_str)
            && !o.message.contains(fragment)
        {
            failures.push(format!(
                "{}/{}: message {:?} lacks {fragment:?}",
                case.check, case.name, o.message
            ));
        }
        // Snapshot what a person reads: the message and the evidence.
        let mut shown = format!("{}: {}\n", o.status.as_str(), o.message);
        for e in &o.evidence {
            let place = match (&e.file, e.line) {
                (Some(f), Some(l)) => format!("{f}:{l}: "),
                (Some(f), None) => format!("{f}: "),
                _ => String::new(),
            };
            shown.push_str(&format!("- {place}{}\n", e.detail));
        }
        let shown = durations
            .replace_all(&shown, "[duration]${tail}")
            .into_owned();
        let mut shown = shown;
        for (re, with) in &masks {
            shown = re.replace_all(&shown, *with).into_owned();
        }
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_suffix(format!("{}__{}", case.check, case.name));
        settings.bind(|| insta::assert_snapshot!("case", shown));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_check_has_a_passing_and_a_failing_case() {
    let mut kinds: BTreeMap<String, (bool, bool)> = BTreeMap::new();
    for case in all_cases() {
        let e = kinds.entry(case.check.clone()).or_default();
        match case.spec.get("status").and_then(toml::Value::as_str) {
            Some("pass") => e.0 = true,
            Some("fail") => e.1 = true,
            _ => {}
        }
    }
    for check in gonogo_checks::catalogue().iter() {
        let id = check.meta().id;
        assert_eq!(
            kinds.get(id).copied(),
            Some((true, true)),
            "{id} needs a pass case and a fail case under tests/cases/{id}/"
        );
    }
}

#[tokio::test]
async fn secrets_in_command_output_are_redacted() {
    let case = all_cases()
        .into_iter()
        .find(|c| c.name == "pass-secret-in-output-is-redacted")
        .unwrap();
    let run = run_case(&case).await;
    let all: String = run
        .outcome
        .evidence
        .iter()
        .map(|e| e.detail.clone())
        .collect();
    assert!(!all.contains("hunter2hunter2"), "{all}");
    assert!(all.contains("[redacted]"), "{all}");
}

#[tokio::test]
async fn commands_do_not_run_without_allow_exec() {
    let case = all_cases()
        .into_iter()
        .find(|c| c.name == "skipped-without-allow-exec")
        .unwrap();
    let run = run_case(&case).await;
    assert_eq!(run.outcome.status.as_str(), "skipped");
    assert!(!case.dir.join("repo/should-not-exist").exists());
}
