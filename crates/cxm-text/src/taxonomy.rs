//! The aspect taxonomy (方面/主题体系): what customers talk about, how each
//! aspect is recognised (terms in Chinese and English), and where it belongs
//! (RATER dimension, touchpoints). Workspaces edit their own copy; the
//! default covers retail, e-commerce and service.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

pub(crate) const DEFAULT_JSON: &str = include_str!("../data/taxonomy.default.json");

/// One aspect of the taxonomy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AspectDef {
    /// Stable key: lower case ASCII letters, digits and `_` (e.g. `delivery`).
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    /// RATER dimension (SPEC §4.6): reliability, assurance, tangibles,
    /// empathy or responsiveness; `None` for aspects outside service quality.
    #[serde(default)]
    pub rater: Option<String>,
    /// Touchpoint keys this aspect belongs to.
    #[serde(default)]
    pub touchpoints: Vec<String>,
    /// Words and phrases that mention the aspect (matched after normalization:
    /// full-width → ASCII, lower case).
    #[serde(default)]
    pub terms_zh: Vec<String>,
    #[serde(default)]
    pub terms_en: Vec<String>,
    /// Phrases that contain a term but do not mention the aspect
    /// (e.g. 评价 contains 价 but is not about price).
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// A whole taxonomy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Taxonomy {
    pub aspects: Vec<AspectDef>,
    /// Workspace words for the segmenter (brands, products) — kept whole.
    #[serde(default)]
    pub dictionary: Vec<String>,
}

/// A taxonomy that cannot be used, and why (names the aspect and field).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxonomyError {
    #[error("taxonomy is not valid JSON: {0}")]
    Json(String),
    #[error("aspect #{index}: key {key:?} must be 1–40 characters of a–z, 0–9 and _")]
    BadKey { index: usize, key: String },
    #[error("aspect {0:?} appears twice")]
    DuplicateKey(String),
    #[error("aspect {key:?}: {field} is empty")]
    MissingName { key: String, field: &'static str },
    #[error(
        "aspect {key:?}: rater must be one of reliability, assurance, tangibles, empathy, responsiveness (got {value:?})"
    )]
    BadRater { key: String, value: String },
    #[error("aspect {0:?} has no terms in either language")]
    NoTerms(String),
    #[error("aspect {key:?}: term {term:?} is blank or longer than 60 characters")]
    BadTerm { key: String, term: String },
    #[error("taxonomy has {0} aspects; the limit is 200")]
    TooMany(usize),
}

pub const RATER_DIMENSIONS: [&str; 5] = ["reliability", "assurance", "tangibles", "empathy", "responsiveness"];

impl Default for Taxonomy {
    fn default() -> Self {
        // The bundled default is checked by a test, so this cannot fail at run time.
        Taxonomy::from_json(DEFAULT_JSON).unwrap_or(Taxonomy { aspects: Vec::new(), dictionary: Vec::new() })
    }
}

impl Taxonomy {
    /// Parses and validates a taxonomy.
    pub fn from_json(json: &str) -> Result<Taxonomy, TaxonomyError> {
        let taxonomy: Taxonomy = serde_json::from_str(json).map_err(|e| TaxonomyError::Json(e.to_string()))?;
        taxonomy.validate()?;
        Ok(taxonomy)
    }

    /// Checks every rule a stored taxonomy must keep.
    pub fn validate(&self) -> Result<(), TaxonomyError> {
        if self.aspects.len() > 200 {
            return Err(TaxonomyError::TooMany(self.aspects.len()));
        }
        let mut seen = HashSet::new();
        for (index, a) in self.aspects.iter().enumerate() {
            let key_ok = !a.key.is_empty()
                && a.key.len() <= 40
                && a.key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !key_ok {
                return Err(TaxonomyError::BadKey { index, key: a.key.clone() });
            }
            if !seen.insert(a.key.as_str()) {
                return Err(TaxonomyError::DuplicateKey(a.key.clone()));
            }
            for (field, value) in [("name_zh", &a.name_zh), ("name_en", &a.name_en)] {
                if value.trim().is_empty() {
                    return Err(TaxonomyError::MissingName { key: a.key.clone(), field });
                }
            }
            if let Some(r) = &a.rater
                && !RATER_DIMENSIONS.contains(&r.as_str())
            {
                return Err(TaxonomyError::BadRater { key: a.key.clone(), value: r.clone() });
            }
            if a.terms_zh.is_empty() && a.terms_en.is_empty() {
                return Err(TaxonomyError::NoTerms(a.key.clone()));
            }
            for term in a.terms_zh.iter().chain(&a.terms_en).chain(&a.exclude) {
                if term.trim().is_empty() || term.chars().count() > 60 {
                    return Err(TaxonomyError::BadTerm { key: a.key.clone(), term: term.clone() });
                }
            }
        }
        Ok(())
    }

    pub fn get(&self, key: &str) -> Option<&AspectDef> {
        self.aspects.iter().find(|a| a.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_default_is_valid() {
        let t = Taxonomy::from_json(DEFAULT_JSON).expect("default taxonomy");
        assert!(t.aspects.len() >= 10);
        assert!(t.get("delivery").is_some());
    }

    #[test]
    fn invalid_taxonomies_name_the_fault() {
        let mut t = Taxonomy::default();
        t.aspects[0].key = "Bad Key".into();
        assert!(matches!(t.validate(), Err(TaxonomyError::BadKey { index: 0, .. })));
        let mut t = Taxonomy::default();
        t.aspects[1].key = t.aspects[0].key.clone();
        assert!(matches!(t.validate(), Err(TaxonomyError::DuplicateKey(_))));
        let mut t = Taxonomy::default();
        t.aspects[0].rater = Some("speed".into());
        assert!(matches!(t.validate(), Err(TaxonomyError::BadRater { .. })));
        let mut t = Taxonomy::default();
        t.aspects[0].terms_zh.clear();
        t.aspects[0].terms_en.clear();
        assert!(matches!(t.validate(), Err(TaxonomyError::NoTerms(_))));
        assert!(matches!(Taxonomy::from_json("{"), Err(TaxonomyError::Json(_))));
    }
}
