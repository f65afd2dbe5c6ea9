//! Text analytics storage (SPEC §3 "Text analysis result", §5): analyses of
//! open answers and feedback items, their aspect mentions and keywords, the
//! workspace taxonomy, and the reads of the VoC explorer.
//!
//! Texts are analysed only through the job queue (`text.analyze` jobs
//! enqueued by the import in the same transaction as the rows, `text.reanalyze`
//! after a taxonomy change; see [`worker`]) or by an explicit CLI/API call.
//! Storing an analysis replaces the text's earlier rows, so every path is
//! idempotent; a result computed with an older taxonomy never overwrites one
//! computed with a newer.

pub mod worker;

use crate::{Backend, Db, Result, StoreError, begin_write, day_of, now_ms, param_list, rows_per_statement};
use crate::{jobs, values_placeholders};
use cxm_text::{Analysis, AspectMention, Polarity, Taxonomy};
use serde::{Deserialize, Serialize};
use sqlx::{AssertSqlSafe, Row};
use std::collections::{HashMap, HashSet};

/// Job kind: analyse the texts of one inserted batch.
pub const JOB_ANALYZE: &str = "text.analyze";
/// Job kind: analyse a workspace's texts again (its taxonomy changed).
pub const JOB_REANALYZE: &str = "text.reanalyze";

/// Where a text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// An open-text answer of a survey response (field = question key).
    Response,
    /// A feedback item (review, complaint, ticket …; field = '').
    Feedback,
}

impl SourceKind {
    pub const ALL: [SourceKind; 2] = [SourceKind::Response, SourceKind::Feedback];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Response => "response",
            SourceKind::Feedback => "feedback",
        }
    }

    pub fn parse(s: &str) -> Option<SourceKind> {
        match s {
            "response" => Some(SourceKind::Response),
            "feedback" => Some(SourceKind::Feedback),
            _ => None,
        }
    }
}

/// One stored text to analyse, with the dimensions the explorer filters on.
#[derive(Debug, Clone, PartialEq)]
pub struct TextItem {
    pub workspace_id: i64,
    pub source_kind: SourceKind,
    pub source_id: i64,
    /// Question key of an open answer; '' for feedback.
    pub field: String,
    /// 0 = no touchpoint.
    pub touchpoint_id: i64,
    pub channel: Option<String>,
    /// When the customer wrote it (response submitted / feedback occurred).
    pub occurred_at: i64,
    pub text: String,
}

/// A text with its analysis, ready to store.
#[derive(Debug, Clone)]
pub struct AnalyzedText {
    pub item: TextItem,
    pub analysis: Analysis,
    /// The taxonomy version the analyzer used (0 = the bundled default).
    pub taxonomy_version: i64,
}

// ---------------------------------------------------------------- writes

/// Stores analyses, replacing earlier ones of the same texts, in one transaction.
/// Returns how many were stored (a text already analysed with a newer taxonomy is kept).
pub async fn save_analyses(db: &Db, analyses: &[AnalyzedText]) -> Result<u64> {
    if analyses.is_empty() {
        return Ok(0);
    }
    let mut tx = begin_write(db).await?;
    let stored = save_analyses_in(&mut tx, db.backend, analyses).await?;
    tx.commit().await?;
    Ok(stored)
}

type TextKey = (SourceKind, i64, String);

/// [`save_analyses`] inside a caller's transaction.
pub async fn save_analyses_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    backend: Backend,
    analyses: &[AnalyzedText],
) -> Result<u64> {
    // One statement may not touch a row twice: the last analysis of a text wins.
    let mut last: HashMap<TextKey, usize> = HashMap::new();
    for (i, a) in analyses.iter().enumerate() {
        last.insert((a.item.source_kind, a.item.source_id, a.item.field.clone()), i);
    }
    let mut rows: Vec<&AnalyzedText> = Vec::with_capacity(last.len());
    for (i, a) in analyses.iter().enumerate() {
        if last.get(&(a.item.source_kind, a.item.source_id, a.item.field.clone())) == Some(&i) {
            rows.push(a);
        }
    }
    let now = now_ms();
    let mut ids: HashMap<TextKey, i64> = HashMap::with_capacity(rows.len());
    const COLS: usize = 18;
    for chunk in rows.chunks(rows_per_statement(COLS)) {
        let sql = format!(
            "INSERT INTO text_analyses (workspace_id, source_kind, source_id, field, touchpoint_id, channel, occurred_at, day, \
               lang, sentiment_label, sentiment_score, urgency, churn, aspect_count, taxonomy_version, result, analyzed_at, \
               analyzer) \
             VALUES {} ON CONFLICT (source_kind, source_id, field) DO UPDATE SET workspace_id = excluded.workspace_id, \
               touchpoint_id = excluded.touchpoint_id, channel = excluded.channel, occurred_at = excluded.occurred_at, \
               day = excluded.day, lang = excluded.lang, sentiment_label = excluded.sentiment_label, \
               sentiment_score = excluded.sentiment_score, urgency = excluded.urgency, churn = excluded.churn, \
               aspect_count = excluded.aspect_count, taxonomy_version = excluded.taxonomy_version, \
               result = excluded.result, analyzed_at = excluded.analyzed_at, analyzer = excluded.analyzer \
             WHERE text_analyses.taxonomy_version <= excluded.taxonomy_version \
             RETURNING id, source_kind, source_id, field",
            values_placeholders(backend, chunk.len(), COLS, 1)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for a in chunk {
            let result = serde_json::to_string(&a.analysis).map_err(|e| StoreError::Invalid(e.to_string()))?;
            let score = f64::from(a.analysis.sentiment.score);
            q = q
                .bind(a.item.workspace_id)
                .bind(a.item.source_kind.as_str())
                .bind(a.item.source_id)
                .bind(a.item.field.as_str())
                .bind(a.item.touchpoint_id)
                .bind(a.item.channel.as_deref())
                .bind(a.item.occurred_at)
                .bind(day_of(a.item.occurred_at))
                .bind(a.analysis.lang.as_str())
                .bind(a.analysis.sentiment.label.as_str())
                .bind(if score.is_finite() { score } else { 0.0 })
                .bind(i64::from(a.analysis.urgency.flag))
                .bind(i64::from(a.analysis.churn_risk.flag))
                .bind(a.analysis.aspects.len() as i64)
                .bind(a.taxonomy_version)
                .bind(result)
                .bind(now)
                .bind(cxm_text::analyzer_id());
        }
        for r in q.fetch_all(&mut **tx).await? {
            let kind: String = r.get(1);
            let Some(kind) = SourceKind::parse(&kind) else { continue };
            ids.insert((kind, r.get(2), r.get(3)), r.get(0));
        }
    }
    // The stored rows' aspects and terms are replaced.
    let stored: Vec<(i64, &AnalyzedText)> = rows
        .iter()
        .filter_map(|a| ids.get(&(a.item.source_kind, a.item.source_id, a.item.field.clone())).map(|id| (*id, *a)))
        .collect();
    let id_list: Vec<i64> = stored.iter().map(|(id, _)| *id).collect();
    for table in ["text_aspects", "text_terms"] {
        for chunk in id_list.chunks(1000) {
            let sql = format!("DELETE FROM {table} WHERE analysis_id IN ({})", param_list(backend, 1, chunk.len()));
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(&mut **tx).await?;
        }
    }
    let mut aspects: Vec<(i64, usize, &AspectMention, &AnalyzedText)> = Vec::new();
    let mut terms: Vec<(i64, &str, &AnalyzedText)> = Vec::new();
    for (id, a) in &stored {
        for (pos, m) in a.analysis.aspects.iter().enumerate() {
            aspects.push((*id, pos, m, a));
        }
        let mut seen = HashSet::new();
        for k in &a.analysis.keywords {
            if !k.trim().is_empty() && seen.insert(k.as_str()) {
                terms.push((*id, k.as_str(), a));
            }
        }
    }
    for chunk in aspects.chunks(rows_per_statement(11)) {
        let sql = format!(
            "INSERT INTO text_aspects (workspace_id, analysis_id, position, aspect, polarity, touchpoint_id, source_kind, channel, lang, day, occurred_at) VALUES {}",
            values_placeholders(backend, chunk.len(), 11, 1)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (id, pos, m, a) in chunk {
            q = q
                .bind(a.item.workspace_id)
                .bind(*id)
                .bind(*pos as i64)
                .bind(m.aspect.as_str())
                .bind(m.polarity.as_str())
                .bind(a.item.touchpoint_id)
                .bind(a.item.source_kind.as_str())
                .bind(a.item.channel.as_deref())
                .bind(a.analysis.lang.as_str())
                .bind(day_of(a.item.occurred_at))
                .bind(a.item.occurred_at);
        }
        q.execute(&mut **tx).await?;
    }
    for chunk in terms.chunks(rows_per_statement(5)) {
        let sql = format!(
            "INSERT INTO text_terms (workspace_id, analysis_id, term, day, touchpoint_id) VALUES {}",
            values_placeholders(backend, chunk.len(), 5, 1)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (id, term, a) in chunk {
            q = q
                .bind(a.item.workspace_id)
                .bind(*id)
                .bind(*term)
                .bind(day_of(a.item.occurred_at))
                .bind(a.item.touchpoint_id);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(stored.len() as u64)
}

/// Sorted ids folded into inclusive ranges of consecutive ids.
pub fn id_ranges(ids: &mut [i64]) -> Vec<(i64, i64)> {
    ids.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::new();
    for &id in ids.iter() {
        match out.last_mut() {
            Some((_, hi)) if id <= *hi + 1 => *hi = (*hi).max(id),
            _ => out.push((id, id)),
        }
    }
    out
}

/// The payload of a `text.analyze` job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyzePayload {
    pub workspace_id: i64,
    pub source: SourceKind,
    /// Inclusive ranges of the source rows' ids inserted by the batch.
    pub ranges: Vec<(i64, i64)>,
}

/// Enqueues the analysis of one inserted batch, inside the transaction that
/// inserts it (outbox): either both commit or neither.
pub(crate) async fn enqueue_analyze(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    workspace_id: i64,
    source: SourceKind,
    ranges: Vec<(i64, i64)>,
) -> Result<()> {
    let (Some(first), Some(last)) = (ranges.first().copied(), ranges.last().copied()) else { return Ok(()) };
    let dedupe = format!("{JOB_ANALYZE}:{}:{}-{}", source.as_str(), first.0, last.1);
    let payload = serde_json::to_value(AnalyzePayload { workspace_id, source, ranges })
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    jobs::enqueue(&mut **tx, JOB_ANALYZE, &payload, Some(&dedupe), now_ms()).await?;
    Ok(())
}

// ---------------------------------------------------------------- sources

/// Open-text question keys per survey of the workspace.
pub async fn open_text_fields(db: &Db, workspace_id: i64) -> Result<HashMap<i64, Vec<String>>> {
    let rows = sqlx::query(
        "SELECT q.survey_id, q.key FROM questions q JOIN surveys s ON s.id = q.survey_id \
         WHERE s.workspace_id = $1 AND q.kind = 'open_text' ORDER BY q.survey_id, q.position",
    )
    .bind(workspace_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for r in rows {
        out.entry(r.get(0)).or_default().push(r.get(1));
    }
    Ok(out)
}

/// A page of stored texts of one kind: source rows with `after < id <= until`,
/// at most `limit` rows, in id order. Returns the texts (a response gives one
/// per non-blank open answer) and the last row id read (`None` at the end).
pub async fn texts_page(
    db: &Db,
    workspace_id: i64,
    kind: SourceKind,
    fields: &HashMap<i64, Vec<String>>,
    after: i64,
    until: i64,
    limit: i64,
) -> Result<(Vec<TextItem>, Option<i64>)> {
    let mut out = Vec::new();
    let mut last = None;
    match kind {
        SourceKind::Response => {
            if fields.is_empty() {
                return Ok((out, None));
            }
            let rows = sqlx::query(
                "SELECT id, survey_id, answers, COALESCE(touchpoint_id, 0), channel, submitted_at FROM responses \
                 WHERE workspace_id = $1 AND id > $2 AND id <= $3 \
                   AND survey_id IN (SELECT q.survey_id FROM questions q WHERE q.kind = 'open_text') \
                 ORDER BY id LIMIT $4",
            )
            .bind(workspace_id)
            .bind(after)
            .bind(until)
            .bind(limit)
            .fetch_all(&db.pool)
            .await?;
            for r in rows {
                let id: i64 = r.get(0);
                last = Some(id);
                let Some(keys) = fields.get(&r.get::<i64, _>(1)) else { continue };
                let answers: String = r.get(2);
                let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(&answers) else {
                    continue;
                };
                for key in keys {
                    let Some(serde_json::Value::String(text)) = map.get(key) else { continue };
                    if text.trim().is_empty() {
                        continue;
                    }
                    out.push(TextItem {
                        workspace_id,
                        source_kind: kind,
                        source_id: id,
                        field: key.clone(),
                        touchpoint_id: r.get(3),
                        channel: r.get(4),
                        occurred_at: r.get(5),
                        text: text.clone(),
                    });
                }
            }
        }
        SourceKind::Feedback => {
            let rows = sqlx::query(
                "SELECT id, text, COALESCE(touchpoint_id, 0), channel, occurred_at FROM feedback_items \
                 WHERE workspace_id = $1 AND id > $2 AND id <= $3 ORDER BY id LIMIT $4",
            )
            .bind(workspace_id)
            .bind(after)
            .bind(until)
            .bind(limit)
            .fetch_all(&db.pool)
            .await?;
            for r in rows {
                let id: i64 = r.get(0);
                last = Some(id);
                let text: String = r.get(1);
                if text.trim().is_empty() {
                    continue;
                }
                out.push(TextItem {
                    workspace_id,
                    source_kind: kind,
                    source_id: id,
                    field: String::new(),
                    touchpoint_id: r.get(2),
                    channel: r.get(3),
                    occurred_at: r.get(4),
                    text,
                });
            }
        }
    }
    Ok((out, last))
}

/// Source rows that may hold text: responses of surveys with an open-text
/// question, and feedback items (for progress bars).
pub async fn count_sources(db: &Db, workspace_id: i64) -> Result<i64> {
    let responses: i64 = sqlx::query(
        "SELECT COUNT(*) FROM responses WHERE workspace_id = $1 \
         AND survey_id IN (SELECT q.survey_id FROM questions q WHERE q.kind = 'open_text')",
    )
    .bind(workspace_id)
    .fetch_one(&db.pool)
    .await?
    .get(0);
    let feedback: i64 = sqlx::query("SELECT COUNT(*) FROM feedback_items WHERE workspace_id = $1")
        .bind(workspace_id)
        .fetch_one(&db.pool)
        .await?
        .get(0);
    Ok(responses + feedback)
}

/// Stored analyses of the workspace.
pub async fn count_analyses(db: &Db, workspace_id: i64) -> Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) FROM text_analyses WHERE workspace_id = $1")
        .bind(workspace_id)
        .fetch_one(&db.pool)
        .await?
        .get(0))
}

/// The original texts of analyses, keyed by (kind, source id, field).
pub async fn source_texts(db: &Db, refs: &[(SourceKind, i64, String)]) -> Result<HashMap<TextKey, String>> {
    let mut out = HashMap::new();
    for kind in SourceKind::ALL {
        let mut ids: Vec<i64> = refs.iter().filter(|r| r.0 == kind).map(|r| r.1).collect();
        ids.sort_unstable();
        ids.dedup();
        for chunk in ids.chunks(1000) {
            let sql = match kind {
                SourceKind::Response => {
                    format!(
                        "SELECT id, answers FROM responses WHERE id IN ({})",
                        param_list(db.backend, 1, chunk.len())
                    )
                }
                SourceKind::Feedback => format!(
                    "SELECT id, text FROM feedback_items WHERE id IN ({})",
                    param_list(db.backend, 1, chunk.len())
                ),
            };
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&db.pool).await? {
                let (id, body): (i64, String) = (r.get(0), r.get(1));
                match kind {
                    SourceKind::Feedback => {
                        out.insert((kind, id, String::new()), body);
                    }
                    SourceKind::Response => {
                        let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(&body)
                        else {
                            continue;
                        };
                        for (field, value) in map {
                            if let serde_json::Value::String(t) = value {
                                out.insert((kind, id, field), t);
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- taxonomy

/// A workspace's current taxonomy. Version 0 is the bundled default, used
/// while the workspace has stored none.
#[derive(Debug, Clone)]
pub struct StoredTaxonomy {
    pub version: i64,
    pub taxonomy: Taxonomy,
    pub created_at: Option<i64>,
    pub created_by: Option<i64>,
}

/// The current taxonomy version of a workspace (0 = the default).
pub async fn taxonomy_version(db: &Db, workspace_id: i64) -> Result<i64> {
    let row = sqlx::query("SELECT MAX(version) FROM taxonomies WHERE workspace_id = $1")
        .bind(workspace_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(row.try_get::<Option<i64>, _>(0).ok().flatten().unwrap_or(0))
}

pub async fn taxonomy(db: &Db, workspace_id: i64) -> Result<StoredTaxonomy> {
    let row = sqlx::query(
        "SELECT version, json, created_at, created_by FROM taxonomies WHERE workspace_id = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(workspace_id)
    .fetch_optional(&db.pool)
    .await?;
    match row {
        None => Ok(StoredTaxonomy { version: 0, taxonomy: Taxonomy::default(), created_at: None, created_by: None }),
        Some(r) => {
            let version: i64 = r.get(0);
            let json: String = r.get(1);
            let taxonomy = Taxonomy::from_json(&json)
                .map_err(|e| StoreError::Invalid(format!("stored taxonomy version {version} is unusable: {e}")))?;
            Ok(StoredTaxonomy { version, taxonomy, created_at: r.get(2), created_by: r.get(3) })
        }
    }
}

/// Validates and stores a new taxonomy version, and enqueues the reanalysis
/// of the workspace's texts in the same transaction. Returns the new version.
pub async fn put_taxonomy(db: &Db, workspace_id: i64, taxonomy: &Taxonomy, user_id: Option<i64>) -> Result<i64> {
    taxonomy.validate()?;
    let json = serde_json::to_string(taxonomy).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let mut tx = begin_write(db).await?;
    let current: Option<i64> = sqlx::query("SELECT MAX(version) FROM taxonomies WHERE workspace_id = $1")
        .bind(workspace_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)
        .ok()
        .flatten();
    let version = current.unwrap_or(0) + 1;
    let inserted = sqlx::query(
        "INSERT INTO taxonomies (workspace_id, version, json, created_at, created_by) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (workspace_id, version) DO NOTHING",
    )
    .bind(workspace_id)
    .bind(version)
    .bind(json)
    .bind(now_ms())
    .bind(user_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(StoreError::Conflict("the taxonomy was changed concurrently; retry".into()));
    }
    let payload = serde_json::json!({ "workspace_id": workspace_id, "version": version });
    let dedupe = format!("{JOB_REANALYZE}:{workspace_id}:{version}");
    jobs::enqueue(&mut *tx, JOB_REANALYZE, &payload, Some(&dedupe), now_ms()).await?;
    tx.commit().await?;
    Ok(version)
}

/// Enqueues the analysis of every text of the workspace not yet analysed with
/// its current taxonomy by this build's analyzer (texts stored before text
/// analytics existed, or analysed by an earlier release). Once per workspace,
/// taxonomy version and analyzer; returns whether a job was added.
pub async fn enqueue_backfill(db: &Db, workspace_id: i64) -> Result<bool> {
    let version = taxonomy_version(db, workspace_id).await?;
    let payload = serde_json::json!({ "workspace_id": workspace_id, "version": version });
    let dedupe = format!("{JOB_REANALYZE}:{workspace_id}:{version}:backfill:{}", cxm_text::analyzer_id());
    Ok(jobs::enqueue(&db.pool, JOB_REANALYZE, &payload, Some(&dedupe), now_ms()).await?.is_some())
}

// ---------------------------------------------------------------- explorer reads

/// Filters of the VoC explorer; `None` = all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextFilter {
    /// First and last day (day numbers, inclusive).
    pub from_day: Option<i64>,
    pub to_day: Option<i64>,
    /// 0 = texts without a touchpoint.
    pub touchpoint_id: Option<i64>,
    pub channel: Option<String>,
    pub source_kind: Option<SourceKind>,
    /// `zh`, `zh-Hant`, `en`, `mixed` or `und`.
    pub lang: Option<String>,
}

enum Bind {
    Int(i64),
    Text(String),
}

/// SQL with `$N` parameters collected as it is built.
struct Sql {
    text: String,
    binds: Vec<Bind>,
}

impl Sql {
    fn new(text: &str) -> Sql {
        Sql { text: text.to_string(), binds: Vec::new() }
    }

    /// Adds a parameter; returns its placeholder.
    fn param(&mut self, b: Bind) -> String {
        self.binds.push(b);
        format!("${}", self.binds.len())
    }

    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// ` AND …` for each filter, on the columns of table alias `t`.
    fn filter(&mut self, t: &str, f: &TextFilter) {
        if let Some(d) = f.from_day {
            let p = self.param(Bind::Int(d));
            self.push(&format!(" AND {t}.day >= {p}"));
        }
        if let Some(d) = f.to_day {
            let p = self.param(Bind::Int(d));
            self.push(&format!(" AND {t}.day <= {p}"));
        }
        if let Some(tp) = f.touchpoint_id {
            let p = self.param(Bind::Int(tp));
            self.push(&format!(" AND {t}.touchpoint_id = {p}"));
        }
        if let Some(c) = &f.channel {
            let p = self.param(Bind::Text(c.clone()));
            self.push(&format!(" AND {t}.channel = {p}"));
        }
        if let Some(k) = f.source_kind {
            let p = self.param(Bind::Text(k.as_str().to_string()));
            self.push(&format!(" AND {t}.source_kind = {p}"));
        }
        if let Some(l) = &f.lang {
            let p = self.param(Bind::Text(l.clone()));
            self.push(&format!(" AND {t}.lang = {p}"));
        }
    }

    async fn fetch_all(self, db: &Db) -> Result<Vec<sqlx::any::AnyRow>> {
        let mut q = sqlx::query(AssertSqlSafe(self.text));
        for b in self.binds {
            q = match b {
                Bind::Int(i) => q.bind(i),
                Bind::Text(s) => q.bind(s),
            };
        }
        Ok(q.fetch_all(&db.pool).await?)
    }
}

/// Texts mentioning an aspect, by polarity. A text counts once per polarity
/// it expresses about the aspect, so `positive + neutral + negative` may
/// exceed `n` (texts with mixed mentions); each share's base is `n`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AspectCounts {
    pub aspect: String,
    /// Texts that mention the aspect.
    pub n: i64,
    pub positive: i64,
    pub neutral: i64,
    pub negative: i64,
}

impl AspectCounts {
    /// Net sentiment (positive − negative)/n in [−1, 1]; `None` when n = 0.
    pub fn net_sentiment(&self) -> Option<f64> {
        (self.n > 0).then(|| (self.positive - self.negative) as f64 / self.n as f64)
    }

    fn merge(&mut self, o: &AspectCounts) {
        self.n += o.n;
        self.positive += o.positive;
        self.neutral += o.neutral;
        self.negative += o.negative;
    }
}

const COUNTS: &str = "COUNT(DISTINCT m.analysis_id), \
    COUNT(DISTINCT CASE WHEN m.polarity = 'positive' THEN m.analysis_id END), \
    COUNT(DISTINCT CASE WHEN m.polarity = 'neutral' THEN m.analysis_id END), \
    COUNT(DISTINCT CASE WHEN m.polarity = 'negative' THEN m.analysis_id END)";

fn counts_at(r: &sqlx::any::AnyRow, aspect: String, at: usize) -> AspectCounts {
    AspectCounts { aspect, n: r.get(at), positive: r.get(at + 1), neutral: r.get(at + 2), negative: r.get(at + 3) }
}

/// Aspect × polarity counts (texts) under the filter, by aspect key.
pub async fn aspect_counts(db: &Db, workspace_id: i64, filter: &TextFilter) -> Result<Vec<AspectCounts>> {
    let mut sql = Sql::new("");
    let ws = sql.param(Bind::Int(workspace_id));
    sql.push(&format!("SELECT m.aspect, {COUNTS} FROM text_aspects m WHERE m.workspace_id = {ws}"));
    sql.filter("m", filter);
    sql.push(" GROUP BY m.aspect ORDER BY m.aspect");
    Ok(sql.fetch_all(db).await?.iter().map(|r| counts_at(r, r.get(0), 1)).collect())
}

/// One period of an aspect's trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendPoint {
    /// First day of the period (day number).
    pub period_start: i64,
    pub counts: AspectCounts,
}

/// An aspect's counts per period of `period_days` days, aligned so the last
/// period ends on `filter.to_day` (or the last day with data). Periods
/// without mentions are left out.
pub async fn aspect_trend(
    db: &Db,
    workspace_id: i64,
    aspect: &str,
    filter: &TextFilter,
    period_days: i64,
) -> Result<Vec<TrendPoint>> {
    let mut sql = Sql::new("");
    let ws = sql.param(Bind::Int(workspace_id));
    let a = sql.param(Bind::Text(aspect.to_string()));
    sql.push(&format!("SELECT m.day, {COUNTS} FROM text_aspects m WHERE m.workspace_id = {ws} AND m.aspect = {a}"));
    sql.filter("m", filter);
    sql.push(" GROUP BY m.day ORDER BY m.day");
    let days: Vec<(i64, AspectCounts)> =
        sql.fetch_all(db).await?.iter().map(|r| (r.get(0), counts_at(r, aspect.to_string(), 1))).collect();
    let Some(to_day) = filter.to_day.or_else(|| days.last().map(|d| d.0)) else { return Ok(Vec::new()) };
    let period = period_days.max(1);
    let mut out: Vec<TrendPoint> = Vec::new();
    // A text lies on one day, so distinct counts per day add up per period.
    for (day, c) in days {
        let start = to_day - ((to_day - day).div_euclid(period) + 1) * period + 1;
        match out.last_mut() {
            Some(p) if p.period_start == start => p.counts.merge(&c),
            _ => out.push(TrendPoint { period_start: start, counts: c }),
        }
    }
    Ok(out)
}

/// One cell of the aspect × touchpoint matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixCell {
    /// 0 = no touchpoint.
    pub touchpoint_id: i64,
    pub counts: AspectCounts,
}

/// Aspect × touchpoint counts under the filter.
pub async fn aspect_touchpoint_matrix(db: &Db, workspace_id: i64, filter: &TextFilter) -> Result<Vec<MatrixCell>> {
    let mut sql = Sql::new("");
    let ws = sql.param(Bind::Int(workspace_id));
    sql.push(&format!("SELECT m.aspect, m.touchpoint_id, {COUNTS} FROM text_aspects m WHERE m.workspace_id = {ws}"));
    sql.filter("m", filter);
    sql.push(" GROUP BY m.aspect, m.touchpoint_id ORDER BY m.aspect, m.touchpoint_id");
    Ok(sql
        .fetch_all(db)
        .await?
        .iter()
        .map(|r| MatrixCell { touchpoint_id: r.get(1), counts: counts_at(r, r.get(0), 2) })
        .collect())
}

/// Which verbatims to list.
#[derive(Debug, Clone, Default)]
pub struct VerbatimQuery {
    pub aspect: String,
    pub polarity: Option<Polarity>,
    pub filter: TextFilter,
    pub limit: i64,
    pub offset: i64,
}

/// A stored analysis's text and where it came from.
#[derive(Debug, Clone, Serialize)]
pub struct StoredText {
    pub analysis_id: i64,
    pub source_kind: SourceKind,
    pub source_id: i64,
    pub field: String,
    pub touchpoint_id: i64,
    pub channel: Option<String>,
    pub occurred_at: i64,
    pub lang: String,
    pub sentiment: cxm_text::Sentiment,
    /// The whole text as the customer wrote it ('' if its source is gone).
    pub text: String,
}

/// The columns [`fetch_stored`] reads, in its order.
const STORED_COLUMNS: &str =
    "a.id, a.source_kind, a.source_id, a.field, a.touchpoint_id, a.channel, a.occurred_at, a.lang, a.result";

/// Runs a `SELECT {STORED_COLUMNS} …` and returns each row's text (looked up
/// in its source) with its stored analysis.
async fn fetch_stored(db: &Db, sql: Sql) -> Result<Vec<(StoredText, Analysis)>> {
    let mut out = Vec::new();
    for r in sql.fetch_all(db).await? {
        let kind: String = r.get(1);
        let Some(source_kind) = SourceKind::parse(&kind) else { continue };
        let result: String = r.get(8);
        let analysis: Analysis = serde_json::from_str(&result)
            .map_err(|e| StoreError::Invalid(format!("stored analysis {} is unreadable: {e}", r.get::<i64, _>(0))))?;
        let text = StoredText {
            analysis_id: r.get(0),
            source_kind,
            source_id: r.get(2),
            field: r.get(3),
            touchpoint_id: r.get(4),
            channel: r.get(5),
            occurred_at: r.get(6),
            lang: r.get(7),
            sentiment: analysis.sentiment,
            text: String::new(),
        };
        out.push((text, analysis));
    }
    fill_texts(db, &mut out, |(t, _)| (t.source_kind, t.source_id, t.field.clone()), |(t, _)| &mut t.text).await?;
    Ok(out)
}

/// A customer's text with the evidence for the aspect asked about.
#[derive(Debug, Clone, Serialize)]
pub struct Verbatim {
    #[serde(flatten)]
    pub text: StoredText,
    /// The mentions of the aspect (with the polarity asked for), with spans.
    pub mentions: Vec<AspectMention>,
}

/// Newest first; also returns how many texts match in all.
pub async fn verbatims(db: &Db, workspace_id: i64, q: &VerbatimQuery) -> Result<(i64, Vec<Verbatim>)> {
    let matching = |sql: &mut Sql| {
        let ws = sql.param(Bind::Int(workspace_id));
        let a = sql.param(Bind::Text(q.aspect.clone()));
        sql.push(&format!("SELECT m.analysis_id FROM text_aspects m WHERE m.workspace_id = {ws} AND m.aspect = {a}"));
        if let Some(p) = q.polarity {
            let p = sql.param(Bind::Text(p.as_str().to_string()));
            sql.push(&format!(" AND m.polarity = {p}"));
        }
        sql.filter("m", &q.filter);
    };
    let mut count = Sql::new("SELECT COUNT(*) FROM text_analyses a WHERE a.id IN (");
    matching(&mut count);
    count.push(")");
    let total: i64 = count.fetch_all(db).await?.first().map(|r| r.get(0)).unwrap_or(0);

    let mut sql = Sql::new(&format!("SELECT {STORED_COLUMNS} FROM text_analyses a WHERE a.id IN ("));
    matching(&mut sql);
    let limit = sql.param(Bind::Int(q.limit.clamp(0, 1000)));
    let offset = sql.param(Bind::Int(q.offset.max(0)));
    sql.push(&format!(") ORDER BY a.occurred_at DESC, a.id DESC LIMIT {limit} OFFSET {offset}"));
    let out = fetch_stored(db, sql)
        .await?
        .into_iter()
        .map(|(text, analysis)| Verbatim {
            text,
            mentions: analysis
                .aspects
                .into_iter()
                .filter(|m| m.aspect == q.aspect && q.polarity.is_none_or(|p| p == m.polarity))
                .collect(),
        })
        .collect();
    Ok((total, out))
}

/// Fills each item's text from its source row ('' if the source is gone).
async fn fill_texts<T>(
    db: &Db,
    items: &mut [T],
    key: impl Fn(&T) -> TextKey,
    text: impl Fn(&mut T) -> &mut String,
) -> Result<()> {
    let refs: Vec<TextKey> = items.iter().map(&key).collect();
    let mut texts = source_texts(db, &refs).await?;
    for item in items.iter_mut() {
        *text(item) = texts.remove(&key(item)).unwrap_or_default();
    }
    Ok(())
}

/// Which flag of the rules engine a text raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// Regulator or media threats, legal, safety, formal complaints.
    Urgency,
    /// Intent to cancel, close the account, switch or never come back.
    Churn,
}

impl FlagKind {
    pub fn parse(s: &str) -> Option<FlagKind> {
        match s {
            "urgency" => Some(FlagKind::Urgency),
            "churn" => Some(FlagKind::Churn),
            _ => None,
        }
    }

    fn column(self) -> &'static str {
        match self {
            FlagKind::Urgency => "urgency",
            FlagKind::Churn => "churn",
        }
    }
}

/// Texts under a filter and how many raised each flag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FlagCounts {
    pub texts: i64,
    pub urgency: i64,
    pub churn: i64,
}

pub async fn flag_counts(db: &Db, workspace_id: i64, filter: &TextFilter) -> Result<FlagCounts> {
    let mut sql = Sql::new("");
    let ws = sql.param(Bind::Int(workspace_id));
    sql.push(&format!(
        "SELECT COUNT(*), COUNT(CASE WHEN a.urgency = 1 THEN 1 END), COUNT(CASE WHEN a.churn = 1 THEN 1 END) \
         FROM text_analyses a WHERE a.workspace_id = {ws}"
    ));
    sql.filter("a", filter);
    let rows = sql.fetch_all(db).await?;
    Ok(rows.first().map(|r| FlagCounts { texts: r.get(0), urgency: r.get(1), churn: r.get(2) }).unwrap_or_default())
}

/// A text that raised a flag, with the flag's reasons.
#[derive(Debug, Clone, Serialize)]
pub struct FlaggedText {
    #[serde(flatten)]
    pub text: StoredText,
    pub reasons: Vec<cxm_text::FlagReason>,
}

/// Texts that raised `kind` under the filter, newest first; also the total.
pub async fn flagged_texts(
    db: &Db,
    workspace_id: i64,
    filter: &TextFilter,
    kind: FlagKind,
    limit: i64,
    offset: i64,
) -> Result<(i64, Vec<FlaggedText>)> {
    let matching = |sql: &mut Sql| {
        let ws = sql.param(Bind::Int(workspace_id));
        sql.push(&format!(" FROM text_analyses a WHERE a.workspace_id = {ws} AND a.{} = 1", kind.column()));
        sql.filter("a", filter);
    };
    let mut count = Sql::new("SELECT COUNT(*)");
    matching(&mut count);
    let total: i64 = count.fetch_all(db).await?.first().map(|r| r.get(0)).unwrap_or(0);
    let mut sql = Sql::new(&format!("SELECT {STORED_COLUMNS}"));
    matching(&mut sql);
    let limit = sql.param(Bind::Int(limit.clamp(0, 1000)));
    let offset = sql.param(Bind::Int(offset.max(0)));
    sql.push(&format!(" ORDER BY a.occurred_at DESC, a.id DESC LIMIT {limit} OFFSET {offset}"));
    let out = fetch_stored(db, sql)
        .await?
        .into_iter()
        .map(|(text, analysis)| FlaggedText {
            text,
            reasons: match kind {
                FlagKind::Urgency => analysis.urgency.reasons,
                FlagKind::Churn => analysis.churn_risk.reasons,
            },
        })
        .collect();
    Ok((total, out))
}

/// Keyword document counts in a baseline and a current window of days, for
/// emerging-topic tests.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermComparison {
    /// Texts analysed in each window under the filter.
    pub baseline_documents: i64,
    pub current_documents: i64,
    /// (term, baseline texts, current texts) for the terms in at least
    /// `min_current` current texts, most frequent in the current window first.
    pub terms: Vec<(String, i64, i64)>,
}

/// Counts keywords (one per text) in `baseline` and `current` (inclusive
/// day ranges) under the filter's touchpoint, channel, source and language
/// (its days are ignored). The baseline counts are exact for every returned
/// term, so a test never mistakes a term cut from a top-N list for a new one.
pub async fn term_comparison(
    db: &Db,
    workspace_id: i64,
    filter: &TextFilter,
    baseline: (i64, i64),
    current: (i64, i64),
    min_current: i64,
    limit: i64,
) -> Result<TermComparison> {
    let filter = TextFilter { from_day: None, to_day: None, ..filter.clone() };
    let in_window = |sql: &mut Sql, col: &str, (from, to): (i64, i64)| {
        let f = sql.param(Bind::Int(from));
        let t = sql.param(Bind::Int(to));
        format!("{col} >= {f} AND {col} <= {t}")
    };
    let mut sql = Sql::new("");
    let cur = in_window(&mut sql, "a.day", current);
    let base = in_window(&mut sql, "a.day", baseline);
    let ws = sql.param(Bind::Int(workspace_id));
    sql.push(&format!(
        "SELECT COUNT(CASE WHEN {cur} THEN 1 END), COUNT(CASE WHEN {base} THEN 1 END) \
         FROM text_analyses a WHERE a.workspace_id = {ws}"
    ));
    sql.filter("a", &filter);
    let rows = sql.fetch_all(db).await?;
    let (current_documents, baseline_documents) = rows.first().map(|r| (r.get(0), r.get(1))).unwrap_or((0, 0));

    let mut sql = Sql::new("");
    let cur = in_window(&mut sql, "t.day", current);
    let base = in_window(&mut sql, "t.day", baseline);
    let ws = sql.param(Bind::Int(workspace_id));
    let either = {
        let b = in_window(&mut sql, "t.day", baseline);
        let c = in_window(&mut sql, "t.day", current);
        format!("(({b}) OR ({c}))")
    };
    sql.push(&format!(
        "SELECT t.term, COUNT(CASE WHEN {base} THEN 1 END) AS b, COUNT(CASE WHEN {cur} THEN 1 END) AS c \
         FROM text_terms t JOIN text_analyses a ON a.id = t.analysis_id \
         WHERE t.workspace_id = {ws} AND {either}"
    ));
    sql.filter("a", &filter);
    let cur_again = in_window(&mut sql, "t.day", current);
    let min = sql.param(Bind::Int(min_current.max(1)));
    let limit = sql.param(Bind::Int(limit.clamp(0, 100_000)));
    sql.push(&format!(
        " GROUP BY t.term HAVING COUNT(CASE WHEN {cur_again} THEN 1 END) >= {min} ORDER BY c DESC, t.term LIMIT {limit}"
    ));
    let terms = sql.fetch_all(db).await?.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
    Ok(TermComparison { baseline_documents, current_documents, terms })
}

/// A text no aspect of the taxonomy matched (material for new aspects).
#[derive(Debug, Clone, Serialize)]
pub struct UnmatchedText {
    pub analysis_id: i64,
    pub source_kind: SourceKind,
    pub source_id: i64,
    pub field: String,
    pub occurred_at: i64,
    pub lang: String,
    pub keywords: Vec<String>,
    pub text: String,
}

/// Newest texts without any aspect under the filter.
pub async fn unmatched_texts(
    db: &Db,
    workspace_id: i64,
    filter: &TextFilter,
    limit: i64,
) -> Result<Vec<UnmatchedText>> {
    let mut sql = Sql::new("");
    let ws = sql.param(Bind::Int(workspace_id));
    sql.push(&format!(
        "SELECT a.id, a.source_kind, a.source_id, a.field, a.occurred_at, a.lang, a.result FROM text_analyses a \
         WHERE a.workspace_id = {ws} AND a.aspect_count = 0"
    ));
    sql.filter("a", filter);
    let limit = sql.param(Bind::Int(limit.clamp(0, 10_000)));
    sql.push(&format!(" ORDER BY a.occurred_at DESC, a.id DESC LIMIT {limit}"));
    let mut out = Vec::new();
    for r in sql.fetch_all(db).await? {
        let kind: String = r.get(1);
        let Some(source_kind) = SourceKind::parse(&kind) else { continue };
        let result: String = r.get(6);
        let keywords = serde_json::from_str::<Analysis>(&result).map(|a| a.keywords).unwrap_or_default();
        out.push(UnmatchedText {
            analysis_id: r.get(0),
            source_kind,
            source_id: r.get(2),
            field: r.get(3),
            occurred_at: r.get(4),
            lang: r.get(5),
            keywords,
            text: String::new(),
        });
    }
    fill_texts(db, &mut out, |v| (v.source_kind, v.source_id, v.field.clone()), |v| &mut v.text).await?;
    Ok(out)
}

/// The last day with an analysed text (explorer periods end there by default).
pub async fn last_day(db: &Db, workspace_id: i64) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT MAX(day) FROM text_analyses WHERE workspace_id = $1")
        .bind(workspace_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(row.try_get::<Option<i64>, _>(0).ok().flatten())
}
