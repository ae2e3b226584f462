//! The dev outbox: where messages go when no Telnyx API key is configured, so the whole
//! flow works on a fresh machine. Shown at `/dev/outbox`; never active with a key.
//! Nothing reports on its messages, so it simulates the delivery report itself, through
//! the same [`DeliveryTracker`] as Telnyx's webhooks.

use super::Accepted;
use crate::{
    delivery_status::DeliveryStatus,
    server::{
        delivery::DeliveryTracker,
        domain::{
            clock::{Clock, Millis, SystemClock},
            phone::PhoneNumber,
        },
    },
};
use std::{
    collections::VecDeque,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, MutexGuard,
    },
    time::Duration,
};

/// Messages kept, newest first; older ones are dropped.
const CAPACITY: usize = 200;

/// How long the dev outbox takes to "deliver" a message.
const DELIVERY_DELAY: Duration = Duration::from_millis(1500);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: String,
    /// The recipient in E.164 (this is a developer tool; logs still mask it).
    pub to: String,
    pub text: String,
    pub sent_at: Millis,
    /// The simulated delivery status.
    pub status: DeliveryStatus,
}

pub struct Outbox {
    messages: Mutex<VecDeque<OutboxMessage>>,
    sent: AtomicU64,
    tracker: Arc<DeliveryTracker>,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox")
            .field("sent", &self.sent)
            .finish_non_exhaustive()
    }
}

impl Outbox {
    /// An empty outbox whose simulated delivery reports go to `tracker`.
    pub fn new(tracker: Arc<DeliveryTracker>) -> Arc<Self> {
        Arc::new(Self {
            messages: Mutex::default(),
            sent: AtomicU64::new(0),
            tracker,
        })
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<OutboxMessage>> {
        self.messages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Keeps the message and logs it, code included: this is the dev outbox's purpose.
    /// Its delivery is reported a moment later.
    pub fn push(self: &Arc<Self>, to: &PhoneNumber, text: &str) -> Accepted {
        let id = format!("outbox-{}", self.sent.fetch_add(1, Ordering::Relaxed) + 1);
        tracing::warn!(to = %to, text, "dev outbox (SMS not sent)");
        {
            let mut messages = self.lock();
            messages.push_front(OutboxMessage {
                id: id.clone(),
                to: to.as_e164().to_string(),
                text: text.to_string(),
                sent_at: SystemClock.now(),
                status: DeliveryStatus::Queued,
            });
            messages.truncate(CAPACITY);
        }
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let outbox = self.clone();
            let message_id = id.clone();
            runtime.spawn(async move {
                tokio::time::sleep(DELIVERY_DELAY).await;
                outbox.deliver(&message_id).await;
            });
        }
        Accepted { id, cost: None }
    }

    /// Marks the message delivered, here and (through the tracker) on its code.
    async fn deliver(&self, id: &str) {
        let status = DeliveryStatus::Delivered;
        if let Some(message) = self.lock().iter_mut().find(|message| message.id == id) {
            if status.rank() > message.status.rank() {
                message.status = status;
            }
        }
        if let Err(error) = self.tracker.record(id, status, None).await {
            tracing::warn!(%error, "could not record a simulated delivery");
        }
    }

    /// The kept messages, newest first.
    pub fn messages(&self) -> Vec<OutboxMessage> {
        self.lock().iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::{
        activity::Activity,
        domain::clock::ManualClock,
        limits::{LimitSettings, Limiter},
        metrics::Metrics,
        store::{MemoryActivity, MemoryStore},
    };

    fn outbox() -> Arc<Outbox> {
        let store = Arc::new(MemoryStore::new());
        let clock = Arc::new(ManualClock::default());
        let limiter = Arc::new(Limiter::new(
            LimitSettings::off(),
            store.clone(),
            clock.clone(),
        ));
        let activity = Arc::new(Activity::new(
            Arc::new(MemoryActivity::default()),
            Metrics::new(),
            clock,
        ));
        Outbox::new(Arc::new(DeliveryTracker::new(store, limiter, activity)))
    }

    #[test]
    fn lists_messages_newest_first() {
        let outbox = outbox();
        let phone = PhoneNumber::parse("2125550123", "US".parse().unwrap()).unwrap();
        outbox.push(&phone, "first");
        outbox.push(&phone, "second");
        let texts: Vec<_> = outbox.messages().into_iter().map(|m| m.text).collect();
        assert_eq!(texts, ["second", "first"]);
    }

    #[tokio::test]
    async fn messages_are_delivered_a_moment_later() {
        let outbox = outbox();
        let phone = PhoneNumber::parse("2125550123", "US".parse().unwrap()).unwrap();
        outbox.push(&phone, "hello");
        assert_eq!(outbox.messages()[0].status, DeliveryStatus::Queued);
        tokio::time::sleep(DELIVERY_DELAY + Duration::from_millis(500)).await;
        assert_eq!(outbox.messages()[0].status, DeliveryStatus::Delivered);
    }
}
