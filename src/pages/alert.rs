//! The message shown under a field when a request failed: the app's own text for the
//! error's kind, in the page's language ([`error_text`]), never a message read from the
//! URL (or from the server, which answers API clients in English). A form post that
//! failed comes back to its page with the error in the URL, where the server reads it.

use crate::{
    error::{ApiError, ErrorKind},
    i18n::{describe_wait, t, t_with},
    locale::Locale,
};
use leptos::prelude::*;
use serde::Serialize;

/// A failure as a page shows it: its kind (for `data-error`) and its text, already in
/// the page's language (so that the code page's island needs no translations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    pub kind: String,
    pub text: String,
}

impl Shown {
    pub fn of(locale: Locale, error: &ApiError) -> Self {
        Self {
            kind: error.error.as_str().to_string(),
            text: error_text(locale, error),
        }
    }
}

/// The error a form post to server function `S` came back with (in the URL), if any,
/// as `locale` shows it.
pub fn failed_post<S>(locale: Locale) -> Option<Shown>
where
    S: leptos::server_fn::ServerFn<Error = ApiError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    ServerAction::<S>::new()
        .value()
        .with_untracked(|value| match value {
            Some(Err(error)) => Some(Shown::of(locale, error)),
            _ => None,
        })
}

/// Renders the failure, if any, as an alert linked to its field.
#[component]
pub fn FieldError(
    /// The element id, referenced by the field's `aria-describedby`.
    id: &'static str,
    /// The failure to show, if any.
    error: Option<Shown>,
) -> impl IntoView {
    error.map(|error| {
        view! {
            <p class="field-error" id=id role="alert" data-error=error.kind>
                {error.text}
            </p>
        }
    })
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
