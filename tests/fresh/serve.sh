#!/usr/bin/env bash
# The README's first command on a fresh clone: clones this repository's HEAD
# into a temporary folder (no target/, no dist/), runs `bash .ci/serve` until
# the page answers and the app renders in headless Chromium, stops it, and does
# the same a second time in the same clone (what a returning user does).
#
#   bash tests/fresh/serve.sh            (part of `bash .ci/test`)
#
# Environment: FRESH_PORT (default 8091), FRESH_TIMEOUT seconds per start
# (default 1500: the first start builds everything from nothing).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../.ci/env"
PORT="${FRESH_PORT:-8091}"
TIMEOUT="${FRESH_TIMEOUT:-1500}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/iso27017-fresh.XXXXXX")"
SERVER=""
stop() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    kill -TERM -- "-$SERVER" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$SERVER" 2>/dev/null || true
  fi
  SERVER=""
}
trap 'stop; rm -rf "$WORK"' EXIT

git clone --quiet --no-local "$ROOT" "$WORK/repo"
for d in target dist; do
  if [ -e "$WORK/repo/$d" ]; then echo "fresh clone already has $d/" >&2; exit 1; fi
done

start() { # $1: which start, for the log
  local log="$WORK/serve-$1.log" began=$SECONDS
  # Its own process group, so stopping it stops trunk and cargo too.
  setsid bash "$WORK/repo/.ci/serve" --port "$PORT" >"$log" 2>&1 < /dev/null &
  SERVER=$!
  until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/index.html" 2>/dev/null; do
    if ! kill -0 "$SERVER" 2>/dev/null; then
      echo "== .ci/serve stopped before the page answered ($1 start); its output:" >&2
      tail -n 60 "$log" >&2
      exit 1
    fi
    if [ $((SECONDS - began)) -gt "$TIMEOUT" ]; then
      echo "== the page did not answer within ${TIMEOUT}s ($1 start); output:" >&2
      tail -n 60 "$log" >&2
      exit 1
    fi
    sleep 2
  done
  if grep -E '(^|[^[:alnum:]])(ERROR|unexpected operator)' "$log" >&2; then
    echo "== .ci/serve printed errors ($1 start)" >&2
    exit 1
  fi
  node "$ROOT/tests/e2e/serve-check.mjs" "http://127.0.0.1:$PORT/"
  echo "fresh clone, $1 start: page served and rendered after $((SECONDS - began)) s"
  stop
}
start first
start second
