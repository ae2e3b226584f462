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

/// The document around the app, rendered on the server only, with the header naming the
/// deployment (`APP_NAME`). Pages are HTML and plain forms; the small `forms.js` shows
/// a form's pending state, and only a page with an island (the code page) loads the
/// WASM bundle, which hydrates just its island.
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
    let islands =
        has_islands().then(|| view! { <HydrationScripts options=options.clone() islands=true /> });
    view! {
        <!DOCTYPE html>
        <html lang=locale.code()>
            <head>
                {head_basics(&options)}
                {islands}
                <script src="/forms.js" nonce=leptos::nonce::use_nonce() defer></script>
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

/// The page's language: the request's (the switcher's pick, else `Accept-Language`).
/// Only the server renders text; the code page's island is given its texts.
pub fn page_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| crate::server::http::locale::of_request(&parts.headers))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Locale::default()
    }
}

/// Whether the requested page has an island: only the code page does.
fn has_islands() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().is_some_and(|parts| parts.uri.path() == paths::VERIFY)
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
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
/// Every page renders fully on the server (`SsrMode::Async`) and its forms are plain
/// posts, so the flow works before (or without) the WASM bundle, which only the code
/// page's island loads.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
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
