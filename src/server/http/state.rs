//! What every request handler can reach: the services, the session cookies, the client-IP
//! rules and the Leptos options. Built once at startup, cloned into each request.

use super::{client_ip::TrustedProxies, cookies::Cookies, polls::Polls, session::Sessions};
use crate::server::services::Services;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};

#[derive(Clone)]
pub(crate) struct AppState {
    leptos_options: LeptosOptions,
    services: Services,
    sessions: Arc<Sessions>,
    cookies: Arc<Cookies>,
    polls: Arc<Polls>,
    trusted_proxies: TrustedProxies,
    /// `PUBLIC_URL`'s host (and port), also accepted as this server's own origin.
    public_host: Option<String>,
    /// `PUBLIC_URL` is https: cookies are `Secure` whatever the request says.
    public_https: bool,
    /// Set at shutdown: `/readyz` answers 503 while requests in flight finish.
    draining: Arc<AtomicBool>,
}

/// What [`AppState`] is made of, besides the services.
pub(crate) struct Edges {
    pub(crate) sessions: Sessions,
    pub(crate) cookies: Cookies,
    pub(crate) trusted_proxies: TrustedProxies,
    pub(crate) public_host: Option<String>,
    pub(crate) public_https: bool,
}

impl AppState {
    pub(crate) fn new(leptos_options: LeptosOptions, services: Services, edges: Edges) -> Self {
        Self {
            leptos_options,
            services,
            sessions: Arc::new(edges.sessions),
            cookies: Arc::new(edges.cookies),
            polls: Arc::new(Polls::new()),
            trusted_proxies: edges.trusted_proxies,
            public_host: edges.public_host,
            public_https: edges.public_https,
            draining: Arc::default(),
        }
    }

    /// The flag shutdown raises (shared with the accept loop).
    pub(crate) fn draining(&self) -> Arc<AtomicBool> {
        self.draining.clone()
    }

    pub(crate) fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }

    pub(crate) fn leptos_options(&self) -> &LeptosOptions {
        &self.leptos_options
    }

    pub(crate) fn services(&self) -> &Services {
        &self.services
    }

    pub(crate) fn sessions(&self) -> &Sessions {
        &self.sessions
    }

    pub(crate) fn cookies(&self) -> &Cookies {
        &self.cookies
    }

    pub(crate) fn polls(&self) -> &Polls {
        &self.polls
    }

    pub(crate) fn public_https(&self) -> bool {
        self.public_https
    }

    pub(crate) fn trusted_proxies(&self) -> &TrustedProxies {
        &self.trusted_proxies
    }

    pub(crate) fn public_host(&self) -> Option<&str> {
        self.public_host.as_deref()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
