//! The HTTP API: the server functions behind the forms, at stable paths other clients can
//! call (`POST /api/request-code`, `POST /api/verify-code`, …, form-encoded, answering
//! JSON; see the README). Each verification belongs to whoever started it: its id comes
//! back as `verification_id` (and, for browsers, in a cookie), and the calls that act on
//! it need it. Their bodies run on the server only: each asks the request's
//! [`Edge`](crate::server::http::edge::Edge) for the services, calls one, and turns the
//! domain answer into its wire type. A failure's HTTP status is set by the server's one
//! error middleware, not here.

mod types;

pub use types::{CodeFormat, CodeSent, Delivery, PendingCode, Session, SignIn, Verified};

use crate::error::ApiError;
use leptos::prelude::*;

/// Normalizes `phone`, sends a fresh code and stores it as the code of the requester's
/// verification (a new one, unless `verification_id` or the cookie names its own). A
/// backend with an API key may name its end user's address as `client_ip`. `channel` is
/// `sms` (the default) or `voice` (the code read out by a call); `locale` (`en`, `es`,
/// `fr`, `de`, `pt`) is the language a call speaks.
#[server(prefix = "/api", endpoint = "request-code")]
pub async fn request_code(
    phone: String,
    verification_id: Option<String>,
    client_ip: Option<String>,
    channel: Option<String>,
    locale: Option<String>,
) -> Result<CodeSent, ApiError> {
    send_code(Some(phone), verification_id, client_ip, channel, locale).await
}

/// Sends a fresh code for the number of the requester's own verification
/// (`verification_id` or the cookie): "Send a new code" without typing the number again,
/// or, with `channel=voice`, "Call me instead".
#[server(prefix = "/api", endpoint = "resend-code")]
pub async fn resend_code(
    verification_id: Option<String>,
    client_ip: Option<String>,
    channel: Option<String>,
    locale: Option<String>,
) -> Result<CodeSent, ApiError> {
    send_code(None, verification_id, client_ip, channel, locale).await
}

/// What both endpoints do: ask the verifier for a code, and keep the browser's cookie on
/// its verification (also when the send's outcome is unknown: the code may arrive).
#[cfg(feature = "ssr")]
async fn send_code(
    phone: Option<String>,
    verification_id: Option<String>,
    client_ip: Option<String>,
    channel: Option<String>,
    locale: Option<String>,
) -> Result<CodeSent, ApiError> {
    use crate::{
        channel::Channel,
        error::ErrorKind,
        paths,
        server::{http::edge::Edge, verify::CodeRequest, verify::VerifyError},
    };
    let channel = match channel.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(text) => Some(Channel::parse(text).ok_or_else(|| {
            ApiError::new(ErrorKind::BadRequest, "channel must be `sms` or `voice`.")
        })?),
    };
    let locale = match locale.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some(tag) => Some(tag.parse().map_err(|_| {
            ApiError::new(
                ErrorKind::BadRequest,
                "locale must be one of en, es, fr, de, pt (e.g. `es` or `es-MX`).",
            )
        })?),
    };
    let edge = Edge::current()?;
    let verifier = edge.verifier();
    let verification = edge.verification(verification_id.as_deref());
    if phone.is_none() && verification.is_none() {
        return Err(VerifyError::NoPendingCode.into());
    }
    let sent = verifier
        .request_code(CodeRequest {
            phone: phone.as_deref(),
            verification,
            client: edge.end_user_ip(client_ip.as_deref()),
            channel,
            locale,
        })
        .await;
    let lifetime = verifier.policy().ttl;
    match &sent {
        Ok(sent) => edge.remember_verification(&sent.verification, lifetime),
        Err(VerifyError::NotSent {
            verification: Some(verification),
            ..
        }) => edge.remember_verification(verification, lifetime),
        Err(_) => {}
    }
    let sent = sent?;
    // A new code for the same verification: the code page says it is on its way.
    let resent = phone
        .is_none()
        .then(|| format!("{}?sent={}", paths::VERIFY, sent.channel.as_str()));
    edge.redirect(resent.as_deref().unwrap_or(paths::VERIFY));
    Ok(CodeSent {
        verification_id: sent.verification.as_str().to_string(),
        phone: sent.phone.as_e164().to_string(),
        masked_phone: sent.phone.masked(),
        expires_in_seconds: sent.expires_in.as_secs(),
        channel: sent.channel,
        voice_offer_in_seconds: sent.voice_offer_in.map(|wait| wait.as_secs()),
        resend_in_seconds: sent.resend_in.as_millis().div_ceil(1000) as u64,
    })
}

/// Checks `code` against the code pending for the requester's verification, consuming it
/// on success. A `phone` sent along must be the verification's number.
#[server(prefix = "/api", endpoint = "verify-code")]
pub async fn verify_code(
    code: String,
    phone: Option<String>,
    verification_id: Option<String>,
    client_ip: Option<String>,
) -> Result<Verified, ApiError> {
    use crate::{paths, server::http::edge::Edge};
    let edge = Edge::current()?;
    let verification = edge.verification(verification_id.as_deref());
    let phone = edge
        .verify_code(
            verification.as_ref(),
            phone.as_deref(),
            &code,
            edge.end_user_ip(client_ip.as_deref()),
        )
        .await?;
    // In a relying party's sign-in, the next stop is the provider, not a page of ours:
    // a plain form post is redirected there; the hydrated page loads it itself.
    let continue_to = edge
        .signing_in_to()
        .map(|_| crate::server::oidc::RESUME_PATH.to_string());
    match &continue_to {
        Some(resume) if edge.is_form_post() => edge.redirect(resume),
        Some(_) => {}
        None => edge.redirect(paths::VERIFIED),
    }
    Ok(Verified {
        phone: phone.as_e164().to_string(),
        masked_phone: phone.masked(),
        continue_to,
    })
}

/// The relying party this browser is signing in to through OpenID Connect, if any (the
/// phone page names it).
#[server(prefix = "/api", endpoint = "sign-in")]
pub async fn get_sign_in() -> Result<Option<SignIn>, ApiError> {
    use crate::server::http::edge::Edge;
    let edge = Edge::current()?;
    Ok(edge
        .signing_in_to()
        .map(|client_name| SignIn { client_name }))
}

/// The code the requester's verification is waiting for (404 when there is none).
#[server(prefix = "/api", endpoint = "verification")]
pub async fn get_pending_code(verification_id: Option<String>) -> Result<PendingCode, ApiError> {
    use crate::server::http::edge::Edge;
    let edge = Edge::current()?;
    let pending = edge.pending(verification_id.as_deref()).await?;
    Ok(PendingCode {
        masked_phone: pending.phone.masked(),
        expires_in_seconds: pending.expires_in.as_secs(),
        status: pending.delivery,
        format: code_format(&edge),
        channel: pending.channel,
        voice_offer_in_seconds: pending.voice_offer_in.map(|wait| wait.as_secs()),
        resend_in_seconds: pending.resend_in.as_millis().div_ceil(1000) as u64,
    })
}

/// The number this browser's session says was verified, if any.
#[server(prefix = "/api", endpoint = "session")]
pub async fn get_session() -> Result<Option<Session>, ApiError> {
    use crate::server::http::edge::Edge;
    Ok(Edge::current()?
        .session_phone()
        .await?
        .map(|phone| Session {
            masked_phone: phone.masked(),
        }))
}

/// Ends this browser's session and goes back to the start.
#[server(prefix = "/api", endpoint = "sign-out")]
pub async fn sign_out() -> Result<(), ApiError> {
    use crate::{paths, server::http::edge::Edge};
    let edge = Edge::current()?;
    edge.end_session().await?;
    edge.redirect(paths::HOME);
    Ok(())
}

/// The configured code format, so the code field can offer the right keyboard.
#[server(prefix = "/api", endpoint = "code-format")]
pub async fn get_code_format() -> Result<CodeFormat, ApiError> {
    use crate::server::http::edge::Edge;
    Ok(code_format(&Edge::current()?))
}

/// The configured codes' length and alphabet, as the code field needs them.
#[cfg(feature = "ssr")]
fn code_format(edge: &crate::server::http::edge::Edge) -> CodeFormat {
    let policy = edge.verifier().policy();
    CodeFormat {
        length: policy.spec.length(),
        numeric: policy.spec.is_numeric(),
    }
}

/// The delivery status of the SMS carrying the requester's pending code, or of the call
/// reading it out (404 when there is none).
#[server(prefix = "/api", endpoint = "delivery-status")]
pub async fn get_delivery_status(verification_id: Option<String>) -> Result<Delivery, ApiError> {
    use crate::server::http::edge::Edge;
    let edge = Edge::current()?;
    let pending = edge.pending(verification_id.as_deref()).await?;
    Ok(Delivery {
        status: pending.delivery,
    })
}
