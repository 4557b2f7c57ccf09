# shellcheck shell=bash
# Shared by compile_schemas.sh and compile_servers.sh (sourced, not run):
# their options, which corpus documents they take, the compiler flags, the
# precompiled header and the parallel compile. The sourcing script sets
# `tool` (its name, for messages), `pch_headers` (what its generated files
# all include) and `split_bytes` (the default of --split-bytes) first, then
# calls compile_setup "$@".

usage() {
  sed -n '/^# usage:/,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# Parses KEEL_GEN CORPUS_DIR [options] (see either script's header) into
# globals, makes the work folder, builds the precompiled header and fills
# `documents` with the selected documents, relative to the corpus folder
# (which becomes the working directory).
compile_setup() {
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
      *) echo "$tool: unknown argument '$1'" >&2; usage ;;
    esac
  done
  if [ -z "$libkeel" ] && [ -f "$(dirname "$keel_gen")/../runtime/libkeel.a" ]; then
    libkeel=$(realpath "$(dirname "$keel_gen")/../runtime/libkeel.a")
  fi

  if [ ! -f "$corpus/MANIFEST.tsv" ]; then
    echo "$tool: no $corpus/MANIFEST.tsv; skipping"
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

  # shellcheck source=manifest.sh
  . "$script_dir/manifest.sh"
  cd "$corpus" || exit 2
  build_pch
  documents=()
  local doc
  while IFS= read -r doc; do
    [ -n "$doc" ] && selected "$doc" && documents+=("$doc")
  done < <(manifest_documents)
  if [ ${#documents[@]} -eq 0 ]; then
    echo "$tool: no document selected"
    exit 1
  fi
  total_start=$(date +%s%N)
}

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

# Starts a document's row: a fresh "$out/gen" (out: the document's work
# folder), filled by `keel-gen COMMAND DOC` in namespace corpus; sets
# gen_status (its exit status) and gen_seconds.
run_keel_gen() {
  local command=$1 doc=$2 start
  out="$work/$(tr -c 'A-Za-z0-9_.\n-' _ <<<"$doc")"
  rm -rf "$out" && mkdir -p "$out/gen"
  start=$(date +%s%N)
  timeout "$timeout_seconds" "$keel_gen" "$command" "$doc" -o "$out/gen" --namespace corpus \
    >"$out/keel-gen.log" 2>&1
  gen_status=$?
  gen_seconds=$(seconds_since "$start")
}

# How many parts (keel-gen --split/--parts) the biggest of the files given
# asks for: one per started --split-bytes.
parts_for() {
  local biggest
  biggest=$(stat -c %s "$@" | sort -n | tail -n1)
  echo $(((biggest + split_bytes - 1) / split_bytes))
}

# The compiler and flags, for the first line of the output.
compile_flags() {
  if $syntax_only; then
    echo "$cxx ${warnings[*]} -fsyntax-only"
  else
    echo "$cxx ${warnings[*]} $opt"
  fi
}

# Every generated file includes nlohmann/json.hpp and the runtime headers;
# parsing them once into a precompiled header saves most of a small
# document's compile time. -Winvalid-pch (an error here) says if a flag
# mismatch made GCC skip it. GCC only: clang reads its own PCH format
# through other flags.
build_pch() {
  "$cxx" --version 2>/dev/null | grep -q 'Free Software Foundation' || return 0
  local pch_dir="$work/pch" header
  mkdir -p "$pch_dir"
  for header in "${pch_headers[@]}"; do
    echo "#include <$header>"
  done >"$pch_dir/corpus_pch.h"
  local mode=(-c "$opt")
  $syntax_only && mode=(-c)
  if ! "$cxx" "${cxxflags[@]}" "${mode[@]}" -x c++-header "$pch_dir/corpus_pch.h" \
    -o "$pch_dir/corpus_pch.h.gch" 2>"$pch_dir/pch.log"; then
    echo "$tool: the precompiled header does not build:" >&2
    cat "$pch_dir/pch.log" >&2
    exit 1
  fi
  cxxflags+=(-Winvalid-pch -include "$pch_dir/corpus_pch.h")
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

# "FILE: first diagnostic" of the first failed file compile_all printed.
first_compile_error() {
  local failed=$1 dir=$2 first
  first=$(head -n1 <<<"$failed")
  echo "$(basename "$first"): $(grep -m1 -E 'error|warning' "$first.log" | sed "s|$dir/||" | cut -c1-200)"
}

# The closing line; the exit status is the scripts' own.
compile_summary() {
  echo
  echo "${#documents[@]} documents, $1 failed; $(seconds_since "$total_start") s in all" \
    "(load average $(cut -d' ' -f1-3 /proc/loadavg))"
  [ -n "$keep" ] && echo "kept in $work"
  [ "$1" -eq 0 ]
}
