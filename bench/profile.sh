#!/usr/bin/env bash
# Where one server spends its time on one endpoint: perf record (call graphs)
# of the server process while wrk drives it, then the top symbols. By hand
# only; needs perf (linux-perf) and the binaries from bench/run.sh.
#
#   bench/profile.sh keel get          # variants: keel keel-nolog bare; endpoints: get post
#   DURATION=8 bench/profile.sh bare post
#
# Prints `perf report` sorted by self time (flat) and the perf.data path.
# The throughput measured under perf is lower than without it; use run.sh
# for numbers and this script only for proportions.
set -euo pipefail

VARIANT=${1:?usage: bench/profile.sh keel|keel-nolog|bare get|post}
ENDPOINT=${2:?usage: bench/profile.sh keel|keel-nolog|bare get|post}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=$(realpath -m "${BUILD_DIR:-$ROOT/build-bench}")
DURATION=${DURATION:-6}
PORT=${PORT:-18480}
OUT_DIR=$(mktemp -d /tmp/keel-profile.XXXXXX)
DATA=$(mktemp -d /tmp/keel-profile-data.XXXXXX)
cd "$OUT_DIR"
command -v perf >/dev/null || { echo "perf not found" >&2; exit 1; }

case $VARIANT in
  keel) cmd=("$BUILD_DIR/server/keel-server" serve --port "$PORT" --data-dir "$DATA") ;;
  keel-nolog) cmd=("$BUILD_DIR/server/keel-server" serve --port "$PORT" --data-dir "$DATA" --access-log false) ;;
  bare) cmd=("$BUILD_DIR/bench/bare-pistache-server" --port "$PORT" --data-dir "$DATA") ;;
  *) echo "unknown variant $VARIANT" >&2; exit 2 ;;
esac
"${cmd[@]}" >/dev/null 2>"$OUT_DIR/server.stderr" &
SERVER=$!
cleanup() {
  kill -TERM "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -rf -- "${DATA:?}"
}
trap cleanup EXIT

for _ in $(seq 50); do
  curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/" && break
  sleep 0.2
done
body=$(curl -s --max-time 5 -X POST -H 'Content-Type: application/json' \
  --data '{"name":"seed","rows":[{"id":1,"city":"Lyon"}]}' "http://127.0.0.1:$PORT/v1/datasets/upload")
id=$(grep -o '"id":"ds_[A-Za-z0-9_]*"' <<<"$body" | head -1 | cut -d'"' -f4)
[[ -n "$id" ]] || { echo "seeding failed: $body" >&2; exit 1; }
case $ENDPOINT in
  get) url="http://127.0.0.1:$PORT/v1/datasets/$id" ;;
  post) url="http://127.0.0.1:$PORT/v1/datasets/upload" ;;
  *) echo "unknown endpoint $ENDPOINT" >&2; exit 2 ;;
esac

wrk -t2 -c64 -d2s -s "$ROOT/bench/wrk/$ENDPOINT.lua" "$url" >/dev/null  # warm-up
perf record -q -g -p "$SERVER" -o "$OUT_DIR/perf.data" -- sleep $((DURATION + 1)) 2>/dev/null &
PERF=$!
sleep 0.5
wrk -t2 -c64 -d"${DURATION}s" -s "$ROOT/bench/wrk/$ENDPOINT.lua" "$url" | grep '^RESULT'
wait "$PERF" || true
echo "-- self time by binary/library"
perf report -i "$OUT_DIR/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null |
  grep -v '^#' | grep -v '^$' | head -12
echo "-- self time by symbol"
perf report -i "$OUT_DIR/perf.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null |
  grep -v '^#' | grep -v '^$' | head -"${TOP:-45}"
echo "perf data: $OUT_DIR/perf.data (perf report -i ... --children for inclusive times)"
