//! Users, sessions and API keys. Secrets (session tokens, API keys) are stored
//! only as SHA-256 hashes; passwords only as Argon2 PHC strings made by the caller.

use crate::{Db, Result, StoreError, now_ms, random_token, token_hash};
use cxm_core::model::Role;
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub workspace_id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub locale: String,
}

fn normalize_email(email: &str) -> Result<String> {
    let e = email.trim().to_lowercase();
    let valid = e.len() <= 254
        && e.split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.starts_with('.'))
        && !e.chars().any(char::is_whitespace);
    if valid { Ok(e) } else { Err(StoreError::Invalid(format!("'{email}' is not an email address"))) }
}

pub async fn create_user(
    db: &Db,
    workspace_id: i64,
    email: &str,
    name: &str,
    password_hash: &str,
    role: Role,
) -> Result<i64> {
    let email = normalize_email(email)?;
    let row = sqlx::query("INSERT INTO users (workspace_id, email, name, password_hash, role, created_at) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (email) DO NOTHING RETURNING id")
        .bind(workspace_id).bind(&email).bind(name).bind(password_hash).bind(role.as_str()).bind(now_ms())
        .fetch_optional(&db.pool).await?;
    row.map(|r| r.get::<i64, _>(0)).ok_or_else(|| StoreError::Conflict(format!("a user with email '{email}' exists")))
}

pub async fn set_password(db: &Db, email: &str, password_hash: &str) -> Result<()> {
    let email = normalize_email(email)?;
    let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE email = $2")
        .bind(password_hash)
        .bind(&email)
        .execute(&db.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound(format!("user '{email}'")));
    }
    // A changed password ends every open session of that user.
    sqlx::query("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE email = $1)")
        .bind(&email)
        .execute(&db.pool)
        .await?;
    Ok(())
}

fn user_from_row(r: &sqlx::any::AnyRow) -> Result<User> {
    let role: String = r.get(5);
    Ok(User {
        id: r.get(0),
        workspace_id: r.get(1),
        email: r.get(2),
        name: r.get(3),
        password_hash: r.get(4),
        role: role.parse().map_err(|e: cxm_core::model::UnknownValue| StoreError::Invalid(e.to_string()))?,
        locale: r.get(6),
    })
}

const USER_COLUMNS: &str = "u.id, u.workspace_id, u.email, u.name, u.password_hash, u.role, u.locale";

pub async fn user_by_email(db: &Db, email: &str) -> Result<Option<User>> {
    let Ok(email) = normalize_email(email) else { return Ok(None) };
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.email = $1 AND u.disabled = 0");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(email).fetch_optional(&db.pool).await?;
    row.as_ref().map(user_from_row).transpose()
}

pub async fn count_users(db: &Db) -> Result<i64> {
    Ok(sqlx::query("SELECT COUNT(*) FROM users").fetch_one(&db.pool).await?.get(0))
}

/// A live session: its user and the CSRF token bound to it.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
}

/// Creates a session; returns the secret token for the cookie (only its hash is stored).
pub async fn create_session(db: &Db, user_id: i64, ttl_ms: i64) -> Result<(String, String)> {
    let token = random_token(32)?;
    let csrf = random_token(32)?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1,$2,$3,$4,$5)",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(&csrf)
    .bind(now)
    .bind(now + ttl_ms)
    .execute(&db.pool)
    .await?;
    Ok((token, csrf))
}

pub async fn session(db: &Db, token: &str) -> Result<Option<Session>> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0"
    );
    let row =
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(token_hash(token)).bind(now_ms()).fetch_optional(&db.pool).await?;
    match row {
        None => Ok(None),
        Some(r) => Ok(Some(Session { user: user_from_row(&r)?, csrf_token: r.get(7) })),
    }
}

pub async fn delete_session(db: &Db, token: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash(token)).execute(&db.pool).await?;
    Ok(())
}

pub async fn set_locale(db: &Db, user_id: i64, locale: &str) -> Result<()> {
    if !matches!(locale, "zh" | "en") {
        return Err(StoreError::Invalid(format!("locale '{locale}' must be zh or en")));
    }
    sqlx::query("UPDATE users SET locale = $1 WHERE id = $2").bind(locale).bind(user_id).execute(&db.pool).await?;
    Ok(())
}

/// Creates an API key; returns the full secret once (`cxm_<prefix>_<secret>`).
pub async fn create_api_key(db: &Db, user: &User, name: &str) -> Result<String> {
    let prefix = random_token(4)?;
    let secret = format!("cxm_{prefix}_{}", random_token(24)?);
    sqlx::query(
        "INSERT INTO api_keys (workspace_id, user_id, name, prefix, key_hash, created_at) VALUES ($1,$2,$3,$4,$5,$6)",
    )
    .bind(user.workspace_id)
    .bind(user.id)
    .bind(name)
    .bind(&prefix)
    .bind(token_hash(&secret))
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    Ok(secret)
}

/// The user behind a valid, unrevoked API key.
pub async fn user_by_api_key(db: &Db, secret: &str) -> Result<Option<User>> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM api_keys k JOIN users u ON u.id = k.user_id \
         WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND u.disabled = 0"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(token_hash(secret)).fetch_optional(&db.pool).await?;
    row.as_ref().map(user_from_row).transpose()
}

pub async fn audit(
    db: &Db,
    workspace_id: i64,
    user_id: Option<i64>,
    action: &str,
    detail: &serde_json::Value,
) -> Result<()> {
    sqlx::query("INSERT INTO audit_log (workspace_id, user_id, action, detail, created_at) VALUES ($1,$2,$3,$4,$5)")
        .bind(workspace_id)
        .bind(user_id)
        .bind(action)
        .bind(detail.to_string())
        .bind(now_ms())
        .execute(&db.pool)
        .await?;
    Ok(())
}
