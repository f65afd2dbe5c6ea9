//! Turning raw rows into records, per import kind. Every problem becomes a
//! `RowError` naming the line and the field; nothing is guessed silently.

use super::RowError;
use super::source::RawRow;
use cxm_core::model::{Channel, FeedbackSource, Language, Lifecycle, ODataKind};
use cxm_core::records::{AnswerValue, CustomerRecord, EventRecord, FeedbackRecord, ODataRecord, ResponseRecord};
use std::collections::HashSet;

/// Parses a time: RFC 3339 (`2026-03-01T08:30:00+08:00`), `YYYY-MM-DD HH:MM[:SS]`
/// or `YYYY-MM-DD` (both UTC), or integer Unix milliseconds.
pub fn parse_time(text: &str) -> Result<i64, String> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<i64>().map_err(|_| format!("'{t}' is not a time"));
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(dt.timestamp_millis());
    }
    for fmt in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M"] {
        if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(dt.and_utc().timestamp_millis());
        }
    }
    for fmt in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(t, fmt)
            && let Some(dt) = d.and_hms_opt(0, 0, 0)
        {
            return Ok(dt.and_utc().timestamp_millis());
        }
    }
    Err(format!("'{t}' is not a time (use RFC 3339 like 2026-03-01T08:30:00Z, YYYY-MM-DD, or Unix milliseconds)"))
}

/// Unix ms → `2026-03-01T08:30:00Z` (milliseconds kept when non-zero).
pub fn format_rfc3339(ms: i64) -> String {
    match chrono::DateTime::from_timestamp_millis(ms) {
        Some(dt) if ms % 1000 == 0 => dt.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Some(dt) => dt.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => ms.to_string(),
    }
}

fn parse_bool(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "y" | "是" => Ok(true),
        "0" | "false" | "no" | "n" | "否" => Ok(false),
        other => Err(format!("'{other}' is not a yes/no value (use true/false or 1/0)")),
    }
}

fn parse_number(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("'{text}' is not a number")),
    }
}

fn parse_object(text: &str) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(m)) => Ok(m),
        _ => Err("must be a JSON object like {\"region\":\"east\"}".to_string()),
    }
}

fn external_id(text: &str) -> Result<String, String> {
    if text.len() > 200 {
        return Err(format!("is {} bytes; ids are at most 200", text.len()));
    }
    if text.chars().any(char::is_control) {
        return Err("contains control characters".into());
    }
    Ok(text.to_string())
}

/// What one column of a file means for the kind being imported.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    ExternalId,
    Name,
    Email,
    Phone,
    Language,
    Lifecycle,
    ConsentEmail,
    ConsentSms,
    Segments,
    CreatedAt,
    /// `attributes` as a JSON object, or `attr.KEY` as one attribute.
    Attributes,
    Attribute(String),
    Survey,
    Customer,
    Touchpoint,
    Channel,
    Time,
    Question(String),
    Source,
    Text,
    Rating,
    EventName,
    Properties,
    Property(String),
    Kind,
    Amount,
    /// A column this kind does not know (JSON lines learn columns per row).
    Unknown(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Customers,
    Responses,
    Feedback,
    Events,
    OData,
}

impl std::str::FromStr for ImportKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "customers" => Ok(ImportKind::Customers),
            "responses" => Ok(ImportKind::Responses),
            "feedback" => Ok(ImportKind::Feedback),
            "events" => Ok(ImportKind::Events),
            "odata" => Ok(ImportKind::OData),
            other => Err(format!("unknown import kind '{other}' (customers, responses, feedback, events, odata)")),
        }
    }
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Customers => "customers",
            ImportKind::Responses => "responses",
            ImportKind::Feedback => "feedback",
            ImportKind::Events => "events",
            ImportKind::OData => "odata",
        }
    }

    fn fixed_columns(self) -> &'static [(&'static str, Column)] {
        use Column::*;
        match self {
            ImportKind::Customers => &[
                ("external_id", ExternalId),
                ("name", Name),
                ("email", Email),
                ("phone", Phone),
                ("language", Language),
                ("lifecycle", Lifecycle),
                ("consent_email", ConsentEmail),
                ("consent_sms", ConsentSms),
                ("segments", Segments),
                ("created_at", CreatedAt),
                ("attributes", Attributes),
            ],
            ImportKind::Responses => &[
                ("external_id", ExternalId),
                ("survey", Survey),
                ("customer_id", Customer),
                ("touchpoint", Touchpoint),
                ("channel", Channel),
                ("language", Language),
                ("submitted_at", Time),
            ],
            ImportKind::Feedback => &[
                ("external_id", ExternalId),
                ("source", Source),
                ("text", Text),
                ("rating", Rating),
                ("customer_id", Customer),
                ("touchpoint", Touchpoint),
                ("channel", Channel),
                ("language", Language),
                ("occurred_at", Time),
            ],
            ImportKind::Events => &[
                ("external_id", ExternalId),
                ("customer_id", Customer),
                ("name", EventName),
                ("touchpoint", Touchpoint),
                ("properties", Properties),
                ("occurred_at", Time),
            ],
            ImportKind::OData => &[
                ("external_id", ExternalId),
                ("customer_id", Customer),
                ("kind", Kind),
                ("amount", Amount),
                ("occurred_at", Time),
            ],
        }
    }

    fn required(self) -> &'static [&'static str] {
        match self {
            ImportKind::Customers => &["external_id"],
            ImportKind::Responses => &["external_id", "survey", "submitted_at"],
            ImportKind::Feedback => &["external_id", "source", "text", "occurred_at"],
            ImportKind::Events => &["external_id", "name", "occurred_at"],
            ImportKind::OData => &["external_id", "kind", "amount", "occurred_at"],
        }
    }

    /// The meaning of a column, or an error naming the acceptable ones.
    /// `question_keys` are the workspace's question keys (responses only).
    pub fn column(self, name: &str, question_keys: &HashSet<String>) -> Result<Column, String> {
        if let Some((_, c)) = self.fixed_columns().iter().find(|(n, _)| *n == name) {
            return Ok(c.clone());
        }
        match self {
            ImportKind::Customers => {
                if let Some(k) = name.strip_prefix("attr.").filter(|k| !k.is_empty()) {
                    return Ok(Column::Attribute(k.to_string()));
                }
            }
            ImportKind::Events => {
                if let Some(k) = name.strip_prefix("prop.").filter(|k| !k.is_empty()) {
                    return Ok(Column::Property(k.to_string()));
                }
            }
            ImportKind::Responses if question_keys.contains(name) => return Ok(Column::Question(name.to_string())),
            _ => {}
        }
        let mut known: Vec<&str> = self.fixed_columns().iter().map(|(n, _)| *n).collect();
        match self {
            ImportKind::Customers => known.push("attr.<name>"),
            ImportKind::Events => known.push("prop.<name>"),
            ImportKind::Responses => known.push("<question key of a survey>"),
            _ => {}
        }
        Err(format!("unknown column '{name}' for {} (known: {})", self.as_str(), known.join(", ")))
    }

    /// Checks a complete header (CSV/XLSX): every column known, required ones present, no repeats.
    pub fn check_header(self, header: &[String], question_keys: &HashSet<String>) -> Result<Vec<Column>, String> {
        let mut seen = HashSet::new();
        let mut columns = Vec::with_capacity(header.len());
        for name in header {
            if !seen.insert(name.as_str()) {
                return Err(format!("column '{name}' appears twice"));
            }
            columns.push(self.column(name, question_keys)?);
        }
        let missing: Vec<&str> = self.required().iter().copied().filter(|r| !seen.contains(r)).collect();
        if !missing.is_empty() {
            return Err(format!("missing required column(s): {}", missing.join(", ")));
        }
        Ok(columns)
    }

    pub fn check_required(self, row: &RawRow, header: &[String]) -> Result<(), RowError> {
        for r in self.required() {
            let present =
                header.iter().position(|h| h == r).and_then(|i| row.cells.get(i)).is_some_and(Option::is_some);
            if !present {
                return Err(RowError::new(row.line, r, "is required".to_string()));
            }
        }
        Ok(())
    }
}

/// A parsed record of any kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Customer(CustomerRecord),
    Response(ResponseRecord),
    Feedback(FeedbackRecord),
    Event(EventRecord),
    OData(ODataRecord),
}

fn vocab<T: std::str::FromStr<Err = cxm_core::model::UnknownValue>>(text: &str) -> Result<T, String> {
    text.parse::<T>().map_err(|e| e.to_string())
}

/// Converts one row; `columns[i]` is the meaning of `row.cells[i]`.
pub fn to_record(kind: ImportKind, columns: &[Column], header: &[String], row: &RawRow) -> Result<Record, RowError> {
    kind.check_required(row, header)?;
    let line = row.line;
    let mut external = String::new();
    let mut name = None;
    let mut email = None;
    let mut phone = None;
    let mut language: Option<Language> = None;
    let mut lifecycle: Option<Lifecycle> = None;
    let mut attributes = serde_json::Map::new();
    let mut consent_email = false;
    let mut consent_sms = false;
    let mut segments = Vec::new();
    let mut created_at = None;
    let mut survey = String::new();
    let mut customer = None;
    let mut touchpoint = None;
    let mut channel: Option<Channel> = None;
    let mut time = 0i64;
    let mut answers = Vec::new();
    let mut source: Option<FeedbackSource> = None;
    let mut text = String::new();
    let mut rating = None;
    let mut event_name = String::new();
    let mut properties = serde_json::Map::new();
    let mut odata_kind: Option<ODataKind> = None;
    let mut amount = 0.0;

    for (i, cell) in row.cells.iter().enumerate() {
        let Some(value) = cell.as_deref() else { continue };
        let Some(column) = columns.get(i) else { continue };
        let field = header.get(i).map(String::as_str).unwrap_or("");
        let fail = |reason: String| RowError::new(line, field, reason);
        match column {
            Column::ExternalId => external = external_id(value).map_err(fail)?,
            Column::Name => name = Some(value.to_string()),
            Column::Email => email = Some(value.to_string()),
            Column::Phone => phone = Some(value.to_string()),
            Column::Language => language = Some(vocab(value).map_err(fail)?),
            Column::Lifecycle => lifecycle = Some(vocab(value).map_err(fail)?),
            Column::ConsentEmail => consent_email = parse_bool(value).map_err(fail)?,
            Column::ConsentSms => consent_sms = parse_bool(value).map_err(fail)?,
            Column::Segments => {
                segments =
                    value.split([';', ',', '|']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
            }
            Column::CreatedAt => created_at = Some(parse_time(value).map_err(fail)?),
            Column::Attributes => attributes.extend(parse_object(value).map_err(fail)?),
            Column::Attribute(k) => {
                attributes.insert(k.clone(), serde_json::Value::String(value.to_string()));
            }
            Column::Survey => survey = value.to_string(),
            Column::Customer => customer = Some(external_id(value).map_err(fail)?),
            Column::Touchpoint => touchpoint = Some(value.to_string()),
            Column::Channel => channel = Some(vocab(value).map_err(fail)?),
            Column::Time => time = parse_time(value).map_err(fail)?,
            Column::Question(k) => {
                let v = match value.parse::<f64>() {
                    Ok(n) if n.is_finite() => AnswerValue::Number(n),
                    _ => AnswerValue::Text(value.to_string()),
                };
                answers.push((k.clone(), v));
            }
            Column::Source => source = Some(vocab(value).map_err(fail)?),
            Column::Text => text = value.to_string(),
            Column::Rating => rating = Some(parse_number(value).map_err(fail)?),
            Column::EventName => event_name = value.to_string(),
            Column::Properties => properties.extend(parse_object(value).map_err(fail)?),
            Column::Property(k) => {
                properties.insert(k.clone(), serde_json::Value::String(value.to_string()));
            }
            Column::Kind => odata_kind = Some(vocab(value).map_err(fail)?),
            Column::Amount => amount = parse_number(value).map_err(fail)?,
            Column::Unknown(reason) => return Err(fail(reason.clone())),
        }
    }
    let missing = |field: &str| RowError::new(line, field, "is required".to_string());
    Ok(match kind {
        ImportKind::Customers => Record::Customer(CustomerRecord {
            external_id: external,
            name,
            email,
            phone,
            language,
            lifecycle,
            attributes,
            consent_email,
            consent_sms,
            segments,
            created_at,
        }),
        ImportKind::Responses => Record::Response(ResponseRecord {
            external_id: external,
            survey,
            customer_external_id: customer,
            touchpoint,
            channel,
            language,
            submitted_at: time,
            answers,
        }),
        ImportKind::Feedback => Record::Feedback(FeedbackRecord {
            external_id: external,
            source: source.ok_or_else(|| missing("source"))?,
            text,
            rating,
            customer_external_id: customer,
            touchpoint,
            channel,
            language,
            occurred_at: time,
        }),
        ImportKind::Events => Record::Event(EventRecord {
            external_id: external,
            customer_external_id: customer,
            name: event_name,
            touchpoint,
            properties,
            occurred_at: time,
        }),
        ImportKind::OData => Record::OData(ODataRecord {
            external_id: external,
            customer_external_id: customer,
            kind: odata_kind.ok_or_else(|| missing("kind"))?,
            amount,
            occurred_at: time,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_every_accepted_form() {
        assert_eq!(parse_time("1970-01-02").unwrap(), 86_400_000);
        assert_eq!(parse_time("1970-01-01T08:00:00+08:00").unwrap(), 0);
        assert_eq!(parse_time("1970-01-01 00:00:01").unwrap(), 1000);
        assert_eq!(parse_time("1234").unwrap(), 1234);
        assert!(parse_time("yesterday").unwrap_err().contains("not a time"));
        assert_eq!(format_rfc3339(86_400_000), "1970-01-02T00:00:00Z");
    }

    #[test]
    fn unknown_and_missing_columns_are_named() {
        let keys = HashSet::from(["nps".to_string()]);
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let err = ImportKind::Responses
            .check_header(&h(&["external_id", "survey", "submitted_at", "npz"]), &keys)
            .unwrap_err();
        assert!(err.contains("unknown column 'npz'"), "{err}");
        let err = ImportKind::Responses.check_header(&h(&["external_id", "nps"]), &keys).unwrap_err();
        assert!(err.contains("survey") && err.contains("submitted_at"), "{err}");
        assert!(ImportKind::Customers.check_header(&h(&["external_id", "attr.city"]), &keys).is_ok());
    }
}
