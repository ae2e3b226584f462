//! `/verified?phone=…`: the page shown after a successful verification.

use crate::mask::mask_phone;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Confirms that the number is verified.
#[component]
pub fn VerifiedPage() -> impl IntoView {
    let phone = use_query_map()
        .read_untracked()
        .get("phone")
        .unwrap_or_default();
    let masked = mask_phone(&phone);

    view! {
        <Title text="Verified" />
        <section class="card success">
            <h1>"Verified"</h1>
            <p class="lead">
                <strong data-testid="masked-phone">{masked}</strong> " is verified."
            </p>
            <a class="link" href="/">"Verify another number"</a>
        </section>
    }
}
