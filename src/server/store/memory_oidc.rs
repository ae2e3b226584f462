//! The OpenID Connect provider's records in memory (with `DATABASE_URL=memory:`).

use super::{
    memory::locked,
    oidc::{CodeUse, IssuedCode, IssuedToken, OidcStore, StoredKey},
    StoreError,
};
use crate::server::domain::clock::Millis;
use async_trait::async_trait;
use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard},
};

#[derive(Debug, Default)]
pub struct MemoryOidc {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// code hash → (code, used at)
    codes: HashMap<String, (IssuedCode, Option<Millis>)>,
    /// token hash → (code hash, token, expires at)
    tokens: HashMap<String, (String, IssuedToken, Millis)>,
    keys: Vec<StoredKey>,
}

impl MemoryOidc {
    fn lock(&self) -> Result<MutexGuard<'_, Inner>, StoreError> {
        locked(&self.inner)
    }
}

#[async_trait]
impl OidcStore for MemoryOidc {
    async fn save_code(&self, code_hash: &str, code: &IssuedCode) -> Result<(), StoreError> {
        self.lock()?
            .codes
            .insert(code_hash.to_string(), (code.clone(), None));
        Ok(())
    }

    async fn use_code(&self, code_hash: &str, now: Millis) -> Result<CodeUse, StoreError> {
        Ok(match self.lock()?.codes.get_mut(code_hash) {
            None => CodeUse::Unknown,
            Some((_, Some(_))) => CodeUse::Again,
            Some((code, used_at)) => {
                *used_at = Some(now);
                CodeUse::First(code.clone())
            }
        })
    }

    async fn save_token(
        &self,
        token_hash: &str,
        code_hash: &str,
        token: &IssuedToken,
        expires_at: Millis,
    ) -> Result<(), StoreError> {
        self.lock()?.tokens.insert(
            token_hash.to_string(),
            (code_hash.to_string(), token.clone(), expires_at),
        );
        Ok(())
    }

    async fn token(
        &self,
        token_hash: &str,
        now: Millis,
    ) -> Result<Option<IssuedToken>, StoreError> {
        Ok(self
            .lock()?
            .tokens
            .get(token_hash)
            .filter(|(_, _, expires_at)| *expires_at > now)
            .map(|(_, token, _)| token.clone()))
    }

    async fn revoke_tokens(&self, code_hash: &str) -> Result<u64, StoreError> {
        let mut inner = self.lock()?;
        let before = inner.tokens.len();
        inner.tokens.retain(|_, (code, _, _)| code != code_hash);
        Ok((before - inner.tokens.len()) as u64)
    }

    async fn signing_keys(&self) -> Result<Vec<StoredKey>, StoreError> {
        let mut keys = self.lock()?.keys.clone();
        keys.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.kid.cmp(&b.kid)));
        Ok(keys)
    }

    async fn add_signing_key(
        &self,
        key: &StoredKey,
        newer_than: Millis,
    ) -> Result<bool, StoreError> {
        let mut inner = self.lock()?;
        let live = |k: &StoredKey| k.alg == key.alg && k.retired_at.is_none();
        if inner
            .keys
            .iter()
            .any(|k| live(k) && k.created_at > newer_than)
        {
            return Ok(false);
        }
        for old in inner.keys.iter_mut().filter(|k| live(k)) {
            old.retired_at = Some(key.created_at);
        }
        inner.keys.push(key.clone());
        Ok(true)
    }

    async fn purge_oidc(
        &self,
        codes_before: Millis,
        tokens_before: Millis,
        keys_before: Millis,
    ) -> Result<u64, StoreError> {
        let mut inner = self.lock()?;
        let before = inner.codes.len() + inner.tokens.len() + inner.keys.len();
        inner
            .codes
            .retain(|_, (code, _)| code.expires_at >= codes_before);
        inner
            .tokens
            .retain(|_, (_, _, expires_at)| *expires_at >= tokens_before);
        inner
            .keys
            .retain(|key| key.retired_at.is_none_or(|at| at >= keys_before));
        Ok((before - inner.codes.len() - inner.tokens.len() - inner.keys.len()) as u64)
    }
}
