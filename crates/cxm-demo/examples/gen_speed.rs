//! Measures generation speed: `cargo run --release -p cxm-demo --example gen_speed [responses]`.
use cxm_demo::{DemoConfig, responses};
use std::time::Instant;

fn main() {
    let target: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let cfg = DemoConfig { customers: target / 2, ..DemoConfig::default() };
    let t0 = Instant::now();
    let (mut n, mut texts, mut bytes, mut answers) = (0usize, 0usize, 0usize, 0usize);
    for r in responses(cfg) {
        n += 1;
        answers += r.answers.len();
        for (_, v) in &r.answers {
            if let cxm_core::records::AnswerValue::Text(t) = v {
                texts += 1;
                bytes += t.len();
            }
        }
    }
    let dt = t0.elapsed();
    println!(
        "{n} responses ({answers} answers, {texts} text answers, {bytes} text bytes) in {:.2} s ({:.0} responses/s)",
        dt.as_secs_f64(),
        n as f64 / dt.as_secs_f64()
    );
}
