//! A Telnyx-compatible Messaging API on a random local port: records every request and
//! answers with the documented wire format, or with the scripted reply queued next.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
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
            accepted(&body).into_response()
        }
        None => accepted(&body).into_response(),
    }
}

/// The documented success body: the message, queued.
fn accepted(request: &Value) -> Json<Value> {
    Json(json!({
        "data": {
            "record_type": "message",
            "direction": "outbound",
            "id": "40385f64-5717-4562-b3fc-2c963f66afa6",
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
