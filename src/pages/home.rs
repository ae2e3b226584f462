//! `/`: the phone number form.

use super::{alert::FieldError, submit::Submit};
use crate::{
    api::{get_sign_in, RequestCode},
    i18n::{t, t_with, use_locale},
};
use leptos::{html::Input, prelude::*};
use leptos_meta::Title;

/// Asks for a phone number and sends a code to it.
///
/// Without JavaScript the form posts to `/api/request-code`, which redirects to the code
/// form (or back here with the error in the URL); with it, the same happens in place.
#[component]
pub fn HomePage() -> impl IntoView {
    let locale = use_locale();
    let request = ServerAction::<RequestCode>::new();
    // In a relying party's sign-in, say whom the verification is for.
    let sign_in = Resource::new(|| (), |_| get_sign_in());
    let pending = request.pending();
    let error = Signal::derive(move || request.value().get().and_then(Result::err));
    // The field has the focus when the page arrives (also after an in-place navigation,
    // where autofocus does nothing), and a refused number goes back to it.
    let phone_field = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(field) = phone_field.get() {
            // Once the page is in the document (a frame later), not while it is built.
            request_animation_frame(move || {
                let _ = field.focus();
            });
        }
    });
    Effect::new(move |_| {
        if error.with(Option::is_some) {
            if let Some(field) = phone_field.get_untracked() {
                let _ = field.focus();
            }
        }
    });

    view! {
        <Title text=t(locale, "page-title") />
        <section class="card">
            <h1>{t(locale, "home-heading")}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    sign_in.await.ok().flatten().map(|sign_in| view! {
                        <p class="lead" data-testid="sign-in-for">
                            {t_with(locale, "home-continue-to", &[("client", sign_in.client_name.into())])}
                        </p>
                    })
                })}
            </Suspense>
            <p class="lead">{t(locale, "home-lead")}</p>
            <ActionForm action=request>
                // The SMS goes out in the language of the page.
                <input type="hidden" name="locale" value=locale.code() />
                <label for="phone">{t(locale, "phone-label")}</label>
                <input
                    node_ref=phone_field
                    id="phone"
                    name="phone"
                    type="tel"
                    autocomplete="tel"
                    inputmode="tel"
                    placeholder=t(locale, "phone-placeholder")
                    required
                    autofocus
                    aria-invalid=move || error.with(Option::is_some).to_string()
                    aria-describedby="phone-error"
                />
                <FieldError id="phone-error" error />
                <Submit pending idle=t(locale, "send-code") busy=t(locale, "sending") />
            </ActionForm>
        </section>
    }
}
