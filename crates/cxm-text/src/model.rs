//! Compact linear sentiment models over hashed features, bundled in the
//! binary. The weights are trained by `examples/train_sentiment.rs` on
//! licence-clean data (see `docs/text-analytics.md`) and stored as i16 with a
//! scale, which loses less than 1e-4 of accuracy and halves the size.
//!
//! File layout (little endian): magic `CXMLIN01`, u8 feature set, u8 bits,
//! u16 zero, f32 bias, f32 scale, then `2^bits` i16 weights; then three f32
//! of the stacker `p = σ(a·margin + b·rules + c)` fitted on held-out folds.

use crate::features::{self, FeatureSet};
use std::sync::OnceLock;

const MAGIC: &[u8; 8] = b"CXMLIN01";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelError {
    #[error("model file is truncated or has a bad header")]
    BadHeader,
    #[error("model file has unknown feature set {0}")]
    UnknownFeatureSet(u8),
    #[error("model file has {0} bits; 10 to 24 are allowed")]
    BadBits(u8),
}

/// How a model's margin and the rule score combine into a probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stacker {
    pub margin_weight: f32,
    pub rules_weight: f32,
    pub bias: f32,
}

impl Stacker {
    /// Probability of positive given the model margin and the squashed rule score.
    pub fn probability(&self, margin: f32, rules: f32) -> f32 {
        sigmoid(self.margin_weight * margin + self.rules_weight * rules + self.bias)
    }
}

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    pub features: FeatureSet,
    pub bits: u8,
    pub bias: f32,
    pub weights: Vec<f32>,
    pub stacker: Stacker,
}

impl LinearModel {
    /// The margin (log-odds of positive) of a normalized text; `buf` is scratch.
    pub fn margin(&self, norm: &str, buf: &mut Vec<u32>) -> f32 {
        features::extract(self.features, norm, self.bits, buf);
        self.margin_of(buf)
    }

    /// The margin of already-extracted buckets.
    pub fn margin_of(&self, buckets: &[u32]) -> f32 {
        if buckets.is_empty() {
            return self.bias;
        }
        let sum: f32 = buckets.iter().map(|&b| self.weights.get(b as usize).copied().unwrap_or(0.0)).sum();
        self.bias + sum / (buckets.len() as f32).sqrt()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let max = self.weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / f32::from(i16::MAX) } else { 1.0 };
        let mut out = Vec::with_capacity(24 + self.weights.len() * 2 + 12);
        out.extend_from_slice(MAGIC);
        out.push(self.features as u8);
        out.push(self.bits);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&self.bias.to_le_bytes());
        out.extend_from_slice(&scale.to_le_bytes());
        for w in &self.weights {
            out.extend_from_slice(&((w / scale).round() as i16).to_le_bytes());
        }
        for v in [self.stacker.margin_weight, self.stacker.rules_weight, self.stacker.bias] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<LinearModel, ModelError> {
        let header = bytes.get(..20).ok_or(ModelError::BadHeader)?;
        if &header[..8] != MAGIC {
            return Err(ModelError::BadHeader);
        }
        let features = FeatureSet::from_u8(header[8]).ok_or(ModelError::UnknownFeatureSet(header[8]))?;
        let bits = header[9];
        if !(10..=24).contains(&bits) {
            return Err(ModelError::BadBits(bits));
        }
        let f32_at = |b: &[u8], i: usize| -> Result<f32, ModelError> {
            let arr: [u8; 4] = b.get(i..i + 4).and_then(|s| s.try_into().ok()).ok_or(ModelError::BadHeader)?;
            Ok(f32::from_le_bytes(arr))
        };
        let bias = f32_at(bytes, 12)?;
        let scale = f32_at(bytes, 16)?;
        let n = 1usize << bits;
        let body = bytes.get(20..20 + 2 * n).ok_or(ModelError::BadHeader)?;
        let weights = body.chunks_exact(2).map(|c| f32::from(i16::from_le_bytes([c[0], c[1]])) * scale).collect();
        let tail = 20 + 2 * n;
        let stacker = Stacker {
            margin_weight: f32_at(bytes, tail)?,
            rules_weight: f32_at(bytes, tail + 4)?,
            bias: f32_at(bytes, tail + 8)?,
        };
        Ok(LinearModel { features, bits, bias, weights, stacker })
    }
}

pub(crate) static ZH_BYTES: &[u8] = include_bytes!("../data/model/zh.bin");
pub(crate) static EN_BYTES: &[u8] = include_bytes!("../data/model/en.bin");

/// The bundled Chinese model (character n-grams).
pub fn zh() -> &'static LinearModel {
    static M: OnceLock<LinearModel> = OnceLock::new();
    M.get_or_init(|| load_bundled(ZH_BYTES, FeatureSet::CharNgrams))
}

/// The bundled English model (words and character n-grams).
pub fn en() -> &'static LinearModel {
    static M: OnceLock<LinearModel> = OnceLock::new();
    M.get_or_init(|| load_bundled(EN_BYTES, FeatureSet::Words))
}

/// A bundled model is checked by tests; should it ever fail to parse, an
/// all-zero model (margin 0, rules alone decide) keeps analysis running.
fn load_bundled(bytes: &[u8], features: FeatureSet) -> LinearModel {
    LinearModel::from_bytes(bytes).unwrap_or(LinearModel {
        features,
        bits: 10,
        bias: 0.0,
        weights: vec![0.0; 1 << 10],
        stacker: Stacker { margin_weight: 0.0, rules_weight: 1.0, bias: 0.0 },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_weights_to_quantization() {
        let mut weights = vec![0.0f32; 1 << 10];
        weights[3] = 1.5;
        weights[700] = -0.25;
        let m = LinearModel {
            features: FeatureSet::Words,
            bits: 10,
            bias: 0.1,
            weights,
            stacker: Stacker { margin_weight: 1.2, rules_weight: 0.8, bias: -0.05 },
        };
        let back = LinearModel::from_bytes(&m.to_bytes()).expect("parse");
        assert_eq!(back.features, FeatureSet::Words);
        assert_eq!(back.stacker, m.stacker);
        assert!((back.weights[3] - 1.5).abs() < 1e-4);
        assert!((back.weights[700] + 0.25).abs() < 1e-4);
        assert_eq!(LinearModel::from_bytes(&m.to_bytes()[..30]), Err(ModelError::BadHeader));
    }

    #[test]
    fn bundled_models_parse() {
        assert!(LinearModel::from_bytes(ZH_BYTES).is_ok());
        assert!(LinearModel::from_bytes(EN_BYTES).is_ok());
    }
}
