#!/usr/bin/env python3
"""Build the HOLDOUT checklists, /work/realck/holdout/files/*.md, from local mirrors of public
repositories (fetch them first: the tool's `fetch github:OWNER/NAME` puts a bare git directory
under /work/.mirror/OWNER+NAME/repo). Third-party text: it stays outside any project repository;
only this script and the labels (holdout_labels.tsv) are ours.

The holdout set was chosen and labelled without running the binder on it, so nobody has tuned the
binder to these texts. Every file is produced from the mirror's HEAD (commits in SOURCES.md);
nothing is written by hand.
"""
import html, json, os, re, subprocess, pathlib

M = pathlib.Path('/work/.mirror')
OUT = pathlib.Path(os.environ.get('GONOGO_REAL_CHECKLISTS', '/work/realck')) / 'holdout' / 'files'


def show(repo, path):
    return subprocess.run(['git', f'--git-dir={M/repo}/repo', 'show', f'HEAD:{path}'],
                          capture_output=True, text=True, check=True).stdout


def main():
    OUT.mkdir(parents=True, exist_ok=True)

    # 1-3 verbatim task-list files
    for repo, path, name in [
        ('mtdvio+going-to-production', 'serverside-checklist.md', 'mtdvio-serverside.md'),
        ('happysnaker+production-readiness-checklist', 'README.md', 'happysnaker-prc.md'),
        ('DevOps-Nirvana+DevOps-Checklist', 'README.md', 'devops-nirvana.md'),
    ]:
        (OUT / name).write_text(show(repo, path))

    # 4 krol3 container security: done-marked `- [x]` items -> open `- [ ]` items, text unchanged
    txt = show('krol3+container-security-checklist', 'README.md')
    (OUT / 'krol3-container-security.md').write_text(re.sub(r'^(\s*[-*]) \[x\]', r'\1 [ ]', txt, flags=re.M))

    # 5 sinae99 Docker security (CIS-based): only sections 4 (images and build files),
    # 5 (container runtime) and 7 (Compose) of the full checklist; host, daemon, file-permission,
    # networking and operations sections dropped to keep the set about what a repository holds.
    full = show('sinae99+docker-security-checklist', 'docker-security-best-practices_full.md')
    out, keep = ['# Docker Security Best Practices Checklist (sections 4, 5, 7)', ''], False
    for line in full.splitlines():
        m = re.match(r'^## (\d+)\. ', line)
        if m:
            keep = m.group(1) in ('4', '5', '7')
        elif line.startswith('## '):
            keep = False
        if keep:
            out.append(line)
    (OUT / 'sinae99-docker-security.md').write_text('\n'.join(out).rstrip() + '\n')

    # 6 devopsguys production readiness review: a survey (questions.json); every Option/Checkbox
    # question becomes `- [ ] question` (HTML stripped; answer options and banners dropped),
    # one `##` heading per survey section.
    survey = json.loads(show('devopsguys+production-readiness-review', 'questions.json'))
    out = ['# Production Readiness Review (survey questions)']
    for sec in survey:
        qs = [q for q in sec['Questions'] if q['Type'] != 'Banner']
        if not qs:
            continue
        out += ['', f'## {sec["SectionName"]}', '']
        for q in qs:
            text = html.unescape(re.sub(r'<[^>]+>', ' ', q['QuestionText']))
            out.append('- [ ] ' + re.sub(r'\s+', ' ', text).strip())
    (OUT / 'devopsguys-prr-questions.md').write_text('\n'.join(out) + '\n')

    # 7 HarrisJT web launch checklist: an HTML page (index.html); each
    # `checklist-item__title` becomes `- [ ] title`, each `checklist__title` a `##` heading
    # (the collapsed "info" explanations are dropped).
    page = show('HarrisJT+web-launch-checklist', 'index.html')
    out = ['# Web Launch Checklist']
    for m in re.finditer(r'checklist__title">(.*?)<|checklist-item__title">(.*?)</span>', page, re.S):
        if m.group(1):
            out += ['', f'## {html.unescape(m.group(1)).strip()}', '']
        else:
            out.append('- [ ] ' + html.unescape(re.sub(r'\s+', ' ', m.group(2))).strip())
    (OUT / 'weblaunch-checklist.md').write_text('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
