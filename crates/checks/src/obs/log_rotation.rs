//! `obs.log-rotation` — when logs are written to files, they are rotated.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, Params,
    TargetKind,
};
use gonogo_engine::context::RunContext;

use crate::wording::{bind_unless_claims_more, has_any, human_act, leftover};

pub struct LogRotation;

static META: CheckMeta = CheckMeta {
    id: "obs.log-rotation",
    title: "Log files are rotated",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "Looks for logs written to files — Python logging.FileHandler or basicConfig \
               filename, Node winston File transport or pino file destination, log4j/logback \
               FileAppender, nginx access_log/error_log paths, and Docker Compose services on \
               the default json-file driver — and for rotation: RotatingFileHandler, \
               TimedRotatingFileHandler, winston-daily-rotate-file or maxsize, \
               RollingFileAppender, tracing-appender rolling, lumberjack, log4rs rolling_file, \
               a logrotate configuration, or Compose `logging.options.max-size`. Skipped when \
               nothing writes logs to files.",
        why: "A log file that is never rotated fills the disk, and a full disk stops the \
              database and the service with it — usually at night.",
        fix: "Use a rotating handler (RotatingFileHandler, tracing-appender rolling), ship a \
              logrotate configuration, or set `logging: {driver: json-file, options: \
              {max-size: 10m, max-file: \"3\"}}` on every Compose service.",
        example: "docker-compose.yml:\n  x-logging: &logging\n    driver: json-file\n    options: {max-size: 10m, max-file: \"3\"}",
        binds: &[
            "Log rotation configured",
            "Log files rotated",
            "Logrotate set up",
        ],
        not_binds: &[
            "Log retention policies set",
            "Log aggregation configured",
            "Log levels correct",
        ],
    },
};

/// (marker, what it shows)
const ROTATION: &[(&str, &str)] = &[
    ("RotatingFileHandler", "Python RotatingFileHandler"),
    (
        "TimedRotatingFileHandler",
        "Python TimedRotatingFileHandler",
    ),
    ("winston-daily-rotate-file", "winston daily rotate file"),
    ("DailyRotateFile", "winston daily rotate file"),
    ("RollingFileAppender", "log4j/logback RollingFileAppender"),
    ("tracing_appender::rolling", "tracing-appender rolling"),
    ("rolling::daily", "tracing-appender rolling"),
    ("lumberjack", "lumberjack rotation"),
    ("rolling_file", "log4rs rolling_file"),
    ("rotating-file-stream", "rotating-file-stream"),
    ("max-size", "Compose json-file max-size"),
    ("max_size", "log max size"),
    ("maxsize", "log max size"),
    ("maxBytes", "Python handler maxBytes"),
];

const FILE_LOGGING: &[(&str, &str)] = &[
    ("FileHandler(", "Python logging.FileHandler"),
    ("basicConfig(filename", "Python basicConfig(filename=…)"),
    ("transports.File", "winston File transport"),
    ("pino.destination(", "pino file destination"),
    ("FileAppender", "log4j/logback FileAppender"),
    ("access_log /", "nginx access_log to a file"),
    ("error_log /", "nginx error_log to a file"),
    ("tracing_appender::", "tracing-appender file writer"),
    ("log_file", "log_file setting"),
    ("LOG_FILE", "LOG_FILE setting"),
];

const SCANNED: &[&str] = &[
    "py",
    "js",
    "ts",
    "mjs",
    "cjs",
    "rs",
    "go",
    "java",
    "kt",
    "xml",
    "conf",
    "yaml",
    "yml",
    "toml",
    "ini",
    "json",
    "properties",
];

#[async_trait::async_trait]
impl Check for LogRotation {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["log-rotation"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["rotat"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if !has_any(
            lower,
            &[
                "log rotation",
                "logrotate",
                "rotated",
                "rotate logs",
                "log files rotated",
                "rotation of logs",
            ],
        ) || !has_any(lower, &["log", "logs", "logrotate", "log rotation"])
        {
            return BindVerdict::No;
        }
        let b = AutoBinding::new("wording asks for log rotation");
        if let Some(act) = human_act(lower) {
            return BindVerdict::Declined {
                why: format!("\"{act}\" is a person's judgement"),
                candidates: vec![b],
            };
        }
        let extra = leftover(
            lower,
            &[
                "log",
                "logs",
                "rotation",
                "logrotate",
                "rotated",
                "rotate",
                "files",
                "of",
                "output",
                "produce",
                "produces",
                "write",
                "writes",
                "limit",
                "limits",
                "size",
                "max-size",
                "max-file",
            ],
        );
        bind_unless_claims_more(&extra, 0, "log rotation", vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let mut rotation: Option<Evidence> = None;
        let mut to_files: Vec<Evidence> = Vec::new();
        // Compose files that are not the deployment (a developer's databases, a demo, an
        // override no command names) say nothing about how production logs.
        let composed = crate::container::compose_projects::composed(&ctx);
        let not_deployed: Vec<&str> = composed
            .as_ref()
            .as_ref()
            .map(|c| c.not_deployed().collect())
            .unwrap_or_default();
        for f in &ctx.repo_index().files {
            if crate::repo::is_fixture(&f.rel) || f.rel.starts_with(".github/") {
                continue;
            }
            let name = f
                .rel
                .rsplit('/')
                .next()
                .unwrap_or(&f.rel)
                .to_ascii_lowercase();
            if name.contains("logrotate") || f.rel.contains("logrotate.d/") {
                rotation.get_or_insert(Evidence::at(
                    f.rel.clone(),
                    None,
                    "logrotate configuration",
                ));
                continue;
            }
            let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
            let compose = name.starts_with("docker-compose")
                || name.starts_with("compose.")
                || name.starts_with("compose-");
            if !SCANNED.contains(&ext) && name != "nginx.conf" {
                continue;
            }
            let text = ctx.text(&f.rel);
            let Ok(t) = text.as_ref() else { continue };
            for (i, line) in t.text.lines().enumerate() {
                if rotation.is_none()
                    && let Some((_, what)) = ROTATION.iter().find(|(m, _)| line.contains(m))
                {
                    rotation = Some(Evidence::at(f.rel.clone(), Some(i + 1), *what));
                }
                if to_files.len() < 10
                    && let Some((_, what)) = FILE_LOGGING.iter().find(|(m, _)| {
                        line.contains(m) && !ROTATION.iter().any(|(r, _)| line.contains(r))
                    })
                {
                    to_files.push(Evidence::at(f.rel.clone(), Some(i + 1), *what));
                }
            }
            if compose
                && !not_deployed.contains(&f.rel.as_str())
                && t.text.contains("services:")
                && !t.text.contains("max-size")
                && !t.text.contains("driver:")
            {
                to_files.push(Evidence::at(
                    f.rel.clone(),
                    None,
                    "Compose services log to json-file without max-size",
                ));
            }
        }
        match (rotation, to_files.is_empty()) {
            (Some(r), _) => {
                let what = r.detail.clone();
                Outcome::pass(format!(
                    "logs are rotated: {what} ({})",
                    r.file.as_deref().unwrap_or("")
                ))
                .with_evidence(r)
            }
            (None, true) => Outcome::skipped(
                "nothing writes logs to files (no file handler, log file setting or Compose json-file logging found)",
            ),
            (None, false) => {
                let mut o = Outcome::fail(format!(
                    "logs go to files ({} in {}) but nothing rotates them: use a rotating handler, logrotate, or Compose max-size",
                    to_files[0].detail,
                    to_files[0].file.as_deref().unwrap_or("")
                ));
                for e in to_files {
                    o = o.with_evidence(e);
                }
                o
            }
        }
    }
}
