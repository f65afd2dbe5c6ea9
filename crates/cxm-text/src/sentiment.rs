//! Sentiment of a span of text: the learned model's margin and the rule
//! score (negation, degree, contrast, emoji) combined by the stacker that
//! was fitted with the model (`model.rs`).

use crate::model::{self, LinearModel};
use crate::rules;
use crate::types::{Lang, Polarity, Sentiment};

/// Scores within this distance of 0 are neutral (p between 0.4 and 0.6).
pub const NEUTRAL_BAND: f32 = 0.2;

/// The rule score squashed into (−1, 1): the stacker's second input.
pub fn squash(rule_score: f32) -> f32 {
    rule_score.tanh()
}

/// The model that reads `lang`; `None` where only rules apply.
pub fn model_for(lang: Lang) -> Option<&'static LinearModel> {
    match lang {
        Lang::Zh | Lang::ZhHant | Lang::Mixed => Some(model::zh()),
        Lang::En => Some(model::en()),
        Lang::Undetermined => None,
    }
}

/// Evidence about one span: model margin and rule score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    pub margin: f32,
    pub rules: f32,
    pub rule_hits: u32,
}

/// Gathers the evidence of `norm` (normalized text) for `lang`.
pub fn evidence(norm: &str, lang: Lang, buf: &mut Vec<u32>) -> Evidence {
    let r = rules::score(norm);
    let margin = model_for(lang).map_or(0.0, |m| m.margin(norm, buf));
    Evidence { margin, rules: r.score, rule_hits: r.hits }
}

/// Probability of positive.
pub fn probability(e: &Evidence, lang: Lang) -> f32 {
    match model_for(lang) {
        Some(m) => m.stacker.probability(e.margin, squash(e.rules)),
        // No model for the language: the rules alone, on the same scale.
        None => model::sigmoid(2.0 * squash(e.rules)),
    }
}

/// Label and score in [−1, 1] from a probability.
pub fn from_probability(p: f32) -> Sentiment {
    let score = (2.0 * p - 1.0).clamp(-1.0, 1.0);
    Sentiment { label: label(score), score }
}

pub fn label(score: f32) -> Polarity {
    if score >= NEUTRAL_BAND {
        Polarity::Positive
    } else if score <= -NEUTRAL_BAND {
        Polarity::Negative
    } else {
        Polarity::Neutral
    }
}

/// A text with nothing to go on (no letters, no emoji, no rule hit) is neutral.
pub fn neutral() -> Sentiment {
    Sentiment { label: Polarity::Neutral, score: 0.0 }
}
