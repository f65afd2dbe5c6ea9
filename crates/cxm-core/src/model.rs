//! Domain enums shared by every layer (SPEC §2, §3).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An error for a value outside a closed vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} '{value}' (expected one of: {expected})")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
    pub expected: String,
}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $kind:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = s.trim();
                $(if wanted.eq_ignore_ascii_case($text) { return Ok($name::$variant); })+
                Err(UnknownValue {
                    kind: $kind,
                    value: s.to_string(),
                    expected: [$($text),+].join(", "),
                })
            }
        }
    };
}

vocabulary!(
    /// Question type of a survey item (SPEC §3).
    QuestionKind, "question kind" {
        Nps => "nps",
        Csat => "csat",
        Ces => "ces",
        Rating => "rating",
        SingleChoice => "single_choice",
        MultipleChoice => "multiple_choice",
        ReasonChoice => "reason_choice",
        Matrix => "matrix",
        OpenText => "open_text",
        Contact => "contact",
        Hidden => "hidden",
    }
);

vocabulary!(
    /// Channel (渠道) through which a touchpoint or response happens.
    Channel, "channel" {
        Web => "web",
        App => "app",
        Store => "store",
        Phone => "phone",
        Email => "email",
        Social => "social",
        Wechat => "wechat",
        MiniProgram => "mini_program",
        Sms => "sms",
        InPerson => "in_person",
        Chat => "chat",
    }
);

vocabulary!(
    /// Customer lifecycle stage (SPEC §3).
    Lifecycle, "lifecycle stage" {
        New => "new",
        Active => "active",
        Loyal => "loyal",
        AtRisk => "at_risk",
        Churned => "churned",
    }
);

vocabulary!(
    /// Layer of the CX pyramid (客户体验金字塔) that a touchpoint delivers.
    PyramidLayer, "pyramid layer" {
        Utility => "utility",
        Usability => "usability",
        Delight => "delight",
    }
);

vocabulary!(
    /// RATER / SERVQUAL dimension (SPEC §4.6).
    RaterDimension, "RATER dimension" {
        Reliability => "reliability",
        Assurance => "assurance",
        Tangibles => "tangibles",
        Empathy => "empathy",
        Responsiveness => "responsiveness",
    }
);

vocabulary!(
    /// Source of a non-survey feedback item (X-data).
    FeedbackSource, "feedback source" {
        Review => "review",
        Complaint => "complaint",
        Ticket => "ticket",
        CallTranscript => "call_transcript",
        Social => "social",
        Opinion => "opinion",
    }
);

vocabulary!(
    /// Kind of operational record (O-data).
    ODataKind, "operational record kind" {
        Order => "order",
        Renewal => "renewal",
        Refund => "refund",
        Complaint => "complaint",
        AdConversion => "ad_conversion",
        Cancellation => "cancellation",
    }
);

vocabulary!(
    /// Role of a user of the app.
    Role, "role" {
        Admin => "admin",
        Analyst => "analyst",
        Agent => "agent",
        Viewer => "viewer",
    }
);

vocabulary!(
    /// Language of a customer, response or UI.
    Language, "language" {
        Zh => "zh",
        En => "en",
    }
);

/// How a score question classifies an answer into top / bottom groups.
///
/// NPS: top = promoters (9–10), bottom = detractors (0–6). CSAT: top-2-box
/// (4–5 on 1–5). CES: "easy" (5–7 on 1–7). The scale is part of the
/// question definition, never assumed (SPEC §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScoreScale {
    pub min: f64,
    pub max: f64,
    /// Values >= this count as "top" (promoter, satisfied, easy).
    pub top_from: f64,
    /// Values <= this count as "bottom" (detractor); NaN when the metric has none.
    pub bottom_to: f64,
}

impl ScoreScale {
    pub const NPS: ScoreScale = ScoreScale { min: 0.0, max: 10.0, top_from: 9.0, bottom_to: 6.0 };
    pub const CSAT5: ScoreScale = ScoreScale { min: 1.0, max: 5.0, top_from: 4.0, bottom_to: 2.0 };
    pub const CES7: ScoreScale = ScoreScale { min: 1.0, max: 7.0, top_from: 5.0, bottom_to: 3.0 };

    /// Default scale for a score question of `kind` with the given bounds.
    pub fn for_question(kind: QuestionKind, min: f64, max: f64) -> Option<ScoreScale> {
        match kind {
            QuestionKind::Nps => Some(ScoreScale::NPS),
            QuestionKind::Csat if min == 1.0 && max == 5.0 => Some(ScoreScale::CSAT5),
            QuestionKind::Ces if min == 1.0 && max == 7.0 => Some(ScoreScale::CES7),
            // A 1–5 effort scale: 4–5 easy. Other ranges: top 2 / bottom 2 points.
            QuestionKind::Csat | QuestionKind::Ces | QuestionKind::Rating | QuestionKind::Matrix => {
                Some(ScoreScale { min, max, top_from: max - 1.0, bottom_to: min + 1.0 })
            }
            _ => None,
        }
    }

    pub fn contains(&self, value: f64) -> bool {
        value.is_finite() && value >= self.min && value <= self.max
    }
    pub fn is_top(&self, value: f64) -> bool {
        value >= self.top_from
    }
    pub fn is_bottom(&self, value: f64) -> bool {
        value <= self.bottom_to
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_round_trips_and_rejects_unknown() {
        for c in Channel::ALL {
            assert_eq!(c.as_str().parse::<Channel>().unwrap(), *c);
        }
        let err = "fax".parse::<Channel>().unwrap_err();
        assert!(err.to_string().contains("unknown channel 'fax'"));
        assert_eq!(" NPS ".parse::<QuestionKind>().unwrap(), QuestionKind::Nps);
    }

    #[test]
    fn nps_scale_groups() {
        let s = ScoreScale::NPS;
        assert!(s.is_top(9.0) && !s.is_top(8.0));
        assert!(s.is_bottom(6.0) && !s.is_bottom(7.0));
        assert!(!s.contains(11.0) && !s.contains(f64::NAN));
    }
}
