//! Mines candidate aspect terms from `tests/data/aspects/train.jsonl` (never
//! dev or test): phrases that often mark an aspect the taxonomy's terms miss.
//!
//! ```sh
//! cargo run --release -p cxm-text --example mine_terms                 # every aspect, both languages
//! cargo run --release -p cxm-text --example mine_terms -- wait_time zh # one aspect and/or language
//! MINE_MISSED=1 cargo run …  -- wait_time zh   # the labelled texts no term of the aspect names
//! MINE_ROWS=2000..4000 cargo run … -- --eval     # terms alone (P/R/F1) on a slice of train.jsonl
//! ```
//!
//! Phrases: zh character 2–5-grams (CJK only) plus jieba words and word
//! bigrams; en word 1–3-grams, lower case, lightly lemmatized (waited,
//! waiting → wait; charges → charge). A candidate occurs in ≥ `MINE_DF` (3)
//! texts, has precision ≥ `MINE_P` (0.75) for the aspect (texts with the
//! phrase labelled with it / texts with the phrase), is not itself matched as
//! that aspect by the taxonomy, and adds at least one text the terms miss.
//! Ranked by recall gain (labelled texts that no term of the aspect names)
//! × precision. `new_fp` is how many texts the phrase would wrongly add. The
//! list is for review: keep general wordings of the aspect, not domain words
//! that merely co-occur, nor sentiment words.

mod common;

use common::env_or;
use cxm_text::aspects::AspectMatcher;
use cxm_text::eval::{self, GoldText};
use cxm_text::normalize::normalize;
use cxm_text::segment::Segmenter;
use cxm_text::{Taxonomy, lang};
use std::collections::{BTreeSet, HashMap};

const PATH: &str = "crates/cxm-text/tests/data/aspects/train.jsonl";

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Light English lemma: strips a plural or verb ending so word forms count together.
fn lemma(w: &str) -> String {
    let n = w.len();
    let strip = |k: usize| w[..n - k].to_string();
    if n > 5 && w.ends_with("ing") {
        let s = strip(3);
        return if s.ends_with("ss") { s } else { s.trim_end_matches('e').to_string() };
    }
    if n > 4 && w.ends_with("ied") {
        return format!("{}y", strip(3));
    }
    if n > 4 && w.ends_with("ed") {
        return strip(2).trim_end_matches('e').to_string();
    }
    if n > 4 && w.ends_with("ies") {
        return format!("{}y", strip(3));
    }
    if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        return strip(1).trim_end_matches('e').to_string();
    }
    if n > 4 { w.trim_end_matches('e').to_string() } else { w.to_string() }
}

/// Terms-alone detection (P/R/F1) of the rows, per language and aspect.
fn terms_only(gold: &[GoldText], taxonomy: &Taxonomy, matcher: &AspectMatcher) {
    for lang_name in ["zh", "en"] {
        let mut all = eval::PrCounts::default();
        let mut per: Vec<eval::PrCounts> = vec![eval::PrCounts::default(); taxonomy.aspects.len()];
        for g in gold.iter().filter(|g| g.lang == lang_name) {
            let norm = normalize(&g.text);
            let found = matcher.find_in(&norm, lang::detect(&norm));
            for (a, def) in taxonomy.aspects.iter().enumerate() {
                let said = found.iter().any(|m| m.aspect == a);
                let gold_has = g.aspects.iter().any(|x| x.aspect == def.key);
                for c in [&mut all, &mut per[a]] {
                    match (said, gold_has) {
                        (true, true) => c.tp += 1,
                        (true, false) => c.fp += 1,
                        (false, true) => c.fn_ += 1,
                        _ => {}
                    }
                }
            }
        }
        println!("{lang_name} terms: P {:.3} R {:.3} F1 {:.3}", all.precision(), all.recall(), all.f1());
        for (def, c) in taxonomy.aspects.iter().zip(&per) {
            println!("    {:<20} P {:.3} R {:.3} F1 {:.3}", def.key, c.precision(), c.recall(), c.f1());
        }
    }
}

/// The phrases of one text: key (what is counted) → a surface form.
fn phrases(norm: &str, zh: bool, seg: &Segmenter) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if zh {
        let chars: Vec<char> = norm.chars().collect();
        for n in 2..=5 {
            for w in chars.windows(n) {
                if w.iter().all(|&c| is_cjk(c)) {
                    let s: String = w.iter().collect();
                    out.insert(s.clone(), s);
                }
            }
        }
        let words: Vec<&str> = seg.words(norm).into_iter().map(|w| w.text).collect();
        for (i, w) in words.iter().enumerate() {
            if w.chars().count() >= 2 && w.chars().all(is_cjk) {
                out.insert(w.to_string(), w.to_string());
            }
            if let Some(next) = words.get(i + 1)
                && w.chars().chain(next.chars()).all(is_cjk)
            {
                let s = format!("{w}{next}");
                out.insert(s.clone(), s);
            }
        }
    } else {
        let words: Vec<&str> =
            norm.split(|c: char| !(c.is_ascii_alphanumeric() || c == '\'')).filter(|w| !w.is_empty()).collect();
        for n in 1..=3 {
            for w in words.windows(n) {
                let key = w.iter().map(|x| lemma(x)).collect::<Vec<_>>().join(" ");
                out.entry(key).or_insert_with(|| w.join(" "));
            }
        }
    }
    out
}

#[derive(Default)]
struct Stat {
    docs: Vec<usize>,
    surfaces: HashMap<String, u32>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("usage: mine_terms [ASPECT_KEY] [zh|en]   (env MINE_DF=3 MINE_P=0.75 MINE_TOP=25)");
        return;
    }
    let text = std::fs::read_to_string(PATH).unwrap_or_else(|e| {
        eprintln!("cannot read {PATH}: {e} (run from the repository root)");
        std::process::exit(2);
    });
    let mut gold: Vec<GoldText> = eval::parse_gold(&text).unwrap_or_else(|e| {
        eprintln!("{PATH}: {e}");
        std::process::exit(2);
    });
    // MINE_ROWS=a..b: only those lines (0-based, end exclusive), e.g. a newly appended batch.
    if let Some((a, b)) = std::env::var("MINE_ROWS").ok().as_deref().and_then(|r| r.split_once("..")) {
        let a: usize = a.parse().unwrap_or(0);
        let b: usize = b.parse().unwrap_or(usize::MAX).min(gold.len());
        gold = gold.get(a.min(b)..b).map(<[GoldText]>::to_vec).unwrap_or_default();
    }
    let min_df: usize = env_or("MINE_DF", 3);
    let min_p: f64 = env_or("MINE_P", 0.75);
    let top: usize = env_or("MINE_TOP", 25);
    let taxonomy = Taxonomy::default();
    let matcher = AspectMatcher::new(&taxonomy).with_models(None);
    let seg = Segmenter::default();
    let keys: Vec<&str> = taxonomy.aspects.iter().map(|a| a.key.as_str()).collect();
    let want_key = args.iter().find(|a| keys.contains(&a.as_str()));
    let want_lang = args.iter().find(|a| *a == "zh" || *a == "en");
    if args.iter().any(|a| a == "--eval") {
        terms_only(&gold, &taxonomy, &matcher);
        return;
    }

    for lang_name in ["zh", "en"] {
        if want_lang.is_some_and(|l| l != lang_name) {
            continue;
        }
        let docs: Vec<&GoldText> = gold.iter().filter(|g| g.lang == lang_name).collect();
        let mut labels: Vec<Vec<bool>> = Vec::new();
        let mut covered: Vec<Vec<bool>> = Vec::new();
        let mut stats: HashMap<String, Stat> = HashMap::new();
        for (i, g) in docs.iter().enumerate() {
            let norm = normalize(&g.text);
            let found = matcher.find_in(&norm, lang::detect(&norm));
            labels.push(keys.iter().map(|k| g.aspects.iter().any(|a| a.aspect == *k)).collect());
            covered.push((0..keys.len()).map(|a| found.iter().any(|m| m.aspect == a)).collect());
            for (key, surface) in phrases(&norm, lang_name == "zh", &seg) {
                let s = stats.entry(key).or_default();
                s.docs.push(i);
                *s.surfaces.entry(surface).or_default() += 1;
            }
        }
        stats.retain(|_, s| s.docs.len() >= min_df);
        for (a, key) in keys.iter().enumerate() {
            if want_key.is_some_and(|k| k != key) {
                continue;
            }
            let total = labels.iter().filter(|l| l[a]).count();
            let missed = labels.iter().zip(&covered).filter(|(l, c)| l[a] && !c[a]).count();
            let mut rows: Vec<(f64, &String, &Stat, usize, usize, f64)> = Vec::new();
            for (p, s) in &stats {
                let pos = s.docs.iter().filter(|&&d| labels[d][a]).count();
                let precision = pos as f64 / s.docs.len() as f64;
                if precision < min_p {
                    continue;
                }
                let gain = s.docs.iter().filter(|&&d| labels[d][a] && !covered[d][a]).count();
                if gain == 0 {
                    continue;
                }
                let surface = s.surfaces.iter().max_by_key(|(w, n)| (**n, std::cmp::Reverse(w.len()))).map(|x| x.0);
                let surface = surface.unwrap_or(p);
                if matcher.find_in(&normalize(surface), lang::detect(surface)).iter().any(|m| m.aspect == a) {
                    continue;
                }
                let new_fp = s.docs.iter().filter(|&&d| !labels[d][a] && !covered[d][a]).count();
                rows.push((gain as f64 / total.max(1) as f64 * precision, p, s, gain, new_fp, precision));
            }
            rows.sort_by(|x, y| {
                y.0.total_cmp(&x.0).then(y.2.docs.len().cmp(&x.2.docs.len())).then(x.1.len().cmp(&y.1.len()))
            });
            println!("\n== {lang_name} {key}: {total} labelled, {missed} missed by terms");
            if std::env::var("MINE_MISSED").is_ok() {
                // The texts themselves, for reading what the terms miss.
                for (d, g) in docs.iter().enumerate().filter(|(d, _)| labels[*d][a] && !covered[*d][a]) {
                    println!("  missed {d:>4}: {}", g.text);
                }
                continue;
            }
            let mut shown: Vec<(&String, BTreeSet<usize>)> = Vec::new();
            for (score, p, s, gain, new_fp, precision) in rows {
                if shown.len() >= top {
                    break;
                }
                let gained: BTreeSet<usize> =
                    s.docs.iter().copied().filter(|&d| labels[d][a] && !covered[d][a]).collect();
                // A longer phrase whose gain a shown shorter one already has adds nothing to review.
                if shown.iter().any(|(q, g)| (p.contains(q.as_str()) || q.contains(p.as_str())) && gained.is_subset(g))
                {
                    continue;
                }
                let mut forms: Vec<(&String, &u32)> = s.surfaces.iter().collect();
                forms.sort_by(|x, y| y.1.cmp(x.1));
                let forms: Vec<&str> = forms.iter().take(3).map(|f| f.0.as_str()).collect();
                let example = gained.iter().next().map(|&d| docs[d].text.chars().take(70).collect::<String>());
                println!(
                    "  {score:.4}  {:<22} df {:>3} P {precision:.2} gain {gain:>2} new_fp {new_fp:>2}  [{}]  e.g. {}",
                    p,
                    s.docs.len(),
                    forms.join(" | "),
                    example.unwrap_or_default()
                );
                shown.push((p, gained));
            }
        }
    }
}
