//! The learned aspect polarity: per language, a three-class linear model
//! (negative, neutral, positive; one-vs-rest, the largest margin wins) that
//! reads one aspect mention and says what the customer thinks of that aspect.
//!
//! A review-trained sentiment model reads short aspect clauses poorly ("the
//! lady on the phone was polite" is no review, "a steal" is praise of a
//! price), and the customer's attitude to an aspect is often stated as a fact
//! ("催了三次才说忘下单了"). So the polarity is learned from the project's
//! aspect set, where every aspect carries the customer's polarity, over:
//! the evidence clause's n-grams (alone and per aspect), the whole text's
//! n-grams (their own namespace), the aspect, and the rule-and-model opinion
//! score of the clause (binned, alone and per aspect) — the hand-written
//! reading stays an input.
//!
//! Trained by `examples/train_polarity.rs` on `tests/data/aspects/train.jsonl`;
//! stored in the aspect model file format (`aspect_model.rs`) with the three
//! classes as keys.

use crate::aspect_model::{AspectModels, LangModel};
use crate::features::{self, FeatureSet};
use crate::types::Polarity;
use std::sync::{Arc, OnceLock};

/// The classes, in the model's column order.
pub const CLASSES: [&str; 3] = ["negative", "neutral", "positive"];

/// The buckets of one mention: `clause` is the normalized evidence clause,
/// `text_buckets` the model's features of the whole normalized text, `score`
/// the clause's opinion score in [−1, 1], `aspect` the taxonomy key.
pub fn mention_features(
    set: FeatureSet,
    bits: u8,
    clause: &str,
    text_buckets: &[u32],
    score: f32,
    aspect: &str,
    out: &mut Vec<u32>,
) {
    features::extract(set, clause, bits, out);
    // The clause's n-grams once more per aspect: "cheap" praises a price and
    // damns a product, "quick" praises a wait.
    let n = out.len();
    for i in 0..n {
        out.push(features::rebucket(out[i], aspect.as_bytes(), bits));
    }
    out.extend(text_buckets.iter().map(|&b| features::rebucket(b, b"text", bits)));
    let bin = ((score.clamp(-1.0, 1.0) * 4.0).round() as i8).to_le_bytes();
    out.push(features::named_bucket(&[b"score", &bin], bits));
    out.push(features::named_bucket(&[b"aspect", aspect.as_bytes()], bits));
    out.push(features::named_bucket(&[b"aspect score", aspect.as_bytes(), &bin], bits));
    out.sort_unstable();
    out.dedup();
}

/// The buckets of the text a mention is read in: its clauses without the
/// questions ("这件衣服质量不行，还能退吗？" does not ask about the quality;
/// a question's own aspect reads its clause).
pub fn context_features(set: FeatureSet, bits: u8, norm: &str, out: &mut Vec<u32>) {
    let clauses = crate::sentence::clauses(norm);
    let offsets: Vec<usize> = norm.char_indices().map(|(b, _)| b).chain(std::iter::once(norm.len())).collect();
    let kept: Vec<&str> = clauses
        .iter()
        .map(|r| &norm[offsets[r.start]..offsets[r.end]])
        .filter(|c| !crate::sentence::is_question(c))
        .collect();
    features::extract(set, &kept.join(""), bits, out);
}

/// The polarity and a score in [−1, 1] (P(positive) − P(negative), each
/// class's probability from its one-vs-rest margin, normalized).
pub fn predict(model: &LangModel, buckets: &[u32], margins: &mut Vec<f32>) -> (Polarity, f32) {
    model.margins_of(buckets, margins);
    decide(margins)
}

/// The decision on the three classes' margins: the largest margin wins
/// (ties and a short slice: neutral); the score as in [`predict`].
pub fn decide(margins: &[f32]) -> (Polarity, f32) {
    let [neg, neu, pos] = match margins {
        [a, b, c, ..] => [*a, *b, *c],
        _ => return (Polarity::Neutral, 0.0),
    };
    let best = if neg > neu && neg >= pos {
        Polarity::Negative
    } else if pos > neu && pos > neg {
        Polarity::Positive
    } else {
        Polarity::Neutral
    };
    let (pn, pu, pp) = (crate::model::sigmoid(neg), crate::model::sigmoid(neu), crate::model::sigmoid(pos));
    let sum = pn + pu + pp;
    let score = if sum > 0.0 { (pp - pn) / sum } else { 0.0 };
    (best, score.clamp(-1.0, 1.0))
}

/// Whether `models` is a polarity model set (its languages have the three classes as keys).
pub fn is_polarity_models(models: &AspectModels) -> bool {
    !models.langs.is_empty() && models.langs.iter().all(|m| m.keys.iter().map(String::as_str).eq(CLASSES))
}

pub(crate) static BUNDLED_BYTES: &[u8] = include_bytes!("../data/model/aspect_polarity.bin");

/// The polarity models built into the binary (`None` if the file is unusable,
/// which the tests rule out: the rule-based reading is then used).
pub fn bundled() -> Option<Arc<AspectModels>> {
    static M: OnceLock<Option<Arc<AspectModels>>> = OnceLock::new();
    M.get_or_init(|| AspectModels::from_bytes(BUNDLED_BYTES).ok().filter(is_polarity_models).map(Arc::new)).clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Lang;

    #[test]
    fn bundled_models_load_and_cover_both_languages() {
        let m = bundled().expect("bundled polarity models load");
        assert!(m.for_lang(Lang::Zh).is_some());
        assert!(m.for_lang(Lang::En).is_some());
    }

    #[test]
    fn features_depend_on_clause_text_score_and_aspect() {
        let m = bundled().expect("bundled polarity models load");
        let model = m.for_lang(Lang::En).expect("en");
        let mut text = Vec::new();
        features::extract(model.features, "the staff were polite", model.bits, &mut text);
        let mut a = Vec::new();
        let mut b = Vec::new();
        let (set, bits) = (model.features, model.bits);
        mention_features(set, bits, "the staff were polite", &text, 0.5, "staff_attitude", &mut a);
        mention_features(set, bits, "the staff were polite", &text, -0.5, "staff_attitude", &mut b);
        assert_ne!(a, b, "the score bin is a feature");
        mention_features(set, bits, "the staff were polite", &text, 0.5, "price", &mut b);
        assert_ne!(a, b, "the aspect is a feature");
        assert!(a.windows(2).all(|w| w[0] < w[1]), "sorted and unique");
    }
}
