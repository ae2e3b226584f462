//! `/verify` ([`paths::VERIFY`]): the code form for the number a code was just sent to.

use super::{
    alert::FieldError, call_me::CallMe, delivery::DeliveryStatus, expiry::count_down,
    expiry::CodeExpiry, phone_text::with_phone, submit::Submit, web_otp::fill_from_sms,
};
use crate::{
    api::{get_pending_code, CodeFormat, PendingCode, ResendCode, VerifyCode},
    channel::Channel,
    delivery_status::DeliveryStatus as Status,
    error::{ApiError, ErrorKind},
    i18n::{t, t_with, use_locale},
    paths,
};
use leptos::{html::Input, prelude::*};
use leptos_meta::Title;

/// Asks for the code, offers a new code and a way back to change the number. The
/// verification is this browser's own (its cookie): no number travels in the URL. The
/// server render waits on one resource only (the verification: number, status, format).
#[component]
pub fn VerifyPage() -> impl IntoView {
    let locale = use_locale();
    let pending = Resource::new(|| (), |_| get_pending_code(None));
    view! {
        <Title text=t(locale, "verify-title") />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match pending.await {
                    Ok(pending) => view! { <CodeForm pending /> }.into_any(),
                    Err(_) => view! {
                        <section class="card">
                            <h1>{t(locale, "no-number-heading")}</h1>
                            <p>{t(locale, "no-number-lead")}</p>
                            <a class="button" href=paths::HOME>{t(locale, "enter-phone")}</a>
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// The code form for the verification's number, shown masked.
#[component]
fn CodeForm(pending: PendingCode) -> impl IntoView {
    let locale = use_locale();
    let verify = ServerAction::<VerifyCode>::new();
    let resend = ServerAction::<ResendCode>::new();
    let call = ServerAction::<ResendCode>::new();
    // The current code: its delivery (or call) status, how it went out, its time left,
    // the wait before another SMS, and before a call is offered. A new code restarts them.
    let status = RwSignal::new(pending.status);
    let channel = RwSignal::new(pending.channel);
    let left = RwSignal::new(pending.expires_in_seconds);
    let resend_wait = RwSignal::new(pending.resend_in_seconds);
    count_down(resend_wait);
    let offer_wait = RwSignal::new(pending.voice_offer_in_seconds.unwrap_or(0));
    // A failed SMS ends the cooldown on the server: a new code may be asked for at once.
    Effect::new(move |_| {
        let status = status.get();
        if status.is_failure() && !status.is_call() {
            resend_wait.set(0);
        }
    });
    for (action, is_resend) in [(resend, true), (call, false)] {
        Effect::new(move |_| match action.value().get() {
            Some(Ok(sent)) => {
                status.set(match sent.channel {
                    Channel::Sms => Status::Queued,
                    Channel::Voice => Status::Calling,
                });
                channel.set(sent.channel);
                left.set(sent.expires_in_seconds);
                resend_wait.set(sent.resend_in_seconds);
                offer_wait.set(sent.voice_offer_in_seconds.unwrap_or(0));
            }
            // Too soon after the last code: count down what the server says is left.
            Some(Err(ApiError {
                error: ErrorKind::RateLimited,
                retry_after_seconds: Some(seconds),
                ..
            })) if is_resend => resend_wait.set(seconds),
            _ => {}
        });
    }
    // A relying party's sign-in continues at the provider: a full page load.
    Effect::new(move |_| {
        if let Some(Ok(verified)) = verify.value().get() {
            if let Some(next) = verified.continue_to {
                #[cfg(feature = "hydrate")]
                let _ = window().location().assign(&next);
                #[cfg(not(feature = "hydrate"))]
                let _ = next;
            }
        }
    });
    let verify_error = Signal::derive(move || verify.value().get().and_then(Result::err));
    let resend_error = Signal::derive(move || {
        resend
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| call.value().get().and_then(Result::err))
    });
    let resent = move || {
        [resend, call]
            .iter()
            .find_map(|action| action.value().get().and_then(Result::ok))
    };
    let verifying = verify.pending();
    let code_input = NodeRef::<Input>::new();
    fill_from_sms(code_input, verifying.into());
    // The code field has the focus when the page arrives (autofocus only works on a
    // full page load, not after an in-place navigation).
    Effect::new(move |_| {
        if let Some(field) = code_input.get() {
            // Once the page is in the document (a frame later), not while it is built.
            request_animation_frame(move || {
                let _ = field.focus();
            });
        }
    });
    // A wrong code goes back to the field, selected for retyping.
    Effect::new(move |_| {
        if verify_error.with(Option::is_some) {
            if let Some(field) = code_input.get_untracked() {
                let _ = field.focus();
                field.select();
            }
        }
    });
    let masked = pending.masked_phone.clone();
    let lead = move || {
        let key = match channel.get() {
            Channel::Sms => "sent-by-sms",
            Channel::Voice => "sent-by-voice",
        };
        with_phone(locale, key, &masked)
    };

    view! {
        <section class="card">
            <h1>{t(locale, "verify-title")}</h1>
            <p class="lead">{lead}</p>
            <DeliveryStatus status />
            <CodeExpiry left />
            <ActionForm action=verify>
                <label for="code">{t(locale, "code-label")}</label>
                <CodeInput
                    format=pending.format
                    error=verify_error
                    field=code_input
                    submitting=verifying.into()
                />
                <FieldError id="code-error" error=verify_error />
                <Submit pending=verifying idle=t(locale, "verify") busy=t(locale, "checking") />
            </ActionForm>
            <div class="secondary-actions">
                <div class="resend">
                    <ActionForm action=resend>
                        <Submit
                            pending=resend.pending()
                            held=Signal::derive(move || resend_wait.get() > 0)
                            idle=t(locale, "send-new-code")
                            busy=t(locale, "sending")
                            class="link"
                            id="resend"
                        />
                    </ActionForm>
                    <Show when=move || { resend_wait.get() > 0 }>
                        <p class="hint" id="resend-wait">
                            {move || {
                                t_with(locale, "resend-wait", &[("seconds", resend_wait.get().into())])
                            }}
                        </p>
                    </Show>
                </div>
                <CallMe
                    offer_in=pending.voice_offer_in_seconds
                    status
                    channel
                    action=call
                    wait=offer_wait
                />
                <a class="link" href=paths::HOME>{t(locale, "use-different-number")}</a>
            </div>
            {move || {
                resent()
                    .map(|sent| {
                        let key = match sent.channel {
                            Channel::Sms => "new-code-sms",
                            Channel::Voice => "new-code-voice",
                        };
                        view! { <p class="notice" role="status">{t(locale, key)}</p> }
                    })
            }}
            <FieldError id="resend-error" error=resend_error />
        </section>
    }
}

/// The code field, with the keyboard and length hints that fit the configured format.
/// Once hydrated, a complete code (typed, or pasted as `123 456` or `123-456`) submits the
/// form by itself.
#[component]
fn CodeInput(
    format: CodeFormat,
    error: Signal<Option<ApiError>>,
    field: NodeRef<Input>,
    submitting: Signal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    let placeholder = t_with(
        locale,
        if format.numeric {
            "code-placeholder-digits"
        } else {
            "code-placeholder-characters"
        },
        &[("length", format.length.into())],
    );
    let complete = move |value: &str| {
        let code: Vec<char> = value
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        code.len() == format.length
            && code.iter().all(|c| {
                if format.numeric {
                    c.is_ascii_digit()
                } else {
                    c.is_ascii_hexdigit()
                }
            })
    };
    let on_input = move |_| {
        let Some(input) = field.get_untracked() else {
            return;
        };
        if !submitting.get_untracked() && complete(&input.value()) {
            if let Some(form) = input.form() {
                let _ = form.request_submit();
            }
        }
    };
    view! {
        <input
            node_ref=field
            id="code"
            name="code"
            type="text"
            autocomplete="one-time-code"
            inputmode=if format.numeric { "numeric" } else { "text" }
            autocapitalize="characters"
            spellcheck="false"
            size=format.length
            placeholder=placeholder
            required
            autofocus
            on:input=on_input
            aria-invalid=move || error.with(Option::is_some).to_string()
            aria-describedby="code-error"
        />
    }
}
