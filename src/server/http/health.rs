//! Health for load balancers and orchestrators: `GET /livez` (the process answers),
//! `GET /readyz` (the store answers within a second with every migration applied, and
//! the server is not shutting down; 503 otherwise), and `GET /health`, kept as an alias
//! of `/livez`.

use super::state::AppState;
use axum::{extract::State, http::StatusCode};
use std::time::Duration;

/// How long the store may take to answer a readiness check.
const STORE_DEADLINE: Duration = Duration::from_secs(1);

pub(crate) async fn live() -> &'static str {
    "ok"
}

pub(crate) async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.is_draining() {
        return (StatusCode::SERVICE_UNAVAILABLE, "not ready: shutting down");
    }
    let codes = state.services().stores().codes.clone();
    match tokio::time::timeout(STORE_DEADLINE, codes.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(error)) => {
            tracing::warn!(%error, "not ready: the store failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "not ready: the store failed",
            )
        }
        Err(_) => {
            tracing::warn!("not ready: the store did not answer within 1 s");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "not ready: the store is slow",
            )
        }
    }
}
