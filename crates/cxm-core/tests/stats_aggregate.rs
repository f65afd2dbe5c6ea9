//! Aggregate-based summaries against the numpy/scipy reference fixture
//! (tools/reference/gen_stats_fixtures.py): the same expected values as the
//! raw-data functions, reached from counts and moments.

use cxm_core::stats::{mean_from_moments, nps_from_counts, share_from_counts};
use serde_json::Value;

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/stats_reference.json")).unwrap()
}

fn close(a: f64, b: f64, what: &str) {
    let tol = 1e-9 * b.abs().max(1e-3);
    assert!((a - b).abs() <= tol, "{what}: {a} vs reference {b}");
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

#[test]
fn nps_from_counts_matches_reference() {
    let fx = fixture();
    let mut checked = 0;
    for case in fx["nps"].as_array().unwrap() {
        if !case["weights"].is_null() {
            continue;
        }
        let scores: Vec<f64> = case["scores"].as_array().unwrap().iter().map(f).collect();
        let n = scores.len() as u64;
        let pro = scores.iter().filter(|&&s| s >= 9.0).count() as u64;
        let det = scores.iter().filter(|&&s| s <= 6.0).count() as u64;
        let got = nps_from_counts(n, pro, det).unwrap();
        let e = &case["expected"];
        close(got.nps, f(&e["nps"]), "nps");
        close(got.se, f(&e["se"]), "se");
        close(got.ci95.lower, f(&e["ci_lower"]), "lower");
        close(got.ci95.upper, f(&e["ci_upper"]), "upper");
        assert_eq!(got.low_base, e["low_base"].as_bool().unwrap());
        checked += 1;
    }
    assert!(checked >= 4);
}

#[test]
fn shares_and_means_from_moments_match_reference() {
    let fx = fixture();
    let mut checked = 0;
    for case in fx["shares"].as_array().unwrap() {
        if !case["weights"].is_null() {
            continue;
        }
        let values: Vec<f64> = case["values"].as_array().unwrap().iter().map(f).collect();
        let threshold = f(&case["threshold"]);
        let n = values.len() as u64;
        let hits = values.iter().filter(|&&v| v >= threshold).count() as u64;
        let share = share_from_counts(n, hits).unwrap();
        let es = &case["share"];
        close(share.share, f(&es["share"]), "share");
        close(share.ci95.lower, f(&es["ci_lower"]), "wilson lower");
        close(share.ci95.upper, f(&es["ci_upper"]), "wilson upper");
        let mean = mean_from_moments(n, values.iter().sum(), values.iter().map(|v| v * v).sum()).unwrap();
        let em = &case["mean"];
        if em.is_null() {
            checked += 1;
            continue; // the fixture has no mean for this case
        }
        close(mean.mean, f(&em["mean"]), "mean");
        if let Some(lower) = em["ci_lower"].as_f64() {
            let ci = mean.ci95.unwrap();
            close(ci.lower, lower, "t lower");
            close(ci.upper, f(&em["ci_upper"]), "t upper");
        }
        checked += 1;
    }
    assert!(checked >= 4);
}

#[test]
fn empty_and_inconsistent_aggregates_are_errors() {
    assert!(nps_from_counts(0, 0, 0).is_err());
    assert!(nps_from_counts(10, 8, 3).is_err());
    assert!(share_from_counts(5, 6).is_err());
    assert!(mean_from_moments(0, 0.0, 0.0).is_err());
    assert!(mean_from_moments(1, 3.0, 9.0).unwrap().ci95.is_none());
}
