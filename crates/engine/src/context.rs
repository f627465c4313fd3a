//! What checks may look at while running: the repository, targets, datastores, permissions.
//! Built once per run and shared (read-only) by every check.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::catalogue::TargetKind;
use crate::repo::{RepoIndex, TextFile};

/// Limits on commands run from a checklist.
#[derive(Debug, Clone)]
pub struct ExecSettings {
    /// Whether `--allow-exec` was given.
    pub allowed: bool,
    pub timeout: Duration,
    /// Bytes of stdout+stderr kept; the rest is counted and dropped.
    pub output_cap: usize,
}

impl Default for ExecSettings {
    fn default() -> Self {
        ExecSettings {
            allowed: false,
            timeout: Duration::from_secs(120),
            output_cap: 64 * 1024,
        }
    }
}

/// The run's inputs, shared by all checks.
#[derive(Debug)]
pub struct RunContext {
    pub repo: PathBuf,
    pub targets: Vec<String>,
    pub postgres: Option<String>,
    pub redis: Option<String>,
    /// `--pgbouncer URL`: the admin console of the deployment's PgBouncer.
    pub pgbouncer: Option<String>,
    pub ca_file: Option<PathBuf>,
    pub exec: ExecSettings,
    /// `--history`: checks that can look into the git history do so.
    pub history: bool,
    /// `[secrets]` of gonogo.toml.
    pub secrets: crate::config::SecretsConfig,
    /// `[repo] exclude` of gonogo.toml: paths the repository walk leaves out.
    pub exclude: Vec<String>,
    root_listing: OnceLock<Vec<RepoEntry>>,
    index: OnceLock<RepoIndex>,
    cache: Mutex<HashMap<(TypeId, String), Arc<dyn Any + Send + Sync>>>,
}

/// A file or directory near the repository root (the root itself and its `docs/`-like folders).
#[derive(Debug, Clone)]
pub struct RepoEntry {
    /// Path relative to the repository, with `/` separators.
    pub path: String,
    pub is_dir: bool,
}

impl RunContext {
    pub fn new(repo: PathBuf) -> Self {
        RunContext {
            repo,
            targets: Vec::new(),
            postgres: None,
            redis: None,
            pgbouncer: None,
            ca_file: None,
            exec: ExecSettings::default(),
            history: false,
            secrets: crate::config::SecretsConfig::default(),
            exclude: Vec::new(),
            root_listing: OnceLock::new(),
            index: OnceLock::new(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Every file of the repository (gitignore-aware), walked once per run by whichever
    /// check asks first. Blocking: call it from `spawn_blocking` or a check that may block.
    pub fn repo_index(&self) -> &RepoIndex {
        self.index
            .get_or_init(|| RepoIndex::walk_excluding(&self.repo, &self.exclude))
    }

    /// A file's text, read once per run however many checks ask, or why it cannot be read
    /// (missing, binary, over the size cap, not UTF-8).
    pub fn text(&self, rel: &str) -> Arc<Result<TextFile, String>> {
        self.cached(rel, || TextFile::read(&self.repo, rel))
    }

    /// Parse once, check many: the value `build` makes for `key` is made once per run and
    /// shared. Each family keys its own parsed types (a Dockerfile, a YAML document…);
    /// the type keeps families from colliding. Concurrent first calls may both build; one wins.
    pub fn cached<T: Send + Sync + 'static>(&self, key: &str, build: impl FnOnce() -> T) -> Arc<T> {
        let k = (TypeId::of::<T>(), key.to_string());
        if let Some(v) = self.cache.lock().expect("cache lock").get(&k) {
            return v.clone().downcast::<T>().expect("keyed by type");
        }
        let made: Arc<T> = Arc::new(build());
        let mut map = self.cache.lock().expect("cache lock");
        let entry = map
            .entry(k)
            .or_insert_with(|| made.clone() as Arc<dyn Any + Send + Sync>);
        entry.clone().downcast::<T>().expect("keyed by type")
    }

    /// Why a check of this kind cannot run in this context, if it cannot.
    pub fn unavailable(&self, kind: TargetKind) -> Option<&'static str> {
        match kind {
            TargetKind::Repository => None,
            TargetKind::Http if self.targets.is_empty() => {
                Some("no target given (use --target URL to check a running deployment)")
            }
            TargetKind::Postgres if self.postgres.is_none() => {
                Some("no PostgreSQL given (use --postgres URL)")
            }
            TargetKind::Redis if self.redis.is_none() => Some("no Redis given (use --redis URL)"),
            TargetKind::Command if !self.exec.allowed => {
                Some("commands from the checklist run only with --allow-exec")
            }
            _ => None,
        }
    }

    /// Entries of the repository root and of its documentation folders, read once per run.
    /// Documentation checks look here instead of walking the whole tree.
    pub fn root_listing(&self) -> &[RepoEntry] {
        self.root_listing.get_or_init(|| {
            let mut out = Vec::new();
            list_dir(&self.repo, "", &mut out);
            let dirs: Vec<String> = out
                .iter()
                .filter(|e| e.is_dir && DOC_DIRS.contains(&e.path.to_ascii_lowercase().as_str()))
                .map(|e| e.path.clone())
                .collect();
            for d in dirs {
                list_dir(&self.repo.join(&d), &d, &mut out);
            }
            out
        })
    }
}

/// Folders where projects keep documents and repository metadata.
const DOC_DIRS: &[&str] = &[
    ".github",
    "docs",
    "doc",
    "documentation",
    "runbooks",
    "ops",
    ".gitlab",
];

fn list_dir(dir: &std::path::Path, prefix: &str, out: &mut Vec<RepoEntry>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<RepoEntry> = rd
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            // A symlink counts as what it points to, if that exists.
            let is_dir = std::fs::metadata(e.path()).ok()?.is_dir();
            let path = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            Some(RepoEntry { path, is_dir })
        })
        .collect();
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    out.extend(entries);
}
