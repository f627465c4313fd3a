//! One pass over pulldown-cmark's events (with source offsets) builds the checklist model.
//!
//! Why offsets: the Markdown report patches the `[ ]` bytes in place instead of re-rendering,
//! so every item keeps the exact byte range of its marker.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::codeblock::split_block;
use super::lines::LineIndex;
use super::mojibake::repair;
use super::table_items::{CellSrc, row_item};
use crate::model::{Annotation, CodeBlock, Item, Section, Table};

/// A list item being read; task items get an index in the item list when their marker appears.
struct Frame {
    item: Option<usize>,
    /// Own text of the item so far (plain items too: it may act as a heading).
    text: String,
    /// End offset of the last inline event of the item's own text.
    text_end: usize,
    code_spans: Vec<String>,
    code_blocks: Vec<CodeBlock>,
    html: Vec<(usize, String)>,
    /// Whether a nested list has started (text after it is not the item's own).
    nested: bool,
}

impl Frame {
    fn new(start: usize) -> Self {
        Frame {
            item: None,
            text: String::new(),
            text_end: start,
            code_spans: Vec::new(),
            code_blocks: Vec::new(),
            html: Vec::new(),
            nested: false,
        }
    }
}

struct OpenBlock {
    start: usize,
    lang: String,
    content: String,
}

struct OpenTable {
    line: usize,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    in_head: bool,
    cell: Option<String>,
    /// The cells of the body row being read, with their source ranges (a row whose cell
    /// holds a `[ ]` becomes an item).
    row: Vec<CellSrc>,
    cell_src: Option<CellSrc>,
}

pub(crate) struct Parsed {
    pub items: Vec<Item>,
    pub sections: Vec<Section>,
    pub title: Option<String>,
    pub warnings: Vec<(usize, String)>,
}

pub(crate) fn parse_markdown(src: &str, lines: &LineIndex) -> Parsed {
    let opts = Options::ENABLE_TASKLISTS | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut items: Vec<Item> = Vec::new();
    let mut sections = vec![Section {
        path: Vec::new(),
        line: 0,
        code_blocks: Vec::new(),
        tables: Vec::new(),
    }];
    let mut headings: Vec<(HeadingLevel, String)> = Vec::new();
    let mut heading_buf: Option<String> = None;
    let mut title: Option<String> = None;
    let mut frames: Vec<Frame> = Vec::new();
    let mut block: Option<OpenBlock> = None;
    let mut table: Option<OpenTable> = None;
    let mut warnings = Vec::new();

    for (event, range) in Parser::new_ext(src, opts).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => heading_buf = Some(String::new()),
            Event::End(TagEnd::Heading(level)) => {
                let text = collapse(&heading_buf.take().unwrap_or_default());
                if title.is_none() && !text.is_empty() {
                    title = Some(text.clone());
                }
                while headings.last().is_some_and(|(l, _)| *l >= level) {
                    headings.pop();
                }
                headings.push((level, text));
                sections.push(Section {
                    path: headings.iter().map(|(_, t)| t.clone()).collect(),
                    line: lines.line_of(range.start),
                    code_blocks: Vec::new(),
                    tables: Vec::new(),
                });
            }
            Event::Start(Tag::Item) => frames.push(Frame::new(range.start)),
            Event::Start(Tag::List(_)) => {
                if let Some(f) = frames.last_mut() {
                    f.nested = true;
                }
            }
            Event::TaskListMarker(checked) => {
                let idx = items.len();
                let parent = frames.iter().rev().skip(1).find_map(|f| f.item);
                let mut section: Vec<String> = headings.iter().map(|(_, t)| t.clone()).collect();
                // Plain list items above a task item act as headings ("1. Code & Repo").
                let plain_parents = frames[..frames.len().saturating_sub(1)]
                    .iter()
                    .filter(|f| f.item.is_none())
                    .map(|f| collapse(&f.text))
                    .filter(|t| !t.is_empty());
                section.extend(plain_parents);
                if let Some(p) = parent {
                    items[p].children.push(idx);
                }
                let marker = marker_range(src, &range);
                items.push(Item {
                    id: String::new(),
                    line: lines.line_of(marker.start),
                    section,
                    parent,
                    children: Vec::new(),
                    text: String::new(),
                    display_text: String::new(),
                    checked,
                    note_at: marker.end,
                    marker,
                    code_spans: Vec::new(),
                    code_blocks: Vec::new(),
                    annotations: Vec::new(),
                    notes: Vec::new(),
                });
                if let Some(f) = frames.last_mut() {
                    f.item = Some(idx);
                    f.text_end = range.end;
                }
            }
            Event::End(TagEnd::Item) => {
                let Some(frame) = frames.pop() else { continue };
                finish_item(frame, &mut items, &mut frames, src, lines);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                let fenced = src[range.clone()].trim_end();
                let unterminated = !(fenced.ends_with("```") || fenced.ends_with("~~~"))
                    || fenced.lines().count() < 2;
                if unterminated && src[range.start..].trim_start().starts_with(['`', '~']) {
                    warnings.push((
                        lines.line_of(range.start),
                        "code fence is never closed: everything after it is read as code".into(),
                    ));
                }
                block = Some(OpenBlock {
                    start: range.start,
                    lang,
                    content: String::new(),
                });
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(b) = block.take() {
                    let (commands, expected) = split_block(&b.content);
                    let cb = CodeBlock {
                        line: lines.line_of(b.start),
                        lang: b.lang,
                        content: b.content,
                        commands,
                        expected,
                    };
                    // A block belongs to the nearest task item around it, else to its section.
                    match frames.iter_mut().rev().find(|f| f.item.is_some()) {
                        Some(f) => f.code_blocks.push(cb),
                        None => sections.last_mut().expect("root").code_blocks.push(cb),
                    }
                }
            }
            Event::Start(Tag::Table(_)) => {
                table = Some(OpenTable {
                    line: lines.line_of(range.start),
                    header: Vec::new(),
                    rows: Vec::new(),
                    in_head: false,
                    cell: None,
                    row: Vec::new(),
                    cell_src: None,
                })
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = table.as_mut() {
                    t.in_head = true;
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = table.as_mut() {
                    t.in_head = false;
                }
            }
            Event::Start(Tag::TableRow) => {
                if let Some(t) = table.as_mut() {
                    t.rows.push(Vec::new());
                    t.row.clear();
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(t) = table.as_mut()
                    && let Some(mut item) = row_item(&t.header, &t.row, src, lines)
                {
                    item.section = headings.iter().map(|(_, t)| t.clone()).collect();
                    items.push(item);
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Some(t) = table.as_mut() {
                    t.cell = Some(String::new());
                    t.cell_src = Some(CellSrc::new(range.clone()));
                }
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(t) = table.as_mut() {
                    let cell = collapse(&t.cell.take().unwrap_or_default());
                    let mut cell_src = t.cell_src.take();
                    if t.in_head {
                        t.header.push(cell);
                    } else if let Some(row) = t.rows.last_mut() {
                        if let Some(c) = cell_src.as_mut() {
                            c.text = cell.clone();
                        }
                        row.push(cell);
                        t.row.extend(cell_src);
                    }
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    sections.last_mut().expect("root").tables.push(Table {
                        line: t.line,
                        header: t.header,
                        rows: t.rows,
                    });
                }
            }
            Event::Text(text) => {
                if let Some(b) = block.as_mut() {
                    b.content.push_str(&text);
                } else {
                    push_inline(
                        &text,
                        false,
                        &range,
                        &mut heading_buf,
                        &mut table,
                        &mut frames,
                    );
                }
            }
            Event::Code(code) => push_inline(
                &code,
                true,
                &range,
                &mut heading_buf,
                &mut table,
                &mut frames,
            ),
            Event::SoftBreak | Event::HardBreak => push_inline(
                " ",
                false,
                &range,
                &mut heading_buf,
                &mut table,
                &mut frames,
            ),
            Event::InlineHtml(html) => {
                if !html.starts_with("<!--") {
                    // A tag typed in an item ("<script>") is part of what the author wrote:
                    // keep it as text, so every report shows (and escapes) it.
                    push_inline(
                        &html,
                        false,
                        &range,
                        &mut heading_buf,
                        &mut table,
                        &mut frames,
                    );
                } else if let Some(c) = table.as_mut().and_then(|t| t.cell_src.as_mut()) {
                    c.html.push((range.start, html.to_string()));
                } else if let Some(f) = frames.last_mut().filter(|f| !f.nested) {
                    f.html.push((range.start, html.to_string()));
                    // A note appended later goes after a comment on the item's line.
                    f.text_end = f.text_end.max(range.end);
                }
            }
            Event::Html(html) => {
                if let Some(f) = frames.last_mut().filter(|f| !f.nested) {
                    f.html.push((range.start, html.to_string()));
                }
            }
            _ => {}
        }
    }
    // An unclosed document still ends every open item.
    while let Some(frame) = frames.pop() {
        finish_item(frame, &mut items, &mut frames, src, lines);
    }
    Parsed {
        items,
        sections,
        title,
        warnings,
    }
}

fn push_inline(
    text: &str,
    is_code: bool,
    range: &Range<usize>,
    heading_buf: &mut Option<String>,
    table: &mut Option<OpenTable>,
    frames: &mut [Frame],
) {
    if let Some(h) = heading_buf.as_mut() {
        h.push_str(text);
        return;
    }
    if let Some(t) = table.as_mut()
        && let Some(cell) = t.cell.as_mut()
    {
        cell.push_str(text);
        if is_code && let Some(c) = t.cell_src.as_mut() {
            c.code_spans.push(text.to_string());
        }
        return;
    }
    if let Some(f) = frames.last_mut() {
        if f.nested {
            return;
        }
        f.text.push_str(text);
        if is_code {
            f.code_spans.push(text.to_string());
        }
        f.text_end = f.text_end.max(range.end);
    }
}

fn finish_item(
    frame: Frame,
    items: &mut [Item],
    frames: &mut [Frame],
    src: &str,
    lines: &LineIndex,
) {
    let Some(idx) = frame.item else {
        // A plain bullet under a task item is a note of that item ("✅ Installation instructions").
        let text = collapse(&frame.text);
        if let Some(owner) = frames.iter().rev().find_map(|f| f.item)
            && !text.is_empty()
        {
            items[owner].notes.push(text);
        }
        return;
    };
    let item = &mut items[idx];
    item.text = collapse(&frame.text);
    item.display_text = repair(&item.text);
    item.code_spans = frame.code_spans;
    item.code_blocks = frame.code_blocks;
    item.note_at = line_end(src, frame.text_end.max(item.marker.end));
    item.annotations = annotations(&frame.html, lines);
}

/// `[ ]` inside the marker event's range (pulldown-cmark gives exactly that range).
fn marker_range(src: &str, range: &Range<usize>) -> Range<usize> {
    let slice = &src[range.clone()];
    match slice.find('[') {
        Some(i) => range.start + i..(range.start + i + 3).min(range.end.max(range.start + i + 3)),
        None => range.clone(),
    }
}

/// The byte offset of the end of the line holding `at` (before `\r\n` or `\n`).
pub(super) fn line_end(src: &str, at: usize) -> usize {
    let at = at.min(src.len());
    // `at` is an exclusive end: the line of the last byte before it.
    let from = if at > 0 && src.as_bytes()[at - 1] == b'\n' {
        at - 1
    } else {
        at
    };
    let end = src[from..].find('\n').map_or(src.len(), |i| from + i);
    if end > 0 && src.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

pub(super) fn annotations(html: &[(usize, String)], lines: &LineIndex) -> Vec<Annotation> {
    let mut out = Vec::new();
    let joined: String = html.iter().map(|(_, h)| h.as_str()).collect();
    let mut search = joined.as_str();
    let mut consumed = 0usize;
    while let Some(start) = search.find("<!--") {
        let after = &search[start + 4..];
        let Some(end) = after.find("-->") else { break };
        let inner = after[..end].trim();
        if let Some(body) = inner.strip_prefix("gonogo:") {
            // Map the comment back to the html event it started in, for its line.
            let abs = consumed + start;
            let mut offset = 0;
            let mut line = 0;
            for (pos, h) in html {
                if abs < offset + h.len() {
                    line = lines.line_of(*pos);
                    break;
                }
                offset += h.len();
            }
            out.push(Annotation {
                line,
                body: collapse(body),
            });
        }
        let step = start + 4 + end + 3;
        consumed += step;
        search = &search[step..];
    }
    out
}

/// Collapse runs of white space to one space and trim.
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
