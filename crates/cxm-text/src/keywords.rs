//! Keywords of one text and top terms of a collection (SPEC §5 "keywords").
//!
//! Per text: content words only (bundled stop-word lists, no numbers or
//! punctuation), ranked by frequency and specificity for short texts and by
//! TextRank over a co-occurrence window for longer ones. Per collection:
//! TF-IDF summed over the documents' keyword lists.

use crate::segment::{Segmenter, Word};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

pub(crate) const STOPWORDS_ZH: &str = include_str!("../data/stopwords_zh.txt");
pub(crate) const STOPWORDS_EN: &str = include_str!("../data/stopwords_en.txt");

/// Single Han characters kept as keywords. Jieba leaves many one-character
/// words, nearly all function words; these few name a defect of a product or
/// service on their own ("太贵了", "房间很脏", "屏幕裂了", "太坑") and would
/// otherwise vanish; 床 is there because hotel texts name it alone. General
/// praise and blame (好, 差, 棒) are left out: they say how the customer
/// feels, which the sentiment model reports, not what about.
const HAN_SINGLES: &[&str] = &[
    "贵", "貴", "慢", "卡", "脏", "髒", "吵", "臭", "破", "坏", "壞", "漏", "假", "挤", "擠", "冷", "热", "熱", "晚",
    "乱", "亂", "霉", "黴", "裂", "碎", "咸", "鹹", "淡", "硬", "腥", "馊", "旧", "舊", "丑", "醜", "坑", "凶", "兇",
    "床",
];

/// Two-letter English words that are whole topics in customer text
/// (other words under three letters are function words).
const SHORT_LATIN: &[&str] = &["ui", "ux", "tv", "pc", "qq"];

/// From this many content tokens on, a text is ranked by TextRank; below it
/// the co-occurrence graph is too sparse to say more than the counts do.
const TEXTRANK_MIN_TOKENS: usize = 20;
/// Co-occurrence window over content tokens (as jieba's TextRank: 5).
const TEXTRANK_WINDOW: usize = 5;
const TEXTRANK_DAMPING: f64 = 0.85;
const TEXTRANK_MAX_ITER: usize = 30;
const TEXTRANK_TOLERANCE: f64 = 1e-6;

fn stopwords() -> &'static HashSet<&'static str> {
    static STOP: OnceLock<HashSet<&'static str>> = OnceLock::new();
    STOP.get_or_init(|| {
        [STOPWORDS_ZH, STOPWORDS_EN]
            .iter()
            .flat_map(|list| list.lines())
            .filter(|line| !line.trim_start().starts_with('#'))
            .flat_map(str::split_whitespace)
            .collect()
    })
}

/// True when `word` is on a bundled stop-word list.
pub fn is_stopword(word: &str) -> bool {
    stopwords().contains(word)
}

fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'     // CJK Unified Ideographs
        | '\u{3400}'..='\u{4DBF}'   // Extension A
        | '\u{F900}'..='\u{FAFF}'   // Compatibility Ideographs
        | '\u{20000}'..='\u{2FFFF}' // Extensions B–F and supplement
    )
}

/// What sort of content word a token is; sets its weight in the ranking.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// One Han character from [`HAN_SINGLES`].
    HanSingle,
    /// Two Han characters (the bulk of Chinese words).
    Han2,
    /// Three or more Han characters, or Han mixed with Latin/digits: compounds
    /// and product names, more specific than two-character words.
    HanLong,
    /// A word of letters.
    Latin,
    /// Letters and digits: model names and codes (5g, p40).
    Code,
}

impl Kind {
    /// Specificity weight: longer and coded terms are more telling than short
    /// common ones; single characters only win when repeated.
    fn weight(self) -> f64 {
        match self {
            Kind::HanSingle => 0.5,
            Kind::Han2 | Kind::Latin => 1.0,
            Kind::Code => 1.1,
            Kind::HanLong => 1.2,
        }
    }
}

/// Light English plural folding (batteries → battery, boxes → box, refunds →
/// refund). Deliberately crude: it only has to merge the forms customers mix
/// within one text or collection, not lemmatize.
fn singular(word: &str) -> Cow<'_, str> {
    const KEEP: &[&str] = &["news", "series", "species", "always", "perhaps", "sometimes", "various", "previous"];
    let n = word.len();
    if n < 4 || !word.ends_with('s') || KEEP.contains(&word) {
        return Cow::Borrowed(word);
    }
    if let Some(stem) = word.strip_suffix("ies").filter(|s| s.len() >= 2) {
        return Cow::Owned(format!("{stem}y"));
    }
    for suffix in ["sses", "xes", "ches", "shes", "zzes"] {
        if word.ends_with(suffix) {
            return Cow::Borrowed(&word[..n - 2]);
        }
    }
    // -ss (glass), -us (status), -is (analysis), -ous (adjectives) are not plurals.
    if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") {
        return Cow::Borrowed(word);
    }
    Cow::Borrowed(&word[..n - 1])
}

/// Degree adverbs that jieba's dictionary glues to a following adjective
/// (太慢, 很脏, 巨卡): the adjective is the keyword.
const DEGREE_PREFIXES: &[char] = &['太', '很', '超', '挺', '蛮', '最', '更', '较', '巨', '贼'];

/// Symbols that may stand inside a Latin or code token (wi-fi, c++, e-mail).
fn is_inner_symbol(c: char) -> bool {
    matches!(c, '-' | '+' | '.' | '#' | '&' | '_')
}

/// Units and ordinal endings after a number: "10am", "2nd", "30min" are
/// quantities, not codes. (Not "g": 5g is the network.)
const NUMBER_SUFFIXES: &[&str] = &[
    "st", "nd", "rd", "th", "am", "pm", "h", "hr", "hrs", "min", "mins", "s", "sec", "secs", "kg", "km", "cm", "mm",
    "ml",
];

/// The keyword form of one token, or `None` when it is not a content word.
fn content_term(word: &str) -> Option<(Cow<'_, str>, Kind)> {
    // Symbols at the edges ("etc.", "-abc") are punctuation, inside they join.
    let word = word.trim_matches(|c: char| matches!(c, '-' | '.' | '_'));
    let (mut chars, mut han, mut letters, mut digits, mut symbols) = (0usize, 0usize, 0usize, 0usize, 0usize);
    for c in word.chars() {
        chars += 1;
        if is_han(c) {
            han += 1;
        } else if c.is_ascii_digit() {
            digits += 1;
        } else if c.is_alphabetic() {
            letters += 1;
        } else if is_inner_symbol(c) {
            symbols += 1;
        } else {
            // Punctuation, emoji, spaces: never part of a keyword.
            return None;
        }
    }
    if han > 0 {
        if symbols > 0 {
            return None;
        }
        return match (chars, han == chars) {
            (1, _) => HAN_SINGLES.contains(&word).then_some((Cow::Borrowed(word), Kind::HanSingle)),
            (2, true) => han_pair(word),
            _ if is_stopword(word) => None,
            _ => Some((Cow::Borrowed(word), Kind::HanLong)),
        };
    }
    if letters == 0 {
        return None; // a number (3, 3.5, 12315)
    }
    if digits > 0 || symbols > 0 {
        if symbols == 0 {
            let tail = word.trim_start_matches(|c: char| c.is_ascii_digit());
            if tail.len() < word.len() && NUMBER_SUFFIXES.contains(&tail) {
                return None;
            }
        }
        return (chars >= 2 && !is_stopword(word)).then_some((Cow::Borrowed(word), Kind::Code));
    }
    if chars < 3 && !SHORT_LATIN.contains(&word) {
        return None;
    }
    if is_stopword(word) {
        return None;
    }
    let term = singular(word);
    if term.len() < word.len() && is_stopword(&term) {
        return None;
    }
    Some((term, Kind::Latin))
}

/// A two-character Han word: a degree adverb glued to a defect character
/// gives that character (太慢 → 慢); glued to anything else that is a stop
/// word (很好, 太差) it is dropped; otherwise the word stands (超市, 更新).
fn han_pair(word: &str) -> Option<(Cow<'_, str>, Kind)> {
    let mut chars = word.char_indices();
    if let (Some((_, first)), Some((i, _))) = (chars.next(), chars.next())
        && DEGREE_PREFIXES.contains(&first)
    {
        let rest = &word[i..];
        if HAN_SINGLES.contains(&rest) {
            return Some((Cow::Borrowed(rest), Kind::HanSingle));
        }
        if is_stopword(rest) {
            return None;
        }
    }
    (!is_stopword(word)).then_some((Cow::Borrowed(word), Kind::Han2))
}

/// A distinct content term of a text.
struct Candidate<'a> {
    term: Cow<'a, str>,
    kind: Kind,
    count: u32,
    /// Index of its first occurrence among the content tokens: the tie-break.
    first: usize,
}

/// The keywords of one normalized text (ASCII lower case, half-width, as
/// [`crate::normalize::normalize`] makes it), best first, at most `max`.
///
/// See [`keywords_from_words`] for the rules; this segments `norm` first.
pub fn keywords(seg: &Segmenter, norm: &str, max: usize) -> Vec<String> {
    if max == 0 || norm.trim().is_empty() {
        return Vec::new();
    }
    keywords_from_words(&seg.words(norm), max)
}

/// The keywords of an already segmented normalized text (so the analyzer
/// segments once for every model), best first, at most `max`, no repeats.
///
/// Content words only: stop words out; Han words of ≥ 2 characters plus a
/// short list of single characters that name a defect (贵 慢 卡 脏 …);
/// English words of ≥ 3 letters (and ui, tv, pc …) with plurals folded;
/// letter–digit codes (5g); no numbers, punctuation or emoji.
///
/// Ranking: with fewer than 20 content tokens, count × specificity weight
/// (longer Han compounds and codes weigh more, single characters less); from
/// 20 on, TextRank (window 5, damping 0.85) × the same weight. Ties go to the
/// term seen first, so the result is deterministic.
pub fn keywords_from_words(words: &[Word<'_>], max: usize) -> Vec<String> {
    if max == 0 {
        return Vec::new();
    }
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    let mut index: HashMap<Cow<'_, str>, usize> = HashMap::new();
    // The sequence of content tokens as candidate indices (TextRank's input).
    let mut sequence: Vec<usize> = Vec::with_capacity(words.len());
    for word in words {
        let Some((term, kind)) = content_term(word.text) else { continue };
        let position = sequence.len();
        let id = match index.get(&term) {
            Some(&id) => {
                candidates[id].count += 1;
                id
            }
            None => {
                let id = candidates.len();
                index.insert(term.clone(), id);
                candidates.push(Candidate { term, kind, count: 1, first: position });
                id
            }
        };
        sequence.push(id);
    }
    if candidates.is_empty() {
        return Vec::new();
    }
    let base: Vec<f64> = if sequence.len() >= TEXTRANK_MIN_TOKENS {
        textrank(&sequence, candidates.len())
    } else {
        candidates.iter().map(|c| f64::from(c.count)).collect()
    };
    let mut order: Vec<(f64, usize)> =
        candidates.iter().zip(&base).enumerate().map(|(i, (c, b))| (b * c.kind.weight(), i)).collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0).then(candidates[a.1].first.cmp(&candidates[b.1].first)));
    order.into_iter().take(max).map(|(_, i)| candidates[i].term.to_string()).collect()
}

/// TextRank (Mihalcea & Tarau 2004) on the undirected graph whose edges join
/// distinct terms within [`TEXTRANK_WINDOW`] content tokens of each other,
/// weighted by how often they do. Returns a score per node.
fn textrank(sequence: &[usize], nodes: usize) -> Vec<f64> {
    let mut pairs: Vec<(usize, usize)> = Vec::with_capacity(sequence.len() * (TEXTRANK_WINDOW - 1) * 2);
    for (i, &a) in sequence.iter().enumerate() {
        for &b in sequence.iter().skip(i + 1).take(TEXTRANK_WINDOW - 1) {
            if a != b {
                pairs.push((a, b));
                pairs.push((b, a));
            }
        }
    }
    // Sorted pairs → a compressed adjacency list; a sorted, fixed summation
    // order keeps the scores bit-for-bit reproducible.
    pairs.sort_unstable();
    let mut start = vec![0usize; nodes + 1];
    let mut targets: Vec<usize> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    let mut k = 0;
    while k < pairs.len() {
        let (a, b) = pairs[k];
        let mut w = 0.0;
        while k < pairs.len() && pairs[k] == (a, b) {
            w += 1.0;
            k += 1;
        }
        targets.push(b);
        weights.push(w);
        start[a + 1] = targets.len();
    }
    // Nodes without edges leave their start at 0; carry the previous end over.
    for i in 1..=nodes {
        start[i] = start[i].max(start[i - 1]);
    }
    let strength: Vec<f64> = (0..nodes).map(|i| weights[start[i]..start[i + 1]].iter().sum()).collect();
    let mut score = vec![1.0; nodes];
    let mut next = vec![0.0; nodes];
    for _ in 0..TEXTRANK_MAX_ITER {
        let mut change: f64 = 0.0;
        for (i, slot) in next.iter_mut().enumerate() {
            let range = start[i]..start[i + 1];
            // The graph is symmetric, so i's in-neighbours are its out-neighbours.
            let inflow: f64 =
                targets[range.clone()].iter().zip(&weights[range]).map(|(&j, &w)| w / strength[j] * score[j]).sum();
            *slot = (1.0 - TEXTRANK_DAMPING) + TEXTRANK_DAMPING * inflow;
            change = change.max((*slot - score[i]).abs());
        }
        std::mem::swap(&mut score, &mut next);
        if change < TEXTRANK_TOLERANCE {
            break;
        }
    }
    score
}

/// A term's weight across a collection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermScore {
    pub term: String,
    /// Σ over documents of the term's L2-normalized TF-IDF weight.
    pub score: f64,
    /// Documents that contain the term (document frequency).
    pub docs: u64,
}

/// The top `k` terms of a collection of keyword lists (one list per text).
///
/// Score of term t: Σ_d w(t, d) where w(t, d) = tf(t, d)·idf(t) / ‖w(·, d)‖₂,
/// idf(t) = ln((1 + N)/(1 + df(t))) + 1, N = number of documents (as
/// scikit-learn's `TfidfVectorizer(smooth_idf=True, norm="l2")` summed over
/// rows). With keyword lists tf is mostly 0/1, so the score grows with the
/// document frequency; the normalization lets a term that carries a short
/// list count more than one of many in a long list, and idf damps terms found
/// everywhere. Sorted by score, then document frequency (both descending),
/// then term. Empty terms are ignored; empty documents still count in N.
pub fn top_terms(docs: &[Vec<String>], k: usize) -> Vec<TermScore> {
    if k == 0 || docs.is_empty() {
        return Vec::new();
    }
    // Term frequencies per document, in first-seen order (for a fixed
    // summation order).
    let mut per_doc: Vec<Vec<(&str, u32)>> = Vec::with_capacity(docs.len());
    let mut df: HashMap<&str, u64> = HashMap::new();
    for doc in docs {
        let mut tf: Vec<(&str, u32)> = Vec::new();
        for term in doc.iter().map(String::as_str).filter(|t| !t.is_empty()) {
            match tf.iter_mut().find(|(t, _)| *t == term) {
                Some((_, c)) => *c += 1,
                None => tf.push((term, 1)),
            }
        }
        for (term, _) in &tf {
            *df.entry(term).or_insert(0) += 1;
        }
        per_doc.push(tf);
    }
    let n = docs.len() as f64;
    let idf = |term: &str| {
        let d = df.get(term).copied().unwrap_or(0) as f64;
        ((1.0 + n) / (1.0 + d)).ln() + 1.0
    };
    let mut scores: HashMap<&str, f64> = HashMap::with_capacity(df.len());
    for tf in &per_doc {
        let weights: Vec<f64> = tf.iter().map(|(t, c)| f64::from(*c) * idf(t)).collect();
        let norm = weights.iter().map(|w| w * w).sum::<f64>().sqrt();
        if norm <= 0.0 {
            continue;
        }
        for ((term, _), w) in tf.iter().zip(&weights) {
            *scores.entry(term).or_insert(0.0) += w / norm;
        }
    }
    let mut out: Vec<TermScore> = scores
        .into_iter()
        .map(|(term, score)| TermScore { term: term.to_string(), score, docs: df.get(term).copied().unwrap_or(0) })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.docs.cmp(&a.docs)).then_with(|| a.term.cmp(&b.term)));
    out.truncate(k);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn kw(text: &str, max: usize) -> Vec<String> {
        keywords(&Segmenter::default(), &normalize(text), max)
    }

    fn doc(terms: &[&str]) -> Vec<String> {
        terms.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn stopword_lists_load_and_spare_aspect_words() {
        for w in ["的", "这个", "东西", "感觉", "the", "and", "was", "this", "they", "don"] {
            assert!(is_stopword(w), "{w} should be a stop word");
        }
        for w in ["物流", "客服", "质量", "态度", "价格", "slow", "rude", "delivery", "refund", "kind"] {
            assert!(!is_stopword(w), "{w} must stay a content word");
        }
        // The header lines are comments, not words.
        assert!(!is_stopword("#"));
        assert!(!is_stopword("cxm"));
    }

    #[test]
    fn terms_of_the_default_taxonomy_stay_keywords() {
        let taxonomy = crate::taxonomy::Taxonomy::default();
        for aspect in &taxonomy.aspects {
            for term in aspect.terms_zh.iter().chain(&aspect.terms_en) {
                assert!(!is_stopword(term), "{term} ({}) is a stop word", aspect.key);
                // Phrases are matched by the taxonomy, not by keywords; 懂 is a
                // verb that needs its negation (不懂) to mean anything.
                if !term.contains(' ') && term != "懂" {
                    assert!(content_term(term).is_some(), "{term} ({}) is not a keyword", aspect.key);
                }
            }
        }
    }

    #[test]
    fn content_words_only() {
        // jieba cuts 太慢 and 很脏 as single words; the degree adverb goes.
        let words = kw("物流太慢了，客服态度也很差，3天了还没到！！房间很脏😡", 10);
        for expected in ["物流", "客服", "态度", "慢", "脏"] {
            assert!(words.contains(&expected.to_string()), "{expected} missing from {words:?}");
        }
        for dropped in ["了", "也", "很", "差", "很差", "太慢", "3", "天", "！", "!", "😡", "，"] {
            assert!(!words.contains(&dropped.to_string()), "{dropped} kept in {words:?}");
        }
    }

    #[test]
    fn english_filters_length_stopwords_and_plurals() {
        let words = kw("The delivery was SLOW and the boxes were damaged. Two boxes! I want refunds, 100 of them", 10);
        assert!(words.contains(&"delivery".to_string()), "{words:?}");
        assert!(words.contains(&"slow".to_string()), "{words:?}");
        assert!(words.contains(&"damaged".to_string()), "{words:?}");
        assert!(words.contains(&"refund".to_string()), "{words:?}");
        // boxes ×2 folds to box and ranks first (count 2).
        assert_eq!(words[0], "box", "{words:?}");
        for dropped in ["the", "was", "and", "were", "two", "want", "100", "boxes", "them"] {
            assert!(!words.contains(&dropped.to_string()), "{dropped} kept in {words:?}");
        }
    }

    #[test]
    fn plural_folding_rules() {
        for (plural, single) in [
            ("batteries", "battery"),
            ("boxes", "box"),
            ("classes", "class"),
            ("refunds", "refund"),
            ("glass", "glass"),
            ("status", "status"),
            ("news", "news"),
            ("bus", "bus"),
        ] {
            assert_eq!(singular(plural), single);
        }
    }

    #[test]
    fn codes_kept_numbers_and_ordinals_dropped() {
        assert_eq!(content_term("5g").map(|(t, k)| (t.into_owned(), k)), Some(("5g".to_string(), Kind::Code)));
        assert!(content_term("12315").is_none());
        assert!(content_term("2nd").is_none());
        assert!(content_term("3.5").is_none());
        assert!(content_term("10am").is_none());
        assert!(content_term("30min").is_none());
        assert_eq!(content_term("wi-fi").map(|(t, _)| t.into_owned()), Some("wi-fi".to_string()));
        assert_eq!(content_term("c++").map(|(t, _)| t.into_owned()), Some("c++".to_string()));
        assert_eq!(content_term("etc.").map(|(t, _)| t.into_owned()), None);
        assert_eq!(content_term("iphone15").map(|(_, k)| k), Some(Kind::Code));
        assert!(content_term("ui").is_some());
        assert!(content_term("ok").is_none());
        assert!(content_term("好").is_none());
        assert!(content_term("贵").is_some());
        assert_eq!(content_term("太贵").map(|(t, _)| t.into_owned()), Some("贵".to_string()));
        assert!(content_term("很好").is_none());
        assert!(content_term("不错").is_none());
        // Degree-like first characters that are part of a word stay.
        assert_eq!(content_term("超市").map(|(t, _)| t.into_owned()), Some("超市".to_string()));
        assert_eq!(content_term("更新").map(|(t, _)| t.into_owned()), Some("更新".to_string()));
    }

    #[test]
    fn empty_and_filler_only_texts_have_no_keywords() {
        assert!(kw("", 5).is_empty());
        assert!(kw("   ", 5).is_empty());
        assert!(kw("的了吗，。！？123", 5).is_empty());
        assert!(kw("this is it and that was the thing", 5).is_empty());
        assert!(kw("物流很快", 0).is_empty());
    }

    #[test]
    fn repeated_term_ranks_first_and_no_duplicates() {
        let words = kw("包装很好，包装结实，包装精美，快递员也准时", 10);
        assert_eq!(words[0], "包装", "{words:?}");
        let mut dedup = words.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(dedup.len(), words.len(), "{words:?}");
    }

    #[test]
    fn max_limits_and_ties_follow_first_occurrence() {
        // Each two-character word once: equal scores, so text order decides.
        let words = kw("价格 质量 物流 客服", 10);
        assert_eq!(words, vec!["价格", "质量", "物流", "客服"]);
        assert_eq!(kw("价格 质量 物流 客服", 2), vec!["价格", "质量"]);
    }

    #[test]
    fn long_text_uses_textrank_and_is_deterministic() {
        let text = "这次的快递太慢了，快递员态度也不好，打电话给客服，客服说快递在路上，\
                    等了一周快递还没到，物流信息一直不更新，客服也解决不了问题，\
                    最后快递员把包裹放在门口，包裹被雨淋湿了，包装也破了，\
                    我要求退款，客服说要等审核，退款到现在还没到账。";
        let seg = Segmenter::default();
        let norm = normalize(text);
        let words = seg.words(&norm);
        let content = words.iter().filter(|w| content_term(w.text).is_some()).count();
        assert!(content >= TEXTRANK_MIN_TOKENS, "only {content} content tokens");
        let a = keywords(&seg, &norm, 5);
        let b = keywords(&seg, &norm, 5);
        assert_eq!(a, b);
        assert_eq!(a.len(), 5);
        // The most connected, most repeated words lead.
        assert!(a[..3].contains(&"快递".to_string()), "{a:?}");
        assert!(a[..3].contains(&"客服".to_string()), "{a:?}");
    }

    #[test]
    fn textrank_scores_hub_above_leaves() {
        // Term 0 starts every run of five, so it co-occurs with every run's
        // terms; the others only with their own run and its neighbours.
        let mut seq = Vec::new();
        for leaf in 1..=6 {
            seq.extend([0, leaf, leaf + 10, leaf + 20, leaf + 30]);
        }
        let nodes = 37;
        let s = textrank(&seq, nodes);
        let max_other = (1..nodes).map(|i| s[i]).fold(0.0, f64::max);
        assert!(s[0] > max_other, "hub {} vs {max_other}", s[0]);
        // Isolated nodes (never in the sequence) keep the teleport floor 0.15.
        assert!((s[7] - 0.15).abs() < 1e-12, "{}", s[7]);
    }

    #[test]
    fn top_terms_tfidf() {
        let docs = vec![
            doc(&["物流", "慢"]),
            doc(&["物流", "客服", "态度", "退款"]),
            doc(&["物流"]),
            doc(&[]),
            doc(&["客服"]),
        ];
        let top = top_terms(&docs, 10);
        assert_eq!(top[0].term, "物流");
        assert_eq!(top[0].docs, 3);
        assert_eq!(top[1].term, "客服");
        assert_eq!(top[1].docs, 2);
        // A term alone in its document contributes exactly 1 (normalized).
        let n = 5.0_f64;
        let idf = |df: f64| ((1.0 + n) / (1.0 + df)).ln() + 1.0;
        let (i_wl, i_man) = (idf(3.0), idf(1.0));
        let doc1 = i_wl / (i_wl * i_wl + i_man * i_man).sqrt();
        let doc2 = i_wl / (i_wl * i_wl + idf(2.0).powi(2) + 2.0 * i_man * i_man).sqrt();
        assert!((top[0].score - (doc1 + doc2 + 1.0)).abs() < 1e-12, "{:?}", top[0]);
        assert_eq!(top_terms(&docs, 1).len(), 1);
        assert!(top_terms(&docs, 0).is_empty());
        assert!(top_terms(&[], 5).is_empty());
        assert!(top_terms(&[vec![], vec![String::new()]], 5).is_empty());
    }

    #[test]
    fn top_terms_ties_sorted_by_term() {
        let docs = vec![doc(&["b"]), doc(&["a"]), doc(&["c"])];
        let top = top_terms(&docs, 10);
        let terms: Vec<&str> = top.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(terms, vec!["a", "b", "c"]);
        // A term in every document: idf = 1, still ranked and counted.
        let all = top_terms(&[doc(&["x"]), doc(&["x", "x"])], 5);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].docs, 2);
        assert!((all[0].score - 2.0).abs() < 1e-12);
    }

    /// Timing in release: `cargo test --release -p cxm-text --lib keywords::tests::speed -- --ignored --nocapture`.
    #[test]
    #[ignore = "timing; run in release"]
    fn speed() {
        use std::time::Instant;
        let seg = Segmenter::default();
        let texts: Vec<String> = [
            "物流太慢了，等了一个星期才到，客服态度也很差",
            "质量不错，包装很好，快递员送货上门，很满意",
            "app总是闪退，更新以后更卡了，希望尽快修复",
            "The delivery was late and the support staff were rude",
        ]
        .iter()
        .map(|t| normalize(t))
        .collect();
        let rounds = 20_000;
        let started = Instant::now();
        let mut n = 0;
        for _ in 0..rounds {
            for t in &texts {
                n += seg.words(t).len();
            }
        }
        let seg_us = started.elapsed().as_secs_f64() * 1e6 / (rounds * texts.len()) as f64;
        let words: Vec<_> = texts.iter().map(|t| seg.words(t)).collect();
        let started = Instant::now();
        for _ in 0..rounds {
            for w in &words {
                n += keywords_from_words(w, 5).len();
            }
        }
        let kw_us = started.elapsed().as_secs_f64() * 1e6 / (rounds * texts.len()) as f64;
        let long: String = texts.concat().repeat(4);
        let long_words = seg.words(&long);
        let started = Instant::now();
        for _ in 0..2_000 {
            n += keywords_from_words(&long_words, 5).len();
        }
        let long_us = started.elapsed().as_secs_f64() * 1e6 / 2_000.0;
        println!(
            "segmentation {seg_us:.2} µs/text, keywords {kw_us:.2} µs/text beyond it (~25 chars), \
             TextRank text of {} chars: {long_us:.1} µs ({n})",
            long.chars().count()
        );
    }
}
