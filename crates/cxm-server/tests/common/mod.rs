//! A real server on a loopback port over a real database, for tests.
#![allow(dead_code)]

use cxm_core::model::Role;
use cxm_store::import::{ImportReport, Importer, Record};
use cxm_store::{Db, testkit::TestDb};

pub const EMAIL: &str = "analyst@example.com";
pub const PASSWORD: &str = "correct horse battery";

pub struct TestServer {
    pub base: String,
    pub workspace_id: i64,
    pub user: cxm_store::auth::User,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn start(t: &TestDb) -> TestServer {
    let state = cxm_server::AppState::new(t.db.clone(), cxm_server::ServerConfig::default()).await.unwrap();
    let ws = state.workspace_id;
    let hash = cxm_server::auth::hash_password(PASSWORD).unwrap();
    cxm_store::auth::create_user(&t.db, ws, EMAIL, "Ana Lyst", &hash, Role::Analyst).await.unwrap();
    let user = cxm_store::auth::user_by_email(&t.db, EMAIL).await.unwrap().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = cxm_server::serve(state, listener).await;
    });
    TestServer { base, workspace_id: ws, user, task }
}

/// The demo company, small, through the import path.
pub async fn seed_demo(db: &Db, ws: i64, customers: usize) {
    cxm_store::setup::apply_setup(db, ws, &cxm_demo::setup()).await.unwrap();
    let cfg = cxm_demo::DemoConfig { customers, seed: 3, ..cxm_demo::DemoConfig::default() };
    let mut importer = Importer::new(db, ws).await.unwrap();
    let mut report = ImportReport::default();
    let records: Vec<(u64, Record)> = cxm_demo::customers(cfg)
        .map(Record::Customer)
        .chain(cxm_demo::responses(cfg).map(Record::Response))
        .enumerate()
        .map(|(i, r)| (i as u64, r))
        .collect();
    importer.write(records, &mut report).await.unwrap();
    assert_eq!(report.error_count, 0, "{:?}", report.errors.first());
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// The hidden CSRF field of a form in `html`.
pub fn csrf_field(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).map(|i| i + marker.len()).expect("a csrf field");
    html[start..].split('"').next().unwrap().to_string()
}

/// Logs in through the form; returns the overview page's CSRF token.
pub async fn login(c: &reqwest::Client, base: &str) -> String {
    let page = c.get(format!("{base}/app/login")).send().await.unwrap().text().await.unwrap();
    let resp = c
        .post(format!("{base}/app/login"))
        .form(&[("email", EMAIL), ("password", PASSWORD), ("csrf", &csrf_field(&page))])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303, "login should redirect");
    let overview = c.get(format!("{base}/app/")).send().await.unwrap().text().await.unwrap();
    csrf_field(&overview)
}

/// GET with an API key: the status and the JSON body (Null when not JSON).
/// The body of a GET (a page), as text.
pub async fn get_text(c: &reqwest::Client, url: &str) -> String {
    c.get(url).send().await.unwrap().text().await.unwrap()
}

pub async fn api_get(c: &reqwest::Client, url: &str, key: &str) -> (u16, serde_json::Value) {
    let r = c.get(url).bearer_auth(key).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}
