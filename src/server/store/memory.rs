//! The in-memory store: one process, nothing survives a restart.

use super::{
    Attempt, CodeId, CodeStore, Failures, Hit, LimitStore, NewCode, Pending, SessionRecord,
    SessionStore, StoreError,
};
use crate::{
    channel::Channel,
    delivery_status::DeliveryStatus,
    server::domain::{
        clock::Millis, code_hash::CodeDigest, phone::PhoneNumber, verification::VerificationId,
    },
};
use async_trait::async_trait;
use std::{
    collections::HashMap,
    sync::{Mutex, MutexGuard},
};

#[derive(Debug)]
struct Stored {
    id: CodeId,
    phone: PhoneNumber,
    digest: CodeDigest,
    attempts: u32,
    created_at: Millis,
    expires_at: Millis,
    message_id: Option<String>,
    delivery: DeliveryStatus,
    channel: Channel,
}

/// Pending codes keyed by verification; a used code is removed at once.
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    codes: HashMap<String, Stored>,
    /// (key, window start) → (count, expires at)
    counters: HashMap<(String, Millis), (u64, Millis)>,
    cooldowns: HashMap<String, Millis>,
    /// key → (count, locked until (0: not locked), expires at)
    failures: HashMap<String, (u64, Millis, Millis)>,
    /// (country, minute) → (sent, verified)
    conversions: HashMap<(String, Millis), (u64, u64)>,
    /// id hash → (number, expires at)
    sessions: HashMap<String, (SessionRecord, Millis)>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, Inner>, StoreError> {
        locked(&self.inner)
    }
}

/// The in-memory stores' state, or a store error if a panic poisoned it.
pub(super) fn locked<T>(state: &Mutex<T>) -> Result<MutexGuard<'_, T>, StoreError> {
    state
        .lock()
        .map_err(|_| StoreError("memory store lock poisoned".into()))
}

#[async_trait]
impl CodeStore for MemoryStore {
    async fn replace(&self, code: NewCode) -> Result<CodeId, StoreError> {
        let mut inner = self.lock()?;
        let id = code.id;
        let delivery = code.initial_status();
        inner.codes.insert(
            code.verification.store_key(),
            Stored {
                id,
                phone: code.phone,
                digest: code.digest,
                attempts: 0,
                created_at: code.created_at,
                expires_at: code.expires_at,
                message_id: code.message_id,
                delivery,
                channel: code.channel,
            },
        );
        Ok(id)
    }

    async fn discard(&self, id: CodeId) -> Result<(), StoreError> {
        self.lock()?.codes.retain(|_, stored| stored.id != id);
        Ok(())
    }

    async fn count_attempt(
        &self,
        verification: &VerificationId,
    ) -> Result<Option<Attempt>, StoreError> {
        let mut inner = self.lock()?;
        Ok(inner
            .codes
            .get_mut(&verification.store_key())
            .map(|stored| {
                stored.attempts = stored.attempts.saturating_add(1);
                Attempt {
                    id: stored.id,
                    phone: stored.phone.clone(),
                    digest: stored.digest,
                    attempts: stored.attempts,
                    created_at: stored.created_at,
                    expires_at: stored.expires_at,
                    channel: stored.channel,
                }
            }))
    }

    async fn give_back_attempt(&self, id: CodeId) -> Result<(), StoreError> {
        let mut inner = self.lock()?;
        if let Some(stored) = inner.codes.values_mut().find(|stored| stored.id == id) {
            stored.attempts = stored.attempts.saturating_sub(1);
        }
        Ok(())
    }

    async fn consume(&self, id: CodeId, now: Millis) -> Result<bool, StoreError> {
        let mut inner = self.lock()?;
        let usable = inner.codes.iter().find_map(|(key, stored)| {
            (stored.id == id && stored.expires_at > now).then(|| key.clone())
        });
        Ok(usable.map(|key| inner.codes.remove(&key)).is_some())
    }

    async fn purge(&self, now: Millis) -> Result<u64, StoreError> {
        let mut inner = self.lock()?;
        let before = inner.codes.len();
        inner.codes.retain(|_, stored| stored.expires_at > now);
        Ok((before - inner.codes.len()) as u64)
    }

    async fn record_delivery(
        &self,
        message_id: &str,
        status: DeliveryStatus,
    ) -> Result<Option<PhoneNumber>, StoreError> {
        let mut inner = self.lock()?;
        Ok(inner.codes.values_mut().find_map(|stored| {
            (stored.message_id.as_deref() == Some(message_id)
                && stored.delivery.rank() < status.rank())
            .then(|| {
                stored.delivery = status;
                stored.phone.clone()
            })
        }))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.lock().map(drop)
    }

    async fn count_pending(&self, now: Millis) -> Result<u64, StoreError> {
        let inner = self.lock()?;
        Ok(inner
            .codes
            .values()
            .filter(|code| code.expires_at > now)
            .count() as u64)
    }

    async fn pending(&self, verification: &VerificationId) -> Result<Option<Pending>, StoreError> {
        Ok(self
            .lock()?
            .codes
            .get(&verification.store_key())
            .map(|stored| Pending {
                phone: stored.phone.clone(),
                created_at: stored.created_at,
                expires_at: stored.expires_at,
                delivery: stored.delivery,
                channel: stored.channel,
            }))
    }
}

#[async_trait]
impl LimitStore for MemoryStore {
    async fn hit_all(&self, hits: &[Hit<'_>]) -> Result<Vec<u64>, StoreError> {
        let mut inner = self.lock()?;
        Ok(hits
            .iter()
            .map(|hit| {
                let counter = inner
                    .counters
                    .entry((hit.key.to_string(), hit.window_start))
                    .or_insert((0, hit.expires_at));
                counter.0 += 1;
                counter.0
            })
            .collect())
    }

    async fn release(&self, hits: &[Hit<'_>]) -> Result<(), StoreError> {
        let mut inner = self.lock()?;
        for hit in hits {
            if let Some(counter) = inner
                .counters
                .get_mut(&(hit.key.to_string(), hit.window_start))
            {
                counter.0 = counter.0.saturating_sub(1);
            }
        }
        Ok(())
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

    async fn cooldown(&self, key: &str, now: Millis) -> Result<Option<Millis>, StoreError> {
        Ok(self
            .lock()?
            .cooldowns
            .get(key)
            .copied()
            .filter(|&until| until > now))
    }

    async fn clear_cooldown(&self, key: &str) -> Result<(), StoreError> {
        self.lock()?.cooldowns.remove(key);
        Ok(())
    }

    async fn cooldowns(
        &self,
        prefix: &str,
        now: Millis,
    ) -> Result<Vec<(String, Millis)>, StoreError> {
        let inner = self.lock()?;
        let mut running: Vec<_> = inner
            .cooldowns
            .iter()
            .filter(|(key, until)| key.starts_with(prefix) && **until > now)
            .map(|(key, until)| (key.clone(), *until))
            .collect();
        running.sort();
        Ok(running)
    }

    async fn count_failure(
        &self,
        key: &str,
        now: Millis,
        keep_until: Millis,
    ) -> Result<Failures, StoreError> {
        let mut inner = self.lock()?;
        let row = inner
            .failures
            .entry(key.to_string())
            .or_insert((0, 0, keep_until));
        if row.1 != 0 && row.1 <= now {
            *row = (0, 0, keep_until);
        }
        row.0 += 1;
        row.2 = keep_until;
        Ok(Failures {
            count: row.0,
            locked_until: (row.1 != 0).then_some(row.1),
        })
    }

    async fn lock_failures(&self, key: &str, until: Millis) -> Result<(), StoreError> {
        if let Some(row) = self.lock()?.failures.get_mut(key) {
            if row.1 == 0 {
                row.1 = until;
            }
        }
        Ok(())
    }

    async fn reset_failures(&self, key: &str) -> Result<(), StoreError> {
        self.lock()?.failures.remove(key);
        Ok(())
    }

    async fn record_conversion(
        &self,
        country: &str,
        minute: Millis,
        verified: bool,
    ) -> Result<(), StoreError> {
        let mut inner = self.lock()?;
        let (sent, verifications) = inner
            .conversions
            .entry((country.to_string(), minute))
            .or_default();
        *if verified { verifications } else { sent } += 1;
        Ok(())
    }

    async fn conversion(
        &self,
        country: &str,
        from: Millis,
        to: Millis,
    ) -> Result<(u64, u64), StoreError> {
        let inner = self.lock()?;
        Ok(inner
            .conversions
            .iter()
            .filter(|((c, minute), _)| c == country && (from..to).contains(minute))
            .fold((0, 0), |(sent, verified), (_, (s, v))| {
                (sent + s, verified + v)
            }))
    }

    async fn purge_limits(
        &self,
        now: Millis,
        conversions_before: Millis,
    ) -> Result<u64, StoreError> {
        let mut inner = self.lock()?;
        let size = |inner: &Inner| {
            inner.counters.len()
                + inner.cooldowns.len()
                + inner.failures.len()
                + inner.conversions.len()
        };
        let before = size(&inner);
        inner.counters.retain(|_, counter| counter.1 > now);
        inner.cooldowns.retain(|_, until| *until > now);
        inner
            .failures
            .retain(|_, (_, locked_until, expires_at)| *expires_at > now || *locked_until > now);
        inner
            .conversions
            .retain(|(_, minute), _| *minute >= conversions_before);
        Ok((before - size(&inner)) as u64)
    }
}

#[async_trait]
impl SessionStore for MemoryStore {
    async fn create_session(
        &self,
        id_hash: &str,
        phone: &PhoneNumber,
        started_at: Millis,
        expires_at: Millis,
    ) -> Result<(), StoreError> {
        let record = SessionRecord {
            phone: phone.clone(),
            started_at,
        };
        self.lock()?
            .sessions
            .insert(id_hash.to_string(), (record, expires_at));
        Ok(())
    }

    async fn session(
        &self,
        id_hash: &str,
        now: Millis,
    ) -> Result<Option<SessionRecord>, StoreError> {
        Ok(self
            .lock()?
            .sessions
            .get(id_hash)
            .filter(|(_, expires_at)| *expires_at > now)
            .map(|(record, _)| record.clone()))
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        self.lock()?.sessions.remove(id_hash);
        Ok(())
    }

    async fn purge_sessions(&self, now: Millis) -> Result<u64, StoreError> {
        let mut inner = self.lock()?;
        let before = inner.sessions.len();
        inner
            .sessions
            .retain(|_, (_, expires_at)| *expires_at > now);
        Ok((before - inner.sessions.len()) as u64)
    }
}
