//! The same summaries computed from mergeable aggregates (counts, sums, sums
//! of squares) instead of raw values: what dashboards read from rollups.
//! Unweighted only: rollups hold unweighted moments.

use super::{Interval, LOW_BASE, MeanSummary, NpsSummary, ShareSummary, StatsError, Z_95, t_quantile, wilson_interval};

/// NPS from counts of respondents, promoters and detractors. SPEC §4.1.
pub fn nps_from_counts(n: u64, promoters: u64, detractors: u64) -> Result<NpsSummary, StatsError> {
    // SPEC §4.1
    if n == 0 {
        return Err(StatsError::Empty);
    }
    if promoters + detractors > n {
        return Err(StatsError::InvalidParameter(format!(
            "{promoters} promoters + {detractors} detractors exceed n = {n}"
        )));
    }
    let nf = n as f64;
    let (p, d) = (promoters as f64 / nf, detractors as f64 / nf);
    let diff = p - d;
    let se = 100.0 * ((p + d - diff * diff).max(0.0) / nf).sqrt();
    let value = 100.0 * diff;
    Ok(NpsSummary {
        n: n as usize,
        weighted_n: nf,
        effective_n: nf,
        promoters: promoters as f64,
        passives: (n - promoters - detractors) as f64,
        detractors: detractors as f64,
        nps: value,
        se,
        ci95: Interval::new(value - 1.96 * se, value + 1.96 * se),
        low_base: n < LOW_BASE as u64,
    })
}

/// A share from a count of hits with its Wilson interval. SPEC §4.2.
pub fn share_from_counts(n: u64, hits: u64) -> Result<ShareSummary, StatsError> {
    // SPEC §4.2
    if n == 0 {
        return Err(StatsError::Empty);
    }
    if hits > n {
        return Err(StatsError::InvalidParameter(format!("{hits} hits exceed n = {n}")));
    }
    let nf = n as f64;
    let share = hits as f64 / nf;
    Ok(ShareSummary {
        n: n as usize,
        effective_n: nf,
        successes: hits as f64,
        share,
        se: (share * (1.0 - share) / nf).max(0.0).sqrt(),
        ci95: wilson_interval(hits as f64, nf, Z_95)?,
        low_base: n < LOW_BASE as u64,
    })
}

/// Mean with t-interval from n, Σx and Σx². SPEC §4.4.
///
/// The variance uses the shifted formula `(Σx² − (Σx)²/n)/(n − 1)`, clamped
/// at 0 against rounding; exact for integer scores at dashboard sizes.
pub fn mean_from_moments(n: u64, sum: f64, sum_squares: f64) -> Result<MeanSummary, StatsError> {
    // SPEC §4.4
    if n == 0 {
        return Err(StatsError::Empty);
    }
    if !sum.is_finite() || !sum_squares.is_finite() {
        return Err(StatsError::InvalidParameter("moments must be finite".into()));
    }
    let nf = n as f64;
    let mean = sum / nf;
    let mut out = MeanSummary {
        n: n as usize,
        effective_n: nf,
        mean,
        sd: None,
        se: None,
        df: None,
        ci95: None,
        low_base: n < LOW_BASE as u64,
    };
    if n < 2 {
        return Ok(out);
    }
    let var = ((sum_squares - sum * sum / nf) / (nf - 1.0)).max(0.0);
    let se = (var / nf).sqrt();
    let t = t_quantile(0.975, nf - 1.0)?;
    out.sd = Some(var.sqrt());
    out.se = Some(se);
    out.df = Some(nf - 1.0);
    out.ci95 = Some(Interval::new(mean - t * se, mean + t * se));
    Ok(out)
}
