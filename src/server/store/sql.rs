//! The SQL code store on SQLite (one machine, the default) or PostgreSQL (several app
//! instances sharing one database), through sqlx's `Any` driver with one set of queries.
//!
//! Every operation is a single statement, so correctness under concurrency comes from the
//! database, not from a lock in this process: attempts are counted by one
//! `UPDATE … RETURNING`, a code is consumed by one conditional `UPDATE`, and a unique
//! partial index keeps at most one usable code per number.

use super::{
    postgres_writer::PgWriter,
    sqlite_writer::{Writer, CONNECTION_PRAGMAS},
    statement::{Column, Outcome, ReadRow, Row, Statement, Want},
    Attempt, CodeId, CodeStore, Failures, Hit, LimitStore, NewCode, Pending, SessionRecord,
    SessionStore, StoreError,
};
use crate::{
    channel::Channel,
    delivery_status::DeliveryStatus,
    server::{
        domain::{clock::Millis, phone::PhoneNumber, verification::VerificationId},
        metrics::Metrics,
    },
};
use async_trait::async_trait;
use sqlx::{any::AnyPoolOptions, migrate::Migrator, AnyPool, Connection, Executor, Row as _};
use std::time::Duration;

/// A pooled connection idle this long is pinged before it is used (a fresher one is
/// trusted: the statement it runs finds out).
const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(1);

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

/// The group-committing writer of each database.
#[derive(Debug, Clone)]
enum GroupWriter {
    /// A thread with a connection of its own.
    Sqlite(Writer),
    /// A few tasks on the pool's connections.
    Postgres(PgWriter),
}

impl GroupWriter {
    /// Runs `statement` in the writer's next group; answers once that group committed.
    async fn run(&self, statement: Statement, want: Want) -> Result<Outcome<Row>, String> {
        match self {
            GroupWriter::Sqlite(writer) => Ok(writer.run(statement, want).await?.map(Row::Writer)),
            GroupWriter::Postgres(writer) => Ok(writer.run(statement, want).await?.map(Row::Pool)),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SqlStore {
    pub(super) pool: AnyPool,
    /// What commits the hot path's writes in groups.
    writer: GroupWriter,
    /// Migrations this build embeds for its database.
    migrations: usize,
    metrics: Metrics,
}

impl SqlStore {
    /// Connects, applies the embedded migrations, and returns the store, which counts its
    /// failures in `metrics`.
    pub async fn connect(
        url: &str,
        max_connections: u32,
        metrics: Metrics,
    ) -> Result<Self, StoreError> {
        let backend = Backend::of(url).ok_or_else(|| {
            StoreError("DATABASE_URL must start with sqlite:, postgres:// or memory:".into())
        })?;
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(5))
            // sqlx pings every connection it hands out, and again when it comes back: on
            // PostgreSQL, two round trips besides each use's own. Only a connection that
            // sat idle a while is pinged before use; one that died fails its statement,
            // and the ping on its return drops it.
            .test_before_acquire(false)
            .before_acquire(|connection, meta| {
                Box::pin(async move {
                    if meta.idle_for >= PING_WHEN_IDLE_FOR {
                        connection.ping().await?;
                    }
                    Ok(true)
                })
            })
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        for pragma in CONNECTION_PRAGMAS {
                            connection.execute(pragma).await?;
                        }
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
        let writer = match backend {
            Backend::Sqlite => GroupWriter::Sqlite(
                Writer::start(&database_file(&pool).await?).map_err(StoreError)?,
            ),
            Backend::Postgres => {
                GroupWriter::Postgres(PgWriter::start(url).await.map_err(StoreError)?)
            }
        };
        Ok(Self {
            pool,
            writer,
            migrations: migrations.iter().count(),
            metrics,
        })
    }

    /// Runs a writing statement through the group-committing writer of its database.
    /// Answers how many rows it changed.
    pub(super) async fn write(&self, statement: Statement) -> Result<u64, StoreError> {
        self.writer
            .run(statement, Want::Changed)
            .await
            .map(Outcome::changed)
            .map_err(|why| self.failed_because(why))
    }

    /// [`SqlStore::write`] for a statement that returns at most one row.
    pub(super) async fn write_returning(
        &self,
        statement: Statement,
    ) -> Result<Option<Row>, StoreError> {
        Ok(self
            .write_returning_all(statement)
            .await?
            .into_iter()
            .next())
    }

    /// [`SqlStore::write`] for a statement that returns rows.
    pub(super) async fn write_returning_all(
        &self,
        statement: Statement,
    ) -> Result<Vec<Row>, StoreError> {
        self.writer
            .run(statement, Want::Rows)
            .await
            .map(Outcome::rows)
            .map_err(|why| self.failed_because(why))
    }

    /// Reads at most one row, for the request at hand: on SQLite on the writer's own
    /// connection (no hand-off to a pool's thread; answered once its group commits, so
    /// it never shows what was not committed), on PostgreSQL from the pool.
    pub(super) async fn read(&self, statement: Statement) -> Result<Option<Row>, StoreError> {
        if let GroupWriter::Sqlite(_) = self.writer {
            return self.write_returning(statement).await;
        }
        statement
            .query()
            .fetch_optional(&self.pool)
            .await
            .map(|row| row.map(Row::Pool))
            .map_err(|e| self.failed(e))
    }

    /// Runs each `DELETE` with its one bound value; returns how many rows went.
    pub(super) async fn delete_each(
        &self,
        statements: &[(&'static str, Millis)],
    ) -> Result<u64, StoreError> {
        let mut deleted = 0;
        for (statement, bound) in statements {
            deleted += self.write(Statement::new(statement).bind(*bound)).await?;
        }
        Ok(deleted)
    }

    /// A failed statement: counted, then reported.
    pub(super) fn failed(&self, failure: sqlx::Error) -> StoreError {
        self.failed_because(failure.to_string())
    }

    /// [`SqlStore::failed`], with the reason in words.
    fn failed_because(&self, why: String) -> StoreError {
        self.metrics.store_error();
        StoreError(why)
    }
}

/// The file of the SQLite database the pool is connected to.
async fn database_file(pool: &AnyPool) -> Result<std::path::PathBuf, StoreError> {
    let file: String =
        sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(pool)
            .await
            .map_err(error)?;
    if file.is_empty() {
        return Err(StoreError("the SQLite database must be a file".into()));
    }
    Ok(file.into())
}

fn error(error: sqlx::Error) -> StoreError {
    StoreError(error.to_string())
}

/// The statement that counts `hits` limit hits at once, built once for each number of
/// hits (a handful: one per limit that applies to a request) and kept for good, as the
/// writer needs statements that live as long as the program.
fn hit_all_statement(hits: usize) -> &'static str {
    use std::{
        collections::HashMap,
        sync::{Mutex, OnceLock},
    };
    static BUILT: OnceLock<Mutex<HashMap<usize, &'static str>>> = OnceLock::new();
    let mut built = BUILT
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    built.entry(hits).or_insert_with(|| {
        let values: Vec<String> = (0..hits)
            .map(|i| format!("(${}, ${}, 1, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
            .collect();
        String::leak(format!(
            "INSERT INTO limit_counters (key, window_start, count, expires_at) VALUES {} \
             ON CONFLICT (key, window_start) DO UPDATE SET count = limit_counters.count + 1 \
             RETURNING key, window_start, count",
            values.join(", ")
        ))
    })
}

/// A column of a row (the pool's or the writer's), or the store error that says why it
/// can't be read.
pub(super) fn column<T: Column>(row: &impl ReadRow, name: &str) -> Result<T, StoreError> {
    row.read(name).map_err(StoreError)
}

fn stored_phone(e164: &str) -> Result<PhoneNumber, StoreError> {
    PhoneNumber::from_e164(e164)
        .map_err(|_| StoreError("a stored number is not in E.164 form".into()))
}

fn attempt(row: Row) -> Result<Attempt, StoreError> {
    let digest: Vec<u8> = column(&row, "digest")?;
    let phone: String = column(&row, "phone")?;
    Ok(Attempt {
        id: CodeId(column(&row, "id")?),
        phone: stored_phone(&phone)?,
        digest: digest
            .try_into()
            .map_err(|_| StoreError("stored digest is not 32 bytes".into()))?,
        attempts: column::<i64>(&row, "attempts")?.clamp(0, u32::MAX as i64) as u32,
        created_at: column(&row, "created_at")?,
        expires_at: column(&row, "expires_at")?,
        channel: stored_channel(&row)?,
    })
}

/// The `channel` column (only ever written from a [`Channel`]).
fn stored_channel(row: &impl ReadRow) -> Result<Channel, StoreError> {
    let channel: String = column(row, "channel")?;
    Channel::parse(&channel).ok_or_else(|| StoreError(format!("unknown channel {channel:?}")))
}

/// A SQL count as a count (never negative).
pub(super) fn count(value: i64) -> u64 {
    value.max(0) as u64
}

#[async_trait]
impl CodeStore for SqlStore {
    /// On SQLite, one process writes: its ids can increase (see [`CodeId::increasing`]).
    fn new_id(&self) -> CodeId {
        match self.writer {
            GroupWriter::Sqlite(_) => CodeId::increasing(),
            GroupWriter::Postgres(_) => CodeId::random(),
        }
    }

    async fn replace(&self, code: NewCode) -> Result<CodeId, StoreError> {
        let id = code.id;
        self.write(Statement::new(
            "INSERT INTO codes (id, verification, phone, digest, attempts, created_at, expires_at, \
             message_id, delivery_status, delivery_rank, channel) \
             VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, 0, $9) \
             ON CONFLICT (verification) DO UPDATE SET \
             id = excluded.id, phone = excluded.phone, digest = excluded.digest, attempts = 0, \
             created_at = excluded.created_at, expires_at = excluded.expires_at, \
             consumed_at = NULL, message_id = excluded.message_id, \
             delivery_status = excluded.delivery_status, delivery_rank = 0, \
             channel = excluded.channel",
        )
        .bind(code.id.0)
        .bind(code.verification.store_key())
        .bind(code.phone.as_e164().to_string())
        .bind(code.digest.to_vec())
        .bind(code.created_at)
        .bind(code.expires_at)
        .bind(code.message_id.clone())
        .bind(code.initial_status().as_str())
        .bind(code.channel.as_str())
        )
        .await?;
        Ok(id)
    }

    async fn discard(&self, id: CodeId) -> Result<(), StoreError> {
        self.write(Statement::new("DELETE FROM codes WHERE id = $1").bind(id.0))
            .await?;
        Ok(())
    }

    async fn count_attempt(
        &self,
        verification: &VerificationId,
    ) -> Result<Option<Attempt>, StoreError> {
        self.write_returning(
            Statement::new(
                "UPDATE codes SET attempts = attempts + 1 \
             WHERE verification = $1 AND consumed_at IS NULL \
             RETURNING id, phone, digest, attempts, created_at, expires_at, channel",
            )
            .bind(verification.store_key()),
        )
        .await?
        .map(attempt)
        .transpose()
    }

    async fn give_back_attempt(&self, id: CodeId) -> Result<(), StoreError> {
        self.write(
            Statement::new(
                "UPDATE codes SET attempts = attempts - 1 WHERE id = $1 AND attempts > 0",
            )
            .bind(id.0),
        )
        .await?;
        Ok(())
    }

    async fn consume(&self, id: CodeId, now: Millis) -> Result<bool, StoreError> {
        let result = self
            .write(
                Statement::new(
                    "UPDATE codes SET consumed_at = $1 \
             WHERE id = $2 AND consumed_at IS NULL AND expires_at > $1",
                )
                .bind(now)
                .bind(id.0),
            )
            .await?;
        Ok(result == 1)
    }

    async fn purge(&self, now: Millis) -> Result<u64, StoreError> {
        self.write(Statement::new("DELETE FROM codes WHERE expires_at <= $1").bind(now))
            .await
    }

    async fn record_delivery(
        &self,
        message_id: &str,
        status: DeliveryStatus,
    ) -> Result<Option<PhoneNumber>, StoreError> {
        let row = self
            .write_returning(
                Statement::new(
                    "UPDATE codes SET delivery_status = $1, delivery_rank = $2 \
                     WHERE message_id = $3 AND delivery_rank < $2 RETURNING phone",
                )
                .bind(status.as_str())
                .bind(status.rank())
                .bind(message_id.to_string()),
            )
            .await?;
        row.map(|row| stored_phone(&column::<String>(&row, "phone")?))
            .transpose()
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let applied: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(&self.pool)
                .await
                .map_err(|e| self.failed(e))?;
        if applied < self.migrations as i64 {
            return Err(StoreError(format!(
                "{applied} of {} migrations applied",
                self.migrations
            )));
        }
        Ok(())
    }

    async fn count_pending(&self, now: Millis) -> Result<u64, StoreError> {
        let pending: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM codes WHERE consumed_at IS NULL AND expires_at > $1",
        )
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| self.failed(e))?;
        Ok(count(pending))
    }

    async fn pending(&self, verification: &VerificationId) -> Result<Option<Pending>, StoreError> {
        let row = self
            .read(
                Statement::new(
                    "SELECT phone, created_at, expires_at, delivery_status, channel FROM codes \
                     WHERE verification = $1 AND consumed_at IS NULL",
                )
                .bind(verification.store_key()),
            )
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let phone: String = column(&row, "phone")?;
        let status: String = column(&row, "delivery_status")?;
        Ok(Some(Pending {
            phone: stored_phone(&phone)?,
            created_at: column(&row, "created_at")?,
            expires_at: column(&row, "expires_at")?,
            channel: stored_channel(&row)?,
            // The column holds only what `record_delivery` wrote (or the default, `queued`).
            delivery: DeliveryStatus::parse(&status).unwrap_or(DeliveryStatus::Queued),
        }))
    }
}

#[async_trait]
impl LimitStore for SqlStore {
    async fn hit_all(&self, hits: &[Hit<'_>]) -> Result<Vec<u64>, StoreError> {
        if hits.is_empty() {
            return Ok(vec![]);
        }
        let mut query = Statement::new(hit_all_statement(hits.len()));
        for hit in hits {
            query = query
                .bind(hit.key.to_string())
                .bind(hit.window_start)
                .bind(hit.expires_at);
        }
        let rows = self.write_returning_all(query).await?;
        // RETURNING's order is not the VALUES' order: match rows to hits.
        let returned = rows
            .iter()
            .map(|row| {
                Ok((
                    column::<String>(row, "key")?,
                    column::<Millis>(row, "window_start")?,
                    count(column(row, "count")?),
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        hits.iter()
            .map(|hit| {
                returned
                    .iter()
                    .find(|(key, start, _)| key == hit.key && *start == hit.window_start)
                    .map(|(_, _, count)| *count)
                    .ok_or_else(|| StoreError("a counter went missing".into()))
            })
            .collect()
    }

    async fn release(&self, hits: &[Hit<'_>]) -> Result<(), StoreError> {
        for hit in hits {
            self.write(
                Statement::new(
                    "UPDATE limit_counters SET count = count - 1 \
                 WHERE key = $1 AND window_start = $2 AND count > 0",
                )
                .bind(hit.key.to_string())
                .bind(hit.window_start),
            )
            .await?;
        }
        Ok(())
    }

    async fn count(&self, key: &str, window_start: Millis) -> Result<u64, StoreError> {
        let row = self
            .read(
                Statement::new(
                    "SELECT count FROM limit_counters WHERE key = $1 AND window_start = $2",
                )
                .bind(key.to_string())
                .bind(window_start),
            )
            .await?;
        Ok(count(
            row.map(|row| column(&row, "count"))
                .transpose()?
                .unwrap_or(0),
        ))
    }

    async fn start_cooldown(
        &self,
        key: &str,
        now: Millis,
        until: Millis,
    ) -> Result<Option<Millis>, StoreError> {
        let started = self
            .write(
                Statement::new(
                    "INSERT INTO cooldowns (key, until) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET until = excluded.until WHERE cooldowns.until <= $3",
                )
                .bind(key.to_string())
                .bind(until)
                .bind(now),
            )
            .await?
            == 1;
        if started {
            return Ok(None);
        }
        let running = self
            .read(
                Statement::new("SELECT until FROM cooldowns WHERE key = $1").bind(key.to_string()),
            )
            .await?;
        Ok(Some(
            running
                .map(|row| column(&row, "until"))
                .transpose()?
                .unwrap_or(until),
        ))
    }

    async fn cooldown(&self, key: &str, now: Millis) -> Result<Option<Millis>, StoreError> {
        self.read(
            Statement::new("SELECT until FROM cooldowns WHERE key = $1 AND until > $2")
                .bind(key.to_string())
                .bind(now),
        )
        .await?
        .map(|row| column(&row, "until"))
        .transpose()
    }

    async fn clear_cooldown(&self, key: &str) -> Result<(), StoreError> {
        self.write(Statement::new("DELETE FROM cooldowns WHERE key = $1").bind(key.to_string()))
            .await?;
        Ok(())
    }

    async fn cooldowns(
        &self,
        prefix: &str,
        now: Millis,
    ) -> Result<Vec<(String, Millis)>, StoreError> {
        let rows = sqlx::query(
            "SELECT key, until FROM cooldowns \
             WHERE substr(key, 1, length($1)) = $1 AND until > $2 ORDER BY key",
        )
        .bind(prefix.to_string())
        .bind(now)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.failed(e))?;
        rows.into_iter()
            .map(|row| {
                Ok((
                    row.try_get("key").map_err(error)?,
                    row.try_get("until").map_err(error)?,
                ))
            })
            .collect()
    }

    async fn count_failure(
        &self,
        key: &str,
        now: Millis,
        keep_until: Millis,
    ) -> Result<Failures, StoreError> {
        let row = self.write_returning(Statement::new(
            "INSERT INTO failures (key, count, locked_until, expires_at) VALUES ($1, 1, 0, $3) \
             ON CONFLICT (key) DO UPDATE SET \
             count = CASE WHEN failures.locked_until <> 0 AND failures.locked_until <= $2 \
                     THEN 1 ELSE failures.count + 1 END, \
             locked_until = CASE WHEN failures.locked_until <> 0 AND failures.locked_until <= $2 \
                     THEN 0 ELSE failures.locked_until END, \
             expires_at = $3 \
             RETURNING count, locked_until",
        )
        .bind(key.to_string())
        .bind(now)
        .bind(keep_until))
        .await?
        .ok_or_else(|| StoreError("a failure count went missing".into()))?;
        let locked_until: i64 = column(&row, "locked_until")?;
        Ok(Failures {
            count: count(column(&row, "count")?),
            locked_until: (locked_until != 0).then_some(locked_until),
        })
    }

    async fn lock_failures(&self, key: &str, until: Millis) -> Result<(), StoreError> {
        self.write(
            Statement::new(
                "UPDATE failures SET locked_until = $2 WHERE key = $1 AND locked_until = 0",
            )
            .bind(key.to_string())
            .bind(until),
        )
        .await?;
        Ok(())
    }

    async fn reset_failures(&self, key: &str) -> Result<(), StoreError> {
        self.write(Statement::new("DELETE FROM failures WHERE key = $1").bind(key.to_string()))
            .await?;
        Ok(())
    }

    async fn record_conversion(
        &self,
        country: &str,
        minute: Millis,
        verified: bool,
    ) -> Result<(), StoreError> {
        self.write(Statement::new(
            "INSERT INTO conversions (country, minute, sent, verified) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (country, minute) DO UPDATE SET \
             sent = conversions.sent + excluded.sent, \
             verified = conversions.verified + excluded.verified",
        )
        .bind(country.to_string())
        .bind(minute)
        .bind(i64::from(!verified))
        .bind(i64::from(verified))
        )
        .await?;
        Ok(())
    }

    async fn conversion(
        &self,
        country: &str,
        from: Millis,
        to: Millis,
    ) -> Result<(u64, u64), StoreError> {
        let row = self
            .read(
                Statement::new(
                    "SELECT CAST(COALESCE(SUM(sent), 0) AS BIGINT) AS sent, \
                     CAST(COALESCE(SUM(verified), 0) AS BIGINT) AS verified \
                     FROM conversions WHERE country = $1 AND minute >= $2 AND minute < $3",
                )
                .bind(country.to_string())
                .bind(from)
                .bind(to),
            )
            .await?
            .ok_or_else(|| StoreError("a sum returned no row".into()))?;
        Ok((
            count(column(&row, "sent")?),
            count(column(&row, "verified")?),
        ))
    }

    async fn purge_limits(
        &self,
        now: Millis,
        conversions_before: Millis,
    ) -> Result<u64, StoreError> {
        self.delete_each(&[
            ("DELETE FROM limit_counters WHERE expires_at <= $1", now),
            ("DELETE FROM cooldowns WHERE until <= $1", now),
            (
                "DELETE FROM failures WHERE expires_at <= $1 AND locked_until <= $1",
                now,
            ),
            (
                "DELETE FROM conversions WHERE minute < $1",
                conversions_before,
            ),
        ])
        .await
    }
}

#[async_trait]
impl SessionStore for SqlStore {
    async fn create_session(
        &self,
        id_hash: &str,
        phone: &PhoneNumber,
        started_at: Millis,
        expires_at: Millis,
    ) -> Result<(), StoreError> {
        self.write(Statement::new(
            "INSERT INTO sessions (id_hash, phone, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id_hash.to_string())
        .bind(phone.as_e164().to_string())
        .bind(started_at)
        .bind(expires_at)
        )
        .await?;
        Ok(())
    }

    async fn session(
        &self,
        id_hash: &str,
        now: Millis,
    ) -> Result<Option<SessionRecord>, StoreError> {
        let row = self
            .read(
                Statement::new(
                    "SELECT phone, created_at FROM sessions WHERE id_hash = $1 AND expires_at > $2",
                )
                .bind(id_hash.to_string())
                .bind(now),
            )
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let phone: String = column(&row, "phone")?;
        Ok(Some(SessionRecord {
            phone: stored_phone(&phone)?,
            started_at: column(&row, "created_at")?,
        }))
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        self.write(
            Statement::new("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash.to_string()),
        )
        .await?;
        Ok(())
    }

    async fn purge_sessions(&self, now: Millis) -> Result<u64, StoreError> {
        Ok(self
            .write(Statement::new("DELETE FROM sessions WHERE expires_at <= $1").bind(now))
            .await?)
    }
}
