//! End-to-end cases of the whole analysis: what a CX analyst expects of a
//! text (label, aspects with polarity, flags). Written by hand, not from the
//! analyzer's output; each case is one behaviour the issue names (negation,
//! degree, contrast, emoji, repeated punctuation, traditional script,
//! questions, urgency and churn wording).

use cxm_text::{Analysis, Lang, LangHint, Polarity, TextAnalyzer};
use std::sync::OnceLock;

fn analyze(text: &str) -> Analysis {
    static A: OnceLock<TextAnalyzer> = OnceLock::new();
    A.get_or_init(TextAnalyzer::default).analyze(text, LangHint::Auto).expect("analysed")
}

fn aspect(a: &Analysis, key: &str) -> Option<Polarity> {
    a.aspects.iter().find(|m| m.aspect == key).map(|m| m.polarity)
}

use Polarity::{Negative as Neg, Neutral as Neu, Positive as Pos};

#[test]
fn text_sentiment_labels() {
    let cases: &[(&str, Polarity)] = &[
        ("质量很好，物流也快，下次还来买", Pos),
        ("质量不好，用了两天就坏了", Neg),
        ("一点都不贵，性价比很高", Pos),
        ("东西不错，但是物流太慢了，等了一个星期", Neg),
        ("虽然有点贵，但是质量真的很好", Pos),
        ("太差了！！！再也不买了", Neg),
        ("這家店服務態度很好，下次還會再來", Pos),
        ("客服态度极差，问什么都不回 😡", Neg),
        ("Great product, fast delivery, would buy again!", Pos),
        ("Not good at all. It broke after two days.", Neg),
        ("The food was great but the service was awful and slow.", Neg),
        ("Not bad for the price, works fine.", Pos),
        ("Terrible app, keeps crashing 😡", Neg),
        ("👍👍👍", Pos),
    ];
    let mut wrong = Vec::new();
    for (text, want) in cases {
        let a = analyze(text);
        if a.sentiment.label != *want {
            wrong.push(format!("{text}: want {want:?}, got {:?} ({:+.2})", a.sentiment.label, a.sentiment.score));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn each_aspect_takes_the_polarity_of_its_own_clause() {
    let a = analyze("东西不错，但是物流太慢了");
    assert_eq!(aspect(&a, "delivery"), Some(Neg), "{:?}", a.aspects);
    let a = analyze("The food was great but the staff were rude.");
    assert_eq!(aspect(&a, "staff_attitude"), Some(Neg), "{:?}", a.aspects);
    let a = analyze("价格便宜，客服态度也很好");
    assert_eq!(aspect(&a, "price"), Some(Pos), "{:?}", a.aspects);
    assert_eq!(aspect(&a, "staff_attitude"), Some(Pos), "{:?}", a.aspects);
}

#[test]
fn evidence_span_is_the_clause_that_names_the_aspect() {
    let text = "东西不错，但是物流太慢了";
    let a = analyze(text);
    let m = a.aspects.iter().find(|m| m.aspect == "delivery").expect("delivery");
    assert!(m.span.text.contains("物流"), "{:?}", m.span);
    assert!(!m.span.text.contains("东西"), "{:?}", m.span);
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(chars[m.span.start..m.span.end].iter().collect::<String>(), m.span.text);
}

#[test]
fn questions_about_an_aspect_are_neutral() {
    let a = analyze("请问发的什么快递？");
    assert_eq!(aspect(&a, "delivery"), Some(Neu), "{:?}", a.aspects);
    let a = analyze("Can I return an item I bought on sale?");
    assert_eq!(aspect(&a, "returns_refunds"), Some(Neu), "{:?}", a.aspects);
}

#[test]
fn urgency_and_churn_flags_with_reasons() {
    let a = analyze("再不处理我就打12315投诉到消协，还要找媒体曝光！");
    assert!(a.urgency.flag);
    let kinds: Vec<&str> = a.urgency.reasons.iter().map(|r| r.kind.as_str()).collect();
    assert!(kinds.contains(&"regulator") && kinds.contains(&"media"), "{kinds:?}");
    let a = analyze("太失望了，我要销户，换一家银行");
    assert!(a.churn_risk.flag);
    let kinds: Vec<&str> = a.churn_risk.reasons.iter().map(|r| r.kind.as_str()).collect();
    assert!(kinds.contains(&"close_account") && kinds.contains(&"switch"), "{kinds:?}");
    let a = analyze("I'm cancelling my subscription and talking to my lawyer.");
    assert!(a.churn_risk.flag && a.urgency.flag);
    for calm in ["有了这个再也不用担心了", "I won't cancel, it's great", "物流很快，好评"] {
        let a = analyze(calm);
        assert!(!a.churn_risk.flag && !a.urgency.flag, "{calm}: {:?} {:?}", a.churn_risk, a.urgency);
    }
}

#[test]
fn languages_and_keywords() {
    assert_eq!(analyze("快递很快").lang, Lang::Zh);
    assert_eq!(analyze("這個價錢太貴了").lang, Lang::ZhHant);
    assert_eq!(analyze("Delivery was quick").lang, Lang::En);
    let a = analyze("物流太慢，包装也破了，客服一直不回复");
    assert!(a.keywords.iter().any(|k| k == "物流"), "{:?}", a.keywords);
    assert!(a.keywords.iter().any(|k| k == "包装"), "{:?}", a.keywords);
}
