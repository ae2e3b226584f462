//! `/`: the phone number form.

use super::{
    alert::{failed_post, FieldError},
    submit::Submit,
};
use crate::{
    api::{get_sign_in, RequestCode},
    i18n::{t, t_with, use_locale},
};
use leptos::prelude::*;
use leptos_meta::Title;

/// Asks for a phone number and sends a code to it.
///
/// A plain form post to `/api/request-code`, with or without JavaScript (this page ships
/// no WASM): the server redirects to the code form, or back here with the error in the
/// URL, shown next to the field, which has the focus.
#[component]
pub fn HomePage() -> impl IntoView {
    let locale = use_locale();
    let request = ServerAction::<RequestCode>::new();
    // In a relying party's sign-in, say whom the verification is for.
    let sign_in = Resource::new(|| (), |_| get_sign_in());
    let error = failed_post::<RequestCode>(locale);
    let invalid = error.is_some().to_string();

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
                    id="phone"
                    name="phone"
                    type="tel"
                    autocomplete="tel"
                    inputmode="tel"
                    placeholder=t(locale, "phone-placeholder")
                    required
                    autofocus
                    aria-invalid=invalid
                    aria-describedby="phone-error"
                />
                <FieldError id="phone-error" error />
                <Submit idle=t(locale, "send-code") busy=t(locale, "sending") />
            </ActionForm>
        </section>
    }
}
