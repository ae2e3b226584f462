//! telnyx-2fa: SMS two-factor authentication on Telnyx, as one Leptos full-stack app.
//!
//! Shared modules (compiled for the server and the WASM bundle) hold the UI and the
//! server-function signatures; everything behind the `ssr` feature lives in [`server`].

pub mod api;
pub mod app;
pub mod error;
pub mod mask;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the WASM bundle: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
