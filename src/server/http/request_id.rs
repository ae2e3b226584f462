//! A request id for every request, for logs and support: the `x-request-id` a trusted
//! proxy sent, else a fresh random one; it is in the request's log span and echoed in the
//! response.

use super::{client_ip::peer_of_request, state::AppState};
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use http::HeaderValue;
use rand::RngCore;

pub(crate) const HEADER: &str = "x-request-id";

pub(crate) async fn request_id(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let trusted = state.trusted_proxies().trusts(peer_of_request(&request));
    let given = request
        .headers()
        .get(HEADER)
        .filter(|value| trusted && usable(value))
        .cloned();
    let id = given.unwrap_or_else(generate);
    request.headers_mut().insert(HEADER, id.clone());
    let mut response = next.run(request).await;
    response.headers_mut().insert(HEADER, id);
    response
}

/// 1 to 128 characters that can't break a log line or a header.
fn usable(value: &HeaderValue) -> bool {
    value.to_str().is_ok_and(|id| {
        (1..=128).contains(&id.len())
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
    })
}

fn generate() -> HeaderValue {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    HeaderValue::from_str(&hex::encode(bytes)).unwrap_or(HeaderValue::from_static("unknown"))
}
