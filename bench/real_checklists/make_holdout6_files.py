#!/usr/bin/env python3
"""Build the SIXTH holdout set, $GONOGO_REAL_CHECKLISTS/holdout6/files/*.md (default
/work/realck/holdout6/files), from local mirrors of public repositories (fetch them first: the
tool's `fetch github:OWNER/NAME` puts a bare git directory under /work/.mirror/OWNER+NAME/repo).
Third-party text: it stays outside any project repository; only this script and the labels
(holdout6_labels.tsv) are ours.

Like the earlier holdouts, these checklists were chosen and hand-labelled before the binder was
ever run on them; none of their repositories appears in the earlier sets. Every file is produced
from the mirror's HEAD (commits in SOURCES.md); nothing is written by hand. Non-checkbox formats
(Markdown tables, a YAML check catalogue, a Perl hash of check titles, plain nested `-` bullets)
become `- [ ] text` items with the text unchanged; headings are kept, prose is dropped.
"""
import re

import yaml

from mirror import out_dir, show, strip_front_matter

OUT = out_dir('holdout6')


def tidy(lines):
    return re.sub(r'\n{3,}', '\n\n', '\n'.join(lines)).strip() + '\n'


def table_rows(text):
    """Body rows of every Markdown table in `text`, each as a list of stripped cells (the header
    row and the `---|---` separator are skipped)."""
    rows, in_table = [], False
    for line in text.splitlines():
        if '|' not in line:
            in_table = False
            continue
        if re.match(r'^\s*\|?\s*:?-{2,}', line):
            in_table = True
            continue
        if in_table:
            s = line.strip()
            if s.startswith('|'):
                s = s[1:]
            if s.endswith('|'):
                s = s[:-1]
            rows.append([c.strip() for c in s.split('|')])
    return rows


def main():
    OUT.mkdir(parents=True, exist_ok=True)

    # 1 Fairwinds Polaris: the check documentation pages for Kubernetes workloads, one Markdown
    # table per page (`key | default | description`, e.g. "`cpuLimitsMissing` | `warning` | Fails
    # when `resources.limits.cpu` attribute is not configured."). Each table row becomes
    # `- [ ] description` (text unchanged; key and severity dropped); one row has no description
    # cell (`missingNetworkPolicy` | `warning`) and its key cell is used instead. Each page's `#`
    # title and the `##` headings before its table are kept; front matter, prose and the
    # "Background"/"Further Reading" parts dropped. Pages in alphabetical order.
    repo = 'FairwindsOps+polaris'
    out = []
    for page in ['efficiency', 'reliability', 'security']:
        text = strip_front_matter(show(repo, f'docs/checks/{page}.md'))
        head = text.split('\n## Background')[0]
        in_table = False
        for line in head.splitlines():
            if line.startswith('#'):
                out += ['', line.rstrip(), '']
            elif re.match(r'^-{2,}\|', line):
                in_table = True
            elif in_table and '|' in line:
                cells = [c.strip() for c in line.split('|')]
                text_cell = cells[2] if len(cells) > 2 and cells[2] else cells[0]
                out.append('- [ ] ' + text_cell)
            else:
                in_table = False
    (OUT / 'polaris-checks.md').write_text(tidy(out))

    # 2 OpenSSF Scorecard: the check catalogue docs/checks/internal/checks.yaml (the source of
    # truth for the generated checks.md). Each check becomes `## Name` with its one-line `short`
    # description as `- [ ] …` ("Determines if the project …") and each of its `remediation`
    # entries as a nested `  - [ ] …` sub-item (YAML folded text, unchanged). Long `description`
    # prose, risk and tags dropped. Checks in file order.
    data = yaml.safe_load(show('ossf+scorecard', 'docs/checks/internal/checks.yaml'))['checks']
    out = ['# OpenSSF Scorecard checks', '']
    for name, check in data.items():
        out += ['', f'## {name}', '', '- [ ] ' + check['short'].strip()]
        for rem in check.get('remediation', []):
            out.append('  - [ ] ' + rem.strip().replace('\n', ' '))
    (OUT / 'scorecard-checks.md').write_text(tidy(out))

    # 3 pgdsat (PostgreSQL Database Security Assessment Tool, CIS PostgreSQL benchmark and
    # extra checks): the English titles of its checks in lib/PGDSAT/Labels.pm (`'5.8' => {
    # 'title' => 'Ensure SSL is used for client connection', …}`). A section number without a dot
    # becomes `## title`; a two-level number `- [ ] title`; a three-level number a nested
    # `  - [ ] title` under its parent. Perl escapes (`\'`) undone; descriptions, the French and
    # Chinese labels and the manual/automatic flag dropped. File order.
    text = show('HexaCluster+pgdsat', 'lib/PGDSAT/Labels.pm')
    en = text[text.index("'en_US' => {"):text.index("'fr_FR' => {")]
    out = ['# pgdsat PostgreSQL security checks', '']
    for num, title in re.findall(r"\n\s*'([0-9.]+)' => \{\n\s*'title' => '((?:[^'\\]|\\.)*)'", en):
        title = re.sub(r"\\(.)", r'\1', title)
        depth = num.count('.')
        if depth == 0:
            out += ['', f'## {title}', '']
        else:
            out.append('  ' * (depth - 1) + '- [ ] ' + title)
    (OUT / 'pgdsat-postgres-checks.md').write_text(tidy(out))

    # 4 NHS Digital Software Engineering Quality Framework, security practices page: the
    # "Recommendations" part (big picture, application level, infrastructure, human factors), long
    # nested guidance bullets with a **bold** keyword, links, "shall"/"must", and a nested
    # "Frequently asked questions" group of Q/A bullets. Every `-` bullet becomes `- [ ] text` at
    # its own indentation (text unchanged); `###` headings kept; the page title, context, NCSC
    # principles, the test-first prose and the collapsed `<details>` IAM/AWS Config examples
    # dropped.
    text = show('NHSDigital+software-engineering-quality-framework', 'practices/security.md')
    rec = text[text.index('\n## Recommendations'):]
    out = ['# Security', '']
    in_code = False
    for line in rec.splitlines():
        if line.strip().startswith('```'):
            in_code = not in_code
            continue
        if in_code:
            continue
        if line.startswith('### '):
            out += ['', line.rstrip(), '']
        elif m := re.match(r'^( *)- (.*)', line):
            out.append(m.group(1) + '- [ ] ' + m.group(2).rstrip())
    (OUT / 'nhs-security-practices.md').write_text(tidy(out))

    # 5 A Django backend's production security checklist (accessRating.info backend): native
    # `- [ ]` items under `### ✅` emoji headings, settings in backticks (`SECURE_SSL_REDIRECT =
    # True`), a security-headers item with plain (non-checkbox) header sub-bullets, and recurring
    # Daily/Weekly/Monthly/Quarterly tasks; verbatim.
    (OUT / 'django-production-security.md').write_text(
        show('pixel-87+accessRating.info_backend', 'docs/SECURITY.md'))

    # 6 OpsLevel's production readiness checklist as kept in a personal repository: one Markdown
    # table per `##` area (`| Area | Item | Priority | Comments | Done? |`), the Area cell filled
    # only on the first row of a group. Each row's Item cell becomes `- [ ] text` (text
    # unchanged; area, priority and the done tick dropped); `##` headings kept.
    text = show('jayercule+opslevel-production-readiness', 'production-readiness.md')
    out = ['# Production readiness', '']
    for block in re.split(r'\n(?=## )', text):
        lines = block.splitlines()
        if lines and lines[0].startswith('## '):
            out += ['', lines[0].rstrip(), '']
        for cells in table_rows(block):
            if len(cells) > 1 and cells[1]:
                out.append('- [ ] ' + cells[1])
    (OUT / 'opslevel-production-readiness.md').write_text(tidy(out))


if __name__ == '__main__':
    main()
