//! A sentence naming the (masked) number, with the number in bold and marked for tests:
//! the translation is looked up with a placeholder, then split around it.

use crate::{i18n::t_with, locale::Locale};
use leptos::prelude::*;

/// The message `key` (which names `{ $phone }`) in `locale`, as the text before and after
/// the number.
pub fn around_phone(locale: Locale, key: &str) -> (String, String) {
    const MARK: &str = "\u{E000}";
    let text = t_with(locale, key, &[("phone", MARK.into())]);
    match text.split_once(MARK) {
        Some((before, after)) => (before.to_string(), after.to_string()),
        None => (text, String::new()),
    }
}

/// `around` (from [`around_phone`]) with `masked` in bold between.
pub fn with_phone((before, after): (String, String), masked: String) -> impl IntoView {
    view! {
        {before}
        <strong data-testid="masked-phone">{masked}</strong>
        {after}
    }
}
