//! Checks emerging topics and top terms against reference figures computed
//! independently with numpy/scipy by `tools/reference/gen_topics_fixtures.py`
//! (fixture: `tests/fixtures/topics_reference.json`; re-run the script to
//! regenerate). Tolerance: 1e-9 relative, 1e-12 absolute near zero.

use cxm_text::keywords::top_terms;
use cxm_text::topics::{EmergingOptions, TermCounts, emerging, term_tests};
use serde_json::Value;
use std::collections::HashMap;

const FIXTURE: &str = include_str!("fixtures/topics_reference.json");

fn fixture() -> Value {
    serde_json::from_str(FIXTURE).expect("fixture parses")
}

#[track_caller]
fn close(actual: f64, expected: f64, what: &str) {
    let tol = (1e-9 * expected.abs()).max(1e-12);
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: actual {actual:e}, expected {expected:e}, diff {:e}",
        (actual - expected).abs()
    );
}

fn f(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

fn u(v: &Value) -> u64 {
    v.as_u64().expect("unsigned integer")
}

fn counts(v: &Value) -> TermCounts {
    let by_term: HashMap<String, u64> =
        v["by_term"].as_object().expect("object").iter().map(|(t, c)| (t.clone(), u(c))).collect();
    TermCounts { docs: u(&v["docs"]), by_term }
}

#[test]
fn emerging_matches_reference() {
    let fx = fixture();
    for case in fx["emerging"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let baseline = counts(&case["baseline"]);
        let current = counts(&case["current"]);
        let opts = EmergingOptions {
            min_current_docs: u(&case["min_current_docs"]),
            alpha: f(&case["alpha"]),
            ..EmergingOptions::default()
        };
        let tested = term_tests(&baseline, &current, &opts).expect("tests run");
        let expected = case["tested"].as_array().expect("tested");
        assert_eq!(tested.len(), expected.len(), "{name}: number of tested terms");
        for e in expected {
            let term = e["term"].as_str().expect("term");
            let a = tested.iter().find(|t| t.term == term).unwrap_or_else(|| panic!("{name}: {term} not tested"));
            assert_eq!(a.baseline_docs, u(&e["baseline_docs"]), "{name} {term} baseline_docs");
            assert_eq!(a.current_docs, u(&e["current_docs"]), "{name} {term} current_docs");
            assert_eq!(a.new, e["new"].as_bool().expect("bool"), "{name} {term} new");
            for (actual, key) in [
                (a.baseline_share, "baseline_share"),
                (a.current_share, "current_share"),
                (a.lift, "lift"),
                (a.z, "z"),
                (a.p, "p"),
                (a.q, "q"),
            ] {
                close(actual, f(&e[key]), &format!("{name} {term} {key}"));
            }
        }
        let found: Vec<String> =
            emerging(&baseline, &current, &opts).expect("emerging runs").into_iter().map(|t| t.term).collect();
        let want: Vec<String> =
            case["emerging"].as_array().expect("list").iter().map(|t| t.as_str().expect("term").to_string()).collect();
        assert_eq!(found, want, "{name}: emerging terms and their order");
    }
}

#[test]
fn top_terms_match_reference() {
    let fx = fixture();
    for case in fx["top_terms"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let docs: Vec<Vec<String>> = case["docs"]
            .as_array()
            .expect("docs")
            .iter()
            .map(|d| d.as_array().expect("doc").iter().map(|t| t.as_str().expect("term").to_string()).collect())
            .collect();
        let expected = case["expected"].as_array().expect("expected");
        let top = top_terms(&docs, usize::MAX);
        assert_eq!(top.len(), expected.len(), "{name}: number of terms");
        for (a, e) in top.iter().zip(expected) {
            assert_eq!(a.term, e["term"].as_str().expect("term"), "{name}: order");
            assert_eq!(a.docs, u(&e["docs"]), "{name} {} docs", a.term);
            close(a.score, f(&e["score"]), &format!("{name} {} score", a.term));
        }
    }
}
