//! What datastore cases need beyond files: the shared PostgreSQL and Redis of the test machine
//! (`GONOGO_TEST_POSTGRES_URL`, `GONOGO_TEST_REDIS_URL`; required under CI), throwaway
//! PostgreSQL and Redis servers configured per case on free loopback ports, and files made at
//! test time (SQLite databases, backups of a given age, modes).
// Several test binaries include this module and each uses only part of it.
#![allow(dead_code)]

pub mod nginx;
pub mod server;
pub mod tls;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// One check run as `gonogo check` runs a bound item: these parameters (checked against the
/// check's declarations, defaults filled in) against these targets, with an optional CA file.
pub async fn run_check(
    id: &str,
    params: serde_json::Value,
    targets: &[String],
    ca_file: Option<&Path>,
) -> gonogo_engine::catalogue::Outcome {
    use gonogo_engine::catalogue::{Params, check_param_value, with_defaults};
    let catalogue = gonogo_checks::catalogue();
    let check = catalogue.get(id).unwrap_or_else(|| panic!("no check {id}"));
    let meta = check.meta();
    let mut given = Params::new();
    for (k, v) in params.as_object().cloned().unwrap_or_default() {
        let spec = meta
            .param(&k)
            .unwrap_or_else(|| panic!("{id} has no param {k}"));
        given.insert(k, check_param_value(spec, &v).unwrap());
    }
    let mut ctx = gonogo_engine::context::RunContext::new(std::env::temp_dir());
    ctx.targets = targets.to_vec();
    ctx.ca_file = ca_file.map(Path::to_path_buf);
    check
        .run(std::sync::Arc::new(ctx), with_defaults(meta, given))
        .await
}

pub fn env_url(var: &str, local_default: &str) -> String {
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => v,
        _ if std::env::var("CI").is_ok_and(|c| c == "true") => panic!("{var} must be set in CI"),
        _ => local_default.to_string(),
    }
}

pub fn postgres_url() -> String {
    env_url(
        "GONOGO_TEST_POSTGRES_URL",
        "postgres://postgres@127.0.0.1:5432/test",
    )
}

pub fn redis_url() -> String {
    env_url("GONOGO_TEST_REDIS_URL", "redis://127.0.0.1:6379")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A fresh database on a server, with `setup` run in it; the URL points at it.
pub async fn fresh_database(server_url: &str, name: &str, setup: &str) -> String {
    use sqlx::{Connection, Executor};
    let mut admin = sqlx::PgConnection::connect(server_url)
        .await
        .expect("connect to the test PostgreSQL");
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .await
        .unwrap();
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .unwrap();
    let (base, _) = server_url.rsplit_once('/').unwrap();
    let url = format!("{base}/{name}");
    if !setup.trim().is_empty() {
        let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
        c.execute(sqlx::AssertSqlSafe(setup.to_string()))
            .await
            .unwrap();
    }
    url
}

/// A throwaway PostgreSQL cluster (and optionally a streaming standby) run as the postgres user.
pub struct OwnPostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub url: String,
    dirs: Vec<PathBuf>,
}

fn pg_bin() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL server binaries")
        .map(|e| e.unwrap().path())
        .collect();
    versions.sort();
    versions.pop().expect("a PostgreSQL version").join("bin")
}

fn as_postgres(bin: &Path, tool: &str) -> Command {
    let mut c = Command::new("runuser");
    c.args(["-u", "postgres", "--"]).arg(bin.join(tool));
    c
}

impl OwnPostgres {
    pub fn start(conf: &[String], hba: &[String], standby: bool) -> OwnPostgres {
        let bin = pg_bin();
        let dir = tempfile::Builder::new()
            .prefix("gonogo-pg")
            .tempdir_in("/tmp")
            .unwrap();
        run(Command::new("chown")
            .arg("postgres:postgres")
            .arg(dir.path()));
        let data = dir.path().join("primary");
        run(as_postgres(&bin, "initdb")
            .arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", "postgres", "--no-sync"])
            .stdout(Stdio::null()));
        let port = free_port();
        let mut settings = format!(
            "\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\nfsync = off\nwal_level = replica\nmax_wal_senders = 4\n",
            dir.path().display()
        );
        for line in conf {
            settings.push_str(line);
            settings.push('\n');
        }
        append(&data.join("postgresql.conf"), &settings);
        let mut rules = String::from("\nhost replication all 127.0.0.1/32 trust\n");
        for r in hba {
            rules.push_str(r);
            rules.push('\n');
        }
        append(&data.join("pg_hba.conf"), &rules);
        run(as_postgres(&bin, "pg_ctl")
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.path().join("primary.log"))
            .args(["-w", "start"])
            .stdout(Stdio::null()));
        let mut dirs = vec![data];
        if standby {
            let sdata = dir.path().join("standby");
            run(as_postgres(&bin, "pg_basebackup")
                .args([
                    "-h",
                    "127.0.0.1",
                    "-p",
                    &port.to_string(),
                    "-U",
                    "postgres",
                    "-R",
                    "-X",
                    "stream",
                    "-D",
                ])
                .arg(&sdata));
            let sport = free_port();
            append(
                &sdata.join("postgresql.conf"),
                &format!("\nport = {sport}\n"),
            );
            run(as_postgres(&bin, "pg_ctl")
                .arg("-D")
                .arg(&sdata)
                .arg("-l")
                .arg(dir.path().join("standby.log"))
                .args(["-w", "start"])
                .stdout(Stdio::null()));
            dirs.push(sdata);
            // Wait until the primary sees it streaming.
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                let out = Command::new("psql")
                    .arg(format!("postgres://postgres@127.0.0.1:{port}/postgres"))
                    .args([
                        "-Atc",
                        "select count(*) from pg_stat_replication where state = 'streaming'",
                    ])
                    .output()
                    .unwrap();
                if String::from_utf8_lossy(&out.stdout).trim() == "1" {
                    break;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        }
        OwnPostgres {
            url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            dir,
            bin,
            dirs,
        }
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        for d in self.dirs.iter().rev() {
            let _ = as_postgres(&self.bin, "pg_ctl")
                .arg("-D")
                .arg(d)
                .args(["-m", "immediate", "stop"])
                .output();
        }
        let _ = self.dir.path();
    }
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

/// A throwaway Redis on a free loopback port.
pub struct OwnRedis {
    child: Child,
    pub url: String,
}

impl OwnRedis {
    pub fn start(args: &[String]) -> OwnRedis {
        let port = free_port();
        let mut cmd = Command::new("redis-server");
        cmd.args([
            "--port",
            &port.to_string(),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--dir",
            "/tmp",
        ]);
        if !args.iter().any(|a| a == "--bind") {
            cmd.args(["--bind", "127.0.0.1"]);
        }
        cmd.args(args).stdout(Stdio::null()).stderr(Stdio::null());
        let child = cmd.spawn().expect("redis-server is installed");
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline
            && std::net::TcpStream::connect(("127.0.0.1", port)).is_err()
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        let password = args
            .windows(2)
            .find(|w| w[0] == "--requirepass")
            .map(|w| w[1].clone());
        let url = match password {
            Some(p) => format!("redis://:{p}@127.0.0.1:{port}"),
            None => format!("redis://127.0.0.1:{port}"),
        };
        OwnRedis { child, url }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Files a case makes at test time: a SQLite database from SQL, content, a mode, an age.
pub async fn make_file(repo: &Path, spec: &toml::Table) {
    use std::os::unix::fs::PermissionsExt;
    let rel = spec["path"].as_str().unwrap();
    let path = repo.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&path);
    if let Some(sql) = spec.get("sqlite").and_then(toml::Value::as_str) {
        use sqlx::{ConnectOptions, Executor};
        let opts = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true);
        let mut c = opts.connect().await.unwrap();
        c.execute(sqlx::AssertSqlSafe(sql.to_string()))
            .await
            .unwrap();
        // Dropping a sqlx connection closes it later on its worker thread; removing the WAL
        // before that close has checkpointed it would lose the tables written.
        use sqlx::Connection;
        c.close().await.unwrap();
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    } else {
        std::fs::write(
            &path,
            spec.get("content")
                .and_then(toml::Value::as_str)
                .unwrap_or(""),
        )
        .unwrap();
    }
    if let Some(mode) = spec.get("mode").and_then(toml::Value::as_str) {
        std::fs::set_permissions(
            &path,
            std::fs::Permissions::from_mode(u32::from_str_radix(mode, 8).unwrap()),
        )
        .unwrap();
    }
    if let Some(mode) = spec.get("dir_mode").and_then(toml::Value::as_str) {
        std::fs::set_permissions(
            path.parent().unwrap(),
            std::fs::Permissions::from_mode(u32::from_str_radix(mode, 8).unwrap()),
        )
        .unwrap();
    }
    if let Some(age) = spec.get("age").and_then(toml::Value::as_str) {
        let ms = gonogo_engine::extract::parse_duration_ms(age).unwrap();
        let when = SystemTime::now() - Duration::from_millis(ms);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    }
}

/// A throwaway PgBouncer on a free loopback port in front of the shared PostgreSQL, with a
/// generated ini and auth file in a temporary folder; killed on drop. Users: `gonogo_admin`
/// (in admin_users), `gonogo_stats` (in stats_users) and `gonogo_app` (neither), each with a
/// password made for the run.
pub struct OwnPgBouncer {
    child: Child,
    dir: tempfile::TempDir,
    pub port: u16,
    pub secret: String,
}

fn pgbouncer_bin() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain([PathBuf::from("/usr/sbin")])
        .map(|d| d.join("pgbouncer"))
        .find(|p| p.is_file());
    on_path.expect("pgbouncer is not installed: apt-get install pgbouncer (.ci/run installs it)")
}

impl OwnPgBouncer {
    /// `settings` are extra lines of `[pgbouncer]`; `databases` are `name` or `name = options`
    /// (`pool_size=30`), each pointed at the shared PostgreSQL's database.
    pub fn start(settings: &[String], databases: &[String]) -> OwnPgBouncer {
        use std::os::unix::fs::MetadataExt;
        let pg = postgres_url();
        let rest = pg.split_once("://").map_or(pg.as_str(), |(_, r)| r);
        let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
        let (hostport, dbname) = rest.split_once('/').unwrap_or((rest, "postgres"));
        let dbname = dbname.split('?').next().unwrap_or(dbname);
        let (host, pgport) = hostport.rsplit_once(':').unwrap_or((hostport, "5432"));
        let dir = tempfile::Builder::new()
            .prefix("gonogo-pgbouncer")
            .tempdir_in("/tmp")
            .unwrap();
        let secret = format!("pgb-{}-{}", std::process::id(), free_port());
        let port = free_port();
        let mut dbs = String::from("[databases]\n");
        let databases = if databases.is_empty() {
            vec![dbname.to_string()]
        } else {
            databases.to_vec()
        };
        for d in &databases {
            let (name, extra) = d.split_once('=').unwrap_or((d, ""));
            dbs.push_str(&format!(
                "{} = host={host} port={pgport} dbname={dbname} user=postgres {}\n",
                name.trim(),
                extra.trim()
            ));
        }
        let mut ini = format!(
            "{dbs}\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\nauth_type = md5\nauth_file = {}\nadmin_users = gonogo_admin\nstats_users = gonogo_stats\npidfile =\nlogfile =\n",
            dir.path().join("userlist.txt").display()
        );
        for s in settings {
            ini.push_str(s);
            ini.push('\n');
        }
        std::fs::write(dir.path().join("pgbouncer.ini"), ini).unwrap();
        std::fs::write(
            dir.path().join("userlist.txt"),
            ["gonogo_admin", "gonogo_stats", "gonogo_app"]
                .iter()
                .map(|u| format!("\"{u}\" \"{secret}\"\n"))
                .collect::<String>(),
        )
        .unwrap();
        let log = std::fs::File::create(dir.path().join("pgbouncer.log")).unwrap();
        let mut cmd = Command::new(pgbouncer_bin());
        // PgBouncer refuses to run as root: under root (CI), it switches to postgres itself,
        // so the child is PgBouncer and killing it stops it.
        if std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0) {
            run(Command::new("chown")
                .arg("-R")
                .arg("postgres:postgres")
                .arg(dir.path()));
            cmd.args(["-u", "postgres"]);
        }
        cmd.arg(dir.path().join("pgbouncer.ini"))
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        let mut child = cmd.spawn().expect("pgbouncer starts");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline || child.try_wait().unwrap().is_some() {
                let _ = child.kill();
                panic!(
                    "pgbouncer did not start: {}",
                    std::fs::read_to_string(dir.path().join("pgbouncer.log")).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let own = OwnPgBouncer {
            child,
            dir,
            port,
            secret,
        };
        // It really pools: a query through it reaches the shared PostgreSQL.
        let name = databases[0].split('=').next().unwrap().trim().to_string();
        let out = Command::new("psql")
            .arg(own.url_as("gonogo_app", &name))
            .args(["-Atc", "select 1"])
            .output()
            .expect("psql is installed");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "1",
            "a query through PgBouncer: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        own
    }

    /// A URL for `user` (with the run's password) to `database` through this PgBouncer.
    pub fn url_as(&self, user: &str, database: &str) -> String {
        format!(
            "postgres://{user}:{}@127.0.0.1:{}/{database}",
            self.secret, self.port
        )
    }
}

impl Drop for OwnPgBouncer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = self.dir.path();
    }
}
