#!/usr/bin/env bash
# Run every fuzz target for SECONDS (default 180), seeded from tests/fixtures/ingest
# (ingest targets) and tests/fuzz/seeds/<target>/ (share links, stored workspaces,
# worker messages; rewrite those with
# `cargo test --test fuzz_regressions -- --ignored write_fuzz_seeds`).
#   bash tests/fuzz/run.sh [SECONDS] [TARGET...]
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# A crash leaves its input in tests/fuzz/artifacts/<target>/: fix the bug and copy
# the input into tests/fixtures/fuzz-regressions/ (tests/fuzz_regressions.rs replays them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
SECS="${1:-180}"; shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(detect parse_terraform parse_aws_config parse_aws_iam parse_azure parse_gcp_cai parse_kubernetes parse_cloudformation parse_scanners
  share_decode share_payload workspace_load transfer_from_json)
F=tests/fixtures/ingest
seed_dirs() {
  case "$1" in
    detect) echo "$F/terraform $F/aws-config $F/aws-iam $F/azure $F/gcp-cai $F/k8s $F/cloudformation tests/fixtures/scanners" ;;
    parse_terraform) echo "$F/terraform" ;;
    parse_aws_config) echo "$F/aws-config" ;;
    parse_aws_iam) echo "$F/aws-iam" ;;
    parse_azure) echo "$F/azure" ;;
    parse_gcp_cai) echo "$F/gcp-cai" ;;
    parse_kubernetes) echo "$F/k8s" ;;
    parse_cloudformation) echo "$F/cloudformation" ;;
    parse_scanners) echo "tests/fixtures/scanners" ;;
    share_decode|share_payload|workspace_load|transfer_from_json) echo "tests/fuzz/seeds/$1" ;;
  esac
}
for t in "${TARGETS[@]}"; do
  corpus="tests/fuzz/corpus/$t"
  mkdir -p "$corpus"
  for d in $(seed_dirs "$t"); do find "$d" -type f ! -name '*.md' -exec cp {} "$corpus/" \; ; done
  echo "== $t for ${SECS}s"
  # Full log (executions, coverage, any crash) in tests/fuzz/artifacts/<target>.log.
  mkdir -p tests/fuzz/artifacts
  cargo +nightly fuzz run --fuzz-dir tests/fuzz "$t" "$corpus" -- -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=10 -max_len=262144 2>&1 \
    | tee "tests/fuzz/artifacts/$t.log" | tail -n 4
  echo "   corpus: $(find "$corpus" -type f | wc -l) inputs"
done
