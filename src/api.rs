//! The server functions behind the two forms, at stable paths that other clients can call:
//! `POST /api/request-code` (`phone`) and `POST /api/verify-code` (`phone`, `code`), both
//! form-encoded, answering JSON. Their bodies run on the server only.

use crate::error::ApiError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A code was generated, stored and handed to the SMS provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSent {
    /// The number in E.164, as normalized by the server.
    pub phone: String,
    /// The same number masked for display, e.g. `+1212***0123`.
    pub masked_phone: String,
    /// How long the code stays valid.
    pub expires_in_seconds: u64,
}

/// The code was right: the number is verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    pub phone: String,
    pub masked_phone: String,
}

/// What the code form needs to know about codes: their length and alphabet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeFormat {
    pub length: usize,
    pub numeric: bool,
}

impl Default for CodeFormat {
    /// Six digits, the default policy.
    fn default() -> Self {
        Self {
            length: 6,
            numeric: true,
        }
    }
}

/// The page that asks for the code sent to `phone` (E.164).
pub fn verify_page_path(phone: &str) -> String {
    format!("/verify?phone={}", phone.replace('+', "%2B"))
}

/// Where the SMS with the pending code is, as Telnyx (or the dev outbox) reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// Telnyx's status: queued, sending, sent, delivered, delivery_failed,
    /// sending_failed, delivery_unconfirmed or expired.
    pub status: String,
}

impl Delivery {
    /// No further report will change it.
    pub fn is_final(&self) -> bool {
        !matches!(self.status.as_str(), "queued" | "sending" | "sent")
    }

    /// The message will not arrive.
    pub fn failed(&self) -> bool {
        matches!(
            self.status.as_str(),
            "delivery_failed" | "sending_failed" | "expired"
        )
    }

    /// What the person waiting for the code reads.
    pub fn label(&self) -> &'static str {
        match self.status.as_str() {
            "delivered" => "Delivered",
            "sent" => "Sent, waiting for delivery…",
            "delivery_unconfirmed" => "Sent (the carrier did not confirm delivery)",
            _ if self.failed() => "Not delivered: try again or use another number",
            _ => "Sending…",
        }
    }
}

/// The page that confirms the session's number is verified.
pub const VERIFIED_PAGE: &str = "/verified";

/// The signed-in session: which number was verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub masked_phone: String,
}

/// Normalizes `phone`, stores a fresh code for it (invalidating any earlier one) and texts it.
#[server(prefix = "/api", endpoint = "request-code")]
pub async fn request_code(phone: String) -> Result<CodeSent, ApiError> {
    use crate::server::{respond, state::AppState};
    let result = match AppState::from_context() {
        Ok(state) => state.verifier.request_code(&phone, state.client_ip()).await,
        Err(error) => Err(error),
    };
    respond::finish(result, |sent| verify_page_path(&sent.phone))
}

/// Checks `code` against the code pending for `phone`, consuming it on success.
#[server(prefix = "/api", endpoint = "verify-code")]
pub async fn verify_code(phone: String, code: String) -> Result<Verified, ApiError> {
    use crate::server::{respond, state::AppState};
    let result = match AppState::from_context() {
        Ok(state) => {
            let verified = state
                .verifier
                .verify_code(&phone, &code, state.client_ip())
                .await;
            if let Ok(verified) = &verified {
                state.start_session(&verified.phone);
            }
            verified
        }
        Err(error) => Err(error),
    };
    respond::finish(result, |_| VERIFIED_PAGE.to_string())
}

/// The number this browser's session cookie says was verified, if any.
#[server(prefix = "/api", endpoint = "session")]
pub async fn get_session() -> Result<Option<Session>, ApiError> {
    use crate::{mask::mask_phone, server::state::AppState};
    let state = AppState::from_context()?;
    Ok(state.session_phone().map(|phone| Session {
        masked_phone: mask_phone(&phone),
    }))
}

/// Ends this browser's session and goes back to the start.
#[server(prefix = "/api", endpoint = "sign-out")]
pub async fn sign_out() -> Result<(), ApiError> {
    use crate::server::{respond, state::AppState};
    let result = AppState::from_context().map(|state| state.end_session());
    respond::finish(result, |_| "/".to_string())
}

/// The configured code format, so the code field can offer the right keyboard.
#[server(prefix = "/api", endpoint = "code-format")]
pub async fn get_code_format() -> Result<CodeFormat, ApiError> {
    use crate::server::state::AppState;
    Ok(AppState::from_context()?.verifier.code_format())
}

/// The delivery status of the code pending for `phone`, if there is one.
#[server(prefix = "/api", endpoint = "delivery-status")]
pub async fn get_delivery_status(phone: String) -> Result<Option<Delivery>, ApiError> {
    use crate::server::{respond, state::AppState};
    let result = match AppState::from_context() {
        Ok(state) => state.verifier.delivery_status(&phone).await,
        Err(error) => Err(error),
    };
    if let Err(error) = &result {
        respond::apply_error_status(error);
    }
    Ok(result?.map(|status| Delivery {
        status: status.as_str().to_string(),
    }))
}
