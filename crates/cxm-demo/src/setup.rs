//! The demo company: journeys, touchpoints, segments and surveys.

use cxm_core::model::{Channel, PyramidLayer, QuestionKind, RaterDimension};
use cxm_core::records::{
    JourneySpec, QuestionSpec, SegmentSpec, StageSpec, SurveySpec, TouchpointSpec, WorkspaceSetup,
};

/// Survey keys.
pub const SURVEY_NPS: &str = "nps_txn";
pub const SURVEY_RATER: &str = "service_rater";

/// Key of the TA segment.
pub const SEGMENT_TA: &str = "urban_professionals";

/// Touchpoint index into [`TOUCHPOINTS`].
pub type Tp = usize;

/// Static description of one touchpoint (also drives the simulation).
pub struct TpDef {
    pub key: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
    pub journey: usize,
    pub stage: usize,
    pub channel: Channel,
    /// Other channels a response at this touchpoint may come through.
    pub alt_channels: &'static [Channel],
    pub owner: &'static str,
    pub cost: f64,
    pub layer: PyramidLayer,
    /// Relative share of survey responses collected at this touchpoint.
    pub response_weight: f64,
    /// Offset of the latent experience at this touchpoint.
    pub exp_offset: f64,
    /// Offset of the effort (CES) latent at this touchpoint, in CES points.
    pub effort_offset: f64,
}

pub struct JourneyDef {
    pub key: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
    pub stages: &'static [(&'static str, &'static str, &'static str)],
}

pub const JOURNEYS: &[JourneyDef] = &[
    JourneyDef {
        key: "ecommerce_purchase",
        en: "E-commerce purchase",
        zh: "电商购物旅程",
        stages: &[
            ("motivation", "Motivation", "动机"),
            ("search", "Search", "搜索"),
            ("choice", "Choice", "选择"),
            ("purchase", "Purchase", "购买"),
            ("use", "Use", "使用"),
            ("after_sales", "After-sales", "售后"),
            ("sharing", "Sharing", "传播"),
        ],
    },
    JourneyDef {
        key: "after_sales_service",
        en: "After-sales service",
        zh: "售后服务旅程",
        stages: &[
            ("contact", "Contact", "联系客服"),
            ("resolution", "Resolution", "问题处理"),
            ("follow_up", "Follow-up", "回访"),
        ],
    },
];

use Channel as C;
use PyramidLayer as L;

#[rustfmt::skip]
pub const TOUCHPOINTS: &[TpDef] = &[
    TpDef { key: "ad_landing", en: "Ad & landing page", zh: "广告与落地页", journey: 0, stage: 0, channel: C::Social, alt_channels: &[C::Web, C::Wechat], owner: "Marketing", cost: 3.0, layer: L::Usability, response_weight: 0.03, exp_offset: 0.05, effort_offset: 0.2 },
    TpDef { key: "product_search", en: "Product search", zh: "商品搜索", journey: 0, stage: 1, channel: C::App, alt_channels: &[C::Web, C::MiniProgram], owner: "E-commerce Product", cost: 4.0, layer: L::Usability, response_weight: 0.05, exp_offset: 0.0, effort_offset: 0.0 },
    TpDef { key: "product_page", en: "Product page", zh: "商品详情页", journey: 0, stage: 2, channel: C::App, alt_channels: &[C::Web, C::MiniProgram], owner: "E-commerce Product", cost: 3.0, layer: L::Usability, response_weight: 0.06, exp_offset: 0.05, effort_offset: 0.1 },
    TpDef { key: "checkout_payment", en: "Checkout & payment", zh: "下单与支付", journey: 0, stage: 3, channel: C::App, alt_channels: &[C::Web, C::MiniProgram, C::Wechat], owner: "Payments", cost: 5.0, layer: L::Utility, response_weight: 0.10, exp_offset: 0.1, effort_offset: 0.2 },
    TpDef { key: "order_confirmation", en: "Order confirmation", zh: "订单确认通知", journey: 0, stage: 3, channel: C::Sms, alt_channels: &[C::Email, C::Wechat], owner: "CRM", cost: 1.0, layer: L::Utility, response_weight: 0.07, exp_offset: 0.1, effort_offset: 0.3 },
    TpDef { key: "delivery", en: "Delivery", zh: "物流配送", journey: 0, stage: 4, channel: C::InPerson, alt_channels: &[C::App, C::Sms], owner: "Logistics", cost: 8.0, layer: L::Utility, response_weight: 0.22, exp_offset: -0.1, effort_offset: -0.1 },
    TpDef { key: "unboxing_use", en: "Unboxing & product use", zh: "开箱与使用", journey: 0, stage: 4, channel: C::InPerson, alt_channels: &[C::App], owner: "Merchandising & Quality", cost: 7.0, layer: L::Delight, response_weight: 0.16, exp_offset: 0.0, effort_offset: 0.0 },
    TpDef { key: "invoice", en: "Invoice (fapiao)", zh: "开具发票", journey: 0, stage: 5, channel: C::Email, alt_channels: &[C::App, C::Web], owner: "Finance", cost: 2.0, layer: L::Utility, response_weight: 0.04, exp_offset: -0.05, effort_offset: -0.3 },
    TpDef { key: "review_share", en: "Review & sharing", zh: "评价与分享", journey: 0, stage: 6, channel: C::Wechat, alt_channels: &[C::Social, C::App], owner: "Community", cost: 2.0, layer: L::Delight, response_weight: 0.03, exp_offset: 0.15, effort_offset: 0.2 },
    TpDef { key: "call_centre", en: "Call-centre call", zh: "客服热线", journey: 1, stage: 0, channel: C::Phone, alt_channels: &[], owner: "Customer Service", cost: 6.0, layer: L::Usability, response_weight: 0.22, exp_offset: -0.1, effort_offset: -0.4 },
    TpDef { key: "online_chat", en: "Online chat", zh: "在线客服", journey: 1, stage: 0, channel: C::Chat, alt_channels: &[C::Wechat, C::App], owner: "Customer Service", cost: 4.0, layer: L::Usability, response_weight: 0.24, exp_offset: 0.0, effort_offset: 0.0 },
    TpDef { key: "return_refund", en: "Return & refund", zh: "退货退款", journey: 1, stage: 1, channel: C::App, alt_channels: &[C::Web, C::MiniProgram], owner: "Reverse Logistics", cost: 5.0, layer: L::Utility, response_weight: 0.22, exp_offset: -0.15, effort_offset: -0.3 },
    TpDef { key: "store_visit", en: "Store visit", zh: "门店到访", journey: 1, stage: 1, channel: C::Store, alt_channels: &[], owner: "Retail Stores", cost: 9.0, layer: L::Delight, response_weight: 0.12, exp_offset: 0.15, effort_offset: 0.3 },
    TpDef { key: "repair", en: "Repair service", zh: "维修服务", journey: 1, stage: 1, channel: C::InPerson, alt_channels: &[C::Store], owner: "Technical Service", cost: 7.0, layer: L::Utility, response_weight: 0.10, exp_offset: -0.2, effort_offset: -0.5 },
    TpDef { key: "follow_up", en: "Service follow-up", zh: "服务回访", journey: 1, stage: 2, channel: C::Phone, alt_channels: &[C::Sms, C::Wechat], owner: "Customer Service", cost: 1.5, layer: L::Delight, response_weight: 0.10, exp_offset: 0.2, effort_offset: 0.2 },
];

/// Touchpoint index by key.
pub fn tp_index(key: &str) -> Option<Tp> {
    TOUCHPOINTS.iter().position(|t| t.key == key)
}

/// Touchpoint index of a key that is known to exist (falls back to 0).
pub(crate) fn tp(key: &str) -> Tp {
    tp_index(key).unwrap_or(0)
}

/// The five attribute ratings of the NPS survey, in driver order.
pub const ATTRIBUTES: &[(&str, &str, &str)] = &[
    ("r_delivery", "Delivery speed and reliability", "配送速度与准时"),
    ("r_quality", "Product quality", "商品质量"),
    ("r_price", "Value for money", "价格与性价比"),
    ("r_staff", "Staff attitude", "服务人员态度"),
    ("r_app", "Ease of using the app / website", "App/网站易用性"),
];

/// Reason options of the NPS survey (same order as [`ATTRIBUTES`], plus `other`).
pub const NPS_REASONS: &[&str] = &["delivery", "product_quality", "price", "staff_attitude", "app", "other"];

/// RATER items: (key, dimension, en, zh).
pub const RATER_ITEMS: &[(&str, RaterDimension, &str, &str)] = &[
    ("rel_1", RaterDimension::Reliability, "The service was delivered as promised", "服务按承诺完成"),
    ("rel_2", RaterDimension::Reliability, "My problem was solved the first time", "问题一次就解决了"),
    ("ass_1", RaterDimension::Assurance, "Staff were knowledgeable", "工作人员专业知识扎实"),
    ("ass_2", RaterDimension::Assurance, "Staff were courteous and made me feel confident", "工作人员礼貌，让人放心"),
    ("tan_1", RaterDimension::Tangibles, "Facilities, app and materials look good", "门店、App与资料整洁美观"),
    ("tan_2", RaterDimension::Tangibles, "Staff appearance was professional", "工作人员仪表专业"),
    ("emp_1", RaterDimension::Empathy, "Staff understood my specific needs", "工作人员理解我的具体需求"),
    ("emp_2", RaterDimension::Empathy, "I was given individual attention", "得到了个性化的关心"),
    ("res_1", RaterDimension::Responsiveness, "I got help promptly", "及时得到帮助"),
    ("res_2", RaterDimension::Responsiveness, "Staff were always willing to help", "工作人员乐于帮忙"),
];

/// Reason options of the RATER survey.
pub const RATER_REASONS: &[&str] =
    &["waiting_time", "staff_attitude", "professionalism", "problem_resolution", "environment", "other"];

fn q(key: &str, kind: QuestionKind, en: &str, zh: &str, scale: Option<(f64, f64)>, required: bool) -> QuestionSpec {
    QuestionSpec {
        key: key.to_string(),
        kind,
        label_en: en.to_string(),
        label_zh: zh.to_string(),
        scale_min: scale.map(|s| s.0),
        scale_max: scale.map(|s| s.1),
        dimension: None,
        options: Vec::new(),
        required,
    }
}

fn nps_survey() -> SurveySpec {
    let mut questions = vec![
        q(
            "nps",
            QuestionKind::Nps,
            "How likely are you to recommend us to a friend or colleague?",
            "您有多大可能向朋友或同事推荐我们？",
            Some((0.0, 10.0)),
            true,
        ),
        q(
            "csat",
            QuestionKind::Csat,
            "Overall, how satisfied are you with this purchase?",
            "总体而言，您对本次购物的满意程度如何？",
            Some((1.0, 5.0)),
            true,
        ),
        q(
            "ces",
            QuestionKind::Ces,
            "The company made it easy for me to get what I needed.",
            "我很容易就完成了想做的事情。",
            Some((1.0, 7.0)),
            false,
        ),
    ];
    for (key, en, zh) in ATTRIBUTES {
        questions.push(q(
            key,
            QuestionKind::Rating,
            &format!("Please rate: {en}"),
            &format!("请评价：{zh}"),
            Some((1.0, 5.0)),
            false,
        ));
    }
    let mut reason = q(
        "reason",
        QuestionKind::ReasonChoice,
        "What is the main reason for your score?",
        "您给出这个分数的主要原因是什么？",
        None,
        false,
    );
    reason.options = NPS_REASONS.iter().map(|s| s.to_string()).collect();
    questions.push(reason);
    questions.push(q(
        "comment",
        QuestionKind::OpenText,
        "Anything else you would like to tell us?",
        "还有什么想告诉我们的吗？",
        None,
        false,
    ));
    SurveySpec {
        key: SURVEY_NPS.to_string(),
        name_en: "Purchase experience survey (transactional NPS)".to_string(),
        name_zh: "购物体验调查（交易NPS）".to_string(),
        questions,
    }
}

fn rater_survey() -> SurveySpec {
    let mut questions = Vec::new();
    for (key, dim, en, zh) in RATER_ITEMS {
        let mut p = q(key, QuestionKind::Matrix, en, zh, Some((1.0, 7.0)), true);
        p.dimension = Some(*dim);
        questions.push(p);
    }
    for (key, dim, en, zh) in RATER_ITEMS {
        let mut e = q(
            &format!("exp_{key}"),
            QuestionKind::Matrix,
            &format!("Expectation: {en}"),
            &format!("期望：{zh}"),
            Some((1.0, 7.0)),
            false,
        );
        e.dimension = Some(*dim);
        questions.push(e);
    }
    questions.push(q(
        "nps",
        QuestionKind::Nps,
        "How likely are you to recommend our service to a friend?",
        "您有多大可能向朋友推荐我们的服务？",
        Some((0.0, 10.0)),
        true,
    ));
    questions.push(q(
        "ces",
        QuestionKind::Ces,
        "The company made it easy to handle my issue.",
        "公司让我很轻松地解决了问题。",
        Some((1.0, 7.0)),
        true,
    ));
    let mut reason = q(
        "reason",
        QuestionKind::ReasonChoice,
        "What mattered most in this service?",
        "本次服务中您最在意的是什么？",
        None,
        false,
    );
    reason.options = RATER_REASONS.iter().map(|s| s.to_string()).collect();
    questions.push(reason);
    questions.push(q(
        "comment",
        QuestionKind::OpenText,
        "Please tell us more about your experience.",
        "请具体说说您的体验。",
        None,
        false,
    ));
    SurveySpec {
        key: SURVEY_RATER.to_string(),
        name_en: "Service quality survey (RATER)".to_string(),
        name_zh: "服务质量调查（RATER）".to_string(),
        questions,
    }
}

fn segment(key: &str, en: &str, zh: &str, rule: &str, is_ta: bool) -> SegmentSpec {
    SegmentSpec { key: key.into(), name_en: en.into(), name_zh: zh.into(), rule: rule.into(), is_ta }
}

/// The whole workspace setup of the demo company.
pub fn setup() -> WorkspaceSetup {
    let journeys = JOURNEYS
        .iter()
        .enumerate()
        .map(|(ji, j)| JourneySpec {
            key: j.key.to_string(),
            name_en: j.en.to_string(),
            name_zh: j.zh.to_string(),
            stages: j
                .stages
                .iter()
                .enumerate()
                .map(|(si, (key, en, zh))| StageSpec {
                    key: key.to_string(),
                    name_en: en.to_string(),
                    name_zh: zh.to_string(),
                    touchpoints: TOUCHPOINTS
                        .iter()
                        .filter(|t| t.journey == ji && t.stage == si)
                        .map(|t| TouchpointSpec {
                            key: t.key.to_string(),
                            name_en: t.en.to_string(),
                            name_zh: t.zh.to_string(),
                            channel: t.channel,
                            owner_team: t.owner.to_string(),
                            improvement_cost: t.cost,
                            pyramid_layer: t.layer,
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let segments = vec![
        segment(
            SEGMENT_TA,
            "Urban professionals",
            "都市白领",
            r#"occupation == "professional" && city_tier == 1 && age_band in ["25-34", "35-44"]"#,
            true,
        ),
        segment("students", "Students", "学生", r#"occupation == "student""#, false),
        segment("young_families", "Young families", "年轻家庭", r#"household == "family_with_kids""#, false),
        segment("smb_buyers", "SMB buyers", "中小企业采购", r#"occupation == "smb_owner""#, false),
        segment("silver_age", "Silver age", "银发族", r#"age_band == "55+""#, false),
        segment("vip_members", "VIP members", "VIP会员", r#"tier in ["gold", "platinum"]"#, false),
    ];
    WorkspaceSetup { journeys, segments, surveys: vec![nps_survey(), rater_survey()] }
}
