//! Evaluation of the analyzer against labelled data: sentiment confusion
//! matrices and per-aspect precision/recall. Used by `cxm bench text` and the
//! tuning examples; pure (callers read the files).

use crate::analyzer::TextAnalyzer;
use crate::corpus::{Confusion, Labelled};
use crate::types::{LangHint, Polarity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Sentiment on binary-labelled texts: positive when the score is ≥ 0 (the
/// same cut as a probability ≥ 0.5); `neutral` counts texts inside the
/// neutral band, which a three-way label would call neutral.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SentimentEval {
    pub confusion: Confusion,
    pub neutral: u64,
    pub errors: u64,
}

pub fn sentiment(analyzer: &TextAnalyzer, rows: &[&Labelled], hint: LangHint) -> SentimentEval {
    let mut out = SentimentEval::default();
    for row in rows {
        match analyzer.analyze(&row.text, hint) {
            Ok(a) => {
                out.confusion.add(row.positive, a.sentiment.score >= 0.0);
                if a.sentiment.label == Polarity::Neutral {
                    out.neutral += 1;
                }
            }
            Err(_) => out.errors += 1,
        }
    }
    out
}

/// One gold aspect label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldAspect {
    pub aspect: String,
    pub polarity: Polarity,
}

/// A hand-labelled text of the aspect set (`tests/data/aspects/*.jsonl`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldText {
    pub id: String,
    pub lang: String,
    pub domain: String,
    pub text: String,
    pub aspects: Vec<GoldAspect>,
}

/// Parses JSON lines; names the line of the first bad one.
pub fn parse_gold(jsonl: &str) -> Result<Vec<GoldText>, String> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}

/// Counts of one aspect (or of all, micro-averaged).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct PrCounts {
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
}

impl PrCounts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Aspect detection (is the aspect there?) and, where both found it, whether
/// the polarity agrees; `with_polarity` counts a pair only when both agree.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AspectEval {
    pub per_aspect: BTreeMap<String, PrCounts>,
    pub detection: PrCounts,
    pub with_polarity: PrCounts,
    pub polarity_agree: u64,
    pub polarity_total: u64,
}

pub fn aspects(analyzer: &TextAnalyzer, gold: &[GoldText]) -> AspectEval {
    let mut out = AspectEval::default();
    for g in gold {
        let found: Vec<(String, Polarity)> = analyzer
            .analyze(&g.text, LangHint::Auto)
            .map(|a| a.aspects.into_iter().map(|m| (m.aspect, m.polarity)).collect())
            .unwrap_or_default();
        for ga in &g.aspects {
            let entry = out.per_aspect.entry(ga.aspect.clone()).or_default();
            match found.iter().find(|(k, _)| *k == ga.aspect) {
                Some((_, p)) => {
                    entry.tp += 1;
                    out.detection.tp += 1;
                    out.polarity_total += 1;
                    if *p == ga.polarity {
                        out.polarity_agree += 1;
                        out.with_polarity.tp += 1;
                    } else {
                        out.with_polarity.fp += 1;
                        out.with_polarity.fn_ += 1;
                    }
                }
                None => {
                    entry.fn_ += 1;
                    out.detection.fn_ += 1;
                    out.with_polarity.fn_ += 1;
                }
            }
        }
        for (k, _) in &found {
            if !g.aspects.iter().any(|ga| &ga.aspect == k) {
                out.per_aspect.entry(k.clone()).or_default().fp += 1;
                out.detection.fp += 1;
                out.with_polarity.fp += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_precision_recall_f1() {
        let c = PrCounts { tp: 8, fp: 2, fn_: 4 };
        assert!((c.precision() - 0.8).abs() < 1e-12);
        assert!((c.recall() - 8.0 / 12.0).abs() < 1e-12);
        assert!((c.f1() - 16.0 / 22.0).abs() < 1e-12);
        assert_eq!(PrCounts::default().f1(), 0.0);
    }

    #[test]
    fn gold_parses_and_names_bad_lines() {
        let ok = r#"{"id":"a","lang":"zh","domain":"x","text":"物流慢","aspects":[{"aspect":"delivery","polarity":"negative"}]}"#;
        assert_eq!(parse_gold(ok).expect("parse")[0].aspects[0].polarity, Polarity::Negative);
        let bad = format!("{ok}\n{{\"id\":1}}");
        assert!(parse_gold(&bad).unwrap_err().starts_with("line 2"));
    }
}
