//! What every request handler can reach, and the per-request facts server functions need:
//! the client's IP, whether the request came over HTTPS, and the session cookie.

use super::{
    client_ip::{peer_of, TrustedProxies},
    delivery::DeliveryTracker,
    session::Sessions,
    sms::outbox::Outbox,
    verification::Verifier,
    webhook::WebhookVerifier,
};
use crate::error::{ApiError, ErrorKind};
use axum::extract::FromRef;
use http::{header, request::Parts, HeaderValue};
use leptos::prelude::{use_context, LeptosOptions};
use leptos_axum::ResponseOptions;
use std::{
    net::{IpAddr, Ipv4Addr},
    sync::Arc,
};

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub verifier: Arc<Verifier>,
    /// Present only when no Telnyx key is configured.
    pub outbox: Option<Arc<Outbox>>,
    pub trusted_proxies: TrustedProxies,
    pub sessions: Arc<Sessions>,
    pub delivery: Arc<DeliveryTracker>,
    /// Present only when `TELNYX_PUBLIC_KEY` is configured.
    pub webhooks: Option<WebhookVerifier>,
    /// `PUBLIC_URL`'s host (and port), also accepted as this server's own origin.
    pub public_host: Option<String>,
}

impl AppState {
    /// The state provided to server functions by the request handlers.
    pub fn from_context() -> Result<Self, ApiError> {
        use_context::<Self>().ok_or_else(|| {
            ApiError::new(ErrorKind::Internal, "The server is not set up correctly.")
        })
    }

    /// The client's IP address for the current request.
    pub fn client_ip(&self) -> IpAddr {
        use_context::<Parts>()
            .map(|parts| {
                self.trusted_proxies
                    .client_ip(peer_of(&parts), &parts.headers)
            })
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    /// Whether the current request reached us over HTTPS (through a trusted proxy).
    pub fn is_https(&self) -> bool {
        use_context::<Parts>().is_some_and(|parts| {
            self.trusted_proxies
                .forwarded_https(peer_of(&parts), &parts.headers)
        })
    }

    /// The verified number named by the current request's session cookie.
    pub fn session_phone(&self) -> Option<String> {
        use_context::<Parts>().and_then(|parts| self.sessions.read(&parts.headers))
    }

    /// Gives the browser a session cookie naming `phone`.
    pub fn start_session(&self, phone: &str) {
        self.set_cookie(&self.sessions.issue(phone, self.is_https()));
    }

    /// Ends the browser's session.
    pub fn end_session(&self) {
        self.set_cookie(&self.sessions.clear(self.is_https()));
    }

    fn set_cookie(&self, value: &str) {
        if let (Some(response), Ok(value)) = (
            use_context::<ResponseOptions>(),
            HeaderValue::from_str(value),
        ) {
            response.append_header(header::SET_COOKIE, value);
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
