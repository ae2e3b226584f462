//! The one configuration: [`raw`] settings (flat, as read from env and file) checked and
//! turned into grouped parts, one per layer that takes them: `codes`, `sms`, `limits`,
//! `store`, `keys` and `http`. Invalid settings fail at start with a message naming the
//! setting. Nothing reads the raw settings after this.

mod raw;

use crate::locale::Locale;
use crate::server::{
    domain::{
        api_key::ApiKey,
        code::{CodeAlphabet, CodePolicy, CodeSpec},
        phone::Region,
        secret::SecretKey,
    },
    limits::{AllowedCountries, CallCaps, ConversionGuard, LimitSettings},
    oidc::{
        clients::{check_redirect_uri, ClientSecret, OidcClient, SigningAlg},
        keys::ConfiguredKey,
    },
    sms::{
        message::{self, MessageTemplate, Messages},
        telnyx::TelnyxConfig,
    },
    store::Backend,
    telemetry::LogFormat,
    voice::{default_language, CallControlConfig, MachineAction, Speaker, VoiceSettings},
};
use ipnet::IpNet;
use raw::{RawClients, RawSettings};
use secrecy::{ExposeSecret, SecretString};
use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    path::{Path, PathBuf},
    time::Duration,
};
use url::Url;

/// The settings that turn every abuse limit off (a limit of 0 is off), for tests and
/// benchmarks that exercise something else. Deployments keep the limits on.
pub const LIMITS_OFF: [(&str, &str); 14] = [
    ("RESEND_COOLDOWN_SECONDS", "0"),
    ("SENDS_PER_NUMBER", "0"),
    ("SENDS_PER_IP", "0"),
    ("VERIFIES_PER_IP", "0"),
    ("MAX_CONSECUTIVE_FAILURES", "0"),
    ("SENDS_PER_COUNTRY_PER_HOUR", "0"),
    ("SENDS_PER_COUNTRY_PER_DAY", "0"),
    ("SENDS_PER_HOUR", "0"),
    ("SENDS_PER_DAY", "0"),
    ("CONVERSION_MIN_SENDS", "0"),
    ("ALLOWED_COUNTRIES", "*"),
    ("CALLS_PER_NUMBER", "0"),
    ("CALLS_PER_IP_PER_HOUR", "0"),
    ("CALLS_PER_COUNTRY_PER_HOUR", "0"),
];

/// The validated configuration, grouped by the part of the app that uses it.
#[derive(Debug, Clone)]
pub struct Config {
    log_format: LogFormat,
    pub(crate) codes: CodeConfig,
    pub(crate) sms: SmsConfig,
    pub(crate) limits: LimitSettings,
    pub(crate) store: StoreConfig,
    pub(crate) keys: KeyConfig,
    pub(crate) http: HttpConfig,
    pub(crate) ops: OpsConfig,
    pub(crate) oidc: OidcConfig,
    /// `None`: voice is off (no `TELNYX_CONNECTION_ID`).
    pub(crate) voice: Option<VoiceSettings>,
}

/// The OpenID Connect provider and the API's keys.
#[derive(Debug, Clone)]
pub(crate) struct OidcConfig {
    /// No client: the provider's endpoints don't exist.
    pub clients: Vec<OidcClient>,
    /// `OIDC_KEY_ROTATION_DAYS`: signing keys are replaced after this.
    pub key_rotation: Duration,
    /// `OIDC_SIGNING_KEY`: a key of the operator's, used instead of generated ones.
    pub signing_key: Option<ConfiguredKey>,
    /// `API_KEYS`.
    pub api_keys: Vec<ApiKey>,
    /// `API_KEYS_REQUIRED`: API calls without a key are refused (the app's own pages
    /// still work).
    pub api_keys_required: bool,
}

/// What operators reach: metrics and the dashboard.
#[derive(Debug, Clone)]
pub(crate) struct OpsConfig {
    /// `METRICS_TOKEN`: `/metrics` wants it as a bearer token.
    pub metrics_token: Option<SecretString>,
    /// `METRICS_ADDR`: `/metrics` is served there, and only there.
    pub metrics_addr: Option<SocketAddr>,
    /// `ADMIN_TOKEN`: `/admin` exists, behind it.
    pub admin_token: Option<SecretString>,
}

/// How codes look and live, and how typed numbers are read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CodeConfig {
    pub policy: CodePolicy,
    /// `DEFAULT_REGION`: the country of numbers typed without a country code.
    pub region: Region,
}

/// Where texts go and what they say.
#[derive(Debug, Clone)]
pub(crate) struct SmsConfig {
    /// `None` means the dev outbox: no SMS is really sent.
    pub telnyx: Option<TelnyxConfig>,
    /// The SMS text per locale.
    pub messages: Messages,
    /// Base64 Ed25519 key that signs Telnyx webhooks; `None` disables the endpoint.
    pub webhook_public_key: Option<String>,
    /// `DEV_OUTBOX=true`: run the dev outbox wherever the server listens.
    pub dev_outbox: bool,
}

/// Where codes and limit counters are kept.
#[derive(Debug, Clone)]
pub(crate) struct StoreConfig {
    /// `sqlite:…`, `postgres://…` or `memory:`; defaults to a SQLite file in `DATA_DIR`.
    pub database_url: String,
    pub max_connections: u32,
    pub purge_every: Duration,
}

/// The deployment's secret and where a generated one is kept.
#[derive(Debug, Clone)]
pub(crate) struct KeyConfig {
    /// `None`: use (or create) the key kept in `data_dir`.
    pub secret_key: Option<SecretKey>,
    pub data_dir: PathBuf,
}

/// How the server meets the web.
#[derive(Debug, Clone)]
pub(crate) struct HttpConfig {
    /// `LEPTOS_SITE_ADDR`; unset: the `site-addr` of Cargo.toml's Leptos metadata.
    pub site_addr: Option<SocketAddr>,
    /// `LEPTOS_SITE_ROOT`; unset: the `site-root` of Cargo.toml's Leptos metadata.
    pub site_root: Option<String>,
    /// The proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed.
    pub trusted_proxies: Vec<IpNet>,
    pub session_ttl: Duration,
    /// A request taking longer is answered 503.
    pub request_timeout: Duration,
    /// Requests served at once; more are shed with 503.
    pub max_concurrent_requests: usize,
    /// How long a shutdown waits for requests in flight.
    pub shutdown_grace: Duration,
    /// The app's external origin (`PUBLIC_URL`).
    pub public_url: Option<Url>,
    /// `APP_NAME`: what pages and messages call this app.
    pub app_name: String,
}

impl HttpConfig {
    /// `PUBLIC_URL`'s host (and non-default port), as origin-bound codes and the
    /// cross-site check name it.
    pub fn public_host(&self) -> Option<String> {
        self.public_url.as_ref().and_then(origin_host)
    }
}

/// A setting that is missing, malformed or out of range.
#[derive(Debug, thiserror::Error)]
#[error("invalid setting {setting}: {message}")]
pub struct ConfigError {
    pub setting: String,
    pub message: String,
}

impl ConfigError {
    fn new(setting: &str, message: impl Into<String>) -> Self {
        Self {
            setting: setting.to_string(),
            message: message.into(),
        }
    }
}

impl Config {
    /// Reads `.env`, then `CONFIG_FILE` (or `telnyx-2fa.toml` if present), then the environment.
    pub fn load() -> Result<Self, ConfigError> {
        let _ = dotenvy::dotenv();
        Self::from_env(std::env::vars().collect())
    }

    /// Like [`Config::load`], with the environment given as a map (for tests).
    pub fn from_env(env: HashMap<String, String>) -> Result<Self, ConfigError> {
        RawSettings::read(env)?.validate()
    }

    /// How logs are written (`LOG_FORMAT`).
    pub fn log_format(&self) -> LogFormat {
        self.log_format
    }
}

impl RawSettings {
    fn validate(self) -> Result<Config, ConfigError> {
        let http = self.http()?;
        let messages = self.messages(http.public_host())?;
        if self.app_name.trim().is_empty() {
            return Err(ConfigError::new("APP_NAME", "must not be empty"));
        }
        let data_dir = PathBuf::from(self.data_dir.trim());
        let log_format = match self.log_format.trim().to_ascii_lowercase().as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => {
                return Err(ConfigError::new(
                    "LOG_FORMAT",
                    format!("must be `text` or `json`, got `{other}`"),
                ))
            }
        };
        let telnyx = self.telnyx(http.public_url.as_ref())?;
        let voice = self.voice(telnyx.as_ref())?;
        Ok(Config {
            voice,
            log_format,
            codes: self.codes()?,
            sms: SmsConfig {
                telnyx,
                messages,
                webhook_public_key: non_empty(&self.telnyx_public_key),
                dev_outbox: self.dev_outbox,
            },
            limits: self.limits()?,
            store: self.store(&data_dir)?,
            keys: KeyConfig {
                secret_key: self
                    .secret_key
                    .as_ref()
                    .map(|key| SecretKey::parse(key.expose_secret()))
                    .transpose()
                    .map_err(|message| ConfigError::new("SECRET_KEY", message))?,
                data_dir,
            },
            http,
            ops: self.ops()?,
            oidc: self.oidc()?,
        })
    }

    fn oidc(&self) -> Result<OidcConfig, ConfigError> {
        let raw = match &self.oidc_clients {
            None => Vec::new(),
            Some(RawClients::List(list)) => list.clone(),
            Some(RawClients::Json(json)) if json.trim().is_empty() => Vec::new(),
            Some(RawClients::Json(json)) => serde_json::from_str(json).map_err(|error| {
                ConfigError::new(
                    "OIDC_CLIENTS",
                    format!("not a JSON list of clients: {error}"),
                )
            })?,
        };
        let mut clients: Vec<OidcClient> = Vec::new();
        for client in raw {
            let id = client.client_id.trim().to_string();
            let invalid = |message: String| {
                ConfigError::new("OIDC_CLIENTS", format!("client `{id}`: {message}"))
            };
            if id.is_empty() {
                return Err(ConfigError::new(
                    "OIDC_CLIENTS",
                    "a client has an empty client_id",
                ));
            }
            if clients.iter().any(|known| known.id == id) {
                return Err(invalid("listed twice".into()));
            }
            if client.redirect_uris.is_empty() {
                return Err(invalid("needs at least one redirect_uris entry".into()));
            }
            for uri in &client.redirect_uris {
                check_redirect_uri(uri).map_err(invalid)?;
            }
            let secret = client
                .client_secret
                .as_ref()
                .map(|secret| ClientSecret::parse(secret.expose_secret(), "an OIDC client secret"))
                .transpose()
                .map_err(|message| invalid(format!("client_secret {message}")))?;
            let alg = match client.id_token_signed_response_alg.as_deref() {
                None => SigningAlg::Es256,
                Some(name) => SigningAlg::parse(name.trim()).ok_or_else(|| {
                    invalid(format!(
                        "id_token_signed_response_alg `{name}` is not ES256 or EdDSA"
                    ))
                })?,
            };
            clients.push(OidcClient {
                name: client
                    .name
                    .as_deref()
                    .map(str::trim)
                    .filter(|name| !name.is_empty())
                    .unwrap_or(&id)
                    .to_string(),
                id,
                secret,
                redirect_uris: client.redirect_uris.clone(),
                alg,
            });
        }
        check_range(
            "OIDC_KEY_ROTATION_DAYS",
            self.oidc_key_rotation_days,
            1..=3650,
            "",
        )?;
        let api_keys = match &self.api_keys {
            Some(list) => ApiKey::parse_list(list.expose_secret())
                .map_err(|message| ConfigError::new("API_KEYS", message))?,
            None => Vec::new(),
        };
        if self.api_keys_required && api_keys.is_empty() {
            return Err(ConfigError::new(
                "API_KEYS_REQUIRED",
                "is true, but API_KEYS lists no key",
            ));
        }
        let signing_key = self
            .oidc_signing_key
            .as_ref()
            .map(|pem| ConfiguredKey::parse(pem.expose_secret()))
            .transpose()
            .map_err(|message| ConfigError::new("OIDC_SIGNING_KEY", message))?;
        Ok(OidcConfig {
            clients,
            key_rotation: Duration::from_secs(self.oidc_key_rotation_days * 86_400),
            signing_key,
            api_keys,
            api_keys_required: self.api_keys_required,
        })
    }

    fn ops(&self) -> Result<OpsConfig, ConfigError> {
        let token = |name: &'static str, value: &Option<SecretString>| {
            let Some(value) = value else {
                return Ok(None);
            };
            let text = value.expose_secret().trim();
            if text.len() < 16 {
                // Wrong guesses are rate limited, but a short token is still guessable.
                tracing::warn!(
                    setting = name,
                    "is shorter than 16 characters; use a long random token (`openssl rand -hex 32`)"
                );
            }
            Ok::<_, ConfigError>(Some(SecretString::from(text.to_string())))
        };
        let metrics_addr = non_empty(&self.metrics_addr)
            .map(|addr| {
                addr.parse().map_err(|_| {
                    ConfigError::new(
                        "METRICS_ADDR",
                        format!("`{addr}` is not an address like 127.0.0.1:9100"),
                    )
                })
            })
            .transpose()?;
        Ok(OpsConfig {
            metrics_token: token("METRICS_TOKEN", &self.metrics_token)?,
            metrics_addr,
            admin_token: token("ADMIN_TOKEN", &self.admin_token)?,
        })
    }

    fn codes(&self) -> Result<CodeConfig, ConfigError> {
        let alphabet = match self.code_alphabet.trim().to_ascii_lowercase().as_str() {
            "numeric" => CodeAlphabet::Numeric,
            "hex" => CodeAlphabet::Hex,
            other => {
                return Err(ConfigError::new(
                    "CODE_ALPHABET",
                    format!("must be `numeric` or `hex`, got `{other}`"),
                ))
            }
        };
        let spec = CodeSpec::new(alphabet, self.code_length)
            .map_err(|message| ConfigError::new("CODE_LENGTH", message))?;
        check_range(
            "CODE_TTL_SECONDS",
            self.code_ttl_seconds,
            30..=3600,
            "NIST allows at most 600",
        )?;
        check_range("CODE_MAX_ATTEMPTS", self.code_max_attempts, 1..=100, "")?;
        let region = self
            .default_region
            .parse()
            .map_err(|message| ConfigError::new("DEFAULT_REGION", message))?;
        Ok(CodeConfig {
            policy: CodePolicy {
                spec,
                ttl: Duration::from_secs(self.code_ttl_seconds),
                max_attempts: self.code_max_attempts,
            },
            region,
        })
    }

    fn http(&self) -> Result<HttpConfig, ConfigError> {
        let site_addr = non_empty(&self.leptos_site_addr)
            .map(|addr| {
                addr.parse().map_err(|_| {
                    ConfigError::new(
                        "LEPTOS_SITE_ADDR",
                        format!("`{addr}` is not an address like 127.0.0.1:3000"),
                    )
                })
            })
            .transpose()?;
        let public_url = non_empty(&self.public_url)
            .map(|url| {
                let url = Url::parse(&url).map_err(|error| {
                    ConfigError::new("PUBLIC_URL", format!("not a URL: {error}"))
                })?;
                if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                    return Err(ConfigError::new(
                        "PUBLIC_URL",
                        "must be an http(s) origin such as https://auth.example.com",
                    ));
                }
                Ok(url)
            })
            .transpose()?;
        check_range(
            "SESSION_TTL_SECONDS",
            self.session_ttl_seconds,
            60..=30 * 86_400,
            "",
        )?;
        check_range(
            "REQUEST_TIMEOUT_SECONDS",
            self.request_timeout_seconds,
            1..=600,
            "",
        )?;
        check_range(
            "SHUTDOWN_GRACE_SECONDS",
            self.shutdown_grace_seconds,
            0..=3600,
            "",
        )?;
        check_range(
            "MAX_CONCURRENT_REQUESTS",
            self.max_concurrent_requests,
            1..=1_000_000,
            "",
        )?;
        Ok(HttpConfig {
            site_addr,
            site_root: non_empty(&self.leptos_site_root),
            trusted_proxies: ip_list(&self.trusted_proxies)
                .map_err(|message| ConfigError::new("TRUSTED_PROXIES", message))?,
            session_ttl: Duration::from_secs(self.session_ttl_seconds),
            request_timeout: Duration::from_secs(self.request_timeout_seconds),
            max_concurrent_requests: self.max_concurrent_requests,
            shutdown_grace: Duration::from_secs(self.shutdown_grace_seconds),
            public_url,
            app_name: self.app_name.trim().to_string(),
        })
    }

    /// The SMS template of each locale: its setting (`SMS_TEMPLATE_ES`, …; for English
    /// `SMS_TEMPLATE_EN`, else `SMS_TEMPLATE`), else the built-in text, each checked.
    fn messages(&self, origin_host: Option<String>) -> Result<Messages, ConfigError> {
        let given = [
            self.sms_template_en
                .as_deref()
                .unwrap_or(&self.sms_template),
            self.sms_template_es.as_deref().unwrap_or_default(),
            self.sms_template_fr.as_deref().unwrap_or_default(),
            self.sms_template_de.as_deref().unwrap_or_default(),
            self.sms_template_pt.as_deref().unwrap_or_default(),
        ];
        let mut templates = Vec::with_capacity(Locale::ALL.len());
        for (locale, given) in Locale::ALL.into_iter().zip(given) {
            let text = match given.trim() {
                "" => message::default_template(locale),
                text => text,
            };
            let setting = match (locale, &self.sms_template_en) {
                (Locale::En, Some(_)) => "SMS_TEMPLATE_EN",
                _ => message::setting(locale),
            };
            templates.push(
                MessageTemplate::new(text, self.app_name.trim(), origin_host.clone())
                    .map_err(|problem| ConfigError::new(setting, problem))?,
            );
        }
        let templates: [MessageTemplate; 5] = templates
            .try_into()
            .map_err(|_| ConfigError::new("SMS_TEMPLATE", "one template per locale"))?;
        Ok(Messages(templates))
    }

    /// Voice calls, when `TELNYX_CONNECTION_ID` is set. With a Telnyx key they need a
    /// number to call from and the webhook key (calls are driven by signed webhooks).
    fn voice(&self, telnyx: Option<&TelnyxConfig>) -> Result<Option<VoiceSettings>, ConfigError> {
        let Some(connection_id) = non_empty(&self.telnyx_connection_id) else {
            return Ok(None);
        };
        let from = non_empty(&self.telnyx_voice_from_number)
            .or_else(|| non_empty(&self.telnyx_from_number));
        if let Some(from) = &from {
            if !from.starts_with('+') || from.len() < 8 {
                return Err(ConfigError::new(
                    "TELNYX_VOICE_FROM_NUMBER",
                    "calls come from a number in E.164 form, e.g. +15550001111",
                ));
            }
        }
        if telnyx.is_some() {
            if from.is_none() {
                return Err(ConfigError::new(
                    "TELNYX_VOICE_FROM_NUMBER",
                    "set it (or TELNYX_FROM_NUMBER) when TELNYX_CONNECTION_ID is set",
                ));
            }
            if non_empty(&self.telnyx_public_key).is_none() {
                return Err(ConfigError::new(
                    "TELNYX_PUBLIC_KEY",
                    "calls are driven by Telnyx's signed webhooks: set it when TELNYX_CONNECTION_ID is set",
                ));
            }
        }
        let on_machine = match self.voice_on_machine.trim().to_ascii_lowercase().as_str() {
            "speak" => MachineAction::Speak,
            "hangup" => MachineAction::Hangup,
            other => {
                return Err(ConfigError::new(
                    "VOICE_ON_MACHINE",
                    format!("must be `speak` or `hangup`, got `{other}`"),
                ))
            }
        };
        check_range(
            "VOICE_OFFER_AFTER_SECONDS",
            self.voice_offer_after_seconds,
            0..=3600,
            "",
        )?;
        let voice = self.voice.trim();
        if voice.is_empty() {
            return Err(ConfigError::new("VOICE", "must not be empty"));
        }
        let per_locale = [
            (&self.voice_en, &self.voice_language_en),
            (&self.voice_es, &self.voice_language_es),
            (&self.voice_fr, &self.voice_language_fr),
            (&self.voice_de, &self.voice_language_de),
            (&self.voice_pt, &self.voice_language_pt),
        ];
        let speakers = std::array::from_fn(|index| {
            let (own_voice, language) = per_locale[index];
            Speaker {
                voice: non_empty(own_voice).unwrap_or_else(|| voice.to_string()),
                language: non_empty(language)
                    .unwrap_or_else(|| default_language(Locale::ALL[index]).to_string()),
            }
        });
        Ok(Some(VoiceSettings {
            call_control: CallControlConfig {
                connection_id,
                from,
                webhook_url: telnyx.and_then(|telnyx| telnyx.webhook_url.clone()),
            },
            on_machine,
            offer_after: Duration::from_secs(self.voice_offer_after_seconds),
            for_landlines: self.voice_for_landlines,
            speakers,
        }))
    }

    fn limits(&self) -> Result<LimitSettings, ConfigError> {
        if self.limit_window_seconds == 0 {
            return Err(ConfigError::new(
                "LIMIT_WINDOW_SECONDS",
                "must be at least 1",
            ));
        }
        check_range(
            "MAX_CONSECUTIVE_FAILURES",
            self.max_consecutive_failures,
            0..=100,
            "NIST SP 800-63B allows at most 100; 0 turns the lockout off",
        )?;
        check_range("LOCKOUT_SECONDS", self.lockout_seconds, 1..=7 * 86_400, "")?;
        check_range(
            "CONVERSION_MIN_RATIO",
            self.conversion_min_ratio,
            0.0..=1.0,
            "",
        )?;
        check_range(
            "CONVERSION_SETTLE_SECONDS",
            self.conversion_settle_seconds,
            0..=3000,
            "codes are judged within the last hour",
        )?;
        check_range("IPV6_PREFIX_LENGTH", self.ipv6_prefix_length, 16..=128, "")?;
        Ok(LimitSettings {
            window: Duration::from_secs(self.limit_window_seconds),
            resend_cooldown: Duration::from_secs(self.resend_cooldown_seconds),
            sends_per_number: self.sends_per_number,
            sends_per_ip: self.sends_per_ip,
            verifies_per_ip: self.verifies_per_ip,
            max_consecutive_failures: self.max_consecutive_failures,
            lockout: Duration::from_secs(self.lockout_seconds),
            allowed_countries: self.allowed_countries()?,
            sends_per_country_per_hour: self.sends_per_country_per_hour,
            sends_per_country_per_day: self.sends_per_country_per_day,
            sends_per_hour: self.sends_per_hour,
            sends_per_day: self.sends_per_day,
            block_voip: self.block_voip,
            conversion: ConversionGuard {
                min_sends: self.conversion_min_sends,
                min_ratio: self.conversion_min_ratio,
                settle: Duration::from_secs(self.conversion_settle_seconds),
            },
            ipv6_prefix_length: self.ipv6_prefix_length,
            calls: CallCaps {
                per_number: self.calls_per_number,
                per_ip_per_hour: self.calls_per_ip_per_hour,
                per_country_per_hour: self.calls_per_country_per_hour,
            },
        })
    }

    /// `ALLOWED_COUNTRIES`: a list of regions, `*` for all, or (unset) the country of
    /// `DEFAULT_REGION`.
    fn allowed_countries(&self) -> Result<AllowedCountries, ConfigError> {
        let list = self.allowed_countries.trim();
        if list == "*" {
            return Ok(AllowedCountries::All);
        }
        let list = if list.is_empty() {
            self.default_region.as_str()
        } else {
            list
        };
        let mut regions = Vec::new();
        for country in list.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let region: Region = country
                .parse()
                .map_err(|message| ConfigError::new("ALLOWED_COUNTRIES", message))?;
            regions.push(region.code().to_string());
        }
        Ok(AllowedCountries::Only(regions))
    }

    fn store(&self, data_dir: &Path) -> Result<StoreConfig, ConfigError> {
        let database_url = match non_empty(&self.database_url) {
            None => format!(
                "sqlite:{}?mode=rwc",
                data_dir.join("telnyx-2fa.db").display()
            ),
            Some(url) if url == "memory:" || Backend::of(&url).is_some() => url,
            Some(_) => {
                return Err(ConfigError::new(
                    "DATABASE_URL",
                    "must start with sqlite:, postgres:// (or postgresql://), or be memory:",
                ))
            }
        };
        check_range(
            "DATABASE_MAX_CONNECTIONS",
            self.database_max_connections,
            1..=1000,
            "",
        )?;
        check_range(
            "PURGE_INTERVAL_SECONDS",
            self.purge_interval_seconds,
            1..=86_400,
            "",
        )?;
        Ok(StoreConfig {
            database_url,
            max_connections: self.database_max_connections,
            purge_every: Duration::from_secs(self.purge_interval_seconds),
        })
    }

    fn telnyx(&self, public_url: Option<&Url>) -> Result<Option<TelnyxConfig>, ConfigError> {
        let Some(api_key) = self.telnyx_api_key.as_ref() else {
            return Ok(None);
        };
        if api_key.expose_secret().trim().is_empty() {
            return Err(raw::blank_api_key());
        }
        let mut api_base = Url::parse(self.telnyx_api_base.trim())
            .map_err(|error| ConfigError::new("TELNYX_API_BASE", format!("not a URL: {error}")))?;
        if !matches!(api_base.scheme(), "http" | "https") {
            return Err(ConfigError::new(
                "TELNYX_API_BASE",
                "must be an http(s) URL",
            ));
        }
        if !api_base.path().ends_with('/') {
            let path = format!("{}/", api_base.path());
            api_base.set_path(&path);
        }
        let from = non_empty(&self.telnyx_from_number);
        let messaging_profile_id = non_empty(&self.telnyx_messaging_profile_id);
        if from.is_none() && messaging_profile_id.is_none() {
            return Err(ConfigError::new(
                "TELNYX_FROM_NUMBER",
                "set it (or TELNYX_MESSAGING_PROFILE_ID) when TELNYX_API_KEY is set",
            ));
        }
        check_range(
            "TELNYX_TIMEOUT_SECONDS",
            self.telnyx_timeout_seconds,
            1..=10,
            "one send, retries included, takes at most 10 s",
        )?;
        Ok(Some(TelnyxConfig {
            api_base,
            api_key: api_key.clone(),
            from,
            messaging_profile_id,
            timeout: Duration::from_secs(self.telnyx_timeout_seconds),
            webhook_url: public_url.map(|url| {
                let origin = url.as_str().trim_end_matches('/');
                format!("{origin}{}", crate::paths::TELNYX_WEBHOOK)
            }),
        }))
    }
}

/// The host (and non-default port) of an origin, as origin-bound codes name it.
fn origin_host(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

/// Parses a comma-separated list of CIDRs or single addresses.
fn ip_list(list: &str) -> Result<Vec<IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("`{item}` is not an IP address or CIDR"))
        })
        .collect()
}

/// Checks that `value` lies in `range`, naming `setting` (and why, if given) when it doesn't.
fn check_range<T: PartialOrd + std::fmt::Display>(
    setting: &str,
    value: T,
    range: std::ops::RangeInclusive<T>,
    why: &str,
) -> Result<(), ConfigError> {
    if range.contains(&value) {
        return Ok(());
    }
    let mut message = format!("must be between {} and {}", range.start(), range.end());
    if !why.is_empty() {
        message.push_str(&format!(" ({why})"));
    }
    Err(ConfigError::new(setting, message))
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    use crate::server::voice::MachineAction;

    #[test]
    fn defaults_need_no_configuration_and_use_the_dev_outbox() {
        let settings = Config::from_env(env(&[])).unwrap();
        assert!(settings.sms.telnyx.is_none());
        assert_eq!(settings.codes.policy.spec.length(), 6);
        assert_eq!(settings.codes.policy.spec.alphabet(), CodeAlphabet::Numeric);
        assert_eq!(settings.codes.policy.ttl, Duration::from_secs(600));
        assert_eq!(settings.codes.policy.max_attempts, 5);
        assert_eq!(settings.http.site_addr, None, "Cargo.toml's site-addr");
        assert_eq!(
            settings.store.database_url,
            "sqlite:data/telnyx-2fa.db?mode=rwc"
        );
        assert!(settings.keys.secret_key.is_none());
    }

    #[test]
    fn limits_have_safe_defaults_and_read_lists() {
        let settings = Config::from_env(env(&[])).unwrap();
        assert_eq!(settings.limits.resend_cooldown, Duration::from_secs(30));
        assert_eq!(settings.limits.sends_per_number, 5);
        assert_eq!(settings.limits.sends_per_ip, 10);
        assert_eq!(settings.limits.verifies_per_ip, 30);
        assert_eq!(settings.limits.window, Duration::from_secs(600));
        assert_eq!(settings.limits.max_consecutive_failures, 20);
        assert_eq!(settings.limits.lockout, Duration::from_secs(3600));
        assert_eq!(settings.limits.sends_per_hour, 1000);
        assert_eq!(settings.limits.sends_per_day, 5000);
        assert_eq!(settings.limits.sends_per_country_per_day, 1000);
        assert_eq!(settings.limits.conversion.min_sends, 20);
        assert_eq!(settings.limits.conversion.min_ratio, 0.2);
        assert_eq!(settings.limits.conversion.settle, Duration::from_secs(300));
        assert_eq!(settings.limits.ipv6_prefix_length, 64);
        assert_eq!(
            settings.limits.allowed_countries,
            AllowedCountries::Only(vec!["US".into()]),
            "the country of DEFAULT_REGION"
        );
        let settings = Config::from_env(env(&[("DEFAULT_REGION", "gb")])).unwrap();
        assert_eq!(
            settings.limits.allowed_countries,
            AllowedCountries::Only(vec!["GB".into()])
        );
        let settings = Config::from_env(env(&[("ALLOWED_COUNTRIES", "*")])).unwrap();
        assert_eq!(settings.limits.allowed_countries, AllowedCountries::All);
        let settings = Config::from_env(env(&[
            ("ALLOWED_COUNTRIES", "us, ca"),
            ("BLOCK_VOIP", "true"),
            ("SENDS_PER_IP", "0"),
        ]))
        .unwrap();
        assert_eq!(
            settings.limits.allowed_countries,
            AllowedCountries::Only(vec!["US".into(), "CA".into()])
        );
        assert!(settings.limits.block_voip);
        assert_eq!(settings.limits.sends_per_ip, 0);
    }

    #[test]
    fn public_url_adds_the_webhook_and_the_origin_bound_line() {
        let settings = Config::from_env(env(&[
            ("TELNYX_API_KEY", "k"),
            ("TELNYX_FROM_NUMBER", "+15550001111"),
            ("PUBLIC_URL", "https://auth.example.com/"),
        ]))
        .unwrap();
        assert_eq!(
            settings.sms.telnyx.unwrap().webhook_url.as_deref(),
            Some("https://auth.example.com/webhooks/telnyx")
        );
        assert_eq!(
            settings.http.public_host().as_deref(),
            Some("auth.example.com")
        );
    }

    #[test]
    fn the_database_follows_the_data_directory_unless_given() {
        let settings = Config::from_env(env(&[("DATA_DIR", "/var/lib/t2fa")])).unwrap();
        assert_eq!(
            settings.store.database_url,
            "sqlite:/var/lib/t2fa/telnyx-2fa.db?mode=rwc"
        );
        let settings = Config::from_env(env(&[("DATABASE_URL", "postgres://db/t2fa")])).unwrap();
        assert_eq!(settings.store.database_url, "postgres://db/t2fa");
    }

    #[test]
    fn environment_variables_override_defaults() {
        let settings = Config::from_env(env(&[
            ("TELNYX_API_KEY", "KEY123"),
            ("TELNYX_FROM_NUMBER", "+15550001111"),
            ("TELNYX_API_BASE", "http://127.0.0.1:9/base"),
            ("CODE_LENGTH", "7"),
            ("CODE_ALPHABET", "hex"),
            ("CODE_TTL_SECONDS", "300"),
            ("CODE_MAX_ATTEMPTS", "3"),
            ("DEFAULT_REGION", "gb"),
        ]))
        .unwrap();
        let telnyx = settings.sms.telnyx.unwrap();
        assert_eq!(telnyx.api_key.expose_secret(), "KEY123");
        assert_eq!(telnyx.from.as_deref(), Some("+15550001111"));
        assert_eq!(telnyx.api_base.as_str(), "http://127.0.0.1:9/base/");
        assert_eq!(settings.codes.policy.spec.length(), 7);
        assert_eq!(settings.codes.policy.spec.alphabet(), CodeAlphabet::Hex);
        assert_eq!(settings.codes.policy.ttl, Duration::from_secs(300));
        assert_eq!(settings.codes.policy.max_attempts, 3);
        assert_eq!(settings.codes.region, "GB".parse().unwrap());
    }

    #[test]
    fn a_config_file_is_read_and_the_environment_wins() {
        let path =
            std::env::temp_dir().join(format!("telnyx-2fa-test-{}.toml", std::process::id()));
        std::fs::write(&path, "code_length = 8\ncode_max_attempts = 4\n").unwrap();
        let settings = Config::from_env(env(&[
            ("CONFIG_FILE", path.to_str().unwrap()),
            ("CODE_MAX_ATTEMPTS", "2"),
        ]))
        .unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(settings.codes.policy.spec.length(), 8);
        assert_eq!(settings.codes.policy.max_attempts, 2);
    }

    #[test]
    fn oidc_clients_come_from_the_config_file_or_as_json() {
        let path =
            std::env::temp_dir().join(format!("telnyx-2fa-oidc-{}.toml", std::process::id()));
        std::fs::write(
            &path,
            "[[oidc_clients]]\nclient_id = \"shop\"\nname = \"Example Shop\"\n\
             client_secret = \"shop-secret-0123456789\"\n\
             redirect_uris = [\"https://shop.example.com/cb\"]\n\n\
             [[oidc_clients]]\nclient_id = \"spa\"\nredirect_uris = [\"http://localhost:4000/cb\"]\n\
             id_token_signed_response_alg = \"EdDSA\"\n",
        )
        .unwrap();
        let from_file = Config::from_env(env(&[("CONFIG_FILE", path.to_str().unwrap())]));
        std::fs::remove_file(&path).unwrap();
        let clients = from_file.unwrap().oidc.clients;
        assert_eq!(clients.len(), 2);
        assert_eq!(
            (clients[0].id.as_str(), clients[0].name.as_str()),
            ("shop", "Example Shop")
        );
        assert!(clients[0]
            .secret
            .as_ref()
            .unwrap()
            .matches("shop-secret-0123456789"));
        assert!(clients[1].is_public());
        assert_eq!(clients[1].name, "spa", "the id when no name is given");
        assert_eq!(clients[1].alg, SigningAlg::EdDsa);

        let json = r#"[{"client_id":"shop","redirect_uris":["https://shop.example.com/cb"]}]"#;
        let from_env = Config::from_env(env(&[("OIDC_CLIENTS", json)])).unwrap();
        assert_eq!(
            from_env.oidc.clients[0].redirect_uris,
            ["https://shop.example.com/cb"]
        );

        for (bad, why) in [
            (
                r#"[{"client_id":"a","redirect_uris":[]}]"#,
                "no redirect URI",
            ),
            (
                r#"[{"client_id":"a","redirect_uris":["http://shop.example.com/cb"]}]"#,
                "http off loopback",
            ),
            (
                r#"[{"client_id":"a","redirect_uris":["https://a.example/cb"],"client_secret":" "}]"#,
                "empty secret",
            ),
            (
                r#"[{"client_id":"a","redirect_uris":["https://a.example/cb"]},{"client_id":"a","redirect_uris":["https://a.example/cb"]}]"#,
                "twice",
            ),
            (r#"{"client_id":"a"}"#, "not a list"),
        ] {
            let error = Config::from_env(env(&[("OIDC_CLIENTS", bad)])).unwrap_err();
            assert_eq!(error.setting, "OIDC_CLIENTS", "{why}");
        }
    }

    #[test]
    fn the_site_address_and_root_can_be_overridden() {
        let settings = Config::from_env(env(&[
            ("LEPTOS_SITE_ROOT", "/srv/site"),
            ("LEPTOS_SITE_ADDR", "0.0.0.0:8080"),
        ]))
        .unwrap();
        assert_eq!(settings.http.site_root.as_deref(), Some("/srv/site"));
        assert_eq!(
            settings
                .http
                .site_addr
                .map(|addr| addr.to_string())
                .as_deref(),
            Some("0.0.0.0:8080")
        );
    }

    #[test]
    fn trusted_proxies_read_cidrs_and_addresses() {
        let settings =
            Config::from_env(env(&[("TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.1")])).unwrap();
        assert_eq!(settings.http.trusted_proxies.len(), 2);
        assert_eq!(
            error_for(&[("TRUSTED_PROXIES", "10.0.0.0/33")]).setting,
            "TRUSTED_PROXIES"
        );
        assert_eq!(
            error_for(&[("TRUSTED_PROXIES", "proxy.local")]).setting,
            "TRUSTED_PROXIES"
        );
        assert!(ip_list("").unwrap().is_empty());
    }

    fn error_for(pairs: &[(&str, &str)]) -> ConfigError {
        Config::from_env(env(pairs)).unwrap_err()
    }

    #[test]
    fn voice_is_off_until_a_connection_is_set_and_then_fails_closed() {
        assert!(Config::from_env(env(&[])).unwrap().voice.is_none());
        let outbox = Config::from_env(env(&[("TELNYX_CONNECTION_ID", "123")])).unwrap();
        let voice = outbox.voice.expect("simulated calls in the dev outbox");
        assert_eq!(voice.offer_after, Duration::from_secs(30));
        assert_eq!(voice.on_machine, MachineAction::Speak);
        assert!(!voice.for_landlines);
        assert_eq!(voice.speakers[1].language, "es-ES");
        assert_eq!(outbox.limits.calls.per_number, 3);

        let telnyx = [
            ("TELNYX_API_KEY", "KEY123"),
            ("TELNYX_FROM_NUMBER", "+15550001111"),
            ("TELNYX_CONNECTION_ID", "123"),
        ];
        assert_eq!(
            error_for(&telnyx).setting,
            "TELNYX_PUBLIC_KEY",
            "no signed webhooks"
        );
        let key = "A".repeat(43) + "=";
        let mut with_key = telnyx.to_vec();
        with_key.extend([
            ("TELNYX_PUBLIC_KEY", key.as_str()),
            ("TELNYX_VOICE_FROM_NUMBER", "+15550002222"),
            ("PUBLIC_URL", "https://auth.example.com"),
            ("VOICE_ON_MACHINE", "hangup"),
            ("VOICE_DE", "AWS.Polly.Vicki-Neural"),
            ("CALLS_PER_IP", "7"),
        ]);
        let config = Config::from_env(env(&with_key)).unwrap();
        let voice = config.voice.unwrap();
        assert_eq!(voice.call_control.from.as_deref(), Some("+15550002222"));
        assert_eq!(
            voice.call_control.webhook_url.as_deref(),
            Some("https://auth.example.com/webhooks/telnyx")
        );
        assert_eq!(voice.on_machine, MachineAction::Hangup);
        assert_eq!(voice.speakers[3].voice, "AWS.Polly.Vicki-Neural");
        assert_eq!(voice.speakers[0].voice, "female");
        assert_eq!(
            config.limits.calls.per_ip_per_hour, 7,
            "CALLS_PER_IP is an alias"
        );

        let no_from = [
            ("TELNYX_API_KEY", "KEY123"),
            ("TELNYX_MESSAGING_PROFILE_ID", "profile"),
            ("TELNYX_CONNECTION_ID", "123"),
            ("TELNYX_PUBLIC_KEY", key.as_str()),
        ];
        assert_eq!(error_for(&no_from).setting, "TELNYX_VOICE_FROM_NUMBER");
        assert_eq!(
            error_for(&[("TELNYX_CONNECTION_ID", "1"), ("VOICE_ON_MACHINE", "shout")]).setting,
            "VOICE_ON_MACHINE"
        );
    }

    #[test]
    fn invalid_settings_name_the_setting() {
        assert_eq!(error_for(&[("CODE_LENGTH", "3")]).setting, "CODE_LENGTH");
        assert_eq!(error_for(&[("CODE_LENGTH", "six")]).setting, "CODE_LENGTH");
        assert_eq!(
            error_for(&[("CODE_ALPHABET", "emoji")]).setting,
            "CODE_ALPHABET"
        );
        assert_eq!(
            error_for(&[("CODE_TTL_SECONDS", "0")]).setting,
            "CODE_TTL_SECONDS"
        );
        assert_eq!(
            error_for(&[("CODE_MAX_ATTEMPTS", "0")]).setting,
            "CODE_MAX_ATTEMPTS"
        );
        let ttl = error_for(&[("CODE_TTL_SECONDS", "3601")]);
        assert_eq!(
            ttl.message,
            "must be between 30 and 3600 (NIST allows at most 600)"
        );
        assert_eq!(
            error_for(&[("SESSION_TTL_SECONDS", "59")]).setting,
            "SESSION_TTL_SECONDS"
        );
        assert_eq!(
            error_for(&[("PURGE_INTERVAL_SECONDS", "0")]).setting,
            "PURGE_INTERVAL_SECONDS"
        );
        assert_eq!(
            error_for(&[("DATABASE_MAX_CONNECTIONS", "0")]).setting,
            "DATABASE_MAX_CONNECTIONS"
        );
        assert_eq!(
            error_for(&[
                ("TELNYX_API_KEY", "k"),
                ("TELNYX_FROM_NUMBER", "+1"),
                ("TELNYX_TIMEOUT_SECONDS", "11")
            ])
            .setting,
            "TELNYX_TIMEOUT_SECONDS"
        );
        assert_eq!(
            error_for(&[("DEFAULT_REGION", "XX")]).setting,
            "DEFAULT_REGION"
        );
        assert_eq!(
            error_for(&[("LEPTOS_SITE_ADDR", "nowhere")]).setting,
            "LEPTOS_SITE_ADDR"
        );
        assert_eq!(
            error_for(&[("TELNYX_API_KEY", "k")]).setting,
            "TELNYX_FROM_NUMBER",
            "a key without a sender is incomplete"
        );
        assert_eq!(
            error_for(&[
                ("TELNYX_API_KEY", "k"),
                ("TELNYX_FROM_NUMBER", "+1"),
                ("TELNYX_API_BASE", "ftp://x")
            ])
            .setting,
            "TELNYX_API_BASE"
        );
        assert_eq!(
            error_for(&[("DATABASE_URL", "mysql://x")]).setting,
            "DATABASE_URL"
        );
        assert_eq!(error_for(&[("SECRET_KEY", "abcd")]).setting, "SECRET_KEY");
        for (setting, value) in [
            ("MAX_CONSECUTIVE_FAILURES", "101"),
            ("LOCKOUT_SECONDS", "0"),
            ("CONVERSION_MIN_RATIO", "1.5"),
            ("CONVERSION_SETTLE_SECONDS", "4000"),
            ("IPV6_PREFIX_LENGTH", "129"),
            ("ALLOWED_COUNTRIES", "US, XX"),
            ("LOG_FORMAT", "xml"),
        ] {
            assert_eq!(error_for(&[(setting, value)]).setting, setting, "{value}");
        }
        assert_eq!(
            error_for(&[("CONFIG_FILE", "/nonexistent/telnyx-2fa.toml")]).setting,
            "configuration"
        );
    }

    #[test]
    fn the_api_key_never_appears_in_debug_output() {
        let settings = Config::from_env(env(&[
            ("TELNYX_API_KEY", "KEY_SUPER_SECRET"),
            ("TELNYX_FROM_NUMBER", "+15550001111"),
        ]))
        .unwrap();
        assert!(!format!("{settings:?}").contains("KEY_SUPER_SECRET"));
    }
}
