#!/usr/bin/env python3
"""Reference figures for cxm-text's emerging topics and top terms (SPEC §5, §4.4).

Re-run (from the repository root) after a deliberate change:

    python3 tools/reference/gen_topics_fixtures.py

It writes crates/cxm-text/tests/fixtures/topics_reference.json, which
crates/cxm-text/tests/topics_reference.rs checks to 1e-9 relative tolerance.
Requires python3 with numpy and scipy (no statsmodels). Every figure is
computed here independently of the Rust code:

- z: the pooled two-proportion z statistic from its textbook formula,
  cross-checked against scipy's uncorrected 2x2 chi-square (z^2 = X^2);
- p: one-sided upper tail, scipy.stats.norm.sf(z);
- q: Benjamini-Hochberg from the definition (q_(i) = min_{j>=i} p_(j) m / j,
  capped at 1), cross-checked against scipy.stats.false_discovery_control;
- top terms: TF-IDF with smoothed idf ln((1+N)/(1+df)) + 1 and per-document
  L2 normalization, summed over documents (scikit-learn's TfidfVectorizer
  defaults), with numpy.

Conventions replicated from the specification of the Rust code (not from its
output): terms tested = terms of the current window in >= min_current_docs
documents; a pooled share of 0 or 1 gives z = 0 (p = 0.5); lift =
current_share / (max(baseline_docs, 0.5) / baseline window docs).
"""
import json
import os

import numpy as np
from scipy import stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "crates", "cxm-text", "tests", "fixtures", "topics_reference.json")


def z_pooled(x1, n1, x2, n2):
    pooled = (x1 + x2) / (n1 + n2)
    var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if var <= 0:
        return 0.0
    z = (x1 / n1 - x2 / n2) / np.sqrt(var)
    chi2, _, _, _ = stats.chi2_contingency(
        np.array([[x1, n1 - x1], [x2, n2 - x2]], dtype=float), correction=False)
    assert abs(z * z - chi2) <= 1e-9 * max(chi2, 1.0), (z, chi2)
    return float(z)


def bh(p):
    p = np.asarray(p, dtype=float)
    m = len(p)
    if m == 0:
        return []
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1.0)
    assert np.allclose(q, stats.false_discovery_control(p, method="bh"), rtol=1e-12, atol=0)
    return [float(v) for v in q]


def emerging_case(name, baseline_docs, current_docs, terms, min_current_docs=5, alpha=0.05):
    """terms: {term: (baseline count or None if absent, current count or None if absent)}"""
    baseline = {t: b for t, (b, _) in terms.items() if b is not None}
    current = {t: c for t, (_, c) in terms.items() if c is not None}
    tested = sorted(t for t, c in current.items() if c >= max(min_current_docs, 1))
    rows = []
    for t in tested:
        b, c = baseline.get(t, 0), current[t]
        z = z_pooled(c, current_docs, b, baseline_docs)
        rows.append(dict(term=t, baseline_docs=b, current_docs=c,
                         baseline_share=b / baseline_docs, current_share=c / current_docs,
                         lift=(c / current_docs) / (max(b, 0.5) / baseline_docs),
                         z=z, p=float(stats.norm.sf(z)), new=(b == 0)))
    for row, q in zip(rows, bh([r["p"] for r in rows])):
        row["q"] = q
    chosen = [r for r in rows if r["q"] <= alpha and r["current_share"] > r["baseline_share"]]
    chosen.sort(key=lambda r: (-r["z"], r["term"]))
    return dict(name=name, min_current_docs=min_current_docs, alpha=alpha,
                baseline=dict(docs=baseline_docs, by_term=baseline),
                current=dict(docs=current_docs, by_term=current),
                tested=rows, emerging=[r["term"] for r in chosen])


cases = [
    emerging_case("monthly", 1200, 800, {
        "物流": (150, 110),     # slight rise, not significant
        "客服": (90, 40),       # falling
        "价格": (60, 60),       # moderate rise
        "信号": (12, 64),       # strong rise
        "5g": (None, 25),       # new
        "积分": (None, 6),      # new, small
        "会员": (3, 4),         # below min_current_docs: not tested
        "app": (1200, 800),     # in every document of both windows: z = 0
        "闪退": (30, 31),
        "退款": (48, 45),
        "包装": (100, 40),      # falling
        "发票": (5, 9),
        "停车": (None, 5),
        "排队": (20, 20),
        "老板": (7, None),      # baseline only: not tested
    }),
    emerging_case("small_windows", 40, 30, {
        "信号": (2, 11),
        "网络": (5, 9),
        "客服": (10, 6),
        "电池": (None, 5),
        "屏幕": (1, 2),
    }, min_current_docs=3, alpha=0.1),
]

# ------------------------------------------------------------- top terms
def top_terms_ref(docs):
    n = len(docs)
    vocab = sorted({t for d in docs for t in d if t})
    idx = {t: i for i, t in enumerate(vocab)}
    tf = np.zeros((n, len(vocab)))
    for r, d in enumerate(docs):
        for t in d:
            if t:
                tf[r, idx[t]] += 1
    df = (tf > 0).sum(axis=0)
    idf = np.log((1 + n) / (1 + df)) + 1
    w = tf * idf
    norms = np.linalg.norm(w, axis=1)
    w[norms > 0] /= norms[norms > 0][:, None]
    score = w.sum(axis=0)
    rows = [dict(term=t, score=float(score[i]), docs=int(df[i])) for i, t in enumerate(vocab)]
    rows.sort(key=lambda r: (-r["score"], -r["docs"], r["term"]))
    return rows


term_docs = [
    ["物流", "慢", "快递员"],
    ["物流", "客服", "态度", "退款"],
    ["物流"],
    [],
    ["客服", "客服", "电话"],
    ["包装", "破", "物流", "退货"],
    ["delivery", "late", "refund"],
    ["refund", "staff", "rude"],
    ["信号", "5g", "网络"],
    ["信号", "网络"],
]
top_terms = [dict(name="mixed", docs=term_docs, expected=top_terms_ref(term_docs))]

out = dict(emerging=cases, top_terms=top_terms)
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w", encoding="utf-8") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")
