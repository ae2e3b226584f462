//! Why a verification step failed. How each failure is worded for people, and which HTTP
//! status it gets, is decided at the HTTP edge (`server::http::errors`).

use crate::channel::Channel;
use crate::server::{
    domain::{code::CodeError, phone::PhoneError, verification::VerificationId},
    limits::LimitError,
    sms::SendError,
    store::StoreError,
};

#[derive(Debug, Clone, thiserror::Error)]
pub enum VerifyError {
    #[error("invalid phone number: {0}")]
    InvalidPhone(#[from] PhoneError),
    #[error("invalid code: {0}")]
    InvalidCode(#[from] CodeError),
    #[error(transparent)]
    Limited(#[from] LimitError),
    /// No code is pending for the number (never requested, expired and purged, or used).
    #[error("no code is pending for this number")]
    NoPendingCode,
    /// Another request consumed the code first.
    #[error("the code was already used")]
    AlreadyUsed,
    #[error("the code expired")]
    Expired,
    /// The code's attempts are spent: even the right code is refused now.
    #[error("too many attempts for this code")]
    TooManyAttempts,
    #[error("wrong code; {attempts_left} attempts left")]
    WrongCode { attempts_left: u32 },
    /// The SMS (or call) was not sent, or may not have been. `sender` is the number the
    /// messages come from, when configured (an opted-out person texts START to it);
    /// `verification` is set when the outcome is unknown and the code was kept.
    #[error("the code was not sent: {error}")]
    NotSent {
        error: SendError,
        channel: Channel,
        sender: Option<String>,
        verification: Option<VerificationId>,
    },
    /// A call was asked for, and voice is off (no `TELNYX_CONNECTION_ID`).
    #[error("voice calls are not configured")]
    VoiceUnavailable,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl VerifyError {
    /// The outcome of a code check that failed this way, as metrics count it.
    pub fn check_outcome(&self) -> &'static str {
        match self {
            VerifyError::InvalidPhone(_) | VerifyError::InvalidCode(_) => "invalid_input",
            VerifyError::Limited(LimitError::Store(_)) | VerifyError::Store(_) => "store_error",
            VerifyError::Limited(_) => "refused",
            VerifyError::NoPendingCode => "no_pending_code",
            VerifyError::AlreadyUsed => "already_used",
            VerifyError::Expired => "expired",
            VerifyError::TooManyAttempts => "too_many_attempts",
            VerifyError::WrongCode { .. } => "wrong_code",
            VerifyError::NotSent { .. } | VerifyError::VoiceUnavailable => "not_sent",
        }
    }
}
