//! The limiter: checks and counts every limit before a code is sent or checked. A limit
//! of 0 is off.

use super::{Limit, LimitError};
use crate::server::{
    domain::{
        clock::{Clock, Millis},
        phone::{NumberKind, PhoneNumber},
    },
    store::{LimitStore, StoreError},
};
use std::{net::IpAddr, sync::Arc, time::Duration};

const HOUR: Duration = Duration::from_secs(3600);

/// The configured limits (see the README's settings table).
#[derive(Debug, Clone)]
pub struct LimitSettings {
    /// The window of the per-number and per-IP caps.
    pub window: Duration,
    pub resend_cooldown: Duration,
    pub sends_per_number: u64,
    pub sends_per_ip: u64,
    pub verifies_per_ip: u64,
    pub failed_verifies_per_number_per_hour: u64,
    /// ISO regions codes may be sent to; empty means all.
    pub allowed_countries: Vec<String>,
    pub sends_per_country_per_hour: u64,
    pub sends_per_hour: u64,
    pub block_voip: bool,
}

impl LimitSettings {
    /// Every limit off (for tests that exercise something else).
    #[cfg(test)]
    pub fn off() -> Self {
        Self {
            window: Duration::from_secs(600),
            resend_cooldown: Duration::ZERO,
            sends_per_number: 0,
            sends_per_ip: 0,
            verifies_per_ip: 0,
            failed_verifies_per_number_per_hour: 0,
            allowed_countries: vec![],
            sends_per_country_per_hour: 0,
            sends_per_hour: 0,
            block_voip: false,
        }
    }
}

pub struct Limiter {
    settings: LimitSettings,
    store: Arc<dyn LimitStore>,
    clock: Arc<dyn Clock>,
}

impl Limiter {
    pub fn new(settings: LimitSettings, store: Arc<dyn LimitStore>, clock: Arc<dyn Clock>) -> Self {
        Self {
            settings,
            store,
            clock,
        }
    }

    /// Everything that must hold before a code is sent to `phone` at the request of `ip`.
    pub async fn admit_send(&self, phone: &PhoneNumber, ip: IpAddr) -> Result<(), LimitError> {
        self.check_number_kind(phone)?;
        let region = phone.region().unwrap_or("001");
        let allowed = &self.settings.allowed_countries;
        if !allowed.is_empty() && !allowed.iter().any(|country| country == region) {
            return Err(LimitError::CountryNotAllowed {
                region: region.to_string(),
            });
        }
        let s = &self.settings;
        self.hit(
            &format!("send:ip:{ip}"),
            s.sends_per_ip,
            s.window,
            Limit::SendsPerIp,
        )
        .await?;
        self.start_cooldown(phone).await?;
        let capped = self.send_caps(phone, region).await;
        if capped.is_err() {
            // Nothing will be sent: don't make the person wait for a message that never came.
            self.end_cooldown(phone).await?;
        }
        capped
    }

    /// The per-number, per-country and global send caps.
    async fn send_caps(&self, phone: &PhoneNumber, region: &str) -> Result<(), LimitError> {
        let s = &self.settings;
        self.hit(
            &format!("send:number:{}", phone.as_e164()),
            s.sends_per_number,
            s.window,
            Limit::SendsPerNumber,
        )
        .await?;
        self.hit(
            &format!("send:country:{region}"),
            s.sends_per_country_per_hour,
            HOUR,
            Limit::SendsPerCountry,
        )
        .await?;
        self.hit("send:all", s.sends_per_hour, HOUR, Limit::SendsOverall)
            .await
    }

    /// Everything that must hold before a code for `phone` is checked at the request of `ip`.
    pub async fn admit_verify(&self, phone: &PhoneNumber, ip: IpAddr) -> Result<(), LimitError> {
        let s = &self.settings;
        self.hit(
            &format!("verify:ip:{ip}"),
            s.verifies_per_ip,
            s.window,
            Limit::VerifiesPerIp,
        )
        .await?;
        let limit = s.failed_verifies_per_number_per_hour;
        if limit == 0 {
            return Ok(());
        }
        let (window_start, window_end) = self.window(HOUR);
        let failures = self.store.count(&failed_key(phone), window_start).await?;
        if failures >= limit {
            return Err(self.refusal(Limit::FailedVerifiesPerNumber, window_end));
        }
        Ok(())
    }

    /// Counts a wrong code against the number's hourly failure cap.
    pub async fn record_failed_verify(&self, phone: &PhoneNumber) -> Result<(), StoreError> {
        if self.settings.failed_verifies_per_number_per_hour == 0 {
            return Ok(());
        }
        let (window_start, window_end) = self.window(HOUR);
        self.store
            .hit(&failed_key(phone), window_start, window_end)
            .await?;
        Ok(())
    }

    /// Ends the resend cooldown of `phone` (its code was never delivered).
    pub async fn end_cooldown(&self, phone: &PhoneNumber) -> Result<(), StoreError> {
        self.store.clear_cooldown(&cooldown_key(phone)).await
    }

    fn check_number_kind(&self, phone: &PhoneNumber) -> Result<(), LimitError> {
        let kind = phone.kind();
        match kind {
            NumberKind::PremiumRate | NumberKind::SharedCost => {}
            NumberKind::Voip if self.settings.block_voip => {}
            _ => return Ok(()),
        }
        Err(LimitError::NumberNotAllowed { kind })
    }

    async fn start_cooldown(&self, phone: &PhoneNumber) -> Result<(), LimitError> {
        let cooldown = self.settings.resend_cooldown;
        if cooldown.is_zero() {
            return Ok(());
        }
        let now = self.clock.now();
        let until = now + cooldown.as_millis() as Millis;
        match self
            .store
            .start_cooldown(&cooldown_key(phone), now, until)
            .await?
        {
            None => Ok(()),
            Some(running_until) => Err(self.refusal(Limit::ResendCooldown, running_until)),
        }
    }

    /// Counts one event against `limit` per `window` on `key`; refuses past the limit.
    async fn hit(
        &self,
        key: &str,
        limit: u64,
        window: Duration,
        which: Limit,
    ) -> Result<(), LimitError> {
        if limit == 0 {
            return Ok(());
        }
        let (window_start, window_end) = self.window(window);
        let count = self.store.hit(key, window_start, window_end).await?;
        if count > limit {
            return Err(self.refusal(which, window_end));
        }
        Ok(())
    }

    /// The fixed window of `length` that contains now: (start, end).
    fn window(&self, length: Duration) -> (Millis, Millis) {
        let length = (length.as_millis() as Millis).max(1);
        let now = self.clock.now();
        let start = now - now.rem_euclid(length);
        (start, start + length)
    }

    fn refusal(&self, limit: Limit, until: Millis) -> LimitError {
        let wait_ms = (until - self.clock.now()).max(0);
        let retry_after_seconds = ((wait_ms + 999) / 1000).max(1) as u64;
        tracing::info!(?limit, retry_after = retry_after_seconds, "limit reached");
        LimitError::RateLimited {
            limit,
            retry_after_seconds,
        }
    }
}

fn cooldown_key(phone: &PhoneNumber) -> String {
    format!("cooldown:{}", phone.as_e164())
}

fn failed_key(phone: &PhoneNumber) -> String {
    format!("verify-failed:{}", phone.as_e164())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::{domain::clock::ManualClock, store::MemoryStore};

    fn limiter(settings: LimitSettings) -> (Limiter, ManualClock) {
        let clock = ManualClock::starting_at(1_800_000_000_000);
        let limiter = Limiter::new(
            settings,
            Arc::new(MemoryStore::new()),
            Arc::new(clock.clone()),
        );
        (limiter, clock)
    }

    fn phone(input: &str) -> PhoneNumber {
        PhoneNumber::parse(input, "US".parse().unwrap()).unwrap()
    }

    /// The limit and wait of a rate-limit refusal.
    fn rate_limited(error: LimitError) -> (Limit, u64) {
        match error {
            LimitError::RateLimited {
                limit,
                retry_after_seconds,
            } => (limit, retry_after_seconds),
            other => panic!("not a rate limit: {other:?}"),
        }
    }

    const IP: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[tokio::test]
    async fn the_cooldown_refuses_with_the_remaining_wait_then_releases() {
        let (limiter, clock) = limiter(LimitSettings {
            resend_cooldown: Duration::from_secs(30),
            ..LimitSettings::off()
        });
        let number = phone("2125550123");
        limiter.admit_send(&number, IP).await.unwrap();
        clock.advance(Duration::from_secs(10));
        let refused = limiter.admit_send(&number, IP).await.unwrap_err();
        assert_eq!(rate_limited(refused), (Limit::ResendCooldown, 20));
        assert!(
            limiter.admit_send(&phone("2125550124"), IP).await.is_ok(),
            "per number"
        );
        clock.advance(Duration::from_secs(20));
        assert!(limiter.admit_send(&number, IP).await.is_ok());
    }

    #[tokio::test]
    async fn a_request_refused_by_a_cap_does_not_start_the_cooldown() {
        let (limiter, _) = limiter(LimitSettings {
            resend_cooldown: Duration::from_secs(30),
            sends_per_hour: 1,
            ..LimitSettings::off()
        });
        limiter.admit_send(&phone("2125550123"), IP).await.unwrap();
        let other = phone("2125550124");
        let refused = limiter.admit_send(&other, IP).await.unwrap_err();
        assert_eq!(rate_limited(refused).0, Limit::SendsOverall);
        // Still refused by the cap, not by a cooldown the refused request started.
        let again = limiter.admit_send(&other, IP).await.unwrap_err();
        assert_eq!(rate_limited(again).0, Limit::SendsOverall);
    }

    #[tokio::test]
    async fn a_cap_counts_within_its_window() {
        let (limiter, clock) = limiter(LimitSettings {
            sends_per_number: 2,
            ..LimitSettings::off()
        });
        let number = phone("2125550123");
        limiter.admit_send(&number, IP).await.unwrap();
        limiter.admit_send(&number, IP).await.unwrap();
        let refused = limiter.admit_send(&number, IP).await.unwrap_err();
        let (limit, wait) = rate_limited(refused);
        assert_eq!(limit, Limit::SendsPerNumber);
        assert!((1..=600).contains(&wait));
        clock.advance(Duration::from_secs(wait));
        assert!(limiter.admit_send(&number, IP).await.is_ok());
    }

    #[tokio::test]
    async fn premium_and_shared_cost_numbers_are_refused_and_voip_when_asked() {
        let (limiter, _) = limiter(LimitSettings::off());
        let premium = phone("+1 900 234 5678");
        assert!(matches!(
            limiter.admit_send(&premium, IP).await.unwrap_err(),
            LimitError::NumberNotAllowed {
                kind: NumberKind::PremiumRate
            }
        ));
        let shared = phone("+34 901 12 34 56");
        assert!(matches!(
            limiter.admit_send(&shared, IP).await.unwrap_err(),
            LimitError::NumberNotAllowed {
                kind: NumberKind::SharedCost
            }
        ));
        let voip = phone("+44 56 1234 5678");
        assert!(limiter.admit_send(&voip, IP).await.is_ok());
        let (strict, _) = self::limiter(LimitSettings {
            block_voip: true,
            ..LimitSettings::off()
        });
        assert!(matches!(
            strict.admit_send(&voip, IP).await.unwrap_err(),
            LimitError::NumberNotAllowed {
                kind: NumberKind::Voip
            }
        ));
    }

    #[tokio::test]
    async fn only_allowed_countries_get_codes() {
        let (limiter, _) = limiter(LimitSettings {
            allowed_countries: vec!["US".into(), "CA".into()],
            ..LimitSettings::off()
        });
        assert!(limiter.admit_send(&phone("2125550123"), IP).await.is_ok());
        let refused = limiter
            .admit_send(&phone("+44 7400 123456"), IP)
            .await
            .unwrap_err();
        assert!(
            matches!(&refused, LimitError::CountryNotAllowed { region } if region == "GB"),
            "{refused:?}"
        );
    }
}
