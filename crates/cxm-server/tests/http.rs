//! The HTTP layer against a real server on a loopback port, on SQLite and PostgreSQL.

mod common;

use common::*;
use cxm_store::testkit;
use serde_json::Value;

#[tokio::test]
async fn health_openapi_and_security_headers() {
    for t in testkit::all().await {
        let s = start(&t).await;
        let c = client();
        let r = c.get(format!("{}/healthz", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let h = r.headers();
        assert!(h["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
        assert_eq!(h["x-frame-options"], "DENY");
        assert_eq!(r.json::<Value>().await.unwrap()["database"], "ok");
        let doc: Value = c.get(format!("{}/api/v1/openapi.json", s.base)).send().await.unwrap().json().await.unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        for path in ["/api/v1/overview", "/api/v1/import/{kind}", "/healthz"] {
            assert!(doc["paths"].get(path).is_some(), "{path} missing from OpenAPI");
        }
        drop(s);
        t.finish().await;
    }
}

#[tokio::test]
async fn login_logout_and_csrf() {
    for t in testkit::all().await {
        let s = start(&t).await;
        let c = client();
        // Not logged in: the app redirects, the API answers 401 with a problem body.
        let r = c.get(format!("{}/app/", s.base)).send().await.unwrap();
        assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().unwrap()), (303, "/app/login"));
        let r = c.get(format!("{}/api/v1/overview", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(r.headers()["content-type"], "application/problem+json");

        let page = get_text(&c, &format!("{}/app/login?lang=en", s.base)).await;
        assert!(page.contains("Sign in"));
        let csrf = csrf_field(&page);
        // A forged form (wrong CSRF) is refused and logs nobody in.
        let r = c
            .post(format!("{}/app/login", s.base))
            .form(&[("email", EMAIL), ("password", PASSWORD), ("csrf", "forged")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        // Each rendering rotates the form token: the old one no longer works.
        let r = c
            .post(format!("{}/app/login", s.base))
            .form(&[("email", EMAIL), ("password", PASSWORD), ("csrf", &csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        // Wrong password: 401 with the message, no session cookie.
        let csrf = csrf_field(&r.text().await.unwrap());
        let r = c
            .post(format!("{}/app/login", s.base))
            .form(&[("email", EMAIL), ("password", "wrong password"), ("csrf", &csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        assert!(r.headers().get_all("set-cookie").iter().all(|v| !v.to_str().unwrap().starts_with("cxm_session=")));
        assert!(r.text().await.unwrap().contains("Wrong email or password"));

        let page = get_text(&c, &format!("{}/app/login", s.base)).await;
        let r = c
            .post(format!("{}/app/login", s.base))
            .form(&[("email", EMAIL), ("password", PASSWORD), ("csrf", &csrf_field(&page))])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let cookie = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|v| v.starts_with("cxm_session="))
            .unwrap();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        let overview = c.get(format!("{}/app/", s.base)).send().await.unwrap();
        assert_eq!(overview.status(), 200);
        let html = overview.text().await.unwrap();
        assert!(html.contains("Ana Lyst"));
        let session_csrf = csrf_field(&html);

        // The API accepts the session for reads, but writes need the CSRF header.
        assert_eq!(c.get(format!("{}/api/v1/overview", s.base)).send().await.unwrap().status(), 200);
        let r = c.post(format!("{}/api/v1/import/events", s.base)).body("{}").send().await.unwrap();
        assert_eq!(r.status(), 403);

        // Language switch needs the token and persists.
        let r =
            c.post(format!("{}/app/locale", s.base)).form(&[("csrf", "nope"), ("locale", "en")]).send().await.unwrap();
        assert_eq!(r.status(), 403);
        let r = c
            .post(format!("{}/app/locale", s.base))
            .form(&[("csrf", session_csrf.as_str()), ("locale", "en")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let html = get_text(&c, &format!("{}/app/", s.base)).await;
        assert!(html.contains("Experience overview"), "English after the switch");

        let r = c.post(format!("{}/app/logout", s.base)).form(&[("csrf", "nope")]).send().await.unwrap();
        assert_eq!(r.status(), 403);
        let r = c.post(format!("{}/app/logout", s.base)).form(&[("csrf", session_csrf.as_str())]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let r = c.get(format!("{}/app/", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 303, "the session ended");
        drop(s);
        t.finish().await;
    }
}

#[tokio::test]
async fn login_is_rate_limited() {
    let t = testkit::sqlite().await.unwrap();
    let s = start(&t).await;
    let c = client();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let page = get_text(&c, &format!("{}/app/login", s.base)).await;
        let r = c
            .post(format!("{}/app/login", s.base))
            .form(&[("email", EMAIL), ("password", "guess guess"), ("csrf", &csrf_field(&page))])
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(&statuses[..10], &[401; 10]);
    assert_eq!(&statuses[10..], &[429, 429]);
    drop(s);
    t.finish().await;
}

#[tokio::test]
async fn bulk_import_api_and_overview_figures() {
    for t in testkit::all().await {
        let s = start(&t).await;
        let ws = s.workspace_id;
        cxm_store::setup::apply_setup(&t.db, ws, &cxm_demo::setup()).await.unwrap();
        let key = cxm_store::auth::create_api_key(&t.db, &s.user, "test").await.unwrap();
        let c = client();
        let url = format!("{}/api/v1/import/responses", s.base);
        // 40 responses at the delivery touchpoint: scores 0..=9 four times.
        let mut body = String::new();
        for i in 0..40 {
            body.push_str(&format!(
                "{{\"external_id\":\"api-{i}\",\"survey\":\"nps_txn\",\"touchpoint\":\"delivery\",\"submitted_at\":\"2026-03-0{}T10:00:00Z\",\"answers\":{{\"nps\":{},\"csat\":{}}}}}\n",
                1 + i % 5,
                i % 10,
                1 + i % 5
            ));
        }
        body.push_str("{\"external_id\":\"bad-1\",\"survey\":\"nps_txn\",\"submitted_at\":\"2026-03-01\",\"answers\":{\"nps\":12}}\n");
        body.push_str("not json\n");
        let r = c.post(&url).bearer_auth(&key).body(body.clone()).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let summary: Value = r.json().await.unwrap();
        assert_eq!((summary["written"].as_u64(), summary["error_count"].as_u64()), (Some(40), Some(2)), "{summary}");
        assert_eq!(summary["errors"][0]["field"], "nps");
        assert_eq!(summary["errors"][1]["line"], 42);
        let again: Value = c.post(&url).bearer_auth(&key).body(body).send().await.unwrap().json().await.unwrap();
        assert_eq!((again["written"].as_u64(), again["duplicates"].as_u64()), (Some(0), Some(40)));

        // Independently: scores 0..9 x4 → promoters {9} = 4, detractors {0..6} = 28, n = 40.
        let overview: Value = c
            .get(format!("{}/api/v1/overview?days=0&lang=en", s.base))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let nps = &overview["total"]["nps"];
        let (p, d, n): (f64, f64, f64) = (4.0 / 40.0, 28.0 / 40.0, 40.0);
        let expected = 100.0 * (p - d);
        let se = 100.0 * ((p + d - (p - d) * (p - d)) / n).sqrt();
        assert!((nps["value"].as_f64().unwrap() - expected).abs() < 1e-9, "{nps}");
        assert!((nps["lower"].as_f64().unwrap() - (expected - 1.96 * se)).abs() < 1e-9, "{nps}");
        assert_eq!(nps["n"], 40);
        assert_eq!(nps["low_base"], false);
        let delivery = overview["touchpoints"].as_array().unwrap().iter().find(|t| t["key"] == "delivery").unwrap();
        assert_eq!(delivery["scores"]["nps"]["n"], 40);
        assert_eq!(delivery["name"], "Delivery");
        // CSAT 1..5 x8: top-2 (4,5) = 16 of 40.
        assert!((overview["total"]["csat"]["value"].as_f64().unwrap() - 40.0).abs() < 1e-9);

        // Bad requests answer 422 naming the field, and change nothing.
        let r = c.post(format!("{}/api/v1/import/widgets", s.base)).bearer_auth(&key).body("{}").send().await.unwrap();
        assert_eq!(r.status(), 422);
        let problem: Value = r.json().await.unwrap();
        assert!(problem["errors"]["kind"][0].as_str().unwrap().contains("unknown import kind"));
        assert_eq!(c.post(&url).bearer_auth(&key).body("").send().await.unwrap().status(), 422);
        assert_eq!(
            c.get(format!("{}/api/v1/overview?days=-3", s.base)).bearer_auth(&key).send().await.unwrap().status(),
            422
        );
        assert_eq!(
            c.get(format!("{}/api/v1/overview", s.base)).bearer_auth("cxm_bad_key").send().await.unwrap().status(),
            401
        );
        assert_eq!(cxm_store::metrics::count_responses(&t.db, ws).await.unwrap(), 40);
        drop(s);
        t.finish().await;
    }
}

#[tokio::test]
async fn overview_page_shows_every_touchpoint_with_intervals() {
    for t in testkit::all().await {
        let s = start(&t).await;
        seed_demo(&t.db, s.workspace_id, 1500).await;
        let c = client();
        let csrf = login(&c, &s.base).await;
        let zh = get_text(&c, &format!("{}/app/?days=365", s.base)).await;
        assert!(zh.contains("title=\"95% 置信区间\""), "translated inside the template macro");
        c.post(format!("{}/app/locale", s.base))
            .form(&[("csrf", csrf.as_str()), ("locale", "en")])
            .send()
            .await
            .unwrap();
        let html = get_text(&c, &format!("{}/app/?days=365", s.base)).await;
        assert!(html.contains("title=\"95% interval\"") && html.contains(">n="), "English inside the macro too");
        let rows = html.matches("data-touchpoint=").count();
        assert_eq!(
            rows,
            cxm_demo::setup().journeys.iter().flat_map(|j| &j.stages).map(|s| s.touchpoints.len()).sum::<usize>()
        );
        assert!(html.contains("id=\"trend-data\""));
        assert!(html.contains("class=\"ci\""));
        let r = c.get(format!("{}/app/?days=99999", s.base)).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let js = c.get(format!("{}/assets/vendor/echarts/echarts.min.js", s.base)).send().await.unwrap();
        assert_eq!(js.status(), 200);
        assert!(js.bytes().await.unwrap().len() > 500_000);
        assert_eq!(c.get(format!("{}/assets/../Cargo.toml", s.base)).send().await.unwrap().status(), 404);
        drop(s);
        t.finish().await;
    }
}
