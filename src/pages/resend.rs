//! "Send a new code", on the code page: held during the resend cooldown the server
//! reports, with the wait beside it. The page's island counts it down and frees the
//! button (at once when the SMS failed); without JavaScript the page shows the wait as
//! rendered, and the server refuses a new code too soon with the time left.

use super::{
    code_page::CodeTexts,
    live::{Live, RESEND_ID, RESEND_WAIT_ID},
    submit::Submit,
};
use crate::api::ResendCode;
use leptos::{prelude::*, server_fn::ServerFn};

#[component]
pub fn Resend(
    live: Live,
    texts: CodeTexts,
    /// The page's language, which the new SMS goes out in.
    locale: String,
) -> impl IntoView {
    let held = live.resend_held();
    view! {
        <div class="resend">
            <form method="post" action=ResendCode::PATH>
                <input type="hidden" name="locale" value=locale />
                <Submit
                    held
                    idle=texts.send_new_code.clone()
                    busy=texts.sending.clone()
                    class="link"
                    id=RESEND_ID
                />
            </form>
            <p class="hint" id=RESEND_WAIT_ID hidden=!held>
                {live.resend_wait_text(&texts)}
            </p>
        </div>
    }
}
