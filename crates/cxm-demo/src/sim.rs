//! The latent model: per-customer profiles, response scores, orders and
//! feedback timing. Every function here is a pure function of
//! (config, customer index) through independent PRNG streams, so each
//! public iterator can recompute exactly what the others saw.

use crate::DemoConfig;
use crate::names::CITIES;
use crate::rng::Rng;
use crate::setup::{TOUCHPOINTS, Tp, tp};
use cxm_core::model::{Channel, Language, Lifecycle};

pub const DAY_MS: i64 = 86_400_000;
pub const YEAR_MS: i64 = 365 * DAY_MS;

// PRNG stream domains.
pub const D_PROFILE: u64 = 1;
pub const D_IDENTITY: u64 = 2;
pub const D_RESP: u64 = 3;
pub const D_TEXT: u64 = 4;
pub const D_ORDERS: u64 = 5;
pub const D_FEEDBACK: u64 = 6;
pub const D_FEEDBACK_TEXT: u64 = 7;
pub const D_EVENTS: u64 = 8;

// ---- Planted-effect parameters (documented in docs/demo-data.md) ----

/// Share of customers in the TA segment.
pub const TA_SHARE: f64 = 0.30;
/// Share of Chinese-language customers.
pub const ZH_SHARE: f64 = 0.70;
/// Structural weights of the five attribute latents on the NPS latent
/// (delivery, quality, price, staff, app).
pub const ATTR_BETA: [f64; 5] = [0.55, 0.40, 0.25, 0.18, 0.08];
/// Latent mean shifts of the attribute ratings (delivery performs worst).
pub const ATTR_MEAN: [f64; 5] = [-0.15, 0.15, -0.05, 0.25, 0.30];
/// Loading of the response-level general experience on each attribute latent.
pub const ATTR_LOADING: f64 = 0.45;
/// Structural weights of the RATER dimension latents on NPS
/// (reliability, assurance, tangibles, empathy, responsiveness — item order).
pub const RATER_BETA: [f64; 5] = [0.45, 0.25, 0.08, 0.20, 0.35];
/// Perception means (1–7) per RATER dimension.
pub const RATER_P_MEAN: [f64; 5] = [5.2, 5.5, 5.6, 5.1, 4.8];
/// Expectation means (1–7) per RATER dimension.
pub const RATER_E_MEAN: [f64; 5] = [6.2, 5.9, 5.4, 5.6, 6.3];
/// CES drop (scale points, before rounding) at `return_refund` in the last 30 days.
pub const RETURN_CES_DROP: f64 = 1.0;
pub const RETURN_CES_WINDOW_MS: i64 = 30 * DAY_MS;
/// Order-rate and order-amount multipliers after the latest NPS answer.
pub const RATE_MULT: [f64; 3] = [1.35, 1.0, 0.5]; // promoter, passive, detractor
pub const AMOUNT_MULT: [f64; 3] = [1.10, 1.0, 0.80];
/// TA spend multipliers.
pub const TA_AMOUNT_MULT: f64 = 1.5;
pub const TA_RATE_MULT: f64 = 1.2;
/// Rising topic (damaged packaging): base share and extra share at `now`,
/// ramping linearly over the last `PACKAGING_RAMP_MS`.
pub const PACKAGING_BASE: f64 = 0.06;
pub const PACKAGING_PEAK_EXTRA: f64 = 0.40;
pub const PACKAGING_RAMP_MS: i64 = 21 * DAY_MS;
/// Extra rating points by which delivery is preferred when a Chinese
/// customer's negative comment picks its aspect.
pub const ZH_NEG_DELIVERY_BIAS: f64 = 1.0;

/// Share of negative delivery-related texts that are about damaged packaging at time `at`.
pub fn packaging_share(at: i64, now: i64) -> f64 {
    let age = now - at;
    if age < 0 {
        return PACKAGING_BASE + PACKAGING_PEAK_EXTRA;
    }
    if age >= PACKAGING_RAMP_MS {
        return PACKAGING_BASE;
    }
    PACKAGING_BASE + PACKAGING_PEAK_EXTRA * (1.0 - age as f64 / PACKAGING_RAMP_MS as f64)
}

pub const AGE_BANDS: &[&str] = &["18-24", "25-34", "35-44", "45-54", "55+"];
pub const TIERS: &[&str] = &["bronze", "silver", "gold", "platinum"];

/// Everything about a customer that other streams depend on.
#[derive(Debug, Clone)]
pub struct Profile {
    pub idx: usize,
    pub lang: Language,
    /// Latent attitude / experience propensity, N(0, 1).
    pub u: f64,
    pub ta: bool,
    pub lifecycle: Lifecycle,
    pub signup_ms: i64,
    pub churn_ms: Option<i64>,
    pub active_from: i64,
    pub active_to: i64,
    pub occupation: &'static str,
    pub household: &'static str,
    pub age_band: usize,
    pub city: usize,
    pub tier: usize,
    pub plus_member: bool,
    pub app_user: bool,
    /// Typical order amount in CNY.
    pub spend_base: f64,
    /// Orders per 30 days before experience effects.
    pub order_rate: f64,
}

impl Profile {
    pub fn lifecycle_rate_factor(&self, at: i64, start: i64, now: i64) -> f64 {
        match self.lifecycle {
            Lifecycle::Loyal => 1.6,
            Lifecycle::Active => 1.0,
            Lifecycle::New => 1.2,
            Lifecycle::Churned => 0.6,
            Lifecycle::AtRisk => {
                let f = ((at - start) as f64 / (now - start).max(1) as f64).clamp(0.0, 1.0);
                1.0 - 0.7 * f
            }
        }
    }
}

pub fn window_start(cfg: &DemoConfig) -> i64 {
    cfg.now_ms - YEAR_MS
}

pub fn profile(cfg: &DemoConfig, idx: usize) -> Profile {
    let now = cfg.now_ms;
    let start = window_start(cfg);
    let mut r = Rng::stream(cfg.seed, D_PROFILE, idx as u64, 0);
    let lang = if r.chance(ZH_SHARE) { Language::Zh } else { Language::En };
    let ta = r.chance(TA_SHARE);
    let u = r.normal();
    let is_new = r.chance(0.15);
    let signup_ms = if is_new {
        now - r.range_i64(1, 90) * DAY_MS - r.range_i64(0, DAY_MS / 1000 - 1) * 1000
    } else {
        let days = 90.0 + 2100.0 * r.f64().powf(1.6);
        now - (days as i64) * DAY_MS - r.range_i64(0, DAY_MS / 1000 - 1) * 1000
    };
    let lifecycle = if is_new {
        Lifecycle::New
    } else {
        let z = u + 0.6 * r.normal();
        if z < -1.75 {
            Lifecycle::Churned
        } else if z < -1.0 {
            Lifecycle::AtRisk
        } else if z > 0.75 {
            Lifecycle::Loyal
        } else {
            Lifecycle::Active
        }
    };
    let active_from = signup_ms.max(start);
    let churn_ms = if lifecycle == Lifecycle::Churned {
        let lo = active_from + 30 * DAY_MS;
        let hi = now - 14 * DAY_MS;
        Some(r.range_i64(lo / 1000, hi.max(lo) / 1000) * 1000)
    } else {
        None
    };
    let active_to = churn_ms.unwrap_or(now);

    // Demographics consistent with the segment rules (see setup.rs).
    let occupation: &'static str = if ta {
        "professional"
    } else {
        const OCC: &[&str] =
            &["student", "professional", "employee", "smb_owner", "freelancer", "retired", "homemaker"];
        OCC[r.weighted(&[0.20, 0.22, 0.22, 0.12, 0.09, 0.09, 0.06])]
    };
    let age_band = if ta {
        if r.chance(0.62) { 1 } else { 2 }
    } else {
        match occupation {
            "student" => {
                if r.chance(0.85) {
                    0
                } else {
                    1
                }
            }
            "retired" => 4,
            _ => r.weighted(&[0.08, 0.32, 0.30, 0.20, 0.10]),
        }
    };
    let city = if ta {
        let t1: Vec<usize> = crate::names::tier1_cities().collect();
        let w: Vec<f64> = t1.iter().map(|&c| city_weight(c, lang)).collect();
        t1.get(r.weighted(&w)).copied().unwrap_or(0)
    } else {
        let w: Vec<f64> = (0..CITIES.len()).map(|c| city_weight(c, lang)).collect();
        r.weighted(&w)
    };
    let city_tier = CITIES.get(city).map(|c| c.3).unwrap_or(2);
    // Keep the TA rule exact: a non-TA customer must fail at least one condition.
    let occupation = if !ta && occupation == "professional" && city_tier == 1 && (age_band == 1 || age_band == 2) {
        "employee"
    } else {
        occupation
    };
    let household = if (1..=2).contains(&age_band) && r.chance(0.45) {
        "family_with_kids"
    } else if age_band == 0 {
        "single"
    } else {
        ["single", "couple", "family_grown_kids"][r.weighted(&[0.4, 0.4, 0.2])]
    };
    let tier_z = 0.5 * u + r.normal() + if ta { 0.4 } else { 0.0 };
    let tier = if tier_z > 1.5 {
        3
    } else if tier_z > 0.7 {
        2
    } else if tier_z > -0.3 {
        1
    } else {
        0
    };
    let plus_member = tier >= 2 || r.chance(0.15);
    let app_user = r.chance(if age_band >= 4 { 0.35 } else { 0.65 });
    let mut spend_base = (160f64.ln() + 0.45 * r.normal()).exp();
    spend_base *= [0.85, 1.0, 1.2, 1.5][tier];
    spend_base *= match occupation {
        "student" => 0.6,
        "smb_owner" => 1.8,
        "retired" => 0.9,
        _ => 1.0,
    };
    if ta {
        spend_base *= TA_AMOUNT_MULT;
    }
    let mut order_rate = (0.45f64.ln() + 0.4 * r.normal()).exp();
    if ta {
        order_rate *= TA_RATE_MULT;
    }
    Profile {
        idx,
        lang,
        u,
        ta,
        lifecycle,
        signup_ms,
        churn_ms,
        active_from,
        active_to,
        occupation,
        household,
        age_band,
        city,
        tier,
        plus_member,
        app_user,
        spend_base,
        order_rate,
    }
}

fn city_weight(c: usize, lang: Language) -> f64 {
    CITIES.get(c).map(|x| if lang == Language::Zh { x.4 } else { x.5 }).unwrap_or(0.0)
}

/// NPS group: 0 promoter, 1 passive, 2 detractor.
pub fn nps_group(nps: u8) -> usize {
    if nps >= 9 {
        0
    } else if nps >= 7 {
        1
    } else {
        2
    }
}

/// Scores of one response (no text yet).
#[derive(Debug, Clone)]
pub struct RespCore {
    pub k: usize,
    pub at: i64,
    pub tp: Tp,
    pub channel: Channel,
    /// false: NPS survey, true: RATER survey.
    pub rater: bool,
    pub nps: u8,
    pub csat: Option<u8>,
    pub ces: Option<u8>,
    /// NPS survey attribute ratings 1–5 (None = skipped).
    pub attrs: [Option<u8>; 5],
    /// RATER perceptions (10 items) and expectations (None = not asked/answered).
    pub rater_p: [u8; 10],
    pub rater_e: [Option<u8>; 10],
    /// Index of the driving aspect (into ATTRIBUTES or RATER dimensions).
    pub driver: usize,
    /// Index of the best (for detractors) or worst (for promoters) other aspect.
    pub other: usize,
    /// The runner-up aspect on the same side as `driver`.
    pub second: usize,
    pub reason_answered: bool,
    pub has_text: bool,
}

fn clamp_round(x: f64, lo: u8, hi: u8) -> u8 {
    let v = x.round();
    if v.is_nan() || v < lo as f64 {
        lo
    } else if v > hi as f64 {
        hi
    } else {
        v as u8
    }
}

/// All responses of one customer, in time order.
pub fn responses_of(cfg: &DemoConfig, p: &Profile) -> Vec<RespCore> {
    let mut r = Rng::stream(cfg.seed, D_RESP, p.idx as u64, 0);
    let rate = if cfg.responses_per_customer.is_finite() { cfg.responses_per_customer.max(0.0) } else { 0.0 };
    let n = r.poisson(rate);
    let mut times: Vec<i64> = (0..n)
        .map(|_| r.range_i64(p.active_from / 1000, (p.active_to / 1000).max(p.active_from / 1000)) * 1000)
        .collect();
    times.sort_unstable();
    let nps_w: Vec<f64> = TOUCHPOINTS.iter().map(|t| if t.journey == 0 { t.response_weight } else { 0.0 }).collect();
    let rater_w: Vec<f64> = TOUCHPOINTS.iter().map(|t| if t.journey == 1 { t.response_weight } else { 0.0 }).collect();
    times
        .into_iter()
        .enumerate()
        .map(|(k, at)| {
            let rater = r.chance(0.32);
            let tpi = r.weighted(if rater { &rater_w } else { &nps_w });
            let def = &TOUCHPOINTS[tpi.min(TOUCHPOINTS.len() - 1)];
            let channel = if !def.alt_channels.is_empty() && r.chance(0.25) {
                r.pick(def.alt_channels).copied().unwrap_or(def.channel)
            } else {
                def.channel
            };
            let g = 0.6 * p.u + 0.8 * r.normal() + def.exp_offset;
            let mut c = RespCore {
                k,
                at,
                tp: tpi,
                channel,
                rater,
                nps: 0,
                csat: None,
                ces: None,
                attrs: [None; 5],
                rater_p: [0; 10],
                rater_e: [None; 10],
                driver: 0,
                other: 0,
                second: 0,
                reason_answered: false,
                has_text: false,
            };
            let mut latent = [0.0f64; 5];
            for l in latent.iter_mut() {
                *l = if rater { 0.5 * g + 0.866 * r.normal() } else { ATTR_LOADING * g + 0.893 * r.normal() };
            }
            let mut devs = [0.0f64; 5];
            if rater {
                let y: f64 = RATER_BETA.iter().zip(latent.iter()).map(|(b, l)| b * l).sum::<f64>() / 0.876;
                c.nps = clamp_round(7.6 + 1.6 * y + 1.3 * r.normal(), 0, 10);
                let ask_exp = r.chance(0.55);
                for i in 0..10 {
                    let d = i / 2;
                    c.rater_p[i] = clamp_round(RATER_P_MEAN[d] + 1.1 * latent[d] + 0.6 * r.normal(), 1, 7);
                    if ask_exp {
                        c.rater_e[i] = Some(clamp_round(RATER_E_MEAN[d] + 0.7 * r.normal(), 1, 7));
                    }
                }
                let mut ces = 5.0 + 0.7 * latent[4] + 0.3 * g + def.effort_offset + 0.9 * r.normal();
                if tpi == tp("return_refund") && at >= cfg.now_ms - RETURN_CES_WINDOW_MS {
                    ces -= RETURN_CES_DROP;
                }
                c.ces = Some(clamp_round(ces, 1, 7));
                for d in 0..5 {
                    let mean = (c.rater_p[2 * d] as f64 + c.rater_p[2 * d + 1] as f64) / 2.0;
                    devs[d] = (0.5 + RATER_BETA[d]) * (mean - RATER_P_MEAN[d]);
                }
            } else {
                let y: f64 = ATTR_BETA.iter().zip(latent.iter()).map(|(b, l)| b * l).sum::<f64>() / 0.94;
                c.nps = clamp_round(7.9 + 1.6 * y + 1.3 * r.normal(), 0, 10);
                c.csat = Some(clamp_round(3.9 + 0.75 * y + 0.6 * r.normal(), 1, 5));
                if r.chance(0.9) {
                    let ces = 5.2 + 0.6 * latent[4] + 0.4 * g + def.effort_offset + 0.9 * r.normal();
                    c.ces = Some(clamp_round(ces, 1, 7));
                }
                for (i, a) in c.attrs.iter_mut().enumerate() {
                    let v = clamp_round(3.7 + 0.95 * (latent[i] + ATTR_MEAN[i]) + 0.35 * r.normal(), 1, 5);
                    if !r.chance(0.04) {
                        *a = Some(v);
                    }
                    devs[i] = (0.5 + ATTR_BETA[i]) * (v as f64 - 3.7);
                }
            }
            let group = nps_group(c.nps);
            // Chinese customers' negative comments gravitate to delivery (planted effect 5).
            if !rater && group > 0 && p.lang == Language::Zh {
                devs[0] -= (0.5 + ATTR_BETA[0]) * ZH_NEG_DELIVERY_BIAS;
            }
            let jitter: [f64; 5] = [r.f64(), r.f64(), r.f64(), r.f64(), r.f64()];
            let mut order: Vec<usize> = (0..5).collect();
            order.sort_by(|&a, &b| (devs[a] + 0.01 * jitter[a]).total_cmp(&(devs[b] + 0.01 * jitter[b])));
            let (lowest, highest) = (order[0], order[4]);
            if group == 0 {
                c.driver = highest;
                c.other = lowest;
                c.second = order[3];
            } else {
                c.driver = lowest;
                c.other = highest;
                c.second = order[1];
            }
            c.reason_answered = r.chance(0.85);
            c.has_text = r.chance([0.40, 0.30, 0.55][group]);
            c
        })
        .collect()
}

/// One O-data item before numbering.
#[derive(Debug, Clone)]
pub struct OItem {
    pub kind: cxm_core::model::ODataKind,
    pub amount: f64,
    pub at: i64,
    /// Channel the order was placed through (orders only).
    pub channel: Channel,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Orders, refunds, renewals, cancellations and ad conversions of a customer
/// (complaints are added from the feedback stream), sorted by time.
pub fn odata_of(cfg: &DemoConfig, p: &Profile, resps: &[RespCore], complaints: &[i64]) -> Vec<OItem> {
    use cxm_core::model::ODataKind as K;
    let now = cfg.now_ms;
    let start = window_start(cfg);
    let mut r = Rng::stream(cfg.seed, D_ORDERS, p.idx as u64, 0);
    let mut out = Vec::new();
    // Piecewise-constant order process between responses.
    let mut bounds: Vec<(i64, usize)> = vec![(p.active_from, 1)];
    for c in resps {
        bounds.push((c.at, nps_group(c.nps)));
    }
    for (i, &(a, group)) in bounds.iter().enumerate() {
        let b = bounds.get(i + 1).map(|x| x.0).unwrap_or(p.active_to);
        if b <= a {
            continue;
        }
        let mid = a + (b - a) / 2;
        let rate = p.order_rate * p.lifecycle_rate_factor(mid, start, now) * RATE_MULT[group];
        let n = r.poisson(rate * (b - a) as f64 / (30 * DAY_MS) as f64);
        for _ in 0..n {
            let at = r.range_i64(a / 1000, (b / 1000 - 1).max(a / 1000)) * 1000;
            let amount = round2((p.spend_base * AMOUNT_MULT[group] * (0.35 * r.normal()).exp()).max(9.9));
            let channel = if p.app_user && r.chance(0.7) {
                Channel::App
            } else {
                [Channel::Web, Channel::MiniProgram, Channel::Store, Channel::Wechat]
                    [r.weighted(&[0.35, 0.3, 0.25, 0.1])]
            };
            out.push(OItem { kind: K::Order, amount, at, channel });
            let refund_p = if group == 2 { 0.12 } else { 0.05 };
            if r.chance(refund_p) {
                let rat = at + r.range_i64(3, 20) * DAY_MS;
                if rat < p.active_to.min(now) {
                    let share = if r.chance(0.7) { 1.0 } else { 0.2 + 0.4 * r.f64() };
                    out.push(OItem { kind: K::Refund, amount: round2(amount * share), at: rat, channel });
                }
            }
        }
    }
    // Membership renewals (annual, on the signup anniversary) and cancellations.
    if p.plus_member {
        let mut anniv = p.signup_ms;
        while anniv < start {
            anniv += YEAR_MS;
        }
        if anniv < now && anniv > p.signup_ms {
            if let Some(ch) = p.churn_ms.filter(|c| *c <= anniv) {
                out.push(OItem { kind: K::Cancellation, amount: 0.0, at: ch, channel: Channel::App });
            } else if p.lifecycle == Lifecycle::AtRisk && r.chance(0.4) {
                out.push(OItem { kind: K::Cancellation, amount: 0.0, at: anniv, channel: Channel::App });
            } else {
                out.push(OItem { kind: K::Renewal, amount: 198.0, at: anniv, channel: Channel::App });
            }
        } else if let Some(ch) = p.churn_ms {
            out.push(OItem { kind: K::Cancellation, amount: 0.0, at: ch, channel: Channel::App });
        }
    }
    if p.signup_ms >= start && r.chance(0.5) {
        let cost = round2(20.0 + 100.0 * r.f64());
        out.push(OItem {
            kind: K::AdConversion,
            amount: cost,
            at: p.signup_ms / 1000 * 1000,
            channel: Channel::Social,
        });
    }
    for &at in complaints {
        out.push(OItem { kind: K::Complaint, amount: 0.0, at, channel: Channel::Phone });
    }
    out.sort_by_key(|o| o.at);
    out
}

/// Feedback item timing and topic (text is generated separately).
#[derive(Debug, Clone)]
pub struct FbCore {
    pub k: usize,
    pub source: cxm_core::model::FeedbackSource,
    pub at: i64,
    pub tp: Tp,
    pub channel: Channel,
    pub rating: Option<f64>,
    /// Topic aspect.
    pub topic: crate::text::Aspect,
    /// -2..=2 sentiment strength.
    pub polarity: i8,
    pub urgent: bool,
    pub churn: bool,
    pub anonymous: bool,
}

/// Non-survey feedback of a customer, sorted by time.
pub fn feedback_of(cfg: &DemoConfig, p: &Profile) -> Vec<FbCore> {
    use crate::text::Aspect as A;
    use cxm_core::model::FeedbackSource as S;
    let now = cfg.now_ms;
    let mut r = Rng::stream(cfg.seed, D_FEEDBACK, p.idx as u64, 0);
    let mean = 0.42 * (-0.45 * p.u).exp();
    let mut n = r.poisson(mean);
    let anonymous_extra = r.chance(0.05);
    if anonymous_extra {
        n += 1;
    }
    let mut out = Vec::with_capacity(n);
    for k in 0..n {
        let anonymous = anonymous_extra && k + 1 == n;
        let at = r.range_i64(p.active_from / 1000, (p.active_to / 1000).max(p.active_from / 1000)) * 1000;
        let source = if anonymous {
            S::Opinion
        } else {
            [S::Review, S::Complaint, S::Ticket, S::CallTranscript, S::Social]
                [r.weighted(&[0.40, 0.22, 0.18, 0.10, 0.10])]
        };
        let mood = p.u + r.normal();
        let (polarity, rating) = match source {
            S::Review => {
                let stars = clamp_round(4.0 + 0.9 * mood, 1, 5);
                let pol = match stars {
                    5 => 2,
                    4 => 1,
                    3 => -1,
                    _ => -2,
                };
                (pol, Some(stars as f64))
            }
            S::Complaint => (-2, None),
            S::Ticket | S::CallTranscript => (if mood < -0.3 { -2 } else { -1 }, None),
            S::Social | S::Opinion => (
                if mood > 0.6 {
                    2
                } else if mood > -0.2 {
                    -1
                } else {
                    -2
                },
                None,
            ),
        };
        let topics = [A::Delivery, A::Packaging, A::Quality, A::Price, A::Staff, A::WaitTime, A::Resolution, A::App];
        // Reviews talk about the product and its delivery; other sources about anything.
        let (neg_w, pos_w): ([f64; 8], [f64; 8]) = if source == S::Review {
            ([0.36, 0.0, 0.34, 0.18, 0.0, 0.0, 0.0, 0.12], [0.35, 0.05, 0.35, 0.18, 0.0, 0.0, 0.0, 0.07])
        } else {
            ([0.26, 0.0, 0.22, 0.10, 0.12, 0.10, 0.12, 0.08], [0.3, 0.05, 0.3, 0.15, 0.15, 0.0, 0.0, 0.05])
        };
        let topic = if polarity < 0 {
            // Packaging share follows the rising-topic ramp (planted effect 6).
            let s = packaging_share(at, now);
            let total: f64 = neg_w.iter().sum();
            let mut w = neg_w;
            w[1] = s / (1.0 - s) * total;
            topics[r.weighted(&w)]
        } else {
            topics[r.weighted(&pos_w)]
        };
        let tpk = match topic {
            A::Delivery | A::Packaging => "delivery",
            A::Quality => "unboxing_use",
            A::Price => "product_page",
            A::Staff if r.chance(0.5) => "store_visit",
            A::Staff => "online_chat",
            A::WaitTime => "call_centre",
            A::Resolution => "return_refund",
            A::App => "checkout_payment",
            _ => "online_chat",
        };
        let channel = match source {
            S::Review => Channel::App,
            S::Complaint => [Channel::Phone, Channel::Web, Channel::Social][r.weighted(&[0.5, 0.3, 0.2])],
            S::Ticket => [Channel::Chat, Channel::Email][r.weighted(&[0.6, 0.4])],
            S::CallTranscript => Channel::Phone,
            S::Social | S::Opinion => {
                if p.lang == Language::Zh {
                    Channel::Wechat
                } else {
                    Channel::Social
                }
            }
        };
        let threat_base = match p.lifecycle {
            Lifecycle::Churned | Lifecycle::AtRisk => 0.30,
            _ => 0.10,
        };
        let negative_loud =
            polarity == -2 && matches!(source, S::Complaint | S::CallTranscript | S::Social | S::Opinion);
        let urgent = negative_loud && r.chance(0.15);
        let churn = negative_loud && r.chance(threat_base);
        out.push(FbCore { k, source, at, tp: tp(tpk), channel, rating, topic, polarity, urgent, churn, anonymous });
    }
    out.sort_by_key(|f| f.at);
    for (k, f) in out.iter_mut().enumerate() {
        f.k = k;
    }
    out
}

/// Times of the complaint items of a customer (for O-data).
pub fn complaint_times(fb: &[FbCore]) -> Vec<i64> {
    fb.iter().filter(|f| f.source == cxm_core::model::FeedbackSource::Complaint && !f.anonymous).map(|f| f.at).collect()
}
