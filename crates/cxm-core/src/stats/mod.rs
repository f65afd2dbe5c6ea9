//! Statistics (SPEC §4): metrics, intervals, significance tests and key
//! driver analysis.
//!
//! Architecture invariant: everything here is a pure function of its
//! arguments. No I/O, no randomness except the explicitly seeded bootstrap,
//! and no panics on any input: undefined cases are reported as
//! [`StatsError`] values (or `Option::None` for optional by-products such as
//! the interval of a single observation).
//!
//! Conventions shared by all modules:
//! - Non-finite inputs (NaN, ±inf) are rejected with an error, never
//!   propagated.
//! - Optional respondent weights (post-stratification, SPEC §4.4) must be
//!   finite and ≥ 0 with a positive sum. Point estimates use the weights;
//!   sampling variability uses Kish's effective sample size
//!   `n_eff = (Σw)² / Σw²` in place of n (see [`effective_n`]). Without
//!   weights `n_eff = n` and every formula reduces to the textbook one.
//! - The low-base flag (SPEC §4: base under 30) always looks at the
//!   unweighted number of respondents.

pub mod aggregate;
pub mod correlation;
pub mod crosstab;
pub mod drivers;
pub mod hypothesis;
pub mod mean;
pub mod multiple;
pub mod nps;
pub mod proportion;

pub use aggregate::{mean_from_moments, nps_from_counts, share_from_counts};
pub use correlation::{average_ranks, correlation_p_value, pearson, spearman};
pub use crosstab::{ChiSquareResult, chi_square_independence};
pub use drivers::{
    BootstrapWeights, IpaQuadrant, RelativeWeights, SplitMix64, bootstrap_relative_weights, ipa_quadrant,
    ipa_quadrants, relative_weights,
};
pub use hypothesis::{
    TTest, ZTest, two_proportion_z_test, welch_t_test, welch_t_test_from_summaries, z_test_from_estimates,
};
pub use mean::{MeanSummary, mean_ci};
pub use multiple::{BhResult, benjamini_hochberg, benjamini_hochberg_reject};
pub use nps::{NpsSummary, nps, nps_difference};
pub use proportion::{RatingScale, RatingSummary, ShareSummary, rating_summary, top_box_share, wilson_interval};

use serde::{Deserialize, Serialize};

/// Bases below this are flagged "low base" (SPEC §4).
pub const LOW_BASE: usize = 30;

/// The two-sided 95 % normal quantile z₀.₉₇₅ = Φ⁻¹(0.975), used for Wilson
/// intervals (SPEC §4.2). NPS intervals use the literal 1.96 of SPEC §4.1.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// A closed interval `[lower, upper]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub lower: f64,
    pub upper: f64,
}

impl Interval {
    pub fn new(lower: f64, upper: f64) -> Self {
        Interval { lower, upper }
    }

    /// True when `x` lies in the closed interval.
    pub fn contains(&self, x: f64) -> bool {
        self.lower <= x && x <= self.upper
    }

    pub fn width(&self) -> f64 {
        self.upper - self.lower
    }
}

/// Why a statistic could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    #[error("no observations")]
    Empty,
    #[error("value at index {index} is not a finite number")]
    NonFinite { index: usize },
    #[error("value at row {row}, column {col} is not a finite number")]
    NonFiniteCell { row: usize, col: usize },
    #[error("weight at index {index} is invalid (weights must be finite and >= 0)")]
    InvalidWeight { index: usize },
    #[error("weights sum to zero")]
    ZeroWeight,
    #[error("length mismatch: expected {expected}, found {found}")]
    LengthMismatch { expected: usize, found: usize },
    #[error("value {value} at index {index} is outside the scale {min}..={max}")]
    OutOfRange { index: usize, value: f64, min: f64, max: f64 },
    #[error("not enough observations: need at least {needed}, found {found}")]
    InsufficientData { needed: usize, found: usize },
    #[error("driver {index} is constant (zero variance)")]
    ConstantDriver { index: usize },
    #[error("{what} has zero variance")]
    ZeroVariance { what: &'static str },
    #[error("invalid table: {0}")]
    InvalidTable(String),
    #[error("invalid parameter: {0}")]
    InvalidParameter(String),
}

/// Validates optional weights against `n` values.
pub(crate) fn check_weights(weights: Option<&[f64]>, n: usize) -> Result<(), StatsError> {
    if let Some(w) = weights {
        if w.len() != n {
            return Err(StatsError::LengthMismatch { expected: n, found: w.len() });
        }
        for (index, &wi) in w.iter().enumerate() {
            if !wi.is_finite() || wi < 0.0 {
                return Err(StatsError::InvalidWeight { index });
            }
        }
        if w.iter().sum::<f64>() <= 0.0 {
            return Err(StatsError::ZeroWeight);
        }
    }
    Ok(())
}

/// Rejects NaN and infinities.
pub(crate) fn check_finite(values: &[f64]) -> Result<(), StatsError> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(StatsError::NonFinite { index }),
        None => Ok(()),
    }
}

/// Kish's effective sample size `(Σw)² / Σw²` (SPEC §4.4, weighting).
/// Equals `n` for equal weights. Returns `None` for an empty slice or zero
/// total weight.
pub fn effective_n(weights: &[f64]) -> Option<f64> {
    let s: f64 = weights.iter().sum();
    let s2: f64 = weights.iter().map(|w| w * w).sum();
    if s2 > 0.0 && s.is_finite() && s2.is_finite() { Some(s * s / s2) } else { None }
}

/// The weight of observation `i` (1 when unweighted).
#[inline]
pub(crate) fn weight_at(weights: Option<&[f64]>, i: usize) -> f64 {
    weights.and_then(|w| w.get(i).copied()).unwrap_or(1.0)
}

/// Standard normal two-sided p-value for a z statistic.
pub(crate) fn normal_two_sided_p(z: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    if z.is_nan() {
        return f64::NAN;
    }
    match Normal::new(0.0, 1.0) {
        Ok(n) => (2.0 * n.sf(z.abs())).min(1.0),
        Err(_) => f64::NAN,
    }
}

/// Two-sided p-value of Student's t with `df` degrees of freedom.
pub(crate) fn t_two_sided_p(t: f64, df: f64) -> Result<f64, StatsError> {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    let dist =
        StudentsT::new(0.0, 1.0, df).map_err(|_| StatsError::InvalidParameter(format!("degrees of freedom {df}")))?;
    if t.is_infinite() {
        return Ok(0.0);
    }
    Ok((2.0 * dist.sf(t.abs())).min(1.0))
}

/// Quantile of Student's t with `df` degrees of freedom, polished with
/// Newton steps on the CDF so it agrees with scipy's `t.ppf` to ~1e-13.
pub(crate) fn t_quantile(p: f64, df: f64) -> Result<f64, StatsError> {
    use statrs::distribution::{Continuous, ContinuousCDF, StudentsT};
    if !(p > 0.0 && p < 1.0) {
        return Err(StatsError::InvalidParameter(format!("probability {p}")));
    }
    let dist =
        StudentsT::new(0.0, 1.0, df).map_err(|_| StatsError::InvalidParameter(format!("degrees of freedom {df}")))?;
    let mut q = dist.inverse_cdf(p);
    for _ in 0..4 {
        let f = dist.pdf(q);
        if f.is_nan() || f <= 0.0 || !q.is_finite() {
            break;
        }
        let step = (dist.cdf(q) - p) / f;
        if !step.is_finite() {
            break;
        }
        q -= step;
        if step.abs() < 1e-16 * q.abs().max(1.0) {
            break;
        }
    }
    if q.is_finite() {
        Ok(q)
    } else {
        Err(StatsError::InvalidParameter(format!("t quantile undefined for p={p}, df={df}")))
    }
}
