//! Prints the aspect-polarity disagreements on a labelled aspect file (a
//! tuning aid): text, aspect, gold, predicted, score and evidence clause.
//!
//! `cargo run --release -p cxm-text --example polarity_dump -- tests/data/aspects/dev.jsonl`

use cxm_text::eval::parse_gold;
use cxm_text::{LangHint, TextAnalyzer};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: polarity_dump FILE.jsonl");
        std::process::exit(2);
    };
    let gold = match std::fs::read_to_string(&path).map_err(|e| e.to_string()).and_then(|s| parse_gold(&s)) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let analyzer = TextAnalyzer::default();
    let (mut agree, mut total) = (0, 0);
    for g in &gold {
        let Ok(a) = analyzer.analyze(&g.text, LangHint::Auto) else { continue };
        for ga in &g.aspects {
            let Some(m) = a.aspects.iter().find(|m| m.aspect == ga.aspect) else { continue };
            total += 1;
            if m.polarity == ga.polarity {
                agree += 1;
                continue;
            }
            let norm = cxm_text::normalize::normalize(&m.span.text);
            let mut buf = Vec::new();
            let e = cxm_text::sentiment::evidence(&norm, a.lang, &mut buf);
            println!(
                "{}\t{}\tgold {:?}\tgot {:?} {:+.2}\t[{}]\t{}\t{:?} rules {:+.2}/{} margin {:+.2}",
                g.id,
                ga.aspect,
                ga.polarity,
                m.polarity,
                m.score,
                m.span.text,
                g.text,
                cxm_text::cues::read(&norm),
                e.rules,
                e.rule_hits,
                e.margin
            );
        }
    }
    println!("polarity agrees on {agree}/{total}");
}
