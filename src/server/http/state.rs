//! What every request handler can reach: the services, the session cookies, the client-IP
//! rules and the Leptos options. Built once at startup, cloned into each request.

use super::{client_ip::TrustedProxies, session::Sessions};
use crate::server::services::Services;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub(crate) struct AppState {
    leptos_options: LeptosOptions,
    services: Services,
    sessions: Arc<Sessions>,
    trusted_proxies: TrustedProxies,
    /// `PUBLIC_URL`'s host (and port), also accepted as this server's own origin.
    public_host: Option<String>,
}

impl AppState {
    pub(crate) fn new(
        leptos_options: LeptosOptions,
        services: Services,
        sessions: Sessions,
        trusted_proxies: TrustedProxies,
        public_host: Option<String>,
    ) -> Self {
        Self {
            leptos_options,
            services,
            sessions: Arc::new(sessions),
            trusted_proxies,
            public_host,
        }
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
