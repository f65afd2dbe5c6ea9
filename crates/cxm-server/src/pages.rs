//! The web app's pages: login, logout, language switch, overview, assets.

use crate::auth::{self, PRE_CSRF_COOKIE, SESSION_COOKIE, SESSION_TTL_MS, WebUser, same_token, set_cookie};
use crate::error::{AppError, AppResult};
use crate::i18n::{Locale, t};
use crate::{AppState, overview};
use axum::Router;
use axum::extract::{ConnectInfo, Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::net::SocketAddr;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/app/") }))
        .route("/app", get(|| async { Redirect::to("/app/") }))
        .route("/app/", get(overview_page))
        .route("/app/login", get(login_page).post(login))
        .route("/app/logout", post(logout))
        .route("/app/locale", post(switch_locale))
        .route("/assets/{*path}", get(asset))
}

pub(crate) fn render(state: &AppState, name: &str, locale: Locale, ctx: minijinja::Value) -> AppResult<Html<String>> {
    // `locale` in the context is what the `t` function translates into.
    let ctx = minijinja::context! { locale => locale.code(), ..ctx };
    Ok(Html(state.templates.get_template(name)?.render(ctx)?))
}

fn page_locale(headers: &HeaderMap, query: Option<&str>) -> Locale {
    query
        .and_then(Locale::parse)
        .or_else(|| auth::cookie(headers, "cxm_lang").as_deref().and_then(Locale::parse))
        .unwrap_or_else(|| {
            Locale::from_accept_language(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
        })
}

#[derive(Deserialize)]
struct LoginQuery {
    lang: Option<String>,
}

async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> AppResult<Response> {
    let locale = page_locale(&headers, q.lang.as_deref());
    login_form(&state, locale, None, "").await
}

async fn login_form(state: &AppState, locale: Locale, error: Option<String>, email: &str) -> AppResult<Response> {
    let csrf = cxm_store::random_token(16)?;
    let status = if error.is_some() { StatusCode::UNAUTHORIZED } else { StatusCode::OK };
    let html = render(
        state,
        "login.html",
        locale,
        minijinja::context! { locale => locale.code(), other_locale => locale.other().code(), csrf => &csrf, error, email, user => () },
    )?;
    let mut resp = (status, html).into_response();
    let cookies = [
        set_cookie(PRE_CSRF_COOKIE, &csrf, 3600, state.config.secure_cookies),
        set_cookie("cxm_lang", locale.code(), 365 * 86400, state.config.secure_cookies),
    ];
    for c in cookies {
        if let Ok(v) = c.parse() {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(resp)
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    csrf: String,
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let locale = page_locale(&headers, None);
    if state.login_limiter.check(peer.ip()).is_err() {
        let mut resp = login_form(&state, locale, Some(t(locale, "login.rate_limited")), &form.email).await?;
        *resp.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        return Ok(resp);
    }
    let expected = auth::cookie(&headers, PRE_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same_token(&expected, &form.csrf) {
        let mut resp = login_form(&state, locale, Some(t(locale, "login.csrf")), &form.email).await?;
        *resp.status_mut() = StatusCode::FORBIDDEN;
        return Ok(resp);
    }
    let user = cxm_store::auth::user_by_email(&state.db, &form.email).await?;
    // Verify against a dummy hash for unknown users so timing does not reveal who exists.
    let hash = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| DUMMY_HASH.to_string());
    let password = form.password.clone();
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash)).await.unwrap_or(false);
    let Some(user) = user.filter(|_| ok) else {
        tracing::info!(email = %form.email, "failed login");
        return login_form(&state, locale, Some(t(locale, "login.failed")), &form.email).await;
    };
    let (token, _csrf) = cxm_store::auth::create_session(&state.db, user.id, SESSION_TTL_MS).await?;
    cxm_store::auth::audit(
        &state.db,
        user.workspace_id,
        Some(user.id),
        "login",
        &serde_json::json!({"ip": peer.ip().to_string()}),
    )
    .await?;
    let mut resp = Redirect::to("/app/").into_response();
    let cookie = set_cookie(SESSION_COOKIE, &token, SESSION_TTL_MS / 1000, state.config.secure_cookies);
    resp.headers_mut().append(header::SET_COOKIE, cookie.parse().map_err(|_| AppError::Internal("cookie".into()))?);
    Ok(resp)
}

/// A valid Argon2 hash of a random string, for constant-time failure paths.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3Lr6BSs3m2N6Fa4/9ckmVS9WzgnvHSdHuJtf5u6yT+E";

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
    locale: Option<String>,
}

pub(crate) fn check_csrf(session: &cxm_store::auth::Session, sent: &str) -> AppResult<()> {
    if same_token(&session.csrf_token, sent) { Ok(()) } else { Err(AppError::Forbidden("invalid CSRF token".into())) }
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    WebUser(session): WebUser,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    check_csrf(&session, &form.csrf)?;
    if let Some(token) = auth::cookie(&headers, SESSION_COOKIE) {
        cxm_store::auth::delete_session(&state.db, &token).await?;
    }
    let mut resp = Redirect::to("/app/login").into_response();
    let cookie = set_cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies);
    resp.headers_mut().append(header::SET_COOKIE, cookie.parse().map_err(|_| AppError::Internal("cookie".into()))?);
    Ok(resp)
}

async fn switch_locale(
    State(state): State<AppState>,
    headers: HeaderMap,
    WebUser(session): WebUser,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    check_csrf(&session, &form.csrf)?;
    let locale = form
        .locale
        .as_deref()
        .and_then(Locale::parse)
        .ok_or_else(|| AppError::validation("locale", "must be zh or en"))?;
    cxm_store::auth::set_locale(&state.db, session.user.id, locale.code()).await?;
    Ok(Redirect::to(&back_to(&headers)).into_response())
}

/// The app page the request came from (its Referer), so switching the
/// language keeps the user where they were; only paths under `/app/`.
fn back_to(headers: &HeaderMap) -> String {
    let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok()).unwrap_or("");
    let path = match referer.find("://") {
        Some(i) => referer[i + 3..].find('/').map(|j| &referer[i + 3 + j..]).unwrap_or("/"),
        None => referer,
    };
    let safe =
        path.starts_with("/app/") && !path.contains("//") && !path.contains('\\') && !path.starts_with("/app/login");
    if safe { path.to_string() } else { "/app/".to_string() }
}

#[derive(Deserialize)]
struct OverviewQuery {
    days: Option<i64>,
}

async fn overview_page(
    State(state): State<AppState>,
    WebUser(session): WebUser,
    Query(q): Query<OverviewQuery>,
) -> AppResult<Html<String>> {
    let locale = user_locale(&session);
    let days = q.days.unwrap_or(90);
    if !(0..=3660).contains(&days) {
        return Err(AppError::validation("days", "must be between 0 and 3660"));
    }
    let overview = overview::build(&state.db, state.workspace_id, days, locale == Locale::Zh).await?;
    render(
        &state,
        "overview.html",
        locale,
        minijinja::context! {
            overview => minijinja::Value::from(minijinja::value::Serde(&overview)),
            ..session_context(&session, locale, "overview")
        },
    )
}

/// The locale of a signed-in user's pages.
pub(crate) fn user_locale(session: &cxm_store::auth::Session) -> Locale {
    Locale::parse(&session.user.locale).unwrap_or(Locale::Zh)
}

/// What every signed-in page's frame (base.html) needs.
pub(crate) fn session_context(session: &cxm_store::auth::Session, locale: Locale, page: &str) -> minijinja::Value {
    minijinja::context! {
        locale => locale.code(), other_locale => locale.other().code(), csrf => &session.csrf_token,
        user => minijinja::context! { name => &session.user.name, email => &session.user.email },
        page => page,
    }
}

struct Asset {
    path: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset { path: "app.css", mime: "text/css; charset=utf-8", body: include_bytes!("../assets/app.css") },
    Asset {
        path: "overview.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/overview.js"),
    },
    Asset { path: "voc.js", mime: "text/javascript; charset=utf-8", body: include_bytes!("../assets/voc.js") },
    Asset {
        path: "vendor/echarts/echarts.min.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/vendor/echarts/echarts.min.js"),
    },
    Asset {
        path: "vendor/echarts/LICENSE",
        mime: "text/plain; charset=utf-8",
        body: include_bytes!("../assets/vendor/echarts/LICENSE"),
    },
    Asset {
        path: "vendor/echarts/NOTICE",
        mime: "text/plain; charset=utf-8",
        body: include_bytes!("../assets/vendor/echarts/NOTICE"),
    },
];

async fn asset(axum::extract::Path(path): axum::extract::Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.path == path) {
        Some(a) => {
            ([(header::CONTENT_TYPE, a.mime), (header::CACHE_CONTROL, "public, max-age=3600")], a.body).into_response()
        }
        None => AppError::NotFound(format!("asset '{path}'")).into_response(),
    }
}
