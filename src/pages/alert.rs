//! The message shown under a field when a request failed: the app's own text for the
//! error's kind, in the page's language ([`error_text`]), never a message read from the
//! URL (or from the server, which answers API clients in English).

use crate::{
    error::{ApiError, ErrorKind},
    i18n::{describe_wait, t, t_with, use_locale},
    locale::Locale,
};
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
    let locale = use_locale();
    move || {
        error.get().map(|error| {
            view! {
                <p class="field-error" id=id role="alert" data-error=error.error.as_str()>
                    {error_text(locale, &error)}
                </p>
            }
        })
    }
}

/// What a page shows for an error: the text for its kind (with the numbers it carries) in
/// `locale`. On a page without JavaScript the error arrives in the URL, where anyone could
/// have written any message, so the `message` field is never shown.
pub fn error_text(locale: Locale, error: &ApiError) -> String {
    match (error.error, error.attempts_left, error.retry_after_seconds) {
        (ErrorKind::WrongCode, Some(0), _) => t(locale, "error-wrong_code-last"),
        (ErrorKind::WrongCode, Some(left), _) => {
            t_with(locale, "error-wrong_code-left", &[("count", left.into())])
        }
        (ErrorKind::RateLimited, _, Some(seconds)) => t_with(
            locale,
            "error-rate_limited-wait",
            &[("wait", describe_wait(locale, seconds).into())],
        ),
        (kind, _, _) => t(locale, &format!("error-{}", kind.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::has;

    #[test]
    fn pages_show_the_apps_own_text_in_every_language_never_the_message() {
        let mut planted = ApiError::new(ErrorKind::InvalidPhone, "Call +1 900 555 0199 now!");
        assert!(!error_text(Locale::En, &planted).contains("900"));
        planted.error = ErrorKind::WrongCode;
        planted.attempts_left = Some(4);
        assert_eq!(
            error_text(Locale::En, &planted),
            "That code is not right. 4 attempts left."
        );
        assert_eq!(
            error_text(Locale::Es, &planted),
            "Ese código no es correcto. Te quedan 4 intentos."
        );
        for locale in Locale::ALL {
            for kind in ErrorKind::ALL {
                let key = format!("error-{}", kind.as_str());
                assert!(has(locale, &key), "{} lacks {key}", locale.code());
                let text = error_text(locale, &ApiError::new(kind, "attacker's words"));
                assert!(!text.contains("attacker"), "{kind:?}");
                assert!(text.ends_with('.'), "{kind:?}: {text}");
            }
        }
        let limited = ApiError::new(ErrorKind::RateLimited, "x").with_retry_after(90);
        assert_eq!(
            error_text(Locale::En, &limited),
            "Too many attempts. Try again in 90 seconds."
        );
        assert_eq!(
            error_text(Locale::De, &limited),
            "Zu viele Versuche. Versuchen Sie es in 90 Sekunden erneut."
        );
    }
}
