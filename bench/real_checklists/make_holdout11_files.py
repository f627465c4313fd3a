#!/usr/bin/env python3
"""Build the ELEVENTH holdout set, $GONOGO_REAL_CHECKLISTS/holdout11/files/*.md (default
/work/realck/holdout11/files), from local mirrors of public repositories (fetch them first: the
tool's `fetch github:OWNER/NAME` puts a bare git directory under /work/.mirror/OWNER+NAME/repo).
Third-party text: it stays outside any project repository; only this script and the labels
(holdout11_labels.tsv) are ours.

Like the earlier holdouts, these checklists were chosen and hand-labelled by a helper session
that never ran the binder on them, labelling from the catalogue and `gonogo checks explain` text
only; none of their repositories appears in the earlier sets. Every file is produced from the
mirror's HEAD; nothing is written by hand. Non-checkbox formats (numbered question rows of a
table, `- ✅` status bullets, plain `- ` bullets) become `- [ ] text` items with the text
unchanged, checked boxes become `- [ ]`, headings are kept, prose, code blocks, nested command
bullets, tables' other cells and sign-off blocks are dropped. All seven lists are written in a language other than English or, in English, by
teams whose own language is another (their repositories' other documents and interface texts
are Lithuanian, Vietnamese or Russian). Needs only the standard library.
"""
import re

from mirror import HEADING, between, checklist, drop_empty_headings, out_dir, show, table_items, tidy

OUT = out_dir('holdout11')

# A numbered question row of a table: `| 3 | ¿Se probó **restauración real** …? | ⬜ |` (the
# first cell a number, the second the item).

# An item line that is a checkbox or a `- ✅` status bullet: its indent and its text.
ITEM_OR_TICK = re.compile(r'^( *)- (?:\[[ xX]\]|✅) (.*)$')


def bullet_items(text):
    """Headings and `- [ ] <text>` for each top-level `- ` bullet, in order: a bullet's wrapped
    continuation lines (indented, not themselves bullets) are joined to it with a space, its
    nested bullets (the commands and details under it) are dropped, fenced blocks skipped.
    Headings without items are dropped."""
    kept, fence, last = [], False, None
    for line in text.splitlines():
        if re.match(r'^\s*(```+|~~~+)', line):
            fence = not fence
            continue
        if fence:
            continue
        if HEADING.match(line):
            kept.append(('h', len(line) - len(line.lstrip('#')), line.rstrip()))
            last = None
        elif line.startswith('- '):
            kept.append(('i', 0, f'- [ ] {line[2:].strip()}'))
            last = len(kept) - 1
        elif line.lstrip().startswith(('- ', '* ')):
            last = None  # a nested bullet: dropped, and nothing after it continues the item
        elif last is not None and line.startswith(' ') and line.strip():
            kind, level, item = kept[last]
            kept[last] = (kind, level, f'{item} {line.strip()}')
        elif line.strip() and not line.startswith(' '):
            last = None
    return drop_empty_headings(kept)


def main():
    OUT.mkdir(parents=True, exist_ok=True)

    # 1 A construction-budgeting app's go-live gate in Spanish (carleetho/budgetpro,
    # docs/context/11_checklist_go_live.md), the whole page wrapped in one ```markdown fence:
    # no checkboxes, every item a question in a numbered `| # | Validación | Sí / No |` table row
    # ("¿Existe **backup automático horario** de la base de datos?", "¿Se probó **restauración
    # real** desde backup (no solo configuración)?", "¿El sistema fuerza **HTTPS + TLS 1.2+ +
    # HSTS**?"), under emoji-numbered `##` areas (1️⃣ … 4️⃣). Each row becomes `- [ ] <question>`
    # (number and answer cells dropped); purpose, alerts, the formal go-live declaration and
    # the artefact status are prose and dropped. The inner title is kept (the outer one, with
    # no item before the inner, drops out).
    text = show('carleetho+budgetpro', 'docs/context/11_checklist_go_live.md')
    (OUT / 'spanish-question-golive.md').write_text(tidy(table_items(text)))

    # 2 A self-hosted PostgreSQL's deployment checklist in Portuguese (Depaula010/postgres-central,
    # DEPLOYMENT_CHECKLIST.md): native `- [ ]` items about one Docker Compose database, with
    # backticked commands, files and settings ("Porta bind apenas localhost
    # (`127.0.0.1:5432:5432`)", "Autenticação SCRAM-SHA-256 configurada", "Script de backup
    # testado (`bash backup-postgres.sh`)", "Verificar último backup: `ls -lh backups/ | tail
    # -1`"), before deploy (configuration, Docker, security, backup) and as daily, weekly and
    # monthly monitoring after it. Taken whole; the deploy, update, password-rotation,
    # security-test and rollback procedures are code blocks and prose and drop out.
    text = show('Depaula010+postgres-central', 'DEPLOYMENT_CHECKLIST.md')
    (OUT / 'portuguese-postgres-deploy.md').write_text(tidy(checklist(text)))

    # 3 A collaborative board app's infrastructure activation list in French
    # (PIVOT-PLATFORM/PouetPouet, docs/ops/go-live-checklist.md): ordered `- [ ]` steps outside
    # the repository (GitHub admin, GCP Secret Manager, Cloud SQL backups and PITR, Monitoring
    # alert policies, Memorystore Redis, load test), many led by a bold label and followed by a
    # `gcloud`/`gh` code block ("Uptime checks `/health` (API + Web) + 3 politiques d'alerte
    # (indispo, 5xx, latence p95).", "Vérifier les seuils SLO (p95 < 500 ms, erreurs < 1 %)").
    # Taken whole; code blocks, notes and the dependency summary drop out, and an item's wrapped
    # second line is not part of it.
    text = show('PIVOT-PLATFORM+PouetPouet', 'docs/ops/go-live-checklist.md')
    (OUT / 'french-gcp-golive.md').write_text(tidy(checklist(text)))

    # 4 A Vietnamese grocery point-of-sale system's go-live operator checklist
    # (LonelyTraderBay/tap-hoa, docs/ops/go-live-checklist.md), in English mixed with Vietnamese
    # terms and whole Vietnamese items ("Máy B pull: tồn giảm; báo cáo ngày khớp."): native
    # `- [ ]` steps per task with concrete commands and answers ("Verify: `GET /health` → `{
    # "ok": true }`; login with real owner OK; …", "Schedule daily `pg_dump`; retain ≥ 7
    # backups.", "Run `npx prisma migrate deploy` on production DB …"), a branch between a stub
    # and a real e-invoice gateway, Windows and Android POS builds, and definition-of-done
    # lists. Taken whole; the operator sign-off table (☐ cells) and the runbook tables are not
    # items and drop out.
    text = show('LonelyTraderBay+tap-hoa', 'docs/ops/go-live-checklist.md')
    (OUT / 'vietnamese-pos-golive.md').write_text(tidy(checklist(text)))

    # 5 A Lithuanian warehouse/manufacturing execution system's go-live checklist, in English
    # (lauresta/lkvitai-mes, docs/ops/go-live-checklist.md; its user manuals are Lithuanian):
    # `- [x]` items, ten per `## Category N: Area`, each numbered by its category
    # ("Infrastructure.5 TLS certificates installed and not expiring within 30 days",
    # "Performance.8 API p95 response time below 500ms target", "Monitoring.3 Alert rules
    # enabled for critical services"). Of its hundred items seven
    # categories are taken whole, for length: Infrastructure and Security (consecutive), then
    # Performance through Documentation (Performance, Monitoring, Testing, Deployment,
    # Documentation); Compliance (FDA 21 CFR Part 11, GDPR), Operations and Business Readiness
    # are left out. Checked boxes become `- [ ]` (text unchanged); the per-category sign-off
    # lines are plain bullets and drop out. Title kept.
    text = show('lauresta+lkvitai-mes', 'docs/ops/go-live-checklist.md')
    part = (between(text, '## Category 1:', '## Category 3:')
            + between(text, '## Category 4:', '## Category 9:'))
    (OUT / 'mes-category-golive.md').write_text(tidy([text.splitlines()[0], ''] + checklist(part)))

    # 6 An AI interview system's production deployment checklist in Chinese
    # (mikelinzheyu/interview-system, docs/DEPLOYMENT_CHECKLIST.md): first a `- ✅` inventory
    # of the files prepared for production, each a path and what it is ("backend/Dockerfile.prod
    # - Node.js后端多阶段构建", "PRODUCTION_DEPLOYMENT.md - 完整部署指南(40KB)"), then `- [ ]`
    # items nested up to three levels under bold parents, many followed by the shell command
    # that checks them ("Docker版本 ≥ 20.10", "`JWT_SECRET` - JWT签名密钥 (≥32字符)", "访问HTTP自动
    # 重定向到HTTPS", "SSL证书有效期>30天", "Redis不可从外部访问"), before deployment by
    # priority (🔴/🟠/🟡), after it (within the hour, first day, first week) and a security
    # list. The ✅ bullets become `- [ ]` (text unchanged); everything from the inventory to
    # the security list is taken, the closing sign-off list (最终确认) is left out, and the
    # deployment commands, KPI table and deployment record drop out.
    text = show('mikelinzheyu+interview-system', 'docs/DEPLOYMENT_CHECKLIST.md')
    part = text[:text.index('\n## ✅ 最终确认') + 1]
    (OUT / 'chinese-deploy-checklist.md').write_text(tidy(checklist(part, ITEM_OR_TICK)))

    # 7 A guitar-lesson platform's production hardening checklist (HiMRS-dev/GuitarOnline,
    # ops/production_hardening_checklist.md), in English by a team whose interface is Russian:
    # no checkboxes, plain `- ` bullets in the imperative about this one Docker Compose
    # deployment ("Confirm readiness endpoint returns `200`:", "Keep scheduled backup
    # retention workflow enabled:", "Confirm Prometheus target for `app` is `UP` in UI
    # (`:9090`).", "Enable host-level log rotation for Docker container logs …"), most of them
    # followed by nested bullets holding the `curl`, PowerShell or workflow command that does
    # or shows it, under numbered `## N) Area` headings ending with a cadence list. Each
    # top-level bullet becomes `- [ ] text` (text unchanged, a wrapped line joined to it); the
    # nested command bullets and the lead-in are dropped. Taken whole.
    text = show('HiMRS-dev+GuitarOnline', 'ops/production_hardening_checklist.md')
    (OUT / 'guitar-ops-hardening.md').write_text(tidy(bullet_items(text)))


if __name__ == '__main__':
    main()
