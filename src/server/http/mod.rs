//! The HTTP edge: everything that knows about axum, Leptos' server integration and
//! requests. It builds the services (`server::services`), routes requests to them, turns
//! their typed errors into API errors and statuses, and owns the browser-facing parts
//! (security headers, session cookies, client IPs, the webhook and outbox endpoints).

pub(crate) mod admin;
pub(crate) mod api_keys;
pub(crate) mod assets;
pub(crate) mod client_ip;
pub(crate) mod cookies;
pub(crate) mod edge;
pub(crate) mod errors;
pub(crate) mod health;
pub(crate) mod latency;
pub(crate) mod locale;
pub(crate) mod metrics_endpoint;
pub(crate) mod oidc;
pub(crate) mod outbox_page;
pub(crate) mod pipeline;
pub(crate) mod polls;
pub(crate) mod protect;
pub(crate) mod request_id;
pub(crate) mod respond;
pub(crate) mod routes;
pub(crate) mod security;
pub(crate) mod session;
pub(crate) mod site;
pub mod startup;
pub(crate) mod state;
pub(crate) mod tokens;
pub(crate) mod webhook;

pub use routes::Ui;
