#!/usr/bin/env bash
# Compiles the validators `keel-gen schema` writes for the component schemas
# of every corpus document keel-gen accepts, with the project's warnings as
# errors, then links them into schema_runner.cpp and runs it: every
# validate_* on trivial instances, and every recursive component on an
# instance nested past the depth limit (paths from deep_witness.py, when
# python3 is there). Prints a table: document, OAS version, component
# schemas, generated lines, keel-gen seconds, compile seconds, result.
#
# usage: compile_schemas.sh KEEL_GEN CORPUS_DIR [--libkeel LIBKEEL.a] [--jobs N]
#            [--only NAME]... [--keep DIR] [--oas PREFIX] [--max-bytes N]
#            [--opt -O2 | --syntax-only] [--split-bytes N] [--timeout SECONDS]
#
#   --libkeel     link and run against this libkeel (default: next to KEEL_GEN in a
#                 build tree, build/runtime/libkeel.a); without one, compile only
#   --jobs        parallel compilers (default: nproc)
#   --only        documents whose corpus path contains NAME (repeatable)
#   --keep        keep the generated code, objects and runners in DIR
#   --oas         documents whose `openapi` version starts with PREFIX (e.g. 3.1)
#   --max-bytes   documents of at most N bytes (a multi-file one counts its root)
#   --opt         optimisation for the generated files (default -O2: -Wmaybe-uninitialized
#                 and the flow-based warnings need the optimisers, and users build with it)
#   --syntax-only parse and instantiate only (-fsyntax-only): no flow-based warnings,
#                 no link, no run; the cheap mode
#   --split-bytes generated C++ per source file when a document's validators are big
#                 (default 1000000: Stripe's 7.5 MB gives 8 files, compiled in parallel)
#
# Exit status: 0 when every selected document compiled (and ran), 1 otherwise,
# 2 on a usage error, 77 (ctest: skipped) when CORPUS_DIR has no MANIFEST.tsv.
set -u

usage() {
  sed -n '/^# usage:/,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
[ $# -ge 2 ] || usage
keel_gen=$(realpath "$1")
corpus=$(realpath "$2")
shift 2
script_dir=$(dirname "$(realpath "$0")")
source_dir=$(dirname "$(dirname "$script_dir")")
libkeel=
jobs=$(nproc)
only=()
keep=
oas_prefix=
max_bytes=
opt=-O2
syntax_only=false
split_bytes=1000000
timeout_seconds=1800
while [ $# -gt 0 ]; do
  case "$1" in
    --libkeel) libkeel=$(realpath "$2"); shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --only) only+=("$2"); shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --oas) oas_prefix=$2; shift 2 ;;
    --max-bytes) max_bytes=$2; shift 2 ;;
    --opt) opt=$2; shift 2 ;;
    --syntax-only) syntax_only=true; shift ;;
    --split-bytes) split_bytes=$2; shift 2 ;;
    --timeout) timeout_seconds=$2; shift 2 ;;
    *) echo "compile_schemas: unknown argument '$1'" >&2; usage ;;
  esac
done
if [ -z "$libkeel" ] && [ -f "$(dirname "$keel_gen")/../runtime/libkeel.a" ]; then
  libkeel=$(realpath "$(dirname "$keel_gen")/../runtime/libkeel.a")
fi

if [ ! -f "$corpus/MANIFEST.tsv" ]; then
  echo "compile_schemas: no $corpus/MANIFEST.tsv; skipping"
  exit 77
fi

cxx=${CXX:-g++}
# KEEL_WARNINGS of the top CMakeLists.txt, always as errors.
warnings=(-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror)
# -g0: debug info would double the time and says nothing about warnings.
cxxflags=(-std=c++20 "${warnings[@]}" -g0 -I"$source_dir/runtime/include")
link_libs=()
if [ -n "$libkeel" ] && ! $syntax_only; then
  # libkeel's regex.cpp needs PCRE2; the rest of its link line comes from pkg-config.
  read -r -a link_libs <<<"$(pkg-config --libs libpcre2-8 libpistache 2>/dev/null) -pthread"
fi

if [ -n "$keep" ]; then
  mkdir -p "$keep" && work=$(realpath "$keep")
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
have_witnesses=false
if command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null; then
  have_witnesses=true
fi

# shellcheck source=manifest.sh
. "$script_dir/manifest.sh"
cd "$corpus" || exit 2

oas_version() {
  grep -m1 -oE '^[[:space:]]*"?openapi"?[[:space:]]*:[[:space:]]*["'\'']?[0-9][0-9.]*' "$1" |
    grep -oE '[0-9][0-9.]*$'
}

selected() {
  local doc=$1 pattern
  if [ "$(expected_outcome "$doc" "$script_dir/expected-rejections.txt")" != accepted ]; then
    return 1
  fi
  if [ ${#only[@]} -gt 0 ]; then
    local hit=false
    for pattern in "${only[@]}"; do
      [[ "$doc" == *"$pattern"* ]] && hit=true
    done
    $hit || return 1
  fi
  if [ -n "$oas_prefix" ] && [[ "$(oas_version "$doc")" != "$oas_prefix"* ]]; then
    return 1
  fi
  if [ -n "$max_bytes" ] && [ "$(stat -c %s "$doc")" -gt "$max_bytes" ]; then
    return 1
  fi
  return 0
}

seconds_since() {
  local millis=$((($(date +%s%N) - $1) / 1000000))
  printf '%d.%01d' $((millis / 1000)) $((millis % 1000 / 100))
}

# Compiles the .cpp files given (in $dir) in parallel into FILE.o, and prints
# the ones that fail; each leaves its compiler output in FILE.log.
compile_all() {
  local dir=$1
  shift
  local mode=(-c "$opt")
  $syntax_only && mode=(-fsyntax-only)
  # shellcheck disable=SC2016
  printf '%s\0' "$@" | xargs -0 -P "$jobs" -I{} bash -c \
    'src=$1; shift; "$@" "$src" -o "$src.o" >"$src.log" 2>&1 || echo "$src"' \
    _ {} "$cxx" "${cxxflags[@]}" "${mode[@]}" -I"$dir"
}

# Every file includes nlohmann/json.hpp and the runtime headers; parsing them
# once into a precompiled header saves most of a small document's compile
# time. -Winvalid-pch (an error here) says if a flag mismatch made GCC skip it.
# GCC only: clang reads its own PCH format through other flags.
use_pch=false
"$cxx" --version 2>/dev/null | grep -q 'Free Software Foundation' && use_pch=true
pch_dir="$work/pch"
mkdir -p "$pch_dir"
printf '#include <nlohmann/json.hpp>\n#include <keel/validation.h>\n#include <keel/regex.h>\n#include <keel/formats.h>\n' \
  >"$pch_dir/corpus_pch.h"
pch_mode=(-c "$opt")
$syntax_only && pch_mode=(-c)
if $use_pch && ! "$cxx" "${cxxflags[@]}" "${pch_mode[@]}" -x c++-header "$pch_dir/corpus_pch.h" \
  -o "$pch_dir/corpus_pch.h.gch" 2>"$pch_dir/pch.log"; then
  echo "compile_schemas: the precompiled header does not build:" >&2
  cat "$pch_dir/pch.log" >&2
  exit 1
fi
$use_pch && cxxflags+=(-Winvalid-pch -include "$pch_dir/corpus_pch.h")

documents=()
while IFS= read -r doc; do
  [ -n "$doc" ] && selected "$doc" && documents+=("$doc")
done < <(manifest_documents)
if [ ${#documents[@]} -eq 0 ]; then
  echo "compile_schemas: no document selected"
  exit 1
fi

flags="$cxx ${warnings[*]} $opt"
$syntax_only && flags="$cxx ${warnings[*]} -fsyntax-only"
echo "compile_schemas: ${#documents[@]} documents; $flags; $jobs jobs;" \
  "$( [ -n "$libkeel" ] && ! $syntax_only && echo "linked and run" || echo "not linked")"
printf '| %s | %s | %s | %s | %s | %s | %s |\n' document OAS "component schemas" \
  "generated lines (files)" "keel-gen s" "compile s" result
printf '|---|---|---:|---:|---:|---:|---|\n'
failures=0
total_start=$(date +%s%N)
for doc in "${documents[@]}"; do
  id=$(tr -c 'A-Za-z0-9_.\n-' _ <<<"$doc")
  out="$work/$id"
  rm -rf "$out" && mkdir -p "$out/gen"
  result=ok
  detail=

  # keel-gen once as one file; again split when that file is big.
  start=$(date +%s%N)
  timeout "$timeout_seconds" "$keel_gen" schema "$doc" -o "$out/gen" --namespace corpus \
    >"$out/keel-gen.log" 2>&1
  status=$?
  gen_seconds=$(seconds_since "$start")
  components=0 lines=0 files=0
  if [ $status -ne 0 ]; then
    result="keel-gen exit $status"
    detail=$(grep -m1 'error\[' "$out/keel-gen.log" | cut -c1-160)
  else
    header=$(ls "$out"/gen/*_validator.h)
    stem=$(basename "$header" .h)
    bytes=$(stat -c %s "$out/gen/$stem.cpp")
    split=$(((bytes + split_bytes - 1) / split_bytes))
    if [ "$split" -gt 1 ]; then
      rm -f "$out/gen/$stem.cpp"
      "$keel_gen" schema "$doc" -o "$out/gen" --namespace corpus --split "$split" \
        >>"$out/keel-gen.log" 2>&1 || result="keel-gen --split $split failed"
    fi
    components=$(grep -c '^/// ' "$header")
    lines=$(cat "$out"/gen/*.h "$out"/gen/*.cpp | wc -l)
    files=$(find "$out/gen" -name '*.cpp' | wc -l)
  fi

  compile_seconds=-
  if [ "$result" = ok ]; then
    # The runner's two generated inputs: the header, and one entry per validator.
    echo "#include \"$stem.h\"" >"$out/gen/runner_validators.h"
    awk '/^\/\/\/ / { where = $0; sub(/^\/\/\/ .* \(/, "", where); sub(/\)$/, "", where);
                      gsub(/\\/, "\\\\", where); gsub(/"/, "\\\"", where); next }
         /^bool validate_.*const nlohmann::json& instance,$/ {
           fn = $2; sub(/\(.*/, "", fn); print "KEEL_ENTRY(" fn ", \"" where "\")" }' \
      "$header" >"$out/gen/runner_entries.inc"
    # Only a run needs the runner: in syntax-only mode it would add a second
    # file per document and check nothing the validator files do not.
    $syntax_only || cp "$script_dir/schema_runner.cpp" "$out/gen/schema_runner.cpp"
    start=$(date +%s%N)
    mapfile -t sources < <(find "$out/gen" -name '*.cpp' | sort)
    failed=$(compile_all "$out/gen" "${sources[@]}")
    compile_seconds=$(seconds_since "$start")
    if [ -n "$failed" ]; then
      result="compile FAILED"
      first=$(head -n1 <<<"$failed")
      detail="$(basename "$first"): $(grep -m1 -E 'error|warning' "$first.log" | sed "s|$out/gen/||" | cut -c1-200)"
    fi
  fi

  if [ "$result" = ok ] && [ -n "$libkeel" ] && ! $syntax_only; then
    objects=("$out"/gen/*.cpp.o)
    if ! "$cxx" -o "$out/runner" "${objects[@]}" "$libkeel" "${link_libs[@]}" >"$out/link.log" 2>&1; then
      result="link FAILED"
      detail=$(grep -m1 -E 'error|undefined' "$out/link.log" | cut -c1-200)
    else
      witness_args=()
      if $have_witnesses && python3 "$script_dir/deep_witness.py" "$doc" >"$out/witnesses.json" 2>"$out/witness.log"; then
        witness_args=("$out/witnesses.json")
      fi
      # An 8 MB stack, as a default Linux main thread has: a recursion the
      # depth limit failed to stop would crash here.
      if run=$(ulimit -s 8192 && timeout "$timeout_seconds" "$out/runner" "${witness_args[@]}" 2>"$out/run.log"); then
        detail=$run
      else
        status=$?
        result="run FAILED (exit $status)"
        detail="$run $(head -c 200 "$out/run.log")"
      fi
    fi
  fi

  [ "$result" = ok ] || failures=$((failures + 1))
  [ -n "$detail" ] && result="$result: ${detail//|/\\|}"
  printf '| %s | %s | %s | %s (%s) | %s | %s | %s |\n' "$doc" "$(oas_version "$doc")" "$components" \
    "$lines" "$files" "$gen_seconds" "$compile_seconds" "$result"
done

echo
echo "${#documents[@]} documents, $failures failed; $(seconds_since "$total_start") s in all" \
  "(load average $(cut -d' ' -f1-3 /proc/loadavg))"
[ -n "$keep" ] && echo "kept in $work"
[ "$failures" -eq 0 ]
