//! The one error type the endpoints return: a stable machine-readable kind, a message a
//! person can read, and the HTTP status each kind maps to. A leaf shared with the WASM
//! bundle: which domain failure becomes which kind and message is decided on the server
//! (`server::http::errors`), and the status is set on the response there too.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// What went wrong, as API clients match on it (`"error": "wrong_code"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The request body was malformed or a field was missing.
    BadRequest,
    /// The phone number could not be parsed or is not a valid number.
    InvalidPhone,
    /// The code does not have the configured length or alphabet.
    InvalidCode,
    /// The code is wrong; `attempts_left` says how many tries remain.
    WrongCode,
    /// The code expired; a new one must be requested.
    CodeExpired,
    /// The code received too many wrong attempts; a new one must be requested.
    TooManyAttempts,
    /// No code is pending for this number (never requested, or already used).
    NoPendingCode,
    /// Telnyx says this number cannot receive SMS (error 40310).
    UndeliverableNumber,
    /// The recipient opted out by replying STOP (Telnyx error 40300).
    OptedOut,
    /// SMS sending is misconfigured or refused by Telnyx (401/403/404).
    SmsUnavailable,
    /// Telnyx is rate limiting us; try again after `retry_after_seconds`.
    SmsRateLimited,
    /// Telnyx failed or answered something unexpected.
    SmsFailed,
    /// Telnyx did not answer in time.
    SmsTimeout,
    /// The code store is unavailable.
    StoreUnavailable,
    /// A rate limit was reached; `retry_after_seconds` says when to try again.
    RateLimited,
    /// Codes are not sent to this number's country (`ALLOWED_COUNTRIES`).
    CountryNotAllowed,
    /// Premium-rate, shared-cost (or, when configured, VoIP) numbers are refused.
    NumberNotAllowed,
    /// The request came from another site (CSRF protection).
    CrossSiteRequest,
    /// The server is at its limit of requests in flight (or one took too long); retry.
    Overloaded,
    /// The `Authorization: Bearer` key is not one of `API_KEYS`.
    InvalidApiKey,
    /// `API_KEYS_REQUIRED`: an API call came without a key.
    ApiKeyRequired,
    /// A call was asked for (`channel=voice`), and this deployment has voice off.
    VoiceUnavailable,
    /// The voice call with the code could not be placed (or may not have been).
    CallFailed,
    /// Anything else that is the server's fault.
    Internal,
}

impl ErrorKind {
    /// The name API clients see in the `error` field.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad_request",
            ErrorKind::InvalidPhone => "invalid_phone",
            ErrorKind::InvalidCode => "invalid_code",
            ErrorKind::WrongCode => "wrong_code",
            ErrorKind::CodeExpired => "code_expired",
            ErrorKind::TooManyAttempts => "too_many_attempts",
            ErrorKind::NoPendingCode => "no_pending_code",
            ErrorKind::UndeliverableNumber => "undeliverable_number",
            ErrorKind::OptedOut => "opted_out",
            ErrorKind::SmsUnavailable => "sms_unavailable",
            ErrorKind::SmsRateLimited => "sms_rate_limited",
            ErrorKind::SmsFailed => "sms_failed",
            ErrorKind::SmsTimeout => "sms_timeout",
            ErrorKind::StoreUnavailable => "store_unavailable",
            ErrorKind::Internal => "internal",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::CountryNotAllowed => "country_not_allowed",
            ErrorKind::NumberNotAllowed => "number_not_allowed",
            ErrorKind::CrossSiteRequest => "cross_site_request",
            ErrorKind::Overloaded => "overloaded",
            ErrorKind::InvalidApiKey => "invalid_api_key",
            ErrorKind::ApiKeyRequired => "api_key_required",
            ErrorKind::VoiceUnavailable => "voice_unavailable",
            ErrorKind::CallFailed => "call_failed",
        }
    }

    /// The HTTP status an API client receives for this kind.
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::BadRequest | ErrorKind::VoiceUnavailable => 400,
            ErrorKind::WrongCode | ErrorKind::InvalidApiKey | ErrorKind::ApiKeyRequired => 401,
            ErrorKind::TooManyAttempts | ErrorKind::CrossSiteRequest => 403,
            ErrorKind::RateLimited => 429,
            ErrorKind::NoPendingCode => 404,
            ErrorKind::OptedOut => 409,
            ErrorKind::CodeExpired => 410,
            ErrorKind::InvalidPhone
            | ErrorKind::InvalidCode
            | ErrorKind::UndeliverableNumber
            | ErrorKind::CountryNotAllowed
            | ErrorKind::NumberNotAllowed => 422,
            ErrorKind::Internal => 500,
            ErrorKind::SmsFailed | ErrorKind::CallFailed => 502,
            ErrorKind::SmsUnavailable
            | ErrorKind::SmsRateLimited
            | ErrorKind::StoreUnavailable
            | ErrorKind::Overloaded => 503,
            ErrorKind::SmsTimeout => 504,
        }
    }
}

/// The body of every failed request: `{"error": "...", "message": "...", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub error: ErrorKind,
    pub message: String,
    /// For `wrong_code`: how many more tries the current code allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts_left: Option<u32>,
    /// For rate limits: how long to wait before trying again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<u64>,
    /// When a send's outcome is unknown: the verification whose code may still arrive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_id: Option<String>,
}

impl ApiError {
    pub fn new(error: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            error,
            message: message.into(),
            attempts_left: None,
            retry_after_seconds: None,
            verification_id: None,
        }
    }

    pub fn with_attempts_left(mut self, attempts_left: u32) -> Self {
        self.attempts_left = Some(attempts_left);
        self
    }

    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after_seconds = Some(seconds);
        self
    }

    pub fn status(&self) -> u16 {
        self.error.status()
    }
}

impl ErrorKind {
    /// Every kind.
    pub const ALL: [ErrorKind; 24] = [
        ErrorKind::InvalidApiKey,
        ErrorKind::ApiKeyRequired,
        ErrorKind::Overloaded,
        ErrorKind::RateLimited,
        ErrorKind::CountryNotAllowed,
        ErrorKind::NumberNotAllowed,
        ErrorKind::CrossSiteRequest,
        ErrorKind::BadRequest,
        ErrorKind::InvalidPhone,
        ErrorKind::InvalidCode,
        ErrorKind::WrongCode,
        ErrorKind::CodeExpired,
        ErrorKind::TooManyAttempts,
        ErrorKind::NoPendingCode,
        ErrorKind::UndeliverableNumber,
        ErrorKind::OptedOut,
        ErrorKind::SmsUnavailable,
        ErrorKind::SmsRateLimited,
        ErrorKind::SmsFailed,
        ErrorKind::SmsTimeout,
        ErrorKind::StoreUnavailable,
        ErrorKind::Internal,
        ErrorKind::VoiceUnavailable,
        ErrorKind::CallFailed,
    ];
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => ApiError::new(
                ErrorKind::BadRequest,
                format!("Malformed request: {detail}"),
            ),
            // On the server, failing to deserialize means the request body was malformed.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Deserialization(detail) => ApiError::new(
                ErrorKind::BadRequest,
                format!("Malformed request: {detail}"),
            ),
            ServerFnErrorErr::Request(_) => ApiError::new(
                ErrorKind::Internal,
                "Could not reach the server. Check your connection and try again.",
            ),
            other => ApiError::new(
                ErrorKind::Internal,
                format!("Something went wrong: {other}"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_wire_format() {
        for kind in ErrorKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
    }

    #[test]
    fn only_server_and_provider_failures_are_5xx() {
        for kind in ErrorKind::ALL {
            let server_side = matches!(
                kind,
                ErrorKind::Internal
                    | ErrorKind::SmsFailed
                    | ErrorKind::CallFailed
                    | ErrorKind::SmsUnavailable
                    | ErrorKind::SmsRateLimited
                    | ErrorKind::StoreUnavailable
                    | ErrorKind::SmsTimeout
                    | ErrorKind::Overloaded
            );
            assert_eq!(kind.status() >= 500, server_side, "{kind:?}");
        }
    }
}
