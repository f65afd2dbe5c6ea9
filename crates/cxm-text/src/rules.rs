//! The rule-based sentiment scorer for Chinese and English (and both mixed).
//!
//! Words come from the bundled lexicons ([`crate::lexicon`]): Han runs use the
//! Chinese lexicon, ASCII words the English one, emoji and emoticons their own
//! table, whatever the text's language. The text is cut into clauses (at
//! `，,、；;。！？!?` and at contrast words) and sentences; within a clause a
//! negator flips the next sentiment word a few words on, a degree word
//! multiplies it; across clauses the one after a contrast (但是, but) or after
//! a concession (虽然, although) outweighs the one before. Repeated `!`
//! amplifies a sentence and a rhetorical question (难道…吗, how can …?) flips
//! or sours it.

use crate::lexicon::{self, Function, Kind};
use std::ops::Range;

/// The score of one clause; `range` is in `char` indices into the text.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseScore {
    pub range: Range<usize>,
    pub score: f32,
}

/// The rule score of a text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleScore {
    /// Total valence, unbounded; 0 when no lexicon word was found.
    /// Always `positive + negative`.
    pub score: f32,
    /// Sum of the positive contributions (≥ 0).
    pub positive: f32,
    /// Sum of the negative contributions (≤ 0).
    pub negative: f32,
    /// Number of lexicon words (and emoji) that counted.
    pub hits: u32,
    /// Every clause with some content, in text order, with its score
    /// (0 when it has no sentiment word). The scores add up to `score`.
    pub clauses: Vec<ClauseScore>,
}

/// A negated word keeps this share of its valence, reversed (VADER's idea; 0.74 there).
const NEGATION: f32 = -0.74;
/// "not very good", 不是很好: a negated intensified word is weakly negative.
const NEGATED_BOOSTED: f32 = -0.5;
/// English weights are on VADER's −4 … +4 scale; this brings them to jionlp's ±1 … ±2.
const EN_SCALE: f32 = 0.5;
/// A 好 right before another sentiment word is a degree adverb (好贵).
const DEGREE_LIKE_MULT: f32 = 1.5;
/// Clauses before a contrast weigh less, the ones after it more.
const BEFORE_CONTRAST: f32 = 0.5;
const AFTER_CONTRAST: f32 = 1.5;
/// Each `!` adds this much to its sentence, up to four.
const EXCLAMATION_STEP: f32 = 0.1;
const MAX_EXCLAMATIONS: u32 = 4;
/// 难道 … 吗: the clause means the opposite, a little less strongly.
const RHETORICAL_FLIP: f32 = -0.7;
/// 怎么能 …, how can …?: praise there is sarcasm.
const SARCASM: f32 = -0.6;
/// How far a negator reaches: characters between it and the word (zh) or words (en).
const ZH_NEGATION_GAP: usize = 5;
const EN_NEGATION_GAP: usize = 3;
/// How far a degree word reaches (非常的好: one character; "very very good").
const ZH_DEGREE_GAP: usize = 2;
const EN_DEGREE_GAP: usize = 1;
/// Identical emoji in a row count at most this many times.
const MAX_EMOJI_REPEAT: usize = 3;

/// Words after which `like` is the verb (I like it) rather than a preposition.
const LIKE_VERB_AFTER: &[&str] = &[
    "i",
    "we",
    "you",
    "they",
    "really",
    "would",
    "do",
    "did",
    "does",
    "also",
    "just",
    "totally",
    "definitely",
    "still",
    "absolutely",
    "will",
    "i'd",
    "we'd",
    "i'll",
    "we'll",
    "you'll",
    "don't",
    "dont",
    "didn't",
    "didnt",
    "doesn't",
    "doesnt",
    "won't",
    "wouldn't",
    "truly",
    "kids",
    "everyone",
    "people",
    "anyone",
    "anybody",
    "someone",
    "could",
    "can",
    "ever",
    "might",
    "may",
    "you'd",
    "they'd",
    "not",
];

#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    kind: Kind,
    /// English: indices of its first and last word; None for other tokens.
    words: Option<(usize, usize)>,
}

#[derive(Debug, Default, Clone)]
struct Clause {
    raw: Range<usize>,
    range: Range<usize>,
    sent: usize,
    toks: Range<usize>,
    contrast: bool,
    concession: bool,
    flip: bool,
    sarcasm: bool,
}

#[derive(Debug, Default, Clone, Copy)]
struct Sentence {
    exclamations: u32,
    question: bool,
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Ends a sentence (a run of them stays with it).
fn is_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '\n' | '…')
}

/// Ends a clause.
fn is_clause_punct(c: char) -> bool {
    matches!(
        c,
        '，' | ','
            | '、'
            | '；'
            | ';'
            | '：'
            | ':'
            | '~'
            | '～'
            | '('
            | ')'
            | '（'
            | '）'
            | '【'
            | '】'
            | '['
            | ']'
            | '"'
            | '“'
            | '”'
            | '/'
            | '|'
            | '《'
            | '》'
    )
}

fn is_content(c: char) -> bool {
    !c.is_whitespace() && !is_terminator(c) && !is_clause_punct(c) && c != '.'
}

fn gap(a: &Tok, b: &Tok) -> usize {
    match (a.words, b.words) {
        (Some((_, a_last)), Some((b_first, _))) => b_first.saturating_sub(a_last + 1),
        _ => b.start.saturating_sub(a.end),
    }
}

fn within(a: &Tok, b: &Tok, zh_gap: usize, en_gap: usize) -> bool {
    gap(a, b) <= if a.words.is_some() && b.words.is_some() { en_gap } else { zh_gap }
}

/// Scores a normalized text (see [`crate::normalize::normalize`]).
pub fn score(norm: &str) -> RuleScore {
    let chars: Vec<char> = norm.chars().collect();
    let offsets: Vec<usize> = norm.char_indices().map(|(b, _)| b).collect();
    let toks = tokens(norm, &chars, &offsets);
    let (mut clauses, sentences) = clauses(&chars, &toks);
    score_clauses(&chars, &toks, &mut clauses, &sentences)
}

/// Lexicon hits of every kind, sorted by position, not overlapping.
fn tokens(norm: &str, chars: &[char], offsets: &[usize]) -> Vec<Tok> {
    let lex = lexicon::get();
    let to_char = |byte: usize| offsets.partition_point(|&o| o < byte);
    let mut toks: Vec<Tok> = Vec::new();

    if !norm.is_ascii() {
        if let Some(ac) = &lex.zh.automaton {
            for m in ac.find_iter(norm) {
                if let Some(kind) = lex.zh.entries.get(m.pattern().as_usize()) {
                    toks.push(Tok { start: to_char(m.start()), end: to_char(m.end()), kind: *kind, words: None });
                }
            }
        }
        let mut run = (None, 0usize);
        for (i, &c) in chars.iter().enumerate() {
            if c.is_ascii() || is_han(c) {
                continue;
            }
            let Some(&weight) = lex.emoji.emoji.get(&c) else { continue };
            run = if run.0 == Some(c) && i > 0 && chars[i - 1] == c { (Some(c), run.1 + 1) } else { (Some(c), 1) };
            if run.1 <= MAX_EMOJI_REPEAT {
                let kind = Kind::Sentiment { weight, evaluative: false, degree_like: false };
                toks.push(Tok { start: i, end: i + 1, kind, words: None });
            }
        }
    }

    if let Some(ac) = &lex.emoji.emoticons {
        for m in ac.find_iter(norm) {
            let (s, e) = (to_char(m.start()), to_char(m.end()));
            // A letter at either edge must not run into a word (":p" in ":people").
            let glued = |edge: Option<&char>, inner: Option<&char>| {
                inner.is_some_and(|c| c.is_ascii_alphanumeric()) && edge.is_some_and(|c| c.is_ascii_alphanumeric())
            };
            if glued(s.checked_sub(1).and_then(|p| chars.get(p)), chars.get(s))
                || glued(chars.get(e), e.checked_sub(1).and_then(|p| chars.get(p)))
            {
                continue;
            }
            if let Some(&weight) = lex.emoji.emoticon_weights.get(m.pattern().as_usize()) {
                let kind = Kind::Sentiment { weight, evaluative: false, degree_like: false };
                toks.push(Tok { start: s, end: e, kind, words: None });
            }
        }
    }

    english(norm, chars, offsets, &mut toks);
    toks.sort_by_key(|t| (t.start, std::cmp::Reverse(t.end)));
    // Emoticons made of letters (qaq, t_t) may overlap an English word: keep the first.
    let mut end = 0;
    toks.retain(|t| {
        let keep = t.start >= end;
        if keep {
            end = t.end;
        }
        keep
    });
    toks
}

/// English words and phrases (longest phrase first).
fn english(norm: &str, chars: &[char], offsets: &[usize], toks: &mut Vec<Tok>) {
    let is_apostrophe = |c: char| c == '\'' || c == '\u{2019}';
    let mut words: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_alphabetic()
                || (is_apostrophe(chars[i]) && chars.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic())))
        {
            i += 1;
        }
        words.push(start..i);
    }
    if words.is_empty() {
        return;
    }
    let lex = &lexicon::get().en;
    let byte = |c: usize| offsets.get(c).copied().unwrap_or(norm.len());
    let word = |w: &Range<usize>| &norm[byte(w.start)..byte(w.end)];
    // Words of one phrase may be separated by spaces or hyphens only.
    let joinable: Vec<bool> = words
        .windows(2)
        .map(|p| p[1].start - p[0].end <= 2 && chars[p[0].end..p[1].start].iter().all(|&c| c == ' ' || c == '-'))
        .collect();
    let mut key = String::new();
    let mut w = 0;
    'words: while w < words.len() {
        let longest = lex.max_words.min(words.len() - w);
        for n in (1..=longest).rev() {
            if n > 1 && !joinable[w..w + n - 1].iter().all(|&j| j) {
                continue;
            }
            key.clear();
            for (k, r) in words[w..w + n].iter().enumerate() {
                if k > 0 {
                    key.push(' ');
                }
                key.extend(word(r).chars().map(|c| if c == '\u{2019}' { '\'' } else { c }));
            }
            let Some(&kind) = lex.map.get(key.as_str()) else { continue };
            if key == "like" && !(w > 0 && LIKE_VERB_AFTER.contains(&word(&words[w - 1]))) {
                break;
            }
            let kind = match kind {
                Kind::Sentiment { weight, evaluative, degree_like } => {
                    Kind::Sentiment { weight: weight * EN_SCALE, evaluative, degree_like }
                }
                other => other,
            };
            toks.push(Tok { start: words[w].start, end: words[w + n - 1].end, kind, words: Some((w, w + n - 1)) });
            w += n;
            continue 'words;
        }
        if key_is_negated_aux(word(&words[w])) {
            toks.push(Tok { start: words[w].start, end: words[w].end, kind: Kind::Negator, words: Some((w, w)) });
        }
        w += 1;
    }
}

/// don't, isn't, wouldn't … (straight or curly apostrophe).
fn key_is_negated_aux(word: &str) -> bool {
    word.ends_with("n't") || word.ends_with("n\u{2019}t")
}

/// Cuts the text into clauses and sentences; assigns tokens to clauses.
fn clauses(chars: &[char], toks: &[Tok]) -> (Vec<Clause>, Vec<Sentence>) {
    let n = chars.len();
    let mut clauses: Vec<Clause> = Vec::new();
    let mut sentences: Vec<Sentence> = Vec::new();
    let has_content = |r: Range<usize>| chars[r].iter().any(|&c| is_content(c));
    let push = |clauses: &mut Vec<Clause>, raw: Range<usize>, sent: usize| {
        let (mut s, mut e) = (raw.start, raw.end);
        while s < e && !is_content(chars[s]) {
            s += 1;
        }
        while e > s && !is_content(chars[e - 1]) {
            e -= 1;
        }
        if s < e {
            clauses.push(Clause { raw, range: s..e, sent, ..Clause::default() });
        }
    };
    let (mut i, mut start, mut t, mut covered) = (0, 0, 0, 0);
    while i < n {
        while t < toks.len() && toks[t].start < i {
            t += 1;
        }
        if let Some(tok) = toks.get(t).filter(|tok| tok.start == i) {
            // Contrast words open a clause (东西不错|但是物流慢); 却 and a Chinese
            // 虽然 sit inside theirs (手机虽然贵).
            let splits = matches!(tok.kind, Kind::Function(Function::Contrast))
                || (tok.words.is_some() && matches!(tok.kind, Kind::Function(Function::Concession)));
            if splits && has_content(start..i) {
                push(&mut clauses, start..i, sentences.len());
                start = i;
            }
            covered = covered.max(tok.end);
        }
        if i < covered {
            i += 1;
            continue;
        }
        let c = chars[i];
        let dot_ends = c == '.'
            && !(i > 0 && chars[i - 1].is_ascii_digit() && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()));
        if is_terminator(c) || dot_ends {
            let mut sentence = Sentence::default();
            let mut j = i;
            while j < n && (is_terminator(chars[j]) || chars[j] == '.') {
                match chars[j] {
                    '!' | '！' => sentence.exclamations += 1,
                    '?' | '？' => sentence.question = true,
                    _ => {}
                }
                j += 1;
            }
            sentence.question |= ends_with_question_particle(&chars[start..i]);
            push(&mut clauses, start..i, sentences.len());
            sentences.push(sentence);
            start = j;
            i = j;
            continue;
        }
        // A space between Chinese characters separates clauses (质量很好 物流很快).
        let han_space = c.is_whitespace()
            && chars[..i].iter().rev().find(|c| !c.is_whitespace()).is_some_and(|&c| is_han(c))
            && chars[i + 1..].iter().find(|c| !c.is_whitespace()).is_some_and(|&c| is_han(c));
        if is_clause_punct(c) || han_space {
            push(&mut clauses, start..i, sentences.len());
            start = i + 1;
        }
        i += 1;
    }
    if start < n {
        let question = ends_with_question_particle(&chars[start..]);
        push(&mut clauses, start..n, sentences.len());
        sentences.push(Sentence { exclamations: 0, question });
    } else {
        sentences.push(Sentence::default());
    }
    // Tokens to clauses (both are in text order).
    let mut t = 0;
    for clause in &mut clauses {
        while t < toks.len() && toks[t].start < clause.raw.start {
            t += 1;
        }
        let first = t;
        while t < toks.len() && toks[t].start < clause.raw.end {
            t += 1;
        }
        clause.toks = first..t;
    }
    (clauses, sentences)
}

fn ends_with_question_particle(chars: &[char]) -> bool {
    chars.iter().rev().find(|c| is_content(**c)).is_some_and(|&c| c == '吗' || c == '呢')
}

/// After 快/卡: an evaluative reading ends the clause or takes a particle.
fn evaluative_end(next: Option<&char>) -> bool {
    next.is_none_or(|&c| !is_content(c) || "了啊呀哦啦的得死爆成".contains(c))
}

fn score_clauses(chars: &[char], toks: &[Tok], clauses: &mut [Clause], sentences: &[Sentence]) -> RuleScore {
    let mut out = RuleScore::default();
    // Contributions per clause, before clause weights.
    let mut values: Vec<Vec<f32>> = Vec::with_capacity(clauses.len());
    for clause in clauses.iter_mut() {
        let mut vals: Vec<f32> = Vec::new();
        let mut negator: Option<Tok> = None;
        let mut degree: Option<(f32, Tok)> = None;
        let mut negated_before_degree = false;
        let mut modifier_end: Option<usize> = None;
        let mut last: Option<(usize, usize)> = None;
        let clause_toks = &toks[clause.toks.clone()];
        for (k, tok) in clause_toks.iter().enumerate() {
            let at_start = tok.start == clause.range.start;
            match tok.kind {
                Kind::Negator => {
                    // 不是没有: two negators in reach cancel.
                    negator = match negator {
                        Some(prev) if within(&prev, tok, ZH_NEGATION_GAP, EN_NEGATION_GAP) => None,
                        _ => Some(*tok),
                    };
                    modifier_end = Some(tok.end);
                }
                Kind::Degree { mult, post: false } => {
                    degree = Some(match degree {
                        Some((m, prev)) if within(&prev, tok, ZH_DEGREE_GAP, EN_DEGREE_GAP) => (m * mult, *tok),
                        _ => (mult, *tok),
                    });
                    negated_before_degree = negator.is_some();
                    modifier_end = Some(tok.end);
                }
                Kind::Degree { mult, post: true } => {
                    if let Some((v, end)) = last
                        && tok.start <= end + 1
                        && let Some(x) = vals.get_mut(v)
                    {
                        *x *= mult;
                    }
                }
                Kind::Function(f) => match f {
                    Function::Contrast | Function::ContrastInner => clause.contrast = true,
                    Function::ContrastInitial => clause.contrast |= at_start,
                    Function::Concession => clause.concession |= at_start || tok.words.is_none(),
                    Function::ConcessionInitial => clause.concession |= at_start,
                    Function::Flip => clause.flip = true,
                    Function::Indignant => clause.sarcasm = true,
                },
                Kind::Sentiment { weight, evaluative, degree_like } => {
                    let next = clause_toks.get(k + 1);
                    if degree_like
                        && next.is_some_and(|n| {
                            n.start == tok.end && matches!(n.kind, Kind::Sentiment { weight, .. } if weight != 0.0)
                        })
                    {
                        degree = Some((DEGREE_LIKE_MULT, *tok));
                        negated_before_degree = negator.is_some();
                        modifier_end = Some(tok.end);
                        continue;
                    }
                    if weight == 0.0 {
                        continue;
                    }
                    if evaluative && modifier_end != Some(tok.start) && !evaluative_end(chars.get(tok.end)) {
                        continue;
                    }
                    let deg = degree.filter(|(_, d)| within(d, tok, ZH_DEGREE_GAP, EN_DEGREE_GAP)).map(|(m, _)| m);
                    let neg = negator.is_some_and(|n| within(&n, tok, ZH_NEGATION_GAP, EN_NEGATION_GAP));
                    let v = match (neg, deg) {
                        (true, Some(m)) if negated_before_degree && m > 1.0 => weight * NEGATED_BOOSTED,
                        (true, Some(m)) => weight * m * NEGATION,
                        (true, None) => weight * NEGATION,
                        (false, Some(m)) => weight * m,
                        (false, None) => weight,
                    };
                    negator = None;
                    degree = None;
                    negated_before_degree = false;
                    modifier_end = None;
                    vals.push(v);
                    last = Some((vals.len() - 1, tok.end));
                }
            }
        }
        values.push(vals);
    }

    // Contrast and concession weights.
    let n = clauses.len();
    let (mut before, mut after) = (vec![false; n], vec![false; n]);
    let mut pivot = 0;
    for c in 0..n {
        if clauses[c].contrast {
            before[pivot..c].iter_mut().for_each(|b| *b = true);
            let sent = clauses[c].sent;
            for k in c..n {
                if clauses[k].sent != sent {
                    break;
                }
                after[k] = true;
            }
            pivot = c;
        }
        if clauses[c].concession {
            before[c] = true;
            if c + 1 < n && clauses[c + 1].sent == clauses[c].sent {
                after[c + 1] = true;
            }
        }
    }

    let (mut flip, mut sarcasm, mut sent) = (false, false, usize::MAX);
    for (c, clause) in clauses.iter().enumerate() {
        if clause.sent != sent {
            (flip, sarcasm, sent) = (false, false, clause.sent);
        }
        let sentence = sentences.get(clause.sent).copied().unwrap_or_default();
        flip |= clause.flip && sentence.question;
        sarcasm |= clause.sarcasm && (sentence.question || clause_toks_are_zh(toks, clause));
        let mut weight = 1.0;
        if before[c] {
            weight *= BEFORE_CONTRAST;
        }
        if after[c] {
            weight *= AFTER_CONTRAST;
        }
        weight *= 1.0 + EXCLAMATION_STEP * sentence.exclamations.min(MAX_EXCLAMATIONS) as f32;
        let mut clause_score = 0.0;
        for &v in &values[c] {
            let mut v = v;
            if flip {
                v *= RHETORICAL_FLIP;
            } else if sarcasm && v > 0.0 {
                v *= SARCASM;
            }
            let v = v * weight;
            if v > 0.0 {
                out.positive += v;
            } else {
                out.negative += v;
            }
            if v != 0.0 {
                out.hits += 1;
            }
            clause_score += v;
        }
        out.clauses.push(ClauseScore { range: clause.range.clone(), score: clause_score });
    }
    out.score = out.positive + out.negative;
    out
}

/// 这也叫…, 还好意思… are sarcastic without a question mark; "how can" needs one.
fn clause_toks_are_zh(toks: &[Tok], clause: &Clause) -> bool {
    toks[clause.toks.clone()].iter().any(|t| matches!(t.kind, Kind::Function(Function::Indignant)) && t.words.is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn s(text: &str) -> f32 {
        score(&normalize(text)).score
    }

    #[test]
    fn nothing_found_scores_zero() {
        let r = score("");
        assert_eq!((r.score, r.hits), (0.0, 0));
        assert!(r.clauses.is_empty());
        let r = score(&normalize("我昨天去了趟北京。The package arrived on Tuesday."));
        assert_eq!((r.score, r.hits), (0.0, 0));
        assert_eq!(r.clauses.len(), 2);
    }

    #[test]
    fn chinese_negation() {
        assert!(s("不好") < 0.0);
        assert!(s("不错") > 0.0);
        assert!(s("不是很好") < 0.0);
        assert!(s("不是很好") > s("不好"), "weakly negative");
        assert!(s("没有任何问题") > 0.0);
        assert!(s("不满意") < 0.0);
        assert!(s("一点都不好吃") < 0.0);
        assert!(s("没想到这么好") > 0.0, "没想到 is surprise, not negation");
        assert!(s("用了没几天就坏了") < 0.0, "没几天 does not negate 坏");
        // Negation stays within its clause.
        assert!(s("不说了，很好") > 0.0);
    }

    #[test]
    fn english_negation() {
        assert!(s("not bad") > 0.0);
        assert!(s("not good") < 0.0);
        assert!(s("It isn't good at all") < 0.0);
        assert!(s("I don't think it is great") < 0.0);
        assert!(s("not very good") < 0.0);
        assert!(s("not very good") > s("not good"));
        assert!(s("No problems so far") > 0.0);
        assert!(s("Don't waste your money") < 0.0);
    }

    #[test]
    fn degree_words() {
        let (very, plain, bit) = (s("非常好"), s("好"), s("有点好"));
        assert!(very > plain && plain > bit && bit > 0.0, "{very} {plain} {bit}");
        assert!(s("太慢了") < s("慢"));
        assert!(s("有点贵") > s("贵") && s("有点贵") < 0.0);
        assert!(s("好贵") < s("贵"), "好 before a sentiment word is a degree adverb");
        assert!(s("差极了") < s("差"), "post-degree");
        assert!(s("very good") > s("good") && s("good") > s("slightly good") && s("slightly good") > 0.0);
    }

    #[test]
    fn whole_words_win_over_single_characters() {
        assert_eq!(s("好像要下雨"), 0.0);
        assert_eq!(s("好多人"), 0.0);
        assert_eq!(s("不好意思，我来晚了"), 0.0);
        assert_eq!(s("快递到了"), 0.0);
        assert_eq!(s("我用信用卡付的"), 0.0);
        assert_eq!(s("我快到了"), 0.0);
    }

    #[test]
    fn evaluative_only_words() {
        assert!(s("物流快") > 0.0);
        assert!(s("发货很快") > 0.0);
        assert!(s("手机太卡了") < 0.0);
        assert!(s("有点卡") < 0.0);
        assert_eq!(s("卡在路上"), 0.0);
        assert_eq!(s("快说"), 0.0);
    }

    #[test]
    fn contrast_later_clause_dominates() {
        assert!(s("东西不错，但是物流太慢了") < 0.0);
        assert!(s("东西不错但是物流太慢了") < 0.0, "split at the contrast word without punctuation");
        assert!(s("虽然有点贵但是质量很好") > 0.0);
        assert!(s("虽然有点贵，质量很好") > 0.0);
        assert!(s("价格便宜，质量却很差") < 0.0);
        assert!(s("great food but the service was awful") < 0.0);
        assert!(s("Although the service was slow, the food was excellent") > 0.0);
        assert!(s("The food was bad. However, the staff were lovely and friendly") > 0.0);
        assert!(s("not yet good") < 0.0, "'yet' inside a clause is no contrast");
    }

    #[test]
    fn clause_scores_carry_their_own_polarity() {
        let text = normalize("东西不错，但是物流太慢了");
        let r = score(&text);
        assert_eq!(r.clauses.len(), 2);
        assert_eq!(r.clauses[0].range, 0..4);
        assert_eq!(r.clauses[1].range, 5..12);
        assert!(r.clauses[0].score > 0.0 && r.clauses[1].score < 0.0);
        let sum: f32 = r.clauses.iter().map(|c| c.score).sum();
        assert!((sum - r.score).abs() < 1e-4);
        assert!((r.positive + r.negative - r.score).abs() < 1e-6);
        assert!(r.positive > 0.0 && r.negative < 0.0);
        assert_eq!(r.hits, 2);
        let r = score(&normalize("质量很好 物流很快 包装太差"));
        assert_eq!(r.clauses.len(), 3, "spaces between Chinese clauses split");
        assert!(r.clauses[2].score < 0.0 && r.clauses[1].score > 0.0);
    }

    #[test]
    fn emoji_and_emoticons() {
        assert!(s("😡") < 0.0);
        assert!(s("👍") > 0.0);
        assert!(s("👍🏻") > 0.0, "skin tone");
        assert!(s("❤️") > 0.0, "variation selector");
        assert!(s("收到了 😡😡😡") < s("收到了 😡"));
        assert!(s("arrived today :)") > 0.0);
        assert!(s("arrived today :(") < 0.0);
        assert_eq!(s("see http://example.com/:people"), 0.0);
    }

    #[test]
    fn exclamations_amplify() {
        assert!(s("太棒了！！！") > s("太棒了"));
        assert!(s("太差了!!!") < s("太差了"));
        assert!(s("great!!!") > s("great"));
    }

    #[test]
    fn rhetorical_questions() {
        assert!(s("难道不好吗？") > 0.0);
        assert!(s("这也叫好评？") < 0.0);
        assert!(s("How can anyone like this?") < 0.0);
        assert!(s("How can they be so rude?") < 0.0, "indignation stays negative");
    }

    #[test]
    fn mixed_text_uses_both_lexicons() {
        let r = score(&normalize("物流很快, but the app keeps crashing and it is awful"));
        assert!(r.hits >= 2);
        assert!(r.negative < 0.0 && r.positive > 0.0);
        assert!(s("APP太卡了！") < 0.0);
    }

    #[test]
    fn spans_are_char_indices() {
        let text = normalize("😀 很好，but awful");
        let r = score(&text);
        let chars: Vec<char> = text.chars().collect();
        let pieces: Vec<String> = r.clauses.iter().map(|c| chars[c.range.clone()].iter().collect()).collect();
        assert_eq!(pieces, vec!["😀 很好", "but awful"]);
    }
}
