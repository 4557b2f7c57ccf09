#!/usr/bin/env bash
# Changing the part count must not leave old part files behind, and must
# never remove a file keel-gen did not write.
# Usage: check_stale_parts.sh KEEL_GEN SPEC
set -euo pipefail
keel_gen=$1 spec=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*" >&2; ls "$out" >&2; exit 1; }

"$keel_gen" generate "$spec" -o "$out" --namespace stale --parts 3
[[ -f $out/validators_2.cpp && -f $out/models_2.cpp && -f $out/operations_2.cpp ]] || fail "--parts 3 did not write three parts"
echo '// a file of the user, named like a part' > "$out/models_7.cpp"
cp "$out/operations_2.cpp" "$out/operations_5.cpp"  # keel-gen's, from some older run

"$keel_gen" generate "$spec" -o "$out" --namespace stale --parts 2
for stale in validators_2.cpp models_2.cpp operations_2.cpp operations_5.cpp; do
  [[ ! -e $out/$stale ]] || fail "--parts 2 left $stale"
done
[[ -f $out/models_7.cpp ]] || fail "a file keel-gen did not write was removed"
[[ -f $out/validators_1.cpp && ! -e $out/validators.cpp ]] || fail "--parts 2 did not write parts 0-1 only"

"$keel_gen" generate "$spec" -o "$out" --namespace stale
for stale in validators_0.cpp validators_1.cpp models_0.cpp operations_1.cpp; do
  [[ ! -e $out/$stale ]] || fail "one part left $stale"
done
[[ -f $out/validators.cpp && -f $out/models.cpp && -f $out/operations.cpp ]] || fail "one part did not write <stem>.cpp"
[[ -f $out/models_7.cpp ]] || fail "a file keel-gen did not write was removed"

"$keel_gen" generate "$spec" -o "$out" --namespace stale --parts 2
[[ ! -e $out/validators.cpp && ! -e $out/models.cpp && ! -e $out/operations.cpp ]] || fail "--parts 2 left the one-part files"

# `keel-gen schema --split` shares the rule.
"$keel_gen" schema "$spec" -o "$out/schema" --name api --split 3
"$keel_gen" schema "$spec" -o "$out/schema" --name api
[[ -f $out/schema/api_validator.cpp && ! -e $out/schema/api_validator_0.cpp && ! -e $out/schema/api_validator_2.cpp ]] ||
  fail "schema --split 3 then no split left parts behind"
echo "stale parts removed; other files kept"
