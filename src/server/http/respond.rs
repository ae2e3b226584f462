//! How failures reach API clients: the one place that puts an [`ApiError`]'s HTTP status
//! and `Retry-After` on a response. Server functions only return the error; the
//! [`error_status`] step of every request reads it back from their response and sets
//! the status. Plain HTML form posts are left alone: the server-function layer answers
//! them with a redirect back to the form (the error in the URL), and a 4xx would stop
//! the browser from following it.

use crate::error::ApiError;
use axum::{
    body::{to_bytes, Body},
    response::{IntoResponse, Response},
    Json,
};
use http::{header, HeaderValue, StatusCode};

/// Largest error body read back (they are a few hundred bytes).
const MAX_ERROR_BODY: usize = 16 * 1024;

/// A JSON error response with the error's status and `Retry-After`.
pub(crate) fn error_response(error: ApiError) -> Response {
    let mut response = Json(&error).into_response();
    apply_status(&error, &mut response);
    response
}

/// Sets the status of a server function's failure from the error it carries, unless
/// the request was a plain HTML form post (`html_form`, see [`accepts_html`]).
pub(crate) async fn error_status(html_form: bool, response: Response) -> Response {
    if html_form
        || !response
            .headers()
            .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    let mut response = Response::from_parts(parts, Body::from(bytes.clone()));
    if let Ok(error) = serde_json::from_slice::<ApiError>(&bytes) {
        apply_status(&error, &mut response);
    }
    response
}

fn apply_status(error: &ApiError, response: &mut Response) {
    *response.status_mut() =
        StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(seconds) = error.retry_after_seconds {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
}

/// A plain HTML form post (no JavaScript): it follows redirects and wants pages.
pub(crate) fn accepts_html(headers: &http::HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("text/html"))
}
