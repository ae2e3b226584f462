//! A sentence naming the (masked) number, with the number in bold and marked for tests:
//! the translation is looked up with a placeholder, then split around it.

use crate::{i18n::t_with, locale::Locale};
use leptos::prelude::*;

/// The message `key` (which names `{ $phone }`) in `locale`, with `masked` in bold.
pub fn with_phone(locale: Locale, key: &str, masked: &str) -> impl IntoView {
    const MARK: &str = "\u{E000}";
    let text = t_with(locale, key, &[("phone", MARK.into())]);
    let (before, after) = text.split_once(MARK).unwrap_or((&text, ""));
    view! {
        {before.to_string()}
        <strong data-testid="masked-phone">{masked.to_string()}</strong>
        {after.to_string()}
    }
}
