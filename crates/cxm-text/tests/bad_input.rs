//! Bad input is analysed or rejected cleanly, never a panic: empty, huge
//! (1 MiB), binary, invalid UTF-8 and mixed-script texts, plus random text.
//! Every span the analysis returns must cut the original text exactly.

use cxm_text::{Analysis, LangHint, MAX_TEXT_BYTES, TextAnalyzer, TextError};
use proptest::prelude::*;
use std::sync::OnceLock;

fn analyzer() -> &'static TextAnalyzer {
    static A: OnceLock<TextAnalyzer> = OnceLock::new();
    A.get_or_init(TextAnalyzer::default)
}

/// The invariants every analysis keeps.
fn check(text: &str, a: &Analysis) {
    let chars: Vec<char> = text.chars().collect();
    let cut = |s: &cxm_text::Span| -> String {
        assert!(s.start <= s.end && s.end <= chars.len(), "span {s:?} outside a text of {} chars", chars.len());
        chars[s.start..s.end].iter().collect()
    };
    assert!((-1.0..=1.0).contains(&a.sentiment.score), "score {}", a.sentiment.score);
    for s in &a.sentences {
        assert_eq!(cut(&s.span), s.span.text);
        assert!((-1.0..=1.0).contains(&s.sentiment.score));
    }
    for m in &a.aspects {
        assert_eq!(cut(&m.span), m.span.text);
        assert!((-1.0..=1.0).contains(&m.score));
    }
    for r in a.urgency.reasons.iter().chain(&a.churn_risk.reasons) {
        assert_eq!(cut(&r.span), r.span.text);
    }
    assert_eq!(a.urgency.flag, !a.urgency.reasons.is_empty());
    assert_eq!(a.churn_risk.flag, !a.churn_risk.reasons.is_empty());
    // The result is what `cxm text analyze --json` prints: it must serialize.
    assert!(serde_json::to_string(a).is_ok());
}

#[test]
fn empty_and_whitespace() {
    for text in ["", " ", "\n\n\t", "\u{3000}", "\u{FEFF}"] {
        let a = analyzer().analyze(text, LangHint::Auto).expect("analysed");
        check(text, &a);
        assert!(a.aspects.is_empty() && a.keywords.is_empty());
    }
}

#[test]
fn a_text_of_one_mebibyte_is_analysed_and_one_byte_more_is_rejected() {
    let unit = "物流太慢了，客服态度很差！The app crashes again. 😡\n";
    let mut text = unit.repeat(MAX_TEXT_BYTES / unit.len());
    while text.len() < MAX_TEXT_BYTES {
        text.push('a');
    }
    assert_eq!(text.len(), MAX_TEXT_BYTES);
    let a = analyzer().analyze(&text, LangHint::Auto).expect("1 MiB is within the limit");
    check(&text, &a);
    assert!(a.sentences.len() > 10_000);
    text.push('a');
    assert_eq!(analyzer().analyze(&text, LangHint::Auto), Err(TextError::TooLarge(MAX_TEXT_BYTES + 1)));
}

#[test]
fn binary_and_invalid_utf8() {
    let binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    assert!(matches!(analyzer().analyze_bytes(&binary, LangHint::Auto), Err(TextError::InvalidUtf8(128))));
    assert_eq!(analyzer().analyze_bytes(b"\xe4\xbd", LangHint::Auto), Err(TextError::InvalidUtf8(0)));
    // Control characters and NULs are valid UTF-8: analysed.
    let controls: String = (0u8..32).map(char::from).collect();
    let a = analyzer().analyze(&controls, LangHint::Auto).expect("analysed");
    check(&controls, &a);
}

#[test]
fn mixed_scripts() {
    for text in [
        "快递太慢 but the staff were lovely 👍",
        "配達が遅い 물류 느림 доставка медленная",
        "e\u{301}cole tre\u{300}s bien, 🇨🇳🏳️‍🌈 👨‍👩‍👧",
        "Ｆｕｌｌ－ｗｉｄｔｈ　ＡＰＰ　很卡！！！",
        "\u{202E}reversed\u{202C} \u{200B}zero width\u{200D}",
        "𠀀𪚥 rare han 龘",
    ] {
        let a = analyzer().analyze(text, LangHint::Auto).expect("analysed");
        check(text, &a);
        for hint in [LangHint::Zh, LangHint::En] {
            let a = analyzer().analyze(text, hint).expect("analysed with a hint");
            check(text, &a);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn any_string_is_analysed_with_valid_spans(text in "\\PC{0,200}") {
        let a = analyzer().analyze(&text, LangHint::Auto).expect("analysed");
        check(&text, &a);
    }

    #[test]
    fn customer_like_text_is_analysed_with_valid_spans(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("物流"), Just("太慢"), Just("不"), Just("但是"), Just("很好"), Just("，"), Just("！！"),
                Just("再也不"), Just("买"), Just("12315"), Just("not "), Just("good"), Just(" but "),
                Just("cancel"), Just("😡"), Just("👍"), Just("."), Just("?"), Just(" "), Just("價錢"), Just("ＡＰＰ"),
            ],
            0..40,
        )
    ) {
        let text: String = parts.concat();
        let a = analyzer().analyze(&text, LangHint::Auto).expect("analysed");
        check(&text, &a);
    }

    #[test]
    fn any_bytes_are_analysed_or_rejected(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        match analyzer().analyze_bytes(&bytes, LangHint::Auto) {
            Ok(a) => {
                let text = std::str::from_utf8(&bytes).expect("accepted bytes are UTF-8");
                check(text, &a);
            }
            Err(TextError::InvalidUtf8(at)) => prop_assert!(std::str::from_utf8(&bytes[..at]).is_ok()),
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }
}
