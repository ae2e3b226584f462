//! Sessions of verified numbers, kept server side: the cookie carries only a random id
//! (256 bits); the store keeps its SHA-256 with the number and the expiry. Sign-out and
//! expiry delete the row, so an old cookie is worthless.

use crate::server::{
    domain::{
        clock::{Clock, Millis},
        phone::PhoneNumber,
    },
    store::{SessionRecord, SessionStore, StoreError},
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::{sync::Arc, time::Duration};

pub(crate) struct Sessions {
    store: Arc<dyn SessionStore>,
    ttl: Duration,
    clock: Arc<dyn Clock>,
}

impl Sessions {
    pub(crate) fn new(store: Arc<dyn SessionStore>, ttl: Duration, clock: Arc<dyn Clock>) -> Self {
        Self { store, ttl, clock }
    }

    /// How long a session lasts.
    pub(crate) fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Starts a session for `phone`; returns the id for the cookie.
    pub(crate) async fn start(&self, phone: &PhoneNumber) -> Result<String, StoreError> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let id = URL_SAFE_NO_PAD.encode(bytes);
        let now = self.clock.now();
        let expires_at = now + self.ttl.as_millis() as Millis;
        self.store
            .create_session(&hash(&id), phone, now, expires_at)
            .await?;
        Ok(id)
    }

    /// The verified number of the live session `id`, if there is one.
    pub(crate) async fn phone(&self, id: &str) -> Result<Option<PhoneNumber>, StoreError> {
        Ok(self.record(id).await?.map(|record| record.phone))
    }

    /// The live session `id` (number and when it was verified), if there is one.
    pub(crate) async fn record(&self, id: &str) -> Result<Option<SessionRecord>, StoreError> {
        self.store.session(&hash(id), self.clock.now()).await
    }

    /// Ends the session `id`.
    pub(crate) async fn end(&self, id: &str) -> Result<(), StoreError> {
        self.store.delete_session(&hash(id)).await
    }
}

fn hash(id: &str) -> String {
    hex::encode(Sha256::digest(id.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::{domain::clock::ManualClock, store::MemoryStore};

    #[tokio::test]
    async fn a_session_names_its_number_until_it_expires_or_ends() {
        let clock = ManualClock::starting_at(1_800_000_000_000);
        let sessions = Sessions::new(
            Arc::new(MemoryStore::new()),
            Duration::from_secs(3600),
            Arc::new(clock.clone()),
        );
        let phone = PhoneNumber::from_e164("+12125550123").unwrap();
        let id = sessions.start(&phone).await.unwrap();
        assert!(!id.contains("2125550123"));
        assert_eq!(sessions.phone(&id).await.unwrap(), Some(phone.clone()));
        assert_eq!(sessions.phone("another id").await.unwrap(), None);
        clock.advance(Duration::from_secs(3600));
        assert_eq!(sessions.phone(&id).await.unwrap(), None, "expired");

        let id = sessions.start(&phone).await.unwrap();
        sessions.end(&id).await.unwrap();
        assert_eq!(sessions.phone(&id).await.unwrap(), None, "signed out");
    }
}
