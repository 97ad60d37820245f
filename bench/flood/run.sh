#!/usr/bin/env bash
# Floods (see BENCHMARKS.md, "Floods"): other readers' thread-read latency while one client floods
# Rostra with writes, against the same reads without the flood. All on 127.0.0.1, bounded in time.
#
#   bench/flood/run.sh                  release build (if needed), fresh SQLite database, measure
#   ROSTRA_BIN=path bench/flood/run.sh  measure that binary instead of building
#
# Steps: `rostra serve` with the default rate limits on a fresh database (it trusts
# X-Forwarded-For, so the flooder is one address and the seeding many); one thread seeded with 40
# comments; then, RUNS times in turn: readers alone (wrk, READ_CONN connections, DUR s), and
# readers while the flooder (wrk + flood.lua, FLOOD_CONN connections) posts comments, votes and
# reports as fast as it can. Prints p50/p99 of the readers in both cases and the flooder's answers.
#
# Environment (defaults): DUR=5 RUNS=3 READ_CONN=16 FLOOD_CONN=64 PORT=18390
# WORK=/tmp/rostra-flood (database, logs) OUT=bench/results/flood-<date>
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DUR="${DUR:-5}" RUNS="${RUNS:-3}" READ_CONN="${READ_CONN:-16}" FLOOD_CONN="${FLOOD_CONN:-64}"
PORT="${PORT:-18390}"
WORK="${WORK:-/tmp/rostra-flood}"
OUT="${OUT:-$ROOT/bench/results/flood-$(date +%Y-%m-%d)}"
BIN="${ROSTRA_BIN:-$ROOT/target/release/rostra}"
BASE="http://127.0.0.1:$PORT"
ORIGIN="http://127.0.0.1:$PORT"
PAGE="$ORIGIN/article"

command -v wrk >/dev/null || {
  echo "wrk is needed: apt-get install wrk" >&2
  exit 1
}
if [ -z "${ROSTRA_BIN:-}" ]; then
  (cd "$ROOT" && cargo build --release -p rostra)
fi
rm -rf "$WORK" && mkdir -p "$WORK" "$OUT"
DB="sqlite://$WORK/flood.db"
"$BIN" site add --key flood --name Flood --origin "$ORIGIN" --database "$DB" >/dev/null

ROSTRA_SERVER__TRUST_FORWARDED_FOR=true ROSTRA_LOG__LEVEL=warn \
  "$BIN" serve --listen "127.0.0.1:$PORT" --database "$DB" >"$WORK/serve.log" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done

# Seed: 40 comments, each from its own address (so the default limits let them through).
TARGET=""
for i in $(seq 1 40); do
  id=$(curl -fs -X POST "$BASE/api/comments" -H 'Content-Type: application/json' \
    -H "X-Forwarded-For: 192.0.2.$i" \
    -d "{\"site\":\"flood\",\"url\":\"$PAGE\",\"body\":\"Seed comment $i about the article.\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["comment"]["id"])')
  TARGET="${TARGET:-$id}"
done
READ_PATH="/api/threads?site=flood&url=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$PAGE")"

# p50 and p99 (ms) from wrk --latency output.
percentile() { # file, label (50% or 99%)
  awk -v p="$2" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 }
    else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }
    printf "%.2f", v }' "$1"
}
reads() { # output file
  wrk -t1 -c"$READ_CONN" -d"${DUR}s" --latency --timeout 30s "$BASE$READ_PATH" >"$1"
}

printf '| run | readers alone p50 / p99 (ms) | readers during the flood p50 / p99 (ms) | reads/s alone / during | flooder answers |\n|---|---|---|---|---|\n' >"$OUT/table.md"
for run in $(seq 1 "$RUNS"); do
  reads "$OUT/alone-$run.txt"
  FLOOD_SITE=flood FLOOD_PAGE="$PAGE" FLOOD_TARGET="$TARGET" \
    wrk -t1 -c"$FLOOD_CONN" -d"$((DUR + 2))s" --timeout 30s -s "$HERE/flood.lua" "$BASE" \
    >"$OUT/flooder-$run.txt" &
  FLOODER=$!
  sleep 1
  reads "$OUT/during-$run.txt"
  wait "$FLOODER"
  rate() { awk '/Requests\/sec/ { printf "%.0f", $2 }' "$1"; }
  printf '| %s | %s / %s | %s / %s | %s / %s | %s |\n' "$run" \
    "$(percentile "$OUT/alone-$run.txt" 50%)" "$(percentile "$OUT/alone-$run.txt" 99%)" \
    "$(percentile "$OUT/during-$run.txt" 50%)" "$(percentile "$OUT/during-$run.txt" 99%)" \
    "$(rate "$OUT/alone-$run.txt")" "$(rate "$OUT/during-$run.txt")" \
    "$(grep 'flood answers' "$OUT/flooder-$run.txt" | sed 's/flood answers: //')" >>"$OUT/table.md"
done
{
  echo "date: $(date -u +%FT%TZ)"
  echo "binary: $BIN ($(cd "$ROOT" && git rev-parse --short HEAD))"
  echo "cpus: $(nproc); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "settings: DUR=$DUR RUNS=$RUNS READ_CONN=$READ_CONN FLOOD_CONN=$FLOOD_CONN"
} >"$OUT/machine.txt"
cat "$OUT/machine.txt" "$OUT/table.md"
