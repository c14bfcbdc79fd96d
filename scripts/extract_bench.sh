#!/usr/bin/env bash
# Side-by-side extraction benchmark: trafilatura (Python, default settings) vs
# chronicle-ingest's extract_html on article-extraction-benchmark and
# trafilatura-eval-en. Creates a throwaway venv under target/extract-bench/,
# installs trafilatura there (plus lxml_html_clean, which its jusText fallback
# needs with lxml >= 5.2), runs chronicle's extractor via the extract_eval
# example (--predict), then scripts/extract_bench.py scores both and prints one
# table. The Rust extractor crates from crates.io (dom_smoothie, libreadability,
# trafilatura, rs-trafilatura) are built one at a time from the standalone
# bench/extractors project (its own workspace) and scored as extra rows; a crate
# that fails to build is reported and skipped (set EXTRACT_BENCH_CRATES="" to
# skip them all). All tools run single-threaded, pinned to one core when
# taskset exists.
# Skips (exit 0) when the evaluation data is absent.
#
# Usage: scripts/extract_bench.sh [EVAL_BASE]   (default $CHRONICLE_EVAL_DIR or /work/shared/eval)
set -euo pipefail
cd "$(dirname "$0")/.."
BASE="${1:-${CHRONICLE_EVAL_DIR:-/work/shared/eval}}"
if [ ! -f "$BASE/article-extraction-benchmark/ground-truth.json" ] && [ ! -f "$BASE/trafilatura-eval-en/evaldata-en.json" ]; then
  echo "SKIP: no evaluation data under $BASE"
  exit 0
fi
WORK=target/extract-bench
mkdir -p "$WORK"
if [ ! -x "$WORK/venv/bin/python" ]; then
  python3 -m venv "$WORK/venv"
fi
"$WORK/venv/bin/python" -c 'import trafilatura' 2>/dev/null || "$WORK/venv/bin/pip" install -q trafilatura lxml_html_clean
PIN=()
if command -v taskset >/dev/null; then PIN=(taskset -c 0); fi
cargo build -q -p chronicle-ingest --release --example extract_eval
CHRONICLE_EVAL_DIR="$BASE" "${PIN[@]}" target/release/examples/extract_eval --predict "$WORK/chronicle.json"
EXTRA=()
for crate in ${EXTRACT_BENCH_CRATES-dom_smoothie libreadability trafilatura rs-trafilatura}; do
  if (cd bench/extractors && cargo build -q --release --no-default-features --features "$crate" 2>"../../$WORK/build-$crate.log"); then
    cp bench/extractors/target/release/chronicle-bench-extractors "$WORK/extractor-$crate"
    CHRONICLE_EVAL_DIR="$BASE" "${PIN[@]}" "$WORK/extractor-$crate" "$crate" "$WORK/$crate.json" "$BASE"
    name="$crate"; [ "$crate" = trafilatura ] && name="trafilatura-rs"  # not the Python row
    EXTRA+=("$name=$WORK/$crate.json")
  else
    echo "SKIP $crate: failed to build (see $WORK/build-$crate.log)"
  fi
done
"$WORK/venv/bin/python" -c 'import trafilatura; print("trafilatura", trafilatura.__version__)'
"${PIN[@]}" "$WORK/venv/bin/python" scripts/extract_bench.py "$WORK/chronicle.json" "$BASE" "${EXTRA[@]}"
