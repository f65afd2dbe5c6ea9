//! `cxm bench …`: benchmarks that print their figures (run in release mode).

use anyhow::Context;
use clap::Subcommand;
use cxm_store::import::ImportKind;

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Import N demo responses from CSV into fresh SQLite and PostgreSQL databases; prints rows/s.
    Import {
        #[arg(long, default_value_t = 1_000_000)]
        rows: usize,
        /// PostgreSQL to create the benchmark database in (skipped when unreachable).
        #[arg(long, env = "CXM_TEST_POSTGRES", default_value = "postgres://postgres@127.0.0.1:5432/test")]
        postgres: String,
        #[arg(long)]
        skip_postgres: bool,
    },
    /// Generate and store the demo company (generation plus writes); prints rows/s per kind.
    Demo {
        /// 500,000 customers give about 1,000,000 responses.
        #[arg(long, default_value_t = 500_000)]
        customers: usize,
        /// Kinds to generate (events are ~56 per customer: add them deliberately).
        #[arg(long, value_delimiter = ',', default_value = "customers,responses")]
        kinds: Vec<String>,
        #[arg(long)]
        skip_postgres: bool,
    },
    /// Text analytics throughput and accuracy.
    Text(crate::bench_text::BenchTextArgs),
}

pub async fn run(cmd: BenchCommand) -> anyhow::Result<()> {
    match cmd {
        BenchCommand::Import { rows, postgres, skip_postgres } => import(rows, &postgres, skip_postgres).await,
        BenchCommand::Demo { customers, kinds, skip_postgres } => demo(customers, &kinds, skip_postgres).await,
        BenchCommand::Text(args) => crate::bench_text::run(args).await,
    }
}

async fn databases(postgres: &str, skip_postgres: bool) -> anyhow::Result<Vec<cxm_store::testkit::TestDb>> {
    // SAFETY of env: set before any other thread reads it.
    let mut out = vec![cxm_store::testkit::sqlite().await?];
    if !skip_postgres {
        if std::env::var_os("CXM_TEST_POSTGRES").is_none() {
            unsafe { std::env::set_var("CXM_TEST_POSTGRES", postgres) };
        }
        match cxm_store::testkit::postgres().await {
            Some(db) => out.push(db),
            None => println!("postgres: unreachable, skipped"),
        }
    }
    Ok(out)
}

async fn import(rows: usize, postgres: &str, skip_postgres: bool) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("cxm_bench_{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let csv = dir.join("responses.csv");
    let started = std::time::Instant::now();
    let cfg = cxm_demo::DemoConfig { customers: rows * 4 / 5 + 1000, seed: 7, ..cxm_demo::DemoConfig::default() };
    let written = crate::demo::write_responses_csv_limited(cfg, rows, &csv)?;
    let size = std::fs::metadata(&csv)?.len();
    println!(
        "generated {written} responses ({:.0} MB CSV, {} answer columns) in {:.1} s",
        size as f64 / 1e6,
        10,
        started.elapsed().as_secs_f64()
    );
    for t in databases(postgres, skip_postgres).await? {
        let ws = cxm_store::setup::ensure_workspace(&t.db, "bench", "bench").await?;
        cxm_store::setup::apply_setup(&t.db, ws, &cxm_demo::setup()).await?;
        // Cold: every customer is new and created on the fly (one more insert per new customer).
        let report = timed_import(&t.db, ws, &csv, size, &format!("import {} (customers created)", t.label)).await?;
        print_import(&format!("{} new customers", t.label), &report);
        // Usual: the customers were imported before their responses.
        let ws2 = cxm_store::setup::ensure_workspace(&t.db, "bench2", "bench2").await?;
        cxm_store::setup::apply_setup(&t.db, ws2, &cxm_demo::setup()).await?;
        let customers = dir.join("customers.csv");
        write_customer_ids(&csv, &customers)?;
        cxm_store::import::import_file(&t.db, ws2, ImportKind::Customers, &customers, None)
            .await
            .context("customers")?;
        let report = timed_import(&t.db, ws2, &csv, size, &format!("import {} (customers known)", t.label)).await?;
        print_import(&format!("{} known customers", t.label), &report);
        let again = cxm_store::import::import_file(&t.db, ws, ImportKind::Responses, &csv, None).await?;
        println!(
            "re-import (idempotent) -> {:<8} written={} duplicates={} time={:.2} s",
            t.label,
            again.written,
            again.duplicates,
            again.elapsed_ms as f64 / 1000.0
        );
        t.finish().await;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

async fn timed_import(
    db: &cxm_store::Db,
    ws: i64,
    csv: &std::path::Path,
    size: u64,
    what: &str,
) -> anyhow::Result<cxm_store::import::ImportReport> {
    let bar = crate::cli::progress_bar(size, what);
    let b = bar.clone();
    let progress: cxm_store::import::Progress = std::sync::Arc::new(move |_, pos| b.set_position(pos));
    let report =
        cxm_store::import::import_file(db, ws, ImportKind::Responses, csv, Some(progress)).await.context("import")?;
    bar.finish_and_clear();
    Ok(report)
}

fn print_import(label: &str, r: &cxm_store::import::ImportReport) {
    let secs = r.elapsed_ms as f64 / 1000.0;
    println!(
        "import responses CSV -> {label:<24} rows={} written={} errors={} time={secs:.2} s  rows/s={:.0}",
        r.rows_read,
        r.written,
        r.error_count,
        r.rows_read as f64 / secs
    );
}

/// The distinct customer ids of a responses CSV, as a customers CSV.
fn write_customer_ids(responses: &std::path::Path, out: &std::path::Path) -> anyhow::Result<()> {
    let mut reader = csv::Reader::from_path(responses)?;
    let column = reader.headers()?.iter().position(|h| h == "customer_id").context("no customer_id column")?;
    let mut seen = std::collections::BTreeSet::new();
    for record in reader.records() {
        if let Some(id) = record?.get(column).filter(|id| !id.is_empty()) {
            seen.insert(id.to_string());
        }
    }
    let mut w = csv::Writer::from_path(out)?;
    w.write_record(["external_id"])?;
    for id in seen {
        w.write_record([id])?;
    }
    w.flush()?;
    Ok(())
}

async fn demo(customers: usize, kinds: &[String], skip_postgres: bool) -> anyhow::Result<()> {
    if let Some(bad) = kinds.iter().find(|k| !crate::demo::ALL_KINDS.contains(&k.as_str())) {
        anyhow::bail!("unknown kind '{bad}' (known: {})", crate::demo::ALL_KINDS.join(", "));
    }
    let kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
    for t in databases("postgres://postgres@127.0.0.1:5432/test", skip_postgres).await? {
        let ws = cxm_store::setup::ensure_workspace(&t.db, "bench", "bench").await?;
        let (summary, timings) = crate::demo::seed_kinds(&t.db, ws, customers, 42, true, &kinds).await?;
        println!("{:<8} {summary}", t.label);
        for (kind, rows, secs) in timings {
            println!("demo {:<8} {kind:<10} rows={rows} time={secs:.2} s  rows/s={:.0}", t.label, rows as f64 / secs);
        }
        t.finish().await;
    }
    Ok(())
}
