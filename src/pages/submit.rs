//! The submit button every form uses: while its request is pending it says so (and
//! `aria-busy`), and can't be pressed twice. (Without JavaScript the browser's own
//! loading indicator does that job.)

use leptos::prelude::*;

#[component]
pub fn Submit(
    /// Whether the form's request is in flight.
    #[prop(into)]
    pending: Signal<bool>,
    /// The label at rest, e.g. "Send code".
    idle: String,
    /// The label while pending, e.g. "Sending…".
    busy: String,
    /// Also disabled while this holds (e.g. a cooldown).
    #[prop(optional, into)]
    held: Option<Signal<bool>>,
    #[prop(optional)] class: Option<&'static str>,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    let held = move || held.is_some_and(|held| held.get());
    view! {
        <button
            type="submit"
            class=class
            id=id
            disabled=move || pending.get() || held()
            aria-busy=move || pending.get().to_string()
        >
            {move || if pending.get() { busy.clone() } else { idle.clone() }}
        </button>
    }
}
