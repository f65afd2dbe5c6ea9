//! Trains the learned aspect detector (`data/model/aspects.bin`) on the
//! project's own aspect set and reports how terms, model and both do.
//!
//! ```sh
//! cargo run --release -p cxm-text --example train_aspects            # train, report, write
//! cargo run --release -p cxm-text --example train_aspects -- --dry   # report only
//! ```
//!
//! Data: `tests/data/aspects/train.jsonl` (Apache-2.0, written for cxm)
//! trains; `dev.jsonl` is only scored. `test.jsonl` is never read. One
//! logistic model per (language, built-in aspect) over the sentiment models'
//! hashed features of the whole text. C is chosen by 5-fold cross-validation
//! on train.jsonl: every figure labelled "out-of-fold" comes from a model
//! that never saw the text. Each aspect's threshold and veto maximize the F1
//! of "term (not vetoed) OR model", the rule the analyzer applies, on the
//! out-of-fold train margins and the dev margins together (`ASP_TUNE=train`:
//! train alone). `ASP_ERRORS=1` (or `=dev`) prints the texts the rule gets
//! wrong out-of-fold (or on dev).
//!
//! Knobs (environment): `ASP_C` (grid, e.g. `2,4,8`), `ASP_BITS`,
//! `ASP_ZH_SET`/`ASP_EN_SET` (feature set numbers of `features.rs`),
//! `ASP_PRUNE` (weights below this share of the largest are dropped).

mod common;

use common::{env_or, read_gold};
use cxm_text::aspect_model::{AspectModels, LangModel, ModelLang};
use cxm_text::aspects::AspectMatcher;
use cxm_text::eval::{self, GoldText, PrCounts};
use cxm_text::features::{self, FeatureSet};
use cxm_text::normalize::normalize;
use cxm_text::train::{Vocab, fit_columns};
use cxm_text::{Taxonomy, TextAnalyzer, lang};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

const FOLDS: u64 = 5;

/// One text, ready for training and scoring in one language.
struct Doc {
    gold: usize,
    fold: u64,
    /// Gold label per aspect column.
    labels: Vec<bool>,
    /// Whether the term matcher names the aspect.
    terms: Vec<bool>,
    whole: Vec<u32>,
}

struct Setup {
    keys: Vec<String>,
    bits: u8,
    prune: f32,
}

fn docs_for(gold: &[GoldText], want: ModelLang, set: FeatureSet, s: &Setup) -> Vec<Doc> {
    let taxonomy = Taxonomy::default();
    let matcher = AspectMatcher::new(&taxonomy).with_models(None);
    let mut out = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        if ModelLang::of(lang::detect(&g.text)) != Some(want) {
            continue;
        }
        let norm = normalize(&g.text);
        let found = matcher.find(&norm);
        let terms = s.keys.iter().map(|k| found.iter().any(|m| taxonomy.aspects[m.aspect].key == *k)).collect();
        let labels = s.keys.iter().map(|k| g.aspects.iter().any(|a| a.aspect == *k)).collect();
        let mut whole = Vec::new();
        features::extract(set, &norm, s.bits, &mut whole);
        out.push(Doc { gold: gi, fold: features::fnv1a64(g.text.as_bytes()) % FOLDS, labels, terms, whole });
    }
    out
}

/// Weights (compact ids) and bias of every aspect column.
struct Fitted {
    weights: Vec<Vec<f32>>,
    bias: Vec<f32>,
}

impl Fitted {
    fn margin(&self, k: usize, x: &[(u32, f32)]) -> f32 {
        self.bias[k] + x.iter().map(|&(i, v)| self.weights[k][i as usize] * v).sum::<f32>()
    }

    /// Every aspect's margin for the whole text.
    fn margins(&self, vocab: &Vocab, d: &Doc) -> Vec<f32> {
        let x = doc_vector(vocab, d);
        (0..self.bias.len()).map(|k| self.margin(k, &x)).collect()
    }
}

fn doc_vector(vocab: &Vocab, d: &Doc) -> Vec<(u32, f32)> {
    vocab.vector(&d.whole)
}

fn fit_all(train: &[&Doc], vocab: &Vocab, k: usize, c: f64) -> Fitted {
    let xs: Vec<Vec<(u32, f32)>> = train.iter().map(|d| doc_vector(vocab, d)).collect();
    let labels: Vec<Vec<bool>> = train.iter().map(|d| d.labels.clone()).collect();
    let fits = fit_columns(&xs, &labels, vocab.bucket.len(), c);
    debug_assert_eq!(fits.len(), k);
    let (weights, bias) = fits.into_iter().unzip();
    Fitted { weights, bias }
}

fn logit(p: f32) -> f32 {
    (p / (1.0 - p)).ln()
}

const THRESHOLDS: [f32; 15] = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85];

/// How an aspect is decided: the model alone (`terms` false), or a term
/// match that the model does not veto (p < `veto`) OR the model (p ≥ `thr`).
#[derive(Debug, Clone, Copy)]
struct Rule {
    terms: bool,
    thr: Option<f32>,
    veto: f32,
}

fn counts(docs: &[&Doc], margins: &[Vec<f32>], k: usize, r: Rule) -> PrCounts {
    let mut c = PrCounts::default();
    for (d, m) in docs.iter().zip(margins) {
        match (said(d, m, k, r), d.labels[k]) {
            (true, true) => c.tp += 1,
            (true, false) => c.fp += 1,
            (false, true) => c.fn_ += 1,
            _ => {}
        }
    }
    c
}

fn add(a: &mut PrCounts, b: PrCounts) {
    a.tp += b.tp;
    a.fp += b.fp;
    a.fn_ += b.fn_;
}

const VETOES: [f32; 6] = [0.0, 0.02, 0.04, 0.07, 0.1, 0.15];

/// Per aspect, the rule (threshold, and veto when `veto`) that maximizes F1.
fn choose_rules(docs: &[&Doc], margins: &[Vec<f32>], k: usize, terms: bool, veto: bool) -> Vec<Rule> {
    let vetoes: &[f32] = if veto && terms { &VETOES } else { &[0.0] };
    (0..k)
        .map(|a| {
            let mut best = (-1.0, Rule { terms, thr: Some(0.5), veto: 0.0 });
            for &v in vetoes {
                for &t in &THRESHOLDS {
                    let r = Rule { terms, thr: Some(t), veto: v };
                    let f = counts(docs, margins, a, r).f1();
                    // Ties go to the higher threshold and the weaker veto (fewer model claims).
                    if f > best.0 + 1e-9 || (f >= best.0 - 1e-9 && v == best.1.veto) {
                        best = (f, r);
                    }
                }
            }
            best.1
        })
        .collect()
}

fn line(name: &str, c: PrCounts) -> String {
    format!("{name:<9} P {:.3} R {:.3} F1 {:.3}", c.precision(), c.recall(), c.f1())
}

struct LangResult {
    model: LangModel,
    /// Per fold, the model trained without it.
    folds: Vec<LangModel>,
    report: String,
}

/// The stored form of a fit: weights below `prune` × the largest dropped, the rules' thresholds and vetoes.
fn build(
    want: ModelLang,
    set: FeatureSet,
    s: &Setup,
    fit: &Fitted,
    vocab: &Vocab,
    rules: &[Rule],
) -> (LangModel, usize, f32) {
    let k = s.keys.len();
    let max = fit.weights.iter().flatten().fold(0f32, |m, w| m.max(w.abs()));
    let cut = s.prune * max;
    let rows: Vec<(u32, Vec<f32>)> = (0..vocab.bucket.len())
        .filter_map(|i| {
            let row: Vec<f32> =
                (0..k).map(|a| fit.weights[a][i]).map(|w| if w.abs() < cut { 0.0 } else { w }).collect();
            row.iter().any(|w| *w != 0.0).then(|| (vocab.bucket[i], row))
        })
        .collect();
    let n_rows = rows.len();
    let thresholds = rules.iter().map(|r| r.thr.unwrap_or(0.99)).collect();
    let vetoes = rules.iter().map(|r| r.veto).collect();
    let model = LangModel::new(want, set, s.bits, s.keys.clone(), fit.bias.clone(), thresholds, vetoes, rows)
        .unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(2);
        });
    (model, n_rows, cut)
}

fn train_lang(train: &[GoldText], dev: &[GoldText], want: ModelLang, set: FeatureSet, s: &Setup) -> LangResult {
    let name = if want == ModelLang::Zh { "zh" } else { "en" };
    let docs = docs_for(train, want, set, s);
    let dev_docs = docs_for(dev, want, set, s);
    let all: Vec<&Doc> = docs.iter().collect();
    let k = s.keys.len();
    let grid: Vec<f64> = std::env::var("ASP_C")
        .ok()
        .map(|v| v.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![16.0, 32.0]);
    let use_veto = env_or("ASP_VETO", 1u8) == 1;
    let mut report = String::new();
    let mut best: Option<(f64, f64, Vec<Vec<f32>>)> = None;
    for &c in &grid {
        let mut oof = vec![Vec::new(); docs.len()];
        for fold in 0..FOLDS {
            let part: Vec<&Doc> = docs.iter().filter(|d| d.fold != fold).collect();
            let vocab = Vocab::new(part.iter().map(|d| d.whole.as_slice()));
            let fit = fit_all(&part, &vocab, k, c);
            for (i, d) in docs.iter().enumerate() {
                if d.fold == fold {
                    oof[i] = fit.margins(&vocab, d);
                }
            }
        }
        let rules = choose_rules(&all, &oof, k, true, use_veto);
        let mut both = PrCounts::default();
        for (a, &r) in rules.iter().enumerate() {
            add(&mut both, counts(&all, &oof, a, r));
        }
        println!("{name}: C={c:<4} out-of-fold combined detection {}", line("", both));
        if best.as_ref().is_none_or(|b| both.f1() > b.1) {
            best = Some((c, both.f1(), oof));
        }
    }
    let Some((c, _, oof)) = best else {
        eprintln!("empty C grid");
        std::process::exit(2);
    };
    report +=
        &format!("{name}: {} train texts, {} dev texts; feature set {set:?}, C={c}\n", docs.len(), dev_docs.len());

    // The final model learns from all of train.jsonl; dev is scored by it.
    let vocab = Vocab::new(all.iter().map(|d| d.whole.as_slice()));
    let fit = fit_all(&all, &vocab, k, c);
    let dev_all: Vec<&Doc> = dev_docs.iter().collect();
    let dev_margins: Vec<Vec<f32>> = dev_docs.iter().map(|d| fit.margins(&vocab, d)).collect();
    // Thresholds and vetoes: on the out-of-fold train margins and the dev
    // margins together (ASP_TUNE=train: train only). The term lists were
    // tuned on dev, so train alone asks too little of the model there.
    let pooled = env_or("ASP_TUNE", "pooled".to_string()) == "pooled";
    let (tune_docs, tune_margins): (Vec<&Doc>, Vec<Vec<f32>>) = if pooled {
        (all.iter().chain(&dev_all).copied().collect(), oof.iter().chain(&dev_margins).cloned().collect())
    } else {
        (all.clone(), oof.clone())
    };
    let rules = choose_rules(&tune_docs, &tune_margins, k, true, use_veto);
    let rules_model = choose_rules(&tune_docs, &tune_margins, k, false, false);
    let terms_only = Rule { terms: true, thr: None, veto: 0.0 };
    if std::env::var("ASP_ERRORS").is_ok() {
        let dev_errors = std::env::var("ASP_ERRORS").is_ok_and(|v| v == "dev");
        let (error_docs, error_margins, error_gold) =
            if dev_errors { (&dev_docs, &dev_margins, dev) } else { (&docs, &oof, train) };
        for (d, m) in error_docs.iter().zip(error_margins) {
            let wrong: Vec<String> = (0..k)
                .filter(|&a| said(d, m, a, rules[a]) != d.labels[a])
                .map(|a| {
                    let sign = if d.labels[a] { "-" } else { "+" };
                    let how = if d.terms[a] { "T" } else { "" };
                    format!("{sign}{}{how} {:.2}", s.keys[a], sigmoid(m[a]))
                })
                .collect();
            if !wrong.is_empty() {
                println!("{} | {}", error_gold[d.gold].text, wrong.join(", "));
            }
        }
    }

    let (model, n_rows, cut) = build(want, set, s, &fit, &vocab, &rules);
    // The same rules on models that did not see each fold: the analyzer's
    // out-of-fold figures (with polarity) in `main`.
    let folds = (0..FOLDS)
        .map(|fold| {
            let part: Vec<&Doc> = docs.iter().filter(|d| d.fold != fold).collect();
            let vocab = Vocab::new(part.iter().map(|d| d.whole.as_slice()));
            build(want, set, s, &fit_all(&part, &vocab, k, c), &vocab, &rules).0
        })
        .collect();
    report += &format!("{name}: {} of {} feature rows kept (|w| ≥ {cut:.4})\n", n_rows, vocab.bucket.len());
    // Dev once more through the stored (pruned, quantized) model, as the analyzer scores.
    let stored: Vec<Vec<f32>> = dev_docs
        .iter()
        .map(|d| {
            let mut m = Vec::new();
            model.margins_of(&d.whole, &mut m);
            m
        })
        .collect();
    for (label, ds, ms) in
        [("train out-of-fold", &all, &oof), ("dev", &dev_all, &dev_margins), ("dev, stored model", &dev_all, &stored)]
    {
        let (mut t, mut m, mut b) = (PrCounts::default(), PrCounts::default(), PrCounts::default());
        for a in 0..k {
            add(&mut t, counts(ds, ms, a, terms_only));
            add(&mut m, counts(ds, ms, a, rules_model[a]));
            add(&mut b, counts(ds, ms, a, rules[a]));
        }
        report += &format!(
            "{name} {label:<17} detection: {} | {} | {}\n",
            line("terms", t),
            line("model", m),
            line("combined", b)
        );
    }
    report += &format!("{name} per aspect: F1 terms → combined (threshold, veto), train out-of-fold and dev:\n");
    for (a, (key, r)) in s.keys.iter().zip(&rules).enumerate() {
        report += &format!(
            "    {:<20} train {:.3} → {:.3}   dev {:.3} → {:.3}   (p ≥ {:.2}, veto < {:.2})\n",
            key,
            counts(&all, &oof, a, terms_only).f1(),
            counts(&all, &oof, a, *r).f1(),
            counts(&dev_all, &dev_margins, a, terms_only).f1(),
            counts(&dev_all, &dev_margins, a, *r).f1(),
            r.thr.unwrap_or(1.0),
            r.veto,
        );
    }
    LangResult { model, folds, report }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

fn said(d: &Doc, m: &[f32], a: usize, r: Rule) -> bool {
    let term = r.terms && d.terms[a] && (r.veto <= 0.0 || m[a] >= logit(r.veto));
    term || r.thr.is_some_and(|t| m[a] >= logit(t))
}

/// Detection and aspect + polarity through the whole analyzer, per language:
/// terms alone, the model alone, both. Train figures are out-of-fold.
fn end_to_end(train: &[GoldText], dev: &[GoldText], zh: &[LangModel], en: &[LangModel], full: &AspectModels) {
    let mut rows: Vec<(String, [eval::AspectEval; 3])> = Vec::new();
    let run = |models: &Arc<AspectModels>, gold: &[GoldText]| -> [eval::AspectEval; 3] {
        // Polarity as the clause score reads it: the learned polarity was
        // trained on all of train.jsonl (its out-of-fold figures: train_polarity).
        let base = TextAnalyzer::default().with_polarity_models(None);
        [
            eval::aspects(&base.clone().with_aspect_models(None), gold),
            eval::aspects(&base.clone().with_aspect_models(Some(models.clone())).without_aspect_terms(), gold),
            eval::aspects(&base.with_aspect_models(Some(models.clone())), gold),
        ]
    };
    for lang in ["zh", "en"] {
        let mut sums: [eval::AspectEval; 3] = Default::default();
        for fold in 0..FOLDS {
            let models = Arc::new(AspectModels { langs: vec![zh[fold as usize].clone(), en[fold as usize].clone()] });
            let gold: Vec<GoldText> = train
                .iter()
                .filter(|g| g.lang == lang && features::fnv1a64(g.text.as_bytes()) % FOLDS == fold)
                .cloned()
                .collect();
            for (sum, e) in sums.iter_mut().zip(run(&models, &gold)) {
                add(&mut sum.detection, e.detection);
                add(&mut sum.with_polarity, e.with_polarity);
            }
        }
        rows.push((format!("{lang} train out-of-fold"), sums));
        let gold: Vec<GoldText> = dev.iter().filter(|g| g.lang == lang).cloned().collect();
        rows.push((format!("{lang} dev"), run(&Arc::new(full.clone()), &gold)));
    }
    println!("\nEnd to end (TextAnalyzer): detection F1 (P/R) and aspect + polarity F1 (clause-score polarity)");
    println!("  {:<20} {:<26} {:<26} {:<26}", "", "terms", "model", "combined");
    for (name, e) in rows {
        let cell = |e: &eval::AspectEval| {
            format!(
                "{:.3} ({:.3}/{:.3}) {:.3}",
                e.detection.f1(),
                e.detection.precision(),
                e.detection.recall(),
                e.with_polarity.f1()
            )
        };
        println!("  {name:<20} {:<26} {:<26} {:<26}", cell(&e[0]), cell(&e[1]), cell(&e[2]));
    }
}

/// Terms that fire on train.jsonl texts without their aspect (systematic
/// false positives), and how often each is right.
fn term_report(gold: &[GoldText]) {
    let taxonomy = Taxonomy::default();
    let matcher = AspectMatcher::new(&taxonomy).with_models(None);
    let mut stats: HashMap<(String, String), (u32, u32, Vec<String>)> = HashMap::new();
    for g in gold {
        let found = matcher.find(&normalize(&g.text));
        let mut seen = std::collections::HashSet::new();
        for m in found {
            let key = taxonomy.aspects[m.aspect].key.clone();
            if !seen.insert((key.clone(), m.term.clone())) {
                continue;
            }
            let e = stats.entry((key.clone(), m.term.clone())).or_default();
            if g.aspects.iter().any(|a| a.aspect == key) {
                e.0 += 1;
            } else {
                e.1 += 1;
                e.2.push(g.text.chars().take(60).collect());
            }
        }
    }
    let mut rows: Vec<_> = stats.into_iter().filter(|(_, v)| v.1 >= 2 && v.1 >= v.0).collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1.1));
    for ((key, term), (tp, fp, examples)) in rows {
        println!("{key:<20} {term:<20} right {tp:>3} wrong {fp:>3}");
        for e in examples.iter().take(3) {
            println!("      {e}");
        }
    }
}

fn main() {
    let dry = std::env::args().any(|a| a == "--dry");
    let train = read_gold("train");
    if std::env::args().any(|a| a == "--terms") {
        term_report(&train);
        return;
    }
    let dev = read_gold("dev");
    let keys: Vec<String> = Taxonomy::default().aspects.iter().map(|a| a.key.clone()).collect();
    let s = Setup { keys, bits: env_or("ASP_BITS", 16u8), prune: env_or("ASP_PRUNE", 0.0f32) };
    let set = |var: &str, default: FeatureSet| FeatureSet::from_u8(env_or(var, default as u8)).unwrap_or(default);
    let zh = train_lang(&train, &dev, ModelLang::Zh, set("ASP_ZH_SET", FeatureSet::CharNgrams), &s);
    let en = train_lang(&train, &dev, ModelLang::En, set("ASP_EN_SET", FeatureSet::Words), &s);
    println!("\n{}{}", zh.report, en.report);
    let models = AspectModels { langs: vec![zh.model, en.model] };
    end_to_end(&train, &dev, &zh.folds, &en.folds, &models);
    let bytes = models.to_bytes();
    println!("model file: {} bytes", bytes.len());
    if !dry {
        let path = PathBuf::from("crates/cxm-text/data/model/aspects.bin");
        if let Err(e) = std::fs::write(&path, &bytes) {
            eprintln!("cannot write {}: {e}", path.display());
            std::process::exit(2);
        }
        println!("wrote {}", path.display());
    }
}
