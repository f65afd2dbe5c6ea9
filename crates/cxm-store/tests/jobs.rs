//! The durable job/outbox queue against real SQLite and PostgreSQL: dedupe,
//! due-time and kind filtering, exactly-once claiming under concurrency (also
//! across two pools, i.e. two server instances), lease expiry after a crash,
//! retry with backoff and dead-lettering, durability across a restart and
//! transactional (outbox) enqueue.

use cxm_store::{Db, jobs, now_ms, testkit};
use serde_json::json;
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// `counts` as a map; missing statuses read as 0.
async fn counts(db: &Db) -> HashMap<String, i64> {
    jobs::counts(db).await.unwrap().into_iter().collect()
}

fn n(c: &HashMap<String, i64>, status: &str) -> i64 {
    c.get(status).copied().unwrap_or(0)
}

async fn total(db: &Db) -> i64 {
    counts(db).await.values().sum()
}

#[derive(Debug)]
struct JobRow {
    status: String,
    attempts: i64,
    run_at: i64,
    locked_by: Option<String>,
    locked_until: Option<i64>,
    last_error: Option<String>,
    finished_at: Option<i64>,
}

async fn row(db: &Db, id: i64) -> JobRow {
    let r = sqlx::query(
        "SELECT status, attempts, run_at, locked_by, locked_until, last_error, finished_at FROM jobs WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    JobRow {
        status: r.get(0),
        attempts: r.get(1),
        run_at: r.get(2),
        locked_by: r.get(3),
        locked_until: r.get(4),
        last_error: r.get(5),
        finished_at: r.get(6),
    }
}

/// Makes a backed-off job due again without waiting for its backoff.
async fn make_due(db: &Db, id: i64) {
    sqlx::query("UPDATE jobs SET run_at = 0 WHERE id = $1").bind(id).execute(&db.pool).await.unwrap();
}

#[tokio::test]
async fn dedupe_key_enqueues_once_and_no_key_enqueues_each_time() {
    for t in testkit::all().await {
        let db = &t.db;
        let label = t.label;
        let now = now_ms();
        let first = jobs::enqueue(&db.pool, "mail", &json!({"to": "a"}), Some("mail:a"), now).await.unwrap();
        let second =
            jobs::enqueue(&db.pool, "mail", &json!({"to": "a", "again": true}), Some("mail:a"), now).await.unwrap();
        assert!(first.is_some(), "{label}: first enqueue returns the new id");
        assert_eq!(second, None, "{label}: duplicate dedupe key adds nothing");
        assert_eq!(total(db).await, 1, "{label}: one job for one dedupe key");

        // The kept job is the first one, payload unchanged.
        let job = jobs::claim(db, "w", &["mail"], 30_000).await.unwrap().expect("job");
        assert_eq!(Some(job.id), first, "{label}");
        assert_eq!(job.payload, json!({"to": "a"}), "{label}: the duplicate did not overwrite the payload");
        assert!(jobs::complete(db, job.id, "w").await.unwrap(), "{label}");
        // A finished job still holds its key: the effect is not repeated.
        assert_eq!(jobs::enqueue(&db.pool, "mail", &json!({}), Some("mail:a"), now).await.unwrap(), None, "{label}");

        let a = jobs::enqueue(&db.pool, "mail", &json!({"to": "b"}), None, now).await.unwrap();
        let b = jobs::enqueue(&db.pool, "mail", &json!({"to": "b"}), None, now).await.unwrap();
        assert!(a.is_some() && b.is_some() && a != b, "{label}: without a key every enqueue is a job ({a:?}, {b:?})");
        let c = counts(db).await;
        assert_eq!((n(&c, "queued"), n(&c, "done")), (2, 1), "{label}: {c:?}");
        t.finish().await;
    }
}

#[tokio::test]
async fn claim_respects_run_at_and_kinds() {
    for t in testkit::all().await {
        let db = &t.db;
        let label = t.label;
        let now = now_ms();
        let future =
            jobs::enqueue(&db.pool, "report", &json!({"when": "later"}), None, now + 60_000).await.unwrap().unwrap();
        assert_eq!(jobs::claim(db, "w", &["report"], 30_000).await.unwrap(), None, "{label}: a future job is not due");
        assert_eq!(row(db, future).await.status, "queued", "{label}");
        assert_eq!(row(db, future).await.attempts, 0, "{label}: a failed claim does not count an attempt");

        let later = jobs::enqueue(&db.pool, "report", &json!({"n": 2}), None, now - 1_000).await.unwrap().unwrap();
        let earlier = jobs::enqueue(&db.pool, "report", &json!({"n": 1}), None, now - 5_000).await.unwrap().unwrap();
        let mail = jobs::enqueue(&db.pool, "mail", &json!({}), None, now - 10_000).await.unwrap().unwrap();

        assert_eq!(jobs::claim(db, "w", &[], 30_000).await.unwrap(), None, "{label}: no kinds, no job");
        assert_eq!(jobs::claim(db, "w", &["other"], 30_000).await.unwrap(), None, "{label}: unknown kind");

        // Oldest due first, only of the asked kinds.
        let j1 = jobs::claim(db, "w", &["report"], 30_000).await.unwrap().expect("due report");
        assert_eq!((j1.id, j1.kind.as_str(), j1.attempts), (earlier, "report", 1), "{label}");
        assert_eq!(j1.payload, json!({"n": 1}), "{label}");
        let j2 = jobs::claim(db, "w", &["report"], 30_000).await.unwrap().expect("second due report");
        assert_eq!(j2.id, later, "{label}");
        assert_eq!(
            jobs::claim(db, "w", &["report"], 30_000).await.unwrap(),
            None,
            "{label}: the future report is still not due"
        );
        assert_eq!(row(db, mail).await.status, "queued", "{label}: other kinds untouched");

        let j3 = jobs::claim(db, "w", &["x", "mail", "report"], 30_000).await.unwrap().expect("mail");
        assert_eq!((j3.id, j3.kind.as_str()), (mail, "mail"), "{label}: any of several kinds");
        let r = row(db, mail).await;
        assert_eq!((r.status.as_str(), r.locked_by.as_deref()), ("running", Some("w")), "{label}");
        assert!(r.locked_until.unwrap() >= now + 30_000, "{label}: leased for lease_ms");

        // Once due, the future job is claimable.
        make_due(db, future).await;
        assert_eq!(jobs::claim(db, "w", &["report"], 30_000).await.unwrap().map(|j| j.id), Some(future), "{label}");
        t.finish().await;
    }
}

/// Who claimed each job, with the end of the lease they were given.
type Claims = Arc<Mutex<HashMap<i64, Vec<(String, i64)>>>>;

async fn worker(db: Db, name: String, seen: Claims) -> usize {
    let mut done = 0;
    loop {
        let Some(job) =
            jobs::claim(&db, &name, &["work"], 60_000).await.unwrap_or_else(|e| panic!("{name}: claim failed: {e}"))
        else {
            return done;
        };
        let claimed_at = now_ms();
        {
            // A failed assertion must not poison the map for the other workers.
            let mut seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
            let holders = seen.entry(job.id).or_default();
            for (other, lease_until) in holders.iter() {
                assert!(
                    claimed_at > *lease_until,
                    "job {} claimed by {name} while {other} held a valid lease until {lease_until}",
                    job.id
                );
            }
            holders.push((name.clone(), claimed_at + 60_000));
        }
        assert_eq!(job.attempts, 1, "{name}: job {} claimed twice", job.id);
        // A little work, so that claims and completions interleave.
        if job.id % 7 == 0 {
            tokio::task::yield_now().await;
        }
        let ok = jobs::complete(&db, job.id, &name).await.unwrap_or_else(|e| panic!("{name}: complete failed: {e}"));
        assert!(ok, "{name}: lost the lease of job {} it holds", job.id);
        done += 1;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_job_is_processed_exactly_once_under_concurrency() {
    for t in testkit::all().await {
        let db = &t.db;
        let label = t.label;
        let now = now_ms();
        let mut ids = HashSet::new();
        for i in 0..300 {
            let id = jobs::enqueue(&db.pool, "work", &json!({ "i": i }), None, now).await.unwrap().unwrap();
            assert!(ids.insert(id), "{label}: duplicate id {id}");
        }
        // A second instance's pool on the same database (for SQLite: a second
        // set of connections to the same file, as a second process would have).
        let second = Db::connect(&t.url).await.unwrap();

        let seen: Claims = Arc::default();
        let mut handles = Vec::new();
        for w in 0..4 {
            handles.push(tokio::spawn(worker(db.clone(), format!("a{w}"), seen.clone())));
        }
        for w in 0..4 {
            handles.push(tokio::spawn(worker(second.clone(), format!("b{w}"), seen.clone())));
        }
        let mut per_worker = Vec::new();
        for h in handles {
            per_worker.push(h.await.unwrap_or_else(|e| panic!("{label}: worker panicked: {e}")));
        }
        second.close().await;
        eprintln!("{label}: jobs completed per worker {per_worker:?}");

        let seen = seen.lock().unwrap_or_else(PoisonError::into_inner).clone();
        assert_eq!(per_worker.iter().sum::<usize>(), 300, "{label}: completions per worker {per_worker:?}");
        assert_eq!(seen.keys().copied().collect::<HashSet<_>>(), ids, "{label}: every job processed");
        for (id, holders) in &seen {
            assert_eq!(holders.len(), 1, "{label}: job {id} claimed by {holders:?}");
        }
        let c = counts(db).await;
        assert_eq!(c, HashMap::from([("done".to_string(), 300)]), "{label}");
        let attempts: i64 = sqlx::query("SELECT COUNT(*) FROM jobs WHERE attempts = 1 AND finished_at IS NOT NULL")
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(attempts, 300, "{label}: each job claimed once and finished");
        t.finish().await;
    }
}

#[tokio::test]
async fn an_expired_lease_is_taken_over_and_the_late_worker_loses() {
    for t in testkit::all().await {
        let db = &t.db;
        let label = t.label;
        let id = jobs::enqueue(&db.pool, "sync", &json!({}), None, now_ms()).await.unwrap().unwrap();

        let crashed = jobs::claim(db, "crashed", &["sync"], 500).await.unwrap().expect("claim");
        assert_eq!((crashed.id, crashed.attempts), (id, 1), "{label}");
        assert_eq!(
            jobs::claim(db, "rescuer", &["sync"], 30_000).await.unwrap(),
            None,
            "{label}: the lease is still valid"
        );

        tokio::time::sleep(Duration::from_millis(600)).await;
        let rescued = jobs::claim(db, "rescuer", &["sync"], 30_000).await.unwrap().expect("expired lease is claimable");
        assert_eq!((rescued.id, rescued.attempts), (id, 2), "{label}");
        assert_eq!(
            jobs::claim(db, "third", &["sync"], 30_000).await.unwrap(),
            None,
            "{label}: the rescuer's lease holds"
        );

        assert!(!jobs::complete(db, id, "crashed").await.unwrap(), "{label}: a late complete has lost the lease");
        let r = row(db, id).await;
        assert_eq!(
            (r.status.as_str(), r.locked_by.as_deref(), r.finished_at),
            ("running", Some("rescuer"), None),
            "{label}"
        );
        // A late failure must not disturb the rescuer either.
        jobs::fail(db, &crashed, "crashed", "late error").await.unwrap();
        let r = row(db, id).await;
        assert_eq!(
            (r.status.as_str(), r.locked_by.as_deref(), r.last_error),
            ("running", Some("rescuer"), None),
            "{label}"
        );

        assert!(jobs::complete(db, id, "rescuer").await.unwrap(), "{label}");
        let r = row(db, id).await;
        assert_eq!(r.status, "done", "{label}");
        assert!(r.finished_at.is_some(), "{label}");
        assert!(!jobs::complete(db, id, "rescuer").await.unwrap(), "{label}: completing twice reports false");
        assert_eq!(counts(db).await, HashMap::from([("done".to_string(), 1)]), "{label}");
        t.finish().await;
    }
}

#[tokio::test]
async fn a_job_that_keeps_crashing_its_worker_becomes_dead() {
    for t in testkit::all().await {
        let db = &t.db;
        let label = t.label;
        let id = jobs::enqueue(&db.pool, "poison", &json!({}), None, now_ms()).await.unwrap().unwrap();
        let mut last = 0;
        for attempt in 1..=5 {
            let job = jobs::claim(db, &format!("w{attempt}"), &["poison"], 1).await.unwrap().expect("claimable");
            assert_eq!(job.attempts, attempt, "{label}");
            assert_eq!(job.max_attempts, 5, "{label}");
            last = attempt;
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert_eq!(last, 5);
        // Its fifth lease expired too: dead-lettered, never claimed a sixth time.
        assert_eq!(jobs::claim(db, "w6", &["poison"], 1).await.unwrap(), None, "{label}");
        let r = row(db, id).await;
        assert_eq!((r.status.as_str(), r.attempts), ("dead", 5), "{label}: {r:?}");
        assert!(r.last_error.is_some_and(|e| e.contains("lease")), "{label}");
        assert!(r.finished_at.is_some(), "{label}");
        t.finish().await;
    }
}

#[tokio::test]
async fn fail_retries_with_backoff_then_goes_dead() {
    for t in testkit::all().await {
        let db = &t.db;
        let label = t.label;
        let id = jobs::enqueue(&db.pool, "hook", &json!({"url": "x"}), None, now_ms()).await.unwrap().unwrap();

        let job = jobs::claim(db, "w", &["hook"], 30_000).await.unwrap().unwrap();
        let before = now_ms();
        jobs::fail(db, &job, "w", "connection refused").await.unwrap();
        let r = row(db, id).await;
        assert_eq!(r.status, "queued", "{label}: retried");
        assert_eq!(r.last_error.as_deref(), Some("connection refused"), "{label}");
        assert_eq!((r.locked_by, r.locked_until, r.finished_at), (None, None, None), "{label}");
        assert!(r.run_at >= before + 1_000, "{label}: backed off (run_at {} vs now {before})", r.run_at);
        let first_backoff = r.run_at - before;
        assert_eq!(jobs::claim(db, "w", &["hook"], 30_000).await.unwrap(), None, "{label}: not due during backoff");

        // Backoff grows.
        make_due(db, id).await;
        let job = jobs::claim(db, "w", &["hook"], 30_000).await.unwrap().unwrap();
        assert_eq!(job.attempts, 2, "{label}");
        let before = now_ms();
        jobs::fail(db, &job, "w", "timeout").await.unwrap();
        let r = row(db, id).await;
        assert_eq!((r.status.as_str(), r.last_error.as_deref()), ("queued", Some("timeout")), "{label}");
        assert!(
            r.run_at - before > first_backoff,
            "{label}: exponential backoff ({} <= {first_backoff})",
            r.run_at - before
        );

        for attempt in 3..=5 {
            make_due(db, id).await;
            let job = jobs::claim(db, "w", &["hook"], 30_000).await.unwrap().expect("retry");
            assert_eq!(job.attempts, attempt, "{label}");
            jobs::fail(db, &job, "w", &format!("error {attempt}")).await.unwrap();
        }
        let r = row(db, id).await;
        assert_eq!((r.status.as_str(), r.attempts), ("dead", 5), "{label}: dead after max_attempts");
        assert_eq!(r.last_error.as_deref(), Some("error 5"), "{label}");
        assert!(r.finished_at.is_some(), "{label}");
        make_due(db, id).await;
        assert_eq!(
            jobs::claim(db, "w", &["hook"], 30_000).await.unwrap(),
            None,
            "{label}: a dead job is never claimed"
        );
        assert_eq!(counts(db).await, HashMap::from([("dead".to_string(), 1)]), "{label}");

        // A long error is truncated, not rejected.
        let id2 = jobs::enqueue(&db.pool, "hook", &json!({}), None, now_ms()).await.unwrap().unwrap();
        let job = jobs::claim(db, "w", &["hook"], 30_000).await.unwrap().unwrap();
        jobs::fail(db, &job, "w", &"é".repeat(5000)).await.unwrap();
        assert_eq!(row(db, id2).await.last_error.unwrap().chars().count(), 2000, "{label}");

        // A failure reported after the job completed must not re-queue it.
        let id3 = jobs::enqueue(&db.pool, "once", &json!({}), None, now_ms()).await.unwrap().unwrap();
        let job = jobs::claim(db, "w", &["once"], 30_000).await.unwrap().unwrap();
        assert!(jobs::complete(db, id3, "w").await.unwrap(), "{label}");
        jobs::fail(db, &job, "w", "too late").await.unwrap();
        let r = row(db, id3).await;
        assert_eq!((r.status.as_str(), r.last_error), ("done", None), "{label}: fail after complete");
        t.finish().await;
    }
}

#[tokio::test]
async fn jobs_survive_a_restart() {
    for t in testkit::all().await {
        let label = t.label;
        let queued =
            jobs::enqueue(&t.db.pool, "mail", &json!({"to": "x"}), Some("k1"), now_ms()).await.unwrap().unwrap();
        let leased = jobs::enqueue(&t.db.pool, "sync", &json!({}), None, now_ms()).await.unwrap().unwrap();
        // Claimed with a short lease by the instance that is about to die.
        assert_eq!(jobs::claim(&t.db, "old", &["sync"], 200).await.unwrap().map(|j| j.id), Some(leased), "{label}");
        t.db.close().await;

        let db = Db::connect(&t.url).await.unwrap();
        assert_eq!(total(&db).await, 2, "{label}");
        let job = jobs::claim(&db, "new", &["mail"], 30_000).await.unwrap().expect("queued job survives");
        assert_eq!((job.id, job.payload.clone()), (queued, json!({"to": "x"})), "{label}");
        assert!(jobs::complete(&db, job.id, "new").await.unwrap(), "{label}");
        assert_eq!(
            jobs::enqueue(&db.pool, "mail", &json!({}), Some("k1"), now_ms()).await.unwrap(),
            None,
            "{label}: dedupe survives"
        );

        tokio::time::sleep(Duration::from_millis(300)).await;
        let job =
            jobs::claim(&db, "new", &["sync"], 30_000).await.unwrap().expect("the dead instance's job is retried");
        assert_eq!((job.id, job.attempts), (leased, 2), "{label}");
        assert!(jobs::complete(&db, job.id, "new").await.unwrap(), "{label}");
        db.close().await;
        t.finish().await;
    }
}

#[tokio::test]
async fn enqueue_in_a_transaction_is_atomic_with_it() {
    for t in testkit::all().await {
        let db = &t.db;
        let label = t.label;

        let mut tx = db.pool.begin().await.unwrap();
        let id = jobs::enqueue(&mut *tx, "mail", &json!({"n": 1}), Some("order:1"), now_ms()).await.unwrap();
        assert!(id.is_some(), "{label}");
        tx.rollback().await.unwrap();
        assert_eq!(total(db).await, 0, "{label}: rolled back, no job");
        assert_eq!(jobs::claim(db, "w", &["mail"], 30_000).await.unwrap(), None, "{label}");

        // A dropped (never committed) transaction rolls back too.
        {
            let mut tx = db.pool.begin().await.unwrap();
            jobs::enqueue(&mut *tx, "mail", &json!({"n": 2}), Some("order:1"), now_ms()).await.unwrap();
        }
        assert_eq!(total(db).await, 0, "{label}: dropped, no job");

        // The rolled-back key is free again; committing keeps the job with the write it belongs to.
        let mut tx = db.pool.begin().await.unwrap();
        sqlx::query("CREATE TABLE orders (id BIGINT PRIMARY KEY)").execute(&mut *tx).await.unwrap();
        sqlx::query("INSERT INTO orders (id) VALUES (1)").execute(&mut *tx).await.unwrap();
        let id = jobs::enqueue(&mut *tx, "mail", &json!({"n": 3}), Some("order:1"), now_ms())
            .await
            .unwrap()
            .expect("key free after rollback");
        assert_eq!(
            jobs::enqueue(&mut *tx, "mail", &json!({"n": 4}), Some("order:1"), now_ms()).await.unwrap(),
            None,
            "{label}: dedupe within the transaction"
        );
        tx.commit().await.unwrap();

        assert_eq!(total(db).await, 1, "{label}");
        let job = jobs::claim(db, "w", &["mail"], 30_000).await.unwrap().expect("committed job");
        assert_eq!((job.id, job.payload), (id, json!({"n": 3})), "{label}");

        // complete_in: the effect and the completion commit together, or neither does.
        let mut tx = db.pool.begin().await.unwrap();
        sqlx::query("INSERT INTO orders (id) VALUES (2)").execute(&mut *tx).await.unwrap();
        assert!(jobs::complete_in(&mut *tx, id, "w").await.unwrap(), "{label}");
        tx.rollback().await.unwrap();
        assert_eq!(row(db, id).await.status, "running", "{label}: rolled-back completion");
        let mut tx = db.pool.begin().await.unwrap();
        sqlx::query("INSERT INTO orders (id) VALUES (2)").execute(&mut *tx).await.unwrap();
        assert!(jobs::complete_in(&mut *tx, id, "w").await.unwrap(), "{label}");
        tx.commit().await.unwrap();
        assert_eq!(row(db, id).await.status, "done", "{label}");
        t.finish().await;
    }
}
