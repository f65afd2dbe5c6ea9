#!/usr/bin/env python3
"""Peer baselines for the sentiment benchmark: SnowNLP (zh) and VADER (en).

Usage: python3 tools/text/baselines.py ROWS.jsonl
ROWS.jsonl holds one JSON object a line: {"text": ..., "label": 0|1, "lang": "zh"|"en"|"en_cross"}.
zh rows: SnowNLP(text).sentiments >= 0.5 is positive; en and en_cross rows (the
English cross-domain set, reported apart): VADER compound >= 0.05.
Prints one JSON object: per language n, accuracy, macro-F1, confusion matrix
[[tn, fp], [fn, tp]], and the seconds and texts/s of the scoring loop alone
(single thread, after a warm-up on the first 50 texts).
"""

import json
import sys
import time

try:
    from snownlp import SnowNLP
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"baselines.py: cannot import the baseline libraries ({e}).\n"
          "Install them with:  python3 -m pip install -r tools/text/requirements.txt", file=sys.stderr)
    sys.exit(3)


def macro_f1(tn, fp, fn, tp):
    def f1(t, false_pos, false_neg):
        denom = 2 * t + false_pos + false_neg
        return 2 * t / denom if denom else 0.0
    return (f1(tp, fp, fn) + f1(tn, fn, fp)) / 2


def run(texts, labels, predict):
    for t in texts[:50]:  # warm-up: lazy loading, caches
        predict(t)
    start = time.perf_counter()
    preds = [predict(t) for t in texts]
    seconds = time.perf_counter() - start
    tn = sum(1 for p, y in zip(preds, labels) if not p and y == 0)
    fp = sum(1 for p, y in zip(preds, labels) if p and y == 0)
    fn = sum(1 for p, y in zip(preds, labels) if not p and y == 1)
    tp = sum(1 for p, y in zip(preds, labels) if p and y == 1)
    n = len(texts)
    return {
        "n": n,
        "accuracy": (tp + tn) / n if n else 0.0,
        "macro_f1": macro_f1(tn, fp, fn, tp),
        "confusion": [[tn, fp], [fn, tp]],
        "seconds": seconds,
        "texts_per_s": n / seconds if seconds > 0 else None,
    }


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    rows = {"zh": ([], []), "en": ([], []), "en_cross": ([], [])}
    with open(sys.argv[1], encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("lang") not in rows or row.get("label") not in (0, 1):
                sys.exit(f"{sys.argv[1]}:{number}: need lang zh|en|en_cross and label 0|1")
            rows[row["lang"]][0].append(str(row["text"]))
            rows[row["lang"]][1].append(row["label"])

    out = {}
    texts, labels = rows["zh"]
    if texts:
        out["zh"] = {"baseline": "snownlp 0.12.3, sentiments >= 0.5",
                     **run(texts, labels, lambda t: SnowNLP(t).sentiments >= 0.5)}
    vader = SentimentIntensityAnalyzer()
    for lang in ("en", "en_cross"):
        texts, labels = rows[lang]
        if texts:
            out[lang] = {"baseline": "vaderSentiment 3.3.2, compound >= 0.05",
                         **run(texts, labels, lambda t: vader.polarity_scores(t)["compound"] >= 0.05)}
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
