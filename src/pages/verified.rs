//! `/verified`: shown only with a valid session cookie, which a successful verification
//! gives; without one it redirects to the start.

use super::{
    phone_text::{around_phone, with_phone},
    submit::Submit,
};
use crate::{
    api::{get_session, SignOut},
    i18n::{t, use_locale},
    paths,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// Confirms that the session's number is verified, and offers to sign out.
#[component]
pub fn VerifiedPage() -> impl IntoView {
    let locale = use_locale();
    let session = Resource::new(|| (), |_| get_session());
    let sign_out = ServerAction::<SignOut>::new();

    view! {
        <Title text=t(locale, "verified-title") />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(session)) => view! {
                        <section class="card success">
                            <h1>{t(locale, "verified-title")}</h1>
                            <p class="lead">{with_phone(around_phone(locale, "verified-lead"), session.masked_phone)}</p>
                            <ActionForm action=sign_out>
                                <Submit
                                    idle=t(locale, "sign-out")
                                    busy=t(locale, "signing-out")
                                />
                            </ActionForm>
                        </section>
                    }
                    .into_any(),
                    _ => view! { <Redirect path=paths::HOME /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
