//! The plain values that flow between the stages: what parsing produces and what binding reads.
//!
//! Nothing here knows about checks, formats or I/O.

use std::ops::Range;
use std::path::PathBuf;

/// One parsed checklist file.
#[derive(Debug, Clone)]
pub struct Checklist {
    /// The path as the user gave it (or `<built-in>`).
    pub path: String,
    /// Where the bytes came from on disk, when they did.
    pub file: Option<PathBuf>,
    /// The raw bytes, kept for the Markdown round trip.
    pub source: String,
    /// The first heading, or the file name.
    pub title: String,
    /// Every task item, nested ones included, in file order.
    pub items: Vec<Item>,
    /// Code blocks and tables that belong to a section rather than to an item.
    pub sections: Vec<Section>,
}

/// Heading-level content that is not inside any task item.
#[derive(Debug, Clone)]
pub struct Section {
    /// Heading path, outermost first.
    pub path: Vec<String>,
    /// 1-based line of the heading (0 for the part before the first heading).
    pub line: usize,
    pub code_blocks: Vec<CodeBlock>,
    pub tables: Vec<Table>,
}

/// One `- [ ]` / `- [x]` task item.
#[derive(Debug, Clone)]
pub struct Item {
    /// Stable id: survives reordering, re-indenting and insertion of other items.
    pub id: String,
    /// 1-based line of the item's marker.
    pub line: usize,
    /// Heading path (plus plain list items that act as headings), outermost first.
    pub section: Vec<String>,
    /// Index in `Checklist::items` of the enclosing task item, if nested.
    pub parent: Option<usize>,
    /// Indices in `Checklist::items` of the task items nested directly under this one.
    pub children: Vec<usize>,
    /// The item's own text as written, markup stripped (nested items excluded).
    pub text: String,
    /// The text as its author meant it (mis-decoded UTF-8 repaired) — for people.
    pub display_text: String,
    /// Whether the box was ticked in the file.
    pub checked: bool,
    /// Byte range of `[ ]` / `[x]` in the source.
    pub marker: Range<usize>,
    /// Byte offset of the end of the line on which the item's own text ends
    /// (before any `\r\n`), where a status note may be appended.
    pub note_at: usize,
    /// Inline code spans of the item's own text.
    pub code_spans: Vec<String>,
    /// Fenced or indented code blocks that belong to the item (not to nested items).
    pub code_blocks: Vec<CodeBlock>,
    /// `<!-- gonogo: … -->` annotations found in the item's own content.
    pub annotations: Vec<Annotation>,
    /// Plain (non-task) bullets under the item, e.g. "Daily rotation", as written.
    pub notes: Vec<String>,
}

/// A code block with its language and `# Expected: …` comments.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    /// 1-based line of the opening fence.
    pub line: usize,
    /// The info string's first word, lowercased (`bash`, `yaml`, or empty).
    pub lang: String,
    pub content: String,
    /// Command lines (comments and blank lines removed, `\` continuations joined).
    pub commands: Vec<String>,
    /// The text after each `Expected:` comment.
    pub expected: Vec<String>,
}

impl CodeBlock {
    /// Whether the block holds shell commands (by its language, or none given).
    pub fn is_shell(&self) -> bool {
        matches!(
            self.lang.as_str(),
            "" | "bash" | "sh" | "shell" | "console" | "zsh" | "shell-session"
        )
    }
}

/// A Markdown table: header cells and rows of cells, as plain text.
#[derive(Debug, Clone)]
pub struct Table {
    pub line: usize,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// An inline `<!-- gonogo: CHECK key=value … -->` annotation.
#[derive(Debug, Clone)]
pub struct Annotation {
    pub line: usize,
    /// The text after `gonogo:`, trimmed.
    pub body: String,
}
