//! `/verified`: shown only with a valid session cookie, which a successful verification
//! gives; without one it redirects to the start.

use crate::{
    api::{get_session, SignOut},
    paths,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

/// Confirms that the session's number is verified, and offers to sign out.
#[component]
pub fn VerifiedPage() -> impl IntoView {
    let session = Resource::new(|| (), |_| get_session());
    let sign_out = ServerAction::<SignOut>::new();

    view! {
        <Title text="Verified" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(session)) => view! {
                        <section class="card success">
                            <h1>"Verified"</h1>
                            <p class="lead">
                                <strong data-testid="masked-phone">{session.masked_phone}</strong>
                                " is verified."
                            </p>
                            <ActionForm action=sign_out>
                                <button type="submit">"Sign out"</button>
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
