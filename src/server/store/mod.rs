//! Where state lives — pending codes, limit counters, sessions — behind traits, so that
//! the in-memory store and the durable, shared SQL stores behave the same.
//!
//! The operations are shaped for SQL: [`CodeStore::count_attempt`] is one
//! `UPDATE … SET attempts = attempts + 1 … RETURNING`, counted *before* the code is
//! compared, and [`CodeStore::consume`] is one conditional `UPDATE … WHERE consumed_at IS
//! NULL AND expires_at > now`, so concurrent guesses can't exceed the attempt limit and a
//! code can't be used twice, even across app instances.
//!
//! The attempt limit is enforced on the number each request's own `count_attempt`
//! returned, not on the row's count at consume time: that count also includes requests
//! that arrived later, and checking it would let 50 simultaneous *correct* submissions
//! all fail. Only requests numbered within the limit ever compare the code, so at most
//! `max_attempts` guesses are compared per code either way.
//!
//! Codes are keyed by their verification (the SHA-256 of its id), not by number: each
//! requester replaces only its own code.

pub mod activity;
mod memory;
mod memory_activity;
mod memory_oidc;
pub mod oidc;
mod postgres_writer;
mod purge;
mod sql;
mod sql_activity;
mod sql_oidc;
mod sqlite_writer;
mod statement;
mod write_queue;
#[cfg(test)]
mod writer_checks;

pub(crate) use memory::MemoryStore;
pub(crate) use memory_activity::MemoryActivity;
pub(crate) use purge::purge_every;
pub(crate) use sql::{Backend, SqlStore};

use crate::server::{
    domain::{
        clock::Millis, code_hash::CodeDigest, phone::PhoneNumber, verification::VerificationId,
    },
    metrics::Metrics,
};
use crate::{channel::Channel, delivery_status::DeliveryStatus};
use activity::ActivityStore;
use async_trait::async_trait;
use memory_oidc::MemoryOidc;
use oidc::OidcStore;
use std::sync::Arc;

/// Identifies one stored code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeId(pub i64);

impl CodeId {
    /// A fresh random id: chosen before the code is stored, so what refers to it (the
    /// send's record) can be written in the same commit; a new id for every code, so an
    /// attempt on an old code can never consume its replacement. Random, so instances
    /// sharing a database never pick the same one.
    pub fn random() -> Self {
        use rand::Rng;
        CodeId(rand::rng().random_range(1..i64::MAX))
    }

    /// A fresh id greater than every id this process handed out before: the time in
    /// milliseconds, then 20 random bits (so a restart with the clock set back does not
    /// repeat its ids). New rows go to the end of the B-trees keyed by it (a code's table
    /// and its send's record) rather than to a random page each: for SQLite, with one
    /// writing process, each commit writes a few pages instead of a page per row.
    pub fn increasing() -> Self {
        use rand::Rng;
        use std::sync::atomic::{AtomicI64, Ordering};
        static LAST: AtomicI64 = AtomicI64::new(0);
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_millis() as i64);
        // 43 bits of milliseconds last until the year 2248.
        let candidate = (millis << 20) | rand::rng().random_range(0..1 << 20);
        let next = |last: i64| candidate.max(last + 1);
        let last = LAST
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |last| {
                Some(next(last))
            })
            .unwrap_or_else(|last| last);
        CodeId(next(last))
    }
}

/// A code to store for a verification.
#[derive(Debug, Clone)]
pub struct NewCode {
    pub id: CodeId,
    pub verification: VerificationId,
    pub phone: PhoneNumber,
    pub digest: CodeDigest,
    pub created_at: Millis,
    pub expires_at: Millis,
    /// The provider's id of the message (or call) carrying it, when the provider gave one.
    pub message_id: Option<String>,
    pub channel: Channel,
}

impl NewCode {
    /// The status a code starts with: `queued` for an SMS, `calling` for a call.
    pub fn initial_status(&self) -> DeliveryStatus {
        match self.channel {
            Channel::Sms => DeliveryStatus::Queued,
            Channel::Voice => DeliveryStatus::Calling,
        }
    }
}

/// The pending code of a verification, as seen by one verification attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub id: CodeId,
    pub phone: PhoneNumber,
    pub digest: CodeDigest,
    /// Attempts counted so far, this one included.
    pub attempts: u32,
    pub created_at: Millis,
    pub expires_at: Millis,
    pub channel: Channel,
}

/// A verification's pending code, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub phone: PhoneNumber,
    pub created_at: Millis,
    pub expires_at: Millis,
    pub delivery: DeliveryStatus,
    pub channel: Channel,
}

/// A consecutive-failure counter after one more attempt was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    /// Attempts since the last success, this one included.
    pub count: u64,
    /// When the number's lockout ends, if it is locked.
    pub locked_until: Option<Millis>,
}

/// The store could not do what was asked (database down, disk full, ...).
#[derive(Debug, Clone, thiserror::Error)]
#[error("code store unavailable: {0}")]
pub struct StoreError(pub String);

#[async_trait]
pub trait CodeStore: Send + Sync + 'static {
    /// An id for a new code (see [`CodeId::random`]); a store whose writes are cheaper
    /// in key order hands out [`CodeId::increasing`] ones.
    fn new_id(&self) -> CodeId {
        CodeId::random()
    }

    /// Stores `code` as its verification's only code: any earlier one stops working.
    /// Answers its id.
    async fn replace(&self, code: NewCode) -> Result<CodeId, StoreError>;

    /// Deletes one code.
    async fn discard(&self, id: CodeId) -> Result<(), StoreError>;

    /// Takes back one attempt counted against the code `id` (by a request refused before
    /// it compared anything).
    async fn give_back_attempt(&self, id: CodeId) -> Result<(), StoreError>;

    /// Counts one attempt against the verification's unconsumed code and returns it with
    /// the new count; `None` when there is none. Concurrent calls each see a distinct count.
    async fn count_attempt(
        &self,
        verification: &VerificationId,
    ) -> Result<Option<Attempt>, StoreError>;

    /// Marks the code used if it is still unused and has not expired at `now`. Returns
    /// `true` for exactly one caller. Callers check their attempt number first.
    async fn consume(&self, id: CodeId, now: Millis) -> Result<bool, StoreError>;

    /// Deletes codes that expired or were used before `now`; returns how many.
    async fn purge(&self, now: Millis) -> Result<u64, StoreError>;

    /// Moves the delivery status of the code sent as `message_id` to `status` if that
    /// ranks higher than its current status; returns the code's number when it changed.
    async fn record_delivery(
        &self,
        message_id: &str,
        status: DeliveryStatus,
    ) -> Result<Option<PhoneNumber>, StoreError>;

    /// The verification's unused code, if it has one.
    async fn pending(&self, verification: &VerificationId) -> Result<Option<Pending>, StoreError>;

    /// Succeeds when the store answers and every migration this build embeds is applied.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Codes neither used nor expired at `now`.
    async fn count_pending(&self, now: Millis) -> Result<u64, StoreError>;
}

/// One counter to add to: its key, the start of its window, and how long it is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'a> {
    pub key: &'a str,
    pub window_start: Millis,
    pub expires_at: Millis,
}

/// Shared counters for rate limits, so limits hold across every app instance.
///
/// Counters use fixed windows keyed by their start; each [`LimitStore::hit`] is one
/// atomic upsert that returns the new count, so concurrent requests each see their own.
#[async_trait]
pub trait LimitStore: Send + Sync + 'static {
    /// Adds one to the counter of `key` for the window starting at `window_start`
    /// (kept until `expires_at`) and returns the new count.
    async fn hit(
        &self,
        key: &str,
        window_start: Millis,
        expires_at: Millis,
    ) -> Result<u64, StoreError> {
        let hit = Hit {
            key,
            window_start,
            expires_at,
        };
        self.hit_all(&[hit])
            .await?
            .first()
            .copied()
            .ok_or_else(|| StoreError("a counter went missing".into()))
    }

    /// Adds one to each counter (as [`LimitStore::hit`], all in one statement) and returns
    /// their new counts, in order.
    async fn hit_all(&self, hits: &[Hit<'_>]) -> Result<Vec<u64>, StoreError>;

    /// Takes back one from each counter (hits that a later refusal made moot).
    async fn release(&self, hits: &[Hit<'_>]) -> Result<(), StoreError>;

    /// The counter of `key` for the window starting at `window_start`, without adding.
    async fn count(&self, key: &str, window_start: Millis) -> Result<u64, StoreError>;

    /// Starts a cooldown on `key` until `until` unless one is running at `now`; returns
    /// `None` when started, or the end of the running cooldown.
    async fn start_cooldown(
        &self,
        key: &str,
        now: Millis,
        until: Millis,
    ) -> Result<Option<Millis>, StoreError>;

    /// The end of the cooldown running on `key` at `now`, if one is.
    async fn cooldown(&self, key: &str, now: Millis) -> Result<Option<Millis>, StoreError>;

    /// Ends any cooldown on `key`.
    async fn clear_cooldown(&self, key: &str) -> Result<(), StoreError>;

    /// The cooldowns running at `now` on keys starting with `prefix`, with their ends.
    async fn cooldowns(
        &self,
        prefix: &str,
        now: Millis,
    ) -> Result<Vec<(String, Millis)>, StoreError>;

    /// Counts one attempt on the consecutive-failure counter of `key` (starting it again
    /// if its lockout ended by `now`); the row is kept until `keep_until`.
    async fn count_failure(
        &self,
        key: &str,
        now: Millis,
        keep_until: Millis,
    ) -> Result<Failures, StoreError>;

    /// Locks `key` until `until`, unless it is locked already.
    async fn lock_failures(&self, key: &str, until: Millis) -> Result<(), StoreError>;

    /// Forgets `key`'s failures (a success).
    async fn reset_failures(&self, key: &str) -> Result<(), StoreError>;

    /// Counts one code sent to `country` in the minute starting at `minute` as sent, or
    /// (with `verified`) as verified.
    async fn record_conversion(
        &self,
        country: &str,
        minute: Millis,
        verified: bool,
    ) -> Result<(), StoreError>;

    /// Codes sent to `country` in minutes starting from `from` up to (not including) `to`,
    /// and how many of them were verified.
    async fn conversion(
        &self,
        country: &str,
        from: Millis,
        to: Millis,
    ) -> Result<(u64, u64), StoreError>;

    /// Deletes counters, cooldowns and failure rows that ended before `now`, and
    /// conversion minutes before `conversions_before`.
    async fn purge_limits(
        &self,
        now: Millis,
        conversions_before: Millis,
    ) -> Result<u64, StoreError>;
}

/// A live session: the verified number, and when it was verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub phone: PhoneNumber,
    pub started_at: Millis,
}

/// Server-side sessions, keyed by the SHA-256 of the cookie's random id.
#[async_trait]
pub trait SessionStore: Send + Sync + 'static {
    /// Starts a session for `phone`, verified at `started_at`, until `expires_at`.
    async fn create_session(
        &self,
        id_hash: &str,
        phone: &PhoneNumber,
        started_at: Millis,
        expires_at: Millis,
    ) -> Result<(), StoreError>;

    /// The session, if it exists and has not expired at `now`.
    async fn session(
        &self,
        id_hash: &str,
        now: Millis,
    ) -> Result<Option<SessionRecord>, StoreError>;

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError>;

    /// Deletes sessions that expired before `now`.
    async fn purge_sessions(&self, now: Millis) -> Result<u64, StoreError>;
}

/// The stores one `DATABASE_URL` opens.
#[derive(Clone)]
pub struct Stores {
    pub codes: Arc<dyn CodeStore>,
    pub limits: Arc<dyn LimitStore>,
    pub sessions: Arc<dyn SessionStore>,
    pub activity: Arc<dyn ActivityStore>,
    pub oidc: Arc<dyn OidcStore>,
}

/// Opens the store a `DATABASE_URL` names: `sqlite:…`, `postgres://…`, or `memory:`
/// (one process, nothing kept across restarts). SQL failures are counted in `metrics`.
pub async fn open(url: &str, max_connections: u32, metrics: Metrics) -> Result<Stores, StoreError> {
    if url.trim() == "memory:" {
        let store = Arc::new(MemoryStore::new());
        return Ok(Stores {
            codes: store.clone(),
            limits: store.clone(),
            sessions: store,
            activity: Arc::new(MemoryActivity::default()),
            oidc: Arc::new(MemoryOidc::default()),
        });
    }
    let store = Arc::new(SqlStore::connect(url, max_connections, metrics).await?);
    Ok(Stores {
        codes: store.clone(),
        limits: store.clone(),
        sessions: store.clone(),
        activity: store.clone(),
        oidc: store,
    })
}
