//! `cxm analyze <nps|csat|ces|drivers|crosstab> --input FILE.csv …` — the
//! statistics engine of `cxm_core::stats` on a plain CSV file (DESIGN.md
//! "Interface fixed points"; SPEC §4.1–4.4, §4.11).
//!
//! Rows whose needed cells are empty are skipped and counted ("skipped").
//! A non-numeric value in a numeric column is an error naming the line and
//! the column; an unknown column is an error listing the available ones.
//! Output is an aligned text table by default, JSON with `--json`.

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};
use cxm_core::stats::{self, MeanSummary, NpsSummary, RatingScale, RatingSummary, StatsError};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// False-discovery level for the group-vs-rest comparisons.
const FDR_Q: f64 = 0.05;

/// A group-vs-rest test: (difference, statistic, p-value); `None` when the
/// test is undefined (no rest, zero variance, …).
type TestOutcome = Option<(f64, f64, f64)>;

/// `cxm analyze …` subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum AnalyzeCommand {
    /// Net Promoter Score of a 0–10 column (SPEC §4.1).
    Nps(ScoreArgs),
    /// CSAT: top-2-box share (Wilson interval) and mean (SPEC §4.2).
    Csat(RatingArgs),
    /// CES: % easy (top box) and mean (SPEC §4.3).
    Ces(RatingArgs),
    /// Key driver analysis: relative weights, correlations, IPA (SPEC §4.11).
    Drivers(DriversArgs),
    /// Crosstab with chi-square test and adjusted residuals (SPEC §4.4).
    Crosstab(CrosstabArgs),
}

/// Options shared by `nps`, `csat` and `ces`.
#[derive(Debug, Clone, Args)]
pub struct ScoreArgs {
    /// CSV file with a header row.
    #[arg(long)]
    pub input: PathBuf,
    /// Column holding the scores.
    #[arg(long)]
    pub column: String,
    /// Group by this column; each group is compared with the rest.
    #[arg(long)]
    pub by: Option<String>,
    /// Column of respondent weights (post-stratification).
    #[arg(long)]
    pub weight: Option<String>,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
}

/// Options of `csat` and `ces`.
#[derive(Debug, Clone, Args)]
pub struct RatingArgs {
    #[command(flatten)]
    pub common: ScoreArgs,
    /// Lowest scale point (default 1).
    #[arg(long)]
    pub scale_min: Option<f64>,
    /// Highest scale point (default 5 for CSAT, 7 for CES).
    #[arg(long)]
    pub scale_max: Option<f64>,
    /// Lowest value counted in the top box (default: top 2 points for CSAT,
    /// points above the midpoint for CES).
    #[arg(long)]
    pub top_box_min: Option<f64>,
}

/// Options of `drivers`.
#[derive(Debug, Clone, Args)]
pub struct DriversArgs {
    /// CSV file with a header row.
    #[arg(long)]
    pub input: PathBuf,
    /// Outcome column (e.g. likelihood to recommend).
    #[arg(long)]
    pub outcome: String,
    /// Driver columns, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    pub drivers: Vec<String>,
    /// Bootstrap replicates for the weight intervals (0 = none).
    #[arg(long, default_value_t = 1000)]
    pub bootstrap: usize,
    /// Bootstrap seed.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
}

/// Options of `crosstab`.
#[derive(Debug, Clone, Args)]
pub struct CrosstabArgs {
    /// CSV file with a header row.
    #[arg(long)]
    pub input: PathBuf,
    /// Column whose values become the table rows.
    #[arg(long)]
    pub rows: String,
    /// Column whose values become the table columns.
    #[arg(long)]
    pub cols: String,
    /// Machine-readable JSON output.
    #[arg(long)]
    pub json: bool,
}

/// Runs one `cxm analyze` subcommand and prints its report to stdout.
pub fn run(cmd: AnalyzeCommand) -> Result<()> {
    let out = execute(&cmd)?;
    print!("{out}");
    Ok(())
}

/// Runs one subcommand and returns the report text (JSON or table).
pub fn execute(cmd: &AnalyzeCommand) -> Result<String> {
    match cmd {
        AnalyzeCommand::Nps(a) => nps_report(a),
        AnalyzeCommand::Csat(a) => rating_report(a, Metric::Csat),
        AnalyzeCommand::Ces(a) => rating_report(a, Metric::Ces),
        AnalyzeCommand::Drivers(a) => drivers_report(a),
        AnalyzeCommand::Crosstab(a) => crosstab_report(a),
    }
}

// ------------------------------------------------------------------ CSV

struct Table {
    headers: Vec<String>,
    /// (1-based line number in the file, record)
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    fn read(path: &Path) -> Result<Table> {
        let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(cxm_store::import::source::LineTracking::new(std::io::BufReader::new(file)));
        let headers: Vec<String> = rdr
            .headers()
            .with_context(|| format!("cannot read the header row of {}", path.display()))?
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = if i == 0 { h.trim_start_matches('\u{feff}') } else { h };
                h.trim().to_string()
            })
            .collect();
        let mut rows = Vec::new();
        loop {
            let mut rec = csv::StringRecord::new();
            if !rdr.read_record(&mut rec).with_context(|| format!("cannot read {}", path.display()))? {
                break;
            }
            let start = rec.position().map(|p| p.byte()).unwrap_or(0);
            let line = rdr.get_mut().line_at(start);
            rows.push((line, rec));
        }
        Ok(Table { headers, rows })
    }

    fn column(&self, name: &str) -> Result<usize> {
        let wanted = name.trim();
        self.headers
            .iter()
            .position(|h| h == wanted)
            .or_else(|| self.headers.iter().position(|h| h.eq_ignore_ascii_case(wanted)))
            .ok_or_else(|| anyhow!("unknown column '{}'; available columns: {}", name, self.headers.join(", ")))
    }
}

/// The trimmed cell, `None` when empty or missing.
fn cell(rec: &csv::StringRecord, idx: usize) -> Option<&str> {
    rec.get(idx).map(str::trim).filter(|s| !s.is_empty())
}

fn parse_number(text: &str, line: u64, column: &str) -> Result<f64> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => bail!("line {line}, column '{column}': '{text}' is not a number"),
    }
}

/// Scores (with group and weight) of the rows that have all needed cells.
struct Sample {
    values: Vec<f64>,
    weights: Option<Vec<f64>>,
    groups: Option<Vec<String>>,
    rows_read: usize,
    skipped: usize,
}

fn read_sample(args: &ScoreArgs, check: &dyn Fn(f64) -> std::result::Result<(), String>) -> Result<Sample> {
    let table = Table::read(&args.input)?;
    let vcol = table.column(&args.column)?;
    let gcol = args.by.as_deref().map(|c| table.column(c)).transpose()?;
    let wcol = args.weight.as_deref().map(|c| table.column(c)).transpose()?;
    let mut s = Sample {
        values: Vec::new(),
        weights: wcol.map(|_| Vec::new()),
        groups: gcol.map(|_| Vec::new()),
        rows_read: table.rows.len(),
        skipped: 0,
    };
    for (line, rec) in &table.rows {
        let v = cell(rec, vcol);
        let g = gcol.map(|c| cell(rec, c));
        let w = wcol.map(|c| cell(rec, c));
        let (Some(v), Some(g), Some(w)) = (v, g.unwrap_or(Some("")), w.unwrap_or(Some("1"))) else {
            s.skipped += 1;
            continue;
        };
        let value = parse_number(v, *line, &args.column)?;
        check(value).map_err(|m| anyhow!("line {line}, column '{}': {m}", args.column))?;
        if let (Some(ws), Some(name)) = (s.weights.as_mut(), args.weight.as_deref()) {
            let wv = parse_number(w, *line, name)?;
            if wv < 0.0 {
                bail!("line {line}, column '{name}': weight {wv} is negative");
            }
            ws.push(wv);
        }
        if let Some(gs) = s.groups.as_mut() {
            gs.push(g.to_string());
        }
        s.values.push(value);
    }
    if s.values.is_empty() {
        bail!(
            "no usable rows in {} ({} read, {} skipped for empty cells)",
            args.input.display(),
            s.rows_read,
            s.skipped
        );
    }
    Ok(s)
}

/// Index sets of each group (sorted by name) and of the rest.
fn group_indices(groups: &[String]) -> BTreeMap<&str, Vec<usize>> {
    let mut map: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, g) in groups.iter().enumerate() {
        map.entry(g.as_str()).or_default().push(i);
    }
    map
}

fn pick(v: &[f64], idx: &[usize]) -> Vec<f64> {
    idx.iter().map(|&i| v[i]).collect()
}

fn complement(n: usize, idx: &[usize]) -> Vec<usize> {
    let mut mask = vec![true; n];
    for &i in idx {
        mask[i] = false;
    }
    (0..n).filter(|&i| mask[i]).collect()
}

/// BH over the defined p-values; undefined ones stay `None`.
fn bh_adjust(p: &[Option<f64>]) -> Result<Vec<Option<f64>>> {
    let defined: Vec<f64> = p.iter().flatten().copied().collect();
    let adj = stats::benjamini_hochberg(&defined)?;
    let mut it = adj.into_iter();
    Ok(p.iter().map(|x| x.and_then(|_| it.next())).collect())
}

// --------------------------------------------------------------- format

fn fmt_num(v: f64, decimals: usize) -> String {
    if v.is_finite() { format!("{v:.decimals$}") } else { "n/a".into() }
}

fn fmt_p(p: Option<f64>) -> String {
    match p {
        Some(p) if p < 0.0001 => "<0.0001".into(),
        Some(p) => format!("{p:.4}"),
        None => "n/a".into(),
    }
}

fn render_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| {
                let pad = w.saturating_sub(c.chars().count());
                if i == 0 { format!("{c}{}", " ".repeat(pad)) } else { format!("{}{c}", " ".repeat(pad)) }
            })
            .collect();
        parts.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = line(headers.to_vec());
    let total: usize = widths.iter().sum::<usize>() + 2 * widths.len().saturating_sub(1);
    out.push_str(&"-".repeat(total));
    out.push('\n');
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

fn to_json(v: &Value) -> Result<String> {
    Ok(serde_json::to_string_pretty(v)? + "\n")
}

fn test_json(t: TestOutcome, adjusted: Option<f64>) -> Value {
    match t {
        Some((difference, statistic, p)) => json!({
            "difference": difference,
            "statistic": statistic,
            "p_value": p,
            "p_adjusted": adjusted,
            "significant": adjusted.map(|a| a <= FDR_Q),
        }),
        None => Value::Null,
    }
}

fn sig_mark(adjusted: Option<f64>) -> &'static str {
    match adjusted {
        Some(a) if a <= FDR_Q => "*",
        _ => "",
    }
}

// ------------------------------------------------------------------ NPS

fn nps_report(args: &ScoreArgs) -> Result<String> {
    let s = read_sample(args, &|v| {
        if (0.0..=10.0).contains(&v) && v.fract() == 0.0 {
            Ok(())
        } else {
            Err(format!("{v} is not a whole number 0–10"))
        }
    })?;
    let total = stats::nps(&s.values, s.weights.as_deref())?;
    let mut groups: Vec<(String, NpsSummary, TestOutcome)> = Vec::new();
    if let Some(g) = &s.groups {
        let n = s.values.len();
        for (name, idx) in group_indices(g) {
            let w = s.weights.as_ref().map(|w| pick(w, &idx));
            let summary = stats::nps(&pick(&s.values, &idx), w.as_deref())?;
            let rest_idx = complement(n, &idx);
            let test = if rest_idx.is_empty() {
                None
            } else {
                let rw = s.weights.as_ref().map(|w| pick(w, &rest_idx));
                stats::nps(&pick(&s.values, &rest_idx), rw.as_deref())
                    .ok()
                    .and_then(|rest| stats::nps_difference(&summary, &rest).ok())
                    .map(|t| (t.difference, t.z, t.p_value))
            };
            groups.push((name.to_string(), summary, test));
        }
    }
    let adjusted = bh_adjust(&groups.iter().map(|g| g.2.map(|t| t.2)).collect::<Vec<_>>())?;

    if args.json {
        let gj: Vec<Value> = groups
            .iter()
            .zip(&adjusted)
            .map(|((name, summ, test), adj)| json!({"group": name, "summary": summ, "vs_rest": test_json(*test, *adj)}))
            .collect();
        return to_json(&json!({
            "metric": "nps",
            "column": args.column,
            "by": args.by,
            "weight": args.weight,
            "rows_read": s.rows_read,
            "skipped": s.skipped,
            "fdr_q": FDR_Q,
            "total": total,
            "groups": gj,
        }));
    }
    let headers =
        ["group", "n", "NPS", "95% CI", "promoters", "passives", "detractors", "low base", "vs rest z", "p (BH)"];
    let row = |name: &str, s: &NpsSummary, test: TestOutcome, adj: Option<f64>| {
        vec![
            name.to_string(),
            s.n.to_string(),
            fmt_num(s.nps, 1),
            format!("[{}, {}]", fmt_num(s.ci95.lower, 1), fmt_num(s.ci95.upper, 1)),
            format!("{:.1}%", 100.0 * s.promoters / s.weighted_n),
            format!("{:.1}%", 100.0 * s.passives / s.weighted_n),
            format!("{:.1}%", 100.0 * s.detractors / s.weighted_n),
            if s.low_base { "yes".into() } else { "".into() },
            test.map(|t| fmt_num(t.1, 2)).unwrap_or_default(),
            if test.is_some() { format!("{}{}", fmt_p(adj), sig_mark(adj)) } else { String::new() },
        ]
    };
    let mut rows = vec![row("(total)", &total, None, None)];
    for ((name, summ, test), adj) in groups.iter().zip(&adjusted) {
        rows.push(row(name, summ, *test, *adj));
    }
    let mut out = format!("NPS of '{}'", args.column);
    if let Some(w) = &args.weight {
        out.push_str(&format!(" weighted by '{w}'"));
    }
    out.push_str(&format!(" — {} rows read, {} skipped (empty cells)\n\n", s.rows_read, s.skipped));
    out.push_str(&render_table(&headers, &rows));
    if !groups.is_empty() {
        out.push_str(&format!(
            "\nEach group vs the rest: z-test; p adjusted by Benjamini–Hochberg; * = significant at FDR {FDR_Q}.\n"
        ));
    }
    Ok(out)
}

// --------------------------------------------------------- CSAT and CES

#[derive(Clone, Copy, PartialEq)]
enum Metric {
    Csat,
    Ces,
}

type GroupTests = (TestOutcome, TestOutcome);

fn rating_report(args: &RatingArgs, metric: Metric) -> Result<String> {
    let (name, default_max) = match metric {
        Metric::Csat => ("csat", 5.0),
        Metric::Ces => ("ces", 7.0),
    };
    let min = args.scale_min.unwrap_or(1.0);
    let max = args.scale_max.unwrap_or(default_max);
    if !(min.is_finite() && max.is_finite()) || min >= max {
        bail!("invalid scale {min}..{max}: --scale-min must be below --scale-max");
    }
    let mut scale = match metric {
        Metric::Csat => RatingScale::csat_custom(min, max),
        Metric::Ces => RatingScale::ces_custom(min, max),
    };
    if let Some(t) = args.top_box_min {
        if !(min..=max).contains(&t) {
            bail!("--top-box-min {t} is outside the scale {min}..{max}");
        }
        scale.top_box_min = t;
    }
    let c = &args.common;
    let s = read_sample(c, &|v| {
        if (min..=max).contains(&v) { Ok(()) } else { Err(format!("{v} is outside the scale {min}..{max}")) }
    })?;
    let total = stats::rating_summary(&s.values, scale, s.weights.as_deref())?;
    let mut groups: Vec<(String, RatingSummary, GroupTests)> = Vec::new();
    if let Some(g) = &s.groups {
        let n = s.values.len();
        for (gname, idx) in group_indices(g) {
            let w = s.weights.as_ref().map(|w| pick(w, &idx));
            let summary = stats::rating_summary(&pick(&s.values, &idx), scale, w.as_deref())?;
            let rest_idx = complement(n, &idx);
            let tests = if rest_idx.is_empty() {
                (None, None)
            } else {
                let rw = s.weights.as_ref().map(|w| pick(w, &rest_idx));
                match stats::rating_summary(&pick(&s.values, &rest_idx), scale, rw.as_deref()) {
                    Ok(rest) => {
                        let (a, b) = (&summary.top_box, &rest.top_box);
                        let share = stats::two_proportion_z_test(
                            a.share * a.effective_n,
                            a.effective_n,
                            b.share * b.effective_n,
                            b.effective_n,
                        )
                        .ok()
                        .map(|t| (t.difference, t.z, t.p_value));
                        let mean = stats::welch_t_test_from_summaries(&summary.mean, &rest.mean)
                            .ok()
                            .map(|t| (t.difference, t.t, t.p_value));
                        (share, mean)
                    }
                    Err(_) => (None, None),
                }
            };
            groups.push((gname.to_string(), summary, tests));
        }
    }
    let adj_share = bh_adjust(&groups.iter().map(|g| g.2.0.map(|t| t.2)).collect::<Vec<_>>())?;
    let adj_mean = bh_adjust(&groups.iter().map(|g| g.2.1.map(|t| t.2)).collect::<Vec<_>>())?;

    if c.json {
        let gj: Vec<Value> = groups
            .iter()
            .enumerate()
            .map(|(i, (gname, summ, (ts, tm)))| {
                json!({
                    "group": gname,
                    "summary": summ,
                    "vs_rest": {
                        "top_box": test_json(*ts, adj_share[i]),
                        "mean": test_json(*tm, adj_mean[i]),
                    }
                })
            })
            .collect();
        return to_json(&json!({
            "metric": name,
            "column": c.column,
            "by": c.by,
            "weight": c.weight,
            "rows_read": s.rows_read,
            "skipped": s.skipped,
            "fdr_q": FDR_Q,
            "total": total,
            "groups": gj,
        }));
    }
    let top_label = match metric {
        Metric::Csat => "top-box %",
        Metric::Ces => "% easy",
    };
    let headers =
        ["group", "n", top_label, "95% CI (Wilson)", "mean", "95% CI (t)", "low base", "p share (BH)", "p mean (BH)"];
    let mean_ci = |m: &MeanSummary| match m.ci95 {
        Some(ci) => format!("[{}, {}]", fmt_num(ci.lower, 2), fmt_num(ci.upper, 2)),
        None => "n/a".into(),
    };
    let ptext = |t: TestOutcome, adj: Option<f64>, grouped: bool| {
        if !grouped {
            String::new()
        } else if t.is_some() {
            format!("{}{}", fmt_p(adj), sig_mark(adj))
        } else {
            "n/a".into()
        }
    };
    let row = |gname: &str, r: &RatingSummary, t: GroupTests, a1, a2, grouped| {
        vec![
            gname.to_string(),
            r.top_box.n.to_string(),
            format!("{:.1}%", 100.0 * r.top_box.share),
            format!("[{:.1}%, {:.1}%]", 100.0 * r.top_box.ci95.lower, 100.0 * r.top_box.ci95.upper),
            fmt_num(r.mean.mean, 2),
            mean_ci(&r.mean),
            if r.top_box.low_base { "yes".into() } else { String::new() },
            ptext(t.0, a1, grouped),
            ptext(t.1, a2, grouped),
        ]
    };
    let mut rows = vec![row("(total)", &total, (None, None), None, None, false)];
    for (i, (gname, summ, tests)) in groups.iter().enumerate() {
        rows.push(row(gname, summ, *tests, adj_share[i], adj_mean[i], true));
    }
    let mut out = format!(
        "{} of '{}' on {}–{} (top box ≥ {})",
        name.to_uppercase(),
        c.column,
        scale.min,
        scale.max,
        scale.top_box_min
    );
    if let Some(w) = &c.weight {
        out.push_str(&format!(" weighted by '{w}'"));
    }
    out.push_str(&format!(" — {} rows read, {} skipped (empty cells)\n\n", s.rows_read, s.skipped));
    out.push_str(&render_table(&headers, &rows));
    if !groups.is_empty() {
        out.push_str(&format!(
            "\nEach group vs the rest: two-proportion z-test (share), Welch t-test (mean); p adjusted by Benjamini–Hochberg; * = significant at FDR {FDR_Q}.\n"
        ));
    }
    Ok(out)
}

// -------------------------------------------------------------- drivers

fn drivers_report(args: &DriversArgs) -> Result<String> {
    let table = Table::read(&args.input)?;
    let ycol = table.column(&args.outcome)?;
    let names: Vec<String> = args.drivers.iter().map(|d| d.trim().to_string()).filter(|d| !d.is_empty()).collect();
    if names.is_empty() {
        bail!("--drivers needs at least one column");
    }
    let xcols = names.iter().map(|d| table.column(d)).collect::<Result<Vec<_>>>()?;
    let mut x: Vec<Vec<f64>> = Vec::new();
    let mut y: Vec<f64> = Vec::new();
    let mut skipped = 0;
    for (line, rec) in &table.rows {
        let yv = cell(rec, ycol);
        let xv: Option<Vec<&str>> = xcols.iter().map(|&c| cell(rec, c)).collect();
        let (Some(yv), Some(xv)) = (yv, xv) else {
            skipped += 1;
            continue;
        };
        y.push(parse_number(yv, *line, &args.outcome)?);
        let row = xv.iter().zip(&names).map(|(v, n)| parse_number(v, *line, n)).collect::<Result<Vec<_>>>()?;
        x.push(row);
    }
    let name_err = |e: StatsError| match e {
        StatsError::ConstantDriver { index } => anyhow!(
            "driver '{}' is constant in the usable rows; remove it",
            names.get(index).map(String::as_str).unwrap_or("?")
        ),
        StatsError::InsufficientData { needed, found } => anyhow!(
            "{found} usable rows ({skipped} skipped for empty cells); {} drivers need at least {needed}",
            names.len()
        ),
        other => anyhow!(other),
    };
    let rw = stats::relative_weights(&x, &y).map_err(name_err)?;
    let boot = if args.bootstrap > 0 {
        Some(stats::bootstrap_relative_weights(&x, &y, args.bootstrap, args.seed).map_err(name_err)?)
    } else {
        None
    };
    let k = names.len();
    let mut performance = Vec::with_capacity(k);
    let mut pearson = Vec::with_capacity(k);
    let mut spearman = Vec::with_capacity(k);
    for j in 0..k {
        let col: Vec<f64> = x.iter().map(|r| r[j]).collect();
        performance.push(col.iter().sum::<f64>() / col.len() as f64);
        pearson.push(stats::pearson(&col, &y).map_err(name_err)?);
        spearman.push(stats::spearman(&col, &y).map_err(name_err)?);
    }
    let quadrants = stats::ipa_quadrants(&rw.raw, &performance)?;
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| rw.raw[b].total_cmp(&rw.raw[a]));

    if args.json {
        let items: Vec<Value> = order
            .iter()
            .map(|&j| {
                json!({
                    "driver": names[j],
                    "raw_weight": rw.raw[j],
                    "percent_of_r_squared": rw.rescaled[j],
                    "bootstrap_ci95": boot.as_ref().map(|b| b.intervals[j]),
                    "pearson": pearson[j],
                    "spearman": spearman[j],
                    "performance": performance[j],
                    "quadrant": quadrants[j],
                })
            })
            .collect();
        return to_json(&json!({
            "analysis": "drivers",
            "outcome": args.outcome,
            "n": rw.n,
            "rows_read": table.rows.len(),
            "skipped": skipped,
            "r_squared": rw.r_squared,
            "r_squared_bootstrap_ci95": boot.as_ref().map(|b| b.r_squared),
            "bootstrap": boot.as_ref().map(|b| json!({
                "replicates": b.replicates, "failed": b.failed, "seed": b.seed
            })),
            "drivers": items,
        }));
    }
    let headers =
        ["driver", "weight", "% of R²", "95% CI (bootstrap)", "pearson", "spearman", "performance", "quadrant"];
    let rows: Vec<Vec<String>> = order
        .iter()
        .map(|&j| {
            vec![
                names[j].clone(),
                fmt_num(rw.raw[j], 4),
                format!("{:.1}%", rw.rescaled[j]),
                boot.as_ref()
                    .map(|b| format!("[{}, {}]", fmt_num(b.intervals[j].lower, 4), fmt_num(b.intervals[j].upper, 4)))
                    .unwrap_or_else(|| "-".into()),
                fmt_num(pearson[j], 3),
                fmt_num(spearman[j], 3),
                fmt_num(performance[j], 2),
                quadrants[j].as_str().replace('_', " "),
            ]
        })
        .collect();
    let mut out = format!(
        "Key drivers of '{}' (relative weights, Johnson 2000) — n = {}, {} skipped (empty cells), R² = {:.4}",
        args.outcome, rw.n, skipped, rw.r_squared
    );
    if let Some(b) = &boot {
        out.push_str(&format!(
            ", bootstrap {} replicates (seed {}{})",
            b.replicates,
            b.seed,
            if b.failed > 0 { format!(", {} failed", b.failed) } else { String::new() }
        ));
    }
    out.push_str("\n\n");
    out.push_str(&render_table(&headers, &rows));
    out.push_str("\nQuadrants: importance (weight) and performance (mean) against their averages.\n");
    Ok(out)
}

// ------------------------------------------------------------- crosstab

fn crosstab_report(args: &CrosstabArgs) -> Result<String> {
    let table = Table::read(&args.input)?;
    let rc = table.column(&args.rows)?;
    let cc = table.column(&args.cols)?;
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut skipped = 0;
    for (_, rec) in &table.rows {
        match (cell(rec, rc), cell(rec, cc)) {
            (Some(r), Some(c)) => pairs.push((r.to_string(), c.to_string())),
            _ => skipped += 1,
        }
    }
    let row_labels: Vec<String> = {
        let mut v: Vec<String> = pairs.iter().map(|p| p.0.clone()).collect();
        v.sort();
        v.dedup();
        v
    };
    let col_labels: Vec<String> = {
        let mut v: Vec<String> = pairs.iter().map(|p| p.1.clone()).collect();
        v.sort();
        v.dedup();
        v
    };
    if row_labels.len() < 2 || col_labels.len() < 2 {
        bail!(
            "a crosstab needs at least 2 distinct values in each column: '{}' has {}, '{}' has {} ({} usable rows, {} skipped)",
            args.rows,
            row_labels.len(),
            args.cols,
            col_labels.len(),
            pairs.len(),
            skipped
        );
    }
    let mut counts = vec![vec![0.0; col_labels.len()]; row_labels.len()];
    for (r, c) in &pairs {
        if let (Ok(i), Ok(j)) = (row_labels.binary_search(r), col_labels.binary_search(c)) {
            counts[i][j] += 1.0;
        }
    }
    let res = stats::chi_square_independence(&counts)?;
    let min_expected = res.expected.iter().flatten().cloned().fold(f64::INFINITY, f64::min);
    if args.json {
        return to_json(&json!({
            "analysis": "crosstab",
            "rows": args.rows,
            "cols": args.cols,
            "rows_read": table.rows.len(),
            "skipped": skipped,
            "row_labels": row_labels,
            "col_labels": col_labels,
            "counts": counts,
            "n": res.total,
            "chi_square": res.statistic,
            "df": res.df,
            "p_value": res.p_value,
            "expected": res.expected,
            "adjusted_residuals": res.adjusted_residuals,
            "min_expected": min_expected,
        }));
    }
    let mut headers: Vec<&str> = vec![args.rows.as_str()];
    headers.extend(col_labels.iter().map(String::as_str));
    headers.push("total");
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (i, label) in row_labels.iter().enumerate() {
        let mut r = vec![label.clone()];
        for (count, &adj) in counts[i].iter().zip(&res.adjusted_residuals[i]) {
            let mark = if adj > 1.96 {
                " +"
            } else if adj < -1.96 {
                " -"
            } else {
                "  "
            };
            r.push(format!("{count}{mark}"));
        }
        r.push(res.row_totals[i].to_string());
        rows.push(r);
    }
    let mut total_row = vec!["total".to_string()];
    total_row.extend(res.col_totals.iter().map(|t| format!("{t}  ")));
    total_row.push(res.total.to_string());
    rows.push(total_row);
    let mut out = format!(
        "Crosstab of '{}' (rows) by '{}' (columns) — n = {}, {} skipped (empty cells)\n\n",
        args.rows, args.cols, res.total, skipped
    );
    out.push_str(&render_table(&headers, &rows));
    out.push_str(&format!("\nchi-square = {:.3}, df = {}, p = {}\n", res.statistic, res.df, fmt_p(Some(res.p_value))));
    if min_expected < 5.0 {
        out.push_str(&format!(
            "warning: smallest expected count is {min_expected:.2} (< 5); the chi-square approximation may be poor\n"
        ));
    }
    out.push_str("\nAdjusted standardized residuals (+/- above: |r| > 1.96):\n\n");
    let res_rows: Vec<Vec<String>> = row_labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let mut r = vec![label.clone()];
            r.extend(res.adjusted_residuals[i].iter().map(|v| fmt_num(*v, 2)));
            r
        })
        .collect();
    out.push_str(&render_table(&headers[..headers.len() - 1], &res_rows));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use std::sync::atomic::{AtomicUsize, Ordering};

    static COUNTER: AtomicUsize = AtomicUsize::new(0);

    fn temp_csv(content: &str) -> PathBuf {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path = std::env::temp_dir().join(format!("cxm-analyze-test-{}-{n}.csv", std::process::id()));
        std::fs::write(&path, content).unwrap();
        path
    }

    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        cmd: AnalyzeCommand,
    }

    fn run_args(args: &[&str]) -> Result<String> {
        let mut full = vec!["analyze"];
        full.extend_from_slice(args);
        let cli = Cli::try_parse_from(full).map_err(|e| anyhow!(e.to_string()))?;
        execute(&cli.cmd)
    }

    fn nps_csv() -> PathBuf {
        let mut s = String::from("id,score,region,w\n");
        for i in 0..120 {
            let (score, region) =
                if i < 60 { ([10, 9, 9, 8, 3][i % 5], "north") } else { ([10, 6, 5, 8, 2][i % 5], "south") };
            s.push_str(&format!("{i},{score},{region},{}\n", 1 + i % 3));
        }
        s.push_str("999,,north,1\n");
        temp_csv(&s)
    }

    #[test]
    fn nps_json_total_and_groups() {
        let p = nps_csv();
        let out = run_args(&["nps", "--input", p.to_str().unwrap(), "--column", "score", "--by", "region", "--json"])
            .unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["skipped"], 1);
        assert_eq!(v["total"]["n"], 120);
        let groups = v["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0]["group"], "north");
        // north: 3/5 promoters, 1/5 detractors → NPS 40
        assert!((groups[0]["summary"]["nps"].as_f64().unwrap() - 40.0).abs() < 1e-9);
        assert!((groups[1]["summary"]["nps"].as_f64().unwrap() + 40.0).abs() < 1e-9);
        let p_adj = groups[0]["vs_rest"]["p_adjusted"].as_f64().unwrap();
        assert!(p_adj < 0.05);
        assert_eq!(groups[0]["vs_rest"]["significant"], true);
        let _ = std::fs::remove_file(p);
    }

    #[test]
    fn nps_table_weighted() {
        let p = nps_csv();
        let out = run_args(&["nps", "--input", p.to_str().unwrap(), "--column", "score", "--weight", "w"]).unwrap();
        assert!(out.contains("(total)"), "{out}");
        assert!(out.contains("weighted by 'w'"));
        let _ = std::fs::remove_file(p);
    }

    #[test]
    fn unknown_column_lists_available() {
        let p = nps_csv();
        let err = run_args(&["nps", "--input", p.to_str().unwrap(), "--column", "nope"]).unwrap_err().to_string();
        assert!(err.contains("unknown column 'nope'"), "{err}");
        assert!(err.contains("id, score, region, w"), "{err}");
        let _ = std::fs::remove_file(p);
    }

    #[test]
    fn non_numeric_cell_names_line_and_column() {
        let p = temp_csv("score\n9\n10\nabc\n");
        let err = run_args(&["nps", "--input", p.to_str().unwrap(), "--column", "score"]).unwrap_err().to_string();
        assert!(err.contains("line 4") && err.contains("'score'"), "{err}");
        let _ = std::fs::remove_file(p);
        let p = temp_csv("score\n9\n11\n");
        let err = run_args(&["nps", "--input", p.to_str().unwrap(), "--column", "score"]).unwrap_err().to_string();
        assert!(err.contains("line 3"), "{err}");
        let _ = std::fs::remove_file(p);
    }

    #[test]
    fn csat_and_ces() {
        let mut s = String::from("csat,ces,team\n");
        for i in 0..80 {
            s.push_str(&format!("{},{},{}\n", 1 + i % 5, 1 + i % 7, ["a", "b"][i % 2]));
        }
        s.push_str(",,a\n");
        let p = temp_csv(&s);
        let out =
            run_args(&["csat", "--input", p.to_str().unwrap(), "--column", "csat", "--by", "team", "--json"]).unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["skipped"], 1);
        assert!((v["total"]["top_box"]["share"].as_f64().unwrap() - 0.4).abs() < 1e-12);
        assert!((v["total"]["mean"]["mean"].as_f64().unwrap() - 3.0).abs() < 1e-12);
        assert_eq!(v["groups"].as_array().unwrap().len(), 2);
        let out = run_args(&["ces", "--input", p.to_str().unwrap(), "--column", "ces"]).unwrap();
        assert!(out.contains("% easy"), "{out}");
        // ces column on a 1–5 scale is out of range
        let err = run_args(&["ces", "--input", p.to_str().unwrap(), "--column", "ces", "--scale-max", "5"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("outside the scale"), "{err}");
        let _ = std::fs::remove_file(p);
    }

    fn drivers_csv() -> PathBuf {
        let mut rng = stats::SplitMix64::new(9);
        let mut u = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let mut s = String::from("overall,speed,staff,price,const\n");
        for _ in 0..150 {
            let speed = (u() * 10.0).round();
            let staff = (u() * 10.0).round();
            let price = (u() * 10.0).round();
            let y = 0.6 * speed + 0.2 * staff + 0.05 * price + u() * 2.0;
            s.push_str(&format!("{y:.3},{speed},{staff},{price},5\n"));
        }
        s.push_str("7,,3,4,5\n");
        temp_csv(&s)
    }

    #[test]
    fn drivers_sorted_with_bootstrap() {
        let p = drivers_csv();
        let out = run_args(&[
            "drivers",
            "--input",
            p.to_str().unwrap(),
            "--outcome",
            "overall",
            "--drivers",
            "price,staff,speed",
            "--bootstrap",
            "200",
            "--seed",
            "3",
            "--json",
        ])
        .unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["skipped"], 1);
        let d = v["drivers"].as_array().unwrap();
        assert_eq!(d[0]["driver"], "speed");
        assert_eq!(d[2]["driver"], "price");
        let sum: f64 = d.iter().map(|x| x["raw_weight"].as_f64().unwrap()).sum();
        assert!((sum - v["r_squared"].as_f64().unwrap()).abs() < 1e-9);
        assert!(d[0]["bootstrap_ci95"]["lower"].as_f64().unwrap() > 0.0);
        assert!(d[0]["quadrant"].is_string());
        let table = run_args(&[
            "drivers",
            "--input",
            p.to_str().unwrap(),
            "--outcome",
            "overall",
            "--drivers",
            "speed,staff",
            "--bootstrap",
            "0",
        ])
        .unwrap();
        assert!(table.contains("speed") && table.contains("R²"), "{table}");
        let err =
            run_args(&["drivers", "--input", p.to_str().unwrap(), "--outcome", "overall", "--drivers", "speed,const"])
                .unwrap_err()
                .to_string();
        assert!(err.contains("'const' is constant"), "{err}");
        let _ = std::fs::remove_file(p);
    }

    #[test]
    fn crosstab_counts_and_chi_square() {
        // Agresti (2007) Table 2.5, expanded to one row per respondent.
        let mut s = String::from("gender,party\n");
        for (g, p, k) in [
            ("F", "Dem", 762),
            ("F", "Ind", 327),
            ("F", "Rep", 468),
            ("M", "Dem", 484),
            ("M", "Ind", 239),
            ("M", "Rep", 477),
        ] {
            for _ in 0..k {
                s.push_str(&format!("{g},{p}\n"));
            }
        }
        s.push_str("F,\n");
        let p = temp_csv(&s);
        let out =
            run_args(&["crosstab", "--input", p.to_str().unwrap(), "--rows", "gender", "--cols", "party", "--json"])
                .unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["skipped"], 1);
        assert!((v["chi_square"].as_f64().unwrap() - 30.07).abs() < 0.005);
        assert_eq!(v["df"], 2);
        assert!((v["adjusted_residuals"][0][0].as_f64().unwrap() - 4.50).abs() < 0.005);
        let table =
            run_args(&["crosstab", "--input", p.to_str().unwrap(), "--rows", "gender", "--cols", "party"]).unwrap();
        assert!(table.contains("chi-square = 30.07"), "{table}");
        let _ = std::fs::remove_file(p);
    }

    #[test]
    fn missing_file_is_an_error() {
        let err = run_args(&["nps", "--input", "/nonexistent/x.csv", "--column", "s"]).unwrap_err().to_string();
        assert!(err.contains("cannot open"), "{err}");
    }
}
