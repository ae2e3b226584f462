//! "Call me instead", on the code page: offered once the SMS failed or
//! `VOICE_OFFER_AFTER_SECONDS` passed (the server says how long is left), and again
//! ("Call me again") after a call nobody answered. In the browser the page's island
//! counts the wait down and shows the offer by itself; without JavaScript the page shows
//! the wait as it was rendered, and the offer once reloaded. The form posts to
//! `/api/resend-code` with `channel=voice` either way.

use super::{
    code_page::CodeTexts,
    live::{Live, CALL_FORM_ID, CALL_OFFER_ID},
    submit::Submit,
};
use crate::api::ResendCode;
use leptos::{prelude::*, server_fn::ServerFn};

/// The offer's wait and its form, one of them hidden.
#[component]
pub fn CallMe(
    live: Live,
    texts: CodeTexts,
    /// The page's language, which the call speaks.
    locale: String,
) -> impl IntoView {
    let offered = live.call_offered();
    view! {
        <p class="hint" id=CALL_OFFER_ID hidden=offered>
            {live.call_offer_text(&texts)}
        </p>
        <form method="post" action=ResendCode::PATH id=CALL_FORM_ID hidden=!offered>
            <input type="hidden" name="channel" value="voice" />
            <input type="hidden" name="locale" value=locale />
            <Submit idle=texts.call_me busy=texts.calling class="link" id="call-me" />
        </form>
    }
}
