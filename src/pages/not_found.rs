//! The page for any path the app does not know (with a 404 status on the server).

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }

    view! {
        <Title text="Not found" />
        <section class="card">
            <h1>"Page not found"</h1>
            <a class="link" href=crate::paths::HOME>"Verify a phone number"</a>
        </section>
    }
}
