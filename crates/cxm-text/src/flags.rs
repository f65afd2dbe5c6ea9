//! Urgency (regulator, media, legal, safety, complaint) and churn intent
//! (cancel, close account, switch, never again) in Chinese and English.
//!
//! One leftmost-longest automaton holds every trigger and every exemption;
//! an exemption is a longer phrase that wins over the trigger inside it
//! (再也不用担心 over 再也不用, fire alarm over fire, 多媒体 over 媒体). A
//! trigger then counts unless a negator shortly before it in the same clause
//! denies the intent (不会退订, no need to cancel, 不用投诉了); "can't cancel"
//! or 无法注销 still count, since the customer wants out.

use aho_corasick::{AhoCorasick, MatchKind};
use std::ops::Range;
use std::sync::OnceLock;

/// One reason for a flag; `range` is in `char` indices into the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagHit {
    pub kind: &'static str,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Urgency,
    Churn,
    /// A phrase that contains a trigger but means something else.
    Exempt,
}

/// (class, kind, patterns). Patterns are lower case (the text is normalized).
const TABLE: &[(Class, &str, &[&str])] = &[
    (
        Class::Urgency,
        "regulator",
        &[
            "12315",
            "315",
            "3·15",
            "消协",
            "消费者协会",
            "市场监管局",
            "市场监督管理局",
            "市场监管",
            "工商局",
            "工商部门",
            "银保监会",
            "银监会",
            "金融监管",
            "证监会",
            "通管局",
            "通信管理局",
            "工信部",
            "质监局",
            "食药监",
            "物价局",
            "监管部门",
            "12345",
            "regulator",
            "regulators",
            "ombudsman",
            "consumer protection",
            "fcc",
            "fca",
            "ftc",
            "cfpb",
            "bbb",
            "better business bureau",
            "attorney general",
            "trading standards",
            "consumer affairs",
        ],
    ),
    (
        Class::Urgency,
        "media",
        &[
            "曝光",
            "媒体",
            "记者",
            "上热搜",
            "发微博",
            "发抖音",
            "发到网上",
            "发网上",
            "电视台",
            "上新闻",
            "找媒体",
            "自媒体",
            "media",
            "the press",
            "to the press",
            "journalist",
            "journalists",
            "reporter",
            "the news",
            "news station",
            "go viral",
            "going viral",
            "social media",
        ],
    ),
    (
        Class::Urgency,
        "legal",
        &[
            "律师",
            "起诉",
            "法院",
            "诉讼",
            "报警",
            "仲裁",
            "打官司",
            "法律途径",
            "法律程序",
            "追究法律责任",
            "告你们",
            "lawyer",
            "lawyers",
            "attorney",
            "sue",
            "suing",
            "lawsuit",
            "legal action",
            "court",
            "small claims",
            "police",
            "class action",
        ],
    ),
    (
        Class::Urgency,
        "safety",
        &[
            "安全隐患",
            "爆炸",
            "起火",
            "着火",
            "冒烟",
            "漏电",
            "触电",
            "受伤",
            "中毒",
            "食物中毒",
            "过敏",
            "烫伤",
            "烧伤",
            "划伤",
            "割伤",
            "住院",
            "进医院",
            "去医院",
            "送医",
            "急诊",
            "自燃",
            "燃气泄漏",
            "漏气",
            "有毒",
            "injury",
            "injuries",
            "injured",
            "fire",
            "caught fire",
            "smoke came",
            "smoking from",
            "exploded",
            "explode",
            "explosion",
            "electric shock",
            "electrocuted",
            "food poisoning",
            "hospital",
            "hospitalized",
            "emergency room",
            "allergic reaction",
            "unsafe",
            "hazard",
            "dangerous",
            "burned me",
            "got burned",
        ],
    ),
    (
        Class::Urgency,
        "complaint",
        &[
            "投诉到",
            "我要投诉",
            "要投诉",
            "去投诉",
            "会投诉",
            "投诉你们",
            "必须投诉",
            "一定投诉",
            "已投诉",
            "已经投诉",
            "投诉无门",
            "投诉",
            "举报",
            "complain to",
            "file a complaint",
            "filed a complaint",
            "filing a complaint",
            "formal complaint",
            "lodge a complaint",
            "report you to",
            "report this to",
            "reporting you",
        ],
    ),
    (
        Class::Churn,
        "cancel",
        &[
            "退订",
            "取消订阅",
            "取消会员",
            "取消自动续费",
            "关闭自动续费",
            "取消套餐",
            "退套餐",
            "退会员",
            "解约",
            "注销",
            "退卡",
            "不续费",
            "不再续费",
            "不续约",
            "cancel",
            "canceled",
            "cancelled",
            "cancelling",
            "canceling",
            "cancellation",
            "unsubscribe",
            "unsubscribed",
            "terminate my contract",
            "terminating my contract",
            "end my subscription",
            "stop my subscription",
            "not renewing",
            "won't renew",
            "will not renew",
        ],
    ),
    (
        Class::Churn,
        "close_account",
        &[
            "销户",
            "销卡",
            "注销账户",
            "注销账号",
            "注销银行卡",
            "注销信用卡",
            "销号",
            "close my account",
            "closing my account",
            "close the account",
            "closed my account",
            "delete my account",
            "deleting my account",
            "close our account",
        ],
    ),
    (
        Class::Churn,
        "switch",
        &[
            "换一家",
            "换别家",
            "去别家",
            "转网",
            "携号转网",
            "用别的",
            "换别的",
            "选别家",
            "别家买",
            "转投",
            "switch to",
            "switching to",
            "switched to",
            "go elsewhere",
            "going elsewhere",
            "business elsewhere",
            "moving to another",
            "move to another",
            "competitor",
            "another provider",
            "another carrier",
            "another company",
        ],
    ),
    (
        Class::Churn,
        "never_again",
        &[
            "拉黑",
            "最后一次买",
            "最后一次来",
            "最后一次在",
            "最后一次用",
            "最后一次光顾",
            "最后一次购买",
            "最后一次选择",
            "最后一次入住",
            "不会回购",
            "不再回购",
            "没有下次",
            "不会有下次",
            "never again",
            "never coming back",
            "never come back",
            "never going back",
            "never go back",
            "never buy",
            "never buying",
            "never shop",
            "never order",
            "never ordering",
            "never use",
            "never be back",
            "never return",
            "never returning",
            "never recommend",
            "won't be back",
            "wont be back",
            "will not be back",
            "won't be coming back",
            "won't be returning",
            "won't return",
            "will not return",
            "not coming back",
            "lost a customer",
            "lost my business",
            "last time i",
        ],
    ),
    (
        Class::Exempt,
        "",
        &[
            // 再也不 / 不会再 only with a verb of buying or using (below); not
            // "no more need to worry".
            "再也不用担心",
            "再也不怕",
            "再也不愁",
            "再也不用怕",
            "再也不用愁",
            "再也不用排队",
            "再也不用等",
            "再也不担心",
            "再也不会担心",
            "再也不用跑",
            "再也不用为",
            "再也不用去营业厅",
            "再也不用操心",
            "再也不用麻烦",
            "再也不会卡",
            "不会再卡",
            "不会再出现",
            // other senses
            "多媒体",
            "流媒体",
            "媒体播放",
            "防火",
            "防爆",
            "不过敏",
            "防过敏",
            "抗过敏",
            "注销了之前",
            "fire alarm",
            "fire alarms",
            "fire tv",
            "fire stick",
            "firestick",
            "kindle fire",
            "fire hd",
            "fire tablet",
            "fire extinguisher",
            "fire exit",
            "fire phone",
            "ceasefire",
            "food court",
            "tennis court",
            "basketball court",
            "cancel my order",
            "cancel the order",
            "cancelled my order",
            "canceled my order",
            "cancelled the order",
            "canceled the order",
            "cancel order",
            "noise cancel",
            "noise cancelling",
            "noise canceling",
            "noise cancellation",
            "echo cancel",
            "echo cancellation",
            "switch to speaker",
            "switch to speakerphone",
            "switch to vibrate",
            "switch to silent",
            "switch to mute",
            "media player",
            "media card",
        ],
    ),
];

/// Chinese 再也不 / 不会再 + a verb of coming back or buying: never_again.
const NEVER_PREFIXES: &[&str] =
    &["再也不", "再也不会", "再也不敢", "再也不想", "绝不再", "不会再", "永远不会再", "再也不会再"];
const NEVER_VERBS: &[&str] = &[
    "买", "来", "用", "去", "住", "光顾", "点", "选", "信", "相信", "吃", "喝", "续费", "下单", "订", "坐", "乘", "办",
    "合作", "踏进", "购买", "入住", "回购", "找", "碰", "充值", "登录",
];

/// Negators that deny an intent when shortly before it (不会退订, won't cancel).
const ZH_DENY: &[&str] = &[
    "不会",
    "不用",
    "不想",
    "不要",
    "不打算",
    "不准备",
    "不考虑",
    "不必",
    "没有",
    "没",
    "无需",
    "无须",
    "不需要",
    "用不着",
    "不至于",
    "别",
    "未",
    "不",
];
/// …unless the customer is prevented (无法注销, 取消不了 is not before the word).
const ZH_OBSTACLE: &[&str] = &["不能", "无法", "没法", "不让", "不给", "没办法", "办不了"];
const EN_DENY: &[&str] = &[
    "not", "no", "never", "won't", "wont", "don't", "dont", "didn't", "didnt", "wouldn't", "wouldnt", "without",
    "doesn't", "doesnt",
];
const EN_OBSTACLE: &[&str] =
    &["can't", "cant", "cannot", "couldn't", "couldnt", "unable", "let", "allow", "able", "how", "trying", "tried"];
/// How far back a negator reaches: characters (zh) and words (en).
const ZH_DENY_CHARS: usize = 4;
const EN_DENY_WORDS: usize = 3;

struct Flags {
    automaton: Option<AhoCorasick>,
    meta: Vec<(Class, &'static str)>,
}

fn flags() -> &'static Flags {
    static FLAGS: OnceLock<Flags> = OnceLock::new();
    FLAGS.get_or_init(|| {
        let mut patterns: Vec<String> = Vec::new();
        let mut meta = Vec::new();
        for &(class, kind, words) in TABLE {
            for w in words {
                patterns.push((*w).to_string());
                meta.push((class, kind));
            }
        }
        for p in NEVER_PREFIXES {
            for v in NEVER_VERBS {
                patterns.push(format!("{p}{v}"));
                meta.push((Class::Churn, "never_again"));
            }
        }
        let automaton = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&patterns).ok();
        Flags { automaton, meta }
    })
}

fn ends_clause(c: char) -> bool {
    matches!(c, '，' | ',' | '。' | '！' | '？' | '!' | '?' | '；' | ';' | '\n' | '.' | '…' | '：' | ':')
}

/// Urgency and churn-intent hits in a normalized text (see
/// [`crate::normalize::normalize`]), each in text order.
pub fn detect(norm: &str) -> (Vec<FlagHit>, Vec<FlagHit>) {
    let (mut urgency, mut churn) = (Vec::new(), Vec::new());
    let f = flags();
    let Some(ac) = &f.automaton else { return (urgency, churn) };
    let mut chars: Option<(Vec<char>, Vec<usize>)> = None;
    for m in ac.find_iter(norm) {
        let Some(&(class, kind)) = f.meta.get(m.pattern().as_usize()) else { continue };
        if class == Class::Exempt {
            continue;
        }
        // Char positions only for texts that have a hit.
        let (chars, offsets) =
            chars.get_or_insert_with(|| (norm.chars().collect(), norm.char_indices().map(|(b, _)| b).collect()));
        let to_char = |b: usize| offsets.partition_point(|&o| o < b);
        let (s, e) = (to_char(m.start()), to_char(m.end()));
        let before = s.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let after = chars.get(e).copied();
        let first = chars.get(s).copied().unwrap_or(' ');
        let last = e.checked_sub(1).and_then(|p| chars.get(p)).copied().unwrap_or(' ');
        // English words and numbers must stand alone (cancel ≠ cancelled-out
        // word parts, 315 ≠ 3150 or ¥315).
        if first.is_ascii_alphanumeric() && before.is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        if last.is_ascii_alphanumeric() && after.is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        if first.is_ascii_digit() && !number_stands_alone(chars, s, e) {
            continue;
        }
        if denied(chars, s) {
            continue;
        }
        let hit = FlagHit { kind, range: s..e };
        match class {
            Class::Urgency => urgency.push(hit),
            Class::Churn => churn.push(hit),
            Class::Exempt => {}
        }
    }
    (urgency, churn)
}

/// 315 / 12315 as a hotline or day, not a price, amount or part of a decimal.
fn number_stands_alone(chars: &[char], s: usize, e: usize) -> bool {
    let before = s.checked_sub(1).and_then(|p| chars.get(p)).copied();
    let after = chars.get(e).copied();
    let money_before = before.is_some_and(|c| matches!(c, '¥' | '￥' | '$' | '€' | '£' | '.' | ',' | '-' | '+'));
    let unit_after = after.is_some_and(|c| {
        matches!(
            c,
            '元' | '块' | '%' | '.' | '万' | '千' | '百' | '米' | '克' | '斤' | '号' | '室' | '个' | '次' | '天'
        ) || c.is_ascii_alphabetic()
    });
    !money_before && !unit_after
}

/// A negator shortly before the trigger, in the same clause, denies it —
/// unless the customer says they are being prevented.
fn denied(chars: &[char], s: usize) -> bool {
    let mut from = s;
    while from > 0 && !ends_clause(chars[from - 1]) {
        from -= 1;
    }
    let clause: String = chars[from..s].iter().collect();
    let ascii_words: Vec<&str> = clause
        .split(|c: char| !(c.is_ascii_alphabetic() || c == '\'' || c == '\u{2019}'))
        .filter(|w| !w.is_empty())
        .collect();
    let near: Vec<&str> = ascii_words.iter().rev().take(EN_DENY_WORDS).copied().collect();
    if near.iter().any(|w| EN_OBSTACLE.contains(w)) {
        return false;
    }
    if near.iter().any(|w| EN_DENY.contains(w) || w.ends_with("n't")) {
        return true;
    }
    let tail_start = s.saturating_sub(ZH_DENY_CHARS).max(from);
    let tail: String = chars[tail_start..s].iter().collect();
    if ZH_OBSTACLE.iter().any(|o| tail.contains(o)) {
        return false;
    }
    // The negator right before the trigger, or with one auxiliary between
    // (不会再退订, 不想去投诉); 不行就转网 is not denied.
    let trimmed = match tail.chars().last() {
        Some(c) if "再去来要会想用必".contains(c) => &tail[..tail.len() - c.len_utf8()],
        _ => tail.as_str(),
    };
    ZH_DENY.iter().any(|d| tail.ends_with(d) || trimmed.ends_with(d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn kinds(text: &str) -> (Vec<&'static str>, Vec<&'static str>) {
        let (u, c) = detect(&normalize(text));
        (u.iter().map(|h| h.kind).collect(), c.iter().map(|h| h.kind).collect())
    }

    fn urgency(text: &str) -> Vec<&'static str> {
        kinds(text).0
    }

    fn churn(text: &str) -> Vec<&'static str> {
        kinds(text).1
    }

    #[test]
    fn urgency_kinds() {
        assert_eq!(urgency("再不处理我就打12315"), vec!["regulator"]);
        assert_eq!(urgency("我要去消协投诉你们"), vec!["regulator", "complaint"]);
        assert_eq!(urgency("我要找媒体曝光你们"), vec!["media", "media"]);
        assert_eq!(urgency("我已经请了律师，准备起诉"), vec!["legal", "legal"]);
        assert_eq!(urgency("充电器冒烟了，差点着火"), vec!["safety", "safety"]);
        assert_eq!(urgency("I will report you to the Better Business Bureau"), vec!["complaint", "regulator"]);
        assert_eq!(urgency("My lawyer will hear about this"), vec!["legal"]);
        assert_eq!(urgency("The charger caught fire!"), vec!["safety"]);
        assert_eq!(urgency("We got food poisoning"), vec!["safety"]);
    }

    #[test]
    fn urgency_traps() {
        assert!(urgency("问题解决了，不用投诉了").is_empty());
        assert!(urgency("不会投诉的，放心").is_empty());
        assert!(urgency("The fire alarm worked fine").is_empty());
        assert!(urgency("Great for the Kindle Fire").is_empty());
        assert!(urgency("多媒体功能很好").is_empty());
        assert!(urgency("这款洗发水不过敏").is_empty());
        assert!(urgency("I was fired up about it").is_empty(), "fired is not fire");
        assert!(urgency("We ate at the food court").is_empty());
        // 315 only as a standalone number.
        assert_eq!(urgency("我要打315投诉"), vec!["regulator", "complaint"]);
        assert!(urgency("花了¥315买的").is_empty());
        assert!(urgency("价格315元").is_empty());
        assert!(urgency("房间号3150").is_empty());
        assert!(urgency("总共1315块").is_empty());
    }

    #[test]
    fn churn_kinds() {
        assert_eq!(churn("我要退订这个套餐"), vec!["cancel"]);
        assert_eq!(churn("明天就去销户"), vec!["close_account"]);
        assert_eq!(churn("实在不行就携号转网"), vec!["switch"]);
        assert_eq!(churn("再也不买你们家的东西了"), vec!["never_again"]);
        assert_eq!(churn("以后不会再来了"), vec!["never_again"]);
        assert_eq!(churn("已拉黑"), vec!["never_again"]);
        assert_eq!(churn("Please cancel my subscription"), vec!["cancel"]);
        assert_eq!(churn("I want to close my account"), vec!["close_account"]);
        assert_eq!(churn("I'm switching to Verizon"), vec!["switch"]);
        assert_eq!(churn("Never again. Won't be back."), vec!["never_again", "never_again"]);
        assert_eq!(churn("I will never buy from them again"), vec!["never_again"]);
        // Prevented, still wants out.
        assert_eq!(churn("为什么无法注销"), vec!["cancel"]);
        assert_eq!(churn("Why can't I cancel online?"), vec!["cancel"]);
        assert_eq!(churn("They won't let me cancel"), vec!["cancel"]);
    }

    #[test]
    fn churn_traps() {
        assert!(churn("我不会退订的").is_empty());
        assert!(churn("暂时不想取消会员").is_empty());
        assert!(churn("I won't cancel, it is fine now").is_empty());
        assert!(churn("There is no need to cancel").is_empty());
        assert!(churn("有了这个再也不用担心没电了").is_empty());
        assert!(churn("再也不怕堵车了").is_empty());
        assert!(churn("升级以后再也不会卡了").is_empty());
        assert!(churn("The noise cancelling is great").is_empty());
        assert!(churn("I had to cancel the order and reorder").is_empty());
        assert!(churn("You can switch to speakerphone easily").is_empty());
        assert!(churn("cancellations").is_empty(), "whole words only");
    }

    #[test]
    fn ranges_are_char_indices() {
        let text = normalize("服务太差！我要退订");
        let (_, churn) = detect(&text);
        let chars: Vec<char> = text.chars().collect();
        let got: String = chars[churn[0].range.clone()].iter().collect();
        assert_eq!(got, "退订");
        let (u, _) = detect(&normalize("Call the FCC"));
        assert_eq!(u[0].range, 9..12);
    }
}
