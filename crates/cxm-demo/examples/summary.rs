//! Prints record counts and headline metrics: `cargo run -p cxm-demo --example summary [customers] [seed]`.
use cxm_core::records::AnswerValue;
use cxm_demo::{DemoConfig, customers, events, feedback, odata, responses};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(42);
    let cfg = DemoConfig::new(n, seed);
    let (mut resp, mut texts, mut prom, mut det, mut scored) = (0usize, 0usize, 0usize, 0usize, 0usize);
    for r in responses(cfg) {
        resp += 1;
        for (k, v) in &r.answers {
            match (k.as_str(), v) {
                ("nps", AnswerValue::Number(x)) => {
                    scored += 1;
                    prom += usize::from(*x >= 9.0);
                    det += usize::from(*x <= 6.0);
                }
                ("comment", _) => texts += 1,
                _ => {}
            }
        }
    }
    println!("customers {}", customers(cfg).count());
    println!(
        "responses {resp} (with comment {:.1}%), NPS {:.1} (promoters {:.1}%, detractors {:.1}%)",
        100.0 * texts as f64 / resp as f64,
        100.0 * (prom as f64 - det as f64) / scored as f64,
        100.0 * prom as f64 / scored as f64,
        100.0 * det as f64 / scored as f64
    );
    println!("feedback {}", feedback(cfg).count());
    println!("odata {}", odata(cfg).count());
    println!("events {}", events(cfg).count());
}
