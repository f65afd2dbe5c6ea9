//! Emerging topics and suggested taxonomy entries (SPEC §5: "emerging topics
//! (new terms rising against a baseline)").
//!
//! [`emerging`] compares each term's document share in a current window with
//! a baseline window: pooled two-proportion z test (SPEC §4.4, from
//! `cxm_core::stats`), one-sided for a rise, Benjamini–Hochberg over all
//! tested terms. [`suggest_aspects`] groups texts that no aspect matched into
//! clusters around a shared term and labels them, as candidates for new
//! taxonomy entries.

use cxm_core::stats::{StatsError, benjamini_hochberg, two_proportion_z_test};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Why emerging terms could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TopicsError {
    #[error("{window} window: term {term:?} is in {count} documents but the window has only {docs}")]
    CountExceedsDocs { window: &'static str, term: String, count: u64, docs: u64 },
    #[error("invalid option: {0}")]
    InvalidOption(String),
    #[error(transparent)]
    Stats(#[from] StatsError),
}

/// Document frequencies of terms in one time window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TermCounts {
    /// Documents (texts) in the window.
    pub docs: u64,
    /// Per term, the documents that contain it (≤ `docs`).
    pub by_term: HashMap<String, u64>,
}

impl TermCounts {
    /// Counts from the keyword lists of a window's texts (a term repeated in
    /// one list counts once).
    pub fn from_keyword_lists(lists: &[Vec<String>]) -> Self {
        let mut by_term: HashMap<String, u64> = HashMap::new();
        for list in lists {
            let mut seen: Vec<&str> = list.iter().map(String::as_str).filter(|t| !t.is_empty()).collect();
            seen.sort_unstable();
            seen.dedup();
            for term in seen {
                *by_term.entry(term.to_string()).or_insert(0) += 1;
            }
        }
        TermCounts { docs: lists.len() as u64, by_term }
    }
}

/// Options of [`emerging`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EmergingOptions {
    /// Terms in fewer current documents are not tested (too few to matter,
    /// and they would only dilute the false-discovery control). Default 5;
    /// 0 is taken as 1.
    pub min_current_docs: u64,
    /// False-discovery level for the BH q-values, in (0, 1). Default 0.05.
    pub alpha: f64,
    /// At most this many terms are returned. Default 50.
    pub max_terms: usize,
}

impl Default for EmergingOptions {
    fn default() -> Self {
        EmergingOptions { min_current_docs: 5, alpha: 0.05, max_terms: 50 }
    }
}

/// One tested term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmergingTerm {
    pub term: String,
    pub baseline_docs: u64,
    pub current_docs: u64,
    /// baseline_docs / baseline window docs.
    pub baseline_share: f64,
    /// current_docs / current window docs.
    pub current_share: f64,
    /// current_share / (max(baseline_docs, 0.5) / baseline window docs): a
    /// term absent from the baseline counts as half a document there, so its
    /// lift is finite and ranks above the same share with one baseline doc.
    pub lift: f64,
    /// Pooled two-proportion z, current minus baseline (positive = rising).
    pub z: f64,
    /// One-sided p of a rise: P(Z ≥ z).
    pub p: f64,
    /// Benjamini–Hochberg adjusted p over all tested terms.
    pub q: f64,
    /// Absent from the baseline.
    pub new: bool,
}

fn validate(counts: &TermCounts, window: &'static str) -> Result<(), TopicsError> {
    // Sorted so the error names the same term whatever the map's order.
    let mut bad: Vec<(&String, &u64)> = counts.by_term.iter().filter(|(_, c)| **c > counts.docs).collect();
    bad.sort();
    match bad.first() {
        Some((term, count)) => {
            Err(TopicsError::CountExceedsDocs { window, term: (*term).clone(), count: **count, docs: counts.docs })
        }
        None => Ok(()),
    }
}

/// Every tested term with its statistics, sorted by z descending, then term.
///
/// Tested terms are those of `current.by_term` in at least
/// `opts.min_current_docs` current documents (a term only in the baseline
/// cannot be rising). For each: the pooled two-proportion z test of the
/// current share against the baseline share
/// (`cxm_core::stats::two_proportion_z_test`; a term in every document of
/// both windows has z = 0), one-sided p = P(Z ≥ z) (half the two-sided p when
/// z > 0, one minus that half otherwise), and BH q-values
/// (`cxm_core::stats::benjamini_hochberg`) over all tested terms.
///
/// An empty window (0 documents) gives an empty result: there is nothing to
/// compare. A term count above its window's documents is an error.
pub fn term_tests(
    baseline: &TermCounts,
    current: &TermCounts,
    opts: &EmergingOptions,
) -> Result<Vec<EmergingTerm>, TopicsError> {
    if !(opts.alpha.is_finite() && opts.alpha > 0.0 && opts.alpha < 1.0) {
        return Err(TopicsError::InvalidOption(format!("alpha must be in (0, 1), got {}", opts.alpha)));
    }
    validate(baseline, "baseline")?;
    validate(current, "current")?;
    if baseline.docs == 0 || current.docs == 0 {
        return Ok(Vec::new());
    }
    let min_docs = opts.min_current_docs.max(1);
    // Sorted by term: the family is then processed in a fixed order.
    let mut tested: Vec<(&String, u64)> =
        current.by_term.iter().filter(|(_, c)| **c >= min_docs).map(|(t, c)| (t, *c)).collect();
    tested.sort();
    let (nb, nc) = (baseline.docs as f64, current.docs as f64);
    let mut terms = Vec::with_capacity(tested.len());
    let mut p_values = Vec::with_capacity(tested.len());
    for (term, c) in tested {
        let b = baseline.by_term.get(term).copied().unwrap_or(0);
        let test = two_proportion_z_test(c as f64, nc, b as f64, nb)?;
        // Two-sided p = 2·P(Z ≥ |z|) exactly (capped at 1, reached only at
        // z = 0), so halving it is the upper tail without a second
        // distribution call.
        let half = test.p_value / 2.0;
        let p = if test.z > 0.0 { half } else { 1.0 - half };
        let (baseline_share, current_share) = (b as f64 / nb, c as f64 / nc);
        terms.push(EmergingTerm {
            term: term.clone(),
            baseline_docs: b,
            current_docs: c,
            baseline_share,
            current_share,
            lift: current_share / ((b as f64).max(0.5) / nb),
            z: test.z,
            p,
            q: f64::NAN,
            new: b == 0,
        });
        p_values.push(p);
    }
    let q_values = benjamini_hochberg(&p_values)?;
    for (t, q) in terms.iter_mut().zip(q_values) {
        t.q = q;
    }
    terms.sort_by(|a, b| b.z.total_cmp(&a.z).then_with(|| a.term.cmp(&b.term)));
    Ok(terms)
}

/// Emerging terms: the tested terms (see [`term_tests`]) that rose
/// (current share > baseline share) with q ≤ `opts.alpha`, sorted by z
/// descending, then term; at most `opts.max_terms`.
pub fn emerging(
    baseline: &TermCounts,
    current: &TermCounts,
    opts: &EmergingOptions,
) -> Result<Vec<EmergingTerm>, TopicsError> {
    let mut terms = term_tests(baseline, current, opts)?;
    terms.retain(|t| t.q <= opts.alpha && t.current_share > t.baseline_share);
    terms.truncate(opts.max_terms);
    Ok(terms)
}

/// Options of [`suggest_aspects`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SuggestOptions {
    /// A cluster needs at least this many texts. Default 5; 0 is taken as 1.
    pub min_size: usize,
    /// Stop after this many clusters. Default 10.
    pub max_clusters: usize,
    /// Label terms per cluster, the seed term included. Default 3.
    pub max_label_terms: usize,
    /// A label term other than the seed must be in at least this share of
    /// the cluster's texts. Default 0.3.
    pub min_label_share: f64,
    /// Member indices kept as examples per cluster. Default 10.
    pub max_members: usize,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions { min_size: 5, max_clusters: 10, max_label_terms: 3, min_label_share: 0.3, max_members: 10 }
    }
}

/// A candidate taxonomy entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AspectSuggestion {
    /// Label terms, most characteristic first (the seed term leads).
    pub terms: Vec<String>,
    /// Texts in the cluster.
    pub size: usize,
    /// Indices into the input of the first `max_members` texts of the cluster,
    /// ascending.
    pub members: Vec<usize>,
}

/// Suggests new taxonomy entries from the keyword lists of texts that no
/// aspect matched.
///
/// Greedy and explainable: among the texts not yet clustered, the term in
/// the most texts (ties: the smaller term) seeds a cluster of every such text
/// containing it, if there are at least `min_size`; otherwise the search
/// stops. The cluster is labelled with the seed, then the terms most
/// over-represented in it: in-cluster share ≥ `min_label_share` and lift =
/// in-cluster share / ((texts outside with the term + 0.5)/(texts outside +
/// 1)) above 1, by lift, then share, then term. The cluster's texts are set
/// aside and the search repeats, up to `max_clusters`. Sizes therefore never
/// grow from one suggestion to the next.
///
/// Known limit: a generic term that slipped past the stop words (say 手机 in
/// a phone shop's texts) seeds one broad cluster; add it to the stop words or
/// the taxonomy's dictionary.
pub fn suggest_aspects(unmapped: &[Vec<String>], opts: &SuggestOptions) -> Vec<AspectSuggestion> {
    let min_size = opts.min_size.max(1);
    let min_share = if opts.min_label_share.is_finite() { opts.min_label_share.clamp(0.0, 1.0) } else { 0.3 };
    if unmapped.len() < min_size || opts.max_clusters == 0 {
        return Vec::new();
    }
    // Terms interned in sorted order, so "smaller id" means "smaller term".
    let mut vocabulary: Vec<&str> = unmapped.iter().flatten().map(String::as_str).filter(|t| !t.is_empty()).collect();
    vocabulary.sort_unstable();
    vocabulary.dedup();
    let id_of: HashMap<&str, usize> = vocabulary.iter().enumerate().map(|(i, t)| (*t, i)).collect();
    let docs: Vec<Vec<usize>> = unmapped
        .iter()
        .map(|list| {
            let mut ids: Vec<usize> = list.iter().filter_map(|t| id_of.get(t.as_str()).copied()).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect();
    let mut df_all = vec![0usize; vocabulary.len()];
    for ids in &docs {
        for &t in ids {
            df_all[t] += 1;
        }
    }
    let mut open = vec![true; docs.len()];
    let mut suggestions = Vec::new();
    let mut df = vec![0usize; vocabulary.len()];
    let mut in_cluster = vec![0usize; vocabulary.len()];
    while suggestions.len() < opts.max_clusters {
        df.iter_mut().for_each(|d| *d = 0);
        for (ids, _) in docs.iter().zip(&open).filter(|(_, o)| **o) {
            for &t in ids {
                df[t] += 1;
            }
        }
        // max_by_key keeps the last maximum; iterate in reverse so ties go to
        // the smallest id.
        let Some((seed, &seed_df)) = df.iter().enumerate().rev().max_by_key(|(_, d)| **d) else { break };
        if seed_df < min_size {
            break;
        }
        let members: Vec<usize> =
            (0..docs.len()).filter(|&i| open[i] && docs[i].binary_search(&seed).is_ok()).collect();
        in_cluster.iter_mut().for_each(|c| *c = 0);
        for &i in &members {
            for &t in &docs[i] {
                in_cluster[t] += 1;
            }
        }
        let size = members.len() as f64;
        let outside = (docs.len() - members.len()) as f64;
        let mut labels: Vec<(f64, f64, usize)> = in_cluster
            .iter()
            .enumerate()
            .filter(|&(t, &c)| t != seed && c > 0)
            .filter_map(|(t, &c)| {
                let share = c as f64 / size;
                let rest = (df_all[t] - c) as f64;
                let lift = share / ((rest + 0.5) / (outside + 1.0));
                (share >= min_share && lift > 1.0).then_some((lift, share, t))
            })
            .collect();
        labels.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
        let terms: Vec<String> = std::iter::once(seed)
            .chain(labels.iter().map(|l| l.2))
            .take(opts.max_label_terms.max(1))
            .map(|t| vocabulary[t].to_string())
            .collect();
        for &i in &members {
            open[i] = false;
        }
        suggestions.push(AspectSuggestion {
            terms,
            size: members.len(),
            members: members.into_iter().take(opts.max_members).collect(),
        });
    }
    suggestions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(docs: u64, terms: &[(&str, u64)]) -> TermCounts {
        TermCounts { docs, by_term: terms.iter().map(|(t, c)| (t.to_string(), *c)).collect() }
    }

    fn names(terms: &[EmergingTerm]) -> Vec<&str> {
        terms.iter().map(|t| t.term.as_str()).collect()
    }

    #[test]
    fn rising_and_new_terms_found_falling_and_flat_not() {
        let baseline = counts(1000, &[("物流", 100), ("客服", 50), ("价格", 80), ("信号", 5)]);
        let current = counts(500, &[("物流", 50), ("客服", 10), ("价格", 40), ("信号", 60), ("5g", 30), ("积分", 3)]);
        let out = emerging(&baseline, &current, &EmergingOptions::default()).unwrap();
        assert_eq!(names(&out), vec!["信号", "5g"]);
        let signal = &out[0];
        assert!(!signal.new);
        assert_eq!((signal.baseline_docs, signal.current_docs), (5, 60));
        assert!((signal.lift - (60.0 / 500.0) / (5.0 / 1000.0)).abs() < 1e-12);
        let fiveg = &out[1];
        assert!(fiveg.new);
        assert!((fiveg.lift - (30.0 / 500.0) / (0.5 / 1000.0)).abs() < 1e-9);
        assert!(fiveg.z > 0.0 && fiveg.p < 1e-6 && fiveg.q <= 0.05 && fiveg.q >= fiveg.p);
        // All tested terms: 积分 (3 docs) is below min_current_docs.
        let all = term_tests(&baseline, &current, &EmergingOptions::default()).unwrap();
        assert_eq!(names(&all), vec!["信号", "5g", "价格", "物流", "客服"]);
        let falling = all.iter().find(|t| t.term == "客服").unwrap();
        assert!(falling.z < 0.0 && falling.p > 0.5);
        // 物流 and 价格 have the same share in both windows: z = 0, p = ½.
        let flat = all.iter().find(|t| t.term == "物流").unwrap();
        assert_eq!((flat.z, flat.p), (0.0, 0.5));
    }

    #[test]
    fn one_sided_p_is_upper_tail() {
        let baseline = counts(200, &[("a", 20)]);
        let current = counts(200, &[("a", 35)]);
        let t = &term_tests(&baseline, &current, &EmergingOptions::default()).unwrap()[0];
        let two = two_proportion_z_test(35.0, 200.0, 20.0, 200.0).unwrap();
        assert!((t.p - two.p_value / 2.0).abs() < 1e-15);
        assert!((t.z - two.z).abs() < 1e-15);
        // Swapped windows: the same |z| with the other sign and p = 1 − p.
        let down = &term_tests(&current, &baseline, &EmergingOptions::default()).unwrap()[0];
        assert!((down.z + t.z).abs() < 1e-12);
        assert!((down.p - (1.0 - t.p)).abs() < 1e-12);
        // One term: q = p.
        assert_eq!(t.q, t.p);
    }

    #[test]
    fn bh_runs_over_all_tested_terms() {
        // The same rising term is significant alone but not among many
        // borderline ones: q grows with the family.
        let baseline = counts(400, &[("x", 10)]);
        let current = counts(400, &[("x", 22)]);
        let alone = term_tests(&baseline, &current, &EmergingOptions::default()).unwrap();
        assert!(alone[0].p < 0.05);
        let mut big = current.clone();
        for i in 0..30 {
            big.by_term.insert(format!("t{i:02}"), 6);
        }
        let mut base = baseline.clone();
        for i in 0..30 {
            base.by_term.insert(format!("t{i:02}"), 6);
        }
        let crowd = term_tests(&base, &big, &EmergingOptions::default()).unwrap();
        let x = crowd.iter().find(|t| t.term == "x").unwrap();
        assert_eq!(x.p, alone[0].p);
        assert!(x.q > x.p, "{x:?}");
        assert_eq!(crowd.len(), 31);
    }

    #[test]
    fn term_in_every_document_of_both_windows() {
        let baseline = counts(50, &[("app", 50)]);
        let current = counts(80, &[("app", 80)]);
        let all = term_tests(&baseline, &current, &EmergingOptions::default()).unwrap();
        assert_eq!((all[0].z, all[0].p, all[0].q), (0.0, 0.5, 0.5));
        assert!(emerging(&baseline, &current, &EmergingOptions::default()).unwrap().is_empty());
    }

    #[test]
    fn empty_windows_and_invalid_input() {
        let opts = EmergingOptions::default();
        let some = counts(100, &[("a", 10)]);
        assert!(emerging(&TermCounts::default(), &some, &opts).unwrap().is_empty());
        assert!(emerging(&some, &TermCounts::default(), &opts).unwrap().is_empty());
        assert!(emerging(&some, &counts(100, &[]), &opts).unwrap().is_empty());
        let err = emerging(&some, &counts(5, &[("b", 6), ("a", 7)]), &opts).unwrap_err();
        assert_eq!(err, TopicsError::CountExceedsDocs { window: "current", term: "a".into(), count: 7, docs: 5 });
        let err = emerging(&counts(0, &[("a", 1)]), &some, &opts).unwrap_err();
        assert!(matches!(err, TopicsError::CountExceedsDocs { window: "baseline", .. }));
        for alpha in [0.0, 1.0, f64::NAN, -0.1] {
            let bad = EmergingOptions { alpha, ..opts };
            assert!(matches!(emerging(&some, &some, &bad), Err(TopicsError::InvalidOption(_))));
        }
    }

    #[test]
    fn ties_sorted_by_term_and_max_terms() {
        let baseline = counts(1000, &[]);
        let current = counts(100, &[("c", 20), ("a", 20), ("b", 20), ("d", 30)]);
        let opts = EmergingOptions::default();
        let out = emerging(&baseline, &current, &opts).unwrap();
        assert_eq!(names(&out), vec!["d", "a", "b", "c"]);
        let two = emerging(&baseline, &current, &EmergingOptions { max_terms: 2, ..opts }).unwrap();
        assert_eq!(names(&two), vec!["d", "a"]);
        // min_current_docs 0 tests only terms that are present.
        let zero = counts(100, &[("z", 0), ("a", 20)]);
        let all = term_tests(&baseline, &zero, &EmergingOptions { min_current_docs: 0, ..opts }).unwrap();
        assert_eq!(names(&all), vec!["a"]);
    }

    #[test]
    fn counts_from_keyword_lists() {
        let lists = vec![
            vec!["物流".to_string(), "慢".to_string(), "物流".to_string()],
            vec!["物流".to_string()],
            vec![],
            vec![String::new()],
        ];
        let c = TermCounts::from_keyword_lists(&lists);
        assert_eq!(c.docs, 4);
        assert_eq!(c.by_term.get("物流"), Some(&2));
        assert_eq!(c.by_term.get("慢"), Some(&1));
        assert_eq!(c.by_term.len(), 2);
    }

    /// A deterministic stream of small numbers (so the synthetic data needs
    /// no RNG crate).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: u64) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) % n) as usize
        }
    }

    fn planted() -> (Vec<Vec<String>>, Vec<usize>, Vec<usize>) {
        let mut rng = Lcg(7);
        let noise = [
            "颜色",
            "尺寸",
            "味道",
            "天气",
            "停车",
            "发票",
            "门店",
            "排队",
            "声音",
            "电池",
            "屏幕",
            "充电",
            "体验",
            "广告",
            "赠品",
            "说明书",
            "安装",
            "保修",
        ];
        let mut docs = Vec::new();
        let (mut signal, mut points) = (Vec::new(), Vec::new());
        for i in 0..65 {
            let mut d: Vec<String> = Vec::new();
            match i % 13 {
                // 30 texts on signal: 信号 always, 网络 in 4 of 5, 基站 in 2 of 5.
                0 | 2 | 4 | 6 | 8 | 10 => {
                    let k = signal.len();
                    signal.push(i);
                    d.push("信号".into());
                    if k % 5 != 0 {
                        d.push("网络".into());
                    }
                    if k % 5 < 2 {
                        d.push("基站".into());
                    }
                }
                // 20 texts on loyalty points: 积分 always, 会员 in 3 of 4.
                1 | 5 | 9 | 12 => {
                    let k = points.len();
                    points.push(i);
                    d.push("积分".into());
                    if k % 4 != 0 {
                        d.push("会员".into());
                    }
                    if k % 2 == 0 {
                        d.push("兑换".into());
                    }
                }
                _ => {}
            }
            // One or two noise terms on every text.
            for _ in 0..1 + rng.next(2) {
                d.push(noise[rng.next(noise.len() as u64)].into());
            }
            docs.push(d);
        }
        (docs, signal, points)
    }

    #[test]
    fn planted_clusters_are_found_with_labels_and_sizes() {
        let (docs, signal, points) = planted();
        assert_eq!((signal.len(), points.len()), (30, 20));
        let out = suggest_aspects(&docs, &SuggestOptions::default());
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(out[0].terms[..2], ["信号".to_string(), "网络".to_string()]);
        assert!(out[0].terms.contains(&"基站".to_string()), "{:?}", out[0].terms);
        assert_eq!(out[0].size, 30);
        assert_eq!(out[0].members, signal[..10]);
        assert_eq!(out[1].terms[..2], ["积分".to_string(), "会员".to_string()]);
        assert_eq!(out[1].size, 20);
        assert_eq!(out[1].members, points[..10]);
        // Noise terms never label a cluster.
        for s in &out {
            assert!(s.terms.len() <= 3);
            assert!(s.terms.iter().all(|t| ["信号", "网络", "基站", "积分", "会员", "兑换"].contains(&t.as_str())));
        }
    }

    #[test]
    fn suggestion_options_and_edge_cases() {
        let (docs, _, _) = planted();
        let one = suggest_aspects(&docs, &SuggestOptions { max_clusters: 1, ..SuggestOptions::default() });
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].terms[0], "信号");
        // A min_size above the largest cluster finds nothing.
        assert!(suggest_aspects(&docs, &SuggestOptions { min_size: 31, ..SuggestOptions::default() }).is_empty());
        let terse =
            suggest_aspects(&docs, &SuggestOptions { max_label_terms: 1, max_members: 3, ..SuggestOptions::default() });
        assert_eq!(terse[0].terms, vec!["信号"]);
        assert_eq!(terse[0].members.len(), 3);
        assert_eq!(terse[0].size, 30);
        assert!(suggest_aspects(&[], &SuggestOptions::default()).is_empty());
        assert!(suggest_aspects(&vec![vec![]; 10], &SuggestOptions::default()).is_empty());
    }

    #[test]
    fn suggestion_ties_and_term_in_every_text() {
        // Two seeds of equal size: the smaller term first. "共同" is in every
        // text, so it seeds first and takes everything.
        let docs: Vec<Vec<String>> = (0..12)
            .map(|i| {
                let own = if i % 2 == 0 { "乙" } else { "甲" };
                vec![own.to_string(), "共同".to_string()]
            })
            .collect();
        let out = suggest_aspects(&docs, &SuggestOptions::default());
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].terms, vec!["共同"]); // nothing is over-represented in a cluster of everything
        assert_eq!(out[0].size, 12);
        let split: Vec<Vec<String>> = docs.iter().map(|d| vec![d[0].clone()]).collect();
        let out = suggest_aspects(&split, &SuggestOptions::default());
        let seeds: Vec<&str> = out.iter().map(|s| s.terms[0].as_str()).collect();
        assert_eq!(seeds, vec!["乙", "甲"]); // 乙 (U+4E59) < 甲 (U+7532)
        assert_eq!(out[0].members, vec![0, 2, 4, 6, 8, 10]);
    }
}
