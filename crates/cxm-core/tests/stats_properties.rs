//! Property tests and edge cases for the statistics core (SPEC §4).
//! Bootstrap intervals cannot be compared with numpy's RNG, so they are
//! tested by their properties here.

use cxm_core::stats::*;
use proptest::prelude::*;

/// A well-conditioned driver dataset from a seeded generator: three
/// correlated drivers and an outcome that depends on the first two.
fn synthetic_drivers(n: usize, seed: u64) -> (Vec<Vec<f64>>, Vec<f64>) {
    let mut rng = SplitMix64::new(seed);
    let mut unif = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let mut x = Vec::with_capacity(n);
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let common = unif() - 0.5;
        let a = common + unif() - 0.5;
        let b = common + unif() - 0.5;
        let c = unif() - 0.5;
        y.push(2.0 * a + 1.0 * b + 0.1 * c + 0.5 * (unif() - 0.5));
        x.push(vec![a, b, c]);
    }
    (x, y)
}

// ------------------------------------------------------------ edge cases

#[test]
fn empty_inputs_are_errors() {
    assert_eq!(nps(&[], None), Err(StatsError::Empty));
    assert_eq!(mean_ci(&[], None), Err(StatsError::Empty));
    assert_eq!(top_box_share(&[], 4.0, None), Err(StatsError::Empty));
    assert_eq!(wilson_interval(0.0, 0.0, Z_95), Err(StatsError::Empty));
    assert_eq!(relative_weights(&[], &[]), Err(StatsError::Empty));
    assert!(chi_square_independence(&[]).is_err());
    assert_eq!(benjamini_hochberg(&[]), Ok(vec![]));
    assert!(pearson(&[], &[]).is_err());
    assert!(two_proportion_z_test(0.0, 0.0, 1.0, 2.0).is_err());
}

#[test]
fn non_finite_inputs_are_rejected() {
    assert_eq!(nps(&[9.0, f64::NAN], None), Err(StatsError::NonFinite { index: 1 }));
    assert_eq!(mean_ci(&[1.0, f64::INFINITY], None), Err(StatsError::NonFinite { index: 1 }));
    assert!(top_box_share(&[1.0, 2.0], f64::NAN, None).is_err());
    assert_eq!(mean_ci(&[1.0, 2.0], Some(&[1.0, f64::NAN])), Err(StatsError::InvalidWeight { index: 1 }));
    assert_eq!(mean_ci(&[1.0, 2.0], Some(&[1.0, -1.0])), Err(StatsError::InvalidWeight { index: 1 }));
    assert_eq!(mean_ci(&[1.0, 2.0], Some(&[0.0, 0.0])), Err(StatsError::ZeroWeight));
    assert!(benjamini_hochberg(&[0.1, f64::NAN]).is_err());
    assert!(benjamini_hochberg(&[0.1, 1.5]).is_err());
    assert!(pearson(&[1.0, 2.0, f64::NAN], &[1.0, 2.0, 3.0]).is_err());
    assert!(chi_square_independence(&[vec![1.0, f64::NAN], vec![1.0, 2.0]]).is_err());
    let (mut x, y) = synthetic_drivers(20, 1);
    x[3][1] = f64::NEG_INFINITY;
    assert_eq!(relative_weights(&x, &y), Err(StatsError::NonFiniteCell { row: 3, col: 1 }));
}

#[test]
fn nps_rejects_scores_off_the_scale() {
    assert!(matches!(nps(&[9.0, 11.0], None), Err(StatsError::OutOfRange { index: 1, .. })));
    assert!(nps(&[8.5], None).is_err());
    assert!(nps(&[-1.0], None).is_err());
}

#[test]
fn all_one_answer_is_degenerate_but_defined() {
    let s = nps(&[10.0; 50], None).unwrap();
    assert_eq!(s.nps, 100.0);
    assert_eq!(s.se, 0.0);
    assert_eq!((s.ci95.lower, s.ci95.upper), (100.0, 100.0));
    let d = nps(&[3.0; 5], None).unwrap();
    assert_eq!(d.nps, -100.0);
    assert!(d.low_base);
    // equal degenerate groups: z = 0, p = 1; different ones: undefined
    assert_eq!(nps_difference(&s, &s).unwrap().p_value, 1.0);
    assert!(nps_difference(&s, &d).is_err());

    let share = top_box_share(&[5.0; 10], 4.0, None).unwrap();
    assert_eq!(share.share, 1.0);
    assert_eq!(share.se, 0.0);
    assert!(share.ci95.upper == 1.0 && share.ci95.lower > 0.6 && share.ci95.lower < 1.0);
    let none = top_box_share(&[1.0; 10], 4.0, None).unwrap();
    assert!(none.ci95.lower == 0.0 && none.ci95.upper > 0.0 && none.ci95.upper < 0.4);

    let m = mean_ci(&[3.0; 7], None).unwrap();
    assert_eq!(m.se, Some(0.0));
    assert_eq!(m.ci95, Some(Interval::new(3.0, 3.0)));
    // a single observation: the mean exists, its interval does not
    let one = mean_ci(&[4.0], None).unwrap();
    assert_eq!(one.mean, 4.0);
    assert!(one.ci95.is_none() && one.se.is_none());
    assert!(welch_t_test(&[1.0], &[2.0, 3.0]).is_err());
    assert!(matches!(welch_t_test(&[2.0, 2.0], &[2.0, 2.0]), Err(StatsError::ZeroVariance { .. })));
    assert!(pearson(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]).is_err());
    let z = two_proportion_z_test(10.0, 10.0, 20.0, 20.0).unwrap();
    assert_eq!((z.z, z.p_value), (0.0, 1.0));
}

#[test]
fn weights_of_one_reproduce_unweighted() {
    let scores = [0.0, 3.0, 7.0, 8.0, 9.0, 10.0, 10.0, 6.0, 9.0];
    let ones = [1.0; 9];
    let a = nps(&scores, None).unwrap();
    let b = nps(&scores, Some(&ones)).unwrap();
    assert!((a.nps - b.nps).abs() < 1e-12 && (a.se - b.se).abs() < 1e-12);
    let ma = mean_ci(&scores, None).unwrap();
    let mb = mean_ci(&scores, Some(&ones)).unwrap();
    assert!((ma.ci95.unwrap().lower - mb.ci95.unwrap().lower).abs() < 1e-12);
    assert_eq!(effective_n(&ones), Some(9.0));
    assert_eq!(effective_n(&[]), None);
}

#[test]
fn rating_scales() {
    let csat = rating_summary(&[1.0, 4.0, 5.0, 3.0], RatingScale::csat(), None).unwrap();
    assert_eq!(csat.top_box.share, 0.5);
    assert!(matches!(rating_summary(&[6.0], RatingScale::csat(), None), Err(StatsError::OutOfRange { index: 0, .. })));
    assert_eq!(RatingScale::ces_custom(1.0, 7.0).top_box_min, 5.0);
    assert_eq!(RatingScale::ces_custom(1.0, 5.0).top_box_min, 4.0);
    assert_eq!(RatingScale::csat_custom(1.0, 10.0).top_box_min, 9.0);
    assert!(rating_summary(&[1.0], RatingScale::csat_custom(5.0, 1.0), None).is_err());
}

#[test]
fn chi_square_rejects_bad_tables() {
    assert!(chi_square_independence(&[vec![1.0, 2.0]]).is_err());
    assert!(chi_square_independence(&[vec![1.0, 2.0], vec![1.0]]).is_err());
    assert!(chi_square_independence(&[vec![1.0, 0.0], vec![2.0, 0.0]]).is_err());
    assert!(chi_square_independence(&[vec![1.0, -1.0], vec![2.0, 3.0]]).is_err());
}

#[test]
fn constant_driver_is_named() {
    let (mut x, y) = synthetic_drivers(30, 2);
    for row in x.iter_mut() {
        row[2] = 4.0;
    }
    assert_eq!(relative_weights(&x, &y), Err(StatsError::ConstantDriver { index: 2 }));
    let (x, _) = synthetic_drivers(30, 2);
    assert!(matches!(relative_weights(&x, &[1.0; 30]), Err(StatsError::ZeroVariance { .. })));
}

#[test]
fn too_few_rows_for_regression() {
    let (x, y) = synthetic_drivers(4, 3);
    assert_eq!(relative_weights(&x, &y), Err(StatsError::InsufficientData { needed: 5, found: 4 }));
    let (x, y) = synthetic_drivers(5, 3);
    assert!(relative_weights(&x, &y).is_ok());
    assert!(relative_weights(&x, &y[..4]).is_err());
}

#[test]
fn collinear_drivers_do_not_panic_and_share_weight() {
    let (x, y) = synthetic_drivers(60, 4);
    // driver 3 duplicates driver 0 exactly, driver 4 is an affine copy of 1
    let x: Vec<Vec<f64>> = x.into_iter().map(|r| vec![r[0], r[1], r[2], r[0], 3.0 * r[1] - 2.0]).collect();
    let rw = relative_weights(&x, &y).unwrap();
    let sum: f64 = rw.raw.iter().sum();
    assert!((sum - rw.r_squared).abs() < 1e-9);
    assert!(rw.raw.iter().all(|w| w.is_finite() && *w >= 0.0));
    assert!((rw.raw[0] - rw.raw[3]).abs() < 1e-9);
    assert!((rw.raw[1] - rw.raw[4]).abs() < 1e-9);
    // same R² as without the copies
    let (x0, _) = synthetic_drivers(60, 4);
    let base = relative_weights(&x0, &y).unwrap();
    assert!((base.r_squared - rw.r_squared).abs() < 1e-9);
}

#[test]
fn ipa_quadrants_against_means() {
    let q = ipa_quadrants(&[0.4, 0.3, 0.1, 0.05], &[6.0, 8.0, 5.0, 9.0]).unwrap();
    assert_eq!(
        q,
        vec![IpaQuadrant::FixFirst, IpaQuadrant::KeepUp, IpaQuadrant::LowerPriority, IpaQuadrant::PossibleOverkill]
    );
    assert_eq!(IpaQuadrant::FixFirst.as_str(), "fix_first");
    assert!(ipa_quadrants(&[], &[]).is_err());
    assert!(ipa_quadrants(&[1.0], &[]).is_err());
}

// ------------------------------------------------------------- bootstrap

#[test]
fn bootstrap_contains_estimate_and_is_deterministic() {
    let (x, y) = synthetic_drivers(400, 11);
    let rw = relative_weights(&x, &y).unwrap();
    let b1 = bootstrap_relative_weights(&x, &y, 400, 42).unwrap();
    let b2 = bootstrap_relative_weights(&x, &y, 400, 42).unwrap();
    assert_eq!(b1, b2);
    assert_eq!(b1.failed, 0);
    for (i, w) in b1.intervals.iter().zip(&rw.raw) {
        assert!(i.contains(*w), "{w} not in {i:?}");
        assert!(i.lower <= i.upper);
    }
    assert!(b1.r_squared.contains(rw.r_squared));
    let b3 = bootstrap_relative_weights(&x, &y, 400, 43).unwrap();
    assert_ne!(b1.intervals, b3.intervals);
}

#[test]
fn bootstrap_narrows_with_more_data() {
    let (xs, ys) = synthetic_drivers(80, 5);
    let (xl, yl) = synthetic_drivers(1280, 5);
    let small = bootstrap_relative_weights(&xs, &ys, 300, 7).unwrap();
    let large = bootstrap_relative_weights(&xl, &yl, 300, 7).unwrap();
    for (s, l) in small.intervals.iter().zip(&large.intervals) {
        assert!(l.width() < s.width(), "{l:?} vs {s:?}");
    }
}

#[test]
fn bootstrap_rejects_bad_parameters() {
    let (x, y) = synthetic_drivers(30, 5);
    assert!(bootstrap_relative_weights(&x, &y, 1, 0).is_err());
    assert!(bootstrap_relative_weights(&[], &[], 100, 0).is_err());
}

// ------------------------------------------------------------- proptest

fn finite_vec(len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-1e6f64..1e6, len)
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn nps_is_bounded(
        scores in prop::collection::vec(0u8..=10, 1..200),
        wseed in any::<u64>(),
        weighted in any::<bool>(),
    ) {
        let s: Vec<f64> = scores.iter().map(|&v| v as f64).collect();
        let mut rng = SplitMix64::new(wseed);
        let w: Vec<f64> = s.iter().map(|_| 0.1 + (rng.next_u64() % 100) as f64 / 10.0).collect();
        let r = nps(&s, if weighted { Some(&w) } else { None }).unwrap();
        prop_assert!((-100.0..=100.0).contains(&r.nps));
        prop_assert!(r.se >= 0.0 && r.se.is_finite());
        prop_assert!(r.ci95.contains(r.nps));
    }

    #[test]
    fn wilson_within_unit_interval(n in 1u32..100_000, frac in 0.0f64..=1.0) {
        let x = (frac * n as f64).floor();
        let i = wilson_interval(x, n as f64, Z_95).unwrap();
        let p = x / n as f64;
        prop_assert!(0.0 <= i.lower && i.lower <= i.upper && i.upper <= 1.0);
        prop_assert!(i.lower <= p + 1e-15 && p <= i.upper + 1e-15);
    }

    #[test]
    fn bh_monotone_and_not_below_raw(p in prop::collection::vec(0.0f64..=1.0, 0..60)) {
        let adj = benjamini_hochberg(&p).unwrap();
        prop_assert_eq!(adj.len(), p.len());
        let mut idx: Vec<usize> = (0..p.len()).collect();
        idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
        for w in idx.windows(2) {
            prop_assert!(adj[w[0]] <= adj[w[1]]);
        }
        for (a, r) in adj.iter().zip(&p) {
            prop_assert!(*a >= *r && *a <= 1.0);
        }
    }

    #[test]
    fn relative_weights_sum_to_r_squared(seed in any::<u64>(), n in 12usize..120, dup in any::<bool>()) {
        let (mut x, y) = synthetic_drivers(n, seed);
        if dup {
            for row in x.iter_mut() {
                let v = row[0];
                row.push(v);
            }
        }
        match relative_weights(&x, &y) {
            Ok(rw) => {
                let sum: f64 = rw.raw.iter().sum();
                prop_assert!((sum - rw.r_squared).abs() < 1e-9);
                prop_assert!(rw.r_squared >= -1e-12 && rw.r_squared <= 1.0 + 1e-9);
                prop_assert!(rw.raw.iter().all(|w| *w >= -1e-12));
            }
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    #[test]
    fn pearson_bounded(x in finite_vec(2..50), seed in any::<u64>()) {
        let mut rng = SplitMix64::new(seed);
        let y: Vec<f64> = x.iter().map(|v| v * 0.3 + (rng.next_u64() % 1000) as f64).collect();
        if let Ok(r) = pearson(&x, &y) {
            prop_assert!((-1.0..=1.0).contains(&r));
        }
        if let Ok(r) = spearman(&x, &y) {
            prop_assert!((-1.0..=1.0).contains(&r));
        }
    }

    #[test]
    fn no_panics_on_arbitrary_input(v in prop::collection::vec(any::<f64>(), 0..30)) {
        let _ = nps(&v, None);
        let _ = mean_ci(&v, None);
        let _ = top_box_share(&v, 4.0, None);
        let _ = benjamini_hochberg(&v);
        let _ = pearson(&v, &v);
        let _ = spearman(&v, &v);
        let _ = average_ranks(&v);
        let rows: Vec<Vec<f64>> = v.chunks(3).map(|c| c.to_vec()).collect();
        let _ = chi_square_independence(&rows);
        let y: Vec<f64> = rows.iter().map(|r| r[0]).collect();
        let _ = relative_weights(&rows, &y);
        let _ = mean_ci(&v, Some(&v));
    }
}
