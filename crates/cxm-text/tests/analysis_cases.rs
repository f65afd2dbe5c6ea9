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

/// Aspect polarity cases: (text, aspect, expected polarity).
fn check_aspects(cases: &[(&str, &str, Polarity)]) {
    let mut wrong = Vec::new();
    for (text, key, want) in cases {
        let a = analyze(text);
        let got = aspect(&a, key);
        if got != Some(*want) {
            wrong.push(format!("{text} / {key}: want {want:?}, got {got:?} {:?}", a.aspects));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn stated_problems_without_sentiment_words_are_negative() {
    check_aspects(&[
        ("这个月的话费扣了两次", "billing", Neg),
        ("在营业厅排队排了一个多小时", "wait_time", Neg),
        ("退款到现在还没到账", "returns_refunds", Neg),
        ("They charged me twice for one ticket.", "billing", Neg),
        ("Waited 50 minutes on hold before anyone picked up.", "wait_time", Neg),
        ("The annual fee went up again without telling me.", "billing", Neg),
    ]);
}

#[test]
fn stated_fixes_and_speed_are_positive() {
    check_aspects(&[
        ("洗衣机漏水，师傅上门一小时就修好了", "problem_resolution", Pos),
        ("申请退货后第三天就退回来了", "returns_refunds", Pos),
        ("The agent fixed my login problem in one call.", "problem_resolution", Pos),
        ("Sent the kettle back and got a full refund within 3 days.", "returns_refunds", Pos),
    ]);
}

#[test]
fn lukewarm_verdicts_and_questions_are_neutral() {
    check_aspects(&[
        ("环境还行，没什么特别的", "environment", Neu),
        ("The price is ok, nothing special.", "price", Neu),
        ("请问现在办宽带有没有便宜点的套餐？", "price", Neu),
        ("What is the fee for a paper bill?", "billing", Neu),
    ]);
}

#[test]
fn tolerated_waits_are_neutral() {
    check_aspects(&[
        ("取号后排队等了二十分钟，还能接受", "wait_time", Neu),
        ("Waited about 15 minutes for a table, no big deal.", "wait_time", Neu),
        ("排队等了二十分钟，服务员态度还行", "wait_time", Neg),
    ]);
}

#[test]
fn a_fault_before_a_question_keeps_its_polarity() {
    check_aspects(&[("冰箱质量不行，不制冷了，上门维修要收费吗？", "product_quality", Neg)]);
}

#[test]
fn promises_and_partial_remedies_are_not_praise() {
    check_aspects(&[
        ("客服说三天内退款，到现在一个星期了还没到账", "returns_refunds", Neg),
        ("退货只退了一半的钱", "returns_refunds", Neg),
    ]);
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
