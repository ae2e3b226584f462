//! The one delivery-status type: where the SMS carrying a code is, as Telnyx reports it in
//! `to[].status`. Shared by the API's wire types, the code page, the store, the delivery
//! tracker, the webhook and the dev outbox; serialized as Telnyx spells it
//! (`"delivery_failed"`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// Every status, in progress order.
    pub const ALL: [DeliveryStatus; 8] = [
        Self::Queued,
        Self::Sending,
        Self::Sent,
        Self::Delivered,
        Self::DeliveryFailed,
        Self::SendingFailed,
        Self::DeliveryUnconfirmed,
        Self::Expired,
    ];

    /// Telnyx's name of a status; `None` for one this app does not know.
    pub fn parse(status: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|known| known.as_str() == status)
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

    /// No further report will change it.
    pub fn is_final(self) -> bool {
        self.rank() == 3
    }

    /// The message will not arrive.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            Self::DeliveryFailed | Self::SendingFailed | Self::Expired
        )
    }

    /// What the person waiting for the code reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::Delivered => "Delivered",
            Self::Sent => "Sent, waiting for delivery…",
            Self::DeliveryUnconfirmed => "Sent (the carrier did not confirm delivery)",
            _ if self.is_failure() => "Not delivered: try again or use another number",
            _ => "Sending…",
        }
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
            let status = DeliveryStatus::parse(name).unwrap();
            assert_eq!(status.as_str(), name);
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{name}\"")
            );
        }
        assert!(DeliveryStatus::parse("teleported").is_none());
        assert!(DeliveryStatus::Sent.rank() < DeliveryStatus::Delivered.rank());
        assert!(DeliveryStatus::Queued.rank() < DeliveryStatus::Sending.rank());
        assert!(DeliveryStatus::DeliveryFailed.is_failure());
        assert!(!DeliveryStatus::DeliveryUnconfirmed.is_failure());
        assert!(DeliveryStatus::DeliveryUnconfirmed.is_final());
        assert!(!DeliveryStatus::Sent.is_final());
    }
}
