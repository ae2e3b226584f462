//! The live delivery status of the code's SMS, next to the number on the code form.
//! Rendered on the server (current as of the page); once hydrated, polled every two
//! seconds until final, in an ARIA live region.

use crate::api::{get_delivery_status, Delivery};
use leptos::prelude::*;

/// How often the browser asks again while the status can still change.
#[cfg(feature = "hydrate")]
const POLL_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

#[component]
pub fn DeliveryStatus(
    /// Bumped by the form when a new code was sent, to follow the new message.
    #[prop(into)]
    refresh: Signal<u32>,
) -> impl IntoView {
    let tick = RwSignal::new(0u32);
    // The verification is this browser's own (its cookie).
    let status = Resource::new(
        move || (tick.get(), refresh.get()),
        move |_| get_delivery_status(None),
    );
    poll_until_final(tick, status);

    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                status.await.ok().map(|delivery: Delivery| {
                    let status = delivery.status;
                    let class = if status.is_failure() {
                        "delivery failed"
                    } else if status == crate::delivery_status::DeliveryStatus::Delivered {
                        "delivery delivered"
                    } else {
                        "delivery"
                    };
                    view! {
                        <p class=class role="status" aria-live="polite" data-status=status.as_str()>
                            {status.label()}
                        </p>
                    }
                })
            })}
        </Transition>
    }
}

#[allow(unused_variables)]
fn poll_until_final(
    tick: RwSignal<u32>,
    status: Resource<Result<Delivery, crate::error::ApiError>>,
) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                let settled = status
                    .get_untracked()
                    .and_then(Result::ok)
                    .is_some_and(|delivery| delivery.status.is_final());
                if !settled {
                    tick.update(|tick| *tick += 1);
                }
            },
            POLL_EVERY,
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    });
}
