#!/usr/bin/env python3
"""Build the SECOND holdout set, $GONOGO_REAL_CHECKLISTS/holdout2/files/*.md (default
/work/realck/holdout2/files), from local mirrors of public repositories (fetch them first: the
tool's `fetch github:OWNER/NAME` puts a bare git directory under /work/.mirror/OWNER+NAME/repo).
Third-party text: it stays outside any project repository; only this script and the labels
(holdout2_labels.tsv) are ours.

Like the first holdout, these checklists were chosen and hand-labelled before the binder was ever
run on them. Every file is produced from the mirror's HEAD (commits in SOURCES.md); nothing is
written by hand.
"""
import html, os, re, subprocess, pathlib

M = pathlib.Path('/work/.mirror')
OUT = pathlib.Path(os.environ.get('GONOGO_REAL_CHECKLISTS', '/work/realck')) / 'holdout2' / 'files'


def show(repo, path):
    return subprocess.run(['git', f'--git-dir={M/repo}/repo', 'show', f'HEAD:{path}'],
                          capture_output=True, text=True, check=True).stdout


def sections(txt, keep, title):
    """Only the `## ` sections of txt whose heading text is in keep (with their subsections)."""
    out, on = [title, ''], False
    for line in txt.splitlines():
        if line.startswith('## '):
            on = line[3:].strip() in keep
        if on:
            out.append(line)
    return '\n'.join(out).rstrip() + '\n'


def main():
    OUT.mkdir(parents=True, exist_ok=True)

    # 1-3 verbatim task-list files
    for repo, path, name in [
        ('bregman-arie+sre-checklist', 'README.md', 'bregman-sre.md'),
        ('steadyops-best+zero-downtime-deployment-checklist', 'checklist.md', 'steadyops-zero-downtime.md'),
        ('baconstrudel+go-production-checklist', 'README.md', 'go-production.md'),
    ]:
        (OUT / name).write_text(show(repo, path))

    # 4 Vault production readiness: HTML tables of `&#9744; | <details><summary>TITLE</summary>
    # explanation</details>` rows; each row becomes `- [ ] TITLE` (explanation dropped), each
    # `### **Section**` a `##` heading; the linked table of contents is dropped.
    txt = show('devops-rob+Vault-Production-Readiness-Checklist', 'README.md')
    out = ['# Vault Production Readiness Checklist']
    for line in txt.splitlines():
        m = re.match(r'^### \*\*(.*?)\*\*', line)
        if m:
            out += ['', f'## {html.unescape(m.group(1)).strip()}', '']
            continue
        m = re.search(r'&#9744;.*?<summary>(.*?)</summary>', line)
        if m:
            out.append('- [ ] ' + re.sub(r'\s+', ' ', html.unescape(m.group(1))).strip())
    (OUT / 'vault-prc.md').write_text('\n'.join(out).rstrip() + '\n')

    # 5 krol3 Kubernetes security: `- ✅ text` bullets (and one `- [x]`) become `- [ ] text`,
    # everything else (explanations, plain sub-bullets, quotes) unchanged.
    txt = show('krol3+kubernetes-security-checklist', 'README.md')
    txt = re.sub(r'^(\s*[-*]) ✅\s+', r'\1 [ ] ', txt, flags=re.M)
    txt = re.sub(r'^(\s*[-*]) \[x\]', r'\1 [ ]', txt, flags=re.M)
    (OUT / 'krol3-k8s-security.md').write_text(txt)

    # 6 anugurthi DevOps checklist: only three `##` sections of the (very long) README, verbatim:
    # Docker, Application Security (DevSecOps), Monitoring & Observability (The Three Pillars).
    txt = show('anugurthi+devops-checklist', 'README.md')
    keep = {'Containerization - Docker', 'Application Security (DevSecOps)',
            'Monitoring & Observability (The Three Pillars)'}
    (OUT / 'anugurthi-devops.md').write_text(
        sections(txt, keep, '# DevOps Checklist (Docker, DevSecOps, Monitoring sections)'))

    # 7 bricklen PostgreSQL environment notes: Setext sections of plain `*` bullets. Sections
    # Documentation .. Connections kept (the report-card table, the Data Stewardship prose and the
    # numbered Considerations after it dropped); each top-level `* text` becomes `- [ ] text`,
    # nested bullets stay plain sub-bullets; Setext headings become `##` headings.
    lines = show('bricklen+pg-scripts', 'PostgreSQL_environment_and_best_practices.md').splitlines()
    out, sec = ['# Postgres environment'], None
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ''
        if re.match(r'^-{3,}\s*$', line) or re.match(r'^={3,}\s*$', line):
            continue
        if re.match(r'^-{3,}\s*$', nxt):
            sec = line.strip()
            if sec == 'Postgresql Ecosphere Report Card':
                break
            if sec not in ('Disclaimer', 'Data Stewardship'):
                out += ['', f'## {sec}', '']
            continue
        if sec in (None, 'Disclaimer', 'Data Stewardship') or not line.strip():
            continue
        m = re.match(r'^\* (.*)', line)
        if m:
            out.append('- [ ] ' + m.group(1).rstrip())
        elif re.match(r'^\s+\* ', line):
            out.append('  ' + line.strip())
        else:  # a continuation line (a bare link under its bullet)
            out.append('  ' + line.strip())
    (OUT / 'bricklen-postgres.md').write_text('\n'.join(out).rstrip() + '\n')


if __name__ == '__main__':
    main()
