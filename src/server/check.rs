//! `telnyx-2fa check-config`: validates the settings, reaches the store (migrations
//! included) and, with a key, makes one read-only Telnyx call. Each step reports a line;
//! the first failure ends the check with its reason.

use crate::server::{config::Config, metrics::Metrics, sms::telnyx::TelnyxClient, store};

/// Runs the checks; returns what passed, or what failed and why.
pub async fn check_config(config: &Config) -> Result<Vec<String>, String> {
    let mut passed = vec!["settings: valid".to_string()];
    let url = &config.store.database_url;
    let stores = store::open(url, 1, Metrics::new())
        .await
        .map_err(|error| format!("store (DATABASE_URL): {error}"))?;
    stores
        .codes
        .ping()
        .await
        .map_err(|error| format!("store (DATABASE_URL): {error}"))?;
    let backend = url.split(':').next().unwrap_or_default();
    passed.push(format!("store: reachable, migrations applied ({backend})"));
    match &config.sms.telnyx {
        Some(telnyx) => {
            let client = TelnyxClient::new(telnyx.clone(), Metrics::new())?;
            client.check().await?;
            passed.push("telnyx: the API key works".to_string());
        }
        None => passed.push("telnyx: no TELNYX_API_KEY (dev outbox)".to_string()),
    }
    Ok(passed)
}
