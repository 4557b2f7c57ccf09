#!/usr/bin/env bash
# Part of the regeneration-safety promise: a spec change to an operation
# turns the handler written for the old shape into a compile error that
# names the operation. Usage:
#   check_stale_handler.sh KEEL_GEN CXX SOURCE_DIR
set -euo pipefail
keel_gen=$1 cxx=$2 src=$3
case_dir=$src/tests/golden/models
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
compile() {  # compile stale_handler.cpp against the generated code in $1
  "$cxx" -std=c++20 -fsyntax-only -I"$1" -I"$src/runtime/include" "$src/tests/golden/stale_handler.cpp" \
    >"$work/log" 2>&1
}
if ! compile "$case_dir/expected"; then
  cat "$work/log" >&2
  echo "FAIL: the handler does not compile against the current generated code" >&2
  exit 1
fi
# The same spec with putWidget's `tags` query parameter removed.
mkdir "$work/spec"
sed '/- name: tags/,+2d' "$case_dir/openapi.yaml" >"$work/spec/openapi.yaml"
if cmp -s "$case_dir/openapi.yaml" "$work/spec/openapi.yaml"; then
  echo "FAIL: the spec edit did not apply" >&2
  exit 1
fi
"$keel_gen" generate "$work/spec/openapi.yaml" -o "$work/out" --namespace golden_models
if compile "$work/out"; then
  echo "FAIL: the stale handler still compiles after putWidget changed" >&2
  exit 1
fi
if ! grep -q "operation putWidget (PUT /widgets/{id}) changed in the spec" "$work/log"; then
  cat "$work/log" >&2
  echo "FAIL: the compile error does not name the operation" >&2
  exit 1
fi
grep -m1 "changed in the spec" "$work/log"
echo "ok: a stale putWidget handler is a compile error naming the operation"
