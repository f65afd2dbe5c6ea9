//! Word segmentation (分词): jieba-rs with its bundled dictionary, plus the
//! workspace's own brand and product terms so they stay one word.

use jieba_rs::Jieba;
use std::sync::{Arc, OnceLock};

/// A word and its `char` range in the text it was cut from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

/// Words the default dictionary lacks that customers use (so 退订 is not 退/订).
const CXM_WORDS: &[&str] = &[
    "退订",
    "销户",
    "换一家",
    "再也不",
    "12315",
    "差评",
    "好评",
    "客服",
    "快递员",
    "性价比",
    "物流",
    "卡顿",
    "闪退",
    "售后",
    "退款",
    "退货",
    "到货",
    "发货",
    "送货上门",
    "态度差",
    "不耐烦",
    "没人管",
    "乱扣费",
    "扣费",
];

fn base() -> &'static Arc<Jieba> {
    static BASE: OnceLock<Arc<Jieba>> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut jieba = Jieba::new();
        for word in CXM_WORDS {
            jieba.add_word(word, None, None);
        }
        Arc::new(jieba)
    })
}

/// A segmenter; cheap to clone. Building one with workspace terms copies the
/// dictionary once (tens of milliseconds), so keep it with the analyzer.
#[derive(Clone)]
pub struct Segmenter {
    jieba: Arc<Jieba>,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter").finish_non_exhaustive()
    }
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter { jieba: base().clone() }
    }
}

impl Segmenter {
    /// The default dictionary plus `terms` (brand names, product names …).
    /// Blank terms are ignored.
    pub fn with_terms<S: AsRef<str>>(terms: &[S]) -> Self {
        let terms: Vec<&str> = terms.iter().map(|t| t.as_ref().trim()).filter(|t| !t.is_empty()).collect();
        if terms.is_empty() {
            return Segmenter::default();
        }
        let mut jieba = (**base()).clone();
        for term in terms {
            // A high frequency makes the whole term win over its parts.
            jieba.add_word(term, Some(100_000), None);
        }
        Segmenter { jieba: Arc::new(jieba) }
    }

    /// The words of `text`, without white space.
    pub fn words<'a>(&self, text: &'a str) -> Vec<Word<'a>> {
        self.jieba
            .cut(text, true)
            .into_iter()
            .filter(|t| !t.word.trim().is_empty())
            .map(|t| Word { text: t.word, start: t.start, end: t.end })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(s: &Segmenter, text: &str) -> Vec<String> {
        s.words(text).into_iter().map(|w| w.text.to_string()).collect()
    }

    #[test]
    fn segments_with_cxm_words_and_workspace_terms() {
        let s = Segmenter::default();
        let words = cut(&s, "我要退订，再也不买了");
        assert!(words.contains(&"退订".to_string()), "{words:?}");
        let before = cut(&s, "禾木优选的快递很快");
        assert!(!before.contains(&"禾木优选".to_string()), "{before:?}");
        let with = Segmenter::with_terms(&["禾木优选"]);
        assert_eq!(cut(&with, "禾木优选的快递很快")[0], "禾木优选");
    }

    #[test]
    fn ranges_are_char_indices() {
        let s = Segmenter::default();
        let text = "app 很卡";
        for w in s.words(text) {
            let piece: String = text.chars().skip(w.start).take(w.end - w.start).collect();
            assert_eq!(piece, w.text);
        }
    }
}
