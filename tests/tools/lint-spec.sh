#!/usr/bin/env bash
# Lints spec/openapi.yaml with @redocly/cli (recommended ruleset, see
# redocly.yaml at the repository root). Exits non-zero on any lint error.
#
# Usage: bash tests/tools/lint-spec.sh [SPEC]   (default: spec/openapi.yaml)
# Needs: cd tests/tools && npm install   (node >= 20.19)
set -euo pipefail

tools_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${tools_dir}/../.." && pwd)"
spec="${1:-${repo_root}/spec/openapi.yaml}"
redocly="${tools_dir}/node_modules/.bin/redocly"

if [[ ! -x "${redocly}" ]]; then
  echo "lint-spec: ${redocly} not found; run: (cd tests/tools && npm install)" >&2
  exit 2
fi
if [[ ! -f "${spec}" ]]; then
  echo "lint-spec: spec not found: ${spec}" >&2
  exit 2
fi

# No telemetry or update checks: the build has no internet access.
export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true

cd "${repo_root}"
exec "${redocly}" lint --config "${repo_root}/redocly.yaml" "${spec}"
