//! Character normalization that keeps `char` offsets: every input `char` maps
//! to exactly one output `char`, so a span found in normalized text is the
//! same span in the original.

use std::sync::OnceLock;

pub(crate) const T2S: &str = include_str!("../data/t2s.txt");

/// Traditional → simplified pairs, sorted by the traditional character.
fn t2s() -> &'static [(char, char)] {
    static TABLE: OnceLock<Vec<(char, char)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut pairs: Vec<(char, char)> = T2S
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut cs = l.chars();
                Some((cs.next()?, cs.next()?))
            })
            .collect();
        pairs.sort_unstable();
        pairs
    })
}

/// Full-width ASCII forms → ASCII, the ideographic space → space, ASCII
/// letters → lower case, traditional Chinese characters → simplified (so one
/// lexicon, taxonomy and model serve both). Everything else is left as it is.
#[inline]
pub fn normalize_char(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        '\u{FF01}'..='\u{FF5E}' => {
            // U+FF01..FF5E are the full-width forms of U+0021..007E.
            let ascii = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
            ascii.to_ascii_lowercase()
        }
        '\u{3000}' | '\r' | '\t' => ' ',
        '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}' => {
            let table = t2s();
            table.binary_search_by_key(&c, |&(t, _)| t).map_or(c, |i| table[i].1)
        }
        _ => c,
    }
}

/// The normalized text; it has as many `char`s as the input.
pub fn normalize(text: &str) -> String {
    text.chars().map(normalize_char).collect()
}

/// Byte offset of each `char` in `text`, plus `text.len()` at the end, so that
/// `char` ranges convert to byte ranges in O(1).
pub fn char_offsets(text: &str) -> Vec<usize> {
    let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    offsets.push(text.len());
    offsets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_case_fold_keep_length() {
        let text = "ＡＰＰ太卡了！！Very　BAD";
        let n = normalize(text);
        assert_eq!(n, "app太卡了!!very bad");
        assert_eq!(n.chars().count(), text.chars().count());
    }

    #[test]
    fn traditional_becomes_simplified() {
        assert_eq!(normalize("這個價錢太貴了，服務態度也很差"), "这个价钱太贵了,服务态度也很差");
        assert_eq!(normalize("质量很好"), "质量很好");
    }

    #[test]
    fn offsets_end_with_length() {
        assert_eq!(char_offsets("a好b"), vec![0, 1, 4, 5]);
        assert_eq!(char_offsets(""), vec![0]);
    }
}
