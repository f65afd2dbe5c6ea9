//! Seeding the database with the demo company (cxm-demo) through the same
//! import path as real data.

use anyhow::Context;
use cxm_demo::DemoConfig;
use cxm_store::Db;
use cxm_store::import::{ImportReport, Importer, Record};
use std::io::Write;

/// Start of the current UTC day: demo data ends "today", and is the same for
/// a given seed all day long.
pub fn today_ms() -> i64 {
    cxm_store::day_of(cxm_store::now_ms()) * 86_400_000
}

pub fn config(customers: usize, seed: u64) -> DemoConfig {
    DemoConfig { customers, seed, now_ms: today_ms(), ..DemoConfig::default() }
}

async fn write_all<I: Iterator<Item = Record>>(
    importer: &mut Importer,
    records: I,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<ImportReport> {
    let mut report = ImportReport::default();
    let mut batch = Vec::with_capacity(cxm_store::import::BATCH_ROWS);
    for (i, r) in records.enumerate() {
        batch.push((i as u64 + 1, r));
        if batch.len() == cxm_store::import::BATCH_ROWS {
            importer.write(std::mem::take(&mut batch), &mut report).await?;
            bar.inc(cxm_store::import::BATCH_ROWS as u64);
        }
    }
    let last = batch.len() as u64;
    importer.write(batch, &mut report).await?;
    bar.inc(last);
    report.rows_read = bar.position();
    Ok(report)
}

pub const ALL_KINDS: [&str; 5] = ["customers", "responses", "feedback", "events", "odata"];

/// Generates and stores the demo company; returns a one-paragraph summary.
pub async fn seed(db: &Db, workspace_id: i64, customers: usize, seed: u64, progress: bool) -> anyhow::Result<String> {
    seed_kinds(db, workspace_id, customers, seed, progress, &ALL_KINDS).await.map(|(summary, _)| summary)
}

/// Like [`seed`], for the named kinds only; also returns (kind, rows, seconds) per kind.
pub async fn seed_kinds(
    db: &Db,
    workspace_id: i64,
    customers: usize,
    seed: u64,
    progress: bool,
    kinds: &[&str],
) -> anyhow::Result<(String, Vec<(String, u64, f64)>)> {
    let started = std::time::Instant::now();
    let cfg = config(customers, seed);
    cxm_store::setup::apply_setup(db, workspace_id, &cxm_demo::setup()).await.context("applying the demo setup")?;
    let mut importer = Importer::new(db, workspace_id).await?;
    let mut lines = Vec::new();
    let steps: [(&str, Box<dyn Iterator<Item = Record>>); 5] = [
        ("customers", Box::new(cxm_demo::customers(cfg).map(Record::Customer))),
        ("responses", Box::new(cxm_demo::responses(cfg).map(Record::Response))),
        ("feedback", Box::new(cxm_demo::feedback(cfg).map(Record::Feedback))),
        ("events", Box::new(cxm_demo::events(cfg).map(Record::Event))),
        ("odata", Box::new(cxm_demo::odata(cfg).map(Record::OData))),
    ];
    let mut timings = Vec::new();
    for (name, records) in steps {
        if !kinds.contains(&name) {
            continue;
        }
        let step_started = std::time::Instant::now();
        let bar = crate::cli::progress_bar(0, &format!("demo {name}"));
        if !progress {
            bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        let report = write_all(&mut importer, records, &bar).await?;
        bar.finish_and_clear();
        if report.error_count > 0 {
            anyhow::bail!(
                "demo {name}: {} rows rejected, first: {}",
                report.error_count,
                report.errors.first().map(|e| e.to_string()).unwrap_or_default()
            );
        }
        lines.push(format!("{} {name}", report.written));
        timings.push((name.to_string(), report.written, step_started.elapsed().as_secs_f64()));
    }
    let summary = format!("demo data (seed {seed}): {} in {:.1} s", lines.join(", "), started.elapsed().as_secs_f64());
    Ok((summary, timings))
}

/// Writes the demo's transactional-survey responses as CSV (the import/export layout).
pub fn write_responses_csv(customers: usize, seed: u64, path: &std::path::Path) -> anyhow::Result<u64> {
    write_responses_csv_limited(config(customers, seed), usize::MAX, path)
}

pub fn write_responses_csv_limited(cfg: DemoConfig, limit: usize, path: &std::path::Path) -> anyhow::Result<u64> {
    let setup = cxm_demo::setup();
    let survey = setup.surveys.iter().find(|s| s.key == cxm_demo::SURVEY_NPS).context("demo survey missing")?;
    let file = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(out, "{}", cxm_demo::csv_line(&cxm_demo::responses_csv_header(survey)))?;
    let mut n = 0u64;
    for r in cxm_demo::responses(cfg).filter(|r| r.survey == survey.key).take(limit) {
        writeln!(out, "{}", cxm_demo::csv_line(&cxm_demo::response_csv_row(survey, &r)))?;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}
