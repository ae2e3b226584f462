//! The submit button every form uses. Forms are plain posts; while one is on its way the
//! page's small script (`public/forms.js`) shows the button's pending label (`data-busy`)
//! and `aria-busy`, and ignores a second press. Without JavaScript the browser's own
//! loading indicator does that job.

use leptos::prelude::*;

#[component]
pub fn Submit(
    /// The label at rest, e.g. "Send code".
    idle: String,
    /// The label while the form is on its way, e.g. "Sending…".
    busy: String,
    /// Disabled as rendered (e.g. during a cooldown, which the code page's island counts
    /// down).
    #[prop(optional)]
    held: bool,
    #[prop(optional)] class: Option<&'static str>,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    view! {
        <button type="submit" class=class id=id data-busy=busy aria-busy="false" disabled=held>
            {idle}
        </button>
    }
}
