#!/usr/bin/env python3
"""Build the NINTH holdout set, $GONOGO_REAL_CHECKLISTS/holdout9/files/*.md (default
/work/realck/holdout9/files), from local mirrors of public repositories (fetch them first: the
tool's `fetch github:OWNER/NAME` puts a bare git directory under /work/.mirror/OWNER+NAME/repo).
Third-party text: it stays outside any project repository; only this script and the labels
(holdout9_labels.tsv) are ours.

Like the earlier holdouts, these checklists were chosen and hand-labelled by a helper session
that never ran the binder on them; none of their repositories appears in the earlier sets. Every
file is produced from the mirror's HEAD; nothing is written by hand. Non-checkbox formats
(questions written as headings, one heading per check with a "What" sentence) become
`- [ ] text` items with the text unchanged, headings are kept, prose, code blocks, answer
prompts and worked examples are dropped. Needs only the standard library.
"""
import re

from mirror import between, checklist, out_dir, show, tidy, titled_rules

OUT = out_dir('holdout9')


def main():
    OUT.mkdir(parents=True, exist_ok=True)

    # 1 A CRM's production readiness checklist written by a German-speaking developer
    # (jabbarpavel/rp-project): native `- [ ]` items under emoji `##` areas and `###` groups,
    # German and English mixed within one item ("`.env` Datei nicht im Git Repository",
    # "Restore getestet (mindestens einmal!)", "PostgreSQL nur auf localhost (nicht
    # öffentlich)", "Backup Retention Policy definiert (7-30 Tage)"), terse past-participle
    # phrases, ASP.NET/Nginx/PostgreSQL specifics. Six areas are taken verbatim: Sicherheit,
    # Konfiguration, Infrastructure, Backups (these four are consecutive), then Deployment and
    # Support & Operations; performance, testing, documentation, business, final checks and the
    # quick-start list are left out. Title kept.
    text = show('jabbarpavel+rp-project', 'docs/PRODUCTION_READINESS.md')
    part = (between(text, '## 🔐 Sicherheit', '## 📊 Performance')
            + between(text, '## 🚦 Deployment', '## 📈 Business'))
    (OUT / 'german-crm-readiness.md').write_text(
        tidy([text.splitlines()[0], ''] + checklist(part)))

    # 2 A microservices shop's production deployment checklist
    # (Neiland85/a4co-ddd-microservices): native `- [ ]` items four heading levels deep
    # (`## 📋 Pre-Deployment Checklist` > `### Infrastructure Setup` > `#### Server
    # Configuration`), concrete infrastructure claims with backticked paths and commands
    # ("Certificates copied to `infra/ssl/` directory", "JWT secret generated with `openssl
    # rand -base64 64`", "All Dockerfiles use non-root users", "Log rotation configured"), and a
    # parent item whose nested items are its specifications ("Production server provisioned
    # with adequate resources" → "Minimum 8GB RAM (16GB+ recommended)"). From the pre-deployment
    # part, Infrastructure Setup, Application Configuration, Security Configuration and
    # Monitoring & Logging (consecutive) and Backup & Recovery are taken verbatim; testing,
    # documentation, compliance, deployment-day, post-deployment, rollback and sign-off parts
    # are left out. Title and the `##` pre-deployment heading kept.
    text = show('Neiland85+a4co-ddd-microservices', 'docs/PRODUCTION_CHECKLIST.md')
    part = ('## 📋 Pre-Deployment Checklist\n\n'
            + between(text, '### Infrastructure Setup', '### Testing')
            + between(text, '### Backup & Recovery', '### Documentation'))
    (OUT / 'microservices-deployment.md').write_text(
        tidy([text.splitlines()[0], ''] + checklist(part)))

    # 3 A "universal" production readiness checklist kept in a Claude Code automation
    # knowledge base (usorama/claude-automations): native `- [ ]` items of two to seven words
    # under emoji `##` areas and `###` groups ("`/health` endpoint returns accurate status",
    # "No empty catch blocks", "Runbooks linked to alerts", "Point-in-time recovery tested"),
    # and a closing "Red Flags" list introduced by "Never go to production with:" whose items
    # name the fault, not the fix ("Hardcoded secrets", "No health checks", "Untested rollback
    # procedure"). Taken verbatim: Pre-Flight Checks and Observability (consecutive), Security,
    # Deployment and Data Management (consecutive) and Red Flags; reliability, performance,
    # team readiness, final validation, post-launch and success metrics are left out. Title
    # kept; the "Never go to production with:" lead-in is prose and is dropped.
    text = show('usorama+claude-automations',
                'core/knowledge-base/silent-failures/universal-production-checklist.md')
    part = (between(text, '## 🚦 Pre-Flight', '## 🛡️ Reliability')
            + between(text, '## 🔐 Security', '## 🚀 Performance')
            + between(text, '## 📦 Deployment', '## 👥 Team Readiness')
            + between(text, '## 🚨 Red Flags'))
    (OUT / 'universal-production.md').write_text(
        tidy([text.splitlines()[0], ''] + checklist(part)))

    # 4 Conflux's Operability Questions (ConfluxHQ/operability-questions): each question is a
    # `## CATEGORY: How do we …?` heading ("SECURITY: How do we know when an SSL/TLS
    # certificate is close to expiry?", "DIAGNOSIS: How do we know that logging is working
    # correctly?"), some two questions in one, under `#` category headings, each followed by a
    # quoted rationale, Poor/Excellent examples and empty Who?/How?/Evidence/Score (or
    # Discussion) prompts. Each question heading becomes `- [ ] CATEGORY: question` (text
    # unchanged, prefix kept), the `#` category headings are kept (their typos too), the
    # worked EXAMPLE question, rationale, criteria, prompts and front prose are dropped.
    text = show('ConfluxHQ+operability-questions', 'operability-questions.md')
    out = [text.splitlines()[0], '']
    for line in text.splitlines()[1:]:
        if re.match(r'^# \S', line):
            out += ['', line.rstrip(), '']
        elif (m := re.match(r'^## ([A-Z]+: .*)$', line)) and not line.startswith('## EXAMPLE'):
            out.append(f'- [ ] {m.group(1).rstrip()}')
    (OUT / 'operability-questions.md').write_text(tidy(out))

    # 5 The production readiness checks of a Claude Code skill (npow/claude-skills,
    # prod-readiness/CHECKS.md): one `### Check N: Title` heading per check, each followed by
    # `**What**:` (a definition, not a claim: "Process handles SIGTERM/SIGINT by draining
    # in-flight requests before exiting."), `**Why**:`, severity, "Look for" evidence hints and
    # PASS/WARN/FAIL criteria, under `## Category: …` headings. Each check becomes
    # `- [ ] **Title**: What sentence` (number dropped, both texts unchanged); the `#` title
    # and the category headings are kept; contents list, why, severity, hints and criteria
    # are dropped.
    text = show('npow+claude-skills', 'prod-readiness/CHECKS.md')
    out = [text.splitlines()[0], '']
    out += titled_rules(text, r'^### Check \d+: (.*)$', r'^\*\*What\*\*: (.*)$',
                        heading=r'^## Category:')
    (OUT / 'prod-readiness-checks.md').write_text(tidy(out))


if __name__ == '__main__':
    main()
