//! Net Promoter Score 净推荐值 (SPEC §4.1).

use super::{
    Interval, LOW_BASE, StatsError, ZTest, check_finite, check_weights, effective_n, weight_at, z_test_from_estimates,
};
use serde::{Deserialize, Serialize};

/// NPS of one group.
///
/// `promoters`, `passives` and `detractors` are counts without weights and
/// sums of weights with weights. `effective_n` is Kish's `(Σw)²/Σw²`
/// (= `n` unweighted) and is the n used in the SE.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NpsSummary {
    /// Respondents (unweighted).
    pub n: usize,
    /// Σw (= n unweighted).
    pub weighted_n: f64,
    pub effective_n: f64,
    pub promoters: f64,
    pub passives: f64,
    pub detractors: f64,
    /// 100·(p − d), in −100…100.
    pub nps: f64,
    /// 100·sqrt((p + d − (p − d)²) / n_eff).
    pub se: f64,
    /// NPS ± 1.96·SE (SPEC §4.1 uses the literal 1.96). Not clipped to
    /// [−100, 100]; degenerate (width 0) when everyone gave the same class.
    pub ci95: Interval,
    /// n < 30 (unweighted).
    pub low_base: bool,
}

/// NPS from 0–10 scores with optional respondent weights. SPEC §4.1.
///
/// Scores must be whole numbers 0..=10 (9–10 promoter, 7–8 passive, 0–6
/// detractor). With weights, p and d are weighted shares and the SE uses
/// Kish's effective n: `SE = 100·sqrt((p + d − (p − d)²)/n_eff)`, i.e. the
/// SE of a weighted mean of the ±1/0 scores under the design-effect
/// approximation.
pub fn nps(scores: &[f64], weights: Option<&[f64]>) -> Result<NpsSummary, StatsError> {
    // SPEC §4.1
    if scores.is_empty() {
        return Err(StatsError::Empty);
    }
    check_finite(scores)?;
    check_weights(weights, scores.len())?;
    let (mut pro, mut pas, mut det) = (0.0, 0.0, 0.0);
    for (i, &s) in scores.iter().enumerate() {
        if !(0.0..=10.0).contains(&s) || s.fract() != 0.0 {
            return Err(StatsError::OutOfRange { index: i, value: s, min: 0.0, max: 10.0 });
        }
        let w = weight_at(weights, i);
        if s >= 9.0 {
            pro += w;
        } else if s >= 7.0 {
            pas += w;
        } else {
            det += w;
        }
    }
    let total = pro + pas + det;
    let n_eff = match weights {
        Some(w) => effective_n(w).ok_or(StatsError::ZeroWeight)?,
        None => scores.len() as f64,
    };
    let p = pro / total;
    let d = det / total;
    let diff = p - d;
    let var = (p + d - diff * diff).max(0.0);
    let se = 100.0 * (var / n_eff).sqrt();
    let value = 100.0 * diff;
    Ok(NpsSummary {
        n: scores.len(),
        weighted_n: total,
        effective_n: n_eff,
        promoters: pro,
        passives: pas,
        detractors: det,
        nps: value,
        se,
        ci95: Interval::new(value - 1.96 * se, value + 1.96 * se),
        low_base: scores.len() < LOW_BASE,
    })
}

/// Difference test between two independent groups:
/// `z = (NPS₁ − NPS₂)/sqrt(SE₁² + SE₂²)`, two-sided normal p. SPEC §4.1.
///
/// When both SEs are 0 the test is undefined unless the scores are equal
/// (then z = 0, p = 1); see [`z_test_from_estimates`].
pub fn nps_difference(a: &NpsSummary, b: &NpsSummary) -> Result<ZTest, StatsError> {
    // SPEC §4.1
    z_test_from_estimates(a.nps, a.se, b.nps, b.se)
}
