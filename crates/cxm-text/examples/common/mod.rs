//! What the aspect-set tools share: knobs from the environment and reading
//! the labelled files (never the held-out test set).

#![allow(dead_code)] // each tool uses its part

use cxm_text::eval::{self, GoldText};
use std::path::PathBuf;

/// The aspect set, relative to the repository root.
pub const ASPECT_DIR: &str = "crates/cxm-text/tests/data/aspects";

/// The environment variable `name` parsed, or `default`.
pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// `{name}.jsonl` of the aspect set; exits with a message when it cannot be read.
pub fn read_gold(name: &str) -> Vec<GoldText> {
    assert_ne!(name, "test", "test.jsonl is the held-out set");
    let path = PathBuf::from(ASPECT_DIR).join(format!("{name}.jsonl"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("cannot read {}: {e} (run from the repository root)", path.display());
        std::process::exit(2);
    });
    eval::parse_gold(&text).unwrap_or_else(|e| {
        eprintln!("{}: {e}", path.display());
        std::process::exit(2);
    })
}
