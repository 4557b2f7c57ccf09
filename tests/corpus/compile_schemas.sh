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

tool=compile_schemas
pch_headers=(nlohmann/json.hpp keel/validation.h keel/regex.h keel/formats.h)
split_bytes=1000000
# shellcheck source=compile_common.sh
. "$(dirname "$(realpath "$0")")/compile_common.sh"
compile_setup "$@"

have_witnesses=false
if command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null; then
  have_witnesses=true
fi

echo "compile_schemas: ${#documents[@]} documents; $(compile_flags); $jobs jobs;" \
  "$( [ -n "$libkeel" ] && ! $syntax_only && echo "linked and run" || echo "not linked")"
printf '| %s | %s | %s | %s | %s | %s | %s |\n' document OAS "component schemas" \
  "generated lines (files)" "keel-gen s" "compile s" result
printf '|---|---|---:|---:|---:|---:|---|\n'
failures=0
for doc in "${documents[@]}"; do
  result=ok
  detail=

  # keel-gen once as one file; again split when that file is big.
  run_keel_gen schema "$doc"
  components=0 lines=0 files=0
  if [ $gen_status -ne 0 ]; then
    result="keel-gen exit $gen_status"
    detail=$(grep -m1 'error\[' "$out/keel-gen.log" | cut -c1-160)
  else
    header=$(ls "$out"/gen/*_validator.h)
    stem=$(basename "$header" .h)
    split=$(parts_for "$out/gen/$stem.cpp")
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
      detail=$(first_compile_error "$failed" "$out/gen")
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

compile_summary "$failures"
