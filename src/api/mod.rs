//! The HTTP API: the server functions behind the forms, at stable paths other clients can
//! call (`POST /api/request-code` with `phone`, `POST /api/verify-code` with `phone` and
//! `code`, form-encoded, answering JSON; see the README). Their bodies run on the server
//! only: each asks the request's [`Edge`](crate::server::http::edge::Edge) for the
//! services, calls one, and turns the domain answer into its wire type. A failure's HTTP
//! status is set by the server's one error middleware, not here.

mod types;

pub use types::{CodeFormat, CodeSent, Delivery, Session, Verified};

use crate::error::ApiError;
use leptos::prelude::*;

/// Normalizes `phone`, stores a fresh code for it (invalidating any earlier one) and texts it.
#[server(prefix = "/api", endpoint = "request-code")]
pub async fn request_code(phone: String) -> Result<CodeSent, ApiError> {
    use crate::{paths, server::http::edge::Edge};
    let edge = Edge::current()?;
    let sent = edge
        .verifier()
        .request_code(&phone, edge.client_ip())
        .await?;
    edge.redirect(&paths::with_phone(paths::VERIFY, sent.phone.as_e164()));
    Ok(CodeSent {
        phone: sent.phone.as_e164().to_string(),
        masked_phone: sent.phone.masked(),
        expires_in_seconds: sent.expires_in.as_secs(),
    })
}

/// Checks `code` against the code pending for `phone`, consuming it on success.
#[server(prefix = "/api", endpoint = "verify-code")]
pub async fn verify_code(phone: String, code: String) -> Result<Verified, ApiError> {
    use crate::{paths, server::http::edge::Edge};
    let edge = Edge::current()?;
    let phone = edge
        .verifier()
        .verify_code(&phone, &code, edge.client_ip())
        .await?;
    edge.start_session(&phone);
    edge.redirect(paths::VERIFIED);
    Ok(Verified {
        phone: phone.as_e164().to_string(),
        masked_phone: phone.masked(),
    })
}

/// The number this browser's session cookie says was verified, if any.
#[server(prefix = "/api", endpoint = "session")]
pub async fn get_session() -> Result<Option<Session>, ApiError> {
    use crate::{mask::mask_phone, server::http::edge::Edge};
    Ok(Edge::current()?.session_phone().map(|phone| Session {
        masked_phone: mask_phone(&phone),
    }))
}

/// Ends this browser's session and goes back to the start.
#[server(prefix = "/api", endpoint = "sign-out")]
pub async fn sign_out() -> Result<(), ApiError> {
    use crate::{paths, server::http::edge::Edge};
    let edge = Edge::current()?;
    edge.end_session();
    edge.redirect(paths::HOME);
    Ok(())
}

/// The configured code format, so the code field can offer the right keyboard.
#[server(prefix = "/api", endpoint = "code-format")]
pub async fn get_code_format() -> Result<CodeFormat, ApiError> {
    use crate::server::http::edge::Edge;
    let policy = Edge::current()?.verifier().policy();
    Ok(CodeFormat {
        length: policy.spec.length(),
        numeric: policy.spec.is_numeric(),
    })
}

/// The delivery status of the code pending for `phone`, if there is one.
#[server(prefix = "/api", endpoint = "delivery-status")]
pub async fn get_delivery_status(phone: String) -> Result<Option<Delivery>, ApiError> {
    use crate::server::http::edge::Edge;
    let status = Edge::current()?.verifier().delivery_status(&phone).await?;
    Ok(status.map(|status| Delivery { status }))
}
