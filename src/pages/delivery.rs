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
/// answer came and made sense: `POST /api/delivery-status` with the browser's own
/// `fetch` and JSON parser, kept out of the server-function client (and its serde
/// machinery) to keep the WASM bundle small.
#[cfg(feature = "hydrate")]
pub(crate) async fn fetch_status() -> Option<crate::delivery_status::DeliveryStatus> {
    use crate::api::GetDeliveryStatus;
    use leptos::server_fn::ServerFn;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    let headers = web_sys::Headers::new().ok()?;
    headers
        .set("content-type", "application/x-www-form-urlencoded")
        .ok()?;
    headers.set("accept", "application/json").ok()?;
    init.set_headers(&headers);
    let request = web_sys::window()?.fetch_with_str_and_init(GetDeliveryStatus::PATH, &init);
    let response: web_sys::Response = JsFuture::from(request).await.ok()?.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    let body = JsFuture::from(response.json().ok()?).await.ok()?;
    let status = js_sys::Reflect::get(&body, &"status".into())
        .ok()?
        .as_string()?;
    crate::delivery_status::DeliveryStatus::parse(&status)
}
