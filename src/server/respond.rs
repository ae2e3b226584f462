//! How server-function results become HTTP responses: API clients get the error's status
//! (and `Retry-After`); plain form posts get redirects, so the flow works without WASM.

use crate::error::ApiError;
use http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// Redirects to `success_path(value)` on success, or sets the error's status on failure.
pub fn finish<T>(
    result: Result<T, ApiError>,
    success_path: impl FnOnce(&T) -> String,
) -> Result<T, ApiError> {
    match &result {
        Ok(value) => leptos_axum::redirect(&success_path(value)),
        Err(error) => apply_error_status(error),
    }
    result
}

/// Sets the error's HTTP status and `Retry-After` on the response being built.
///
/// Plain HTML form posts are left alone: the server-function layer answers them with a
/// redirect back to the form, carrying the error in the URL, and a 4xx would stop the
/// browser from following it.
pub fn apply_error_status(error: &ApiError) {
    let (Some(request), Some(response)) =
        (use_context::<Parts>(), use_context::<ResponseOptions>())
    else {
        return;
    };
    if accepts_html(&request) {
        return;
    }
    response.set_status(
        StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
    );
    if let Some(seconds) = error.retry_after_seconds {
        response.insert_header(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
}

fn accepts_html(request: &Parts) -> bool {
    request
        .headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("text/html"))
}
