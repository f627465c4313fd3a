#!/usr/bin/env python3
"""Build the THIRD holdout set, $GONOGO_REAL_CHECKLISTS/holdout3/files/*.md (default
/work/realck/holdout3/files), from local mirrors of public repositories (fetch them first: the
tool's `fetch github:OWNER/NAME` puts a bare git directory under /work/.mirror/OWNER+NAME/repo).
Third-party text: it stays outside any project repository; only this script and the labels
(holdout3_labels.tsv) are ours.

Like the first two holdouts, these checklists were chosen and hand-labelled before the binder was
ever run on them; none of their repositories appears in the earlier sets. Every file is produced
from the mirror's HEAD (commits in SOURCES.md); nothing is written by hand. Non-checkbox formats
(tables, plain bullets, one-requirement-per-file documents) become `- [ ] text` items with the text
unchanged; headings are kept.
"""
import re, subprocess

from mirror import MIRRORS, out_dir, show

OUT = out_dir('holdout3')


def md_table_rows(lines):
    """Rows of a Markdown table as lists of stripped cells (header and --- rows included)."""
    return [[c.strip() for c in ln.strip().strip('|').split('|')] for ln in lines]


def main():
    OUT.mkdir(parents=True, exist_ok=True)

    # 1-2 verbatim task-list files: a PRR template of questions (pgaijin66) and a terse
    # Kubernetes application checklist of bare nouns (ipedrazas/helm-base).
    for repo, path, name in [
        ('pgaijin66+production-readiness-review-document', 'PRR-TEMPLATE.md', 'pgaijin66-prr-template.md'),
        ('ipedrazas+helm-base', 'applications-checklist.md', 'helm-base-k8s-app.md'),
    ]:
        (OUT / name).write_text(show(repo, path))

    # 3 UK Home Office technical service requirements: one file per topic, plain `-`/`*` bullets
    # under "As a service, I should:" headings, plus MUST/SHOULD rules in the cloud build
    # standards. Every docs/*.md in path order, its `##`/`###` headings kept; top-level bullets of
    # the requirement sections (headings starting "As a", and "Account Layout", "Automation and
    # Cloud Rules") become `- [ ] text`; their nested bullets stay plain sub-bullets. Other
    # sections (definitions, tagging tables, naming conventions, "How" prose) are dropped.
    repo = 'UKHomeOffice+technical-service-requirements'
    files = subprocess.run(['git', f'--git-dir={MIRRORS / repo}/repo', 'ls-tree', '--name-only', 'HEAD', 'docs/'],
                           capture_output=True, text=True, check=True).stdout.split()
    out = ['# Technical service requirements']
    for path in sorted(files):
        on = False
        for line in show(repo, path).splitlines():
            m = re.match(r'^(#{2,3}) (.*)', line)
            if m:
                title = m.group(2).strip()
                if m.group(1) == '##':
                    out += ['', line.rstrip(), '']
                    on = False
                else:
                    on = title.startswith('As a') or title in ('Account Layout', 'Automation and Cloud Rules')
                    if on:
                        out += ['', line.rstrip(), '']
                continue
            if not on:
                continue
            m = re.match(r'^[-*] (.*)', line)
            if m:
                out.append('- [ ] ' + m.group(1).rstrip())
            elif re.match(r'^\s+[-*] ', line):
                out.append('  - ' + line.strip()[2:].rstrip())
    (OUT / 'ukho-service-requirements.md').write_text('\n'.join(out).rstrip() + '\n')

    # 4 DrCarles software security requirements baseline: one Markdown file per requirement.
    # Categories in the order the README lists them (Error Handling has none yet); inside a
    # category, requirements in the order its Readme links them. Each requirement's bold statement
    # becomes `- [ ] statement` under the category's `##` heading, each of its `📘` specifications a
    # nested `  - [ ] specification` (text unchanged, the 📘 marker dropped); rationale, testing
    # tips and references dropped.
    repo = 'DrCarles+SoftwareSecurityReqs-Baseline'
    readme = show(repo, 'README.md')
    out = ['# Software Security Requirements Baseline']
    for cat in re.findall(r'\]\((FunctionalRequirements/[^)]*/)Readme\.md\)', readme):
        idx = show(repo, cat + 'Readme.md')
        links = re.findall(r'^- \[[^\]]*\]\(([^)]*\.md)\)', idx, flags=re.M)
        if not links:
            continue
        out += ['', re.search(r'^## .*', idx, flags=re.M).group(0).rstrip(), '']
        for link in links:
            txt = show(repo, cat + link)
            req = re.search(r'Requirement\s*\n\s*\*\*(.*?)\*\*', txt).group(1).strip()
            out.append('- [ ] ' + req)
            for spec in re.findall(r'^- 📘 (.*)', txt, flags=re.M):
                out.append('  - [ ] ' + spec.strip())
    (OUT / 'drcarles-security-reqs.md').write_text('\n'.join(out).rstrip() + '\n')

    # 5 OWASP ASVS 5.0 (en): four chapters (V3 Web Frontend Security, V12 Secure Communication,
    # V13 Configuration, V16 Security Logging and Error Handling). Chapter `#` and section `##`
    # headings kept; each requirement table row `| **N.N.N** | Verify that … | L |` becomes
    # `- [ ] Verify that …` (number and level columns dropped); prose and references dropped.
    out = ['# OWASP ASVS 5.0 (V3, V12, V13, V16)']
    for path in ['5.0/en/0x12-V3-Web-Frontend-Security.md', '5.0/en/0x21-V12-Secure-Communication.md',
                 '5.0/en/0x22-V13-Configuration.md', '5.0/en/0x25-V16-Security-Logging-and-Error-Handling.md']:
        for line in show('OWASP+ASVS', path).splitlines():
            if line.startswith('# '):
                out += ['', '#' + line.rstrip(), '']
            elif re.match(r'^## V\d', line):
                out += ['', '#' + line.rstrip(), '']
            elif re.match(r'^\| \*\*\d', line):
                out.append('- [ ] ' + md_table_rows([line])[0][1])
    (OUT / 'owasp-asvs5.md').write_text('\n'.join(out).rstrip() + '\n')

    # 6 Weaveworks "production ready" checklists for Kubernetes clusters and applications (as
    # copied into ideapark/career): fixed-width tables whose cells wrap over several lines, rows
    # separated by an all-empty line. Each row becomes `- [ ] **Name**: What is it` (the wrapped
    # lines of each of the two cells joined with spaces; "Why you need it" and "Options" dropped);
    # the `#` title before each table kept as a `##` heading, the introductory prose dropped.
    out = ['# Production ready checklists for Kubernetes']
    for path in ['cncf/kubernetes/Cluster-Ready-Checklist-for-Kubernetes.md',
                 'cncf/kubernetes/Application-Checklist-for-Kubernetes.md']:
        lines = show('ideapark+career', path).splitlines()
        title = [l for l in lines if l.startswith('# ')][-1]
        out += ['', '#' + title, '']
        rows = md_table_rows([l for l in lines if l.startswith('|')])[2:]
        name, what = [], []

        def flush():
            if name:
                out.append(f'- [ ] **{" ".join(name)}**: {" ".join(what)}')
            name.clear(); what.clear()
        for cells in rows:
            if not any(cells):
                flush(); continue
            if cells[0]:
                name.append(cells[0])
            if cells[1]:
                what.append(cells[1])
        flush()
    (OUT / 'weaveworks-k8s-tables.md').write_text('\n'.join(out).rstrip() + '\n')


if __name__ == '__main__':
    main()
