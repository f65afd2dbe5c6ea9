//! The consumer of `text.analyze` and `text.reanalyze` jobs, shared by
//! `cxm serve` (in the background) and the CLI (`cxm text reanalyze`).
//!
//! Analysis is CPU work: it runs on blocking threads (`spawn_blocking`), one
//! slice of a page per thread, while the async side loads and stores. Every
//! write replaces earlier results, so a job retried after a crash, or a text
//! analysed twice, ends in the same rows.

use super::{AnalyzePayload, AnalyzedText, JOB_ANALYZE, JOB_REANALYZE, SourceKind, TextItem};
use crate::{Db, Result, StoreError, jobs};
use cxm_text::{LangHint, TextAnalyzer};
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Source rows read (and texts analysed) per step.
pub const PAGE_ROWS: i64 = 2000;

/// Analyzers by workspace and taxonomy version: building one costs tens of
/// milliseconds (the segmenter's dictionary), analysing with it far less.
#[derive(Debug, Default)]
pub struct AnalyzerCache {
    /// Keyed by (workspace, version); every workspace on the default taxonomy shares key (0, 0).
    inner: Mutex<HashMap<(i64, i64), Arc<TextAnalyzer>>>,
}

impl AnalyzerCache {
    pub fn new() -> AnalyzerCache {
        AnalyzerCache::default()
    }

    /// The analyzer of the workspace's current taxonomy and its version.
    pub async fn current(&self, db: &Db, workspace_id: i64) -> Result<(i64, Arc<TextAnalyzer>)> {
        let version = super::taxonomy_version(db, workspace_id).await?;
        let key = if version == 0 { (0, 0) } else { (workspace_id, version) };
        if let Some(a) = self.inner.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return Ok((version, a.clone()));
        }
        let stored = super::taxonomy(db, workspace_id).await?;
        let version = stored.version;
        let analyzer = tokio::task::spawn_blocking(move || Arc::new(TextAnalyzer::new(stored.taxonomy)))
            .await
            .map_err(|e| StoreError::Invalid(format!("building the text analyzer failed: {e}")))?;
        let key = if version == 0 { (0, 0) } else { (workspace_id, version) };
        let mut map = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        // Older versions of this workspace are not needed any more.
        map.retain(|k, _| k.0 != workspace_id || k.1 >= version);
        map.insert(key, analyzer.clone());
        Ok((version, analyzer))
    }
}

/// Analyses texts on `threads` blocking threads, keeping their order. Texts
/// that cannot be analysed (over the size limit) are left out and counted.
pub async fn analyze_items(
    analyzer: Arc<TextAnalyzer>,
    taxonomy_version: i64,
    items: Vec<TextItem>,
    threads: usize,
) -> Result<(Vec<AnalyzedText>, u64)> {
    let threads = threads.clamp(1, 64);
    let per = items.len().div_ceil(threads).max(1);
    let mut tasks = Vec::new();
    let mut rest = items;
    while !rest.is_empty() {
        let tail = rest.split_off(per.min(rest.len()));
        let part = std::mem::replace(&mut rest, tail);
        let analyzer = analyzer.clone();
        tasks.push(tokio::task::spawn_blocking(move || {
            let mut done = Vec::with_capacity(part.len());
            let mut failed = 0u64;
            for item in part {
                match analyzer.analyze(&item.text, LangHint::Auto) {
                    Ok(analysis) => done.push(AnalyzedText { item, analysis, taxonomy_version }),
                    Err(e) => {
                        failed += 1;
                        tracing::warn!(
                            source = item.source_kind.as_str(),
                            id = item.source_id,
                            "text not analysed: {e}"
                        );
                    }
                }
            }
            (done, failed)
        }));
    }
    let mut out = Vec::new();
    let mut failed = 0;
    for t in tasks {
        let (done, f) = t.await.map_err(|e| StoreError::Invalid(format!("text analysis thread failed: {e}")))?;
        out.extend(done);
        failed += f;
    }
    Ok((out, failed))
}

/// A job lease to keep alive while working.
#[derive(Debug, Clone, Copy)]
pub struct Lease<'a> {
    pub job_id: i64,
    pub worker: &'a str,
    pub lease_ms: i64,
}

/// What a run over texts did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Source rows read.
    pub sources: u64,
    /// Texts analysed and stored.
    pub analysed: u64,
    /// Texts skipped: already analysed with the current taxonomy by this build.
    pub up_to_date: u64,
    /// Texts that could not be analysed (too large).
    pub failed: u64,
    /// True when stopped early (shutdown); the work done so far is stored.
    pub interrupted: bool,
}

/// How a run treats texts already analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Analyse every text again.
    All,
    /// Only texts with no analysis, or one from an older taxonomy or another analyzer build.
    Stale,
}

/// Options of a run over a workspace's texts.
pub struct RunOptions<'a> {
    pub threads: usize,
    pub lease: Option<Lease<'a>>,
    /// Called with the number of source rows read so far.
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
    /// Checked between pages: true stops the run.
    pub stop: Option<&'a (dyn Fn() -> bool + Sync)>,
}

impl RunOptions<'_> {
    fn stopped(&self) -> bool {
        self.stop.is_some_and(|s| s())
    }
}

/// Source rows to analyse: a kind and its id ranges (`None` = every row).
pub type Sources = (SourceKind, Option<Vec<(i64, i64)>>);

/// Analyses the texts of the given source rows and stores the results page by page.
pub async fn analyze_sources(
    db: &Db,
    workspace_id: i64,
    analyzer: Arc<TextAnalyzer>,
    taxonomy_version: i64,
    kinds: &[Sources],
    mode: Mode,
    opts: &RunOptions<'_>,
) -> Result<RunReport> {
    let fields = super::open_text_fields(db, workspace_id).await?;
    let mut report = RunReport::default();
    for (kind, ranges) in kinds {
        let ranges = ranges.clone().unwrap_or_else(|| vec![(i64::MIN + 1, i64::MAX)]);
        for (lo, hi) in ranges {
            let mut after = lo.saturating_sub(1);
            loop {
                if opts.stopped() {
                    report.interrupted = true;
                    return Ok(report);
                }
                let (items, last) = super::texts_page(db, workspace_id, *kind, &fields, after, hi, PAGE_ROWS).await?;
                let Some(last) = last else { break };
                report.sources += (items.iter().map(|i| i.source_id).collect::<HashSet<_>>().len()) as u64;
                let items = match mode {
                    Mode::All => items,
                    Mode::Stale => {
                        let fresh = up_to_date(db, *kind, after, last, taxonomy_version).await?;
                        let before = items.len();
                        let stale: Vec<TextItem> =
                            items.into_iter().filter(|i| !fresh.contains(&(i.source_id, i.field.clone()))).collect();
                        report.up_to_date += (before - stale.len()) as u64;
                        stale
                    }
                };
                let (analysed, failed) = analyze_items(analyzer.clone(), taxonomy_version, items, opts.threads).await?;
                report.failed += failed;
                report.analysed += super::save_analyses(db, &analysed).await?;
                if let Some(lease) = opts.lease
                    && !jobs::heartbeat(db, lease.job_id, lease.worker, lease.lease_ms).await?
                {
                    return Err(StoreError::Conflict(format!("job {} was taken over by another worker", lease.job_id)));
                }
                if let Some(p) = opts.progress {
                    p(report.sources);
                }
                after = last;
            }
        }
    }
    Ok(report)
}

/// (source id, field) of texts with source ids in `(after, last]` already
/// analysed with `version` or newer by this build's analyzer.
async fn up_to_date(db: &Db, kind: SourceKind, after: i64, last: i64, version: i64) -> Result<HashSet<(i64, String)>> {
    Ok(sqlx::query(
        "SELECT source_id, field FROM text_analyses WHERE source_kind = $1 AND source_id > $2 AND source_id <= $3 \
         AND taxonomy_version >= $4 AND analyzer = $5",
    )
    .bind(kind.as_str())
    .bind(after)
    .bind(last)
    .bind(version)
    .bind(cxm_text::analyzer_id())
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect())
}

/// Re-analyses every stored text of the workspace with its current taxonomy.
pub async fn reanalyze_workspace(
    db: &Db,
    cache: &AnalyzerCache,
    workspace_id: i64,
    mode: Mode,
    opts: &RunOptions<'_>,
) -> Result<RunReport> {
    let (version, analyzer) = cache.current(db, workspace_id).await?;
    let kinds = [(SourceKind::Response, None), (SourceKind::Feedback, None)];
    analyze_sources(db, workspace_id, analyzer, version, &kinds, mode, opts).await
}

/// A background consumer of the text jobs.
pub struct Worker {
    db: Db,
    cache: Arc<AnalyzerCache>,
    name: String,
    threads: usize,
    lease_ms: i64,
    idle: Duration,
}

/// What one step of the worker did.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// No job was due.
    Idle,
    /// A job was completed.
    Done { job_id: i64, kind: String, report: RunReport },
    /// The job was given back (shutdown) or lost to another worker.
    Released { job_id: i64 },
    /// The job failed; it is retried later or dead.
    Failed { job_id: i64, error: String },
}

impl Worker {
    pub fn new(db: Db, cache: Arc<AnalyzerCache>) -> Worker {
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let tag = crate::random_token(3).unwrap_or_else(|_| crate::now_ms().to_string());
        Worker {
            db,
            cache,
            name: format!("text-{}-{tag}", std::process::id()),
            threads,
            lease_ms: 5 * 60 * 1000,
            idle: Duration::from_millis(1000),
        }
    }

    pub fn with_threads(mut self, threads: usize) -> Worker {
        self.threads = threads.max(1);
        self
    }

    pub fn with_idle_poll(mut self, idle: Duration) -> Worker {
        self.idle = idle;
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Claims and runs at most one due text job.
    pub async fn step(&self, stop: Option<&(dyn Fn() -> bool + Sync)>) -> Result<Step> {
        let Some(job) = jobs::claim(&self.db, &self.name, &[JOB_ANALYZE, JOB_REANALYZE], self.lease_ms).await? else {
            return Ok(Step::Idle);
        };
        let lease = Lease { job_id: job.id, worker: &self.name, lease_ms: self.lease_ms };
        let opts = RunOptions { threads: self.threads, lease: Some(lease), progress: None, stop };
        let outcome = self.run_job(&job, &opts).await;
        match outcome {
            Ok(report) if report.interrupted => {
                jobs::release(&self.db, job.id, &self.name).await?;
                Ok(Step::Released { job_id: job.id })
            }
            Ok(report) => {
                if jobs::complete(&self.db, job.id, &self.name).await? {
                    Ok(Step::Done { job_id: job.id, kind: job.kind, report })
                } else {
                    Ok(Step::Released { job_id: job.id })
                }
            }
            Err(StoreError::Conflict(_)) => Ok(Step::Released { job_id: job.id }),
            Err(e) => {
                let error = e.to_string();
                tracing::warn!(job = job.id, kind = %job.kind, "text job failed: {error}");
                jobs::fail(&self.db, &job, &self.name, &error).await?;
                Ok(Step::Failed { job_id: job.id, error })
            }
        }
    }

    async fn run_job(&self, job: &jobs::Job, opts: &RunOptions<'_>) -> Result<RunReport> {
        let bad = |e: String| StoreError::Invalid(format!("job {} ({}): bad payload: {e}", job.id, job.kind));
        match job.kind.as_str() {
            JOB_ANALYZE => {
                let p: AnalyzePayload = serde_json::from_value(job.payload.clone()).map_err(|e| bad(e.to_string()))?;
                let (version, analyzer) = self.cache.current(&self.db, p.workspace_id).await?;
                let kinds = [(p.source, Some(p.ranges))];
                analyze_sources(&self.db, p.workspace_id, analyzer, version, &kinds, Mode::All, opts).await
            }
            JOB_REANALYZE => {
                let ws = job
                    .payload
                    .get("workspace_id")
                    .and_then(|v| v.as_i64())
                    .ok_or_else(|| bad("workspace_id".into()))?;
                reanalyze_workspace(&self.db, &self.cache, ws, Mode::Stale, opts).await
            }
            other => Err(bad(format!("not a text job kind: {other}"))),
        }
    }

    /// Runs jobs until `shutdown` turns true; a job in progress is given back
    /// at the next page boundary.
    pub async fn run(self, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        tracing::info!(worker = %self.name, threads = self.threads, "text analysis worker started");
        loop {
            if *shutdown.borrow() {
                break;
            }
            let flag = shutdown.clone();
            let stop = move || *flag.borrow();
            match self.step(Some(&stop)).await {
                Ok(Step::Done { job_id, kind, report }) => {
                    tracing::info!(job = job_id, %kind, analysed = report.analysed, failed = report.failed, "text job done");
                    continue;
                }
                Ok(Step::Released { .. }) | Ok(Step::Failed { .. }) => continue,
                Ok(Step::Idle) => {}
                Err(e) => tracing::warn!("text worker: {e}"),
            }
            tokio::select! {
                _ = tokio::time::sleep(self.idle) => {}
                _ = shutdown.changed() => {}
            }
        }
        tracing::info!(worker = %self.name, "text analysis worker stopped");
    }
}
