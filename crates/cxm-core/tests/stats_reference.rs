//! Checks the statistics core against reference figures computed
//! independently with numpy/scipy by `tools/reference/gen_stats_fixtures.py`
//! (fixture: `tests/fixtures/stats_reference.json`; re-run the script to
//! regenerate). Tolerance: 1e-9 relative, 1e-12 absolute near zero.

use cxm_core::stats::*;
use serde_json::Value;

const FIXTURE: &str = include_str!("fixtures/stats_reference.json");

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

#[track_caller]
fn close_all(actual: &[f64], expected: &[f64], what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: length");
    for (a, e) in actual.iter().zip(expected) {
        close(*a, *e, what);
    }
}

fn f(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

fn vec_f(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(f).collect()
}

fn opt_vec(v: &Value) -> Option<Vec<f64>> {
    if v.is_null() { None } else { Some(vec_f(v)) }
}

fn matrix(v: &Value) -> Vec<Vec<f64>> {
    v.as_array().expect("array").iter().map(vec_f).collect()
}

#[test]
fn z95_matches_scipy() {
    close(Z_95, f(&fixture()["z95"]), "z95");
}

#[test]
fn nps_matches_reference() {
    let fx = fixture();
    let mut summaries = Vec::new();
    for case in fx["nps"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let scores = vec_f(&case["scores"]);
        let weights = opt_vec(&case["weights"]);
        let s = nps(&scores, weights.as_deref()).unwrap();
        let e = &case["expected"];
        assert_eq!(s.n as u64, e["n"].as_u64().unwrap(), "{name} n");
        assert_eq!(s.low_base, e["low_base"].as_bool().unwrap(), "{name} low_base");
        for (a, key) in [
            (s.effective_n, "effective_n"),
            (s.promoters, "promoters"),
            (s.passives, "passives"),
            (s.detractors, "detractors"),
            (s.nps, "nps"),
            (s.se, "se"),
            (s.ci95.lower, "ci_lower"),
            (s.ci95.upper, "ci_upper"),
        ] {
            close(a, f(&e[key]), &format!("{name} {key}"));
        }
        summaries.push(s);
    }
    for d in fx["nps_differences"].as_array().unwrap() {
        let a = &summaries[d["a"].as_u64().unwrap() as usize];
        let b = &summaries[d["b"].as_u64().unwrap() as usize];
        let t = nps_difference(a, b).unwrap();
        close(t.z, f(&d["z"]), "nps diff z");
        close(t.p_value, f(&d["p"]), "nps diff p");
    }
}

#[test]
fn shares_and_means_match_reference() {
    let fx = fixture();
    for case in fx["shares"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let values = vec_f(&case["values"]);
        let weights = opt_vec(&case["weights"]);
        let s = top_box_share(&values, f(&case["threshold"]), weights.as_deref()).unwrap();
        let e = &case["share"];
        for (a, key) in [
            (s.effective_n, "effective_n"),
            (s.successes, "successes"),
            (s.share, "share"),
            (s.se, "se"),
            (s.ci95.lower, "ci_lower"),
            (s.ci95.upper, "ci_upper"),
        ] {
            close(a, f(&e[key]), &format!("{name} share {key}"));
        }
        let m = mean_ci(&values, weights.as_deref()).unwrap();
        if let Some(e) = case.get("mean") {
            let ci = m.ci95.unwrap();
            for (a, key) in [
                (m.effective_n, "effective_n"),
                (m.mean, "mean"),
                (m.sd.unwrap(), "sd"),
                (m.se.unwrap(), "se"),
                (m.df.unwrap(), "df"),
                (ci.lower, "ci_lower"),
                (ci.upper, "ci_upper"),
            ] {
                close(a, f(&e[key]), &format!("{name} mean {key}"));
            }
        } else {
            // constant data: SE 0, degenerate but defined interval
            assert_eq!(m.se, Some(0.0), "{name}");
            let ci = m.ci95.unwrap();
            assert_eq!((ci.lower, ci.upper), (m.mean, m.mean), "{name}");
        }
    }
}

#[test]
fn wilson_matches_reference() {
    for case in fixture()["wilson"].as_array().unwrap() {
        let i = wilson_interval(f(&case["x"]), f(&case["n"]), Z_95).unwrap();
        close(i.lower, f(&case["lower"]), "wilson lower");
        close(i.upper, f(&case["upper"]), "wilson upper");
    }
}

#[test]
fn two_proportion_matches_chi_square_p() {
    for case in fixture()["two_proportion"].as_array().unwrap() {
        let t = two_proportion_z_test(f(&case["x1"]), f(&case["n1"]), f(&case["x2"]), f(&case["n2"])).unwrap();
        close(t.z, f(&case["z"]), "z");
        close(t.p_value, f(&case["p"]), "p");
    }
}

#[test]
fn welch_matches_scipy() {
    for case in fixture()["welch"].as_array().unwrap() {
        let t = welch_t_test(&vec_f(&case["a"]), &vec_f(&case["b"])).unwrap();
        close(t.t, f(&case["t"]), "welch t");
        close(t.df, f(&case["df"]), "welch df");
        close(t.p_value, f(&case["p"]), "welch p");
    }
}

#[test]
fn chi_square_matches_scipy() {
    for case in fixture()["chi_square"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let r = chi_square_independence(&matrix(&case["table"])).unwrap();
        close(r.statistic, f(&case["statistic"]), &format!("{name} chi2"));
        assert_eq!(r.df as u64, case["df"].as_u64().unwrap());
        close(r.p_value, f(&case["p"]), &format!("{name} p"));
        assert_eq!(r.expected.len(), matrix(&case["expected"]).len());
        assert_eq!(r.adjusted_residuals.len(), r.expected.len());
        for (ra, ea) in r.expected.iter().zip(matrix(&case["expected"])) {
            close_all(ra, &ea, &format!("{name} expected"));
        }
        for (ra, ea) in r.adjusted_residuals.iter().zip(matrix(&case["adjusted_residuals"])) {
            close_all(ra, &ea, &format!("{name} adjusted residual"));
        }
    }
}

#[test]
fn agresti_published_values() {
    // Agresti (2007), An Introduction to Categorical Data Analysis, 2nd ed.,
    // Table 2.5: X² = 30.07 (df 2); adjusted residuals 4.50, 0.70, −5.32.
    let r = chi_square_independence(&[vec![762.0, 327.0, 468.0], vec![484.0, 239.0, 477.0]]).unwrap();
    assert!((r.statistic - 30.07).abs() < 0.005);
    assert_eq!(r.df, 2);
    for (a, e) in r.adjusted_residuals[0].iter().zip([4.50, 0.70, -5.32]) {
        assert!((a - e).abs() < 0.005, "{a} vs {e}");
    }
}

#[test]
fn benjamini_hochberg_matches_scipy() {
    for case in fixture()["benjamini_hochberg"].as_array().unwrap() {
        let r = benjamini_hochberg_reject(&vec_f(&case["p"]), f(&case["q"])).unwrap();
        close_all(&r.adjusted, &vec_f(&case["adjusted"]), "bh adjusted");
        let want: Vec<bool> = case["reject"].as_array().unwrap().iter().map(|b| b.as_bool().unwrap()).collect();
        assert_eq!(r.reject, want);
    }
}

#[test]
fn correlations_match_scipy() {
    for case in fixture()["correlation"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let x = vec_f(&case["x"]);
        let y = vec_f(&case["y"]);
        let p = pearson(&x, &y).unwrap();
        let s = spearman(&x, &y).unwrap();
        close(p, f(&case["pearson"]), &format!("{name} pearson"));
        close(s, f(&case["spearman"]), &format!("{name} spearman"));
        close(correlation_p_value(p, x.len()).unwrap(), f(&case["pearson_p"]), &format!("{name} pearson p"));
        close(correlation_p_value(s, x.len()).unwrap(), f(&case["spearman_p"]), &format!("{name} spearman p"));
        close_all(&average_ranks(&x), &vec_f(&case["ranks_x"]), &format!("{name} ranks"));
    }
}

#[test]
fn relative_weights_match_numpy() {
    for case in fixture()["drivers"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let x = matrix(&case["x"]);
        let y = vec_f(&case["y"]);
        let rw = relative_weights(&x, &y).unwrap();
        close(rw.r_squared, f(&case["r_squared"]), &format!("{name} R²"));
        close_all(&rw.raw, &vec_f(&case["raw"]), &format!("{name} raw"));
        close_all(&rw.rescaled, &vec_f(&case["rescaled"]), &format!("{name} rescaled"));
        close_all(&rw.correlations, &vec_f(&case["correlations"]), &format!("{name} correlation"));
    }
}
