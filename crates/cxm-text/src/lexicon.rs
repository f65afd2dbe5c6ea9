//! The bundled sentiment lexicons (`data/lexicon/`, see `PROVENANCE.md`
//! there), parsed once into lookup structures.
//!
//! Chinese: one Aho-Corasick automaton (leftmost-longest, so 不错 wins over
//! 不 and 好像 over 好) over sentiment words, negators, degree words and
//! contrast markers, with a parallel table saying what each pattern is.
//! English: a map from a word or phrase (words joined by one space) to what it
//! is. Emoji: a map from the first code point; emoticons: a small automaton.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashMap;
use std::sync::OnceLock;

pub(crate) const ZH_SENTIMENT: &str = include_str!("../data/lexicon/zh_sentiment.tsv");
pub(crate) const ZH_NEGATION: &str = include_str!("../data/lexicon/zh_negation.txt");
pub(crate) const ZH_DEGREE: &str = include_str!("../data/lexicon/zh_degree.tsv");
pub(crate) const ZH_FUNCTION: &str = include_str!("../data/lexicon/zh_function.tsv");
pub(crate) const ZH_CORE: &str = include_str!("../data/lexicon/zh_core.tsv");
pub(crate) const EN_VADER: &str = include_str!("../data/lexicon/en_vader.tsv");
pub(crate) const EN_OWN: &str = include_str!("../data/lexicon/en_own.tsv");
pub(crate) const EN_NEGATION: &str = include_str!("../data/lexicon/en_negation.txt");
pub(crate) const EN_DEGREE: &str = include_str!("../data/lexicon/en_degree.tsv");
pub(crate) const EN_FUNCTION: &str = include_str!("../data/lexicon/en_function.tsv");
pub(crate) const EMOJI: &str = include_str!("../data/lexicon/emoji.tsv");

/// A marker that shapes how clauses combine rather than carrying valence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// 但是, but: starts a clause that outweighs what came before.
    Contrast,
    /// yet: a contrast only at the start of a clause (not "not yet").
    ContrastInitial,
    /// 却: a contrast inside its clause (质量却很差); no clause split.
    ContrastInner,
    /// 虽然, although: its clause weighs less, the next one more.
    Concession,
    /// while: a concession only at the start of a clause.
    ConcessionInitial,
    /// 难道 … 吗: the clause means the opposite.
    Flip,
    /// 怎么能 …, how can …?: positive words there are sarcastic.
    Indignant,
}

impl Function {
    fn parse(s: &str) -> Option<Function> {
        Some(match s {
            "contrast" => Function::Contrast,
            "contrast_initial" => Function::ContrastInitial,
            "inner" => Function::ContrastInner,
            "concession" => Function::Concession,
            "concession_initial" => Function::ConcessionInitial,
            "flip" => Function::Flip,
            "indignant" => Function::Indignant,
            _ => return None,
        })
    }
}

/// What a lexicon entry is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A sentiment word; weight on the jionlp scale (about ±1 … ±2); 0 blocks.
    Sentiment {
        weight: f32,
        /// Counts only in evaluative use (快, 卡: after a degree word or
        /// negator, or at the end of the clause).
        evaluative: bool,
        /// Before another sentiment word it is a degree adverb (好贵).
        degree_like: bool,
    },
    Negator,
    /// Multiplies the next sentiment word (or, `post`, the one just before).
    Degree {
        mult: f32,
        post: bool,
    },
    Function(Function),
}

/// The Chinese lexicon: `entries[pattern id]` describes each automaton pattern.
pub struct ZhLexicon {
    pub automaton: Option<AhoCorasick>,
    pub entries: Vec<Kind>,
}

/// The English lexicon. Keys are lower-case words or phrases joined by one
/// space; weights are VADER's scale (−4 … +4).
pub struct EnLexicon {
    pub map: HashMap<Box<str>, Kind>,
    /// The longest key, in words.
    pub max_words: usize,
}

/// Emoji (by first code point) and ASCII emoticons.
pub struct EmojiLexicon {
    pub emoji: HashMap<char, f32>,
    pub emoticons: Option<AhoCorasick>,
    pub emoticon_weights: Vec<f32>,
}

pub struct Lexicons {
    pub zh: ZhLexicon,
    pub en: EnLexicon,
    pub emoji: EmojiLexicon,
    /// Bundled lines that did not parse (a test keeps this at zero).
    pub skipped_lines: usize,
}

/// The lexicons, parsed on first use (about 0.1 s in release).
pub fn get() -> &'static Lexicons {
    static LEX: OnceLock<Lexicons> = OnceLock::new();
    LEX.get_or_init(build)
}

/// Data lines of a bundled file: `#` comments and blank lines are skipped.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(|l| l.trim_end_matches('\r')).filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

fn number(s: Option<&str>) -> Option<f32> {
    s?.trim().parse::<f32>().ok().filter(|v| v.is_finite())
}

fn automaton(patterns: &[String]) -> Option<AhoCorasick> {
    // A contiguous NFA: measured as fast as a DFA here (about 4 µs per short
    // text for the whole scorer) while building in a third of the time.
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(patterns)
        .or_else(|_| AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(patterns))
        .ok()
}

fn build() -> Lexicons {
    let mut skipped = 0usize;

    // Chinese: later lists override earlier ones for the same word.
    let mut zh: HashMap<String, Kind> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut put = |map: &mut HashMap<String, Kind>, word: &str, kind: Kind| {
        if map.insert(word.to_string(), kind).is_none() {
            order.push(word.to_string());
        }
    };
    for line in lines(ZH_SENTIMENT) {
        let mut f = line.split('\t');
        match (f.next(), number(f.next())) {
            (Some(w), Some(weight)) if !w.is_empty() => {
                put(&mut zh, w, Kind::Sentiment { weight, evaluative: false, degree_like: false })
            }
            _ => skipped += 1,
        }
    }
    for line in lines(ZH_NEGATION) {
        put(&mut zh, line.trim(), Kind::Negator);
    }
    for line in lines(ZH_DEGREE) {
        let mut f = line.split('\t');
        match (f.next(), number(f.next()), f.next()) {
            (Some(w), Some(mult), Some(p @ ("pre" | "post"))) if !w.is_empty() => {
                put(&mut zh, w, Kind::Degree { mult, post: p == "post" })
            }
            _ => skipped += 1,
        }
    }
    for line in lines(ZH_FUNCTION) {
        let mut f = line.split('\t');
        match (f.next(), f.next().and_then(Function::parse)) {
            (Some(w), Some(func)) if !w.is_empty() => put(&mut zh, w, Kind::Function(func)),
            _ => skipped += 1,
        }
    }
    for line in lines(ZH_CORE) {
        let mut f = line.split('\t');
        match (f.next(), number(f.next()), f.next()) {
            (Some(w), Some(weight), Some(flags)) if !w.is_empty() => put(
                &mut zh,
                w,
                Kind::Sentiment { weight, evaluative: flags.contains('e'), degree_like: flags.contains('d') },
            ),
            _ => skipped += 1,
        }
    }
    let entries: Vec<Kind> = order.iter().filter_map(|w| zh.get(w).copied()).collect();
    let zh = ZhLexicon { automaton: automaton(&order), entries };

    // English: VADER, then our overrides, degree words, negators, markers.
    let mut map: HashMap<Box<str>, Kind> = HashMap::new();
    for text in [EN_VADER, EN_OWN] {
        for line in lines(text) {
            let mut f = line.split('\t');
            match (f.next(), number(f.next())) {
                (Some(w), Some(weight)) if !w.is_empty() => {
                    map.insert(w.into(), Kind::Sentiment { weight, evaluative: false, degree_like: false });
                }
                _ => skipped += 1,
            }
        }
    }
    for line in lines(EN_DEGREE) {
        let mut f = line.split('\t');
        match (f.next(), number(f.next())) {
            (Some(w), Some(mult)) if !w.is_empty() => {
                map.insert(w.into(), Kind::Degree { mult, post: false });
            }
            _ => skipped += 1,
        }
    }
    for line in lines(EN_NEGATION) {
        map.insert(line.trim().into(), Kind::Negator);
    }
    for line in lines(EN_FUNCTION) {
        let mut f = line.split('\t');
        match (f.next(), f.next().and_then(Function::parse)) {
            (Some(w), Some(func)) if !w.is_empty() => {
                map.insert(w.into(), Kind::Function(func));
            }
            _ => skipped += 1,
        }
    }
    let max_words = map.keys().map(|k| k.split(' ').count()).max().unwrap_or(1);
    let en = EnLexicon { map, max_words };

    // Emoji and emoticons share one file: one code point (plus selectors) or ASCII.
    let mut emoji = HashMap::new();
    let mut emoticons = Vec::new();
    let mut emoticon_weights = Vec::new();
    for line in lines(EMOJI) {
        let mut f = line.split('\t');
        match (f.next(), number(f.next())) {
            (Some(sym), Some(w)) if sym.is_ascii() && !sym.is_empty() => {
                emoticons.push(sym.to_string());
                emoticon_weights.push(w);
            }
            (Some(sym), Some(w)) => match sym.chars().next() {
                Some(c) => {
                    emoji.insert(c, w);
                }
                None => skipped += 1,
            },
            _ => skipped += 1,
        }
    }
    let emoji = EmojiLexicon { emoji, emoticons: automaton(&emoticons), emoticon_weights };

    Lexicons { zh, en, emoji, skipped_lines: skipped }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_files_parse_without_skipped_lines() {
        let lex = get();
        assert_eq!(lex.skipped_lines, 0);
        assert!(lex.zh.automaton.is_some() && lex.emoji.emoticons.is_some());
        assert!(lex.zh.entries.len() > 30_000, "{}", lex.zh.entries.len());
        assert!(lex.en.map.len() > 7_000);
        assert!(lex.en.max_words >= 3);
    }

    fn zh_kind(word: &str) -> Option<Kind> {
        let lex = get();
        let ac = lex.zh.automaton.as_ref()?;
        let m = ac.find(word)?;
        (m.start() == 0 && m.end() == word.len()).then(|| lex.zh.entries[m.pattern().as_usize()])
    }

    #[test]
    fn lists_override_in_the_documented_order() {
        // 特别 is a sentiment word in jionlp and a degree word in ours.
        assert!(matches!(zh_kind("特别"), Some(Kind::Degree { mult, post: false }) if mult > 1.0));
        assert!(matches!(zh_kind("有点"), Some(Kind::Degree { mult, .. }) if mult < 1.0));
        assert!(matches!(zh_kind("不"), Some(Kind::Negator)));
        assert!(matches!(zh_kind("但是"), Some(Kind::Function(Function::Contrast))));
        assert!(matches!(zh_kind("好像"), Some(Kind::Sentiment { weight, .. }) if weight == 0.0));
        assert!(matches!(zh_kind("快"), Some(Kind::Sentiment { evaluative: true, .. })));
        assert!(matches!(zh_kind("不错"), Some(Kind::Sentiment { weight, .. }) if weight > 0.0));
        let en = &get().en.map;
        assert!(matches!(en.get("no"), Some(Kind::Negator)));
        assert!(matches!(en.get("very"), Some(Kind::Degree { .. })));
        assert!(matches!(en.get("waste of money"), Some(Kind::Sentiment { weight, .. }) if *weight < 0.0));
        assert!(matches!(en.get("but"), Some(Kind::Function(Function::Contrast))));
        assert!(get().emoji.emoji.get(&'😡').is_some_and(|w| *w < 0.0));
    }
}
