//! Sending the SMS: through Telnyx when an API key is configured, else into the dev
//! outbox. Failures are typed, so the HTTP edge can word each one clearly.

pub mod message;
pub mod outbox;
pub mod telnyx;

use crate::server::domain::{cost::Cost, phone::PhoneNumber};
use outbox::Outbox;
use std::sync::Arc;
use telnyx::TelnyxClient;

/// A message the provider accepted: its id, and its cost when the provider told it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub id: String,
    pub cost: Option<Cost>,
}

/// Where messages go.
#[derive(Debug, Clone)]
pub enum SmsSender {
    Telnyx(Box<TelnyxClient>),
    Outbox(Arc<Outbox>),
}

impl SmsSender {
    /// The number (or sender ID) messages come from, when one is configured.
    pub fn sender_id(&self) -> Option<&str> {
        match self {
            SmsSender::Telnyx(client) => client.from(),
            SmsSender::Outbox(_) => None,
        }
    }

    pub async fn send(&self, to: &PhoneNumber, text: &str) -> Result<Accepted, SendError> {
        match self {
            SmsSender::Telnyx(client) => client.send(to, text).await,
            SmsSender::Outbox(outbox) => Ok(outbox.push(to, text)),
        }
    }
}

/// Why a message was not accepted, in the classes of Telnyx's error contract.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// 401/403/404: the API key, sender or profile is wrong. An operator must act.
    #[error("Telnyx refused our credentials or configuration (HTTP {status}, code {code:?})")]
    Misconfigured { status: u16, code: Option<String> },
    /// 40310, or a validation error pointing at `/to`: the number can't receive SMS.
    #[error("Telnyx says the recipient can't receive SMS (code {code:?})")]
    InvalidRecipient { code: Option<String> },
    /// 40300: the recipient replied STOP.
    #[error("the recipient opted out of SMS")]
    OptedOut,
    /// Another 4xx: Telnyx refused this message.
    // `detail` is Telnyx's free text: shown to nobody, logged nowhere (it may quote numbers).
    #[error("Telnyx rejected the message (HTTP {status}, code {code:?})")]
    Rejected {
        status: u16,
        code: Option<String>,
        detail: String,
    },
    /// 429: too many messages; `retry_after` seconds when Telnyx said.
    #[error("Telnyx is rate limiting us")]
    RateLimited { retry_after: Option<u64> },
    /// 5xx from Telnyx or a proxy in front of it.
    #[error("Telnyx failed (HTTP {status})")]
    Upstream { status: u16 },
    /// No answer within the configured timeout.
    #[error("Telnyx did not answer in time")]
    Timeout,
    /// Could not reach Telnyx at all.
    #[error("could not reach Telnyx: {0}")]
    Transport(String),
    /// A 2xx whose body was not a message.
    #[error("unexpected answer from Telnyx: {0}")]
    InvalidResponse(String),
}

impl SendError {
    /// The HTTP status Telnyx answered (0 when it did not answer) and its error code; for
    /// the classes that don't keep their status, the one Telnyx's contract gives them.
    pub fn status_and_code(&self) -> (u16, Option<&str>) {
        match self {
            SendError::Misconfigured { status, code }
            | SendError::Rejected { status, code, .. } => (*status, code.as_deref()),
            SendError::InvalidRecipient { code } => (400, code.as_deref().or(Some("40310"))),
            SendError::OptedOut => (409, Some("40300")),
            SendError::RateLimited { .. } => (429, None),
            SendError::Upstream { status } => (*status, None),
            SendError::InvalidResponse(_) => (200, None),
            SendError::Timeout | SendError::Transport(_) => (0, None),
        }
    }

    /// Telnyx may have accepted the message after all: a timeout, a 500, or a 2xx whose
    /// body could not be read. (A refused connection or a 4xx/502-504 sent nothing.)
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            SendError::Timeout
                | SendError::Upstream { status: 500 }
                | SendError::InvalidResponse(_)
        )
    }
}
