//! Builds the application from validated settings and serves it: the Leptos pages, the
//! server functions under `/api`, `/health`, and `/dev/outbox` when SMS goes to the outbox.

use super::{
    clock::{Clock, SystemClock},
    code_hash::CodeHasher,
    delivery::DeliveryTracker,
    limits::Limiter,
    outbox_page,
    secret::SecretKey,
    security,
    session::Sessions,
    settings::Validated,
    sms::{outbox::Outbox, telnyx::TelnyxClient, SmsSender},
    state::AppState,
    store::{self, CodeStore, LimitStore},
    verification::{CodePolicy, Verifier},
    webhook::{self, WebhookVerifier},
};
use crate::app::{shell, App};
use axum::{
    body::Body,
    extract::State,
    http::Request,
    middleware,
    response::IntoResponse,
    routing::{get, post},
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use std::{net::SocketAddr, sync::Arc, time::Duration};
use tokio::net::TcpListener;
use tower_http::{limit::RequestBodyLimitLayer, trace::TraceLayer};

/// Largest request body accepted (forms are a few dozen bytes, webhooks a few KiB).
const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot set up the Telnyx client: {0}")]
    Telnyx(String),
    #[error("TELNYX_PUBLIC_KEY: {0}")]
    WebhookKey(String),
    #[error("SECRET_KEY: {0}")]
    Secret(String),
    #[error("cannot open the code store (DATABASE_URL): {0}")]
    Store(store::StoreError),
}

/// A bound, ready-to-serve application.
pub struct Application {
    listener: TcpListener,
    router: Router,
    addr: SocketAddr,
    stores: store::Stores,
    clock: Arc<dyn Clock>,
    purge_every: Duration,
}

impl Application {
    pub async fn build(settings: Validated) -> Result<Self, StartupError> {
        Self::build_with_clock(settings, Arc::new(SystemClock)).await
    }

    /// Like [`Application::build`], reading time from `clock` (tests move it by hand).
    pub async fn build_with_clock(
        settings: Validated,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StartupError> {
        let (sender, outbox) = match settings.telnyx.clone() {
            Some(config) => {
                tracing::info!(api_base = %config.api_base, "sending SMS through Telnyx");
                let client = TelnyxClient::new(config).map_err(StartupError::Telnyx)?;
                (SmsSender::Telnyx(Box::new(client)), None)
            }
            None => {
                tracing::warn!(
                    "NO SMS IS BEING SENT: TELNYX_API_KEY is not set, so codes go to the dev outbox \
                     (/dev/outbox) and the log. Set TELNYX_API_KEY and TELNYX_FROM_NUMBER for real SMS."
                );
                let outbox = Arc::new(Outbox::new());
                (SmsSender::Outbox(outbox.clone()), Some(outbox))
            }
        };
        if settings.code_spec.entropy_bits() < 19.9 {
            tracing::warn!(
                bits = settings.code_spec.entropy_bits(),
                "codes carry less than the 20 bits of entropy NIST SP 800-63B asks for; raise CODE_LENGTH"
            );
        }

        let secret = match settings.secret_key.clone() {
            Some(key) => key,
            None => {
                SecretKey::load_or_generate(&settings.data_dir).map_err(StartupError::Secret)?
            }
        };
        if settings.database_url.starts_with("sqlite:") {
            // The default database lives in the data directory: make sure it exists.
            let _ = std::fs::create_dir_all(&settings.data_dir);
        }
        let stores = store::open(
            &settings.database_url,
            settings.raw.database_max_connections,
        )
        .await
        .map_err(StartupError::Store)?;
        tracing::info!(
            backend = settings.database_url.split(':').next().unwrap_or_default(),
            "code store ready"
        );
        let limiter = Arc::new(Limiter {
            settings: settings.limits.clone(),
            store: stores.limits.clone(),
            clock: clock.clone(),
        });
        let delivery = Arc::new(DeliveryTracker {
            store: stores.codes.clone(),
            limiter: limiter.clone(),
            outbox: outbox.clone(),
        });
        let webhooks = match &settings.telnyx_public_key {
            Some(key) => {
                Some(WebhookVerifier::new(key, clock.clone()).map_err(StartupError::WebhookKey)?)
            }
            None => {
                tracing::info!("TELNYX_PUBLIC_KEY is not set: /webhooks/telnyx is disabled and delivery reports are not received");
                None
            }
        };
        let sample = settings.code_spec.generate(&mut rand::rng());
        if let Some(problem) = settings
            .message
            .single_segment_problem(&sample, settings.code_ttl)
        {
            tracing::warn!("SMS_TEMPLATE: {problem}");
        }
        let verifier = Arc::new(Verifier {
            policy: CodePolicy {
                spec: settings.code_spec,
                ttl: settings.code_ttl,
                max_attempts: settings.code_max_attempts,
            },
            region: settings.region,
            message: settings.message.clone(),
            store: stores.codes.clone(),
            sender,
            hasher: CodeHasher::new(secret.derive("code-hash")),
            clock: clock.clone(),
            limiter,
            delivery: delivery.clone(),
        });

        let listener = TcpListener::bind(settings.site_addr)
            .await
            .map_err(|source| StartupError::Bind {
                addr: settings.site_addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: settings.site_addr,
            source,
        })?;
        let leptos_options = LeptosOptions::builder()
            .output_name("telnyx-2fa")
            .site_root(settings.raw.leptos_site_root.as_str())
            .site_addr(addr)
            .build();
        let state = AppState {
            leptos_options,
            verifier,
            outbox,
            trusted_proxies: settings.trusted_proxies.clone(),
            sessions: Arc::new(Sessions::new(&secret, settings.session_ttl, clock.clone())),
            delivery,
            webhooks,
            public_host: settings.message.origin_host().map(str::to_string),
        };
        Ok(Self {
            listener,
            router: router(state),
            addr,
            stores,
            clock,
            purge_every: Duration::from_secs(settings.raw.purge_interval_seconds),
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until SIGINT or SIGTERM, then finishes in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        tracing::info!("listening on http://{}", self.addr);
        let purge = tokio::spawn(purge_expired(self.stores, self.clock, self.purge_every));
        let served = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await;
        purge.abort();
        served
    }
}

fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let mut router = Router::new()
        .route("/api/{*fn_name}", post(server_fn_handler))
        .route("/health", get(|| async { "ok" }));
    if state.outbox.is_some() {
        router = router.route("/dev/outbox", get(outbox_page::show));
    }
    if state.webhooks.is_some() {
        router = router.route("/webhooks/telnyx", post(webhook::receive));
    }
    router
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(state.clone(), security::reject_cross_site))
        .layer(middleware::from_fn_with_state(state.clone(), security::headers))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // Spans carry the path only: query strings hold phone numbers.
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
        }))
        .with_state(state)
}

async fn server_fn_handler(
    State(state): State<AppState>,
    request: Request<Body>,
) -> impl IntoResponse {
    handle_server_fns_with_context(move || provide_context(state.clone()), request).await
}

/// Deletes expired (and so also used) codes and ended limit counters every `period`,
/// so the tables stay small.
async fn purge_expired(stores: store::Stores, clock: Arc<dyn Clock>, period: Duration) {
    let mut every = tokio::time::interval(period);
    loop {
        every.tick().await;
        let now = clock.now();
        let codes: &dyn CodeStore = &*stores.codes;
        let limits: &dyn LimitStore = &*stores.limits;
        match (codes.purge(now).await, limits.purge_limits(now).await) {
            (Ok(codes), Ok(limits)) => tracing::debug!(codes, limits, "purged expired rows"),
            (Err(error), _) | (_, Err(error)) => {
                tracing::warn!(%error, "could not purge expired rows")
            }
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
