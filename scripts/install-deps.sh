#!/usr/bin/env bash
# Installs everything Keel needs on a fresh Debian 12 machine: the build's
# Debian packages and, with --test, the npm test tools. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config git
          libpistache-dev libyaml-cpp-dev nlohmann-json3-dev libsqlite3-dev sqlite3
          libssl-dev libpcre2-dev)
test_packages=(libgtest-dev libgmock-dev wrk nodejs npm curl)

want=("${packages[@]}")
[[ "${1:-}" == "--test" ]] && want+=("${test_packages[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node and npm may come from outside apt on some images; don't fight them.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"
if ((${#missing[@]})); then
  sudo_cmd=(); [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ "${1:-}" == "--test" && -f tests/tools/package.json ]]; then
  (cd tests/tools && npm ci --no-audit --no-fund --loglevel=error)
fi
