//! Key driver analysis (SPEC §4.11): Johnson (2000) relative weights, a
//! seeded bootstrap of the weights, and importance–performance analysis.
//!
//! Reference: Johnson, J. W. (2000). "A heuristic method for estimating the
//! relative weight of predictor variables in multiple regression."
//! Multivariate Behavioral Research 35(1), 1–19.

use super::{Interval, StatsError};
use serde::{Deserialize, Serialize};

/// Eigenvalues at or below this fraction of the largest are treated as zero
/// when inverting (pseudo-inverse) — perfectly collinear drivers.
const EIGEN_REL_TOL: f64 = 1e-10;

/// Relative weights of k drivers for one outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelativeWeights {
    pub n: usize,
    /// Raw weight εⱼ per driver, in driver order; Σεⱼ = `r_squared`.
    pub raw: Vec<f64>,
    /// εⱼ as a percentage of R² (sums to 100; all 0 when R² = 0).
    pub rescaled: Vec<f64>,
    /// R² of the regression of y on all drivers.
    pub r_squared: f64,
    /// Pearson correlation of each driver with y.
    pub correlations: Vec<f64>,
}

/// Validates an n×k row-major driver matrix and the outcome; returns k.
fn validate(x: &[Vec<f64>], y: &[f64]) -> Result<usize, StatsError> {
    let n = x.len();
    if n == 0 {
        return Err(StatsError::Empty);
    }
    if y.len() != n {
        return Err(StatsError::LengthMismatch { expected: n, found: y.len() });
    }
    let k = x[0].len();
    if k == 0 {
        return Err(StatsError::InvalidParameter("no drivers".into()));
    }
    for (row, xi) in x.iter().enumerate() {
        if xi.len() != k {
            return Err(StatsError::LengthMismatch { expected: k, found: xi.len() });
        }
        if let Some(col) = xi.iter().position(|v| !v.is_finite()) {
            return Err(StatsError::NonFiniteCell { row, col });
        }
    }
    if let Some(index) = y.iter().position(|v| !v.is_finite()) {
        return Err(StatsError::NonFinite { index });
    }
    if n < k + 2 {
        return Err(StatsError::InsufficientData { needed: k + 2, found: n });
    }
    Ok(k)
}

/// Eigen-decomposition of a symmetric matrix by the cyclic Jacobi method.
/// Returns (eigenvalues, eigenvectors as columns: `v[row][col]`).
#[allow(clippy::needless_range_loop)] // index-heavy linear algebra reads better
pub(crate) fn symmetric_eigen(a: &[Vec<f64>]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let k = a.len();
    let mut a: Vec<Vec<f64>> = a.to_vec();
    let mut v = vec![vec![0.0; k]; k];
    for (i, row) in v.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    let norm: f64 = a.iter().flat_map(|r| r.iter()).map(|x| x * x).sum::<f64>().sqrt();
    if norm == 0.0 || !norm.is_finite() {
        return ((0..k).map(|i| a[i][i]).collect(), v);
    }
    for _sweep in 0..100 {
        let off: f64 = (0..k)
            .flat_map(|p| (0..k).filter(move |&q| q != p).map(move |q| (p, q)))
            .map(|(p, q)| a[p][q] * a[p][q])
            .sum::<f64>()
            .sqrt();
        if off <= 1e-17 * norm {
            break;
        }
        for p in 0..k {
            for q in (p + 1)..k {
                let apq = a[p][q];
                if apq.abs() <= 1e-300 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * apq);
                let t = if theta.abs() > 1e150 {
                    1.0 / (2.0 * theta)
                } else {
                    theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt())
                };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                // A ← Jᵀ A J, V ← V J
                for row in a.iter_mut() {
                    let (rp, rq) = (row[p], row[q]);
                    row[p] = c * rp - s * rq;
                    row[q] = s * rp + c * rq;
                }
                for col in 0..k {
                    let (pr, qr) = (a[p][col], a[q][col]);
                    a[p][col] = c * pr - s * qr;
                    a[q][col] = s * pr + c * qr;
                }
                a[p][q] = 0.0;
                a[q][p] = 0.0;
                for row in v.iter_mut() {
                    let (rp, rq) = (row[p], row[q]);
                    row[p] = c * rp - s * rq;
                    row[q] = s * rp + c * rq;
                }
            }
        }
    }
    ((0..k).map(|i| a[i][i]).collect(), v)
}

/// Johnson (2000) relative weights of the k drivers (columns of the
/// row-major n×k matrix `x`) for outcome `y`. SPEC §4.11.
///
/// Method: with driver correlation matrix `R = V Λ Vᵀ` and driver–outcome
/// correlations `r`, `Λ½ = V Λ^{1/2} Vᵀ` (correlations of drivers with their
/// closest orthogonal counterparts), `β = Λ½⁻¹ r`, and
/// `εⱼ = Σₘ (Λ½)ⱼₘ² βₘ²`; `R² = Σ βₘ²` = Σ εⱼ.
///
/// Edge cases (documented choices):
/// - n = 0 → `Empty`; n < k + 2 → `InsufficientData`; NaN/inf → `NonFiniteCell`/`NonFinite`.
/// - A constant driver → `ConstantDriver { index }` (its correlation with
///   anything is undefined; drop it or fix the data).
/// - A constant outcome → `ZeroVariance { what: "outcome" }`.
/// - Perfectly collinear drivers (singular R): negative round-off
///   eigenvalues are clamped to 0 and eigenvalues ≤ 1e-10·λmax are dropped
///   from the inverse (Moore–Penrose). R² is then still the OLS R², the
///   weights still sum to it, and exact duplicates share weight equally.
#[allow(clippy::needless_range_loop)]
pub fn relative_weights(x: &[Vec<f64>], y: &[f64]) -> Result<RelativeWeights, StatsError> {
    // SPEC §4.11
    let k = validate(x, y)?;
    let n = x.len();
    let nf = n as f64;
    let mut means = vec![0.0; k];
    for row in x {
        for (m, v) in means.iter_mut().zip(row) {
            *m += v;
        }
    }
    for m in means.iter_mut() {
        *m /= nf;
    }
    for j in 0..k {
        let first = x[0][j];
        if x.iter().all(|row| row[j] == first) {
            return Err(StatsError::ConstantDriver { index: j });
        }
    }
    if y.iter().all(|&v| v == y[0]) {
        return Err(StatsError::ZeroVariance { what: "outcome" });
    }
    let my = y.iter().sum::<f64>() / nf;
    // Cross-products of centred data.
    let mut sxx = vec![vec![0.0; k]; k];
    let mut sxy = vec![0.0; k];
    let mut syy = 0.0;
    let mut centred = vec![0.0; k];
    for (row, &yi) in x.iter().zip(y) {
        for j in 0..k {
            centred[j] = row[j] - means[j];
        }
        let dy = yi - my;
        syy += dy * dy;
        for i in 0..k {
            sxy[i] += centred[i] * dy;
            for j in i..k {
                sxx[i][j] += centred[i] * centred[j];
            }
        }
    }
    for j in 0..k {
        if sxx[j][j].is_nan() || sxx[j][j] <= 0.0 {
            return Err(StatsError::ConstantDriver { index: j });
        }
    }
    if syy.is_nan() || syy <= 0.0 {
        return Err(StatsError::ZeroVariance { what: "outcome" });
    }
    let sd: Vec<f64> = (0..k).map(|j| sxx[j][j].sqrt()).collect();
    let mut rxx = vec![vec![0.0; k]; k];
    for i in 0..k {
        rxx[i][i] = 1.0;
        for j in (i + 1)..k {
            let r = (sxx[i][j] / (sd[i] * sd[j])).clamp(-1.0, 1.0);
            rxx[i][j] = r;
            rxx[j][i] = r;
        }
    }
    let correlations: Vec<f64> = (0..k).map(|j| (sxy[j] / (sd[j] * syy.sqrt())).clamp(-1.0, 1.0)).collect();
    if rxx.iter().flatten().any(|v| !v.is_finite()) || correlations.iter().any(|v| !v.is_finite()) {
        return Err(StatsError::InvalidParameter("correlations overflowed; rescale the data".into()));
    }

    let (lambda, vecs) = symmetric_eigen(&rxx);
    let lambda: Vec<f64> = lambda.into_iter().map(|l| l.max(0.0)).collect();
    let lmax = lambda.iter().cloned().fold(0.0_f64, f64::max);
    let sqrt_l: Vec<f64> = lambda.iter().map(|l| l.sqrt()).collect();
    let inv_sqrt_l: Vec<f64> =
        lambda.iter().map(|&l| if l > EIGEN_REL_TOL * lmax { 1.0 / l.sqrt() } else { 0.0 }).collect();
    // Λ½ = V diag(√λ) Vᵀ and its pseudo-inverse.
    let mut half = vec![vec![0.0; k]; k];
    let mut half_inv = vec![vec![0.0; k]; k];
    for i in 0..k {
        for j in 0..k {
            let (mut h, mut hi) = (0.0, 0.0);
            for m in 0..k {
                let vv = vecs[i][m] * vecs[j][m];
                h += vv * sqrt_l[m];
                hi += vv * inv_sqrt_l[m];
            }
            half[i][j] = h;
            half_inv[i][j] = hi;
        }
    }
    let beta: Vec<f64> = (0..k).map(|i| (0..k).map(|j| half_inv[i][j] * correlations[j]).sum()).collect();
    let raw: Vec<f64> = (0..k).map(|j| (0..k).map(|m| half[j][m] * half[j][m] * beta[m] * beta[m]).sum()).collect();
    let r_squared: f64 = raw.iter().sum();
    let rescaled = if r_squared > 0.0 { raw.iter().map(|e| 100.0 * e / r_squared).collect() } else { vec![0.0; k] };
    Ok(RelativeWeights { n, raw, rescaled, r_squared, correlations })
}

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny deterministic generator
/// for the bootstrap. Not cryptographic.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform index in `0..n` (multiply-shift; bias < n/2⁶⁴). `n = 0` → 0.
    pub fn next_index(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
}

/// Bootstrap percentile intervals of the raw relative weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BootstrapWeights {
    /// 2.5th–97.5th percentile of each driver's raw weight.
    pub intervals: Vec<Interval>,
    /// Same for R².
    pub r_squared: Interval,
    pub replicates: usize,
    /// Replicates that could not be computed (e.g. a driver was constant in
    /// the resample) and were left out.
    pub failed: usize,
    pub seed: u64,
}

/// Linear-interpolated percentile of sorted data (numpy's default method).
fn percentile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    let a = sorted[lo.min(sorted.len() - 1)];
    let b = sorted[hi.min(sorted.len() - 1)];
    a + (b - a) * frac
}

/// Bootstrap 95 % percentile intervals of the raw relative weights:
/// `replicates` resamples of the rows with replacement, drawn by
/// [`SplitMix64`] from `seed` (same seed, same data → same intervals).
/// SPEC §4.11.
///
/// Resamples where the weights are undefined (a driver constant in the
/// resample) are skipped and counted in `failed`; if more than half fail the
/// result is `InsufficientData`. The input itself must be valid for
/// [`relative_weights`].
pub fn bootstrap_relative_weights(
    x: &[Vec<f64>],
    y: &[f64],
    replicates: usize,
    seed: u64,
) -> Result<BootstrapWeights, StatsError> {
    // SPEC §4.11
    let full = relative_weights(x, y)?;
    let k = full.raw.len();
    if replicates < 2 {
        return Err(StatsError::InvalidParameter("need at least 2 bootstrap replicates".into()));
    }
    let n = x.len();
    let mut rng = SplitMix64::new(seed);
    let mut draws: Vec<Vec<f64>> = vec![Vec::with_capacity(replicates); k];
    let mut r2 = Vec::with_capacity(replicates);
    let mut failed = 0;
    let mut xb: Vec<Vec<f64>> = vec![Vec::new(); n];
    let mut yb = vec![0.0; n];
    for _ in 0..replicates {
        for i in 0..n {
            let j = rng.next_index(n);
            xb[i].clone_from(&x[j]);
            yb[i] = y[j];
        }
        match relative_weights(&xb, &yb) {
            Ok(rw) => {
                for (d, e) in draws.iter_mut().zip(rw.raw) {
                    d.push(e);
                }
                r2.push(rw.r_squared);
            }
            Err(_) => failed += 1,
        }
    }
    let used = replicates - failed;
    if used * 2 < replicates || used < 2 {
        return Err(StatsError::InsufficientData { needed: replicates.div_ceil(2).max(2), found: used });
    }
    let interval = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        Interval::new(percentile_sorted(&v, 0.025), percentile_sorted(&v, 0.975))
    };
    Ok(BootstrapWeights {
        intervals: draws.into_iter().map(interval).collect(),
        r_squared: interval(r2),
        replicates,
        failed,
        seed,
    })
}

/// Importance–performance quadrant (SPEC §4.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IpaQuadrant {
    /// Important, low performance.
    FixFirst,
    /// Important, high performance.
    KeepUp,
    /// Unimportant, low performance.
    LowerPriority,
    /// Unimportant, high performance.
    PossibleOverkill,
}

impl IpaQuadrant {
    pub fn as_str(self) -> &'static str {
        match self {
            IpaQuadrant::FixFirst => "fix_first",
            IpaQuadrant::KeepUp => "keep_up",
            IpaQuadrant::LowerPriority => "lower_priority",
            IpaQuadrant::PossibleOverkill => "possible_overkill",
        }
    }
}

impl std::fmt::Display for IpaQuadrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Quadrant of one item against the cut points. Values equal to a cut
/// point count as "important" / "high". SPEC §4.11.
pub fn ipa_quadrant(importance: f64, performance: f64, importance_cut: f64, performance_cut: f64) -> IpaQuadrant {
    // SPEC §4.11
    match (importance >= importance_cut, performance >= performance_cut) {
        (true, false) => IpaQuadrant::FixFirst,
        (true, true) => IpaQuadrant::KeepUp,
        (false, false) => IpaQuadrant::LowerPriority,
        (false, true) => IpaQuadrant::PossibleOverkill,
    }
}

/// Quadrants of all items, with the cut points at the mean importance and
/// the mean performance across items. SPEC §4.11.
pub fn ipa_quadrants(importance: &[f64], performance: &[f64]) -> Result<Vec<IpaQuadrant>, StatsError> {
    // SPEC §4.11
    if importance.is_empty() {
        return Err(StatsError::Empty);
    }
    if importance.len() != performance.len() {
        return Err(StatsError::LengthMismatch { expected: importance.len(), found: performance.len() });
    }
    super::check_finite(importance)?;
    super::check_finite(performance)?;
    let m = importance.len() as f64;
    let ic = importance.iter().sum::<f64>() / m;
    let pc = performance.iter().sum::<f64>() / m;
    Ok(importance.iter().zip(performance).map(|(&i, &p)| ipa_quadrant(i, p, ic, pc)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_reconstructs_matrix() {
        let a = vec![vec![4.0, 1.0, 0.5], vec![1.0, 3.0, 0.2], vec![0.5, 0.2, 1.0]];
        let (l, v) = symmetric_eigen(&a);
        for i in 0..3 {
            for j in 0..3 {
                let r: f64 = (0..3).map(|m| v[i][m] * l[m] * v[j][m]).sum();
                assert!((r - a[i][j]).abs() < 1e-13);
            }
        }
    }

    #[test]
    fn splitmix_reference_values() {
        // First outputs for seed 1234567 from the reference C code by Vigna.
        let mut r = SplitMix64::new(1234567);
        assert_eq!(r.next_u64(), 6457827717110365317);
        assert_eq!(r.next_u64(), 3203168211198807973);
    }
}
