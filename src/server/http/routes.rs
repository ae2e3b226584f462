//! Which handler answers which path, and the layers every request passes through: the
//! Leptos pages and server functions (routed by leptos_axum with the state in their
//! context), `/health`, `/dev/outbox` when SMS goes to the outbox, `/webhooks/telnyx`
//! when a webhook key is set; then the app's own steps (`pipeline`: load shedding and
//! timeout, API keys, cross-site check, latency, error statuses, security headers),
//! and the body-size, compression, tracing and request-id layers.

use super::{
    admin, assets, health, metrics_endpoint, oidc, outbox_page,
    pipeline::{self, Pipeline},
    protect::Protection,
    request_id,
    state::AppState,
    webhook,
};
use crate::paths;
use axum::{
    body::Body,
    http::Request,
    middleware,
    routing::{get, post},
    Router,
};
use leptos::prelude::*;
use leptos_axum::{
    generate_route_list, handle_server_fns_with_context, AxumRouteListing, LeptosRoutes,
};
use std::sync::OnceLock;
use tower_http::{limit::RequestBodyLimitLayer, trace::TraceLayer};

/// Largest request body accepted (forms are a few dozen bytes, webhooks a few KiB).
const MAX_BODY_BYTES: usize = 64 * 1024;

/// The user interface the server renders: the app's root view and the HTML document
/// around it. Given by the crate's UI (`app::ui`), so the edge does not depend on pages.
#[derive(Clone, Copy)]
pub struct Ui {
    pub app: fn() -> AnyView,
    pub shell: fn(LeptosOptions) -> AnyView,
}

/// The pages' routes, listed once per process. Listing them runs the app with resource
/// loading switched off for the whole process (leptos_server's `SuppressResourceLoad`
/// is one global flag), and a page whose resource first polled in that window never
/// finished: with several apps in one process (the tests), an app starting up while
/// another served a page cost that page its answer. A process serves one UI.
fn route_list(ui: Ui) -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(ui.app)).clone()
}

/// The app's router; it serves `/metrics` too when `with_metrics` (else the metrics
/// have their own listener, or are off).
pub(crate) fn router(
    state: AppState,
    ui: Ui,
    protection: Protection,
    with_metrics: bool,
) -> Router {
    let mut router = Router::new()
        .route("/livez", get(health::live))
        .route("/health", get(health::live))
        .route("/readyz", get(health::ready))
        // Server functions are routed by leptos_axum below; any other path under /api
        // gets server_fn's own answer (400, no such function) rather than a page.
        .route("/api/{*fn_name}", post(unknown_server_fn));
    if state.services().outbox().is_some() {
        router = router.route(paths::DEV_OUTBOX, get(outbox_page::show));
    }
    if state.services().webhooks().is_some() {
        router = router.route(paths::TELNYX_WEBHOOK, post(webhook::receive));
    }
    if with_metrics {
        router = router.route(paths::METRICS, get(metrics_endpoint::scrape));
    }
    if state.services().oidc().is_some() {
        use crate::server::oidc as provider;
        router = router
            .route(provider::DISCOVERY_PATH, get(oidc::discovery))
            .route(provider::JWKS_PATH, get(oidc::jwks))
            .route(
                provider::AUTHORIZE_PATH,
                get(oidc::authorize).post(oidc::authorize_form),
            )
            .route(provider::RESUME_PATH, get(oidc::resume))
            .route(provider::TOKEN_PATH, post(oidc::token))
            .route(
                provider::USERINFO_PATH,
                get(oidc::userinfo).post(oidc::userinfo),
            );
    }
    if state.admin().is_some() {
        router = router
            .route(paths::ADMIN, get(admin::show))
            .route(paths::ADMIN_LOGIN, post(admin::login))
            .route(paths::ADMIN_LOGOUT, post(admin::logout));
    }
    router
        .leptos_routes_with_context(
            &state,
            route_list(ui),
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            {
                let options = state.leptos_options().clone();
                move || (ui.shell)(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(ui.shell))
        // The app's own steps (limits, API keys, cross-site check, latency per route,
        // error statuses, security headers): one middleware, see `pipeline`.
        .layer(middleware::from_fn_with_state(
            Pipeline {
                state: state.clone(),
                protection,
            },
            pipeline::run,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(assets::compression())
        // Spans carry the path only: query strings hold phone numbers.
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                let id = request
                    .headers()
                    .get(request_id::HEADER)
                    .and_then(|id| id.to_str().ok())
                    .unwrap_or_default();
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    path = %request.uri().path(),
                    request_id = %id
                )
            }),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            request_id::request_id,
        ))
        .with_state(state)
}

async fn unknown_server_fn(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request<Body>,
) -> impl axum::response::IntoResponse {
    handle_server_fns_with_context(move || provide_context(state.clone()), request).await
}

/// The router of the separate metrics listener (`METRICS_ADDR`): `/metrics` only.
pub(crate) fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route(paths::METRICS, get(metrics_endpoint::scrape))
        .with_state(state)
}
