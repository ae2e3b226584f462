//! `/`: the phone number form.

use super::alert::FieldError;
use crate::api::{get_sign_in, RequestCode};
use leptos::{html::Input, prelude::*};
use leptos_meta::Title;

/// Asks for a phone number and sends a code to it.
///
/// Without JavaScript the form posts to `/api/request-code`, which redirects to the code
/// form (or back here with the error in the URL); with it, the same happens in place.
#[component]
pub fn HomePage() -> impl IntoView {
    let request = ServerAction::<RequestCode>::new();
    // In a relying party's sign-in, say whom the verification is for.
    let sign_in = Resource::new(|| (), |_| get_sign_in());
    let pending = request.pending();
    let error = Signal::derive(move || request.value().get().and_then(Result::err));
    // A refused number goes back to the field, focused for correction.
    let phone_field = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if error.with(Option::is_some) {
            if let Some(field) = phone_field.get_untracked() {
                let _ = field.focus();
            }
        }
    });

    view! {
        <Title text="Verify your phone number" />
        <section class="card">
            <h1>"Verify your phone number"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    sign_in.await.ok().flatten().map(|sign_in| view! {
                        <p class="lead" data-testid="sign-in-for">
                            {format!("Verify your phone number to continue to {}.", sign_in.client_name)}
                        </p>
                    })
                })}
            </Suspense>
            <p class="lead">"We'll text you a one-time code."</p>
            <ActionForm action=request>
                <label for="phone">"Phone number"</label>
                <input
                    node_ref=phone_field
                    id="phone"
                    name="phone"
                    type="tel"
                    autocomplete="tel"
                    inputmode="tel"
                    placeholder="(212) 555-0123 or +44 20 7183 8750"
                    required
                    autofocus
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby="phone-error"
                />
                <FieldError id="phone-error" error />
                <button type="submit" disabled=pending>
                    {move || if pending.get() { "Sending…" } else { "Send code" }}
                </button>
            </ActionForm>
        </section>
    }
}
