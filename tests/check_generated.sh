#!/usr/bin/env bash
# Regenerates SPEC into a temporary folder and compares it with the
# checked-in copy; fails with the diff when the copy is stale.
# Usage: check_generated.sh KEEL_GEN SPEC NAMESPACE CHECKED_IN_DIR
set -euo pipefail
keel_gen=$1 spec=$2 namespace=$3 checked_in=$4
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$keel_gen" generate "$spec" -o "$fresh" --namespace "$namespace"
if ! diff -ru "$checked_in" "$fresh"; then
  echo "STALE: $checked_in differs from keel-gen's output for $spec (diff above)." >&2
  echo "Regenerate: keel-gen generate $spec -o $checked_in --namespace $namespace" >&2
  exit 1
fi
echo "up to date: $checked_in"
