//! The dev outbox: where messages go when no Telnyx API key is configured, so the whole
//! flow works on a fresh machine. Shown at `/dev/outbox`; never active with a key.
//! Nothing reports on its messages, so it simulates the delivery report itself, through
//! the same [`DeliveryTracker`] as Telnyx's webhooks. Voice calls (with
//! `TELNYX_CONNECTION_ID`) are simulated too: listed with the text that would be spoken,
//! then answered and completed.

use super::Accepted;
use crate::{
    channel::Channel,
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

/// How long the dev outbox takes to "deliver" a message, or to "answer" a call.
const DELIVERY_DELAY: Duration = Duration::from_millis(1500);
/// How long a simulated call takes to read the code out.
const CALL_LENGTH: Duration = Duration::from_millis(2500);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: String,
    /// The recipient in E.164 (this is a developer tool; logs still mask it).
    pub to: String,
    /// What the SMS says, or what the call would speak.
    pub text: String,
    pub channel: Channel,
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
        tracing::warn!(to = %to, text, "dev outbox (SMS not sent)");
        let id = self.keep(to, text, Channel::Sms);
        self.report_later(&id, &[(DELIVERY_DELAY, DeliveryStatus::Delivered)]);
        Accepted { id, cost: None }
    }

    /// Keeps a simulated call and logs what it would say; it is answered a moment later,
    /// then completed.
    pub fn call(self: &Arc<Self>, to: &PhoneNumber, text: &str) -> Accepted {
        tracing::warn!(to = %to, text, "dev outbox (call not placed)");
        let id = self.keep(to, text, Channel::Voice);
        self.report_later(
            &id,
            &[
                (DELIVERY_DELAY, DeliveryStatus::Answered),
                (CALL_LENGTH, DeliveryStatus::Completed),
            ],
        );
        Accepted { id, cost: None }
    }

    fn keep(&self, to: &PhoneNumber, text: &str, channel: Channel) -> String {
        let number = self.sent.fetch_add(1, Ordering::Relaxed) + 1;
        let id = match channel {
            Channel::Sms => format!("outbox-{number}"),
            Channel::Voice => format!("outbox-call-{number}"),
        };
        let mut messages = self.lock();
        messages.push_front(OutboxMessage {
            id: id.clone(),
            to: to.as_e164().to_string(),
            text: text.to_string(),
            channel,
            sent_at: SystemClock.now(),
            status: match channel {
                Channel::Sms => DeliveryStatus::Queued,
                Channel::Voice => DeliveryStatus::Calling,
            },
        });
        messages.truncate(CAPACITY);
        id
    }

    /// Reports each status after its delay (one after the other), as a provider would.
    fn report_later(self: &Arc<Self>, id: &str, steps: &[(Duration, DeliveryStatus)]) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let outbox = self.clone();
        let id = id.to_string();
        let steps = steps.to_vec();
        runtime.spawn(async move {
            for (delay, status) in steps {
                tokio::time::sleep(delay).await;
                outbox.report(&id, status).await;
            }
        });
    }

    /// Moves the message to `status`, here and (through the tracker) on its code.
    async fn report(&self, id: &str, status: DeliveryStatus) {
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

    #[tokio::test]
    async fn calls_are_answered_then_completed() {
        let outbox = outbox();
        let phone = PhoneNumber::parse("2125550123", "US".parse().unwrap()).unwrap();
        let accepted = outbox.call(&phone, "Your code is 1, 2, 3.");
        let call = &outbox.messages()[0];
        assert_eq!(
            (call.id.as_str(), call.channel),
            (accepted.id.as_str(), Channel::Voice)
        );
        assert_eq!(call.status, DeliveryStatus::Calling);
        tokio::time::sleep(DELIVERY_DELAY + Duration::from_millis(300)).await;
        assert_eq!(outbox.messages()[0].status, DeliveryStatus::Answered);
        tokio::time::sleep(CALL_LENGTH).await;
        assert_eq!(outbox.messages()[0].status, DeliveryStatus::Completed);
    }
}
