//! The background job that keeps the tables small: expired (and so also used) codes and
//! ended limit counters are deleted every `PURGE_INTERVAL_SECONDS`.

use super::{CodeStore, LimitStore, Stores};
use crate::server::domain::clock::Clock;
use std::{sync::Arc, time::Duration};

/// Purges every `period`, forever (the caller aborts the task at shutdown).
pub(crate) async fn purge_every(stores: Stores, clock: Arc<dyn Clock>, period: Duration) {
    let mut every = tokio::time::interval(period);
    loop {
        every.tick().await;
        let now = clock.now();
        let codes: &dyn CodeStore = &*stores.codes;
        let limits: &dyn LimitStore = &*stores.limits;
        match (codes.purge(now).await, limits.purge_limits(now).await) {
            (Ok(codes), Ok(limits)) => tracing::debug!(codes, limits, "purged expired rows"),
            (Err(error), _) | (_, Err(error)) => {
                tracing::warn!(%error, "could not purge expired rows")
            }
        }
    }
}
