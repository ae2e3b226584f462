//! The delivery status of the code's SMS (or of the call reading it out), next to the
//! number on the code form, in an ARIA live region: rendered on the server as of the
//! page, then kept current by the page's island ([`super::live`]), which asks
//! `/api/delivery-status` ([`fetch_status`]) every two seconds until it is final.

use super::{code_page::CodeTexts, live::Live, live::STATUS_ID};
use leptos::prelude::*;

#[component]
pub fn DeliveryStatus(live: Live, texts: CodeTexts) -> impl IntoView {
    view! {
        <p
            id=STATUS_ID
            class=live.status_class()
            role="status"
            aria-live="polite"
            data-status=live.status.as_str()
        >
            {texts.status(live.status).to_string()}
        </p>
    }
}

/// The status the server reports for this browser's verification (its cookie), if the
/// answer came and made sense (`POST /api/delivery-status`).
#[cfg(feature = "hydrate")]
pub(crate) async fn fetch_status() -> Option<crate::delivery_status::DeliveryStatus> {
    use crate::api::GetDeliveryStatus;
    use leptos::server_fn::ServerFn;
    let answer = super::post::post(GetDeliveryStatus::PATH, "").await?;
    if !answer.ok {
        return None;
    }
    crate::delivery_status::DeliveryStatus::parse(&answer.string("status")?)
}
