#!/usr/bin/env python3
"""Reference figures for the cxm statistics core (SPEC §4.1–4.4, §4.11).

Re-run (from the repository root) after a deliberate change:

    python3 tools/reference/gen_stats_fixtures.py

It writes crates/cxm-core/tests/fixtures/stats_reference.json, which
crates/cxm-core/tests/stats_reference.rs checks to 1e-9 relative tolerance.
Requires python3 with numpy and scipy (no statsmodels). Every dataset is
generated from a fixed numpy seed, and every figure is computed here
independently of the Rust code, with numpy/scipy routines wherever scipy has
one (ttest_ind, chi2_contingency, pearsonr, spearmanr, false_discovery_control,
t.interval, norm.ppf) and with the textbook formula otherwise (NPS, Wilson).
The raw input data is stored next to the expected values.

Published worked example: Agresti, A. (2007) "An Introduction to Categorical
Data Analysis", 2nd ed., Wiley, Table 2.5 (party identification by gender,
GSS): X^2 = 30.07 on df = 2, adjusted residuals 4.50, 0.70, -5.32 (females)
— reproduced below as chi_square case "agresti_2007_table_2_5".
"""
import json
import os

import numpy as np
from scipy import stats

SEED = 20240611
rng = np.random.default_rng(SEED)
Z95 = float(stats.norm.ppf(0.975))
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "crates", "cxm-core", "tests", "fixtures", "stats_reference.json")


def fl(a):
    return [float(v) for v in np.asarray(a, dtype=float).ravel()]


def kish(w):
    w = np.asarray(w, dtype=float)
    return float(w.sum() ** 2 / (w ** 2).sum())


# ---------------------------------------------------------------- NPS §4.1
def nps_ref(scores, weights=None):
    s = np.asarray(scores, dtype=float)
    w = np.ones_like(s) if weights is None else np.asarray(weights, dtype=float)
    pro = w[s >= 9].sum()
    pas = w[(s >= 7) & (s <= 8)].sum()
    det = w[s <= 6].sum()
    tot = w.sum()
    p, d = pro / tot, det / tot
    n_eff = len(s) if weights is None else kish(w)
    nps = 100 * (p - d)
    se = 100 * np.sqrt((p + d - (p - d) ** 2) / n_eff)
    # cross-check: NPS is 100 * the (weighted) mean of +1/0/-1 scores
    pm = np.where(s >= 9, 1.0, np.where(s <= 6, -1.0, 0.0))
    assert abs(100 * np.average(pm, weights=w) - nps) < 1e-9
    return dict(n=len(s), effective_n=float(n_eff), promoters=float(pro), passives=float(pas),
                detractors=float(det), nps=float(nps), se=float(se),
                ci_lower=float(nps - 1.96 * se), ci_upper=float(nps + 1.96 * se),
                low_base=bool(len(s) < 30))


nps_cases = []
probs = np.array([3, 2, 2, 3, 4, 6, 8, 12, 18, 20, 22], dtype=float)
g1 = rng.choice(11, size=240, p=probs / probs.sum())
probs2 = np.array([2, 1, 2, 3, 3, 5, 7, 11, 15, 25, 26], dtype=float)
g2 = rng.choice(11, size=180, p=probs2 / probs2.sum())
g3 = rng.choice(11, size=25)
w1 = rng.uniform(0.4, 2.5, size=240)
nps_cases.append(dict(name="group_a", scores=fl(g1), weights=None, expected=nps_ref(g1)))
nps_cases.append(dict(name="group_b", scores=fl(g2), weights=None, expected=nps_ref(g2)))
nps_cases.append(dict(name="small_low_base", scores=fl(g3), weights=None, expected=nps_ref(g3)))
nps_cases.append(dict(name="all_promoters", scores=[10.0] * 40, weights=None,
                      expected=nps_ref([10.0] * 40)))
nps_cases.append(dict(name="group_a_weighted", scores=fl(g1), weights=fl(w1),
                      expected=nps_ref(g1, w1)))
nps_diffs = []
for a, b in [(0, 1), (0, 2), (1, 3), (4, 1)]:
    ea, eb = nps_cases[a]["expected"], nps_cases[b]["expected"]
    z = (ea["nps"] - eb["nps"]) / np.hypot(ea["se"], eb["se"])
    nps_diffs.append(dict(a=a, b=b, z=float(z), p=float(2 * stats.norm.sf(abs(z)))))


# ------------------------------------------------------- shares, means §4.2–4.4
def wilson(x, n):
    p = x / n
    z2 = Z95 ** 2
    c = (p + z2 / (2 * n)) / (1 + z2 / n)
    h = Z95 / (1 + z2 / n) * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return float(max(c - h, 0.0)), float(min(c + h, 1.0))


def share_ref(values, threshold, weights=None):
    v = np.asarray(values, dtype=float)
    w = np.ones_like(v) if weights is None else np.asarray(weights, dtype=float)
    share = w[v >= threshold].sum() / w.sum()
    n_eff = len(v) if weights is None else kish(w)
    lo, hi = wilson(share * n_eff, n_eff)
    return dict(n=len(v), effective_n=float(n_eff), successes=float(w[v >= threshold].sum()),
                share=float(share), se=float(np.sqrt(share * (1 - share) / n_eff)),
                ci_lower=lo, ci_upper=hi)


def mean_ref(values, weights=None):
    v = np.asarray(values, dtype=float)
    if weights is None:
        m = v.mean()
        sd = v.std(ddof=1)
        se = stats.sem(v)
        lo, hi = stats.t.interval(0.95, len(v) - 1, loc=m, scale=se)
        return dict(n=len(v), effective_n=float(len(v)), mean=float(m), sd=float(sd),
                    se=float(se), df=float(len(v) - 1), ci_lower=float(lo), ci_upper=float(hi))
    w = np.asarray(weights, dtype=float)
    n_eff = kish(w)
    m = np.average(v, weights=w)
    var = np.average((v - m) ** 2, weights=w) * n_eff / (n_eff - 1)
    se = np.sqrt(var / n_eff)
    lo, hi = stats.t.interval(0.95, n_eff - 1, loc=m, scale=se)
    return dict(n=len(v), effective_n=n_eff, mean=float(m), sd=float(np.sqrt(var)), se=float(se),
                df=float(n_eff - 1), ci_lower=float(lo), ci_upper=float(hi))


share_cases = []
csat = rng.choice([1, 2, 3, 4, 5], size=150, p=[0.06, 0.09, 0.2, 0.35, 0.3]).astype(float)
csat_w = rng.uniform(0.5, 3.0, size=150)
ces = rng.choice(np.arange(1, 8), size=90, p=[0.05, 0.05, 0.1, 0.15, 0.25, 0.25, 0.15]).astype(float)
csat_small = rng.choice([1, 2, 3, 4, 5], size=12).astype(float)
for name, vals, thr, w in [("csat", csat, 4.0, None), ("csat_weighted", csat, 4.0, csat_w),
                           ("ces_easy", ces, 5.0, None), ("csat_small", csat_small, 4.0, None),
                           ("all_fives", np.full(35, 5.0), 4.0, None),
                           ("all_ones", np.full(20, 1.0), 4.0, None)]:
    case = dict(name=name, values=fl(vals), threshold=thr,
                weights=None if w is None else fl(w),
                share=share_ref(vals, thr, w))
    if vals.std() > 0:
        case["mean"] = mean_ref(vals, w)
    share_cases.append(case)

wilson_cases = []
for x, n in [(0, 10), (10, 10), (1, 1), (37, 120), (81, 95), (5, 1000), (2.5, 7.25)]:
    lo, hi = wilson(float(x), float(n))
    wilson_cases.append(dict(x=float(x), n=float(n), lower=lo, upper=hi))

# two-proportion z-test (pooled): its p equals the uncorrected 2x2 chi-square p
prop_cases = []
for x1, n1, x2, n2 in [(45, 120, 30, 110), (8, 40, 19, 44), (300, 1000, 270, 950)]:
    table = np.array([[x1, n1 - x1], [x2, n2 - x2]], dtype=float)
    chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
    pool = (x1 + x2) / (n1 + n2)
    z = (x1 / n1 - x2 / n2) / np.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2))
    assert abs(z * z - chi2) < 1e-9 * chi2
    prop_cases.append(dict(x1=float(x1), n1=float(n1), x2=float(x2), n2=float(n2),
                           z=float(z), p=float(p)))

welch_cases = []
for na, nb, ma, mb, sa, sb in [(40, 55, 3.9, 3.6, 0.9, 1.3), (12, 300, 7.1, 7.4, 2.0, 1.1),
                               (8, 9, 0.0, 0.0, 1.0, 5.0)]:
    a = np.round(rng.normal(ma, sa, size=na), 3)
    b = np.round(rng.normal(mb, sb, size=nb), 3)
    r = stats.ttest_ind(a, b, equal_var=False)
    va, vb = a.var(ddof=1) / na, b.var(ddof=1) / nb
    df = (va + vb) ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1))
    welch_cases.append(dict(a=fl(a), b=fl(b), t=float(r.statistic), p=float(r.pvalue),
                            df=float(getattr(r, "df", df))))


# ---------------------------------------------------------- chi-square §4.4
def chi_ref(name, table):
    t = np.asarray(table, dtype=float)
    chi2, p, dof, exp = stats.chi2_contingency(t, correction=False)
    n = t.sum()
    rs = t.sum(axis=1, keepdims=True) / n
    cs = t.sum(axis=0, keepdims=True) / n
    adj = (t - exp) / np.sqrt(exp * (1 - rs) * (1 - cs))
    return dict(name=name, table=[fl(r) for r in t], statistic=float(chi2), df=int(dof),
                p=float(p), expected=[fl(r) for r in exp], adjusted_residuals=[fl(r) for r in adj])


chi_cases = [chi_ref("agresti_2007_table_2_5", [[762, 327, 468], [484, 239, 477]])]
ag = chi_cases[0]
assert abs(ag["statistic"] - 30.07) < 0.01
assert np.allclose(ag["adjusted_residuals"][0], [4.50, 0.70, -5.32], atol=0.005)
chi_cases.append(chi_ref("random_3x4", rng.integers(5, 80, size=(3, 4))))
chi_cases.append(chi_ref("random_5x2", rng.integers(1, 40, size=(5, 2))))
chi_cases.append(chi_ref("independent_exact", [[10, 20], [20, 40]]))

# ------------------------------------------------------------- BH §4.4
bh_cases = []
for ps in [np.concatenate([rng.uniform(0, 0.01, 5), rng.uniform(0, 1, 15)]),
           np.array([0.01, 0.01, 0.03, 0.03, 0.2, 1.0, 0.0, 0.04]),
           np.array([0.5]),
           rng.uniform(0, 0.2, 30)]:
    adj = stats.false_discovery_control(ps, method="bh")
    bh_cases.append(dict(p=fl(ps), adjusted=fl(adj), q=0.05, reject=[bool(a <= 0.05) for a in adj]))

# ----------------------------------------------------- correlations §4.11
corr_cases = []
x = rng.normal(size=60)
y = 0.6 * x + rng.normal(size=60)
xt = rng.integers(1, 6, size=80).astype(float)       # many ties
yt = np.clip(np.round(xt + rng.normal(0, 1.2, size=80)), 1, 5)
xm = np.arange(10.0)
ym = xm ** 3
for name, a, b in [("normal", x, y), ("ties", xt, yt), ("monotone", xm, ym)]:
    pr = stats.pearsonr(a, b)
    sr = stats.spearmanr(a, b)
    corr_cases.append(dict(name=name, x=fl(a), y=fl(b), pearson=float(pr.statistic),
                           pearson_p=float(pr.pvalue), spearman=float(sr.statistic),
                           spearman_p=float(sr.pvalue),
                           ranks_x=fl(stats.rankdata(a, method="average"))))


# ---------------------------------------------- Johnson relative weights §4.11
def johnson(X, y, rel_tol=1e-10):
    R = np.corrcoef(np.column_stack([X, y]), rowvar=False)
    rxx, rxy = R[:-1, :-1], R[:-1, -1]
    lam, V = np.linalg.eigh(rxx)
    lam = np.clip(lam, 0, None)
    half = V @ np.diag(np.sqrt(lam)) @ V.T
    inv = np.where(lam > rel_tol * lam.max(), 1 / np.sqrt(np.where(lam > 0, lam, 1)), 0.0)
    beta = V @ np.diag(inv) @ V.T @ rxy
    raw = (half ** 2) @ (beta ** 2)
    # independent R^2: ordinary least squares with intercept
    A = np.column_stack([np.ones(len(y)), X])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    resid = y - A @ coef
    r2 = 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean()))
    assert abs(raw.sum() - r2) < 1e-9, (raw.sum(), r2)
    return raw, r2, rxy


driver_cases = []
n, k = 300, 5
L = rng.normal(size=(n, 1))
Xd = np.clip(np.round(6 + 1.5 * (0.7 * L + 0.7 * rng.normal(size=(n, k))) +
                      np.array([0, 0.5, -0.5, 1, 0])), 0, 10)
yd = Xd @ np.array([0.5, 0.3, 0.1, 0.05, 0.0]) + rng.normal(0, 1.0, size=n)
yd = np.round(yd, 2)
X2 = rng.normal(size=(40, 3))
y2 = X2 @ np.array([1.0, -0.5, 0.2]) + rng.normal(size=40)
X3 = rng.normal(size=(50, 2))
X3 = np.column_stack([X3[:, 0], X3[:, 1], 2 * X3[:, 0] + 1])    # driver 2 = 2*driver 0 + 1
y3 = X3[:, 0] + 0.5 * X3[:, 1] + rng.normal(size=50)
for name, X, yv in [("ratings_5_drivers", Xd, yd), ("normal_3_drivers", X2, y2),
                    ("collinear", X3, y3)]:
    raw, r2, rxy = johnson(X, yv)
    driver_cases.append(dict(name=name, x=[fl(r) for r in X], y=fl(yv), raw=fl(raw),
                             rescaled=fl(100 * raw / raw.sum()), r_squared=float(r2),
                             correlations=fl(rxy),
                             means=fl(X.mean(axis=0))))

# A worked example with a known answer: two orthogonal (uncorrelated)
# drivers — relative weights equal the squared correlations.
Xo = np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]] * 3, dtype=float)
yo = np.array([2.0, 1.1, -0.3, -1.9, 2.2, 0.8, -0.1, -2.0, 1.9, 1.0, -0.2, -2.1])
raw, r2, rxy = johnson(Xo, yo)
assert np.allclose(raw, rxy ** 2)
driver_cases.append(dict(name="orthogonal", x=[fl(r) for r in Xo], y=fl(yo), raw=fl(raw),
                         rescaled=fl(100 * raw / raw.sum()), r_squared=float(r2),
                         correlations=fl(rxy), means=fl(Xo.mean(axis=0))))

out = dict(
    generator="tools/reference/gen_stats_fixtures.py",
    seed=SEED, numpy=np.__version__, scipy=__import__("scipy").__version__,
    z95=Z95,
    nps=nps_cases, nps_differences=nps_diffs, shares=share_cases, wilson=wilson_cases,
    two_proportion=prop_cases, welch=welch_cases, chi_square=chi_cases,
    benjamini_hochberg=bh_cases, correlation=corr_cases, drivers=driver_cases,
)
with open(OUT, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")
