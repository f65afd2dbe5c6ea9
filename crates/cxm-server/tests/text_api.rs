//! The VoC explorer API (`/api/v1/text/…`) against a real server on SQLite and
//! PostgreSQL: texts enter through the bulk import, the worker analyses them
//! from the job queue, and the aspect rows the explorer counts are planted
//! (stored with a newer taxonomy version), so every figure is hand-computed.

mod common;

use common::*;
use cxm_core::model::Role;
use cxm_store::testkit;
use cxm_store::text::worker::{AnalyzerCache, Step, Worker};
use cxm_store::text::{self, AnalyzedText, SourceKind, TextItem};
use cxm_text::{Analysis, AspectMention, Flag, Lang, Polarity, Sentiment, Span};
use serde_json::{Value, json};
use sqlx::Row;
use std::sync::Arc;

const Z: f64 = 1.959_963_984_540_054;

/// Wilson 95 % interval, written out here independently of cxm-core.
fn wilson(k: f64, n: f64) -> (f64, f64) {
    let p = k / n;
    let denom = 1.0 + Z * Z / n;
    let center = (p + Z * Z / (2.0 * n)) / denom;
    let half = Z * (p * (1.0 - p) / n + Z * Z / (4.0 * n * n)).sqrt() / denom;
    (center - half, center + half)
}

fn planted(lang: Lang, aspect: &str, polarity: Polarity, keywords: &[&str]) -> Analysis {
    Analysis {
        lang,
        sentiment: Sentiment { label: polarity, score: 0.0 },
        sentences: vec![],
        aspects: vec![AspectMention {
            aspect: aspect.into(),
            polarity,
            score: 0.0,
            span: Span { start: 0, end: 4, text: "evid".into() },
            term: aspect.into(),
        }],
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
        urgency: Flag::default(),
        churn_risk: Flag::default(),
    }
}

/// 40 reviews at `delivery` (March 1–5, 2026: 10 negative, 10 positive, 20
/// neutral about delivery) and 3 without touchpoint (negative about price),
/// imported through the API, analysed by the worker, then planted.
async fn seed(t: &testkit::TestDb, s: &TestServer, key: &str) {
    let c = client();
    let mut body = String::new();
    for i in 0..40 {
        body.push_str(&format!(
            "{{\"external_id\":\"d{i}\",\"source\":\"review\",\"text\":\"delivery review {i}\",\"touchpoint\":\"delivery\",\"channel\":\"app\",\"occurred_at\":\"2026-03-0{}T10:00:00Z\"}}\n",
            1 + i % 5
        ));
    }
    for i in 0..3 {
        body.push_str(&format!(
            "{{\"external_id\":\"p{i}\",\"source\":\"complaint\",\"text\":\"价格太贵了 {i}\",\"occurred_at\":\"2026-03-05T12:00:00Z\"}}\n"
        ));
    }
    let r = c.post(format!("{}/api/v1/import/feedback", s.base)).bearer_auth(key).body(body).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["written"], 43);
    // The import enqueued the analysis; the worker runs it from the queue.
    let worker = Worker::new(t.db.clone(), Arc::new(AnalyzerCache::new())).with_threads(2);
    assert!(matches!(worker.step(None).await.unwrap(), Step::Done { .. }));
    assert_eq!(worker.step(None).await.unwrap(), Step::Idle);
    assert_eq!(text::count_analyses(&t.db, s.workspace_id).await.unwrap(), 43);

    let rows = sqlx::query(
        "SELECT id, external_id, text, COALESCE(touchpoint_id, 0), channel, occurred_at FROM feedback_items ORDER BY id",
    )
    .fetch_all(&t.db.pool)
    .await
    .unwrap();
    let analyses: Vec<AnalyzedText> = rows
        .iter()
        .map(|r| {
            let ext: String = r.get(1);
            let i: usize = ext[1..].parse().unwrap();
            let analysis = if ext.starts_with('d') {
                let polarity = match i % 4 {
                    0 => Polarity::Negative,
                    1 => Polarity::Positive,
                    _ => Polarity::Neutral,
                };
                // "parcel" only in the last two days (March 4–5).
                let keywords: &[&str] = if i % 5 >= 3 { &["parcel", "courier"] } else { &["courier"] };
                planted(Lang::En, "delivery", polarity, keywords)
            } else {
                planted(Lang::Zh, "price", Polarity::Negative, &["贵"])
            };
            AnalyzedText {
                item: TextItem {
                    workspace_id: s.workspace_id,
                    source_kind: SourceKind::Feedback,
                    source_id: r.get(0),
                    field: String::new(),
                    touchpoint_id: r.get(3),
                    channel: r.get(4),
                    occurred_at: r.get(5),
                    text: r.get(2),
                },
                analysis,
                taxonomy_version: 99,
            }
        })
        .collect();
    assert_eq!(text::save_analyses(&t.db, &analyses).await.unwrap(), 43);
}

fn problem_field(body: &Value, field: &str) -> String {
    body["errors"][field][0].as_str().unwrap_or_else(|| panic!("no error for {field}: {body}")).to_string()
}

#[tokio::test]
async fn explorer_endpoints_report_hand_counted_figures() {
    for t in testkit::all().await {
        let s = start(&t).await;
        cxm_store::setup::apply_setup(&t.db, s.workspace_id, &cxm_demo::setup()).await.unwrap();
        let key = cxm_store::auth::create_api_key(&t.db, &s.user, "test").await.unwrap();
        seed(&t, &s, &key).await;
        let c = client();
        let base = format!("{}/api/v1/text", s.base);

        let (status, body) = api_get(&c, &format!("{base}/aspects?from=2026-03-01&to=2026-03-31"), &key).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!((body["from"].as_str(), body["to"].as_str()), (Some("2026-03-01"), Some("2026-03-31")));
        let aspects = body["aspects"].as_array().unwrap();
        assert_eq!(aspects.len(), 2, "{body}");
        let d = &aspects[0];
        assert_eq!(d["aspect"], "delivery", "most mentioned first");
        assert!(!d["name"].as_str().unwrap().is_empty());
        assert_eq!(
            (d["n"].as_i64(), d["positive"].as_i64(), d["neutral"].as_i64(), d["negative"].as_i64()),
            (Some(40), Some(10), Some(20), Some(10))
        );
        assert_eq!(d["net_sentiment"].as_f64(), Some(0.0));
        let (lo, hi) = wilson(10.0, 40.0);
        assert!((d["negative_share"]["value"].as_f64().unwrap() - 0.25).abs() < 1e-12);
        assert!((d["negative_share"]["lower"].as_f64().unwrap() - lo).abs() < 1e-9, "{d}");
        assert!((d["negative_share"]["upper"].as_f64().unwrap() - hi).abs() < 1e-9, "{d}");
        assert_eq!(d["low_base"], false);
        let p = &aspects[1];
        assert_eq!((p["aspect"].as_str(), p["n"].as_i64(), p["negative"].as_i64()), (Some("price"), Some(3), Some(3)));
        assert_eq!(p["net_sentiment"].as_f64(), Some(-1.0));
        assert_eq!(p["low_base"], true, "n = 3 < 30");

        // Filters.
        let only = |body: &Value| {
            body["aspects"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["aspect"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        let (_, b) =
            api_get(&c, &format!("{base}/aspects?from=2026-03-01&to=2026-03-31&touchpoint=delivery"), &key).await;
        assert_eq!(only(&b), vec!["delivery"]);
        let (_, b) = api_get(&c, &format!("{base}/aspects?from=2026-03-01&to=2026-03-31&touchpoint=none"), &key).await;
        assert_eq!(only(&b), vec!["price"]);
        let (_, b) = api_get(&c, &format!("{base}/aspects?from=2026-03-01&to=2026-03-31&lang=zh"), &key).await;
        assert_eq!(only(&b), vec!["price"]);
        let (_, b) = api_get(&c, &format!("{base}/aspects?from=2026-03-01&to=2026-03-31&channel=app"), &key).await;
        assert_eq!(only(&b), vec!["delivery"]);
        let (_, b) = api_get(&c, &format!("{base}/aspects?from=2026-03-01&to=2026-03-31&source=response"), &key).await;
        assert!(only(&b).is_empty());
        let (_, b) = api_get(&c, &format!("{base}/aspects?from=2026-03-05&to=2026-03-05"), &key).await;
        assert_eq!(b["aspects"][0]["n"], 8, "delivery reviews on March 5: i % 5 == 4");
        // Default period: the 90 days up to the last day with text.
        let (_, b) = api_get(&c, &format!("{base}/aspects"), &key).await;
        assert_eq!(b["to"], "2026-03-05");
        assert_eq!(b["aspects"][0]["n"], 40);
        for (query, field) in [
            ("touchpoint=nowhere", "touchpoint"),
            ("lang=fr", "lang"),
            ("channel=pigeon", "channel"),
            ("source=tweets", "source"),
            ("from=2026-04-01&to=2026-03-01", "from"),
            ("to=yesterday", "to"),
        ] {
            let (status, b) = api_get(&c, &format!("{base}/aspects?{query}"), &key).await;
            assert_eq!(status, 422, "{query}: {b}");
            assert!(!problem_field(&b, field).is_empty());
        }

        // Weekly trend: the weeks add up to the period's counts.
        let (status, b) =
            api_get(&c, &format!("{base}/trend?aspect=delivery&from=2026-02-01&to=2026-03-31"), &key).await;
        assert_eq!(status, 200, "{b}");
        let weeks = b["weeks"].as_array().unwrap();
        assert_eq!(weeks.iter().map(|w| w["n"].as_i64().unwrap()).sum::<i64>(), 40);
        assert_eq!(weeks.iter().map(|w| w["negative"].as_i64().unwrap()).sum::<i64>(), 10);
        // Weeks end on `to` (March 31): March 1–3 fall in Feb 25–Mar 3, March 4–5 in Mar 4–10.
        assert_eq!(
            weeks.iter().map(|w| w["period_start"].as_str().unwrap()).collect::<Vec<_>>(),
            vec!["2026-02-25", "2026-03-04"]
        );
        assert_eq!(weeks[0]["n"], 24);
        let (status, b) = api_get(&c, &format!("{base}/trend"), &key).await;
        assert_eq!(status, 422);
        assert!(problem_field(&b, "aspect").contains("required"));

        let (status, b) = api_get(&c, &format!("{base}/matrix?from=2026-03-01&to=2026-03-31"), &key).await;
        assert_eq!(status, 200);
        let cells: Vec<(String, Value, i64)> = b["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["aspect"].as_str().unwrap().to_string(), c["touchpoint"].clone(), c["n"].as_i64().unwrap()))
            .collect();
        assert_eq!(cells, vec![("delivery".into(), json!("delivery"), 40), ("price".into(), Value::Null, 3)]);

        // Verbatims: newest first, paged, with the evidence and the whole text.
        let (status, b) = api_get(
            &c,
            &format!("{base}/verbatims?aspect=delivery&polarity=negative&from=2026-03-01&to=2026-03-31&limit=3"),
            &key,
        )
        .await;
        assert_eq!(status, 200, "{b}");
        assert_eq!((b["total"].as_i64(), b["items"].as_array().unwrap().len()), (Some(10), 3));
        let first = &b["items"][0];
        assert!(first["text"].as_str().unwrap().starts_with("delivery review "), "{first}");
        assert_eq!(first["touchpoint"], "delivery");
        assert_eq!(first["evidence"][0]["polarity"], "negative");
        assert_eq!(
            (first["evidence"][0]["start"].as_u64(), first["evidence"][0]["span"].as_str()),
            (Some(0), Some("evid"))
        );
        let times: Vec<&str> =
            b["items"].as_array().unwrap().iter().map(|v| v["occurred_at"].as_str().unwrap()).collect();
        assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
        let (_, b) = api_get(
            &c,
            &format!(
                "{base}/verbatims?aspect=delivery&polarity=negative&from=2026-03-01&to=2026-03-31&limit=3&offset=9"
            ),
            &key,
        )
        .await;
        assert_eq!(b["items"].as_array().unwrap().len(), 1);
        for (query, field) in [
            ("aspect=delivery&polarity=angry", "polarity"),
            ("aspect=delivery&limit=0", "limit"),
            ("polarity=negative", "aspect"),
        ] {
            let (status, b) = api_get(&c, &format!("{base}/verbatims?{query}"), &key).await;
            assert_eq!(status, 422, "{query}");
            problem_field(&b, field);
        }

        // Emerging terms: the last 2 days (March 4–5) against the 8 before.
        let (status, b) = api_get(&c, &format!("{base}/emerging?days=2"), &key).await;
        assert_eq!(status, 200, "{b}");
        assert_eq!(
            (b["current"]["from"].as_str(), b["current"]["to"].as_str()),
            (Some("2026-03-04"), Some("2026-03-05"))
        );
        assert_eq!(
            (b["baseline"]["from"].as_str(), b["baseline"]["to"].as_str()),
            (Some("2026-02-24"), Some("2026-03-03"))
        );
        assert_eq!((b["current"]["documents"].as_i64(), b["baseline"]["documents"].as_i64()), (Some(19), Some(24)));
        // Tested: parcel and courier (16 current texts each; 贵 is in 3 < 5). Only parcel
        // rose: 16/19 now against 0/24 before. Pooled z written out here.
        assert_eq!(b["tested"].as_u64(), Some(2), "{b}");
        let terms = b["terms"].as_array().unwrap();
        assert_eq!(terms.len(), 1, "courier fell from 24/24 to 16/19 and is not listed: {b}");
        let parcel = &terms[0];
        assert_eq!(
            (parcel["term"].as_str(), parcel["current"].as_u64(), parcel["baseline"].as_u64(), parcel["new"].as_bool()),
            (Some("parcel"), Some(16), Some(0), Some(true))
        );
        let pooled: f64 = 16.0 / 43.0;
        let z = (16.0 / 19.0) / (pooled * (1.0 - pooled) * (1.0 / 19.0 + 1.0 / 24.0)).sqrt();
        assert!((parcel["z"].as_f64().unwrap() - z).abs() < 1e-9, "z {z}: {parcel}");
        assert!(parcel["q"].as_f64().unwrap() < 1e-4 && parcel["q"].as_f64().unwrap() >= parcel["p"].as_f64().unwrap());
        // The filters narrow the texts compared: without a touchpoint only the 3 price texts remain.
        let (status, b) = api_get(&c, &format!("{base}/emerging?days=2&touchpoint=none"), &key).await;
        assert_eq!((status, b["current"]["documents"].as_i64(), b["tested"].as_u64()), (200, Some(3), Some(0)), "{b}");
        assert_eq!(api_get(&c, &format!("{base}/emerging?days=0"), &key).await.0, 422);

        let (status, b) = api_get(&c, &format!("{base}/status"), &key).await;
        assert_eq!(status, 200);
        assert_eq!(
            (b["analysed"].as_i64(), b["pending_jobs"].as_i64(), b["last_day"].as_str()),
            (Some(43), Some(0), Some("2026-03-05"))
        );

        // Nothing is unmatched: every planted text has an aspect.
        let (status, b) = api_get(&c, &format!("{base}/unmatched?from=2026-03-01&to=2026-03-31"), &key).await;
        assert_eq!((status, b.as_array().map(Vec::len)), (200, Some(0)));

        // Without credentials: 401 problem bodies everywhere.
        for path in [
            "taxonomy",
            "aspects",
            "trend?aspect=delivery",
            "matrix",
            "verbatims?aspect=delivery",
            "emerging",
            "unmatched",
            "suggestions",
            "flagged",
            "status",
        ] {
            let r = c.get(format!("{base}/{path}")).send().await.unwrap();
            assert_eq!(r.status(), 401, "{path}");
            assert_eq!(r.headers()["content-type"], "application/problem+json");
        }
        assert_eq!(c.post(format!("{base}/analyze")).json(&json!({"text": "hi"})).send().await.unwrap().status(), 401);
        assert_eq!(c.put(format!("{base}/taxonomy")).body("{}").send().await.unwrap().status(), 401);
        drop(s);
        t.finish().await;
    }
}

#[tokio::test]
async fn analyze_and_taxonomy_endpoints_validate_and_need_csrf_with_cookies() {
    for t in testkit::all().await {
        let s = start(&t).await;
        let key = cxm_store::auth::create_api_key(&t.db, &s.user, "test").await.unwrap();
        let c = client();
        let base = format!("{}/api/v1/text", s.base);

        let r = c
            .post(format!("{base}/analyze"))
            .bearer_auth(&key)
            .json(&json!({"text": "送货太慢了，客服也不理人"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let a: Value = r.json().await.unwrap();
        assert_eq!(a["lang"], "zh");
        for field in ["sentiment", "aspects", "keywords", "urgency", "churn_risk"] {
            assert!(a.get(field).is_some(), "{field}: {a}");
        }
        let r = c
            .post(format!("{base}/analyze"))
            .bearer_auth(&key)
            .json(&json!({"text": "ok", "lang": "en"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.json::<Value>().await.unwrap()["lang"], "en");
        for (body, field) in [
            (json!({"lang": "en"}), "text"),
            (json!({"text": "x", "lang": "fr"}), "lang"),
            (json!({"text": 5}), "body"),
        ] {
            let r = c.post(format!("{base}/analyze")).bearer_auth(&key).json(&body).send().await.unwrap();
            assert_eq!(r.status(), 422, "{body}");
            problem_field(&r.json().await.unwrap(), field);
        }
        let r = c.post(format!("{base}/analyze")).bearer_auth(&key).body("not json").send().await.unwrap();
        assert_eq!(r.status(), 422);
        let big = "a".repeat((1 << 20) + 1);
        let r = c.post(format!("{base}/analyze")).bearer_auth(&key).json(&json!({ "text": big })).send().await.unwrap();
        assert_eq!(r.status(), 413);
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        // Analysing stores nothing.
        assert_eq!(text::count_analyses(&t.db, s.workspace_id).await.unwrap(), 0);

        // Taxonomy: the default is version 0; a bad one is refused naming the field.
        let (status, got) = api_get(&c, &format!("{base}/taxonomy"), &key).await;
        assert_eq!((status, got["version"].as_i64()), (200, Some(0)));
        let mut taxonomy = got["taxonomy"].clone();
        taxonomy["aspects"][2]["rater"] = json!("speed");
        let r = c.put(format!("{base}/taxonomy")).bearer_auth(&key).json(&taxonomy).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let problem: Value = r.json().await.unwrap();
        assert!(problem_field(&problem, "aspects[2].rater").contains("rater"), "{problem}");
        let mut missing = got["taxonomy"].clone();
        missing["aspects"][0].as_object_mut().unwrap().remove("name_en");
        let r = c.put(format!("{base}/taxonomy")).bearer_auth(&key).json(&missing).send().await.unwrap();
        assert_eq!(r.status(), 422);
        assert!(problem_field(&r.json().await.unwrap(), "body").contains("name_en"));
        assert_eq!(api_get(&c, &format!("{base}/taxonomy"), &key).await.1["version"], 0, "nothing changed");

        // A viewer cannot change it.
        let hash = cxm_server::auth::hash_password("viewer password").unwrap();
        cxm_store::auth::create_user(&t.db, s.workspace_id, "viewer@example.com", "Vi", &hash, Role::Viewer)
            .await
            .unwrap();
        let viewer = cxm_store::auth::user_by_email(&t.db, "viewer@example.com").await.unwrap().unwrap();
        let viewer_key = cxm_store::auth::create_api_key(&t.db, &viewer, "v").await.unwrap();
        let r = c.put(format!("{base}/taxonomy")).bearer_auth(&viewer_key).json(&got["taxonomy"]).send().await.unwrap();
        assert_eq!(r.status(), 403);

        // Cookie sessions: writes need the CSRF header.
        let cookie_client = client();
        let csrf = login(&cookie_client, &s.base).await;
        let r = cookie_client.put(format!("{base}/taxonomy")).json(&got["taxonomy"]).send().await.unwrap();
        assert_eq!(r.status(), 403);
        let r = cookie_client.post(format!("{base}/analyze")).json(&json!({"text": "hi"})).send().await.unwrap();
        assert_eq!(r.status(), 403);
        let r = cookie_client
            .post(format!("{base}/analyze"))
            .header("x-csrf-token", &csrf)
            .json(&json!({"text": "hi"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(cookie_client.get(format!("{base}/aspects")).send().await.unwrap().status(), 200);
        let r = cookie_client
            .put(format!("{base}/taxonomy"))
            .header("x-csrf-token", &csrf)
            .json(&got["taxonomy"])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let saved: Value = r.json().await.unwrap();
        assert_eq!((saved["version"].as_i64(), saved["reanalysis_queued"].as_bool()), (Some(1), Some(true)));
        assert_eq!(api_get(&c, &format!("{base}/taxonomy"), &key).await.1["version"], 1);
        let jobs: i64 = sqlx::query("SELECT COUNT(*) FROM jobs WHERE kind = 'text.reanalyze'")
            .fetch_one(&t.db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(jobs, 1, "the change queued a re-analysis");

        // Every route is in the OpenAPI document.
        let doc: Value = c.get(format!("{}/api/v1/openapi.json", s.base)).send().await.unwrap().json().await.unwrap();
        for path in [
            "taxonomy",
            "aspects",
            "trend",
            "matrix",
            "verbatims",
            "emerging",
            "unmatched",
            "suggestions",
            "analyze",
            "status",
        ] {
            assert!(doc["paths"].get(format!("/api/v1/text/{path}")).is_some(), "{path} missing from OpenAPI");
        }
        assert!(doc["paths"]["/api/v1/text/taxonomy"].get("put").is_some());
        drop(s);
        t.finish().await;
    }
}
