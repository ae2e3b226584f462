//! The provider's signing keys: generated on first use (ES256, and EdDSA for clients that
//! ask for it), kept in the shared store with the private half sealed (AES-256-GCM, a key
//! derived from `SECRET_KEY`), rotated after `OIDC_KEY_ROTATION_DAYS`. A replaced key's
//! public half stays in the JWKS until every token it signed has expired. Keys are named
//! by their RFC 7638 thumbprint. Signing goes through `jsonwebtoken`; keys and sealing
//! through `ring`.

use super::{clients::SigningAlg, ID_TOKEN_TTL};
use crate::server::{
    domain::{
        clock::{Clock, Millis},
        sealer::Sealer,
    },
    store::{
        oidc::{OidcStore, StoredKey},
        StoreError,
    },
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use ring::{
    rand::SystemRandom,
    signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair},
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::{sync::Arc, time::Duration};

/// How long a replaced key stays published: the longest-lived token it signed, and a
/// margin for clocks and caches.
pub const PUBLISHED_AFTER_RETIREMENT: Duration = Duration::from_secs(ID_TOKEN_TTL.as_secs() + 600);

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("signing key: {0}")]
    Key(String),
}

pub struct KeyRing {
    store: Arc<dyn OidcStore>,
    clock: Arc<dyn Clock>,
    sealing: Sealer,
    rotate_after: Duration,
    random: SystemRandom,
    /// `OIDC_SIGNING_KEY`: used for its algorithm instead of the generated keys.
    configured: Option<ConfiguredKey>,
}

/// A signing key given in the settings (`OIDC_SIGNING_KEY`): a PKCS#8 PEM private key,
/// P-256 (ES256) or Ed25519 (EdDSA). It is never rotated by the app.
#[derive(Clone)]
pub struct ConfiguredKey {
    alg: SigningAlg,
    pkcs8: Vec<u8>,
    kid: String,
    jwk: Value,
}

impl std::fmt::Debug for ConfiguredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ConfiguredKey({} {})", self.alg.as_str(), self.kid)
    }
}

impl ConfiguredKey {
    /// Reads `-----BEGIN PRIVATE KEY-----` PEM (literal `\n`s, as environment variables
    /// often carry them, count as line breaks).
    pub fn parse(pem: &str) -> Result<Self, String> {
        let pem = pem.replace("\\n", "\n");
        let body: String = pem
            .lines()
            .map(str::trim)
            .skip_while(|line| *line != "-----BEGIN PRIVATE KEY-----")
            .skip(1)
            .take_while(|line| *line != "-----END PRIVATE KEY-----")
            .collect();
        if body.is_empty() {
            return Err("must be a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)".into());
        }
        let pkcs8 = base64::engine::general_purpose::STANDARD
            .decode(body)
            .map_err(|_| "the PEM body is not base64".to_string())?;
        let random = SystemRandom::new();
        let alg = if EcdsaKeyPair::from_pkcs8(
            &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            &pkcs8,
            &random,
        )
        .is_ok()
        {
            SigningAlg::Es256
        } else if Ed25519KeyPair::from_pkcs8_maybe_unchecked(&pkcs8).is_ok() {
            SigningAlg::EdDsa
        } else {
            return Err("must be a P-256 (ES256) or Ed25519 (EdDSA) private key".into());
        };
        let (kid, jwk) = public_jwk(alg, &pkcs8)?;
        Ok(Self {
            alg,
            pkcs8,
            kid,
            jwk,
        })
    }

    pub fn alg(&self) -> SigningAlg {
        self.alg
    }
}

/// A key ready to sign.
pub struct SigningKey {
    pub kid: String,
    alg: SigningAlg,
    key: EncodingKey,
}

impl SigningKey {
    /// Signs `claims` as a compact JWT.
    pub fn sign(&self, claims: &impl serde::Serialize) -> Result<String, KeyError> {
        let mut header = Header::new(match self.alg {
            SigningAlg::Es256 => Algorithm::ES256,
            SigningAlg::EdDsa => Algorithm::EdDSA,
        });
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.key)
            .map_err(|error| KeyError::Key(error.to_string()))
    }
}

impl KeyRing {
    /// `sealing_key` (32 bytes) seals private keys at rest.
    pub fn new(
        store: Arc<dyn OidcStore>,
        clock: Arc<dyn Clock>,
        sealing_key: &[u8],
        rotate_after: Duration,
        configured: Option<ConfiguredKey>,
    ) -> Result<Self, String> {
        let sealing = Sealer::new(sealing_key)?;
        Ok(Self {
            store,
            clock,
            sealing,
            rotate_after,
            random: SystemRandom::new(),
            configured,
        })
    }

    /// The current key for `alg`: the newest live one, or a new one when there is none
    /// or it is due for rotation.
    pub async fn signing_key(&self, alg: SigningAlg) -> Result<SigningKey, KeyError> {
        if let Some(configured) = self.configured.as_ref().filter(|key| key.alg == alg) {
            return Ok(SigningKey {
                kid: configured.kid.clone(),
                alg,
                key: encoding_key(alg, &configured.pkcs8),
            });
        }
        let now = self.clock.now();
        let due = now - self.rotate_after.as_millis() as Millis;
        let current = |keys: Vec<StoredKey>| {
            keys.into_iter()
                .find(|key| key.alg == alg.as_str() && key.retired_at.is_none())
        };
        let stored = match current(self.store.signing_keys().await?) {
            Some(key) if key.created_at > due => key,
            _ => {
                // Another instance may have made one just now: the store keeps only one.
                let fresh = self.generate(alg, now)?;
                self.store.add_signing_key(&fresh, due).await?;
                current(self.store.signing_keys().await?)
                    .ok_or_else(|| KeyError::Key("no live key after generating one".into()))?
            }
        };
        self.open(&stored, alg)
    }

    /// Replaces the current key of `alg` now (the old one stays published); returns the
    /// new key's id.
    pub async fn rotate(&self, alg: SigningAlg) -> Result<String, KeyError> {
        let now = self.clock.now();
        let fresh = self.generate(alg, now)?;
        self.store.add_signing_key(&fresh, now).await?;
        Ok(fresh.kid)
    }

    /// The JWK Set: every live key, and replaced ones until their tokens have expired.
    pub async fn jwks(&self) -> Result<Value, KeyError> {
        let published_since = self.clock.now() - PUBLISHED_AFTER_RETIREMENT.as_millis() as Millis;
        let stored = self
            .store
            .signing_keys()
            .await?
            .into_iter()
            .filter(|key| key.retired_at.is_none_or(|at| at > published_since))
            .filter_map(|key| serde_json::from_str::<Value>(&key.public_jwk).ok());
        let keys = self
            .configured
            .iter()
            .map(|key| key.jwk.clone())
            .chain(stored)
            .collect::<Vec<_>>();
        Ok(json!({ "keys": keys }))
    }

    fn generate(&self, alg: SigningAlg, now: Millis) -> Result<StoredKey, KeyError> {
        let pkcs8 = match alg {
            SigningAlg::Es256 => EcdsaKeyPair::generate_pkcs8(
                &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                &self.random,
            ),
            SigningAlg::EdDsa => Ed25519KeyPair::generate_pkcs8(&self.random),
        }
        .map_err(|_| KeyError::Key("could not generate a key".into()))?;
        let (kid, public) = public_jwk(alg, pkcs8.as_ref()).map_err(KeyError::Key)?;
        Ok(StoredKey {
            private_key: self.seal(&kid, pkcs8.as_ref())?,
            kid,
            alg: alg.as_str().to_string(),
            public_jwk: public.to_string(),
            created_at: now,
            retired_at: None,
        })
    }

    fn open(&self, stored: &StoredKey, alg: SigningAlg) -> Result<SigningKey, KeyError> {
        let pkcs8 = self.unseal(&stored.kid, &stored.private_key)?;
        Ok(SigningKey {
            kid: stored.kid.clone(),
            alg,
            key: encoding_key(alg, &pkcs8),
        })
    }

    fn seal(&self, kid: &str, plain: &[u8]) -> Result<Vec<u8>, KeyError> {
        self.sealing
            .seal(kid.as_bytes(), plain)
            .map_err(KeyError::Key)
    }

    fn unseal(&self, kid: &str, sealed: &[u8]) -> Result<Vec<u8>, KeyError> {
        self.sealing.open(kid.as_bytes(), sealed).ok_or_else(|| {
            KeyError::Key(format!(
                "key {kid} can't be opened: was SECRET_KEY changed? (instances must share it)"
            ))
        })
    }
}

fn encoding_key(alg: SigningAlg, pkcs8: &[u8]) -> EncodingKey {
    match alg {
        SigningAlg::Es256 => EncodingKey::from_ec_der(pkcs8),
        SigningAlg::EdDsa => EncodingKey::from_ed_der(pkcs8),
    }
}

/// The public half of a PKCS#8 key as a JWK, and its id (the thumbprint).
fn public_jwk(alg: SigningAlg, pkcs8: &[u8]) -> Result<(String, Value), String> {
    let unreadable = |_| "the key can't be read".to_string();
    let jwk = match alg {
        SigningAlg::Es256 => {
            let pair = EcdsaKeyPair::from_pkcs8(
                &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                pkcs8,
                &SystemRandom::new(),
            )
            .map_err(unreadable)?;
            // An uncompressed point: 0x04 ‖ x ‖ y.
            let point = pair.public_key().as_ref();
            json!({
                "crv": "P-256",
                "kty": "EC",
                "x": URL_SAFE_NO_PAD.encode(&point[1..33]),
                "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
            })
        }
        SigningAlg::EdDsa => {
            let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8).map_err(unreadable)?;
            json!({
                "crv": "Ed25519",
                "kty": "OKP",
                "x": URL_SAFE_NO_PAD.encode(pair.public_key().as_ref()),
            })
        }
    };
    let kid = thumbprint(&jwk);
    let mut public = jwk;
    public["kid"] = json!(kid);
    public["use"] = json!("sig");
    public["alg"] = json!(alg.as_str());
    Ok((kid, public))
}

/// RFC 7638: the SHA-256 of the key's required members, in lexicographic order.
fn thumbprint(jwk: &Value) -> String {
    // serde_json's map is ordered (BTreeMap), so this is the canonical form.
    URL_SAFE_NO_PAD.encode(Sha256::digest(jwk.to_string().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::{domain::clock::ManualClock, store::open};

    async fn ring(clock: &ManualClock) -> KeyRing {
        let stores = open("memory:", 1, crate::server::metrics::Metrics::new())
            .await
            .unwrap();
        KeyRing::new(
            stores.oidc,
            Arc::new(clock.clone()),
            &[7; 32],
            Duration::from_secs(90 * 86_400),
            None,
        )
        .unwrap()
    }

    #[tokio::test]
    async fn one_key_per_algorithm_until_rotation_then_both_are_published() {
        let clock = ManualClock::starting_at(1_800_000_000_000);
        let keys = ring(&clock).await;
        let first = keys.signing_key(SigningAlg::Es256).await.unwrap().kid;
        assert_eq!(
            keys.signing_key(SigningAlg::Es256).await.unwrap().kid,
            first
        );
        let ed = keys.signing_key(SigningAlg::EdDsa).await.unwrap().kid;
        assert_ne!(ed, first);

        clock.advance(Duration::from_secs(91 * 86_400));
        let second = keys.signing_key(SigningAlg::Es256).await.unwrap().kid;
        assert_ne!(second, first, "rotated when due");
        let kids = |jwks: Value| -> Vec<String> {
            jwks["keys"]
                .as_array()
                .unwrap()
                .iter()
                .map(|key| key["kid"].as_str().unwrap().to_string())
                .collect()
        };
        let published = kids(keys.jwks().await.unwrap());
        assert!(published.contains(&first) && published.contains(&second));
        clock.advance(PUBLISHED_AFTER_RETIREMENT + Duration::from_secs(1));
        let published = kids(keys.jwks().await.unwrap());
        assert!(!published.contains(&first), "gone once its tokens expired");
        assert!(published.contains(&second));
    }

    #[test]
    fn thumbprints_follow_rfc_7638() {
        // RFC 7638 §3.1's example key and thumbprint.
        let jwk = json!({
            "e": "AQAB",
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        });
        assert_eq!(
            thumbprint(&jwk),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }
}
