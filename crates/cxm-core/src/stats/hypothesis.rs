//! Significance tests for differences (SPEC §4.4): two-proportion z-test,
//! Welch t-test, and a generic z-test on two independent estimates.

use super::{MeanSummary, StatsError, check_finite, mean_ci, normal_two_sided_p, t_two_sided_p};
use serde::{Deserialize, Serialize};

/// A z-test result: estimate₁ − estimate₂, z and the two-sided p-value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ZTest {
    pub difference: f64,
    pub z: f64,
    pub p_value: f64,
}

/// A t-test result: mean₁ − mean₂, t, degrees of freedom and two-sided p.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TTest {
    pub difference: f64,
    pub t: f64,
    pub df: f64,
    pub p_value: f64,
}

/// z-test of two independent estimates with known standard errors:
/// `z = (e₁ − e₂)/sqrt(se₁² + se₂²)`. SPEC §4.1 / §4.4.
///
/// If the combined SE is 0: equal estimates give z = 0, p = 1; different
/// estimates give `ZeroVariance` (the test is undefined, not "infinitely
/// significant").
pub fn z_test_from_estimates(e1: f64, se1: f64, e2: f64, se2: f64) -> Result<ZTest, StatsError> {
    // SPEC §4.1, §4.4
    for (index, v) in [e1, se1, e2, se2].into_iter().enumerate() {
        if !v.is_finite() {
            return Err(StatsError::NonFinite { index });
        }
    }
    if se1 < 0.0 || se2 < 0.0 {
        return Err(StatsError::InvalidParameter("standard errors must be >= 0".into()));
    }
    let difference = e1 - e2;
    let se = (se1 * se1 + se2 * se2).sqrt();
    if se == 0.0 {
        if difference == 0.0 {
            return Ok(ZTest { difference, z: 0.0, p_value: 1.0 });
        }
        return Err(StatsError::ZeroVariance { what: "difference of estimates" });
    }
    let z = difference / se;
    Ok(ZTest { difference, z, p_value: normal_two_sided_p(z) })
}

/// Two-proportion z-test with pooled SE (SPEC §4.4):
/// `p = (x₁ + x₂)/(n₁ + n₂)`, `z = (x₁/n₁ − x₂/n₂)/sqrt(p(1−p)(1/n₁ + 1/n₂))`.
///
/// Successes and n are `f64` so weighted data can pass `share·n_eff` and
/// `n_eff`. Requires `0 ≤ xᵢ ≤ nᵢ` and `nᵢ > 0`. When the pooled share is 0
/// or 1 both groups are identical: z = 0, p = 1.
pub fn two_proportion_z_test(x1: f64, n1: f64, x2: f64, n2: f64) -> Result<ZTest, StatsError> {
    // SPEC §4.4
    for (index, v) in [x1, n1, x2, n2].into_iter().enumerate() {
        if !v.is_finite() {
            return Err(StatsError::NonFinite { index });
        }
    }
    if !(n1 > 0.0 && n2 > 0.0) {
        return Err(StatsError::Empty);
    }
    if !(0.0..=n1).contains(&x1) || !(0.0..=n2).contains(&x2) {
        return Err(StatsError::InvalidParameter("successes must lie between 0 and n".into()));
    }
    let p1 = x1 / n1;
    let p2 = x2 / n2;
    let pooled = (x1 + x2) / (n1 + n2);
    let var = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2);
    let difference = p1 - p2;
    if var.is_nan() || var <= 0.0 {
        return Ok(ZTest { difference, z: 0.0, p_value: 1.0 });
    }
    let z = difference / var.sqrt();
    Ok(ZTest { difference, z, p_value: normal_two_sided_p(z) })
}

/// Welch's unequal-variance t-test on two raw samples (SPEC §4.4), as
/// `scipy.stats.ttest_ind(a, b, equal_var=False)`.
///
/// Needs at least 2 observations per group and a non-zero combined
/// variance (`ZeroVariance` otherwise).
pub fn welch_t_test(a: &[f64], b: &[f64]) -> Result<TTest, StatsError> {
    // SPEC §4.4
    check_finite(a)?;
    check_finite(b)?;
    let ma = mean_ci(a, None)?;
    let mb = mean_ci(b, None)?;
    welch_t_test_from_summaries(&ma, &mb)
}

/// Welch t-test from two [`MeanSummary`] values (works for weighted means:
/// each side contributes `se²` and `n_eff − 1` degrees of freedom to the
/// Welch–Satterthwaite formula `df = (se₁² + se₂²)² / (se₁⁴/df₁ + se₂⁴/df₂)`).
/// SPEC §4.4.
pub fn welch_t_test_from_summaries(a: &MeanSummary, b: &MeanSummary) -> Result<TTest, StatsError> {
    // SPEC §4.4
    let (Some(sa), Some(sb), Some(da), Some(db)) = (a.se, b.se, a.df, b.df) else {
        return Err(StatsError::InsufficientData { needed: 2, found: a.n.min(b.n) });
    };
    let va = sa * sa;
    let vb = sb * sb;
    let se2 = va + vb;
    let difference = a.mean - b.mean;
    if se2.is_nan() || se2 <= 0.0 {
        return Err(StatsError::ZeroVariance { what: "both samples" });
    }
    let df = se2 * se2 / (va * va / da + vb * vb / db);
    let t = difference / se2.sqrt();
    let p_value = t_two_sided_p(t, df)?;
    Ok(TTest { difference, t, df, p_value })
}
