//! `cxm text …`: analyse texts from stdin, re-analyse the stored texts, and
//! show or replace a workspace's aspect taxonomy.

use crate::cli::{DbArgs, open, progress_bar};
use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use cxm_store::text::worker::{AnalyzerCache, Mode, RunOptions, reanalyze_workspace};
use cxm_text::{Analysis, LangHint, Polarity, Taxonomy, TextAnalyzer, TextError};
use serde::Serialize;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum TextCommand {
    /// Analyse texts from stdin, one per line (or JSON lines with a `text` field); one result per line.
    Analyze(AnalyzeArgs),
    /// Re-analyse every stored text of a workspace with its current taxonomy.
    Reanalyze(ReanalyzeArgs),
    /// Show or replace a workspace's aspect taxonomy.
    #[command(subcommand)]
    Taxonomy(TaxonomyCommand),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    Auto,
    Zh,
    En,
}

impl From<LangArg> for LangHint {
    fn from(l: LangArg) -> LangHint {
        match l {
            LangArg::Auto => LangHint::Auto,
            LangArg::Zh => LangHint::Zh,
            LangArg::En => LangHint::En,
        }
    }
}

#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// Language of the texts, or detect it per text.
    #[arg(long, value_enum, default_value = "auto")]
    pub lang: LangArg,
    /// One JSON object per line (with `"line": N`) instead of a readable summary.
    #[arg(long)]
    pub json: bool,
    /// A taxonomy file (JSON) instead of the bundled default.
    #[arg(long)]
    pub taxonomy: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ReanalyzeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Analysis threads (default: every core).
    #[arg(long)]
    pub threads: Option<usize>,
}

#[derive(Subcommand, Debug)]
pub enum TaxonomyCommand {
    /// Print the workspace's current taxonomy (JSON) on stdout.
    Get {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Validate FILE and store it as the workspace's new taxonomy version;
    /// the stored texts are then re-analysed by the job queue (`cxm serve`) or `cxm text reanalyze`.
    Set {
        #[command(flatten)]
        db: DbArgs,
        /// Taxonomy JSON file (the layout `get` prints).
        file: PathBuf,
    },
}

pub async fn run(cmd: TextCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        TextCommand::Analyze(args) => {
            tokio::task::spawn_blocking(move || analyze_stdin(&args)).await.context("the analysis thread failed")?
        }
        TextCommand::Reanalyze(args) => reanalyze(args).await,
        TextCommand::Taxonomy(TaxonomyCommand::Get { db }) => {
            let (handle, ws) = open(&db).await?;
            let stored = cxm_store::text::taxonomy(&handle, ws).await?;
            println!("{}", serde_json::to_string_pretty(&stored.taxonomy)?);
            if stored.version == 0 {
                eprintln!("workspace '{}': the bundled default taxonomy (version 0)", db.workspace);
            } else {
                eprintln!("workspace '{}': taxonomy version {}", db.workspace, stored.version);
            }
            handle.close().await;
            Ok(ExitCode::SUCCESS)
        }
        TextCommand::Taxonomy(TaxonomyCommand::Set { db, file }) => {
            let json = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let taxonomy =
                Taxonomy::from_json(&json).with_context(|| format!("{} is not a usable taxonomy", file.display()))?;
            let (handle, ws) = open(&db).await?;
            let version = cxm_store::text::put_taxonomy(&handle, ws, &taxonomy, None).await?;
            handle.close().await;
            println!(
                "stored taxonomy version {version} ({} aspects) for workspace '{}'; the re-analysis of its texts is queued \
                 (`cxm serve` runs it, or run `cxm text reanalyze` now)",
                taxonomy.aspects.len(),
                db.workspace
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Longest line read whole; longer lines are skipped with an error (their
/// text would be over the analyzer's limit anyway, JSON escaping included).
const MAX_LINE_BYTES: usize = 8 * cxm_text::MAX_TEXT_BYTES;
/// Lines analysed together (in parallel), and the bytes they may hold.
const CHUNK_LINES: usize = 512;
const CHUNK_BYTES: usize = 8 << 20;

#[derive(Serialize)]
struct JsonOut<'a> {
    line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<serde_json::Value>,
    #[serde(flatten)]
    analysis: &'a Analysis,
}

/// One input line's outcome: the analysis and the line's `id` (JSON lines), or why not.
type LineResult = Result<(Analysis, Option<serde_json::Value>), String>;

/// An input line: its bytes, or only the size of one too long to keep.
enum Input {
    Bytes(Vec<u8>),
    Oversized(usize),
}

fn analyze_line(analyzer: &TextAnalyzer, hint: LangHint, input: &Input) -> LineResult {
    let bytes = match input {
        Input::Bytes(b) => b,
        Input::Oversized(size) => return Err(TextError::TooLarge(*size).to_string()),
    };
    let text = std::str::from_utf8(bytes).map_err(|e| TextError::InvalidUtf8(e.valid_up_to()).to_string())?;
    if text.trim_start().starts_with('{')
        && let Ok(serde_json::Value::Object(mut map)) = serde_json::from_str::<serde_json::Value>(text)
        && let Some(serde_json::Value::String(inner)) = map.get("text")
    {
        let analysis = analyzer.analyze(inner, hint).map_err(|e| e.to_string())?;
        return Ok((analysis, map.remove("id")));
    }
    analyzer.analyze(text, hint).map(|a| (a, None)).map_err(|e| e.to_string())
}

fn arrow(p: Polarity) -> &'static str {
    match p {
        Polarity::Positive => "+",
        Polarity::Neutral => "=",
        Polarity::Negative => "-",
    }
}

fn summary(line: u64, a: &Analysis) -> String {
    let mut s = format!("{line}: {} {} {:+.2}", a.lang.as_str(), a.sentiment.label.as_str(), a.sentiment.score);
    if !a.aspects.is_empty() {
        let list: Vec<String> = a.aspects.iter().map(|m| format!("{}{}", m.aspect, arrow(m.polarity))).collect();
        s.push_str(&format!("  aspects: {}", list.join(", ")));
    }
    if !a.keywords.is_empty() {
        s.push_str(&format!("  keywords: {}", a.keywords.join(", ")));
    }
    if a.urgency.flag {
        s.push_str("  [urgent]");
    }
    if a.churn_risk.flag {
        s.push_str("  [churn risk]");
    }
    s
}

/// Analyses one chunk of lines on every core, keeping their order.
fn analyze_chunk(analyzer: &TextAnalyzer, hint: LangHint, lines: &[(u64, Input)], threads: usize) -> Vec<LineResult> {
    if lines.len() < 8 || threads <= 1 {
        return lines.iter().map(|(_, input)| analyze_line(analyzer, hint, input)).collect();
    }
    let per = lines.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(per)
            .map(|part| {
                let n = part.len();
                let h = scope.spawn(move || {
                    part.iter().map(|(_, input)| analyze_line(analyzer, hint, input)).collect::<Vec<_>>()
                });
                (h, n)
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(h, n)| h.join().unwrap_or_else(|_| vec![Err("the analysis thread panicked".to_string()); n]))
            .collect()
    })
}

/// Analyses and writes a chunk; counts the lines that failed.
fn write_chunk(
    chunk: &mut Vec<(u64, Input)>,
    out: &mut impl Write,
    analyzer: &TextAnalyzer,
    hint: LangHint,
    threads: usize,
    json: bool,
) -> anyhow::Result<u64> {
    let mut failed = 0;
    let results = analyze_chunk(analyzer, hint, chunk, threads);
    for ((line, _), result) in chunk.iter().zip(results) {
        match result {
            Ok((analysis, id)) if json => {
                serde_json::to_writer(&mut *out, &JsonOut { line: *line, id, analysis: &analysis })?;
                out.write_all(b"\n")?;
            }
            Ok((analysis, _)) => writeln!(out, "{}", summary(*line, &analysis))?,
            Err(error) => {
                failed += 1;
                if json {
                    serde_json::to_writer(&mut *out, &serde_json::json!({ "line": line, "error": error }))?;
                    out.write_all(b"\n")?;
                } else {
                    writeln!(out, "{line}: error: {error}")?;
                }
            }
        }
    }
    chunk.clear();
    Ok(failed)
}

/// `cxm text analyze`: streams stdin to stdout in bounded memory; one output line per input line.
fn analyze_stdin(args: &AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let analyzer = match &args.taxonomy {
        Some(path) => {
            let json = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            let taxonomy =
                Taxonomy::from_json(&json).with_context(|| format!("{} is not a usable taxonomy", path.display()))?;
            TextAnalyzer::new(taxonomy)
        }
        None => TextAnalyzer::default(),
    };
    let hint = LangHint::from(args.lang);
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mut reader = BufReader::with_capacity(1 << 16, std::io::stdin());
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let (mut line_no, mut failed) = (0u64, 0u64);
    let mut chunk: Vec<(u64, Input)> = Vec::with_capacity(CHUNK_LINES);
    let mut chunk_bytes = 0usize;
    loop {
        let mut buf = Vec::new();
        let n = (&mut reader).take(MAX_LINE_BYTES as u64 + 1).read_until(b'\n', &mut buf)?;
        let end = n == 0;
        if !end {
            line_no += 1;
            if buf.last() == Some(&b'\n') {
                buf.pop();
                if buf.last() == Some(&b'\r') {
                    buf.pop();
                }
            }
            if buf.len() > MAX_LINE_BYTES {
                // Too long to keep: skip the rest of the line, remember its size.
                let rest = reader.skip_until(b'\n')?;
                let size = buf.len() + rest.saturating_sub(1);
                chunk.push((line_no, Input::Oversized(size)));
            } else {
                chunk_bytes += buf.len();
                chunk.push((line_no, Input::Bytes(buf)));
            }
        }
        // Analyse when the chunk is full, at the end, or when no more input is
        // waiting (so interactive use answers line by line).
        let idle = reader.buffer().is_empty();
        if end || idle || chunk.len() >= CHUNK_LINES || chunk_bytes >= CHUNK_BYTES {
            failed += write_chunk(&mut chunk, &mut out, &analyzer, hint, threads, args.json)?;
            chunk_bytes = 0;
            if end || idle {
                out.flush()?;
            }
        }
        if end {
            break;
        }
    }
    out.flush()?;
    drop(out);
    if failed > 0 {
        eprintln!("{line_no} lines, {failed} could not be analysed");
        Ok(ExitCode::from(2))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

/// `cxm text reanalyze`: every stored text again, on every core, with a progress bar.
async fn reanalyze(args: ReanalyzeArgs) -> anyhow::Result<ExitCode> {
    let (db, ws) = open(&args.db).await?;
    let total = cxm_store::text::count_sources(&db, ws).await?;
    let bar = progress_bar(total.max(0) as u64, "analysing texts");
    let started = std::time::Instant::now();
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
    let cache = AnalyzerCache::new();
    let progress = |n: u64| bar.set_position(n);
    let opts = RunOptions { threads, lease: None, progress: Some(&progress), stop: None };
    let report = reanalyze_workspace(&db, &cache, ws, Mode::All, &opts).await?;
    bar.finish_and_clear();
    let version = cxm_store::text::taxonomy_version(&db, ws).await?;
    let stored = cxm_store::text::count_analyses(&db, ws).await?;
    db.close().await;
    let secs = started.elapsed().as_secs_f64().max(0.001);
    println!(
        "re-analysed {} texts from {} source rows with taxonomy version {version} in {secs:.1} s ({:.0} texts/s, {threads} threads); \
         {} could not be analysed; {stored} analyses stored",
        report.analysed,
        report.sources,
        report.analysed as f64 / secs,
        report.failed,
    );
    Ok(if report.failed > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
