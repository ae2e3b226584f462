//! Builds the application from the configuration and serves it until SIGINT or SIGTERM.

use super::{
    admin::Admin,
    client_ip::TrustedProxies,
    cookies::Cookies,
    protect::Protection,
    routes,
    session::Sessions,
    site,
    state::{AppState, Edges},
    Ui,
};
use crate::server::{
    config::Config,
    domain::clock::{Clock, SystemClock},
    services::{Services, ServicesError},
    store::{self, Stores},
};
use axum::Router;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
    service::TowerToHyperService,
};
use std::{
    net::SocketAddr,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};
use tokio::net::TcpListener;
use tower::Service;

/// A connection must send its request headers within this (slowloris).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Services(#[from] ServicesError),
    #[error("{0}")]
    Site(String),
    #[error(
        "refusing to start the dev outbox (no TELNYX_API_KEY): {0}. Anyone could read every \
         code at /dev/outbox. Set TELNYX_API_KEY and TELNYX_FROM_NUMBER, or DEV_OUTBOX=true \
         if this really is a development machine"
    )]
    DevOutboxExposed(&'static str),
}

/// Where `/metrics` is served.
enum Metrics {
    /// On the main listener.
    Here,
    /// On its own listener (`METRICS_ADDR`), with its own router.
    Own(TcpListener, Router),
    Off,
}

/// A bound, ready-to-serve application.
pub struct Application {
    listener: TcpListener,
    metrics: Metrics,
    router: Router,
    protection: Protection,
    draining: Arc<AtomicBool>,
    grace: Duration,
    addr: SocketAddr,
    stores: Stores,
    clock: Arc<dyn Clock>,
    purge_every: Duration,
}

impl Application {
    /// The application serving `ui`, configured by `config`.
    pub async fn build(config: Config, ui: Ui) -> Result<Self, StartupError> {
        Self::build_with_clock(config, Arc::new(SystemClock), ui).await
    }

    /// Like [`Application::build`], reading time from `clock` (tests move it by hand).
    pub async fn build_with_clock(
        config: Config,
        clock: Arc<dyn Clock>,
        ui: Ui,
    ) -> Result<Self, StartupError> {
        let http = config.http.clone();
        let mut leptos_options = site::leptos_options(&http).map_err(StartupError::Site)?;
        check_dev_outbox(&config, leptos_options.site_addr)?;
        let services = Services::build(&config, clock.clone()).await?;
        let site_addr = leptos_options.site_addr;
        let bind_error = |source| StartupError::Bind {
            addr: site_addr,
            source,
        };
        let listener = TcpListener::bind(site_addr).await.map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        leptos_options.site_addr = addr;
        let stores = services.stores().clone();
        let edges = Edges {
            sessions: Sessions::new(stores.sessions.clone(), http.session_ttl, clock.clone()),
            cookies: Cookies::new(services.secret()),
            trusted_proxies: TrustedProxies::new(http.trusted_proxies.clone()),
            public_host: http.public_host(),
            public_https: http
                .public_url
                .as_ref()
                .is_some_and(|url| url.scheme() == "https"),
            app_name: http.app_name.clone(),
            metrics_token: config.ops.metrics_token.clone(),
            admin: config.ops.admin_token.clone().map(Admin::new),
            issuer: issuer(&config, addr)?,
            api_keys: config.oidc.api_keys.clone(),
            api_keys_required: config.oidc.api_keys_required,
            form_targets: form_targets(&config),
        };
        let state = AppState::new(leptos_options, services, edges);
        let protection = Protection::new(&http);
        let draining = state.draining();
        let metrics = match config.ops.metrics_addr {
            Some(metrics_addr) => {
                let listener =
                    TcpListener::bind(metrics_addr)
                        .await
                        .map_err(|source| StartupError::Bind {
                            addr: metrics_addr,
                            source,
                        })?;
                Metrics::Own(listener, routes::metrics_router(state.clone()))
            }
            None if config.ops.metrics_token.is_some() => Metrics::Here,
            None if addr.ip().is_loopback() && http.public_url.is_none() => {
                tracing::info!("/metrics is open to local clients (development server); set METRICS_TOKEN or METRICS_ADDR in production");
                Metrics::Here
            }
            None => {
                tracing::info!("/metrics is off: set METRICS_TOKEN (bearer) or METRICS_ADDR (a separate listener)");
                Metrics::Off
            }
        };
        let serve_metrics_here = matches!(metrics, Metrics::Here);
        Ok(Self {
            listener,
            metrics,
            router: routes::router(state, ui, protection.clone(), serve_metrics_here),
            protection,
            draining,
            grace: http.shutdown_grace,
            addr,
            stores,
            clock,
            purge_every: config.store.purge_every,
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address of the separate metrics listener (`METRICS_ADDR`), if there is one.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        match &self.metrics {
            Metrics::Own(listener, _) => listener.local_addr().ok(),
            _ => None,
        }
    }

    /// Serves until SIGINT or SIGTERM, then drains: `/readyz` answers 503 at once, and
    /// connections are still accepted while requests are in flight, for at most
    /// `SHUTDOWN_GRACE_SECONDS`; then it stops. A connection that has not sent its
    /// request headers within [`HEADER_READ_TIMEOUT`] is closed.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        tracing::info!("listening on http://{}", self.addr);
        let purge = tokio::spawn(store::purge_every(
            self.stores,
            self.clock,
            self.purge_every,
        ));
        let metrics = match self.metrics {
            Metrics::Own(listener, router) => {
                tracing::info!("metrics on http://{}/metrics", listener.local_addr()?);
                Some(tokio::spawn(async move {
                    if let Err(error) = axum::serve(listener, router).await {
                        tracing::error!(%error, "the metrics listener stopped");
                    }
                }))
            }
            _ => None,
        };
        let mut connections = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let mut http1 = hyper::server::conn::http1::Builder::new();
        http1
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT);
        let graceful = GracefulShutdown::new();
        let mut stop = std::pin::pin!(shutdown_signal());
        let mut drain_until: Option<Instant> = None;
        loop {
            let accepted = match drain_until {
                None => tokio::select! {
                    accepted = self.listener.accept() => accepted,
                    () = &mut stop => {
                        self.draining.store(true, Ordering::SeqCst);
                        tracing::info!(grace = ?self.grace, "draining: /readyz answers 503; requests in flight finish");
                        drain_until = Some(Instant::now() + self.grace);
                        continue;
                    }
                },
                Some(until) => {
                    if self.protection.in_flight() == 0 || Instant::now() >= until {
                        break;
                    }
                    tokio::select! {
                        accepted = self.listener.accept() => accepted,
                        () = tokio::time::sleep(Duration::from_millis(20)) => continue,
                    }
                }
            };
            let (stream, peer) = match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: pause instead of spinning.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let Ok(service) = connections.call(peer).await;
            let connection =
                http1.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
            let connection = graceful.watch(connection);
            tokio::spawn(async move {
                if let Err(error) = connection.await {
                    tracing::debug!(%error, "connection closed with an error");
                }
            });
        }
        drop(self.listener);
        let left = drain_until
            .map_or(Duration::ZERO, |until| {
                until.saturating_duration_since(Instant::now())
            })
            .max(Duration::from_secs(1));
        if tokio::time::timeout(left, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!(
                "requests were still running at the end of the grace period; stopping anyway"
            );
        }
        purge.abort();
        if let Some(metrics) = metrics {
            metrics.abort();
        }
        Ok(())
    }
}

/// The CSP `form-action` sources a sign-in's last form post is redirected to: each OIDC
/// client redirect URI's origin (or, for a native app's own scheme, the scheme).
fn form_targets(config: &Config) -> String {
    let mut sources: Vec<String> = config
        .oidc
        .clients
        .iter()
        .flat_map(|client| client.redirect_uris.iter())
        .filter_map(|uri| url::Url::parse(uri).ok())
        .map(|url| match url.origin() {
            url::Origin::Tuple(..) => url.origin().ascii_serialization(),
            url::Origin::Opaque(_) => format!("{}:", url.scheme()),
        })
        .collect();
    sources.sort();
    sources.dedup();
    sources.iter().map(|source| format!(" {source}")).collect()
}

/// The OpenID Connect issuer: `PUBLIC_URL`, or (on a loopback address only) the address
/// this server listens on. Tokens name it, so it must be what clients reach.
fn issuer(config: &Config, listen: SocketAddr) -> Result<String, StartupError> {
    match &config.http.public_url {
        Some(url) => Ok(url.as_str().trim_end_matches('/').to_string()),
        None if listen.ip().is_loopback() || config.oidc.clients.is_empty() => {
            Ok(format!("http://{listen}"))
        }
        None => Err(StartupError::Site(
            "OIDC_CLIENTS needs PUBLIC_URL (the issuer clients reach) when the server listens beyond this machine"
                .into(),
        )),
    }
}

/// The dev outbox shows every code to anyone who can reach it: it runs only on a
/// loopback address with no `PUBLIC_URL`, unless `DEV_OUTBOX=true` says otherwise.
fn check_dev_outbox(config: &Config, listen: SocketAddr) -> Result<(), StartupError> {
    if config.sms.telnyx.is_some() {
        return Ok(());
    }
    if config.sms.dev_outbox {
        tracing::warn!(
            %listen,
            "DEV_OUTBOX=true: every code is readable at /dev/outbox by anyone who can reach this server"
        );
        return Ok(());
    }
    if !listen.ip().is_loopback() {
        return Err(StartupError::DevOutboxExposed(
            "LEPTOS_SITE_ADDR is not a loopback address",
        ));
    }
    if config.http.public_url.is_some() {
        return Err(StartupError::DevOutboxExposed("PUBLIC_URL is set"));
    }
    Ok(())
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
