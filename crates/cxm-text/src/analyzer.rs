//! The whole analysis of one text.

use crate::aspect_model::AspectModels;
use crate::aspect_polarity;
use crate::aspects::{self, AspectMatcher};
use crate::segment::Segmenter;
use crate::sentiment::{self, NEUTRAL_BAND};
use crate::taxonomy::Taxonomy;
use crate::types::*;
use crate::{TextError, cues, flags, keywords, lang, normalize, rules, sentence};
use std::ops::Range;
use std::sync::Arc;

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
    /// The learned aspect polarity (`aspect_polarity.rs`); `None`: the clause's opinion score alone.
    polarity: Option<Arc<AspectModels>>,
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
        TextAnalyzer { taxonomy, segmenter, matcher, polarity: aspect_polarity::bundled() }
    }

    /// Uses `models` for the built-in aspects (`None`: terms alone); the
    /// default is the bundled detector (`aspect_model.rs`).
    pub fn with_aspect_models(mut self, models: Option<Arc<AspectModels>>) -> Self {
        self.matcher = self.matcher.with_models(models);
        self
    }

    /// Aspects from the model alone, term matches ignored: for measuring the
    /// model, never for analysis.
    pub fn without_aspect_terms(mut self) -> Self {
        self.matcher = self.matcher.without_terms();
        self
    }

    /// Uses `models` for aspect polarity (`None`: the clause's opinion score
    /// alone, as the polarity trainer reads it); the default is the bundled model.
    pub fn with_polarity_models(mut self, models: Option<Arc<AspectModels>>) -> Self {
        self.polarity = models.filter(|m| aspect_polarity::is_polarity_models(m));
        self
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
        let mut scorer = Scorer { lang, buf: Vec::new() };
        let whole = 0..texts.original.len();
        let overall = if has_content(&norm) { scorer.score(texts.norm_slice(&whole)).0 } else { sentiment::neutral() };
        let ranges = sentence::split(&norm);
        let sentences: Vec<SentenceSentiment> = if ranges.len() == 1 {
            vec![SentenceSentiment { span: texts.span(ranges[0].clone()), sentiment: overall }]
        } else {
            ranges
                .iter()
                .map(|r| SentenceSentiment {
                    span: texts.span(r.clone()),
                    sentiment: scorer.score(texts.norm_slice(r)).0,
                })
                .collect()
        };

        let aspects = self.aspects(&texts, &ranges, &mut scorer);
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

    /// One mention per aspect. Its polarity is the opinion of the clause that
    /// names it; a clause with no opinion of its own (e.g. "等了一个小时" after
    /// "上菜太慢了") takes the nearest opinion in its sentence, the previous
    /// clause first; none there, and the mention is neutral. An aspect named
    /// more than once takes its strongest opinion. The evidence span is the
    /// clause whose opinion counted. With the learned polarity
    /// (`aspect_polarity.rs`), that opinion is one of its inputs and the
    /// model's reading of the evidence clause in its text is the polarity.
    fn aspects(&self, texts: &Texts<'_>, sentence_ranges: &[Range<usize>], scorer: &mut Scorer) -> Vec<AspectMention> {
        let matches = self.matcher.find_in(texts.norm, scorer.lang);
        if matches.is_empty() {
            return Vec::new();
        }
        let clauses = sentence::clauses(texts.norm);
        let mut opinions: Vec<Option<Option<f32>>> = vec![None; clauses.len()];
        let mut opinion = |ci: usize, scorer: &mut Scorer| -> Option<f32> {
            *opinions[ci].get_or_insert_with(|| {
                let r = &clauses[ci];
                let sentence = sentence_ranges.iter().find(|s| s.start <= r.start && r.start < s.end);
                // The clause that asks, or every clause of a 请问 request; "冰箱不制冷了，
                // 上门收费吗？" states a fault before it asks.
                let question = sentence::is_question(texts.norm_slice(r))
                    || sentence.is_some_and(|s| sentence::is_request(texts.norm_slice(s)));
                scorer.aspect_opinion(texts.norm_slice(r), question)
            })
        };
        // (aspect index, evidence clause, its score, term)
        let mut found: Vec<(usize, usize, f32, String)> = Vec::new();
        let clause_of = |m: &aspects::TermMatch| clauses.iter().position(|c| c.start <= m.start && m.start < c.end);
        let mut named = vec![false; clauses.len()];
        for ci in matches.iter().filter_map(clause_of) {
            named[ci] = true;
        }
        for m in &matches {
            let Some(ci) = clause_of(m) else { continue };
            let sentence = sentence_ranges.iter().find(|s| s.start <= m.start && m.start < s.end);
            let in_sentence =
                |k: usize| sentence.is_some_and(|s| s.start <= clauses[k].start && clauses[k].start < s.end);
            // Opinions are not borrowed across a contrast: in "great staff,
            // but the app keeps crashing" the app does not share the praise.
            let opens = |k: usize| {
                sentence::strip_connective(texts.norm_slice(&clauses[k])).len()
                    < texts.norm_slice(&clauses[k]).trim_start().len()
            };
            let mut candidates = vec![ci];
            if ci > 0 && in_sentence(ci - 1) && !opens(ci) {
                candidates.push(ci - 1);
            }
            if ci + 1 < clauses.len() && in_sentence(ci + 1) && !opens(ci + 1) {
                candidates.push(ci + 1);
            }
            let (evidence, mut score) =
                candidates.into_iter().find_map(|k| opinion(k, scorer).map(|s| (k, s))).unwrap_or((ci, 0.0));
            // "等了二十分钟，还能接受", "power cut lasted 10 minutes, no big deal":
            // a fact without a sentiment word, then tolerated, is neutral. A
            // verdict on another aspect ("…有水渍，菜倒是还行") is not a tolerance.
            if evidence == ci
                && score != 0.0
                && ci + 1 < clauses.len()
                && in_sentence(ci + 1)
                && !opens(ci + 1)
                && !named[ci + 1]
            {
                let next = cues::read(texts.norm_slice(&clauses[ci + 1]));
                if next.lukewarm
                    && next.problem == 0
                    && next.resolved == 0
                    && rules::score(texts.norm_slice(&clauses[ci])).hits == 0
                {
                    score = 0.0;
                }
            }
            // Several mentions of one aspect: the strongest opinion stands (an
            // average lets a lukewarm or factual mention water down the verdict).
            match found.iter_mut().find(|f| f.0 == m.aspect) {
                Some(f) if score.abs() > f.2.abs() => (f.1, f.2, f.3) = (evidence, score, m.term.clone()),
                Some(_) => {}
                None => found.push((m.aspect, evidence, score, m.term.clone())),
            }
        }
        let learned = self.polarity.as_deref().and_then(|m| m.for_lang(scorer.lang));
        let mut text_buckets = Vec::new();
        if let Some(model) = learned {
            aspect_polarity::context_features(model.features, model.bits, texts.norm, &mut text_buckets);
        }
        let (mut buckets, mut margins) = (Vec::new(), Vec::new());
        found
            .into_iter()
            .map(|(ai, clause, score, term)| {
                let score = score.clamp(-1.0, 1.0);
                let key = &self.taxonomy.aspects[ai].key;
                let (polarity, score) = match learned {
                    Some(model) => {
                        let clause_norm = texts.norm_slice(&clauses[clause]);
                        aspect_polarity::mention_features(
                            model.features,
                            model.bits,
                            clause_norm,
                            &text_buckets,
                            score,
                            key,
                            &mut buckets,
                        );
                        aspect_polarity::predict(model, &buckets, &mut margins)
                    }
                    None => (sentiment::label(score), score),
                };
                AspectMention { aspect: key.clone(), polarity, score, span: texts.span(clauses[clause].clone()), term }
            })
            .collect()
    }
}

/// Scores spans of one text in its language (the scratch buffer is reused).
struct Scorer {
    lang: Lang,
    buf: Vec<u32>,
}

/// Without a sentiment word, the model must be this sure before a clause
/// counts as an opinion (short clauses give it little to go on).
const MODEL_ONLY_OPINION: f32 = 0.6;

/// With a contrast (但是, but …), the share of the score that the opinion of
/// the text after the connective takes.
const CONTRAST_TAIL_WEIGHT: f32 = 0.6;

/// In a clause with a sentiment word, the rules' share of its opinion: the
/// model was trained on whole reviews and reads a few words less surely.
const RULES_IN_CLAUSE: f32 = 0.7;

/// The rules' share in the opinion of a contrast tail (text scores; tuned on the review corpora).
const TAIL_RULES: f32 = 0.3;

/// A stated complaint or praise fact moves a clause's opinion this far.
const CUE_WEIGHT: f32 = 0.6;

/// A rule score this strong outweighs a lukewarm word.
const STRONG_RULES: f32 = 0.8;

/// A question is neutral unless its rule score is at least this negative.
const QUESTION_RULES: f32 = 1.5;

impl Scorer {
    fn score(&mut self, norm: &str) -> (Sentiment, sentiment::Evidence) {
        let e = sentiment::evidence(norm, self.lang, &mut self.buf);
        if self.lang == Lang::Undetermined && e.rule_hits == 0 {
            return (sentiment::neutral(), e);
        }
        let whole = sentiment::from_probability(sentiment::probability(&e, self.lang));
        // SPEC §5: after 但是 / but the later clause dominates. A bag of
        // n-grams cannot see that, so the tail's own opinion is weighed in.
        let tail = sentence::contrast_tail(norm).and_then(|tail| self.tail_opinion(tail));
        match tail {
            Some(t) => {
                let w = CONTRAST_TAIL_WEIGHT;
                let score = ((1.0 - w) * whole.score + w * t).clamp(-1.0, 1.0);
                (Sentiment { label: sentiment::label(score), score }, e)
            }
            None => (whole, e),
        }
    }

    /// The opinion of the text after a contrast, for text and sentence
    /// scores: a sentiment word (the rules hit) or a confident model.
    fn tail_opinion(&mut self, tail: &str) -> Option<f32> {
        let (s, e) = self.score(sentence::strip_connective(tail));
        if e.rule_hits > 0 {
            let blended = TAIL_RULES * sentiment::squash(e.rules) + (1.0 - TAIL_RULES) * s.score;
            return (blended.abs() >= NEUTRAL_BAND).then_some(blended);
        }
        (s.score.abs() >= MODEL_ONLY_OPINION).then_some(s.score)
    }

    /// An aspect clause's opinion, if it holds one: a sentiment word (the rules
    /// hit), a stated complaint or praise fact ([`cues`]), or a confident
    /// model. Questions and lukewarm verdicts hold a neutral one (0), so no
    /// neighbour's opinion is borrowed for them.
    fn aspect_opinion(&mut self, clause: &str, question: bool) -> Option<f32> {
        let body = sentence::strip_connective(clause);
        let c = cues::read(body);
        let (s, e) = self.score(body);
        // A question asks rather than judges ("请问有最低消费吗？", "what's the
        // fee?"), unless its words are strongly negative (indignation).
        if question && e.rules > -QUESTION_RULES {
            return Some(0.0);
        }
        // 一般, 还行, ok, fine: a verdict, but neither praise nor complaint.
        if c.lukewarm && c.problem == 0 && e.rules.abs() < STRONG_RULES {
            return Some(0.0);
        }
        let blended = RULES_IN_CLAUSE * sentiment::squash(e.rules) + (1.0 - RULES_IN_CLAUSE) * s.score;
        let cue = CUE_WEIGHT * c.sign();
        if cue != 0.0 {
            // A stated fact decides the direction: in "fixed my roaming problem"
            // or "got a full refund after I cancelled" the negative words name
            // what was put right; in "accepted my code, then charged me" the
            // praise word is not the verdict.
            let agrees = e.rule_hits > 0 && blended.signum() == cue.signum();
            return Some(if agrees { blended.clamp(-1.0, 1.0) } else { cue });
        }
        if e.rule_hits > 0 {
            return (blended.abs() >= NEUTRAL_BAND).then_some(blended.clamp(-1.0, 1.0));
        }
        (!question && s.score.abs() >= MODEL_ONLY_OPINION).then_some(s.score)
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
