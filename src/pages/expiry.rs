//! The code's time left, on the code page: rendered as of the page, then counted down by
//! the page's island ([`super::live`]); without JavaScript it stays as rendered.

use super::{
    code_page::{fill, CodeTexts},
    live::{Live, EXPIRY_ID},
};
use leptos::prelude::*;

#[component]
pub fn CodeExpiry(live: Live, texts: CodeTexts) -> impl IntoView {
    view! { <p class="expiry" id=EXPIRY_ID>{live.expiry_text(&texts)}</p> }
}

/// `template` (`{time}` as `m:ss`) for `seconds` left; `expired` at zero.
pub fn describe(template: &str, expired: &str, seconds: u64) -> String {
    if seconds == 0 {
        expired.to_string()
    } else {
        let time = format!("{}:{:02}", seconds / 60, seconds % 60);
        fill(template, "time", &time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_and_seconds_then_expired() {
        let template = "The code expires in {time}.";
        let expired = "This code has expired: send a new one.";
        assert_eq!(
            describe(template, expired, 600),
            "The code expires in 10:00."
        );
        assert_eq!(describe(template, expired, 61), "The code expires in 1:01.");
        assert_eq!(describe(template, expired, 0), expired);
    }
}
