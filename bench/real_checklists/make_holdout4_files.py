#!/usr/bin/env python3
"""Build the FOURTH holdout set, $GONOGO_REAL_CHECKLISTS/holdout4/files/*.md (default
/work/realck/holdout4/files), from local mirrors of public repositories (fetch them first: the
tool's `fetch github:OWNER/NAME` puts a bare git directory under /work/.mirror/OWNER+NAME/repo).
Third-party text: it stays outside any project repository; only this script and the labels
(holdout4_labels.tsv) are ours.

Like the earlier holdouts, these checklists were chosen and hand-labelled before the binder was
ever run on them; none of their repositories appears in the earlier sets. Every file is produced
from the mirror's HEAD (commits in SOURCES.md); nothing is written by hand. Non-checkbox formats
(plain bullets, `- [X]` lists with definition-list explanations) become `- [ ] text` items with
the text unchanged; headings are kept.
"""
import html, re

from mirror import out_dir, show, strip_front_matter

OUT = out_dir('holdout4')


def main():
    OUT.mkdir(parents=True, exist_ok=True)

    # 1-2 verbatim task-list files: a Well-Architected microservices checklist (nested `- [ ]`,
    # terse nouns, "Does not apply" options, a section of questions) and a Kubernetes security
    # checklist of requirements ("should", "It is forbidden", "It is recommended") nested under
    # bold group bullets.
    for repo, path, name in [
        ('AliRezaBoroujerdian+Well-Architected-Microservices-Checklist', 'well-architected-checklist.md',
         'well-architected-microservices.md'),
        ('Vinum-Security+kubernetes-security-checklist', 'README.md', 'vinum-k8s-security.md'),
    ]:
        (OUT / name).write_text(show(repo, path))

    # 3 Google's Launch Coordination Checklist as kept in ivankatliarchuk/knowledge-base: `##`
    # sections of plain `-` bullets, each a comma-separated list of nouns, some with indented `*`
    # sub-bullets ("What happens when:"). Front matter dropped; each `-` bullet becomes
    # `- [ ] text`, each indented `*` bullet a nested `  - [ ] text`; headings kept.
    kb = 'ivankatliarchuk+knowledge-base'
    base = 'docs/sre-platform-devops/check-lists/'
    out = []
    for line in strip_front_matter(show(kb, base + 'lunch-coordination.md')).splitlines():
        if m := re.match(r'^- (.*)', line):
            out.append('- [ ] ' + m.group(1).rstrip())
        elif m := re.match(r'^\s+\* (.*)', line):
            out.append('  - [ ] ' + m.group(1).rstrip())
        else:
            out.append(line.rstrip())
    (OUT / 'google-launch-coordination.md').write_text('\n'.join(out).strip() + '\n')

    # 4 The monitoring checklist of the same repository: `- [X]`/`- [ ]` items each followed by a
    # definition-list explanation (`: text`), with indented `* [X]` sub-items (what a log line
    # should hold, which events to log, what not to log). Front matter and the `: ` explanations
    # dropped; `- [X]` becomes `- [ ]`, indented `* [X]`/`* [ ]` a nested `  - [ ]`, text
    # unchanged; headings and `---` rules kept.
    out = []
    for line in strip_front_matter(show(kb, base + 'monitoring-list.md')).splitlines():
        if line.startswith(': '):
            continue
        if m := re.match(r'^- \[[ xX]\] (.*)', line):
            out.append('- [ ] ' + m.group(1).rstrip())
        elif m := re.match(r'^\s+\* \[[ xX]\] (.*)', line):
            out.append('  - [ ] ' + m.group(1).rstrip())
        else:
            out.append(line.rstrip())
    text = re.sub(r'\n{3,}', '\n\n', '\n'.join(out)).strip() + '\n'
    (OUT / 'kb-monitoring-list.md').write_text(text)

    # 5 AWS production readiness guide (sbramley): plain `-` bullets separated by `\` and
    # `&nbsp;` spacer lines, first-person "We …" statements and "Does your organization …?"
    # questions. The README holds its text more than once (an earlier draft pasted above, a
    # repeated tail below): only the last copy, from the last "# Production Readiness Guide: AWS"
    # heading up to the first bullet that repeats one already taken, is used. Headings kept; `-`
    # bullets become `- [ ] text` (HTML entities decoded, text otherwise unchanged); spacer lines,
    # prose paragraphs, the "Notes:" prompts and the "AWS DR References" link list dropped.
    lines = show('sbramley+aws-production-readiness-guide', 'readme.md').splitlines()
    start = max(i for i, l in enumerate(lines) if l.strip() == '# Production Readiness Guide: AWS')
    out, seen, refs = [], set(), False
    for line in lines[start:]:
        if re.match(r'^#{1,3} ', line):
            refs = 'References' in line
            out += ['', line.rstrip(), '']
            continue
        if m := re.match(r'^- (.*)', line):
            t = html.unescape(m.group(1).rstrip())
            if t in seen:
                break
            seen.add(t)
            if not refs:
                out.append('- [ ] ' + t)
    # a heading left without anything under it at the end (the repeated copy starts with one)
    while out and (not out[-1].strip() or out[-1].startswith('#')):
        out.pop()
    text = re.sub(r'\n{3,}', '\n\n', '\n'.join(out)).strip() + '\n'
    (OUT / 'aws-readiness-guide.md').write_text(text)


if __name__ == '__main__':
    main()
