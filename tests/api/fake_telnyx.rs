//! A Telnyx-compatible Messaging API and Call Control API on a random local port: records
//! every request and answers with the documented wire format, or with the scripted reply
//! queued next. Calls keep their latest `client_state`, which [`FakeTelnyx::call_event`]
//! echoes in signed webhooks, as Telnyx does.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde_json::{json, Value};
use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
    time::Duration,
};

/// One request as Telnyx would have received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub body: Value,
}

impl Received {
    fn from_parts(headers: &HeaderMap, body: Value) -> Self {
        let header = |name: &str| {
            headers
                .get(name)
                .map(|value| value.to_str().unwrap().to_string())
        };
        Self {
            authorization: header("authorization"),
            content_type: header("content-type"),
            body,
        }
    }

    /// The code in the message text (the first run of 4 to 10 code characters after "is ").
    pub fn code(&self) -> String {
        let text = self.body["text"].as_str().expect("text is a string");
        let after = text.split(" code is ").nth(1).expect("text names the code");
        after.split('.').next().unwrap().to_string()
    }
}

/// What to answer to the next request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// HTTP status, extra headers, raw body.
    Error {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// Wait this long, then accept (to make the app time out).
    Slow(Duration),
}

impl Reply {
    /// An error in Telnyx's documented body format.
    pub fn telnyx_error(status: u16, code: &str, title: &str) -> Self {
        Reply::Error {
            status,
            headers: vec![],
            body: json!({"errors": [{"code": code, "title": title, "detail": title,
                                      "meta": {"url": format!("https://developers.telnyx.com/docs/overview/errors/{code}")}}]})
            .to_string(),
        }
    }
}

#[derive(Default)]
struct Inner {
    received: Mutex<Vec<Received>>,
    script: Mutex<VecDeque<Reply>>,
    /// Ids of the messages accepted so far, in order.
    accepted: Mutex<Vec<String>>,
    /// `POST /v2/calls` requests, in order.
    dials: Mutex<Vec<Received>>,
    /// Call Control commands: (call_control_id, action, body), in order.
    commands: Mutex<Vec<(String, String, Value)>>,
    /// Each call's latest client_state (set by the dial, replaced by later commands).
    client_states: Mutex<HashMap<String, String>>,
}

pub struct FakeTelnyx {
    pub url: String,
    inner: Arc<Inner>,
}

impl FakeTelnyx {
    pub async fn start() -> Self {
        let inner = Arc::new(Inner::default());
        let app = Router::new()
            .route("/v2/messages", post(send_message))
            .route("/v2/messaging_profiles", get(messaging_profiles))
            .route("/v2/calls", post(dial))
            .route("/v2/calls/{id}/actions/{action}", post(call_command))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { url, inner }
    }

    /// Queues the reply to the next request.
    pub fn reply_next(&self, reply: Reply) {
        self.inner.script.lock().unwrap().push_back(reply);
    }

    pub fn received(&self) -> Vec<Received> {
        self.inner.received.lock().unwrap().clone()
    }

    pub fn last(&self) -> Received {
        self.received()
            .last()
            .cloned()
            .expect("Telnyx received a message")
    }

    /// The `POST /v2/calls` requests received, in order.
    pub fn dials(&self) -> Vec<Received> {
        self.inner.dials.lock().unwrap().clone()
    }

    /// The `call_control_id` of the last call placed.
    pub fn last_call_id(&self) -> String {
        let dials = self.inner.dials.lock().unwrap().len();
        assert!(dials > 0, "no call was placed");
        call_control_id(dials)
    }

    /// The commands (`speak`, `hangup`, ...) received for a call, with their bodies.
    pub fn commands(&self, call_control_id: &str) -> Vec<(String, Value)> {
        self.inner
            .commands
            .lock()
            .unwrap()
            .iter()
            .filter(|(id, _, _)| id == call_control_id)
            .map(|(_, action, body)| (action.clone(), body.clone()))
            .collect()
    }

    /// The text of the last `speak` command on a call.
    pub fn spoken(&self, call_control_id: &str) -> Option<Value> {
        self.commands(call_control_id)
            .into_iter()
            .rev()
            .find(|(action, _)| action == "speak")
            .map(|(_, body)| body)
    }

    /// Sends the call's webhook `event_type`, signed, with the call's latest
    /// `client_state` and the `extra` payload fields (`result`, `hangup_cause`, ...).
    pub async fn call_event(
        &self,
        sender: &WebhookSender,
        app: &str,
        call_control_id: &str,
        event_type: &str,
        extra: Value,
    ) -> u16 {
        let client_state = self
            .inner
            .client_states
            .lock()
            .unwrap()
            .get(call_control_id)
            .cloned();
        let mut payload = json!({
            "call_control_id": call_control_id,
            "call_leg_id": format!("leg-{call_control_id}"),
            "call_session_id": format!("session-{call_control_id}"),
            "client_state": client_state,
            "connection_id": "1684641123236054244",
            "from": "+15550001111",
            "to": "+12125550123",
            "direction": "outgoing",
            "state": "answered"
        });
        for (key, value) in extra.as_object().cloned().unwrap_or_default() {
            payload[key] = value;
        }
        let body = json!({
            "data": {
                "record_type": "event",
                "id": format!("evt-{event_type}-{call_control_id}"),
                "event_type": event_type,
                "occurred_at": "2026-12-01T10:00:01.000+00:00",
                "payload": payload
            },
            "meta": {"attempt": 1, "delivered_to": "https://auth.example.com/webhooks/telnyx"}
        })
        .to_string();
        sender.post(app, &body).await
    }

    /// The id Telnyx gave the last message it accepted.
    pub fn last_message_id(&self) -> String {
        self.inner
            .accepted
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("a message was accepted")
    }
}

/// Sends delivery webhooks the way Telnyx does: Ed25519-signed over
/// `"{timestamp}|{raw body}"`, to the app's `/webhooks/telnyx`.
pub struct WebhookSender {
    pub key: ed25519_dalek::SigningKey,
    pub client: reqwest::Client,
}

impl WebhookSender {
    pub fn new() -> Self {
        Self {
            key: ed25519_dalek::SigningKey::from_bytes(&[9; 32]),
            client: reqwest::Client::new(),
        }
    }

    /// The public key to configure as `TELNYX_PUBLIC_KEY`.
    pub fn public_key(&self) -> String {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(self.key.verifying_key().as_bytes())
    }

    /// The documented event body for `message_id` reaching `status`.
    pub fn event(event_type: &str, message_id: &str, status: &str) -> String {
        json!({
            "data": {
                "record_type": "event",
                "id": format!("evt-{message_id}-{status}"),
                "event_type": event_type,
                "occurred_at": "2026-11-28T10:00:01.000+00:00",
                "payload": {
                    "record_type": "message",
                    "id": message_id,
                    "to": [{"phone_number": "+12125550123", "status": status,
                            "carrier": "T-MOBILE USA, INC.", "line_type": "Wireless"}],
                    "cost": {"amount": 0.0051, "currency": "USD"},
                    "errors": []
                }
            },
            "meta": {"attempt": 1, "delivered_to": "https://auth.example.com/webhooks/telnyx"}
        })
        .to_string()
    }

    /// Posts `body` signed now; returns the HTTP status.
    pub async fn post(&self, app: &str, body: &str) -> u16 {
        let timestamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        self.post_signed(app, body, timestamp, body).await
    }

    /// Posts `body` with a signature over `signed_body` at `timestamp`.
    pub async fn post_signed(
        &self,
        app: &str,
        body: &str,
        timestamp: u64,
        signed_body: &str,
    ) -> u16 {
        use base64::Engine;
        use ed25519_dalek::Signer;
        let signature = self
            .key
            .sign(format!("{timestamp}|{signed_body}").as_bytes());
        self.client
            .post(format!("{app}/webhooks/telnyx"))
            .header("content-type", "application/json")
            .header("telnyx-timestamp", timestamp.to_string())
            .header(
                "telnyx-signature-ed25519",
                base64::engine::general_purpose::STANDARD.encode(signature.to_bytes()),
            )
            .body(body.to_string())
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

async fn send_message(
    State(inner): State<Arc<Inner>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body: Value = serde_json::from_slice(&body).expect("the app sends JSON");
    inner
        .received
        .lock()
        .unwrap()
        .push(Received::from_parts(&headers, body.clone()));
    let reply = inner.script.lock().unwrap().pop_front();
    match reply {
        Some(Reply::Error {
            status,
            headers,
            body,
        }) => {
            let mut response = (StatusCode::from_u16(status).unwrap(), body).into_response();
            for (name, value) in headers {
                response.headers_mut().insert(name, value.parse().unwrap());
            }
            response
        }
        Some(Reply::Slow(delay)) => {
            tokio::time::sleep(delay).await;
            accepted(&inner, &body).into_response()
        }
        None => accepted(&inner, &body).into_response(),
    }
}

/// The documented success body: the message, queued, with a fresh id.
fn accepted(inner: &Inner, request: &Value) -> Json<Value> {
    let mut accepted = inner.accepted.lock().unwrap();
    let id = format!("40385f64-5717-4562-b3fc-{:012x}", accepted.len() + 1);
    accepted.push(id.clone());
    Json(json!({
        "data": {
            "record_type": "message",
            "direction": "outbound",
            "id": id,
            "type": "SMS",
            "messaging_profile_id": request.get("messaging_profile_id"),
            "from": {"phone_number": request.get("from"), "carrier": "Telnyx", "line_type": "Wireless"},
            "to": [{"phone_number": request["to"], "status": "queued",
                    "carrier": "T-MOBILE USA, INC.", "line_type": "Wireless"}],
            "text": request["text"],
            "media": [],
            "encoding": "GSM-7",
            "parts": 1,
            "tags": [],
            "cost": {"amount": "0.0051", "currency": "USD"},
            "received_at": "2026-11-28T10:00:00.000+00:00",
            "sent_at": null,
            "completed_at": null,
            "valid_until": null,
            "errors": []
        }
    }))
}

/// `GET /v2/messaging_profiles`: a page of profiles for the test key, 401 for any other.
async fn messaging_profiles(headers: HeaderMap) -> Response {
    let authorized = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        == Some(&format!("Bearer {}", crate::helpers::API_KEY));
    if !authorized {
        let body = json!({"errors": [{"code": "10009", "title": "Authentication failed"}]});
        return (StatusCode::UNAUTHORIZED, Json(body)).into_response();
    }
    Json(json!({"data": [], "meta": {"page_number": 1, "total_results": 0}})).into_response()
}

/// The `call_control_id` the fake gives its `n`th call (from 1), in Telnyx's `v3:` form.
fn call_control_id(n: usize) -> String {
    format!("v3:u5OAKGEPT3Dx8SZSSDRWEMdNH2OripQhO-{n:04}")
}

/// `POST /v2/calls`: records the dial and answers the documented call object, or the
/// scripted reply.
async fn dial(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).expect("the app sends JSON");
    let received = Received::from_parts(&headers, body.clone());
    if let Some(Reply::Error {
        status,
        headers,
        body: error,
    }) = inner.script.lock().unwrap().pop_front()
    {
        inner.dials.lock().unwrap().push(received);
        // A refused dial places no call: it gets no id the tests could look up.
        let mut response = (StatusCode::from_u16(status).unwrap(), error).into_response();
        for (name, value) in headers {
            response.headers_mut().insert(name, value.parse().unwrap());
        }
        return response;
    }
    let id = {
        let mut dials = inner.dials.lock().unwrap();
        dials.push(received);
        call_control_id(dials.len())
    };
    keep_client_state(&inner, &id, &body);
    Json(json!({
        "data": {
            "call_control_id": id,
            "call_leg_id": format!("leg-{id}"),
            "call_session_id": format!("session-{id}"),
            "is_alive": false,
            "record_type": "call",
            "call_duration": 0,
            "start_time": "2026-12-01T10:00:00.000+00:00"
        }
    }))
    .into_response()
}

/// `POST /v2/calls/{call_control_id}/actions/{action}`: records the command; a command
/// with a `client_state` replaces the call's. Unknown calls get Telnyx's 422 (90018:
/// the call has already ended).
async fn call_command(
    State(inner): State<Arc<Inner>>,
    Path((id, action)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let body: Value = serde_json::from_slice(&body).expect("the app sends JSON");
    if !inner.client_states.lock().unwrap().contains_key(&id) {
        let error = json!({"errors": [{"code": "90018", "title": "Call has already ended",
            "detail": "This call is no longer active and can't receive commands."}]});
        return (StatusCode::UNPROCESSABLE_ENTITY, Json(error)).into_response();
    }
    keep_client_state(&inner, &id, &body);
    inner.commands.lock().unwrap().push((id, action, body));
    Json(json!({"data": {"result": "ok"}})).into_response()
}

/// Remembers a command's `client_state` as the call's, to echo in its next webhooks.
fn keep_client_state(inner: &Inner, id: &str, command: &Value) {
    if let Some(state) = command["client_state"].as_str() {
        inner
            .client_states
            .lock()
            .unwrap()
            .insert(id.to_string(), state.to_string());
    }
}
