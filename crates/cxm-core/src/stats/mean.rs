//! Means with t-based 95 % intervals (SPEC §4.4).

use super::{Interval, LOW_BASE, StatsError, check_finite, check_weights, effective_n, t_quantile, weight_at};
use serde::{Deserialize, Serialize};

/// Mean of one group with its t-interval.
///
/// `sd`, `se`, `df` and `ci95` are `None` when they are undefined (a single
/// observation, or weights concentrated so that `n_eff ≤ 1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeanSummary {
    /// Observations (unweighted).
    pub n: usize,
    /// Kish effective n (= n unweighted).
    pub effective_n: f64,
    pub mean: f64,
    /// Sample standard deviation (n − 1 denominator; see [`mean_ci`]).
    pub sd: Option<f64>,
    pub se: Option<f64>,
    /// Degrees of freedom of the interval: `n_eff − 1`.
    pub df: Option<f64>,
    /// `mean ± t₀.₉₇₅(df)·se`; degenerate (width 0) when all values agree.
    pub ci95: Option<Interval>,
    pub low_base: bool,
}

/// Mean with t-based 95 % CI, optionally weighted. SPEC §4.4.
///
/// Unweighted: the textbook `x̄ ± t₀.₉₇₅(n−1)·s/√n` (as
/// `scipy.stats.t.interval`).
///
/// Weighted (documented choice): mean `Σwx/Σw`; variance
/// `v = Σw(x − x̄)²/Σw · n_eff/(n_eff − 1)` with Kish's
/// `n_eff = (Σw)²/Σw²`; `se = sqrt(v/n_eff)`; `df = n_eff − 1` (fractional
/// df allowed). This reduces exactly to the unweighted formula for equal
/// weights.
pub fn mean_ci(values: &[f64], weights: Option<&[f64]>) -> Result<MeanSummary, StatsError> {
    // SPEC §4.4
    if values.is_empty() {
        return Err(StatsError::Empty);
    }
    check_finite(values)?;
    check_weights(weights, values.len())?;
    let n = values.len();
    let sw: f64 = (0..n).map(|i| weight_at(weights, i)).sum();
    let mean = (0..n).map(|i| weight_at(weights, i) * values[i]).sum::<f64>() / sw;
    let n_eff = match weights {
        Some(w) => effective_n(w).ok_or(StatsError::ZeroWeight)?,
        None => n as f64,
    };
    let mut out =
        MeanSummary { n, effective_n: n_eff, mean, sd: None, se: None, df: None, ci95: None, low_base: n < LOW_BASE };
    // n_eff is 1 up to rounding when a single weight is non-zero.
    if n < 2 || n_eff <= 1.0 + 1e-12 {
        return Ok(out);
    }
    let ss = (0..n)
        .map(|i| {
            let d = values[i] - mean;
            weight_at(weights, i) * d * d
        })
        .sum::<f64>();
    let var = ss / sw * n_eff / (n_eff - 1.0);
    let sd = var.sqrt();
    let se = (var / n_eff).sqrt();
    let df = n_eff - 1.0;
    let t = t_quantile(0.975, df)?;
    out.sd = Some(sd);
    out.se = Some(se);
    out.df = Some(df);
    out.ci95 = Some(Interval::new(mean - t * se, mean + t * se));
    Ok(out)
}
