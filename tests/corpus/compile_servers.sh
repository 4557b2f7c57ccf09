#!/usr/bin/env bash
# Generates the whole server (`keel-gen generate`) of every corpus document
# keel-gen accepts, compiles each generated file with the project's warnings
# as errors, links them with libkeel and server_main.cpp (no handlers: every
# operation answers 501) and starts the binary on a loopback port: /healthz
# must answer 200, and one operation callable without query, header or body
# input (server_main.cpp picks it) 501 with the JSON error envelope. Prints a
# table: document, OAS version, operations, component schemas, generated
# lines, keel-gen seconds, compile seconds (all files and the link), result.
#
# usage: compile_servers.sh KEEL_GEN CORPUS_DIR [--libkeel LIBKEEL.a] [--jobs N]
#            [--only NAME]... [--keep DIR] [--oas PREFIX] [--max-bytes N]
#            [--opt -O2 | --syntax-only] [--split-bytes N] [--timeout SECONDS]
#
#   --libkeel     link and start against this libkeel (default: next to KEEL_GEN in a
#                 build tree, build/runtime/libkeel.a); without one, compile only
#   --jobs        parallel compilers (default: nproc)
#   --only        documents whose corpus path contains NAME (repeatable)
#   --keep        keep the generated code, objects and servers in DIR
#   --oas         documents whose `openapi` version starts with PREFIX (e.g. 3.1)
#   --max-bytes   documents of at most N bytes (a multi-file one counts its root)
#   --opt         optimisation for the generated files (default -O2, as users build)
#   --syntax-only parse and instantiate only (-fsyntax-only): no flow-based warnings,
#                 no link, no start; the cheap mode
#   --split-bytes generated C++ per source file when a document's validators, models or
#                 operations are big: keel-gen generate --parts, one part per started N
#                 bytes of the biggest (default 8000000: Stripe's 25.8 MB validators.cpp
#                 gives 4 parts). Not smaller: every models and operations part parses
#                 models.h again, for Stripe 7 minutes and 4.3 GB on its own
#   --timeout     seconds for keel-gen, and for the start and probes of a server
#
# Exit status: 0 when every selected document compiled (and its server
# answered), 1 otherwise, 2 on a usage error, 77 (ctest: skipped) when
# CORPUS_DIR has no MANIFEST.tsv.
set -u

tool=compile_servers
pch_headers=(nlohmann/json.hpp keel/validation.h keel/regex.h keel/formats.h keel/api.h
  keel/body.h keel/error.h keel/form.h keel/model.h keel/params.h keel/param_style.h
  keel/responder.h keel/response_check.h keel/route.h)
split_bytes=8000000
# shellcheck source=compile_common.sh
. "$(dirname "$(realpath "$0")")/compile_common.sh"
compile_setup "$@"

linked=false
[ -n "$libkeel" ] && ! $syntax_only && linked=true
echo "$tool: ${#documents[@]} documents; $(compile_flags); $jobs jobs;" \
  "$($linked && echo "linked and started" || echo "not linked")"
printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' document OAS operations "component schemas" \
  "generated lines (files)" "keel-gen s" "compile s" result
printf '|---|---|---:|---:|---:|---:|---:|---|\n'

# Starts the server in $1 (a folder with `server`), waits for its port, and
# checks /healthz and the probe. Prints what it saw; fails on any mismatch.
start_and_probe() {
  local dir=$1 port= probe= line pid status content_type body
  "$dir/server" >"$dir/server.out" 2>"$dir/server.err" &
  pid=$!
  local deadline=$(($(date +%s) + timeout_seconds))
  while [ -z "$probe" ] && [ "$(date +%s)" -lt "$deadline" ] && kill -0 "$pid" 2>/dev/null; do
    sleep 0.2
    port=$(sed -n 's/^listening //p' "$dir/server.out")
    probe=$(sed -n 's/^probe //p' "$dir/server.out")
  done
  local verdict=
  if [ -z "$probe" ]; then
    verdict="server did not start: $(head -c 200 "$dir/server.err")"
  else
    local curl_args=(-s --max-time 10 -o "$dir/body" -w '%{http_code} %{content_type}')
    status=$(curl "${curl_args[@]}" "http://127.0.0.1:$port/healthz")
    if [ "${status%% *}" != 200 ]; then
      verdict="/healthz answered '$status'"
    elif [ "$probe" = none ]; then
      verdict="healthz 200; no operation callable without input"
    else
      read -r status content_type <<<"$(curl "${curl_args[@]}" -X "${probe%% *}" \
        "http://127.0.0.1:$port${probe#* }")"
      body=$(head -c 300 "$dir/body")
      if [ "$status" = 501 ] && [[ "$content_type" == application/json* ]] &&
        grep -q '"code":"not_implemented"' <<<"$body"; then
        verdict="healthz 200; $probe 501"
      else
        verdict="$probe answered $status $content_type: ${body:0:120}"
      fi
    fi
  fi
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  echo "$verdict"
  [[ "$verdict" == "healthz 200;"* ]]
}

failures=0
for doc in "${documents[@]}"; do
  result=ok
  detail=
  # keel-gen once with one file each; again split when one of them is big.
  run_keel_gen generate "$doc"
  operations=0 components=0 lines=0 files=0
  if [ $gen_status -ne 0 ]; then
    result="keel-gen exit $gen_status"
    detail=$(grep -m1 'error' "$out/keel-gen.log" | cut -c1-160)
  else
    split=$(parts_for "$out"/gen/{validators,models,operations}.cpp)
    if [ "$split" -gt 1 ]; then
      rm -f "$out"/gen/{validators,models,operations}.cpp
      "$keel_gen" generate "$doc" -o "$out/gen" --namespace corpus --parts "$split" \
        >>"$out/keel-gen.log" 2>&1 || result="keel-gen --parts $split failed"
    fi
    operations=$(grep -c '^  virtual .*(keel::Context& context, ' "$out/gen/api.h")
    components=$(grep -c '^/// .*(#/components/schemas/' "$out/gen/validators.h")
    lines=$(cat "$out"/gen/*.h "$out"/gen/*.cpp | wc -l)
    files=$(find "$out/gen" -name '*.cpp' | wc -l)
  fi

  compile_seconds=-
  if [ "$result" = ok ]; then
    $syntax_only || cp "$script_dir/server_main.cpp" "$out/gen/server_main.cpp"
    start=$(date +%s%N)
    mapfile -t sources < <(find "$out/gen" -name '*.cpp' | sort)
    failed=$(compile_all "$out/gen" "${sources[@]}")
    if [ -n "$failed" ]; then
      result="compile FAILED"
      detail=$(first_compile_error "$failed" "$out/gen")
    elif $linked &&
      ! "$cxx" -o "$out/server" "$out"/gen/*.cpp.o "$libkeel" "${link_libs[@]}" >"$out/link.log" 2>&1; then
      result="link FAILED"
      detail=$(grep -m1 -E 'error|undefined' "$out/link.log" | cut -c1-200)
    fi
    compile_seconds=$(seconds_since "$start")
  fi

  if [ "$result" = ok ] && $linked; then
    if ! detail=$(start_and_probe "$out"); then
      result="start FAILED"
    fi
  fi

  [ "$result" = ok ] || failures=$((failures + 1))
  [ -n "$detail" ] && result="$result: ${detail//|/\\|}"
  printf '| %s | %s | %s | %s | %s (%s) | %s | %s | %s |\n' "$doc" "$(oas_version "$doc")" \
    "$operations" "$components" "$lines" "$files" "$gen_seconds" "$compile_seconds" "$result"
done

compile_summary "$failures"
