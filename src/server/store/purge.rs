//! The background job that keeps the tables small, however many numbers and addresses
//! pass through: expired (and so also used) codes, ended limit counters, cooldowns and
//! lockouts, conversion minutes older than two hours, expired sessions, and the
//! operator's record past eight days are deleted every `PURGE_INTERVAL_SECONDS`.

use super::{activity::KEEP_MILLIS, CodeStore, LimitStore, SessionStore, StoreError, Stores};
use crate::server::domain::clock::{Clock, Millis};
use std::{sync::Arc, time::Duration};

/// Used authorization codes are kept past their expiry this long, so a replay still
/// finds (and revokes) the tokens they bought.
const OIDC_CODES_KEPT: Millis = 2 * 3600 * 1000;
/// Replaced signing keys are deleted this long after retirement (they are unpublished
/// sooner).
const OIDC_KEYS_KEPT: Millis = 7 * 86_400 * 1000;

/// Conversion minutes are kept this long (the guard reads the last hour).
const CONVERSIONS_KEPT: Millis = 2 * 3600 * 1000;

/// Purges every `period`, forever (the caller aborts the task at shutdown).
pub(crate) async fn purge_every(stores: Stores, clock: Arc<dyn Clock>, period: Duration) {
    let mut every = tokio::time::interval(period);
    loop {
        every.tick().await;
        match purge_once(&stores, clock.now()).await {
            Ok(rows) => tracing::debug!(rows, "purged expired rows"),
            Err(error) => tracing::warn!(%error, "could not purge expired rows"),
        }
    }
}

/// Deletes everything that ended before `now`; returns how many rows went.
pub(crate) async fn purge_once(stores: &Stores, now: Millis) -> Result<u64, StoreError> {
    let codes: &dyn CodeStore = &*stores.codes;
    let limits: &dyn LimitStore = &*stores.limits;
    let sessions: &dyn SessionStore = &*stores.sessions;
    Ok(codes.purge(now).await?
        + limits.purge_limits(now, now - CONVERSIONS_KEPT).await?
        + sessions.purge_sessions(now).await?
        + stores.activity.purge_activity(now - KEEP_MILLIS).await?
        + stores
            .oidc
            .purge_oidc(now - OIDC_CODES_KEPT, now, now - OIDC_KEYS_KEPT)
            .await?)
}
