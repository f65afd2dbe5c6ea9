//! cxm-store: persistence for cxm on SQLite (embedded default) and PostgreSQL.
//!
//! One SQL dialect through `sqlx::Any`: `$N` placeholders, BIGINT times
//! (Unix ms), BIGINT 0/1 flags, TEXT JSON. Backend differences are confined
//! to the DDL identity column and the job claim query.
//!
//! Architecture invariant: nothing here knows about HTTP; all writes of a
//! request or an import batch happen in one transaction, so a rejected batch
//! changes nothing.

pub mod auth;
pub mod export;
pub mod import;
pub mod jobs;
pub mod metrics;
mod migrate;
pub mod setup;
pub mod testkit;
pub mod text;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

pub use sqlx::AnyPool as Pool;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("unsupported database URL '{0}': use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("invalid input: {0}")]
    Invalid(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// A taxonomy that failed validation (the error names the aspect and field).
    #[error("invalid taxonomy: {0}")]
    Taxonomy(#[from] cxm_text::TaxonomyError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The clause that lets concurrent claimers pass over rows another holds
    /// (SQLite serializes writers, so it needs none).
    pub(crate) fn skip_locked(self) -> &'static str {
        match self {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        }
    }
}

/// A handle to the database: a connection pool plus which backend it is.
#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

impl Db {
    /// Connects and applies pending migrations.
    ///
    /// SQLite runs in WAL mode with `synchronous=FULL`, so an acknowledged
    /// commit survives `kill -9` and power loss alike.
    pub async fn connect(url: &str) -> Result<Db> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        let pool = match backend {
            Backend::Sqlite => {
                ensure_sqlite_parent_dir(url)?;
                AnyPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            conn.execute(
                                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; \
                                 PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; \
                                 PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; \
                                 PRAGMA wal_autocheckpoint=4000;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect_with(quiet(url.parse()?))
                    .await?
            }
            Backend::Postgres => {
                // sqlx 0.9's Any driver declares a NULL f64 as float4 (its Real and
                // Double arms are swapped), which poisons a cached prepared statement
                // for later non-NULL binds. Unnamed statements are typed per execution.
                let url = if url.contains("statement-cache-capacity") {
                    url.to_string()
                } else if url.contains('?') {
                    format!("{url}&statement-cache-capacity=0")
                } else {
                    format!("{url}?statement-cache-capacity=0")
                };
                AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(quiet(url.parse()?))
                    .await?
            }
        };
        let db = Db { pool, backend };
        migrate::run(&db).await?;
        Ok(db)
    }

    /// The SQLite URL for a file path, creating it when missing.
    pub fn sqlite_url(path: &std::path::Path) -> String {
        format!("sqlite://{}?mode=rwc", path.display())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Bulk statements are long by design; sqlx would log each one whole as "slow".
fn quiet(options: sqlx::any::AnyConnectOptions) -> sqlx::any::AnyConnectOptions {
    use sqlx::ConnectOptions;
    options.log_slow_statements(log::LevelFilter::Off, Duration::from_secs(3600)).log_statements(log::LevelFilter::Off)
}

fn ensure_sqlite_parent_dir(url: &str) -> Result<()> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:").split('?').next().unwrap_or("");
    if path.is_empty() || path.starts_with(":memory:") {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    Ok(())
}

/// A write transaction. On SQLite it takes the write lock up front
/// (`BEGIN IMMEDIATE`, waiting on busy_timeout), so a transaction that reads
/// before it writes cannot fail on the read-to-write upgrade.
pub(crate) async fn begin_write(db: &Db) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
    Ok(match db.backend {
        Backend::Sqlite => db.pool.begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => db.pool.begin().await?,
    })
}

/// Current time in Unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Day number (days since 1970-01-01 UTC) of a Unix-ms time.
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(86_400_000)
}

/// A random token of `bytes` bytes, hex-encoded (sessions, CSRF, API keys, invitations).
pub fn random_token(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| StoreError::Invalid(format!("no randomness: {e}")))?;
    Ok(hex::encode(buf))
}

/// SHA-256 of a secret token, hex; what we store instead of the token.
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}

/// Placeholders `(…), (…)` for a multi-row insert whose first parameter is
/// number `start`. SQLite gets positional `?`: it resolves `$N` names by a
/// linear scan per bind, which is quadratic in statements with many parameters.
pub(crate) fn values_placeholders(backend: Backend, rows: usize, cols: usize, start: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 7);
    let mut n = start;
    for r in 0..rows {
        if r > 0 {
            s.push(',');
        }
        s.push('(');
        s.push_str(&param_list(backend, n, cols));
        n += cols;
        s.push(')');
    }
    s
}

/// `count` comma-separated placeholders starting at parameter `start`.
pub(crate) fn param_list(backend: Backend, start: usize, count: usize) -> String {
    let mut s = String::with_capacity(count * 7);
    for i in 0..count {
        if i > 0 {
            s.push(',');
        }
        match backend {
            Backend::Sqlite => s.push('?'),
            Backend::Postgres => {
                s.push('$');
                s.push_str(&(start + i).to_string());
            }
        }
    }
    s
}

/// Rows per multi-row statement so that binds stay under both backends' limits.
pub(crate) fn rows_per_statement(cols: usize) -> usize {
    (30_000 / cols.max(1)).max(1)
}
