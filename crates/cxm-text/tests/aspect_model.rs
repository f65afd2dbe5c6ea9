//! The bundled learned aspect detector: it loads, it is deterministic, it
//! finds implicit mentions no term names, it never reports an aspect the
//! taxonomy lacks, and damaged bytes are an error. The implicit-mention texts
//! were written for this test, not taken from the aspect set.

use cxm_text::aspect_model::{self, AspectModelError, AspectModels, MODEL_TERM};
use cxm_text::{Analysis, LangHint, Taxonomy, TextAnalyzer};
use std::sync::OnceLock;

static BYTES: &[u8] = include_bytes!("../data/model/aspects.bin");

fn analyzer() -> &'static TextAnalyzer {
    static A: OnceLock<TextAnalyzer> = OnceLock::new();
    A.get_or_init(TextAnalyzer::default)
}

fn analyze(a: &TextAnalyzer, text: &str) -> Analysis {
    a.analyze(text, LangHint::Auto).expect("analysed")
}

#[test]
fn bundled_model_loads_and_covers_the_default_aspects() {
    let m = AspectModels::from_bytes(BYTES).expect("bundled aspect model");
    assert_eq!(m, *aspect_model::bundled().expect("bundled"));
    let keys: Vec<String> = Taxonomy::default().aspects.iter().map(|a| a.key.clone()).collect();
    assert_eq!(m.langs.len(), 2);
    for l in &m.langs {
        assert_eq!(l.keys, keys);
    }
    // Within the size budget (3 MB).
    assert!(BYTES.len() < 3 << 20, "{} bytes", BYTES.len());
}

#[test]
fn detection_is_deterministic() {
    let text = "The lady at the counter was all smiles and took her time with me.";
    let first = analyze(analyzer(), text);
    let other = TextAnalyzer::default();
    for _ in 0..3 {
        assert_eq!(analyze(&other, text), first);
    }
    assert_eq!(AspectModels::from_bytes(BYTES), AspectModels::from_bytes(BYTES));
}

#[test]
fn implicit_mentions_are_found_with_their_clause() {
    let cases = [
        ("I rang them four times and nobody ever answered the phone.", "wait_time"),
        ("The lady at the counter was all smiles and took her time with me.", "staff_attitude"),
        ("They took the money out of my account twice this month.", "billing"),
        ("修个洗衣机，来了三个人说了三套说法", "professionalism"),
        ("小哥一路小跑送上来，还叮嘱我趁热吃", "staff_attitude"),
    ];
    let terms_only = TextAnalyzer::default().with_aspect_models(None);
    for (text, key) in cases {
        assert!(analyze(&terms_only, text).aspects.iter().all(|m| m.aspect != key), "a term names {key} in {text:?}");
        let a = analyze(analyzer(), text);
        let m = a.aspects.iter().find(|m| m.aspect == key).unwrap_or_else(|| panic!("{key} missed in {text:?}"));
        assert_eq!(m.term, MODEL_TERM);
        // The evidence is a clause of the text.
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[m.span.start..m.span.end].iter().collect::<String>(), m.span.text);
        assert!(!m.span.text.is_empty());
    }
}

#[test]
fn the_model_vetoes_a_term_it_finds_very_unlikely() {
    // 电费 names billing, but the complaint is about the app.
    let text = "电力公司的app老是闪退，电费都交不了";
    let terms_only = TextAnalyzer::default().with_aspect_models(None);
    assert!(analyze(&terms_only, text).aspects.iter().any(|m| m.aspect == "billing"));
    let a = analyze(analyzer(), text);
    assert!(a.aspects.iter().all(|m| m.aspect != "billing"), "{:?}", a.aspects);
    assert!(a.aspects.iter().any(|m| m.aspect == "app_website"));
}

#[test]
fn a_deleted_aspect_is_never_reported() {
    let mut t = Taxonomy::default();
    t.aspects.retain(|a| a.key != "wait_time" && a.key != "staff_attitude");
    let a = TextAnalyzer::new(t);
    for text in [
        "I rang them four times and nobody ever answered the phone.",
        "The lady at the counter was all smiles and took her time with me.",
        "排队等了一个小时，服务员态度也很差",
    ] {
        let found = analyze(&a, text);
        assert!(found.aspects.iter().all(|m| m.aspect != "wait_time" && m.aspect != "staff_attitude"), "{found:?}");
    }
}

#[test]
fn custom_aspects_stay_term_only() {
    let mut t = Taxonomy::default();
    let mut custom = t.aspects[0].clone();
    custom.key = "loyalty_points".into();
    custom.terms_zh = vec!["积分".into()];
    custom.terms_en = vec!["points".into()];
    custom.exclude.clear();
    t.aspects.push(custom);
    let a = TextAnalyzer::new(t);
    let r = analyze(&a, "My points never showed up after the purchase.");
    let m = r.aspects.iter().find(|m| m.aspect == "loyalty_points").expect("term match");
    assert_eq!(m.term, "points");
    assert!(analyze(&a, "礼品换购活动很丰富").aspects.iter().all(|m| m.aspect != "loyalty_points"));
}

#[test]
fn damaged_model_bytes_are_an_error() {
    assert!(AspectModels::from_bytes(&BYTES[..BYTES.len() / 2]).is_err());
    let mut bad = BYTES.to_vec();
    bad[BYTES.len() / 3] ^= 0x01;
    assert_eq!(AspectModels::from_bytes(&bad), Err(AspectModelError::Checksum));
    assert_eq!(AspectModels::from_bytes(b"CXMLIN01 not this"), Err(AspectModelError::BadMagic));
}
