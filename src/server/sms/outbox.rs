//! The dev outbox: where messages go when no Telnyx API key is configured, so the whole
//! flow works on a fresh machine. Shown at `/dev/outbox`; never active with a key.

use super::MessageId;
use crate::server::{
    clock::{Clock, Millis, SystemClock},
    delivery::DeliveryStatus,
    phone::PhoneNumber,
};
use std::{
    collections::VecDeque,
    sync::{
        atomic::{AtomicU64, Ordering},
        Mutex,
    },
};

/// Messages kept, newest first; older ones are dropped.
const CAPACITY: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: String,
    /// The recipient in E.164 (this is a developer tool; logs still mask it).
    pub to: String,
    pub text: String,
    pub sent_at: Millis,
    /// The delivery status, simulated (see `DeliveryTracker`).
    pub status: &'static str,
}

#[derive(Debug, Default)]
pub struct Outbox {
    messages: Mutex<VecDeque<OutboxMessage>>,
    sent: AtomicU64,
}

impl Outbox {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the message and logs it, code included: this is the dev outbox's purpose.
    pub fn push(&self, to: &PhoneNumber, text: &str) -> MessageId {
        let sent_at = SystemClock.now();
        let mut messages = self
            .messages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let id = format!("outbox-{}", self.sent.fetch_add(1, Ordering::Relaxed) + 1);
        tracing::warn!(to = %to, text, "dev outbox (SMS not sent)");
        messages.push_front(OutboxMessage {
            id: id.clone(),
            to: to.as_e164().to_string(),
            text: text.to_string(),
            sent_at,
            status: DeliveryStatus::Queued.as_str(),
        });
        messages.truncate(CAPACITY);
        MessageId(id)
    }

    /// Shows `status` on the message `id` (called by the delivery tracker).
    pub fn set_status(&self, id: &str, status: DeliveryStatus) {
        let mut messages = self
            .messages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(message) = messages.iter_mut().find(|message| message.id == id) {
            if status.rank() > DeliveryStatus::parse(message.status).map_or(0, DeliveryStatus::rank)
            {
                message.status = status.as_str();
            }
        }
    }

    /// The kept messages, newest first.
    pub fn messages(&self) -> Vec<OutboxMessage> {
        let messages = self
            .messages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        messages.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_messages_newest_first() {
        let outbox = Outbox::new();
        let phone = PhoneNumber::parse("2125550123", "US".parse().unwrap()).unwrap();
        outbox.push(&phone, "first");
        outbox.push(&phone, "second");
        let texts: Vec<_> = outbox.messages().into_iter().map(|m| m.text).collect();
        assert_eq!(texts, ["second", "first"]);
    }
}
