//! Prints a small sample of every stream as JSON lines:
//! `cargo run -p cxm-demo --example sample [customers] [seed]`.
use cxm_demo::{DemoConfig, customers, events, feedback, odata, responses};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(42);
    let cfg = DemoConfig::new(n, seed);
    let line = |v: serde_json::Result<String>| println!("{}", v.unwrap_or_default());
    customers(cfg).for_each(|c| line(serde_json::to_string(&c)));
    responses(cfg).for_each(|r| line(serde_json::to_string(&r)));
    feedback(cfg).for_each(|f| line(serde_json::to_string(&f)));
    odata(cfg).for_each(|o| line(serde_json::to_string(&o)));
    events(cfg).take(20).for_each(|e| line(serde_json::to_string(&e)));
}
