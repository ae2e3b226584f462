//! Why the limiter refused a request. How each refusal is worded for people, and which
//! HTTP status it gets, is decided at the HTTP edge (`server::http::errors`).

use crate::server::{domain::phone::NumberKind, store::StoreError};

/// Which limit was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// `SENDS_PER_IP` in `LIMIT_WINDOW_SECONDS`.
    SendsPerIp,
    /// `RESEND_COOLDOWN_SECONDS` after a code was sent to the number.
    ResendCooldown,
    /// `SENDS_PER_NUMBER` in `LIMIT_WINDOW_SECONDS`.
    SendsPerNumber,
    /// `SENDS_PER_COUNTRY_PER_HOUR`.
    SendsPerCountry,
    /// `SENDS_PER_COUNTRY_PER_DAY`.
    SendsPerCountryPerDay,
    /// `SENDS_PER_HOUR`, across all numbers.
    SendsOverall,
    /// `SENDS_PER_DAY`, across all numbers.
    SendsPerDay,
    /// The conversion guard paused sends to the number's country.
    ConversionGuard,
    /// `VERIFIES_PER_IP` in `LIMIT_WINDOW_SECONDS`.
    VerifiesPerIp,
    /// `MAX_CONSECUTIVE_FAILURES` wrong codes in a row: locked for `LOCKOUT_SECONDS`.
    ConsecutiveFailures,
    /// `CALLS_PER_NUMBER` in `LIMIT_WINDOW_SECONDS`.
    CallsPerNumber,
    /// `CALLS_PER_IP_PER_HOUR`.
    CallsPerIp,
    /// `CALLS_PER_COUNTRY_PER_HOUR`.
    CallsPerCountry,
}

impl Limit {
    /// Whether the limit counts per end-user address.
    pub fn is_per_address(self) -> bool {
        matches!(
            self,
            Limit::SendsPerIp | Limit::CallsPerIp | Limit::VerifiesPerIp
        )
    }

    /// The limit's name in metrics (`sends_per_ip`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Limit::SendsPerIp => "sends_per_ip",
            Limit::ResendCooldown => "resend_cooldown",
            Limit::SendsPerNumber => "sends_per_number",
            Limit::SendsPerCountry => "sends_per_country_per_hour",
            Limit::SendsPerCountryPerDay => "sends_per_country_per_day",
            Limit::SendsOverall => "sends_per_hour",
            Limit::SendsPerDay => "sends_per_day",
            Limit::ConversionGuard => "conversion_guard",
            Limit::VerifiesPerIp => "verifies_per_ip",
            Limit::ConsecutiveFailures => "consecutive_failures",
            Limit::CallsPerNumber => "calls_per_number",
            Limit::CallsPerIp => "calls_per_ip_per_hour",
            Limit::CallsPerCountry => "calls_per_country_per_hour",
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum LimitError {
    #[error("limit {limit:?} reached; retry after {retry_after_seconds} s")]
    RateLimited {
        limit: Limit,
        retry_after_seconds: u64,
    },
    /// `ALLOWED_COUNTRIES` does not include the number's region.
    #[error("codes are not sent to {region}")]
    CountryNotAllowed { region: String },
    /// Premium-rate, shared-cost, or (with `BLOCK_VOIP`) VoIP numbers.
    #[error("{kind:?} numbers are refused")]
    NumberNotAllowed { kind: NumberKind },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl LimitError {
    /// The refusing rule's name in metrics; `None` when the store failed instead.
    pub fn rule(&self) -> Option<&'static str> {
        match self {
            LimitError::RateLimited { limit, .. } => Some(limit.name()),
            LimitError::CountryNotAllowed { .. } => Some("country_not_allowed"),
            LimitError::NumberNotAllowed { .. } => Some("number_not_allowed"),
            LimitError::Store(_) => None,
        }
    }
}
