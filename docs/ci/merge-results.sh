#!/usr/bin/env bash
# Merge the per-account results of assess-account.sh into the organisation's
# assessment, and gate on it.
#
#   merge-results.sh RESULTS_DIR REPORT_DIR
#
# Writes REPORT_DIR/organisation.json (one assessment document, with each
# part's file, SHA-256, tool version and time) and REPORT_DIR/summary.md
# (one row per account, one per control with automated evidence), then exits
# 1 when a finding of any account fails at or above FAIL_ON.
#
# Environment: ISO27017  the iso27017 binary (default: `iso27017` on PATH)
#              FAIL_ON   info|low|medium|high|critical|none (default: high)
set -euo pipefail

if [ "$#" -ne 2 ]; then
    echo "usage: $0 RESULTS_DIR REPORT_DIR" >&2
    exit 2
fi
results="$1" report="$2"
bin="${ISO27017:-iso27017}"

shopt -s nullglob
parts=("$results"/*.json)
if [ "${#parts[@]}" -eq 0 ]; then
    echo "error: no results (*.json) in $results" >&2
    exit 2
fi
mkdir -p "$report"
"$bin" merge "${parts[@]}" --format json -o "$report/organisation.json"
"$bin" merge "${parts[@]}" --format markdown -o "$report/summary.md" --fail-on "${FAIL_ON:-high}"
