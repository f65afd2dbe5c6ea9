//! `cxm`: the server and the admin CLI in one binary.

mod analyze;
mod bench;
mod bench_text;
mod cli;
mod demo;
mod text;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let args = cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CXM_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(args)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// `cxm serve`: open the database, optionally seed the demo, serve HTTP.
async fn serve(args: cli::ServeArgs) -> anyhow::Result<()> {
    use anyhow::Context;
    let (db, ws) = cli::open(&args.db).await?;
    if args.demo {
        if cxm_store::setup::is_empty(&db, ws).await? {
            eprintln!("seeding demo data ({} customers)…", args.demo_customers);
            let summary = demo::seed(&db, ws, args.demo_customers, 42, true).await?;
            eprintln!("{summary}");
        }
        if cxm_store::auth::count_users(&db).await? == 0 {
            let password = cxm_store::random_token(8)?;
            let hash = cxm_server::auth::hash_password(&password)?;
            cxm_store::auth::create_user(
                &db,
                ws,
                "admin@example.com",
                "Demo Admin",
                &hash,
                cxm_core::model::Role::Admin,
            )
            .await?;
            println!("demo login: admin@example.com / {password}  (shown once; change it with `cxm user password`)");
        }
    }
    let config = cxm_server::ServerConfig {
        workspace: args.db.workspace.clone(),
        secure_cookies: args.secure_cookies,
        ..Default::default()
    };
    // Texts stored before this version analysed them on write get analysed
    // once (a no-op job when every text is up to date).
    cxm_store::text::enqueue_backfill(&db, ws).await?;
    let state = cxm_server::AppState::new(db.clone(), config).await?;
    let listener = tokio::net::TcpListener::bind(&args.bind).await.with_context(|| format!("binding {}", args.bind))?;
    let addr = listener.local_addr()?;
    // Text analysis runs in the background from the job queue (CPU work on blocking threads).
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = cxm_store::text::worker::Worker::new(db.clone(), state.analyzers.clone());
    let worker = tokio::spawn(worker.run(stopped));
    let pending = pending_text_jobs(&db).await.unwrap_or(0);
    if pending > 0 {
        eprintln!("analysing texts in the background ({pending} text jobs queued)…");
    }
    println!("cxm is serving on http://{addr}/app/");
    let served = cxm_server::serve(state, listener).await;
    let _ = stop.send(true);
    if tokio::time::timeout(std::time::Duration::from_secs(30), worker).await.is_err() {
        eprintln!("the text worker did not stop within 30 s; its job is retried after its lease expires");
    }
    db.close().await;
    served?;
    Ok(())
}

/// Text jobs not yet done (for the start-up message).
async fn pending_text_jobs(db: &cxm_store::Db) -> anyhow::Result<i64> {
    let counts =
        cxm_store::jobs::counts_of(db, &[cxm_store::text::JOB_ANALYZE, cxm_store::text::JOB_REANALYZE]).await?;
    Ok(counts.iter().filter(|(status, _)| status == "queued" || status == "running").map(|(_, n)| n).sum())
}
