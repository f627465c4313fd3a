//! nginx (Debian's package, installed by `.ci/run`) as a child process on free 127.0.0.1 ports,
//! for live checks' tests against a real server: one plain HTTP listener and one TLS listener
//! with certificates generated at test time (`tls::certs`). Everything nginx writes (pid, logs,
//! temporary files) lives in a temporary prefix, and it runs in the foreground as one process
//! (`daemon off; master_process off;`), so it works as root or not and dies with the handle.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What to serve. `http` goes into the `http {}` block; `plain` and `tls` are the bodies of the
/// two `server {}` blocks (their `listen` and certificate lines are added here; the TLS block
/// gets `ssl_protocols TLSv1.2 TLSv1.3` unless it sets its own). In any of them `@HTTP_PORT@`
/// and `@HTTPS_PORT@` stand for the listeners' ports. `root html;` serves a static
/// `index.html` holding `ok` (for directives such as `limit_req` that a `return` would skip).
#[derive(Debug, Clone)]
pub struct Conf<'a> {
    pub http: &'a str,
    pub plain: &'a str,
    pub tls: &'a str,
    /// The TLS listener's certificate: good, expired, expiring-10-days, wrong-host, untrusted.
    pub cert: &'a str,
}

impl Default for Conf<'_> {
    fn default() -> Self {
        Conf {
            http: "",
            plain: "",
            tls: "",
            cert: "good",
        }
    }
}

/// A running nginx; killed when dropped.
pub struct Nginx {
    child: Child,
    dir: tempfile::TempDir,
    pub http_port: u16,
    pub https_port: u16,
    /// The test CA that signed the TLS listener's certificate, to pass as --ca-file.
    pub ca_file: PathBuf,
}

/// The nginx binary: on PATH, or where Debian puts it (/usr/sbin is not on every PATH).
fn binary() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("nginx"))
                .find(|c| c.is_file())
        })
        .unwrap_or_default();
    on_path
        .or_else(|| Some(PathBuf::from("/usr/sbin/nginx")).filter(|p| p.is_file()))
        .expect(
            "nginx is not installed: the live tests run a real nginx \
             (Debian: apt-get install nginx; .ci/run installs it)",
        )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Nginx {
    pub fn start(conf: Conf<'_>) -> Nginx {
        let bin = binary();
        let dir = tempfile::Builder::new()
            .prefix("gonogo-nginx")
            .tempdir()
            .unwrap();
        let d = dir.path();
        let certs = super::tls::certs(conf.cert);
        let ca_file = d.join("ca.pem");
        std::fs::write(&ca_file, &certs.ca_pem).unwrap();
        std::fs::write(d.join("chain.pem"), &certs.chain_pem).unwrap();
        std::fs::write(d.join("key.pem"), &certs.key_pem).unwrap();
        std::fs::create_dir_all(d.join("html")).unwrap();
        std::fs::write(d.join("html/index.html"), "ok").unwrap();
        let (http_port, https_port) = (free_port(), free_port());
        let fill = |s: &str| {
            s.replace("@HTTP_PORT@", &http_port.to_string())
                .replace("@HTTPS_PORT@", &https_port.to_string())
        };
        let protocols = if conf.tls.contains("ssl_protocols") {
            ""
        } else {
            "ssl_protocols TLSv1.2 TLSv1.3;"
        };
        let p = d.display();
        let text = format!(
            "daemon off;
master_process off;
pid {p}/nginx.pid;
error_log {p}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {p}/client_body;
  proxy_temp_path {p}/proxy;
  fastcgi_temp_path {p}/fastcgi;
  uwsgi_temp_path {p}/uwsgi;
  scgi_temp_path {p}/scgi;
  {http}
  server {{
    listen 127.0.0.1:{http_port};
    {plain}
  }}
  server {{
    listen 127.0.0.1:{https_port} ssl;
    ssl_certificate {p}/chain.pem;
    ssl_certificate_key {p}/key.pem;
    {protocols}
    {tls}
  }}
}}
",
            http = fill(conf.http),
            plain = fill(conf.plain),
            tls = fill(conf.tls),
        );
        let conf_file = d.join("nginx.conf");
        std::fs::write(&conf_file, text).unwrap();
        let stderr = std::fs::File::create(d.join("stderr.log")).unwrap();
        let mut child = Command::new(&bin)
            .arg("-p")
            .arg(d)
            .arg("-c")
            .arg(&conf_file)
            .arg("-e")
            .arg(d.join("error.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("nginx exited ({status}) at start:\n{}", logs(d));
            }
            let up = |port| std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
            if up(http_port) && up(https_port) {
                break;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("nginx did not listen within 10 s:\n{}", logs(d));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Nginx {
            child,
            dir,
            http_port,
            https_port,
            ca_file,
        }
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn http_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.http_port)
    }

    /// `https://127.0.0.1:PORT` (no trailing slash).
    pub fn https_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.https_port)
    }

    /// What nginx logged, for a failing assertion's message.
    pub fn logs(&self) -> String {
        logs(self.dir.path())
    }
}

fn logs(dir: &Path) -> String {
    ["stderr.log", "error.log"]
        .iter()
        .map(|f| std::fs::read_to_string(dir.join(f)).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("")
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
