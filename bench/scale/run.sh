#!/usr/bin/env bash
# Rostra at scale (issue 4), in one run on this machine, all on 127.0.0.1: SQLite ×1 against
# PostgreSQL ×1 and ×2 (behind nginx), 5,000 concurrent SSE connections with their memory, and the
# delay of a post on instance A reaching an SSE client on instance B.
#
#   bench/scale/run.sh                          full run (about 5 minutes on an idle machine, up to ~10 on a busy one)
#   BIN=/path/to/rostra bench/scale/run.sh      measure that binary (default $ROOT/target/release/rostra;
#                                               it is copied first, so a rebuild during the run cannot swap it)
#   DUR=1 RUNS=1 SSE_CONNS=200 POSTS=3 bench/scale/run.sh   a quick trial (about 2.5 minutes)
#
# Steps:
#   1. fresh SQLite database ($W/sqlite.db) and fresh PostgreSQL database rostra_scale_bench on
#      127.0.0.1:5432 (user postgres, trust auth; dropped at the end); `rostra site add` on both
#   2. instances: SQLite on :18311, PostgreSQL A on :18321 and B on :18322 (rate limits lifted through
#      ROSTRA_RATE_LIMITS__*, log level warn), first with moderation.duplicate_window_secs=0 to seed
#      the near-identical /t20 texts (8 top-level + 12 replies, seed.py's data set) and /live's first
#      comment through POST /api/comments; then all restarted with the default moderation settings
#   3. nginx (Debian nginx-light, installed with apt-get if missing) with its own config in $W/nginx:
#      :18331 → A only, :18332 → A and B (round robin); keepalive upstreams, HTTP/1.1,
#      `Connection ""`, and for /api/threads/*/events proxy_buffering off and a 1 h read timeout
#   4. wrk -t1 -c$CONNS: (a) GET /api/threads?site=bench&url=…/t20&sort=oldest and (c) POST
#      /api/comments (bench/wrk/post-rostra.lua: distinct random texts, one thread per configuration)
#      against SQLite ×1 direct, PG ×1 direct, PG ×1 via nginx, PG ×2 via nginx; WARM s warm-up, then
#      RUNS runs of DUR s, configurations interleaved run by run, each run after a settle and a
#      quiet-machine gate (rostra_bench.py's), median shown; CPU per request of Rostra, nginx and
#      PostgreSQL (this database's backends + the cluster's background processes) from /proc,
#      Rostra's summed peak RSS. Then checks (not in the numbers): one more c run per configuration
#      with an SSE client on every instance serving its thread (every acknowledged comment's event
#      must reach each; EVENTS_CHECK=0 skips it); every acknowledged id looked up in the database;
#      every comment must have its stored `comment` event (thread_events); each instance's
#      comment_count compared with the database's
#   5. SSE: SSE_CONNS connections to /api/threads/{/live's id}/events, half on A and half on B,
#      directly (not through nginx), from SSE_PROCS asyncio client processes; RSS of A and B before
#      and with them open; then POSTS posts, one every POST_EVERY s, alternately on A and B; for every
#      connection and post, the delay from the POST's 201 (and from its send) to the event's arrival;
#      missed deliveries counted
#   6. post on A → event on B: one SSE client on B, AB_POSTS posts on A one at a time (the next after
#      B received the previous one's event, or after AB_TIMEOUT=5 s); a second client through nginx
#      (:18332) checks that SSE passes the load balancer
#   7. the Markdown table → results/<date>/table.md (with wrk's raw output, every JSON, the instances'
#      logs and nginx.conf), machine.txt (CPU, cores, kernel, PostgreSQL, nginx, wrk versions);
#      everything it started is stopped and the PostgreSQL database dropped (trap, also on failure)
#
# Environment (defaults): BIN, DUR=4 RUNS=3 WARM=1, CONNS=16, SSE_CONNS=5000, SSE_PROCS=2, POSTS=20,
# POST_EVERY=0.5, AB_POSTS=200, PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres PGDB=rostra_scale_bench,
# W=/tmp/rostra-scale (databases, logs, nginx config, pid files), OUT=bench/scale/results/<date>
# (filled in bench/scale/results/tmp/ and moved there at the end; a failed run leaves it in tmp/),
# NOISE_BUDGET=180 and QUIET_MAX=90 (s, as bench/rostra_bench.py), EVENTS_CHECK=1.
# Rostra's logs (whole, level warn) are copied into the results and their warnings summed up in table.md.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export DUR="${DUR:-4}" RUNS="${RUNS:-3}" WARM="${WARM:-1}" CONNS="${CONNS:-16}"
export SSE_CONNS="${SSE_CONNS:-5000}" SSE_PROCS="${SSE_PROCS:-2}" POSTS="${POSTS:-20}"
export POST_EVERY="${POST_EVERY:-0.5}" AB_POSTS="${AB_POSTS:-200}"
export SITE=bench ORIGIN=http://127.0.0.1:18090
export SQLITE_PORT=18311 PG_A_PORT=18321 PG_B_PORT=18322 LB1_PORT=18331 LB2_PORT=18332
PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
PGDB="${PGDB:-rostra_scale_bench}"
export W="${W:-/tmp/rostra-scale}"
BIN="${BIN:-$ROOT/target/release/rostra}"
FINAL_OUT="${OUT:-$HERE/results/$(date +%Y-%m-%d)}"
export OUT="$HERE/results/tmp/$(basename "$FINAL_OUT")-$$"
PY="python3 $HERE/scale_bench.py"
PSQL=(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -v ON_ERROR_STOP=1 -qAt)
export PG_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$PGDB"
SQLITE_URL="sqlite://$W/sqlite.db"
T0=$(date +%s)

log() { echo "[scale $(date +%T)] $*" >&2; }
alive() { [ -s "$W/$1.pid" ] && kill -0 "$(cat "$W/$1.pid")" 2>/dev/null; }
stop_one() { # name [signal]
  if alive "$1"; then
    local pid; pid=$(cat "$W/$1.pid")
    kill "-${2:-TERM}" "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$W/$1.pid"
}
DB_CREATED=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for n in sqlite pg_a pg_b; do stop_one "$n" TERM; done
  stop_one nginx QUIT
  if [ "$DB_CREATED" = 1 ]; then
    "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null 2>&1 \
      || log "WARNING: could not drop database $PGDB"
  fi
  [ $rc -ne 0 ] && log "failed (exit $rc); partial results in $OUT, logs in $W"
  exit $rc
}

mkdir -p "$W"
# one run at a time (ports, $W and the database are shared); long-lived children get fd 9 closed
exec 9>"$W/run.lock"
if ! flock -n 9; then
  log "another bench/scale/run.sh is running (lock $W/run.lock); waiting for it"
  flock -w "${LOCK_WAIT:-1800}" 9 || { echo "gave up waiting for the other run" >&2; exit 1; }
fi
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# file descriptors: SSE_CONNS sockets on the server side (split over two processes) and on the
# client side; raise the soft limit to the hard one (inherited by the servers and the clients)
NEED_FDS=$(( SSE_CONNS + 2000 ))
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$NEED_FDS" ]; then
  ulimit -n "$NEED_FDS" 2>/dev/null || { echo "ulimit -n is $(ulimit -n) (hard $(ulimit -Hn)); need $NEED_FDS" >&2; exit 1; }
fi

log "1/7 setup: binary, nginx, fresh databases"
[ -x "$BIN" ] || { echo "no Rostra binary at $BIN (set BIN=...)" >&2; exit 1; }
cp "$BIN" "$W/rostra-bin"; BIN_NOTE="$BIN ($(date -r "$BIN" '+%F %T'), sha256 $(sha256sum "$BIN" | cut -c1-16))"
BIN="$W/rostra-bin"
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
if ! command -v nginx >/dev/null; then
  log "apt-get install nginx-light"
  made_policy=0  # keep the package from starting its own nginx on :80
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; made_policy=1
  fi
  timeout 300 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -qq --no-install-recommends nginx-light >"$W/apt.log" 2>&1 \
    || { tail -20 "$W/apt.log"; [ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d; exit 1; }
  [ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
fi
for p in $SQLITE_PORT $PG_A_PORT $PG_B_PORT $LB1_PORT $LB2_PORT; do
  if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$p/"; then
    echo "something already answers on 127.0.0.1:$p; stop it first" >&2; exit 1
  fi
done
rm -rf "$OUT"; mkdir -p "$OUT"
rm -f "$W"/sqlite.db*
: >"$W/rostra.log"
"$BIN" site add --database "$SQLITE_URL" --key "$SITE" --name Bench --origin "$ORIGIN" >>"$W/rostra.log" 2>&1 \
  || { cat "$W/rostra.log"; exit 1; }
"${PSQL[@]}" -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null
DB_CREATED=1
"${PSQL[@]}" -c "CREATE DATABASE $PGDB" >/dev/null
"$BIN" site add --database "$PG_URL" --key "$SITE" --name Bench --origin "$ORIGIN" >>"$W/rostra.log" 2>&1 \
  || { cat "$W/rostra.log"; exit 1; }
PG_DATA=$("${PSQL[@]}" -c 'SHOW data_directory' 2>/dev/null || true)
export PG_DATA

start_one() { # name port database-url [VAR=value...]
  local name=$1 port=$2 url=$3; shift 3
  env ROSTRA_RATE_LIMITS__COMMENTS_PER_MINUTE=10000000 ROSTRA_RATE_LIMITS__COMMENTS_BURST=1000000 \
      ROSTRA_RATE_LIMITS__VOTES_PER_MINUTE=10000000 ROSTRA_LOG__LEVEL=warn "$@" \
      nohup "$BIN" serve --listen "127.0.0.1:$port" --database "$url" \
      >>"$W/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$W/$name.pid"
  disown
}
wait_up() { # name port
  for _ in $(seq 1 100); do curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$2/healthz" && return 0
    alive "$1" || break; sleep 0.2; done
  echo "$1 did not come up on :$2" >&2; tail -20 "$W/$1.log" >&2; exit 1
}
start_all() { # [VAR=value...]
  start_one sqlite $SQLITE_PORT "$SQLITE_URL" "$@"
  start_one pg_a $PG_A_PORT "$PG_URL" "$@"
  start_one pg_b $PG_B_PORT "$PG_URL" "$@"
  wait_up sqlite $SQLITE_PORT; wait_up pg_a $PG_A_PORT; wait_up pg_b $PG_B_PORT
}

log "2/7 instances: SQLite :$SQLITE_PORT, PostgreSQL A :$PG_A_PORT and B :$PG_B_PORT; seeding"
: >"$W/sqlite.log"; : >"$W/pg_a.log"; : >"$W/pg_b.log"
# seed.py's /t20 texts are near-identical by design: seeded with the duplicate window at 0
SEED_ENV=()
if "$BIN" config default 2>/dev/null | grep -q '^duplicate_window_secs'; then
  SEED_ENV=(ROSTRA_MODERATION__DUPLICATE_WINDOW_SECS=0)
fi
start_all "${SEED_ENV[@]}"
timeout 120 $PY seed $SQLITE_PORT
timeout 120 $PY seed $PG_A_PORT   # A and B share the PostgreSQL database
log "restarting the instances with the default moderation settings"
for n in sqlite pg_a pg_b; do stop_one "$n" TERM; done
start_all

log "3/7 nginx: :$LB1_PORT → A, :$LB2_PORT → A + B"
N="$W/nginx"; rm -rf "$N"; mkdir -p "$N"
cat >"$N/nginx.conf" <<EOF
daemon off;
worker_processes auto;
worker_rlimit_nofile $(ulimit -n);
pid $N/nginx.pid;
error_log $N/error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $N/tmp_body;
  proxy_temp_path $N/tmp_proxy;
  fastcgi_temp_path $N/tmp_fcgi;
  uwsgi_temp_path $N/tmp_uwsgi;
  scgi_temp_path $N/tmp_scgi;
  keepalive_requests 1000000; keepalive_timeout 65;
  upstream rostra_one { server 127.0.0.1:$PG_A_PORT; keepalive 64; }
  upstream rostra_two { server 127.0.0.1:$PG_A_PORT; server 127.0.0.1:$PG_B_PORT; keepalive 64; }
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host \$host;
  proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
  server {
    listen 127.0.0.1:$LB1_PORT;
    location ~ ^/api/threads/[^/]+/events\$ {
      proxy_pass http://rostra_one; proxy_buffering off; proxy_cache off; proxy_read_timeout 1h;
    }
    location / { proxy_pass http://rostra_one; }
  }
  server {
    listen 127.0.0.1:$LB2_PORT;
    location ~ ^/api/threads/[^/]+/events\$ {
      proxy_pass http://rostra_two; proxy_buffering off; proxy_cache off; proxy_read_timeout 1h;
    }
    location / { proxy_pass http://rostra_two; }
  }
}
EOF
nginx -t -c "$N/nginx.conf" -e "$N/error.log" >"$N/test.log" 2>&1 || { cat "$N/test.log"; exit 1; }
nohup nginx -c "$N/nginx.conf" -e "$N/error.log" </dev/null >>"$N/stdout.log" 2>&1 9>&- &
echo $! >"$W/nginx.pid"; disown
for p in $LB1_PORT $LB2_PORT; do
  for _ in $(seq 1 50); do curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$p/healthz" && break; sleep 0.2; done
  curl -sf -o /dev/null "http://127.0.0.1:$p/healthz" || { cat "$N/error.log"; exit 1; }
done

log "4/7 wrk: a (read /t20) and c (POST) × 4 configurations (DUR=${DUR}s RUNS=$RUNS CONNS=$CONNS)"
$PY quiet
timeout $(( 600 + 8 * (RUNS + 1) * (DUR + 40) )) $PY run

log "5/7 SSE: $SSE_CONNS connections over A and B, $POSTS posts"
timeout $(( 300 + SSE_CONNS / 10 )) $PY sse

log "6/7 post on A → event on B ($AB_POSTS posts)"
timeout $(( 120 + AB_POSTS * 6 )) $PY ab

log "7/7 table"
summary=()
for n in sqlite pg_a pg_b; do
  sed 's/\x1b\[[0-9;]*m//g' "$W/$n.log" >"$OUT/$n.log"   # the whole log (level warn: small)
  w=$(grep -c ' WARN ' "$OUT/$n.log" || true); e=$(grep -c ' ERROR ' "$OUT/$n.log" || true)
  top=$(grep -E ' (WARN|ERROR) ' "$OUT/$n.log" | sed -E 's/^[^ ]+ +//; s/ (error|events|kind)=.*//' | sort | uniq -c | sort -rn | head -5 \
        | awk '{c=$1; $1=""; printf "%s%s×%s", (NR>1?"; ":""), c, $0}' || true)
  summary+=("$n: $w warnings, $e errors${top:+ ($top)}")
done
(IFS='|'; echo "${summary[*]}" | sed 's/|/ · /g') >"$OUT/log-summary.txt"
cp "$N/nginx.conf" "$OUT/nginx.conf"; cp "$N/error.log" "$OUT/nginx-error.log" 2>/dev/null || true
{
  echo "date: $(date -Is)"
  echo "kernel: $(uname -srm)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "disk for the SQLite database: $(df -T "$W" | awk 'NR==2 {print $2, $1}')"
  echo "postgresql: $("${PSQL[@]}" -c 'SELECT version()' 2>/dev/null) (data $PG_DATA: $(df -T "${PG_DATA:-/}" | awk 'NR==2 {print $2, $1}'))"
  echo "postgresql client backends of other databases at the end (others sharing the cluster): $("${PSQL[@]}" -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname IS DISTINCT FROM '$PGDB' AND pid <> pg_backend_pid()" 2>/dev/null)"
  echo "nginx: $(nginx -v 2>&1 | sed 's/.*: //')"
  echo "wrk: $(dpkg-query -W -f='${Version}' wrk 2>/dev/null)"
  echo "python: $(python3 --version 2>&1)"
  echo "rostra binary: $BIN_NOTE"
  echo "ulimit -n: $(ulimit -n)"
  echo "command: BIN=$BIN_NOTE DUR=$DUR RUNS=$RUNS WARM=$WARM CONNS=$CONNS SSE_CONNS=$SSE_CONNS SSE_PROCS=$SSE_PROCS POSTS=$POSTS POST_EVERY=$POST_EVERY AB_POSTS=$AB_POSTS bench/scale/run.sh"
  echo "elapsed: $(( $(date +%s) - T0 )) s"
} >"$OUT/machine.txt"
$PY table
cat "$OUT/machine.txt"
rm -rf "$FINAL_OUT"; mkdir -p "$(dirname "$FINAL_OUT")"; mv "$OUT" "$FINAL_OUT"
rmdir "$HERE/results/tmp" 2>/dev/null || true
log "done in $(( $(date +%s) - T0 )) s; raw output in $FINAL_OUT"
