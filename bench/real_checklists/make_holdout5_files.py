#!/usr/bin/env python3
"""Build the FIFTH holdout set, $GONOGO_REAL_CHECKLISTS/holdout5/files/*.md (default
/work/realck/holdout5/files), from local mirrors of public repositories (fetch them first: the
tool's `fetch github:OWNER/NAME` puts a bare git directory under /work/.mirror/OWNER+NAME/repo).
Third-party text: it stays outside any project repository; only this script and the labels
(holdout5_labels.tsv) are ours.

Like the earlier holdouts, these checklists were chosen and hand-labelled before the binder was
ever run on them; none of their repositories appears in the earlier sets. Every file is produced
from the mirror's HEAD (commits in SOURCES.md); nothing is written by hand. Non-checkbox formats
(plain `*` question bullets, Markdown tables, check definitions in shell scripts) become
`- [ ] text` items with the text unchanged; headings are kept.
"""
import re

from mirror import out_dir, show, strip_front_matter

OUT = out_dir('holdout5')


def main():
    OUT.mkdir(parents=True, exist_ok=True)

    # 1-3 verbatim task-list files: Microsoft's Engineering Fundamentals Checklist (short passive
    # statements about a team's practice: source control, CI/CD, security, observability, agile
    # ceremonies, design and code reviews, developer experience), the OpenSSF OSPS Baseline
    # checklist (`**OSPS-XX-NN.NN**: When …, the project MUST …` requirements in three maturity
    # levels, HTML entities such as `&#39;` left as they are) and the summary of a REST API
    # security checklist (imperatives, header names with backticked values, a nested JWT group).
    for repo, path, name in [
        ('microsoft+code-with-engineering-playbook', 'docs/engineering-fundamentals-checklist.md',
         'ms-engineering-fundamentals.md'),
        ('ossf+security-baseline', 'docs/versions/2026-02-19-checklist.md', 'ossf-osps-baseline.md'),
        ('cyberpedia7+The-Ultimate-REST-API-Security-Checklist', '09_Checklist_Summary.md',
         'rest-api-security-summary.md'),
    ]:
        (OUT / name).write_text(show(repo, path))

    # 4 docker-bench-security: the CIS Docker Benchmark checks as the tool defines them, one
    # shell function per check with `local id="4.1"` and `local desc="Ensure … (Automated)"`.
    # Sections 2 (daemon configuration), 4 (container images and build file) and 5 (container
    # runtime) are used; host configuration, daemon file permissions, security operations, swarm,
    # enterprise and community checks are left out. A section function (id without a dot)
    # becomes `## id desc`, every check `- [ ] desc` (desc unchanged, id dropped), in file order.
    repo = 'docker+docker-bench-security'
    out = ['# docker-bench-security (CIS Docker Benchmark)', '']
    for path in ['tests/2_docker_daemon_configuration.sh', 'tests/4_container_images.sh',
                 'tests/5_container_runtime.sh']:
        text = show(repo, path)
        for fn in re.split(r'\n(?=check_[0-9a-z_]+\(\) \{)', text):
            if not re.match(r'check_[0-9a-z_]+\(\) \{', fn):
                continue
            cid = re.search(r'local id="([^"]+)"', fn)
            desc = re.search(r'local desc="([^"]+)"', fn)
            if not (cid and desc):
                continue  # check_N_end and the like
            if '.' not in cid.group(1):
                out += ['', f'## {cid.group(1)} {desc.group(1)}', '']
            else:
                out.append('- [ ] ' + desc.group(1))
    text = re.sub(r'\n{3,}', '\n\n', '\n'.join(out)).strip() + '\n'
    (OUT / 'docker-bench-cis.md').write_text(text)

    # 5 "Evaluate Your Microservice" questions of Susan Fowler's Production-Ready Microservices,
    # as kept in a book-notes repository: one file per chapter (3-6), `##`/`###` sections of
    # plain `*` question bullets ("Is there an alert for every key metric?", "What is the lead
    # time for new hardware?"). Each `*` bullet becomes `- [ ] text`, headings kept; the four
    # files are concatenated in chapter order. One bullet in chapter 4 is the tail of the
    # previous question broken onto its own bullet ("* of tasks and requests increases?"); it is
    # converted like any other bullet.
    repo = 'computer-science-engineering+learning-computer-science'
    base = 'src/_notes/books/production-ready-microservices/'
    parts = []
    for path in ['4_Chapter3_StabilityAndReliability/7_EvaluateYourMicroservice/readme.md',
                 '5_Chapter4_ScalabilityAndPerformance/10_EvaluateYourMicroservice/readme.md',
                 '6_Chapter5_FaultToleranceAndCatastrophePreparedness/7_EvaluateYourMicroservice/readme.md',
                 '7_Chapter6_Monitoring/7_EvaluateYourMicroservice/readme.md']:
        lines = []
        for line in show(repo, base + path).splitlines():
            if m := re.match(r'^\* (.*)', line):
                lines.append('- [ ] ' + m.group(1).rstrip())
            else:
                lines.append(line.rstrip())
        parts.append('\n'.join(lines).strip())
    (OUT / 'prm-evaluate-questions.md').write_text('\n\n'.join(parts) + '\n')

    # 6 Azure Well-Architected Framework design review checklists, one per pillar: a Markdown
    # table per page (`| &#9744; | [RE:01](simplify.md) | **Bold lead.** Long recommendation
    # sentences … |`). Each row's Recommendation cell becomes `- [ ] text` (text unchanged; the
    # ballot box and the code link dropped); each page's `#` title kept; front matter, prose and
    # "Next steps" dropped. Pillars in the framework's order.
    repo = 'MicrosoftDocs+well-architected'
    out = []
    for pillar in ['reliability', 'security', 'operational-excellence', 'performance-efficiency',
                   'cost-optimization']:
        text = strip_front_matter(show(repo, f'well-architected/{pillar}/checklist.md'))
        title = next(l for l in text.splitlines() if l.startswith('# '))
        out += ['', title.rstrip(), '']
        for line in text.splitlines():
            if '&#9744;' in line:
                cells = [c.strip() for c in line.strip().strip('|').split('|')]
                out.append('- [ ] ' + cells[-1])
    text = re.sub(r'\n{3,}', '\n\n', '\n'.join(out)).strip() + '\n'
    (OUT / 'azure-waf-checklists.md').write_text(text)


if __name__ == '__main__':
    main()
