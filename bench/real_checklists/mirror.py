"""What every holdout builder shares: reading a file from a fetched mirror's HEAD, and where a
set's generated files go. Mirrors come from the `fetch github:OWNER/NAME` tool, which puts a
bare git directory under /work/.mirror/OWNER+NAME/repo."""
import os, pathlib, re, subprocess

MIRRORS = pathlib.Path('/work/.mirror')


def out_dir(set_name):
    """$GONOGO_REAL_CHECKLISTS/<set>/files (default /work/realck/<set>/files)."""
    return pathlib.Path(os.environ.get('GONOGO_REAL_CHECKLISTS', '/work/realck')) / set_name / 'files'


def show(repo, path):
    """The file at `path` in the mirror `repo` (OWNER+NAME) at HEAD."""
    return subprocess.run(['git', f'--git-dir={MIRRORS / repo}/repo', 'show', f'HEAD:{path}'],
                          capture_output=True, text=True, check=True).stdout


def between(text, start, end=None):
    """The part of `text` from the line that starts with `start` up to (not including) the line
    that starts with `end` (or the end of the text)."""
    i = text.index('\n' + start) + 1
    j = text.index('\n' + end, i) + 1 if end else len(text)
    return text[i:j]


def titled_rules(text, title, rule, heading=None):
    """`- [ ] **Title**: rule sentence` for each line matching `title` (a regex whose group is
    the title) followed by a line matching `rule` (whose group is the sentence); lines matching
    `heading` are kept as headings between blank lines."""
    out, name = [], None
    for line in text.splitlines():
        if heading and re.match(heading, line):
            out += ['', line.rstrip(), '']
        elif m := re.match(title, line):
            name = m.group(1).strip()
        elif (m := re.match(rule, line)) and name:
            out.append(f'- [ ] **{name}**: {m.group(1).strip()}')
            name = None
    return out


def strip_front_matter(text):
    """Drop a leading `---` … `---` YAML block."""
    if text.startswith('---\n'):
        end = text.find('\n---\n', 4)
        if end != -1:
            return text[end + 5:]
    return text


def tidy(lines):
    """The lines joined, runs of blank lines cut to one, one final newline."""
    return re.sub(r'\n{3,}', '\n\n', '\n'.join(lines)).strip() + '\n'


def drop_empty_headings(kept):
    """Output lines from `kept` (`('h', level, line)` headings and `('i', 0, line)` items, in
    order): a heading with no item before the next heading of the same or a higher level is
    dropped; the others stand between blank lines."""
    out = []
    for n, (kind, level, line) in enumerate(kept):
        if kind == 'h':
            has_item = False
            for kind2, level2, _ in kept[n + 1:]:
                if kind2 == 'i':
                    has_item = True
                    break
                if level2 <= level:
                    break
            if not has_item:
                continue
            out += ['', line, '']
        else:
            out.append(line)
    return out


# An item line: its indent and its text, checked or not.
ITEM = re.compile(r'^( *)- \[[ xX]\] (.*)$')
HEADING = re.compile(r'^#{1,6} ')


def page_lines(text):
    """The lines of a Markdown page outside fenced blocks, in order: ```markdown fences
    (fill-in templates, a page wrapped whole in one) count as the page."""
    fences = []
    for line in strip_front_matter(text).splitlines():
        m = re.match(r'^\s*(```+|~~~+)\s*(\S*)', line)
        if m:
            # A fence with an info string opens (also inside a template, where the author nests
            # ```yaml examples); a bare fence closes the innermost one, or opens a plain block.
            if m.group(2) or not fences:
                fences.append(m.group(2) or 'plain')
            else:
                fences.pop()
            continue
        if fences and fences[-1] not in ('markdown', 'md'):
            continue
        yield line


def checklist(text, item=ITEM):
    """The headings and checkbox items of a Markdown page, in order: a checked box becomes
    `- [ ]`, the item text is unchanged, nesting is kept (`item` matches an item line: indent,
    text). Fenced blocks are skipped except
    ```markdown fences (fill-in templates), whose headings and items count like the page's own.
    A heading with no item before the next heading of the same or a higher level is dropped."""
    kept = []
    for line in page_lines(text):
        if HEADING.match(line):
            kept.append(('h', len(line) - len(line.lstrip('#')), line.rstrip()))
        elif m := item.match(line):
            kept.append(('i', 0, f'{m.group(1)}- [ ] {m.group(2).rstrip()}'))
    return drop_empty_headings(kept)


# A numbered table row: `| 14 | TLS certificates valid | DevOps | ⬜ | - |` (the first cell a
# number, the second the item).
TABLE_ROW = re.compile(r'^\|\s*\d+\s*\|\s*([^|]*?)\s*\|')


def table_items(text):
    """Headings and `- [ ] <second cell>` for each numbered table row (`TABLE_ROW`) of the page
    (`page_lines`), in order; headings without items dropped."""
    kept = []
    for line in page_lines(text):
        if HEADING.match(line):
            kept.append(('h', len(line) - len(line.lstrip('#')), line.rstrip()))
        elif m := TABLE_ROW.match(line):
            kept.append(('i', 0, f'- [ ] {m.group(1)}'))
    return drop_empty_headings(kept)
