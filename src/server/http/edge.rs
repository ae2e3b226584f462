//! What a server function sees of its request: the app's state plus the request's own
//! facts (client IP, HTTPS, session cookie), and the response it can add to (cookies, the
//! redirect that moves a plain form post to the next page).

use super::{client_ip::peer_of, errors, state::AppState};
use crate::{error::ApiError, server::verify::Verifier};
use http::{header, request::Parts, HeaderValue};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use std::net::{IpAddr, Ipv4Addr};

pub(crate) struct Edge {
    state: AppState,
    request: Option<Parts>,
    response: Option<ResponseOptions>,
}

impl Edge {
    /// The current request's edge (the state is provided by the router).
    pub(crate) fn current() -> Result<Self, ApiError> {
        let state = use_context::<AppState>().ok_or_else(errors::not_set_up)?;
        Ok(Self {
            state,
            request: use_context::<Parts>(),
            response: use_context::<ResponseOptions>(),
        })
    }

    pub(crate) fn verifier(&self) -> &Verifier {
        self.state.services().verifier()
    }

    /// The client's IP address, as the trusted proxies report it.
    pub(crate) fn client_ip(&self) -> IpAddr {
        self.request
            .as_ref()
            .map(|parts| {
                self.state
                    .trusted_proxies()
                    .client_ip(peer_of(parts), &parts.headers)
            })
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    /// Whether the request reached us over HTTPS (through a trusted proxy).
    fn is_https(&self) -> bool {
        self.request.as_ref().is_some_and(|parts| {
            self.state
                .trusted_proxies()
                .forwarded_https(peer_of(parts), &parts.headers)
        })
    }

    /// The verified number (E.164) named by the request's session cookie.
    pub(crate) fn session_phone(&self) -> Option<String> {
        self.request
            .as_ref()
            .and_then(|parts| self.state.sessions().read(&parts.headers))
    }

    /// Gives the browser a session cookie naming `phone`.
    pub(crate) fn start_session(&self, phone: &crate::server::domain::phone::PhoneNumber) {
        self.set_cookie(
            &self
                .state
                .sessions()
                .issue(phone.as_e164(), self.is_https()),
        );
    }

    /// Ends the browser's session.
    pub(crate) fn end_session(&self) {
        self.set_cookie(&self.state.sessions().clear(self.is_https()));
    }

    /// Sends a plain form post on to `path` (a hydrated page follows it in place).
    pub(crate) fn redirect(&self, path: &str) {
        leptos_axum::redirect(path);
    }

    fn set_cookie(&self, value: &str) {
        if let (Some(response), Ok(value)) = (&self.response, HeaderValue::from_str(value)) {
            response.append_header(header::SET_COOKIE, value);
        }
    }
}
