//! `cxm bench text`: accuracy, aspect precision/recall and throughput of the
//! text analytics, with SnowNLP (zh) and VADER (en) run on the same rows in
//! the same run (issue 4; docs/benchmarks.md).
//!
//! Sentiment is evaluated on the test buckets (8–9) of the fixed split only
//! (`cxm_text::corpus::split_of`); Chinese rows that SnowNLP trained on are
//! left out so the comparison does not flatter it. No row evaluated here was
//! used to train or tune cxm's models. An English domain none of the models
//! saw — the UCI IMDB sentences, fetched by `tools/text/fetch_data.sh` — is
//! reported apart (`en_cross`), all its rows, with VADER beside it.

use anyhow::{Context, bail};
use cxm_text::corpus::{self, Confusion, Labelled, Split};
use cxm_text::{LangHint, TextAnalyzer, eval};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct BenchTextArgs {
    /// The shared labelled data (zh-reviews/, en-reviews/).
    #[arg(long, default_value = "../shared/data")]
    pub shared: PathBuf,
    /// Which rows to evaluate: `test` (buckets 8–9, the reported figures) or
    /// `dev` (bucket 7, for tuning; the English model also trained on it).
    #[arg(long, default_value = "test", value_parser = ["test", "dev"])]
    pub split: String,
    /// The hand-labelled aspect set (JSON lines); default: the split's file.
    #[arg(long)]
    pub aspects: Option<PathBuf>,
    /// Python interpreter for the peer baselines.
    #[arg(long, default_value = "python3")]
    pub python: String,
    /// The peers' script.
    #[arg(long, default_value = "tools/text/baselines.py")]
    pub baselines: PathBuf,
    /// The English cross-domain set (JSON `[{text, class}]`); default
    /// `$HOME/.cache/cxm-text/uci/imdb.json` (`tools/text/fetch_data.sh`); skipped when absent.
    #[arg(long)]
    pub cross_en: Option<PathBuf>,
    /// Skip SnowNLP and VADER (cxm's figures only).
    #[arg(long)]
    pub no_peers: bool,
    /// Short texts SnowNLP scores for the throughput ratio.
    #[arg(long, default_value_t = 2000)]
    pub peer_speed_sample: usize,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
}

struct Rows {
    zh: Vec<Labelled>,
    en: Vec<Labelled>,
    /// English reviews from a domain no model trained or was tuned on.
    en_cross: Vec<Labelled>,
}

/// The cross-domain English rows, if the file is there.
fn load_cross_en(path: Option<&Path>) -> anyhow::Result<Vec<Labelled>> {
    let default = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/cxm-text/uci/imdb.json"));
    let Some(path) = path.map(Path::to_path_buf).or(default) else { return Ok(Vec::new()) };
    if !path.exists() {
        eprintln!(
            "note: {} is missing (tools/text/fetch_data.sh fetches it); no cross-domain English set",
            path.display()
        );
        return Ok(Vec::new());
    }
    #[derive(serde::Deserialize)]
    struct Row {
        text: String,
        class: u8,
    }
    let rows: Vec<Row> = serde_json::from_str(&std::fs::read_to_string(&path)?)
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(rows
        .into_iter()
        .filter(|r| r.class <= 1 && !r.text.trim().is_empty())
        .map(|r| Labelled {
            text: r.text.trim().to_string(),
            positive: r.class == 1,
            domain: "imdb".into(),
            in_snownlp_training: false,
        })
        .collect())
}

fn load(shared: &Path, split: Split, cross_en: Option<&Path>) -> anyhow::Result<Rows> {
    let path = shared.join("zh-reviews/online_shopping_10_cats.csv");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let zh = corpus::parse_zh_shopping(&text)?
        .into_iter()
        .filter(|r| corpus::split_of(&r.text) == split && !r.in_snownlp_training)
        .collect();
    let mut en = Vec::new();
    for (file, domain) in [("amazon_cells_labelled.txt", "amazon"), ("yelp_labelled.txt", "yelp")] {
        let path = shared.join("en-reviews").join(file);
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        en.extend(corpus::parse_uci(&text, domain)?.into_iter().filter(|r| corpus::split_of(&r.text) == split));
    }
    Ok(Rows { zh, en, en_cross: load_cross_en(cross_en)? })
}

/// Runs the peers' script on `rows`; `None` (with a note) when Python or the
/// packages are missing and could not be installed.
fn peers(args: &BenchTextArgs, rows: &[(&Labelled, &str)]) -> anyhow::Result<Option<Value>> {
    let dir = tempdir()?;
    let file = dir.join("rows.jsonl");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file)?);
    for (r, lang) in rows {
        writeln!(out, "{}", json!({"text": r.text, "label": u8::from(r.positive), "lang": lang}))?;
    }
    out.flush()?;
    drop(out);
    let run = || std::process::Command::new(&args.python).arg(&args.baselines).arg(&file).output();
    let mut output = run().with_context(|| format!("running {} {}", args.python, args.baselines.display()))?;
    if output.status.code() == Some(3) {
        eprintln!("installing the peers (python3 -m pip install -r tools/text/requirements.txt) …");
        let req = args.baselines.with_file_name("requirements.txt");
        let status = std::process::Command::new(&args.python)
            .args(["-m", "pip", "install", "-q", "-r"])
            .arg(&req)
            .status()
            .context("running pip")?;
        if !status.success() {
            bail!("could not install the peer baselines (pip exited {status}); run with --no-peers to skip them");
        }
        output = run()?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    if !output.status.success() {
        bail!("the peer baselines failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(Some(serde_json::from_slice(&output.stdout).context("reading the baselines' JSON")?))
}

fn tempdir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("cxm-bench-text-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn confusion_json(c: &Confusion) -> Value {
    json!({"n": c.n(), "accuracy": c.accuracy(), "macro_f1": c.macro_f1(), "confusion": [[c.tn, c.fp], [c.fn_, c.tp]]})
}

/// Wilson 95 % interval of an accuracy, to show how much a test set can say.
fn interval(c: &Confusion) -> (f64, f64) {
    let ci = cxm_core::stats::wilson_interval((c.tp + c.tn) as f64, c.n() as f64, cxm_core::stats::Z_95);
    ci.map_or((0.0, 0.0), |i| (i.lower, i.upper))
}

/// Full analyses per second on one thread: the median of `rounds` rounds of
/// at least `min` each over `texts` (a shared machine's noise moves single
/// rounds by ±20 %); also the slowest and fastest round.
fn throughput(analyzer: &TextAnalyzer, texts: &[&str], min: Duration, rounds: usize) -> Speed {
    let mut rates: Vec<f64> = (0..rounds.max(1))
        .map(|_| {
            let start = Instant::now();
            let mut done = 0u64;
            while start.elapsed() < min {
                for t in texts {
                    let _ = analyzer.analyze(t, LangHint::Auto);
                    done += 1;
                }
            }
            done as f64 / start.elapsed().as_secs_f64()
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    Speed { median: rates[rates.len() / 2], slowest: rates[0], fastest: rates[rates.len() - 1] }
}

struct Speed {
    median: f64,
    slowest: f64,
    fastest: f64,
}

pub async fn run(args: BenchTextArgs) -> anyhow::Result<()> {
    tokio::task::spawn_blocking(move || run_blocking(args)).await?
}

fn run_blocking(args: BenchTextArgs) -> anyhow::Result<()> {
    let split = if args.split == "dev" { Split::Dev } else { Split::Test };
    let rows = load(&args.shared, split, args.cross_en.as_deref())?;
    let aspects_path = args
        .aspects
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("crates/cxm-text/tests/data/aspects/{}.jsonl", args.split)));
    let started = Instant::now();
    let analyzer = TextAnalyzer::default();
    // First use loads the bundled models, lexicons and dictionary.
    let _ = analyzer.analyze("预热 warm-up", LangHint::Auto);
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;

    let mut report = BTreeMap::new();
    let mut per_domain: BTreeMap<String, Confusion> = BTreeMap::new();
    for (lang, rows) in [("zh", &rows.zh), ("en", &rows.en), ("en_cross", &rows.en_cross)] {
        if rows.is_empty() {
            continue;
        }
        let refs: Vec<&Labelled> = rows.iter().collect();
        let e = eval::sentiment(&analyzer, &refs, LangHint::Auto);
        for r in rows.iter() {
            let predicted = analyzer.analyze(&r.text, LangHint::Auto).is_ok_and(|a| a.sentiment.score >= 0.0);
            per_domain.entry(format!("{lang}/{}", r.domain)).or_default().add(r.positive, predicted);
        }
        let (lo, hi) = interval(&e.confusion);
        let mut v = confusion_json(&e.confusion);
        v["ci95"] = json!([lo, hi]);
        v["neutral_share"] = json!(e.neutral as f64 / e.confusion.n().max(1) as f64);
        report.insert(lang.to_string(), v);
    }

    // Short texts (≤ 100 chars) of both languages for the speed figures.
    let short_zh: Vec<&Labelled> = rows.zh.iter().filter(|r| r.text.chars().count() <= 100).collect();
    let short: Vec<&str> = short_zh
        .iter()
        .map(|r| r.text.as_str())
        .chain(rows.en.iter().filter(|r| r.text.chars().count() <= 100).map(|r| r.text.as_str()))
        .collect();
    let speed = throughput(&analyzer, &short, Duration::from_secs(1), 5);
    let per_second = speed.median;
    let zh_short: Vec<&str> = short_zh.iter().take(args.peer_speed_sample).map(|r| r.text.as_str()).collect();
    let zh_speed = throughput(&analyzer, &zh_short, Duration::from_secs(1), 5);
    let zh_per_second = zh_speed.median;

    let peer = if args.no_peers {
        None
    } else {
        let mut peer_rows: Vec<(&Labelled, &str)> = rows.zh.iter().map(|r| (r, "zh")).collect();
        peer_rows.extend(rows.en.iter().map(|r| (r, "en")));
        peer_rows.extend(rows.en_cross.iter().map(|r| (r, "en_cross")));
        let accuracy = peers(&args, &peer_rows)?;
        let speed_rows: Vec<(&Labelled, &str)> =
            short_zh.iter().take(args.peer_speed_sample).map(|r| (*r, "zh")).collect();
        let speed = peers(&args, &speed_rows)?;
        Some((accuracy, speed))
    };

    let gold_text =
        std::fs::read_to_string(&aspects_path).with_context(|| format!("reading {}", aspects_path.display()))?;
    let gold = eval::parse_gold(&gold_text).map_err(|e| anyhow::anyhow!("{}: {e}", aspects_path.display()))?;
    let aspects = eval::aspects(&analyzer, &gold);

    if args.json {
        let mut out = json!({
            "sentiment": report,
            "per_domain": per_domain.iter().map(|(k, c)| (k.clone(), confusion_json(c))).collect::<BTreeMap<_, _>>(),
            "aspects": {
                "texts": gold.len(),
                "detection": {"precision": aspects.detection.precision(), "recall": aspects.detection.recall(), "f1": aspects.detection.f1()},
                "with_polarity_f1": aspects.with_polarity.f1(),
                "per_aspect": aspects.per_aspect.iter().map(|(k, c)| (k.clone(), json!({"precision": c.precision(), "recall": c.recall(), "f1": c.f1(), "tp": c.tp, "fp": c.fp, "fn": c.fn_}))).collect::<BTreeMap<_, _>>(),
            },
            "throughput": {"short_texts_per_s_one_thread": per_second, "short_texts_per_s_range": [speed.slowest, speed.fastest], "zh_short_texts_per_s_one_thread": zh_per_second, "load_ms": load_ms},
        });
        if let Some((Some(acc), Some(speed))) = &peer {
            out["peers"] = json!({"accuracy": acc, "speed": speed});
        }
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }

    if split == Split::Test {
        println!("cxm bench text — evaluation rows never used for training or tuning (test buckets 8–9)\n");
    } else {
        println!("cxm bench text --split dev — TUNING rows (bucket 7); not the reported figures\n");
    }
    println!("Sentiment, binary reviews (positive when score ≥ 0):");
    println!(
        "  {:<9} {:>6}  {:>9}  {:>17}  {:>8}  {:>7}  confusion [[tn fp] [fn tp]]",
        "", "n", "accuracy", "95 % interval", "macro-F1", "neutral"
    );
    for (lang, v) in &report {
        let c = &v["confusion"];
        println!(
            "  {:<9} {:>6}  {:>8.2} %  {:>7.2} – {:>5.2} %  {:>8.4}  {:>6.1} %  [[{} {}] [{} {}]]",
            format!("{lang}:"),
            v["n"],
            v["accuracy"].as_f64().unwrap_or(0.0) * 100.0,
            v["ci95"][0].as_f64().unwrap_or(0.0) * 100.0,
            v["ci95"][1].as_f64().unwrap_or(0.0) * 100.0,
            v["macro_f1"].as_f64().unwrap_or(0.0),
            v["neutral_share"].as_f64().unwrap_or(0.0) * 100.0,
            c[0][0],
            c[0][1],
            c[1][0],
            c[1][1]
        );
    }
    if let Some((Some(acc), _)) = &peer {
        println!("\nPeers on the same rows, same run:");
        for (lang, name) in [("zh", "SnowNLP 0.12.3"), ("en", "VADER 3.3.2"), ("en_cross", "VADER 3.3.2")] {
            let v = &acc[lang];
            if v.is_null() {
                continue;
            }
            let ours = report.get(lang).and_then(|r| r["accuracy"].as_f64()).unwrap_or(0.0);
            let theirs = v["accuracy"].as_f64().unwrap_or(0.0);
            let c = &v["confusion"];
            println!(
                "  {:<9} {name:<15} accuracy {:>6.2} %  macro-F1 {:.4}  confusion [[{} {}] [{} {}]]  — cxm {:+.2} points",
                format!("{lang}:"),
                theirs * 100.0,
                v["macro_f1"].as_f64().unwrap_or(0.0),
                c[0][0],
                c[0][1],
                c[1][0],
                c[1][1],
                (ours - theirs) * 100.0
            );
        }
    }
    if report.contains_key("en_cross") {
        println!(
            "  (en_cross: the UCI IMDB movie-review sentences, all rows — a domain no model trained or was tuned on)"
        );
    }
    println!("\nSentiment accuracy per domain (zh categories; cxm trained on none of these rows):");
    for (k, c) in &per_domain {
        println!("  {k:<14} n {:>5}  accuracy {:>6.2} %", c.n(), c.accuracy() * 100.0);
    }
    println!("\nAspects ({}, {} hand-labelled texts):", aspects_path.display(), gold.len());
    println!(
        "  detection  precision {:.3}  recall {:.3}  F1 {:.3}   (aspect + polarity F1 {:.3}; polarity agrees on {}/{} found)",
        aspects.detection.precision(),
        aspects.detection.recall(),
        aspects.detection.f1(),
        aspects.with_polarity.f1(),
        aspects.polarity_agree,
        aspects.polarity_total
    );
    for (k, c) in &aspects.per_aspect {
        println!(
            "  {k:<20} precision {:.3}  recall {:.3}  F1 {:.3}  (tp {} fp {} fn {})",
            c.precision(),
            c.recall(),
            c.f1(),
            c.tp,
            c.fp,
            c.fn_
        );
    }
    println!("\nThroughput (full analysis, one thread, texts ≤ 100 characters):");
    println!(
        "  {} short texts (zh + en): {:.0} texts/s (median of 5 rounds; {:.0}–{:.0})",
        short.len(),
        per_second,
        speed.slowest,
        speed.fastest
    );
    print!(
        "  {} short zh texts: cxm {:.0} texts/s (median of 5; {:.0}–{:.0})",
        zh_short.len(),
        zh_per_second,
        zh_speed.slowest,
        zh_speed.fastest
    );
    if let Some((_, Some(speed))) = &peer {
        let snow = speed["zh"]["texts_per_s"].as_f64().unwrap_or(0.0);
        if snow > 0.0 {
            print!(", SnowNLP sentiment only {snow:.0} texts/s → ratio {:.1}×", zh_per_second / snow);
        }
    }
    println!("\n  start-up (models, lexicons, dictionary): {load_ms:.0} ms");
    Ok(())
}
