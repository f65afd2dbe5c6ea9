//! Exports: one survey's responses as a wide CSV (the layout import reads back).

use crate::{Db, Result, StoreError};
use futures_util::TryStreamExt;
use sqlx::Row;

/// Writes the responses of `survey_key` as CSV: fixed columns, then one column
/// per question key. Streams rows; memory does not grow with the survey.
pub async fn responses_csv<W: std::io::Write>(db: &Db, workspace_id: i64, survey_key: &str, out: W) -> Result<u64> {
    let surveys = crate::setup::surveys(db, workspace_id).await?;
    let survey = surveys
        .iter()
        .find(|s| s.key == survey_key)
        .ok_or_else(|| StoreError::NotFound(format!("survey '{survey_key}'")))?;
    let mut w = csv::Writer::from_writer(out);
    let csv_err = |e: csv::Error| StoreError::Invalid(format!("writing CSV: {e}"));
    let mut header = vec!["external_id", "survey", "customer_id", "touchpoint", "channel", "language", "submitted_at"];
    header.extend(survey.questions.iter().map(|q| q.key.as_str()));
    w.write_record(&header).map_err(csv_err)?;
    let mut rows = sqlx::query(
        "SELECT r.external_id, c.external_id, t.key, r.channel, r.language, r.submitted_at, r.answers \
         FROM responses r LEFT JOIN customers c ON c.id = r.customer_id LEFT JOIN touchpoints t ON t.id = r.touchpoint_id \
         WHERE r.survey_id = $1 ORDER BY r.id",
    )
    .bind(survey.id)
    .fetch(&db.pool);
    let mut written = 0u64;
    let mut record = Vec::with_capacity(header.len());
    while let Some(r) = rows.try_next().await? {
        record.clear();
        record.push(r.get::<String, _>(0));
        record.push(survey.key.clone());
        for i in 1..5 {
            record.push(r.get::<Option<String>, _>(i).unwrap_or_default());
        }
        record.push(crate::import::parse::format_rfc3339(r.get(5)));
        let answers: String = r.get(6);
        let map = match serde_json::from_str::<serde_json::Value>(&answers) {
            Ok(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        for q in &survey.questions {
            record.push(match map.get(&q.key) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(n)) => match n.as_f64() {
                    Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", v as i64),
                    _ => n.to_string(),
                },
                Some(other) => other.to_string(),
            });
        }
        w.write_record(&record).map_err(csv_err)?;
        written += 1;
    }
    w.flush()?;
    Ok(written)
}
