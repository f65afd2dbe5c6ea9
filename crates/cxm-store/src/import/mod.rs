//! Bulk import of customers, responses, feedback, events and O-data from
//! CSV, XLSX or JSON lines (and the HTTP bulk endpoint).
//!
//! A file is streamed: a reader thread parses rows into records while the
//! caller's task writes batches, each batch in one transaction. A bad row is
//! reported (line, field, reason) and skipped; good rows go in. Re-importing
//! the same data adds nothing: every kind is keyed by its external id.

pub mod parse;
pub mod source;

use crate::text::SourceKind;
use crate::{Backend, Db, Result, StoreError, day_of, now_ms, param_list, rows_per_statement, values_placeholders};
use cxm_core::model::{QuestionKind, ScoreScale};
use cxm_core::records::{AnswerValue, CustomerRecord, EventRecord, FeedbackRecord, ODataRecord, ResponseRecord};
pub use parse::{Column, ImportKind, Record};
use serde::Serialize;
use source::RowSource;
use sqlx::{AssertSqlSafe, Row};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Rows per transaction.
pub const BATCH_ROWS: usize = 50_000;
/// Row errors kept in a report (all are counted).
pub const MAX_REPORTED_ERRORS: usize = 10_000;

/// Why one row was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: u64,
    pub field: String,
    pub reason: String,
}

impl RowError {
    pub fn new(line: u64, field: &str, reason: String) -> RowError {
        RowError { line, field: field.to_string(), reason }
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "line {}: {}", self.line, self.reason)
        } else {
            write!(f, "line {}, field '{}': {}", self.line, self.field, self.reason)
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub rows_read: u64,
    /// Rows stored (new, or for customers also updated).
    pub written: u64,
    /// Valid rows whose external id was already present.
    pub duplicates: u64,
    pub error_count: u64,
    pub errors: Vec<RowError>,
    pub elapsed_ms: u64,
}

impl ImportReport {
    fn error(&mut self, e: RowError) {
        self.error_count += 1;
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(e);
        }
    }
}

/// Progress as the importer sees it: rows read so far and bytes (or sheet rows) consumed.
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// A question as validation needs it: id, kind, top/bottom scale, value bounds.
type QuestionCache = (i64, QuestionKind, Option<ScoreScale>, Option<(f64, f64)>);

#[derive(Debug, Clone)]
struct SurveyCache {
    id: i64,
    version: i64,
    questions: HashMap<String, QuestionCache>,
}

/// What validating and encoding a response needs: read-only during an import,
/// so the parser thread shares it.
#[derive(Debug, Default)]
struct ResponseContext {
    surveys: HashMap<String, SurveyCache>,
    touchpoints: HashMap<String, i64>,
}

/// Responses validated and encoded for one multi-row statement.
pub struct ResponseBatch {
    records: Vec<ResponseRecord>,
    /// JSON array of rows, expanded by the database.
    rows_json: String,
    /// JSON array of the distinct customer external ids.
    customers_json: Option<String>,
}

impl ResponseContext {
    fn touchpoint(&self, key: Option<&str>, line: u64) -> Result<Option<i64>, RowError> {
        match key {
            None => Ok(None),
            Some(k) => self.touchpoints.get(k).copied().map(Some).ok_or_else(|| {
                RowError::new(
                    line,
                    "touchpoint",
                    format!("unknown touchpoint '{k}' (define it in the workspace first)"),
                )
            }),
        }
    }

    fn check(&self, line: u64, r: &ResponseRecord) -> Result<(), RowError> {
        let survey = self
            .surveys
            .get(&r.survey)
            .ok_or_else(|| RowError::new(line, "survey", format!("unknown survey '{}'", r.survey)))?;
        self.touchpoint(r.touchpoint.as_deref(), line)?;
        for (key, value) in &r.answers {
            let (_, kind, _, bounds) = survey
                .questions
                .get(key)
                .ok_or_else(|| RowError::new(line, key, format!("survey '{}' has no question '{key}'", r.survey)))?;
            match (value, bounds) {
                (AnswerValue::Number(v), Some((lo, hi))) if *v < *lo || *v > *hi => {
                    return Err(RowError::new(line, key, format!("{v} is outside the scale {lo}–{hi}")));
                }
                (AnswerValue::Text(t), Some(_)) => {
                    return Err(RowError::new(line, key, format!("'{t}' is not a number (a {kind} answer)")));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Validates and encodes; bad rows go to `errors`.
    fn prepare(&self, rows: Vec<(u64, ResponseRecord)>, errors: &mut Vec<RowError>) -> ResponseBatch {
        let mut records = Vec::with_capacity(rows.len());
        let mut out = Vec::with_capacity(rows.len() * 160);
        out.push(b'[');
        for (line, r) in rows {
            if let Err(e) = self.check(line, &r) {
                errors.push(e);
                continue;
            }
            let survey = &self.surveys[&r.survey];
            let row = (
                &r.external_id,
                survey.id,
                survey.version,
                &r.customer_external_id,
                r.touchpoint.as_deref().and_then(|k| self.touchpoints.get(k).copied()),
                r.channel.map(|c| c.as_str()),
                r.language.map(|l| l.as_str()),
                r.submitted_at,
                answers_json(&r.answers),
            );
            if out.len() > 1 {
                out.push(b',');
            }
            // Serializing plain values into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut out, &row);
            records.push(r);
        }
        out.push(b']');
        let mut customers: Vec<&str> = records.iter().filter_map(|r| r.customer_external_id.as_deref()).collect();
        customers.sort_unstable();
        customers.dedup();
        let customers_json = if customers.is_empty() { None } else { serde_json::to_string(&customers).ok() };
        ResponseBatch { rows_json: String::from_utf8(out).unwrap_or_else(|_| "[]".into()), customers_json, records }
    }
}

/// Imports into one workspace, caching keys it has resolved.
pub struct Importer {
    db: Db,
    workspace_id: i64,
    context: Arc<ResponseContext>,
    segments: HashMap<String, i64>,
    customers: HashMap<String, i64>,
    question_keys: HashSet<String>,
}

enum Parsed {
    Batch(Vec<(u64, Record)>, Vec<RowError>, u64, u64),
    Responses(ResponseBatch, Vec<RowError>, u64, u64),
    Fatal(String),
}

impl Importer {
    pub async fn new(db: &Db, workspace_id: i64) -> Result<Importer> {
        let mut surveys = HashMap::new();
        let mut question_keys = HashSet::new();
        for s in crate::setup::surveys(db, workspace_id).await? {
            let mut questions = HashMap::new();
            for q in &s.questions {
                question_keys.insert(q.key.clone());
                let (bounds, scale) = (q.bounds(), q.score_scale());
                questions.insert(q.key.clone(), (q.id, q.kind, scale, bounds));
            }
            surveys.insert(s.key.clone(), SurveyCache { id: s.id, version: s.version, questions });
        }
        let touchpoints: HashMap<String, i64> =
            crate::setup::touchpoints(db, workspace_id).await?.into_iter().map(|t| (t.key, t.id)).collect();
        let segments = sqlx::query("SELECT key, id FROM segments WHERE workspace_id = $1")
            .bind(workspace_id)
            .fetch_all(&db.pool)
            .await?
            .into_iter()
            .map(|r| (r.get::<String, _>(0), r.get::<i64, _>(1)))
            .collect();
        let context = Arc::new(ResponseContext { surveys, touchpoints });
        Ok(Importer { db: db.clone(), workspace_id, context, segments, customers: HashMap::new(), question_keys })
    }

    /// Imports every row of `source`. Fails as a whole only when the file
    /// itself is unusable (unknown or missing columns, unreadable format); then nothing is written.
    pub async fn import_source(
        &mut self,
        kind: ImportKind,
        source: Box<dyn RowSource>,
        progress: Option<Progress>,
    ) -> Result<ImportReport> {
        let started = std::time::Instant::now();
        let header_checked = !source.header().is_empty();
        let columns: Vec<Column> = if header_checked {
            kind.check_header(source.header(), &self.question_keys).map_err(StoreError::Invalid)?
        } else {
            Vec::new()
        };
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Parsed>(2);
        let question_keys = self.question_keys.clone();
        // Responses are validated and encoded on the parser thread, so the
        // database works on one batch while the next is prepared.
        let context = (kind == ImportKind::Responses).then(|| self.context.clone());
        let reader = std::thread::Builder::new()
            .name("import-parser".into())
            .spawn(move || parse_rows(kind, source, columns, question_keys, context, &tx))
            .map_err(StoreError::Io)?;
        let mut report = ImportReport::default();
        while let Some(msg) = rx.recv().await {
            let (errors, rows, position) = match msg {
                Parsed::Fatal(message) => {
                    report.error(RowError::new(0, "", message));
                    break;
                }
                Parsed::Batch(records, errors, rows, position) => {
                    self.write(records, &mut report).await?;
                    (errors, rows, position)
                }
                Parsed::Responses(batch, errors, rows, position) => {
                    self.write_response_batch(batch, &mut report).await?;
                    (errors, rows, position)
                }
            };
            report.rows_read = rows;
            for e in errors {
                report.error(e);
            }
            if let Some(p) = &progress {
                p(rows, position);
            }
        }
        drop(rx);
        let _ = reader.join();
        report.errors.sort_by_key(|e| e.line);
        report.elapsed_ms = started.elapsed().as_millis() as u64;
        Ok(report)
    }

    /// Writes parsed records (any mix of kinds) in one transaction per kind.
    pub async fn write(&mut self, records: Vec<(u64, Record)>, report: &mut ImportReport) -> Result<()> {
        let mut customers = Vec::new();
        let mut responses = Vec::new();
        let mut feedback = Vec::new();
        let mut events = Vec::new();
        let mut odata = Vec::new();
        for (line, r) in records {
            match r {
                Record::Customer(c) => customers.push((line, c)),
                Record::Response(r) => responses.push((line, r)),
                Record::Feedback(f) => feedback.push((line, f)),
                Record::Event(e) => events.push((line, e)),
                Record::OData(o) => odata.push((line, o)),
            }
        }
        if !customers.is_empty() {
            self.write_customers(customers, report).await?;
        }
        if !responses.is_empty() {
            self.write_responses(responses, report).await?;
        }
        if !feedback.is_empty() {
            self.write_feedback(feedback, report).await?;
        }
        if !events.is_empty() {
            self.write_events(events, report).await?;
        }
        if !odata.is_empty() {
            self.write_odata(odata, report).await?;
        }
        Ok(())
    }

    /// Ids of customers by external id, creating minimal customers for unknown
    /// ones, inside `tx`. New ids enter the cache only when `tx` commits.
    async fn resolve_customers(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        wanted: &HashSet<&str>,
        pending: &mut HashMap<String, i64>,
    ) -> Result<()> {
        let missing: Vec<&str> = wanted.iter().copied().filter(|k| !self.customers.contains_key(*k)).collect();
        for chunk in missing.chunks(1000) {
            let (first, list) = (param_list(self.db.backend, 1, 1), param_list(self.db.backend, 2, chunk.len()));
            let sql = format!(
                "SELECT external_id, id FROM customers WHERE workspace_id = {first} AND external_id IN ({list})"
            );
            let mut q = sqlx::query(AssertSqlSafe(sql)).bind(self.workspace_id);
            for k in chunk {
                q = q.bind(*k);
            }
            for r in q.fetch_all(&mut **tx).await? {
                pending.insert(r.get(0), r.get(1));
            }
        }
        let create: Vec<&str> = missing.into_iter().filter(|k| !pending.contains_key(*k)).collect();
        let now = now_ms();
        for chunk in create.chunks(rows_per_statement(3)) {
            let sql = format!(
                "INSERT INTO customers (workspace_id, external_id, created_at) VALUES {} ON CONFLICT (workspace_id, external_id) DO NOTHING RETURNING external_id, id",
                values_placeholders(self.db.backend, chunk.len(), 3, 1)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for k in chunk {
                q = q.bind(self.workspace_id).bind(*k).bind(now);
            }
            for r in q.fetch_all(&mut **tx).await? {
                pending.insert(r.get(0), r.get(1));
            }
        }
        Ok(())
    }

    fn customer_id(&self, pending: &HashMap<String, i64>, key: Option<&str>) -> Option<i64> {
        key.and_then(|k| self.customers.get(k).or_else(|| pending.get(k)).copied())
    }

    async fn write_customers(&mut self, rows: Vec<(u64, CustomerRecord)>, report: &mut ImportReport) -> Result<()> {
        // Later rows for the same id win; one statement may not touch a row twice.
        let mut last: HashMap<&str, usize> = HashMap::new();
        for (i, (_, c)) in rows.iter().enumerate() {
            if last.insert(c.external_id.as_str(), i).is_some() {
                report.duplicates += 1;
            }
        }
        let mut good = Vec::new();
        for (i, (line, c)) in rows.iter().enumerate() {
            if last.get(c.external_id.as_str()) != Some(&i) {
                continue;
            }
            let unknown = c.segments.iter().find(|s| !self.segments.contains_key(s.as_str()));
            if let Some(s) = unknown {
                report.error(RowError::new(*line, "segments", format!("unknown segment '{s}'")));
                continue;
            }
            good.push(c);
        }
        let now = now_ms();
        let mut tx = self.db.pool.begin().await?;
        let mut ids: HashMap<String, i64> = HashMap::new();
        for chunk in good.chunks(rows_per_statement(11)) {
            let sql = format!(
                "INSERT INTO customers (workspace_id, external_id, name, email, phone, language, lifecycle, attributes, consent_email, consent_sms, created_at) VALUES {} \
                 ON CONFLICT (workspace_id, external_id) DO UPDATE SET name = COALESCE(excluded.name, customers.name), \
                 email = COALESCE(excluded.email, customers.email), phone = COALESCE(excluded.phone, customers.phone), \
                 language = COALESCE(excluded.language, customers.language), lifecycle = COALESCE(excluded.lifecycle, customers.lifecycle), \
                 attributes = CASE WHEN excluded.attributes = '{{}}' THEN customers.attributes ELSE excluded.attributes END, \
                 consent_email = excluded.consent_email, consent_sms = excluded.consent_sms \
                 RETURNING external_id, id",
                values_placeholders(self.db.backend, chunk.len(), 11, 1)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for c in chunk {
                q = q
                    .bind(self.workspace_id)
                    .bind(&c.external_id)
                    .bind(c.name.as_deref())
                    .bind(c.email.as_deref())
                    .bind(c.phone.as_deref())
                    .bind(c.language.map(|l| l.as_str()))
                    .bind(c.lifecycle.map(|l| l.as_str()))
                    .bind(serde_json::Value::Object(c.attributes.clone()).to_string())
                    .bind(c.consent_email as i64)
                    .bind(c.consent_sms as i64)
                    .bind(c.created_at.unwrap_or(now));
            }
            for r in q.fetch_all(&mut *tx).await? {
                ids.insert(r.get(0), r.get(1));
            }
        }
        let mut links: Vec<(i64, i64)> = Vec::new();
        for c in &good {
            let Some(&cid) = ids.get(&c.external_id) else { continue };
            links.extend(c.segments.iter().filter_map(|s| self.segments.get(s.as_str()).map(|&sid| (sid, cid))));
        }
        for chunk in links.chunks(rows_per_statement(2)) {
            let sql = format!(
                "INSERT INTO customer_segments (segment_id, customer_id) VALUES {} ON CONFLICT DO NOTHING",
                values_placeholders(self.db.backend, chunk.len(), 2, 1)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (s, c) in chunk {
                q = q.bind(*s).bind(*c);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        report.written += ids.len() as u64;
        self.customers.extend(ids);
        Ok(())
    }

    async fn write_responses(&mut self, rows: Vec<(u64, ResponseRecord)>, report: &mut ImportReport) -> Result<()> {
        let mut errors = Vec::new();
        let batch = self.context.prepare(rows, &mut errors);
        for e in errors {
            report.error(e);
        }
        self.write_response_batch(batch, report).await
    }

    /// Stores prepared responses in one transaction: customer stubs, the rows
    /// (existing external ids skipped), and the rollups of what was inserted.
    pub async fn write_response_batch(&mut self, batch: ResponseBatch, report: &mut ImportReport) -> Result<()> {
        let good = batch.records;
        if good.is_empty() {
            return Ok(());
        }
        // The batch travels as one JSON parameter that the database expands
        // (json_each / jsonb_array_elements): per-value binding costs more
        // than the inserts themselves at this volume.
        let (stubs_sql, insert_sql) = match self.db.backend {
            Backend::Sqlite => (
                "INSERT INTO customers (workspace_id, external_id, created_at) SELECT ?1, j.value, ?2 FROM json_each(?3) j WHERE true \
                 ON CONFLICT (workspace_id, external_id) DO NOTHING",
                "INSERT INTO responses (workspace_id, external_id, survey_id, survey_version, customer_id, touchpoint_id, channel, language, submitted_at, answers) \
                 SELECT ?1, j.value ->> 0, j.value ->> 1, j.value ->> 2, \
                   (SELECT c.id FROM customers c WHERE c.workspace_id = ?1 AND c.external_id = j.value ->> 3), \
                   j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7, j.value ->> 8 \
                 FROM jsonb_each(?2) j WHERE true ON CONFLICT (workspace_id, external_id) DO NOTHING",
            ),
            Backend::Postgres => (
                "INSERT INTO customers (workspace_id, external_id, created_at) SELECT $1, j, $2 FROM jsonb_array_elements_text($3::jsonb) j \
                 ON CONFLICT (workspace_id, external_id) DO NOTHING",
                "INSERT INTO responses (workspace_id, external_id, survey_id, survey_version, customer_id, touchpoint_id, channel, language, submitted_at, answers) \
                 SELECT $1, j ->> 0, (j ->> 1)::bigint, (j ->> 2)::bigint, \
                   (SELECT c.id FROM customers c WHERE c.workspace_id = $1 AND c.external_id = j ->> 3), \
                   (j ->> 4)::bigint, j ->> 5, j ->> 6, (j ->> 7)::bigint, j ->> 8 \
                 FROM jsonb_array_elements($2::jsonb) j ON CONFLICT (workspace_id, external_id) DO NOTHING RETURNING external_id, id",
            ),
        };
        // SQLite takes the write lock first (BEGIN IMMEDIATE); see below.
        let mut tx = match self.db.backend {
            Backend::Sqlite => self.db.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.db.pool.begin().await?,
        };
        if let Some(list) = batch.customers_json {
            sqlx::query(stubs_sql).bind(self.workspace_id).bind(now_ms()).bind(list).execute(&mut *tx).await?;
        }
        // The ids inserted, or `None` when every distinct id in the batch was;
        // and the row ids of the inserted responses (for the text-analysis job).
        let mut new_row_ids: Vec<(i64, i64)> = Vec::new();
        let inserted: Option<HashSet<String>> = match self.db.backend {
            Backend::Sqlite => {
                // Under BEGIN IMMEDIATE nobody else writes, and new rows get rowids
                // above the current maximum: when fewer rows went in than were
                // sent, those above the old maximum are exactly the new ones.
                let before: i64 =
                    sqlx::query("SELECT COALESCE(MAX(id), 0) FROM responses").fetch_one(&mut *tx).await?.get(0);
                let changed = sqlx::query(insert_sql)
                    .bind(self.workspace_id)
                    .bind(batch.rows_json)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if changed > 0 {
                    let after: i64 =
                        sqlx::query("SELECT COALESCE(MAX(id), 0) FROM responses").fetch_one(&mut *tx).await?.get(0);
                    new_row_ids.push((before + 1, after));
                }
                let distinct = good.iter().map(|r| r.external_id.as_str()).collect::<HashSet<_>>().len() as u64;
                if changed == distinct {
                    None
                } else {
                    let fresh = sqlx::query("SELECT external_id FROM responses WHERE id > ?1")
                        .bind(before)
                        .fetch_all(&mut *tx)
                        .await?
                        .into_iter()
                        .map(|r| r.get(0))
                        .collect();
                    Some(fresh)
                }
            }
            Backend::Postgres => {
                let rows =
                    sqlx::query(insert_sql).bind(self.workspace_id).bind(batch.rows_json).fetch_all(&mut *tx).await?;
                let mut ids: Vec<i64> = rows.iter().map(|r| r.get(1)).collect();
                new_row_ids = crate::text::id_ranges(&mut ids);
                Some(rows.into_iter().map(|r| r.get(0)).collect::<HashSet<String>>())
            }
        };
        let was_inserted = |id: &str| inserted.as_ref().is_none_or(|set| set.contains(id));
        // Rollups only for responses this batch really inserted, each once.
        let mut rollup: HashMap<(i64, i64, i64), [f64; 5]> = HashMap::new();
        let mut done = HashSet::with_capacity(good.len());
        for r in &good {
            if !was_inserted(&r.external_id) || !done.insert(r.external_id.as_str()) {
                continue; // listed twice in this batch: the first occurrence was inserted
            }
            let survey = &self.context.surveys[&r.survey];
            let tp = r.touchpoint.as_deref().and_then(|k| self.context.touchpoints.get(k).copied()).unwrap_or(0);
            for (key, value) in &r.answers {
                let (Some((qid, _, Some(scale), _)), AnswerValue::Number(v)) = (survey.questions.get(key), value)
                else {
                    continue;
                };
                add_to_rollup(&mut rollup, (*qid, tp, day_of(r.submitted_at)), scale, *v);
            }
        }
        upsert_rollup(&mut tx, self.db.backend, self.workspace_id, &rollup).await?;
        // Outbox: the analysis of the new open answers commits with them.
        let has_text = good.iter().any(|r| {
            was_inserted(&r.external_id) && {
                let survey = &self.context.surveys[&r.survey];
                r.answers.iter().any(|(key, value)| {
                    matches!(value, AnswerValue::Text(t) if !t.trim().is_empty())
                        && survey.questions.get(key).is_some_and(|q| q.1 == QuestionKind::OpenText)
                })
            }
        });
        if has_text {
            crate::text::enqueue_analyze(&mut tx, self.workspace_id, SourceKind::Response, new_row_ids).await?;
        }
        tx.commit().await?;
        // A response listed twice in one batch was inserted (and rolled up) once.
        report.written += done.len() as u64;
        report.duplicates += (good.len() - done.len()) as u64;
        Ok(())
    }

    async fn write_feedback(&mut self, rows: Vec<(u64, FeedbackRecord)>, report: &mut ImportReport) -> Result<()> {
        let mut good = Vec::new();
        for (line, f) in rows {
            if let Err(e) = self.context.touchpoint(f.touchpoint.as_deref(), line) {
                report.error(e);
                continue;
            }
            if f.text.trim().is_empty() {
                report.error(RowError::new(line, "text", "is required".into()));
                continue;
            }
            good.push(f);
        }
        self.insert_simple(
            report,
            good.len(),
            "feedback_items",
            &[
                "workspace_id",
                "external_id",
                "source",
                "text",
                "rating",
                "customer_id",
                "touchpoint_id",
                "channel",
                "language",
                "occurred_at",
            ],
            |imp, pending, q, i| {
                let f = &good[i];
                q.bind(imp.workspace_id)
                    .bind(f.external_id.clone())
                    .bind(f.source.as_str())
                    .bind(f.text.clone())
                    .bind(f.rating)
                    .bind(imp.customer_id(pending, f.customer_external_id.as_deref()))
                    .bind(f.touchpoint.as_deref().and_then(|k| imp.context.touchpoints.get(k).copied()))
                    .bind(f.channel.map(|c| c.as_str()))
                    .bind(f.language.map(|l| l.as_str()))
                    .bind(f.occurred_at)
            },
            good.iter().filter_map(|f| f.customer_external_id.as_deref()).collect(),
            Some(SourceKind::Feedback),
        )
        .await
    }

    async fn write_events(&mut self, rows: Vec<(u64, EventRecord)>, report: &mut ImportReport) -> Result<()> {
        let mut good = Vec::new();
        for (line, e) in rows {
            if let Err(err) = self.context.touchpoint(e.touchpoint.as_deref(), line) {
                report.error(err);
                continue;
            }
            good.push(e);
        }
        self.insert_simple(
            report,
            good.len(),
            "events",
            &["workspace_id", "external_id", "customer_id", "touchpoint_id", "name", "properties", "occurred_at"],
            |imp, pending, q, i| {
                let e = &good[i];
                q.bind(imp.workspace_id)
                    .bind(e.external_id.clone())
                    .bind(imp.customer_id(pending, e.customer_external_id.as_deref()))
                    .bind(e.touchpoint.as_deref().and_then(|k| imp.context.touchpoints.get(k).copied()))
                    .bind(e.name.clone())
                    .bind(serde_json::Value::Object(e.properties.clone()).to_string())
                    .bind(e.occurred_at)
            },
            good.iter().filter_map(|e| e.customer_external_id.as_deref()).collect(),
            None,
        )
        .await
    }

    async fn write_odata(&mut self, rows: Vec<(u64, ODataRecord)>, report: &mut ImportReport) -> Result<()> {
        let good: Vec<ODataRecord> = rows.into_iter().map(|(_, o)| o).collect();
        self.insert_simple(
            report,
            good.len(),
            "operational_records",
            &["workspace_id", "external_id", "customer_id", "kind", "amount", "occurred_at"],
            |imp, pending, q, i| {
                let o = &good[i];
                q.bind(imp.workspace_id)
                    .bind(o.external_id.clone())
                    .bind(imp.customer_id(pending, o.customer_external_id.as_deref()))
                    .bind(o.kind.as_str())
                    .bind(o.amount)
                    .bind(o.occurred_at)
            },
            good.iter().filter_map(|o| o.customer_external_id.as_deref()).collect(),
            None,
        )
        .await
    }

    /// Inserts `count` rows of a table keyed by (workspace_id, external_id),
    /// resolving customers first; `bind` binds row `i`'s columns in order.
    /// With `texts`, the rows hold texts: their analysis is enqueued in the
    /// same transaction.
    #[allow(clippy::too_many_arguments)]
    async fn insert_simple<'q, F>(
        &mut self,
        report: &mut ImportReport,
        count: usize,
        table: &str,
        columns: &[&str],
        bind: F,
        customers: HashSet<&str>,
        texts: Option<SourceKind>,
    ) -> Result<()>
    where
        F: for<'a> Fn(
            &Importer,
            &HashMap<String, i64>,
            sqlx::query::Query<'a, sqlx::Any, sqlx::any::AnyArguments>,
            usize,
        ) -> sqlx::query::Query<'a, sqlx::Any, sqlx::any::AnyArguments>,
    {
        if count == 0 {
            return Ok(());
        }
        let mut tx = self.db.pool.begin().await?;
        let mut pending = HashMap::new();
        self.resolve_customers(&mut tx, &customers, &mut pending).await?;
        let per = rows_per_statement(columns.len());
        let mut written = 0u64;
        let mut new_ids: Vec<i64> = Vec::new();
        let mut start = 0;
        while start < count {
            let end = (start + per).min(count);
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES {} ON CONFLICT (workspace_id, external_id) DO NOTHING{}",
                columns.join(", "),
                values_placeholders(self.db.backend, end - start, columns.len(), 1),
                if texts.is_some() { " RETURNING id" } else { "" }
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for i in start..end {
                q = bind(self, &pending, q, i);
            }
            if texts.is_some() {
                let rows = q.fetch_all(&mut *tx).await?;
                written += rows.len() as u64;
                new_ids.extend(rows.iter().map(|r| r.get::<i64, _>(0)));
            } else {
                written += q.execute(&mut *tx).await?.rows_affected();
            }
            start = end;
        }
        if let Some(kind) = texts
            && !new_ids.is_empty()
        {
            let ranges = crate::text::id_ranges(&mut new_ids);
            crate::text::enqueue_analyze(&mut tx, self.workspace_id, kind, ranges).await?;
        }
        tx.commit().await?;
        report.written += written;
        report.duplicates += count as u64 - written;
        self.customers.extend(pending);
        Ok(())
    }
}

/// The stored form of a response's answers (see the `responses.answers` column).
pub fn answers_json(answers: &[(String, AnswerValue)]) -> String {
    let mut map = serde_json::Map::with_capacity(answers.len());
    for (key, value) in answers {
        let v = match value {
            AnswerValue::Number(n) => {
                serde_json::Number::from_f64(*n).map(serde_json::Value::Number).unwrap_or(serde_json::Value::Null)
            }
            AnswerValue::Text(t) => serde_json::Value::String(t.clone()),
        };
        map.insert(key.clone(), v);
    }
    serde_json::Value::Object(map).to_string()
}

pub(crate) fn add_to_rollup(
    rollup: &mut HashMap<(i64, i64, i64), [f64; 5]>,
    key: (i64, i64, i64),
    scale: &ScoreScale,
    v: f64,
) {
    let a = rollup.entry(key).or_insert([0.0; 5]);
    a[0] += 1.0;
    a[1] += v;
    a[2] += v * v;
    a[3] += f64::from(u8::from(scale.is_top(v)));
    a[4] += f64::from(u8::from(scale.is_bottom(v)));
}

pub(crate) async fn upsert_rollup(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: Backend,
    workspace_id: i64,
    rollup: &HashMap<(i64, i64, i64), [f64; 5]>,
) -> Result<()> {
    let entries: Vec<_> = rollup.iter().collect();
    for chunk in entries.chunks(rows_per_statement(9)) {
        let sql = format!(
            "INSERT INTO metric_daily (workspace_id, question_id, touchpoint_id, day, n, sum_value, sum_squares, n_top, n_bottom) VALUES {} \
             ON CONFLICT (workspace_id, question_id, touchpoint_id, day) DO UPDATE SET n = metric_daily.n + excluded.n, \
             sum_value = metric_daily.sum_value + excluded.sum_value, sum_squares = metric_daily.sum_squares + excluded.sum_squares, \
             n_top = metric_daily.n_top + excluded.n_top, n_bottom = metric_daily.n_bottom + excluded.n_bottom",
            values_placeholders(backend, chunk.len(), 9, 1)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for ((qid, tp, day), a) in chunk {
            q = q
                .bind(workspace_id)
                .bind(*qid)
                .bind(*tp)
                .bind(*day)
                .bind(a[0] as i64)
                .bind(a[1])
                .bind(a[2])
                .bind(a[3] as i64)
                .bind(a[4] as i64);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

fn parse_rows(
    kind: ImportKind,
    mut source: Box<dyn RowSource>,
    mut columns: Vec<Column>,
    question_keys: HashSet<String>,
    context: Option<Arc<ResponseContext>>,
    out: &tokio::sync::mpsc::Sender<Parsed>,
) {
    let send = |records: Vec<(u64, Record)>, mut errors: Vec<RowError>, rows: u64, position: u64| {
        let msg = match &context {
            Some(ctx) => {
                let responses = records
                    .into_iter()
                    .filter_map(|(line, r)| if let Record::Response(r) = r { Some((line, r)) } else { None })
                    .collect();
                let batch = ctx.prepare(responses, &mut errors);
                Parsed::Responses(batch, errors, rows, position)
            }
            None => Parsed::Batch(records, errors, rows, position),
        };
        out.blocking_send(msg).is_ok()
    };
    let mut records = Vec::with_capacity(BATCH_ROWS);
    let mut errors = Vec::new();
    let mut rows = 0u64;
    let mut header: Vec<String> = source.header().to_vec();
    while let Some(next) = source.next_row() {
        rows += 1;
        match next {
            Err(e) if e.line == 0 => {
                let _ = out.blocking_send(Parsed::Fatal(e.reason));
                return;
            }
            Err(e) => errors.push(e),
            Ok(row) => {
                if source.header().len() > columns.len() {
                    header = source.header().to_vec();
                    for name in &header[columns.len()..] {
                        columns.push(kind.column(name, &question_keys).unwrap_or_else(Column::Unknown));
                    }
                }
                match parse::to_record(kind, &columns, &header, &row) {
                    Ok(r) => records.push((row.line, r)),
                    Err(e) => errors.push(e),
                }
            }
        }
        if records.len() >= BATCH_ROWS || errors.len() >= BATCH_ROWS {
            let batch = std::mem::replace(&mut records, Vec::with_capacity(BATCH_ROWS));
            if !send(batch, std::mem::take(&mut errors), rows, source.position()) {
                return;
            }
        }
    }
    send(records, errors, rows, source.position());
}

/// Imports a file, choosing the format by its extension.
pub async fn import_file(
    db: &Db,
    workspace_id: i64,
    kind: ImportKind,
    path: &std::path::Path,
    progress: Option<Progress>,
) -> Result<ImportReport> {
    let format = source::Format::from_path(path).ok_or_else(|| {
        StoreError::Invalid(format!("{}: unknown file type (use .csv, .xlsx or .jsonl)", path.display()))
    })?;
    let src = source::open(path, format).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let mut importer = Importer::new(db, workspace_id).await?;
    importer.import_source(kind, src, progress).await
}
