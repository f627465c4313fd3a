#!/usr/bin/env python3
"""Build the SEVENTH holdout set, $GONOGO_REAL_CHECKLISTS/holdout7/files/*.md (default
/work/realck/holdout7/files), from local mirrors of public repositories (fetch them first: the
tool's `fetch github:OWNER/NAME` puts a bare git directory under /work/.mirror/OWNER+NAME/repo).
Third-party text: it stays outside any project repository; only this script and the labels
(holdout7_labels.tsv) are ours.

Like the earlier holdouts, these checklists were chosen and hand-labelled before the binder was
ever run on them; none of their repositories appears in the earlier sets. Every file is produced
from the mirror's HEAD; nothing is written by hand. Non-checkbox formats (a Markdown rule table)
become `- [ ] text` items with the text unchanged, checked boxes (`- [x]`) become unchecked,
headings are kept, prose, code blocks and form fields are dropped. Needs only the standard
library.
"""
import re

from mirror import checklist, out_dir, show, tidy

OUT = out_dir('holdout7')



def main():
    OUT.mkdir(parents=True, exist_ok=True)

    # 1 A ride-hailing platform's launch-day checklist (tripo04os): native `- [ ]` imperatives
    # ("Verify …", "Confirm …", "Test …", "Run … - PASS") under numbered `##`/`###` phases:
    # infrastructure, services, security, monitoring, data, teams, documentation and testing a
    # week before, then final verification, team readiness and the go/no-go meeting the day
    # before. Only the two pre-launch phases (sections 1 and 2) are taken; the launch-day,
    # post-launch and emergency sections, the header fields, contacts, shell commands and the
    # timeline are left out. Title kept, items verbatim.
    text = show('djamfikr7+tripo04os', 'docs/launch/launch-day-checklist.md')
    part = text[text.index('\n## 1. Pre-Launch'):text.index('\n## 3. Launch Day')]
    (OUT / 'launch-day-prelaunch.md').write_text(tidy(['# Launch Day Checklist', ''] + checklist(part)))

    # 2 Web Developer Security Checklist (Michael O'Brien's list as kept on GitHub): native
    # `- [ ]` items under `###` areas (database, development, authentication, DoS, web traffic,
    # APIs, validation, cloud configuration, infrastructure, operation, test, plan), long
    # advice sentences with links and AWS specifics ("Use HSTS responses to force TLS only
    # access. Redirect all HTTP request to HTTPS on the server as backup."). The checklist
    # part verbatim; introduction, contents, contributing and licence dropped.
    text = show('virajkulkarni14+WebDeveloperSecurityChecklist', 'README.md')
    part = text[text.index('\n## The Checklist'):text.index('\n## Contributing')]
    (OUT / 'web-developer-security.md').write_text(
        tidy(['# Web Developer Security Checklist', ''] + checklist(part)))

    # 3 A Helm chart review skill (foxj77/claude-code-skills): the "Review Checklist" of
    # SKILL.md (structure, values design, security, quality: "Chart.yaml has required fields
    # (apiVersion, name, version)", "Templates pass `helm lint`"), the fill-in review template
    # in its ```markdown fence (automated checks, manual review), then the security review
    # summary template of references/security-checklist.md (critical / high / medium / low
    # priority: "runAsNonRoot: true", "No hostPath volumes"). Headings with items kept, the YAML
    # examples, tool commands, tables and the `[ ] ✅ Approve` decision fields dropped.
    repo = 'foxj77+claude-code-skills'
    out = checklist(show(repo, 'helm-chart-review/SKILL.md'))
    out += checklist(show(repo, 'helm-chart-review/references/security-checklist.md'))
    (OUT / 'helm-chart-review.md').write_text(tidy(out))

    # 4 A GitHub Actions security checklist (el-feo/ai-context, a devops skill reference): the
    # "Quick Security Audit" list at the top and the "Security Checklist Summary" at the end
    # (critical / important / recommended), short noun phrases about workflows ("GITHUB_TOKEN
    # permissions set to minimum required (default: read-only)", "No use of pull_request_target
    # with untrusted code execution", "Dependabot enabled for actions"); native `- [ ]`,
    # verbatim; the guidance prose and YAML examples between them dropped.
    text = show('el-feo+ai-context', 'plugins/devops/skills/github-actions/references/security-checklist.md')
    (OUT / 'github-actions-security.md').write_text(tidy(checklist(text)))

    # 5 hadolint's Dockerfile rules: the README's rule table (`| [DL3000](wiki link) | Error |
    # Use absolute WORKDIR. |`). Each DL row becomes `- [ ] description` (text unchanged; code,
    # link and severity dropped), phrased variously as advice ("Pin versions in pip."), as the
    # fault found ("Multiple `HEALTHCHECK` instructions.", "Label `<label>` is missing.") or as
    # a fact ("Valid UNIX ports range from 0 to 65535."). The ShellCheck (SC) rows are left out;
    # the README title and the `## Rules` heading kept, everything else dropped.
    text = show('hadolint+hadolint', 'README.md')
    out = [text.splitlines()[0], '', '## Rules', '']
    for line in text[text.index('\n## Rules'):].splitlines():
        if m := re.match(r'^\|\s*\[(DL\d+)\]\([^)]*\)\s*\|[^|]*\|\s*(.*?)\s*\|\s*$', line):
            out.append('- [ ] ' + m.group(2))
    (OUT / 'hadolint-dockerfile-rules.md').write_text(tidy(out))

    # 6 A Redis security workshop (tfindelkind-redis/redis-workshops): the checklist at the end
    # of the network security page (`- [ ]`, "Redis not exposed to internet", "Protected mode
    # enabled") and the "Comprehensive Security Checklist" of the best-practices page, which
    # is written ticked (`- [x]`) under `###` areas (authentication, network, configuration,
    # operational). Ticks become `- [ ]`, text unchanged; page titles and headings with items
    # kept; navigation table, config snippets, compliance notes, numbered exercises dropped.
    base = 'docs/workshops/test-workshop/02-redis-security-best-practices/content'
    repo = 'tfindelkind-redis+redis-workshops'
    out = checklist(show(repo, f'{base}/02-network-security.md'))
    out += checklist(show(repo, f'{base}/03-best-practices.md'))
    (OUT / 'redis-security.md').write_text(tidy(out))


if __name__ == '__main__':
    main()
