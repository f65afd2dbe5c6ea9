//! The VoC explorer and taxonomy editor pages against a real server on SQLite
//! and PostgreSQL: texts enter through the bulk import, the worker analyses
//! them from the job queue, and the pages must show what the REST API reports.

mod common;

use common::*;
use cxm_core::model::Role;
use cxm_store::testkit;
use cxm_store::text::worker::{AnalyzerCache, Step, Worker};
use serde_json::Value;
use std::sync::Arc;

const TEXTS: &[(&str, &str, &str)] = &[
    ("物流太慢了，等了一个星期<script>alert(1)</script>", "delivery", "2026-03-02"),
    ("快递很快，包装也很好", "delivery", "2026-03-03"),
    ("The delivery was late and the courier was rude.", "delivery", "2026-03-04"),
    ("价格太贵了，不值这个价", "", "2026-03-05"),
    ("店员态度很好，很耐心", "store_visit", "2026-03-05"),
    ("再不处理我就打12315", "call_centre", "2026-03-06"),
    ("I am closing my account and switching to another bank.", "call_centre", "2026-03-06"),
];

async fn seed(t: &testkit::TestDb, s: &TestServer, key: &str) {
    cxm_store::setup::apply_setup(&t.db, s.workspace_id, &cxm_demo::setup()).await.unwrap();
    let mut body = String::new();
    for (i, (text, tp, day)) in TEXTS.iter().enumerate() {
        let row = serde_json::json!({"external_id": format!("t{i}"), "source": "review", "text": text,
            "touchpoint": tp, "channel": "app", "occurred_at": format!("{day}T10:00:00Z")});
        let mut row = row;
        if tp.is_empty() {
            row.as_object_mut().unwrap().remove("touchpoint");
        }
        body.push_str(&format!("{row}\n"));
    }
    let r =
        client().post(format!("{}/api/v1/import/feedback", s.base)).bearer_auth(key).body(body).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let worker = Worker::new(t.db.clone(), Arc::new(AnalyzerCache::new())).with_threads(2);
    while worker.step(None).await.unwrap() != Step::Idle {}
}

/// The JSON of a `<script type="application/json" id="…">` block.
fn json_block(html: &str, id: &str) -> Value {
    let marker = format!("id=\"{id}\">");
    let start = html.find(&marker).map(|i| i + marker.len()).unwrap_or_else(|| panic!("no #{id}"));
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[tokio::test]
async fn explorer_page_shows_what_the_api_reports_with_escaped_highlighted_verbatims() {
    for t in testkit::all().await {
        let s = start(&t).await;
        let key = cxm_store::auth::create_api_key(&t.db, &s.user, "test").await.unwrap();
        seed(&t, &s, &key).await;
        let c = client();
        login(&c, &s.base).await;
        let period = "from=2026-03-01&to=2026-03-31";

        let page = c.get(format!("{}/app/voc?{period}", s.base)).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        let api: Value = api_get(&c, &format!("{}/api/v1/text/aspects?{period}", s.base), &key).await.1;
        assert_eq!(json_block(&html, "aspect-data"), api["aspects"], "the chart draws the API's figures");
        let delivery = api["aspects"].as_array().unwrap().iter().find(|a| a["aspect"] == "delivery").unwrap();
        assert_eq!(delivery["n"], 3, "{delivery}");
        assert!(html.contains("<tr data-aspect=\"delivery\">"));
        assert!(html.contains("data-touchpoint=\"delivery\""), "matrix column for the delivery touchpoint");
        assert!(!html.contains("id=\"verbatims\""), "no verbatims before an aspect is chosen");

        // Drill down: the negative delivery texts, evidence highlighted, the customer's markup escaped.
        let html = get_text(&c, &format!("{}/app/voc?{period}&aspect=delivery&polarity=negative", s.base)).await;
        let api: Value =
            api_get(&c, &format!("{}/api/v1/text/verbatims?{period}&aspect=delivery&polarity=negative", s.base), &key)
                .await
                .1;
        let total = api["total"].as_u64().unwrap();
        assert!(total >= 1, "{api}");
        let section = html.split("id=\"verbatims\"").nth(1).unwrap().split("</section>").next().unwrap();
        assert_eq!(section.matches("<li class=\"verbatim\">").count() as u64, total);
        assert_eq!(section.matches("<mark class=\"negative\"").count() as u64, total, "one negative mark per text");
        for item in api["items"].as_array().unwrap() {
            let span = item["evidence"][0]["span"].as_str().unwrap();
            let escaped = span
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#x27;")
                .replace('/', "&#x2f;");
            assert!(html.contains(&escaped), "evidence {span:?} shown");
        }
        assert!(!html.contains("<script>alert"), "customer text is escaped");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
        let weeks = json_block(&html, "trend-data");
        let mentions: u64 = weeks.as_array().unwrap().iter().map(|w| w["n"].as_u64().unwrap()).sum();
        assert_eq!(mentions, 3, "weekly mentions add up to the aspect's: {weeks}");

        // Urgent and churn-risk texts, with the trigger words marked.
        for (kind, trigger) in [("urgency", "12315"), ("churn", "closing my account")] {
            let api: Value = api_get(&c, &format!("{}/api/v1/text/flagged?{period}&kind={kind}", s.base), &key).await.1;
            assert_eq!((api["total"].as_i64(), api["texts"].as_i64()), (Some(1), Some(TEXTS.len() as i64)), "{api}");
            assert!(
                api["items"][0]["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["span"].as_str().unwrap().contains(trigger)),
                "{api}"
            );
            let section =
                html.split(&format!("id=\"flagged-{kind}\"")).nth(1).unwrap().split("</section>").next().unwrap();
            assert!(section.contains("<mark class=\"flag\">"), "{section}");
            assert_eq!(section.matches("<li class=\"verbatim\">").count(), 1);
        }
        let r = c.get(format!("{}/api/v1/text/flagged?kind=angry", s.base)).bearer_auth(&key).send().await.unwrap();
        assert_eq!(r.status(), 422);

        // Emerging terms and suggestions render; a bad filter explains itself and still shows the page.
        assert!(html.contains("id=\"emerging\"") && html.contains("id=\"suggestions\""));
        let r = c.get(format!("{}/app/voc?from=yesterday", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"voc-problem\"") && html.contains("yesterday"), "{html}");
        // The filter form keeps what was chosen.
        let html = get_text(&c, &format!("{}/app/voc?channel=app&lang=zh&source=feedback", s.base)).await;
        for chosen in [
            "<option value=\"app\" selected>",
            "<option value=\"zh\" selected>",
            "<option value=\"feedback\" selected>",
        ] {
            assert!(html.contains(chosen), "{chosen}");
        }
        // Signed out: to the login page.
        let r = client().get(format!("{}/app/voc", s.base)).send().await.unwrap();
        assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().unwrap()), (303, "/app/login"));
        drop(s);
        t.finish().await;
    }
}

#[tokio::test]
async fn taxonomy_editor_saves_a_new_version_validates_and_checks_role_and_csrf() {
    for t in testkit::all().await {
        let s = start(&t).await;
        let key = cxm_store::auth::create_api_key(&t.db, &s.user, "test").await.unwrap();
        let c = client();
        login(&c, &s.base).await;
        let url = format!("{}/app/voc/taxonomy", s.base);
        let html = get_text(&c, &url).await;
        assert!(html.contains("name=\"a0.key\" value=\"price\""), "the default taxonomy is shown");
        let csrf = csrf_field(&html);
        let before: Value = api_get(&c, &format!("{}/api/v1/text/taxonomy", s.base), &key).await.1;
        assert_eq!(before["version"], 0);

        // The form as the browser sends it: every aspect, plus a new one in the blank row.
        let aspects = before["taxonomy"]["aspects"].as_array().unwrap();
        let join =
            |v: &Value| v.as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect::<Vec<_>>().join("\r\n");
        let mut form: Vec<(String, String)> = vec![("csrf".into(), csrf.clone())];
        for (i, a) in aspects.iter().enumerate() {
            for f in ["key", "name_zh", "name_en"] {
                form.push((format!("a{i}.{f}"), a[f].as_str().unwrap().into()));
            }
            form.push((format!("a{i}.rater"), a["rater"].as_str().unwrap_or("").into()));
            for f in ["touchpoints", "terms_zh", "terms_en", "exclude"] {
                form.push((format!("a{i}.{f}"), join(&a[f])));
            }
        }
        let n = aspects.len();
        form.extend([
            (format!("a{n}.key"), "parking".to_string()),
            (format!("a{n}.name_zh"), "停车".to_string()),
            (format!("a{n}.name_en"), "Parking".to_string()),
            (format!("a{n}.rater"), "tangibles".to_string()),
            (format!("a{n}.terms_zh"), "停车场，车位".to_string()),
            (format!("a{n}.terms_en"), "parking\ncar park".to_string()),
            (format!("a{n}.touchpoints"), "store_visit".to_string()),
            ("dictionary".into(), "小米之家".into()),
        ]);

        // Invalid first: a rater outside RATER is refused, naming the aspect, and nothing is stored.
        let mut bad = form.clone();
        bad.iter_mut().find(|(k, _)| k == "a0.rater").unwrap().1 = "speed".into();
        let r = c.post(&url).form(&bad).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("price · rater"), "{html}");
        assert!(html.contains("value=\"parking\""), "the user's input is kept");
        // Without the CSRF token: refused.
        let mut no_csrf = form.clone();
        no_csrf[0].1 = "forged".into();
        assert_eq!(c.post(&url).form(&no_csrf).send().await.unwrap().status(), 403);
        let still: Value = api_get(&c, &format!("{}/api/v1/text/taxonomy", s.base), &key).await.1;
        assert_eq!(still["version"], 0, "refused saves change nothing");

        let r = c.post(&url).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/app/voc/taxonomy?saved=1");
        let after: Value = api_get(&c, &format!("{}/api/v1/text/taxonomy", s.base), &key).await.1;
        assert_eq!(after["version"], 1);
        let saved = after["taxonomy"]["aspects"].as_array().unwrap();
        assert_eq!(&saved[..n], &aspects[..], "existing aspects round-trip through the form unchanged");
        assert_eq!(saved[n]["key"], "parking");
        assert_eq!(saved[n]["terms_zh"], serde_json::json!(["停车场", "车位"]));
        assert_eq!(saved[n]["terms_en"], serde_json::json!(["parking", "car park"]));
        assert_eq!(after["taxonomy"]["dictionary"], serde_json::json!(["小米之家"]));
        let html = get_text(&c, &format!("{url}?saved=1")).await;
        assert!(html.contains("id=\"taxonomy-notice\""));

        // Deleting an aspect.
        let mut del = form.clone();
        del.push((format!("a{n}.delete"), "on".into()));
        assert_eq!(c.post(&url).form(&del).send().await.unwrap().status(), 303);
        let after: Value = api_get(&c, &format!("{}/api/v1/text/taxonomy", s.base), &key).await.1;
        assert_eq!((after["version"].as_i64(), after["taxonomy"]["aspects"].as_array().unwrap().len()), (Some(2), n));

        // The language switch returns to the page it came from.
        let r = c
            .post(format!("{}/app/locale", s.base))
            .header("referer", format!("{url}?saved=1"))
            .form(&[("csrf", csrf.as_str()), ("locale", "en")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["location"], "/app/voc/taxonomy?saved=1");

        // A viewer sees the taxonomy read-only and cannot save it.
        let hash = cxm_server::auth::hash_password("viewer password 1").unwrap();
        cxm_store::auth::create_user(&t.db, s.workspace_id, "viewer@example.com", "Vi", &hash, Role::Viewer)
            .await
            .unwrap();
        let v = client();
        let page = get_text(&v, &format!("{}/app/login", s.base)).await;
        let r = v
            .post(format!("{}/app/login", s.base))
            .form(&[("email", "viewer@example.com"), ("password", "viewer password 1"), ("csrf", &csrf_field(&page))])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let html = get_text(&v, &url).await;
        assert!(!html.contains("id=\"taxonomy-save\"") && html.contains("disabled"));
        let mut as_viewer = form.clone();
        as_viewer[0].1 = csrf_field(&html);
        assert_eq!(v.post(&url).form(&as_viewer).send().await.unwrap().status(), 403);
        drop(s);
        t.finish().await;
    }
}
