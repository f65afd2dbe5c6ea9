//! Sentence splitting for Chinese and English.

use std::ops::Range;

fn is_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';' | '\n' | '…')
}

/// Splits `text` into sentences; returns `char` ranges, each trimmed of
/// surrounding white space and keeping its closing punctuation (repeated
/// marks such as `！！！` or `?!` stay with their sentence). A `.` ends a
/// sentence only when followed by white space or the end (so `3.5` and
/// `e.g.x` do not split). Ranges with no letter, digit or symbol are dropped.
pub fn split(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let ends = is_terminator(c) || (c == '.' && chars.get(i + 1).is_none_or(|n| n.is_whitespace()));
        if ends {
            let mut end = i + 1;
            while end < chars.len() && (is_terminator(chars[end]) || chars[end] == '.') && chars[end] != '\n' {
                end += 1;
            }
            push_trimmed(&chars, start..end, &mut out);
            start = end;
            i = end;
        } else {
            i += 1;
        }
    }
    push_trimmed(&chars, start..chars.len(), &mut out);
    out
}

/// Connectives that open a new clause even without punctuation before them.
const CLAUSE_OPENERS: &[&str] = &["但是", "可是", "然而", "不过", "but ", "however", "although ", "though "];

/// Splits normalized text into clauses (`char` ranges): at , ， 、 ; ： and
/// sentence ends, and before a contrast connective (但是, but …), so that
/// "东西不错但是物流太慢" gives two clauses with opposite opinions.
pub fn clauses(norm: &str) -> Vec<Range<usize>> {
    let chars: Vec<char> = norm.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, ',' | '，' | '、' | ';' | '；' | ':' | '：' | '\n') || is_terminator(c) || c == '.' {
            push_trimmed(&chars, start..i + 1, &mut out);
            start = i + 1;
        } else if i > start && opens_clause(&chars, i) {
            push_trimmed(&chars, start..i, &mut out);
            start = i;
        }
        i += 1;
    }
    push_trimmed(&chars, start..chars.len(), &mut out);
    out
}

/// The text after the last contrast connective (但是, 可是, 然而, 不过, but,
/// however …), when there is one and something follows it: SPEC §5 has the
/// later clause dominate.
pub fn contrast_tail(norm: &str) -> Option<&str> {
    let chars: Vec<char> = norm.chars().collect();
    let mut at = None;
    for i in 1..chars.len() {
        if opens_clause(&chars, i) {
            at = Some(i);
        }
    }
    let i = at?;
    let tail: String = chars[i..].iter().collect();
    let tail_start = norm.len() - tail.len();
    let rest = &norm[tail_start..];
    rest.chars().any(|c| c.is_alphanumeric()).then_some(rest)
}

/// `clause` without a contrast connective at its start ("但是物流慢" → "物流慢"):
/// a clause's own opinion is about what follows the connective.
pub fn strip_connective(clause: &str) -> &str {
    let t = clause.trim_start();
    for w in CLAUSE_OPENERS {
        if let Some(rest) = t.strip_prefix(w.trim_end())
            && (!w.is_ascii() || !rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
        {
            return rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        }
    }
    t
}

fn opens_clause(chars: &[char], i: usize) -> bool {
    // English connectives only at a word start.
    let at_word_start = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
    CLAUSE_OPENERS.iter().any(|w| {
        let ascii = w.is_ascii();
        (!ascii || at_word_start) && w.chars().enumerate().all(|(k, wc)| chars.get(i + k) == Some(&wc))
    })
}

fn push_trimmed(chars: &[char], range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let (mut s, mut e) = (range.start, range.end);
    while s < e && chars[s].is_whitespace() {
        s += 1;
    }
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    if chars[s..e].iter().any(|c| c.is_alphanumeric() || (!c.is_ascii() && !is_terminator(*c) && !is_cjk_punct(*c))) {
        out.push(s..e);
    }
}

fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20)
}

/// A question asks rather than judges: it ends in ? or opens with 请问 / a
/// question word.
pub fn is_question(sentence: &str) -> bool {
    let t = sentence.trim_end_matches(|c: char| c.is_whitespace() || c == '!' || c == '~');
    t.ends_with('?') || t.ends_with('？') || t.ends_with('吗') || t.ends_with('呢') || is_request(t)
}

/// A polite request for information (请问 …, 想问 …): every clause of it asks.
pub fn is_request(sentence: &str) -> bool {
    let t = sentence.trim_start();
    t.starts_with("请问") || t.starts_with("想问") || t.starts_with("想咨询")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        split(text).into_iter().map(|r| chars[r].iter().collect()).collect()
    }

    #[test]
    fn splits_chinese_and_english() {
        assert_eq!(pieces("物流很快。包装破了！！客服不理人"), vec!["物流很快。", "包装破了！！", "客服不理人"]);
        assert_eq!(
            pieces("Great price. Slow delivery?! Never again"),
            vec!["Great price.", "Slow delivery?!", "Never again"]
        );
        assert_eq!(pieces("It cost 3.5 dollars. Fine"), vec!["It cost 3.5 dollars.", "Fine"]);
        assert_eq!(pieces("好评\n\n差评"), vec!["好评", "差评"]);
    }

    #[test]
    fn clauses_split_at_commas_and_contrast() {
        let text = "东西不错但是物流太慢,客服也不理人";
        let chars: Vec<char> = text.chars().collect();
        let got: Vec<String> = clauses(text).into_iter().map(|r| chars[r].iter().collect()).collect();
        assert_eq!(got, vec!["东西不错", "但是物流太慢,", "客服也不理人"]);
        let text = "good food but rude staff";
        let chars: Vec<char> = text.chars().collect();
        let got: Vec<String> = clauses(text).into_iter().map(|r| chars[r].iter().collect()).collect();
        assert_eq!(got, vec!["good food", "but rude staff"]);
        assert_eq!(clauses("rebuttal").len(), 1, "but inside a word does not split");
    }

    #[test]
    fn contrast_tail_is_after_the_last_connective() {
        assert_eq!(contrast_tail("东西不错,但是物流太慢了"), Some("但是物流太慢了"));
        assert_eq!(contrast_tail("good food but rude staff, but cheap"), Some("but cheap"));
        assert_eq!(contrast_tail("很好"), None);
        assert_eq!(contrast_tail("但是"), None);
        assert_eq!(strip_connective("但是物流太慢了"), "物流太慢了");
        assert_eq!(strip_connective("but, rude staff"), "rude staff");
        assert_eq!(strip_connective("butter was off"), "butter was off");
    }

    #[test]
    fn empty_and_punctuation_only_give_nothing() {
        assert!(split("").is_empty());
        assert!(split(" 。。！ ").is_empty());
        assert_eq!(pieces("😡😡"), vec!["😡😡"]);
    }
}
