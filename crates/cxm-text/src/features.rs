//! Hashed features for the linear sentiment models. The trainer
//! (`train.rs`) and the analyzer use this one extractor, so a model always
//! sees the features it was trained on.
//!
//! Features are FNV-1a-64 hashes folded into `2^bits` buckets; a text's
//! vector is binary (each bucket once) and L2-normalized, so its value per
//! present bucket is `1/√nnz`.

use serde::{Deserialize, Serialize};

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

#[inline]
fn fnv_bytes(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

#[inline]
fn fnv_char(h: u64, c: char) -> u64 {
    let mut buf = [0u8; 4];
    fnv_bytes(h, c.encode_utf8(&mut buf).as_bytes())
}

/// FNV-1a-64 of `bytes` (also the documented data split: bucket = hash mod 10).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    fnv_bytes(FNV_OFFSET, bytes)
}

/// Which features a model reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeatureSet {
    /// Character 1-, 2- and 3-grams (Chinese: no segmentation errors to inherit).
    CharNgrams = 1,
    /// Word 1- and 2-grams, negation-scoped words, and character 3–5-grams
    /// inside word boundaries (English).
    Words = 2,
    /// Character 1–3-grams plus jieba word 1- and 2-grams (Chinese).
    CharsAndWords = 3,
    /// `CharsAndWords`, plus the character 1–2-grams after the last contrast
    /// connective (但是, 可是, 不过 …) once more in their own namespace, so
    /// the model can learn that the later clause dominates.
    CharsWordsContrast = 4,
}

impl FeatureSet {
    pub fn from_u8(v: u8) -> Option<FeatureSet> {
        match v {
            1 => Some(FeatureSet::CharNgrams),
            2 => Some(FeatureSet::Words),
            3 => Some(FeatureSet::CharsAndWords),
            4 => Some(FeatureSet::CharsWordsContrast),
            _ => None,
        }
    }
}

/// Appends the sorted, de-duplicated buckets of `norm` (normalized text) to `out`.
pub fn extract(set: FeatureSet, norm: &str, bits: u8, out: &mut Vec<u32>) {
    out.clear();
    let mask = (1u64 << bits) - 1;
    match set {
        FeatureSet::CharNgrams => char_ngrams(norm, mask, out, false),
        FeatureSet::Words => words(norm, mask, out),
        FeatureSet::CharsAndWords => {
            char_ngrams(norm, mask, out, false);
            segmented_words(norm, mask, out);
        }
        FeatureSet::CharsWordsContrast => {
            char_ngrams(norm, mask, out, true);
            segmented_words(norm, mask, out);
        }
    }
    out.sort_unstable();
    out.dedup();
}

/// The bucket of a feature named by `parts` (e.g. an aspect key and a score
/// bin), for models that add their own features to the extracted ones.
pub fn named_bucket(parts: &[&[u8]], bits: u8) -> u32 {
    let h = parts.iter().fold(FNV_OFFSET, |h, p| fnv_bytes(fnv_bytes(h, p), &[0x1f]));
    bucket(h, (1u64 << bits) - 1)
}

/// Moves an extracted bucket into namespace `ns`, so the same n-gram read
/// from two places (a clause, the whole text) gets two weights.
pub fn rebucket(b: u32, ns: &[u8], bits: u8) -> u32 {
    let h = fnv_bytes(fnv_bytes(FNV_OFFSET, ns), &b.to_le_bytes());
    bucket(h, (1u64 << bits) - 1)
}

/// Folds a 64-bit hash into a bucket (xor-fold keeps the high bits' entropy).
#[inline]
fn bucket(h: u64, mask: u64) -> u32 {
    ((h ^ (h >> 32)) & mask) as u32
}

/// Connectives after which the clause carries the text's opinion.
const ZH_CONTRAST: &[&str] = &["但是", "可是", "不过", "然而", "只是", "就是", "但", "却"];

/// Char index just after the last contrast connective (0 when there is none);
/// 不但 ("not only") is not a contrast.
fn after_last_contrast(chars: &[char]) -> usize {
    let mut at = 0;
    for i in 0..chars.len() {
        for w in ZH_CONTRAST {
            let n = w.chars().count();
            if chars[i..].len() >= n
                && w.chars().zip(&chars[i..]).all(|(a, b)| a == *b)
                && !(*w == "但" && i > 0 && chars[i - 1] == '不')
            {
                at = at.max(i + n);
            }
        }
    }
    at
}

fn char_ngrams(norm: &str, mask: u64, out: &mut Vec<u32>, contrast: bool) {
    // White space runs count as one space; they separate words in mixed text.
    let mut chars: Vec<char> = Vec::with_capacity(norm.len());
    for c in norm.chars() {
        if c.is_whitespace() {
            if chars.last().is_some_and(|&p| p != ' ') {
                chars.push(' ');
            }
        } else {
            chars.push(c);
        }
    }
    let seed = fnv_bytes(FNV_OFFSET, b"z");
    for i in 0..chars.len() {
        let mut h = seed;
        for &c in chars[i..].iter().take(3) {
            h = fnv_char(h, c);
            out.push(bucket(h, mask));
        }
    }
    let from = if contrast { after_last_contrast(&chars) } else { 0 };
    if from > 0 {
        let seed = fnv_bytes(FNV_OFFSET, b"Z");
        for i in from..chars.len() {
            let mut h = seed;
            for &c in chars[i..].iter().take(2) {
                h = fnv_char(h, c);
                out.push(bucket(h, mask));
            }
        }
    }
}

/// Word 1- and 2-grams from the default segmenter (never a workspace's:
/// the model's features must not change with a workspace dictionary).
fn segmented_words(norm: &str, mask: u64, out: &mut Vec<u32>) {
    let (uni, bi) = (fnv_bytes(FNV_OFFSET, b"W"), fnv_bytes(FNV_OFFSET, b"B"));
    let seg = crate::segment::Segmenter::default();
    let mut prev: Option<&str> = None;
    for w in seg.words(norm) {
        if w.text.chars().all(|c| !c.is_alphanumeric()) {
            prev = None;
            continue;
        }
        out.push(bucket(fnv_bytes(uni, w.text.as_bytes()), mask));
        if let Some(p) = prev {
            out.push(bucket(fnv_bytes(fnv_bytes(fnv_bytes(bi, p.as_bytes()), b" "), w.text.as_bytes()), mask));
        }
        prev = Some(w.text);
    }
}

const NEGATORS: &[&str] = &[
    "not", "no", "never", "cannot", "cant", "nothing", "nobody", "none", "neither", "nor", "without", "hardly",
    "barely", "dont", "didnt", "doesnt", "isnt", "wasnt", "arent", "werent", "wont", "wouldnt", "couldnt", "shouldnt",
    "havent", "hasnt", "hadnt", "aint",
];

/// Tokens for the word features: runs of letters/digits (apostrophes dropped,
/// so "don't" → "dont"), plus `!` and `?`, plus each emoji or other symbol.
/// Clause punctuation comes back as `None` (it ends a negation scope).
fn tokens(norm: &str) -> Vec<Option<String>> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in norm.chars() {
        if c.is_alphanumeric() {
            cur.push(c);
            continue;
        }
        if c == '\'' || c == '’' {
            continue;
        }
        if !cur.is_empty() {
            out.push(Some(std::mem::take(&mut cur)));
        }
        match c {
            '!' | '?' => {
                out.push(Some(c.to_string()));
                out.push(None);
            }
            '.' | ',' | ';' | ':' | '(' | ')' | '"' | '，' | '。' | '；' | '：' => out.push(None),
            c if c.is_whitespace() || c == '-' || c == '/' || c == '*' || c == '#' || c == '&' => {}
            c => out.push(Some(c.to_string())),
        }
    }
    if !cur.is_empty() {
        out.push(Some(cur));
    }
    out
}

fn words(norm: &str, mask: u64, out: &mut Vec<u32>) {
    let toks = tokens(norm);
    let (uni, bi, neg, gram) = (
        fnv_bytes(FNV_OFFSET, b"w"),
        fnv_bytes(FNV_OFFSET, b"b"),
        fnv_bytes(FNV_OFFSET, b"n"),
        fnv_bytes(FNV_OFFSET, b"c"),
    );
    let mut negated = false;
    let mut prev: Option<&str> = None;
    for tok in &toks {
        let Some(tok) = tok.as_deref() else {
            negated = false;
            prev = None;
            continue;
        };
        out.push(bucket(fnv_bytes(uni, tok.as_bytes()), mask));
        if let Some(p) = prev {
            let h = fnv_bytes(fnv_bytes(fnv_bytes(bi, p.as_bytes()), b" "), tok.as_bytes());
            out.push(bucket(h, mask));
        }
        if negated {
            out.push(bucket(fnv_bytes(neg, tok.as_bytes()), mask));
        }
        if tok == "but" {
            negated = false;
        } else if NEGATORS.contains(&tok) {
            negated = true;
        }
        // Character 3–5-grams of " tok " carry morphology and typos.
        let padded: Vec<char> = std::iter::once(' ').chain(tok.chars()).chain(std::iter::once(' ')).collect();
        if padded.len() > 3 {
            for n in 3..=5 {
                for w in padded.windows(n) {
                    let mut h = gram;
                    for &c in w {
                        h = fnv_char(h, c);
                    }
                    out.push(bucket(h, mask));
                }
            }
        }
        prev = Some(tok);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_check_values() {
        // The check values documented for the data split.
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64("质量很好".as_bytes()) % 10, 6);
    }

    #[test]
    fn char_ngrams_count_and_dedup() {
        let mut out = Vec::new();
        extract(FeatureSet::CharNgrams, "很好", 20, &mut out);
        // 很, 很好, 好 — three distinct buckets.
        assert_eq!(out.len(), 3);
        let mut again = Vec::new();
        extract(FeatureSet::CharNgrams, "很好很好", 20, &mut again);
        // 很 好 很好 好很 很好很 好很好: repeats are counted once.
        assert_eq!(again.len(), 6);
        assert!(out.iter().all(|b| again.contains(b)));
    }

    #[test]
    fn contrast_adds_features_for_the_later_clause_only() {
        let count = |t: &str| {
            let mut out = Vec::new();
            extract(FeatureSet::CharsWordsContrast, t, 20, &mut out);
            let mut base = Vec::new();
            extract(FeatureSet::CharsAndWords, t, 20, &mut base);
            out.len() - base.len()
        };
        // After 但是: 慢, 慢了, 了 → three extra buckets.
        assert_eq!(count("不错但是慢了"), 3);
        assert_eq!(count("不但便宜而且好"), 0);
        assert_eq!(count("很好"), 0);
    }

    #[test]
    fn negation_scope_ends_at_punctuation() {
        let mut a = Vec::new();
        extract(FeatureSet::Words, "not good", 20, &mut a);
        let mut b = Vec::new();
        extract(FeatureSet::Words, "not, good", 20, &mut b);
        // "not good" has the bigram and the negated "good"; "not, good" has neither.
        assert!(a.len() >= b.len() + 2, "{} vs {}", a.len(), b.len());
    }

    #[test]
    fn empty_text_has_no_features() {
        let mut out = vec![1, 2, 3];
        extract(FeatureSet::Words, "", 20, &mut out);
        assert!(out.is_empty());
        extract(FeatureSet::CharNgrams, "   ", 20, &mut out);
        assert!(out.is_empty());
    }
}
