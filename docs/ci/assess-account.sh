#!/usr/bin/env bash
# Assess the configuration exports of one account, subscription or project.
#
#   assess-account.sh ACCOUNT EXPORTS_DIR RESULTS_DIR
#
# Reads every export in EXPORTS_DIR (*.json, *.json.gz, *.yaml, *.yml, *.csv:
# Terraform plans and states, AWS Config snapshots, IAM reports, Azure and
# Google Cloud exports, Kubernetes manifests, CloudFormation templates),
# assesses them as one inventory and writes RESULTS_DIR/ACCOUNT.json (the
# input of `iso27017 merge`) and RESULTS_DIR/ACCOUNT.sarif (for code-scanning
# dashboards), and prints the findings table to the job log.
#
# Environment: ISO27017  the iso27017 binary (default: `iso27017` on PATH)
# Exit code: 0 when assessed (the gate is the merge job's), 2 when an export
# cannot be read or used.
set -euo pipefail

if [ "$#" -ne 3 ]; then
    echo "usage: $0 ACCOUNT EXPORTS_DIR RESULTS_DIR" >&2
    exit 2
fi
account="$1" exports="$2" results="$3"
bin="${ISO27017:-iso27017}"
case "$account" in
    ''|*/*|.*) echo "error: ACCOUNT must be a plain name (no '/', not starting with '.'): '$account'" >&2; exit 2 ;;
esac

shopt -s nullglob
files=("$exports"/*.json "$exports"/*.json.gz "$exports"/*.yaml "$exports"/*.yml "$exports"/*.csv)
if [ "${#files[@]}" -eq 0 ]; then
    echo "error: no export files in $exports" >&2
    exit 2
fi
mkdir -p "$results"
"$bin" assess "${files[@]}" --format json --fail-on none -o "$results/$account.json"
"$bin" assess "${files[@]}" --format sarif --fail-on none -o "$results/$account.sarif"
"$bin" assess "${files[@]}" --format table --fail-on none
