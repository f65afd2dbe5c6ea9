//! Text-analytics storage and pipeline against real SQLite and PostgreSQL:
//! save/replace idempotence, the explorer's queries against hand-computed
//! counts, the outbox job enqueued with the import batch, the worker, and
//! reanalysis after a taxonomy change.
//!
//! The analyzer's models are filled in separately; these tests plant the
//! aspects they count (hand-made analyses) or compare stored rows with what
//! the analyzer itself returns, never with an expected sentiment.

use cxm_core::model::{Channel, FeedbackSource, PyramidLayer, QuestionKind};
use cxm_core::records::*;
use cxm_store::import::{ImportReport, Importer, Record};
use cxm_store::text::worker::{AnalyzerCache, Mode, RunOptions, Step, Worker};
use cxm_store::text::{self, AnalyzedText, SourceKind, TextFilter, TextItem, VerbatimQuery};
use cxm_store::{Db, jobs, setup, testkit};
use cxm_text::{Analysis, AspectMention, Flag, Lang, LangHint, Polarity, Sentiment, Span, Taxonomy, TextAnalyzer};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

const D: i64 = 20_500; // a day number (2026-02-16)

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
                        improvement_cost: 1.0,
                        pyramid_layer: PyramidLayer::Utility,
                    })
                    .collect(),
            }],
        }],
        segments: vec![],
        surveys: vec![SurveySpec {
            key: "rel".into(),
            name_en: "Relationship".into(),
            name_zh: "关系".into(),
            questions: vec![
                q("nps", QuestionKind::Nps, None, None),
                q("comment", QuestionKind::OpenText, None, None),
                q("other", QuestionKind::OpenText, None, None),
            ],
        }],
    }
}

async fn workspace(db: &Db) -> i64 {
    let ws = setup::ensure_workspace(db, "acme", "Acme").await.unwrap();
    setup::apply_setup(db, ws, &setup_spec()).await.unwrap();
    ws
}

async fn touchpoint_id(db: &Db, ws: i64, key: &str) -> i64 {
    setup::touchpoints(db, ws).await.unwrap().into_iter().find(|t| t.key == key).unwrap().id
}

fn feedback(id: &str, text: &str, touchpoint: Option<&str>, day: i64) -> Record {
    Record::Feedback(FeedbackRecord {
        external_id: id.into(),
        source: FeedbackSource::Review,
        text: text.into(),
        rating: None,
        customer_external_id: None,
        touchpoint: touchpoint.map(str::to_string),
        channel: Some(Channel::Web),
        language: None,
        occurred_at: day * 86_400_000 + 3_600_000,
    })
}

fn response(id: &str, answers: Vec<(&str, AnswerValue)>, day: i64) -> Record {
    Record::Response(ResponseRecord {
        external_id: id.into(),
        survey: "rel".into(),
        customer_external_id: None,
        touchpoint: Some("delivery".into()),
        channel: Some(Channel::App),
        language: None,
        submitted_at: day * 86_400_000,
        answers: answers.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
    })
}

async fn import(db: &Db, ws: i64, records: Vec<Record>) -> ImportReport {
    let mut importer = Importer::new(db, ws).await.unwrap();
    let mut report = ImportReport::default();
    let records = records.into_iter().enumerate().map(|(i, r)| (i as u64 + 1, r)).collect();
    importer.write(records, &mut report).await.unwrap();
    report
}

async fn feedback_ids(db: &Db, ws: i64) -> HashMap<String, (i64, String, i64, i64)> {
    sqlx::query(
        "SELECT external_id, id, text, COALESCE(touchpoint_id, 0), occurred_at FROM feedback_items WHERE workspace_id = $1",
    )
    .bind(ws)
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|r| (r.get(0), (r.get(1), r.get(2), r.get(3), r.get(4))))
    .collect()
}

/// A hand-made analysis with planted aspects and keywords.
fn planted(lang: Lang, aspects: &[(&str, Polarity)], keywords: &[&str]) -> Analysis {
    let span = |s: usize| Span { start: s, end: s + 2, text: format!("s{s}") };
    Analysis {
        lang,
        sentiment: Sentiment { label: Polarity::Neutral, score: 0.0 },
        sentences: vec![],
        aspects: aspects
            .iter()
            .enumerate()
            .map(|(i, (a, p))| AspectMention {
                aspect: a.to_string(),
                polarity: *p,
                score: 0.0,
                span: span(i * 3),
                term: a.to_string(),
            })
            .collect(),
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
        urgency: Flag::default(),
        churn_risk: Flag::default(),
    }
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&db.pool).await.unwrap().get(0)
}

/// The rows of a two-column text query.
async fn string_pairs(db: &Db, sql: &'static str) -> Vec<(String, String)> {
    sqlx::query(sql).fetch_all(&db.pool).await.unwrap().into_iter().map(|r| (r.get(0), r.get(1))).collect()
}

async fn jobs_of(db: &Db, kind: &str) -> Vec<serde_json::Value> {
    sqlx::query("SELECT payload FROM jobs WHERE kind = $1 ORDER BY id")
        .bind(kind)
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|r| serde_json::from_str(&r.get::<String, _>(0)).unwrap())
        .collect()
}

/// The five planted feedback texts of the explorer test, as
/// (external id, text, touchpoint, day, lang, aspects, keywords).
type Plant =
    (&'static str, &'static str, Option<&'static str>, i64, Lang, Vec<(&'static str, Polarity)>, Vec<&'static str>);

fn plants() -> Vec<Plant> {
    use Polarity::*;
    vec![
        (
            "f1",
            "late box, fair price",
            Some("checkout"),
            D,
            Lang::En,
            vec![("delivery", Negative), ("price", Positive)],
            vec!["late", "box"],
        ),
        (
            "f2",
            "late again but friendly courier",
            Some("checkout"),
            D + 1,
            Lang::En,
            vec![("delivery", Negative), ("delivery", Positive)],
            vec!["late", "late"],
        ),
        ("f3", "送货很快", Some("delivery"), D + 8, Lang::Zh, vec![("delivery", Positive)], vec!["快"]),
        ("f4", "太贵了", None, D + 8, Lang::Zh, vec![("price", Negative)], vec!["贵", "late"]),
        ("f5", "refund please", Some("delivery"), D + 20, Lang::En, vec![], vec!["refund"]),
    ]
}

async fn save_plants(db: &Db, ws: i64) -> HashMap<String, i64> {
    let records = plants().iter().map(|p| feedback(p.0, p.1, p.2, p.3)).collect();
    assert_eq!(import(db, ws, records).await.written, 5);
    let ids = feedback_ids(db, ws).await;
    let analyses: Vec<AnalyzedText> = plants()
        .into_iter()
        .map(|(ext, _, _, _, lang, aspects, keywords)| {
            let (id, text, tp, at) = ids[ext].clone();
            AnalyzedText {
                item: TextItem {
                    workspace_id: ws,
                    source_kind: SourceKind::Feedback,
                    source_id: id,
                    field: String::new(),
                    touchpoint_id: tp,
                    channel: Some("web".into()),
                    occurred_at: at,
                    text,
                },
                analysis: planted(lang, &aspects, &keywords),
                taxonomy_version: 1,
            }
        })
        .collect();
    assert_eq!(text::save_analyses(db, &analyses).await.unwrap(), 5);
    ids.into_iter().map(|(k, v)| (k, v.0)).collect()
}

fn counts_map(rows: Vec<text::AspectCounts>) -> BTreeMap<String, (i64, i64, i64, i64)> {
    rows.into_iter().map(|c| (c.aspect.clone(), (c.n, c.positive, c.neutral, c.negative))).collect()
}

#[tokio::test]
async fn explorer_queries_match_hand_counts() {
    for t in testkit::all().await {
        let db = &t.db;
        let ws = workspace(db).await;
        let ids = save_plants(db, ws).await;
        let (checkout, delivery_tp) =
            (touchpoint_id(db, ws, "checkout").await, touchpoint_id(db, ws, "delivery").await);

        // By hand: delivery in f1 (−), f2 (− and +), f3 (+): n 3, pos 2, neg 2. price: f1 (+), f4 (−).
        let all = counts_map(text::aspect_counts(db, ws, &TextFilter::default()).await.unwrap());
        assert_eq!(
            all,
            BTreeMap::from([("delivery".into(), (3, 2, 0, 2)), ("price".into(), (2, 1, 0, 1))]),
            "{}",
            t.label
        );
        let c = text::AspectCounts { aspect: "delivery".into(), n: 3, positive: 2, neutral: 0, negative: 2 };
        assert_eq!(c.net_sentiment(), Some(0.0));
        let zh = TextFilter { lang: Some("zh".into()), ..Default::default() };
        assert_eq!(
            counts_map(text::aspect_counts(db, ws, &zh).await.unwrap()),
            BTreeMap::from([("delivery".into(), (1, 1, 0, 0)), ("price".into(), (1, 0, 0, 1))])
        );
        let at_checkout = TextFilter { touchpoint_id: Some(checkout), ..Default::default() };
        assert_eq!(
            counts_map(text::aspect_counts(db, ws, &at_checkout).await.unwrap()),
            BTreeMap::from([("delivery".into(), (2, 1, 0, 2)), ("price".into(), (1, 1, 0, 0))])
        );
        let later = TextFilter { from_day: Some(D + 2), to_day: Some(D + 30), ..Default::default() };
        assert_eq!(
            counts_map(text::aspect_counts(db, ws, &later).await.unwrap()),
            BTreeMap::from([("delivery".into(), (1, 1, 0, 0)), ("price".into(), (1, 0, 0, 1))])
        );
        let responses_only = TextFilter { source_kind: Some(SourceKind::Response), ..Default::default() };
        assert!(text::aspect_counts(db, ws, &responses_only).await.unwrap().is_empty());
        let by_app = TextFilter { channel: Some("app".into()), ..Default::default() };
        assert!(text::aspect_counts(db, ws, &by_app).await.unwrap().is_empty());

        // Weekly trend ending D+13: [D+7, D+13] holds f3; [D, D+6] holds f1, f2.
        let to = TextFilter { to_day: Some(D + 13), ..Default::default() };
        let trend = text::aspect_trend(db, ws, "delivery", &to, 7).await.unwrap();
        let got: Vec<(i64, i64, i64, i64)> =
            trend.iter().map(|p| (p.period_start, p.counts.n, p.counts.positive, p.counts.negative)).collect();
        assert_eq!(got, vec![(D, 2, 1, 2), (D + 7, 1, 1, 0)]);
        assert_eq!(trend[0].counts.net_sentiment(), Some(-0.5));
        // Without an end, periods end on the last day with a mention (D+8).
        let trend = text::aspect_trend(db, ws, "delivery", &TextFilter::default(), 7).await.unwrap();
        assert_eq!(
            trend.iter().map(|p| (p.period_start, p.counts.n)).collect::<Vec<_>>(),
            vec![(D - 5, 2), (D + 2, 1)]
        );

        let matrix: BTreeMap<(String, i64), (i64, i64, i64)> =
            text::aspect_touchpoint_matrix(db, ws, &TextFilter::default())
                .await
                .unwrap()
                .into_iter()
                .map(|c| {
                    ((c.counts.aspect.clone(), c.touchpoint_id), (c.counts.n, c.counts.positive, c.counts.negative))
                })
                .collect();
        assert_eq!(
            matrix,
            BTreeMap::from([
                (("delivery".into(), checkout), (2, 1, 2)),
                (("delivery".into(), delivery_tp), (1, 1, 0)),
                (("price".into(), 0), (1, 0, 1)),
                (("price".into(), checkout), (1, 1, 0)),
            ])
        );

        // Verbatims: negative delivery = f2 (newer), f1; only the negative mention is evidence.
        let mut q = VerbatimQuery {
            aspect: "delivery".into(),
            polarity: Some(Polarity::Negative),
            filter: TextFilter::default(),
            limit: 10,
            offset: 0,
        };
        let (total, list) = text::verbatims(db, ws, &q).await.unwrap();
        assert_eq!(total, 2);
        assert_eq!(list.iter().map(|v| v.text.source_id).collect::<Vec<_>>(), vec![ids["f2"], ids["f1"]]);
        assert_eq!(list[0].text.text, "late again but friendly courier");
        assert_eq!(list[0].mentions.len(), 1);
        assert_eq!(list[0].mentions[0].polarity, Polarity::Negative);
        assert_eq!(list[0].mentions[0].span.text, "s0");
        (q.limit, q.offset) = (1, 1);
        let (total, list) = text::verbatims(db, ws, &q).await.unwrap();
        assert_eq!((total, list.len(), list[0].text.source_id), (2, 1, ids["f1"]));
        q.polarity = None;
        q.filter.touchpoint_id = Some(delivery_tp);
        (q.limit, q.offset) = (10, 0);
        let (total, list) = text::verbatims(db, ws, &q).await.unwrap();
        assert_eq!((total, list[0].text.text.as_str()), (1, "送货很快"));

        // Keyword document counts in two windows (a repeated keyword counts once per text);
        // only terms present in the current window, with exact baseline counts.
        let all = TextFilter::default();
        let cmp = text::term_comparison(db, ws, &all, (D, D + 7), (D + 8, D + 20), 1, 100).await.unwrap();
        assert_eq!((cmp.baseline_documents, cmp.current_documents), (2, 3));
        assert_eq!(
            cmp.terms.iter().map(|(t, b, c)| (t.clone(), (*b, *c))).collect::<BTreeMap<_, _>>(),
            BTreeMap::from([
                ("late".into(), (2, 1)),
                ("refund".into(), (0, 1)),
                ("快".into(), (0, 1)),
                ("贵".into(), (0, 1))
            ])
        );
        let cmp = text::term_comparison(db, ws, &all, (D + 8, D + 20), (D, D + 7), 2, 100).await.unwrap();
        assert_eq!(cmp.terms, vec![("late".to_string(), 1, 2)], "min_current drops rarer terms");
        let only_delivery = TextFilter { touchpoint_id: Some(delivery_tp), ..TextFilter::default() };
        let cmp = text::term_comparison(db, ws, &only_delivery, (D, D + 7), (D + 8, D + 20), 1, 100).await.unwrap();
        // At the delivery touchpoint: f3 and f5 now, nothing before (f1 and f2 were at checkout).
        assert_eq!((cmp.baseline_documents, cmp.current_documents), (0, 2), "the filter narrows the documents too");
        assert_eq!(
            cmp.terms.iter().map(|(t, b, c)| (t.clone(), (*b, *c))).collect::<BTreeMap<_, _>>(),
            BTreeMap::from([("refund".into(), (0, 1)), ("快".into(), (0, 1))])
        );

        let unmatched = text::unmatched_texts(db, ws, &TextFilter::default(), 10).await.unwrap();
        assert_eq!(unmatched.len(), 1);
        assert_eq!((unmatched[0].source_id, unmatched[0].text.as_str()), (ids["f5"], "refund please"));
        assert_eq!(unmatched[0].keywords, vec!["refund".to_string()]);
        assert_eq!(text::last_day(db, ws).await.unwrap(), Some(D + 20));
        t.finish().await;
    }
}

#[tokio::test]
async fn saving_replaces_and_is_idempotent() {
    for t in testkit::all().await {
        let db = &t.db;
        let ws = workspace(db).await;
        let ids = save_plants(db, ws).await;
        let fingerprint = || async {
            (
                count(db, "SELECT COUNT(*) FROM text_analyses").await,
                count(db, "SELECT COUNT(*) FROM text_aspects").await,
                count(db, "SELECT COUNT(*) FROM text_terms").await,
            )
        };
        // 5 texts; 2+2+1+1+0 mentions; terms distinct per text: 2+1+1+2+1.
        assert_eq!(fingerprint().await, (5, 6, 7), "{}", t.label);
        let item = |text: &str| TextItem {
            workspace_id: ws,
            source_kind: SourceKind::Feedback,
            source_id: ids["f1"],
            field: String::new(),
            touchpoint_id: 0,
            channel: None,
            occurred_at: D * 86_400_000,
            text: text.into(),
        };
        let again = AnalyzedText {
            item: item("late box, fair price"),
            analysis: planted(Lang::En, &[("quality", Polarity::Positive)], &["box"]),
            taxonomy_version: 2,
        };
        // Saving twice (and a duplicate within one call) leaves one set of rows.
        for _ in 0..2 {
            assert_eq!(text::save_analyses(db, &[again.clone(), again.clone()]).await.unwrap(), 1);
            assert_eq!(fingerprint().await, (5, 5, 6));
        }
        let all = counts_map(text::aspect_counts(db, ws, &TextFilter::default()).await.unwrap());
        assert_eq!(all["delivery"], (2, 2, 0, 1));
        assert_eq!(all["quality"], (1, 1, 0, 0));
        let f1_rows = sqlx::query("SELECT touchpoint_id, taxonomy_version FROM text_analyses WHERE source_id = $1 AND source_kind = 'feedback'")
            .bind(ids["f1"])
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!((f1_rows.get::<i64, _>(0), f1_rows.get::<i64, _>(1)), (0, 2));
        // A result from an older taxonomy does not overwrite a newer one.
        let stale = AnalyzedText {
            analysis: planted(Lang::En, &[("price", Polarity::Negative)], &[]),
            taxonomy_version: 1,
            ..again.clone()
        };
        assert_eq!(text::save_analyses(db, &[stale]).await.unwrap(), 0);
        assert_eq!(fingerprint().await, (5, 5, 6));
        assert_eq!(counts_map(text::aspect_counts(db, ws, &TextFilter::default()).await.unwrap())["quality"].0, 1);
        t.finish().await;
    }
}

#[tokio::test]
async fn import_enqueues_one_analysis_job_per_batch_in_its_transaction() {
    for t in testkit::all().await {
        let db = &t.db;
        let ws = workspace(db).await;
        // Responses: two with text (one with two open answers), one score-only, one blank answer.
        let report = import(
            db,
            ws,
            vec![
                response(
                    "r1",
                    vec![("nps", AnswerValue::Number(3.0)), ("comment", AnswerValue::Text("slow courier".into()))],
                    D,
                ),
                response(
                    "r2",
                    vec![
                        ("comment", AnswerValue::Text("送货太慢".into())),
                        ("other", AnswerValue::Text("app ok".into())),
                    ],
                    D,
                ),
                response("r3", vec![("nps", AnswerValue::Number(9.0))], D),
                response("r4", vec![("comment", AnswerValue::Text("   ".into()))], D),
            ],
        )
        .await;
        assert_eq!(report.written, 4, "{}", t.label);
        let analyze = jobs_of(db, text::JOB_ANALYZE).await;
        assert_eq!(analyze.len(), 1, "one job for the batch");
        assert_eq!(analyze[0]["source"], "response");
        let ranges = analyze[0]["ranges"].as_array().unwrap();
        let covered: i64 = ranges.iter().map(|r| r[1].as_i64().unwrap() - r[0].as_i64().unwrap() + 1).sum();
        assert_eq!(covered, 4, "the ids of the inserted rows: {ranges:?}");

        // Re-importing the same rows inserts nothing and enqueues nothing.
        let report = import(db, ws, vec![response("r1", vec![("comment", AnswerValue::Text("slow".into()))], D)]).await;
        assert_eq!((report.written, report.duplicates), (0, 1));
        // A batch of score-only responses has no text to analyse.
        import(db, ws, vec![response("r5", vec![("nps", AnswerValue::Number(10.0))], D)]).await;
        // A rejected batch (every row invalid) writes nothing and enqueues nothing.
        let report = import(db, ws, vec![feedback("bad", "text", Some("no_such_touchpoint"), D)]).await;
        assert_eq!((report.written, report.error_count), (0, 1));
        assert_eq!(jobs_of(db, text::JOB_ANALYZE).await.len(), 1);

        // Feedback: one job for the batch, only for rows really inserted.
        import(db, ws, vec![feedback("a", "great", None, D), feedback("b", "awful", Some("checkout"), D)]).await;
        import(db, ws, vec![feedback("a", "great", None, D), feedback("c", "fine", None, D)]).await;
        let analyze = jobs_of(db, text::JOB_ANALYZE).await;
        assert_eq!(analyze.len(), 3);
        assert_eq!(analyze[2]["source"], "feedback");
        let c_id = feedback_ids(db, ws).await["c"].0;
        assert_eq!(analyze[2]["ranges"], serde_json::json!([[c_id, c_id]]));

        // The worker analyses exactly the texts: r1 comment, r2 comment + other, a, b, c.
        let worker = Worker::new(db.clone(), Arc::new(AnalyzerCache::new())).with_threads(2);
        let mut done = 0;
        while let Step::Done { .. } = worker.step(None).await.unwrap() {
            done += 1;
        }
        assert_eq!(done, 3);
        assert_eq!(count(db, "SELECT COUNT(*) FROM text_analyses").await, 6);
        let fields: Vec<(String, String)> = string_pairs(db, "SELECT a.field, a.lang FROM text_analyses a JOIN responses r ON r.id = a.source_id WHERE a.source_kind = 'response' ORDER BY r.external_id, a.field").await;
        assert_eq!(
            fields,
            vec![("comment".into(), "en".into()), ("comment".into(), "zh".into()), ("other".into(), "en".into())]
        );
        t.finish().await;
    }
}

#[tokio::test]
async fn each_job_is_processed_exactly_once_by_concurrent_workers() {
    for t in testkit::all().await {
        let db = &t.db;
        let ws = workspace(db).await;
        for batch in 0..3 {
            let records =
                (0..20).map(|i| feedback(&format!("b{batch}-{i}"), &format!("text {batch} {i}"), None, D)).collect();
            import(db, ws, records).await;
        }
        assert_eq!(jobs_of(db, text::JOB_ANALYZE).await.len(), 3);
        let cache = Arc::new(AnalyzerCache::new());
        let a = Worker::new(db.clone(), cache.clone()).with_threads(1);
        let b = Worker::new(db.clone(), cache.clone()).with_threads(1);
        let run = |w: Worker| async move {
            let mut mine = Vec::new();
            loop {
                match w.step(None).await.unwrap() {
                    Step::Done { job_id, report, .. } => mine.push((job_id, report.analysed)),
                    Step::Idle => break,
                    other => panic!("unexpected {other:?}"),
                }
            }
            mine
        };
        let (ja, jb) = tokio::join!(run(a), run(b));
        let mut all: Vec<i64> = ja.iter().chain(&jb).map(|j| j.0).collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), ja.len() + jb.len(), "no job ran twice ({})", t.label);
        assert_eq!(all.len(), 3);
        assert!(ja.iter().chain(&jb).all(|j| j.1 == 20));
        assert_eq!(count(db, "SELECT COUNT(*) FROM text_analyses").await, 60);
        let c: HashMap<String, i64> = jobs::counts(db).await.unwrap().into_iter().collect();
        assert_eq!(c.get("done"), Some(&3));
        // Nothing left: a later step is idle and the results stay as they are.
        let w = Worker::new(db.clone(), cache).with_threads(1);
        assert_eq!(w.step(None).await.unwrap(), Step::Idle);
        t.finish().await;
    }
}

#[tokio::test]
async fn taxonomy_change_reanalyses_with_the_new_taxonomy() {
    for t in testkit::all().await {
        let db = &t.db;
        let ws = workspace(db).await;
        let texts = ["the widget broke after a day", "送货很快，包装也好", "price is fine", "gizmo gizmo 太贵了"];
        let records = texts
            .iter()
            .enumerate()
            .map(|(i, s)| feedback(&format!("t{i}"), s, Some("delivery"), D + i as i64))
            .collect();
        import(db, ws, records).await;
        let cache = Arc::new(AnalyzerCache::new());
        let worker = Worker::new(db.clone(), cache.clone()).with_threads(2);
        assert!(matches!(worker.step(None).await.unwrap(), Step::Done { .. }));
        assert_eq!(count(db, "SELECT COUNT(*) FROM text_analyses WHERE taxonomy_version = 0").await, 4, "{}", t.label);

        // The default taxonomy is version 0 until a workspace stores its own.
        let stored = text::taxonomy(db, ws).await.unwrap();
        assert_eq!(stored.version, 0);
        assert_eq!(stored.taxonomy, Taxonomy::default());

        // An invalid taxonomy is refused, names its fault, and changes nothing.
        let mut bad = Taxonomy::default();
        bad.aspects[0].rater = Some("speed".into());
        let err = text::put_taxonomy(db, ws, &bad, None).await.unwrap_err();
        assert!(err.to_string().contains("rater"), "{err}");
        assert_eq!(text::taxonomy_version(db, ws).await.unwrap(), 0);
        assert!(jobs_of(db, text::JOB_REANALYZE).await.is_empty());

        // A new taxonomy with planted aspects for these texts.
        let mut custom = Taxonomy::default();
        let mut widget = custom.aspects[0].clone();
        widget.key = "widget".into();
        widget.name_en = "Widget".into();
        widget.name_zh = "小部件".into();
        widget.terms_en = vec!["widget".into(), "gizmo".into()];
        widget.terms_zh = vec![];
        widget.exclude = vec![];
        custom.aspects.push(widget);
        custom.dictionary.push("gizmo".into());
        assert_eq!(text::put_taxonomy(db, ws, &custom, None).await.unwrap(), 1);
        assert_eq!(jobs_of(db, text::JOB_REANALYZE).await, vec![serde_json::json!({"workspace_id": ws, "version": 1})]);
        assert_eq!(text::taxonomy(db, ws).await.unwrap().taxonomy, custom);

        match worker.step(None).await.unwrap() {
            Step::Done { kind, report, .. } => {
                assert_eq!(kind, text::JOB_REANALYZE);
                assert_eq!((report.analysed, report.up_to_date), (4, 0));
            }
            other => panic!("expected the reanalysis: {other:?}"),
        }
        assert_eq!(count(db, "SELECT COUNT(*) FROM text_analyses WHERE taxonomy_version = 1").await, 4);
        // The stored aspect rows are exactly what the new taxonomy's analyzer finds.
        let analyzer = TextAnalyzer::new(custom.clone());
        let ids = feedback_ids(db, ws).await;
        for (i, s) in texts.iter().enumerate() {
            let expected: Vec<(String, String)> = analyzer
                .analyze(s, LangHint::Auto)
                .unwrap()
                .aspects
                .iter()
                .map(|m| (m.aspect.clone(), m.polarity.as_str().to_string()))
                .collect();
            let stored: Vec<(String, String)> = sqlx::query(
                "SELECT m.aspect, m.polarity FROM text_aspects m JOIN text_analyses a ON a.id = m.analysis_id \
                 WHERE a.source_kind = 'feedback' AND a.source_id = $1 ORDER BY m.position",
            )
            .bind(ids[&format!("t{i}")].0)
            .fetch_all(&db.pool)
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
            assert_eq!(stored, expected, "text {s:?}");
        }
        // Reanalysing again finds every text up to date; the CLI's full mode redoes all.
        let opts = RunOptions { threads: 2, lease: None, progress: None, stop: None };
        let r = text::worker::reanalyze_workspace(db, &cache, ws, Mode::Stale, &opts).await.unwrap();
        assert_eq!((r.analysed, r.up_to_date, r.sources), (0, 4, 4));
        let r = text::worker::reanalyze_workspace(db, &cache, ws, Mode::All, &opts).await.unwrap();
        assert_eq!((r.analysed, r.up_to_date), (4, 0));
        assert_eq!(count(db, "SELECT COUNT(*) FROM text_analyses").await, 4);
        t.finish().await;
    }
}

#[tokio::test]
async fn an_upgraded_analyzer_reanalyses_what_an_earlier_build_stored() {
    for t in testkit::all().await {
        let db = &t.db;
        let ws = workspace(db).await;
        let texts = ["快递太慢了", "staff were lovely", "price is fine", "房间很干净"];
        let records =
            texts.iter().enumerate().map(|(i, s)| feedback(&format!("u{i}"), s, None, D + i as i64)).collect();
        import(db, ws, records).await;
        let cache = Arc::new(AnalyzerCache::new());
        let worker = Worker::new(db.clone(), cache.clone()).with_threads(1);
        assert!(matches!(worker.step(None).await.unwrap(), Step::Done { .. }));
        let id = cxm_text::analyzer_id();
        let this_build = format!("SELECT COUNT(*) FROM text_analyses WHERE analyzer = '{id}'");
        assert_eq!(count(db, &this_build).await, 4, "{}", t.label);

        // Two rows as an earlier release (or a database from before the column) left them.
        sqlx::query("UPDATE text_analyses SET analyzer = 'cxm-0.0.1-older', result = '{}' WHERE source_id IN (SELECT MIN(source_id) FROM text_analyses)")
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query(
            "UPDATE text_analyses SET analyzer = '' WHERE source_id IN (SELECT MAX(source_id) FROM text_analyses)",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        assert_eq!(count(db, &this_build).await, 2);

        // Start-up enqueues one backfill for this build; asking again adds nothing.
        assert!(text::enqueue_backfill(db, ws).await.unwrap());
        assert!(!text::enqueue_backfill(db, ws).await.unwrap());
        let keys: Vec<String> = sqlx::query("SELECT dedupe_key FROM jobs WHERE kind = $1 AND status = 'queued'")
            .bind(text::JOB_REANALYZE)
            .fetch_all(&db.pool)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(keys, vec![format!("{}:{ws}:0:backfill:{id}", text::JOB_REANALYZE)]);

        // The job redoes exactly the two stale texts, and the stored results are this build's.
        match worker.step(None).await.unwrap() {
            Step::Done { report, .. } => assert_eq!((report.analysed, report.up_to_date), (2, 2), "{}", t.label),
            other => panic!("expected the backfill: {other:?}"),
        }
        assert_eq!(count(db, &this_build).await, 4);
        let analyzer = TextAnalyzer::default();
        let results: Vec<(String, String)> = string_pairs(
            db,
            "SELECT f.text, a.result FROM text_analyses a JOIN feedback_items f ON f.id = a.source_id ORDER BY f.id",
        )
        .await;
        assert_eq!(results.len(), 4);
        for (text, result) in results {
            let stored: Analysis = serde_json::from_str(&result).unwrap();
            assert_eq!(stored, analyzer.analyze(&text, LangHint::Auto).unwrap(), "{text}");
        }
        t.finish().await;
    }
}

#[tokio::test]
async fn worker_stops_on_shutdown_and_gives_the_job_back() {
    let t = testkit::sqlite().await.unwrap();
    let db = &t.db;
    let ws = workspace(db).await;
    import(db, ws, vec![feedback("x", "hello", None, D)]).await;
    let worker = Worker::new(db.clone(), Arc::new(AnalyzerCache::new()));
    let stop = || true;
    assert!(matches!(worker.step(Some(&stop)).await.unwrap(), Step::Released { .. }));
    let c: HashMap<String, i64> = jobs::counts(db).await.unwrap().into_iter().collect();
    assert_eq!(c.get("queued"), Some(&1));
    let attempts: i64 = sqlx::query("SELECT attempts FROM jobs").fetch_one(&db.pool).await.unwrap().get(0);
    assert_eq!(attempts, 0, "a released job keeps its attempts");
    // The background loop drains the queue and stops when told.
    let (tx, rx) = tokio::sync::watch::channel(false);
    let handle = tokio::spawn(worker.with_idle_poll(std::time::Duration::from_millis(20)).run(rx));
    for _ in 0..200 {
        if text::count_analyses(db, ws).await.unwrap() == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(text::count_analyses(db, ws).await.unwrap(), 1);
    tx.send(true).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), handle).await.unwrap().unwrap();
    t.finish().await;
}
