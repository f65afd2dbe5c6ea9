//! cxm-text: VoC (客户原声) text analytics for Chinese and English.
//!
//! In goes one text (an open answer, review, complaint, transcript); out comes
//! an [`Analysis`]: language, sentiment per text and per sentence, aspects
//! from a configurable [`Taxonomy`] with polarity and evidence span, keywords,
//! urgency and churn-intent flags with reasons (SPEC §5).
//!
//! Architecture invariant: pure. No I/O besides the data bundled into the
//! binary (`data/`); nothing here knows of SQL, HTTP or files. Every span is a
//! range of `char` indices into the caller's original text.

pub mod analyzer;
pub mod aspect_model;
pub mod aspect_polarity;
pub mod aspects;
pub mod corpus;
pub mod cues;
pub mod eval;
pub mod features;
pub mod flags;
pub mod keywords;
pub mod lang;
pub mod lexicon;
pub mod model;
pub mod normalize;
pub mod rules;
pub mod segment;
pub mod sentence;
pub mod sentiment;
pub mod taxonomy;
pub mod topics;
pub mod train;
pub mod types;

pub use analyzer::{MAX_TEXT_BYTES, TextAnalyzer};
pub use lang::detect as detect_language;
pub use taxonomy::{AspectDef, Taxonomy, TaxonomyError};
pub use types::*;

/// Identifies what this build's analyzer would say: a hash of the crate
/// version and of every model and table compiled in. An analysis stored under
/// another id is stale, so an upgrade re-analyses the stored texts.
pub fn analyzer_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        let parts: [&[u8]; 20] = [
            env!("CARGO_PKG_VERSION").as_bytes(),
            model::ZH_BYTES,
            model::EN_BYTES,
            aspect_model::BUNDLED_BYTES,
            aspect_polarity::BUNDLED_BYTES,
            normalize::T2S.as_bytes(),
            keywords::STOPWORDS_ZH.as_bytes(),
            keywords::STOPWORDS_EN.as_bytes(),
            lexicon::ZH_SENTIMENT.as_bytes(),
            lexicon::ZH_NEGATION.as_bytes(),
            lexicon::ZH_DEGREE.as_bytes(),
            lexicon::ZH_FUNCTION.as_bytes(),
            lexicon::ZH_CORE.as_bytes(),
            lexicon::EN_VADER.as_bytes(),
            lexicon::EN_OWN.as_bytes(),
            lexicon::EN_NEGATION.as_bytes(),
            lexicon::EN_DEGREE.as_bytes(),
            lexicon::EN_FUNCTION.as_bytes(),
            lexicon::EMOJI.as_bytes(),
            taxonomy::DEFAULT_JSON.as_bytes(),
        ];
        let mut all = Vec::new();
        for p in parts {
            all.extend_from_slice(&(p.len() as u64).to_le_bytes());
            all.extend_from_slice(&features::fnv1a64(p).to_le_bytes());
        }
        format!("{}-{:016x}", env!("CARGO_PKG_VERSION"), features::fnv1a64(&all))
    })
}

/// Why a text was not analysed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TextError {
    #[error("text is {0} bytes; the limit is {MAX_TEXT_BYTES} bytes")]
    TooLarge(usize),
    #[error("text is not valid UTF-8 (first bad byte at offset {0})")]
    InvalidUtf8(usize),
}
