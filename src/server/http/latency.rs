//! Request latency per endpoint, for the metrics: the endpoint label is the matched route
//! pattern (`/api/request-code`, `/verify`), never a raw path. Timed around the handler,
//! as the innermost of the app's own steps (`pipeline`).

use super::state::AppState;
use axum::{
    extract::{MatchedPath, Request},
    middleware::Next,
    response::Response,
};
use std::time::Instant;

/// Serves `request` with `next`, and records how long that took under the matched route
/// (a request no route matched, a static file or a 404, is not recorded: its path is no
/// label).
pub(crate) async fn record(state: &AppState, request: Request, next: Next) -> Response {
    let Some(endpoint) = request.extensions().get::<MatchedPath>().cloned() else {
        return next.run(request).await;
    };
    // Methods are a closed set too: anything unusual is `other`.
    let method = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
        .into_iter()
        .find(|known| *known == request.method().as_str())
        .unwrap_or("other");
    let started = Instant::now();
    let response = next.run(request).await;
    state.services().metrics().request_finished(
        endpoint.as_str(),
        method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}
