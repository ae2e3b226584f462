//! What every request handler can reach: the services, the session cookies, the client-IP
//! rules and the Leptos options. Built once at startup; each request (and each layer it
//! passes) gets a clone, which is one reference count.

use super::{
    admin::Admin,
    client_ip::{peer_of, TrustedProxies},
    cookies::Cookies,
    polls::Polls,
    session::Sessions,
};
use crate::server::{domain::api_key::ApiKey, services::Services};
use axum::extract::FromRef;
use http::request::Parts;
use leptos::prelude::LeptosOptions;
use secrecy::SecretString;
use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};

#[derive(Clone)]
pub(crate) struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The state itself, behind [`AppState`]'s one `Arc`.
pub(crate) struct Shared {
    leptos_options: LeptosOptions,
    services: Services,
    sessions: Sessions,
    cookies: Cookies,
    polls: Polls,
    trusted_proxies: TrustedProxies,
    /// `PUBLIC_URL`'s host (and port), also accepted as this server's own origin.
    public_host: Option<String>,
    /// `PUBLIC_URL` is https: cookies are `Secure` whatever the request says.
    public_https: bool,
    /// Set at shutdown: `/readyz` answers 503 while requests in flight finish.
    draining: Arc<AtomicBool>,
    /// `APP_NAME`: what pages call this app.
    app_name: String,
    /// `METRICS_TOKEN`, which `/metrics` then requires.
    metrics_token: Option<SecretString>,
    /// `/admin`, when `ADMIN_TOKEN` is set.
    admin: Option<Admin>,
    /// The OpenID Connect issuer: `PUBLIC_URL`, or this server's own address.
    issuer: String,
    /// `API_KEYS`.
    api_keys: Vec<ApiKey>,
    api_keys_required: bool,
    /// Where a form post may end up besides here (CSP `form-action` sources): the
    /// origins of the OpenID Connect clients' redirect URIs, each after a space.
    form_targets: String,
}

/// What [`AppState`] is made of, besides the services.
pub(crate) struct Edges {
    pub(crate) sessions: Sessions,
    pub(crate) cookies: Cookies,
    pub(crate) trusted_proxies: TrustedProxies,
    pub(crate) public_host: Option<String>,
    pub(crate) public_https: bool,
    pub(crate) app_name: String,
    pub(crate) metrics_token: Option<SecretString>,
    pub(crate) admin: Option<Admin>,
    pub(crate) issuer: String,
    pub(crate) api_keys: Vec<ApiKey>,
    pub(crate) api_keys_required: bool,
    pub(crate) form_targets: String,
}

impl AppState {
    pub(crate) fn new(leptos_options: LeptosOptions, services: Services, edges: Edges) -> Self {
        Self(Arc::new(Shared {
            leptos_options,
            services,
            sessions: edges.sessions,
            cookies: edges.cookies,
            polls: Polls::new(),
            trusted_proxies: edges.trusted_proxies,
            public_host: edges.public_host,
            public_https: edges.public_https,
            draining: Arc::default(),
            app_name: edges.app_name,
            metrics_token: edges.metrics_token,
            admin: edges.admin,
            issuer: edges.issuer,
            api_keys: edges.api_keys,
            api_keys_required: edges.api_keys_required,
            form_targets: edges.form_targets,
        }))
    }

    pub(crate) fn form_targets(&self) -> &str {
        &self.form_targets
    }

    pub(crate) fn api_keys(&self) -> &[ApiKey] {
        &self.api_keys
    }

    pub(crate) fn api_keys_required(&self) -> bool {
        self.api_keys_required
    }

    /// The OpenID Connect issuer (no trailing slash).
    pub(crate) fn issuer(&self) -> String {
        self.issuer.clone()
    }

    pub(crate) fn app_name(&self) -> &str {
        &self.app_name
    }

    pub(crate) fn metrics_token(&self) -> Option<&SecretString> {
        self.metrics_token.as_ref()
    }

    pub(crate) fn admin(&self) -> Option<&Admin> {
        self.admin.as_ref()
    }

    /// Cookies for this request must be `Secure` (and `__Host-`): `PUBLIC_URL` is https,
    /// or the request reached us over HTTPS through a trusted proxy.
    pub(crate) fn secure_request(&self, parts: &Parts) -> bool {
        self.public_https
            || self
                .trusted_proxies
                .forwarded_https(peer_of(parts), &parts.headers)
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
