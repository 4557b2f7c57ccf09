#!/usr/bin/env bash
# Keel's benchmark, run by hand (never by tests): keel-server against a bare
# Pistache handler doing the same domain work (bench/bare_server.cpp), on
# GET /v1/datasets/{id} and POST /v1/datasets/upload (small JSON), in one run.
#
#   bench/run.sh                      # build Release into build-bench, run, print the table
#   SKIP_BUILD=1 ROUNDS=5 bench/run.sh
#
# Settings (environment): ROUNDS (3), DURATION seconds per wrk run (10),
# WARMUP seconds per server and endpoint (2), WRK_THREADS (2), WRK_CONNS (64),
# IO_THREADS (2) for both servers, WORKER_THREADS (4) for keel-server,
# ENDPOINTS ("get post"), VARIANTS ("keel keel-nolog keel-w2 bare"), PORT_BASE
# (18470: one port per variant from there, on 127.0.0.1), BUILD_DIR (build-bench),
# OUT_DIR (a new temp dir; raw wrk output and results.tsv are kept there).
#
# Method: for each endpoint, fresh servers on fresh temp data dirs (one per
# variant), one dataset seeded by POST, a short warm-up, then ROUNDS rounds;
# each round runs wrk once against every variant, in an order that rotates
# each round. Reported per variant: median req/s, median p50 and p99, peak RSS
# (VmHWM after the endpoint's last round), server CPU time per request; the
# ratio is median(keel req/s) / median(bare req/s), with the per-round ratios
# alongside. Variants: keel = keel-server with its default access log on
# (stdout to /dev/null), keel-nolog = keel-server --access-log false,
# keel-wN = keel-server (access log on) with --worker-threads N instead of
# WORKER_THREADS, bare = bare-pistache-server.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
BUILD_DIR=${BUILD_DIR:-$ROOT/build-bench}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNS=${WRK_CONNS:-64}
IO_THREADS=${IO_THREADS:-2}
WORKER_THREADS=${WORKER_THREADS:-4}
ENDPOINTS=${ENDPOINTS:-"get post"}
VARIANTS=${VARIANTS:-"keel keel-nolog keel-w2 bare"}
PORT_BASE=${PORT_BASE:-18470}
OUT_DIR=${OUT_DIR:-$(mktemp -d /tmp/keel-bench.XXXXXX)}
mkdir -p "$OUT_DIR"
BUILD_DIR=$(realpath -m "$BUILD_DIR")
OUT_DIR=$(realpath "$OUT_DIR")
RESULTS="$OUT_DIR/results.tsv"
cd "$OUT_DIR"  # nothing the script runs writes into the source tree
HOST=127.0.0.1

KEEL_BIN="$BUILD_DIR/server/keel-server"
BARE_BIN="$BUILD_DIR/bench/bare-pistache-server"

log() { echo "[bench] $*" >&2; }
die() { echo "[bench] error: $*" >&2; exit 1; }

command -v wrk >/dev/null || die "wrk not found (apt-get install wrk)"
command -v curl >/dev/null || die "curl not found"

# ---- build ----------------------------------------------------------------
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "configuring and building Release in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DKEEL_BUILD_BENCH=ON \
    -DKEEL_BUILD_TESTS=OFF >"$OUT_DIR/cmake-configure.log" 2>&1 ||
    die "configure failed, see $OUT_DIR/cmake-configure.log"
  cmake --build "$BUILD_DIR" --target keel-server bare-pistache-server -j"$(nproc)" \
    >"$OUT_DIR/cmake-build.log" 2>&1 || die "build failed, see $OUT_DIR/cmake-build.log"
fi
if [[ " $VARIANTS " == *" keel"* ]]; then [[ -x "$KEEL_BIN" ]] || die "$KEEL_BIN missing"; fi
if [[ " $VARIANTS " == *" bare "* ]]; then [[ -x "$BARE_BIN" ]] || die "$BARE_BIN missing"; fi

# ---- servers --------------------------------------------------------------
declare -A PID PORT DATA
i=0
for v in $VARIANTS; do PORT[$v]=$((PORT_BASE + i)); i=$((i + 1)); done

http_code() {  # URL -> status code, 000 when nothing answers
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true
}

start_server() {  # variant
  local v=$1 port=${PORT[$1]}
  [[ "$(http_code "http://$HOST:$port/")" == 000 ]] || die "port $port already answers"
  DATA[$v]=$(mktemp -d /tmp/keel-bench-data.XXXXXX)
  case $v in
    keel)
      "$KEEL_BIN" serve --address "$HOST" --port "$port" --data-dir "${DATA[$v]}" \
        --io-threads "$IO_THREADS" --worker-threads "$WORKER_THREADS" \
        >/dev/null 2>"$OUT_DIR/$v.stderr" &
      ;;
    keel-nolog)
      "$KEEL_BIN" serve --address "$HOST" --port "$port" --data-dir "${DATA[$v]}" \
        --io-threads "$IO_THREADS" --worker-threads "$WORKER_THREADS" --access-log false \
        >/dev/null 2>"$OUT_DIR/$v.stderr" &
      ;;
    keel-w[0-9]*)
      "$KEEL_BIN" serve --address "$HOST" --port "$port" --data-dir "${DATA[$v]}" \
        --io-threads "$IO_THREADS" --worker-threads "${v#keel-w}" \
        >/dev/null 2>"$OUT_DIR/$v.stderr" &
      ;;
    bare)
      "$BARE_BIN" --port "$port" --data-dir "${DATA[$v]}" --io-threads "$IO_THREADS" \
        >/dev/null 2>"$OUT_DIR/$v.stderr" &
      ;;
    *) die "unknown variant $v" ;;
  esac
  PID[$v]=$!
  local deadline=$((SECONDS + 15))
  until [[ "$(http_code "http://$HOST:$port/v1/datasets/ds_none")" != 000 ]]; do
    kill -0 "${PID[$v]}" 2>/dev/null || die "$v exited at start-up: $(cat "$OUT_DIR/$v.stderr")"
    ((SECONDS < deadline)) || die "$v did not answer within 15 s"
    sleep 0.2
  done
}

stop_server() {  # variant
  local v=$1 pid=${PID[$1]:-}
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 20))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  PID[$v]=
  rm -rf "${DATA[$v]}"
}

cleanup() { for v in $VARIANTS; do stop_server "$v"; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

seed() {  # variant -> prints the new dataset id
  local v=$1 body
  body=$(curl -s --max-time 5 -X POST -H 'Content-Type: application/json' \
    --data '{"name":"seed","rows":[{"id":1,"city":"Lyon","score":3.5,"active":true},{"id":2,"city":"Oslo","score":4.0,"active":false}]}' \
    "http://$HOST:${PORT[$v]}/v1/datasets/upload")
  local id
  id=$(grep -o '"id":"ds_[A-Za-z0-9_]*"' <<<"$body" | head -1 | cut -d'"' -f4 || true)
  [[ -n "$id" ]] || die "seeding $v failed: $body"
  echo "$id"
}

cpu_ticks() {  # pid -> utime+stime in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}

hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

machine_ticks() {  # -> "busy steal" ticks over all CPUs (/proc/stat)
  awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $9}' /proc/stat
}

run_wrk() {  # variant endpoint round duration url -> appends to results (unless round 0)
  local v=$1 ep=$2 round=$3 dur=$4 url=$5
  local out="$OUT_DIR/wrk-$ep-$v-r$round.txt" t0 t1 m0 s0 m1 s1
  t0=$(cpu_ticks "${PID[$v]}")
  read -r m0 s0 < <(machine_ticks)
  timeout $((dur + 30)) /usr/bin/time -f 'WRKCPU %U %S' -o "$out.time" \
    wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${dur}s" --timeout 5s \
    -s "$BENCH/wrk/$ep.lua" "$url" >"$out" 2>&1 || die "wrk failed: $(cat "$out")"
  t1=$(cpu_ticks "${PID[$v]}")
  read -r m1 s1 < <(machine_ticks)
  kill -0 "${PID[$v]}" 2>/dev/null || die "$v died during the run"
  local line
  line=$(grep '^RESULT' "$out") || die "no RESULT line in $out"
  ((round > 0)) || return 0
  # RESULT rps=.. p50_us=.. p99_us=.. requests=.. non2xx=.. sockerr=..
  local rps p50 p99 req non2xx sockerr
  read -r rps p50 p99 req non2xx sockerr < <(sed -E 's/[a-z0-9_]+=//g; s/^RESULT //' <<<"$line")
  local wrk_user wrk_sys
  read -r _ wrk_user wrk_sys < <(grep '^WRKCPU' "$out.time")
  # server CPU per request; everything else the machine did meanwhile
  # (other processes: noise), in % of one core; steal (hypervisor) likewise.
  local hz cpu_us_per_req other_pct steal_pct
  hz=$(getconf CLK_TCK)
  cpu_us_per_req=$(awk -v d=$((t1 - t0)) -v hz="$hz" -v n="$req" \
    'BEGIN {printf "%.1f", (n > 0 ? d / hz * 1e6 / n : 0)}')
  other_pct=$(awk -v m=$((m1 - m0)) -v s=$((t1 - t0)) -v wu="$wrk_user" -v ws="$wrk_sys" \
    -v hz="$hz" -v dur="$dur" 'BEGIN {o = (m - s) / hz - wu - ws; if (o < 0) o = 0; printf "%.0f", 100 * o / dur}')
  steal_pct=$(awk -v st=$((s1 - s0)) -v hz="$hz" -v dur="$dur" 'BEGIN {printf "%.0f", 100 * st / hz / dur}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$ep" "$v" "$round" "$rps" "$p50" \
    "$p99" "$non2xx" "$sockerr" "$cpu_us_per_req" "$(awk -v u="$wrk_user" -v s="$wrk_sys" \
    -v d="$dur" 'BEGIN {printf "%.0f", 100 * (u + s) / d}')" "$other_pct" "$steal_pct" >>"$RESULTS"
  log "$ep $v round $round: $rps req/s, p50 ${p50} us, p99 ${p99} us, non-2xx $non2xx, socket errors $sockerr, server CPU ${cpu_us_per_req} us/req, other load ${other_pct}% steal ${steal_pct}% of a core"
}

# ---- measure --------------------------------------------------------------
printf 'endpoint\tvariant\tround\trps\tp50_us\tp99_us\tnon2xx\tsockerr\tcpu_us_per_req\twrk_cpu_pct\tother_cpu_pct\tsteal_pct\n' >"$RESULTS"
: >"$OUT_DIR/rss.tsv"
read -r -a variant_list <<<"$VARIANTS"
log "output in $OUT_DIR; wrk -t$WRK_THREADS -c$WRK_CONNS -d${DURATION}s x $ROUNDS rounds"
for ep in $ENDPOINTS; do
  declare -A URL=()
  for v in "${variant_list[@]}"; do
    start_server "$v"
    id=$(seed "$v")  # also checks that upload answers 201 with a dataset
    case $ep in
      get)
        URL[$v]="http://$HOST:${PORT[$v]}/v1/datasets/$id"
        [[ "$(http_code "${URL[$v]}")" == 200 ]] || die "$v: GET ${URL[$v]} is not 200"
        ;;
      post) URL[$v]="http://$HOST:${PORT[$v]}/v1/datasets/upload" ;;
      *) die "unknown endpoint $ep" ;;
    esac
  done
  for v in "${variant_list[@]}"; do run_wrk "$v" "$ep" 0 "$WARMUP" "${URL[$v]}"; done
  n=${#variant_list[@]}
  for ((r = 1; r <= ROUNDS; r++)); do
    for ((k = 0; k < n; k++)); do  # rotate the order every round
      v=${variant_list[$(((k + r - 1) % n))]}
      run_wrk "$v" "$ep" "$r" "$DURATION" "${URL[$v]}"
    done
  done
  for v in "${variant_list[@]}"; do
    printf '%s\t%s\t%s\n' "$ep" "$v" "$(hwm_kib "${PID[$v]}")" >>"$OUT_DIR/rss.tsv"
    stop_server "$v"
  done
done

# ---- report ---------------------------------------------------------------
median() { sort -g | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
col() {  # endpoint variant column-number -> values, one per round
  awk -F'\t' -v e="$1" -v v="$2" -v c="$3" 'NR > 1 && $1 == e && $2 == v {print $c}' "$RESULTS"
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f%%", 100 * a / b}'; }
ms() { awk -v u="$1" 'BEGIN {printf "%.2f", u / 1000}'; }

echo
echo "$(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')); wrk -t$WRK_THREADS -c$WRK_CONNS -d${DURATION}s on the same machine; $ROUNDS rounds, medians; io threads $IO_THREADS, keel workers $WORKER_THREADS"
echo
echo "| endpoint | server | req/s | p50 ms | p99 ms | peak RSS MiB | CPU µs/req | req/s per round | req/s vs bare | per round | CPU/req vs bare |"
echo "|---|---|---:|---:|---:|---:|---:|---|---:|---|---:|"
for ep in $ENDPOINTS; do
  bare_rps=$(col "$ep" bare 4 | median || true)
  bare_cpu=$(col "$ep" bare 9 | median || true)
  for v in "${variant_list[@]}"; do
    rps=$(col "$ep" "$v" 4 | median)
    p50=$(col "$ep" "$v" 5 | median)
    p99=$(col "$ep" "$v" 6 | median)
    cpu=$(col "$ep" "$v" 9 | median)
    rss=$(awk -F'\t' -v e="$ep" -v v="$v" '$1 == e && $2 == v {printf "%.1f", $3 / 1024}' "$OUT_DIR/rss.tsv")
    rounds=$(col "$ep" "$v" 4 | awk '{printf "%s%.0f", (NR > 1 ? " / " : ""), $1}')
    ratio="—" per_round="—" cpu_ratio="—"
    if [[ "$v" != bare && -n "$bare_rps" ]]; then
      ratio=$(pct "$rps" "$bare_rps")
      cpu_ratio=$(awk -v a="$cpu" -v b="$bare_cpu" 'BEGIN {printf "%.2f×", a / b}')
      per_round=$(paste <(col "$ep" "$v" 4) <(col "$ep" bare 4) |
        awk '{printf "%s%.0f%%", (NR > 1 ? " / " : ""), 100 * $1 / $2}')
    fi
    echo "| $ep | $v | $(printf '%.0f' "$rps") | $(ms "$p50") | $(ms "$p99") | $rss | $(printf '%.1f' "$cpu") | $rounds | $ratio | $per_round | $cpu_ratio |"
  done
done
echo
awk -F'\t' 'NR > 1 {if ($11 > o) o = $11; if ($12 > s) s = $12; w += $10; n++}
  END {printf "Noise: other processes used up to %d%% of a core during a run, hypervisor steal up to %d%%; wrk itself used %.0f%% of a core on average.\n", o, s, w / n}' "$RESULTS"
errors=$(awk -F'\t' 'NR > 1 && ($7 > 0 || $8 > 0)' "$RESULTS")
if [[ -n "$errors" ]]; then
  echo
  echo "WARNING: runs with non-2xx answers or socket errors (see $RESULTS):"
  echo "$errors"
fi
echo
log "raw results: $RESULTS"
