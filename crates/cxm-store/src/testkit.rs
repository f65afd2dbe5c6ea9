//! Fresh databases for tests: every test runs against a new SQLite file and,
//! when reachable, a new PostgreSQL database. With `CI` set, an unreachable
//! PostgreSQL is a failure, never a skip.

use crate::{Db, Result};

/// Where the PostgreSQL tests connect (a database to create others from).
pub fn postgres_admin_url() -> String {
    std::env::var("CXM_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

pub struct TestDb {
    pub db: Db,
    pub url: String,
    pub label: &'static str,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(std::path::PathBuf),
    Postgres(String),
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        crate::random_token(6).unwrap_or_else(|_| crate::now_ms().to_string())
    )
}

pub async fn sqlite() -> Result<TestDb> {
    let dir = std::env::temp_dir().join(unique("cxm_test"));
    std::fs::create_dir_all(&dir)?;
    let url = Db::sqlite_url(&dir.join("cxm.db"));
    let db = Db::connect(&url).await?;
    Ok(TestDb { db, url, label: "sqlite", cleanup: Cleanup::Dir(dir) })
}

/// A new, empty PostgreSQL database, or `None` when PostgreSQL is unreachable
/// outside CI. Panics in CI when it is unreachable.
pub async fn postgres() -> Option<TestDb> {
    let admin_url = postgres_admin_url();
    sqlx::any::install_default_drivers();
    let admin = match sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_secs(5))
        .connect(&admin_url)
        .await
    {
        Ok(p) => p,
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("CI is set and PostgreSQL at {admin_url} is unreachable: {e}");
            }
            eprintln!(
                "note: PostgreSQL at {admin_url} unreachable ({e}); PostgreSQL half of this test skipped outside CI"
            );
            return None;
        }
    };
    let name = unique("cxm_t");
    let created = sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await;
    admin.close().await;
    if let Err(e) = created {
        panic!("cannot create test database {name}: {e}");
    }
    let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin_url.clone());
    let url = format!("{base}/{name}");
    match Db::connect(&url).await {
        Ok(db) => Some(TestDb { db, url, label: "postgres", cleanup: Cleanup::Postgres(name) }),
        Err(e) => panic!("cannot open test database {url}: {e}"),
    }
}

/// SQLite, then PostgreSQL (when available): run the same test body on each.
pub async fn all() -> Vec<TestDb> {
    let mut out = vec![sqlite().await.unwrap_or_else(|e| panic!("cannot create a SQLite test database: {e}"))];
    if let Some(pg) = postgres().await {
        out.push(pg);
    }
    out
}

impl TestDb {
    /// Closes the pool and removes the database.
    pub async fn finish(self) {
        self.db.close().await;
        match self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres(name) => {
                if let Ok(admin) =
                    sqlx::any::AnyPoolOptions::new().max_connections(1).connect(&postgres_admin_url()).await
                {
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                        .execute(&admin)
                        .await;
                    admin.close().await;
                }
            }
        }
    }
}
