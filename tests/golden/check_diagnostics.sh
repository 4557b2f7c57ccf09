#!/usr/bin/env bash
# Golden diagnostics: for every case folder under GOLDEN_DIR that holds an
# expected-diagnostics.txt, run `keel-gen check openapi.yaml` from inside the
# folder and require stderr to match the file byte for byte, and the exit
# status to be 1 when the file lists an error, else 0. Folders without that
# file (code-generation goldens) are not ours and are skipped.
#
# usage: check_diagnostics.sh KEEL_GEN GOLDEN_DIR
# KEEL_GOLDEN_UPDATE=1 rewrites the expected files instead of comparing.
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 KEEL_GEN GOLDEN_DIR" >&2
  exit 2
fi
keel_gen=$(realpath "$1")
golden_dir=$2
update=${KEEL_GOLDEN_UPDATE:-0}

cases=0
failures=0
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT

for case_dir in "$golden_dir"/*/; do
  case_dir=${case_dir%/}
  expected="$case_dir/expected-diagnostics.txt"
  [ -f "$expected" ] || continue
  name=$(basename "$case_dir")
  cases=$((cases + 1))
  (cd "$case_dir" && timeout 60 "$keel_gen" check openapi.yaml >/dev/null 2>"$actual")
  status=$?
  if [ "$update" = 1 ]; then
    cp "$actual" "$expected"
    echo "updated $name"
    continue
  fi
  want_status=0
  if grep -q 'error\[' "$expected"; then want_status=1; fi
  if ! cmp -s "$expected" "$actual"; then
    echo "FAIL $name: diagnostics differ"
    diff -u "$expected" "$actual" | sed 's/^/    /'
    failures=$((failures + 1))
  elif [ "$status" -ne "$want_status" ]; then
    echo "FAIL $name: exit status $status, expected $want_status"
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
done

if [ "$cases" -eq 0 ]; then
  echo "no golden diagnostic cases found in $golden_dir"
  exit 1
fi
echo "$cases cases, $failures failed"
[ "$failures" -eq 0 ]
