//! The learned aspect detector: per language, one logistic (one-vs-rest)
//! model per built-in aspect key, over the same hashed features as the
//! sentiment models (`features.rs`). It catches implicit mentions that no
//! term names ("等到花儿都谢了", "nobody picked up for 40 minutes").
//!
//! The model reads the whole text (as it was trained: labels are per text).
//! An aspect is reported when a term names it and the model does not veto it
//! (probability below the aspect's veto, which only the clearest term false
//! positives reach: "把地拖了" is not a wait), or when its probability reaches
//! the aspect's threshold. A model-only mention's evidence is the clause whose
//! features add most to that aspect's score. Only aspects whose key is in the
//! analyzer's taxonomy are scored, so a workspace that deletes an aspect
//! never sees it, and custom aspects stay term-only.
//!
//! Trained by `examples/train_aspects.rs` on the project's own Apache-2.0
//! aspect set (`tests/data/aspects/train.jsonl`). File layout (little endian):
//! magic `CXMASP`, u16 format version, u8 language count; per language: u8
//! language (1 zh, 2 en), u8 feature set, u8 bits, u8 aspect count; per
//! aspect: u8 key length, key, f32 bias, f32 probability threshold, f32
//! veto probability (0: none); then f32
//! scale, u32 row count, the rows' buckets (u32, strictly increasing) and
//! their weights (i16 × scale, one per aspect, row-major); last, the
//! FNV-1a-64 of every byte before it. Only buckets with a weight that
//! matters are stored (sparse), so the file stays small.

use crate::features::{self, FeatureSet};
use crate::types::Lang;
use std::sync::{Arc, OnceLock};

const MAGIC: &[u8; 6] = b"CXMASP";

/// The format this build reads and writes.
pub const FORMAT_VERSION: u16 = 1;

/// `AspectMention::term` of a mention that only the model found.
pub const MODEL_TERM: &str = "~model";

/// Most aspects one language model may hold (the file's u8 and sanity).
const MAX_ASPECTS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AspectModelError {
    #[error("aspect model file is truncated")]
    Truncated,
    #[error("not an aspect model file")]
    BadMagic,
    #[error("aspect model format version {0}; this build reads version {FORMAT_VERSION}")]
    Version(u16),
    #[error("aspect model file is corrupt (checksum mismatch)")]
    Checksum,
    #[error("aspect model file is invalid: {0}")]
    Invalid(&'static str),
}

/// Which texts a language model reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelLang {
    /// Simplified, traditional and mixed Chinese.
    Zh = 1,
    En = 2,
}

impl ModelLang {
    pub fn of(lang: Lang) -> Option<ModelLang> {
        match lang {
            Lang::Zh | Lang::ZhHant | Lang::Mixed => Some(ModelLang::Zh),
            Lang::En => Some(ModelLang::En),
            Lang::Undetermined => None,
        }
    }

    fn from_u8(v: u8) -> Option<ModelLang> {
        match v {
            1 => Some(ModelLang::Zh),
            2 => Some(ModelLang::En),
            _ => None,
        }
    }
}

/// The aspect models of one language.
#[derive(Debug, Clone, PartialEq)]
pub struct LangModel {
    pub lang: ModelLang,
    pub features: FeatureSet,
    pub bits: u8,
    /// Aspect keys, one per column.
    pub keys: Vec<String>,
    pub bias: Vec<f32>,
    /// Probability a text must reach for a model-only mention.
    pub threshold: Vec<f32>,
    /// Below this probability a term match is dropped (0: never).
    pub veto: Vec<f32>,
    /// Sorted buckets that carry weights, and their rows (`keys.len()` each).
    buckets: Vec<u32>,
    /// Quantized weights (× `scale`): half the memory of f32, so more stays in cache.
    weights: Vec<i16>,
    scale: f32,
    /// `slot[bucket]` = row + 1, 0 when the bucket has no row (built on load:
    /// one array read per feature instead of a search).
    slot: Vec<u32>,
    /// The thresholds and vetoes as margins (log-odds), to compare without `exp`.
    margin_threshold: Vec<f32>,
    margin_veto: Vec<f32>,
}

impl LangModel {
    /// Builds a model from rows `(bucket, weights per aspect)`; rows may come in any order.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        lang: ModelLang,
        features: FeatureSet,
        bits: u8,
        keys: Vec<String>,
        bias: Vec<f32>,
        threshold: Vec<f32>,
        veto: Vec<f32>,
        mut rows: Vec<(u32, Vec<f32>)>,
    ) -> Result<LangModel, AspectModelError> {
        rows.sort_by_key(|r| r.0);
        let k = keys.len();
        if rows.iter().any(|r| r.1.len() != k) {
            return Err(AspectModelError::Invalid("a row's width differs from the aspect count"));
        }
        if rows.iter().flat_map(|r| &r.1).any(|w| !w.is_finite()) {
            return Err(AspectModelError::Invalid("weights"));
        }
        let max = rows.iter().flat_map(|r| &r.1).fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / f32::from(i16::MAX) } else { 1.0 };
        let buckets = rows.iter().map(|r| r.0).collect();
        let weights = rows.into_iter().flat_map(|r| r.1).map(|w| (w / scale).round() as i16).collect();
        LangModel::assemble(lang, features, bits, keys, bias, threshold, veto, buckets, weights, scale)
    }

    #[allow(clippy::too_many_arguments)]
    fn assemble(
        lang: ModelLang,
        features: FeatureSet,
        bits: u8,
        keys: Vec<String>,
        bias: Vec<f32>,
        threshold: Vec<f32>,
        veto: Vec<f32>,
        buckets: Vec<u32>,
        weights: Vec<i16>,
        scale: f32,
    ) -> Result<LangModel, AspectModelError> {
        use AspectModelError::Invalid;
        if !(10..=20).contains(&bits) {
            return Err(Invalid("bits must be 10 to 20"));
        }
        let k = keys.len();
        if k == 0 || k > MAX_ASPECTS || bias.len() != k || threshold.len() != k || veto.len() != k {
            return Err(Invalid("aspect count"));
        }
        if keys.iter().any(|key| {
            key.is_empty()
                || key.len() > 40
                || !key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }) {
            return Err(Invalid("aspect key"));
        }
        if bias.iter().any(|b| !b.is_finite())
            || threshold.iter().any(|t| !(t.is_finite() && *t > 0.0 && *t < 1.0))
            || veto.iter().any(|v| !(v.is_finite() && *v >= 0.0 && *v < 1.0))
        {
            return Err(Invalid("bias, threshold or veto out of range"));
        }
        if weights.len() != buckets.len() * k {
            return Err(Invalid("weights"));
        }
        if !(scale.is_finite() && scale > 0.0) {
            return Err(Invalid("scale"));
        }
        let size = 1usize << bits;
        if buckets.windows(2).any(|w| w[0] >= w[1]) || buckets.last().is_some_and(|&b| b as usize >= size) {
            return Err(Invalid("buckets must be increasing and inside the hash space"));
        }
        let mut slot = vec![0u32; size];
        for (row, &b) in buckets.iter().enumerate() {
            slot[b as usize] = row as u32 + 1;
        }
        let logit = |p: f32| if p > 0.0 { (p / (1.0 - p)).ln() } else { f32::NEG_INFINITY };
        let margin_threshold = threshold.iter().map(|&p| logit(p)).collect();
        let margin_veto = veto.iter().map(|&p| logit(p)).collect();
        Ok(LangModel {
            lang,
            features,
            bits,
            keys,
            bias,
            threshold,
            veto,
            buckets,
            weights,
            scale,
            slot,
            margin_threshold,
            margin_veto,
        })
    }

    /// Rows stored (buckets with a weight).
    pub fn rows(&self) -> usize {
        self.buckets.len()
    }

    /// Each aspect's margin (log-odds) for already-extracted buckets of one
    /// span (sorted, distinct, as `features::extract` gives them).
    pub fn margins_of(&self, buckets: &[u32], out: &mut Vec<f32>) {
        self.contributions(buckets, out);
        // Binary features, L2-normalized as in training: each counts 1/√nnz.
        let v = self.scale / (buckets.len().max(1) as f32).sqrt();
        out.iter_mut().zip(&self.bias).for_each(|(o, b)| *o = b + *o * v);
    }

    /// Each aspect's margin for a normalized span; `buf` is scratch.
    pub fn margins(&self, norm: &str, buf: &mut Vec<u32>, out: &mut Vec<f32>) {
        features::extract(self.features, norm, self.bits, buf);
        self.margins_of(buf, out);
    }

    /// Whether `margin` reaches aspect column `k`'s threshold.
    pub fn fires(&self, k: usize, margin: f32) -> bool {
        self.margin_threshold.get(k).is_some_and(|&t| margin >= t)
    }

    /// Whether `margin` is below aspect column `k`'s veto (a term match is dropped).
    pub fn vetoes(&self, k: usize, margin: f32) -> bool {
        self.margin_veto.get(k).is_some_and(|&t| margin < t)
    }

    /// Each aspect's sum of (quantized) weights over `buckets`, no bias and
    /// no norm: which clause adds most to an aspect's score.
    fn contributions(&self, buckets: &[u32], out: &mut Vec<f32>) {
        out.clear();
        out.resize(self.keys.len(), 0.0);
        let k = self.keys.len();
        for &b in buckets {
            let row = self.slot.get(b as usize).copied().unwrap_or(0) as usize;
            if let Some(w) = row.checked_sub(1).and_then(|r| self.weights.get(r * k..(r + 1) * k)) {
                out.iter_mut().zip(w).for_each(|(o, &w)| *o += f32::from(w));
            }
        }
    }

    fn write(&self, out: &mut Vec<u8>) {
        out.push(self.lang as u8);
        out.push(self.features as u8);
        out.push(self.bits);
        out.push(self.keys.len() as u8);
        for (i, key) in self.keys.iter().enumerate() {
            out.push(key.len() as u8);
            out.extend_from_slice(key.as_bytes());
            for v in [self.bias[i], self.threshold[i], self.veto[i]] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out.extend_from_slice(&self.scale.to_le_bytes());
        out.extend_from_slice(&(self.buckets.len() as u32).to_le_bytes());
        for b in &self.buckets {
            out.extend_from_slice(&b.to_le_bytes());
        }
        for w in &self.weights {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }

    fn read(r: &mut Reader<'_>) -> Result<LangModel, AspectModelError> {
        let lang = ModelLang::from_u8(r.u8()?).ok_or(AspectModelError::Invalid("language"))?;
        let set = r.u8()?;
        let features = FeatureSet::from_u8(set).ok_or(AspectModelError::Invalid("feature set"))?;
        let bits = r.u8()?;
        let k = usize::from(r.u8()?);
        let (mut keys, mut bias, mut threshold, mut veto) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..k {
            let n = usize::from(r.u8()?);
            let key = std::str::from_utf8(r.take(n)?).map_err(|_| AspectModelError::Invalid("aspect key"))?;
            keys.push(key.to_string());
            bias.push(r.f32()?);
            threshold.push(r.f32()?);
            veto.push(r.f32()?);
        }
        let scale = r.f32()?;
        let rows = r.u32()? as usize;
        if rows > 1 << 20 {
            return Err(AspectModelError::Invalid("row count"));
        }
        let buckets = r.take(rows * 4)?.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        let weights = r.take(rows * k * 2)?.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]])).collect();
        LangModel::assemble(lang, features, bits, keys, bias, threshold, veto, buckets, weights, scale)
    }
}

/// The aspect models of every language the file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct AspectModels {
    pub langs: Vec<LangModel>,
}

/// A bounds-checked reader: every read past the end is an error, never a panic.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], AspectModelError> {
        let end = self.at.checked_add(n).ok_or(AspectModelError::Truncated)?;
        let s = self.bytes.get(self.at..end).ok_or(AspectModelError::Truncated)?;
        self.at = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, AspectModelError> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, AspectModelError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn f32(&mut self) -> Result<f32, AspectModelError> {
        Ok(f32::from_bits(self.u32()?))
    }
}

impl AspectModels {
    /// The model that reads texts in `lang`.
    pub fn for_lang(&self, lang: Lang) -> Option<&LangModel> {
        let want = ModelLang::of(lang)?;
        self.langs.iter().find(|m| m.lang == want)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.push(self.langs.len() as u8);
        for m in &self.langs {
            m.write(&mut out);
        }
        let sum = features::fnv1a64(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    /// Parses a model file; any damage is an error, never a panic.
    pub fn from_bytes(bytes: &[u8]) -> Result<AspectModels, AspectModelError> {
        if bytes.len() < MAGIC.len() + 2 + 1 + 8 {
            return Err(if bytes.starts_with(MAGIC) || MAGIC.starts_with(bytes) {
                AspectModelError::Truncated
            } else {
                AspectModelError::BadMagic
            });
        }
        if &bytes[..MAGIC.len()] != MAGIC {
            return Err(AspectModelError::BadMagic);
        }
        let version = u16::from_le_bytes([bytes[6], bytes[7]]);
        if version != FORMAT_VERSION {
            return Err(AspectModelError::Version(version));
        }
        let (body, sum) = bytes.split_at(bytes.len() - 8);
        let sum = u64::from_le_bytes(sum.try_into().map_err(|_| AspectModelError::Truncated)?);
        if features::fnv1a64(body) != sum {
            return Err(AspectModelError::Checksum);
        }
        let mut r = Reader { bytes: body, at: 8 };
        let n = r.u8()?;
        let mut langs: Vec<LangModel> = Vec::new();
        for _ in 0..n {
            let m = LangModel::read(&mut r)?;
            if langs.iter().any(|o| o.lang == m.lang) {
                return Err(AspectModelError::Invalid("a language appears twice"));
            }
            langs.push(m);
        }
        if r.at != body.len() {
            return Err(AspectModelError::Invalid("trailing bytes"));
        }
        Ok(AspectModels { langs })
    }
}

pub(crate) static BUNDLED_BYTES: &[u8] = include_bytes!("../data/model/aspects.bin");

/// The bundled models, parsed once. A test checks that they parse; should
/// they ever fail to, aspects fall back to the terms alone (`None`).
pub fn bundled() -> Option<Arc<AspectModels>> {
    static M: OnceLock<Option<Arc<AspectModels>>> = OnceLock::new();
    M.get_or_init(|| AspectModels::from_bytes(BUNDLED_BYTES).ok().map(Arc::new)).clone()
}

/// The models bound to one taxonomy: for each language model, which
/// taxonomy aspect each column feeds (`None`: the taxonomy lacks that key).
#[derive(Debug, Clone)]
pub struct AspectDetector {
    models: Arc<AspectModels>,
    columns: Vec<Vec<Option<usize>>>,
}

/// The model's view of one covered aspect in one text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    /// Index of the aspect in the taxonomy.
    pub aspect: usize,
    pub probability: f32,
    /// The probability reaches the threshold: a mention even without a term.
    pub fires: bool,
    /// The probability is below the veto: a term match is dropped.
    pub vetoes: bool,
    column: usize,
}

/// Scratch buffers of one analysis (reused across clauses).
#[derive(Debug, Default)]
pub struct Scratch {
    buckets: Vec<u32>,
    margins: Vec<f32>,
}

impl AspectDetector {
    /// Binds `models` to the aspect keys of a taxonomy.
    pub fn new(models: Arc<AspectModels>, keys: &[&str]) -> AspectDetector {
        let columns =
            models.langs.iter().map(|m| m.keys.iter().map(|k| keys.iter().position(|t| t == k)).collect()).collect();
        AspectDetector { models, columns }
    }

    /// Whether any column feeds an aspect of the taxonomy.
    pub fn is_active(&self) -> bool {
        self.columns.iter().flatten().any(Option::is_some)
    }

    fn lang_model(&self, lang: Lang) -> Option<(&LangModel, &[Option<usize>])> {
        let want = ModelLang::of(lang)?;
        let li = self.models.langs.iter().position(|m| m.lang == want)?;
        Some((&self.models.langs[li], &self.columns[li]))
    }

    /// The verdict on every taxonomy aspect the model covers, for a whole
    /// normalized text in `lang` (none for an undetermined language).
    pub fn score(&self, lang: Lang, norm: &str, scratch: &mut Scratch) -> Vec<Verdict> {
        let Some((model, columns)) = self.lang_model(lang) else { return Vec::new() };
        if columns.iter().all(Option::is_none) {
            return Vec::new();
        }
        model.margins(norm, &mut scratch.buckets, &mut scratch.margins);
        columns
            .iter()
            .zip(&scratch.margins)
            .enumerate()
            .filter_map(|(column, (aspect, &m))| {
                Some(Verdict {
                    aspect: (*aspect)?,
                    probability: crate::model::sigmoid(m),
                    fires: model.fires(column, m),
                    vetoes: model.vetoes(column, m),
                    column,
                })
            })
            .collect()
    }

    /// For each verdict, the clause (index into `clauses`, normalized text)
    /// whose features add most to its aspect's score: a model-only mention's
    /// evidence.
    pub fn evidence<'a>(
        &self,
        lang: Lang,
        verdicts: &[Verdict],
        clauses: impl IntoIterator<Item = &'a str>,
        scratch: &mut Scratch,
    ) -> Vec<usize> {
        let mut best = vec![(0usize, f32::NEG_INFINITY); verdicts.len()];
        let Some((model, _)) = self.lang_model(lang) else { return vec![0; verdicts.len()] };
        for (ci, clause) in clauses.into_iter().enumerate() {
            features::extract(model.features, clause, model.bits, &mut scratch.buckets);
            model.contributions(&scratch.buckets, &mut scratch.margins);
            for (b, v) in best.iter_mut().zip(verdicts) {
                let c = scratch.margins.get(v.column).copied().unwrap_or(0.0);
                if c > b.1 {
                    *b = (ci, c);
                }
            }
        }
        best.into_iter().map(|b| b.0).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> AspectModels {
        let mut buf = Vec::new();
        features::extract(FeatureSet::Words, "slow", 12, &mut buf);
        let rows = buf.iter().map(|&b| (b, vec![9.0, -1.0])).collect();
        let en = LangModel::new(
            ModelLang::En,
            FeatureSet::Words,
            12,
            vec!["wait_time".into(), "price".into()],
            vec![-2.0, -1.0],
            vec![0.5, 0.6],
            vec![0.0, 0.2],
            rows,
        )
        .expect("model");
        AspectModels { langs: vec![en] }
    }

    #[test]
    fn round_trip_and_scores() {
        let m = toy();
        let back = AspectModels::from_bytes(&m.to_bytes()).expect("parse");
        assert_eq!(back.langs.len(), 1);
        assert_eq!(back.langs[0].keys, m.langs[0].keys);
        assert_eq!(back.langs[0].veto, vec![0.0, 0.2]);
        let d = AspectDetector::new(Arc::new(back), &["price", "wait_time", "custom"]);
        let mut s = Scratch::default();
        let v = d.score(Lang::En, "great staff, so slow", &mut s);
        assert_eq!(v.len(), 2);
        let wait = v.iter().find(|x| x.aspect == 1).expect("wait_time");
        assert!(wait.fires && !wait.vetoes);
        let price = v.iter().find(|x| x.aspect == 0).expect("price");
        assert!(!price.fires && price.vetoes, "{price:?}");
        assert_eq!(d.evidence(Lang::En, &[*wait], ["great staff", "so slow"], &mut s), vec![1]);
        assert!(d.score(Lang::Zh, "很慢", &mut s).is_empty(), "no zh model");
        assert!(d.score(Lang::Undetermined, "slow", &mut s).is_empty());
        // A taxonomy without the key never sees it.
        let d = AspectDetector::new(Arc::new(m), &["price"]);
        assert!(d.score(Lang::En, "so slow", &mut s).iter().all(|x| x.aspect == 0));
    }

    #[test]
    fn damage_is_an_error() {
        let bytes = toy().to_bytes();
        assert_eq!(AspectModels::from_bytes(&[]), Err(AspectModelError::Truncated));
        assert_eq!(AspectModels::from_bytes(b"not a model at all"), Err(AspectModelError::BadMagic));
        assert_eq!(AspectModels::from_bytes(&bytes[..bytes.len() - 3]), Err(AspectModelError::Checksum));
        let mut v2 = bytes.clone();
        v2[6] = 2;
        assert_eq!(AspectModels::from_bytes(&v2), Err(AspectModelError::Version(2)));
        for i in 8..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x5a;
            assert!(AspectModels::from_bytes(&bad).is_err(), "flipped byte {i}");
            assert!(AspectModels::from_bytes(&bytes[..i]).is_err(), "cut at {i}");
        }
    }
}
