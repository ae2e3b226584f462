//! The in-memory code store: one process, nothing survives a restart.

use super::{Attempt, CodeId, CodeStore, LimitStore, NewCode, StoreError};
use crate::{
    delivery_status::DeliveryStatus,
    server::domain::{clock::Millis, code_hash::CodeDigest, phone::PhoneNumber},
};
use async_trait::async_trait;
use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard},
};

#[derive(Debug)]
struct Stored {
    id: CodeId,
    digest: CodeDigest,
    attempts: u32,
    expires_at: Millis,
    message_id: Option<String>,
    delivery: DeliveryStatus,
}

/// Pending codes keyed by number; a used code is removed at once.
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    next_id: i64,
    by_phone: HashMap<PhoneNumber, Stored>,
    /// (key, window start) → (count, expires at)
    counters: HashMap<(String, Millis), (u64, Millis)>,
    cooldowns: HashMap<String, Millis>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, Inner>, StoreError> {
        self.inner
            .lock()
            .map_err(|_| StoreError("memory store lock poisoned".into()))
    }
}

#[async_trait]
impl CodeStore for MemoryStore {
    async fn replace(&self, code: NewCode) -> Result<CodeId, StoreError> {
        let mut inner = self.lock()?;
        inner.next_id += 1;
        let id = CodeId(inner.next_id);
        inner.by_phone.insert(
            code.phone,
            Stored {
                id,
                digest: code.digest,
                attempts: 0,
                expires_at: code.expires_at,
                message_id: None,
                delivery: DeliveryStatus::Queued,
            },
        );
        Ok(id)
    }

    async fn discard(&self, id: CodeId) -> Result<(), StoreError> {
        self.lock()?.by_phone.retain(|_, stored| stored.id != id);
        Ok(())
    }

    async fn count_attempt(&self, phone: &PhoneNumber) -> Result<Option<Attempt>, StoreError> {
        let mut inner = self.lock()?;
        Ok(inner.by_phone.get_mut(phone).map(|stored| {
            stored.attempts = stored.attempts.saturating_add(1);
            Attempt {
                id: stored.id,
                digest: stored.digest,
                attempts: stored.attempts,
                expires_at: stored.expires_at,
            }
        }))
    }

    async fn consume(&self, id: CodeId, now: Millis) -> Result<bool, StoreError> {
        let mut inner = self.lock()?;
        let usable = inner.by_phone.iter().find_map(|(phone, stored)| {
            (stored.id == id && stored.expires_at > now).then(|| phone.clone())
        });
        Ok(usable.map(|phone| inner.by_phone.remove(&phone)).is_some())
    }

    async fn purge(&self, now: Millis) -> Result<u64, StoreError> {
        let mut inner = self.lock()?;
        let before = inner.by_phone.len();
        inner.by_phone.retain(|_, stored| stored.expires_at > now);
        Ok((before - inner.by_phone.len()) as u64)
    }

    async fn attach_message(&self, id: CodeId, message_id: &str) -> Result<(), StoreError> {
        let mut inner = self.lock()?;
        if let Some(stored) = inner.by_phone.values_mut().find(|stored| stored.id == id) {
            stored.message_id = Some(message_id.to_string());
        }
        Ok(())
    }

    async fn record_delivery(
        &self,
        message_id: &str,
        status: DeliveryStatus,
    ) -> Result<Option<PhoneNumber>, StoreError> {
        let mut inner = self.lock()?;
        Ok(inner.by_phone.iter_mut().find_map(|(phone, stored)| {
            (stored.message_id.as_deref() == Some(message_id)
                && stored.delivery.rank() < status.rank())
            .then(|| {
                stored.delivery = status;
                phone.clone()
            })
        }))
    }

    async fn delivery_status(
        &self,
        phone: &PhoneNumber,
    ) -> Result<Option<DeliveryStatus>, StoreError> {
        Ok(self
            .lock()?
            .by_phone
            .get(phone)
            .map(|stored| stored.delivery))
    }
}

#[async_trait]
impl LimitStore for MemoryStore {
    async fn hit(
        &self,
        key: &str,
        window_start: Millis,
        expires_at: Millis,
    ) -> Result<u64, StoreError> {
        let mut inner = self.lock()?;
        let counter = inner
            .counters
            .entry((key.to_string(), window_start))
            .or_insert((0, expires_at));
        counter.0 += 1;
        Ok(counter.0)
    }

    async fn count(&self, key: &str, window_start: Millis) -> Result<u64, StoreError> {
        let inner = self.lock()?;
        Ok(inner
            .counters
            .get(&(key.to_string(), window_start))
            .map_or(0, |counter| counter.0))
    }

    async fn start_cooldown(
        &self,
        key: &str,
        now: Millis,
        until: Millis,
    ) -> Result<Option<Millis>, StoreError> {
        let mut inner = self.lock()?;
        match inner.cooldowns.get(key) {
            Some(&running) if running > now => Ok(Some(running)),
            _ => {
                inner.cooldowns.insert(key.to_string(), until);
                Ok(None)
            }
        }
    }

    async fn clear_cooldown(&self, key: &str) -> Result<(), StoreError> {
        self.lock()?.cooldowns.remove(key);
        Ok(())
    }

    async fn purge_limits(&self, now: Millis) -> Result<u64, StoreError> {
        let mut inner = self.lock()?;
        let before = inner.counters.len() + inner.cooldowns.len();
        inner.counters.retain(|_, counter| counter.1 > now);
        inner.cooldowns.retain(|_, until| *until > now);
        Ok((before - inner.counters.len() - inner.cooldowns.len()) as u64)
    }
}
