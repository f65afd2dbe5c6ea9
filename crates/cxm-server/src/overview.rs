//! The experience overview: NPS, CSAT and CES per touchpoint with intervals,
//! base sizes and significance against the rest, plus a weekly NPS trend.
//! Read from the daily rollups only (no raw-row scans).

use cxm_core::model::QuestionKind;
use cxm_core::stats::{
    self, benjamini_hochberg, mean_from_moments, nps_from_counts, share_from_counts, z_test_from_estimates,
};
use cxm_store::metrics::{self, Moments};
use cxm_store::{Db, Result, setup};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Estimate {
    pub value: f64,
    pub lower: f64,
    pub upper: f64,
    pub n: i64,
    pub low_base: bool,
    /// "higher" / "lower" when significantly different from all other
    /// touchpoints together (BH-adjusted p < 0.05).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub significance: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_adjusted: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Scores {
    /// NPS, −100…100.
    pub nps: Option<Estimate>,
    /// CSAT top-2-box share in percent.
    pub csat: Option<Estimate>,
    /// CES mean on its scale.
    pub ces: Option<Estimate>,
    /// CES share "easy" in percent.
    pub ces_easy: Option<Estimate>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TouchpointScores {
    pub key: String,
    /// Touchpoint, journey and stage names in the requested language.
    pub name: String,
    pub journey: String,
    pub stage: String,
    pub scores: Scores,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrendPoint {
    /// First day of the week (YYYY-MM-DD).
    pub period_start: String,
    pub nps: Option<Estimate>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Overview {
    pub from: String,
    pub to: String,
    pub days: i64,
    pub total: Scores,
    pub touchpoints: Vec<TouchpointScores>,
    pub trend: Vec<TrendPoint>,
}

/// A day number as YYYY-MM-DD.
pub(crate) fn day_string(day: i64) -> String {
    cxm_store::import::parse::format_rfc3339(day * 86_400_000).chars().take(10).collect()
}

fn nps_estimate(m: &Moments) -> Option<stats::NpsSummary> {
    nps_from_counts(m.n.max(0) as u64, m.n_top.max(0) as u64, m.n_bottom.max(0) as u64).ok()
}

fn nps_view(s: &stats::NpsSummary) -> Estimate {
    Estimate {
        value: s.nps,
        lower: s.ci95.lower,
        upper: s.ci95.upper,
        n: s.n as i64,
        low_base: s.low_base,
        significance: None,
        p_adjusted: None,
    }
}

fn share_view(m: &Moments) -> Option<Estimate> {
    let s = share_from_counts(m.n.max(0) as u64, m.n_top.max(0) as u64).ok()?;
    Some(Estimate {
        value: 100.0 * s.share,
        lower: 100.0 * s.ci95.lower,
        upper: 100.0 * s.ci95.upper,
        n: m.n,
        low_base: s.low_base,
        significance: None,
        p_adjusted: None,
    })
}

fn mean_view(m: &Moments) -> Option<Estimate> {
    let s = mean_from_moments(m.n.max(0) as u64, m.sum, m.sum_squares).ok()?;
    let ci = s.ci95.unwrap_or(stats::Interval { lower: s.mean, upper: s.mean });
    Some(Estimate {
        value: s.mean,
        lower: ci.lower,
        upper: ci.upper,
        n: m.n,
        low_base: s.low_base,
        significance: None,
        p_adjusted: None,
    })
}

fn total_of(rows: &[(i64, Moments)]) -> Moments {
    let mut t = Moments::default();
    for (_, m) in rows {
        t.merge(m);
    }
    t
}

/// Marks each touchpoint's NPS that differs significantly from the rest.
fn mark_nps_significance(rows: &mut [TouchpointScores], by_tp: &HashMap<i64, Moments>, ids: &[i64], total: &Moments) {
    let mut tests = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let Some(m) = by_tp.get(id) else { continue };
        let rest = Moments {
            n: total.n - m.n,
            sum: 0.0,
            sum_squares: 0.0,
            n_top: total.n_top - m.n_top,
            n_bottom: total.n_bottom - m.n_bottom,
        };
        let (Some(a), Some(b)) = (nps_estimate(m), nps_estimate(&rest)) else { continue };
        if let Ok(z) = z_test_from_estimates(a.nps, a.se, b.nps, b.se) {
            tests.push((i, z.p_value, a.nps > b.nps));
        }
    }
    let p: Vec<f64> = tests.iter().map(|t| t.1).collect();
    let Ok(adjusted) = benjamini_hochberg(&p) else { return };
    for ((i, _, higher), q) in tests.into_iter().zip(adjusted) {
        if let Some(est) = rows[i].scores.nps.as_mut() {
            est.p_adjusted = Some(q);
            if q < 0.05 {
                est.significance = Some(if higher { "higher" } else { "lower" }.to_string());
            }
        }
    }
}

/// The overview for the `days` days up to the last day with data (0 = all data).
pub async fn build(db: &Db, workspace_id: i64, days: i64, zh: bool) -> Result<Overview> {
    let to_day = metrics::last_day(db, workspace_id).await?.unwrap_or_else(|| cxm_store::day_of(cxm_store::now_ms()));
    let from_day = if days > 0 { to_day - days + 1 } else { 0 };
    let nps = metrics::by_touchpoint(db, workspace_id, QuestionKind::Nps, from_day, to_day).await?;
    let csat = metrics::by_touchpoint(db, workspace_id, QuestionKind::Csat, from_day, to_day).await?;
    let ces = metrics::by_touchpoint(db, workspace_id, QuestionKind::Ces, from_day, to_day).await?;
    let (nps_total, csat_total, ces_total) = (total_of(&nps), total_of(&csat), total_of(&ces));
    let total = Scores {
        nps: nps_estimate(&nps_total).map(|s| nps_view(&s)),
        csat: share_view(&csat_total),
        ces: mean_view(&ces_total),
        ces_easy: share_view(&ces_total),
    };
    let (nps_by, csat_by, ces_by): (HashMap<_, _>, HashMap<_, _>, HashMap<_, _>) =
        (nps.into_iter().collect(), csat.into_iter().collect(), ces.into_iter().collect());
    let tps = setup::touchpoints(db, workspace_id).await?;
    let mut rows = Vec::with_capacity(tps.len());
    let mut ids = Vec::with_capacity(tps.len());
    for t in &tps {
        let scores = Scores {
            nps: nps_by.get(&t.id).and_then(nps_estimate).map(|s| nps_view(&s)),
            csat: csat_by.get(&t.id).and_then(share_view),
            ces: ces_by.get(&t.id).and_then(mean_view),
            ces_easy: ces_by.get(&t.id).and_then(share_view),
        };
        rows.push(TouchpointScores {
            key: t.key.clone(),
            name: if zh { t.name_zh.clone() } else { t.name_en.clone() },
            journey: if zh { t.journey_zh.clone() } else { t.journey_en.clone() },
            stage: if zh { t.stage_zh.clone() } else { t.stage_en.clone() },
            scores,
        });
        ids.push(t.id);
    }
    mark_nps_significance(&mut rows, &nps_by, &ids, &nps_total);
    let trend_from = if days > 0 { from_day } else { to_day - 52 * 7 + 1 };
    let trend = metrics::trend(db, workspace_id, QuestionKind::Nps, trend_from, to_day, 7)
        .await?
        .into_iter()
        .map(|(start, m)| TrendPoint { period_start: day_string(start), nps: nps_estimate(&m).map(|s| nps_view(&s)) })
        .collect();
    Ok(Overview { from: day_string(from_day.max(0)), to: day_string(to_day), days, total, touchpoints: rows, trend })
}
