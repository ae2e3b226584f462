//! What happened, told once to both audiences: the Prometheus metrics of this instance,
//! and the operator's record in the store that every instance shares (the `/admin`
//! dashboard). A failure to write the record is logged, never fails the request it
//! describes: the code went out either way.

use crate::{
    delivery_status::DeliveryStatus,
    server::{
        domain::{clock::Clock, cost::Cost, phone::PhoneNumber},
        metrics::Metrics,
        store::{
            activity::{ActivityStore, ProviderFailure, SendRecord},
            CodeId, StoreError,
        },
    },
};
use std::sync::Arc;

/// Country label of a number that did not parse.
const UNKNOWN_COUNTRY: &str = "unknown";

pub struct Activity {
    store: Arc<dyn ActivityStore>,
    metrics: Metrics,
    clock: Arc<dyn Clock>,
}

impl Activity {
    pub fn new(store: Arc<dyn ActivityStore>, metrics: Metrics, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            metrics,
            clock,
        }
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// The provider accepted a code for `phone` (stored as `code`) as `message_id`.
    pub async fn code_sent(
        &self,
        phone: &PhoneNumber,
        code: CodeId,
        message_id: &str,
        cost: Option<Cost>,
    ) {
        self.metrics.code_requested(phone.country(), "sent");
        self.record_send(phone, code, Some(message_id.to_string()), cost)
            .await;
    }

    /// The send to `phone` failed (HTTP `status` from the provider, 0 without an answer,
    /// and its error `code`) for `reason`. When the provider may have accepted it after
    /// all, the code was kept as `kept`.
    pub async fn send_failed(
        &self,
        phone: &PhoneNumber,
        (status, code): (u16, Option<&str>),
        reason: String,
        kept: Option<CodeId>,
    ) {
        let failure = ProviderFailure {
            at: self.clock.now(),
            status,
            code: code.map(str::to_string),
            reason,
            phone: phone.masked(),
        };
        logged(self.store.record_failure(failure).await);
        match kept {
            Some(code) => {
                self.metrics.code_requested(phone.country(), "send_unknown");
                self.record_send(phone, code, None, None).await;
            }
            None => self.metrics.code_requested(phone.country(), "send_failed"),
        }
    }

    async fn record_send(
        &self,
        phone: &PhoneNumber,
        code: CodeId,
        message_id: Option<String>,
        cost: Option<Cost>,
    ) {
        let record = SendRecord {
            code,
            message_id,
            country: phone.country().to_string(),
            sent_at: self.clock.now(),
            cost,
        };
        logged(self.store.record_send(record).await);
    }

    /// A code request named a number that does not parse.
    pub fn number_invalid(&self) {
        self.metrics.code_requested(UNKNOWN_COUNTRY, "invalid");
    }

    /// A code request for `phone` was refused by the limit `rule`.
    pub fn request_refused(&self, phone: &PhoneNumber, rule: &str) {
        self.metrics.code_requested(phone.country(), "refused");
        self.metrics.limit_refusal(rule);
    }

    /// A code check ended with `outcome`; a limit's refusal names its `rule`.
    pub fn checked(&self, outcome: &str, rule: Option<&str>) {
        self.metrics.verification(outcome);
        if let Some(rule) = rule {
            self.metrics.limit_refusal(rule);
        }
    }

    /// The code `code` was verified.
    pub async fn verified(&self, code: CodeId) {
        self.metrics.verification("verified");
        logged(self.store.record_verified(code, self.clock.now()).await);
    }

    /// A delivery report for `message_id` arrived.
    pub async fn delivery_reported(
        &self,
        message_id: &str,
        status: DeliveryStatus,
        cost: Option<Cost>,
    ) {
        self.metrics.delivery_report(status.as_str());
        logged(self.store.record_report(message_id, status, cost).await);
    }
}

fn logged(result: Result<(), StoreError>) {
    if let Err(error) = result {
        tracing::warn!(%error, "could not update the operator's record");
    }
}
