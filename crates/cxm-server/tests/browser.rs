//! In a real headless Chromium (Debian `chromium` + `chromium-driver`): log in
//! through the form, see the overview with a drawn chart, then the VoC
//! explorer with its charts and highlighted verbatims. WebDriver is
//! spoken directly over HTTP. With `CI` set, a missing driver is a failure.

mod common;

use common::*;
use cxm_store::text::worker::{AnalyzerCache, Step, Worker};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Driver {
    child: Child,
    base: String,
    session: String,
    http: reqwest::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start() -> Option<Driver> {
        let path = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        if !std::path::Path::new(&path).exists() {
            if std::env::var_os("CI").is_some() {
                panic!("CI is set and chromedriver is missing at {path} (.ci/run installs chromium-driver)");
            }
            eprintln!("note: {path} missing; browser test skipped outside CI");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(&path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let started = Instant::now();
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = std::env::temp_dir().join(format!("cxm_chrome_{}_{port}", std::process::id()));
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1280,1000", format!("--user-data-dir={}", profile.display())]
        }}}});
        let mut driver = Driver { child, base, session: String::new(), http };
        let v = driver.call("POST", "/session", caps).await;
        driver.session = v["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {v}")).to_string();
        Some(driver)
    }

    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = if path == "/session" {
            format!("{}{path}", self.base)
        } else {
            format!("{}/session/{}{path}", self.base, self.session)
        };
        let req = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body),
        };
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        if let Some(err) = v["value"].get("error") {
            panic!("webdriver {method} {path}: {err} {}", v["value"]["message"]);
        }
        v["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url })).await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self.call("POST", "/element", json!({"using": "css selector", "value": css})).await;
        // A W3C element reference is an object with one (long, fixed) key.
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.call("POST", &format!("/element/{id}/value"), json!({ "text": text })).await;
    }

    async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.call("POST", &format!("/element/{id}/click"), json!({})).await;
    }

    async fn script(&self, js: &str) -> Value {
        self.call("POST", "/execute/sync", json!({"script": js, "args": []})).await
    }

    async fn screenshot(&self, path: &std::path::Path) {
        use base64::Engine;
        let v = self.call("GET", "/screenshot", Value::Null).await;
        let png = base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }
}

/// Waits until the chart script has marked `#id` as drawn; the points drawn.
async fn wait_rendered(d: &Driver, id: &str) -> usize {
    let started = Instant::now();
    let js = format!("var e = document.getElementById('{id}'); return e ? e.getAttribute('data-rendered') : null;");
    loop {
        if let Some(n) = d.script(&js).await.as_str() {
            return n.parse::<usize>().unwrap();
        }
        assert!(started.elapsed() < Duration::from_secs(20), "#{id} was not drawn");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Pixels with any paint on the chart's canvas.
async fn canvas_pixels(d: &Driver, id: &str) -> u64 {
    let js = format!(
        "var c = document.querySelector('#{id} canvas'); if (!c) return 0; \
         var x = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, n = 0; \
         for (var i = 3; i < x.length; i += 4) {{ if (x[i] > 0) n++; }} return n;"
    );
    d.script(&js).await.as_u64().unwrap()
}

#[tokio::test]
async fn log_in_and_see_the_overview_with_a_drawn_chart() {
    let t = cxm_store::testkit::sqlite().await.unwrap();
    let s = start(&t).await;
    seed_demo(&t.db, s.workspace_id, 2000).await;
    let Some(d) = Driver::start().await else { return };
    d.goto(&format!("{}/app/", s.base)).await;
    let url = d.call("GET", "/url", Value::Null).await;
    assert!(url.as_str().unwrap().ends_with("/app/login"), "unauthenticated visit goes to login: {url}");
    d.type_into("#email", EMAIL).await;
    d.type_into("#password", PASSWORD).await;
    d.click("#login-submit").await;

    // The chart script marks the container once ECharts has drawn it.
    let rendered = wait_rendered(&d, "trend-chart").await;
    assert!(rendered >= 10, "weekly points drawn: {rendered}");
    let painted = canvas_pixels(&d, "trend-chart").await;
    assert!(painted > 2000, "the canvas has drawn pixels: {painted}");
    let rows = d.script("return document.querySelectorAll('#touchpoints tbody tr').length;").await.as_u64().unwrap();
    assert_eq!(rows, 15);
    let nps = d.script("return document.querySelector('#kpi-nps .value').textContent;").await;
    assert!(nps.as_str().unwrap().trim().parse::<f64>().is_ok(), "{nps}");
    let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("overview.png");
    d.screenshot(&shot).await;
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);

    // The VoC explorer over the demo's open answers, analysed from the job queue.
    let worker = Worker::new(t.db.clone(), Arc::new(AnalyzerCache::new())).with_threads(2);
    while worker.step(None).await.unwrap() != Step::Idle {}
    d.click("nav a[href='/app/voc']").await;
    let aspects = wait_rendered(&d, "aspect-chart").await;
    let rows = d.script("return document.querySelectorAll('#aspects tbody tr').length;").await.as_u64().unwrap();
    assert_eq!(aspects as u64, rows);
    assert!(rows >= 8, "the demo's texts touch most default aspects: {rows}");
    assert!(canvas_pixels(&d, "aspect-chart").await > 2000);
    let cells = d.script("return document.querySelectorAll('#matrix td a').length;").await.as_u64().unwrap();
    assert!(cells >= 15, "aspect x touchpoint cells: {cells}");
    // Drill down into the most mentioned aspect: its weekly trend and the verbatims.
    d.click("#aspects tbody tr:first-child th a").await;
    let weeks = wait_rendered(&d, "trend-chart").await;
    assert!(weeks >= 8, "weekly points: {weeks}");
    assert!(canvas_pixels(&d, "trend-chart").await > 2000);
    let marks = d.script("return document.querySelectorAll('.verbatim mark').length;").await.as_u64().unwrap();
    assert!(marks >= 10, "each verbatim highlights its evidence: {marks}");
    let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("voc.png");
    d.screenshot(&shot).await;
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);
    d.call("DELETE", "", Value::Null).await;
    drop(s);
    t.finish().await;
}
