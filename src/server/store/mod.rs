//! Where pending codes live, behind one trait so that the in-memory store and durable,
//! shared stores behave the same.
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

mod memory;
mod purge;
mod sql;

pub(crate) use memory::MemoryStore;
pub(crate) use purge::purge_every;
pub(crate) use sql::{Backend, SqlStore};

use crate::delivery_status::DeliveryStatus;
use crate::server::domain::{clock::Millis, code_hash::CodeDigest, phone::PhoneNumber};
use async_trait::async_trait;
use std::sync::Arc;

/// Identifies one stored code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeId(pub i64);

/// A code to store for a number.
#[derive(Debug, Clone)]
pub struct NewCode {
    pub phone: PhoneNumber,
    pub digest: CodeDigest,
    pub created_at: Millis,
    pub expires_at: Millis,
}

/// The pending code for a number, as seen by one verification attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub id: CodeId,
    pub digest: CodeDigest,
    /// Attempts counted so far, this one included.
    pub attempts: u32,
    pub expires_at: Millis,
}

/// The store could not do what was asked (database down, disk full, ...).
#[derive(Debug, Clone, thiserror::Error)]
#[error("code store unavailable: {0}")]
pub struct StoreError(pub String);

#[async_trait]
pub trait CodeStore: Send + Sync + 'static {
    /// Stores `code` as the only pending code for its number: any earlier one stops working.
    async fn replace(&self, code: NewCode) -> Result<CodeId, StoreError>;

    /// Deletes one code, e.g. because sending it failed.
    async fn discard(&self, id: CodeId) -> Result<(), StoreError>;

    /// Counts one attempt against the unconsumed code for `phone` and returns it with the
    /// new count; `None` when there is none. Concurrent calls each see a distinct count.
    async fn count_attempt(&self, phone: &PhoneNumber) -> Result<Option<Attempt>, StoreError>;

    /// Marks the code used if it is still unused and has not expired at `now`. Returns
    /// `true` for exactly one caller. Callers check their attempt number first.
    async fn consume(&self, id: CodeId, now: Millis) -> Result<bool, StoreError>;

    /// Deletes codes that expired or were used before `now`; returns how many.
    async fn purge(&self, now: Millis) -> Result<u64, StoreError>;

    /// Records the provider's message id for a code that was sent.
    async fn attach_message(&self, id: CodeId, message_id: &str) -> Result<(), StoreError>;

    /// Moves the delivery status of the code sent as `message_id` to `status` if that
    /// ranks higher than its current status; returns the code's number when it changed.
    async fn record_delivery(
        &self,
        message_id: &str,
        status: DeliveryStatus,
    ) -> Result<Option<PhoneNumber>, StoreError>;

    /// The delivery status of the unused code pending for `phone`, if any.
    async fn delivery_status(
        &self,
        phone: &PhoneNumber,
    ) -> Result<Option<DeliveryStatus>, StoreError>;
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
    ) -> Result<u64, StoreError>;

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

    /// Ends any cooldown on `key`.
    async fn clear_cooldown(&self, key: &str) -> Result<(), StoreError>;

    /// Deletes counters and cooldowns that ended before `now`.
    async fn purge_limits(&self, now: Millis) -> Result<u64, StoreError>;
}

/// The stores one `DATABASE_URL` opens.
#[derive(Clone)]
pub struct Stores {
    pub codes: Arc<dyn CodeStore>,
    pub limits: Arc<dyn LimitStore>,
}

/// Opens the store a `DATABASE_URL` names: `sqlite:…`, `postgres://…`, or `memory:`
/// (one process, nothing kept across restarts).
pub async fn open(url: &str, max_connections: u32) -> Result<Stores, StoreError> {
    if url.trim() == "memory:" {
        let store = Arc::new(MemoryStore::new());
        return Ok(Stores {
            codes: store.clone(),
            limits: store,
        });
    }
    let store = Arc::new(SqlStore::connect(url, max_connections).await?);
    Ok(Stores {
        codes: store.clone(),
        limits: store,
    })
}
