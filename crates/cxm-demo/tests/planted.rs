//! Verifies the planted effects documented in docs/demo-data.md, plus
//! determinism, counts and validity of the generated records.

use cxm_core::model::{Language, ODataKind, QuestionKind};
use cxm_core::records::{AnswerValue, CustomerRecord, ResponseRecord, SurveySpec};
use cxm_demo::text::{mentions_delivery, mentions_packaging};
use cxm_demo::*;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const N: usize = 5_000;

struct Data {
    cfg: DemoConfig,
    customers: Vec<CustomerRecord>,
    responses: Vec<ResponseRecord>,
}

fn data() -> &'static Data {
    static D: OnceLock<Data> = OnceLock::new();
    D.get_or_init(|| {
        // DEMO_TEST_SEED lets the planted-effect checks be repeated on other seeds.
        let seed = std::env::var("DEMO_TEST_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20_250_630);
        let cfg = DemoConfig::new(N, seed);
        Data { cfg, customers: customers(cfg).collect(), responses: responses(cfg).collect() }
    })
}

fn num(r: &ResponseRecord, key: &str) -> Option<f64> {
    r.answers.iter().find(|(k, _)| k == key).and_then(|(_, v)| match v {
        AnswerValue::Number(n) => Some(*n),
        AnswerValue::Text(_) => None,
    })
}

fn text<'a>(r: &'a ResponseRecord, key: &str) -> Option<&'a str> {
    r.answers.iter().find(|(k, _)| k == key).and_then(|(_, v)| match v {
        AnswerValue::Text(t) => Some(t.as_str()),
        AnswerValue::Number(_) => None,
    })
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

// ------------------------------------------------------------ setup & counts

#[test]
fn setup_counts() {
    let s = setup();
    assert!(s.journeys.len() >= 2);
    let tps: Vec<_> = s.journeys.iter().flat_map(|j| j.stages.iter().flat_map(|st| st.touchpoints.iter())).collect();
    assert!(tps.len() >= 12, "{} touchpoints", tps.len());
    let keys: HashSet<_> = tps.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(keys.len(), tps.len(), "touchpoint keys unique");
    for t in &tps {
        assert!(!t.name_zh.is_empty() && !t.name_en.is_empty() && !t.owner_team.is_empty() && t.improvement_cost > 0.0);
    }
    assert!(s.segments.iter().filter(|g| g.is_ta).count() >= 1);
    assert!(s.segments.len() >= 4);
    assert_eq!(s.surveys.len(), 2);
    for sv in &s.surveys {
        let mut seen = HashSet::new();
        for q in &sv.questions {
            assert!(seen.insert(q.key.clone()), "duplicate key {}", q.key);
            assert!(q.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'), "{}", q.key);
        }
    }
    let nps = &s.surveys[0];
    for k in ["nps", "csat", "ces", "r_delivery", "r_quality", "r_price", "r_staff", "r_app", "reason", "comment"] {
        assert!(nps.questions.iter().any(|q| q.key == k), "missing {k}");
    }
    let rater = &s.surveys[1];
    let dims: HashSet<_> = rater.questions.iter().filter_map(|q| q.dimension).collect();
    assert_eq!(dims.len(), 5);
}

#[test]
fn volumes_and_shares() {
    let d = data();
    assert_eq!(d.customers.len(), N);
    assert_eq!(d.customers[0].external_id, "C000001");
    assert_eq!(d.responses[0].external_id, "R0000001");
    let expected = N as f64 * d.cfg.responses_per_customer;
    assert!((d.responses.len() as f64 / expected - 1.0).abs() < 0.05, "{} responses", d.responses.len());
    let zh = d.customers.iter().filter(|c| c.language == Some(Language::Zh)).count() as f64 / N as f64;
    assert!((zh - 0.7).abs() < 0.03, "zh share {zh}");
    let ta = d.customers.iter().filter(|c| c.segments.iter().any(|s| s == SEGMENT_TA)).count() as f64 / N as f64;
    assert!((ta - 0.3).abs() < 0.03, "TA share {ta}");
    let with_text =
        d.responses.iter().filter(|r| text(r, "comment").is_some()).count() as f64 / d.responses.len() as f64;
    assert!((with_text - 0.4).abs() < 0.05, "text share {with_text}");
    let nps: Vec<f64> = d.responses.iter().filter_map(|r| num(r, "nps")).collect();
    let p = nps.iter().filter(|v| **v >= 9.0).count() as f64 / nps.len() as f64;
    let q = nps.iter().filter(|v| **v <= 6.0).count() as f64 / nps.len() as f64;
    let score = 100.0 * (p - q);
    assert!((-10.0..40.0).contains(&score), "NPS {score}");
    let ids: HashSet<_> = d.customers.iter().map(|c| c.email.clone()).collect();
    assert_eq!(ids.len(), N, "emails unique");
}

#[test]
fn ta_rule_is_consistent_with_attributes() {
    for c in &data().customers {
        let a = &c.attributes;
        let rule = a["occupation"] == "professional"
            && a["city_tier"] == 1
            && (a["age_band"] == "25-34" || a["age_band"] == "35-44");
        assert_eq!(rule, c.segments.iter().any(|s| s == SEGMENT_TA), "{}", c.external_id);
    }
}

// ------------------------------------------------------------ validity

#[test]
fn responses_are_valid() {
    let d = data();
    let s = setup();
    let surveys: HashMap<&str, &SurveySpec> = s.surveys.iter().map(|sv| (sv.key.as_str(), sv)).collect();
    let tps: HashSet<String> = s
        .journeys
        .iter()
        .flat_map(|j| j.stages.iter().flat_map(|st| st.touchpoints.iter().map(|t| t.key.clone())))
        .collect();
    let langs: HashMap<&str, Language> =
        d.customers.iter().filter_map(|c| Some((c.external_id.as_str(), c.language?))).collect();
    let start = d.cfg.now_ms - YEAR_MS;
    let mut ids = HashSet::new();
    for r in &d.responses {
        assert!(ids.insert(r.external_id.clone()));
        let sv = surveys[r.survey.as_str()];
        assert!(r.submitted_at >= start && r.submitted_at <= d.cfg.now_ms);
        assert!(tps.contains(r.touchpoint.as_deref().unwrap_or("?")));
        let cust = r.customer_external_id.as_deref().unwrap_or("?");
        assert_eq!(r.language, Some(langs[cust]));
        let mut keys = HashSet::new();
        for (k, v) in &r.answers {
            assert!(keys.insert(k.clone()), "duplicate answer {k}");
            let q = sv.questions.iter().find(|q| &q.key == k).unwrap_or_else(|| panic!("{k} not in {}", sv.key));
            match (q.kind, v) {
                (QuestionKind::OpenText, AnswerValue::Text(t)) => {
                    assert!(!t.trim().is_empty());
                    assert_eq!(has_cjk(t), r.language == Some(Language::Zh), "{t}");
                }
                (QuestionKind::ReasonChoice, AnswerValue::Text(t)) => {
                    assert!(q.options.contains(t), "{t}")
                }
                (_, AnswerValue::Number(n)) => {
                    let (lo, hi) = (q.scale_min.unwrap_or(f64::NAN), q.scale_max.unwrap_or(f64::NAN));
                    assert!(*n >= lo && *n <= hi && n.fract() == 0.0, "{k}={n}");
                }
                _ => panic!("bad answer type for {k}"),
            }
        }
        for q in sv.questions.iter().filter(|q| q.required) {
            assert!(keys.contains(&q.key), "required {} missing", q.key);
        }
    }
}

#[test]
fn feedback_odata_events_are_valid() {
    let cfg = DemoConfig::new(800, 5);
    let start = cfg.now_ms - YEAR_MS;
    let fb: Vec<_> = feedback(cfg).collect();
    assert!(fb.len() > 200);
    for f in &fb {
        assert!(!f.text.is_empty());
        assert_eq!(has_cjk(&f.text), f.language == Some(Language::Zh), "{}", f.text);
        assert!(f.occurred_at >= start && f.occurred_at <= cfg.now_ms);
    }
    let od: Vec<_> = odata(cfg).collect();
    let orders: HashMap<String, f64> =
        od.iter().filter(|o| o.kind == ODataKind::Order).map(|o| (o.external_id.clone(), o.amount)).collect();
    assert!(orders.len() > 1_000);
    assert!(od.iter().all(|o| o.amount >= 0.0 && o.occurred_at <= cfg.now_ms));
    for k in [ODataKind::Refund, ODataKind::Renewal, ODataKind::Complaint, ODataKind::Cancellation] {
        assert!(od.iter().any(|o| o.kind == k), "{k:?} missing");
    }
    let ev: Vec<_> = events(cfg).collect();
    let names: HashSet<_> = ev.iter().map(|e| e.name.as_str()).collect();
    for n in
        ["page_view", "search", "add_to_cart", "checkout_started", "checkout_completed", "app_open", "chat_started"]
    {
        assert!(names.contains(n), "{n} missing");
    }
    // Every completed checkout points at an existing order with the same amount.
    let mut linked = 0;
    for e in ev.iter().filter(|e| e.name == "checkout_completed") {
        let oid = e.properties["order_id"].as_str().unwrap_or("");
        assert_eq!(Some(&e.properties["amount"].as_f64().unwrap_or(-1.0)), orders.get(oid));
        linked += 1;
    }
    assert!(linked > 500);
    // Urgency and churn wording appear in complaints.
    let all: String = fb.iter().map(|f| f.text.as_str()).collect::<Vec<_>>().join("\n");
    assert!(
        ["12315", "曝光", "销户", "cancel my account", "switch", "再也不"].iter().filter(|w| all.contains(*w)).count()
            >= 3
    );
}

// ------------------------------------------------------------ determinism

#[test]
fn same_seed_same_data_different_seed_different_data() {
    let a = DemoConfig::new(600, 7);
    let b = DemoConfig::new(600, 8);
    let js = |v: serde_json::Result<String>| v.unwrap_or_default();
    let take = |cfg: DemoConfig| -> Vec<String> {
        customers(cfg)
            .take(1_000)
            .map(|x| js(serde_json::to_string(&x)))
            .chain(responses(cfg).take(1_000).map(|x| js(serde_json::to_string(&x))))
            .chain(feedback(cfg).take(1_000).map(|x| js(serde_json::to_string(&x))))
            .chain(odata(cfg).take(1_000).map(|x| js(serde_json::to_string(&x))))
            .chain(events(cfg).take(1_000).map(|x| js(serde_json::to_string(&x))))
            .collect()
    };
    let (x, y, z) = (take(a), take(a), take(b));
    assert_eq!(x, y);
    assert_ne!(x, z);
    let same = x.iter().zip(z.iter()).filter(|(p, q)| p == q).count();
    assert!(same < x.len() / 20, "{same} identical records across seeds");
}

// ------------------------------------------------------------ planted effects

/// Johnson's (2000) relative weights; returns raw weights (sum = R²).
#[allow(clippy::needless_range_loop)] // plain matrix code reads best with indices
fn relative_weights(x: &[Vec<f64>], y: &[f64]) -> Vec<f64> {
    let k = x[0].len();
    let col = |j: usize| x.iter().map(|r| r[j]).collect::<Vec<_>>();
    let corr = |a: &[f64], b: &[f64]| {
        let (ma, mb) = (mean(a), mean(b));
        let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
        for (p, q) in a.iter().zip(b) {
            sab += (p - ma) * (q - mb);
            saa += (p - ma) * (p - ma);
            sbb += (q - mb) * (q - mb);
        }
        sab / (saa * sbb).sqrt()
    };
    let cols: Vec<Vec<f64>> = (0..k).map(col).collect();
    let mut rxx = vec![vec![0.0; k]; k];
    for i in 0..k {
        for j in 0..k {
            rxx[i][j] = corr(&cols[i], &cols[j]);
        }
    }
    let rxy: Vec<f64> = cols.iter().map(|c| corr(c, y)).collect();
    // Jacobi eigen-decomposition of the symmetric correlation matrix.
    let mut a = rxx.clone();
    let mut v = vec![vec![0.0; k]; k];
    for (i, row) in v.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for _ in 0..100 {
        for p in 0..k {
            for q in p + 1..k {
                if a[p][q].abs() < 1e-14 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for r in 0..k {
                    let (arp, arq) = (a[r][p], a[r][q]);
                    a[r][p] = c * arp - s * arq;
                    a[r][q] = s * arp + c * arq;
                }
                for r in 0..k {
                    let (apr, aqr) = (a[p][r], a[q][r]);
                    a[p][r] = c * apr - s * aqr;
                    a[q][r] = s * apr + c * aqr;
                }
                for r in 0..k {
                    let (vrp, vrq) = (v[r][p], v[r][q]);
                    v[r][p] = c * vrp - s * vrq;
                    v[r][q] = s * vrp + c * vrq;
                }
            }
        }
    }
    let lam: Vec<f64> = (0..k).map(|i| a[i][i]).collect();
    let mat = |f: &dyn Fn(f64) -> f64| {
        let mut m = vec![vec![0.0; k]; k];
        for i in 0..k {
            for j in 0..k {
                m[i][j] = (0..k).map(|e| v[i][e] * f(lam[e]) * v[j][e]).sum();
            }
        }
        m
    };
    let half = mat(&|l| l.sqrt());
    let inv_half = mat(&|l| 1.0 / l.sqrt());
    let beta: Vec<f64> = (0..k).map(|i| (0..k).map(|j| inv_half[i][j] * rxy[j]).sum()).collect();
    (0..k).map(|j| (0..k).map(|e| half[j][e] * half[j][e] * beta[e] * beta[e]).sum()).collect()
}

#[test]
fn planted_1_delivery_is_strongest_driver() {
    let keys = ["r_delivery", "r_quality", "r_price", "r_staff", "r_app"];
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for r in data().responses.iter().filter(|r| r.survey == SURVEY_NPS) {
        let row: Vec<f64> = keys.iter().filter_map(|k| num(r, k)).collect();
        if row.len() == keys.len()
            && let Some(n) = num(r, "nps")
        {
            x.push(row);
            y.push(n);
        }
    }
    let w = relative_weights(&x, &y);
    let r2: f64 = w.iter().sum();
    eprintln!("relative weights {w:?}, R² {r2:.3}");
    assert!((0.25..0.8).contains(&r2), "R² {r2}");
    assert!(w[0] > w[1] && w[1] > w[2] && w[2] > w[4], "order {w:?}");
    assert!(w.iter().skip(1).all(|v| *v < w[0]), "delivery largest {w:?}");
    assert!(w[4] == w.iter().copied().fold(f64::INFINITY, f64::min), "app weakest {w:?}");
    assert!(w[0] / r2 > 0.3, "delivery share {}", w[0] / r2);
}

#[test]
fn planted_2_detractors_repurchase_less() {
    let d = data();
    let mut first: HashMap<String, (i64, f64)> = HashMap::new();
    for r in &d.responses {
        let c = r.customer_external_id.clone().unwrap_or_default();
        if let Some(n) = num(r, "nps") {
            first.entry(c).or_insert((r.submitted_at, n));
        }
    }
    // (orders after first response, days observed, amounts)
    let mut per: HashMap<String, (f64, Vec<f64>)> = HashMap::new();
    for o in odata(d.cfg).filter(|o| o.kind == ODataKind::Order) {
        let c = o.customer_external_id.clone().unwrap_or_default();
        if let Some((at, _)) = first.get(&c)
            && o.occurred_at > *at
        {
            let e = per.entry(c).or_default();
            e.0 += 1.0;
            e.1.push(o.amount);
        }
    }
    let mut rate = [Vec::new(), Vec::new()];
    let mut amount = [Vec::new(), Vec::new()];
    for (c, (at, nps)) in &first {
        let g = if *nps >= 9.0 {
            0
        } else if *nps <= 6.0 {
            1
        } else {
            continue;
        };
        let days = ((d.cfg.now_ms - at) as f64 / DAY_MS as f64).max(1.0);
        if days < 30.0 {
            continue;
        }
        let (n, am) = per.get(c).cloned().unwrap_or_default();
        rate[g].push(n / days * 30.0);
        amount[g].extend(am);
    }
    let (rp, rd) = (mean(&rate[0]), mean(&rate[1]));
    let (ap, ad) = (mean(&amount[0]), mean(&amount[1]));
    eprintln!("orders/30d promoters {rp:.3} detractors {rd:.3}; amount {ap:.1} vs {ad:.1}");
    assert!(rp > 1.6 * rd, "order rate {rp} vs {rd}");
    assert!(ap > 1.15 * ad, "amount {ap} vs {ad}");
}

#[test]
fn planted_3_return_refund_ces_drops_in_last_30_days() {
    let d = data();
    let cut = d.cfg.now_ms - 30 * DAY_MS;
    let mut by = [[Vec::new(), Vec::new()], [Vec::new(), Vec::new()]]; // [return_refund?][recent?]
    for r in d.responses.iter().filter(|r| r.survey == SURVEY_RATER) {
        if let Some(c) = num(r, "ces") {
            let rr = usize::from(r.touchpoint.as_deref() == Some("return_refund"));
            by[rr][usize::from(r.submitted_at >= cut)].push(c);
        }
    }
    let drop = mean(&by[1][0]) - mean(&by[1][1]);
    let other = mean(&by[0][0]) - mean(&by[0][1]);
    eprintln!("return_refund CES drop {drop:.2} (n recent {}), other service touchpoints {other:.2}", by[1][1].len());
    assert!(by[1][1].len() >= 30);
    assert!((0.5..1.6).contains(&drop), "drop {drop}");
    assert!(other.abs() < 0.3, "other {other}");
}

#[test]
fn planted_4_ta_customers_spend_more() {
    let d = data();
    let ta: HashSet<&str> = d
        .customers
        .iter()
        .filter(|c| c.segments.iter().any(|s| s == SEGMENT_TA))
        .map(|c| c.external_id.as_str())
        .collect();
    let mut spend: HashMap<String, f64> = HashMap::new();
    for o in odata(d.cfg).filter(|o| o.kind == ODataKind::Order) {
        *spend.entry(o.customer_external_id.clone().unwrap_or_default()).or_default() += o.amount;
    }
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for c in &d.customers {
        let s = spend.get(&c.external_id).copied().unwrap_or(0.0);
        if ta.contains(c.external_id.as_str()) { a.push(s) } else { b.push(s) }
    }
    let ratio = mean(&a) / mean(&b);
    eprintln!("annual spend TA {:.0} vs non-TA {:.0} (×{ratio:.2})", mean(&a), mean(&b));
    assert!(ratio > 1.5, "ratio {ratio}");
}

#[test]
fn planted_5_negative_chinese_text_mentions_delivery_more() {
    let d = data();
    let mut hits = [(0usize, 0usize), (0usize, 0usize)]; // zh, en: (mentions, total)
    for r in d.responses.iter().filter(|r| r.survey == SURVEY_NPS && num(r, "nps").is_some_and(|n| n <= 6.0)) {
        if let (Some(t), Some(lang)) = (text(r, "comment"), r.language) {
            let i = usize::from(lang == Language::En);
            hits[i].1 += 1;
            hits[i].0 += usize::from(mentions_delivery(t, lang));
        }
    }
    let zh = hits[0].0 as f64 / hits[0].1 as f64;
    let en = hits[1].0 as f64 / hits[1].1 as f64;
    eprintln!("negative comments mentioning delivery: zh {zh:.3} (n {}), en {en:.3} (n {})", hits[0].1, hits[1].1);
    assert!(zh - en > 0.12, "zh {zh} en {en}");
}

#[test]
fn planted_6_damaged_packaging_is_rising() {
    let d = data();
    let cut = d.cfg.now_ms - 21 * DAY_MS;
    let mut share = [(0usize, 0usize), (0usize, 0usize)]; // [earlier, recent]
    for f in feedback(d.cfg) {
        let lang = f.language.unwrap_or(Language::En);
        let neg = f.source == cxm_core::model::FeedbackSource::Complaint || f.rating.is_some_and(|x| x <= 3.0);
        if !neg {
            continue;
        }
        let i = usize::from(f.occurred_at >= cut);
        share[i].1 += 1;
        share[i].0 += usize::from(mentions_packaging(&f.text, lang));
    }
    let early = share[0].0 as f64 / share[0].1 as f64;
    let late = share[1].0 as f64 / share[1].1 as f64;
    eprintln!(
        "packaging share of negative reviews+complaints: earlier {early:.3} (n {}), last 21 days {late:.3} (n {})",
        share[0].1, share[1].1
    );
    assert!(late > 2.5 * early && late > 0.15, "early {early} late {late}");
    // Also visible in survey comments.
    let mut sc = [(0usize, 0usize), (0usize, 0usize)];
    for r in d.responses.iter().filter(|r| num(r, "nps").is_some_and(|n| n <= 8.0)) {
        if let (Some(t), Some(lang)) = (text(r, "comment"), r.language) {
            let i = usize::from(r.submitted_at >= cut);
            sc[i].1 += 1;
            sc[i].0 += usize::from(mentions_packaging(t, lang));
        }
    }
    let (e2, l2) = (sc[0].0 as f64 / sc[0].1 as f64, sc[1].0 as f64 / sc[1].1 as f64);
    eprintln!("packaging share of non-promoter comments: earlier {e2:.3}, last 21 days {l2:.3}");
    assert!(l2 > 2.0 * e2, "comments early {e2} late {l2}");
}

// ------------------------------------------------------------ CSV layout

#[test]
fn csv_rows_follow_the_header() {
    let s = setup();
    let d = data();
    for sv in &s.surveys {
        let header = responses_csv_header(sv);
        assert_eq!(&header[..7], RESPONSE_CSV_FIXED);
        for r in d.responses.iter().filter(|r| r.survey == sv.key).take(200) {
            let row = response_csv_row(sv, r);
            assert_eq!(row.len(), header.len());
            assert_eq!(parse_rfc3339(&row[6]), Some(r.submitted_at));
            let nps_col = header.iter().position(|h| h == "nps").unwrap_or(0);
            assert_eq!(row[nps_col].parse::<f64>().ok(), num(r, "nps"));
            let line = csv_line(&row);
            assert!(line.starts_with(&r.external_id));
        }
    }
    assert_eq!(csv_line(&["a", "b,c", "say \"hi\""]), "a,\"b,c\",\"say \"\"hi\"\"\"");
}

#[test]
fn rfc3339_round_trip() {
    assert_eq!(format_rfc3339(DEFAULT_NOW_MS), "2025-06-30T00:00:00Z");
    assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00Z");
    assert_eq!(format_rfc3339(951_782_400_123), "2000-02-29T00:00:00.123Z");
    assert_eq!(format_rfc3339(-1), "1969-12-31T23:59:59.999Z");
    for ms in [0i64, 1, 951_782_400_123, DEFAULT_NOW_MS + 12_345_678, 4_102_444_800_000] {
        assert_eq!(parse_rfc3339(&format_rfc3339(ms)), Some(ms));
    }
    assert_eq!(parse_rfc3339("2025-06-30T08:00:00+08:00"), Some(DEFAULT_NOW_MS));
    assert_eq!(parse_rfc3339("2025-02-29T00:00:00Z"), None);
    assert_eq!(parse_rfc3339("garbage"), None);
    assert_eq!(parse_rfc3339("2025-06-30T00:00:00"), None);
}

#[test]
fn extreme_configs_do_not_panic() {
    for now_ms in [i64::MIN, -1, 0, i64::MAX] {
        for rate in [f64::NAN, -3.0, f64::INFINITY, 0.0, 50.0] {
            let cfg = DemoConfig { customers: 3, seed: u64::MAX, responses_per_customer: rate, now_ms };
            let n = customers(cfg).count()
                + responses(cfg).count()
                + feedback(cfg).count()
                + odata(cfg).count()
                + events(cfg).count();
            assert!(n >= 3);
        }
    }
    assert_eq!(customers(DemoConfig::new(0, 1)).count(), 0);
}

/// `cargo test -p cxm-demo --release -- --ignored --nocapture`
#[test]
#[ignore]
fn speed_one_million_responses() {
    let t0 = std::time::Instant::now();
    let cfg = DemoConfig { customers: 500_000, ..DemoConfig::default() };
    let n = responses(cfg).count();
    let secs = t0.elapsed().as_secs_f64();
    eprintln!("{n} responses in {secs:.2} s");
    assert!(n > 950_000 && secs < 20.0);
}
