//! Reads of the mergeable daily aggregates (`metric_daily`): per touchpoint,
//! per period. Rates and intervals are computed from these sufficient
//! statistics by cxm-core; nothing here scans raw responses.

use crate::{Db, Result};
use cxm_core::model::QuestionKind;
use sqlx::Row;

/// Sufficient statistics of a set of scores: they add, so any period or
/// touchpoint set can be summarized from daily rows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    pub n: i64,
    pub sum: f64,
    pub sum_squares: f64,
    pub n_top: i64,
    pub n_bottom: i64,
}

impl Moments {
    pub fn merge(&mut self, o: &Moments) {
        self.n += o.n;
        self.sum += o.sum;
        self.sum_squares += o.sum_squares;
        self.n_top += o.n_top;
        self.n_bottom += o.n_bottom;
    }
}

fn moments(r: &sqlx::any::AnyRow, at: usize) -> Moments {
    Moments {
        n: r.get(at),
        sum: r.get(at + 1),
        sum_squares: r.get(at + 2),
        n_top: r.get(at + 3),
        n_bottom: r.get(at + 4),
    }
}

const SUMS: &str = "CAST(SUM(m.n) AS BIGINT), CAST(SUM(m.sum_value) AS DOUBLE PRECISION), CAST(SUM(m.sum_squares) AS DOUBLE PRECISION), CAST(SUM(m.n_top) AS BIGINT), CAST(SUM(m.n_bottom) AS BIGINT)";

/// Sums of the rollups for questions of `kind` in `[from_day, to_day]`, per `group` column.
async fn sums_by(
    db: &Db,
    workspace_id: i64,
    kind: QuestionKind,
    from_day: i64,
    to_day: i64,
    group: &str,
) -> Result<Vec<(i64, Moments)>> {
    let sql = format!(
        "SELECT m.{group}, {SUMS} FROM metric_daily m JOIN questions q ON q.id = m.question_id \
         WHERE m.workspace_id = $1 AND q.kind = $2 AND m.day BETWEEN $3 AND $4 GROUP BY m.{group} ORDER BY m.{group}"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(workspace_id)
        .bind(kind.as_str())
        .bind(from_day)
        .bind(to_day)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), moments(r, 1))).collect())
}

/// Per touchpoint (0 = none) for all questions of `kind`, days in `[from_day, to_day]`.
pub async fn by_touchpoint(
    db: &Db,
    workspace_id: i64,
    kind: QuestionKind,
    from_day: i64,
    to_day: i64,
) -> Result<Vec<(i64, Moments)>> {
    sums_by(db, workspace_id, kind, from_day, to_day, "touchpoint_id").await
}

/// Per period of `period_days` days (aligned so the last period ends at
/// `to_day`), all touchpoints, for questions of `kind`.
pub async fn trend(
    db: &Db,
    workspace_id: i64,
    kind: QuestionKind,
    from_day: i64,
    to_day: i64,
    period_days: i64,
) -> Result<Vec<(i64, Moments)>> {
    let period = period_days.max(1);
    let mut out: Vec<(i64, Moments)> = Vec::new();
    for (day, m) in sums_by(db, workspace_id, kind, from_day, to_day, "day").await? {
        let start = to_day - ((to_day - day).div_euclid(period) + 1) * period + 1;
        match out.last_mut() {
            Some((s, acc)) if *s == start => acc.merge(&m),
            _ => out.push((start, m)),
        }
    }
    Ok(out)
}

/// The last day with data, if any (dashboards default to the 90 days before it).
pub async fn last_day(db: &Db, workspace_id: i64) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT MAX(day) FROM metric_daily WHERE workspace_id = $1")
        .bind(workspace_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(row.try_get::<Option<i64>, _>(0).ok().flatten())
}

/// Recomputes the aggregates from the stored responses (repair tool; also
/// proves the incremental path in tests).
pub async fn rebuild(db: &Db, workspace_id: i64) -> Result<()> {
    use futures_util::TryStreamExt;
    let mut scales = std::collections::HashMap::new();
    for s in crate::setup::surveys(db, workspace_id).await? {
        for q in s.questions {
            if let Some(scale) = q.score_scale() {
                scales.insert((s.id, q.key), (q.id, scale));
            }
        }
    }
    let mut agg = std::collections::HashMap::new();
    {
        let mut rows = sqlx::query("SELECT survey_id, COALESCE(touchpoint_id, 0), submitted_at, answers FROM responses WHERE workspace_id = $1")
            .bind(workspace_id)
            .fetch(&db.pool);
        while let Some(r) = rows.try_next().await? {
            let survey_id: i64 = r.get(0);
            let answers: String = r.get(3);
            let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(&answers) else {
                continue;
            };
            for (key, value) in map {
                let (Some(v), Some((qid, scale))) = (value.as_f64(), scales.get(&(survey_id, key))) else { continue };
                crate::import::add_to_rollup(&mut agg, (*qid, r.get(1), crate::day_of(r.get(2))), scale, v);
            }
        }
    }
    let mut tx = db.pool.begin().await?;
    sqlx::query("DELETE FROM metric_daily WHERE workspace_id = $1").bind(workspace_id).execute(&mut *tx).await?;
    crate::import::upsert_rollup(&mut tx, db.backend, workspace_id, &agg).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn count_responses(db: &Db, workspace_id: i64) -> Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) FROM responses WHERE workspace_id = $1")
        .bind(workspace_id)
        .fetch_one(&db.pool)
        .await?
        .get(0))
}
