//! The code page's live parts, as one state: the delivery status, the code's time left,
//! the wait before "Send a new code" and before "Call me instead". The server renders
//! the state as of the page; in the browser, the code page's island ([`start`]) ticks it
//! every second, polls the status until it is final, and writes each change into the
//! server-rendered elements (found by the ids below). Driving the page's own markup
//! keeps the WASM bundle to a fraction of what rendering it again would take.

use super::{
    code_page::{fill, CodePage, CodeTexts},
    expiry,
};
use crate::delivery_status::DeliveryStatus as Status;

/// The ids of the elements the island keeps current.
pub const STATUS_ID: &str = "delivery-status";
pub const EXPIRY_ID: &str = "code-expiry";
pub const RESEND_ID: &str = "resend";
pub const RESEND_WAIT_ID: &str = "resend-wait";
pub const CALL_OFFER_ID: &str = "call-offer";
pub const CALL_FORM_ID: &str = "call-me-form";

/// The live parts at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Live {
    pub status: Status,
    /// Seconds until the code expires.
    pub left: u64,
    /// Seconds until another SMS may be asked for.
    pub resend_wait: u64,
    /// Seconds until a call is offered.
    pub offer_wait: u64,
}

impl Live {
    /// As the page was rendered.
    pub fn of(page: &CodePage) -> Self {
        let mut live = Self {
            status: page.status,
            left: page.expires_in,
            resend_wait: page.resend_in,
            offer_wait: page.voice_offer_in.unwrap_or(0),
        };
        live.set_status(page.status);
        live
    }

    /// One second later.
    #[cfg(any(feature = "hydrate", test))]
    pub fn tick(&mut self) {
        for seconds in [&mut self.left, &mut self.resend_wait, &mut self.offer_wait] {
            *seconds = seconds.saturating_sub(1);
        }
    }

    /// A new status. A failed SMS ends the resend cooldown (so does the server).
    pub fn set_status(&mut self, status: Status) {
        self.status = status;
        if status.is_failure() && !status.is_call() {
            self.resend_wait = 0;
        }
    }

    /// The status line's classes: failed, delivered (or answered), or on its way.
    pub fn status_class(&self) -> &'static str {
        if self.status.is_failure() {
            "delivery failed"
        } else if matches!(
            self.status,
            Status::Delivered | Status::Answered | Status::Completed
        ) {
            "delivery delivered"
        } else {
            "delivery"
        }
    }

    pub fn expiry_text(&self, texts: &CodeTexts) -> String {
        expiry::describe(&texts.expires_in, &texts.expired, self.left)
    }

    /// "Send a new code" waits for its cooldown.
    pub fn resend_held(&self) -> bool {
        self.resend_wait > 0
    }

    pub fn resend_wait_text(&self, texts: &CodeTexts) -> String {
        fill(&texts.resend_wait, "seconds", &self.resend_wait.to_string())
    }

    /// "Call me instead" shows once its wait is over, or at once when the code did not
    /// arrive.
    pub fn call_offered(&self) -> bool {
        self.offer_wait == 0 || self.status.is_failure()
    }

    pub fn call_offer_text(&self, texts: &CodeTexts) -> String {
        fill(&texts.call_offer, "seconds", &self.offer_wait.to_string())
    }
}

/// In the browser: keeps the page's live parts current, from `page` (as the server
/// wrote it into the page) and its texts.
#[cfg(feature = "hydrate")]
pub fn start(page: &CodePage, texts: std::rc::Rc<CodeTexts>) {
    browser::start(page, texts);
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use leptos::prelude::{document, set_interval};
    use std::{cell::RefCell, rc::Rc, time::Duration};

    /// How often the status is asked for again while it can still change.
    const POLL_EVERY: Duration = Duration::from_secs(2);

    pub fn start(page: &CodePage, texts: Rc<CodeTexts>) {
        let live = Rc::new(RefCell::new(Live::of(page)));
        let (ticking, texts_now) = (live.clone(), texts.clone());
        set_interval(
            move || {
                ticking.borrow_mut().tick();
                show(&ticking.borrow(), &texts_now);
            },
            Duration::from_secs(1),
        );
        set_interval(
            move || {
                if live.borrow().status.is_final() {
                    return;
                }
                let (live, texts) = (live.clone(), texts.clone());
                leptos::task::spawn_local(async move {
                    if let Some(status) = crate::pages::delivery::fetch_status().await {
                        live.borrow_mut().set_status(status);
                        show(&live.borrow(), &texts);
                    }
                });
            },
            POLL_EVERY,
        );
    }

    /// Writes `live` into the page's elements (those it has: voice may be off).
    fn show(live: &Live, texts: &CodeTexts) {
        let document = document();
        let element = |id: &str| document.get_element_by_id(id);
        if let Some(status) = element(STATUS_ID) {
            let name = live.status.as_str();
            if status.get_attribute("data-status").as_deref() != Some(name) {
                let _ = status.set_attribute("data-status", name);
                status.set_class_name(live.status_class());
                status.set_text_content(Some(texts.status(live.status)));
            }
        }
        if let Some(expiry) = element(EXPIRY_ID) {
            expiry.set_text_content(Some(&live.expiry_text(texts)));
        }
        if let Some(resend) = element(RESEND_ID) {
            let _ = resend.toggle_attribute_with_force("disabled", live.resend_held());
        }
        if let Some(wait) = element(RESEND_WAIT_ID) {
            wait.set_text_content(Some(&live.resend_wait_text(texts)));
            let _ = wait.toggle_attribute_with_force("hidden", !live.resend_held());
        }
        if let Some(offer) = element(CALL_OFFER_ID) {
            offer.set_text_content(Some(&live.call_offer_text(texts)));
            let _ = offer.toggle_attribute_with_force("hidden", live.call_offered());
        }
        if let Some(form) = element(CALL_FORM_ID) {
            let _ = form.toggle_attribute_with_force("hidden", !live.call_offered());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        api::{CodeFormat, PendingCode},
        channel::Channel,
        locale::Locale,
    };

    fn page_with(status: Status) -> CodePage {
        CodePage::new(
            Locale::En,
            PendingCode {
                masked_phone: "+1212***0123".into(),
                expires_in_seconds: 61,
                status,
                format: CodeFormat::default(),
                channel: Channel::Sms,
                voice_offer_in_seconds: Some(2),
                resend_in_seconds: 30,
            },
            None,
            None,
            None,
        )
    }

    #[test]
    fn counts_down_and_a_failed_sms_frees_a_new_code_and_offers_a_call() {
        let page = page_with(Status::Queued);
        let mut live = Live::of(&page);
        assert!(live.resend_held() && !live.call_offered());
        assert_eq!(live.expiry_text(&page.texts), "The code expires in 1:01.");
        assert_eq!(
            live.call_offer_text(&page.texts),
            "No code yet? In 2 s you can ask us to call you instead."
        );
        live.tick();
        assert_eq!(live.expiry_text(&page.texts), "The code expires in 1:00.");
        assert_eq!(
            live.resend_wait_text(&page.texts),
            "You can ask for a new code in 29 s."
        );
        live.tick();
        assert!(live.call_offered());
        assert!(live.resend_held());
        live.set_status(Status::DeliveryFailed);
        assert!(!live.resend_held());
        assert_eq!(live.status_class(), "delivery failed");
        // A call nobody answered offers another call, but SMS cooldowns are their own.
        let mut call = Live::of(&page_with(Status::Calling));
        call.set_status(Status::NoAnswer);
        assert!(call.call_offered() && call.resend_held());
        assert_eq!(Live::of(&page_with(Status::DeliveryFailed)).resend_wait, 0);
    }
}
