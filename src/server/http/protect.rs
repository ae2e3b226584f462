//! The server's own limits on the work it takes on: at most `MAX_CONCURRENT_REQUESTS`
//! requests in flight (more are shed at once, never queued), each answered within
//! `REQUEST_TIMEOUT_SECONDS`. Both refusals are 503 `overloaded` with `Retry-After: 1`.
//! (The header-read timeout is the accept loop's, in `startup`.)

use super::{errors, respond};
use crate::server::config::HttpConfig;
use axum::{http::Uri, response::Response};
use std::{future::Future, sync::Arc, time::Duration};
use tokio::sync::Semaphore;

#[derive(Clone)]
pub(crate) struct Protection {
    in_flight: Arc<Semaphore>,
    capacity: usize,
    timeout: Duration,
}

impl Protection {
    pub(crate) fn new(http: &HttpConfig) -> Self {
        Self {
            in_flight: Arc::new(Semaphore::new(http.max_concurrent_requests)),
            capacity: http.max_concurrent_requests,
            timeout: http.request_timeout,
        }
    }

    /// Requests being served right now.
    pub(crate) fn in_flight(&self) -> usize {
        self.capacity
            .saturating_sub(self.in_flight.available_permits())
    }
}

/// Serves one request within the server's limits: shed at once when the server is
/// full, answered for when `serve` takes too long.
pub(crate) async fn within_limits(
    protection: &Protection,
    uri: &Uri,
    serve: impl Future<Output = Response>,
) -> Response {
    // `try_acquire` never waits (and never yields): a full server answers at once.
    let Ok(_slot) = protection.in_flight.clone().try_acquire_owned() else {
        tracing::warn!(path = %uri.path(), "shedding load: too many requests in flight");
        return respond::error_response(errors::overloaded());
    };
    match tokio::time::timeout(protection.timeout, serve).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(path = %uri.path(), "request timed out");
            respond::error_response(errors::overloaded())
        }
    }
}
