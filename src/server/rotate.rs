//! `telnyx-2fa rotate-keys`: replaces the OpenID Connect signing keys now (after a
//! suspected leak, say), without waiting for `OIDC_KEY_ROTATION_DAYS`. The old public
//! keys stay published until the tokens they signed have expired, so nobody is signed
//! out.

use crate::server::{
    config::Config,
    domain::{
        clock::SystemClock,
        secret::{self, SecretKey},
    },
    metrics::Metrics,
    oidc::{clients::SigningAlg, keys::KeyRing},
    store,
};
use std::sync::Arc;

/// Rotates the key of every algorithm in use; returns a line per new key.
pub async fn rotate_keys(config: &Config) -> Result<Vec<String>, String> {
    if config.oidc.clients.is_empty() {
        return Err("no OIDC_CLIENTS are configured: there are no signing keys".into());
    }
    let secret = match config.keys.secret_key.clone() {
        Some(key) => key,
        None => SecretKey::load_or_generate(&config.keys.data_dir)?,
    };
    if config.store.database_url.starts_with("sqlite:") {
        secret::create_private_dir(&config.keys.data_dir)?;
    }
    let stores = store::open(&config.store.database_url, 1, Metrics::new())
        .await
        .map_err(|error| format!("store (DATABASE_URL): {error}"))?;
    let keys = KeyRing::new(
        stores.oidc,
        Arc::new(SystemClock),
        &secret.derive("oidc-signing-keys"),
        config.oidc.key_rotation,
        config.oidc.signing_key.clone(),
    )?;
    let mut rotated = Vec::new();
    for alg in SigningAlg::ALL {
        let in_use =
            alg == SigningAlg::Es256 || config.oidc.clients.iter().any(|client| client.alg == alg);
        let configured = config
            .oidc
            .signing_key
            .as_ref()
            .is_some_and(|key| key.alg() == alg);
        if in_use && configured {
            rotated.push(format!(
                "{}: set by OIDC_SIGNING_KEY; change that setting to replace it",
                alg.as_str()
            ));
        } else if in_use {
            let kid = keys.rotate(alg).await.map_err(|error| error.to_string())?;
            rotated.push(format!("{}: new key {kid}", alg.as_str()));
        }
    }
    Ok(rotated)
}
