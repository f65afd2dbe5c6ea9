//! Command-line surface (DESIGN "Interface fixed points").

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use cxm_store::import::{ImportKind, ImportReport};
use cxm_store::{Db, setup};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "cxm",
    version,
    about = "Self-hosted customer experience management: collect, measure, understand, act."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB.
    #[arg(long = "db", env = "CXM_DATABASE_URL", default_value = "sqlite://data/cxm.db?mode=rwc", global = true)]
    pub url: String,
    /// Workspace (tenant) slug.
    #[arg(long, env = "CXM_WORKSPACE", default_value = "default", global = true)]
    pub workspace: String,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the HTTP server (web app, survey pages, REST API).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(DbArgs),
    /// Generate a realistic demo company into the database.
    Demo(DemoArgs),
    /// Bulk-import a CSV, XLSX or JSON-lines file.
    Import(ImportArgs),
    /// Export data (responses of one survey as CSV).
    Export(ExportArgs),
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Statistics on a plain CSV file.
    #[command(subcommand)]
    Analyze(crate::analyze::AnalyzeCommand),
    /// Text analytics: analyse texts, re-analyse stored ones, the aspect taxonomy.
    #[command(subcommand)]
    Text(crate::text::TextCommand),
    /// Benchmarks that print their figures.
    #[command(subcommand)]
    Bench(crate::bench::BenchCommand),
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address to listen on.
    #[arg(long, env = "CXM_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Seed a demo workspace when the database is empty and print a login.
    #[arg(long)]
    pub demo: bool,
    /// Customers in the demo data (with --demo).
    #[arg(long, default_value_t = 5000)]
    pub demo_customers: usize,
    /// Mark session cookies Secure (set when serving over HTTPS).
    #[arg(long, env = "CXM_SECURE_COOKIES")]
    pub secure_cookies: bool,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[arg(long, default_value_t = 5000)]
    pub customers: usize,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Also write the generated responses to this CSV (the export layout).
    #[arg(long)]
    pub csv: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// customers, responses, feedback, events or odata
    pub kind: ImportKind,
    /// .csv, .xlsx or .jsonl file
    pub file: PathBuf,
    /// Write every row error to this CSV (line, field, reason).
    #[arg(long)]
    pub errors: Option<PathBuf>,
    /// Machine-readable summary.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// What to export: `responses`.
    pub what: String,
    /// Survey key.
    #[arg(long)]
    pub survey: String,
    /// Output file (stdout when absent).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user (prompts for nothing: the password comes from --password or CXM_PASSWORD).
    Create {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        name: String,
        #[arg(long, env = "CXM_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long, default_value = "admin")]
        role: cxm_core::model::Role,
    },
    /// Set a user's password (ends their sessions).
    Password {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        email: String,
        #[arg(long, env = "CXM_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Create an API key for a user; prints the secret once.
    Apikey {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

pub async fn open(db: &DbArgs) -> anyhow::Result<(Db, i64)> {
    let handle = Db::connect(&db.url).await.with_context(|| format!("opening database {}", redact(&db.url)))?;
    let ws = setup::ensure_workspace(&handle, &db.workspace, &db.workspace).await?;
    Ok((handle, ws))
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

pub fn progress_bar(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {percent}% {pos}/{len} ({per_sec}, eta {eta})")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(what.to_string());
    bar
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => crate::serve(args).await.map(|_| ExitCode::SUCCESS),
        Command::Migrate(db) => {
            let (handle, _) = open(&db).await?;
            handle.close().await;
            println!("database {} is up to date", redact(&db.url));
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo(args) => {
            let (db, ws) = open(&args.db).await?;
            let summary = crate::demo::seed(&db, ws, args.customers, args.seed, true).await?;
            println!("{summary}");
            if let Some(path) = args.csv {
                let n = crate::demo::write_responses_csv(args.customers, args.seed, &path)?;
                println!("wrote {n} responses to {}", path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Import(args) => import(args).await,
        Command::Export(args) => {
            if args.what != "responses" {
                bail!("unknown export '{}' (supported: responses)", args.what);
            }
            let (db, ws) = open(&args.db).await?;
            let n = match &args.output {
                Some(path) => {
                    let file = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
                    cxm_store::export::responses_csv(&db, ws, &args.survey, std::io::BufWriter::new(file)).await?
                }
                None => cxm_store::export::responses_csv(&db, ws, &args.survey, std::io::stdout().lock()).await?,
            };
            eprintln!("exported {n} responses");
            Ok(ExitCode::SUCCESS)
        }
        Command::User(cmd) => user(cmd).await,
        Command::Analyze(cmd) => crate::analyze::run(cmd).map(|_| ExitCode::SUCCESS),
        Command::Text(cmd) => crate::text::run(cmd).await,
        Command::Bench(cmd) => crate::bench::run(cmd).await.map(|_| ExitCode::SUCCESS),
    }
}

async fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let (db, ws) = open(&args.db).await?;
    let size = std::fs::metadata(&args.file).with_context(|| format!("reading {}", args.file.display()))?.len();
    let is_xlsx = args.file.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let bar = progress_bar(if is_xlsx { 0 } else { size }, &format!("importing {}", args.kind.as_str()));
    if args.json {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let progress_bar = bar.clone();
    let progress: cxm_store::import::Progress =
        std::sync::Arc::new(move |_rows, position| progress_bar.set_position(position));
    let report = cxm_store::import::import_file(&db, ws, args.kind, &args.file, Some(progress)).await?;
    bar.finish_and_clear();
    if let Some(path) = &args.errors {
        write_errors(path, &report)?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&args.kind, &report);
    }
    db.close().await;
    Ok(if report.error_count > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

fn write_errors(path: &PathBuf, report: &ImportReport) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_path(path).with_context(|| format!("creating {}", path.display()))?;
    w.write_record(["line", "field", "reason"])?;
    for e in &report.errors {
        w.write_record([e.line.to_string(), e.field.clone(), e.reason.clone()])?;
    }
    w.flush()?;
    Ok(())
}

fn print_report(kind: &ImportKind, r: &ImportReport) {
    let secs = (r.elapsed_ms as f64 / 1000.0).max(0.001);
    println!(
        "{}: {} rows read, {} written, {} already present, {} with errors ({:.1} s, {:.0} rows/s)",
        kind.as_str(),
        r.rows_read,
        r.written,
        r.duplicates,
        r.error_count,
        secs,
        r.rows_read as f64 / secs
    );
    for e in r.errors.iter().take(20) {
        println!("  {e}");
    }
    if r.error_count > 20 {
        println!("  … and {} more (use --errors FILE for all)", r.error_count - 20);
    }
}

async fn user(cmd: UserCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        UserCommand::Create { db, email, name, password, role } => {
            let (handle, ws) = open(&db).await?;
            let hash = cxm_server::auth::hash_password(&password)?;
            let name = if name.is_empty() { email.clone() } else { name };
            cxm_store::auth::create_user(&handle, ws, &email, &name, &hash, role).await?;
            println!("created {role} {email}");
        }
        UserCommand::Password { db, email, password } => {
            let (handle, _) = open(&db).await?;
            let hash = cxm_server::auth::hash_password(&password)?;
            cxm_store::auth::set_password(&handle, &email, &hash).await?;
            println!("password changed for {email}; their sessions were ended");
        }
        UserCommand::Apikey { db, email, name } => {
            let (handle, _) = open(&db).await?;
            let user =
                cxm_store::auth::user_by_email(&handle, &email).await?.with_context(|| format!("no user {email}"))?;
            let key = cxm_store::auth::create_api_key(&handle, &user, &name).await?;
            println!("{key}");
            eprintln!("store this key now: it is not shown again");
        }
    }
    Ok(ExitCode::SUCCESS)
}
