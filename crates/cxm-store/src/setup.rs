//! Workspaces and their configuration: journeys → stages → touchpoints,
//! segments, surveys → versions → questions.

use crate::{Db, Result, StoreError, now_ms};
use cxm_core::model::QuestionKind;
use cxm_core::records::{SurveySpec, WorkspaceSetup};
use sqlx::Row;

/// The id of the workspace with `slug`, creating it when missing.
pub async fn ensure_workspace(db: &Db, slug: &str, name: &str) -> Result<i64> {
    if slug.is_empty() || slug.len() > 64 || !slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(StoreError::Invalid(format!("workspace slug '{slug}' must be 1–64 letters, digits, '-' or '_'")));
    }
    sqlx::query("INSERT INTO workspaces (slug, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING")
        .bind(slug)
        .bind(name)
        .bind(now_ms())
        .execute(&db.pool)
        .await?;
    workspace_id(db, slug).await
}

pub async fn workspace_id(db: &Db, slug: &str) -> Result<i64> {
    sqlx::query("SELECT id FROM workspaces WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| r.get::<i64, _>(0))
        .ok_or_else(|| StoreError::NotFound(format!("workspace '{slug}'")))
}

/// Whether the workspace holds no responses yet (used by `serve --demo`).
pub async fn is_empty(db: &Db, workspace_id: i64) -> Result<bool> {
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM responses WHERE workspace_id = $1")
        .bind(workspace_id)
        .fetch_one(&db.pool)
        .await?
        .get(0);
    Ok(n == 0)
}

fn validate_key(what: &str, key: &str) -> Result<()> {
    let ok = !key.is_empty()
        && key.len() <= 64
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!("{what} key '{key}' must be 1–64 lowercase letters, digits, '_' or '-'")))
    }
}

fn validate_survey(s: &SurveySpec) -> Result<()> {
    validate_key("survey", &s.key)?;
    let mut seen = std::collections::HashSet::new();
    for q in &s.questions {
        validate_key("question", &q.key)?;
        if !seen.insert(q.key.as_str()) {
            return Err(StoreError::Invalid(format!("survey '{}': question key '{}' appears twice", s.key, q.key)));
        }
        if let (Some(lo), Some(hi)) = (q.scale_min, q.scale_max)
            && !(lo.is_finite() && hi.is_finite() && lo < hi)
        {
            return Err(StoreError::Invalid(format!("question '{}': scale {lo}..{hi} is not a range", q.key)));
        }
        let scored =
            matches!(q.kind, QuestionKind::Csat | QuestionKind::Ces | QuestionKind::Rating | QuestionKind::Matrix);
        if scored && (q.scale_min.is_none() || q.scale_max.is_none()) {
            return Err(StoreError::Invalid(format!(
                "question '{}': a {} question needs scale_min and scale_max",
                q.key, q.kind
            )));
        }
    }
    Ok(())
}

/// Applies a workspace setup idempotently in one transaction: existing keys are
/// kept, new ones added. A survey whose questions differ from its current
/// version gets a new version (responses keep the version they answered).
pub async fn apply_setup(db: &Db, workspace_id: i64, setup: &WorkspaceSetup) -> Result<()> {
    for j in &setup.journeys {
        validate_key("journey", &j.key)?;
        for s in &j.stages {
            validate_key("stage", &s.key)?;
            for t in &s.touchpoints {
                validate_key("touchpoint", &t.key)?;
            }
        }
    }
    for s in &setup.segments {
        validate_key("segment", &s.key)?;
    }
    for s in &setup.surveys {
        validate_survey(s)?;
    }
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let mut tp_position = 0i64;
    for j in &setup.journeys {
        sqlx::query("INSERT INTO journeys (workspace_id, key, name_en, name_zh) VALUES ($1,$2,$3,$4) ON CONFLICT (workspace_id, key) DO UPDATE SET name_en = excluded.name_en, name_zh = excluded.name_zh")
            .bind(workspace_id).bind(&j.key).bind(&j.name_en).bind(&j.name_zh)
            .execute(&mut *tx).await?;
        let journey_id: i64 = sqlx::query("SELECT id FROM journeys WHERE workspace_id = $1 AND key = $2")
            .bind(workspace_id)
            .bind(&j.key)
            .fetch_one(&mut *tx)
            .await?
            .get(0);
        for (pos, s) in j.stages.iter().enumerate() {
            sqlx::query("INSERT INTO stages (journey_id, key, name_en, name_zh, position) VALUES ($1,$2,$3,$4,$5) ON CONFLICT (journey_id, key) DO UPDATE SET name_en = excluded.name_en, name_zh = excluded.name_zh, position = excluded.position")
                .bind(journey_id).bind(&s.key).bind(&s.name_en).bind(&s.name_zh).bind(pos as i64)
                .execute(&mut *tx).await?;
            let stage_id: i64 = sqlx::query("SELECT id FROM stages WHERE journey_id = $1 AND key = $2")
                .bind(journey_id)
                .bind(&s.key)
                .fetch_one(&mut *tx)
                .await?
                .get(0);
            for t in &s.touchpoints {
                tp_position += 1;
                sqlx::query("INSERT INTO touchpoints (workspace_id, stage_id, key, name_en, name_zh, channel, owner_team, improvement_cost, pyramid_layer, position) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT (workspace_id, key) DO UPDATE SET stage_id = excluded.stage_id, name_en = excluded.name_en, name_zh = excluded.name_zh, channel = excluded.channel, owner_team = excluded.owner_team, improvement_cost = excluded.improvement_cost, pyramid_layer = excluded.pyramid_layer, position = excluded.position")
                    .bind(workspace_id).bind(stage_id).bind(&t.key).bind(&t.name_en).bind(&t.name_zh)
                    .bind(t.channel.as_str()).bind(&t.owner_team).bind(t.improvement_cost)
                    .bind(t.pyramid_layer.as_str()).bind(tp_position)
                    .execute(&mut *tx).await?;
            }
        }
    }
    for s in &setup.segments {
        sqlx::query("INSERT INTO segments (workspace_id, key, name_en, name_zh, rule, is_ta) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (workspace_id, key) DO UPDATE SET name_en = excluded.name_en, name_zh = excluded.name_zh, rule = excluded.rule, is_ta = excluded.is_ta")
            .bind(workspace_id).bind(&s.key).bind(&s.name_en).bind(&s.name_zh).bind(&s.rule).bind(s.is_ta as i64)
            .execute(&mut *tx).await?;
    }
    for s in &setup.surveys {
        let definition = serde_json::to_string(s).map_err(|e| StoreError::Invalid(e.to_string()))?;
        sqlx::query("INSERT INTO surveys (workspace_id, key, name_en, name_zh, current_version, created_at) VALUES ($1,$2,$3,$4,1,$5) ON CONFLICT (workspace_id, key) DO UPDATE SET name_en = excluded.name_en, name_zh = excluded.name_zh")
            .bind(workspace_id).bind(&s.key).bind(&s.name_en).bind(&s.name_zh).bind(now)
            .execute(&mut *tx).await?;
        let row = sqlx::query("SELECT id, current_version FROM surveys WHERE workspace_id = $1 AND key = $2")
            .bind(workspace_id)
            .bind(&s.key)
            .fetch_one(&mut *tx)
            .await?;
        let (survey_id, current): (i64, i64) = (row.get(0), row.get(1));
        let existing: Option<String> =
            sqlx::query("SELECT definition FROM survey_versions WHERE survey_id = $1 AND version = $2")
                .bind(survey_id)
                .bind(current)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.get(0));
        let version = match existing {
            None => current,
            Some(d) if d == definition => continue,
            Some(_) => current + 1,
        };
        sqlx::query("INSERT INTO survey_versions (survey_id, version, definition, created_at) VALUES ($1,$2,$3,$4)")
            .bind(survey_id)
            .bind(version)
            .bind(&definition)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE surveys SET current_version = $1 WHERE id = $2")
            .bind(version)
            .bind(survey_id)
            .execute(&mut *tx)
            .await?;
        for (pos, q) in s.questions.iter().enumerate() {
            let options = serde_json::to_string(&q.options).map_err(|e| StoreError::Invalid(e.to_string()))?;
            sqlx::query("INSERT INTO questions (survey_id, key, kind, label_en, label_zh, scale_min, scale_max, dimension, options, required, position) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT (survey_id, key) DO UPDATE SET kind = excluded.kind, label_en = excluded.label_en, label_zh = excluded.label_zh, scale_min = excluded.scale_min, scale_max = excluded.scale_max, dimension = excluded.dimension, options = excluded.options, required = excluded.required, position = excluded.position")
                .bind(survey_id).bind(&q.key).bind(q.kind.as_str()).bind(&q.label_en).bind(&q.label_zh)
                .bind(q.scale_min).bind(q.scale_max).bind(q.dimension.map(|d| d.as_str()))
                .bind(options).bind(q.required as i64).bind(pos as i64)
                .execute(&mut *tx).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// A question as the rest of the code needs it.
#[derive(Debug, Clone)]
pub struct QuestionInfo {
    pub id: i64,
    pub key: String,
    pub kind: QuestionKind,
    pub scale_min: Option<f64>,
    pub scale_max: Option<f64>,
    pub label_en: String,
    pub label_zh: String,
}

impl QuestionInfo {
    /// The valid range of a numeric answer (NPS is always 0–10).
    pub fn bounds(&self) -> Option<(f64, f64)> {
        match (self.scale_min, self.scale_max) {
            (Some(lo), Some(hi)) => Some((lo, hi)),
            _ if self.kind == QuestionKind::Nps => Some((0.0, 10.0)),
            _ => None,
        }
    }

    /// How the question's answers count as top / bottom, for score questions.
    pub fn score_scale(&self) -> Option<cxm_core::model::ScoreScale> {
        self.bounds().and_then(|(lo, hi)| cxm_core::model::ScoreScale::for_question(self.kind, lo, hi))
    }
}

#[derive(Debug, Clone)]
pub struct SurveyInfo {
    pub id: i64,
    pub key: String,
    pub name_en: String,
    pub name_zh: String,
    pub version: i64,
    pub questions: Vec<QuestionInfo>,
}

pub async fn surveys(db: &Db, workspace_id: i64) -> Result<Vec<SurveyInfo>> {
    let rows = sqlx::query(
        "SELECT id, key, name_en, name_zh, current_version FROM surveys WHERE workspace_id = $1 ORDER BY id",
    )
    .bind(workspace_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.get(0);
        let qrows = sqlx::query("SELECT id, key, kind, scale_min, scale_max, label_en, label_zh FROM questions WHERE survey_id = $1 ORDER BY position")
            .bind(id).fetch_all(&db.pool).await?;
        let mut questions = Vec::with_capacity(qrows.len());
        for q in qrows {
            let kind: String = q.get(2);
            questions.push(QuestionInfo {
                id: q.get(0),
                key: q.get(1),
                kind: kind.parse().map_err(|e: cxm_core::model::UnknownValue| StoreError::Invalid(e.to_string()))?,
                scale_min: q.get(3),
                scale_max: q.get(4),
                label_en: q.get(5),
                label_zh: q.get(6),
            });
        }
        out.push(SurveyInfo { id, key: r.get(1), name_en: r.get(2), name_zh: r.get(3), version: r.get(4), questions });
    }
    Ok(out)
}

#[derive(Debug, Clone)]
pub struct TouchpointInfo {
    pub id: i64,
    pub key: String,
    pub name_en: String,
    pub name_zh: String,
    pub channel: String,
    pub journey_key: String,
    pub stage_key: String,
    pub improvement_cost: f64,
    pub journey_en: String,
    pub journey_zh: String,
    pub stage_en: String,
    pub stage_zh: String,
}

pub async fn touchpoints(db: &Db, workspace_id: i64) -> Result<Vec<TouchpointInfo>> {
    let rows = sqlx::query(
        "SELECT t.id, t.key, t.name_en, t.name_zh, t.channel, j.key, s.key, t.improvement_cost, j.name_en, j.name_zh, s.name_en, s.name_zh \
         FROM touchpoints t JOIN stages s ON s.id = t.stage_id JOIN journeys j ON j.id = s.journey_id \
         WHERE t.workspace_id = $1 ORDER BY j.id, s.position, t.position",
    )
    .bind(workspace_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| TouchpointInfo {
            id: r.get(0),
            key: r.get(1),
            name_en: r.get(2),
            name_zh: r.get(3),
            channel: r.get(4),
            journey_key: r.get(5),
            stage_key: r.get(6),
            improvement_cost: r.get(7),
            journey_en: r.get(8),
            journey_zh: r.get(9),
            stage_en: r.get(10),
            stage_zh: r.get(11),
        })
        .collect())
}
