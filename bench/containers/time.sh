#!/bin/bash
# Wall time and peak memory of gonogo's Dockerfile checks, Checkov and hadolint on one tree.
# usage: bench/containers/time.sh CORPUS_DIR  (gonogo, checkov, hadolint on PATH or in $GONOGO,
# $CHECKOV, $HADOLINT). Three runs of each; prints wall time (m:ss) and max RSS (KiB).
set -u
here=$(cd "$(dirname "$0")" && pwd)
corpus=$(cd "$1" && pwd)
G=${GONOGO:-gonogo}
C=${CHECKOV:-checkov}
H=${HADOLINT:-hadolint}
tmp=$(mktemp)
run() {
  local name=$1; shift
  for i in 1 2 3; do
    /usr/bin/time -v "$@" > /dev/null 2> "$tmp"
    echo "$name run$i wall=$(grep 'Elapsed (wall' "$tmp" | awk '{print $NF}') maxrss_kib=$(grep 'Maximum resident' "$tmp" | awk '{print $NF}')"
  done
}
# The same files for hadolint that gonogo finds by name.
mapfile -t files < <(cd "$corpus" && find . -type f \( -iname Dockerfile -o -iname 'Dockerfile.*' \
  -o -iname '*.Dockerfile' -o -iname Containerfile \) | sed 's#^\./##' | sort)
run gonogo "$G" check "$here/dockerfile-checks.md" --repo "$corpus" --format json
run checkov "$C" -d "$corpus" --framework dockerfile --quiet -o json
cd "$corpus" && run hadolint "$H" --no-fail -f json --warning DL3057 "${files[@]}"
rm -f "$tmp"
