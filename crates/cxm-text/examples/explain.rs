//! Prints the evidence behind a text's sentiment: model margin, rule score
//! and clause scores, and the stacked result (a tuning aid).
//!
//! `cargo run --release -p cxm-text --example explain -- "东西不错，但是物流太慢了"`

use cxm_text::normalize::normalize;
use cxm_text::{lang, rules, sentiment};

fn main() {
    let mut buf = Vec::new();
    for text in std::env::args().skip(1) {
        let l = lang::detect(&text);
        let norm = normalize(&text);
        let e = sentiment::evidence(&norm, l, &mut buf);
        let p = sentiment::probability(&e, l);
        println!(
            "{text}\n  lang {l:?}  margin {:+.3}  rules {:+.3} ({} hits)  p {:.3}",
            e.margin, e.rules, e.rule_hits, p
        );
        let chars: Vec<char> = norm.chars().collect();
        for c in rules::score(&norm).clauses {
            println!("    clause {:+.3}  {}", c.score, chars[c.range].iter().collect::<String>());
        }
    }
}
