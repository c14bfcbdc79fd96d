#!/usr/bin/env python3
"""Side-by-side main-text extraction benchmark: trafilatura vs chronicle.

Takes the eval base directory (default /work/shared/eval, or $CHRONICLE_EVAL_DIR)
holding article-extraction-benchmark/ and trafilatura-eval-en/, and a JSON file of
chronicle's predictions written by
`cargo run -p chronicle-ingest --release --example extract_eval -- --predict OUT`.
Runs trafilatura (default settings: `extract(html)` for the text,
`extract_metadata(html)` for title/author/date) on the same pages, one page at a
time on one thread, scores both tools with the same code and prints one table.

Metrics:
  * article-extraction-benchmark: upstream evaluate.py -- `\\w+` word 4-gram
    shingles, per-document normalised TP/FP/FN, precision and recall averaged over
    documents, F1 from the averages.
  * trafilatura-eval-en: upstream tests/comparison.py snippet counting -- each
    `with` snippet in the output is a TP (else FN), each `without` snippet in it
    is an FP (else TN); P/R/F1 over all snippets (whitespace normalised for both
    tools). Title: exact match (whitespace normalised); date: YYYY-MM-DD exact;
    both counted over pages whose gold value is a non-empty string;
    author: every gold name (split on ';') among the tool's names, case-insensitive.
  * pages/s: thread CPU time of the extraction calls only (no file reading),
    single thread (`time.thread_time()` here, CLOCK_THREAD_CPUTIME_ID in the Rust
    tools): on a shared machine wall-clock time also counts other processes'
    work. trafilatura is timed twice: text only (`extract`) and text +
    metadata (`extract` + `extract_metadata`); chronicle's `extract_html` always
    does both.

Extra rows: further prediction files in the same format (the Rust extractor
crates run by bench/extractors) given as NAME=PATH after the base directory are
scored the same way; a missing file is reported and skipped.

Usage: extract_bench.py CHRONICLE_PREDICTIONS.json [EVAL_BASE] [NAME=PRED.json ...]
Exits 0 with a SKIP message when the data is absent.
"""
import gzip
import json
import os
import re
import sys
import time
from collections import Counter


def tokens(s):
    return re.findall(r"\w+", s or "")


def shingles(s, n=4):
    t = tokens(s)
    count = len(t) - n + 1 if len(t) >= n else 1
    c = Counter()
    for i in range(count):
        sh = tuple(t[i:i + n])
        if sh:
            c[sh] += 1
    return c


def shingle_score(truth, pred):
    ts, ps = shingles(truth), shingles(pred)
    tp = fp = fn = 0.0
    for k in set(ts) | set(ps):
        t, p = ts.get(k, 0), ps.get(k, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s > 0 else (0.0, 0.0, 0.0)


def precision(tp, fp, fn):
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0 and fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall(tp, fp, fn):
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0 and fn == 0:
        return 0.0
    return tp / (tp + fn)


def f1(p, r):
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def norm(s):
    return " ".join((s or "").split())


def score_zyte(gt, preds):
    ps, rs = [], []
    for k, v in gt.items():
        if k not in preds:
            continue
        tp, fp, fn = shingle_score(v.get("articleBody", ""), preds[k].get("text") or "")
        if tp + fp > 0:
            ps.append(precision(tp, fp, fn))
        if tp + fn > 0:
            rs.append(recall(tp, fp, fn))
    p = sum(ps) / max(1, len(ps))
    r = sum(rs) / max(1, len(rs))
    return {"n": len([k for k in gt if k in preds]), "P": p, "R": r, "F1": f1(p, r)}


def score_traf(data, preds):
    tp = fn = fp = tn = 0
    meta = {"title": [0, 0], "date": [0, 0], "author": [0, 0]}
    n = 0
    for k, v in data.items():
        if k not in preds:
            continue
        n += 1
        pr = preds[k]
        text = norm(pr.get("text"))
        for w in v.get("with", []):
            if pr.get("text") is not None and norm(w) in text:
                tp += 1
            else:
                fn += 1
        for w in v.get("without", []):
            if pr.get("text") is not None and norm(w) in text:
                fp += 1
            else:
                tn += 1
        # title/date: only where gold is a non-empty string ("" = annotators found none)
        if isinstance(v.get("title"), str) and v["title"]:
            meta["title"][1] += 1
            meta["title"][0] += pr.get("title") is not None and norm(pr["title"]) == norm(v["title"])
        if isinstance(v.get("date"), str) and v["date"]:
            meta["date"][1] += 1
            meta["date"][0] += pr.get("date") == v["date"]
        if isinstance(v.get("author"), str) and v["author"]:
            meta["author"][1] += 1
            ours = [norm(a).lower() for a in (pr.get("author") or "").split(";")]
            want = [norm(a).lower() for a in v["author"].split(";") if norm(a)]
            meta["author"][0] += all(w in ours for w in want)
    p = tp / max(1, tp + fp)
    r = tp / max(1, tp + fn)
    out = {"n": n, "P": p, "R": r, "F1": f1(p, r)}
    out.update({k: f"{a}/{b} ({a / max(1, b):.2f})" for k, (a, b) in meta.items()})
    return out


def run_trafilatura(pages):
    """pages: [(key, html_str)] -> (preds, secs_text, secs_text_meta)."""
    import trafilatura

    preds = {}
    t_text = t_meta = 0.0
    for key, html in pages:
        t0 = time.thread_time()
        try:
            text = trafilatura.extract(html)
        except Exception as e:  # noqa: BLE001 -- a crash counts as no output
            print(f"trafilatura failed on {key}: {e}", file=sys.stderr)
            text = None
        t1 = time.thread_time()
        try:
            m = trafilatura.extract_metadata(html)
        except Exception as e:  # noqa: BLE001
            print(f"trafilatura metadata failed on {key}: {e}", file=sys.stderr)
            m = None
        t2 = time.thread_time()
        t_text += t1 - t0
        t_meta += t2 - t1
        preds[key] = {
            "text": text,
            "title": getattr(m, "title", None),
            "author": getattr(m, "author", None),
            "date": (getattr(m, "date", None) or None) and str(m.date)[:10],
        }
    return preds, t_text, t_text + t_meta


def read_gz(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    # trafilatura gets bytes decoded the way it would decode them itself.
    return raw


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    chron_path = sys.argv[1]
    rest = sys.argv[2:]
    base = os.environ.get("CHRONICLE_EVAL_DIR", "/work/shared/eval")
    if rest and "=" not in rest[0]:
        base = rest.pop(0)
    extra = []
    for arg in rest:
        name, _, path = arg.partition("=")
        try:
            with open(path) as f:
                extra.append((name, json.load(f)))
        except (OSError, ValueError) as e:
            print(f"{name}: no predictions ({e}); row skipped")
    zdir = os.path.join(base, "article-extraction-benchmark")
    tdir = os.path.join(base, "trafilatura-eval-en")
    if not os.path.exists(os.path.join(zdir, "ground-truth.json")) and not os.path.exists(
        os.path.join(tdir, "evaldata-en.json")
    ):
        print(f"SKIP: no evaluation data under {base}")
        return 0
    with open(chron_path) as f:
        chron = json.load(f)
    tools = [("chronicle", chron)] + extra
    rows = []
    speeds = {}
    if os.path.exists(os.path.join(zdir, "ground-truth.json")):
        with open(os.path.join(zdir, "ground-truth.json")) as f:
            gt = json.load(f)
        pages = [(k, read_gz(os.path.join(zdir, "html", f"{k}.html.gz"))) for k in sorted(gt)]
        tp, ts, tsm = run_trafilatura(pages)
        ds = "article-extraction-benchmark"
        rows.append(("trafilatura", ds, score_zyte(gt, tp), len(pages) / ts, len(pages) / tsm))
        for name, preds in tools:
            c = preds.get(ds)
            if c:
                rows.append((name, ds, score_zyte(gt, c["pages"]), len(c["pages"]) / c["seconds"], None))
    if os.path.exists(os.path.join(tdir, "evaldata-en.json")):
        with open(os.path.join(tdir, "evaldata-en.json")) as f:
            data = json.load(f)
        pages = [(k, read_gz(os.path.join(tdir, "html", v["file"]))) for k, v in data.items() if "file" in v]
        tp, ts, tsm = run_trafilatura(pages)
        ds = "trafilatura-eval-en"
        rows.append(("trafilatura", ds, score_traf(data, tp), len(pages) / ts, len(pages) / tsm))
        for name, preds in tools:
            c = preds.get(ds)
            if c:
                rows.append((name, ds, score_traf(data, c["pages"]), len(c["pages"]) / c["seconds"], None))
    hdr = f"{'tool':<15} {'dataset':<29} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6}  {'title':<14} {'date':<14} {'author':<14} {'pages/s':>8} {'(+meta)':>8}"
    print(hdr)
    print("-" * len(hdr))
    for tool, ds, s, pps, ppsm in rows:
        print(
            f"{tool:<15} {ds:<29} {s['n']:>5} {s['P']:>6.3f} {s['R']:>6.3f} {s['F1']:>6.3f}  "
            f"{s.get('title', '-'):<14} {s.get('date', '-'):<14} {s.get('author', '-'):<14} "
            f"{pps:>8.1f} {(f'{ppsm:.1f}' if ppsm else '-'):>8}"
        )
        speeds.setdefault(ds, {})[tool] = (pps, ppsm)
    for ds, sp in speeds.items():
        if "trafilatura" not in sp:
            continue
        t_text, t_meta = sp["trafilatura"]
        for name, _ in tools:
            if name in sp:
                c = sp[name][0]
                print(
                    f"speed ratio on {ds}: {name}/trafilatura = {c / t_text:.1f}x (vs trafilatura text only), "
                    f"{c / t_meta:.1f}x (vs text + metadata)"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
