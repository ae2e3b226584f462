//! The operator's record, shared by every instance: each code sent (country, delivery,
//! whether it was verified, what Telnyx said it cost) and the provider's recent refusals.
//! The dashboard reads it; nothing here holds a full number or a code.

use super::{CodeId, StoreError};
use crate::{
    delivery_status::DeliveryStatus,
    server::domain::{clock::Millis, cost::Cost},
};
use async_trait::async_trait;
use serde::Serialize;

/// How long the record is kept: the dashboard's longest view, with a day to spare.
pub const KEEP_MILLIS: Millis = 8 * 86_400_000;

/// One code handed to the SMS provider.
#[derive(Debug, Clone)]
pub struct SendRecord {
    /// The code's id (a replaced code gets a new id, and a new record).
    pub code: CodeId,
    /// The provider's message id, when it gave one.
    pub message_id: Option<String>,
    /// ISO 3166 region of the destination.
    pub country: String,
    pub sent_at: Millis,
    pub cost: Option<Cost>,
}

/// A send the provider refused or failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProviderFailure {
    pub at: Millis,
    /// HTTP status, or 0 when there was none (timeout, no connection).
    pub status: u16,
    /// Telnyx's error code, when it gave one.
    pub code: Option<String>,
    /// What went wrong, in our words (never the provider's free text).
    pub reason: String,
    /// The destination, masked (`+1212***0123`).
    pub phone: String,
}

/// Totals for one destination country over a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CountryTotals {
    pub country: String,
    pub sent: u64,
    pub delivered: u64,
    pub failed: u64,
    pub verified: u64,
    /// Sum of reported costs, in millionths of `currency`.
    pub cost_micros: i64,
    pub currency: Option<String>,
}

/// Codes sent and verified in one slot of a timeline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Slot {
    pub sent: u64,
    pub verified: u64,
}

#[async_trait]
pub trait ActivityStore: Send + Sync + 'static {
    async fn record_send(&self, send: SendRecord) -> Result<(), StoreError>;

    /// The code `code` was verified at `at`.
    async fn record_verified(&self, code: CodeId, at: Millis) -> Result<(), StoreError>;

    /// A delivery report for `message_id`: the status moves only forward; a reported
    /// cost replaces an earlier one.
    async fn record_report(
        &self,
        message_id: &str,
        status: DeliveryStatus,
        cost: Option<Cost>,
    ) -> Result<(), StoreError>;

    async fn record_failure(&self, failure: ProviderFailure) -> Result<(), StoreError>;

    /// Totals per country of codes sent from `from` on, most sent first.
    async fn totals(&self, from: Millis) -> Result<Vec<CountryTotals>, StoreError>;

    /// Codes sent from `from` on, in `slots` slots of `width` each (oldest first).
    async fn timeline(
        &self,
        from: Millis,
        width: Millis,
        slots: usize,
    ) -> Result<Vec<Slot>, StoreError>;

    /// The latest `limit` provider failures, newest first.
    async fn failures(&self, limit: usize) -> Result<Vec<ProviderFailure>, StoreError>;

    /// Forgets what happened before `before`.
    async fn purge_activity(&self, before: Millis) -> Result<u64, StoreError>;
}
