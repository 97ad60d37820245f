#!/usr/bin/env bash
# Import benchmark: a synthetic Disqus export imported by `rostra import` into a fresh SQLite
# database and into a scratch PostgreSQL database, each under /usr/bin/time -v.
#
#   bench/import/run.sh [COMMENTS] [THREADS]      (defaults: 1000000 10000)
#
# The file is generated once into /tmp/rostra-bench-import/. Prints wall time, comments/s and
# peak resident memory for each backend. PostgreSQL: $ROSTRA_BENCH_POSTGRES_URL (default
# postgres://postgres@127.0.0.1:5432/postgres) must allow CREATE DATABASE; skipped otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."

COMMENTS="${1:-1000000}"
THREADS="${2:-10000}"
WORK=/tmp/rostra-bench-import
FILE="$WORK/disqus-$COMMENTS-$THREADS.xml"
PG_ADMIN="${ROSTRA_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
BIN="${ROSTRA_BIN:-target/release/rostra}"
mkdir -p "$WORK"

if [ ! -x "$BIN" ]; then
  echo "building $BIN" >&2
  cargo build --release -p rostra >&2
fi
if [ ! -s "$FILE" ]; then
  echo "generating $FILE ($COMMENTS comments over $THREADS threads)" >&2
  python3 bench/import/gen_disqus.py "$COMMENTS" "$THREADS" "$FILE.tmp"
  mv "$FILE.tmp" "$FILE"
fi
echo "file: $FILE ($(du -h "$FILE" | cut -f1))"

# run_import NAME DATABASE_URL
run_import() {
  local name="$1" url="$2" log="$WORK/time-$1.log"
  "$BIN" site add --database "$url" --key bench --name Bench --origin https://news.example >/dev/null
  /usr/bin/time -v "$BIN" import --database "$url" --site bench --format disqus "$FILE" \
    >"$WORK/summary-$name.txt" 2>"$log"
  local wall rss secs
  wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
  secs=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  printf '%-10s wall %8.1f s   %9.0f comments/s   max RSS %6.1f MiB   (%s)\n' "$name" "$secs" \
    "$(echo "$COMMENTS $secs" | awk '{print $1/$2}')" "$(echo "$rss" | awk '{print $1/1024}')" \
    "$(grep 'comments imported' "$WORK/summary-$name.txt" | tr -s ' ')"
}

DB="$WORK/bench.db"
rm -f "$DB" "$DB-wal" "$DB-shm"
run_import sqlite "sqlite://$DB"

if command -v psql >/dev/null && psql "$PG_ADMIN" -qAtc "SELECT 1" >/dev/null 2>&1; then
  NAME="rostra_bench_import_$$"
  psql "$PG_ADMIN" -qc "CREATE DATABASE $NAME" >/dev/null
  trap 'psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $NAME" >/dev/null 2>&1 || true' EXIT
  run_import postgres "${PG_ADMIN%/*}/$NAME"
else
  echo "postgres   skipped: cannot reach $PG_ADMIN"
fi
