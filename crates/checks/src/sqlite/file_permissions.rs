//! `sqlite.file-permissions` — the database file and its folder are private to their owner.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind, ParamSpec,
    Params, TargetKind,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::{named_db, resolve, with_path};
use crate::wording::has_any;

/// Compiled once: binders run for every item of a checklist.
static CHMOD: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"chmod\s+([0-7]{3,4})\s+(\S+)").expect("regex"));

pub struct FilePermissions;

static META: CheckMeta = CheckMeta {
    id: "sqlite.file-permissions",
    title: "Database file readable by its owner only",
    target: TargetKind::Repository,
    params: &[
        ParamSpec {
            name: "path",
            kind: ParamKind::Text,
            default: None,
            required: true,
            doc: "the database file",
        },
        ParamSpec {
            name: "file_mode",
            kind: ParamKind::Text,
            default: Some("600"),
            required: false,
            doc: "the most permissive mode allowed for the file (octal)",
        },
        ParamSpec {
            name: "dir_mode",
            kind: ParamKind::Text,
            default: Some("700"),
            required: false,
            doc: "the most permissive mode allowed for its folder (octal)",
        },
    ],
    docs: CheckDocs {
        what: "Compares the file's and its folder's permission bits with the most permissive modes allowed (600 and 700 by default, or the modes of the item's `chmod` commands): no bit beyond them may be set.",
        why: "A world-readable database file hands every local user, and every process that is compromised on the host, all the data without a password.",
        fix: "`chmod 600 FILE` and `chmod 700 FOLDER`, and make the service's user own them.",
        example: "- [ ] **Database permissions set** (`chmod 600 .moai/memory/swarm.db`, `chmod 700 .moai/memory/`)",
        binds: &[
            "Database permissions set (`chmod 600 data/app.db`)",
            "`data/app.db` file permissions restricted",
            "var/app.sqlite is mode 0600 and its directory 0700",
            "Only the owner can read data/app.db",
            "store/main.db readable and writable by its owner only",
        ],
        not_binds: &[
            "Database permissions set",
            "RBAC configured",
            "Access controls",
            "data/app.db smaller than 600 MB",
        ],
    },
};

/// A word that is an octal permission mode the owner can use: `600`, `0640`, `700`.
fn is_mode(word: &str) -> bool {
    let digits = word
        .strip_prefix('0')
        .filter(|d| d.len() == 3)
        .unwrap_or(word);
    digits.len() == 3
        && digits.bytes().all(|c| (b'0'..=b'7').contains(&c))
        && matches!(digits.as_bytes()[0], b'4'..=b'7')
}

/// Whether the `i`th word is a mode: `0600` always; `600` unless a unit follows ("600 MB").
fn mode_at(words: &[&str], i: usize) -> bool {
    const JOINERS: &[&str] = &[
        "and",
        "its",
        "the",
        "parent",
        "dir",
        "directory",
        "folder",
        "for",
        "on",
        "with",
        "or",
    ];
    let w = words[i];
    is_mode(w)
        && (w.starts_with('0')
            || words.get(i + 1).is_none_or(|next| {
                !next.chars().all(|c| c.is_ascii_alphabetic()) || JOINERS.contains(next)
            }))
}

fn mode_of(text: &str, target: &str) -> Option<String> {
    CHMOD
        .captures_iter(text)
        .find(|c| c[2].trim_end_matches('/') == target.trim_end_matches('/'))
        .map(|c| c[1].to_string())
}

/// Bits set in `actual` beyond `allowed` (both octal permission bits).
fn excess(actual: u32, allowed: &str) -> Option<u32> {
    let allowed = u32::from_str_radix(allowed, 8).ok()?;
    Some(actual & 0o777 & !allowed)
}

#[async_trait::async_trait]
impl Check for FilePermissions {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        // The binder needs a database file named (`named_db`): `.db`, `.sqlite`, `.sqlite3`.
        vec![".db", ".sqlite"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        // Permissions named, or said as a mode ("mode 0600", "is 0600") or as who may read
        // the file ("readable by its owner only").
        let w = crate::wording::words(lower);
        let modes: Vec<usize> = (0..w.len()).filter(|&i| mode_at(&w, i)).collect();
        if !has_any(
            lower,
            &[
                "permissions",
                "permission",
                "perms",
                "chmod",
                "file mode",
                "owner only",
                "by its owner",
                "only its owner",
                "only the owner",
            ],
        ) && modes.is_empty()
        {
            return BindVerdict::No;
        }
        let Some(path) = named_db(view) else {
            return BindVerdict::No;
        };
        let mut b = with_path("database file permissions", &path);
        // Modes in the prose: the first is the file's, one after "dir", "directory" or
        // "folder" its folder's.
        let mut file_mode = None;
        let mut dir_mode = None;
        for i in modes {
            let x = w[i];
            let m = x.trim_start_matches('0');
            let m = if m.len() < 3 {
                x.to_string()
            } else {
                m.to_string()
            };
            let near_dir = w[i.saturating_sub(2)..i]
                .iter()
                .any(|p| matches!(*p, "dir" | "directory" | "folder"));
            if near_dir {
                dir_mode.get_or_insert(m);
            } else {
                file_mode.get_or_insert(m);
            }
        }
        if let Some(m) = file_mode {
            b = b.with("file_mode", Value::from(m));
        }
        if let Some(m) = dir_mode {
            b = b.with("dir_mode", Value::from(m));
        }
        let code: String = view
            .item
            .code_blocks
            .iter()
            .map(|b| b.content.as_str())
            .chain(view.item.code_spans.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("\n");
        if let Some(m) = mode_of(&code, &path) {
            b = b.with("file_mode", Value::from(m));
        }
        let dir = std::path::Path::new(&path)
            .parent()
            .map(|d| d.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(m) = (!dir.is_empty()).then(|| mode_of(&code, &dir)).flatten() {
            b = b.with("dir_mode", Value::from(m));
        }
        BindVerdict::Bind(vec![b])
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        use std::os::unix::fs::PermissionsExt;
        let path = params
            .get("path")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let file_allowed = params
            .get("file_mode")
            .and_then(Value::as_str)
            .unwrap_or("600")
            .to_string();
        let dir_allowed = params
            .get("dir_mode")
            .and_then(Value::as_str)
            .unwrap_or("700")
            .to_string();
        let full = resolve(&ctx, &path);
        let file_mode = match std::fs::metadata(&full) {
            Ok(m) => m.permissions().mode(),
            Err(e) => return Outcome::error(format!("{path}: {e}")),
        };
        let dir = full.parent().map(|d| d.to_path_buf()).unwrap_or_default();
        let dir_mode = std::fs::metadata(&dir)
            .map(|m| m.permissions().mode())
            .unwrap_or(0);
        let mut problems = Vec::new();
        match excess(file_mode, &file_allowed) {
            None => return Outcome::error(format!("`{file_allowed}` is not an octal mode")),
            Some(0) => {}
            Some(x) => problems.push(format!(
                "{path} is {:o} (allows {:o} beyond {file_allowed}): chmod {file_allowed} {path}",
                file_mode & 0o777,
                x
            )),
        }
        match excess(dir_mode, &dir_allowed) {
            None => return Outcome::error(format!("`{dir_allowed}` is not an octal mode")),
            Some(0) => {}
            Some(x) => problems.push(format!(
                "its folder is {:o} (allows {:o} beyond {dir_allowed}): chmod {dir_allowed} on it",
                dir_mode & 0o777,
                x
            )),
        }
        let ev = Evidence::at(
            path.clone(),
            None,
            format!(
                "file {:o}, folder {:o}",
                file_mode & 0o777,
                dir_mode & 0o777
            ),
        );
        if problems.is_empty() {
            Outcome::pass(format!(
                "{path} is {:o} and its folder {:o}",
                file_mode & 0o777,
                dir_mode & 0o777
            ))
            .with_evidence(ev)
        } else {
            Outcome::fail(problems.join("; ")).with_evidence(ev)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn modes_from_chmod_and_excess_bits() {
        let code = "chmod 600 .moai/memory/swarm.db\nchmod 700 .moai/memory/";
        assert_eq!(
            super::mode_of(code, ".moai/memory/swarm.db").as_deref(),
            Some("600")
        );
        assert_eq!(super::mode_of(code, ".moai/memory").as_deref(), Some("700"));
        assert_eq!(super::excess(0o100644, "600"), Some(0o044));
        assert_eq!(super::excess(0o100600, "600"), Some(0));
    }
}
