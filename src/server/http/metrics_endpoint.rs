//! `GET /metrics`: Prometheus' text exposition of this instance's metrics, with the
//! pending-codes gauge read from the store at scrape time. Who may scrape:
//! - with `METRICS_ADDR`, anyone reaching that listener (and only there), holding
//!   `METRICS_TOKEN` if one is set;
//! - else, with `METRICS_TOKEN`, requests bearing it;
//! - else, on a development server (loopback, no `PUBLIC_URL`), anyone local;
//! - else nobody: the route does not exist.

use super::{state::AppState, tokens};
use crate::server::metrics::CONTENT_TYPE;
use axum::{
    extract::State,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use std::time::Duration;

/// How long the store may take to count pending codes before the scrape goes without.
const STORE_DEADLINE: Duration = Duration::from_secs(1);

pub(crate) async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = state.metrics_token() {
        if !tokens::authorized(&headers, token) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\"")],
                "a bearer token (METRICS_TOKEN) is required\n",
            )
                .into_response();
        }
    }
    let services = state.services();
    let now = services.clock().now();
    let pending = match tokio::time::timeout(
        STORE_DEADLINE,
        services.stores().codes.count_pending(now),
    )
    .await
    {
        Ok(Ok(pending)) => Some(pending),
        Ok(Err(error)) => {
            tracing::warn!(%error, "metrics: could not count pending codes");
            None
        }
        Err(_) => None,
    };
    (
        [(header::CONTENT_TYPE, CONTENT_TYPE)],
        services.metrics().render(pending),
    )
        .into_response()
}
