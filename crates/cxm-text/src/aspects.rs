//! Finding the taxonomy's aspects in a text: one Aho–Corasick pass over every
//! term and exclusion of every aspect (leftmost-longest, so 评价 wins over a
//! price term 价 inside it, and "customer service" over "service").
//!
//! Term syntax: a term is matched after normalization (ASCII lower case,
//! half-width, simplified Chinese). An ASCII term must stand as a whole word
//! unless it ends in `*`, which makes it a prefix (`deliver*` matches
//! delivery, delivered, delivering).

use crate::normalize::normalize;
use crate::taxonomy::Taxonomy;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::HashMap;

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
        for aspect in &taxonomy.aspects {
            for raw in &aspect.exclude {
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
        AspectMatcher { automaton, patterns }
    }

    /// Every term of the taxonomy in `norm` (normalized text), in order.
    pub fn find(&self, norm: &str) -> Vec<TermMatch> {
        let Some(ac) = &self.automaton else { return Vec::new() };
        let mut out = Vec::new();
        let mut char_at: Option<Vec<usize>> = None;
        for m in ac.find_iter(norm) {
            let Pattern::Term { aspects, term, whole_word_start, whole_word_end } =
                &self.patterns[m.pattern().as_usize()]
            else {
                continue;
            };
            if *whole_word_start && norm[..m.start()].chars().next_back().is_some_and(is_word_char) {
                continue;
            }
            if *whole_word_end && norm[m.end()..].chars().next().is_some_and(is_word_char) {
                continue;
            }
            let map = char_at.get_or_insert_with(|| byte_to_char(norm));
            for &aspect in aspects {
                out.push(TermMatch { aspect, start: map[m.start()], end: map[m.end()], term: term.clone() });
            }
        }
        out
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
        let m = AspectMatcher::new(&t);
        assert_eq!(keys(&m, &t, "物流很快，但是太贵了"), vec!["delivery", "price"]);
        assert_eq!(keys(&m, &t, "给个好评价吧"), Vec::<String>::new());
        assert_eq!(keys(&m, &t, "The Delivery was late"), vec!["delivery"]);
        assert_eq!(keys(&m, &t, "prices are fine"), Vec::<String>::new(), "price is a whole word");
        assert_eq!(keys(&m, &t, "Customer service was slow"), vec!["staff"]);
        // A term shared by two aspects names both.
        assert_eq!(keys(&m, &t, "客服不理人"), vec!["staff", "service"]);
    }

    #[test]
    fn ranges_are_char_indices_of_the_original() {
        let t = taxonomy();
        let m = AspectMatcher::new(&t);
        let text = "東西不錯，物流很快";
        let found = m.find(&normalize(text));
        assert_eq!(found.len(), 1);
        let piece: String = text.chars().skip(found[0].start).take(found[0].end - found[0].start).collect();
        assert_eq!(piece, "物流");
    }
}
