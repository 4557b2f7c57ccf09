#!/usr/bin/env bash
# Installs what is needed, builds everything with warnings as errors, and
# runs every test: unit, golden, corpus, end-to-end, generated-code
# staleness and the spec lint. The checked-in generated/ is compiled as it
# is (KEEL_REGENERATE=OFF), so a stale generated/ fails its test here.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test
build=${KEEL_TEST_BUILD_DIR:-build-test}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKEEL_WERROR=ON -DKEEL_REGENERATE=OFF \
      -DKEEL_SHARED_DIR="${KEEL_SHARED_DIR:-$PWD/../shared}" >/dev/null
cmake --build "$build" --parallel "$(nproc)"
ctest --test-dir "$build" --output-on-failure --parallel "$(nproc)" --timeout 900
