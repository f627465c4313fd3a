//! Stage 1: read checklist files into the model (`crate::model`).
//!
//! Input problems (unreadable, binary, not UTF-8, no task items) are `InputError`s that name the
//! file and line; the CLI turns them into exit code 2.

mod codeblock;
mod ids;
mod lines;
mod markdown;
pub mod mojibake;
mod table_items;

use std::path::Path;

use crate::error::InputError;
use crate::model::Checklist;

pub(crate) use markdown::collapse;

/// Largest checklist accepted: far above any real one, small enough to never exhaust memory.
pub const MAX_CHECKLIST_BYTES: u64 = 64 * 1024 * 1024;

/// The result of parsing: the checklist plus warnings that did not stop it (file:line, message).
#[derive(Debug)]
pub struct ParseOutput {
    pub checklist: Checklist,
    pub warnings: Vec<InputError>,
}

/// Read and parse a checklist file.
pub fn parse_file(path: &Path, shown_as: &str) -> Result<ParseOutput, InputError> {
    let meta = std::fs::metadata(path).map_err(|e| InputError::io(shown_as, &e))?;
    if meta.is_dir() {
        return Err(InputError::new(
            shown_as,
            None,
            "is a directory; give the path of a Markdown checklist file",
        ));
    }
    if meta.len() > MAX_CHECKLIST_BYTES {
        return Err(InputError::new(
            shown_as,
            None,
            format!(
                "is {} MiB; checklists over {} MiB are refused",
                meta.len() / (1024 * 1024),
                MAX_CHECKLIST_BYTES / (1024 * 1024)
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| InputError::io(shown_as, &e))?;
    let mut out = parse_bytes(&bytes, shown_as)?;
    out.checklist.file = Some(path.to_path_buf());
    Ok(out)
}

/// Parse checklist bytes (already read) named `shown_as` in messages.
pub fn parse_bytes(bytes: &[u8], shown_as: &str) -> Result<ParseOutput, InputError> {
    if let Some(pos) = memchr_nul(bytes) {
        let line = bytes[..pos].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(InputError::new(
            shown_as,
            Some(line),
            "is a binary file (it contains a NUL byte), not a Markdown checklist",
        ));
    }
    let src = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let col = at
                - bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1)
                + 1;
            return Err(InputError::new(
                shown_as,
                Some(line),
                format!(
                    "is not valid UTF-8 (byte 0x{:02X} at column {col}); save the file as UTF-8",
                    bytes[at]
                ),
            ));
        }
    };
    parse_str(src, shown_as)
}

/// Parse checklist text named `shown_as` in messages.
pub fn parse_str(src: &str, shown_as: &str) -> Result<ParseOutput, InputError> {
    let index = lines::LineIndex::new(src);
    let parsed = markdown::parse_markdown(src, &index);
    if parsed.items.is_empty() {
        let why = if src.trim().is_empty() {
            "is empty"
        } else {
            "has no task items (`- [ ] …`)"
        };
        return Err(InputError::new(
            shown_as,
            None,
            format!("{why}; a checklist needs at least one `- [ ]` item"),
        ));
    }
    let mut items = parsed.items;
    ids::assign_ids(&mut items);
    let title = parsed
        .title
        .map(|t| mojibake::repair(&t))
        .unwrap_or_else(|| {
            Path::new(shown_as).file_name().map_or_else(
                || shown_as.to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        });
    let warnings = parsed
        .warnings
        .into_iter()
        .map(|(line, msg)| InputError::new(shown_as, Some(line), msg))
        .collect();
    Ok(ParseOutput {
        checklist: Checklist {
            path: shown_as.to_string(),
            file: None,
            source: src.to_string(),
            title,
            items,
            sections: parsed.sections,
        },
        warnings,
    })
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}
