#!/usr/bin/env bash
# Builds every fuzz target and runs each for SECONDS (default 60), one after another.
# Working corpora live in fuzz/corpus/<target> (not committed): our seeds from fuzz/seeds, plus,
# when present, the real files in ../shared/fixtures (or $ROSTRA_FIXTURES). Crashes land in
# fuzz/artifacts/<target>; the script then exits 1. A summary (seconds, inputs run, corpus size,
# result per target) is printed and kept in fuzz/artifacts/summary.txt.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo-fuzz uses nightly-only compiler flags;
# on a stable toolchain RUSTC_BOOTSTRAP=1 lets it use them.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_PER_TARGET="${1:-60}"
export RUSTC_BOOTSTRAP=1
FIXTURES="${ROSTRA_FIXTURES:-$(cd .. && pwd)/../shared/fixtures}"

TARGETS=(markdown page_url import_disqus import_wxr import_isso_json import_remark42
  import_commento import_comentario import_rostra import_detect sso_token cursor)

cargo fuzz build >/dev/null

# Copies fixture files matching the patterns into a corpus (one input per file).
add_fixtures() {
  local corpus="$1"
  shift
  [ -d "$FIXTURES" ] || return 0
  for pattern in "$@"; do
    for f in $FIXTURES/$pattern; do
      [ -f "$f" ] && cp "$f" "$corpus/fixture-$(echo "$f" | md5sum | cut -c1-12)"
    done
  done
  return 0
}

# One input per XSS payload (a line of the lists, a case of the JSON suites).
add_xss_payloads() {
  local corpus="$1"
  [ -d "$FIXTURES/xss" ] || return 0
  python3 - "$FIXTURES/xss" "$corpus" <<'PY'
import hashlib, json, pathlib, sys
src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
payloads = []
for f in sorted(src.glob("payloadsallthethings/*.txt")):
    payloads += [l for l in f.read_text(errors="replace").splitlines() if l.strip()]
for name, key in (("dompurify-expect.json", "payload"), ("html5lib-sanitizer-tests1.json", "input")):
    p = src / name
    if p.exists():
        payloads += [c[key] for c in json.loads(p.read_text()) if isinstance(c.get(key), str)]
for p in payloads:
    data = p.encode()
    (out / ("xss-" + hashlib.md5(data).hexdigest()[:12])).write_bytes(data)
PY
}

summary=artifacts/summary.txt
mkdir -p artifacts
printf '%-18s %8s %12s %8s  %s\n' target seconds inputs corpus result | tee "$summary"
failed=0
for t in "${TARGETS[@]}"; do
  corpus="corpus/$t"
  mkdir -p "$corpus" "artifacts/$t"
  cp seeds/"$t"/* "$corpus"/
  case "$t" in
    markdown) add_xss_payloads "$corpus" ;;
    import_disqus) add_fixtures "$corpus" 'imports/*/disqus*.xml' ;;
    import_wxr) add_fixtures "$corpus" 'imports/*/wordpress*.xml' 'imports/wordpress/*.xml' ;;
    import_isso_json) add_fixtures "$corpus" 'imports/isso/*.json' ;;
    import_remark42) add_fixtures "$corpus" 'imports/*/remark42*' ;;
    import_commento) add_fixtures "$corpus" 'imports/*/commento*.json' ;;
    import_comentario) add_fixtures "$corpus" 'imports/*/comentario*.json' ;;
    import_detect) add_fixtures "$corpus" 'imports/*/*' ;;
  esac
  log="artifacts/$t/last-run.log"
  result=ok
  if ! cargo fuzz run "$t" "$corpus" -- -max_total_time="$SECONDS_PER_TARGET" \
      -artifact_prefix="artifacts/$t/" -print_final_stats=1 -max_len=65536 >"$log" 2>&1; then
    result="CRASH (see $log and artifacts/$t/)"
    failed=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  printf '%-18s %8s %12s %8s  %s\n' "$t" "$SECONDS_PER_TARGET" "${runs:-?}" \
    "$(ls "$corpus" | wc -l)" "$result" | tee -a "$summary"
done
exit "$failed"
