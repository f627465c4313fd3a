#!/usr/bin/env python3
"""Build the EIGHTH holdout set, $GONOGO_REAL_CHECKLISTS/holdout8/files/*.md (default
/work/realck/holdout8/files), from local mirrors of public repositories (fetch them first: the
tool's `fetch github:OWNER/NAME` puts a bare git directory under /work/.mirror/OWNER+NAME/repo).
Third-party text: it stays outside any project repository; only this script and the labels
(holdout8_labels.tsv) are ours.

Like the earlier holdouts, these checklists were chosen and hand-labelled before the binder was
ever run on them; none of their repositories appears in the earlier sets. Every file is produced
from the mirror's HEAD; nothing is written by hand. Non-checkbox formats (plain sub-bullets, a
rule catalogue, a Markdown table) become `- [ ] text` items with the text unchanged, checked
boxes become unchecked, headings are kept, prose, code blocks and form fields are dropped.
Needs only the standard library.
"""
import re

from mirror import between, checklist, drop_empty_headings, out_dir, show, tidy, titled_rules

OUT = out_dir('holdout8')

ITEM = re.compile(r'^( *)[-*] \[[ xX]\] (.*)$')
HEADING = re.compile(r'^#{1,6} ')


def main():
    OUT.mkdir(parents=True, exist_ok=True)

    # 1 A go-live / production readiness checklist from a Claude Code SDLC template
    # (tonykau1/claude-sdlc-template): under emoji `##` areas, each group is a native
    # `- [ ] **Bold noun phrase**` ("**SSL/TLS configured**", "**Backup & recovery**") whose
    # criteria are plain indented sub-bullets of terse past-participle phrases ("HTTPS redirect
    # working", "Restore tested recently", "Log levels appropriate"). The five technical areas
    # from Security & Compliance to Monitoring & Observability are taken; each sub-bullet
    # becomes a nested `  - [ ] text` (text unchanged). Testing, deployment, performance, cost,
    # team, business and rollback areas, the go/no-go colour key, the deployment-day lists,
    # rollback triggers, contacts, tips and lessons are left out. Title kept.
    text = show('tonykau1+claude-sdlc-template', '.claude/checklists/go-live.md')
    out = [text.splitlines()[0], '']
    for line in between(text, '## 🔐 Security', '## 🚀 Deployment').splitlines():
        if HEADING.match(line):
            out += ['', line.rstrip(), '']
        elif m := ITEM.match(line):
            out.append(f'{m.group(1)}- [ ] {m.group(2).rstrip()}')
        elif m := re.match(r'^(  +)- (.*)$', line):
            out.append(f'{m.group(1)}- [ ] {m.group(2).rstrip()}')
    (OUT / 'go-live-readiness.md').write_text(tidy(out))

    # 2 OWASP-derived secure coding rules written for AI agents (vchirrav/owasp-secure-coding-md):
    # one Markdown file per area, each rule a `### [DOCKER-05] Use .dockerignore` heading over
    # `**Identity:**`, `**Rule:**`, rationale, implementation, verification and do/don't lines.
    # Four areas a release pipeline touches are taken, in this order: Dockerfile security,
    # cloud-native & Kubernetes, CI/CD pipeline security, software supply chain. Each file's `#`
    # title is kept; each rule becomes `- [ ] **Title**: Rule sentence` (rule id dropped, both
    # texts unchanged: "**Run as Non-Root**: Switch to a non-root user where possible.");
    # principles, rationale, implementation, verification and examples are dropped.
    repo = 'vchirrav+owasp-secure-coding-md'
    out = []
    for area in ('dockerfile-security', 'cloud-native-k8s', 'cicd-pipeline-security',
                 'software-supply-chain'):
        text = show(repo, f'rules/{area}.md')
        out += ['', text.splitlines()[0], '']
        out += titled_rules(text, r'^### \[[A-Z0-9]+-\d+\] (.*)$', r'^\*\*Rule:\*\* (.*)$')
    (OUT / 'owasp-devops-rules.md').write_text(tidy(out))

    # 3 A microservice Production Readiness Review template (joaogsilva/teste, an enterprise's
    # PRR kept in a scratch repository): one Markdown table `| i | Item | Item Description |
    # Not satisfied | Partially satisfied | Totally satisfied | Not applicable |`, mostly
    # questions ("Are backups monitored and tested?", "Is the service reporting metrics to
    # Datadog?") and prompts ("List the top 3 operational risks when it goes live.", "Describe
    # the load test plan …"), non-native English. Each row's description becomes `- [ ] text`;
    # the Item column (Architecture, Backup, Monitoring …) becomes a `### Item` heading whenever
    # it changes; continuation rows listing tools (`- \[Lint\]`, `- \[Snyk and/or Checkmarx\]`)
    # become nested `  - [ ] \[Lint\]` items under the row above (escapes left as they are).
    # The `##` title and `## Checklist` are kept; links, reviewers, answer columns and the risk
    # formula are dropped. prr-checklist.md (49 rows) is taken; the other copies in the
    # repository are shorter or older versions of it.
    text = show('joaogsilva+teste', 'prr-checklist.md')
    lines = text.splitlines()
    out = [lines[0].rstrip(), '', '## Checklist', '']
    category = None
    for line in lines:
        cells = [c.strip() for c in line.split('|')]
        if len(cells) < 5 or not line.startswith('|'):
            continue
        index, item, desc = cells[1], cells[2], cells[3]
        if index == 'i' or set(index) <= {'-'} and index:
            continue
        if index.isdigit():
            if item != category:
                category = item
                out += ['', f'### {item}', '']
            out.append(f'- [ ] {desc}')
        elif not index and not item and desc.startswith('- '):
            out.append(f'  - [ ] {desc[2:]}')
    (OUT / 'prr-questions.md').write_text(tidy(out))

    # 4 A developer's personal engineering checklists (sawyerwatts/Checklists): native nested
    # `- [ ]` items, almost all "Ensure …" imperatives, nested up to three levels with four-space
    # indents, several wrapped over two lines (the continuation line kept as it is), some with a
    # trailing `*` pointing at a footnote. Taken in this order: app/webAPI.md (App, Middleware
    # and Feature sections: health check, OpenAPI spec, logging fields, JWT checks, rate
    # limiting, content negotiation), repoHygiene.md (pipeline and branch policies) and
    # appHygiene.md (logging, README contents, deployment). Headings kept; prose, footnotes,
    # plain (non-checkbox) example bullets, the RFC 9457 notes and HTTP examples dropped.
    repo = 'sawyerwatts+Checklists'
    out = []
    for path in ('app/webAPI.md', 'repoHygiene.md', 'appHygiene.md'):
        text = show(repo, path)
        if path == 'app/webAPI.md':
            text = text[:text.index('\n### RFC 9457')]
        kept, fence, state = [], False, None
        for line in text.splitlines():
            if re.match(r'^\s*(```+|~~~+)', line):
                fence = not fence
                state = None
                continue
            if fence:
                continue
            if not line.strip():
                state = None
            elif HEADING.match(line):
                kept.append(('h', len(line) - len(line.lstrip('#')), line.rstrip()))
                state = None
            elif m := ITEM.match(line):
                kept.append(('i', 0, f'{m.group(1)}- [ ] {m.group(2).rstrip()}'))
                state = 'item'
            elif re.match(r'^\s*[-*] ', line):
                state = 'plain'  # an example bullet: dropped with its continuation lines
            elif state == 'item':
                kept.append(('c', 0, line.rstrip()))  # the wrapped rest of an item
        out += drop_empty_headings(kept)
        out.append('')
    (OUT / 'engineering-hygiene.md').write_text(tidy(out))

    # 5 A managed-database (AWS RDS / Azure Database for PostgreSQL) deployment checklist from
    # a student full-stack project (kalviumcommunity/…-Jeevan-Rakth): native `- [ ]` under
    # emoji `##` areas and `###` groups, short passive statements ("Public access disabled
    # (production) or properly restricted (development)", "Point-in-time recovery (PITR)
    # enabled"), cloud-console settings beside repository facts ("`.env` file added to
    # `.gitignore`", "Run `npx prisma migrate deploy` on staging first"), and parents ending in
    # a colon whose nested items complete them ("Alerts configured for:" → "CPU > 80%",
    # "Backup failures"). Five areas are taken verbatim: network & security, credentials &
    # secrets, schema & migrations, backup & disaster recovery, monitoring & alerting;
    # provisioning, performance, testing, documentation, cost, maintenance, sign-off,
    # post-deployment, success criteria and contacts are left out. Title kept.
    text = show('kalviumcommunity+S86-1225-Lifeline-Innovators-Full-Stack-With-NextjsAnd-AWS-Azure-'
                'Jeevan-Rakth', 'jeevan-rakth/DATABASE_DEPLOYMENT_CHECKLIST.md')
    part = between(text, '## 🔒 Network', '## ⚡ Performance')
    (OUT / 'managed-db-deployment.md').write_text(
        tidy([text.splitlines()[0], ''] + checklist(part, ITEM)))


if __name__ == '__main__':
    main()
