//! The one code path that records delivery statuses (used by the signed webhook and by
//! the dev outbox's simulation). A failed delivery ends the number's resend cooldown, so
//! the person can retry at once.

use crate::{
    delivery_status::DeliveryStatus,
    server::{
        limits::Limiter,
        store::{CodeStore, StoreError},
    },
};
use std::sync::Arc;

/// Records delivery reports against the codes they belong to.
pub struct DeliveryTracker {
    store: Arc<dyn CodeStore>,
    limiter: Arc<Limiter>,
}

impl DeliveryTracker {
    pub fn new(store: Arc<dyn CodeStore>, limiter: Arc<Limiter>) -> Self {
        Self { store, limiter }
    }

    /// Records `status` for `message_id`. Duplicates and out-of-order reports are
    /// harmless: the store only moves a status forward.
    pub async fn record(&self, message_id: &str, status: DeliveryStatus) -> Result<(), StoreError> {
        let Some(phone) = self.store.record_delivery(message_id, status).await? else {
            return Ok(());
        };
        tracing::info!(phone = %phone, status = status.as_str(), "delivery status");
        if status.is_failure() {
            self.limiter.end_cooldown(&phone).await?;
        }
        Ok(())
    }
}
