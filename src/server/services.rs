//! The service graph, built in one place from the configuration (by startup and by
//! tests alike): metrics, stores, the operator's record, limiter, delivery tracker, SMS
//! sender (Telnyx or the dev outbox), voice caller, verifier, and the webhook signature
//! check.

use crate::locale::Locale;
use crate::server::{
    activity::Activity,
    config::Config,
    delivery::{DeliveryTracker, WebhookVerifier},
    domain::{
        clock::Clock,
        code_hash::CodeHasher,
        secret::{self, SecretKey},
    },
    limits::Limiter,
    metrics::Metrics,
    oidc::{keys::KeyRing, provider::Provider},
    sms::{message, outbox::Outbox, telnyx::TelnyxClient, SmsSender},
    store::{self, Stores},
    verify::{Verifier, VerifierParts},
    voice::{CallControl, Caller, Voice},
};
use std::sync::Arc;

/// Why the services could not be built; each names the setting to fix.
#[derive(Debug, thiserror::Error)]
pub enum ServicesError {
    #[error("cannot set up the Telnyx client: {0}")]
    Telnyx(String),
    #[error("TELNYX_PUBLIC_KEY: {0}")]
    WebhookKey(String),
    #[error("SECRET_KEY: {0}")]
    Secret(String),
    #[error("cannot open the code store (DATABASE_URL): {0}")]
    Store(String),
    #[error("cannot set up voice calls (TELNYX_CONNECTION_ID): {0}")]
    Voice(String),
}

/// Everything the HTTP edge calls into.
#[derive(Clone)]
pub struct Services {
    verifier: Arc<Verifier>,
    delivery: Arc<DeliveryTracker>,
    outbox: Option<Arc<Outbox>>,
    webhooks: Option<WebhookVerifier>,
    stores: Stores,
    secret: SecretKey,
    activity: Arc<Activity>,
    limiter: Arc<Limiter>,
    clock: Arc<dyn Clock>,
    oidc: Option<Arc<Provider>>,
    voice: Option<Arc<Voice>>,
}

impl Services {
    /// Opens the stores (creating the SQLite file and the secret key in `DATA_DIR` when
    /// they are the defaults) and wires every service to them.
    pub async fn build(config: &Config, clock: Arc<dyn Clock>) -> Result<Self, ServicesError> {
        let secret = match config.keys.secret_key.clone() {
            Some(key) => key,
            None => {
                SecretKey::load_or_generate(&config.keys.data_dir).map_err(ServicesError::Secret)?
            }
        };
        if config.store.database_url.starts_with("sqlite:") {
            // The default database lives in the data directory: make sure it exists.
            secret::create_private_dir(&config.keys.data_dir).map_err(ServicesError::Store)?;
        }
        let metrics = Metrics::new();
        let stores = store::open(
            &config.store.database_url,
            config.store.max_connections,
            metrics.clone(),
        )
        .await
        .map_err(|error| ServicesError::Store(error.to_string()))?;
        tracing::info!(
            backend = config
                .store
                .database_url
                .split(':')
                .next()
                .unwrap_or_default(),
            "code store ready"
        );
        let limiter = Arc::new(Limiter::new(
            config.limits.clone(),
            stores.limits.clone(),
            clock.clone(),
        ));
        let activity = Arc::new(Activity::new(
            stores.activity.clone(),
            metrics.clone(),
            clock.clone(),
        ));
        let delivery = Arc::new(DeliveryTracker::new(
            stores.codes.clone(),
            limiter.clone(),
            activity.clone(),
        ));
        // One Telnyx client (one connection pool) for messages and, with voice, calls.
        let telnyx = config
            .sms
            .telnyx
            .clone()
            .map(|telnyx| TelnyxClient::new(telnyx, metrics.clone()))
            .transpose()
            .map_err(ServicesError::Telnyx)?;
        let (sender, outbox) = match telnyx.clone() {
            Some(client) => {
                tracing::info!(api_base = %client.api_base(), "sending SMS through Telnyx");
                (SmsSender::Telnyx(Box::new(client)), None)
            }
            None => {
                tracing::warn!(
                    "NO SMS IS BEING SENT: TELNYX_API_KEY is not set, so codes go to the dev outbox \
                     (/dev/outbox) and the log. Set TELNYX_API_KEY and TELNYX_FROM_NUMBER for real SMS."
                );
                let outbox = Outbox::new(delivery.clone());
                (SmsSender::Outbox(outbox.clone()), Some(outbox))
            }
        };
        let webhooks = match &config.sms.webhook_public_key {
            Some(key) => {
                Some(WebhookVerifier::new(key, clock.clone()).map_err(ServicesError::WebhookKey)?)
            }
            None => {
                tracing::info!("TELNYX_PUBLIC_KEY is not set: /webhooks/telnyx is disabled and delivery reports are not received");
                None
            }
        };
        let policy = config.codes.policy;
        if policy.spec.entropy_bits() < 19.9 {
            tracing::warn!(
                bits = policy.spec.entropy_bits(),
                "codes carry less than the 20 bits of entropy NIST SP 800-63B asks for; raise CODE_LENGTH"
            );
        }
        let sample = policy.spec.generate(&mut rand::rng());
        for locale in Locale::ALL {
            let template = config.sms.messages.for_locale(locale);
            if let Some(problem) = template.single_segment_problem(&sample, policy.ttl) {
                tracing::warn!("{}: {problem}", message::setting(locale));
            }
        }
        let voice = match &config.voice {
            None => None,
            Some(settings) => {
                let caller = match (&telnyx, &outbox) {
                    (Some(client), _) => {
                        let client = client.clone();
                        tracing::info!("voice calls through Telnyx Call Control");
                        Caller::Telnyx(Box::new(
                            CallControl::new(
                                client,
                                settings.call_control.clone(),
                                settings.on_machine,
                            )
                            .map_err(ServicesError::Voice)?,
                        ))
                    }
                    (None, Some(outbox)) => Caller::Outbox(outbox.clone()),
                    (None, None) => {
                        return Err(ServicesError::Voice("no way to place calls".into()))
                    }
                };
                let voice = Voice::new(
                    settings.clone(),
                    caller,
                    &secret.derive("voice-client-state"),
                    &config.http.app_name,
                    delivery.clone(),
                    clock.clone(),
                )
                .map_err(ServicesError::Voice)?;
                Some(Arc::new(voice))
            }
        };
        let verifier = Arc::new(Verifier::new(
            config,
            VerifierParts {
                store: stores.codes.clone(),
                sender,
                hasher: CodeHasher::new(secret.derive("code-hash")),
                clock: clock.clone(),
                limiter: limiter.clone(),
                activity: activity.clone(),
                voice: voice.clone(),
            },
        ));
        let oidc = if config.oidc.clients.is_empty() {
            None
        } else {
            let keys = KeyRing::new(
                stores.oidc.clone(),
                clock.clone(),
                &secret.derive("oidc-signing-keys"),
                config.oidc.key_rotation,
                config.oidc.signing_key.clone(),
            )
            .map_err(ServicesError::Secret)?;
            tracing::info!(
                clients = config.oidc.clients.len(),
                "OpenID Connect provider on"
            );
            Some(Arc::new(Provider::new(
                config.oidc.clients.clone(),
                keys,
                stores.oidc.clone(),
                clock.clone(),
                secret.derive("oidc-subject"),
            )))
        };
        Ok(Self {
            verifier,
            delivery,
            outbox,
            webhooks,
            stores,
            secret,
            activity,
            limiter,
            clock,
            oidc,
            voice,
        })
    }

    /// The voice channel, when `TELNYX_CONNECTION_ID` is set.
    pub fn voice(&self) -> Option<&Arc<Voice>> {
        self.voice.as_ref()
    }

    pub fn verifier(&self) -> &Arc<Verifier> {
        &self.verifier
    }

    pub fn delivery(&self) -> &Arc<DeliveryTracker> {
        &self.delivery
    }

    /// Present only when no Telnyx key is configured.
    pub fn outbox(&self) -> Option<&Arc<Outbox>> {
        self.outbox.as_ref()
    }

    /// Present only when `TELNYX_PUBLIC_KEY` is configured.
    pub fn webhooks(&self) -> Option<&WebhookVerifier> {
        self.webhooks.as_ref()
    }

    pub fn stores(&self) -> &Stores {
        &self.stores
    }

    /// The OpenID Connect provider, when clients are configured.
    pub fn oidc(&self) -> Option<&Arc<Provider>> {
        self.oidc.as_ref()
    }

    /// This instance's metrics.
    pub fn metrics(&self) -> &Metrics {
        self.activity.metrics()
    }

    pub fn limiter(&self) -> &Arc<Limiter> {
        &self.limiter
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The deployment's secret (configured, or generated into `DATA_DIR`).
    pub fn secret(&self) -> &SecretKey {
        &self.secret
    }
}
