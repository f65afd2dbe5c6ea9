//! Language detection for the languages cxm analyses: Chinese (simplified or
//! traditional), English, and texts that mix the two. Character counts are
//! enough for that; a general language identifier would add megabytes of
//! models for languages we do not analyse.

use crate::types::Lang;

/// Characters used only in traditional writing (their simplified forms differ).
const TRADITIONAL_ONLY: &str = "這個們來時會說對過還進點問題開關係電話買賣價錢務員給貨發車東樣實從經長門現應該讓頭變處紅兩體種業專際產記義學習讀寫認識隨錯網絡線環帳號銀戶費單訊態質換與幫聽聯繫結據較級總動機無運選數雖導歡謝嗎氣貴壞爛髒廳飯館衛淨熱滿請親愛響當裝壓覺辦難險傳簡確區萬場報標準櫃臺戲紀錄顧訂購閱銷訴師護醫藥療層歷雙鐘後麼為裡";
/// Their simplified counterparts (and other simplified-only characters).
const SIMPLIFIED_ONLY: &str = "这个们来时会说对过还进点问题开关系电话买卖价钱务员给货发车东样实从经长门现应该让头变处红两体种业专际产记义学习读写认识随错网络线环账号银户费单讯态质换与帮听联结据较级总动机无运选数虽导欢谢吗气贵坏烂脏厅饭馆卫净热满请亲爱响当装压觉办难险传简确区万场报标准柜台戏纪录顾订购阅销诉师护医药疗层历双钟后么为里";

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn is_kana_or_hangul(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x31F0..=0x31FF | 0xAC00..=0xD7AF | 0x1100..=0x11FF)
}

/// Detects the language of `text`.
///
/// Chinese characters count as 1/1.5 word each (the mean length of a Chinese
/// word), English words of two or more ASCII letters as one; a text where
/// neither side has three quarters of the words is `Mixed`.
pub fn detect(text: &str) -> Lang {
    let (mut han, mut other_script, mut trad, mut simp) = (0usize, 0usize, 0usize, 0usize);
    let (mut en_words, mut run) = (0usize, 0usize);
    let mut other_letters = 0usize;
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            run += 1;
            continue;
        }
        if run >= 2 {
            en_words += 1;
        }
        run = 0;
        if is_han(c) {
            han += 1;
            if TRADITIONAL_ONLY.contains(c) {
                trad += 1;
            } else if SIMPLIFIED_ONLY.contains(c) {
                simp += 1;
            }
        } else if is_kana_or_hangul(c) {
            other_script += 1;
        } else if c.is_alphabetic() {
            other_letters += 1;
        }
    }
    if run >= 2 {
        en_words += 1;
    }
    if other_script * 5 > han.max(1) || (han == 0 && en_words == 0) {
        return Lang::Undetermined;
    }
    if han == 0 {
        // Mostly another alphabet (Cyrillic, Greek …) with a stray English word.
        return if other_letters > en_words * 8 { Lang::Undetermined } else { Lang::En };
    }
    let zh_words = han as f64 / 1.5;
    let share = zh_words / (zh_words + en_words as f64);
    let chinese = if trad > simp { Lang::ZhHant } else { Lang::Zh };
    if share >= 0.75 {
        chinese
    } else if share <= 0.25 {
        Lang::En
    } else {
        Lang::Mixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_languages_we_analyse() {
        assert_eq!(detect("快递太慢了，再也不买了"), Lang::Zh);
        assert_eq!(detect("這個價錢太貴了，服務態度也很差"), Lang::ZhHant);
        assert_eq!(detect("The courier was late again."), Lang::En);
        assert_eq!(detect("这个app太卡了"), Lang::Zh);
        assert_eq!(detect("快递很快，包装也很好, but the app keeps crashing"), Lang::Mixed);
        assert_eq!(detect("delivery 很快, but the packaging was damaged badly"), Lang::En);
        assert_eq!(detect(""), Lang::Undetermined);
        assert_eq!(detect("12345 !!! 😀"), Lang::Undetermined);
        assert_eq!(detect("配達がとても遅かったです"), Lang::Undetermined);
        assert_eq!(detect("Доставка была очень медленной"), Lang::Undetermined);
    }

    #[test]
    fn traditional_and_simplified_lists_do_not_overlap() {
        for c in TRADITIONAL_ONLY.chars() {
            assert!(!SIMPLIFIED_ONLY.contains(c), "{c} is in both lists");
        }
    }
}
