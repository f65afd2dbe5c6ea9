//! The whole analysis of one text.

use crate::aspects::AspectMatcher;
use crate::segment::Segmenter;
use crate::sentiment::{self, NEUTRAL_BAND};
use crate::taxonomy::Taxonomy;
use crate::types::*;
use crate::{TextError, flags, keywords, lang, normalize, sentence};
use std::ops::Range;

/// Texts above this size are rejected (1 MiB); analysis time grows linearly
/// with length, so the limit bounds one call's cost.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// Keywords kept per text.
const KEYWORDS_PER_TEXT: usize = 8;

/// Analyses texts with one taxonomy. Build once (it compiles the taxonomy's
/// terms and copies the segmenter's dictionary when the taxonomy has
/// workspace terms) and share: `analyze` takes `&self`; `Send + Sync`.
#[derive(Debug, Clone)]
pub struct TextAnalyzer {
    taxonomy: Taxonomy,
    segmenter: Segmenter,
    matcher: AspectMatcher,
}

impl Default for TextAnalyzer {
    fn default() -> Self {
        TextAnalyzer::new(Taxonomy::default())
    }
}

/// The original text's `char`s and the byte offsets of the normalized text,
/// to cut spans out of either.
struct Texts<'a> {
    original: Vec<char>,
    norm: &'a str,
    norm_offsets: Vec<usize>,
}

impl Texts<'_> {
    fn norm_slice(&self, r: &Range<usize>) -> &str {
        &self.norm[self.norm_offsets[r.start]..self.norm_offsets[r.end]]
    }

    fn span(&self, r: Range<usize>) -> Span {
        Span { start: r.start, end: r.end, text: self.original[r].iter().collect() }
    }
}

impl TextAnalyzer {
    pub fn new(taxonomy: Taxonomy) -> Self {
        let segmenter = Segmenter::with_terms(&taxonomy.dictionary);
        let matcher = AspectMatcher::new(&taxonomy);
        TextAnalyzer { taxonomy, segmenter, matcher }
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    pub fn segmenter(&self) -> &Segmenter {
        &self.segmenter
    }

    /// Analyses raw bytes: invalid UTF-8 is rejected, not repaired, so a
    /// caller never stores an analysis of text the customer did not write.
    pub fn analyze_bytes(&self, bytes: &[u8], hint: LangHint) -> Result<Analysis, TextError> {
        let text = std::str::from_utf8(bytes).map_err(|e| TextError::InvalidUtf8(e.valid_up_to()))?;
        self.analyze(text, hint)
    }

    /// Analyses one text.
    pub fn analyze(&self, text: &str, hint: LangHint) -> Result<Analysis, TextError> {
        if text.len() > MAX_TEXT_BYTES {
            return Err(TextError::TooLarge(text.len()));
        }
        let detected = lang::detect(text);
        let lang = match hint {
            LangHint::Auto => detected,
            LangHint::Zh if detected == Lang::ZhHant => Lang::ZhHant,
            LangHint::Zh => Lang::Zh,
            LangHint::En => Lang::En,
        };
        let norm = normalize::normalize(text);
        let texts =
            Texts { original: text.chars().collect(), norm: &norm, norm_offsets: normalize::char_offsets(&norm) };
        let mut buf = Vec::new();
        let mut score_of = |r: &Range<usize>| -> Sentiment {
            let slice = texts.norm_slice(r);
            let e = sentiment::evidence(slice, lang, &mut buf);
            if lang == Lang::Undetermined && e.rule_hits == 0 {
                return sentiment::neutral();
            }
            sentiment::from_probability(sentiment::probability(&e, lang))
        };

        let whole = 0..texts.original.len();
        let overall = if has_content(&norm) { score_of(&whole) } else { sentiment::neutral() };
        let ranges = sentence::split(&norm);
        let sentences: Vec<SentenceSentiment> = if ranges.len() == 1 {
            vec![SentenceSentiment { span: texts.span(ranges[0].clone()), sentiment: overall }]
        } else {
            ranges.iter().map(|r| SentenceSentiment { span: texts.span(r.clone()), sentiment: score_of(r) }).collect()
        };

        let aspects = self.aspects(&texts, &ranges, &sentences, &mut score_of);
        let keywords = keywords::keywords(&self.segmenter, &norm, KEYWORDS_PER_TEXT);
        let (urgent, churn) = flags::detect(&norm);
        let to_flag = |hits: Vec<flags::FlagHit>| Flag {
            flag: !hits.is_empty(),
            reasons: hits
                .into_iter()
                .map(|h| FlagReason { kind: h.kind.to_string(), span: texts.span(h.range) })
                .collect(),
        };
        Ok(Analysis {
            lang,
            sentiment: overall,
            sentences,
            aspects,
            keywords,
            urgency: to_flag(urgent),
            churn_risk: to_flag(churn),
        })
    }

    /// One mention per aspect: the polarity of the clauses that name it (the
    /// sentence's where a clause holds no opinion of its own), and the clause
    /// with the strongest opinion as evidence.
    fn aspects(
        &self,
        texts: &Texts<'_>,
        sentence_ranges: &[Range<usize>],
        sentences: &[SentenceSentiment],
        score_of: &mut impl FnMut(&Range<usize>) -> Sentiment,
    ) -> Vec<AspectMention> {
        let matches = self.matcher.find(texts.norm);
        if matches.is_empty() {
            return Vec::new();
        }
        let clauses = sentence::clauses(texts.norm);
        let mut clause_scores: Vec<Option<f32>> = vec![None; clauses.len()];
        // (aspect index, sum of scores, count, strongest clause, its score, term)
        let mut found: Vec<(usize, f32, u32, Range<usize>, f32, String)> = Vec::new();
        for m in matches {
            let Some(ci) = clauses.iter().position(|c| c.start <= m.start && m.start < c.end) else { continue };
            let clause_score = *clause_scores[ci].get_or_insert_with(|| score_of(&clauses[ci]).score);
            let sentence_score = sentence_ranges
                .iter()
                .position(|s| s.start <= m.start && m.start < s.end)
                .map_or(0.0, |si| sentences[si].sentiment.score);
            let score =
                if clause_score.abs() < NEUTRAL_BAND { 0.5 * (clause_score + sentence_score) } else { clause_score };
            match found.iter_mut().find(|f| f.0 == m.aspect) {
                Some(f) => {
                    f.1 += score;
                    f.2 += 1;
                    if score.abs() > f.4.abs() {
                        f.3 = clauses[ci].clone();
                        f.4 = score;
                        f.5 = m.term.clone();
                    }
                }
                None => found.push((m.aspect, score, 1, clauses[ci].clone(), score, m.term.clone())),
            }
        }
        found
            .into_iter()
            .map(|(ai, sum, n, clause, _, term)| {
                let score = (sum / n as f32).clamp(-1.0, 1.0);
                AspectMention {
                    aspect: self.taxonomy.aspects[ai].key.clone(),
                    polarity: sentiment::label(score),
                    score,
                    span: texts.span(clause),
                    term,
                }
            })
            .collect()
    }
}

/// Whether the text has anything to score: a letter, digit or symbol (emoji).
fn has_content(norm: &str) -> bool {
    norm.chars().any(|c| c.is_alphanumeric() || (!c.is_ascii() && !c.is_whitespace()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_oversized_and_invalid_input() {
        let a = TextAnalyzer::default();
        let big = "好".repeat(MAX_TEXT_BYTES / 3 + 1);
        assert_eq!(a.analyze(&big, LangHint::Auto), Err(TextError::TooLarge(big.len())));
        assert_eq!(a.analyze_bytes(b"ok \xff\xfe", LangHint::Auto), Err(TextError::InvalidUtf8(3)));
    }

    #[test]
    fn empty_and_symbol_only_texts_are_neutral() {
        let a = TextAnalyzer::default();
        for text in ["", "   ", "。。。", "12345"] {
            let r = a.analyze(text, LangHint::Auto).expect("analysed");
            assert_eq!(r.sentiment.label, Polarity::Neutral, "{text:?}");
            assert!(r.aspects.is_empty());
        }
    }

    #[test]
    fn analyzer_is_shareable() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<TextAnalyzer>();
    }
}
