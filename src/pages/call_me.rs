//! "Call me instead", on the code page: offered once the SMS failed or
//! `VOICE_OFFER_AFTER_SECONDS` passed (the server says how long is left), and again
//! ("Call me again") after a call nobody answered. In the browser the wait counts down
//! and the offer appears by itself; without JavaScript the page shows the wait as it was
//! rendered, and the offer once reloaded. The form posts to `/api/resend-code` with
//! `channel=voice` either way.

use super::{expiry::count_down, submit::Submit};
use crate::{
    api::ResendCode,
    channel::Channel,
    delivery_status::DeliveryStatus as Status,
    i18n::{t, t_with, use_locale},
};
use leptos::prelude::*;

#[component]
pub fn CallMe(
    /// Seconds until a call is offered (0: now); `None` with voice off.
    offer_in: Option<u64>,
    /// The code's delivery status: a failed SMS or an unanswered call offers a call now.
    status: RwSignal<Status>,
    /// How the current code went out.
    channel: RwSignal<Channel>,
    /// The form's resend action with `channel=voice`.
    action: ServerAction<ResendCode>,
    /// Set back to the full wait when a new code goes out.
    wait: RwSignal<u64>,
) -> impl IntoView {
    let locale = use_locale();
    let available = offer_in.is_some();
    count_down(wait);
    let offered = move || wait.get() == 0 || status.get().is_failure();
    let label = move || {
        t(
            locale,
            match channel.get() {
                Channel::Sms => "call-me",
                Channel::Voice => "call-me-again",
            },
        )
    };
    view! {
        <Show when=move || available>
            <Show
                when=offered
                fallback=move || {
                    view! {
                        <p class="hint" id="call-offer">
                            {move || {
                                let key = match channel.get() {
                                    Channel::Sms => "call-offer-sms",
                                    Channel::Voice => "call-offer-voice",
                                };
                                t_with(locale, key, &[("seconds", wait.get().into())])
                            }}
                        </p>
                    }
                }
            >
                <ActionForm action>
                    <input type="hidden" name="channel" value="voice" />
                    <input type="hidden" name="locale" value=locale.code() />
                    {move || {
                        view! {
                            <Submit
                                pending=action.pending()
                                idle=label()
                                busy=t(locale, "calling")
                                class="link"
                                id="call-me"
                            />
                        }
                    }}
                </ActionForm>
            </Show>
        </Show>
    }
}
