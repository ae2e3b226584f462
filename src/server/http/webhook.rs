//! `POST /webhooks/telnyx`: Telnyx's delivery reports and Call Control events. The
//! signature is checked before anything is parsed; then a message report is recorded by
//! the delivery tracker, and a call event (`call.*`) is handed to the voice channel. The
//! route exists only when `TELNYX_PUBLIC_KEY` is configured.

use super::state::AppState;
use crate::{
    delivery_status::DeliveryStatus,
    server::{domain::cost::WireCost, voice::CallPayload},
};
use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Event {
    data: EventData,
}

#[derive(Deserialize)]
struct EventData {
    event_type: String,
    payload: serde_json::Value,
}

#[derive(Deserialize)]
struct Message {
    id: String,
    #[serde(default)]
    to: Vec<Recipient>,
    /// What the message cost, once Telnyx knows (on `message.finalized`).
    #[serde(default)]
    cost: Option<WireCost>,
}

#[derive(Deserialize)]
struct Recipient {
    status: String,
}

/// Verifies, parses and records one delivery report. Telnyx wants an answer within 2 s:
/// the work is one indexed `UPDATE`.
pub(crate) async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let Some(verifier) = state.services().webhooks() else {
        return StatusCode::NOT_FOUND;
    };
    // An unreadable header is empty text: malformed, refused.
    let header = |name| headers.get(name).map(|value| value.to_str().unwrap_or(""));
    let signature = header("telnyx-signature-ed25519");
    if let Err(error) = verifier.verify(header("telnyx-timestamp"), signature, &body) {
        tracing::warn!(%error, "webhook refused");
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(event) = serde_json::from_slice::<Event>(&body) else {
        tracing::warn!("signed webhook with an unreadable body");
        return StatusCode::BAD_REQUEST;
    };
    let EventData {
        event_type,
        payload,
    } = event.data;
    if event_type.starts_with("call.") {
        return call_event(&state, &event_type, payload).await;
    }
    if !matches!(event_type.as_str(), "message.sent" | "message.finalized") {
        return StatusCode::NO_CONTENT;
    }
    let Ok(message) = serde_json::from_value::<Message>(payload) else {
        tracing::warn!(
            event_type,
            "signed message event with an unreadable payload"
        );
        return StatusCode::BAD_REQUEST;
    };
    let Some(status) = message
        .to
        .first()
        .and_then(|to| DeliveryStatus::parse(&to.status))
    else {
        return StatusCode::NO_CONTENT;
    };
    match state
        .services()
        .delivery()
        .record(
            &message.id,
            status,
            message.cost.as_ref().and_then(WireCost::parse),
        )
        .await
    {
        Ok(()) => StatusCode::NO_CONTENT,
        Err(error) => {
            tracing::error!(%error, "could not record a delivery status");
            // Telnyx retries on failure: let it.
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}

/// A Call Control event: handled by the voice channel (ignored with voice off).
async fn call_event(state: &AppState, event_type: &str, payload: serde_json::Value) -> StatusCode {
    let Some(voice) = state.services().voice() else {
        return StatusCode::NO_CONTENT;
    };
    let Ok(call) = serde_json::from_value::<CallPayload>(payload) else {
        tracing::warn!(event_type, "signed call event with an unreadable payload");
        return StatusCode::BAD_REQUEST;
    };
    match voice.handle(event_type, call).await {
        Ok(()) => StatusCode::NO_CONTENT,
        Err(error) => {
            tracing::error!(event_type, %error, "could not handle a call event");
            // Telnyx retries on failure; commands carry ids, so a retry acts once.
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}
