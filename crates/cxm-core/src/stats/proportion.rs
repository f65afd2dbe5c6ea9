//! Shares with Wilson score intervals; CSAT and CES summaries
//! (SPEC §4.2, §4.3).

use super::{
    Interval, LOW_BASE, MeanSummary, StatsError, Z_95, check_finite, check_weights, effective_n, mean_ci, weight_at,
};
use serde::{Deserialize, Serialize};

/// Wilson score interval for a share (SPEC §4.2):
/// centre `(p̂ + z²/2n)/(1 + z²/n)`, half-width
/// `z/(1 + z²/n)·sqrt(p̂(1−p̂)/n + z²/4n²)`.
///
/// `successes` and `n` are `f64` so weighted data can pass `p̂·n_eff` and
/// `n_eff`. Defined (and within [0, 1]) for p̂ = 0 and p̂ = 1 too.
pub fn wilson_interval(successes: f64, n: f64, z: f64) -> Result<Interval, StatsError> {
    // SPEC §4.2
    for (index, v) in [successes, n, z].into_iter().enumerate() {
        if !v.is_finite() {
            return Err(StatsError::NonFinite { index });
        }
    }
    if n <= 0.0 {
        return Err(StatsError::Empty);
    }
    if !(0.0..=n).contains(&successes) || z < 0.0 {
        return Err(StatsError::InvalidParameter("need 0 <= successes <= n and z >= 0".into()));
    }
    let p = successes / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // The bounds are exactly 0 (x = 0) and 1 (x = n); avoid round-off there.
    let lower = if successes == 0.0 { 0.0 } else { (centre - half).clamp(0.0, 1.0) };
    let upper = if successes == n { 1.0 } else { (centre + half).clamp(0.0, 1.0) };
    Ok(Interval::new(lower.min(p), upper.max(p)))
}

/// A share ("top box") with its Wilson 95 % interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareSummary {
    /// Respondents (unweighted).
    pub n: usize,
    /// Kish effective n (= n unweighted); the n of the interval and SE.
    pub effective_n: f64,
    /// Count (unweighted) or Σw (weighted) of respondents in the box.
    pub successes: f64,
    /// Share in 0…1.
    pub share: f64,
    /// `sqrt(p̂(1−p̂)/n_eff)`.
    pub se: f64,
    /// Wilson score interval at z₀.₉₇₅.
    pub ci95: Interval,
    pub low_base: bool,
}

/// Share of values `>= threshold`, with Wilson 95 % interval. SPEC §4.2
/// (CSAT top-2 box: threshold 4 on 1–5) and §4.3 (CES % easy: threshold 5
/// on 1–7).
///
/// With weights the share is `Σw·[x ≥ t]/Σw` and the interval is Wilson's
/// with n replaced by Kish's effective n.
pub fn top_box_share(values: &[f64], threshold: f64, weights: Option<&[f64]>) -> Result<ShareSummary, StatsError> {
    // SPEC §4.2, §4.3
    if values.is_empty() {
        return Err(StatsError::Empty);
    }
    check_finite(values)?;
    if !threshold.is_finite() {
        return Err(StatsError::InvalidParameter("threshold must be finite".into()));
    }
    check_weights(weights, values.len())?;
    let mut total = 0.0;
    let mut hits = 0.0;
    for (i, &v) in values.iter().enumerate() {
        let w = weight_at(weights, i);
        total += w;
        if v >= threshold {
            hits += w;
        }
    }
    let share = hits / total;
    let n_eff = match weights {
        Some(w) => effective_n(w).ok_or(StatsError::ZeroWeight)?,
        None => values.len() as f64,
    };
    let ci95 = wilson_interval(share * n_eff, n_eff, Z_95)?;
    Ok(ShareSummary {
        n: values.len(),
        effective_n: n_eff,
        successes: hits,
        share,
        se: (share * (1.0 - share) / n_eff).max(0.0).sqrt(),
        ci95,
        low_base: values.len() < LOW_BASE,
    })
}

/// A rating scale: valid range and the lowest value counted in the top box.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RatingScale {
    pub min: f64,
    pub max: f64,
    pub top_box_min: f64,
}

impl RatingScale {
    /// CSAT 1–5, top-2 box = 4–5 (SPEC §4.2).
    pub fn csat() -> Self {
        RatingScale { min: 1.0, max: 5.0, top_box_min: 4.0 }
    }

    /// CES 1–7 agreement, "easy" = 5–7 (SPEC §4.3).
    pub fn ces() -> Self {
        RatingScale { min: 1.0, max: 7.0, top_box_min: 5.0 }
    }

    /// CSAT on a custom scale: top-2 box = the two highest points.
    pub fn csat_custom(min: f64, max: f64) -> Self {
        RatingScale { min, max, top_box_min: max - 1.0 }
    }

    /// CES on a custom scale: "easy" = points above the midpoint
    /// (1–7 → 5–7, 1–5 → 4–5). SPEC §4.3: the scale is part of the question.
    pub fn ces_custom(min: f64, max: f64) -> Self {
        RatingScale { min, max, top_box_min: ((min + max) / 2.0).floor() + 1.0 }
    }
}

/// Top-box share and mean of ratings on a scale (CSAT, CES).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatingSummary {
    pub scale: RatingScale,
    pub top_box: ShareSummary,
    pub mean: MeanSummary,
}

/// CSAT / CES summary: top-box share (Wilson) and mean (t-interval).
/// Values outside `scale.min..=scale.max` are rejected. SPEC §4.2, §4.3.
pub fn rating_summary(
    values: &[f64],
    scale: RatingScale,
    weights: Option<&[f64]>,
) -> Result<RatingSummary, StatsError> {
    // SPEC §4.2, §4.3
    if !(scale.min.is_finite() && scale.max.is_finite() && scale.top_box_min.is_finite()) || scale.min >= scale.max {
        return Err(StatsError::InvalidParameter(format!("invalid scale {}..={}", scale.min, scale.max)));
    }
    check_finite(values)?;
    if let Some(index) = values.iter().position(|v| *v < scale.min || *v > scale.max) {
        return Err(StatsError::OutOfRange { index, value: values[index], min: scale.min, max: scale.max });
    }
    Ok(RatingSummary {
        scale,
        top_box: top_box_share(values, scale.top_box_min, weights)?,
        mean: mean_ci(values, weights)?,
    })
}
