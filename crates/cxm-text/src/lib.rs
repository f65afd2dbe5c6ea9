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

/// Why a text was not analysed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TextError {
    #[error("text is {0} bytes; the limit is {MAX_TEXT_BYTES} bytes")]
    TooLarge(usize),
    #[error("text is not valid UTF-8 (first bad byte at offset {0})")]
    InvalidUtf8(usize),
}
