#!/usr/bin/env bash
# Installs what is needed, builds, and serves the reference API on
# 127.0.0.1:8080 with its SQLite data in ./data. Extra arguments go to
# `keel-server serve` (e.g. --port 0).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DKEEL_BUILD_TESTS=OFF >/dev/null
cmake --build build --parallel "$(nproc)" --target keel-server
mkdir -p data
exec ./build/server/keel-server serve --port 8080 --data-dir ./data "$@"
