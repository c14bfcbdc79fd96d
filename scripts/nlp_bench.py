"""spaCy side of scripts/nlp_bench.sh: en_core_web_sm NER on a CoNLL-2003 file.

Takes the CoNLL-2003 file path; gives micro P/R/F1 (conlleval semantics: exact
span and type; IOB1 gold converted to spans) on the gold words of each
sentence, and spaCy's tokens/s. spaCy labels are mapped to CoNLL types:
PERSON->PER, ORG->ORG, GPE/LOC/FAC->LOC, NORP/EVENT/PRODUCT/WORK_OF_ART/LAW/
LANGUAGE->MISC; other labels (dates, numbers, money...) are dropped.
Prints `RESULT key=value` lines.
"""

import sys
import time

MAP = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}


def read_conll(path):
    """Sentences of (words, tags), split at blank and -DOCSTART- lines."""
    sents, words, tags = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n").rstrip()
            if not line or line.startswith("-DOCSTART-"):
                if words:
                    sents.append((words, tags))
                    words, tags = [], []
                continue
            cols = line.split(" ")
            words.append(cols[0])
            tags.append(cols[-1])
    if words:
        sents.append((words, tags))
    return sents


def tag_spans(tags):
    """(start, end, type) of an IOB1/BIO sequence, as our Rust `tag_spans`."""
    out, open_ = [], None
    for i, t in enumerate(tags):
        if "-" in t and t.split("-", 1)[0] in ("B", "I"):
            bio, ty = t.split("-", 1)
        else:
            bio, ty = "O", ""
        continues = bio == "I" and open_ is not None and open_[1] == ty
        if not continues:
            if open_ is not None:
                out.append((open_[0], i, open_[1]))
                open_ = None
            if bio != "O":
                open_ = (i, ty)
    if open_ is not None:
        out.append((open_[0], len(tags), open_[1]))
    return out


def prf(tp, npred, ngold):
    p = tp / max(npred, 1)
    r = tp / max(ngold, 1)
    f = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return 100 * p, 100 * r, 100 * f


def main():
    import spacy
    from spacy.tokens import Doc

    path = sys.argv[1]
    model = sys.argv[2] if len(sys.argv) > 2 else "en_core_web_sm"
    sents = read_conll(path)
    t0 = time.perf_counter()
    nlp = spacy.load(model)
    print(f"RESULT spacy_load_ms={1e3 * (time.perf_counter() - t0):.0f}")
    print(f"RESULT spacy_version={spacy.__version__}")
    print(f"RESULT spacy_model={nlp.meta.get('name')}-{nlp.meta.get('version')}")
    print(f"RESULT spacy_pipeline={'+'.join(nlp.pipe_names)}")
    ntok = sum(len(w) for w, _ in sents)
    docs = [Doc(nlp.vocab, words=w) for w, _ in sents]
    t0, c0 = time.perf_counter(), time.process_time()
    out = list(nlp.pipe(docs, batch_size=256))
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"RESULT spacy_tokens={ntok}")
    print(f"RESULT spacy_full_pipeline_tokens_per_s={ntok / secs:.0f}")
    print(f"RESULT spacy_full_pipeline_tokens_per_cpu_s={ntok / cpu:.0f}")
    counts = {}
    for (words, tags), doc in zip(sents, out):
        gold = set(tag_spans(tags))
        pred = set()
        for e in doc.ents:
            ty = MAP.get(e.label_)
            if ty:
                pred.add((e.start, e.end, ty))
        for g in gold:
            counts.setdefault(g[2], [0, 0, 0])[2] += 1
        for p in pred:
            c = counts.setdefault(p[2], [0, 0, 0])
            c[1] += 1
            c[0] += p in gold
    tot = [0, 0, 0]
    for ty in sorted(counts):
        c = counts[ty]
        tot = [a + b for a, b in zip(tot, c)]
        p, r, f = prf(*c)
        print(f"spacy {ty:<5} P {p:6.2f} R {r:6.2f} F1 {f:6.2f} ({c[2]} gold)")
        print(f"RESULT spacy_f1_{ty}={f:.2f}")
    p, r, f = prf(*tot)
    print(f"RESULT spacy_p={p:.2f}")
    print(f"RESULT spacy_r={r:.2f}")
    print(f"RESULT spacy_f1={f:.2f}")
    # NER alone (tok2vec + ner), the part comparable to our NER + POS
    ner_only = [p for p in nlp.pipe_names if p not in ("tok2vec", "ner")]
    docs = [Doc(nlp.vocab, words=w) for w, _ in sents]
    with nlp.select_pipes(disable=ner_only):
        t0, c0 = time.perf_counter(), time.process_time()
        list(nlp.pipe(docs, batch_size=256))
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"RESULT spacy_ner_only_tokens_per_s={ntok / secs:.0f}")
    print(f"RESULT spacy_ner_only_tokens_per_cpu_s={ntok / cpu:.0f}")


if __name__ == "__main__":
    main()
