#!/usr/bin/env bash
# Throughput benchmark, separate from the tests.
#
# Builds the release binary and runs chronicle-bench over a fixed corpus built from
# the development data (ACLED notes, PolNeAR / MUC-4 / IndiaPoliceEvents / GLOCON
# articles as text, article-extraction-benchmark and trafilatura pages as HTML),
# cycled deterministically to 6,000 documents. Prints documents/s, sentences/s,
# MB/s, per-stage time and peak RSS, single-threaded and on all cores.
#
# Usage: scripts/bench.sh [DATA_DIR] [chronicle-bench options, e.g. --docs 2000 --json bench.json]
# DATA_DIR defaults to ../shared/eval (relative to the repo root). When it is
# absent the benchmark is skipped (exit 0).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-../shared/eval}"
shift || true
if [ ! -d "$DATA" ]; then
    echo "bench: skipped — evaluation data not found at $DATA"
    exit 0
fi
cargo build --release -p chronicle-eval --bin chronicle-bench
exec target/release/chronicle-bench --data "$DATA" "$@"
