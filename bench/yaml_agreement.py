#!/usr/bin/env python3
"""Compare gonogo's YAML reader with PyYAML on every YAML file of real repositories.

usage: python3 bench/yaml_agreement.py REPO_DIR [REPO_DIR ...]

Builds nothing: run `cargo build --release -p gonogo-checks --example yaml_parse` first.
Helm templates (files holding `{{`) are not YAML until rendered and are left out. Prints the
files one reader accepts and the other refuses, then a count per repository; exits 1 when
gonogo refuses a file PyYAML accepts (the disagreement that turns a valid file into an error).
"""
import os, pathlib, subprocess, sys
import yaml

BIN = pathlib.Path(__file__).resolve().parent.parent / 'target/release/examples/yaml_parse'


class AnyTagLoader(yaml.SafeLoader):
    """SafeLoader that accepts application tags (!Ref, !reference, ...) as plain nodes."""


AnyTagLoader.add_multi_constructor('', lambda loader, suffix, node: None)


def pyyaml_ok(path):
    try:
        with open(path, encoding='utf-8') as f:
            list(yaml.load_all(f, Loader=AnyTagLoader))
        return True, ''
    except Exception as e:  # any refusal counts
        return False, str(e).splitlines()[0]


def main():
    refused_valid = 0
    for repo in sys.argv[1:]:
        files = []
        for root, dirs, names in os.walk(repo):
            dirs[:] = [d for d in dirs if d not in ('.git', 'node_modules', 'vendor')]
            for n in names:
                p = os.path.join(root, n)
                if n.endswith(('.yml', '.yaml')) and os.path.isfile(p) and not os.path.islink(p):
                    try:
                        if '{{' in open(p, encoding='utf-8').read():
                            continue
                    except (UnicodeDecodeError, OSError):
                        continue
                    files.append(p)
        out = subprocess.run([str(BIN)], input='\n'.join(files), capture_output=True,
                             text=True, check=True).stdout
        ours = {}
        for line in out.splitlines():
            parts = line.split('\t')
            ours[parts[1]] = (parts[0] == 'ok', parts[2] if len(parts) > 2 else '')
        both_ok = both_err = 0
        for p in files:
            g_ok, g_why = ours[p]
            y_ok, y_why = pyyaml_ok(p)
            if g_ok and y_ok:
                both_ok += 1
            elif not g_ok and not y_ok:
                both_err += 1
            elif y_ok:
                refused_valid += 1
                print(f'gonogo refuses, PyYAML accepts: {p}: {g_why}')
            else:
                print(f'gonogo accepts, PyYAML refuses: {p}: {y_why}')
        print(f'{repo}: {len(files)} YAML files, {both_ok} accepted by both, {both_err} refused by both')
    sys.exit(1 if refused_valid else 0)


main()
