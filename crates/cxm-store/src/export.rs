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
    let position: std::collections::HashMap<i64, usize> = survey.questions.iter().enumerate().map(|(i, q)| (q.id, i)).collect();
    let mut w = csv::Writer::from_writer(out);
    let csv_err = |e: csv::Error| StoreError::Invalid(format!("writing CSV: {e}"));
    let mut header = vec!["external_id", "survey", "customer_id", "touchpoint", "channel", "language", "submitted_at"];
    header.extend(survey.questions.iter().map(|q| q.key.as_str()));
    w.write_record(&header).map_err(csv_err)?;
    let mut rows = sqlx::query(
        "SELECT r.id, r.external_id, c.external_id, t.key, r.channel, r.language, r.submitted_at, a.question_id, a.num_value, a.text_value \
         FROM responses r LEFT JOIN customers c ON c.id = r.customer_id LEFT JOIN touchpoints t ON t.id = r.touchpoint_id \
         LEFT JOIN answers a ON a.response_id = r.id WHERE r.survey_id = $1 ORDER BY r.id",
    )
    .bind(survey.id)
    .fetch(&db.pool);
    let width = header.len();
    let mut current: Option<(i64, Vec<String>)> = None;
    let mut written = 0u64;
    while let Some(r) = rows.try_next().await? {
        let id: i64 = r.get(0);
        if current.as_ref().is_none_or(|(cur, _)| *cur != id) {
            if let Some((_, record)) = current.take() {
                w.write_record(&record).map_err(csv_err)?;
                written += 1;
            }
            let mut record = vec![String::new(); width];
            record[0] = r.get(1);
            record[1] = survey.key.clone();
            record[2] = r.get::<Option<String>, _>(2).unwrap_or_default();
            record[3] = r.get::<Option<String>, _>(3).unwrap_or_default();
            record[4] = r.get::<Option<String>, _>(4).unwrap_or_default();
            record[5] = r.get::<Option<String>, _>(5).unwrap_or_default();
            record[6] = crate::import::parse::format_rfc3339(r.get(6));
            current = Some((id, record));
        }
        let qid: Option<i64> = r.get(7);
        if let (Some(qid), Some((_, record))) = (qid, current.as_mut()) {
            if let Some(&i) = position.get(&qid) {
                let num: Option<f64> = r.get(8);
                let text: Option<String> = r.get(9);
                record[7 + i] = match (num, text) {
                    (Some(v), _) if v.fract() == 0.0 => format!("{}", v as i64),
                    (Some(v), _) => v.to_string(),
                    (None, Some(t)) => t,
                    (None, None) => String::new(),
                };
            }
        }
    }
    if let Some((_, record)) = current.take() {
        w.write_record(&record).map_err(csv_err)?;
        written += 1;
    }
    w.flush()?;
    Ok(written)
}
