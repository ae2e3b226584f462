//! The one code path that records delivery statuses (used by the signed webhook and by
//! the dev outbox's simulation): on the code, and in the operator's record with the
//! reported cost. A failed delivery (or an unanswered call) ends the number's resend
//! cooldown on that channel, so the person can retry at once.

use crate::{
    channel::Channel,
    delivery_status::DeliveryStatus,
    server::{
        activity::Activity,
        domain::cost::Cost,
        limits::Limiter,
        store::{CodeStore, StoreError},
    },
};
use std::sync::Arc;

/// Records delivery reports against the codes they belong to.
pub struct DeliveryTracker {
    store: Arc<dyn CodeStore>,
    limiter: Arc<Limiter>,
    activity: Arc<Activity>,
}

impl DeliveryTracker {
    pub fn new(store: Arc<dyn CodeStore>, limiter: Arc<Limiter>, activity: Arc<Activity>) -> Self {
        Self {
            store,
            limiter,
            activity,
        }
    }

    /// Records `status` (and the `cost` Telnyx reported) for `message_id`. Duplicates and
    /// out-of-order reports are harmless: the store only moves a status forward.
    pub async fn record(
        &self,
        message_id: &str,
        status: DeliveryStatus,
        cost: Option<Cost>,
    ) -> Result<(), StoreError> {
        self.activity
            .delivery_reported(message_id, status, cost)
            .await;
        let Some(phone) = self.store.record_delivery(message_id, status).await? else {
            return Ok(());
        };
        tracing::info!(phone = %phone, status = status.as_str(), "delivery status");
        if status.is_failure() {
            let channel = if status.is_call() {
                Channel::Voice
            } else {
                Channel::Sms
            };
            self.limiter.end_cooldown(&phone, channel).await?;
        }
        Ok(())
    }
}
