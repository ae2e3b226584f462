//! The JSON bodies the server functions answer with: the API's wire format, shared by the
//! server and the WASM bundle. A leaf: it knows nothing of how the answers are made.

use crate::{channel::Channel, delivery_status::DeliveryStatus};
use serde::{Deserialize, Serialize};

/// A code was generated, stored and handed to the SMS provider (or to a voice call).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSent {
    /// The verification the code belongs to: send it back with the code (browsers get
    /// it as a cookie too).
    pub verification_id: String,
    /// The number in E.164, as normalized by the server.
    pub phone: String,
    /// The same number masked for display, e.g. `+1212***0123`.
    pub masked_phone: String,
    /// How long the code stays valid.
    pub expires_in_seconds: u64,
    /// How it goes out: `sms` or `voice`.
    #[serde(default)]
    pub channel: Channel,
    /// Seconds until a call may be offered instead (`VOICE_OFFER_AFTER_SECONDS`); absent
    /// with voice off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_offer_in_seconds: Option<u64>,
    /// Seconds until another SMS may be asked for (the resend cooldown; 0: now).
    #[serde(default)]
    pub resend_in_seconds: u64,
}

/// The code was right: the number is verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    pub phone: String,
    pub masked_phone: String,
    /// Where the browser goes next when the verification was for a relying party's
    /// sign-in (OpenID Connect): a full page load, not a route of this app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continue_to: Option<String>,
}

/// The relying party this browser is signing in to, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    /// The client's configured name.
    pub client_name: String,
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

/// The code a verification is waiting for, as the code page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCode {
    pub masked_phone: String,
    pub expires_in_seconds: u64,
    pub status: DeliveryStatus,
    /// The codes' length and alphabet, for the code field.
    pub format: CodeFormat,
    /// How the code went out: `sms` or `voice`.
    #[serde(default)]
    pub channel: Channel,
    /// Seconds until "Call me instead" is offered (0: now); absent with voice off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_offer_in_seconds: Option<u64>,
    /// Seconds until another SMS may be asked for (the resend cooldown; 0: now).
    #[serde(default)]
    pub resend_in_seconds: u64,
}

/// Where the SMS with the pending code is (or the call reading it out), as Telnyx (or the
/// dev outbox) reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub status: DeliveryStatus,
}

/// The signed-in session: which number was verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub masked_phone: String,
}
