//! The HTML shell and the router: which page answers which path.

use crate::{
    pages::{HomePage, NotFound, VerifiedPage, VerifyPage},
    paths,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    SsrMode,
};

/// The document around the app, rendered on the server only. The stylesheet's name
/// comes from the Leptos options (`output-name` and `site-pkg-dir` in Cargo.toml).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::http::security::set_page_csp();
    let stylesheet = stylesheet_href(&options);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link id="leptos" rel="stylesheet" href=stylesheet />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application: three pages of the verification flow.
///
/// Every page renders fully on the server (`SsrMode::Async`), so the flow works before
/// (or without) the WASM bundle; once hydrated, forms submit without page reloads.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    mark_hydrated();

    view! {
        <Title text="Verify your phone number" />
        <Router>
            <main class="page">
                <Routes fallback=NotFound>
                    <Route path=paths::segment(paths::HOME) view=HomePage ssr=SsrMode::Async />
                    <Route path=paths::segment(paths::VERIFY) view=VerifyPage ssr=SsrMode::Async />
                    <Route path=paths::segment(paths::VERIFIED) view=VerifiedPage ssr=SsrMode::Async />
                </Routes>
            </main>
        </Router>
    }
}

/// The app's stylesheet, as cargo-leptos names it: `/{site-pkg-dir}/{output-name}.css`.
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    format!("/{}/{}.css", options.site_pkg_dir, options.output_name)
}

/// Sets `data-hydrated` on `<body>` once the WASM bundle has taken over the page, so that
/// browser tests (and people debugging) can tell a hydrated page from a server-rendered one.
fn mark_hydrated() {
    Effect::new(|_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
