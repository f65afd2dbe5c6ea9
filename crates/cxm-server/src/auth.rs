//! Authentication: Argon2 password hashes, cookie sessions with a CSRF token
//! bound to each session, API keys for integrations, and a login rate limit.

use crate::AppState;
use crate::error::AppError;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use cxm_store::auth::{Session, User};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const SESSION_COOKIE: &str = "cxm_session";
/// Double-submit CSRF cookie for forms shown before login.
pub const PRE_CSRF_COOKIE: &str = "cxm_csrf";
pub const SESSION_TTL_MS: i64 = 12 * 3600 * 1000;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HashError(String);

/// Argon2id hash in PHC string form.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    if password.chars().count() < 8 || password.trim().is_empty() {
        return Err(HashError("passwords need at least 8 characters, not all spaces".into()));
    }
    argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| HashError(format!("password hashing failed: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .is_ok_and(|parsed| argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Value of cookie `name` in the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub fn set_cookie(name: &str, value: &str, max_age_s: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Constant-time comparison for tokens.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A logged-in user of the web app (cookie session).
pub struct WebUser(pub Session);

impl FromRequestParts<AppState> for WebUser {
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let redirect = || axum::response::Redirect::to("/app/login").into_response();
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else { return Err(redirect()) };
        match cxm_store::auth::session(&state.db, &token).await {
            Ok(Some(s)) => Ok(WebUser(s)),
            Ok(None) => Err(redirect()),
            Err(e) => Err(AppError::from(e).into_response()),
        }
    }
}

/// A caller of the REST API: `Authorization: Bearer <api key>`, or a cookie
/// session (then unsafe methods must carry the `X-CSRF-Token` header).
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(auth) = parts.headers.get(axum::http::header::AUTHORIZATION) {
            let key = auth.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).ok_or(AppError::Unauthorized)?;
            return match cxm_store::auth::user_by_api_key(&state.db, key.trim()).await? {
                Some(u) => Ok(ApiUser(u)),
                None => Err(AppError::Unauthorized),
            };
        }
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(AppError::Unauthorized)?;
        let session = cxm_store::auth::session(&state.db, &token).await?.ok_or(AppError::Unauthorized)?;
        if !parts.method.is_safe() {
            let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            if !same_token(sent, &session.csrf_token) {
                return Err(AppError::Forbidden("missing or wrong X-CSRF-Token".into()));
            }
        }
        Ok(ApiUser(session.user))
    }
}

/// Fixed-window limiter per client address (login and other public endpoints).
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    hits: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: Duration) -> RateLimiter {
        RateLimiter { limit, window, hits: Mutex::new(HashMap::new()) }
    }

    /// Counts a hit; `Err(seconds)` when the client must wait.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        let now = Instant::now();
        let Ok(mut hits) = self.hits.lock() else { return Ok(()) };
        if hits.len() > 100_000 {
            hits.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = hits.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        if entry.1 > self.limit {
            Err(self.window.saturating_sub(now.duration_since(entry.0)).as_secs().max(1))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_are_salted() {
        let a = hash_password("correct horse").unwrap();
        let b = hash_password("correct horse").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &a));
        assert!(!verify_password("wrong horse", &a));
        assert!(!verify_password("x", "not a hash"));
        assert!(hash_password("short").is_err());
        assert!(hash_password("          ").is_err());
    }

    #[test]
    fn limiter_blocks_after_limit() {
        let l = RateLimiter::new(2, Duration::from_secs(60));
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(l.check(ip).is_ok() && l.check(ip).is_ok());
        assert!(l.check(ip).is_err());
        assert!(l.check("127.0.0.2".parse().unwrap()).is_ok());
    }

    #[test]
    fn cookies_parse() {
        let mut h = HeaderMap::new();
        h.insert(axum::http::header::COOKIE, "a=1; cxm_session=abc; b=2".parse().unwrap());
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "zzz"), None);
        assert!(same_token("abc", "abc") && !same_token("abc", "abd") && !same_token("abc", "ab"));
    }
}
