//! The plain result types of an analysis (**API Boundary**: the store keeps
//! them as JSON and `cxm text analyze` prints them; extend, don't rename).

use serde::{Deserialize, Serialize};

/// Language of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// Chinese in simplified characters (简体).
    #[serde(rename = "zh")]
    Zh,
    /// Chinese in traditional characters (繁體).
    #[serde(rename = "zh-Hant")]
    ZhHant,
    #[serde(rename = "en")]
    En,
    /// Chinese and English words both carry the text.
    #[serde(rename = "mixed")]
    Mixed,
    /// Neither: empty, digits and symbols only, or another script.
    #[serde(rename = "und")]
    Undetermined,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::ZhHant => "zh-Hant",
            Lang::En => "en",
            Lang::Mixed => "mixed",
            Lang::Undetermined => "und",
        }
    }

    /// True when Chinese rules and models apply (simplified, traditional or mixed).
    pub fn is_chinese(self) -> bool {
        matches!(self, Lang::Zh | Lang::ZhHant | Lang::Mixed)
    }
}

/// The caller's language hint (`--lang auto|zh|en`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LangHint {
    #[default]
    Auto,
    Zh,
    En,
}

/// Sentiment polarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    Negative,
    Neutral,
    Positive,
}

impl Polarity {
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Negative => "negative",
            Polarity::Neutral => "neutral",
            Polarity::Positive => "positive",
        }
    }
}

/// A range of `char` indices `[start, end)` into the original text, with the
/// text it covers (so a consumer need not re-index a string in another encoding).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Sentiment of a text or a sentence: label and score in [−1, 1].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sentiment {
    pub label: Polarity,
    pub score: f32,
}

/// One sentence and its sentiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentenceSentiment {
    pub span: Span,
    pub sentiment: Sentiment,
}

/// An aspect of the taxonomy that the text talks about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AspectMention {
    /// The taxonomy key (e.g. `delivery`).
    pub aspect: String,
    pub polarity: Polarity,
    /// Score in [−1, 1] of the clause that carries the evidence.
    pub score: f32,
    /// The evidence: the clause that mentions the aspect.
    pub span: Span,
    /// The term of the taxonomy that matched.
    pub term: String,
}

/// Why a text was flagged (urgency or churn intent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlagReason {
    /// Category, e.g. `regulator`, `media`, `legal`, `safety`, `cancel`, `switch`.
    pub kind: String,
    /// The words that triggered it.
    pub span: Span,
}

/// A yes/no signal for the rules engine with the reasons behind it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Flag {
    pub flag: bool,
    pub reasons: Vec<FlagReason>,
}

/// Everything cxm derives from one text (SPEC §3 "Text analysis result").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub lang: Lang,
    pub sentiment: Sentiment,
    pub sentences: Vec<SentenceSentiment>,
    pub aspects: Vec<AspectMention>,
    pub keywords: Vec<String>,
    /// Threats to go to a regulator or the media, legal action, safety.
    pub urgency: Flag,
    /// Intent to cancel, close the account, switch to a competitor, never return.
    pub churn_risk: Flag,
}
