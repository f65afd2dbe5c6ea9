//! Benjamini–Hochberg false-discovery control (SPEC §4.4).

use super::StatsError;
use serde::{Deserialize, Serialize};

/// BH-adjusted p-values and the rejection mask at level q.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BhResult {
    pub adjusted: Vec<f64>,
    pub reject: Vec<bool>,
}

/// Benjamini–Hochberg adjusted p-values, in input order (as
/// `scipy.stats.false_discovery_control(p, method='bh')` and statsmodels'
/// `multipletests(p, method='fdr_bh')`): `p_(i)·m/i`, made monotone by a
/// running minimum from the largest p down, capped at 1. SPEC §4.4.
///
/// An empty input gives an empty output. p-values must lie in [0, 1].
pub fn benjamini_hochberg(p_values: &[f64]) -> Result<Vec<f64>, StatsError> {
    // SPEC §4.4
    for (index, &p) in p_values.iter().enumerate() {
        if !p.is_finite() {
            return Err(StatsError::NonFinite { index });
        }
        if !(0.0..=1.0).contains(&p) {
            return Err(StatsError::OutOfRange { index, value: p, min: 0.0, max: 1.0 });
        }
    }
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let mut adjusted = vec![0.0; m];
    let mut running = 1.0_f64;
    for rank in (0..m).rev() {
        let idx = order[rank];
        // p·(m/i) as scipy does: the factor is exactly 1 for the largest p,
        // so adjusted ≥ raw holds without rounding surprises.
        let v = p_values[idx] * (m as f64 / (rank + 1) as f64);
        running = running.min(v);
        adjusted[idx] = running.min(1.0);
    }
    Ok(adjusted)
}

/// BH adjustment plus the rejection mask `adjusted ≤ q` (equivalent to the
/// step-up rule: reject the k smallest p with `p_(k) ≤ k·q/m`). SPEC §4.4.
pub fn benjamini_hochberg_reject(p_values: &[f64], q: f64) -> Result<BhResult, StatsError> {
    // SPEC §4.4
    if !(q.is_finite() && q > 0.0 && q < 1.0) {
        return Err(StatsError::InvalidParameter(format!("FDR level q must be in (0, 1), got {q}")));
    }
    let adjusted = benjamini_hochberg(p_values)?;
    let reject = adjusted.iter().map(|&a| a <= q).collect();
    Ok(BhResult { adjusted, reject })
}
