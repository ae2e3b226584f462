//! Reading the code straight from the SMS with the WebOTP API
//! (`navigator.credentials.get({otp: {transport: ["sms"]}})`), where the browser has it:
//! the code field is filled and the form submitted (a form post: leaving the page ends the
//! request). Without the API nothing happens.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Listens for an SMS code for `input`.
pub fn fill_from_sms(input: web_sys::HtmlInputElement) {
    let Some(request) = request_code() else {
        return;
    };
    leptos::task::spawn_local(async move {
        let Ok(credential) = JsFuture::from(request).await else {
            return; // refused, or no SMS
        };
        let code = Reflect::get(&credential, &"code".into())
            .ok()
            .and_then(|code| code.as_string());
        if let Some(code) = code {
            input.set_value(&code);
            if let Some(form) = input.form() {
                let _ = form.request_submit();
            }
        }
    });
}

/// Starts `navigator.credentials.get({otp: {transport: ["sms"]}})`, if the browser
/// has the WebOTP API.
fn request_code() -> Option<Promise> {
    let window = web_sys::window()?;
    if !Reflect::has(&window, &"OTPCredential".into()).unwrap_or(false) {
        return None;
    }
    let credentials = Reflect::get(&window.navigator(), &"credentials".into()).ok()?;
    let get: Function = Reflect::get(&credentials, &"get".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let otp = Object::new();
    Reflect::set(
        &otp,
        &"transport".into(),
        &Array::of1(&JsValue::from_str("sms")),
    )
    .ok()?;
    let options = Object::new();
    Reflect::set(&options, &"otp".into(), &otp).ok()?;
    let promise = get.call1(&credentials, &options).ok()?.dyn_into().ok()?;
    Some(promise)
}
