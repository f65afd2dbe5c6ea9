//! Trains the learned aspect polarity (`data/model/aspect_polarity.bin`,
//! `src/aspect_polarity.rs`) and reports it against the clause opinion
//! score it refines.
//!
//! ```sh
//! cargo run --release -p cxm-text --example train_polarity            # train, report, write
//! cargo run --release -p cxm-text --example train_polarity -- --dry   # report only
//! ```
//!
//! Data: every aspect mention the analyzer finds in
//! `tests/data/aspects/train.jsonl` that the gold labels also name, with the
//! gold polarity. `dev.jsonl` is only scored; `test.jsonl` is never read.
//! C is chosen by 5-fold cross-validation on train: "out-of-fold" figures
//! come from models that never saw the text. Knobs: `POL_C` (grid),
//! `POL_BITS`, `POL_ZH_SET`/`POL_EN_SET` (feature sets of `features.rs`).

mod common;

use common::{env_or, read_gold};
use cxm_text::aspect_model::{AspectModels, LangModel, ModelLang};
use cxm_text::aspect_polarity::{self, CLASSES};
use cxm_text::eval::{self, GoldText};
use cxm_text::features::{self, FeatureSet};
use cxm_text::normalize::normalize;
use cxm_text::sentiment;
use cxm_text::train::{Vocab, fit_columns};
use cxm_text::{LangHint, Polarity, TextAnalyzer, lang};
use std::path::PathBuf;
use std::sync::Arc;

const FOLDS: u64 = 5;

fn class(p: Polarity) -> usize {
    match p {
        Polarity::Negative => 0,
        Polarity::Neutral => 1,
        Polarity::Positive => 2,
    }
}

/// One found mention with a gold polarity.
struct Mention {
    fold: u64,
    gold: usize,
    /// The polarity of the clause opinion score alone.
    rules: usize,
    buckets: Vec<u32>,
}

/// The mentions of one language, read by the analyzer without the learned polarity.
fn mentions(gold: &[GoldText], want: ModelLang, set: FeatureSet, bits: u8) -> Vec<Mention> {
    let analyzer = TextAnalyzer::default().with_polarity_models(None);
    let mut out = Vec::new();
    let mut text_buckets = Vec::new();
    for g in gold {
        if ModelLang::of(lang::detect(&g.text)) != Some(want) {
            continue;
        }
        let Ok(a) = analyzer.analyze(&g.text, LangHint::Auto) else { continue };
        aspect_polarity::context_features(set, bits, &normalize(&g.text), &mut text_buckets);
        for m in &a.aspects {
            let Some(ga) = g.aspects.iter().find(|ga| ga.aspect == m.aspect) else { continue };
            let mut buckets = Vec::new();
            let clause = normalize(&m.span.text);
            aspect_polarity::mention_features(set, bits, &clause, &text_buckets, m.score, &m.aspect, &mut buckets);
            out.push(Mention {
                fold: features::fnv1a64(g.text.as_bytes()) % FOLDS,
                gold: class(ga.polarity),
                rules: class(sentiment::label(m.score)),
                buckets,
            });
        }
    }
    out
}

struct Fitted {
    vocab: Vocab,
    columns: Vec<(Vec<f32>, f32)>,
}

impl Fitted {
    fn new(train: &[&Mention], c: f64) -> Fitted {
        let vocab = Vocab::new(train.iter().map(|m| m.buckets.as_slice()));
        let xs: Vec<Vec<(u32, f32)>> = train.iter().map(|m| vocab.vector(&m.buckets)).collect();
        let labels: Vec<Vec<bool>> = train.iter().map(|m| (0..3).map(|k| m.gold == k).collect()).collect();
        let columns = fit_columns(&xs, &labels, vocab.bucket.len(), c);
        Fitted { vocab, columns }
    }

    fn predict(&self, m: &Mention) -> usize {
        let x = self.vocab.vector(&m.buckets);
        let margin = |(w, b): &(Vec<f32>, f32)| b + x.iter().map(|&(i, v)| w[i as usize] * v).sum::<f32>();
        let margins: Vec<f32> = self.columns.iter().map(margin).collect();
        class(aspect_polarity::decide(&margins).0)
    }

    fn stored(&self, want: ModelLang, set: FeatureSet, bits: u8) -> LangModel {
        let rows: Vec<(u32, Vec<f32>)> = (0..self.vocab.bucket.len())
            .map(|i| (self.vocab.bucket[i], self.columns.iter().map(|c| c.0[i]).collect()))
            .filter(|r: &(u32, Vec<f32>)| r.1.iter().any(|w| *w != 0.0))
            .collect();
        let keys = CLASSES.iter().map(|c| c.to_string()).collect();
        let bias = self.columns.iter().map(|c| c.1).collect();
        LangModel::new(want, set, bits, keys, bias, vec![0.5; 3], vec![0.0; 3], rows).unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(2);
        })
    }
}

fn accuracy(pairs: impl Iterator<Item = (usize, usize)>) -> (f64, usize) {
    let (mut right, mut n) = (0, 0);
    for (a, b) in pairs {
        n += 1;
        right += usize::from(a == b);
    }
    (right as f64 / n.max(1) as f64, n)
}

struct LangResult {
    model: LangModel,
    folds: Vec<LangModel>,
}

fn train_lang(train: &[GoldText], dev: &[GoldText], want: ModelLang, set: FeatureSet, bits: u8) -> LangResult {
    let name = if want == ModelLang::Zh { "zh" } else { "en" };
    let docs = mentions(train, want, set, bits);
    let dev_docs = mentions(dev, want, set, bits);
    let grid: Vec<f64> = std::env::var("POL_C")
        .ok()
        .map(|v| v.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![8.0, 16.0, 32.0]);
    let (rules_acc, n) = accuracy(docs.iter().map(|m| (m.rules, m.gold)));
    println!("{name}: {n} train mentions; clause score alone {rules_acc:.3}");
    let mut best = (0.0, f64::NEG_INFINITY);
    for &c in &grid {
        let mut pairs = Vec::new();
        for fold in 0..FOLDS {
            let part: Vec<&Mention> = docs.iter().filter(|m| m.fold != fold).collect();
            let fit = Fitted::new(&part, c);
            pairs.extend(docs.iter().filter(|m| m.fold == fold).map(|m| (fit.predict(m), m.gold)));
        }
        let (acc, _) = accuracy(pairs.into_iter());
        println!("{name}: C={c:<4} out-of-fold polarity accuracy {acc:.3}");
        if acc > best.1 {
            best = (c, acc);
        }
    }
    let c = best.0;
    let all: Vec<&Mention> = docs.iter().collect();
    let fit = Fitted::new(&all, c);
    let (dev_rules, dn) = accuracy(dev_docs.iter().map(|m| (m.rules, m.gold)));
    let (dev_model, _) = accuracy(dev_docs.iter().map(|m| (fit.predict(m), m.gold)));
    println!("{name}: C={c}: dev ({dn} mentions) clause score {dev_rules:.3} → model {dev_model:.3}");
    let folds = (0..FOLDS)
        .map(|fold| {
            let part: Vec<&Mention> = docs.iter().filter(|m| m.fold != fold).collect();
            Fitted::new(&part, c).stored(want, set, bits)
        })
        .collect();
    LangResult { model: fit.stored(want, set, bits), folds }
}

/// Aspect + polarity F1 through the whole analyzer: the clause score alone
/// and with the learned polarity (train out-of-fold, and dev).
fn end_to_end(train: &[GoldText], dev: &[GoldText], zh: &[LangModel], en: &[LangModel], full: &AspectModels) {
    let base = TextAnalyzer::default();
    let score = |models: Option<Arc<AspectModels>>, gold: &[GoldText]| {
        eval::aspects(&base.clone().with_polarity_models(models), gold).with_polarity
    };
    for lang in ["zh", "en"] {
        let (mut before, mut after) = (eval::PrCounts::default(), eval::PrCounts::default());
        for fold in 0..FOLDS {
            let models = AspectModels { langs: vec![zh[fold as usize].clone(), en[fold as usize].clone()] };
            let gold: Vec<GoldText> = train
                .iter()
                .filter(|g| g.lang == lang && features::fnv1a64(g.text.as_bytes()) % FOLDS == fold)
                .cloned()
                .collect();
            let (b, a) = (score(None, &gold), score(Some(Arc::new(models)), &gold));
            for (sum, x) in [(&mut before, b), (&mut after, a)] {
                sum.tp += x.tp;
                sum.fp += x.fp;
                sum.fn_ += x.fn_;
            }
        }
        let gold: Vec<GoldText> = dev.iter().filter(|g| g.lang == lang).cloned().collect();
        let (db, da) = (score(None, &gold), score(Some(Arc::new(full.clone())), &gold));
        println!(
            "{lang} aspect + polarity F1: train out-of-fold {:.3} → {:.3}; dev {:.3} → {:.3}",
            before.f1(),
            after.f1(),
            db.f1(),
            da.f1()
        );
    }
}

fn main() {
    let dry = std::env::args().any(|a| a == "--dry");
    let train = read_gold("train");
    let dev = read_gold("dev");
    let bits = env_or("POL_BITS", 16u8);
    let set = |var: &str, default: FeatureSet| FeatureSet::from_u8(env_or(var, default as u8)).unwrap_or(default);
    let zh = train_lang(&train, &dev, ModelLang::Zh, set("POL_ZH_SET", FeatureSet::CharNgrams), bits);
    let en = train_lang(&train, &dev, ModelLang::En, set("POL_EN_SET", FeatureSet::Words), bits);
    let models = AspectModels { langs: vec![zh.model, en.model] };
    end_to_end(&train, &dev, &zh.folds, &en.folds, &models);
    let bytes = models.to_bytes();
    println!("model file: {} bytes", bytes.len());
    if !dry {
        let path = PathBuf::from("crates/cxm-text/data/model/aspect_polarity.bin");
        if let Err(e) = std::fs::write(&path, &bytes) {
            eprintln!("cannot write {}: {e}", path.display());
            std::process::exit(2);
        }
        println!("wrote {}", path.display());
    }
}
