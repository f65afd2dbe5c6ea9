//! The VoC (客户原声) explorer API under `/api/v1/text/…`: the workspace's
//! aspect taxonomy, aspect × polarity counts with intervals, weekly trends,
//! the aspect × touchpoint matrix, verbatims with evidence, emerging terms,
//! texts no aspect matched, and analysis of a posted text (not stored).
//!
//! Reads come from the stored analyses (`cxm_store::text`); nothing here
//! analyses stored texts — that runs through the job queue.

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use cxm_core::model::{Channel, Role};
use cxm_core::stats::share_from_counts;
use cxm_store::auth::User;
use cxm_store::text::{self as store, AspectCounts, SourceKind, TextFilter, VerbatimQuery};
use cxm_text::topics::{self, EmergingOptions, SuggestOptions, TermCounts};
use cxm_text::{Analysis, LangHint, Polarity, Taxonomy, TaxonomyError, TextError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        get_taxonomy,
        put_taxonomy,
        get_aspects,
        get_trend,
        get_matrix,
        get_verbatims,
        get_emerging,
        get_unmatched,
        get_suggestions,
        get_flagged,
        post_analyze,
        get_status
    ),
    components(schemas(
        TaxonomyBody,
        TaxonomySaved,
        Share,
        AspectStats,
        AspectRow,
        AspectsBody,
        TrendPointBody,
        TrendBody,
        MatrixCellBody,
        MatrixBody,
        Evidence,
        TextBody,
        VerbatimBody,
        VerbatimsBody,
        EmergingTerm,
        Window,
        EmergingBody,
        UnmatchedBody,
        SuggestionBody,
        SuggestionsBody,
        FlagReasonBody,
        FlaggedBody,
        FlaggedListBody,
        AnalyzeRequest,
        TextStatus
    ))
)]
pub struct VocDoc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/text/taxonomy", get(get_taxonomy).put(put_taxonomy))
        .route("/text/aspects", get(get_aspects))
        .route("/text/trend", get(get_trend))
        .route("/text/matrix", get(get_matrix))
        .route("/text/verbatims", get(get_verbatims))
        .route("/text/emerging", get(get_emerging))
        .route("/text/unmatched", get(get_unmatched))
        .route("/text/suggestions", get(get_suggestions))
        .route("/text/flagged", get(get_flagged))
        .route("/text/analyze", post(post_analyze))
        .route("/text/status", get(get_status))
}

/// Day number → `YYYY-MM-DD`.
use crate::overview::day_string;

fn parse_day(field: &str, value: &str) -> AppResult<i64> {
    cxm_store::import::parse::parse_time(value)
        .map(cxm_store::day_of)
        .map_err(|_| AppError::validation(field, format!("'{value}' is not a date (use YYYY-MM-DD)")))
}

// ---------------------------------------------------------------- taxonomy

#[derive(Serialize, utoipa::ToSchema)]
pub struct TaxonomyBody {
    /// 0 = the bundled default (the workspace has stored none).
    pub(crate) version: i64,
    /// `{aspects: [{key, name_zh, name_en, rater, touchpoints, terms_zh, terms_en, exclude}], dictionary: [..]}`.
    #[schema(value_type = Object)]
    pub(crate) taxonomy: Taxonomy,
    pub(crate) created_at: Option<String>,
}

/// The workspace's current aspect taxonomy.
#[utoipa::path(get, path = "/api/v1/text/taxonomy", responses((status = 200, body = TaxonomyBody), (status = 401)))]
async fn get_taxonomy(State(state): State<AppState>, ApiUser(user): ApiUser) -> AppResult<Json<TaxonomyBody>> {
    let stored = store::taxonomy(&state.db, user.workspace_id).await?;
    Ok(Json(TaxonomyBody {
        version: stored.version,
        taxonomy: stored.taxonomy,
        created_at: stored.created_at.map(cxm_store::import::parse::format_rfc3339),
    }))
}

/// The field of a taxonomy at fault, as a path (`aspects[3].rater`).
fn taxonomy_field(t: &Taxonomy, e: &TaxonomyError) -> String {
    let at = |key: &str| t.aspects.iter().rposition(|a| a.key == key).map(|i| format!("aspects[{i}]"));
    let path = |key: &str, field: &str| at(key).map(|a| format!("{a}.{field}")).unwrap_or_else(|| "aspects".into());
    match e {
        TaxonomyError::Json(_) => "body".into(),
        TaxonomyError::BadKey { index, .. } => format!("aspects[{index}].key"),
        TaxonomyError::DuplicateKey(key) => path(key, "key"),
        TaxonomyError::MissingName { key, field } => path(key, field),
        TaxonomyError::BadRater { key, .. } => path(key, "rater"),
        TaxonomyError::NoTerms(key) => path(key, "terms_zh"),
        TaxonomyError::BadTerm { key, term } => {
            let list = t.aspects.iter().rfind(|a| &a.key == key).map(|a| {
                if a.terms_zh.contains(term) {
                    "terms_zh"
                } else if a.terms_en.contains(term) {
                    "terms_en"
                } else {
                    "exclude"
                }
            });
            path(key, list.unwrap_or("terms_zh"))
        }
        TaxonomyError::TooMany(_) => "aspects".into(),
    }
}

fn can_configure(user: &User) -> AppResult<()> {
    match user.role {
        Role::Admin | Role::Analyst => Ok(()),
        _ => Err(AppError::Forbidden("only admins and analysts change the taxonomy".into())),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TaxonomySaved {
    pub(crate) version: i64,
    /// True: the workspace's texts are re-analysed in the background (job `text.reanalyze`).
    pub(crate) reanalysis_queued: bool,
}

/// Replaces the workspace taxonomy (validated first; a new version). The
/// stored texts are re-analysed by the job queue.
#[utoipa::path(put, path = "/api/v1/text/taxonomy", request_body(content = Object, description = "A taxonomy (the `taxonomy` of GET)"),
    responses((status = 200, body = TaxonomySaved), (status = 401), (status = 403), (status = 422, description = "invalid; `errors` names the field, e.g. `aspects[2].rater`")))]
async fn put_taxonomy(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: Bytes,
) -> AppResult<Json<TaxonomySaved>> {
    can_configure(&user)?;
    let text = std::str::from_utf8(&body).map_err(|_| AppError::validation("body", "is not UTF-8"))?;
    let taxonomy: Taxonomy =
        serde_json::from_str(text).map_err(|e| AppError::validation("body", format!("not a taxonomy: {e}")))?;
    let version = save_taxonomy(&state, &user, &taxonomy).await?;
    Ok(Json(TaxonomySaved { version, reanalysis_queued: true }))
}

/// Validates and stores a workspace's new taxonomy version (the job queue
/// re-analyses its texts); for admins and analysts.
pub(crate) async fn save_taxonomy(state: &AppState, user: &User, taxonomy: &Taxonomy) -> AppResult<i64> {
    can_configure(user)?;
    if let Err(e) = taxonomy.validate() {
        return Err(AppError::validation(&taxonomy_field(taxonomy, &e), e.to_string()));
    }
    let version = store::put_taxonomy(&state.db, user.workspace_id, taxonomy, Some(user.id)).await?;
    cxm_store::auth::audit(
        &state.db,
        user.workspace_id,
        Some(user.id),
        "text.taxonomy.set",
        &serde_json::json!({ "version": version, "aspects": taxonomy.aspects.len() }),
    )
    .await?;
    Ok(version)
}

// ---------------------------------------------------------------- filters

#[derive(Deserialize, Serialize, utoipa::IntoParams, Default, Clone)]
pub struct FilterParams {
    /// First day, YYYY-MM-DD. Default: 89 days before `to`.
    pub(crate) from: Option<String>,
    /// Last day, YYYY-MM-DD. Default: the last day with an analysed text.
    pub(crate) to: Option<String>,
    /// Touchpoint key; `none` = texts without a touchpoint.
    pub(crate) touchpoint: Option<String>,
    /// Channel (web, app, store, phone, …).
    pub(crate) channel: Option<String>,
    /// `response` (open answers) or `feedback`.
    pub(crate) source: Option<String>,
    /// Language of the texts: zh, zh-Hant, en, mixed or und.
    pub(crate) lang: Option<String>,
}

const LANGS: [&str; 5] = ["zh", "zh-Hant", "en", "mixed", "und"];

/// A resolved filter plus what the answer needs to name things.
struct Resolved {
    filter: TextFilter,
    from_day: i64,
    to_day: i64,
    touchpoints: HashMap<i64, (String, String)>,
    zh: bool,
}

impl Resolved {
    fn touchpoint_key(&self, id: i64) -> Option<String> {
        self.touchpoints.get(&id).map(|t| t.0.clone())
    }
}

async fn resolve(state: &AppState, user: &User, p: &FilterParams) -> AppResult<Resolved> {
    let ws = user.workspace_id;
    let tps = cxm_store::setup::touchpoints(&state.db, ws).await?;
    let zh = user.locale == "zh";
    let touchpoint_id = match p.touchpoint.as_deref() {
        None | Some("") => None,
        Some("none") => Some(0),
        Some(key) => Some(
            tps.iter()
                .find(|t| t.key == key)
                .map(|t| t.id)
                .ok_or_else(|| AppError::validation("touchpoint", format!("unknown touchpoint '{key}'")))?,
        ),
    };
    let channel = match p.channel.as_deref() {
        None | Some("") => None,
        Some(c) => {
            Some(c.parse::<Channel>().map_err(|e| AppError::validation("channel", e.to_string()))?.as_str().to_string())
        }
    };
    let source_kind = match p.source.as_deref() {
        None | Some("") => None,
        Some(s) => Some(
            SourceKind::parse(s)
                .ok_or_else(|| AppError::validation("source", format!("'{s}' is not response or feedback")))?,
        ),
    };
    let lang = match p.lang.as_deref() {
        None | Some("") => None,
        Some(l) if LANGS.contains(&l) => Some(l.to_string()),
        Some(l) => return Err(AppError::validation("lang", format!("'{l}' is not one of {}", LANGS.join(", ")))),
    };
    let to_day = match p.to.as_deref() {
        Some(t) if !t.is_empty() => parse_day("to", t)?,
        _ => store::last_day(&state.db, ws).await?.unwrap_or_else(|| cxm_store::day_of(cxm_store::now_ms())),
    };
    let from_day = match p.from.as_deref() {
        Some(f) if !f.is_empty() => parse_day("from", f)?,
        _ => to_day - 89,
    };
    if from_day > to_day {
        return Err(AppError::validation("from", "must not be after 'to'"));
    }
    if to_day - from_day > 3660 {
        return Err(AppError::validation("from", "the period is limited to 10 years"));
    }
    let touchpoints =
        tps.into_iter().map(|t| (t.id, (t.key, if zh { t.name_zh } else { t.name_en }))).collect::<HashMap<_, _>>();
    Ok(Resolved {
        filter: TextFilter {
            from_day: Some(from_day),
            to_day: Some(to_day),
            touchpoint_id,
            channel,
            source_kind,
            lang,
        },
        from_day,
        to_day,
        touchpoints,
        zh,
    })
}

// ---------------------------------------------------------------- aspects

#[derive(Serialize, utoipa::ToSchema, Debug, Clone)]
pub struct Share {
    /// Share in 0…1.
    pub(crate) value: f64,
    /// Wilson 95 % interval (SPEC §4.2).
    pub(crate) lower: f64,
    pub(crate) upper: f64,
}

/// Counts of one aspect (texts), with net sentiment and the negative share.
#[derive(Serialize, utoipa::ToSchema, Debug, Clone)]
pub struct AspectStats {
    /// Texts that mention the aspect (the base).
    pub(crate) n: i64,
    /// Texts with a positive / neutral / negative mention (a text with mixed
    /// mentions counts in each, so these may add up to more than n).
    pub(crate) positive: i64,
    pub(crate) neutral: i64,
    pub(crate) negative: i64,
    /// (positive − negative) / n, in −1…1.
    pub(crate) net_sentiment: Option<f64>,
    /// Negative / n with its 95 % Wilson interval.
    pub(crate) negative_share: Option<Share>,
    /// n < 30 (SPEC §4).
    pub(crate) low_base: bool,
}

fn stats(c: &AspectCounts) -> AspectStats {
    let share = share_from_counts(c.n.max(0) as u64, c.negative.clamp(0, c.n.max(0)) as u64).ok();
    AspectStats {
        n: c.n,
        positive: c.positive,
        neutral: c.neutral,
        negative: c.negative,
        net_sentiment: c.net_sentiment(),
        negative_share: share.as_ref().map(|s| Share { value: s.share, lower: s.ci95.lower, upper: s.ci95.upper }),
        low_base: share.map(|s| s.low_base).unwrap_or(c.n < 30),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AspectRow {
    pub(crate) aspect: String,
    /// Name in the caller's language (the key when the taxonomy no longer has it).
    pub(crate) name: String,
    /// RATER dimension, when the aspect has one.
    pub(crate) rater: Option<String>,
    #[serde(flatten)]
    pub(crate) stats: AspectStats,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AspectsBody {
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) taxonomy_version: i64,
    /// Most mentioned first.
    pub(crate) aspects: Vec<AspectRow>,
}

async fn names(state: &AppState, ws: i64, zh: bool) -> AppResult<(i64, HashMap<String, (String, Option<String>)>)> {
    let stored = store::taxonomy(&state.db, ws).await?;
    let map = stored
        .taxonomy
        .aspects
        .into_iter()
        .map(|a| (a.key, (if zh { a.name_zh } else { a.name_en }, a.rater)))
        .collect();
    Ok((stored.version, map))
}

/// Aspect × polarity counts under the filters, with net sentiment, the
/// negative share's 95 % Wilson interval and the base size.
#[utoipa::path(get, path = "/api/v1/text/aspects", params(FilterParams), responses((status = 200, body = AspectsBody), (status = 401), (status = 422)))]
async fn get_aspects(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<FilterParams>,
) -> AppResult<Json<AspectsBody>> {
    Ok(Json(aspects_body(&state, &user, &p).await?))
}

pub(crate) async fn aspects_body(state: &AppState, user: &User, p: &FilterParams) -> AppResult<AspectsBody> {
    let r = resolve(state, user, p).await?;
    let (version, names) = names(state, user.workspace_id, r.zh).await?;
    let mut rows = store::aspect_counts(&state.db, user.workspace_id, &r.filter).await?;
    rows.sort_by(|a, b| b.n.cmp(&a.n).then_with(|| a.aspect.cmp(&b.aspect)));
    let aspects = rows
        .iter()
        .map(|c| {
            let (name, rater) = names.get(&c.aspect).cloned().unwrap_or_else(|| (c.aspect.clone(), None));
            AspectRow { aspect: c.aspect.clone(), name, rater, stats: stats(c) }
        })
        .collect();
    Ok(AspectsBody { from: day_string(r.from_day), to: day_string(r.to_day), taxonomy_version: version, aspects })
}

#[derive(Deserialize, utoipa::IntoParams, Default)]
pub struct TrendParams {
    /// Aspect key.
    pub(crate) aspect: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TrendPointBody {
    /// First day of the week (YYYY-MM-DD); weeks end on `to`.
    pub(crate) period_start: String,
    #[serde(flatten)]
    pub(crate) stats: AspectStats,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TrendBody {
    pub(crate) aspect: String,
    pub(crate) from: String,
    pub(crate) to: String,
    /// Weeks with mentions, oldest first.
    pub(crate) weeks: Vec<TrendPointBody>,
}

fn required_aspect(aspect: &Option<String>) -> AppResult<String> {
    match aspect.as_deref().map(str::trim) {
        Some(a) if !a.is_empty() => Ok(a.to_string()),
        _ => Err(AppError::validation("aspect", "is required (an aspect key of the taxonomy)")),
    }
}

/// Weekly counts and net sentiment of one aspect.
#[utoipa::path(get, path = "/api/v1/text/trend", params(TrendParams, FilterParams), responses((status = 200, body = TrendBody), (status = 401), (status = 422)))]
async fn get_trend(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<TrendParams>,
    Query(filter): Query<FilterParams>,
) -> AppResult<Json<TrendBody>> {
    Ok(Json(trend_body(&state, &user, &p, &filter).await?))
}

pub(crate) async fn trend_body(
    state: &AppState,
    user: &User,
    p: &TrendParams,
    filter: &FilterParams,
) -> AppResult<TrendBody> {
    let aspect = required_aspect(&p.aspect)?;
    let r = resolve(state, user, filter).await?;
    let weeks = store::aspect_trend(&state.db, user.workspace_id, &aspect, &r.filter, 7)
        .await?
        .iter()
        .map(|w| TrendPointBody { period_start: day_string(w.period_start), stats: stats(&w.counts) })
        .collect();
    Ok(TrendBody { aspect, from: day_string(r.from_day), to: day_string(r.to_day), weeks })
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MatrixCellBody {
    pub(crate) aspect: String,
    /// Touchpoint key; null = texts without a touchpoint.
    pub(crate) touchpoint: Option<String>,
    #[serde(flatten)]
    pub(crate) stats: AspectStats,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MatrixBody {
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) cells: Vec<MatrixCellBody>,
}

/// Aspect × touchpoint counts and net sentiment under the filters.
#[utoipa::path(get, path = "/api/v1/text/matrix", params(FilterParams), responses((status = 200, body = MatrixBody), (status = 401), (status = 422)))]
async fn get_matrix(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<FilterParams>,
) -> AppResult<Json<MatrixBody>> {
    Ok(Json(matrix_body(&state, &user, &p).await?))
}

pub(crate) async fn matrix_body(state: &AppState, user: &User, p: &FilterParams) -> AppResult<MatrixBody> {
    let r = resolve(state, user, p).await?;
    let cells = store::aspect_touchpoint_matrix(&state.db, user.workspace_id, &r.filter)
        .await?
        .iter()
        .map(|c| MatrixCellBody {
            aspect: c.counts.aspect.clone(),
            touchpoint: r.touchpoint_key(c.touchpoint_id),
            stats: stats(&c.counts),
        })
        .collect();
    Ok(MatrixBody { from: day_string(r.from_day), to: day_string(r.to_day), cells })
}

/// A page of a list: limit 1–200 (default 20), offset 0–1,000,000.
fn paging(limit: Option<i64>, offset: Option<i64>) -> AppResult<(i64, i64)> {
    let limit = limit.unwrap_or(20);
    if !(1..=200).contains(&limit) {
        return Err(AppError::validation("limit", "must be between 1 and 200"));
    }
    let offset = offset.unwrap_or(0);
    if !(0..=1_000_000).contains(&offset) {
        return Err(AppError::validation("offset", "must be between 0 and 1000000"));
    }
    Ok((limit, offset))
}

// ---------------------------------------------------------------- verbatims

#[derive(Deserialize, utoipa::IntoParams, Default)]
pub struct VerbatimParams {
    /// Aspect key (required).
    pub(crate) aspect: Option<String>,
    /// positive, neutral or negative.
    pub(crate) polarity: Option<String>,
    /// 1–200, default 20.
    pub(crate) limit: Option<i64>,
    pub(crate) offset: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Evidence {
    pub(crate) polarity: String,
    pub(crate) score: f32,
    /// `char` offsets [start, end) into `text`.
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// The clause that carries the evidence.
    pub(crate) span: String,
    /// The taxonomy term that matched.
    pub(crate) term: String,
}

/// A customer's text as the explorer lists it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TextBody {
    /// `response` or `feedback`.
    pub(crate) source: String,
    pub(crate) source_id: i64,
    /// Question key of an open answer; '' for feedback.
    pub(crate) field: String,
    pub(crate) touchpoint: Option<String>,
    pub(crate) channel: Option<String>,
    pub(crate) occurred_at: String,
    pub(crate) lang: String,
    pub(crate) sentiment: String,
    pub(crate) sentiment_score: f32,
    pub(crate) text: String,
}

fn text_body(r: &Resolved, t: store::StoredText) -> TextBody {
    TextBody {
        source: t.source_kind.as_str().to_string(),
        source_id: t.source_id,
        field: t.field,
        touchpoint: r.touchpoint_key(t.touchpoint_id),
        channel: t.channel,
        occurred_at: cxm_store::import::parse::format_rfc3339(t.occurred_at),
        lang: t.lang,
        sentiment: t.sentiment.label.as_str().to_string(),
        sentiment_score: t.sentiment.score,
        text: t.text,
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VerbatimBody {
    #[serde(flatten)]
    pub(crate) head: TextBody,
    pub(crate) evidence: Vec<Evidence>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VerbatimsBody {
    /// Texts matching in all (for paging).
    pub(crate) total: i64,
    pub(crate) limit: i64,
    pub(crate) offset: i64,
    pub(crate) items: Vec<VerbatimBody>,
}

/// What customers wrote about an aspect, newest first, with the evidence spans.
#[utoipa::path(get, path = "/api/v1/text/verbatims", params(VerbatimParams, FilterParams), responses((status = 200, body = VerbatimsBody), (status = 401), (status = 422)))]
async fn get_verbatims(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<VerbatimParams>,
    Query(filter): Query<FilterParams>,
) -> AppResult<Json<VerbatimsBody>> {
    Ok(Json(verbatims_body(&state, &user, &p, &filter).await?))
}

pub(crate) async fn verbatims_body(
    state: &AppState,
    user: &User,
    p: &VerbatimParams,
    filter: &FilterParams,
) -> AppResult<VerbatimsBody> {
    let aspect = required_aspect(&p.aspect)?;
    let polarity = match p.polarity.as_deref() {
        None | Some("") => None,
        Some("positive") => Some(Polarity::Positive),
        Some("neutral") => Some(Polarity::Neutral),
        Some("negative") => Some(Polarity::Negative),
        Some(other) => {
            return Err(AppError::validation("polarity", format!("'{other}' is not positive, neutral or negative")));
        }
    };
    let (limit, offset) = paging(p.limit, p.offset)?;
    let r = resolve(state, user, filter).await?;
    let q = VerbatimQuery { aspect, polarity, filter: r.filter.clone(), limit, offset };
    let (total, list) = store::verbatims(&state.db, user.workspace_id, &q).await?;
    let items = list
        .into_iter()
        .map(|v| VerbatimBody {
            head: text_body(&r, v.text),
            evidence: v
                .mentions
                .into_iter()
                .map(|m| Evidence {
                    polarity: m.polarity.as_str().to_string(),
                    score: m.score,
                    start: m.span.start,
                    end: m.span.end,
                    span: m.span.text,
                    term: m.term,
                })
                .collect(),
        })
        .collect();
    Ok(VerbatimsBody { total, limit, offset, items })
}

// ---------------------------------------------------------------- emerging terms

#[derive(Deserialize, utoipa::IntoParams, Default)]
pub struct EmergingParams {
    /// Length N of the current window in days (1–365, default 7); the baseline
    /// is the 4·N days before it. Windows end on `to` (default: the last day
    /// with an analysed text).
    pub(crate) days: Option<i64>,
    /// Terms returned (1–500, default 50).
    pub(crate) limit: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema, Debug, Clone, PartialEq)]
pub struct EmergingTerm {
    pub(crate) term: String,
    /// Texts containing the term in the current / baseline window.
    pub(crate) current: u64,
    pub(crate) baseline: u64,
    pub(crate) current_share: f64,
    pub(crate) baseline_share: f64,
    /// current share / baseline share (an absent baseline counts as half a text).
    pub(crate) lift: f64,
    /// Pooled two-proportion z (current − baseline), one-sided p of a rise,
    /// and the Benjamini–Hochberg q over all tested terms.
    pub(crate) z: f64,
    pub(crate) p: f64,
    pub(crate) q: f64,
    /// Absent from the baseline window.
    pub(crate) new: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Window {
    pub(crate) from: String,
    pub(crate) to: String,
    /// Texts analysed in the window.
    pub(crate) documents: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct EmergingBody {
    pub(crate) current: Window,
    pub(crate) baseline: Window,
    /// Terms in at least 5 current texts, each tested.
    pub(crate) tested: usize,
    /// False-discovery level: a term is listed when it rose with q ≤ alpha.
    pub(crate) alpha: f64,
    /// Largest z first.
    pub(crate) terms: Vec<EmergingTerm>,
}

/// Terms whose share of texts rose in the last N days against the 4·N days
/// before, significant after Benjamini–Hochberg (`cxm_text::topics`).
pub(crate) async fn emerging_body(
    state: &AppState,
    user: &User,
    p: &EmergingParams,
    filter: &FilterParams,
) -> AppResult<EmergingBody> {
    let days = p.days.unwrap_or(7);
    if !(1..=365).contains(&days) {
        return Err(AppError::validation("days", "must be between 1 and 365"));
    }
    let limit = p.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(AppError::validation("limit", "must be between 1 and 500"));
    }
    let r = resolve(state, user, filter).await?;
    let last = r.to_day;
    let current = (last - days + 1, last);
    let baseline = (last - 5 * days + 1, last - days);
    let opts = EmergingOptions { max_terms: limit as usize, ..EmergingOptions::default() };
    let cmp = store::term_comparison(
        &state.db,
        user.workspace_id,
        &r.filter,
        baseline,
        current,
        opts.min_current_docs as i64,
        20_000,
    )
    .await?;
    let counts = |docs: i64, pick: fn(&(String, i64, i64)) -> i64| TermCounts {
        docs: docs.max(0) as u64,
        by_term: cmp.terms.iter().map(|t| (t.0.clone(), pick(t).max(0) as u64)).filter(|t| t.1 > 0).collect(),
    };
    let base_counts = counts(cmp.baseline_documents, |t| t.1);
    let current_counts = counts(cmp.current_documents, |t| t.2);
    let tested = topics::term_tests(&base_counts, &current_counts, &opts)
        .map_err(|e| AppError::Internal(format!("emerging terms: {e}")))?
        .len();
    let terms = topics::emerging(&base_counts, &current_counts, &opts)
        .map_err(|e| AppError::Internal(format!("emerging terms: {e}")))?
        .into_iter()
        .map(|t| EmergingTerm {
            term: t.term,
            current: t.current_docs,
            baseline: t.baseline_docs,
            current_share: t.current_share,
            baseline_share: t.baseline_share,
            lift: t.lift,
            z: t.z,
            p: t.p,
            q: t.q,
            new: t.new,
        })
        .collect();
    let window = |(from, to): (i64, i64), documents| Window { from: day_string(from), to: day_string(to), documents };
    Ok(EmergingBody {
        current: window(current, cmp.current_documents),
        baseline: window(baseline, cmp.baseline_documents),
        tested,
        alpha: opts.alpha,
        terms,
    })
}

/// Terms rising in the last N days against the 4·N days before, with their
/// z test and Benjamini–Hochberg q (only significant rises are listed).
#[utoipa::path(get, path = "/api/v1/text/emerging", params(EmergingParams, FilterParams), responses((status = 200, body = EmergingBody), (status = 401), (status = 422)))]
async fn get_emerging(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<EmergingParams>,
    Query(filter): Query<FilterParams>,
) -> AppResult<Json<EmergingBody>> {
    Ok(Json(emerging_body(&state, &user, &p, &filter).await?))
}

// ---------------------------------------------------------------- unmatched texts and suggestions

#[derive(Deserialize, utoipa::IntoParams)]
pub struct UnmatchedParams {
    /// 1–500, default 50.
    pub(crate) limit: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UnmatchedBody {
    pub(crate) source: String,
    pub(crate) source_id: i64,
    pub(crate) field: String,
    pub(crate) occurred_at: String,
    pub(crate) lang: String,
    pub(crate) keywords: Vec<String>,
    pub(crate) text: String,
}

fn unmatched_body(u: store::UnmatchedText) -> UnmatchedBody {
    UnmatchedBody {
        source: u.source_kind.as_str().to_string(),
        source_id: u.source_id,
        field: u.field,
        occurred_at: cxm_store::import::parse::format_rfc3339(u.occurred_at),
        lang: u.lang,
        keywords: u.keywords,
        text: u.text,
    }
}

/// Newest texts that no aspect matched (material for new taxonomy aspects).
#[utoipa::path(get, path = "/api/v1/text/unmatched", params(UnmatchedParams, FilterParams), responses((status = 200, body = [UnmatchedBody]), (status = 401), (status = 422)))]
async fn get_unmatched(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<UnmatchedParams>,
    Query(filter): Query<FilterParams>,
) -> AppResult<Json<Vec<UnmatchedBody>>> {
    let limit = p.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(AppError::validation("limit", "must be between 1 and 500"));
    }
    let r = resolve(&state, &user, &filter).await?;
    let list = store::unmatched_texts(&state.db, user.workspace_id, &r.filter, limit).await?;
    Ok(Json(list.into_iter().map(unmatched_body).collect()))
}

/// The newest unmatched texts the suggestions cluster.
const SUGGESTION_TEXTS: i64 = 5000;
/// Characters of an example text in a suggestion.
const EXAMPLE_CHARS: usize = 200;

/// At most `max` characters of `text`, with `…` when cut.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SuggestionBody {
    /// Label terms, the shared (seed) term first: candidate terms of a new aspect.
    pub(crate) terms: Vec<String>,
    /// Unmatched texts in the cluster.
    pub(crate) size: usize,
    /// Up to three of them (each cut at 200 characters).
    pub(crate) examples: Vec<UnmatchedBody>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SuggestionsBody {
    /// Unmatched texts considered (the newest, at most 5000).
    pub(crate) unmatched: usize,
    /// Largest cluster first.
    pub(crate) suggestions: Vec<SuggestionBody>,
}

/// Candidate new taxonomy aspects: clusters of texts no aspect matched,
/// grouped around a shared keyword (`cxm_text::topics::suggest_aspects`).
pub(crate) async fn suggestions_body(
    state: &AppState,
    user: &User,
    filter: &FilterParams,
) -> AppResult<SuggestionsBody> {
    let r = resolve(state, user, filter).await?;
    let texts = store::unmatched_texts(&state.db, user.workspace_id, &r.filter, SUGGESTION_TEXTS).await?;
    let lists: Vec<Vec<String>> = texts.iter().map(|t| t.keywords.clone()).collect();
    let clusters = topics::suggest_aspects(&lists, &SuggestOptions::default());
    let mut slots: Vec<Option<store::UnmatchedText>> = texts.into_iter().map(Some).collect();
    let suggestions = clusters
        .into_iter()
        .map(|c| SuggestionBody {
            examples: c
                .members
                .iter()
                .take(3)
                .filter_map(|&i| slots.get_mut(i).and_then(Option::take))
                .map(|u| UnmatchedBody { text: clip(&u.text, EXAMPLE_CHARS), ..unmatched_body(u) })
                .collect(),
            terms: c.terms,
            size: c.size,
        })
        .collect();
    Ok(SuggestionsBody { unmatched: lists.len(), suggestions })
}

/// Suggested new aspects from the texts no aspect matched.
#[utoipa::path(get, path = "/api/v1/text/suggestions", params(FilterParams), responses((status = 200, body = SuggestionsBody), (status = 401), (status = 422)))]
async fn get_suggestions(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(filter): Query<FilterParams>,
) -> AppResult<Json<SuggestionsBody>> {
    Ok(Json(suggestions_body(&state, &user, &filter).await?))
}

// ---------------------------------------------------------------- urgency and churn flags

#[derive(Deserialize, utoipa::IntoParams, Default)]
pub struct FlaggedParams {
    /// `urgency` (regulator/media/legal/safety/complaint threats) or `churn` (cancel, switch, never again).
    pub(crate) kind: Option<String>,
    /// 1–200, default 20.
    pub(crate) limit: Option<i64>,
    pub(crate) offset: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FlagReasonBody {
    /// e.g. regulator, media, legal, safety, complaint, cancel, close_account, switch, never_again.
    pub(crate) kind: String,
    /// `char` offsets [start, end) into `text` of the trigger words.
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) span: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FlaggedBody {
    #[serde(flatten)]
    pub(crate) head: TextBody,
    pub(crate) reasons: Vec<FlagReasonBody>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FlaggedListBody {
    pub(crate) kind: String,
    /// Texts under the filters, and how many raised each flag.
    pub(crate) texts: i64,
    pub(crate) urgency: i64,
    pub(crate) churn: i64,
    /// Texts with this flag (for paging).
    pub(crate) total: i64,
    pub(crate) limit: i64,
    pub(crate) offset: i64,
    pub(crate) items: Vec<FlaggedBody>,
}

/// Texts that raised the urgency or churn flag, newest first, with the reasons.
pub(crate) async fn flagged_body(
    state: &AppState,
    user: &User,
    p: &FlaggedParams,
    filter: &FilterParams,
) -> AppResult<FlaggedListBody> {
    let kind = match p.kind.as_deref() {
        None | Some("") => store::FlagKind::Urgency,
        Some(k) => store::FlagKind::parse(k)
            .ok_or_else(|| AppError::validation("kind", format!("'{k}' is not urgency or churn")))?,
    };
    let (limit, offset) = paging(p.limit, p.offset)?;
    let r = resolve(state, user, filter).await?;
    let counts = store::flag_counts(&state.db, user.workspace_id, &r.filter).await?;
    let (total, list) = store::flagged_texts(&state.db, user.workspace_id, &r.filter, kind, limit, offset).await?;
    let items = list
        .into_iter()
        .map(|f| FlaggedBody {
            head: text_body(&r, f.text),
            reasons: f
                .reasons
                .into_iter()
                .map(|x| FlagReasonBody { kind: x.kind, start: x.span.start, end: x.span.end, span: x.span.text })
                .collect(),
        })
        .collect();
    Ok(FlaggedListBody {
        kind: match kind {
            store::FlagKind::Urgency => "urgency".into(),
            store::FlagKind::Churn => "churn".into(),
        },
        texts: counts.texts,
        urgency: counts.urgency,
        churn: counts.churn,
        total,
        limit,
        offset,
        items,
    })
}

/// Urgent (regulator, media, legal, safety) or churn-risk texts with the
/// words that raised the flag — the signals the rules engine acts on.
#[utoipa::path(get, path = "/api/v1/text/flagged", params(FlaggedParams, FilterParams), responses((status = 200, body = FlaggedListBody), (status = 401), (status = 422)))]
async fn get_flagged(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(p): Query<FlaggedParams>,
    Query(filter): Query<FilterParams>,
) -> AppResult<Json<FlaggedListBody>> {
    Ok(Json(flagged_body(&state, &user, &p, &filter).await?))
}

// ---------------------------------------------------------------- analyze

#[derive(Deserialize, utoipa::ToSchema)]
pub struct AnalyzeRequest {
    /// The text (at most 1 MiB).
    pub(crate) text: Option<String>,
    /// auto (default), zh or en.
    pub(crate) lang: Option<String>,
}

/// Analyses a posted text with the workspace's taxonomy, without storing it.
/// The answer has the shape of a `cxm text analyze --json` line (without `line`).
#[utoipa::path(post, path = "/api/v1/text/analyze", request_body = AnalyzeRequest,
    responses((status = 200, description = "The analysis: lang, sentiment {label, score}, sentences, aspects [{aspect, polarity, score, span, term}], keywords, urgency, churn_risk"),
        (status = 401), (status = 413, description = "text over 1 MiB"), (status = 422)))]
async fn post_analyze(State(state): State<AppState>, ApiUser(user): ApiUser, body: Bytes) -> AppResult<Json<Analysis>> {
    let req: AnalyzeRequest = serde_json::from_slice(&body).map_err(|e| {
        AppError::validation("body", format!("expected {{\"text\": \"…\", \"lang\": \"auto|zh|en\"}}: {e}"))
    })?;
    let text = req.text.ok_or_else(|| AppError::validation("text", "is required"))?;
    let hint = match req.lang.as_deref() {
        None | Some("auto") => LangHint::Auto,
        Some("zh") => LangHint::Zh,
        Some("en") => LangHint::En,
        Some(other) => return Err(AppError::validation("lang", format!("'{other}' is not auto, zh or en"))),
    };
    if text.len() > cxm_text::MAX_TEXT_BYTES {
        return Err(AppError::TooLarge(TextError::TooLarge(text.len()).to_string()));
    }
    let (_, analyzer) = state.analyzers.current(&state.db, user.workspace_id).await?;
    let result = tokio::task::spawn_blocking(move || analyzer.analyze(&text, hint))
        .await
        .map_err(|e| AppError::Internal(format!("analysis task: {e}")))?;
    match result {
        Ok(a) => Ok(Json(a)),
        Err(e @ TextError::TooLarge(_)) => Err(AppError::TooLarge(e.to_string())),
        Err(e) => Err(AppError::validation("text", e.to_string())),
    }
}

// ---------------------------------------------------------------- status

#[derive(Serialize, utoipa::ToSchema)]
pub struct TextStatus {
    pub(crate) taxonomy_version: i64,
    /// Texts of the workspace with a stored analysis.
    pub(crate) analysed: i64,
    /// Text jobs (all workspaces) waiting or running: the analysis is catching up while > 0.
    pub(crate) pending_jobs: i64,
    /// Text jobs that failed for good.
    pub(crate) dead_jobs: i64,
    /// Last day with an analysed text (YYYY-MM-DD).
    pub(crate) last_day: Option<String>,
}

/// How far text analysis has got.
#[utoipa::path(get, path = "/api/v1/text/status", responses((status = 200, body = TextStatus), (status = 401)))]
async fn get_status(State(state): State<AppState>, ApiUser(user): ApiUser) -> AppResult<Json<TextStatus>> {
    Ok(Json(status_body(&state, &user).await?))
}

pub(crate) async fn status_body(state: &AppState, user: &User) -> AppResult<TextStatus> {
    let ws = user.workspace_id;
    let jobs = cxm_store::jobs::counts_of(&state.db, &[store::JOB_ANALYZE, store::JOB_REANALYZE]).await?;
    let of = |wanted: &[&str]| jobs.iter().filter(|(s, _)| wanted.contains(&s.as_str())).map(|(_, n)| n).sum();
    Ok(TextStatus {
        taxonomy_version: store::taxonomy_version(&state.db, ws).await?,
        analysed: store::count_analyses(&state.db, ws).await?,
        pending_jobs: of(&["queued", "running"]),
        dead_jobs: of(&["dead"]),
        last_day: store::last_day(&state.db, ws).await?.map(day_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taxonomy_errors_name_the_field() {
        let mut t = Taxonomy::default();
        t.aspects[2].rater = Some("speed".into());
        let e = t.validate().unwrap_err();
        assert_eq!(taxonomy_field(&t, &e), "aspects[2].rater");
        let mut t = Taxonomy::default();
        t.aspects[1].terms_en.push("   ".into());
        let e = t.validate().unwrap_err();
        assert_eq!(taxonomy_field(&t, &e), "aspects[1].terms_en");
        let mut t = Taxonomy::default();
        t.aspects[3].name_en = String::new();
        assert_eq!(taxonomy_field(&t, &t.validate().unwrap_err()), "aspects[3].name_en");
    }
}
