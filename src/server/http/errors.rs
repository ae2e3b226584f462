//! The one place where domain failures become [`ApiError`]s: which kind each failure is,
//! and every message a person reads about it. (Which HTTP status a kind gets is
//! [`ErrorKind::status`]; `respond` puts it on the response.)

use crate::{
    channel::Channel,
    error::{ApiError, ErrorKind},
    server::{
        domain::{
            code::{CodeAlphabet, CodeError},
            phone::{NumberKind, PhoneError},
        },
        limits::{Limit, LimitError},
        sms::SendError,
        store::StoreError,
        verify::VerifyError,
    },
};

impl From<VerifyError> for ApiError {
    fn from(error: VerifyError) -> Self {
        match error {
            VerifyError::InvalidPhone(error) => error.into(),
            VerifyError::InvalidCode(error) => error.into(),
            VerifyError::Limited(error) => error.into(),
            VerifyError::Store(error) => error.into(),
            VerifyError::NoPendingCode => ApiError::new(
                ErrorKind::NoPendingCode,
                "There is no code waiting for this number. Request a new code.",
            ),
            VerifyError::AlreadyUsed => ApiError::new(
                ErrorKind::NoPendingCode,
                "This code was already used. Request a new code.",
            ),
            VerifyError::Expired => ApiError::new(
                ErrorKind::CodeExpired,
                "This code has expired. Request a new code.",
            ),
            VerifyError::TooManyAttempts => ApiError::new(
                ErrorKind::TooManyAttempts,
                "Too many wrong attempts for this code. Request a new code.",
            ),
            VerifyError::WrongCode { attempts_left } => {
                let message = match attempts_left {
                    0 => "That code is not right, and that was the last try. Request a new code."
                        .to_string(),
                    1 => "That code is not right. 1 attempt left.".to_string(),
                    n => format!("That code is not right. {n} attempts left."),
                };
                ApiError::new(ErrorKind::WrongCode, message).with_attempts_left(attempts_left)
            }
            VerifyError::VoiceUnavailable => ApiError::new(
                ErrorKind::VoiceUnavailable,
                "Calls are not available here. Use the code we text you.",
            ),
            VerifyError::NotSent {
                error,
                channel: Channel::Voice,
                verification,
                ..
            } => {
                let mut api_error = call_failed(error);
                api_error.verification_id = verification.map(|id| id.as_str().to_string());
                api_error
            }
            VerifyError::NotSent {
                error,
                sender,
                verification,
                ..
            } => {
                let mut api_error = match (error, sender) {
                    (SendError::OptedOut, Some(from)) => ApiError::new(
                        ErrorKind::OptedOut,
                        format!(
                            "This number has opted out of our text messages. Text START to {from} to receive codes again, then try again."
                        ),
                    ),
                    (error, _) => error.into(),
                };
                api_error.verification_id = verification.map(|id| id.as_str().to_string());
                api_error
            }
        }
    }
}

/// What a person reads when the call with their code could not be placed.
fn call_failed(error: SendError) -> ApiError {
    match error {
        SendError::InvalidRecipient { .. } => ApiError::new(
            ErrorKind::UndeliverableNumber,
            "We can't call this number. Check it, or use the code we texted you.",
        ),
        SendError::RateLimited { retry_after } => ApiError::new(
            ErrorKind::CallFailed,
            "We're making too many calls right now. Please try again in a minute.",
        )
        .with_retry_after(retry_after.unwrap_or(60)),
        error if error.outcome_unknown() => ApiError::new(
            ErrorKind::CallFailed,
            "We may not have reached the phone network. If no call comes in a minute, try again.",
        ),
        _ => ApiError::new(
            ErrorKind::CallFailed,
            "We couldn't call you right now. Please try again in a minute, or use the code we texted you.",
        ),
    }
}

/// In API messages (English): "27 seconds", "1 minute", "10 minutes".
pub fn describe_wait(seconds: u64) -> String {
    match seconds {
        1 => "1 second".into(),
        0..=119 => format!("{seconds} seconds"),
        _ => format!("{} minutes", seconds.div_ceil(60)),
    }
}

impl From<PhoneError> for ApiError {
    fn from(error: PhoneError) -> Self {
        let message = match error {
            PhoneError::Empty => "Enter your phone number.",
            PhoneError::TooLong => "That is too long to be a phone number.",
            PhoneError::Unparseable => {
                "That doesn't look like a phone number. Include the country code, e.g. +44 20 7183 8750."
            }
            PhoneError::Invalid => {
                "That isn't a valid phone number. Check the digits and the country code."
            }
        };
        ApiError::new(ErrorKind::InvalidPhone, message)
    }
}

impl From<CodeError> for ApiError {
    fn from(error: CodeError) -> Self {
        let message = match error {
            CodeError::Empty => "Enter the code we texted you.".to_string(),
            CodeError::WrongLength { expected } => format!("The code has {expected} characters."),
            CodeError::WrongSymbols(CodeAlphabet::Numeric) => {
                "The code is made of digits only.".to_string()
            }
            CodeError::WrongSymbols(CodeAlphabet::Hex) => {
                "The code is made of digits and the letters A to F only.".to_string()
            }
        };
        ApiError::new(ErrorKind::InvalidCode, message)
    }
}

impl From<LimitError> for ApiError {
    fn from(error: LimitError) -> Self {
        match error {
            LimitError::RateLimited {
                limit,
                retry_after_seconds,
            } => {
                let what = match limit {
                    Limit::SendsPerIp => "Too many codes were requested from your network.",
                    Limit::ResendCooldown => {
                        "A code was just sent to this number. Wait before asking for another."
                    }
                    Limit::SendsPerNumber => "Too many codes were requested for this number.",
                    Limit::SendsPerCountry => {
                        "We're sending too many codes to this country right now."
                    }
                    Limit::SendsPerCountryPerDay => {
                        "We've sent too many codes to this country today."
                    }
                    Limit::SendsOverall => "We're sending too many codes right now.",
                    Limit::SendsPerDay => "We've sent too many codes today.",
                    Limit::ConversionGuard => "Codes to this country are paused for a while.",
                    Limit::VerifiesPerIp => "Too many attempts from your network.",
                    Limit::ConsecutiveFailures => {
                        "Too many wrong codes for this number, so it is locked for now."
                    }
                    Limit::CallsPerNumber => "Too many calls were requested for this number.",
                    Limit::CallsPerIp => "Too many calls were requested from your network.",
                    Limit::CallsPerCountry => {
                        "We're making too many calls to this country right now."
                    }
                };
                ApiError::new(
                    ErrorKind::RateLimited,
                    format!(
                        "{what} Try again in {}.",
                        describe_wait(retry_after_seconds)
                    ),
                )
                .with_retry_after(retry_after_seconds)
            }
            LimitError::CountryNotAllowed { region } => ApiError::new(
                ErrorKind::CountryNotAllowed,
                format!("We can't send codes to numbers in {region}."),
            ),
            LimitError::NumberNotAllowed { kind } => ApiError::new(
                ErrorKind::NumberNotAllowed,
                match kind {
                    NumberKind::PremiumRate => {
                        "Premium-rate numbers can't receive verification codes."
                    }
                    NumberKind::SharedCost => {
                        "Shared-cost numbers can't receive verification codes."
                    }
                    _ => "VoIP numbers can't be used for verification. Use a mobile number.",
                },
            ),
            LimitError::Store(error) => error.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        tracing::error!(%error, "code store failed");
        ApiError::new(
            ErrorKind::StoreUnavailable,
            "We can't check codes right now. Please try again in a moment.",
        )
    }
}

impl From<SendError> for ApiError {
    fn from(error: SendError) -> Self {
        const TRY_AGAIN: &str = "We couldn't send the text message. Please try again in a minute.";
        match error {
            SendError::Misconfigured { .. } => ApiError::new(
                ErrorKind::SmsUnavailable,
                "SMS is temporarily unavailable. Please try again later.",
            ),
            SendError::InvalidRecipient { .. } => ApiError::new(
                ErrorKind::UndeliverableNumber,
                "This number can't receive SMS. Use a mobile number that can receive text messages.",
            ),
            SendError::OptedOut => ApiError::new(
                ErrorKind::OptedOut,
                "This number has opted out of SMS from us. Text START to our number to re-enable it, then try again.",
            ),
            SendError::Rejected { .. } => ApiError::new(
                ErrorKind::UndeliverableNumber,
                "We couldn't send a text message to this number. Check the number and try again.",
            ),
            SendError::RateLimited { retry_after } => ApiError::new(
                ErrorKind::SmsRateLimited,
                "We're sending too many messages right now. Please try again in a minute.",
            )
            .with_retry_after(retry_after.unwrap_or(60)),
            SendError::Timeout => ApiError::new(ErrorKind::SmsTimeout, TRY_AGAIN),
            SendError::Upstream { .. }
            | SendError::Transport(_)
            | SendError::InvalidResponse(_) => ApiError::new(ErrorKind::SmsFailed, TRY_AGAIN),
        }
    }
}

/// The state every request needs and could not get (a wiring bug, never the client's).
pub(crate) fn not_set_up() -> ApiError {
    ApiError::new(ErrorKind::Internal, "The server is not set up correctly.")
}

/// A state-changing request from another site (see `security::check_cross_site`).
pub(crate) fn cross_site() -> ApiError {
    ApiError::new(
        ErrorKind::CrossSiteRequest,
        "This request came from another site and was refused.",
    )
}

/// An `Authorization: Bearer` key that is not one of `API_KEYS`.
pub(crate) fn invalid_api_key() -> ApiError {
    ApiError::new(ErrorKind::InvalidApiKey, "The API key is not valid.")
}

/// `API_KEYS_REQUIRED`, and the call came without a key.
pub(crate) fn api_key_required() -> ApiError {
    ApiError::new(
        ErrorKind::ApiKeyRequired,
        "This API needs a key: send Authorization: Bearer <key>.",
    )
}

/// Too many requests in flight, or one that took too long: come back in a second.
pub(crate) fn overloaded() -> ApiError {
    ApiError::new(
        ErrorKind::Overloaded,
        "We're very busy right now. Please try again in a moment.",
    )
    .with_retry_after(1)
}

/// Status polls of one verification coming faster than pages poll.
pub(crate) fn polling_too_fast(retry_after_seconds: u64) -> ApiError {
    ApiError::new(
        ErrorKind::RateLimited,
        "Checking too often. Try again in a moment.",
    )
    .with_retry_after(retry_after_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cooldown_says_how_long_to_wait() {
        let error = ApiError::from(LimitError::RateLimited {
            limit: Limit::ResendCooldown,
            retry_after_seconds: 20,
        });
        assert_eq!(error.error, ErrorKind::RateLimited);
        assert_eq!(error.retry_after_seconds, Some(20));
        assert!(error.message.contains("20 seconds"), "{}", error.message);
        assert_eq!(error.status(), 429);
    }

    #[test]
    fn the_global_cap_says_so() {
        let error = ApiError::from(LimitError::RateLimited {
            limit: Limit::SendsOverall,
            retry_after_seconds: 3000,
        });
        assert!(
            error.message.contains("too many codes right now"),
            "{}",
            error.message
        );
    }

    #[test]
    fn refused_countries_are_422() {
        let error = ApiError::from(LimitError::CountryNotAllowed {
            region: "GB".into(),
        });
        assert_eq!(error.error, ErrorKind::CountryNotAllowed);
        assert_eq!(error.status(), 422);
        assert!(error.message.contains("GB"));
    }

    #[test]
    fn wrong_codes_say_how_many_tries_are_left() {
        let error = ApiError::from(VerifyError::WrongCode { attempts_left: 3 });
        assert_eq!(error.error, ErrorKind::WrongCode);
        assert_eq!(error.attempts_left, Some(3));
        assert_eq!(error.message, "That code is not right. 3 attempts left.");
        let last = ApiError::from(VerifyError::WrongCode { attempts_left: 0 });
        assert!(last.message.contains("last try"), "{}", last.message);
    }

    #[test]
    fn an_opted_out_number_is_told_where_to_text_start() {
        let error = ApiError::from(VerifyError::NotSent {
            error: SendError::OptedOut,
            channel: Channel::Sms,
            sender: Some("+15550001111".into()),
            verification: None,
        });
        assert_eq!(error.error, ErrorKind::OptedOut);
        assert!(
            error.message.contains("START to +15550001111"),
            "{}",
            error.message
        );
    }

    #[test]
    fn every_message_is_worded_for_people() {
        let errors: Vec<ApiError> = vec![
            PhoneError::Empty.into(),
            PhoneError::Unparseable.into(),
            CodeError::WrongLength { expected: 6 }.into(),
            CodeError::WrongSymbols(CodeAlphabet::Hex).into(),
            VerifyError::Expired.into(),
            SendError::Timeout.into(),
            StoreError("down".into()).into(),
        ];
        for error in errors {
            assert!(
                error.message.ends_with('.')
                    && error.message.chars().next().unwrap().is_uppercase(),
                "{error:?}"
            );
        }
    }

    #[test]
    fn waits_read_naturally() {
        assert_eq!(describe_wait(1), "1 second");
        assert_eq!(describe_wait(45), "45 seconds");
        assert_eq!(describe_wait(600), "10 minutes");
    }
}
