//! The HTML shell and the router: which page answers which path.

use crate::{
    document::head_basics,
    pages::{HomePage, NotFound, VerifiedPage, VerifyPage},
    paths,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    SsrMode,
};

/// The document around the app, rendered on the server only. The app hydrates inside
/// `#app`; around it, the header naming the deployment (`APP_NAME`) is static HTML.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::http::security::set_page_csp();
    #[cfg(feature = "ssr")]
    let app_name = use_context::<crate::server::http::state::AppState>()
        .map(|state| state.app_name().to_string());
    #[cfg(not(feature = "ssr"))]
    let app_name: Option<String> = None;
    let header = app_name.map(|name| view! { <header class="site-name">{name}</header> });
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                {head_basics(&options)}
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                {header}
                <div id="app">
                    <App />
                </div>
            </body>
        </html>
    }
}

/// The UI the server renders: this app and its shell, handed to the HTTP edge (which
/// does not depend on the pages).
#[cfg(feature = "ssr")]
pub fn ui() -> crate::server::http::Ui {
    crate::server::http::Ui {
        app: || view! { <App /> }.into_any(),
        shell: |options| shell(options).into_any(),
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
