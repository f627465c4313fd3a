"""What every holdout builder shares: reading a file from a fetched mirror's HEAD, and where a
set's generated files go. Mirrors come from the `fetch github:OWNER/NAME` tool, which puts a
bare git directory under /work/.mirror/OWNER+NAME/repo."""
import os, pathlib, subprocess

MIRRORS = pathlib.Path('/work/.mirror')


def out_dir(set_name):
    """$GONOGO_REAL_CHECKLISTS/<set>/files (default /work/realck/<set>/files)."""
    return pathlib.Path(os.environ.get('GONOGO_REAL_CHECKLISTS', '/work/realck')) / set_name / 'files'


def show(repo, path):
    """The file at `path` in the mirror `repo` (OWNER+NAME) at HEAD."""
    return subprocess.run(['git', f'--git-dir={MIRRORS / repo}/repo', 'show', f'HEAD:{path}'],
                          capture_output=True, text=True, check=True).stdout


def strip_front_matter(text):
    """Drop a leading `---` … `---` YAML block."""
    if text.startswith('---\n'):
        end = text.find('\n---\n', 4)
        if end != -1:
            return text[end + 5:]
    return text
