#!/usr/bin/env python3
"""Build the TENTH holdout set, $GONOGO_REAL_CHECKLISTS/holdout10/files/*.md (default
/work/realck/holdout10/files), from local mirrors of public repositories (fetch them first: the
tool's `fetch github:OWNER/NAME` puts a bare git directory under /work/.mirror/OWNER+NAME/repo).
Third-party text: it stays outside any project repository; only this script and the labels
(holdout10_labels.tsv) are ours.

Like the earlier holdouts, these checklists were chosen and hand-labelled by a helper session
that never ran the binder on them, labelling from the catalogue and `gonogo checks explain` text
only; none of their repositories appears in the earlier sets. Every file is produced from the
mirror's HEAD; nothing is written by hand. Non-checkbox formats (table rows) become `- [ ] text`
items with the text unchanged, headings are kept, prose, code blocks, tables' other columns and
sign-off blocks are dropped. Needs only the standard library.
"""
import re

from mirror import HEADING, between, checklist, drop_empty_headings, out_dir, show, table_items, tidy

OUT = out_dir('holdout10')



def main():
    OUT.mkdir(parents=True, exist_ok=True)

    # 1 A self-hosted Next.js app's go-live checklist (ChristofBoermel/lebensordner,
    # docs/ops/go-live-checklist.md), written by a German-speaking developer in English: native
    # `- [ ]` items under numbered `## N) Area` headings, very concrete claims about this one
    # deployment with backticked commands, hosts and status codes ("`https://www.lebensordner.org`
    # returns `308` redirect to apex.", "`deploy` job is green and runs `docker compose pull &&
    # docker compose up -d`."), and parent items whose nested items enumerate what they claim
    # (the GHCR image tags `:latest` and `:<commit-sha>` the build job publishes, the TLS domains
    # Caddy serves, the alert kinds that must exist). Taken whole; the prose lead-in is dropped.
    text = show('ChristofBoermel+lebensordner', 'docs/ops/go-live-checklist.md')
    (OUT / 'selfhosted-golive.md').write_text(tidy(checklist(text)))

    # 2 An email service's Kubernetes launch-day plan (vik9541/email-intelligence-platform,
    # docs/GO_LIVE_CHECKLIST.md): no checkboxes, every item a numbered row of a `| # | Item |
    # Owner | Status | Date |` table (status ✅/⬜, owner a team), terse noun phrases ("HPA
    # configured correctly", "PDB configured", "Prometheus scraping configured", "Liveness probe
    # passing"), then post-launch thresholds checked every five minutes ("Error rate <0.1%",
    # "Response time <500ms"). Each row becomes `- [ ] <Item cell>` (text unchanged; number,
    # owner, status, date and check-interval cells dropped). Taken: the whole pre-launch part
    # (1.1–1.7), launch-day verification (4.3) and the first post-launch hour (5.1), with their
    # `##`/`###` headings; overview box, staging, go/no-go, pre-deployment, deployment commands,
    # traffic migration, later monitoring, rollback steps, contacts, success metrics and
    # sign-offs are left out.
    text = show('vik9541+email-intelligence-platform', 'docs/GO_LIVE_CHECKLIST.md')
    launch = next(l for l in text.splitlines() if l.startswith('## 4️⃣'))
    post = next(l for l in text.splitlines() if l.startswith('## 5️⃣'))
    part = (between(text, '## 1️⃣', '## 2️⃣')
            + launch + '\n\n' + between(text, '### 4.3', '### 4.4')
            + post + '\n\n' + between(text, '### 5.1', '### 5.2'))
    (OUT / 'k8s-launch-table.md').write_text(
        tidy([text.splitlines()[0], ''] + table_items(part)))

    # 3 A Production Readiness Review template from an engineer's study notes
    # (varshithr/varshithr.github.io, content/learn_concepts/docs/00-meta/prr_template.md): SRE
    # review questions as native `- [ ]` statements in the passive present ("Alert runbooks
    # exist", "Scaling behavior is tested", "Logs include request IDs for correlation"), many
    # led by a bold label ("**SLO dashboard**: Shows SLO compliance, error budgets",
    # "**Capacity alerts**: Alerts for capacity thresholds"), under `##` areas and `###`
    # groups. Taken verbatim: Monitoring & Observability, Incident Response and Capacity &
    # Scaling (consecutive) and Documentation; system information, SLOs, security, change
    # management, dependencies, cost, launch readiness and the approval boxes are left out.
    # Title kept.
    text = show('varshithr+varshithr.github.io', 'content/learn_concepts/docs/00-meta/prr_template.md')
    part = (between(text, '## Monitoring & Observability', '## Security')
            + between(text, '## Documentation', '## Dependencies'))
    (OUT / 'prr-template.md').write_text(tidy([text.splitlines()[0], ''] + checklist(part)))

    # 4 The Rails Security Checklist (eliotsykes/rails-security-checklist, README.md): native
    # `- [ ]` items, many of them long advice sentences with links and rationale ("Favor
    # limiting access per IP-address, per device, especially for administrators", "Encrypted,
    # frequent database backups that are regularly tested can be restored. Consider keeping
    # offline backups."), Rails and gem specifics (Devise, Pundit, Brakeman, Bundler Audit, Rack
    # Attack), and parent items with nested sub-items; `###` topic headings under one `##`.
    # Taken verbatim: Controllers and Routes; Logging and Input Sanitization; Uploads; Logins
    # and Passwords; Databases through Public non-production Environments (Redis, Gems,
    # Detecting Vulnerabilities, Software Updates, Test Coverage, Cross Site Scripting, Developer
    # Hardware); Handling Secrets through Traffic (Cookies, Headers, Assets, TLS/SSL). Views, URL
    # secret tokens, IDs, random tokens, Markdown rendering, email, abuse detection, timing
    # attacks, regular expressions, contacting users, regular practices, further reading and
    # the closing reminders are left out; code examples are dropped. Title and the `##`
    # checklist heading kept.
    text = show('eliotsykes+rails-security-checklist', 'README.md')
    part = (between(text, '## The Checklist', '### Views')
            + between(text, '### Logging', '### Markdown Rendering')
            + between(text, '### Uploads and File Processing', '### Email')
            + between(text, '### Logins, Registrations', '### Timing Attacks')
            + between(text, '### Databases', '### Regular Expressions')
            + between(text, '### Handling Secrets', '### Contacting Users'))
    (OUT / 'rails-security.md').write_text(tidy([text.splitlines()[0], ''] + checklist(part)))

    # 5 An Italian Node.js app's go-live checklist (ValerioP29/FantaBuzz,
    # docs/GO_LIVE_CHECKLIST.md, a fantasy-football live auction): native `- [ ]` items in
    # Italian with English technical terms and backticked settings ("`CORS_ORIGINS` configurato
    # con i domini reali", "`/health` restituisce `ok: true`", "Procedura restore provata su
    # snapshot", "Carico minimo: 10 client simultanei"), under short `##` headings. Taken whole.
    text = show('ValerioP29+FantaBuzz', 'docs/GO_LIVE_CHECKLIST.md')
    (OUT / 'italian-golive.md').write_text(tidy(checklist(text)))

    # 6 A Redis go-live list for a ride-hailing backend (alien2112/smartlinevps,
    # sessions_till_production/session_2025-12-17_redis_production.md), the closing section of
    # a long session log and self-hosted Redis guide: native `- [ ]` items, short and
    # Redis-specific ("Password authentication enabled (`requirepass`)", "Bind to localhost or
    # private IP (not `0.0.0.0`)", "Eviction policy set (`volatile-ttl`)", "Check evicted_keys
    # (should be 0 or low)"), in three phases: before going live, day 1 and week 1 after launch.
    # Only the `## J) Production Readiness Checklist` section is taken (the session notes, test
    # results, install guide, commands and summary are left out). The session title is kept.
    text = show('alien2112+smartlinevps', 'sessions_till_production/session_2025-12-17_redis_production.md')
    part = between(text, '## J) Production Readiness Checklist', '## K)')
    (OUT / 'redis-golive.md').write_text(tidy([text.splitlines()[0], ''] + checklist(part)))


if __name__ == '__main__':
    main()
