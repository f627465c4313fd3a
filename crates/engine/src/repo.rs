//! The repository as checks see it: one gitignore-aware, parallel walk per run (the `ignore`
//! crate, as ripgrep uses), and files read with limits. What is passed over is kept with the
//! reason, so reports can say what was not looked at.

use std::path::Path;
use std::sync::Mutex;

/// Files larger than this are listed but not read.
pub const MAX_READ_BYTES: u64 = 8 * 1024 * 1024;
/// A walk stops after this many files, saying so.
pub const MAX_FILES: usize = 2_000_000;

/// Directories that hold other people's code or build output, never the project's own.
pub const VENDORED_DIRS: &[&str] = &[
    ".git",
    ".gonogo",
    "node_modules",
    "vendor",
    "third_party",
    "third-party",
    ".venv",
    "venv",
    "__pycache__",
    "target",
    "dist",
    "build",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    ".terraform",
    "bower_components",
];

#[derive(Debug, Clone)]
pub struct RepoFile {
    /// Relative path with `/` separators.
    pub rel: String,
    pub size: u64,
}

#[derive(Debug, Default)]
pub struct RepoIndex {
    /// Every regular file, sorted by path.
    pub files: Vec<RepoFile>,
    /// (path, reason) for what the walk passed over: symbolic links, vendored folders,
    /// unreadable entries.
    pub skipped: Vec<(String, String)>,
    /// The walk stopped at `MAX_FILES`.
    pub truncated: bool,
}

impl RepoIndex {
    pub fn walk(root: &Path) -> RepoIndex {
        Self::walk_excluding(root, &[])
    }

    /// The walk, leaving out paths that match `exclude` (gitignore-style patterns).
    pub fn walk_excluding(root: &Path, exclude: &[String]) -> RepoIndex {
        let mut overrides = ignore::overrides::OverrideBuilder::new(root);
        for pattern in exclude {
            // Validated when the config was read; a bad one here is simply not applied.
            let _ = overrides.add(&format!("!{pattern}"));
        }
        let overrides = overrides
            .build()
            .unwrap_or_else(|_| ignore::overrides::Override::empty());
        let files = Mutex::new(Vec::new());
        let skipped = Mutex::new(Vec::new());
        let count = std::sync::atomic::AtomicUsize::new(0);
        let rel = |p: &Path| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/")
        };
        ignore::WalkBuilder::new(root)
            .hidden(false)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .require_git(false)
            .follow_links(false)
            .overrides(overrides)
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                !(e.depth() > 0
                    && e.file_type().is_some_and(|t| t.is_dir())
                    && VENDORED_DIRS.contains(&name.as_ref()))
            })
            .build_parallel()
            .run(|| {
                Box::new(|entry| {
                    use ignore::WalkState;
                    let entry = match entry {
                        Ok(e) => e,
                        Err(err) => {
                            skipped
                                .lock()
                                .expect("lock")
                                .push((String::new(), err.to_string()));
                            return WalkState::Continue;
                        }
                    };
                    let Some(ft) = entry.file_type() else {
                        return WalkState::Continue;
                    };
                    if ft.is_symlink() {
                        skipped
                            .lock()
                            .expect("lock")
                            .push((rel(entry.path()), "symbolic link (not followed)".into()));
                    } else if ft.is_file() {
                        if count.fetch_add(1, std::sync::atomic::Ordering::Relaxed) >= MAX_FILES {
                            return WalkState::Quit;
                        }
                        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                        files.lock().expect("lock").push(RepoFile {
                            rel: rel(entry.path()),
                            size,
                        });
                    }
                    WalkState::Continue
                })
            });
        let mut files = files.into_inner().expect("lock");
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        let mut skipped = skipped.into_inner().expect("lock");
        skipped.sort();
        RepoIndex {
            truncated: count.into_inner() > MAX_FILES,
            files,
            skipped,
        }
    }

    /// Files whose path matches `pred` (given the lowercase file name and the relative path).
    pub fn find<'a>(
        &'a self,
        pred: impl Fn(&str, &str) -> bool + 'a,
    ) -> impl Iterator<Item = &'a RepoFile> + 'a {
        self.files.iter().filter(move |f| {
            let name = f
                .rel
                .rsplit('/')
                .next()
                .unwrap_or(&f.rel)
                .to_ascii_lowercase();
            pred(&name, &f.rel)
        })
    }
}

/// A text file's content, read with limits.
#[derive(Debug, Clone)]
pub struct TextFile {
    pub rel: String,
    pub text: String,
}

impl TextFile {
    pub fn read(root: &Path, rel: &str) -> Result<TextFile, String> {
        let path = root.join(rel);
        let meta = std::fs::symlink_metadata(&path).map_err(|e| format!("{rel}: {e}"))?;
        if meta.file_type().is_symlink() {
            return Err(format!("{rel} is a symbolic link; not followed"));
        }
        if meta.len() > MAX_READ_BYTES {
            return Err(format!(
                "{rel} is {} MiB; files over {} MiB are not read",
                meta.len() >> 20,
                MAX_READ_BYTES >> 20
            ));
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{rel} cannot be read: {e}"))?;
        if bytes[..bytes.len().min(8192)].contains(&0) {
            return Err(format!("{rel} is a binary file"));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            format!(
                "{rel} is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            )
        })?;
        Ok(TextFile {
            rel: rel.to_string(),
            text,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_once_respecting_gitignore_and_skipping_vendored_and_links() {
        let t = std::env::temp_dir().join(format!("gonogo-repo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&t);
        for (p, c) in [
            ("a.txt", "a"),
            ("sub/b.yaml", "b: 1"),
            (".gitignore", "ignored/\n"),
            ("ignored/x.txt", "x"),
            ("node_modules/m/index.js", "m"),
            (".github/workflows/ci.yml", "on: push"),
        ] {
            std::fs::create_dir_all(t.join(p).parent().unwrap()).unwrap();
            std::fs::write(t.join(p), c).unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink("/etc", t.join("escape")).unwrap();
        let idx = RepoIndex::walk(&t);
        let fewer = RepoIndex::walk_excluding(&t, &["sub/".to_string(), "*.txt".to_string()]);
        let kept: Vec<&str> = fewer.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(kept, [".github/workflows/ci.yml", ".gitignore"]);
        let rels: Vec<&str> = idx.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(
            rels,
            [
                ".github/workflows/ci.yml",
                ".gitignore",
                "a.txt",
                "sub/b.yaml"
            ]
        );
        #[cfg(unix)]
        assert!(
            idx.skipped
                .iter()
                .any(|(p, why)| p == "escape" && why.contains("symbolic link"))
        );
        assert!(TextFile::read(&t, "escape").is_err());
        std::fs::write(t.join("bin"), b"\x00\x01").unwrap();
        assert!(TextFile::read(&t, "bin").unwrap_err().contains("binary"));
        let _ = std::fs::remove_dir_all(&t);
    }
}
