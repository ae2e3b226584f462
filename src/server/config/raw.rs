//! The settings as read, before any checking: one flat serde struct whose field names are
//! the lower-case environment variable names. Defaults, overridden by an optional TOML
//! file, overridden by environment variables (a `.env` file is read first if present).

use super::ConfigError;
use crate::server::sms::message::DEFAULT_SMS_TEMPLATE;
use config::{Config, Environment, File, FileFormat};
use secrecy::SecretString;
use serde::Deserialize;
use std::collections::HashMap;

/// The TOML file read when `CONFIG_FILE` is not set (it may be absent).
pub(crate) const DEFAULT_CONFIG_FILE: &str = "telnyx-2fa.toml";

/// Every setting, as read. See the README's settings table for what each one does.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct RawSettings {
    pub telnyx_api_key: Option<SecretString>,
    /// Use the dev outbox even where it would otherwise refuse to start.
    pub dev_outbox: bool,
    pub telnyx_from_number: Option<String>,
    pub telnyx_messaging_profile_id: Option<String>,
    pub telnyx_api_base: String,
    pub telnyx_timeout_seconds: u64,
    pub code_length: usize,
    pub code_alphabet: String,
    pub code_ttl_seconds: u64,
    pub code_max_attempts: u32,
    pub default_region: String,
    pub app_name: String,
    pub data_dir: String,
    pub database_url: Option<String>,
    pub database_max_connections: u32,
    pub purge_interval_seconds: u64,
    pub secret_key: Option<SecretString>,
    pub resend_cooldown_seconds: u64,
    pub sends_per_number: u64,
    pub sends_per_ip: u64,
    pub verifies_per_ip: u64,
    pub limit_window_seconds: u64,
    pub max_consecutive_failures: u64,
    pub lockout_seconds: u64,
    /// Empty: the country of `DEFAULT_REGION`; `*`: every country.
    pub allowed_countries: String,
    pub sends_per_country_per_hour: u64,
    pub sends_per_country_per_day: u64,
    pub sends_per_hour: u64,
    pub sends_per_day: u64,
    pub conversion_min_sends: u64,
    pub conversion_min_ratio: f64,
    pub conversion_settle_seconds: u64,
    pub ipv6_prefix_length: u8,
    pub block_voip: bool,
    pub trusted_proxies: String,
    pub session_ttl_seconds: u64,
    pub request_timeout_seconds: u64,
    pub shutdown_grace_seconds: u64,
    /// `text` or `json`.
    pub log_format: String,
    pub max_concurrent_requests: usize,
    pub telnyx_public_key: Option<String>,
    pub public_url: Option<String>,
    pub sms_template: String,
    /// Per-locale SMS templates; unset: the built-in text of that language.
    pub sms_template_en: Option<String>,
    pub sms_template_es: Option<String>,
    pub sms_template_fr: Option<String>,
    pub sms_template_de: Option<String>,
    pub sms_template_pt: Option<String>,
    /// Bearer token that `GET /metrics` requires.
    pub metrics_token: Option<SecretString>,
    /// A separate listener for `/metrics` (then the main one does not serve it).
    pub metrics_addr: Option<String>,
    /// Enables `/admin`, and is its password.
    pub admin_token: Option<SecretString>,
    /// OpenID Connect clients: `[[oidc_clients]]` in the TOML file, or `OIDC_CLIENTS`
    /// as a JSON list.
    pub oidc_clients: Option<RawClients>,
    pub oidc_key_rotation_days: u64,
    /// A PKCS#8 PEM private key to sign with instead of generated keys.
    pub oidc_signing_key: Option<SecretString>,
    /// `name:key` (or `name:sha256:<hex>`), comma-separated.
    pub api_keys: Option<SecretString>,
    pub api_keys_required: bool,
    /// The Call Control application that places voice calls; unset: voice is off.
    pub telnyx_connection_id: Option<String>,
    /// The number calls come from; unset: `TELNYX_FROM_NUMBER`.
    pub telnyx_voice_from_number: Option<String>,
    pub voice_offer_after_seconds: u64,
    pub voice_for_landlines: bool,
    /// `speak` (leave the code after the beep) or `hangup`.
    pub voice_on_machine: String,
    pub calls_per_number: u64,
    #[serde(alias = "calls_per_ip")]
    pub calls_per_ip_per_hour: u64,
    #[serde(alias = "calls_per_country")]
    pub calls_per_country_per_hour: u64,
    /// Telnyx's text-to-speech voice for every language (`female`, `male`, or e.g.
    /// `AWS.Polly.Joanna-Neural`), and per language.
    pub voice: String,
    pub voice_en: Option<String>,
    pub voice_es: Option<String>,
    pub voice_fr: Option<String>,
    pub voice_de: Option<String>,
    pub voice_pt: Option<String>,
    /// The language Telnyx speaks each locale in (e.g. `es-MX`); unset: a default.
    pub voice_language_en: Option<String>,
    pub voice_language_es: Option<String>,
    pub voice_language_fr: Option<String>,
    pub voice_language_de: Option<String>,
    pub voice_language_pt: Option<String>,
    /// Unset: the `site-addr` of Cargo.toml's Leptos metadata.
    pub leptos_site_addr: Option<String>,
    /// Unset: the `site-root` of Cargo.toml's Leptos metadata.
    pub leptos_site_root: Option<String>,
}

impl Default for RawSettings {
    fn default() -> Self {
        Self {
            telnyx_api_key: None,
            dev_outbox: false,
            telnyx_from_number: None,
            telnyx_messaging_profile_id: None,
            telnyx_api_base: "https://api.telnyx.com".into(),
            telnyx_timeout_seconds: 10,
            code_length: 6,
            code_alphabet: "numeric".into(),
            code_ttl_seconds: 600,
            code_max_attempts: 5,
            default_region: "US".into(),
            app_name: "telnyx-2fa".into(),
            data_dir: "data".into(),
            database_url: None,
            database_max_connections: 10,
            purge_interval_seconds: 60,
            secret_key: None,
            resend_cooldown_seconds: 30,
            sends_per_number: 5,
            sends_per_ip: 10,
            verifies_per_ip: 30,
            limit_window_seconds: 600,
            max_consecutive_failures: 20,
            lockout_seconds: 3600,
            allowed_countries: String::new(),
            sends_per_country_per_hour: 200,
            sends_per_country_per_day: 1000,
            sends_per_hour: 1000,
            sends_per_day: 5000,
            conversion_min_sends: 20,
            conversion_min_ratio: 0.2,
            conversion_settle_seconds: 300,
            ipv6_prefix_length: 64,
            block_voip: false,
            trusted_proxies: String::new(),
            session_ttl_seconds: 3600,
            request_timeout_seconds: 30,
            shutdown_grace_seconds: 20,
            log_format: "text".into(),
            max_concurrent_requests: 512,
            telnyx_public_key: None,
            public_url: None,
            sms_template: DEFAULT_SMS_TEMPLATE.into(),
            sms_template_en: None,
            sms_template_es: None,
            sms_template_fr: None,
            sms_template_de: None,
            sms_template_pt: None,
            metrics_token: None,
            metrics_addr: None,
            admin_token: None,
            oidc_clients: None,
            oidc_key_rotation_days: 90,
            oidc_signing_key: None,
            api_keys: None,
            api_keys_required: false,
            telnyx_connection_id: None,
            telnyx_voice_from_number: None,
            voice_offer_after_seconds: 30,
            voice_for_landlines: false,
            voice_on_machine: "speak".into(),
            calls_per_number: 3,
            calls_per_ip_per_hour: 5,
            calls_per_country_per_hour: 50,
            voice: "female".into(),
            voice_en: None,
            voice_es: None,
            voice_fr: None,
            voice_de: None,
            voice_pt: None,
            voice_language_en: None,
            voice_language_es: None,
            voice_language_fr: None,
            voice_language_de: None,
            voice_language_pt: None,
            leptos_site_addr: None,
            leptos_site_root: None,
        }
    }
}

/// The OIDC client list as given: a TOML array of tables, or a JSON string (from the
/// environment).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawClients {
    List(Vec<RawClient>),
    Json(String),
}

/// One OIDC client as given.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct RawClient {
    pub client_id: String,
    #[serde(default)]
    pub client_secret: Option<SecretString>,
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// `ES256` (default) or `EdDSA`.
    #[serde(default)]
    pub id_token_signed_response_alg: Option<String>,
}

impl RawSettings {
    /// Reads `CONFIG_FILE` (or `telnyx-2fa.toml` if present), then `env` on top. Blank
    /// values count as unset.
    pub fn read(env: HashMap<String, String>) -> Result<Self, ConfigError> {
        if env
            .get("TELNYX_API_KEY")
            .is_some_and(|key| key.trim().is_empty())
        {
            return Err(blank_api_key());
        }
        let file = match env.get("CONFIG_FILE") {
            Some(path) => File::new(path, FileFormat::Toml).required(true),
            None => File::new(DEFAULT_CONFIG_FILE, FileFormat::Toml).required(false),
        };
        let env: HashMap<String, String> = env
            .into_iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .collect();
        Config::builder()
            .add_source(file)
            .add_source(Environment::default().source(Some(env)))
            .build()
            .and_then(Config::try_deserialize)
            .map_err(|error| ConfigError::new(&setting_of(&error), error.to_string()))
    }
}

/// A Telnyx key that is set but blank: a mistake, never a request for the dev outbox.
pub(super) fn blank_api_key() -> ConfigError {
    ConfigError::new(
        "TELNYX_API_KEY",
        "is set but empty: give the key, or unset TELNYX_API_KEY to use the dev outbox",
    )
}

/// The environment variable name of the setting a read error is about: the key the
/// `config` crate reports, upper-cased (`code_length` → `CODE_LENGTH`).
fn setting_of(error: &config::ConfigError) -> String {
    let key = match error {
        config::ConfigError::Type { key: Some(key), .. }
        | config::ConfigError::At { key: Some(key), .. } => Some(key.clone()),
        _ => None,
    };
    key.map(|key| key.to_ascii_uppercase())
        .unwrap_or_else(|| "configuration".to_string())
}
