#!/usr/bin/env python3
"""Score gonogo's binder against hand labels of real public checklists.

usage: python3 bench/real_checklists/score.py BIN [--name NAME] [--ignore CHECK,CHECK] [--verbose] [--bare]
                                                 [--set holdout|holdout2|...|holdout11]

The scratch repository holds a gonogo.toml with the values only a team knows (TEAM_SETTINGS);
--bare scores without it.

--ignore drops the named checks from labels and bindings alike (e.g. checks whose required
parameters no item states: http.auth-required,backup.fresh,backup.restore-tested).

Runs `BIN map --format json FILE` for every /work/realck/files/*.md (from an empty scratch
repository, so no gonogo.toml or repository content influences binding), compares each item's
bindings[].check with /work/realck/labels.tsv (matched by line) and prints per-file and overall:
  items, automatable (expected non-empty), exact (automatable items bound to exactly the expected
  set), pair precision (right pairs / bound pairs), pair recall (right pairs / expected pairs),
  wrong (items bound to at least one check not expected, including items expected to be manual).
Misses (every item whose bound set differs from the expected set) go to
/work/realck/misses-NAME.txt; NAME defaults to the binary's file name, prefixed with its folder
name when the file is just 'gonogo' (/tmp/base/gonogo -> base-gonogo).

--set holdoutN scores a holdout set instead (checklists nobody tuned the binder to, labelled
before the binder ever ran on them): $GONOGO_REAL_CHECKLISTS/holdoutN/files/*.md (built by
make_holdoutN_files.py; the first set is plain `holdout`, built by make_holdout_files.py;
holdout6's builder needs PyYAML) against holdoutN_labels.tsv; misses go to
$GONOGO_REAL_CHECKLISTS/holdoutN/misses-NAME.txt. SOURCES.md names each set's checklists.
"""
import json, os, subprocess, sys, tempfile, collections, pathlib

# The checklists are other teams' text and are not committed: fetch them (SOURCES.md,
# make_files.py) into $GONOGO_REAL_CHECKLISTS/files. The labels are ours and live here.
ROOT = pathlib.Path(os.environ.get('GONOGO_REAL_CHECKLISTS', '/work/realck'))
FILES, LABELS = ROOT / 'files', pathlib.Path(__file__).resolve().parent / 'labels.tsv'

TEAM_SETTINGS = '''
[checks."backup.fresh"]
path = "/var/backups/db"

[checks."backup.restore-tested"]
restore = "./scripts/restore-latest.sh scratch"
verify = "psql scratch -Atc 'select count(*) from orders'"

[checks."http.auth-required"]
paths = ["/admin"]

[checks."load.latency-under-load"]
max_ms = 500
'''

def main():
    args = sys.argv[1:]
    if not args or args[0] in ('-h', '--help'):
        print(__doc__); sys.exit(2)
    binp = os.path.abspath(args[0])
    name = None
    if '--name' in args:
        name = args[args.index('--name') + 1]
    verbose = '--verbose' in args
    ignore = set()
    if '--ignore' in args:
        ignore = set(args[args.index('--ignore') + 1].split(','))
    global ROOT, FILES, LABELS
    if '--set' in args:
        which = args[args.index('--set') + 1]
        known = ('holdout', 'holdout2', 'holdout3', 'holdout4', 'holdout5', 'holdout6', 'holdout7', 'holdout8', 'holdout9', 'holdout10',
                 'holdout11')
        if which not in known:
            print(f'unknown set {which!r} (known: {", ".join(known)})'); sys.exit(2)
        ROOT = ROOT / which
        FILES, LABELS = ROOT / 'files', LABELS.parent / f'{which}_labels.tsv'
    if not name:
        p = pathlib.Path(binp)
        name = p.name if p.name != 'gonogo' else f'{p.parent.name}-{p.name}'

    labels = collections.defaultdict(dict)
    for i, line in enumerate(LABELS.read_text().splitlines()):
        if i == 0 or not line.strip():
            continue
        f, ln, exp, person = line.split('\t')
        s = frozenset() if exp.strip() == '-' else frozenset(c.strip() for c in exp.split(',') if c.strip()) - ignore
        labels[f][int(ln)] = (s, person)

    scratch = tempfile.mkdtemp(prefix='realck-repo-')
    # The values a team gives once in gonogo.toml (the corpus test uses the same): where
    # backups are written, how a restore runs, which paths need a login. --bare leaves them out.
    if '--bare' not in args:
        (pathlib.Path(scratch) / 'gonogo.toml').write_text(TEAM_SETTINGS)
    tot = collections.Counter(); misses = []; unlabeled = []
    rows = []
    for f in sorted(FILES.glob('*.md')):
        r = subprocess.run([binp, 'map', '--format', 'json', '--repo', scratch, str(f)],
                           capture_output=True, text=True, cwd=scratch)
        if r.returncode not in (0, 1):
            print(f'{f.name}: map failed rc={r.returncode}: {r.stderr.strip()[:300]}'); continue
        items = json.loads(r.stdout)['items']
        c = collections.Counter(); lab = labels.get(f.name, {})
        seen = set()
        for it in items:
            ln = it['line']; seen.add(ln)
            bound = frozenset(b['check'] for b in it.get('bindings', [])) - ignore
            if ln not in lab:
                unlabeled.append((f.name, ln, it['text'][:100])); continue
            exp, person = lab[ln]
            c['items'] += 1
            c['automatable'] += bool(exp)
            c['exact'] += bool(exp) and bound == exp
            c['manual_ok'] += (not exp) and not bound
            c['bound_pairs'] += len(bound); c['exp_pairs'] += len(exp)
            c['right_pairs'] += len(bound & exp)
            c['wrong'] += bool(bound - exp)
            c['bound_items'] += bool(bound)
            if bound != exp:
                kind = ('missed' if not bound else 'wrong' if not (bound & exp) and exp else
                        'false-bind' if not exp else 'partial')
                misses.append((f.name, ln, kind, it['text'].replace('\n', ' '), exp, bound, person))
        for ln in lab:
            if ln not in seen:
                unlabeled.append((f.name, ln, '<labelled line not an item any more>'))
        rows.append((f.name, c)); tot.update(c)
    rows.append(('OVERALL', tot))

    def pct(a, b):
        return f'{100*a/b:5.1f}%' if b else '   n/a'
    hdr = f'{"file":34} {"items":>5} {"auto":>5} {"exact":>5} {"exact%":>6} {"prec":>6} {"recall":>6} {"wrong":>5} {"bound":>5} {"manOK":>5}'
    print(f'binder: {binp}'); print(hdr); print('-' * len(hdr))
    for n, c in rows:
        if n == 'OVERALL': print('-' * len(hdr))
        print(f'{n:34} {c["items"]:5} {c["automatable"]:5} {c["exact"]:5} {pct(c["exact"], c["automatable"]):>6} '
              f'{pct(c["right_pairs"], c["bound_pairs"]):>6} {pct(c["right_pairs"], c["exp_pairs"]):>6} '
              f'{c["wrong"]:5} {c["bound_items"]:5} {c["manual_ok"]:5}')
    print(f'pairs: right {tot["right_pairs"]} / bound {tot["bound_pairs"]} / expected {tot["exp_pairs"]}')
    kinds = collections.Counter(m[2] for m in misses)
    print('misses by kind: ' + ', '.join(f'{k} {v}' for k, v in sorted(kinds.items())))
    if unlabeled:
        print(f'WARNING: {len(unlabeled)} items without labels or labels without items, e.g. {unlabeled[:3]}')

    out = ROOT / f'misses-{name}.txt'
    with open(out, 'w') as fh:
        fh.write(f'# misses of {binp}: kind = missed (nothing bound) | partial | wrong (no overlap) | false-bind (expected none)\n')
        fh.write('# file:line\tkind\ttext\texpected\tbound\tperson\n')
        for f, ln, kind, text, exp, bound, person in misses:
            fh.write(f'{f}:{ln}\t{kind}\t{text[:200]}\t{",".join(sorted(exp)) or "-"}\t{",".join(sorted(bound)) or "-"}\t{person}\n')
    print(f'misses: {len(misses)} -> {out}')
    if verbose:
        print(out.read_text())

if __name__ == '__main__':
    main()
