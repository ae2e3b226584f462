//! What a server function sees of its request: the app's state plus the request's own
//! facts (client IP, HTTPS, cookies), and the response it can add to (cookies, the
//! redirect that moves a plain form post to the next page).

use super::{
    api_keys::KeyedClient,
    client_ip::peer_of,
    cookies::{AUTHORIZE, SESSION, SSO, VERIFICATION},
    errors, respond,
    state::AppState,
};
use crate::{
    error::ApiError,
    server::{
        domain::{phone::PhoneNumber, verification::VerificationId},
        verify::{Verifier, VerifyError, Waiting},
    },
};
use http::{header, request::Parts, HeaderValue};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use std::{
    net::{IpAddr, Ipv4Addr},
    time::Duration,
};

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

    /// The end user's address: what a keyed backend says (`client_ip`), else the
    /// client's own. Without a valid API key, a claimed address is ignored.
    pub(crate) fn end_user_ip(&self, claimed: Option<&str>) -> IpAddr {
        let key = self
            .request
            .as_ref()
            .and_then(|parts| parts.extensions.get::<KeyedClient>());
        match (key, claimed.and_then(|claimed| claimed.trim().parse().ok())) {
            (Some(KeyedClient(name)), Some(ip)) => {
                tracing::debug!(api_key = %name, "the backend names its end user's address");
                ip
            }
            _ => self.client_ip(),
        }
    }

    /// Cookies must be `Secure` (and `__Host-`) (see [`AppState::secure_request`]).
    fn secure(&self) -> bool {
        self.request
            .as_ref()
            .map_or(self.state.public_https(), |parts| {
                self.state.secure_request(parts)
            })
    }

    fn cookie(&self, name: &str) -> Option<String> {
        let parts = self.request.as_ref()?;
        self.state.cookies().get(&parts.headers, name)
    }

    /// The verification this requester holds: the `verification_id` it sent, else the
    /// one its cookie names.
    pub(crate) fn verification(&self, field: Option<&str>) -> Option<VerificationId> {
        match field.map(str::trim).filter(|field| !field.is_empty()) {
            Some(field) => VerificationId::parse(field),
            None => self
                .cookie(VERIFICATION)
                .and_then(|id| VerificationId::parse(&id)),
        }
    }

    /// What the requester's verification is waiting for (polls of it are rate-limited).
    pub(crate) async fn pending(&self, field: Option<&str>) -> Result<Waiting, ApiError> {
        let verification = self.verification(field).ok_or(VerifyError::NoPendingCode)?;
        self.state.polls().admit(&verification)?;
        Ok(self.verifier().pending(&verification).await?)
    }

    /// Gives the browser the verification's cookie for `lifetime`.
    pub(crate) fn remember_verification(&self, id: &VerificationId, lifetime: Duration) {
        let value = self
            .state
            .cookies()
            .set(VERIFICATION, id.as_str(), lifetime, self.secure());
        self.set_cookie(&value);
    }

    /// Removes the verification's cookie (its code was used).
    pub(crate) fn forget_verification(&self) {
        self.set_cookie(&self.state.cookies().clear(VERIFICATION, self.secure()));
    }

    /// The verified number of the request's live session, if it has one.
    pub(crate) async fn session_phone(&self) -> Result<Option<PhoneNumber>, ApiError> {
        let Some(id) = self.cookie(SESSION) else {
            return Ok(None);
        };
        Ok(self.state.sessions().phone(&id).await?)
    }

    /// Checks `code` (see [`Verifier::verify_code`]) and, when it is right, starts a
    /// session for the number, stored in the commit that consumes the code, and gives the
    /// browser its cookie (and the verification's cookie is removed). A session stored
    /// for a code another request consumed first is ended at once: no cookie names it.
    pub(crate) async fn verify_code(
        &self,
        verification: Option<&VerificationId>,
        phone: Option<&str>,
        code: &str,
        client: IpAddr,
    ) -> Result<PhoneNumber, ApiError> {
        let sessions = self.state.sessions();
        let started = std::sync::Mutex::new(None);
        let verified = self
            .verifier()
            .verify_code(verification, phone, code, client, |phone| {
                let started = &started;
                async move {
                    let id = sessions.start(&phone).await?;
                    if let Ok(mut started) = started.lock() {
                        *started = Some(id);
                    }
                    Ok(())
                }
            })
            .await;
        let started = started.into_inner().ok().flatten();
        let phone = match verified {
            Ok(phone) => phone,
            Err(error) => {
                if let Some(id) = started {
                    if let Err(error) = sessions.end(&id).await {
                        tracing::warn!(%error, "could not end the session of a code used first by another request");
                    }
                }
                return Err(error.into());
            }
        };
        // A right code means `also` ran and stored the session.
        let id = started.ok_or_else(errors::not_set_up)?;
        self.forget_verification();
        let cookies = self.state.cookies();
        self.set_cookie(&cookies.set(SESSION, &id, sessions.ttl(), self.secure()));
        if self.state.services().oidc().is_some() {
            self.set_cookie(&cookies.set_lax(SSO, &id, sessions.ttl(), self.secure()));
        }
        Ok(phone)
    }

    /// The name of the relying party whose sign-in this browser is in the middle of.
    pub(crate) fn signing_in_to(&self) -> Option<String> {
        let provider = self.state.services().oidc()?;
        let parts = self.request.as_ref()?;
        let request = super::oidc::pending_request(&self.state, &parts.headers)?;
        provider
            .client(&request.client_id)
            .map(|client| client.name.clone())
    }

    /// This request is a plain HTML form post (no JavaScript): it follows redirects.
    pub(crate) fn is_form_post(&self) -> bool {
        self.request
            .as_ref()
            .is_some_and(|parts| respond::accepts_html(&parts.headers))
    }

    /// Ends the request's session (server side too) and removes its cookie.
    pub(crate) async fn end_session(&self) -> Result<(), ApiError> {
        if let Some(id) = self.cookie(SESSION) {
            self.state.sessions().end(&id).await?;
        }
        for name in [SESSION, SSO, AUTHORIZE] {
            self.set_cookie(&self.state.cookies().clear(name, self.secure()));
        }
        Ok(())
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
