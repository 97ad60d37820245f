#!/usr/bin/env bash
# Rostra against its peers, in one run on this machine, all on 127.0.0.1 (see BENCHMARKS.md).
#
#   bench/run.sh                  build (release, if needed), start the peers, start Rostra on a
#                                 fresh SQLite database, seed it through its API, measure, print the table
#   ROSTRA_BIN=path bench/run.sh  measure a binary built beforehand (no build step)
#   REV=HEAD bench/run.sh         measure an exact commit (git archive + build in /tmp/rostra-bench),
#                                 not the working tree that others are editing
#   KEEP_PEERS=1 bench/run.sh     leave the peers running afterwards (default: setup.sh stop)
#   PEERS="isso isso-gunicorn waline nginx static-ref" bench/run.sh   more peers (longer)
#
# Steps:
#   1. cargo build --release (no-op when up to date; with REV, of that commit, in a private copy)
#   2. ../shared/bench/peers/setup.sh (beside the checkout): installs and starts Isso, Waline(+PostgreSQL), nginx, static-ref
#   3. Rostra: `rostra site add`, then `rostra serve` on 127.0.0.1:18200 with its own temp database
#      (rate limits lifted through ROSTRA_RATE_LIMITS__* so one client address may write fast)
#   4. seed the peers' data set through Rostra's API; idle RSS after a quiet period
#   5. Rostra's answers for a, b, d saved as static files, served by nginx and static-ref
#   6. workloads a, b, d for Rostra / nginx / static-ref on the same bytes, interleaved run by
#      run; then c (POST) at 4 and 16 connections; every acknowledged comment id is recorded
#   7. Rostra is killed with SIGKILL; every acknowledged id must be in the database
#   8. the peers' own load.sh (PEERS subset): Isso, Waline, nginx on Isso's bytes
#   9. the combined table -> bench/results/<date>/table.md, and stops everything it started
#
# Environment (defaults): DUR=4 RUNS=3 WARM=1 HEAVY_DUR=6 (as the peers' bench.py), WCONN_HIGH=16,
# PEERS="isso waline nginx", BUDGET=420 (s, for the peers' part), ROSTRA_PORT=18200,
# ROSTRA_WORK=/tmp/rostra-bench (database, logs), PEERS_DIR=/tmp/peers-scratch, OUT=bench/results/<date>
# (filled in bench/results/tmp/ and moved there at the end; a failed run leaves it untouched).
# Takes about 11 minutes when the build and the peers' installs are already done.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
PEERS_HERE="${PEERS_HERE:-$(dirname "$ROOT")/shared/bench/peers}"
export PEERS_HERE
export PEERS_DIR="${PEERS_DIR:-/tmp/peers-scratch}"
export DUR="${DUR:-4}" RUNS="${RUNS:-3}" WARM="${WARM:-1}" HEAVY_DUR="${HEAVY_DUR:-6}"
export WCONN_HIGH="${WCONN_HIGH:-16}"
PEER_LIST="${PEERS:-isso waline nginx}"
BUDGET="${BUDGET:-420}"
export ROSTRA_PORT="${ROSTRA_PORT:-18200}"
W="${ROSTRA_WORK:-/tmp/rostra-bench}"
FINAL_OUT="${OUT:-$HERE/results/$(date +%Y-%m-%d)}"
# The run writes into results/tmp/ (ignored by git) and moves the folder into place only when it
# is complete: the results folder never holds half a run, even while one is in progress.
export OUT="$HERE/results/tmp/$(basename "$FINAL_OUT")-$$"
export ROSTRA_PIDFILE="$W/rostra.pid" ACK_FILE="$W/acked-ids.txt"
export SITE=bench ORIGIN=http://127.0.0.1:18090
DB="$W/db/bench.db"
BIN="$ROOT/target/release/rostra"
PY="python3 $HERE/rostra_bench.py"
T0=$(date +%s)

log() { echo "[bench $(date +%T)] $*" >&2; }
rostra_alive() { [ -s "$ROSTRA_PIDFILE" ] && kill -0 "$(cat "$ROSTRA_PIDFILE")" 2>/dev/null; }
stop_rostra() { # signal
  if rostra_alive; then
    local pid; pid=$(cat "$ROSTRA_PIDFILE")
    kill "-${1:-TERM}" "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$ROSTRA_PIDFILE"
}
cleanup() {
  stop_rostra TERM
  if [ "${KEEP_PEERS:-0}" != 1 ]; then "$PEERS_HERE/setup.sh" stop >/dev/null 2>&1 || true; fi
}

mkdir -p "$W"
# One run at a time: two runs share the peers (setup.sh stop in one kills the other's), the
# ports and $W. A second run waits for the first (at most LOCK_WAIT seconds, default 1800).
# Long-lived children (peers, Rostra) are started with fd 9 closed, so they never hold the lock.
exec 9>"$W/run.lock"
if ! flock -n 9; then
  log "another bench/run.sh is running (lock $W/run.lock); waiting for it"
  flock -w "${LOCK_WAIT:-1800}" 9 || { echo "gave up waiting for the other run" >&2; exit 1; }
fi
trap cleanup EXIT   # only once the lock is ours: cleanup stops the peers

log "1/9 cargo build --release"
if [ -n "${ROSTRA_BIN:-}" ]; then
  # A binary built beforehand (as bench/flood/run.sh and bench/import/run.sh take it).
  BIN="$ROSTRA_BIN"
  BUILD_NOTE="the binary $ROSTRA_BIN, built $(date -r "$BIN" '+%F %T') (git $(git -C "$ROOT" rev-parse --short HEAD) at the run)"
elif [ -n "${REV:-}" ]; then
  # An exact commit: `git archive` it into $W/src-<commit> (the repository is only read) and build
  # it there with its own target folder, so neither others' uncommitted edits nor their builds
  # in target/ can change what is measured.
  COMMIT=$(git -C "$ROOT" rev-parse --short=12 "$REV^{commit}")
  SRC="$W/src-$COMMIT"
  if [ ! -f "$SRC/.extracted" ]; then
    rm -rf "$SRC"; mkdir -p "$SRC"
    git -C "$ROOT" archive "$COMMIT" | tar -x -C "$SRC"
    touch "$SRC/.extracted"
  fi
  (cd "$SRC" && CARGO_TARGET_DIR="$W/target-rev" timeout 3600 cargo build --release -q) >"$W/build.log" 2>&1 \
    || { tail -30 "$W/build.log"; exit 1; }
  BIN="$W/target-rev/release/rostra"
  BUILD_NOTE="git $COMMIT ($(git -C "$ROOT" log -1 --format='%s' "$COMMIT")), built from \`git archive\` in $SRC"
# Others edit crates/ while this runs: if the working tree does not build right now, fall back to
# the last binary that did (unless REQUIRE_BUILD=1), and say so in machine.txt.
elif (cd "$ROOT" && timeout 3600 cargo build --release -q) >"$W/build.log" 2>&1; then
  BUILD_NOTE="built from the working tree at $(date +%T) (git $(git -C "$ROOT" rev-parse --short HEAD) + $(git -C "$ROOT" status --porcelain -- crates | wc -l) changed files in crates/)"
else
  grep -m3 '^error' "$W/build.log" >&2 || true
  if [ "${REQUIRE_BUILD:-0}" = 1 ] || [ ! -x "$BIN" ]; then tail -30 "$W/build.log"; exit 1; fi
  BUILD_NOTE="the working tree did NOT build at $(date +%T) (others' edits in progress); measured the last good binary, built $(date -r "$BIN" '+%F %T')"
  log "WARNING: $BUILD_NOTE"
fi
# a private copy, so that a rebuild by someone else during the run cannot swap it
cp "$BIN" "$W/rostra-bin"; BIN="$W/rostra-bin"
rm -rf "$OUT"; mkdir -p "$OUT"

log "2/9 peers: $PEERS_HERE/setup.sh"
timeout 900 "$PEERS_HERE/setup.sh" >"$W/peers-setup.log" 2>&1 9>&- || { tail -30 "$W/peers-setup.log"; exit 1; }

log "3/9 rostra: fresh database $DB, serve on 127.0.0.1:$ROSTRA_PORT"
if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$ROSTRA_PORT/"; then
  echo "something already answers on 127.0.0.1:$ROSTRA_PORT; stop it first" >&2; exit 1
fi
rm -rf "$W/db"; mkdir -p "$W/db"
"$BIN" site add --database "sqlite://$DB" --key "$SITE" --name Bench --origin "$ORIGIN" >"$W/site-add.log" 2>&1 \
  || { cat "$W/site-add.log"; exit 1; }
start_rostra() { # extra VAR=value settings
  # Rate limits lifted: all load comes from one client address. Everything else at its default.
  env ROSTRA_RATE_LIMITS__COMMENTS_PER_MINUTE=10000000 ROSTRA_RATE_LIMITS__COMMENTS_BURST=1000000 \
      ROSTRA_RATE_LIMITS__VOTES_PER_MINUTE=10000000 ROSTRA_LOG__LEVEL=warn "$@" \
      nohup "$BIN" serve --listen "127.0.0.1:$ROSTRA_PORT" --database "sqlite://$DB" \
      >>"$W/rostra.log" 2>&1 </dev/null 9>&- &
  echo $! >"$ROSTRA_PIDFILE"
  disown  # no "Killed" job report when step 7 kills it
  for _ in $(seq 1 100); do curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$ROSTRA_PORT/healthz" && break; sleep 0.2; done
  curl -sf -o /dev/null "http://127.0.0.1:$ROSTRA_PORT/healthz" || { cat "$W/rostra.log"; exit 1; }
}
: >"$W/rostra.log"
# The data set's bodies are near-identical by design (seed.py: only the number and the thread
# differ), and Rostra holds near-duplicates posted within moderation.duplicate_window_secs for a
# moderator. So the seeding runs with that window at 0, and Rostra is then restarted with the
# default moderation settings for the measurements (the write workload posts distinct texts).
SEED_ENV=()
if "$BIN" config default 2>/dev/null | grep -q '^duplicate_window_secs'; then
  SEED_ENV=(ROSTRA_MODERATION__DUPLICATE_WINDOW_SECS=0)
fi
start_rostra "${SEED_ENV[@]}"
sleep 3; $PY idle startup

log "4/9 seeding Rostra through its API"
timeout 300 $PY seed
sleep "${IDLE_WAIT:-5}"; $PY idle after-seeding
if [ ${#SEED_ENV[@]} -gt 0 ]; then
  log "restarting Rostra with the default moderation settings"
  stop_rostra TERM
  start_rostra
  # the same reads once, so the restarted process holds what the seeding one did, then idle
  $PY snapshot >/dev/null
  sleep "${IDLE_WAIT:-5}"; $PY idle after-restart
fi

log "5/9 Rostra's answers as static files in $PEERS_DIR/www"
$PY snapshot
"$PEERS_HERE/setup.sh" restart-static >/dev/null 9>&-

log "6/9 workloads: Rostra vs nginx/static-ref on the same bytes (DUR=${DUR}s RUNS=$RUNS)"
$PY quiet
timeout 600 $PY run
sleep 3; $PY idle after-load

log "7/9 durability: SIGKILL Rostra, then look up every acknowledged id"
stop_rostra KILL
$PY verify "$DB" || true
grep -v '^\s*$' "$W/rostra.log" | tail -20 >"$OUT/rostra-log-tail.txt" || true

log "8/9 peers: $PEERS_HERE/load.sh with PEERS=\"$PEER_LIST\" BUDGET=$BUDGET"
$PY quiet
mkdir -p "$OUT/peers"
PEERS="$PEER_LIST" OUT="$OUT/peers" BUDGET="$BUDGET" timeout $((BUDGET + 400)) "$PEERS_HERE/load.sh" 9>&- \
  >"$OUT/peers/load.log" 2>&1 || { tail -30 "$OUT/peers/load.log"; log "peers' load.sh failed (table shows Rostra only)"; }

log "9/9 table"
{
  echo "date: $(date -Is)"
  echo "kernel: $(uname -srm)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "disk for the databases: $(df -T "$W" | awk 'NR==2 {print $2, $1}')"
  echo "rostra binary: $BUILD_NOTE; sha256 $(sha256sum "$BIN" | cut -c1-16)"
  echo "fsync on that disk (4 KiB overwrite, 200 times): $(python3 - "$W" <<'PYEOF'
import os, sys, time
path = os.path.join(sys.argv[1], "fsync-probe")
fd = os.open(path, os.O_RDWR | os.O_CREAT)
os.write(fd, b"x" * 4096 * 64); os.fsync(fd)
ts = []
for i in range(200):
    os.pwrite(fd, b"y" * 4096, (i % 64) * 4096); t = time.perf_counter(); os.fsync(fd); ts.append(time.perf_counter() - t)
os.close(fd); os.remove(path); ts.sort()
print(f"p50 {ts[100] * 1e3:.2f} ms, p99 {ts[198] * 1e3:.2f} ms")
PYEOF
)"
  echo "rustc: $(rustc --version)"
  echo "wrk: $(dpkg-query -W -f='${Version}' wrk 2>/dev/null)"
  echo "command: ${ROSTRA_BIN:+ROSTRA_BIN=$ROSTRA_BIN }${REV:+REV=$REV }bench/run.sh (DUR=$DUR RUNS=$RUNS WARM=$WARM HEAVY_DUR=$HEAVY_DUR WCONN_HIGH=$WCONN_HIGH PEERS=\"$PEER_LIST\" BUDGET=$BUDGET)"
  echo "elapsed: $(( $(date +%s) - T0 )) s"
} >"$OUT/machine.txt"
$PY table
cat "$OUT/machine.txt"
rm -rf "$FINAL_OUT"; mkdir -p "$(dirname "$FINAL_OUT")"; mv "$OUT" "$FINAL_OUT"
rmdir "$HERE/results/tmp" 2>/dev/null || true
log "done in $(( $(date +%s) - T0 )) s; raw output in $FINAL_OUT"
