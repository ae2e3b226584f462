//! What the OpenID Connect provider keeps, shared by every instance: authorization codes
//! (single use, by SHA-256), the access tokens issued for them (so a replayed code can
//! revoke them), and the signing keys (private halves encrypted with the deployment's
//! secret).

use super::StoreError;
use crate::server::domain::clock::Millis;
use async_trait::async_trait;

/// An authorization code as issued: who it is for and what it proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCode {
    pub client_id: String,
    pub redirect_uri: String,
    /// The verified number, E.164.
    pub phone: String,
    pub nonce: Option<String>,
    /// PKCE S256 challenge, when the request carried one.
    pub code_challenge: Option<String>,
    pub scope: String,
    /// When the number was verified.
    pub auth_time: Millis,
    pub expires_at: Millis,
}

/// What using a code found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeUse {
    /// First use: the code as issued (it may have expired; the caller checks).
    First(IssuedCode),
    /// The code was used before.
    Again,
    Unknown,
}

/// A live access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    pub client_id: String,
    pub phone: String,
    pub scope: String,
}

/// A signing key as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    pub kid: String,
    /// `ES256` or `EdDSA`.
    pub alg: String,
    /// PKCS#8, encrypted (nonce ‖ ciphertext ‖ tag).
    pub private_key: Vec<u8>,
    /// The public JWK, as JSON.
    pub public_jwk: String,
    pub created_at: Millis,
    /// When a newer key replaced it (its public half stays published for a while).
    pub retired_at: Option<Millis>,
}

#[async_trait]
pub trait OidcStore: Send + Sync + 'static {
    async fn save_code(&self, code_hash: &str, code: &IssuedCode) -> Result<(), StoreError>;

    /// Marks the code used at `now`, in one atomic step: exactly one caller sees `First`.
    async fn use_code(&self, code_hash: &str, now: Millis) -> Result<CodeUse, StoreError>;

    async fn save_token(
        &self,
        token_hash: &str,
        code_hash: &str,
        token: &IssuedToken,
        expires_at: Millis,
    ) -> Result<(), StoreError>;

    /// The token, if it exists and has not expired at `now`.
    async fn token(&self, token_hash: &str, now: Millis)
        -> Result<Option<IssuedToken>, StoreError>;

    /// Revokes every token issued for the code; returns how many.
    async fn revoke_tokens(&self, code_hash: &str) -> Result<u64, StoreError>;

    /// Every stored signing key, newest first.
    async fn signing_keys(&self) -> Result<Vec<StoredKey>, StoreError>;

    /// Adds `key` unless a live key of its algorithm was created after `newer_than`;
    /// returns whether it was added. Older live keys of the algorithm are then retired.
    async fn add_signing_key(
        &self,
        key: &StoredKey,
        newer_than: Millis,
    ) -> Result<bool, StoreError>;

    /// Deletes codes that expired before `codes_before` (used ones are kept a while, to
    /// catch a replay), tokens expired before `tokens_before`, and keys retired before
    /// `keys_before`.
    async fn purge_oidc(
        &self,
        codes_before: Millis,
        tokens_before: Millis,
        keys_before: Millis,
    ) -> Result<u64, StoreError>;
}
