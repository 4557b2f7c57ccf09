#!/usr/bin/env bash
# Runs `keel-gen check` over every document MANIFEST.tsv lists and prints a
# table (document, result, seconds, first diagnostic). Fails when keel-gen
# crashes or times out (any exit status but 0 or 1), when an
# oai-spec-tests-3.1/fail document is accepted, when a .../pass document is
# rejected, or when a real-world document is rejected without being listed
# in expected-rejections.txt next to this script.
#
# usage: corpus_check.sh KEEL_GEN CORPUS_DIR [TIMEOUT_SECONDS]
# Exit 77 (ctest: skipped) when CORPUS_DIR has no MANIFEST.tsv.
set -u

if [ $# -lt 2 ]; then
  echo "usage: $0 KEEL_GEN CORPUS_DIR [TIMEOUT_SECONDS]" >&2
  exit 2
fi
keel_gen=$(realpath "$1")
corpus=$2
per_doc_timeout=${3:-120}
manifest="$corpus/MANIFEST.tsv"
script_dir=$(dirname "$(realpath "$0")")
known_rejections="$script_dir/expected-rejections.txt"

if [ ! -f "$manifest" ]; then
  echo "corpus_check: no $manifest; skipping"
  exit 77
fi
cd "$corpus" || exit 2

# shellcheck source=manifest.sh
. "$script_dir/manifest.sh"

documents=()
while IFS= read -r doc; do
  [ -n "$doc" ] && documents+=("$doc")
done < <(manifest_documents)

if [ ${#documents[@]} -eq 0 ]; then
  echo "corpus_check: the manifest lists no documents"
  exit 1
fi

stderr_file=$(mktemp)
trap 'rm -f "$stderr_file"' EXIT
failures=0
accepted=0
rejected=0
slowest_time=0
slowest_doc=

printf '| %s | %s | %s | %s | %s | %s |\n' "document" "result" "seconds" "errors" "warnings" \
  "first diagnostic (line:col)"
printf '|---|---|---:|---:|---:|---|\n'
for doc in "${documents[@]}"; do
  start=$(date +%s%N)
  timeout "$per_doc_timeout" "$keel_gen" check "$doc" >/dev/null 2>"$stderr_file"
  status=$?
  end=$(date +%s%N)
  millis=$(((end - start) / 1000000))
  seconds=$(printf '%d.%02d' $((millis / 1000)) $((millis % 1000 / 10)))
  if [ "$millis" -gt "$slowest_time" ]; then
    slowest_time=$millis
    slowest_doc=$doc
  fi
  errors=$(grep -c 'error\[' "$stderr_file")
  warnings=$(grep -c 'warning\[' "$stderr_file")
  # A rejected document shows its first error, an accepted one its first warning.
  if [ "$status" -eq 1 ] && [ "$errors" -gt 0 ]; then
    first=$(grep -m1 'error\[' "$stderr_file")
  else
    first=$(head -n1 "$stderr_file")
  fi
  first=${first#"$doc:"}
  first=$(cut -c1-150 <<<"$first" | sed 's/|/\\|/g')
  [ -z "$first" ] && first="-"
  case $status in
    0) result=accepted; accepted=$((accepted + 1)) ;;
    1) result=rejected; rejected=$((rejected + 1)) ;;
    124) result="TIMEOUT" ;;
    *) result="CRASH (exit $status)" ;;
  esac
  want=$(expected_outcome "$doc" "$known_rejections")
  note=
  if [ "$result" != "$want" ]; then
    failures=$((failures + 1))
    note=" **(expected $want)**"
  fi
  printf '| %s | %s%s | %s | %s | %s | %s |\n' "$doc" "$result" "$note" "$seconds" "$errors" \
    "$warnings" "$first"
done

echo
echo "${#documents[@]} documents: $accepted accepted, $rejected rejected, $failures unexpected;" \
  "slowest $slowest_doc ($((slowest_time / 1000)).$(printf '%03d' $((slowest_time % 1000))) s)"
[ "$failures" -eq 0 ]
