//! The one delivery-status type: where the SMS carrying a code is, as Telnyx reports it in
//! `to[].status`, or where the voice call reading it out is (`calling`, `answered`,
//! `no_answer`, `completed`, `failed`, from the call's webhooks). Shared by the API's wire
//! types, the code page, the store, the delivery tracker, the webhooks and the dev
//! outbox; serialized as Telnyx spells it (`"delivery_failed"`).

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
    /// The voice call is ringing.
    Calling,
    /// The call was picked up; the code is being read out.
    Answered,
    /// Nobody picked up (no answer, busy, rejected, or a machine hung up on).
    NoAnswer,
    /// The code was read out and the call ended.
    Completed,
    /// The call could not be made.
    Failed,
}

impl DeliveryStatus {
    /// Every status, in progress order.
    pub const ALL: [DeliveryStatus; 13] = [
        Self::Queued,
        Self::Sending,
        Self::Sent,
        Self::Delivered,
        Self::DeliveryFailed,
        Self::SendingFailed,
        Self::DeliveryUnconfirmed,
        Self::Expired,
        Self::Calling,
        Self::Answered,
        Self::NoAnswer,
        Self::Completed,
        Self::Failed,
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
            Self::Calling => "calling",
            Self::Answered => "answered",
            Self::NoAnswer => "no_answer",
            Self::Completed => "completed",
            Self::Failed => "failed",
        }
    }

    /// Progress order: a status only ever replaces one of lower rank. Final statuses
    /// share the top rank, so the first final status wins.
    pub fn rank(self) -> i64 {
        match self {
            Self::Queued | Self::Calling => 0,
            Self::Sending => 1,
            Self::Sent | Self::Answered => 2,
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
            Self::DeliveryFailed
                | Self::SendingFailed
                | Self::Expired
                | Self::NoAnswer
                | Self::Failed
        )
    }

    /// A status of a voice call rather than of an SMS.
    pub fn is_call(self) -> bool {
        matches!(
            self,
            Self::Calling | Self::Answered | Self::NoAnswer | Self::Completed | Self::Failed
        )
    }

    /// The message (in `locales/`) the person waiting for the code reads.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Delivered => "status-delivered",
            Self::Sent => "status-sent",
            Self::DeliveryUnconfirmed => "status-unconfirmed",
            Self::Calling => "status-calling",
            Self::Answered => "status-answered",
            Self::NoAnswer => "status-no-answer",
            Self::Completed => "status-completed",
            Self::Failed => "status-call-failed",
            _ if self.is_failure() => "status-failed",
            _ => "status-sending",
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
            "calling",
            "answered",
            "no_answer",
            "completed",
            "failed",
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
        assert!(DeliveryStatus::Calling.rank() < DeliveryStatus::Answered.rank());
        assert!(DeliveryStatus::Answered.rank() < DeliveryStatus::Completed.rank());
        assert!(DeliveryStatus::NoAnswer.is_failure() && DeliveryStatus::NoAnswer.is_call());
        assert!(!DeliveryStatus::Completed.is_failure());
    }
}
