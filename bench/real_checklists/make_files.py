#!/usr/bin/env python3
"""Build /work/realck/files/*.md from local mirrors of public repositories.
Third-party text: stays outside any project repository."""
import re, subprocess, pathlib
M = pathlib.Path('/work/.mirror'); OUT = pathlib.Path('/work/realck/files')
def show(repo, path):
    return subprocess.run(['git', f'--git-dir={M/repo}/repo', 'show', f'HEAD:{path}'],
                          capture_output=True, text=True, check=True).stdout

# 1-4 verbatim task-list files
for repo, path, name in [
    ('shieldfy+API-Security-Checklist', 'README.md', 'shieldfy-api-security.md'),
    ('kgoralski+microservice-production-readiness-checklist', 'README.md', 'kgoralski-microservice.md'),
    ('FallibleInc+security-guide-for-developers', 'security-checklist.md', 'fallible-security.md'),
    ('gpt153+project-orchestrator', '.agents/commands/production-checklist.md', 'gpt153-production.md'),
]:
    (OUT/name).write_text(show(repo, path))

# 5 mercari: tables -> task items
def table_to_tasks(md):
    out = []
    for line in md.splitlines():
        if line.startswith('|'):
            cells = [c.strip() for c in line.strip().strip('|').split('|')]
            if cells[0] in ('Check name',) or set(cells[0]) <= set(':- '):
                continue
            out.append(f'- [ ] **{cells[0]}**: {cells[1]}')
        else:
            out.append(line)
    return '\n'.join(out) + '\n'
mer = 'mercari+production-readiness-checklist'
txt = table_to_tasks(show(mer, 'docs/references/design-checklist.md')) + '\n' + \
      table_to_tasks(show(mer, 'docs/references/pre-production-checklist.md'))
(OUT/'mercari-prc.md').write_text(txt)

# 6 gorrion: README table -> task items (name, then comment)
out = ['# Gorrion Production Readiness Checklist', '']
for line in show('gorrion-io+production-readiness-checklist', 'README.md').splitlines():
    if line.startswith('|'):
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if cells[0] == 'Name' or set(cells[0]) <= set(':- '):
            continue
        name = re.sub(r'^\[(.*)\]\(.*\)$', r'\1', cells[0])
        out.append(f'- [ ] {name}' + (f' ({cells[3]})' if cells[3] else ''))
(OUT/'gorrion-prc.md').write_text('\n'.join(out) + '\n')

# 7 learnk8s: '### heading' items -> task items (headings only)
lk = 'learnk8s+kubernetes-production-best-practices'
out = []
for f in ['01-your-application.md', '02-your-manifests.md', '03-your-security.md', '04-scaling.md', '05-going-live.md']:
    fence = False
    for line in show(lk, f).splitlines():
        if line.startswith('```'):
            fence = not fence; continue
        if fence: continue
        if line.startswith('### '):
            out.append('- [ ] ' + line[4:].strip())
        elif line.startswith('# ') or line.startswith('## '):
            out += ['', line, '']
(OUT/'learnk8s-k8s-best-practices.md').write_text('\n'.join(out).strip() + '\n')

# 8 nodebestpractices sections 5, 6, 8: '## ![✔] N.M heading' -> task items
nb = show('goldbergyoni+nodebestpractices', 'README.md')
out = ['# Node.js Best Practices (production, security, Docker)']
keep = False
for line in nb.splitlines():
    m = re.match(r'^# `(\d+)\. (.*)`', line)
    if m:
        keep = m.group(1) in ('5', '6', '8')
        if keep: out += ['', f'## {m.group(2)}', '']
        continue
    if line.startswith('# '):
        keep = False
    if keep:
        m = re.match(r'^## !\[✔\] (\d+\.\d+\.?) (.*)$', line)
        if m:
            out.append(f'- [ ] {m.group(2).strip()}')
(OUT/'nodebp-prod-sec-docker.md').write_text('\n'.join(out) + '\n')
