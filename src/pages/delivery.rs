//! The live delivery status of the code's SMS (or of the call reading it out), next to
//! the number on the code form. Rendered on the server from the page's one resource
//! (current as of the page); once hydrated, polled every two seconds until final, in an
//! ARIA live region. Polling uses plain signals, not a resource, so the server render
//! waits on nothing more. The form owns the status (it restarts it after a new code).

use crate::{
    delivery_status::DeliveryStatus as Status,
    i18n::{t, use_locale},
};
use leptos::prelude::*;

/// How often the browser asks again while the status can still change.
#[cfg(feature = "hydrate")]
const POLL_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

#[component]
pub fn DeliveryStatus(
    /// The status, as the page was rendered, then as polled.
    status: RwSignal<Status>,
) -> impl IntoView {
    follow(status);
    let locale = use_locale();
    move || {
        let status = status.get();
        let class = if status.is_failure() {
            "delivery failed"
        } else if matches!(
            status,
            Status::Delivered | Status::Answered | Status::Completed
        ) {
            "delivery delivered"
        } else {
            "delivery"
        };
        view! {
            <p class=class role="status" aria-live="polite" data-status=status.as_str()>
                {t(locale, status.label_key())}
            </p>
        }
    }
}

/// In the browser: asks for the status every two seconds while it is not final (the
/// form sets it back to `queued` or `calling` when a new code was sent).
#[allow(unused_variables)]
fn follow(status: RwSignal<Status>) {
    #[cfg(feature = "hydrate")]
    {
        use crate::api::get_delivery_status;
        Effect::new(move |_| {
            let handle = set_interval_with_handle(
                move || {
                    if status.get_untracked().is_final() {
                        return;
                    }
                    leptos::task::spawn_local(async move {
                        if let Ok(delivery) = get_delivery_status(None).await {
                            status.set(delivery.status);
                        }
                    });
                },
                POLL_EVERY,
            );
            if let Ok(handle) = handle {
                on_cleanup(move || handle.clear());
            }
        });
    }
}
