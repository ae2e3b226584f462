//! The code's time left, on the code page: counting down once the page is hydrated;
//! without JavaScript, the time left when the page was rendered.

use crate::{
    i18n::{t, t_with, use_locale},
    locale::Locale,
};
use leptos::prelude::*;

/// Shows `left` (seconds), ticking down each second in the browser.
#[component]
pub fn CodeExpiry(left: RwSignal<u64>) -> impl IntoView {
    count_down(left);
    let locale = use_locale();
    view! { <p class="expiry" id="code-expiry">{move || describe(locale, left.get())}</p> }
}

/// In the browser: takes a second off `seconds` every second, down to zero. (On the
/// server, and without JavaScript, it stays what the page was rendered with.)
#[allow(unused_variables)]
pub fn count_down(seconds: RwSignal<u64>) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let tick = move || seconds.update(|left| *left = left.saturating_sub(1));
        if let Ok(handle) = set_interval_with_handle(tick, std::time::Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });
}

fn describe(locale: Locale, seconds: u64) -> String {
    if seconds == 0 {
        t(locale, "expired")
    } else {
        let time = format!("{}:{:02}", seconds / 60, seconds % 60);
        t_with(locale, "expires-in", &[("time", time.into())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_and_seconds_then_expired() {
        assert_eq!(describe(Locale::En, 600), "The code expires in 10:00.");
        assert_eq!(describe(Locale::En, 61), "The code expires in 1:01.");
        assert_eq!(
            describe(Locale::En, 0),
            "This code has expired: send a new one."
        );
        assert_eq!(describe(Locale::De, 61), "Der Code läuft in 1:01 ab.");
    }
}
