//! With JavaScript, the code form checks a code without leaving the page: the island
//! posts it to `/api/verify-code` itself (after `forms.js` has shown the pending state).
//! A right code goes on to the verified page, or to the relying party's sign-in; a wrong
//! one shows the attempts left under the field, which is emptied and focused for the
//! next try. Any other answer (expired, locked, too many requests, …) loads the code page
//! with the error, as the same form post without JavaScript does; a failed request falls
//! back to that plain post.

use super::{code_input::CODE_ID, code_page::CodeTexts};
use crate::{api::VerifyCode, paths};
use js_sys::encode_uri_component;
use leptos::{
    prelude::{document, window},
    server_fn::ServerFn,
};
use std::rc::Rc;
use wasm_bindgen::{closure::Closure, JsCast};
use web_sys::{Event, EventTarget, HtmlFormElement, HtmlInputElement};

/// What the server said to a code.
enum Answer {
    /// Right: where to go now.
    Verified(String),
    /// Wrong, with this many attempts left (and the server's JSON).
    WrongCode(usize, String),
    /// Anything else, as the server's JSON.
    Other(String),
}

/// Takes over the code form's submissions.
pub fn enhance(texts: Rc<CodeTexts>) {
    let document = document();
    let Some(field) = document
        .get_element_by_id(CODE_ID)
        .and_then(|field| field.dyn_into::<HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(form) = field.form() else {
        return;
    };
    // On the document, after `forms.js` (whose listener came first: it shows the pending
    // state, or stops a second press with `preventDefault`).
    let on_submit = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        let ours = event
            .target()
            .is_some_and(|target| &target == form.unchecked_ref::<EventTarget>());
        if !ours || event.default_prevented() {
            return;
        }
        event.prevent_default();
        let (form, field, texts) = (form.clone(), field.clone(), texts.clone());
        leptos::task::spawn_local(async move { check(&form, &field, &texts).await });
    });
    let _ = document.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    on_submit.forget();
}

async fn check(form: &HtmlFormElement, field: &HtmlInputElement, texts: &CodeTexts) {
    let location = window().location();
    match post(&field.value()).await {
        Some(Answer::Verified(next)) => {
            let _ = location.assign(&next);
        }
        Some(Answer::WrongCode(left, _)) if left < texts.wrong_code.len() => {
            show_wrong(form, field, &texts.wrong_code[left], &texts.verify);
        }
        // The code page shows every other answer from its URL, as after a plain post
        // (the server's JSON, base64url as Leptos writes it there).
        Some(Answer::WrongCode(_, json) | Answer::Other(json)) => {
            let encoded = window()
                .btoa(&json)
                .map(|base64| base64.replace('+', "-").replace('/', "_"))
                .unwrap_or_default();
            let _ = location.assign(&format!(
                "{}?__path={}&__err={}",
                paths::VERIFY,
                String::from(encode_uri_component(VerifyCode::PATH)),
                String::from(encode_uri_component(&encoded))
            ));
        }
        // No answer: the plain post (which fires no second submit event).
        None => {
            let _ = form.submit();
        }
    }
}

/// Posts `code` as the form would.
async fn post(code: &str) -> Option<Answer> {
    let body = format!("code={}", String::from(encode_uri_component(code)));
    let answer = super::post::post(VerifyCode::PATH, &body).await?;
    if answer.ok {
        let next = answer
            .string("continue_to")
            .unwrap_or_else(|| paths::VERIFIED.to_string());
        return Some(Answer::Verified(next));
    }
    Some(
        match (
            answer.string("error").as_deref(),
            answer.number("attempts_left"),
        ) {
            (Some("wrong_code"), Some(left)) => Answer::WrongCode(left as usize, answer.text),
            _ => Answer::Other(answer.text),
        },
    )
}

/// The attempts left under the field (an alert), the field empty and focused, and the
/// form at rest again.
fn show_wrong(form: &HtmlFormElement, field: &HtmlInputElement, text: &str, idle: &str) {
    let document = document();
    let alert = document.get_element_by_id("code-error").or_else(|| {
        let alert = document.create_element("p").ok()?;
        alert.set_class_name("field-error");
        alert.set_id("code-error");
        alert.set_attribute("role", "alert").ok()?;
        field.after_with_node_1(&alert).ok()?;
        Some(alert)
    });
    if let Some(alert) = alert {
        let _ = alert.set_attribute("data-error", "wrong_code");
        alert.set_text_content(Some(text));
    }
    field.set_value("");
    let _ = field.set_attribute("aria-invalid", "true");
    let _ = field.focus();
    let _ = form.remove_attribute("data-pending");
    if let Ok(Some(button)) = form.query_selector("button[type=submit]") {
        button.set_text_content(Some(idle));
        let _ = button.set_attribute("aria-busy", "false");
    }
}
