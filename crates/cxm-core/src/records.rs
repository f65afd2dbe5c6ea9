//! Plain records that enter the store: what an import row, an API call or the
//! demo generator produces. Times are Unix milliseconds (UTC).
//!
//! API Boundary: these types are shared by import, the HTTP bulk endpoint and
//! the demo generator; keep them plain and documented.

use crate::model::{Channel, FeedbackSource, Language, Lifecycle, ODataKind};
use serde::{Deserialize, Serialize};

/// A customer (客户). `external_id` is the caller's key and makes imports idempotent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerRecord {
    pub external_id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: Option<Language>,
    pub lifecycle: Option<Lifecycle>,
    /// Free-form attributes (region, tier, birthday …) as a JSON object.
    pub attributes: serde_json::Map<String, serde_json::Value>,
    pub consent_email: bool,
    pub consent_sms: bool,
    /// Keys of segments the customer belongs to.
    pub segments: Vec<String>,
    pub created_at: Option<i64>,
}

/// One answer value of a response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AnswerValue {
    Number(f64),
    Text(String),
}

/// A survey response with its answers, keyed by question key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseRecord {
    pub external_id: String,
    /// Key of the survey (must exist).
    pub survey: String,
    pub customer_external_id: Option<String>,
    /// Key of the touchpoint (must exist when given).
    pub touchpoint: Option<String>,
    pub channel: Option<Channel>,
    pub language: Option<Language>,
    pub submitted_at: i64,
    pub answers: Vec<(String, AnswerValue)>,
}

/// A non-survey feedback item (X-data): review, complaint, ticket, transcript …
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedbackRecord {
    pub external_id: String,
    pub source: FeedbackSource,
    pub text: String,
    pub rating: Option<f64>,
    pub customer_external_id: Option<String>,
    pub touchpoint: Option<String>,
    pub channel: Option<Channel>,
    pub language: Option<Language>,
    pub occurred_at: i64,
}

/// A behavioural tracking event (埋点).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub external_id: String,
    pub customer_external_id: Option<String>,
    pub name: String,
    pub touchpoint: Option<String>,
    pub properties: serde_json::Map<String, serde_json::Value>,
    pub occurred_at: i64,
}

/// An operational record (O-data): order, renewal, refund, complaint …
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ODataRecord {
    pub external_id: String,
    pub customer_external_id: Option<String>,
    pub kind: ODataKind,
    pub amount: f64,
    pub occurred_at: i64,
}

/// Configuration records: the shape of a workspace (journeys, touchpoints,
/// segments, surveys). Used by the demo generator and the setup API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JourneySpec {
    pub key: String,
    pub name_en: String,
    pub name_zh: String,
    pub stages: Vec<StageSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageSpec {
    pub key: String,
    pub name_en: String,
    pub name_zh: String,
    pub touchpoints: Vec<TouchpointSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TouchpointSpec {
    pub key: String,
    pub name_en: String,
    pub name_zh: String,
    pub channel: Channel,
    pub owner_team: String,
    /// Relative cost of improving this touchpoint (used by KX ranking, SPEC §4.11).
    pub improvement_cost: f64,
    pub pyramid_layer: crate::model::PyramidLayer,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentSpec {
    pub key: String,
    pub name_en: String,
    pub name_zh: String,
    /// Human-readable rule that defines membership (evaluated by later layers).
    pub rule: String,
    /// Target-account (TA 目标客户) segment.
    pub is_ta: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveySpec {
    pub key: String,
    pub name_en: String,
    pub name_zh: String,
    pub questions: Vec<QuestionSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionSpec {
    pub key: String,
    pub kind: crate::model::QuestionKind,
    pub label_en: String,
    pub label_zh: String,
    pub scale_min: Option<f64>,
    pub scale_max: Option<f64>,
    /// RATER dimension for matrix items.
    pub dimension: Option<crate::model::RaterDimension>,
    /// Options for choice questions.
    pub options: Vec<String>,
    pub required: bool,
}

/// Everything that defines a workspace before data arrives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct WorkspaceSetup {
    pub journeys: Vec<JourneySpec>,
    pub segments: Vec<SegmentSpec>,
    pub surveys: Vec<SurveySpec>,
}
