//! telnyx-2fa: SMS two-factor authentication on Telnyx, as one Leptos full-stack app.
//!
//! Shared modules (compiled for the server and the WASM bundle) hold the UI, the
//! server-function signatures and their wire types; everything behind the `ssr` feature
//! lives in [`server`]. Dependencies point one way: pages → api → server's HTTP edge →
//! services → domain and stores; the shared leaves (`error`, `delivery_status`, `paths`,
//! `mask`) depend on nothing of the app.

pub(crate) mod api;
pub mod app;
pub mod channel;
pub mod delivery_status;
pub(crate) mod document;
pub(crate) mod error;
pub(crate) mod i18n;
pub mod locale;
#[cfg(feature = "ssr")]
pub(crate) mod mask;
mod pages;
pub(crate) mod paths;

#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the WASM bundle: starts the reactive system for the page's islands
/// (the rest of the page is server-rendered HTML and stays so).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}
