//! Deterministic generator of a realistic demo company ("禾木优选 / Hemu
//! Select", a Chinese/English omni-channel retailer) with planted effects.
//!
//! Everything is a pure function of [`DemoConfig`]: same seed → the same
//! records, byte for byte; no I/O. Records are streamed customer by customer
//! (each customer's records in time order), so a million responses never sit
//! in memory at once. The planted effects and their parameters are listed in
//! `docs/demo-data.md`.

#[rustfmt::skip]
mod names;
pub mod rng;
mod setup;
mod sim;
pub mod text;

pub use setup::{SEGMENT_TA, SURVEY_NPS, SURVEY_RATER, setup, tp_index};
pub use sim::{DAY_MS, YEAR_MS, packaging_share};

use cxm_core::model::{Channel, FeedbackSource, Language};
use cxm_core::records::{
    AnswerValue, CustomerRecord, EventRecord, FeedbackRecord, ODataRecord, ResponseRecord, SurveySpec,
};
use names::{CITIES, CN_MOBILE_PREFIX, EN_EMAIL_DOMAINS, EN_FIRST, EN_LAST, ZH_EMAIL_DOMAINS, ZH_GIVEN, ZH_SURNAMES};
use rng::Rng;
use serde_json::{Map, Value};
use setup::{ATTRIBUTES, NPS_REASONS, RATER_ITEMS, RATER_REASONS, TOUCHPOINTS};
use sim::{Profile, RespCore};

/// 2025-06-30T00:00:00Z, the default "today" of the demo data.
pub const DEFAULT_NOW_MS: i64 = 1_751_241_600_000;

/// What to generate. Data spans the 12 months before `now_ms`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemoConfig {
    pub customers: usize,
    pub seed: u64,
    /// Mean number of survey responses per customer (Poisson).
    pub responses_per_customer: f64,
    /// The "today" the data ends at (Unix ms).
    pub now_ms: i64,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig { customers: 5_000, seed: 42, responses_per_customer: 2.0, now_ms: DEFAULT_NOW_MS }
    }
}

/// Latest supported "today": 9999-12-31T23:59:59Z.
pub const MAX_NOW_MS: i64 = 253_402_300_799_000;
/// Earliest supported "today": 1980-01-01T00:00:00Z (signup dates reach ~6 years back).
pub const MIN_NOW_MS: i64 = 315_532_800_000;

impl DemoConfig {
    /// The config with `now_ms` clamped to [`MIN_NOW_MS`, `MAX_NOW_MS`] and a
    /// non-finite or negative response rate treated as 0, so no input can
    /// overflow the time arithmetic. Every generator applies this first.
    pub fn normalized(self) -> Self {
        let rate = self.responses_per_customer;
        DemoConfig {
            now_ms: self.now_ms.clamp(MIN_NOW_MS, MAX_NOW_MS),
            responses_per_customer: if rate.is_finite() && rate > 0.0 { rate } else { 0.0 },
            ..self
        }
    }

    pub fn new(customers: usize, seed: u64) -> Self {
        DemoConfig { customers, seed, ..DemoConfig::default() }
    }
}

/// External id of the customer with index `idx` (0-based): `C000001` …
pub fn customer_id(idx: usize) -> String {
    format!("C{:06}", idx + 1)
}

fn lang_str(l: Language) -> &'static str {
    l.as_str()
}

// ---------------------------------------------------------------- customers

/// All customers, `C000001` … in index order.
pub fn customers(cfg: DemoConfig) -> impl Iterator<Item = CustomerRecord> {
    let cfg = cfg.normalized();
    (0..cfg.customers).map(move |i| customer_record(&cfg, &sim::profile(&cfg, i)))
}

fn customer_record(cfg: &DemoConfig, p: &Profile) -> CustomerRecord {
    let mut r = Rng::stream(cfg.seed, sim::D_IDENTITY, p.idx as u64, 0);
    let serial = p.idx + 1;
    let (name, email, phone) = match p.lang {
        Language::Zh => {
            let w: Vec<f64> = ZH_SURNAMES.iter().map(|s| s.2).collect();
            let (sn, spy, _) = ZH_SURNAMES[r.weighted(&w).min(ZH_SURNAMES.len() - 1)];
            let mut name = sn.to_string();
            let mut py = String::new();
            let chars = if r.chance(0.35) { 1 } else { 2 };
            for _ in 0..chars {
                let (c, cpy) = ZH_GIVEN[r.below(ZH_GIVEN.len())];
                name.push_str(c);
                py.push_str(cpy);
            }
            let domain = ZH_EMAIL_DOMAINS[r.below(ZH_EMAIL_DOMAINS.len())];
            let email = format!("{spy}.{py}{serial}@{domain}");
            let prefix = CN_MOBILE_PREFIX[r.below(CN_MOBILE_PREFIX.len())];
            let phone = format!("+86{prefix}{:08}", r.below(100_000_000));
            (name, email, phone)
        }
        Language::En => {
            let first = EN_FIRST[r.below(EN_FIRST.len())];
            let last = EN_LAST[r.below(EN_LAST.len())];
            let domain = EN_EMAIL_DOMAINS[r.below(EN_EMAIL_DOMAINS.len())];
            let email = format!("{}.{}{serial}@{domain}", first.to_ascii_lowercase(), last.to_ascii_lowercase());
            let city = CITIES.get(p.city).map(|c| c.0).unwrap_or("");
            let phone = match city {
                "Hong Kong" => format!("+852{}{:07}", 5 + r.below(5), r.below(10_000_000)),
                "Singapore" => format!("+65{}{:07}", 8 + r.below(2), r.below(10_000_000)),
                _ => format!("+86{}{:08}", CN_MOBILE_PREFIX[r.below(CN_MOBILE_PREFIX.len())], r.below(100_000_000)),
            };
            (format!("{first} {last}"), email, phone)
        }
    };
    let mut a = Map::new();
    let (city, city_zh, region, tier_n, _, _) = CITIES.get(p.city).copied().unwrap_or(CITIES[0]);
    a.insert("region".into(), Value::from(region));
    a.insert("city".into(), Value::from(city));
    a.insert("city_zh".into(), Value::from(city_zh));
    a.insert("city_tier".into(), Value::from(tier_n));
    a.insert("tier".into(), Value::from(sim::TIERS[p.tier]));
    a.insert("plus_member".into(), Value::from(p.plus_member));
    a.insert("age_band".into(), Value::from(sim::AGE_BANDS[p.age_band]));
    let (lo, hi) = [(18, 24), (25, 34), (35, 44), (45, 54), (55, 72)][p.age_band];
    let age = r.range_i64(lo, hi);
    let (now_y, _, _) = civil_from_days(cfg.now_ms.div_euclid(DAY_MS));
    let birth_y = now_y - age;
    let month = r.range_i64(1, 12);
    let day = r.range_i64(1, days_in_month(birth_y, month));
    a.insert("birthday".into(), Value::from(format!("{birth_y:04}-{month:02}-{day:02}")));
    a.insert("gender".into(), Value::from(if r.chance(0.52) { "female" } else { "male" }));
    a.insert("occupation".into(), Value::from(p.occupation));
    a.insert("household".into(), Value::from(p.household));
    let (sy, sm, sd) = civil_from_days(p.signup_ms.div_euclid(DAY_MS));
    a.insert("signup_date".into(), Value::from(format!("{sy:04}-{sm:02}-{sd:02}")));
    let preferred = if p.app_user { "app" } else { ["web", "mini_program", "store"][r.below(3)] };
    a.insert("preferred_channel".into(), Value::from(preferred));
    let mut segments = Vec::new();
    if p.ta {
        segments.push(SEGMENT_TA.to_string());
    }
    if p.occupation == "student" {
        segments.push("students".into());
    }
    if p.household == "family_with_kids" {
        segments.push("young_families".into());
    }
    if p.occupation == "smb_owner" {
        segments.push("smb_buyers".into());
    }
    if p.age_band == 4 {
        segments.push("silver_age".into());
    }
    if p.tier >= 2 {
        segments.push("vip_members".into());
    }
    CustomerRecord {
        external_id: customer_id(p.idx),
        name: Some(name),
        email: Some(email),
        phone: Some(phone),
        language: Some(p.lang),
        lifecycle: Some(p.lifecycle),
        attributes: a,
        consent_email: r.chance(0.7),
        consent_sms: r.chance(0.55),
        segments,
        created_at: Some(p.signup_ms),
    }
}

// ---------------------------------------------------------------- responses

/// All survey responses, `R0000001` …, customer by customer (time order within a customer).
pub fn responses(cfg: DemoConfig) -> impl Iterator<Item = ResponseRecord> {
    let cfg = cfg.normalized();
    (0..cfg.customers)
        .flat_map(move |i| {
            let p = sim::profile(&cfg, i);
            let cores = sim::responses_of(&cfg, &p);
            cores.into_iter().map(move |c| response_record(&cfg, &p, &c))
        })
        .enumerate()
        .map(|(n, mut r)| {
            r.external_id = format!("R{:07}", n + 1);
            r
        })
}

fn num(key: &str, v: u8) -> (String, AnswerValue) {
    (key.to_string(), AnswerValue::Number(v as f64))
}

fn response_record(cfg: &DemoConfig, p: &Profile, c: &RespCore) -> ResponseRecord {
    use text::{ATTR_ASPECTS, RATER_ASPECTS};
    let mut answers = Vec::with_capacity(if c.rater { 24 } else { 10 });
    let group = sim::nps_group(c.nps);
    let aspects = if c.rater { &RATER_ASPECTS } else { &ATTR_ASPECTS };
    let (main, other, second) = (aspects[c.driver], aspects[c.other], aspects[c.second]);
    let reason = if c.rater { RATER_REASONS[rater_reason(c.driver)] } else { NPS_REASONS[c.driver.min(4)] };
    if c.rater {
        for (i, item) in RATER_ITEMS.iter().enumerate() {
            answers.push(num(item.0, c.rater_p[i]));
        }
        for (i, item) in RATER_ITEMS.iter().enumerate() {
            if let Some(e) = c.rater_e[i] {
                answers.push((format!("exp_{}", item.0), AnswerValue::Number(e as f64)));
            }
        }
        answers.push(num("nps", c.nps));
        if let Some(v) = c.ces {
            answers.push(num("ces", v));
        }
    } else {
        answers.push(num("nps", c.nps));
        if let Some(v) = c.csat {
            answers.push(num("csat", v));
        }
        if let Some(v) = c.ces {
            answers.push(num("ces", v));
        }
        for (i, a) in c.attrs.iter().enumerate() {
            if let Some(v) = a {
                answers.push(num(ATTRIBUTES[i].0, *v));
            }
        }
    }
    if c.reason_answered {
        answers.push(("reason".to_string(), AnswerValue::Text(reason.to_string())));
    }
    if c.has_text {
        let mut r = Rng::stream(cfg.seed, sim::D_TEXT, p.idx as u64, c.k as u64);
        // Damaged packaging is a rising share of negative delivery comments (planted effect 6).
        let main = if main == text::Aspect::Delivery && group > 0 && r.chance(packaging_share(c.at, cfg.now_ms)) {
            text::Aspect::Packaging
        } else {
            main
        };
        let t = text::comment(&mut r, text::CommentPlan { lang: p.lang, group, nps: c.nps, main, other, second });
        answers.push(("comment".to_string(), AnswerValue::Text(t)));
    }
    ResponseRecord {
        external_id: String::new(),
        survey: if c.rater { SURVEY_RATER } else { SURVEY_NPS }.to_string(),
        customer_external_id: Some(customer_id(p.idx)),
        touchpoint: Some(TOUCHPOINTS[c.tp].key.to_string()),
        channel: Some(c.channel),
        language: Some(p.lang),
        submitted_at: c.at,
        answers,
    }
}

/// RATER dimension index → reason option index.
fn rater_reason(d: usize) -> usize {
    // reliability → problem_resolution, assurance → professionalism,
    // tangibles → environment, empathy → staff_attitude, responsiveness → waiting_time
    [3, 2, 4, 1, 0].get(d).copied().unwrap_or(5)
}

// ---------------------------------------------------------------- feedback

/// Non-survey X-data (reviews, complaints, tickets, call transcripts, social
/// posts, anonymous public opinion), `F0000001` …
pub fn feedback(cfg: DemoConfig) -> impl Iterator<Item = FeedbackRecord> {
    let cfg = cfg.normalized();
    (0..cfg.customers)
        .flat_map(move |i| {
            let p = sim::profile(&cfg, i);
            let items = sim::feedback_of(&cfg, &p);
            items.into_iter().map(move |f| {
                let mut r = Rng::stream(cfg.seed, sim::D_FEEDBACK_TEXT, p.idx as u64, f.k as u64);
                let text = text::feedback_text(
                    &mut r,
                    text::FeedbackPlan {
                        lang: p.lang,
                        source: f.source,
                        topic: f.topic,
                        polarity: f.polarity,
                        urgent: f.urgent,
                        churn: f.churn,
                    },
                );
                FeedbackRecord {
                    external_id: String::new(),
                    source: f.source,
                    text,
                    rating: f.rating,
                    customer_external_id: if f.anonymous { None } else { Some(customer_id(p.idx)) },
                    touchpoint: if f.source == FeedbackSource::Opinion {
                        None
                    } else {
                        Some(TOUCHPOINTS[f.tp].key.to_string())
                    },
                    channel: Some(f.channel),
                    language: Some(p.lang),
                    occurred_at: f.at,
                }
            })
        })
        .enumerate()
        .map(|(n, mut f)| {
            f.external_id = format!("F{:07}", n + 1);
            f
        })
}

// ---------------------------------------------------------------- O-data

fn odata_items(cfg: &DemoConfig, p: &Profile) -> Vec<sim::OItem> {
    let resps = sim::responses_of(cfg, p);
    let fb = sim::feedback_of(cfg, p);
    sim::odata_of(cfg, p, &resps, &sim::complaint_times(&fb))
}

/// Operational data (orders in CNY, refunds, renewals, cancellations,
/// complaints, ad conversions), `O0000001` …
pub fn odata(cfg: DemoConfig) -> impl Iterator<Item = ODataRecord> {
    let cfg = cfg.normalized();
    (0..cfg.customers)
        .flat_map(move |i| {
            let p = sim::profile(&cfg, i);
            let id = customer_id(i);
            odata_items(&cfg, &p).into_iter().map(move |o| ODataRecord {
                external_id: String::new(),
                customer_external_id: Some(id.clone()),
                kind: o.kind,
                amount: o.amount,
                occurred_at: o.at,
            })
        })
        .enumerate()
        .map(|(n, mut o)| {
            o.external_id = format!("O{:07}", n + 1);
            o
        })
}

// ---------------------------------------------------------------- events

struct EventDraft {
    name: &'static str,
    tp: Option<&'static str>,
    at: i64,
    props: Map<String, Value>,
}

fn ev(name: &'static str, tp: Option<&'static str>, at: i64, session: &str, channel: Channel) -> EventDraft {
    let mut props = Map::new();
    props.insert("session_id".into(), Value::from(session));
    props.insert("channel".into(), Value::from(channel.as_str()));
    EventDraft { name, tp, at, props }
}

const CATEGORIES: &[&str] = &["apparel", "beauty", "home", "electronics", "food", "baby", "sports"];
const QUERIES_ZH: &[&str] =
    &["连衣裙", "蓝牙耳机", "护肤套装", "保温杯", "纸尿裤", "运动鞋", "咖啡豆", "四件套", "充电宝"];
const QUERIES_EN: &[&str] = &[
    "dress",
    "earbuds",
    "skincare set",
    "thermos",
    "diapers",
    "running shoes",
    "coffee beans",
    "bedding",
    "power bank",
];

fn events_of(cfg: &DemoConfig, p: &Profile, order_ids: &[(usize, &sim::OItem)]) -> Vec<EventDraft> {
    let mut r = Rng::stream(cfg.seed, sim::D_EVENTS, p.idx as u64, 0);
    let mut out = Vec::new();
    let mut session = 0usize;
    let cust = p.idx + 1;
    let queries = if p.lang == Language::Zh { QUERIES_ZH } else { QUERIES_EN };
    let mut funnel =
        |r: &mut Rng, out: &mut Vec<EventDraft>, end_at: i64, channel: Channel, order: Option<(usize, f64)>| {
            session += 1;
            let sid = format!("S{cust:06}-{session:04}");
            let steps = 6i64;
            let mut t = end_at - steps * r.range_i64(20, 240) * 1000;
            let step = |t: &mut i64, r: &mut Rng| {
                *t += r.range_i64(15, 240) * 1000;
            };
            let completes = order.is_some();
            if channel == Channel::App {
                out.push(ev("app_open", None, t, &sid, channel));
                step(&mut t, r);
            }
            if r.chance(0.25) {
                let mut e = ev("page_view", Some("ad_landing"), t, &sid, channel);
                e.props.insert(
                    "campaign".into(),
                    Value::from(["618", "double11", "new_arrivals", "members_day"][r.below(4)]),
                );
                out.push(e);
                step(&mut t, r);
            }
            let category = CATEGORIES[r.below(CATEGORIES.len())];
            if r.chance(0.7) {
                let mut e = ev("search", Some("product_search"), t, &sid, channel);
                e.props.insert("query".into(), Value::from(queries[r.below(queries.len())]));
                out.push(e);
                step(&mut t, r);
            }
            let mut e = ev("page_view", Some("product_page"), t, &sid, channel);
            e.props.insert("category".into(), Value::from(category));
            out.push(e);
            step(&mut t, r);
            if !completes && !r.chance(0.4) {
                return;
            }
            out.push(ev("add_to_cart", Some("product_page"), t, &sid, channel));
            step(&mut t, r);
            if !completes && !r.chance(0.5) {
                return;
            }
            out.push(ev("checkout_started", Some("checkout_payment"), t, &sid, channel));
            step(&mut t, r);
            if let Some((oid, amount)) = order {
                let mut e = ev("checkout_completed", Some("checkout_payment"), end_at, &sid, channel);
                e.props.insert("order_id".into(), Value::from(format!("O{oid:07}")));
                e.props.insert("amount".into(), Value::from(amount));
                out.push(e);
            }
        };
    for (oid, o) in order_ids {
        if o.kind == cxm_core::model::ODataKind::Order && o.channel != Channel::Store {
            funnel(&mut r, &mut out, o.at, o.channel, Some((*oid, o.amount)));
        }
    }
    // Abandoned browsing sessions.
    let days = ((p.active_to - p.active_from) / DAY_MS).max(0) as f64;
    let n_abandon = r.poisson(p.order_rate * 1.5 * days / 30.0 + 0.5);
    for _ in 0..n_abandon {
        let at = r.range_i64(p.active_from / 1000 + 3600, (p.active_to / 1000).max(p.active_from / 1000 + 3600)) * 1000;
        let channel = if p.app_user && r.chance(0.7) { Channel::App } else { Channel::Web };
        funnel(&mut r, &mut out, at, channel, None);
    }
    // App engagement (HEART): app opens outside purchase sessions.
    if p.app_user {
        let n = r.poisson(p.order_rate * 3.0 * days / 30.0);
        for _ in 0..n {
            session += 1;
            let sid = format!("S{cust:06}-{session:04}");
            let at = r.range_i64(p.active_from / 1000, (p.active_to / 1000).max(p.active_from / 1000)) * 1000;
            let mut e = ev("app_open", None, at, &sid, Channel::App);
            e.props.insert("screen".into(), Value::from(["home", "orders", "member_center", "messages"][r.below(4)]));
            out.push(e);
        }
    }
    // Service and fulfilment events that precede survey responses.
    for c in sim::responses_of(cfg, p) {
        let def = &TOUCHPOINTS[c.tp];
        let name = match def.key {
            "call_centre" => "call_started",
            "online_chat" => "chat_started",
            "return_refund" => "return_requested",
            "store_visit" => "store_checkin",
            "repair" => "repair_booked",
            "follow_up" => "follow_up_contact",
            "delivery" => "delivery_completed",
            "invoice" => "invoice_issued",
            _ => continue,
        };
        session += 1;
        let sid = format!("S{cust:06}-{session:04}");
        let at = c.at - r.range_i64(600, 3 * 86_400) * 1000;
        out.push(ev(name, Some(def.key), at.max(p.active_from), &sid, c.channel));
    }
    out.sort_by_key(|e| e.at);
    out
}

/// Behavioural tracking events (funnels per journey, app opens, service
/// contacts), `E00000001` …; `checkout_completed` carries the `order_id` of
/// the matching O-data order.
pub fn events(cfg: DemoConfig) -> impl Iterator<Item = EventRecord> {
    let cfg = cfg.normalized();
    let mut order_counter = 0usize;
    (0..cfg.customers)
        .flat_map(move |i| {
            let p = sim::profile(&cfg, i);
            let items = odata_items(&cfg, &p);
            let numbered: Vec<(usize, &sim::OItem)> =
                items.iter().enumerate().map(|(k, o)| (order_counter + k + 1, o)).collect();
            order_counter += items.len();
            let drafts = events_of(&cfg, &p, &numbered);
            let id = customer_id(i);
            drafts.into_iter().map(move |d| EventRecord {
                external_id: String::new(),
                customer_external_id: Some(id.clone()),
                name: d.name.to_string(),
                touchpoint: d.tp.map(str::to_string),
                properties: d.props,
                occurred_at: d.at,
            })
        })
        .enumerate()
        .map(|(n, mut e)| {
            e.external_id = format!("E{:08}", n + 1);
            e
        })
}

// ---------------------------------------------------------------- CSV layout

/// The fixed leading columns of the wide response CSV.
pub const RESPONSE_CSV_FIXED: &[&str] =
    &["external_id", "survey", "customer_id", "touchpoint", "channel", "language", "submitted_at"];

/// Header of the wide response CSV of `survey`: the fixed columns, then one
/// column per question key in survey order.
pub fn responses_csv_header(survey: &SurveySpec) -> Vec<String> {
    RESPONSE_CSV_FIXED.iter().map(|s| s.to_string()).chain(survey.questions.iter().map(|q| q.key.clone())).collect()
}

/// Formats an answer value for CSV: whole numbers without a decimal point.
pub fn answer_text(v: &AnswerValue) -> String {
    match v {
        AnswerValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        AnswerValue::Number(n) => format!("{n}"),
        AnswerValue::Text(t) => t.clone(),
    }
}

/// Flattens a response to the row of [`responses_csv_header`] (unescaped
/// fields; empty for missing values; answers to keys not in the survey are dropped).
pub fn response_csv_row(survey: &SurveySpec, r: &ResponseRecord) -> Vec<String> {
    let mut row = vec![
        r.external_id.clone(),
        r.survey.clone(),
        r.customer_external_id.clone().unwrap_or_default(),
        r.touchpoint.clone().unwrap_or_default(),
        r.channel.map(|c| c.as_str().to_string()).unwrap_or_default(),
        r.language.map(|l| lang_str(l).to_string()).unwrap_or_default(),
        format_rfc3339(r.submitted_at),
    ];
    for q in &survey.questions {
        row.push(r.answers.iter().find(|(k, _)| *k == q.key).map(|(_, v)| answer_text(v)).unwrap_or_default());
    }
    row
}

/// Quotes a CSV field when needed (RFC 4180).
pub fn csv_escape(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// Joins fields into one CSV line (without the line terminator).
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    fields.iter().map(|f| csv_escape(f.as_ref())).collect::<Vec<_>>().join(",")
}

// ---------------------------------------------------------------- time

/// Days since 1970-01-01 → (year, month, day) (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) → days since 1970-01-01.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Unix ms → RFC 3339 UTC text: `2025-06-30T08:15:00Z`, with `.sss` only
/// when the milliseconds are not zero.
pub fn format_rfc3339(ms: i64) -> String {
    let days = ms.div_euclid(DAY_MS);
    let rem = ms.rem_euclid(DAY_MS);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, milli) = (rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000);
    if milli == 0 {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
    }
}

/// Parses RFC 3339 text (`Z` or `±hh:mm` offset, optional fraction) → Unix ms.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 20
        || b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T' | b't' | b' '))
    {
        return None;
    }
    let n = |a: usize, z: usize| -> Option<i64> {
        let t = s.get(a..z)?;
        if t.bytes().all(|c| c.is_ascii_digit()) { t.parse().ok() } else { None }
    };
    let (y, mo, d, h, mi, se) = (n(0, 4)?, n(5, 7)?, n(8, 10)?, n(11, 13)?, n(14, 16)?, n(17, 19)?);
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut i = 19;
    let mut milli = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let st = i;
        while b.get(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        if i == st {
            return None;
        }
        let frac = s.get(st..i)?;
        let mut digits = frac.chars().take(3).collect::<String>();
        while digits.len() < 3 {
            digits.push('0');
        }
        milli = digits.parse().ok()?;
    }
    let offset_min = match s.get(i..)? {
        "Z" | "z" => 0,
        rest if rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')) && rest.as_bytes()[3] == b':' => {
            let oh: i64 = rest.get(1..3)?.parse().ok()?;
            let om: i64 = rest.get(4..6)?.parse().ok()?;
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            sign * (oh * 60 + om)
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    Some(days * DAY_MS + h * 3_600_000 + mi * 60_000 + se.min(59) * 1000 + milli - offset_min * 60_000)
}
