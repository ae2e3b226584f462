//! The SQL code store on SQLite (one machine, the default) or PostgreSQL (several app
//! instances sharing one database), through sqlx's `Any` driver with one set of queries.
//!
//! Every operation is a single statement, so correctness under concurrency comes from the
//! database, not from a lock in this process: attempts are counted by one
//! `UPDATE … RETURNING`, a code is consumed by one conditional `UPDATE`, and a unique
//! partial index keeps at most one usable code per number.

use super::{Attempt, CodeId, CodeStore, LimitStore, NewCode, StoreError};
use crate::{
    delivery_status::DeliveryStatus,
    server::domain::{clock::Millis, phone::PhoneNumber},
};
use async_trait::async_trait;
use rand::Rng;
use sqlx::{
    any::{AnyPoolOptions, AnyRow},
    migrate::Migrator,
    AnyPool, Executor, Row,
};
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone)]
pub struct SqlStore {
    pool: AnyPool,
}

impl SqlStore {
    /// Connects, applies the embedded migrations, and returns the store.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let backend = Backend::of(url).ok_or_else(|| {
            StoreError("DATABASE_URL must start with sqlite:, postgres:// or memory:".into())
        })?;
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Readers don't block the writer; writers wait for each other.
                        connection.execute("PRAGMA journal_mode = WAL").await?;
                        connection.execute("PRAGMA busy_timeout = 5000").await?;
                        connection.execute("PRAGMA synchronous = NORMAL").await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .map_err(error)?;
        let migrations = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrations
            .run(&pool)
            .await
            .map_err(|e| StoreError(format!("migrations failed: {e}")))?;
        Ok(Self { pool })
    }
}

fn error(error: sqlx::Error) -> StoreError {
    StoreError(error.to_string())
}

fn stored_phone(e164: &str) -> Result<PhoneNumber, StoreError> {
    PhoneNumber::from_e164(e164)
        .map_err(|_| StoreError("a stored number is not in E.164 form".into()))
}

fn attempt(row: AnyRow) -> Result<Attempt, StoreError> {
    let digest: Vec<u8> = row.try_get("digest").map_err(error)?;
    Ok(Attempt {
        id: CodeId(row.try_get("id").map_err(error)?),
        digest: digest
            .try_into()
            .map_err(|_| StoreError("stored digest is not 32 bytes".into()))?,
        attempts: row
            .try_get::<i64, _>("attempts")
            .map_err(error)?
            .clamp(0, u32::MAX as i64) as u32,
        expires_at: row.try_get("expires_at").map_err(error)?,
    })
}

#[async_trait]
impl CodeStore for SqlStore {
    async fn replace(&self, code: NewCode) -> Result<CodeId, StoreError> {
        // A fresh id every time, so an attempt on the old code can never consume the new one.
        let id = CodeId(rand::rng().random_range(1..i64::MAX));
        sqlx::query(
            "INSERT INTO codes (id, phone, digest, attempts, created_at, expires_at) \
             VALUES ($1, $2, $3, 0, $4, $5) \
             ON CONFLICT (phone) WHERE consumed_at IS NULL DO UPDATE SET \
             id = excluded.id, digest = excluded.digest, attempts = 0, \
             created_at = excluded.created_at, expires_at = excluded.expires_at, \
             message_id = NULL, delivery_status = 'queued', delivery_rank = 0",
        )
        .bind(id.0)
        .bind(code.phone.as_e164().to_string())
        .bind(code.digest.to_vec())
        .bind(code.created_at)
        .bind(code.expires_at)
        .execute(&self.pool)
        .await
        .map_err(error)?;
        Ok(id)
    }

    async fn discard(&self, id: CodeId) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM codes WHERE id = $1")
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(error)?;
        Ok(())
    }

    async fn count_attempt(&self, phone: &PhoneNumber) -> Result<Option<Attempt>, StoreError> {
        sqlx::query(
            "UPDATE codes SET attempts = attempts + 1 \
             WHERE phone = $1 AND consumed_at IS NULL \
             RETURNING id, digest, attempts, expires_at",
        )
        .bind(phone.as_e164().to_string())
        .fetch_optional(&self.pool)
        .await
        .map_err(error)?
        .map(attempt)
        .transpose()
    }

    async fn consume(&self, id: CodeId, now: Millis) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "UPDATE codes SET consumed_at = $1 \
             WHERE id = $2 AND consumed_at IS NULL AND expires_at > $1",
        )
        .bind(now)
        .bind(id.0)
        .execute(&self.pool)
        .await
        .map_err(error)?;
        Ok(result.rows_affected() == 1)
    }

    async fn purge(&self, now: Millis) -> Result<u64, StoreError> {
        let result = sqlx::query("DELETE FROM codes WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(error)?;
        Ok(result.rows_affected())
    }

    async fn attach_message(&self, id: CodeId, message_id: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE codes SET message_id = $1 WHERE id = $2")
            .bind(message_id.to_string())
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(error)?;
        Ok(())
    }

    async fn record_delivery(
        &self,
        message_id: &str,
        status: DeliveryStatus,
    ) -> Result<Option<PhoneNumber>, StoreError> {
        let phone: Option<String> = sqlx::query_scalar(
            "UPDATE codes SET delivery_status = $1, delivery_rank = $2 \
             WHERE message_id = $3 AND delivery_rank < $2 RETURNING phone",
        )
        .bind(status.as_str())
        .bind(status.rank())
        .bind(message_id.to_string())
        .fetch_optional(&self.pool)
        .await
        .map_err(error)?;
        phone.map(|phone| stored_phone(&phone)).transpose()
    }

    async fn delivery_status(
        &self,
        phone: &PhoneNumber,
    ) -> Result<Option<DeliveryStatus>, StoreError> {
        let status: Option<String> = sqlx::query_scalar(
            "SELECT delivery_status FROM codes WHERE phone = $1 AND consumed_at IS NULL",
        )
        .bind(phone.as_e164().to_string())
        .fetch_optional(&self.pool)
        .await
        .map_err(error)?;
        // The column holds only what `record_delivery` wrote (or the default, `queued`).
        Ok(status.as_deref().and_then(DeliveryStatus::parse))
    }
}

#[async_trait]
impl LimitStore for SqlStore {
    async fn hit(
        &self,
        key: &str,
        window_start: Millis,
        expires_at: Millis,
    ) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar(
            "INSERT INTO limit_counters (key, window_start, count, expires_at) VALUES ($1, $2, 1, $3) \
             ON CONFLICT (key, window_start) DO UPDATE SET count = limit_counters.count + 1 \
             RETURNING count",
        )
        .bind(key.to_string())
        .bind(window_start)
        .bind(expires_at)
        .fetch_one(&self.pool)
        .await
        .map_err(error)?;
        Ok(count.max(0) as u64)
    }

    async fn count(&self, key: &str, window_start: Millis) -> Result<u64, StoreError> {
        let count: Option<i64> = sqlx::query_scalar(
            "SELECT count FROM limit_counters WHERE key = $1 AND window_start = $2",
        )
        .bind(key.to_string())
        .bind(window_start)
        .fetch_optional(&self.pool)
        .await
        .map_err(error)?;
        Ok(count.unwrap_or(0).max(0) as u64)
    }

    async fn start_cooldown(
        &self,
        key: &str,
        now: Millis,
        until: Millis,
    ) -> Result<Option<Millis>, StoreError> {
        let started = sqlx::query(
            "INSERT INTO cooldowns (key, until) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET until = excluded.until WHERE cooldowns.until <= $3",
        )
        .bind(key.to_string())
        .bind(until)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(error)?
        .rows_affected()
            == 1;
        if started {
            return Ok(None);
        }
        let running: Option<i64> = sqlx::query_scalar("SELECT until FROM cooldowns WHERE key = $1")
            .bind(key.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(error)?;
        Ok(Some(running.unwrap_or(until)))
    }

    async fn clear_cooldown(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM cooldowns WHERE key = $1")
            .bind(key.to_string())
            .execute(&self.pool)
            .await
            .map_err(error)?;
        Ok(())
    }

    async fn purge_limits(&self, now: Millis) -> Result<u64, StoreError> {
        let counters = sqlx::query("DELETE FROM limit_counters WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(error)?
            .rows_affected();
        let cooldowns = sqlx::query("DELETE FROM cooldowns WHERE until <= $1")
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(error)?
            .rows_affected();
        Ok(counters + cooldowns)
    }
}
