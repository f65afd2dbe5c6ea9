//! The durable job/outbox queue (DESIGN: every background effect goes through it).
//!
//! Jobs are claimed with a lease: `FOR UPDATE SKIP LOCKED` on PostgreSQL, an
//! UPDATE in a `BEGIN IMMEDIATE` transaction on SQLite (whose writers are
//! serialized). A worker that dies leaves its lease to expire, and the job is
//! claimed again, so work is never lost; after `max_attempts` it is `dead`.
//! Handlers make their effect idempotent (or write it in the same transaction
//! as `complete_in`) so that a retried job acts exactly once.

use crate::{Backend, Db, Result, now_ms};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
    pub attempts: i64,
    pub max_attempts: i64,
}

/// Enqueues a job. With a `dedupe_key`, enqueuing the same key twice adds one
/// job (the outbox pattern: enqueue inside the transaction that causes it).
pub async fn enqueue<'c, E>(
    exec: E,
    kind: &str,
    payload: &serde_json::Value,
    dedupe_key: Option<&str>,
    run_at: i64,
) -> Result<Option<i64>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let row = sqlx::query(
        "INSERT INTO jobs (kind, payload, dedupe_key, status, run_at, created_at) VALUES ($1,$2,$3,'queued',$4,$5) \
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
    )
    .bind(kind)
    .bind(payload.to_string())
    .bind(dedupe_key)
    .bind(run_at)
    .bind(now_ms())
    .fetch_optional(exec)
    .await?;
    Ok(row.map(|r| r.get(0)))
}

/// Claims the next due job of one of `kinds` for `lease_ms`.
///
/// A job whose lease expired on its last allowed attempt (its worker crashed
/// or hung `max_attempts` times) is not claimed again but marked `dead`, so a
/// job that kills its worker cannot crash-loop the queue forever.
pub async fn claim(db: &Db, worker: &str, kinds: &[&str], lease_ms: i64) -> Result<Option<Job>> {
    if kinds.is_empty() {
        return Ok(None);
    }
    let now = now_ms();
    match db.backend {
        Backend::Postgres => {
            // Both statements skip rows other claimers hold, so they never wait
            // on (or deadlock with) each other; each is atomic on its own.
            reap_exhausted(&db.pool, db.backend, kinds, now).await?;
            claim_one(&db.pool, db.backend, worker, kinds, now, lease_ms).await
        }
        Backend::Sqlite => {
            // One write transaction taken up front: SQLite serializes writers, and
            // BEGIN IMMEDIATE waits (busy_timeout) for the write lock instead of
            // failing on a read-to-write upgrade.
            let mut tx = db.pool.begin_with("BEGIN IMMEDIATE").await?;
            reap_exhausted(&mut *tx, db.backend, kinds, now).await?;
            let job = claim_one(&mut *tx, db.backend, worker, kinds, now, lease_ms).await?;
            tx.commit().await?;
            Ok(job)
        }
    }
}

/// `$start, $start+1, …` for the kinds.
fn kind_params(kinds: &[&str], start: usize) -> String {
    (0..kinds.len()).map(|i| format!("${}", i + start)).collect::<Vec<_>>().join(",")
}

/// Marks `dead` the jobs of `kinds` whose lease expired on their last attempt.
async fn reap_exhausted<'c, E>(exec: E, backend: Backend, kinds: &[&str], now: i64) -> Result<u64>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let lock = backend.skip_locked();
    let sql = format!(
        "UPDATE jobs SET status = 'dead', finished_at = $1, locked_until = NULL, \
           last_error = 'lease expired on the last attempt (worker ' || COALESCE(locked_by, '?') || ' never completed it)' \
         WHERE id IN (SELECT id FROM jobs WHERE status = 'running' AND locked_until < $1 AND attempts >= max_attempts \
           AND kind IN ({}) {lock})",
        kind_params(kinds, 2)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now);
    for k in kinds {
        q = q.bind(*k);
    }
    Ok(q.execute(exec).await?.rows_affected())
}

async fn claim_one<'c, E>(
    exec: E,
    backend: Backend,
    worker: &str,
    kinds: &[&str],
    now: i64,
    lease_ms: i64,
) -> Result<Option<Job>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let lock = backend.skip_locked();
    let sql = format!(
        "UPDATE jobs SET status = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM jobs WHERE kind IN ({}) AND \
           ((status = 'queued' AND run_at <= $3) OR (status = 'running' AND locked_until < $3 AND attempts < max_attempts)) \
           ORDER BY run_at, id LIMIT 1 {lock}) \
         RETURNING id, kind, payload, attempts, max_attempts",
        kind_params(kinds, 4)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(worker).bind(now + lease_ms).bind(now);
    for k in kinds {
        q = q.bind(*k);
    }
    let row = q.fetch_optional(exec).await?;
    Ok(match row {
        None => None,
        Some(r) => {
            let payload: String = r.get(2);
            Some(Job {
                id: r.get(0),
                kind: r.get(1),
                payload: serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null),
                attempts: r.get(3),
                max_attempts: r.get(4),
            })
        }
    })
}

/// Marks a job done, only if `worker` still holds it. Returns false when the
/// lease was lost (another worker took the job over).
pub async fn complete_in<'c, E>(exec: E, job_id: i64, worker: &str) -> Result<bool>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let done = sqlx::query("UPDATE jobs SET status = 'done', finished_at = $1, locked_until = NULL WHERE id = $2 AND status = 'running' AND locked_by = $3")
        .bind(now_ms())
        .bind(job_id)
        .bind(worker)
        .execute(exec)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn complete(db: &Db, job_id: i64, worker: &str) -> Result<bool> {
    complete_in(&db.pool, job_id, worker).await
}

/// Extends the lease of a job `worker` still holds, for long jobs that report
/// progress. Returns false when the lease was lost.
pub async fn heartbeat(db: &Db, job_id: i64, worker: &str, lease_ms: i64) -> Result<bool> {
    let done = sqlx::query("UPDATE jobs SET locked_until = $1 WHERE id = $2 AND status = 'running' AND locked_by = $3")
        .bind(now_ms() + lease_ms)
        .bind(job_id)
        .bind(worker)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives a job back unfinished (its worker is shutting down): queued again at
/// once, and the attempt it used is not counted against it.
pub async fn release(db: &Db, job_id: i64, worker: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'queued', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, \
         locked_by = NULL, locked_until = NULL WHERE id = $1 AND status = 'running' AND locked_by = $2",
    )
    .bind(job_id)
    .bind(worker)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a failure: retried with exponential backoff, or `dead` after `max_attempts`.
/// Only while `worker` still holds the job: a late failure after the job was
/// completed or taken over changes nothing (it must not re-queue done work).
pub async fn fail(db: &Db, job: &Job, worker: &str, error: &str) -> Result<()> {
    let now = now_ms();
    let backoff = 1000i64.saturating_mul(1i64 << job.attempts.clamp(0, 16));
    let status = if job.attempts >= job.max_attempts { "dead" } else { "queued" };
    let message: String = error.chars().take(2000).collect();
    sqlx::query("UPDATE jobs SET status = $1, run_at = $2, last_error = $3, locked_by = NULL, locked_until = NULL, finished_at = $4 WHERE id = $5 AND status = 'running' AND locked_by = $6")
        .bind(status)
        .bind(now + backoff)
        .bind(message)
        .bind(if status == "dead" { Some(now) } else { None })
        .bind(job.id)
        .bind(worker)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Counts of jobs by status (for health and tests).
pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>> {
    let rows =
        sqlx::query("SELECT status, COUNT(*) FROM jobs GROUP BY status ORDER BY status").fetch_all(&db.pool).await?;
    Ok(rows.into_iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// Counts by status of the jobs of `kinds`.
pub async fn counts_of(db: &Db, kinds: &[&str]) -> Result<Vec<(String, i64)>> {
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT status, COUNT(*) FROM jobs WHERE kind IN ({}) GROUP BY status ORDER BY status",
        kind_params(kinds, 1)
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for k in kinds {
        q = q.bind(*k);
    }
    Ok(q.fetch_all(&db.pool).await?.into_iter().map(|r| (r.get(0), r.get(1))).collect())
}
