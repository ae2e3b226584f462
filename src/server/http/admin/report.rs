//! What the dashboard shows, gathered from the shared store (so every instance shows the
//! same numbers): per-country totals for the last 24 hours and 7 days, hourly and daily
//! timelines, the countries the conversion guard paused, the limits in force, and the
//! provider's last 20 failures.

use crate::server::{
    domain::clock::Millis,
    services::Services,
    store::{
        activity::{CountryTotals, ProviderFailure, Slot},
        StoreError,
    },
};
use serde::Serialize;

const HOUR: Millis = 3_600_000;
const DAY: Millis = 24 * HOUR;
/// Provider failures listed.
pub(super) const FAILURES_SHOWN: usize = 20;

#[derive(Debug, Serialize)]
pub(crate) struct Report {
    /// Unix milliseconds.
    pub generated_at: Millis,
    pub last_24h: Vec<CountryTotals>,
    pub last_7d: Vec<CountryTotals>,
    /// The last 24 hours, hour by hour (oldest first; the last is the current hour).
    pub hourly: Timeline,
    /// The last 7 days, day by day (UTC; the last is today).
    pub daily: Timeline,
    /// Countries whose sends the conversion guard paused, and when each pause ends.
    pub paused: Vec<Paused>,
    pub limits: Vec<Setting>,
    /// Newest first; numbers masked.
    pub provider_failures: Vec<ProviderFailure>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Timeline {
    /// Start of the first slot, Unix milliseconds.
    pub from: Millis,
    pub width_ms: Millis,
    pub slots: Vec<Slot>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Paused {
    pub country: String,
    pub until: Millis,
}

#[derive(Debug, Serialize)]
pub(crate) struct Setting {
    pub name: &'static str,
    pub value: String,
}

/// Reads the report as of `now`.
pub(crate) async fn gather(services: &Services, now: Millis) -> Result<Report, StoreError> {
    let activity = &services.stores().activity;
    let hour = now - now.rem_euclid(HOUR);
    let day = now - now.rem_euclid(DAY);
    let timeline = |from: Millis, width: Millis, count: usize| async move {
        Ok::<_, StoreError>(Timeline {
            from,
            width_ms: width,
            slots: activity.timeline(from, width, count).await?,
        })
    };
    let limiter = services.limiter();
    Ok(Report {
        generated_at: now,
        last_24h: activity.totals(now - DAY).await?,
        last_7d: activity.totals(now - 7 * DAY).await?,
        hourly: timeline(hour - 23 * HOUR, HOUR, 24).await?,
        daily: timeline(day - 6 * DAY, DAY, 7).await?,
        paused: limiter
            .paused_countries(now)
            .await?
            .into_iter()
            .map(|(country, until)| Paused { country, until })
            .collect(),
        limits: limiter
            .settings()
            .describe()
            .into_iter()
            .map(|(name, value)| Setting { name, value })
            .collect(),
        provider_failures: activity.failures(FAILURES_SHOWN).await?,
    })
}
