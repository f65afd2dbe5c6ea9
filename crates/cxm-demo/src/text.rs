//! Compositional phrase templates for Chinese and English customer texts.
//!
//! A clause is built from an aspect lexicon (subjects × degree words ×
//! adjectives, negated forms, or a fixed phrase); texts combine clauses with
//! openers, contrast connectors (但是/不过/可是/but/however — the later clause
//! carries the final sentiment), closings and optional churn / urgency
//! wording. This yields thousands of distinct phrasings per language.

use crate::rng::Rng;
use cxm_core::model::Language;

/// A topic a text talks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Aspect {
    Delivery,
    Packaging,
    Quality,
    Price,
    Staff,
    App,
    WaitTime,
    Professionalism,
    Resolution,
    Environment,
}

/// Aspects of the NPS survey attribute ratings, in `ATTRIBUTES` order.
pub const ATTR_ASPECTS: [Aspect; 5] = [Aspect::Delivery, Aspect::Quality, Aspect::Price, Aspect::Staff, Aspect::App];
/// Aspects of the RATER dimensions (reliability, assurance, tangibles, empathy, responsiveness).
pub const RATER_ASPECTS: [Aspect; 5] =
    [Aspect::Resolution, Aspect::Professionalism, Aspect::Environment, Aspect::Staff, Aspect::WaitTime];

/// Words that mark a delivery mention (used by tests and documentation).
pub const ZH_DELIVERY_WORDS: &[&str] = &["快递", "物流", "配送", "送货", "发货", "到货", "包装", "包裹"];
pub const EN_DELIVERY_WORDS: &[&str] = &["deliver", "shipping", "courier", "parcel", "packag", "tracking"];

struct Lex {
    zh_subj: &'static [&'static str],
    zh_pos: &'static [&'static str],
    zh_neg: &'static [&'static str],
    zh_pos_fixed: &'static [&'static str],
    zh_neg_fixed: &'static [&'static str],
    en_subj: &'static [&'static str],
    en_pos: &'static [&'static str],
    en_neg: &'static [&'static str],
    en_pos_fixed: &'static [&'static str],
    en_neg_fixed: &'static [&'static str],
}

const DELIVERY: Lex = Lex {
    zh_subj: &["快递", "物流", "配送", "送货速度", "发货速度", "物流速度"],
    zh_pos: &["快", "及时", "准时", "给力", "靠谱"],
    zh_neg: &["慢", "拖拉", "不靠谱", "磨蹭"],
    zh_pos_fixed: &[
        "第二天就到货了",
        "下单当天就发货了",
        "物流比预期快了两天",
        "快递小哥送货上门很准时",
        "配送员很客气，还帮忙搬上楼",
        "半夜下单第二天上午就送到了，物流太给力了",
        "物流信息更新得很及时",
    ],
    zh_neg_fixed: &[
        "快递等了一个多星期才到",
        "物流信息三天都没更新",
        "说好次日达，结果第四天才到货",
        "快递员没打电话就把包裹放在驿站",
        "配送一直延误，也没人解释",
        "发货太慢，催了好几次",
        "快递送错了地址",
        "物流慢得离谱",
        "等快递等到花儿都谢了",
    ],
    en_subj: &["the delivery", "shipping", "the courier service", "delivery speed"],
    en_pos: &["fast", "quick", "on time", "reliable"],
    en_neg: &["slow", "late", "unreliable"],
    en_pos_fixed: &[
        "the parcel arrived the next day",
        "delivery was faster than promised",
        "the courier was on time and friendly",
        "shipping only took two days",
        "my order was delivered the same day",
        "tracking updates were spot on",
    ],
    en_neg_fixed: &[
        "the delivery took forever",
        "my parcel arrived a week late",
        "the tracking didn't update for three days",
        "the courier left the parcel at the wrong address",
        "shipping was delayed twice without any notice",
        "I had to chase the delivery several times",
        "the courier never called before dropping the parcel off",
    ],
};

const PACKAGING: Lex = Lex {
    zh_subj: &["包装", "外包装", "快递包装"],
    zh_pos: &["完好", "严实", "结实", "用心"],
    zh_neg: &[],
    zh_pos_fixed: &["包装很严实，一点没压坏", "包装完好无损", "快递包装很用心"],
    zh_neg_fixed: &[
        "包装破损",
        "快递包装破损严重",
        "收到时外包装已经破了",
        "箱子被压坏了，包装破损",
        "包装破了，东西都漏出来了",
        "外箱破了个大洞",
        "包装破损，里面的东西也磕坏了",
        "包装破损得厉害，像是被人踩过",
    ],
    en_subj: &["the packaging", "the parcel box"],
    en_pos: &["intact", "sturdy", "neat"],
    en_neg: &["damaged", "torn", "crushed"],
    en_pos_fixed: &["everything was packaged carefully", "the packaging kept everything safe"],
    en_neg_fixed: &[
        "the parcel arrived damaged",
        "the package was crushed",
        "the packaging was torn open",
        "damaged packaging, and the item inside was scratched",
        "the parcel box was soaked and broken",
    ],
};

const QUALITY: Lex = Lex {
    zh_subj: &["质量", "做工", "商品质量", "产品", "材质", "东西"],
    zh_pos: &["好", "扎实", "精致", "耐用"],
    zh_neg: &["差", "粗糙", "廉价"],
    zh_pos_fixed: &[
        "质量超出预期",
        "做工很不错，用料扎实",
        "东西和描述的一模一样",
        "用了一个月了还跟新的一样",
        "品质没得说",
    ],
    zh_neg_fixed: &[
        "用了两天就坏了",
        "收到的东西有瑕疵",
        "实物和图片差距太大",
        "质量跟描述的不符",
        "有明显的划痕",
        "尺码严重偏小",
        "用了一周就开线了",
    ],
    en_subj: &["the quality", "the product", "the build quality", "the material"],
    en_pos: &["good", "solid", "excellent", "well made"],
    en_neg: &["poor", "cheap", "flimsy"],
    en_pos_fixed: &[
        "the product is exactly as described",
        "the quality exceeded my expectations",
        "it still works like new after a month",
    ],
    en_neg_fixed: &[
        "it broke after two days",
        "the item had a visible defect",
        "it looks nothing like the pictures",
        "the size was completely off",
        "the stitching came apart after a week",
    ],
};

const PRICE: Lex = Lex {
    zh_subj: &["价格", "价钱", "定价"],
    zh_pos: &["实惠", "合理", "公道"],
    zh_neg: &["贵", "高", "离谱"],
    zh_pos_fixed: &["性价比很高", "活动价很划算", "比别家便宜不少", "这个价格买到很值", "优惠券很给力"],
    zh_neg_fixed: &["性价比太低了", "比别家贵了不少", "刚买完就降价了", "优惠券根本用不了", "价格虚高"],
    en_subj: &["the price", "the pricing"],
    en_pos: &["fair", "reasonable", "good"],
    en_neg: &["high", "steep", "unreasonable"],
    en_pos_fixed: &["great value for money", "cheaper than other shops", "the discount was worth it"],
    en_neg_fixed: &[
        "not worth the money",
        "more expensive than other shops",
        "the price dropped right after I bought it",
        "the coupon didn't work",
    ],
};

const STAFF: Lex = Lex {
    zh_subj: &["客服", "客服态度", "服务态度", "店员", "工作人员"],
    zh_pos: &["热情", "耐心", "好", "周到", "贴心"],
    zh_neg: &["差", "冷淡", "敷衍", "不耐烦"],
    zh_pos_fixed: &["客服很耐心地帮我解决了问题", "店员服务很贴心", "工作人员特别有礼貌"],
    zh_neg_fixed: &["客服爱答不理", "客服态度恶劣", "问了三次都没人理", "店员一直在玩手机", "工作人员说话很冲"],
    en_subj: &["the staff", "customer service", "the agent", "the service attitude"],
    en_pos: &["friendly", "patient", "helpful", "polite"],
    en_neg: &["rude", "unfriendly", "dismissive", "impatient"],
    en_pos_fixed: &["the agent was really patient with me", "the staff went out of their way to help"],
    en_neg_fixed: &["nobody seemed to care", "the agent hung up on me", "the staff kept ignoring me"],
};

const APP: Lex = Lex {
    zh_subj: &["App", "小程序", "网站", "页面", "下单流程"],
    zh_pos: &["好用", "流畅", "方便", "简单"],
    zh_neg: &["卡", "难用", "复杂"],
    zh_pos_fixed: &["App操作很顺手", "下单流程很顺畅", "搜索很快就找到了想要的东西"],
    zh_neg_fixed: &["App老是闪退", "支付页面一直报错", "优惠信息找半天找不到", "登录总是失败", "页面加载半天"],
    en_subj: &["the app", "the website", "the checkout flow"],
    en_pos: &["easy to use", "smooth", "simple", "fast"],
    en_neg: &["clunky", "confusing", "slow", "buggy"],
    en_pos_fixed: &["the app made ordering effortless", "checkout took less than a minute"],
    en_neg_fixed: &["the app kept crashing", "the payment page kept throwing errors", "I couldn't log in for days"],
};

const WAIT: Lex = Lex {
    zh_subj: &["响应速度", "接通速度", "处理速度"],
    zh_pos: &["快", "及时"],
    zh_neg: &["慢"],
    zh_pos_fixed: &["几乎不用排队", "电话一打就通了", "几秒钟就有人回复", "等待时间很短"],
    zh_neg_fixed: &[
        "排队等了四十分钟",
        "电话打了半小时才接通",
        "等了很久都没人回复",
        "等待时间太长了",
        "在线排队前面还有五十人",
    ],
    en_subj: &["the response", "the reply"],
    en_pos: &["quick", "fast", "prompt"],
    en_neg: &["slow"],
    en_pos_fixed: &["I barely had to wait", "someone answered within seconds", "the call was picked up right away"],
    en_neg_fixed: &[
        "I waited forty minutes on hold",
        "it took ages to get a reply",
        "the wait time was ridiculous",
        "nobody answered for half an hour",
    ],
};

const PROFESSIONAL: Lex = Lex {
    zh_subj: &["客服", "技术人员", "维修师傅", "顾问"],
    zh_pos: &["专业", "靠谱"],
    zh_neg: &["不专业", "外行"],
    zh_pos_fixed: &["师傅很专业，一下就找到问题了", "解释得很清楚", "对产品非常了解"],
    zh_neg_fixed: &["问什么都说不知道", "一问三不知", "给的方案根本不对", "说法前后矛盾"],
    en_subj: &["the technician", "the agent", "the advisor"],
    en_pos: &["professional", "knowledgeable"],
    en_neg: &["unprofessional", "clueless"],
    en_pos_fixed: &["the technician found the problem right away", "everything was explained clearly"],
    en_neg_fixed: &[
        "nobody could answer my questions",
        "the advice I got was simply wrong",
        "I got contradicting answers",
    ],
};

const RESOLUTION: Lex = Lex {
    zh_subj: &[],
    zh_pos: &[],
    zh_neg: &[],
    zh_pos_fixed: &[
        "问题一次就解决了",
        "退款很快就到账了",
        "处理得很干脆",
        "换货很顺利",
        "售后处理效率很高",
        "答应的事情都做到了",
    ],
    zh_neg_fixed: &[
        "问题到现在还没解决",
        "退款拖了两个星期还没到账",
        "来回折腾了好几次",
        "答应回电话结果没有下文",
        "每次都让我重新描述一遍问题",
        "售后推来推去",
    ],
    en_subj: &[],
    en_pos: &[],
    en_neg: &[],
    en_pos_fixed: &[
        "my issue was solved on the first call",
        "the refund came through quickly",
        "they did exactly what they promised",
    ],
    en_neg_fixed: &[
        "my issue is still not resolved",
        "the refund has been pending for two weeks",
        "I had to explain my problem again every time",
        "they promised a callback that never came",
        "I was passed around between departments",
    ],
};

const ENVIRONMENT: Lex = Lex {
    zh_subj: &["门店", "店里环境", "门店环境", "店面"],
    zh_pos: &["干净", "整洁", "舒服", "宽敞"],
    zh_neg: &["乱", "拥挤", "脏"],
    zh_pos_fixed: &["门店装修很有格调", "店里布置得很用心"],
    zh_neg_fixed: &["门店太挤了，转身都难", "店里又乱又吵"],
    en_subj: &["the store", "the shop"],
    en_pos: &["clean", "tidy", "comfortable", "spacious"],
    en_neg: &["messy", "crowded", "dirty"],
    en_pos_fixed: &["the store looks great"],
    en_neg_fixed: &["the store was a mess"],
};

fn lex(a: Aspect) -> &'static Lex {
    match a {
        Aspect::Delivery => &DELIVERY,
        Aspect::Packaging => &PACKAGING,
        Aspect::Quality => &QUALITY,
        Aspect::Price => &PRICE,
        Aspect::Staff => &STAFF,
        Aspect::App => &APP,
        Aspect::WaitTime => &WAIT,
        Aspect::Professionalism => &PROFESSIONAL,
        Aspect::Resolution => &RESOLUTION,
        Aspect::Environment => &ENVIRONMENT,
    }
}

fn pick(r: &mut Rng, items: &[&'static str]) -> &'static str {
    r.pick(items).copied().unwrap_or("")
}

/// One clause about `a` with polarity `pol` (−2 strong negative … +2 strong positive).
fn clause_zh(r: &mut Rng, a: Aspect, pol: i8, out: &mut String) {
    let l = lex(a);
    let compose = !l.zh_subj.is_empty() && !r.chance(0.35);
    if !compose {
        out.push_str(pick(r, if pol > 0 { l.zh_pos_fixed } else { l.zh_neg_fixed }));
        return;
    }
    out.push_str(pick(r, l.zh_subj));
    match pol {
        2 => {
            out.push_str(pick(r, &["非常", "特别", "超级", "真的很", "相当"]));
            out.push_str(pick(r, l.zh_pos));
        }
        1 => {
            let d = pick(r, &["挺", "还算", "比较", "还挺", "很"]);
            out.push_str(d);
            out.push_str(pick(r, l.zh_pos));
            if d.ends_with('挺') {
                out.push('的');
            }
        }
        -1 => match r.below(if l.zh_neg.is_empty() { 2 } else { 3 }) {
            0 => {
                out.push_str(pick(r, &["不太", "不是很", "不怎么"]));
                out.push_str(pick(r, l.zh_pos));
            }
            1 => {
                out.push_str(pick(r, &["没有想象中那么", "没有宣传的那么"]));
                out.push_str(pick(r, l.zh_pos));
            }
            _ => {
                out.push_str(pick(r, &["有点", "稍微有点", "略微有点"]));
                out.push_str(pick(r, l.zh_neg));
            }
        },
        _ => match r.below(if l.zh_neg.is_empty() { 1 } else { 3 }) {
            0 => {
                out.push_str(pick(r, &["一点也不", "根本不", "完全不"]));
                out.push_str(pick(r, l.zh_pos));
            }
            1 => {
                out.push_str(pick(r, &["太", "实在太"]));
                out.push_str(pick(r, l.zh_neg));
                out.push('了');
            }
            _ => {
                out.push_str(pick(r, &["特别", "非常", "真的很"]));
                out.push_str(pick(r, l.zh_neg));
            }
        },
    }
}

fn clause_en(r: &mut Rng, a: Aspect, pol: i8, out: &mut String) {
    let l = lex(a);
    let compose = !l.en_subj.is_empty() && !r.chance(0.35);
    if !compose {
        out.push_str(pick(r, if pol > 0 { l.en_pos_fixed } else { l.en_neg_fixed }));
        return;
    }
    out.push_str(pick(r, l.en_subj));
    out.push_str(" was ");
    match pol {
        2 => {
            out.push_str(pick(r, &["really ", "very ", "super ", "incredibly ", "extremely "]));
            out.push_str(pick(r, l.en_pos));
        }
        1 => {
            out.push_str(pick(r, &["pretty ", "quite ", "fairly ", "reasonably ", ""]));
            out.push_str(pick(r, l.en_pos));
        }
        -1 => match r.below(3) {
            0 => {
                out.push_str("not very ");
                out.push_str(pick(r, l.en_pos));
            }
            1 => {
                out.push_str("not as ");
                out.push_str(pick(r, l.en_pos));
                out.push_str(pick(r, &[" as I expected", " as advertised", " as last time"]));
            }
            _ => {
                out.push_str(pick(r, &["a bit ", "slightly ", "a little "]));
                out.push_str(pick(r, l.en_neg));
            }
        },
        _ => match r.below(3) {
            0 => {
                out.push_str("not ");
                out.push_str(pick(r, l.en_pos));
                out.push_str(" at all");
            }
            1 => {
                out.push_str(pick(r, &["really ", "terribly ", "extremely ", "way too "]));
                out.push_str(pick(r, l.en_neg));
            }
            _ => {
                out.push_str("never ");
                out.push_str(pick(r, l.en_pos));
            }
        },
    }
}

fn clause(r: &mut Rng, lang: Language, a: Aspect, pol: i8, out: &mut String) {
    match lang {
        Language::Zh => clause_zh(r, a, pol, out),
        Language::En => clause_en(r, a, pol, out),
    }
}

const ZH_OPEN_NEG: &[&str] = &[
    "非常失望。",
    "体验很差！",
    "说实话不是很满意。",
    "这次购物体验一般般。",
    "差评。",
    "太让人失望了，",
    "不太满意，",
    "糟心的一次经历。",
];
const ZH_OPEN_POS: &[&str] =
    &["非常满意！", "体验很好，", "五星好评！", "很棒的一次购物，", "总体很满意。", "惊喜！", "没有让我失望，"];
const ZH_OPEN_MID: &[&str] = &["还行吧，", "总体还可以，", "中规中矩，", "一般般，", "凑合，"];
const ZH_CLOSE_NEG: &[&str] =
    &["希望改进。", "请尽快处理。", "真的很无语。", "希望给个说法。", "下次要考虑一下了。", "太折腾了。"];
const ZH_CLOSE_POS: &[&str] =
    &["下次还会再来！", "会推荐给朋友的。", "点赞！", "继续保持！", "谢谢！", "已经回购好几次了。"];
const ZH_CONTRAST: &[&str] = &["，但是", "，不过", "，可是", "，但"];
const ZH_CHURN: &[&str] = &[
    "再也不会在你们家买了！",
    "我要销户。",
    "以后换别家了。",
    "已经退订你们所有的服务。",
    "准备注销账号。",
    "会员到期不续了。",
];
const ZH_URGENT: &[&str] = &[
    "再不解决我就投诉到12315！",
    "我要去消协投诉！",
    "要在微博上曝光你们！",
    "我会找律师处理。",
    "已经向市场监管局投诉了。",
];

const EN_OPEN_NEG: &[&str] = &[
    "Very disappointed. ",
    "Terrible experience. ",
    "Honestly, not very happy. ",
    "Not great. ",
    "Really frustrating. ",
    "Not satisfied at all. ",
];
const EN_OPEN_POS: &[&str] =
    &["Very happy! ", "Great experience. ", "Five stars! ", "Loved it. ", "Really satisfied. ", "Impressed. "];
const EN_OPEN_MID: &[&str] = &["It was okay. ", "Decent overall. ", "Mixed feelings. ", "Average. "];
const EN_CLOSE_NEG: &[&str] =
    &["Please fix this.", "Expected better.", "Very annoying.", "I want an explanation.", "Not sure I'll order again."];
const EN_CLOSE_POS: &[&str] =
    &["Will order again!", "Highly recommend.", "Keep it up!", "Thanks a lot!", "Already told my friends."];
const EN_CONTRAST: &[&str] = &[", but ", ", however ", " but "];
const EN_CHURN: &[&str] = &[
    "I want to cancel my account.",
    "I'm switching to another provider.",
    "Never buying from you again.",
    "Please close my account.",
    "I won't renew my membership.",
];
const EN_URGENT: &[&str] = &[
    "I will report this to the consumer protection agency.",
    "I'm going to post this on social media.",
    "I'll contact my lawyer.",
    "I'm filing a formal complaint with the regulator.",
];

fn capitalize_from(s: &mut String, from: usize) {
    if let Some(c) = s.get(from..).and_then(|t| t.chars().next())
        && c.is_ascii_lowercase()
    {
        let up = c.to_ascii_uppercase();
        s.replace_range(from..from + 1, &up.to_string());
    }
}

/// Appends a full sentence made of one clause, ending with punctuation.
fn sentence(r: &mut Rng, lang: Language, a: Aspect, pol: i8, out: &mut String) {
    let start = out.len();
    clause(r, lang, a, pol, out);
    end(lang, pol, out);
    capitalize_from(out, start);
}

fn end(lang: Language, pol: i8, out: &mut String) {
    match lang {
        Language::Zh => out.push_str(if pol.abs() == 2 { "！" } else { "。" }),
        Language::En => out.push_str(if pol.abs() == 2 { "! " } else { ". " }),
    }
}

/// A `main`-clause ⟨contrast⟩ `second`-clause sentence; the later clause dominates.
fn contrast(r: &mut Rng, lang: Language, first: (Aspect, i8), second: (Aspect, i8), out: &mut String) {
    let start = out.len();
    clause(r, lang, first.0, first.1, out);
    match lang {
        Language::Zh => out.push_str(pick(r, ZH_CONTRAST)),
        Language::En => out.push_str(pick(r, EN_CONTRAST)),
    }
    clause(r, lang, second.0, second.1, out);
    end(lang, second.1, out);
    capitalize_from(out, start);
}

fn push_pick(r: &mut Rng, out: &mut String, items: &[&'static str]) {
    out.push_str(pick(r, items));
}

fn finish(mut s: String) -> String {
    let t = s.trim_end().len();
    s.truncate(t);
    s
}

/// What a comment should express.
#[derive(Debug, Clone, Copy)]
pub struct CommentPlan {
    pub lang: Language,
    /// 0 promoter, 1 passive, 2 detractor.
    pub group: usize,
    pub nps: u8,
    /// The driving aspect (best for promoters, worst otherwise).
    pub main: Aspect,
    /// The opposite aspect, used in contrast constructions.
    pub other: Aspect,
    /// The runner-up aspect on the same side as `main`.
    pub second: Aspect,
}

/// An open-text comment for a survey response.
pub fn comment(r: &mut Rng, plan: CommentPlan) -> String {
    let lang = plan.lang;
    let zh = lang == Language::Zh;
    let mut s = String::with_capacity(96);
    let other = if plan.other == plan.main { Aspect::Price } else { plan.other };
    match plan.group {
        0 => {
            let pol = if plan.nps == 10 || r.chance(0.5) { 2 } else { 1 };
            match r.below(4) {
                0 => {
                    // 虽然…但是… / Although …, …
                    if zh {
                        s.push_str("虽然");
                        clause(r, lang, other, -1, &mut s);
                        s.push_str("，但是");
                    } else {
                        s.push_str("Although ");
                        clause(r, lang, other, -1, &mut s);
                        s.push_str(", ");
                    }
                    clause(r, lang, plan.main, pol, &mut s);
                    end(lang, pol, &mut s);
                }
                1 => {
                    push_pick(r, &mut s, if zh { ZH_OPEN_POS } else { EN_OPEN_POS });
                    sentence(r, lang, plan.main, pol, &mut s);
                    push_pick(r, &mut s, if zh { ZH_CLOSE_POS } else { EN_CLOSE_POS });
                }
                2 => {
                    sentence(r, lang, plan.main, pol, &mut s);
                    if r.chance(0.6) && plan.second != plan.main {
                        sentence(r, lang, plan.second, 1, &mut s);
                    }
                }
                _ => {
                    sentence(r, lang, plan.main, pol, &mut s);
                    push_pick(r, &mut s, if zh { ZH_CLOSE_POS } else { EN_CLOSE_POS });
                }
            }
        }
        1 => match r.below(4) {
            0 => {
                push_pick(r, &mut s, if zh { ZH_OPEN_MID } else { EN_OPEN_MID });
                contrast(r, lang, (other, 1), (plan.main, -1), &mut s);
            }
            1 => {
                if zh {
                    clause(r, lang, plan.main, -1, &mut s);
                    s.push_str(pick(r, &["，不过总体还可以。", "，其他都还行。", "，别的没什么问题。"]));
                } else {
                    let st = s.len();
                    clause(r, lang, plan.main, -1, &mut s);
                    capitalize_from(&mut s, st);
                    s.push_str(pick(
                        r,
                        &[", but overall it was okay.", ", otherwise fine.", ", apart from that no complaints."],
                    ));
                }
            }
            2 => {
                if zh {
                    s.push_str(pick(r, &["还不错，但是", "整体可以，就是", "挺好的，只是"]));
                } else {
                    s.push_str(pick(r, &["Not bad, but ", "Fine overall, but ", "Good enough, except that "]));
                }
                clause(r, lang, plan.main, -1, &mut s);
                end(lang, -1, &mut s);
            }
            _ => {
                contrast(r, lang, (other, 1), (plan.main, -1), &mut s);
                if r.chance(0.4) {
                    push_pick(r, &mut s, if zh { ZH_CLOSE_NEG } else { EN_CLOSE_NEG });
                }
            }
        },
        _ => {
            let pol = if plan.nps <= 3 { -2 } else { -1 };
            match r.below(4) {
                0 => {
                    push_pick(r, &mut s, if zh { ZH_OPEN_NEG } else { EN_OPEN_NEG });
                    sentence(r, lang, plan.main, pol, &mut s);
                }
                1 => {
                    // 快递很快，但是包装破了 / not bad, but …
                    contrast(r, lang, (other, 1), (plan.main, pol), &mut s);
                }
                2 => {
                    sentence(r, lang, plan.main, pol, &mut s);
                    if r.chance(0.5) && plan.second != plan.main {
                        sentence(r, lang, plan.second, -1, &mut s);
                    }
                    push_pick(r, &mut s, if zh { ZH_CLOSE_NEG } else { EN_CLOSE_NEG });
                }
                _ => {
                    if zh {
                        s.push_str(pick(r, &["不是很满意，", "不太满意，", "很不满意，"]));
                        clause(r, lang, plan.main, pol, &mut s);
                        end(lang, pol, &mut s);
                    } else {
                        s.push_str(pick(r, &["Not happy: ", "Not satisfied — ", "Disappointed: "]));
                        clause(r, lang, plan.main, pol, &mut s);
                        end(lang, pol, &mut s);
                    }
                }
            }
            if plan.nps <= 2 && r.chance(0.25) {
                push_pick(r, &mut s, if zh { ZH_CHURN } else { EN_CHURN });
                if !zh {
                    s.push(' ');
                }
            }
            if plan.nps <= 2 && r.chance(0.06) {
                push_pick(r, &mut s, if zh { ZH_URGENT } else { EN_URGENT });
            }
        }
    }
    finish(s)
}

/// What a feedback item should express.
#[derive(Debug, Clone, Copy)]
pub struct FeedbackPlan {
    pub lang: Language,
    pub source: cxm_core::model::FeedbackSource,
    pub topic: Aspect,
    pub polarity: i8,
    pub urgent: bool,
    pub churn: bool,
}

const BRAND_ZH: &str = "禾木优选";
const BRAND_EN: &str = "Hemu Select";

/// Text of a non-survey feedback item.
pub fn feedback_text(r: &mut Rng, p: FeedbackPlan) -> String {
    use cxm_core::model::FeedbackSource as S;
    let lang = p.lang;
    let zh = lang == Language::Zh;
    let mut s = String::with_capacity(128);
    let order_no = 100_000_000 + r.below(900_000_000);
    match p.source {
        S::Ticket => {
            if zh {
                s.push_str(&format!("订单{order_no}："));
                clause(r, lang, p.topic, p.polarity, &mut s);
                s.push_str(pick(r, &["，请帮忙处理一下。", "，麻烦尽快回复。", "，请问怎么办？"]));
            } else {
                s.push_str(&format!("Order {order_no}: "));
                clause(r, lang, p.topic, p.polarity, &mut s);
                s.push_str(pick(r, &[". Please help.", ". Can someone look into this?", ". What should I do?"]));
            }
        }
        S::CallTranscript => {
            if zh {
                s.push_str("客户：");
                clause(r, lang, p.topic, p.polarity, &mut s);
                s.push_str("。客服：");
                s.push_str(pick(
                    r,
                    &["非常抱歉，我马上为您核实。", "给您添麻烦了，我帮您登记一下。", "您好，请提供一下订单号。"],
                ));
                s.push_str("客户：");
                s.push_str(&format!("订单号是{order_no}。"));
                if p.polarity <= -2 {
                    s.push_str(pick(r, ZH_CLOSE_NEG));
                }
            } else {
                s.push_str("Customer: ");
                let st = s.len();
                clause(r, lang, p.topic, p.polarity, &mut s);
                capitalize_from(&mut s, st);
                s.push_str(". Agent: ");
                s.push_str(pick(
                    r,
                    &[
                        "I'm sorry about that, let me check.",
                        "Apologies, I'll log this right away.",
                        "Could you give me your order number?",
                    ],
                ));
                s.push_str(&format!(" Customer: It's {order_no}. "));
                if p.polarity <= -2 {
                    s.push_str(pick(r, EN_CLOSE_NEG));
                }
            }
        }
        S::Social | S::Opinion => {
            if zh {
                if p.source == S::Opinion {
                    s.push_str(pick(r, &["听朋友说", "网上都在说", "有没有人觉得"]));
                    s.push_str(BRAND_ZH);
                    s.push_str("最近");
                    clause(r, lang, p.topic, p.polarity, &mut s);
                    s.push('？');
                } else {
                    sentence(r, lang, p.topic, p.polarity, &mut s);
                    s.push_str(&format!("#{BRAND_ZH}#"));
                }
            } else if p.source == S::Opinion {
                s.push_str(pick(r, &["Heard that ", "Is it just me or ", "Apparently "]));
                s.push_str(BRAND_EN);
                s.push_str(" lately: ");
                clause(r, lang, p.topic, p.polarity, &mut s);
                s.push('?');
            } else {
                sentence(r, lang, p.topic, p.polarity, &mut s);
                s.push_str("@HemuSelect");
            }
        }
        S::Review | S::Complaint => {
            if p.polarity > 0 {
                if r.chance(0.5) {
                    push_pick(r, &mut s, if zh { ZH_OPEN_POS } else { EN_OPEN_POS });
                }
                sentence(r, lang, p.topic, p.polarity, &mut s);
                if r.chance(0.5) {
                    push_pick(r, &mut s, if zh { ZH_CLOSE_POS } else { EN_CLOSE_POS });
                }
            } else {
                if r.chance(0.5) {
                    push_pick(r, &mut s, if zh { ZH_OPEN_NEG } else { EN_OPEN_NEG });
                }
                sentence(r, lang, p.topic, p.polarity, &mut s);
                if r.chance(0.35) {
                    let second = if p.topic == Aspect::Staff { Aspect::Resolution } else { Aspect::Staff };
                    sentence(r, lang, second, -1, &mut s);
                }
                if r.chance(0.5) {
                    push_pick(r, &mut s, if zh { ZH_CLOSE_NEG } else { EN_CLOSE_NEG });
                    if !zh {
                        s.push(' ');
                    }
                }
            }
        }
    }
    if p.churn {
        if !zh && !s.ends_with(' ') {
            s.push(' ');
        }
        push_pick(r, &mut s, if zh { ZH_CHURN } else { EN_CHURN });
    }
    if p.urgent {
        if !zh && !s.ends_with(' ') {
            s.push(' ');
        }
        push_pick(r, &mut s, if zh { ZH_URGENT } else { EN_URGENT });
    }
    finish(s)
}

/// Whether a text mentions delivery (including packaging) by keyword.
pub fn mentions_delivery(text: &str, lang: Language) -> bool {
    match lang {
        Language::Zh => ZH_DELIVERY_WORDS.iter().any(|w| text.contains(w)),
        Language::En => {
            let t = text.to_ascii_lowercase();
            EN_DELIVERY_WORDS.iter().any(|w| t.contains(w))
        }
    }
}

/// Words that mark a damaged-packaging mention (the rising topic).
pub const ZH_PACKAGING_WORDS: &[&str] = &["包装", "外箱", "箱子"];
pub const EN_PACKAGING_WORDS: &[&str] = &["packag", "damaged", "crushed", "box"];

/// Whether a text mentions packaging by keyword.
pub fn mentions_packaging(text: &str, lang: Language) -> bool {
    match lang {
        Language::Zh => ZH_PACKAGING_WORDS.iter().any(|w| text.contains(w)),
        Language::En => {
            let t = text.to_ascii_lowercase();
            EN_PACKAGING_WORDS.iter().any(|w| t.contains(w))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn hundreds_of_distinct_phrasings_per_language() {
        let aspects = [
            Aspect::Delivery,
            Aspect::Packaging,
            Aspect::Quality,
            Aspect::Price,
            Aspect::Staff,
            Aspect::App,
            Aspect::WaitTime,
            Aspect::Professionalism,
            Aspect::Resolution,
            Aspect::Environment,
        ];
        for lang in [Language::Zh, Language::En] {
            let (mut pos, mut neg) = (HashSet::new(), HashSet::new());
            let mut r = Rng::new(3);
            for i in 0..40_000 {
                let group = i % 3;
                let main = aspects[r.below(aspects.len())];
                let other = aspects[r.below(aspects.len())];
                let nps = [10, 7, 2][group];
                let t = comment(&mut r, CommentPlan { lang, group, nps, main, other, second: other });
                assert!(!t.is_empty());
                assert_eq!(has_cjk(&t), lang == Language::Zh, "{t}");
                let mut c = String::new();
                clause(&mut r, lang, main, if group == 0 { 2 } else { -2 }, &mut c);
                if group == 0 {
                    pos.insert(c);
                } else {
                    neg.insert(c);
                }
            }
            assert!(
                pos.len() >= 200 && neg.len() >= 200,
                "{lang:?}: {} positive, {} negative clauses",
                pos.len(),
                neg.len()
            );
        }
    }

    #[test]
    fn negation_and_contrast_constructions_occur() {
        let mut r = Rng::new(9);
        let mut all = String::new();
        for i in 0..5_000 {
            let lang = if i % 2 == 0 { Language::Zh } else { Language::En };
            let t = comment(
                &mut r,
                CommentPlan {
                    lang,
                    group: 1 + (i / 2) % 2,
                    nps: 5,
                    main: Aspect::Delivery,
                    other: Aspect::Quality,
                    second: Aspect::Price,
                },
            );
            all.push_str(&t);
            all.push('\n');
        }
        for needle in ["不是很", "但是", "不过", "not very", "but", "Not bad, but"] {
            assert!(all.contains(needle), "missing {needle}");
        }
    }
}
