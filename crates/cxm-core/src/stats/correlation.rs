//! Pearson and Spearman correlations (SPEC §4.11).

use super::{StatsError, check_finite, t_two_sided_p};

fn check_pair(x: &[f64], y: &[f64]) -> Result<(), StatsError> {
    if x.len() != y.len() {
        return Err(StatsError::LengthMismatch { expected: x.len(), found: y.len() });
    }
    if x.len() < 2 {
        return Err(StatsError::InsufficientData { needed: 2, found: x.len() });
    }
    check_finite(x)?;
    check_finite(y)
}

/// Pearson product-moment correlation, clamped to [−1, 1]. SPEC §4.11.
///
/// Needs n ≥ 2 and both variables non-constant (`ZeroVariance`).
pub fn pearson(x: &[f64], y: &[f64]) -> Result<f64, StatsError> {
    // SPEC §4.11
    check_pair(x, y)?;
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let dx = a - mx;
        let dy = b - my;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    if sxx.is_nan() || sxx <= 0.0 {
        return Err(StatsError::ZeroVariance { what: "x" });
    }
    if syy.is_nan() || syy <= 0.0 {
        return Err(StatsError::ZeroVariance { what: "y" });
    }
    let r = sxy / (sxx.sqrt() * syy.sqrt());
    if r.is_finite() { Ok(r.clamp(-1.0, 1.0)) } else { Err(StatsError::ZeroVariance { what: "x or y" }) }
}

/// 1-based ranks with ties given their average rank (as
/// `scipy.stats.rankdata(method='average')`). NaN sorts last.
pub fn average_ranks(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![0.0; n];
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && x[order[j]] == x[order[i]] {
            j += 1;
        }
        // positions i..j (0-based) share ranks i+1..=j
        let avg = (i + 1 + j) as f64 / 2.0;
        for &k in &order[i..j] {
            ranks[k] = avg;
        }
        i = j;
    }
    ranks
}

/// Spearman rank correlation: Pearson on average ranks (ties handled as in
/// `scipy.stats.spearmanr`). SPEC §4.11.
pub fn spearman(x: &[f64], y: &[f64]) -> Result<f64, StatsError> {
    // SPEC §4.11
    check_pair(x, y)?;
    pearson(&average_ranks(x), &average_ranks(y))
}

/// Two-sided p-value of H₀: ρ = 0 for a correlation `r` from `n` pairs,
/// via `t = r·sqrt((n−2)/(1−r²))` on n − 2 df (the p of
/// `scipy.stats.pearsonr` and `spearmanr`). |r| = 1 gives 0.
pub fn correlation_p_value(r: f64, n: usize) -> Result<f64, StatsError> {
    // SPEC §4.11
    if !r.is_finite() {
        return Err(StatsError::NonFinite { index: 0 });
    }
    if !(-1.0..=1.0).contains(&r) {
        return Err(StatsError::InvalidParameter(format!("correlation {r} outside [-1, 1]")));
    }
    if n < 3 {
        return Err(StatsError::InsufficientData { needed: 3, found: n });
    }
    let denom = 1.0 - r * r;
    if denom <= 0.0 {
        return Ok(0.0);
    }
    let df = (n - 2) as f64;
    let t = r * (df / denom).sqrt();
    t_two_sided_p(t, df)
}
