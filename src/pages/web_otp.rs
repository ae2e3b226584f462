//! Reading the code straight from the SMS with the WebOTP API
//! (`navigator.credentials.get({otp: {transport: ["sms"]}})`), where the browser has it:
//! the code field is filled and the form submitted. The request is aborted when the
//! person submits the form themselves or leaves the page; without the API nothing happens.

use leptos::{html::Input, prelude::*};

/// Listens for an SMS code for `input` while `submitting` is false.
#[allow(unused_variables)]
pub fn fill_from_sms(input: NodeRef<Input>, submitting: Signal<bool>) {
    #[cfg(feature = "hydrate")]
    browser::listen(input, submitting);
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use js_sys::{Array, Function, Object, Promise, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::AbortController;

    pub fn listen(input: NodeRef<Input>, submitting: Signal<bool>) {
        let controller = StoredValue::new_local(None::<AbortController>);
        Effect::new(move |_| {
            let Some((request, abort)) = request_code() else {
                return;
            };
            controller.set_value(Some(abort));
            leptos::task::spawn_local(async move {
                let Ok(credential) = JsFuture::from(request).await else {
                    return; // aborted, refused, or no SMS
                };
                let code = Reflect::get(&credential, &"code".into())
                    .ok()
                    .and_then(|code| code.as_string());
                if let (Some(code), Some(input)) = (code, input.get_untracked()) {
                    input.set_value(&code);
                    if let Some(form) = input.form() {
                        let _ = form.request_submit();
                    }
                }
            });
        });
        // The person submits by hand, or leaves: stop waiting for the SMS.
        let abort = move || {
            controller.update_value(|controller| {
                if let Some(controller) = controller.take() {
                    controller.abort();
                }
            })
        };
        Effect::new(move |_| {
            if submitting.get() {
                abort();
            }
        });
        on_cleanup(abort);
    }

    /// Starts `navigator.credentials.get({otp: {transport: ["sms"]}, signal})`, if the
    /// browser has the WebOTP API.
    fn request_code() -> Option<(Promise, AbortController)> {
        let window = web_sys::window()?;
        if !Reflect::has(&window, &"OTPCredential".into()).unwrap_or(false) {
            return None;
        }
        let credentials = Reflect::get(&window.navigator(), &"credentials".into()).ok()?;
        let get: Function = Reflect::get(&credentials, &"get".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let controller = AbortController::new().ok()?;
        let otp = Object::new();
        Reflect::set(
            &otp,
            &"transport".into(),
            &Array::of1(&JsValue::from_str("sms")),
        )
        .ok()?;
        let options = Object::new();
        Reflect::set(&options, &"otp".into(), &otp).ok()?;
        Reflect::set(&options, &"signal".into(), &controller.signal()).ok()?;
        let promise = get.call1(&credentials, &options).ok()?.dyn_into().ok()?;
        Some((promise, controller))
    }
}
