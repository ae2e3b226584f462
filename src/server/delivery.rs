//! Delivery status of sent codes: Telnyx's statuses, their order, and the one code path
//! that records them (used by the signed webhook and by the dev outbox's simulation).
//! A failed delivery ends the number's resend cooldown, so the person can retry at once.

use super::{
    limits::Limiter,
    sms::outbox::Outbox,
    store::{CodeStore, StoreError},
};
use std::sync::Arc;

/// A message's status, as Telnyx reports it in `to[].status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    Queued,
    Sending,
    Sent,
    Delivered,
    DeliveryFailed,
    SendingFailed,
    DeliveryUnconfirmed,
    Expired,
}

impl DeliveryStatus {
    pub fn parse(status: &str) -> Option<Self> {
        Some(match status {
            "queued" => Self::Queued,
            "sending" => Self::Sending,
            "sent" => Self::Sent,
            "delivered" => Self::Delivered,
            "delivery_failed" => Self::DeliveryFailed,
            "sending_failed" => Self::SendingFailed,
            "delivery_unconfirmed" => Self::DeliveryUnconfirmed,
            "expired" => Self::Expired,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::DeliveryFailed => "delivery_failed",
            Self::SendingFailed => "sending_failed",
            Self::DeliveryUnconfirmed => "delivery_unconfirmed",
            Self::Expired => "expired",
        }
    }

    /// Progress order: a status only ever replaces one of lower rank. Final statuses
    /// share the top rank, so the first final status wins.
    pub fn rank(self) -> i64 {
        match self {
            Self::Queued => 0,
            Self::Sending => 1,
            Self::Sent => 2,
            _ => 3,
        }
    }

    /// The message will not arrive.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            Self::DeliveryFailed | Self::SendingFailed | Self::Expired
        )
    }
}

/// Records delivery reports against the codes they belong to.
pub struct DeliveryTracker {
    pub store: Arc<dyn CodeStore>,
    pub limiter: Arc<Limiter>,
    pub outbox: Option<Arc<Outbox>>,
}

impl DeliveryTracker {
    /// Records `status` for `message_id`. Duplicates and out-of-order reports are
    /// harmless: the store only moves a status forward.
    pub async fn record(&self, message_id: &str, status: DeliveryStatus) -> Result<(), StoreError> {
        if let Some(outbox) = &self.outbox {
            outbox.set_status(message_id, status);
        }
        let Some(phone) = self
            .store
            .record_delivery(message_id, status.as_str(), status.rank())
            .await?
        else {
            return Ok(());
        };
        tracing::info!(phone = %crate::mask::mask_phone(&phone), status = status.as_str(), "delivery status");
        if status.is_failure() {
            self.limiter.end_cooldown_of(&phone).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_only_move_forward() {
        for name in [
            "queued",
            "sending",
            "sent",
            "delivered",
            "delivery_failed",
            "sending_failed",
            "delivery_unconfirmed",
            "expired",
        ] {
            assert_eq!(DeliveryStatus::parse(name).unwrap().as_str(), name);
        }
        assert!(DeliveryStatus::parse("teleported").is_none());
        assert!(DeliveryStatus::Sent.rank() < DeliveryStatus::Delivered.rank());
        assert!(DeliveryStatus::Queued.rank() < DeliveryStatus::Sending.rank());
        assert!(DeliveryStatus::DeliveryFailed.is_failure());
        assert!(!DeliveryStatus::DeliveryUnconfirmed.is_failure());
    }
}
