//! One error type for the HTTP layer: each variant maps to one status. API
//! routes answer with a JSON problem body; internal errors are logged with
//! context and answered generically (no SQL or stack traces leak).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("authentication required")]
    Unauthorized,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("invalid {field}: {message}")]
    Validation { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    #[error("too many requests; retry after {0} s")]
    RateLimited(u64),
    #[error("payload too large: {0}")]
    TooLarge(String),
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    pub fn validation(field: &str, message: impl Into<String>) -> AppError {
        AppError::Validation { field: field.to_string(), message: message.into() }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<cxm_store::StoreError> for AppError {
    fn from(e: cxm_store::StoreError) -> AppError {
        use cxm_store::StoreError as S;
        match e {
            S::NotFound(what) => AppError::NotFound(what),
            S::Invalid(message) => AppError::validation("body", message),
            S::Conflict(message) => AppError::Conflict(message),
            S::Taxonomy(e) => AppError::validation("taxonomy", e.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<minijinja::Error> for AppError {
    fn from(e: minijinja::Error) -> AppError {
        AppError::Internal(format!("template: {e:#}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let AppError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let mut body = json!({
            "type": "about:blank",
            "title": status.canonical_reason().unwrap_or("error"),
            "status": status.as_u16(),
            "detail": self.to_string(),
        });
        if let AppError::Validation { field, message } = &self {
            body["errors"] = json!({ field: [message] });
        }
        let mut resp = (status, [(axum::http::header::CONTENT_TYPE, "application/problem+json")], body.to_string())
            .into_response();
        if let AppError::RateLimited(secs) = self
            && let Ok(v) = axum::http::HeaderValue::from_str(&secs.to_string())
        {
            resp.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
        resp
    }
}

pub type AppResult<T> = Result<T, AppError>;
