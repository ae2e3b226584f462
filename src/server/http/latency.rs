//! Request latency per endpoint, for the metrics: a route layer, so the endpoint label is
//! the matched route pattern (`/api/request-code`, `/verify`), never a raw path.

use super::state::AppState;
use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::Response,
};
use std::time::Instant;

pub(crate) async fn record(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let endpoint = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "other".to_string(), |path| path.as_str().to_string());
    // Methods are a closed set too: anything unusual is `other`.
    let method = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
        .into_iter()
        .find(|known| *known == request.method().as_str())
        .unwrap_or("other");
    let started = Instant::now();
    let response = next.run(request).await;
    state.services().metrics().request_finished(
        &endpoint,
        method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}
