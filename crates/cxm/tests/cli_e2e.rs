//! End-to-end tests of the `cxm` binary: every test runs the real executable
//! against SQLite files in its own temporary directory (removed afterwards).
//!
//! Covered: the demo generator's planted key driver as found by
//! `cxm analyze drivers`, demo determinism and idempotence, `cxm analyze nps`
//! and `crosstab` checked against figures computed here from the exported CSV,
//! the import CLI (exit codes, error reports, re-import, whole-file
//! rejections), `cxm user create`, and the error paths of `cxm analyze`.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

// ------------------------------------------------------------------ helpers

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("cxm-e2e-{name}-{}-{nanos}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("creating the temp dir");
        TempDir(dir)
    }

    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }

    /// A SQLite URL for a database file in this directory.
    fn db(&self, name: &str) -> String {
        format!("sqlite://{}?mode=rwc", self.path(name).display())
    }

    fn write(&self, file: &str, content: &str) -> PathBuf {
        let p = self.path(file);
        std::fs::write(&p, content).expect("writing a test file");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Run {
    args: String,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn describe(&self) -> String {
        format!("`cxm {}` exited {:?}\n--- stdout\n{}\n--- stderr\n{}", self.args, self.code, self.stdout, self.stderr)
    }

    /// Asserts exit code 0 and returns self.
    fn ok(self) -> Run {
        assert_eq!(self.code, Some(0), "{}", self.describe());
        self
    }

    /// Asserts a non-zero exit (not a crash by signal) and returns self.
    fn fails(self) -> Run {
        assert!(matches!(self.code, Some(c) if c != 0), "expected failure: {}", self.describe());
        assert!(!self.stderr.contains("panicked"), "the binary panicked: {}", self.describe());
        self
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.describe()))
    }
}

/// Runs the built `cxm` binary in `dir` with a clean environment for its own variables.
fn cxm(dir: &TempDir, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_cxm"))
        .args(args)
        .current_dir(&dir.0)
        .env("CXM_LOG", "warn")
        .env_remove("CXM_DATABASE_URL")
        .env_remove("CXM_WORKSPACE")
        .env_remove("CXM_PASSWORD")
        .output()
        .expect("running the cxm binary");
    Run {
        args: args.join(" "),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn p(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// `cxm demo` into `db`.
fn demo(dir: &TempDir, db: &str, customers: usize, seed: u64) -> Run {
    cxm(dir, &["demo", "--db", db, "--customers", &customers.to_string(), "--seed", &seed.to_string()]).ok()
}

/// `cxm export responses --survey nps_txn -o FILE`; returns the file.
fn export(dir: &TempDir, db: &str, file: &str) -> PathBuf {
    let out = dir.path(file);
    let run = cxm(dir, &["export", "responses", "--db", db, "--survey", "nps_txn", "-o", p(&out)]).ok();
    assert!(run.stderr.contains("exported"), "{}", run.describe());
    out
}

/// Header and data rows of a CSV file.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rdr = csv::Reader::from_path(path).expect("opening a CSV");
    let header = rdr.headers().expect("CSV header").iter().map(String::from).collect();
    let rows = rdr.records().map(|r| r.expect("CSV record").iter().map(String::from).collect()).collect();
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
}

/// Days since the epoch (UTC): demo data is anchored on the current day.
fn utc_day() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() / 86_400).unwrap_or(0)
}

const DRIVERS: &str = "r_delivery,r_quality,r_price,r_staff,r_app";

// ------------------------------------------------------- 1. key drivers

#[test]
fn drivers_find_the_planted_key_driver() {
    let dir = TempDir::new("drivers");
    let db = dir.db("cxm.db");
    let summary = demo(&dir, &db, 3000, 7);
    assert!(summary.stdout.contains("demo data (seed 7)"), "{}", summary.describe());
    let file = export(&dir, &db, "nps_txn.csv");

    // Complete cases, counted independently.
    let (header, rows) = read_csv(&file);
    let needed: Vec<usize> = std::iter::once("nps").chain(DRIVERS.split(',')).map(|c| col(&header, c)).collect();
    let complete = rows.iter().filter(|r| needed.iter().all(|&i| !r[i].trim().is_empty())).count();
    assert!(rows.len() > 2000, "expected a few thousand nps_txn responses, got {}", rows.len());

    let run =
        cxm(&dir, &["analyze", "drivers", "--input", p(&file), "--outcome", "nps", "--drivers", DRIVERS, "--json"])
            .ok();
    let v = run.json();
    assert_eq!(v["analysis"], "drivers");
    assert_eq!(v["outcome"], "nps");
    assert_eq!(v["rows_read"].as_u64(), Some(rows.len() as u64));
    assert_eq!(v["n"].as_u64(), Some(complete as u64), "n must be the complete cases");
    assert_eq!(v["skipped"].as_u64(), Some((rows.len() - complete) as u64));

    let drivers = v["drivers"].as_array().expect("drivers array");
    assert_eq!(drivers.len(), 5);
    let weight: BTreeMap<String, f64> =
        drivers.iter().map(|d| (d["driver"].as_str().unwrap().to_string(), f(&d["raw_weight"]))).collect();
    assert_eq!(weight.len(), 5, "each driver once: {weight:?}");
    let (top, _) = weight.iter().max_by(|a, b| a.1.total_cmp(b.1)).unwrap();
    let (bottom, _) = weight.iter().min_by(|a, b| a.1.total_cmp(b.1)).unwrap();
    assert_eq!(top, "r_delivery", "planted key driver must weigh most: {weight:?}");
    assert_eq!(bottom, "r_app", "r_app must weigh least: {weight:?}");
    assert!(weight["r_delivery"] > weight["r_quality"] && weight["r_quality"] > weight["r_price"], "{weight:?}");
    // Sorted by weight, descending.
    let listed: Vec<f64> = drivers.iter().map(|d| f(&d["raw_weight"])).collect();
    assert!(listed.windows(2).all(|w| w[0] >= w[1]), "drivers not sorted by weight: {listed:?}");
    assert_eq!(drivers[0]["driver"], "r_delivery");
    assert_eq!(drivers[4]["driver"], "r_app");

    let r2 = f(&v["r_squared"]);
    assert!((0.3..=0.8).contains(&r2), "R² = {r2}");
    let sum: f64 = weight.values().sum();
    assert!((sum - r2).abs() < 1e-9, "weights sum to {sum}, R² = {r2}");
    let pct: f64 = drivers.iter().map(|d| f(&d["percent_of_r_squared"])).sum();
    assert!((pct - 100.0).abs() < 1e-6, "percentages of R² sum to {pct}");
    assert!(weight["r_delivery"] / r2 > 0.3, "delivery share of R² = {}", weight["r_delivery"] / r2);

    for d in drivers {
        let w = f(&d["raw_weight"]);
        assert!(w > 0.0, "{d}");
        let ci = &d["bootstrap_ci95"];
        assert!(f(&ci["lower"]) <= w && w <= f(&ci["upper"]), "bootstrap interval misses the estimate: {d}");
        let r = f(&d["pearson"]);
        assert!(r > 0.0 && r < 1.0, "all ratings correlate positively with nps: {d}");
        assert!(d["quadrant"].is_string(), "{d}");
        // The IPA performance is the mean rating of the complete cases.
        let i = col(&header, d["driver"].as_str().unwrap());
        let vals: Vec<f64> = rows
            .iter()
            .filter(|r| needed.iter().all(|&k| !r[k].trim().is_empty()))
            .map(|r| r[i].parse::<f64>().unwrap())
            .collect();
        let mean = vals.iter().sum::<f64>() / vals.len() as f64;
        assert!(close(mean, f(&d["performance"]), 1e-9), "performance {} vs mean {mean}", d["performance"]);
    }
    assert_eq!(drivers[0]["quadrant"], "fix_first", "lowest-rated strongest driver is 'fix first': {}", drivers[0]);

    // The human table lists r_delivery first and r_app last.
    let run = cxm(&dir, &["analyze", "drivers", "--input", p(&file), "--outcome", "nps", "--drivers", DRIVERS]).ok();
    let table = &run.stdout;
    assert!(table.contains(&format!("R² = {r2:.4}")), "table R² differs from JSON {r2}: {table}");
    assert!(table.contains(&format!("n = {complete}")), "{table}");
    let lines: Vec<&str> = table.lines().collect();
    let sep = lines.iter().position(|l| l.starts_with("----")).unwrap_or_else(|| panic!("no table rule: {table}"));
    let names: Vec<&str> = lines[sep + 1..]
        .iter()
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(names, ["r_delivery", "r_quality", "r_price", "r_staff", "r_app"], "{table}");
}

// ------------------------------------------------------ 2. determinism

#[test]
fn demo_is_deterministic_per_seed_and_idempotent() {
    let dir = TempDir::new("determinism");
    // Demo data ends "today" (UTC): retry once if the day turned mid-test.
    for attempt in 0..2 {
        let day = utc_day();
        let (a, b, c) =
            (dir.db(&format!("a{attempt}.db")), dir.db(&format!("b{attempt}.db")), dir.db(&format!("c{attempt}.db")));
        let csv_a = dir.path(&format!("demo-a{attempt}.csv"));
        cxm(&dir, &["demo", "--db", &a, "--customers", "600", "--seed", "7", "--csv", p(&csv_a)]).ok();
        demo(&dir, &b, 600, 7);
        demo(&dir, &c, 600, 8);
        let ea = std::fs::read(export(&dir, &a, &format!("a{attempt}.csv"))).unwrap();
        let eb = std::fs::read(export(&dir, &b, &format!("b{attempt}.csv"))).unwrap();
        let ec = std::fs::read(export(&dir, &c, &format!("c{attempt}.csv"))).unwrap();
        if utc_day() != day && attempt == 0 {
            continue;
        }
        let rows = ea.iter().filter(|&&b| b == b'\n').count();
        assert!(rows > 300, "expected several hundred exported rows, got {rows}");
        assert!(ea == eb, "same seed gave different exports");
        assert!(ea != ec, "seeds 7 and 8 gave the same export");
        // `demo --csv` writes the export layout, byte for byte.
        let from_demo = std::fs::read(&csv_a).unwrap();
        assert!(from_demo == ea, "`demo --csv` differs from `export responses`");

        // Seeding again adds no responses and leaves the export unchanged.
        let again = demo(&dir, &a, 600, 7);
        assert!(again.stdout.contains(" 0 responses"), "{}", again.describe());
        let ea2 = std::fs::read(export(&dir, &a, &format!("a{attempt}-again.csv"))).unwrap();
        assert!(ea == ea2, "a second `cxm demo` changed the responses");
        return;
    }
}

#[test]
fn export_import_round_trip_is_lossless() {
    let dir = TempDir::new("roundtrip");
    let (src, dst) = (dir.db("src.db"), dir.db("dst.db"));
    demo(&dir, &src, 300, 5);
    let first = export(&dir, &src, "first.csv");
    // An empty company (setup only) to import into.
    let empty = demo(&dir, &dst, 0, 5);
    assert!(empty.stdout.contains("0 responses"), "{}", empty.describe());
    let (_, rows) = read_csv(&first);
    let run = cxm(&dir, &["import", "responses", p(&first), "--db", &dst]).ok();
    let n = rows.len();
    assert!(
        run.stdout.contains(&format!("{n} rows read, {n} written, 0 already present, 0 with errors")),
        "{}",
        run.describe()
    );
    let second = export(&dir, &dst, "second.csv");
    assert!(
        std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(),
        "export → import → export changed the data"
    );
}

// ----------------------------------------------------------- 3. NPS

#[derive(Default, Debug)]
struct Tally {
    n: usize,
    promoters: usize,
    detractors: usize,
}

impl Tally {
    fn add(&mut self, score: u32) {
        self.n += 1;
        if score >= 9 {
            self.promoters += 1;
        } else if score <= 6 {
            self.detractors += 1;
        }
    }

    fn nps(&self) -> f64 {
        100.0 * (self.promoters as f64 - self.detractors as f64) / self.n as f64
    }

    /// Checks an NpsSummary JSON object against this tally.
    fn check(&self, what: &str, s: &Value) {
        assert_eq!(s["n"].as_u64(), Some(self.n as u64), "{what}: n");
        assert!(close(f(&s["promoters"]), self.promoters as f64, 1e-12), "{what}: promoters {s}");
        assert!(close(f(&s["detractors"]), self.detractors as f64, 1e-12), "{what}: detractors {s}");
        let passives = (self.n - self.promoters - self.detractors) as f64;
        assert!(close(f(&s["passives"]), passives, 1e-12), "{what}: passives {s}");
        assert!(close(f(&s["nps"]), self.nps(), 1e-9), "{what}: NPS {} vs {}", s["nps"], self.nps());
        let (pp, dd) = (self.promoters as f64 / self.n as f64, self.detractors as f64 / self.n as f64);
        let se = 100.0 * ((pp + dd - (pp - dd).powi(2)) / self.n as f64).sqrt();
        assert!(close(f(&s["se"]), se, 1e-9), "{what}: se {} vs {se}", s["se"]);
        let (lo, hi, score) = (f(&s["ci95"]["lower"]), f(&s["ci95"]["upper"]), f(&s["nps"]));
        assert!(lo <= score && score <= hi, "{what}: interval [{lo}, {hi}] misses {score}");
        assert!(close(hi - lo, 2.0 * 1.96 * se, 1e-9), "{what}: interval width {} vs 2·1.96·{se}", hi - lo);
        assert_eq!(s["low_base"].as_bool(), Some(self.n < 30), "{what}: low_base");
    }
}

#[test]
fn nps_by_touchpoint_matches_an_independent_count() {
    let dir = TempDir::new("nps");
    let db = dir.db("cxm.db");
    demo(&dir, &db, 1000, 11);
    let file = export(&dir, &db, "nps_txn.csv");

    let (header, rows) = read_csv(&file);
    let (ni, ti) = (col(&header, "nps"), col(&header, "touchpoint"));
    let mut total = Tally::default();
    let mut by: BTreeMap<String, Tally> = BTreeMap::new();
    let mut skipped = 0;
    for r in &rows {
        let (score, tp) = (r[ni].trim(), r[ti].trim());
        if score.is_empty() || tp.is_empty() {
            skipped += 1;
            continue;
        }
        let score: u32 = score.parse().expect("whole-number NPS in the export");
        assert!(score <= 10);
        total.add(score);
        by.entry(tp.to_string()).or_default().add(score);
    }
    assert!(total.n > 500 && by.len() >= 5, "too little data: {total:?}, {} touchpoints", by.len());

    let run =
        cxm(&dir, &["analyze", "nps", "--input", p(&file), "--column", "nps", "--by", "touchpoint", "--json"]).ok();
    let v = run.json();
    assert_eq!(v["metric"], "nps");
    assert_eq!(v["rows_read"].as_u64(), Some(rows.len() as u64));
    assert_eq!(v["skipped"].as_u64(), Some(skipped as u64));
    total.check("total", &v["total"]);

    let groups = v["groups"].as_array().expect("groups");
    let names: Vec<&str> = groups.iter().map(|g| g["group"].as_str().unwrap()).collect();
    let expected: Vec<&str> = by.keys().map(String::as_str).collect();
    assert_eq!(names, expected, "one group per touchpoint, sorted");
    let sum: u64 = groups.iter().map(|g| g["summary"]["n"].as_u64().unwrap()).sum();
    assert_eq!(sum, v["total"]["n"].as_u64().unwrap(), "group sizes must add up to the total");
    for g in groups {
        let name = g["group"].as_str().unwrap();
        by[name].check(name, &g["summary"]);
        let t = &g["vs_rest"];
        let (pv, adj) = (f(&t["p_value"]), f(&t["p_adjusted"]));
        assert!((0.0..=1.0).contains(&pv) && (0.0..=1.0).contains(&adj), "{name}: {t}");
        assert!(adj >= pv - 1e-12, "{name}: BH-adjusted p below the raw p: {t}");
        assert_eq!(t["significant"].as_bool(), Some(adj <= 0.05), "{name}: {t}");
    }

    // The table shows the same total.
    let table =
        cxm(&dir, &["analyze", "nps", "--input", p(&file), "--column", "nps", "--by", "touchpoint"]).ok().stdout;
    let total_line = table.lines().find(|l| l.starts_with("(total)")).unwrap_or_else(|| panic!("{table}"));
    let cells: Vec<&str> = total_line.split_whitespace().collect();
    assert_eq!(cells[1], total.n.to_string(), "{total_line}");
    assert_eq!(cells[2], format!("{:.1}", total.nps()), "{total_line}");
}

// ------------------------------------------------------ 4. crosstab

#[test]
fn crosstab_channel_by_language_is_consistent() {
    let dir = TempDir::new("crosstab");
    let db = dir.db("cxm.db");
    demo(&dir, &db, 800, 3);
    let file = export(&dir, &db, "nps_txn.csv");

    let (header, rows) = read_csv(&file);
    let (ci, li) = (col(&header, "channel"), col(&header, "language"));
    let mut cells: BTreeMap<(String, String), f64> = BTreeMap::new();
    let mut usable = 0usize;
    for r in &rows {
        let (c, l) = (r[ci].trim(), r[li].trim());
        if !c.is_empty() && !l.is_empty() {
            *cells.entry((c.to_string(), l.to_string())).or_default() += 1.0;
            usable += 1;
        }
    }

    let run =
        cxm(&dir, &["analyze", "crosstab", "--input", p(&file), "--rows", "channel", "--cols", "language", "--json"])
            .ok();
    let v = run.json();
    let n = f(&v["n"]);
    assert_eq!(n, usable as f64, "n = rows with both cells");
    assert_eq!(v["rows_read"].as_u64(), Some(rows.len() as u64));
    assert_eq!(v["skipped"].as_u64(), Some((rows.len() - usable) as u64));
    let row_labels: Vec<String> = serde_json::from_value(v["row_labels"].clone()).unwrap();
    let col_labels: Vec<String> = serde_json::from_value(v["col_labels"].clone()).unwrap();
    assert_eq!(
        row_labels.iter().cloned().collect::<BTreeSet<_>>(),
        cells.keys().map(|k| k.0.clone()).collect::<BTreeSet<_>>()
    );
    assert_eq!(col_labels, ["en", "zh"], "demo customers are zh or en");
    let counts: Vec<Vec<f64>> = serde_json::from_value(v["counts"].clone()).unwrap();
    assert_eq!(counts.len(), row_labels.len());
    let total: f64 = counts.iter().flatten().sum();
    assert_eq!(total, n, "counts must sum to n");

    // Every cell, and chi-square recomputed from the counts.
    let row_tot: Vec<f64> = counts.iter().map(|r| r.iter().sum()).collect();
    let col_tot: Vec<f64> = (0..col_labels.len()).map(|j| counts.iter().map(|r| r[j]).sum()).collect();
    let mut chi = 0.0;
    for (i, rl) in row_labels.iter().enumerate() {
        assert_eq!(counts[i].len(), col_labels.len());
        for (j, cl) in col_labels.iter().enumerate() {
            let want = cells.get(&(rl.clone(), cl.clone())).copied().unwrap_or(0.0);
            assert_eq!(counts[i][j], want, "cell ({rl}, {cl})");
            let e = row_tot[i] * col_tot[j] / n;
            assert!(close(f(&v["expected"][i][j]), e, 1e-9), "expected count ({rl}, {cl})");
            chi += (counts[i][j] - e).powi(2) / e;
        }
    }
    let stat = f(&v["chi_square"]);
    assert!(stat >= 0.0, "chi-square {stat}");
    assert!(close(stat, chi, 1e-9), "chi-square {stat} vs recomputed {chi}");
    let pv = f(&v["p_value"]);
    assert!((0.0..=1.0).contains(&pv), "p = {pv}");
    assert_eq!(v["df"].as_u64(), Some(((row_labels.len() - 1) * (col_labels.len() - 1)) as u64));
}

// --------------------------------------------------------- 5. import

const IMPORT_CSV: &str = "\
external_id,survey,customer_id,touchpoint,channel,language,submitted_at,nps,csat,r_delivery
T1,nps_txn,C000001,delivery,app,zh,2025-06-01T08:00:00Z,9,5,4
T2,nps_txn,,delivery,app,en,2025-06-02T08:00:00Z,11,5,4
T3,nps_txn,C000002,,,,2025-06-03,7,4,
T4,nps_txn,C000002,nowhere,,,2025-06-03,7,4,3
T5,nps_txn,C000002,,,,yesterday,7,4,3
T6,no_such_survey,,,,,2025-06-03,7,4,3
T7,nps_txn,C000003,,,,2025-06-04,abc,4,3
T8,nps_txn,C000003,,fax,,2025-06-04,5,4,3
";

/// (line, field) of every bad row of IMPORT_CSV.
const IMPORT_ERRORS: [(u64, &str); 6] =
    [(3, "nps"), (5, "touchpoint"), (6, "submitted_at"), (7, "survey"), (8, "nps"), (9, "channel")];

/// Exported nps_txn responses by external id.
fn exported(dir: &TempDir, db: &str, file: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let (header, rows) = read_csv(&export(dir, db, file));
    rows.into_iter().map(|r| (r[0].clone(), header.iter().cloned().zip(r).collect())).collect()
}

#[test]
fn import_reports_bad_rows_and_is_idempotent() {
    let dir = TempDir::new("import");
    let db = dir.db("cxm.db");
    demo(&dir, &db, 20, 1); // the company's surveys and touchpoints
    let before = exported(&dir, &db, "before.csv");
    assert!(!before.is_empty());
    let input = dir.write("responses.csv", IMPORT_CSV);
    let errors = dir.path("errors.csv");

    let run = cxm(&dir, &["import", "responses", p(&input), "--db", &db, "--errors", p(&errors)]);
    assert_eq!(run.code, Some(2), "rows with errors → exit 2: {}", run.describe());
    assert!(
        run.stdout.contains("8 rows read, 2 written, 0 already present, 6 with errors"),
        "summary: {}",
        run.describe()
    );
    for (line, field) in IMPORT_ERRORS {
        assert!(
            run.stdout.contains(&format!("line {line}, field '{field}'")),
            "line {line} not listed: {}",
            run.stdout
        );
    }

    // The error file: one row per bad row, line,field,reason.
    let (eh, erows) = read_csv(&errors);
    assert_eq!(eh, ["line", "field", "reason"]);
    let got: Vec<(u64, &str)> = erows.iter().map(|r| (r[0].parse().unwrap(), r[1].as_str())).collect();
    assert_eq!(got, IMPORT_ERRORS);
    for r in &erows {
        assert!(!r[2].trim().is_empty(), "empty reason: {r:?}");
    }
    assert!(erows[0][2].contains("11") && erows[0][2].contains("0–10"), "{:?}", erows[0]);
    assert!(erows[3][2].contains("no_such_survey"), "{:?}", erows[3]);
    assert!(erows[5][2].contains("fax"), "{:?}", erows[5]);

    // Exactly the two good rows went in, with their values.
    let after = exported(&dir, &db, "after.csv");
    let new: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert_eq!(new, ["T1", "T3"]);
    let t1 = &after["T1"];
    for (k, want) in [
        ("customer_id", "C000001"),
        ("touchpoint", "delivery"),
        ("channel", "app"),
        ("language", "zh"),
        ("submitted_at", "2025-06-01T08:00:00Z"),
        ("nps", "9"),
        ("csat", "5"),
        ("r_delivery", "4"),
        ("ces", ""),
    ] {
        assert_eq!(t1[k], want, "T1 {k}");
    }
    assert_eq!(after["T3"]["submitted_at"], "2025-06-03T00:00:00Z");
    assert_eq!(after["T3"]["r_delivery"], "");

    // Re-running adds nothing.
    let run = cxm(&dir, &["import", "responses", p(&input), "--db", &db]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert!(run.stdout.contains("0 written, 2 already present, 6 with errors"), "{}", run.describe());

    // --json prints a parseable report (and nothing else on stdout).
    let run = cxm(&dir, &["import", "responses", p(&input), "--db", &db, "--json"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    let v = run.json();
    assert_eq!(v["rows_read"], 8);
    assert_eq!(v["written"], 0);
    assert_eq!(v["duplicates"], 2);
    assert_eq!(v["error_count"], 6);
    let lines: Vec<(u64, &str)> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(lines, IMPORT_ERRORS);

    assert_eq!(exported(&dir, &db, "final.csv"), after, "re-imports changed the data");

    // A clean file exits 0.
    let good = dir.write("good.csv", "external_id,survey,submitted_at,nps\nG1,nps_txn,2025-01-01,10\n");
    let run = cxm(&dir, &["import", "responses", p(&good), "--db", &db]).ok();
    assert!(run.stdout.contains("1 rows read, 1 written"), "{}", run.describe());
}

#[test]
fn import_rejects_unusable_files_whole() {
    let dir = TempDir::new("import-reject");
    let db = dir.db("cxm.db");
    demo(&dir, &db, 20, 1);
    let before = exported(&dir, &db, "before.csv");

    // Unknown column: nothing is written, even the valid row.
    let unknown = dir.write("unknown.csv", "external_id,survey,submitted_at,nps,npz\nX1,nps_txn,2025-01-01,9,3\n");
    let run = cxm(&dir, &["import", "responses", p(&unknown), "--db", &db]).fails();
    assert_ne!(run.code, Some(2), "a rejected file is not a partial import: {}", run.describe());
    assert!(run.stderr.contains("unknown column 'npz'"), "{}", run.describe());
    assert!(
        run.stderr.contains("external_id") && run.stderr.contains("submitted_at"),
        "known columns listed: {}",
        run.stderr
    );

    // Missing required column.
    let missing = dir.write("missing.csv", "external_id,survey,nps\nX2,nps_txn,9\n");
    let run = cxm(&dir, &["import", "responses", p(&missing), "--db", &db]).fails();
    assert!(run.stderr.contains("submitted_at"), "{}", run.describe());

    // Unsupported extension (.txt would be read as CSV; .pdf is not).
    let pdf = dir.write("responses.pdf", "external_id,survey,submitted_at,nps\nX3,nps_txn,2025-01-01,9\n");
    let run = cxm(&dir, &["import", "responses", p(&pdf), "--db", &db]).fails();
    assert!(run.stderr.contains("unknown file type") && run.stderr.contains(".csv"), "{}", run.describe());

    // A missing file names the file.
    let run = cxm(&dir, &["import", "responses", "no-such-file.csv", "--db", &db]).fails();
    assert!(run.stderr.contains("no-such-file.csv"), "{}", run.describe());

    // A .txt file is CSV.
    let txt = dir.write("responses.txt", "external_id,survey,submitted_at,nps\nX4,nps_txn,2025-01-01,9\n");
    let run = cxm(&dir, &["import", "responses", p(&txt), "--db", &db]).ok();
    assert!(run.stdout.contains("1 written"), "{}", run.describe());

    let after = exported(&dir, &db, "after.csv");
    let new: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert_eq!(new, ["X4"], "only the .txt import may add a response");
}

// ----------------------------------------------------------- 6. users

#[test]
fn user_create_validates_email_and_password() {
    let dir = TempDir::new("users");
    let db = dir.db("cxm.db");
    let run = cxm(&dir, &["user", "create", "--db", &db, "--email", "a@b.cn", "--password", "long-enough-pw"]).ok();
    assert!(run.stdout.contains("a@b.cn"), "{}", run.describe());

    let run = cxm(&dir, &["user", "create", "--db", &db, "--email", "a@b.cn", "--password", "long-enough-pw"]).fails();
    assert!(run.stderr.contains("a@b.cn") && run.stderr.contains("exists"), "{}", run.describe());
    // Emails are compared case-insensitively.
    let run = cxm(&dir, &["user", "create", "--db", &db, "--email", "A@B.CN", "--password", "long-enough-pw"]).fails();
    assert!(run.stderr.contains("exists"), "{}", run.describe());

    let run = cxm(&dir, &["user", "create", "--db", &db, "--email", "c@b.cn", "--password", "short"]).fails();
    assert!(run.stderr.contains("8 characters"), "{}", run.describe());
    let run =
        cxm(&dir, &["user", "create", "--db", &db, "--email", "not-an-email", "--password", "long-enough-pw"]).fails();
    assert!(run.stderr.contains("not-an-email"), "{}", run.describe());

    // The first user exists, the rejected ones do not.
    let run = cxm(&dir, &["user", "apikey", "--db", &db, "--email", "a@b.cn"]).ok();
    assert!(run.stdout.trim().len() >= 20, "an API key: {}", run.describe());
    let run = cxm(&dir, &["user", "apikey", "--db", &db, "--email", "c@b.cn"]).fails();
    assert!(run.stderr.contains("c@b.cn"), "{}", run.describe());
}

// ------------------------------------------------- 7. analyze errors

#[test]
fn analyze_errors_name_the_problem() {
    let dir = TempDir::new("analyze-errors");
    let file = dir.write("scores.csv", "id,score,region\n1,9,north\n2,10,south\n3,abc,north\n4,7,south\n");

    let run = cxm(&dir, &["analyze", "nps", "--input", p(&file), "--column", "nope"]).fails();
    assert!(run.stderr.contains("unknown column 'nope'"), "{}", run.describe());
    assert!(run.stderr.contains("id, score, region"), "available columns listed: {}", run.describe());
    let run =
        cxm(&dir, &["analyze", "nps", "--input", p(&file), "--column", "score", "--by", "regio", "--json"]).fails();
    assert!(run.stderr.contains("unknown column 'regio'") && run.stderr.contains("region"), "{}", run.describe());
    assert!(run.stdout.is_empty(), "no partial output: {}", run.describe());
    let run = cxm(&dir, &["analyze", "crosstab", "--input", p(&file), "--rows", "region", "--cols", "zone"]).fails();
    assert!(run.stderr.contains("unknown column 'zone'"), "{}", run.describe());

    let run = cxm(&dir, &["analyze", "nps", "--input", p(&file), "--column", "score"]).fails();
    assert!(
        run.stderr.contains("line 4") && run.stderr.contains("'score'") && run.stderr.contains("abc"),
        "{}",
        run.describe()
    );
    let run = cxm(&dir, &["analyze", "drivers", "--input", p(&file), "--outcome", "id", "--drivers", "score"]).fails();
    assert!(run.stderr.contains("line 4") && run.stderr.contains("'score'"), "{}", run.describe());
    let run = cxm(&dir, &["analyze", "csat", "--input", p(&file), "--column", "score"]).fails();
    assert!(
        run.stderr.contains("line 2") && run.stderr.contains("outside the scale"),
        "9 on a 1–5 scale: {}",
        run.describe()
    );

    let out_of_range = dir.write("range.csv", "score\n9\n11\n");
    let run = cxm(&dir, &["analyze", "nps", "--input", p(&out_of_range), "--column", "score"]).fails();
    assert!(run.stderr.contains("line 3") && run.stderr.contains("0–10"), "{}", run.describe());

    let run = cxm(&dir, &["analyze", "nps", "--input", p(&dir.path("absent.csv")), "--column", "score"]).fails();
    assert!(run.stderr.contains("absent.csv"), "{}", run.describe());
}

// ------------------------------------- known product bugs (see the report)

/// Line numbers in errors are physical file lines, also for CRLF files
/// (Excel on Windows writes CRLF). Fails today: the csv crate's
/// `Position::line` lags by one after a CRLF terminator (BurntSushi/rust-csv#395).
#[test]
fn error_line_numbers_in_crlf_files() {
    let dir = TempDir::new("crlf");
    let file = dir.write("scores.csv", "score\r\n9\r\n10\r\nabc\r\n");
    let run = cxm(&dir, &["analyze", "nps", "--input", p(&file), "--column", "score"]).fails();
    assert!(run.stderr.contains("line 4"), "'abc' is on line 4: {}", run.describe());

    let db = dir.db("cxm.db");
    demo(&dir, &db, 0, 1);
    let input = dir.write(
        "r.csv",
        "external_id,survey,submitted_at,nps\r\nD1,nps_txn,2025-01-01,3\r\nD2,nps_txn,2025-01-01,11\r\n",
    );
    let run = cxm(&dir, &["import", "responses", p(&input), "--db", &db, "--json"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert_eq!(run.json()["errors"][0]["line"], 3, "D2 is on line 3: {}", run.stdout);
}

/// Same after a blank line (skipped by both readers): BurntSushi/rust-csv#208.
#[test]
fn error_line_numbers_after_blank_lines() {
    let dir = TempDir::new("blank");
    let file = dir.write("scores.csv", "score\n9\n\nabc\n");
    let run = cxm(&dir, &["analyze", "nps", "--input", p(&file), "--column", "score"]).fails();
    assert!(run.stderr.contains("line 4"), "'abc' is on line 4: {}", run.describe());

    let db = dir.db("cxm.db");
    demo(&dir, &db, 0, 1);
    let input = dir
        .write("r.csv", "external_id,survey,submitted_at,nps\nE1,nps_txn,2025-01-01,3\n\nE2,nps_txn,2025-01-01,11\n");
    let run = cxm(&dir, &["import", "responses", p(&input), "--db", &db, "--json"]);
    assert_eq!(run.code, Some(2), "{}", run.describe());
    assert_eq!(run.json()["errors"][0]["line"], 4, "E2 is on line 4: {}", run.stdout);
}

// ------------------------------------------------------- text analytics

/// Runs `cxm` with `input` on stdin.
fn cxm_stdin(dir: &TempDir, args: &[&str], input: &[u8]) -> Run {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_cxm"))
        .args(args)
        .current_dir(&dir.0)
        .env("CXM_LOG", "warn")
        .env_remove("CXM_DATABASE_URL")
        .env_remove("CXM_WORKSPACE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running the cxm binary");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    // Written from another thread: the child's output may fill its pipe first.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("waiting for cxm");
    writer.join().expect("stdin writer");
    Run {
        args: args.join(" "),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn text_analyze_streams_one_result_per_line_and_survives_bad_lines() {
    let dir = TempDir::new("text-analyze");
    let mut input: Vec<u8> = Vec::new();
    input.extend_from_slice("送货太慢了，客服态度也不好\n".as_bytes()); // 1
    input.extend_from_slice(b"\n"); // 2: empty
    input.extend_from_slice(b"bad \xff\xfe bytes\n"); // 3: invalid UTF-8
    input.extend_from_slice(b"{\"text\": \"The delivery was late\", \"id\": 7}\n"); // 4: JSON line
    input.extend_from_slice(b"Great price and friendly staff\r\n"); // 5: CRLF
    input.extend_from_slice(b"{not json, just braces}\n"); // 6: text that looks like JSON
    input.extend(std::iter::repeat_n(b'a', (1 << 20) + 10)); // 7: over 1 MiB
    input.push(b'\n');
    input.extend_from_slice("最后一行没有换行".as_bytes()); // 8: no final newline

    let run = cxm_stdin(&dir, &["text", "analyze", "--json"], &input);
    assert_eq!(run.code, Some(2), "a failed line gives exit 2 at the end: {}", run.describe());
    assert!(!run.stderr.contains("panicked"), "{}", run.describe());
    let lines: Vec<Value> =
        run.stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect();
    assert_eq!(lines.len(), 8, "one output line per input line: {}", run.describe());
    for (i, v) in lines.iter().enumerate() {
        assert_eq!(v["line"].as_u64(), Some(i as u64 + 1), "{v}");
    }
    let failed: Vec<u64> =
        lines.iter().filter(|v| v.get("error").is_some()).map(|v| v["line"].as_u64().unwrap()).collect();
    assert_eq!(failed, vec![3, 7]);
    assert!(lines[2]["error"].as_str().unwrap().contains("UTF-8"), "{}", lines[2]);
    assert!(lines[6]["error"].as_str().unwrap().contains("limit"), "{}", lines[6]);
    let langs: Vec<&str> = lines.iter().map(|v| v["lang"].as_str().unwrap_or("-")).collect();
    assert_eq!(langs, vec!["zh", "und", "-", "en", "en", "en", "-", "zh"]);
    for v in lines.iter().filter(|v| v.get("error").is_none()) {
        for field in ["sentiment", "aspects", "keywords", "urgency", "churn_risk"] {
            assert!(v.get(field).is_some(), "{field} missing: {v}");
        }
        assert!(v["sentiment"]["label"].is_string() && v["sentiment"]["score"].is_number(), "{v}");
    }
    assert_eq!(lines[3]["id"], 7, "a JSON line's id is echoed");
    assert_eq!(lines[3]["sentences"][0]["span"]["text"], "The delivery was late", "the text field is analysed");
    assert_eq!(lines[4]["sentences"][0]["span"]["text"], "Great price and friendly staff", "CR stripped");

    // Readable summaries: still one line per input line; all good → exit 0.
    let run = cxm_stdin(&dir, &["text", "analyze", "--lang", "en"], b"fast delivery\n\nslow app\n");
    let run = run.ok();
    let out: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(out.len(), 3, "{}", run.describe());
    assert!(out[0].starts_with("1: en ") && out[2].starts_with("3: en "), "{}", run.describe());
    let run = cxm_stdin(&dir, &["text", "analyze", "--lang", "fr"], b"x\n").fails();
    assert!(run.stderr.contains("fr"), "{}", run.describe());
}

#[test]
fn text_taxonomy_and_reanalyze_on_a_database() {
    let dir = TempDir::new("text-db");
    let db = dir.db("cxm.db");
    demo(&dir, &db, 60, 5);
    let got = cxm(&dir, &["text", "taxonomy", "get", "--db", &db]).ok();
    let taxonomy = got.json();
    assert!(taxonomy["aspects"].as_array().unwrap().len() >= 10, "{}", got.describe());
    assert!(got.stderr.contains("version 0"), "{}", got.describe());

    // A bad taxonomy is refused naming the aspect and field; nothing changes.
    let mut bad = taxonomy.clone();
    bad["aspects"][1]["rater"] = Value::String("speed".into());
    let file = dir.write("bad.json", &bad.to_string());
    let run = cxm(&dir, &["text", "taxonomy", "set", "--db", &db, p(&file)]).fails();
    let key = bad["aspects"][1]["key"].as_str().unwrap();
    assert!(run.stderr.contains("rater") && run.stderr.contains(key), "{}", run.describe());
    assert!(cxm(&dir, &["text", "taxonomy", "get", "--db", &db]).ok().stderr.contains("version 0"));

    let file = dir.write("good.json", &taxonomy.to_string());
    let run = cxm(&dir, &["text", "taxonomy", "set", "--db", &db, p(&file)]).ok();
    assert!(run.stdout.contains("version 1"), "{}", run.describe());
    assert!(cxm(&dir, &["text", "taxonomy", "get", "--db", &db]).ok().stderr.contains("version 1"));

    let run = cxm(&dir, &["text", "reanalyze", "--db", &db, "--threads", "2"]).ok();
    // "re-analysed N texts from M source rows … ; K analyses stored"
    let words: Vec<&str> = run.stdout.split_whitespace().collect();
    let analysed: u64 = words[1].parse().unwrap_or_else(|_| panic!("{}", run.describe()));
    let stored: u64 = words[words.iter().position(|w| *w == "analyses").unwrap() - 1].parse().unwrap();
    assert!(analysed > 20, "the demo has open answers and feedback: {}", run.describe());
    assert_eq!(analysed, stored, "every text once: {}", run.describe());
    assert!(run.stdout.contains("texts/s") && run.stdout.contains("version 1"), "{}", run.describe());
    // Running again replaces, never adds.
    let again = cxm(&dir, &["text", "reanalyze", "--db", &db]).ok();
    assert!(again.stdout.contains(&format!("{stored} analyses stored")), "{}", again.describe());
}

/// GET `path` with a bearer key from a server on `port`: status and body.
fn http_get(port: u16, path: &str, key: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connecting to cxm serve");
    s.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).expect("reading the response");
    let status = out.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

#[test]
fn serve_demo_analyses_the_demo_texts_in_the_background_and_stops_cleanly() {
    use std::io::BufRead;
    use std::process::Stdio;
    let dir = TempDir::new("serve-demo");
    let db = dir.db("cxm.db");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_cxm"))
        .args(["serve", "--demo", "--demo-customers", "150", "--db", &db, "--bind", &format!("127.0.0.1:{port}")])
        .current_dir(&dir.0)
        .env("CXM_LOG", "warn")
        .env_remove("CXM_DATABASE_URL")
        .env_remove("CXM_WORKSPACE")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting cxm serve");
    let mut stdout = std::io::BufReader::new(server.stdout.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        let n = stdout.read_line(&mut line).unwrap();
        assert!(n > 0, "cxm serve exited before serving");
        if line.contains("cxm is serving") {
            break;
        }
    }
    let key =
        cxm(&dir, &["user", "apikey", "--db", &db, "--email", "admin@example.com"]).ok().stdout.trim().to_string();
    let started = std::time::Instant::now();
    let status = loop {
        let (code, body) = http_get(port, "/api/v1/text/status", &key);
        assert_eq!(code, 200, "{body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        if v["pending_jobs"] == 0 {
            break v;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(120), "text analysis did not catch up: {v}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let analysed = status["analysed"].as_u64().unwrap();
    assert!(analysed > 50, "the demo's open answers and feedback are analysed: {status}");
    assert_eq!(status["dead_jobs"], 0);

    // SIGTERM: the server and its worker stop cleanly.
    let killed = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let stopping = std::time::Instant::now();
    let exit = loop {
        if let Some(s) = server.try_wait().unwrap() {
            break s;
        }
        assert!(stopping.elapsed() < std::time::Duration::from_secs(30), "cxm serve did not stop");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
    // Every stored text was analysed once: a full re-analysis finds the same number.
    let run = cxm(&dir, &["text", "reanalyze", "--db", &db]).ok();
    assert!(run.stdout.starts_with(&format!("re-analysed {analysed} texts")), "{analysed}: {}", run.describe());
}
