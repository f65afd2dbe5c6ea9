//! The whole analysis of one text.

use crate::segment::Segmenter;
use crate::taxonomy::Taxonomy;
use crate::types::*;
use crate::{TextError, lang, normalize, sentence};

/// Texts above this size are rejected (1 MiB); analysis time grows linearly
/// with length, so the limit bounds one call's cost.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// Analyses texts with one taxonomy. Build once (it copies the segmenter's
/// dictionary when the taxonomy has workspace terms) and share: `analyze`
/// takes `&self` and the analyzer is `Send + Sync`.
#[derive(Debug, Clone)]
pub struct TextAnalyzer {
    taxonomy: Taxonomy,
    segmenter: Segmenter,
}

impl Default for TextAnalyzer {
    fn default() -> Self {
        TextAnalyzer::new(Taxonomy::default())
    }
}

impl TextAnalyzer {
    pub fn new(taxonomy: Taxonomy) -> Self {
        let segmenter = Segmenter::with_terms(&taxonomy.dictionary);
        TextAnalyzer { taxonomy, segmenter }
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
        let chars: Vec<char> = text.chars().collect();
        let sentences = sentence::split(&norm)
            .into_iter()
            .map(|r| SentenceSentiment {
                span: Span { start: r.start, end: r.end, text: chars[r].iter().collect() },
                sentiment: Sentiment { label: Polarity::Neutral, score: 0.0 },
            })
            .collect();
        Ok(Analysis {
            lang,
            sentiment: Sentiment { label: Polarity::Neutral, score: 0.0 },
            sentences,
            aspects: Vec::new(),
            keywords: Vec::new(),
            urgency: Flag::default(),
            churn_risk: Flag::default(),
        })
    }
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
    fn analyzer_is_shareable() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<TextAnalyzer>();
    }
}
