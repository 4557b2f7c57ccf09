#!/usr/bin/env bash
# keel-gen schema: exit codes, diagnostics and files (the build compiles and
# runs the real output separately: keel_gen_schema_example).
set -u
gen=$1 suite=$2 here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "FAILED: $*"; exit 1; }
map=(--map-uri http://localhost:1234/="$suite/remotes/" --map-uri https://shop.example/="$here/")

"$gen" schema "$here/order.json" -o "$out/a" --namespace shop "${map[@]}" || fail "generation"
[ -f "$out/a/order_validator.h" ] && [ -f "$out/a/order_validator.cpp" ] || fail "files"
"$gen" schema "$here/order.json" -o "$out/b" --namespace shop "${map[@]}" || fail "second generation"
cmp -s "$out/a/order_validator.cpp" "$out/b/order_validator.cpp" || fail "output is not deterministic"

"$gen" schema "$here/order.json" -o "$out/c" --name Order --split 3 "${map[@]}" || fail "split"
[ "$(ls "$out/c" | grep -c '^order_validator_[0-2]\.cpp$')" = 3 ] || fail "split files"

"$gen" schema "$here/order.json" -o "$out/d" 2> "$out/err"
[ $? = 1 ] || fail "an unmapped remote ref must exit 1"
grep -q "order.json:7:20: error\[E-SCHEMA-REF-UNRESOLVED\]: .*http://localhost:1234/draft2020-12/integer.json.*(at /properties/id/\$ref)" "$out/err" ||
  fail "diagnostic: $(cat "$out/err")"

"$gen" schema "$here/order.json" 2> /dev/null
[ $? = 2 ] || fail "missing -o must be a usage error"
"$gen" schema "$here/order.json" -o "$out/e" --map-uri nonsense 2> /dev/null
[ $? = 2 ] || fail "a malformed --map-uri must be a usage error"
echo "keel-gen schema: ok"
