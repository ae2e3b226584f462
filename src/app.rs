//! The HTML shell and the router: which page answers which path.

use crate::{
    document::head_basics,
    i18n::t,
    locale::Locale,
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
    let locale = page_locale();
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                {head_basics(&options)}
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                {header}
                <LanguageSwitcher locale />
                <div id="app">
                    <App />
                </div>
            </body>
        </html>
    }
}

/// Links to the page in each language: plain links (a full page load, also without
/// JavaScript) to `?lang=…`, which the server remembers in a cookie.
#[component]
fn LanguageSwitcher(locale: Locale) -> impl IntoView {
    let links = Locale::ALL
        .into_iter()
        .map(|other| {
            view! {
                <a
                    href=format!("?lang={}", other.code())
                    hreflang=other.code()
                    lang=other.code()
                    rel="external"
                    aria-current=(other == locale).then_some("true")
                >
                    {other.name()}
                </a>
            }
        })
        .collect_view();
    view! {
        <nav class="languages" aria-label=t(locale, "language")>
            {links}
        </nav>
    }
}

/// The page's language: on the server, the request's (the switcher's pick, else
/// `Accept-Language`); in the browser, the one the server wrote on `<html lang>`, so
/// hydration renders the same text.
pub fn page_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| crate::server::http::locale::of_request(&parts.headers))
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        document()
            .document_element()
            .and_then(|root| root.get_attribute("lang"))
            .and_then(|lang| lang.parse().ok())
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Locale::default()
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
    let locale = page_locale();
    provide_context(locale);

    view! {
        <Title text=t(locale, "page-title") />
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
