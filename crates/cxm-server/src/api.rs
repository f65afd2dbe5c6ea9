//! REST API under /api/v1 (JSON; OpenAPI document at /api/v1/openapi.json).

use crate::auth::ApiUser;
use crate::error::{AppError, AppResult};
use crate::{AppState, overview};
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use cxm_store::import::{ImportKind, ImportReport, Importer};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "cxm API",
        description = "Self-hosted customer experience management. Authenticate with `Authorization: Bearer <API key>` (create one with `cxm user apikey`)."
    ),
    paths(healthz, get_overview, bulk_import),
    components(schemas(
        Health,
        overview::Overview,
        overview::Scores,
        overview::Estimate,
        overview::TouchpointScores,
        overview::TrendPoint,
        ImportSummary,
        RowErrorBody
    ))
)]
pub struct ApiDoc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/overview", get(get_overview))
        .route("/import/{kind}", post(bulk_import))
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::voc::VocDoc::openapi());
    Json(doc)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    status: String,
    database: String,
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn healthz(State(state): State<AppState>) -> (axum::http::StatusCode, Json<Health>) {
    let ok = sqlx::query("SELECT 1").execute(&state.db.pool).await.is_ok();
    let status = if ok { axum::http::StatusCode::OK } else { axum::http::StatusCode::SERVICE_UNAVAILABLE };
    (
        status,
        Json(Health {
            status: if ok { "ok" } else { "degraded" }.into(),
            database: if ok { "ok" } else { "unreachable" }.into(),
        }),
    )
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct OverviewParams {
    /// Days up to the last day with data; 0 = all data. Default 90.
    days: Option<i64>,
    /// Names in `zh` or `en`. Default: the caller's locale.
    lang: Option<String>,
}

/// NPS, CSAT and CES in total and per touchpoint with 95 % intervals, base sizes
/// and significance against the rest; weekly NPS trend.
#[utoipa::path(get, path = "/api/v1/overview", params(OverviewParams), responses((status = 200, body = overview::Overview), (status = 401), (status = 422)))]
async fn get_overview(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<OverviewParams>,
) -> AppResult<Json<overview::Overview>> {
    let days = p.days.unwrap_or(90);
    if !(0..=3660).contains(&days) {
        return Err(AppError::validation("days", "must be between 0 and 3660"));
    }
    let zh = match p.lang.as_deref() {
        None => user.locale == "zh",
        Some("zh") => true,
        Some("en") => false,
        Some(other) => return Err(AppError::validation("lang", format!("'{other}' is not zh or en"))),
    };
    Ok(Json(overview::build(&state.db, user.workspace_id, days, zh).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RowErrorBody {
    line: u64,
    field: String,
    reason: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ImportSummary {
    rows_read: u64,
    written: u64,
    duplicates: u64,
    error_count: u64,
    errors: Vec<RowErrorBody>,
}

impl From<ImportReport> for ImportSummary {
    fn from(r: ImportReport) -> Self {
        ImportSummary {
            rows_read: r.rows_read,
            written: r.written,
            duplicates: r.duplicates,
            error_count: r.error_count,
            errors: r
                .errors
                .into_iter()
                .map(|e| RowErrorBody { line: e.line, field: e.field, reason: e.reason })
                .collect(),
        }
    }
}

/// Bulk import of JSON lines (one object per line; the same fields as the CSV
/// import). Good rows are stored, bad rows reported; re-sending adds nothing.
#[utoipa::path(post, path = "/api/v1/import/{kind}", params(("kind" = String, Path, description = "customers, responses, feedback, events or odata")),
    request_body(content = String, content_type = "application/x-ndjson"),
    responses((status = 200, body = ImportSummary), (status = 401), (status = 422), (status = 413)))]
async fn bulk_import(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(kind): Path<String>,
    body: Bytes,
) -> AppResult<Json<ImportSummary>> {
    let kind: ImportKind = kind.parse().map_err(|e: String| AppError::validation("kind", e))?;
    if matches!(user.role, cxm_core::model::Role::Viewer) {
        return Err(AppError::Forbidden("viewers cannot import".into()));
    }
    if body.is_empty() {
        return Err(AppError::validation("body", "empty body: send one JSON object per line"));
    }
    let source = cxm_store::import::source::JsonLinesSource::new(std::io::Cursor::new(body.to_vec()));
    let mut importer = Importer::new(&state.db, user.workspace_id).await?;
    let report = importer.import_source(kind, Box::new(source), None).await?;
    cxm_store::auth::audit(
        &state.db,
        user.workspace_id,
        Some(user.id),
        "import",
        &serde_json::json!({"kind": kind.as_str(), "written": report.written, "errors": report.error_count}),
    )
    .await?;
    Ok(Json(report.into()))
}
