//! The app's own steps around every request, in one middleware and in this order:
//! the server's limits (`protect`: shed when full, answer for a request that takes too
//! long), then the API key (`api_keys`) and the cross-site check (`security`), the
//! language switcher's redirect (`locale`), the handler (timed per route, `latency`),
//! the status of a server function's failure (`respond`), and the security headers
//! (`security`) on whatever answers. Each step is a plain function of the module that
//! owns its concern; one middleware instead of one per step spares every request a
//! layer's service clone, boxed future and response mapping per step (as seven layers,
//! the steps took an eighth to a sixth of the app's CPU per call in the benchmark).

use super::{api_keys, latency, locale, protect, respond, security, state::AppState};
use crate::error::ApiError;
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};

/// What the steps need: the app's state and the server's limits.
#[derive(Clone)]
pub(crate) struct Pipeline {
    pub state: AppState,
    pub protection: protect::Protection,
}

/// Runs a request through the steps.
pub(crate) async fn run(
    State(pipeline): State<Pipeline>,
    request: Request,
    next: Next,
) -> Response {
    let uri = request.uri().clone();
    protect::within_limits(
        &pipeline.protection,
        &uri,
        checked(&pipeline.state, request, next),
    )
    .await
}

/// The steps inside the server's limits.
async fn checked(state: &AppState, mut request: Request, next: Next) -> Response {
    let https = security::over_https(state, &request);
    let mut response = match admit(state, &mut request) {
        Err(refused) => respond::error_response(refused),
        Ok(()) => match locale::remember_choice(&request) {
            Some(redirect) => redirect,
            None => {
                let html_form = respond::accepts_html(request.headers());
                let response = latency::record(state, request, next).await;
                respond::error_status(html_form, response).await
            }
        },
    };
    security::add_headers(response.headers_mut(), https);
    response
}

/// The API key, then the cross-site check (a keyed backend is exempt from it).
fn admit(state: &AppState, request: &mut Request) -> Result<(), ApiError> {
    api_keys::check(state, request)?;
    security::check_cross_site(state, request)
}
