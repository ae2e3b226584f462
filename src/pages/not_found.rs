//! The page for any path the app does not know (with a 404 status on the server).

use crate::i18n::{t, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }

    let locale = use_locale();
    view! {
        <Title text=t(locale, "not-found-title") />
        <section class="card">
            <h1>{t(locale, "not-found-heading")}</h1>
            <a class="link" href=crate::paths::HOME>{t(locale, "not-found-link")}</a>
        </section>
    }
}
