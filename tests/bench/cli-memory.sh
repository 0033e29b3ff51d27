#!/usr/bin/env bash
# Peak memory (RSS), wall time, CPU time (user + system, all threads) and
# throughput (input MB / wall second) of
# `iso27017 assess` for each output format on the synthetic exports of
# `cargo bench --bench ingest -- --emit DIR` (an AWS Config snapshot of 100,000
# items, a Terraform plan of 85,000 resources). Prints a Markdown table (the
# docs/benchmarks.md, "CLI").
#
#   bash tests/bench/cli-memory.sh [DIR]        DIR: where the inputs are (or go); default /tmp/iso27017-synth
#
# Environment:
#   ISO27017_BIN  measure this binary instead of building the `cli` profile (e.g. an older build, to compare)
#   FORMATS       output formats to run (default "json sarif table markdown")
#   INPUTS        input files in DIR (default "config-100k.json plan-85k.json")
#   RUNS          runs per case (default 1); the table shows the median time and the median peak RSS
#   ARGS          more arguments to `assess` (e.g. "--include-passed" for the JSON and SARIF with every pass)
#   TIME_BIN      GNU time (default /usr/bin/time; a path that does not exist selects the Python fallback)
#
# Peak RSS and CPU time come from GNU time (`$TIME_BIN -f`) when present, else from Python's
# `resource.getrusage(RUSAGE_CHILDREN)`. CPU time moves less with the machine's load than
# wall time; for a count that does not move at all, see cli-instructions.sh. Exit code 1 (failing checks) is expected; any other
# exit code stops the script.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
DIR="${1:-/tmp/iso27017-synth}"
FORMATS="${FORMATS:-json sarif table markdown}"
INPUTS="${INPUTS:-config-100k.json plan-85k.json}"
RUNS="${RUNS:-1}"
ARGS="${ARGS:-}"
TIME_BIN="${TIME_BIN:-/usr/bin/time}"

if [ -n "${ISO27017_BIN:-}" ]; then
    BIN="$ISO27017_BIN"
else
    cargo build --quiet --profile cli --bin iso27017
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/cli/iso27017"
fi
[ -x "$BIN" ] || { echo "no binary at $BIN" >&2; exit 2; }

missing=0
for input in $INPUTS; do
    [ -f "$DIR/$input" ] || missing=1
done
if [ "$missing" = 1 ]; then
    echo "writing the synthetic inputs to $DIR (cargo bench --bench ingest -- --emit)" >&2
    cargo bench --quiet --bench ingest -- --emit "$DIR" >&2
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# One run: prints "SECONDS PEAK_KB CPU_SECONDS OUTPUT_BYTES".
measure() {
    local input="$1" format="$2" out="$WORK/out" stats="$WORK/stats" rc=0
    if [ -x "$TIME_BIN" ]; then
        # shellcheck disable=SC2086 # ARGS is a list of words
        "$TIME_BIN" -f "%e %M %U %S" -o "$stats" "$BIN" assess "$input" --format "$format" $ARGS >"$out" || rc=$?
    else
        # shellcheck disable=SC2086 # ARGS is a list of words
        python3 - "$BIN" "$input" "$format" "$out" $ARGS >"$stats" <<'EOF' || rc=$?
import resource, subprocess, sys, time
binary, path, fmt, out = sys.argv[1:5]
start = time.monotonic()
with open(out, "wb") as o:
    rc = subprocess.call([binary, "assess", path, "--format", fmt, *sys.argv[5:]], stdout=o)
elapsed = time.monotonic() - start
# Linux reports ru_maxrss in KB; this process ran only the one child.
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{elapsed:.2f} {r.ru_maxrss} {r.ru_utime:.2f} {r.ru_stime:.2f}")
sys.exit(rc)
EOF
    fi
    if [ "$rc" -gt 1 ]; then
        echo "$BIN assess $input --format $format exited with $rc" >&2
        exit 2
    fi
    echo "$(tail -n 1 "$stats" | awk '{ printf "%s %s %.2f", $1, $2, $3 + $4 }') $(stat -c %s "$out")"
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "binary: $BIN ($("$BIN" --version)), runs per case: $RUNS, $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)${ARGS:+, assess $ARGS}"
echo
echo "| input | size MB | format | seconds | MB/s | CPU s | peak RSS MB | RSS / input | output MB |"
echo "|---|---:|---|---:|---:|---:|---:|---:|---:|"
for input in $INPUTS; do
    path="$DIR/$input"
    size=$(stat -c %s "$path")
    for format in $FORMATS; do
        : >"$WORK/runs"
        for _ in $(seq "$RUNS"); do
            measure "$path" "$format" >>"$WORK/runs"
        done
        secs=$(cut -d' ' -f1 "$WORK/runs" | median)
        kb=$(cut -d' ' -f2 "$WORK/runs" | median)
        cpu=$(cut -d' ' -f3 "$WORK/runs" | median)
        outb=$(cut -d' ' -f4 "$WORK/runs" | median)
        awk -v i="$input" -v s="$size" -v f="$format" -v t="$secs" -v k="$kb" -v c="$cpu" -v o="$outb" 'BEGIN {
            rate = t > 0 ? sprintf("%.0f", s / 1e6 / t) : "—"
            printf "| %s | %.1f | %s | %.2f | %s | %.2f | %.0f | %.2f× | %.1f |\n", i, s / 1e6, f, t, rate, c, k * 1024 / 1e6, k * 1024 / s, o / 1e6
        }'
    done
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg) (MB/s: input bytes / wall seconds; each column the median of the runs; other work on the machine lowers MB/s)"
