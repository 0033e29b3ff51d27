#!/usr/bin/env bash
# Instructions executed by `iso27017 assess` per output format, counted by
# valgrind (callgrind's `Ir`, all threads) on the 12 MB synthetic Terraform plan
# of `cargo bench --bench ingest -- --emit DIR` (10,000 resources). Unlike
# seconds, the count does not move with the machine's load: compare two builds
# with it (BASE_BIN), then time them on a quiet machine (cli-memory.sh).
#
#   bash tests/bench/cli-instructions.sh [DIR]    DIR: where the inputs are (or go); default /tmp/iso27017-synth
#
# Environment:
#   ISO27017_BIN  measure this binary instead of building the `cli` profile
#   BASE_BIN      also measure this binary (e.g. a build of main) and print the ratio
#   FORMATS       output formats to run (default "json sarif table markdown")
#   INPUT         input file in DIR (default plan-10k.json)
#   ARGS          more arguments to `assess` (e.g. "--include-passed")
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
DIR="${1:-/tmp/iso27017-synth}"
FORMATS="${FORMATS:-json sarif table markdown}"
INPUT="${INPUT:-plan-10k.json}"
ARGS="${ARGS:-}"

command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 2; }
if [ -n "${ISO27017_BIN:-}" ]; then
    BIN="$ISO27017_BIN"
else
    cargo build --quiet --profile cli --bin iso27017
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/cli/iso27017"
fi
[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 2; }
if [ ! -f "$DIR/$INPUT" ]; then
    echo "writing the synthetic inputs to $DIR (cargo bench --bench ingest -- --emit)" >&2
    cargo bench --quiet --bench ingest -- --emit "$DIR" >&2
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Instructions (millions) of one run of binary $1 writing format $2.
count() {
    local bin="$1" format="$2" rc=0
    # shellcheck disable=SC2086 # ARGS is a list of words
    valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.%p" "$bin" assess "$DIR/$INPUT" --format "$format" $ARGS >"$WORK/out" 2>"$WORK/log" || rc=$?
    if [ "$rc" -gt 1 ]; then
        cat "$WORK/log" >&2
        echo "$bin assess $INPUT --format $format exited with $rc" >&2
        exit 2
    fi
    # "==PID== Collected : N" is the total over the process's threads.
    awk '/Collected :/ { n = $NF } END { printf "%.0f", n / 1e6 }' "$WORK/log"
    rm -f "$WORK"/cg.*
}

echo "binary: $BIN ($("$BIN" --version))${BASE_BIN:+, base: $BASE_BIN}; input: $INPUT ($(stat -c %s "$DIR/$INPUT") bytes)${ARGS:+, assess $ARGS}"
echo
if [ -n "${BASE_BIN:-}" ]; then
    echo "| format | output MB | base M instructions | M instructions | ratio |"
    echo "|---|---:|---:|---:|---:|"
else
    echo "| format | output MB | M instructions |"
    echo "|---|---:|---:|"
fi
for format in $FORMATS; do
    now=$(count "$BIN" "$format")
    out=$(stat -c %s "$WORK/out")
    if [ -n "${BASE_BIN:-}" ]; then
        base=$(count "$BASE_BIN" "$format")
        awk -v f="$format" -v o="$out" -v b="$base" -v n="$now" 'BEGIN { printf "| %s | %.1f | %d | %d | %.2f |\n", f, o / 1e6, b, n, n / b }'
    else
        awk -v f="$format" -v o="$out" -v n="$now" 'BEGIN { printf "| %s | %.1f | %d |\n", f, o / 1e6, n }'
    fi
done
