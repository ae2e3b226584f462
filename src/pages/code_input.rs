//! The code field, with the keyboard and length hints that fit the configured format.
//! In the browser (the code page's island, [`enhance`]) a complete code (typed, or
//! pasted as `123 456` or `123-456`) submits the form by itself, as does a code the
//! browser reads from the SMS (WebOTP). Without JavaScript the person presses Verify.
//! After a wrong code the page comes back with the field empty, focused (`autofocus`)
//! and marked invalid.

use crate::api::CodeFormat;
use leptos::prelude::*;

/// The field's id (its label's `for`).
pub const CODE_ID: &str = "code";

#[component]
pub fn CodeInput(
    format: CodeFormat,
    placeholder: String,
    /// The last code was refused.
    invalid: bool,
) -> impl IntoView {
    view! {
        <input
            id=CODE_ID
            name="code"
            type="text"
            autocomplete="one-time-code"
            inputmode=if format.numeric { "numeric" } else { "text" }
            autocapitalize="characters"
            spellcheck="false"
            size=format.length
            placeholder=placeholder
            required
            autofocus
            aria-invalid=invalid.to_string()
            aria-describedby="code-error"
        />
    }
}

/// Whether `value` is a whole code of `format`, ignoring spaces and dashes.
#[cfg(any(feature = "hydrate", test))]
pub fn is_complete(format: CodeFormat, value: &str) -> bool {
    let mut length = 0;
    for c in value.chars().filter(|c| !c.is_whitespace() && *c != '-') {
        let fits = if format.numeric {
            c.is_ascii_digit()
        } else {
            c.is_ascii_hexdigit()
        };
        if !fits {
            return false;
        }
        length += 1;
    }
    length == format.length
}

/// In the browser: submits the form once the field holds a complete code (unless it is
/// already on its way), and fills it from the SMS where the browser can (WebOTP).
#[cfg(feature = "hydrate")]
pub fn enhance(format: CodeFormat) {
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::HtmlInputElement;

    let Some(field) = document()
        .get_element_by_id(CODE_ID)
        .and_then(|field| field.dyn_into::<HtmlInputElement>().ok())
    else {
        return;
    };
    super::web_otp::fill_from_sms(field.clone());
    let input = field.clone();
    let on_input = Closure::<dyn FnMut()>::new(move || {
        if is_complete(format, &input.value()) {
            if let Some(form) = input.form() {
                if form.get_attribute("data-pending").is_none() {
                    let _ = form.request_submit();
                }
            }
        }
    });
    let _ = field.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
    on_input.forget();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_complete_with_or_without_spaces_and_dashes() {
        let digits = CodeFormat::default();
        for typed in ["123456", "123 456", "123-456", " 12 34 56 "] {
            assert!(is_complete(digits, typed), "{typed}");
        }
        for typed in ["12345", "1234567", "12345a", "abc-def"] {
            assert!(!is_complete(digits, typed), "{typed}");
        }
        let hex = CodeFormat {
            length: 6,
            numeric: false,
        };
        assert!(is_complete(hex, "AB12-CD"));
    }
}
