//! The message shown under a field when a request failed: the app's own text for the
//! error's kind ([`ApiError::page_text`]), never a message read from the URL.

use crate::error::ApiError;
use leptos::prelude::*;

/// Renders the error of the last submission, if any, as an alert linked to its field.
#[component]
pub fn FieldError(
    /// The element id, referenced by the field's `aria-describedby`.
    id: &'static str,
    /// The failure to show, if any.
    #[prop(into)]
    error: Signal<Option<ApiError>>,
) -> impl IntoView {
    move || {
        error.get().map(|error| {
            view! {
                <p class="field-error" id=id role="alert" data-error=error.error.as_str()>
                    {error.page_text()}
                </p>
            }
        })
    }
}
