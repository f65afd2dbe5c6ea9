//! Accuracy of the rule scorer alone on the DEV split of the shared labelled
//! data, and the cost of `rules::score` + `flags::detect`.
//!
//!   cargo run -p cxm-text --release --example rules_eval [-- train]
//!
//! The split is fixed: bucket = FNV-1a-64(UTF-8 of the raw text) mod 10;
//! buckets 0–6 train, 7 dev, 8–9 test. This example reads dev (bucket 7), or
//! train (0–6) with the `train` argument; it never scores the test buckets.
//! Data: `$CXM_SHARED_DATA` or `../shared/data` from the project root.

use cxm_text::{flags, normalize::normalize, rules};
use std::collections::BTreeMap;
use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn bucket(text: &str) -> u64 {
    fnv1a64(text.as_bytes()) % 10
}

struct Row {
    text: String,
    label: bool,
    group: String,
}

#[derive(Default)]
struct Tally {
    n: usize,
    right: usize,
    band_decided: usize,
    band_right: usize,
    no_hit: usize,
}

/// Within ±BAND a text counts as undecided in the banded figure.
const BAND: f32 = 0.3;

impl Tally {
    fn add(&mut self, score: f32, hits: u32, label: bool) {
        self.n += 1;
        self.right += usize::from((score > 0.0) == label);
        if score.abs() >= BAND {
            self.band_decided += 1;
            self.band_right += usize::from((score > 0.0) == label);
        }
        self.no_hit += usize::from(hits == 0);
    }

    fn line(&self, name: &str) -> String {
        let pct = |a: usize, b: usize| if b == 0 { 0.0 } else { 100.0 * a as f64 / b as f64 };
        format!(
            "{name:<22} n={:>5}  acc(score>0)={:>5.1}%  |score|>={BAND}: acc={:>5.1}% on {:>5.1}% of texts  no hit {:>4.1}%",
            self.n,
            pct(self.right, self.n),
            pct(self.band_right, self.band_decided),
            pct(self.band_decided, self.n),
            pct(self.no_hit, self.n),
        )
    }
}

fn data_dir() -> PathBuf {
    std::env::var_os("CXM_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")))
}

fn wanted(text: &str, train: bool) -> bool {
    let b = bucket(text);
    if train { b <= 6 } else { b == 7 }
}

fn zh_rows(train: bool) -> Result<Vec<Row>, Box<dyn Error>> {
    let path = data_dir().join("zh-reviews/online_shopping_10_cats.csv");
    let mut reader = csv::Reader::from_path(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        let (Some(cat), Some(label), Some(text)) = (record.get(0), record.get(1), record.get(2)) else { continue };
        if text.trim().is_empty() || !wanted(text, train) {
            continue;
        }
        rows.push(Row { text: text.to_string(), label: label.trim() == "1", group: cat.to_string() });
    }
    Ok(rows)
}

fn en_rows(train: bool) -> Result<Vec<Row>, Box<dyn Error>> {
    let mut rows = Vec::new();
    for (file, group) in [("amazon_cells_labelled.txt", "amazon"), ("yelp_labelled.txt", "yelp")] {
        let path = data_dir().join("en-reviews").join(file);
        let content = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for line in content.lines() {
            let Some((text, label)) = line.trim_end_matches('\r').rsplit_once('\t') else { continue };
            if wanted(text, train) {
                rows.push(Row { text: text.to_string(), label: label.trim() == "1", group: group.to_string() });
            }
        }
    }
    Ok(rows)
}

fn evaluate(lang: &str, rows: &[Row]) {
    let mut all = Tally::default();
    let mut groups: BTreeMap<&str, Tally> = BTreeMap::new();
    for row in rows {
        let r = rules::score(&normalize(&row.text));
        all.add(r.score, r.hits, row.label);
        groups.entry(&row.group).or_default().add(r.score, r.hits, row.label);
    }
    println!("{}", all.line(lang));
    for (g, t) in &groups {
        println!("  {}", t.line(g));
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
    assert_eq!(bucket("质量很好"), 6);
    let loaded = Instant::now();
    let _ = rules::score("好");
    let _ = flags::detect("好");
    println!("lexicons and flag patterns built in {:.0} ms", loaded.elapsed().as_secs_f64() * 1e3);
    let train = std::env::args().any(|a| a == "train");
    println!("split: {}", if train { "train (buckets 0-6)" } else { "dev (bucket 7)" });
    let zh = zh_rows(train)?;
    let en = en_rows(train)?;
    evaluate("zh", &zh);
    evaluate("en", &en);

    // Speed: texts of at most 100 chars, normalized beforehand; the loop times
    // rules::score + flags::detect only, after a warm-up.
    let short: Vec<String> =
        zh.iter().chain(en.iter()).filter(|r| r.text.chars().count() <= 100).map(|r| normalize(&r.text)).collect();
    let mut sink = 0.0f32;
    for t in short.iter().take(200) {
        sink += rules::score(t).score + flags::detect(t).0.len() as f32;
    }
    let rounds = 5;
    let start = Instant::now();
    for _ in 0..rounds {
        for t in &short {
            sink += rules::score(t).score + flags::detect(t).0.len() as f32;
        }
    }
    let per = start.elapsed().as_secs_f64() / (rounds * short.len()).max(1) as f64;
    let mean_chars = short.iter().map(|t| t.chars().count()).sum::<usize>() as f64 / short.len().max(1) as f64;
    println!(
        "speed: {:.2} µs per text for score + detect ({} texts ≤ 100 chars, mean {:.1} chars; {:.0} texts/s; checksum {sink:.1})",
        per * 1e6,
        short.len(),
        mean_chars,
        1.0 / per
    );
    Ok(())
}
