//! Finding the taxonomy's aspects in a text: one Aho–Corasick pass over every
//! term and exclusion of every aspect (leftmost-longest, so 评价 wins over a
//! price term 价 inside it, and "customer service" over "service").
//!
//! Term syntax: a term is matched after normalization (ASCII lower case,
//! half-width, simplified Chinese). An ASCII term must stand as a whole word
//! unless it ends in `*`, which makes it a prefix (`deliver*` matches
//! delivery, delivered, delivering).
//!
//! An `exclude` entry `@key` (another aspect's key) is a sentence rule: the
//! aspect is not reported from a sentence that also names aspect `key`. The
//! default taxonomy uses it because speed belongs to one aspect: "物流太慢了，
//! 等了一个星期才到" is about delivery, not waiting (`wait_time` excludes
//! `@delivery`).
//!
//! The learned detector (`aspect_model.rs`) joins the terms for the built-in
//! aspects this taxonomy keeps: it drops a term match it finds very unlikely
//! in context (the aspect's veto) and adds the aspects it is sure of that no
//! term names. Such a match spans its evidence clause and its `term` is
//! [`MODEL_TERM`] (`~model`).

use crate::aspect_model::{self, AspectDetector, AspectModels, MODEL_TERM, Scratch};
use crate::normalize::normalize;
use crate::taxonomy::Taxonomy;
use crate::types::Lang;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Clone)]
enum Pattern {
    /// Aspects (indices into the taxonomy) that this term names.
    Term {
        aspects: Vec<usize>,
        term: String,
        whole_word_end: bool,
        whole_word_start: bool,
    },
    Exclude,
}

/// A term found in the text: `char` range and the aspects it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermMatch {
    pub aspect: usize,
    pub start: usize,
    pub end: usize,
    pub term: String,
}

/// The compiled matcher of one taxonomy.
#[derive(Debug, Clone)]
pub struct AspectMatcher {
    automaton: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
    /// Sentence rules `(aspect, other)`: drop `aspect` from a sentence that names `other`.
    yields_to: Vec<(usize, usize)>,
    /// The taxonomy's aspect keys (to bind a model to).
    keys: Vec<String>,
    /// The learned detector, when one covers an aspect of this taxonomy.
    model: Option<AspectDetector>,
    /// Whether term matches count (off only to measure the model alone).
    use_terms: bool,
    /// Per aspect, its names' words (normalized): a term that is one of them
    /// names the aspect outright, and the model does not veto it.
    name_words: Vec<Vec<String>>,
}

/// The words of an aspect's names: each part of the Chinese name (split at
/// 与/和/及) and its two-character pieces ("账单与扣费" → 账单, 扣费), the
/// English name's words ("Product quality" → product, quality).
fn name_words(zh: &str, en: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let zh = normalize(zh);
    for part in zh.split(|c: char| c.is_ascii() || matches!(c, '与' | '和' | '及' | '、')).filter(|p| !p.is_empty())
    {
        let chars: Vec<char> = part.chars().collect();
        out.extend(chars.chunks(2).filter(|c| c.len() == 2).map(|c| c.iter().collect::<String>()));
        out.push(part.to_string());
    }
    out.extend(normalize(en).split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| w.len() > 2).map(str::to_string));
    out.dedup();
    out
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

impl AspectMatcher {
    pub fn new(taxonomy: &Taxonomy) -> AspectMatcher {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        for (ai, aspect) in taxonomy.aspects.iter().enumerate() {
            for raw in aspect.terms_zh.iter().chain(&aspect.terms_en) {
                let trimmed = raw.trim();
                let (body, prefix) = match trimmed.strip_suffix('*') {
                    Some(b) => (b, true),
                    None => (trimmed, false),
                };
                let text = normalize(body);
                if text.is_empty() {
                    continue;
                }
                let first_ascii = text.chars().next().is_some_and(is_word_char);
                let last_ascii = text.chars().last().is_some_and(is_word_char);
                match index.get(&text) {
                    Some(&pi) => {
                        if let Pattern::Term { aspects, .. } = &mut patterns[pi]
                            && !aspects.contains(&ai)
                        {
                            aspects.push(ai);
                        }
                    }
                    None => {
                        index.insert(text.clone(), patterns.len());
                        patterns.push(Pattern::Term {
                            aspects: vec![ai],
                            term: body.to_string(),
                            whole_word_start: first_ascii,
                            whole_word_end: last_ascii && !prefix,
                        });
                        texts.push(text);
                    }
                }
            }
        }
        let mut yields_to = Vec::new();
        for (ai, aspect) in taxonomy.aspects.iter().enumerate() {
            for raw in &aspect.exclude {
                if let Some(key) = raw.trim().strip_prefix('@') {
                    if let Some(other) = taxonomy.aspects.iter().position(|a| a.key == key)
                        && other != ai
                    {
                        yields_to.push((ai, other));
                    }
                    continue;
                }
                let text = normalize(raw.trim());
                if !text.is_empty() && !index.contains_key(&text) {
                    index.insert(text.clone(), patterns.len());
                    patterns.push(Pattern::Exclude);
                    texts.push(text);
                }
            }
        }
        let automaton = if texts.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostLongest).build(&texts).ok()
        };
        let keys = taxonomy.aspects.iter().map(|a| a.key.clone()).collect();
        let name_words = taxonomy.aspects.iter().map(|a| name_words(&a.name_zh, &a.name_en)).collect();
        AspectMatcher { automaton, patterns, yields_to, keys, model: None, use_terms: true, name_words }
            .with_models(aspect_model::bundled())
    }

    /// Uses `models` (`None`: terms alone) for the aspects whose keys this taxonomy has.
    pub fn with_models(mut self, models: Option<Arc<AspectModels>>) -> AspectMatcher {
        let keys: Vec<&str> = self.keys.iter().map(String::as_str).collect();
        self.model = models.map(|m| AspectDetector::new(m, &keys)).filter(AspectDetector::is_active);
        self
    }

    /// Ignores term matches, so the model can be measured alone (evaluation only).
    pub fn without_terms(mut self) -> AspectMatcher {
        self.use_terms = false;
        self
    }

    /// Whether a learned model joins the terms.
    pub fn has_model(&self) -> bool {
        self.model.is_some()
    }

    /// Every aspect mention in `norm` (normalized text), in order: the
    /// taxonomy's terms, then the model's vetoes and additions.
    pub fn find(&self, norm: &str) -> Vec<TermMatch> {
        self.find_in(norm, crate::lang::detect(norm))
    }

    /// [`find`](Self::find) for a text known to be in `lang` (which model reads it).
    pub fn find_in(&self, norm: &str, lang: Lang) -> Vec<TermMatch> {
        let mut out = if self.use_terms { self.find_terms(norm) } else { Vec::new() };
        self.apply_model(norm, lang, &mut out);
        out
    }

    /// The learned detector's part: it reads the whole text (its labels were
    /// per text), drops term matches it vetoes and adds, at the clause that
    /// adds most to its score, the aspects it is sure of that no term named.
    fn apply_model(&self, norm: &str, lang: Lang, out: &mut Vec<TermMatch>) {
        let Some(model) = &self.model else { return };
        let mut scratch = Scratch::default();
        let verdicts = model.score(lang, norm, &mut scratch);
        if verdicts.is_empty() {
            return;
        }
        let names_aspect =
            |m: &TermMatch| self.name_words.get(m.aspect).is_some_and(|w| w.contains(&normalize(&m.term)));
        out.retain(|m| !verdicts.iter().any(|v| v.aspect == m.aspect && v.vetoes) || names_aspect(m));
        let added: Vec<_> =
            verdicts.into_iter().filter(|v| v.fires && !out.iter().any(|m| m.aspect == v.aspect)).collect();
        if added.is_empty() {
            return;
        }
        let clauses = crate::sentence::clauses(norm);
        if clauses.is_empty() {
            return;
        }
        let offsets: Vec<usize> = norm.char_indices().map(|(b, _)| b).chain(std::iter::once(norm.len())).collect();
        let texts = clauses.iter().map(|r| &norm[offsets[r.start]..offsets[r.end]]);
        let evidence = model.evidence(lang, &added, texts, &mut scratch);
        for (v, ci) in added.iter().zip(evidence) {
            let Some(r) = clauses.get(ci) else { continue };
            out.push(TermMatch { aspect: v.aspect, start: r.start, end: r.end, term: MODEL_TERM.to_string() });
        }
        // Text order, as for terms (the sort is stable).
        out.sort_by_key(|m| m.start);
    }

    /// Every term of the taxonomy in `norm`, in order.
    fn find_terms(&self, norm: &str) -> Vec<TermMatch> {
        let Some(ac) = &self.automaton else { return Vec::new() };
        let mut out = Vec::new();
        let mut char_at: Option<Vec<usize>> = None;
        let mut at = 0;
        while let Some(m) = ac.find(Input::new(norm).range(at..)) {
            at = m.end();
            let Pattern::Term { aspects, term, whole_word_start, whole_word_end } =
                &self.patterns[m.pattern().as_usize()]
            else {
                continue;
            };
            // A term that is not a whole word here ("ac" in "account") is no
            // match, so it must not hide the terms that start inside it:
            // search again from its next character.
            let cut_start = *whole_word_start && norm[..m.start()].chars().next_back().is_some_and(is_word_char);
            let cut_end = *whole_word_end && norm[m.end()..].chars().next().is_some_and(is_word_char);
            if cut_start || cut_end {
                at = m.start() + norm[m.start()..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            let map = char_at.get_or_insert_with(|| byte_to_char(norm));
            for &aspect in aspects {
                out.push(TermMatch { aspect, start: map[m.start()], end: map[m.end()], term: term.clone() });
            }
        }
        self.apply_sentence_rules(norm, &mut out);
        out
    }

    /// Drops the matches of an aspect that yields to another aspect named in
    /// the same sentence. Sentences are only split when a rule can apply.
    fn apply_sentence_rules(&self, norm: &str, out: &mut Vec<TermMatch>) {
        let applies = |out: &[TermMatch]| {
            self.yields_to.iter().any(|&(a, b)| out.iter().any(|m| m.aspect == a) && out.iter().any(|m| m.aspect == b))
        };
        if self.yields_to.is_empty() || !applies(out) {
            return;
        }
        let sentences = crate::sentence::split(norm);
        let sentence_of = |m: &TermMatch| sentences.iter().position(|s| s.start <= m.start && m.start < s.end);
        let drop: Vec<bool> = out
            .iter()
            .map(|m| {
                let si = sentence_of(m);
                self.yields_to
                    .iter()
                    .any(|&(a, b)| a == m.aspect && out.iter().any(|o| o.aspect == b && sentence_of(o) == si))
            })
            .collect();
        let mut i = 0;
        out.retain(|_| {
            i += 1;
            !drop[i - 1]
        });
    }
}

/// `map[b]` = index of the `char` that starts at byte `b` (and `map[len]` = char count).
fn byte_to_char(text: &str) -> Vec<usize> {
    let mut map = vec![0; text.len() + 1];
    let mut n = 0;
    for (b, c) in text.char_indices() {
        for slot in &mut map[b..b + c.len_utf8()] {
            *slot = n;
        }
        n += 1;
    }
    map[text.len()] = n;
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::AspectDef;

    #[test]
    fn an_aspects_name_words_are_its_unvetoable_terms() {
        let w = name_words("产品质量", "Product quality");
        for word in ["产品", "质量", "产品质量", "product", "quality"] {
            assert!(w.iter().any(|x| x == word), "{word} in {w:?}");
        }
        // Two-character pieces only: 品质 straddles them and is no name word.
        assert!(!w.iter().any(|x| x == "品质"), "{w:?}");
        assert_eq!(name_words("App与网站", "App & website"), ["网站", "app", "website"]);
        assert_eq!(name_words("账单与扣费", "Billing & charges"), ["账单", "扣费", "billing", "charges"]);
    }

    fn taxonomy() -> Taxonomy {
        let def = |key: &str, zh: &[&str], en: &[&str], exclude: &[&str]| AspectDef {
            key: key.into(),
            name_zh: key.into(),
            name_en: key.into(),
            rater: None,
            touchpoints: vec![],
            terms_zh: zh.iter().map(|s| s.to_string()).collect(),
            terms_en: en.iter().map(|s| s.to_string()).collect(),
            exclude: exclude.iter().map(|s| s.to_string()).collect(),
        };
        Taxonomy {
            aspects: vec![
                def("price", &["价格", "贵"], &["price", "expensive"], &["评价"]),
                def("delivery", &["物流", "快递"], &["deliver*"], &[]),
                def("staff", &["客服"], &["staff", "customer service"], &[]),
                def("service", &["客服"], &["service"], &[]),
            ],
            dictionary: vec![],
        }
    }

    fn keys(m: &AspectMatcher, t: &Taxonomy, text: &str) -> Vec<String> {
        m.find(&normalize(text)).into_iter().map(|x| t.aspects[x.aspect].key.clone()).collect()
    }

    #[test]
    fn finds_terms_with_boundaries_prefixes_and_exclusions() {
        let t = taxonomy();
        let m = AspectMatcher::new(&t).with_models(None);
        assert_eq!(keys(&m, &t, "物流很快，但是太贵了"), vec!["delivery", "price"]);
        assert_eq!(keys(&m, &t, "给个好评价吧"), Vec::<String>::new());
        assert_eq!(keys(&m, &t, "The Delivery was late"), vec!["delivery"]);
        assert_eq!(keys(&m, &t, "prices are fine"), Vec::<String>::new(), "price is a whole word");
        assert_eq!(keys(&m, &t, "Customer service was slow"), vec!["staff"]);

        // A term shared by two aspects names both.
        assert_eq!(keys(&m, &t, "客服不理人"), vec!["staff", "service"]);
    }

    #[test]
    fn a_term_cut_at_a_word_boundary_hides_no_term_inside_it() {
        let mut t = taxonomy();
        let mut env = t.aspects[0].clone();
        env.key = "environment".into();
        env.terms_en = vec!["the ac".into()];
        env.exclude.clear();
        t.aspects.push(env);
        t.aspects[0].terms_en.push("account fee".into());
        let m = AspectMatcher::new(&t).with_models(None);
        assert_eq!(keys(&m, &t, "The AC was broken"), vec!["environment"]);
        // "the ac" is no word in "the account fee", so "account fee" is found.
        assert_eq!(keys(&m, &t, "the account fee is steep"), vec!["price"]);
        assert_eq!(keys(&m, &t, "the accent"), Vec::<String>::new());
    }

    #[test]
    fn an_aspect_yields_to_another_named_in_the_same_sentence() {
        let mut t = taxonomy();
        let mut wait = t.aspects[1].clone();
        wait.key = "wait".into();
        wait.terms_zh = vec!["等了".into(), "小时".into()];
        wait.terms_en = vec!["minutes".into()];
        wait.exclude = vec!["@delivery".into(), "@no_such_aspect".into(), "@wait".into()];
        t.aspects.push(wait);
        let m = AspectMatcher::new(&t).with_models(None);
        // Delivery speed is delivery.
        assert_eq!(keys(&m, &t, "物流太慢了，等了一个星期才到"), vec!["delivery"]);
        assert_eq!(keys(&m, &t, "Express delivery, took 55 minutes."), vec!["delivery"]);
        // Another sentence keeps its own aspect.
        assert_eq!(keys(&m, &t, "物流很快。电话那边等了两个小时"), vec!["delivery", "wait", "wait"]);
        assert_eq!(keys(&m, &t, "Waited 40 minutes on hold"), vec!["wait"]);
        // Unknown keys and the aspect itself are ignored.
        assert_eq!(m.yields_to, vec![(4, 1)]);
    }

    #[test]
    fn ranges_are_char_indices_of_the_original() {
        let t = taxonomy();
        let m = AspectMatcher::new(&t).with_models(None);
        let text = "東西不錯，物流很快";
        let found = m.find(&normalize(text));
        assert_eq!(found.len(), 1);
        let piece: String = text.chars().skip(found[0].start).take(found[0].end - found[0].start).collect();
        assert_eq!(piece, "物流");
    }
}
