//! `cxm bench text` (owned by the lead engineer; a stub until then).

#[derive(clap::Args, Debug)]
pub struct BenchTextArgs {}

pub async fn run(args: BenchTextArgs) -> anyhow::Result<()> {
    let _ = args;
    anyhow::bail!("not yet")
}
