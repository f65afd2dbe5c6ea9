//! The VoC explorer in the web app: `/app/voc` shows what customers write
//! about each aspect — aspect × sentiment, aspect × touchpoint, the weekly
//! trend and the verbatims of a chosen aspect with the evidence highlighted,
//! emerging terms and suggested new aspects — under the same filters as the
//! REST API (`voc.rs`), whose builders it reuses. `/app/voc/taxonomy` edits
//! the workspace's aspect taxonomy.

use crate::AppState;
use crate::auth::WebUser;
use crate::error::{AppError, AppResult};
use crate::i18n::{Locale, t};
use crate::pages::{check_csrf, render, session_context, user_locale};
use crate::voc::{self, EmergingParams, FilterParams, FlaggedParams, TrendParams, VerbatimParams};
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use cxm_core::model::{Channel, Role};
use cxm_store::auth::{Session, User};
use cxm_text::taxonomy::RATER_DIMENSIONS;
use cxm_text::{AspectDef, Taxonomy};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/app/voc", get(explorer_page))
        .route("/app/voc/taxonomy", get(taxonomy_page).post(save_taxonomy))
}

fn serde_value<T: Serialize>(v: &T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(v))
}

// ---------------------------------------------------------------- explorer

#[derive(Deserialize, Default)]
struct ExplorerQuery {
    aspect: Option<String>,
    polarity: Option<String>,
    offset: Option<i64>,
}

/// Verbatims per page.
const PAGE: i64 = 20;
/// Newest flagged texts shown per flag.
const FLAGGED_SHOWN: i64 = 5;
/// Characters of a verbatim shown on the page (the rest is elided).
const SHOWN_CHARS: usize = 600;

/// A run of a verbatim's text, marked with the polarity of the evidence it
/// belongs to (None = not evidence).
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Segment {
    text: String,
    mark: Option<String>,
}

/// Splits `text` into runs by the evidence spans (`char` offsets, end
/// exclusive); where spans overlap the earlier one wins. Out-of-range spans
/// are clipped, never a panic; at most `max_chars` characters are kept.
fn highlight(text: &str, spans: &[(usize, usize, &str)], max_chars: usize) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().take(max_chars).collect();
    let mut marks: Vec<Option<&str>> = vec![None; chars.len()];
    for &(start, end, polarity) in spans {
        for m in marks.iter_mut().take(end.min(chars.len())).skip(start) {
            if m.is_none() {
                *m = Some(polarity);
            }
        }
    }
    let mut out: Vec<Segment> = Vec::new();
    for (c, m) in chars.iter().zip(marks) {
        match out.last_mut() {
            Some(last) if last.mark.as_deref() == m => last.text.push(*c),
            _ => out.push(Segment { text: c.to_string(), mark: m.map(str::to_string) }),
        }
    }
    if text.chars().nth(max_chars).is_some() {
        out.push(Segment { text: "…".into(), mark: None });
    }
    out
}

/// A query string with the filters (and extra pairs), for links that keep them.
fn query_string(filter: &FilterParams, extra: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    let fields = [
        ("from", &filter.from),
        ("to", &filter.to),
        ("touchpoint", &filter.touchpoint),
        ("channel", &filter.channel),
        ("source", &filter.source),
        ("lang", &filter.lang),
    ];
    for (k, v) in fields {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            pairs.push((k, v));
        }
    }
    pairs.extend(extra.iter().filter(|(_, v)| !v.is_empty()));
    pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
}

/// Percent-encoding for a query value (RFC 3986 unreserved kept).
fn encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A heat class for net sentiment (−1…1), so the matrix reads at a glance.
fn heat(net: Option<f64>) -> &'static str {
    match net {
        None => "heat-none",
        Some(v) if v <= -0.4 => "heat-n3",
        Some(v) if v <= -0.15 => "heat-n2",
        Some(v) if v < 0.0 => "heat-n1",
        Some(v) if v < 0.15 => "heat-p1",
        Some(v) if v < 0.4 => "heat-p2",
        Some(_) => "heat-p3",
    }
}

#[derive(Serialize)]
struct MatrixRow {
    aspect: String,
    name: String,
    cells: Vec<Option<MatrixCellView>>,
}

#[derive(Serialize)]
struct MatrixCellView {
    n: i64,
    net: Option<f64>,
    negative: i64,
    low_base: bool,
    heat: &'static str,
    link: String,
}

#[derive(Serialize)]
struct Column {
    key: String,
    name: String,
}

async fn explorer_page(
    State(state): State<AppState>,
    WebUser(session): WebUser,
    Query(q): Query<ExplorerQuery>,
    Query(requested): Query<FilterParams>,
) -> AppResult<Response> {
    let user = &session.user;
    let locale = user_locale(&session);
    let zh = locale == Locale::Zh;
    // A bad filter shows the default view with the reason, not an error page.
    let mut filter = requested;
    let mut problem: Option<String> = None;
    let aspects = match voc::aspects_body(&state, user, &filter).await {
        Ok(a) => a,
        Err(AppError::Validation { field, message }) => {
            problem = Some(format!("{field}: {message}"));
            filter = FilterParams::default();
            voc::aspects_body(&state, user, &filter).await?
        }
        Err(e) => return Err(e),
    };
    filter.from = Some(aspects.from.clone());
    filter.to = Some(aspects.to.clone());
    let base_qs = query_string(&filter, &[]);

    let touchpoints = cxm_store::setup::touchpoints(&state.db, user.workspace_id).await?;
    let tp_name: HashMap<&str, &str> = touchpoints
        .iter()
        .map(|t| (t.key.as_str(), if zh { t.name_zh.as_str() } else { t.name_en.as_str() }))
        .collect();

    // Aspect × touchpoint, columns in journey order, rows in the aspects' order.
    let matrix = voc::matrix_body(&state, user, &filter).await?;
    let mut columns: Vec<Column> = touchpoints
        .iter()
        .filter(|t| matrix.cells.iter().any(|c| c.touchpoint.as_deref() == Some(t.key.as_str())))
        .map(|t| Column { key: t.key.clone(), name: tp_name.get(t.key.as_str()).unwrap_or(&"").to_string() })
        .collect();
    if matrix.cells.iter().any(|c| c.touchpoint.is_none()) {
        columns.push(Column { key: "none".into(), name: t(locale, "voc.no_touchpoint") });
    }
    let rows: Vec<MatrixRow> = aspects
        .aspects
        .iter()
        .map(|a| MatrixRow {
            aspect: a.aspect.clone(),
            name: a.name.clone(),
            cells: columns
                .iter()
                .map(|col| {
                    matrix
                        .cells
                        .iter()
                        .find(|c| c.aspect == a.aspect && c.touchpoint.as_deref().unwrap_or("none") == col.key)
                        .map(|c| MatrixCellView {
                            n: c.stats.n,
                            net: c.stats.net_sentiment,
                            negative: c.stats.negative,
                            low_base: c.stats.low_base,
                            heat: heat(c.stats.net_sentiment),
                            link: {
                                let cell_filter = FilterParams { touchpoint: Some(col.key.clone()), ..filter.clone() };
                                query_string(&cell_filter, &[("aspect", &a.aspect)])
                            },
                        })
                })
                .collect(),
        })
        .collect();

    // The chosen aspect: trend and verbatims.
    let chosen = q.aspect.as_deref().map(str::trim).filter(|a| !a.is_empty()).map(str::to_string);
    let mut selected = minijinja::Value::UNDEFINED;
    if let Some(aspect) = &chosen {
        let trend = voc::trend_body(&state, user, &TrendParams { aspect: Some(aspect.clone()) }, &filter).await?;
        let polarity = q.polarity.clone().filter(|p| !p.is_empty());
        let offset = q.offset.unwrap_or(0).max(0);
        let vp = VerbatimParams {
            aspect: Some(aspect.clone()),
            polarity: polarity.clone(),
            limit: Some(PAGE),
            offset: Some(offset),
        };
        let verbatims = match voc::verbatims_body(&state, user, &vp, &filter).await {
            Ok(v) => v,
            Err(AppError::Validation { field, message }) => {
                problem = Some(format!("{field}: {message}"));
                voc::verbatims_body(&state, user, &VerbatimParams { polarity: None, offset: Some(0), ..vp }, &filter)
                    .await?
            }
            Err(e) => return Err(e),
        };
        let items: Vec<minijinja::Value> = verbatims
            .items
            .iter()
            .map(|v| {
                let spans: Vec<(usize, usize, &str)> =
                    v.evidence.iter().map(|e| (e.start, e.end, e.polarity.as_str())).collect();
                minijinja::context! {
                    segments => serde_value(&highlight(&v.head.text, &spans, SHOWN_CHARS)),
                    occurred_at => v.head.occurred_at.get(..10).unwrap_or(&v.head.occurred_at),
                    touchpoint => v.head.touchpoint.as_deref().and_then(|k| tp_name.get(k).copied()),
                    channel => &v.head.channel,
                    source => &v.head.source,
                    lang => &v.head.lang,
                    sentiment => &v.head.sentiment,
                    evidence => serde_value(&v.evidence),
                }
            })
            .collect();
        let name = aspects.aspects.iter().find(|a| &a.aspect == aspect).map(|a| a.name.clone());
        let page_link = |off: i64| {
            query_string(
                &filter,
                &[("aspect", aspect), ("polarity", polarity.as_deref().unwrap_or("")), ("offset", &off.to_string())],
            )
        };
        let polarity_links: Vec<minijinja::Value> = ["", "negative", "neutral", "positive"]
            .into_iter()
            .map(|p| {
                minijinja::context! {
                    value => p,
                    link => query_string(&filter, &[("aspect", aspect), ("polarity", p)]),
                    current => polarity.as_deref().unwrap_or("") == p,
                }
            })
            .collect();
        selected = minijinja::context! {
            aspect => aspect,
            name => name.unwrap_or_else(|| aspect.clone()),
            trend => serde_value(&trend),
            total => verbatims.total,
            first => if verbatims.total == 0 { 0 } else { verbatims.offset + 1 },
            last => verbatims.offset + verbatims.items.len() as i64,
            items => items,
            polarity_links => polarity_links,
            prev => (verbatims.offset > 0).then(|| page_link((verbatims.offset - PAGE).max(0))),
            next => (verbatims.offset + PAGE < verbatims.total).then(|| page_link(verbatims.offset + PAGE)),
        };
    }

    let mut flags = Vec::new();
    for kind in ["urgency", "churn"] {
        let params = FlaggedParams { kind: Some(kind.into()), limit: Some(FLAGGED_SHOWN), offset: None };
        let list = voc::flagged_body(&state, user, &params, &filter).await?;
        let items: Vec<minijinja::Value> = list
            .items
            .iter()
            .map(|f| {
                let spans: Vec<(usize, usize, &str)> = f.reasons.iter().map(|r| (r.start, r.end, "flag")).collect();
                let mut kinds: Vec<String> = f.reasons.iter().map(|r| r.kind.clone()).collect();
                kinds.sort_unstable();
                kinds.dedup();
                minijinja::context! {
                    segments => serde_value(&highlight(&f.head.text, &spans, SHOWN_CHARS)),
                    occurred_at => f.head.occurred_at.get(..10).unwrap_or(&f.head.occurred_at),
                    touchpoint => f.head.touchpoint.as_deref().and_then(|k| tp_name.get(k).copied()),
                    kinds => kinds,
                    lang => &f.head.lang,
                }
            })
            .collect();
        flags.push(minijinja::context! {
            kind => kind, total => list.total, texts => list.texts, items => items,
        });
    }
    let emerging = voc::emerging_body(&state, user, &EmergingParams::default(), &filter).await?;
    let suggestions = voc::suggestions_body(&state, user, &filter).await?;
    let status = voc::status_body(&state, user).await?;

    let aspect_links: HashMap<&str, String> =
        aspects.aspects.iter().map(|a| (a.aspect.as_str(), query_string(&filter, &[("aspect", &a.aspect)]))).collect();
    let options = minijinja::context! {
        touchpoints => touchpoints.iter().map(|t| minijinja::context! { key => &t.key, name => tp_name.get(t.key.as_str()).copied() }).collect::<Vec<_>>(),
        channels => Channel::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        langs => ["zh", "zh-Hant", "en", "mixed"],
    };
    let html = render(
        &state,
        "voc.html",
        locale,
        minijinja::context! {
            filter => serde_value(&filter),
            base_qs => base_qs,
            problem => &problem,
            options => options,
            status => serde_value(&status),
            aspects => serde_value(&aspects),
            aspect_links => aspect_links,
            columns => serde_value(&columns),
            matrix => serde_value(&rows),
            selected => selected,
            emerging => serde_value(&emerging),
            suggestions => serde_value(&suggestions),
            flags => flags,
            can_edit => can_edit(user),
            ..session_context(&session, locale, "voc")
        },
    )?;
    let status = if problem.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, html).into_response())
}

fn can_edit(user: &User) -> bool {
    matches!(user.role, Role::Admin | Role::Analyst)
}

// ---------------------------------------------------------------- taxonomy editor

/// One aspect as the form shows it: lists one entry per line.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
struct AspectForm {
    key: String,
    name_zh: String,
    name_en: String,
    rater: String,
    touchpoints: String,
    terms_zh: String,
    terms_en: String,
    exclude: String,
}

impl AspectForm {
    fn of(a: &AspectDef) -> AspectForm {
        AspectForm {
            key: a.key.clone(),
            name_zh: a.name_zh.clone(),
            name_en: a.name_en.clone(),
            rater: a.rater.clone().unwrap_or_default(),
            touchpoints: a.touchpoints.join("\n"),
            terms_zh: a.terms_zh.join("\n"),
            terms_en: a.terms_en.join("\n"),
            exclude: a.exclude.join("\n"),
        }
    }

    fn is_blank(&self) -> bool {
        *self == AspectForm::default()
    }

    fn to_def(&self) -> AspectDef {
        AspectDef {
            key: self.key.trim().to_string(),
            name_zh: self.name_zh.trim().to_string(),
            name_en: self.name_en.trim().to_string(),
            rater: Some(self.rater.trim().to_string()).filter(|r| !r.is_empty()),
            touchpoints: list(&self.touchpoints),
            terms_zh: list(&self.terms_zh),
            terms_en: list(&self.terms_en),
            exclude: list(&self.exclude),
        }
    }
}

/// One entry per line; commas (also ，、；;) separate entries too, so pasted
/// lists work. Blank entries and duplicates are dropped, order kept.
fn list(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in s.split(['\n', ',', '，', '、', ';', '；']) {
        let item = item.trim();
        if !item.is_empty() && !out.iter().any(|o| o == item) {
            out.push(item.to_string());
        }
    }
    out
}

/// The submitted form: `csrf`, `dictionary`, and per aspect `a{i}.{field}`
/// plus `a{i}.delete`. Rows are kept in the order of their index.
fn parse_form(pairs: &[(String, String)]) -> AppResult<(String, Vec<AspectForm>, String)> {
    let mut csrf = String::new();
    let mut dictionary = String::new();
    let mut rows: BTreeMap<usize, AspectForm> = BTreeMap::new();
    let mut deleted: Vec<usize> = Vec::new();
    for (name, value) in pairs {
        match name.as_str() {
            "csrf" => csrf = value.clone(),
            "dictionary" => dictionary = value.clone(),
            _ => {
                let Some((index, field)) = name.strip_prefix('a').and_then(|r| r.split_once('.')) else {
                    return Err(AppError::validation(name, "unknown form field"));
                };
                let index: usize = index.parse().map_err(|_| AppError::validation(name, "unknown form field"))?;
                if index >= 1000 {
                    return Err(AppError::validation(name, "too many aspects"));
                }
                let row = rows.entry(index).or_default();
                let slot = match field {
                    "key" => &mut row.key,
                    "name_zh" => &mut row.name_zh,
                    "name_en" => &mut row.name_en,
                    "rater" => &mut row.rater,
                    "touchpoints" => &mut row.touchpoints,
                    "terms_zh" => &mut row.terms_zh,
                    "terms_en" => &mut row.terms_en,
                    "exclude" => &mut row.exclude,
                    "delete" => {
                        deleted.push(index);
                        continue;
                    }
                    _ => return Err(AppError::validation(name, "unknown form field")),
                };
                // Browsers send CRLF in text areas.
                *slot = value.replace("\r\n", "\n");
            }
        }
    }
    let rows = rows.into_iter().filter(|(i, r)| !deleted.contains(i) && !r.is_blank()).map(|(_, r)| r).collect();
    Ok((csrf, rows, dictionary))
}

#[derive(Deserialize)]
struct TaxonomyQuery {
    saved: Option<i64>,
}

async fn taxonomy_page(
    State(state): State<AppState>,
    WebUser(session): WebUser,
    Query(q): Query<TaxonomyQuery>,
) -> AppResult<Response> {
    let stored = cxm_store::text::taxonomy(&state.db, session.user.workspace_id).await?;
    let rows: Vec<AspectForm> = stored.taxonomy.aspects.iter().map(AspectForm::of).collect();
    let notice = q.saved.map(|v| t(user_locale(&session), "taxonomy.saved").replace("{version}", &v.to_string()));
    taxonomy_form(&state, &session, stored.version, rows, stored.taxonomy.dictionary.join("\n"), notice, None).await
}

async fn taxonomy_form(
    state: &AppState,
    session: &Session,
    version: i64,
    mut rows: Vec<AspectForm>,
    dictionary: String,
    notice: Option<String>,
    problem: Option<String>,
) -> AppResult<Response> {
    let locale = user_locale(session);
    let editable = can_edit(&session.user);
    if editable {
        rows.push(AspectForm::default());
    }
    let known: Vec<String> =
        cxm_store::setup::touchpoints(&state.db, session.user.workspace_id).await?.into_iter().map(|t| t.key).collect();
    let mut unknown: Vec<String> =
        rows.iter().flat_map(|r| list(&r.touchpoints)).filter(|k| !known.contains(k)).collect();
    unknown.sort();
    unknown.dedup();
    let html = render(
        state,
        "taxonomy.html",
        locale,
        minijinja::context! {
            version => version,
            rows => serde_value(&rows),
            dictionary => dictionary,
            raters => RATER_DIMENSIONS,
            touchpoints => known,
            unknown_touchpoints => unknown,
            editable => editable,
            notice => notice,
            problem => &problem,
            ..session_context(session, locale, "voc")
        },
    )?;
    let status = if problem.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, html).into_response())
}

async fn save_taxonomy(
    State(state): State<AppState>,
    WebUser(session): WebUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (csrf, rows, dictionary) = parse_form(&pairs)?;
    check_csrf(&session, &csrf)?;
    if !can_edit(&session.user) {
        return Err(AppError::Forbidden("only admins and analysts change the taxonomy".into()));
    }
    let taxonomy = Taxonomy { aspects: rows.iter().map(AspectForm::to_def).collect(), dictionary: list(&dictionary) };
    match voc::save_taxonomy(&state, &session.user, &taxonomy).await {
        Ok(version) => Ok(Redirect::to(&format!("/app/voc/taxonomy?saved={version}")).into_response()),
        Err(AppError::Validation { field, message }) => {
            let version = cxm_store::text::taxonomy_version(&state.db, session.user.workspace_id).await?;
            let problem = format!("{}: {message}", field_label(&field, &rows));
            taxonomy_form(&state, &session, version, rows, dictionary, None, Some(problem)).await
        }
        Err(e) => Err(e),
    }
}

/// `aspects[3].rater` → `delivery · rater`, so the message names what the user sees.
fn field_label(field: &str, rows: &[AspectForm]) -> String {
    let Some(rest) = field.strip_prefix("aspects[") else { return field.to_string() };
    let Some((index, tail)) = rest.split_once(']') else { return field.to_string() };
    let name = index.parse::<usize>().ok().and_then(|i| rows.get(i)).map(|r| {
        if r.key.trim().is_empty() {
            format!("#{}", index.parse::<usize>().unwrap_or(0) + 1)
        } else {
            r.key.trim().to_string()
        }
    });
    match name {
        Some(n) => format!("{n}{}", tail.replacen('.', " · ", 1)),
        None => field.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_marks_evidence_by_char_offsets() {
        let got = highlight("东西不错，但是物流太慢了", &[(5, 12, "negative")], 100);
        assert_eq!(
            got,
            vec![
                Segment { text: "东西不错，".into(), mark: None },
                Segment { text: "但是物流太慢了".into(), mark: Some("negative".into()) },
            ]
        );
        // Overlap: the first span wins; out-of-range ends are clipped; long texts are elided.
        let got = highlight("abcdef", &[(1, 3, "positive"), (2, 99, "negative")], 5);
        let flat: Vec<(&str, Option<&str>)> = got.iter().map(|s| (s.text.as_str(), s.mark.as_deref())).collect();
        assert_eq!(flat, vec![("a", None), ("bc", Some("positive")), ("de", Some("negative")), ("…", None)]);
        assert_eq!(highlight("", &[(3, 1, "negative")], 10), vec![]);
    }

    #[test]
    fn query_strings_keep_filters_and_encode_values() {
        let f = FilterParams {
            from: Some("2026-01-01".into()),
            touchpoint: Some("store visit&x".into()),
            lang: Some(String::new()),
            ..FilterParams::default()
        };
        assert_eq!(
            query_string(&f, &[("aspect", "价格"), ("offset", "")]),
            "from=2026-01-01&touchpoint=store%20visit%26x&aspect=%E4%BB%B7%E6%A0%BC"
        );
    }

    #[test]
    fn the_form_parses_into_rows_in_index_order() {
        let pairs: Vec<(String, String)> = [
            ("csrf", "tok"),
            ("a1.key", "delivery"),
            ("a1.terms_zh", "物流\r\n快递，配送"),
            ("a0.key", "price"),
            ("a0.terms_en", "price, cost, price"),
            ("a2.key", "gone"),
            ("a2.delete", "on"),
            ("a3.key", ""),
            ("dictionary", "小米\n"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (csrf, rows, dictionary) = parse_form(&pairs).unwrap();
        assert_eq!(csrf, "tok");
        assert_eq!(rows.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(), vec!["price", "delivery"]);
        let defs: Vec<AspectDef> = rows.iter().map(AspectForm::to_def).collect();
        assert_eq!(defs[0].terms_en, vec!["price", "cost"]);
        assert_eq!(defs[1].terms_zh, vec!["物流", "快递", "配送"]);
        assert_eq!(list(&dictionary), vec!["小米"]);
        let bad = vec![("a0.colour".to_string(), "red".to_string())];
        assert!(parse_form(&bad).is_err());
        let bad = vec![("zzz".to_string(), "1".to_string())];
        assert!(parse_form(&bad).is_err());
    }

    #[test]
    fn field_labels_name_the_aspect() {
        let rows = vec![AspectForm { key: "price".into(), ..AspectForm::default() }, AspectForm::default()];
        assert_eq!(field_label("aspects[0].rater", &rows), "price · rater");
        assert_eq!(field_label("aspects[1].key", &rows), "#2 · key");
        assert_eq!(field_label("dictionary", &rows), "dictionary");
    }
}
