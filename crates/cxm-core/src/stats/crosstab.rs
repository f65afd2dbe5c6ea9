//! Chi-square test of independence with adjusted standardized residuals
//! (SPEC §4.4).

use super::StatsError;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Result of a Pearson chi-square test on an r×c table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChiSquareResult {
    /// Σ (O − E)²/E, no continuity correction.
    pub statistic: f64,
    /// (r − 1)(c − 1).
    pub df: usize,
    pub p_value: f64,
    /// E = row·col/N.
    pub expected: Vec<Vec<f64>>,
    /// (O − E)/sqrt(E(1 − row/N)(1 − col/N)); ≈ N(0,1) under independence,
    /// |r| > 1.96 marks a cell that differs at the 5 % level.
    pub adjusted_residuals: Vec<Vec<f64>>,
    pub row_totals: Vec<f64>,
    pub col_totals: Vec<f64>,
    pub total: f64,
}

/// Pearson chi-square test of independence (as
/// `scipy.stats.chi2_contingency(table, correction=False)`). SPEC §4.4.
///
/// The table must be rectangular, at least 2×2, with finite non-negative
/// cells and no all-zero row or column (those make expected counts 0 and
/// the test undefined: drop them first).
pub fn chi_square_independence(table: &[Vec<f64>]) -> Result<ChiSquareResult, StatsError> {
    // SPEC §4.4
    let r = table.len();
    if r == 0 {
        return Err(StatsError::Empty);
    }
    let c = table[0].len();
    if r < 2 || c < 2 {
        return Err(StatsError::InvalidTable(format!("need at least 2 rows and 2 columns, got {r}x{c}")));
    }
    for (i, row) in table.iter().enumerate() {
        if row.len() != c {
            return Err(StatsError::InvalidTable(format!("row {i} has {} cells, expected {c}", row.len())));
        }
        for (j, &v) in row.iter().enumerate() {
            if !v.is_finite() {
                return Err(StatsError::NonFiniteCell { row: i, col: j });
            }
            if v < 0.0 {
                return Err(StatsError::InvalidTable(format!("negative count at row {i}, column {j}")));
            }
        }
    }
    let row_totals: Vec<f64> = table.iter().map(|row| row.iter().sum()).collect();
    let col_totals: Vec<f64> = (0..c).map(|j| table.iter().map(|row| row[j]).sum()).collect();
    let total: f64 = row_totals.iter().sum();
    if let Some(i) = row_totals.iter().position(|&t| t <= 0.0) {
        return Err(StatsError::InvalidTable(format!("row {i} is all zero")));
    }
    if let Some(j) = col_totals.iter().position(|&t| t <= 0.0) {
        return Err(StatsError::InvalidTable(format!("column {j} is all zero")));
    }
    let mut expected = vec![vec![0.0; c]; r];
    let mut adjusted = vec![vec![0.0; c]; r];
    let mut statistic = 0.0;
    for i in 0..r {
        for j in 0..c {
            let e = row_totals[i] * col_totals[j] / total;
            let o = table[i][j];
            expected[i][j] = e;
            statistic += (o - e) * (o - e) / e;
            let v = e * (1.0 - row_totals[i] / total) * (1.0 - col_totals[j] / total);
            // v > 0 because every row and column has another non-empty one.
            adjusted[i][j] = if v > 0.0 { (o - e) / v.sqrt() } else { 0.0 };
        }
    }
    let df = (r - 1) * (c - 1);
    let dist = ChiSquared::new(df as f64).map_err(|_| StatsError::InvalidParameter(format!("chi-square df {df}")))?;
    let p_value = dist.sf(statistic).clamp(0.0, 1.0);
    Ok(ChiSquareResult {
        statistic,
        df,
        p_value,
        expected,
        adjusted_residuals: adjusted,
        row_totals,
        col_totals,
        total,
    })
}
