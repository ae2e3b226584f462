//! The browser's side of the API calls the code page's island makes: a form-encoded
//! `POST` asking for JSON, with the browser's own `fetch` and `JSON.parse` (the
//! server-function client and its serde machinery would take much of the WASM budget).

use js_sys::{Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// An API answer: its status and its JSON body, as text and parsed.
pub struct Answer {
    pub ok: bool,
    pub text: String,
    json: JsValue,
}

impl Answer {
    /// A string field of the body.
    pub fn string(&self, name: &str) -> Option<String> {
        Reflect::get(&self.json, &name.into()).ok()?.as_string()
    }

    /// A number field of the body.
    pub fn number(&self, name: &str) -> Option<f64> {
        Reflect::get(&self.json, &name.into()).ok()?.as_f64()
    }
}

/// Posts the form-encoded `body` to `path` (with this browser's cookies); `None` when no
/// readable JSON came back.
pub async fn post(path: &str, body: &str) -> Option<Answer> {
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    let headers = web_sys::Headers::new().ok()?;
    headers
        .set("content-type", "application/x-www-form-urlencoded")
        .ok()?;
    headers.set("accept", "application/json").ok()?;
    init.set_headers(&headers);
    init.set_body(&body.into());
    let request = web_sys::window()?.fetch_with_str_and_init(path, &init);
    let response: web_sys::Response = JsFuture::from(request).await.ok()?.dyn_into().ok()?;
    let text = JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    let json = JSON::parse(&text).ok()?;
    Some(Answer {
        ok: response.ok(),
        text,
        json,
    })
}
