//! `/verify` ([`paths::VERIFY`]): the code form for the number a code was just sent to.
//!
//! The page is rendered on the server; its card is the app's one island ([`CodeLive`]),
//! the only part of the flow that ships WASM. Its forms are plain posts with or without
//! JavaScript (the server answers with the next page, or this one with the error); once
//! hydrated, the island adds what only a live page can: the delivery status as it
//! changes, the countdowns, WebOTP and the auto-submit of a complete code.

use super::{
    alert::{failed_post, FieldError},
    call_me::CallMe,
    code_input::{CodeInput, CODE_ID},
    code_page::{CodePage, DATA_ID},
    delivery::DeliveryStatus,
    expiry::CodeExpiry,
    live::Live,
    phone_text::with_phone,
    resend::Resend,
    submit::Submit,
};
#[cfg(feature = "hydrate")]
use super::{code_input, live, verify_in_place};
use crate::{
    api::{get_pending_code, ResendCode, VerifyCode},
    channel::Channel,
    i18n::{t, use_locale},
    paths,
};
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Asks for the code, offers a new code and a way back to change the number. The
/// verification is this browser's own (its cookie): no number travels in the URL. The
/// server render waits on one resource only (the verification: number, status, format).
#[component]
pub fn VerifyPage() -> impl IntoView {
    let locale = use_locale();
    let pending = Resource::new(|| (), |_| get_pending_code(None));
    // A form post that failed comes back with its error in the URL; a resend that worked
    // comes back with `?sent=sms|voice`.
    let verify_error = failed_post::<VerifyCode>(locale);
    let resend_error = failed_post::<ResendCode>(locale);
    let sent = use_query_map()
        .with_untracked(|query| query.get("sent"))
        .and_then(|channel| Channel::parse(&channel));
    view! {
        <Title text=t(locale, "verify-title") />
        <Suspense fallback=|| ()>
            {move || {
                let (verify_error, resend_error) = (verify_error.clone(), resend_error.clone());
                Suspend::new(async move {
                    match pending.await {
                        Ok(pending) => {
                            let page = CodePage::new(locale, pending, verify_error, resend_error, sent);
                            view! { <CodeCard page /> }.into_any()
                        }
                        Err(_) => view! {
                            <section class="card">
                                <h1>{t(locale, "no-number-heading")}</h1>
                                <p>{t(locale, "no-number-lead")}</p>
                                <a class="button" href=paths::HOME>{t(locale, "enter-phone")}</a>
                            </section>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The code form for the verification's number, shown masked, all rendered here; the
/// island around it ([`CodeLive`]) keeps its live parts current in the browser.
#[component]
fn CodeCard(page: CodePage) -> impl IntoView {
    let json = page.to_json();
    let live = Live::of(&page);
    let CodePage {
        masked_phone,
        format,
        voice_offer_in,
        locale,
        verify_error,
        resend_error,
        notice,
        texts,
        ..
    } = page;
    let refused = verify_error.is_some();
    let call_me = voice_offer_in
        .is_some()
        .then(|| view! { <CallMe live texts=texts.clone() locale=locale.clone() /> });
    view! {
        <div id=DATA_ID data-page=json hidden></div>
        <CodeLive>
            <section class="card">
                <h1>{texts.heading.clone()}</h1>
                <p class="lead">
                    {with_phone((texts.lead_before.clone(), texts.lead_after.clone()), masked_phone)}
                </p>
                <DeliveryStatus live texts=texts.clone() />
                <CodeExpiry live texts=texts.clone() />
                <form method="post" action=VerifyCode::PATH>
                    <label for=CODE_ID>{texts.code_label.clone()}</label>
                    <CodeInput format placeholder=texts.placeholder.clone() invalid=refused />
                    <FieldError id="code-error" error=verify_error />
                    <Submit idle=texts.verify.clone() busy=texts.checking.clone() />
                </form>
                <div class="secondary-actions">
                    <Resend live texts=texts.clone() locale />
                    {call_me}
                    <a class="link" href=paths::HOME>{texts.use_different_number}</a>
                </div>
                {notice.map(|notice| view! { <p class="notice" role="status">{notice}</p> })}
                <FieldError id="resend-error" error=resend_error />
            </section>
        </CodeLive>
    }
}

/// The code page's island: its markup is the server's (`children`, not rendered again);
/// in the browser it keeps the live parts current ([`live::start`]) and enhances the
/// code field ([`code_input::enhance`]), from the page the server wrote into the document.
#[island]
fn CodeLive(children: Children) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if let Some(page) = CodePage::current() {
        code_input::enhance(page.format);
        let texts = std::rc::Rc::new(page.texts.clone());
        verify_in_place::enhance(texts.clone());
        live::start(&page, texts);
        mark_hydrated();
    }
    children()
}

/// Sets `data-hydrated` on `<body>` once the island is live, so that browser tests (and
/// people debugging) can tell a live page from a server-rendered one.
#[cfg(feature = "hydrate")]
fn mark_hydrated() {
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
