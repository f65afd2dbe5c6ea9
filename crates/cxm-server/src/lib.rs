//! cxm-server: the HTTP layer — web app, REST API with OpenAPI, health.
//!
//! Architecture invariant: only this crate knows about HTTP, cookies, HTML
//! and JSON shapes; it calls cxm-store for data and cxm-core for math.

pub mod api;
pub mod auth;
pub mod error;
pub mod i18n;
pub mod overview;
pub mod pages;
pub mod voc;
pub mod voc_pages;

use axum::Router;
use axum::http::{HeaderValue, header};
use cxm_store::Db;
use std::sync::Arc;
use std::time::Duration;
use tower_http::set_header::SetResponseHeaderLayer;

#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub workspace: String,
    pub secure_cookies: bool,
    /// Largest accepted request body (bulk import), bytes.
    pub max_body_bytes: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig { workspace: "default".into(), secure_cookies: false, max_body_bytes: 64 << 20 }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub workspace_id: i64,
    pub config: Arc<ServerConfig>,
    pub templates: Arc<minijinja::Environment<'static>>,
    pub login_limiter: Arc<auth::RateLimiter>,
    /// Text analyzers per workspace taxonomy version (shared with the text worker).
    pub analyzers: Arc<cxm_store::text::worker::AnalyzerCache>,
}

fn templates() -> minijinja::Environment<'static> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.add_function("t", |state: &minijinja::State, key: &str| {
        let locale =
            state.lookup("locale").and_then(|v| v.as_str().and_then(i18n::Locale::parse)).unwrap_or(i18n::Locale::Zh);
        i18n::t(locale, key)
    });
    for (name, source) in [
        ("base.html", include_str!("../templates/base.html")),
        ("login.html", include_str!("../templates/login.html")),
        ("overview.html", include_str!("../templates/overview.html")),
        ("voc.html", include_str!("../templates/voc.html")),
        ("taxonomy.html", include_str!("../templates/taxonomy.html")),
    ] {
        if let Err(e) = env.add_template(name, source) {
            // Templates are compiled in; a broken one is a build defect caught by tests.
            tracing::error!("template {name}: {e}");
        }
    }
    env
}

impl AppState {
    pub async fn new(db: Db, config: ServerConfig) -> cxm_store::Result<AppState> {
        let workspace_id = cxm_store::setup::ensure_workspace(&db, &config.workspace, &config.workspace).await?;
        Ok(AppState {
            db,
            workspace_id,
            config: Arc::new(config),
            templates: Arc::new(templates()),
            login_limiter: Arc::new(auth::RateLimiter::new(10, Duration::from_secs(300))),
            analyzers: Arc::new(cxm_store::text::worker::AnalyzerCache::new()),
        })
    }
}

pub fn router(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    Router::new()
        .merge(pages::routes())
        .merge(voc_pages::routes())
        .nest("/api/v1", api::routes().merge(voc::routes()))
        .route("/healthz", axum::routing::get(api::healthz))
        .with_state(state)
        .layer(axum::extract::DefaultBodyLimit::max(max_body))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(tower_http::trace::TraceLayer::new_for_http())
}

/// Serves until ctrl-c / SIGTERM.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
