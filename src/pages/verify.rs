//! `/verify` ([`paths::VERIFY`]): the code form for the number a code was just sent to.

use super::{
    alert::FieldError, call_me::CallMe, delivery::DeliveryStatus, expiry::CodeExpiry,
    web_otp::fill_from_sms,
};
use crate::{
    api::{get_pending_code, CodeFormat, PendingCode, ResendCode, VerifyCode},
    channel::Channel,
    delivery_status::DeliveryStatus as Status,
    error::ApiError,
    paths,
};
use leptos::{html::Input, prelude::*};
use leptos_meta::Title;

/// Asks for the code, offers a new code and a way back to change the number. The
/// verification is this browser's own (its cookie): no number travels in the URL. The
/// server render waits on one resource only (the verification: number, status, format).
#[component]
pub fn VerifyPage() -> impl IntoView {
    let pending = Resource::new(|| (), |_| get_pending_code(None));
    view! {
        <Title text="Enter your code" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match pending.await {
                    Ok(pending) => view! { <CodeForm pending /> }.into_any(),
                    Err(_) => view! {
                        <section class="card">
                            <h1>"No number yet"</h1>
                            <p>"Start by entering the phone number to verify."</p>
                            <a class="button" href=paths::HOME>"Enter a phone number"</a>
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
    let verify = ServerAction::<VerifyCode>::new();
    let resend = ServerAction::<ResendCode>::new();
    let call = ServerAction::<ResendCode>::new();
    // The current code: its delivery (or call) status, how it went out, its time left,
    // and the wait before a call is offered. A new code restarts them all.
    let status = RwSignal::new(pending.status);
    let channel = RwSignal::new(pending.channel);
    let left = RwSignal::new(pending.expires_in_seconds);
    let offer_wait = RwSignal::new(pending.voice_offer_in_seconds.unwrap_or(0));
    for action in [resend, call] {
        Effect::new(move |_| {
            if let Some(Ok(sent)) = action.value().get() {
                status.set(match sent.channel {
                    Channel::Sms => Status::Queued,
                    Channel::Voice => Status::Calling,
                });
                channel.set(sent.channel);
                left.set(sent.expires_in_seconds);
                offer_wait.set(sent.voice_offer_in_seconds.unwrap_or(0));
            }
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
    let resending = resend.pending();

    view! {
        <section class="card">
            <h1>"Enter your code"</h1>
            <p class="lead">
                {move || match channel.get() {
                    Channel::Sms => "We texted a code to ",
                    Channel::Voice => "We're calling ",
                }}
                <strong data-testid="masked-phone">{pending.masked_phone}</strong>
                {move || match channel.get() {
                    Channel::Sms => ".",
                    Channel::Voice => " to read you a code.",
                }}
            </p>
            <DeliveryStatus status />
            <CodeExpiry left />
            <ActionForm action=verify>
                <label for="code">"Verification code"</label>
                <CodeInput format=pending.format error=verify_error field=code_input />
                <FieldError id="code-error" error=verify_error />
                <button type="submit" disabled=verifying>
                    {move || if verifying.get() { "Checking…" } else { "Verify" }}
                </button>
            </ActionForm>
            <div class="secondary-actions">
                <ActionForm action=resend>
                    <button type="submit" class="link" disabled=resending>
                        {move || if resending.get() { "Sending…" } else { "Send a new code" }}
                    </button>
                </ActionForm>
                <CallMe
                    offer_in=pending.voice_offer_in_seconds
                    status
                    channel
                    action=call
                    wait=offer_wait
                />
                <a class="link" href=paths::HOME>"Use a different number"</a>
            </div>
            {move || {
                resent()
                    .map(|sent| {
                        let text = match sent.channel {
                            Channel::Sms => "A new code is on its way. Earlier codes no longer work.",
                            Channel::Voice => "We're calling you now. Earlier codes no longer work.",
                        };
                        view! { <p class="notice" role="status">{text}</p> }
                    })
            }}
            <FieldError id="resend-error" error=resend_error />
        </section>
    }
}

/// The code field, with the keyboard and length hints that fit the configured format.
#[component]
fn CodeInput(
    format: CodeFormat,
    error: Signal<Option<ApiError>>,
    field: NodeRef<Input>,
) -> impl IntoView {
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
            placeholder=format!("{}-{} code", format.length, if format.numeric { "digit" } else { "character" })
            required
            autofocus
            aria-invalid=move || error.with(Option::is_some).to_string()
            aria-describedby="code-error"
        />
    }
}
