//! Placeholder until the rule scorer lands: same API, no evidence.

use std::ops::Range;

pub struct ClauseScore {
    pub range: Range<usize>,
    pub score: f32,
}

pub struct RuleScore {
    pub score: f32,
    pub positive: f32,
    pub negative: f32,
    pub hits: u32,
    pub clauses: Vec<ClauseScore>,
}

pub fn score(_norm: &str) -> RuleScore {
    RuleScore { score: 0.0, positive: 0.0, negative: 0.0, hits: 0, clauses: Vec::new() }
}
