//! Import, rollups and export against real SQLite and PostgreSQL.

use cxm_core::model::{Channel, PyramidLayer, QuestionKind};
use cxm_core::records::*;
use cxm_store::import::{ImportKind, import_file};
use cxm_store::{Db, metrics, setup, testkit};
use sqlx::Row;
use std::path::{Path, PathBuf};

fn setup_spec() -> WorkspaceSetup {
    let q = |key: &str, kind: QuestionKind, lo: Option<f64>, hi: Option<f64>| QuestionSpec {
        key: key.into(),
        kind,
        label_en: key.into(),
        label_zh: key.into(),
        scale_min: lo,
        scale_max: hi,
        dimension: None,
        options: vec![],
        required: false,
    };
    WorkspaceSetup {
        journeys: vec![JourneySpec {
            key: "buy".into(),
            name_en: "Buy".into(),
            name_zh: "购买".into(),
            stages: vec![StageSpec {
                key: "purchase".into(),
                name_en: "Purchase".into(),
                name_zh: "购买".into(),
                touchpoints: ["checkout", "delivery"]
                    .iter()
                    .map(|k| TouchpointSpec {
                        key: k.to_string(),
                        name_en: k.to_string(),
                        name_zh: k.to_string(),
                        channel: Channel::Web,
                        owner_team: "ops".into(),
                        improvement_cost: 2.0,
                        pyramid_layer: PyramidLayer::Utility,
                    })
                    .collect(),
            }],
        }],
        segments: vec![SegmentSpec {
            key: "ta".into(),
            name_en: "TA".into(),
            name_zh: "目标".into(),
            rule: "".into(),
            is_ta: true,
        }],
        surveys: vec![SurveySpec {
            key: "rel".into(),
            name_en: "Relationship".into(),
            name_zh: "关系".into(),
            questions: vec![
                q("nps", QuestionKind::Nps, None, None),
                q("csat", QuestionKind::Csat, Some(1.0), Some(5.0)),
                q("comment", QuestionKind::OpenText, None, None),
            ],
        }],
    }
}

/// A file in its own temporary directory, removed with the directory when dropped.
struct TempFile(PathBuf);

impl std::ops::Deref for TempFile {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn temp_file(name: &str, contents: &[u8]) -> TempFile {
    let dir =
        std::env::temp_dir().join(format!("cxm_import_{}_{}", std::process::id(), cxm_store::random_token(4).unwrap()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, contents).unwrap();
    TempFile(p)
}

async fn workspace(db: &Db) -> i64 {
    let ws = setup::ensure_workspace(db, "acme", "Acme").await.unwrap();
    setup::apply_setup(db, ws, &setup_spec()).await.unwrap();
    ws
}

async fn count(db: &Db, table: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"))).fetch_one(&db.pool).await.unwrap().get(0)
}

const RESPONSES: &str = "external_id,survey,customer_id,touchpoint,channel,language,submitted_at,nps,csat,comment\n\
R1,rel,C1,delivery,web,zh,2026-01-05T10:00:00Z,10,5,快递很快\n\
R2,rel,C2,delivery,app,en,2026-01-05,3,2,late again\n\
R3,rel,C1,checkout,web,zh,2026-01-06 09:00:00,8,4,\n\
R4,rel,C3,nowhere,web,zh,2026-01-06,8,4,\n\
R5,rel,C3,checkout,web,zh,2026-01-06,11,4,\n\
R6,rel,C3,checkout,web,zh,not-a-date,7,4,\n\
R7,rel,,checkout,web,zh,2026-01-07,7,x,\n";

#[tokio::test]
async fn responses_csv_good_rows_go_in_bad_rows_are_reported_and_reimport_adds_nothing() {
    for t in testkit::all().await {
        let db = &t.db;
        let ws = workspace(db).await;
        let file = temp_file("responses.csv", RESPONSES.as_bytes());
        let report = import_file(db, ws, ImportKind::Responses, &file, None).await.unwrap();
        assert_eq!(report.rows_read, 7, "{}", t.label);
        assert_eq!(report.written, 3, "{}: {:?}", t.label, report.errors);
        assert_eq!(report.error_count, 4);
        let described: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
        assert!(
            described.iter().any(|e| e.contains("line 5") && e.contains("touchpoint") && e.contains("nowhere")),
            "{described:?}"
        );
        assert!(
            described.iter().any(|e| e.contains("line 6") && e.contains("'nps'") && e.contains("outside the scale")),
            "{described:?}"
        );
        assert!(described.iter().any(|e| e.contains("line 7") && e.contains("submitted_at")), "{described:?}");
        assert!(described.iter().any(|e| e.contains("line 8") && e.contains("'csat'")), "{described:?}");
        assert_eq!(count(db, "responses").await, 3);
        let answers: String = sqlx::query("SELECT answers FROM responses WHERE external_id = 'R1'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&answers).unwrap(),
            serde_json::json!({"nps": 10.0, "csat": 5.0, "comment": "快递很快"})
        );
        // Unknown customers become minimal customer records.
        assert_eq!(count(db, "customers").await, 2);

        let again = import_file(db, ws, ImportKind::Responses, &file, None).await.unwrap();
        assert_eq!((again.written, again.duplicates), (0, 3), "{}", t.label);
        assert_eq!(count(db, "responses").await, 3);

        // Rollups: NPS on delivery = one promoter (10), one detractor (3).
        let day = cxm_store::day_of(cxm_store::import::parse::parse_time("2026-01-05").unwrap());
        let tps = setup::touchpoints(db, ws).await.unwrap();
        let delivery = tps.iter().find(|t| t.key == "delivery").unwrap().id;
        let by_tp = metrics::by_touchpoint(db, ws, QuestionKind::Nps, day - 10, day + 10).await.unwrap();
        let m = by_tp.iter().find(|(tp, _)| *tp == delivery).unwrap().1;
        assert_eq!((m.n, m.n_top, m.n_bottom), (2, 1, 1));
        assert_eq!((m.sum, m.sum_squares), (13.0, 109.0));
        // The incremental aggregates equal a rebuild from raw answers.
        let before = metrics::by_touchpoint(db, ws, QuestionKind::Csat, day - 10, day + 10).await.unwrap();
        metrics::rebuild(db, ws).await.unwrap();
        let after = metrics::by_touchpoint(db, ws, QuestionKind::Csat, day - 10, day + 10).await.unwrap();
        assert_eq!(before, after);
        t.finish().await;
    }
}

#[tokio::test]
async fn unknown_column_rejects_the_whole_file_and_writes_nothing() {
    for t in testkit::all().await {
        let db = &t.db;
        let ws = workspace(db).await;
        let file = temp_file("r.csv", b"external_id,survey,submitted_at,nps,colour\nR1,rel,2026-01-01,9,red\n");
        let err = import_file(db, ws, ImportKind::Responses, &file, None).await.unwrap_err();
        assert!(err.to_string().contains("unknown column 'colour'"), "{err}");
        let file = temp_file("r.csv", b"external_id,nps\nR1,9\n");
        let err = import_file(db, ws, ImportKind::Responses, &file, None).await.unwrap_err();
        assert!(err.to_string().contains("missing required column(s): survey, submitted_at"), "{err}");
        assert_eq!(count(db, "responses").await, 0);
        t.finish().await;
    }
}

#[tokio::test]
async fn bad_utf8_huge_fields_and_malformed_json_are_row_errors() {
    for t in testkit::all().await {
        let db = &t.db;
        let ws = workspace(db).await;
        let mut csv = b"external_id,name,email\nC1,\xD5\xC5\xC8\xFD,a@b.cn\nC2,".to_vec();
        csv.extend(std::iter::repeat_n(b'x', 200_000));
        csv.extend(b",x@y.cn\nC3,Li Lei,li@x.cn\n");
        let report = import_file(db, ws, ImportKind::Customers, &temp_file("c.csv", &csv), None).await.unwrap();
        assert_eq!(report.written, 1, "{}: {:?}", t.label, report.errors);
        assert!(report.errors[0].to_string().contains("line 2, field 'name': not valid UTF-8"), "{:?}", report.errors);
        assert!(
            report.errors[1].to_string().contains("line 3, field 'name': value is 200000 bytes"),
            "{:?}",
            report.errors
        );

        let jsonl = "{\"external_id\":\"E1\",\"name\":\"page_view\",\"occurred_at\":\"2026-01-01\"}\n\
                     {\"external_id\":\"E2\",\"name\":\n\
                     [1,2]\n\
                     {\"external_id\":\"E3\",\"name\":\"x\",\"occurred_at\":\"2026-01-01\",\"mood\":\"happy\"}\n\
                     {\"external_id\":\"E4\",\"name\":\"search\",\"occurred_at\":\"2026-01-02\",\"prop.q\":\"rice\",\"customer_id\":\"C3\"}\n";
        let report =
            import_file(db, ws, ImportKind::Events, &temp_file("e.jsonl", jsonl.as_bytes()), None).await.unwrap();
        assert_eq!(report.written, 2, "{:?}", report.errors);
        let described: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
        assert!(described[0].contains("line 2") && described[0].contains("invalid JSON"), "{described:?}");
        assert!(described[1].contains("line 3") && described[1].contains("JSON object"), "{described:?}");
        assert!(described[2].contains("line 4, field 'mood': unknown column 'mood'"), "{described:?}");
        let props: String = sqlx::query("SELECT properties FROM events WHERE external_id = 'E4'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(props, "{\"q\":\"rice\"}");
        t.finish().await;
    }
}

#[tokio::test]
async fn xlsx_customers_with_segments_and_an_upsert_that_fills_stubs() {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["external_id", "name", "language", "lifecycle", "segments", "attr.city", "consent_email"],
        ["C1", "王芳", "zh", "loyal", "ta", "上海", "yes"],
        ["C2", "Mary Smith", "en", "new", "", "London", "0"],
        ["C3", "李雷", "zh", "sleepy", "", "北京", "1"],
        ["C4", "张伟", "zh", "active", "vip", "", "1"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    sheet.write_number(5, 0, 12345.0).unwrap();
    let path = temp_file("customers.xlsx", &book.save_to_buffer().unwrap());
    for t in testkit::all().await {
        let db = &t.db;
        let ws = workspace(db).await;
        // A response first creates customer C1 as a stub; the import fills it.
        let r = temp_file("r.csv", b"external_id,survey,customer_id,submitted_at,nps\nR1,rel,C1,2026-01-01,9\n");
        import_file(db, ws, ImportKind::Responses, &r, None).await.unwrap();
        let report = import_file(db, ws, ImportKind::Customers, &path, None).await.unwrap();
        assert_eq!(report.written, 3, "{}: {:?}", t.label, report.errors);
        let described: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
        assert!(described[0].contains("line 4, field 'lifecycle': unknown lifecycle stage 'sleepy'"), "{described:?}");
        assert!(described[1].contains("line 5, field 'segments': unknown segment 'vip'"), "{described:?}");
        let row = sqlx::query("SELECT name, attributes, consent_email FROM customers WHERE external_id = 'C1'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(row.get::<String, _>(0), "王芳");
        assert_eq!(row.get::<String, _>(1), "{\"city\":\"上海\"}");
        assert_eq!(row.get::<i64, _>(2), 1);
        assert_eq!(count(db, "customer_segments").await, 1);
        assert_eq!(count(db, "customers").await, 3);
        t.finish().await;
    }
}

#[tokio::test]
async fn export_round_trips_through_import() {
    for t in testkit::all().await {
        let db = &t.db;
        let ws = workspace(db).await;
        let file = temp_file("responses.csv", RESPONSES.as_bytes());
        import_file(db, ws, ImportKind::Responses, &file, None).await.unwrap();
        let mut out = Vec::new();
        let n = cxm_store::export::responses_csv(db, ws, "rel", &mut out).await.unwrap();
        assert_eq!(n, 3);
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(
            text.starts_with(
                "external_id,survey,customer_id,touchpoint,channel,language,submitted_at,nps,csat,comment\n"
            ),
            "{text}"
        );
        assert!(text.contains("R1,rel,C1,delivery,web,zh,2026-01-05T10:00:00Z,10,5,快递很快"), "{text}");
        // Into a second workspace: same rows, same answers.
        let ws2 = setup::ensure_workspace(db, "other", "Other").await.unwrap();
        setup::apply_setup(db, ws2, &setup_spec()).await.unwrap();
        let report = import_file(db, ws2, ImportKind::Responses, &temp_file("x.csv", &out), None).await.unwrap();
        assert_eq!((report.written, report.error_count), (3, 0));
        t.finish().await;
    }
}

#[tokio::test]
async fn a_batch_mixing_present_new_and_repeated_ids_counts_and_rolls_up_each_new_one_once() {
    for t in testkit::all().await {
        let db = &t.db;
        let ws = workspace(db).await;
        let first = "external_id,survey,touchpoint,submitted_at,nps\nA1,rel,delivery,2026-02-01,10\nA2,rel,delivery,2026-02-01,0\n";
        import_file(db, ws, ImportKind::Responses, &temp_file("a.csv", first.as_bytes()), None).await.unwrap();
        // A2 present already; A3 new; A4 new but listed twice (the first wins).
        let second = "external_id,survey,touchpoint,submitted_at,nps\nA2,rel,delivery,2026-02-01,9\nA3,rel,delivery,2026-02-01,9\nA4,rel,delivery,2026-02-01,3\nA4,rel,delivery,2026-02-01,10\n";
        let r = import_file(db, ws, ImportKind::Responses, &temp_file("b.csv", second.as_bytes()), None).await.unwrap();
        assert_eq!((r.written, r.duplicates, r.error_count), (2, 2, 0), "{}", t.label);
        let day = cxm_store::day_of(cxm_store::import::parse::parse_time("2026-02-01").unwrap());
        let (_, m) =
            metrics::by_touchpoint(db, ws, QuestionKind::Nps, day, day).await.unwrap().into_iter().next().unwrap();
        // A1 10, A2 0, A3 9, A4 3: two promoters, two detractors.
        assert_eq!((m.n, m.n_top, m.n_bottom, m.sum), (4, 2, 2, 22.0), "{}", t.label);
        let a4: String = sqlx::query("SELECT answers FROM responses WHERE external_id = 'A4'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get(0);
        assert!(a4.contains('3'), "{a4}");
        t.finish().await;
    }
}

#[tokio::test]
async fn corrupt_xlsx_and_malformed_csv_quoting_are_clear_errors() {
    for t in testkit::all().await {
        let db = &t.db;
        let ws = workspace(db).await;
        // A zip that is not a workbook: rejected whole, nothing written.
        let err =
            import_file(db, ws, ImportKind::Customers, &temp_file("bad.xlsx", b"PK\x03\x04 not really a zip"), None)
                .await
                .unwrap_err();
        assert!(err.to_string().contains("not a readable XLSX file"), "{err}");
        // An unterminated quote swallows the rest of the file into one field;
        // a row with too many fields is a row error, the others go in.
        let csv = "external_id,name\nC1,\"Li \"\"Lei\"\"\"\nC2,a,b\nC3,\"never closed\nC4,x\n";
        let report =
            import_file(db, ws, ImportKind::Customers, &temp_file("q.csv", csv.as_bytes()), None).await.unwrap();
        let described: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
        assert!(
            described.iter().any(|e| e.contains("line 3") && e.contains("3 fields but the header has 2")),
            "{described:?}"
        );
        let name: String = sqlx::query("SELECT name FROM customers WHERE external_id = 'C1'")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(name, "Li \"Lei\"");
        assert_eq!(count(db, "customers").await, 2, "{}: C1 and C3 (whose name runs to the end)", t.label);
        t.finish().await;
    }
}
