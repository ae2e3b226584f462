//! The one configuration struct: defaults, overridden by an optional TOML file, overridden
//! by environment variables (a `.env` file is read first if present). Invalid settings
//! fail at start with a message naming the setting.

use super::{
    client_ip::TrustedProxies,
    code::{CodeAlphabet, CodeSpec},
    limits::LimitSettings,
    phone::Region,
    secret::SecretKey,
    sms::message::MessageTemplate,
    sms::telnyx::TelnyxConfig,
    store::Backend,
};
use config::{Config, Environment, File, FileFormat};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::{collections::HashMap, net::SocketAddr, path::PathBuf, time::Duration};
use url::Url;

/// The SMS text unless `SMS_TEMPLATE` says otherwise.
pub const DEFAULT_SMS_TEMPLATE: &str =
    "Your {app_name} code is {code}. It expires in {minutes} minutes.";

/// The TOML file read when `CONFIG_FILE` is not set (it may be absent).
pub const DEFAULT_CONFIG_FILE: &str = "telnyx-2fa.toml";

/// Every setting, as read. Field names are the lower-case environment variable names.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub telnyx_api_key: Option<SecretString>,
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
    pub failed_verifies_per_number_per_hour: u64,
    pub allowed_countries: String,
    pub sends_per_country_per_hour: u64,
    pub sends_per_hour: u64,
    pub block_voip: bool,
    pub trusted_proxies: String,
    pub session_ttl_seconds: u64,
    pub telnyx_public_key: Option<String>,
    pub public_url: Option<String>,
    pub sms_template: String,
    pub leptos_site_addr: String,
    pub leptos_site_root: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            telnyx_api_key: None,
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
            failed_verifies_per_number_per_hour: 20,
            allowed_countries: String::new(),
            sends_per_country_per_hour: 200,
            sends_per_hour: 1000,
            block_voip: false,
            trusted_proxies: String::new(),
            session_ttl_seconds: 3600,
            telnyx_public_key: None,
            public_url: None,
            sms_template: DEFAULT_SMS_TEMPLATE.into(),
            leptos_site_addr: "127.0.0.1:3000".into(),
            leptos_site_root: "target/site".into(),
        }
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

/// The settings, checked and turned into the types the service uses.
#[derive(Debug, Clone)]
pub struct Validated {
    pub raw: Settings,
    pub code_spec: CodeSpec,
    pub code_ttl: Duration,
    pub code_max_attempts: u32,
    pub region: Region,
    pub site_addr: SocketAddr,
    /// `None` means the dev outbox: no SMS is really sent.
    pub telnyx: Option<TelnyxConfig>,
    pub data_dir: PathBuf,
    /// `sqlite:…`, `postgres://…` or `memory:`; defaults to a SQLite file in `data_dir`.
    pub database_url: String,
    /// `None`: use (or create) the key kept in `data_dir`.
    pub secret_key: Option<SecretKey>,
    pub limits: LimitSettings,
    pub trusted_proxies: TrustedProxies,
    pub session_ttl: Duration,
    /// The app's external origin (`PUBLIC_URL`), without a trailing slash.
    pub public_url: Option<Url>,
    /// Base64 Ed25519 key that signs Telnyx webhooks; `None` disables the endpoint.
    pub telnyx_public_key: Option<String>,
    pub message: MessageTemplate,
}

impl Settings {
    /// Reads `.env`, then `CONFIG_FILE` (or `telnyx-2fa.toml` if present), then the environment.
    pub fn load() -> Result<Validated, ConfigError> {
        let _ = dotenvy::dotenv();
        Self::from_env(std::env::vars().collect())
    }

    /// Like [`Settings::load`], with the environment given as a map (for tests).
    pub fn from_env(env: HashMap<String, String>) -> Result<Validated, ConfigError> {
        let file = match env.get("CONFIG_FILE") {
            Some(path) => File::new(path, FileFormat::Toml).required(true),
            None => File::new(DEFAULT_CONFIG_FILE, FileFormat::Toml).required(false),
        };
        let env: HashMap<String, String> = env
            .into_iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .collect();
        let settings: Settings = Config::builder()
            .add_source(file)
            .add_source(Environment::default().source(Some(env)))
            .build()
            .and_then(Config::try_deserialize)
            .map_err(|error| {
                let message = error.to_string();
                let setting = setting_named_in(&message).unwrap_or("configuration");
                ConfigError::new(setting, message)
            })?;
        settings.validate()
    }

    pub fn validate(self) -> Result<Validated, ConfigError> {
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
        let code_spec = CodeSpec::new(alphabet, self.code_length)
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
        let site_addr = self.leptos_site_addr.parse().map_err(|_| {
            ConfigError::new(
                "LEPTOS_SITE_ADDR",
                format!(
                    "`{}` is not an address like 127.0.0.1:3000",
                    self.leptos_site_addr
                ),
            )
        })?;
        if self.app_name.trim().is_empty() {
            return Err(ConfigError::new("APP_NAME", "must not be empty"));
        }
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
        let message = MessageTemplate::new(
            &self.sms_template,
            self.app_name.trim(),
            public_url.as_ref().and_then(origin_host),
        )
        .map_err(|message| ConfigError::new("SMS_TEMPLATE", message))?;
        let telnyx_public_key = non_empty(&self.telnyx_public_key);
        let telnyx = self.telnyx_config(public_url.as_ref())?;
        let data_dir = PathBuf::from(self.data_dir.trim());
        let database_url = self.database_url(&data_dir)?;
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
        let secret_key = self
            .secret_key
            .as_ref()
            .map(|key| SecretKey::parse(key.expose_secret()))
            .transpose()
            .map_err(|message| ConfigError::new("SECRET_KEY", message))?;
        let limits = self.limits()?;
        let trusted_proxies = TrustedProxies::parse(&self.trusted_proxies)
            .map_err(|message| ConfigError::new("TRUSTED_PROXIES", message))?;
        check_range(
            "SESSION_TTL_SECONDS",
            self.session_ttl_seconds,
            60..=30 * 86_400,
            "",
        )?;
        Ok(Validated {
            public_url,
            telnyx_public_key,
            message,
            limits,
            trusted_proxies,
            session_ttl: Duration::from_secs(self.session_ttl_seconds),
            data_dir,
            database_url,
            secret_key,
            code_spec,
            code_ttl: Duration::from_secs(self.code_ttl_seconds),
            code_max_attempts: self.code_max_attempts,
            region,
            site_addr,
            telnyx,
            raw: self,
        })
    }

    fn limits(&self) -> Result<LimitSettings, ConfigError> {
        if self.limit_window_seconds == 0 {
            return Err(ConfigError::new(
                "LIMIT_WINDOW_SECONDS",
                "must be at least 1",
            ));
        }
        let mut allowed_countries = Vec::new();
        for country in self
            .allowed_countries
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            let region: Region = country
                .parse()
                .map_err(|message| ConfigError::new("ALLOWED_COUNTRIES", message))?;
            allowed_countries.push(region.code().to_string());
        }
        Ok(LimitSettings {
            window: Duration::from_secs(self.limit_window_seconds),
            resend_cooldown: Duration::from_secs(self.resend_cooldown_seconds),
            sends_per_number: self.sends_per_number,
            sends_per_ip: self.sends_per_ip,
            verifies_per_ip: self.verifies_per_ip,
            failed_verifies_per_number_per_hour: self.failed_verifies_per_number_per_hour,
            allowed_countries,
            sends_per_country_per_hour: self.sends_per_country_per_hour,
            sends_per_hour: self.sends_per_hour,
            block_voip: self.block_voip,
        })
    }

    fn database_url(&self, data_dir: &std::path::Path) -> Result<String, ConfigError> {
        let Some(url) = non_empty(&self.database_url) else {
            let file = data_dir.join("telnyx-2fa.db");
            return Ok(format!("sqlite:{}?mode=rwc", file.display()));
        };
        if url != "memory:" && Backend::of(&url).is_none() {
            return Err(ConfigError::new(
                "DATABASE_URL",
                "must start with sqlite:, postgres:// (or postgresql://), or be memory:",
            ));
        }
        Ok(url)
    }

    fn telnyx_config(&self, public_url: Option<&Url>) -> Result<Option<TelnyxConfig>, ConfigError> {
        let Some(api_key) = self
            .telnyx_api_key
            .as_ref()
            .filter(|key| !key.expose_secret().trim().is_empty())
        else {
            return Ok(None);
        };
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
            webhook_url: public_url
                .map(|url| format!("{}/webhooks/telnyx", url.as_str().trim_end_matches('/'))),
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

/// Finds which setting a deserialization error is about, as its environment variable name.
fn setting_named_in(message: &str) -> Option<&'static str> {
    const NAMES: [&str; 33] = [
        "TELNYX_PUBLIC_KEY",
        "PUBLIC_URL",
        "SMS_TEMPLATE",
        "RESEND_COOLDOWN_SECONDS",
        "SENDS_PER_NUMBER",
        "SENDS_PER_IP",
        "VERIFIES_PER_IP",
        "LIMIT_WINDOW_SECONDS",
        "FAILED_VERIFIES_PER_NUMBER_PER_HOUR",
        "ALLOWED_COUNTRIES",
        "SENDS_PER_COUNTRY_PER_HOUR",
        "SENDS_PER_HOUR",
        "BLOCK_VOIP",
        "TRUSTED_PROXIES",
        "SESSION_TTL_SECONDS",
        "PURGE_INTERVAL_SECONDS",
        "DATA_DIR",
        "DATABASE_URL",
        "DATABASE_MAX_CONNECTIONS",
        "SECRET_KEY",
        "TELNYX_API_KEY",
        "TELNYX_FROM_NUMBER",
        "TELNYX_MESSAGING_PROFILE_ID",
        "TELNYX_API_BASE",
        "TELNYX_TIMEOUT_SECONDS",
        "CODE_LENGTH",
        "CODE_ALPHABET",
        "CODE_TTL_SECONDS",
        "CODE_MAX_ATTEMPTS",
        "DEFAULT_REGION",
        "APP_NAME",
        "LEPTOS_SITE_ADDR",
        "LEPTOS_SITE_ROOT",
    ];
    NAMES
        .into_iter()
        .find(|name| message.contains(&name.to_ascii_lowercase()))
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

    #[test]
    fn defaults_need_no_configuration_and_use_the_dev_outbox() {
        let settings = Settings::from_env(env(&[])).unwrap();
        assert!(settings.telnyx.is_none());
        assert_eq!(settings.code_spec.length(), 6);
        assert_eq!(settings.code_spec.alphabet(), CodeAlphabet::Numeric);
        assert_eq!(settings.code_ttl, Duration::from_secs(600));
        assert_eq!(settings.code_max_attempts, 5);
        assert_eq!(settings.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(settings.database_url, "sqlite:data/telnyx-2fa.db?mode=rwc");
        assert!(settings.secret_key.is_none());
    }

    #[test]
    fn limits_have_safe_defaults_and_read_lists() {
        let settings = Settings::from_env(env(&[])).unwrap();
        assert_eq!(settings.limits.resend_cooldown, Duration::from_secs(30));
        assert_eq!(settings.limits.sends_per_number, 5);
        assert_eq!(settings.limits.sends_per_ip, 10);
        assert_eq!(settings.limits.verifies_per_ip, 30);
        assert_eq!(settings.limits.window, Duration::from_secs(600));
        assert_eq!(settings.limits.failed_verifies_per_number_per_hour, 20);
        assert_eq!(settings.limits.sends_per_hour, 1000);
        assert!(settings.limits.allowed_countries.is_empty());
        let settings = Settings::from_env(env(&[
            ("ALLOWED_COUNTRIES", "us, ca"),
            ("BLOCK_VOIP", "true"),
            ("SENDS_PER_IP", "0"),
        ]))
        .unwrap();
        assert_eq!(settings.limits.allowed_countries, ["US", "CA"]);
        assert!(settings.limits.block_voip);
        assert_eq!(settings.limits.sends_per_ip, 0);
    }

    #[test]
    fn public_url_adds_the_webhook_and_the_origin_bound_line() {
        let settings = Settings::from_env(env(&[
            ("TELNYX_API_KEY", "k"),
            ("TELNYX_FROM_NUMBER", "+15550001111"),
            ("PUBLIC_URL", "https://auth.example.com/"),
        ]))
        .unwrap();
        assert_eq!(
            settings.telnyx.unwrap().webhook_url.as_deref(),
            Some("https://auth.example.com/webhooks/telnyx")
        );
        assert_eq!(settings.message.origin_host(), Some("auth.example.com"));
    }

    #[test]
    fn the_database_follows_the_data_directory_unless_given() {
        let settings = Settings::from_env(env(&[("DATA_DIR", "/var/lib/t2fa")])).unwrap();
        assert_eq!(
            settings.database_url,
            "sqlite:/var/lib/t2fa/telnyx-2fa.db?mode=rwc"
        );
        let settings = Settings::from_env(env(&[("DATABASE_URL", "postgres://db/t2fa")])).unwrap();
        assert_eq!(settings.database_url, "postgres://db/t2fa");
    }

    #[test]
    fn environment_variables_override_defaults() {
        let settings = Settings::from_env(env(&[
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
        let telnyx = settings.telnyx.unwrap();
        assert_eq!(telnyx.api_key.expose_secret(), "KEY123");
        assert_eq!(telnyx.from.as_deref(), Some("+15550001111"));
        assert_eq!(telnyx.api_base.as_str(), "http://127.0.0.1:9/base/");
        assert_eq!(settings.code_spec.length(), 7);
        assert_eq!(settings.code_spec.alphabet(), CodeAlphabet::Hex);
        assert_eq!(settings.code_ttl, Duration::from_secs(300));
        assert_eq!(settings.code_max_attempts, 3);
        assert_eq!(settings.region, "GB".parse().unwrap());
    }

    #[test]
    fn a_config_file_is_read_and_the_environment_wins() {
        let path =
            std::env::temp_dir().join(format!("telnyx-2fa-test-{}.toml", std::process::id()));
        std::fs::write(&path, "code_length = 8\ncode_max_attempts = 4\n").unwrap();
        let settings = Settings::from_env(env(&[
            ("CONFIG_FILE", path.to_str().unwrap()),
            ("CODE_MAX_ATTEMPTS", "2"),
        ]))
        .unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(settings.code_spec.length(), 8);
        assert_eq!(settings.code_max_attempts, 2);
    }

    fn error_for(pairs: &[(&str, &str)]) -> ConfigError {
        Settings::from_env(env(pairs)).unwrap_err()
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
        assert_eq!(
            error_for(&[("CONFIG_FILE", "/nonexistent/telnyx-2fa.toml")]).setting,
            "configuration"
        );
    }

    #[test]
    fn the_api_key_never_appears_in_debug_output() {
        let settings = Settings::from_env(env(&[
            ("TELNYX_API_KEY", "KEY_SUPER_SECRET"),
            ("TELNYX_FROM_NUMBER", "+15550001111"),
        ]))
        .unwrap();
        assert!(!format!("{settings:?}").contains("KEY_SUPER_SECRET"));
    }
}
