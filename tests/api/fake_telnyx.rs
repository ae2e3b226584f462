//! A Telnyx-compatible Messaging API on a random local port: records every request and
//! answers with the documented wire format, or with the scripted reply queued next.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde_json::{json, Value};
use std::{
    collections::VecDeque,
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
    let header = |name: &str| {
        headers
            .get(name)
            .map(|value| value.to_str().unwrap().to_string())
    };
    let body: Value = serde_json::from_slice(&body).expect("the app sends JSON");
    inner.received.lock().unwrap().push(Received {
        authorization: header("authorization"),
        content_type: header("content-type"),
        body: body.clone(),
    });
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
