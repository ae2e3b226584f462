//! The limiter: checks and counts every limit before a code is sent or checked. A limit
//! of 0 is off.

use super::{Limit, LimitError};
use crate::{
    channel::Channel,
    server::{
        domain::{
            clock::{Clock, Millis},
            phone::{NumberKind, PhoneNumber},
        },
        store::{Hit, LimitStore, StoreError},
    },
};
use std::{net::IpAddr, sync::Arc, time::Duration};

const MINUTE: Millis = 60_000;
const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(24 * 3600);
/// How long a number's failure counter is kept after its last attempt.
const FAILURES_KEPT: Duration = Duration::from_secs(30 * 24 * 3600);

/// Which countries codes may be sent to (`ALLOWED_COUNTRIES`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowedCountries {
    /// `*`: every country (mind the cost of SMS pumping).
    All,
    /// ISO 3166 region codes, e.g. `US`, `CA`.
    Only(Vec<String>),
}

impl AllowedCountries {
    fn allows(&self, region: &str) -> bool {
        match self {
            Self::All => true,
            Self::Only(regions) => regions.iter().any(|allowed| allowed == region),
        }
    }
}

/// The conversion guard: sends to a country pause when few of its codes get verified.
#[derive(Debug, Clone, PartialEq)]
pub struct ConversionGuard {
    /// Codes sent in the last hour before the ratio is judged; 0 turns the guard off.
    pub min_sends: u64,
    /// The verified share below which sends pause.
    pub min_ratio: f64,
    /// Codes younger than this are not judged yet (their people may still be typing).
    pub settle: Duration,
}

/// The configured limits (see the README's settings table).
#[derive(Debug, Clone)]
pub struct LimitSettings {
    /// The window of the per-number and per-IP caps.
    pub window: Duration,
    pub resend_cooldown: Duration,
    pub sends_per_number: u64,
    pub sends_per_ip: u64,
    pub verifies_per_ip: u64,
    /// Wrong codes in a row per number (across codes) before it is locked.
    pub max_consecutive_failures: u64,
    pub lockout: Duration,
    pub allowed_countries: AllowedCountries,
    pub sends_per_country_per_hour: u64,
    pub sends_per_country_per_day: u64,
    pub sends_per_hour: u64,
    pub sends_per_day: u64,
    pub block_voip: bool,
    pub conversion: ConversionGuard,
    /// IPv6 clients are counted per network of this prefix length (one /64 is one home).
    pub ipv6_prefix_length: u8,
    /// Voice calls, which cost more than SMS, have caps of their own.
    pub calls: CallCaps,
}

/// The caps on voice calls ("Call me instead"), counted apart from SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallCaps {
    /// `CALLS_PER_NUMBER` in `LIMIT_WINDOW_SECONDS`.
    pub per_number: u64,
    /// `CALLS_PER_IP_PER_HOUR`.
    pub per_ip_per_hour: u64,
    /// `CALLS_PER_COUNTRY_PER_HOUR`.
    pub per_country_per_hour: u64,
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
            max_consecutive_failures: 0,
            lockout: HOUR,
            allowed_countries: AllowedCountries::All,
            sends_per_country_per_hour: 0,
            sends_per_country_per_day: 0,
            sends_per_hour: 0,
            sends_per_day: 0,
            block_voip: false,
            conversion: ConversionGuard {
                min_sends: 0,
                min_ratio: 0.2,
                settle: Duration::from_secs(300),
            },
            ipv6_prefix_length: 64,
            calls: CallCaps {
                per_number: 0,
                per_ip_per_hour: 0,
                per_country_per_hour: 0,
            },
        }
    }
}

/// A guess at a code, counted against its number's consecutive failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guess {
    /// Attempts since the number's last success, this one included (0: not counted).
    count: u64,
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

    /// Everything that must hold before a code is sent to `phone` by `channel` at the
    /// request of `ip`. Calls have their own caps, cooldown and conversion guard.
    ///
    /// The counters (the address's, then the number's, country's and overall caps) are
    /// counted in one statement, at the same time as the resend cooldown starts and the
    /// conversion guard reads, so they share one commit. The decision then goes in the
    /// order people expect: the address's limit, the conversion guard, the cooldown,
    /// then the caps in turn; what a refused request counted beyond what it would have
    /// counted checking one by one is given back (the address's count always stays).
    pub async fn admit(
        &self,
        phone: &PhoneNumber,
        ip: IpAddr,
        channel: Channel,
    ) -> Result<(), LimitError> {
        self.check_number_kind(phone)?;
        let region = phone.country();
        if !self.settings.allowed_countries.allows(region) {
            return Err(LimitError::CountryNotAllowed {
                region: region.to_string(),
            });
        }
        let ip = self.ip_key(ip);
        let mut counters = match channel {
            Channel::Sms => self.send_caps(phone, region, &ip),
            Channel::Voice => self.call_caps(phone, region, &ip),
        };
        counters.retain(|(_, limit, _, _)| *limit != 0);
        let hits: Vec<Hit<'_>> = counters
            .iter()
            .map(|(key, _, window, _)| {
                let (window_start, expires_at) = self.window(*window);
                Hit {
                    key,
                    window_start,
                    expires_at,
                }
            })
            .collect();
        let conversion = conversion_key(region, channel);
        let (counted, converting, cooling) = tokio::join!(
            self.store.hit_all(&hits),
            self.check_conversion(&conversion),
            self.start_cooldown(phone, channel)
        );
        let counts = match counted {
            Ok(counts) => counts,
            Err(error) => {
                if cooling.is_ok() {
                    self.end_cooldown(phone, channel).await?;
                }
                return Err(error.into());
            }
        };
        let refused = counters
            .iter()
            .zip(&counts)
            .position(|((_, limit, _, _), count)| count > limit);
        let refusal = |at: usize| self.refusal(counters[at].3, hits[at].expires_at);
        // The address's counter, when on, is the first; its count always stands.
        let address = usize::from(counters.first().is_some_and(|c| c.3.is_per_address()));
        // What decides, in order, and how many counters stay counted.
        let (refused, kept) = match (refused, converting, cooling.as_ref()) {
            (Some(0), ..) if address == 1 => (refusal(0), 1),
            (_, Err(error), _) => (error, address),
            (_, Ok(()), Err(error)) => (error.clone(), address),
            (Some(at), Ok(()), Ok(())) => (refusal(at), at + 1),
            (None, Ok(()), Ok(())) => return Ok(()),
        };
        self.store.release(&hits[kept..]).await?;
        if cooling.is_ok() {
            // Nothing will be sent: don't make the person wait for a message that never came.
            self.end_cooldown(phone, channel).await?;
        }
        Err(refused)
    }

    /// The per-address, per-number and per-country call limits.
    fn call_caps(&self, phone: &PhoneNumber, region: &str, ip: &str) -> Vec<Counter> {
        let s = &self.settings;
        vec![
            (
                format!("call:ip:{ip}"),
                s.calls.per_ip_per_hour,
                HOUR,
                Limit::CallsPerIp,
            ),
            (
                format!("call:number:{}", phone.as_e164()),
                s.calls.per_number,
                s.window,
                Limit::CallsPerNumber,
            ),
            (
                format!("call:country:{region}"),
                s.calls.per_country_per_hour,
                HOUR,
                Limit::CallsPerCountry,
            ),
        ]
    }

    /// The per-address, per-number, per-country and global send limits.
    fn send_caps(&self, phone: &PhoneNumber, region: &str, ip: &str) -> Vec<Counter> {
        let s = &self.settings;
        vec![
            (
                format!("send:ip:{ip}"),
                s.sends_per_ip,
                s.window,
                Limit::SendsPerIp,
            ),
            (
                format!("send:number:{}", phone.as_e164()),
                s.sends_per_number,
                s.window,
                Limit::SendsPerNumber,
            ),
            (
                format!("send:country:{region}"),
                s.sends_per_country_per_hour,
                HOUR,
                Limit::SendsPerCountry,
            ),
            (
                format!("send:country-day:{region}"),
                s.sends_per_country_per_day,
                DAY,
                Limit::SendsPerCountryPerDay,
            ),
            (
                "send:all".to_string(),
                s.sends_per_hour,
                HOUR,
                Limit::SendsOverall,
            ),
            (
                "send:all-day".to_string(),
                s.sends_per_day,
                DAY,
                Limit::SendsPerDay,
            ),
        ]
    }

    /// Refuses sends to `region` while its conversion is paused, and pauses it (for an
    /// hour, with one warning) when too few of its settled codes were verified.
    async fn check_conversion(&self, region: &str) -> Result<(), LimitError> {
        let guard = &self.settings.conversion;
        if guard.min_sends == 0 {
            return Ok(());
        }
        let now = self.clock.now();
        let key = pause_key(region);
        let settled = now - guard.settle.as_millis() as Millis;
        // Both read at once (one round trip, not two); the counts go unused while paused.
        let (paused, counts) = tokio::join!(
            self.store.cooldown(&key, now),
            self.store.conversion(
                region,
                minute_of(now - HOUR.as_millis() as Millis),
                minute_of(settled),
            )
        );
        if let Some(until) = paused? {
            return Err(self.refusal(Limit::ConversionGuard, until));
        }
        let (sent, verified) = counts?;
        if sent < guard.min_sends || verified as f64 >= guard.min_ratio * sent as f64 {
            return Ok(());
        }
        let until = now + HOUR.as_millis() as Millis;
        let until = match self.store.start_cooldown(&key, now, until).await? {
            None => {
                tracing::warn!(
                    country = region,
                    sent,
                    verified,
                    "conversion guard: few codes to this country are verified (SMS pumping?); \
                     sends to it pause for an hour"
                );
                until
            }
            Some(running) => running,
        };
        Err(self.refusal(Limit::ConversionGuard, until))
    }

    /// Counts a code sent (or possibly sent) to `phone` by `channel` now, for the
    /// conversion guard.
    pub async fn record_sent(
        &self,
        phone: &PhoneNumber,
        channel: Channel,
    ) -> Result<(), StoreError> {
        if self.settings.conversion.min_sends == 0 {
            return Ok(());
        }
        self.store
            .record_conversion(
                &conversion_key(phone.country(), channel),
                minute_of(self.clock.now()),
                false,
            )
            .await
    }

    pub(super) fn store(&self) -> &dyn LimitStore {
        &*self.store
    }

    /// The limits in force.
    pub fn settings(&self) -> &LimitSettings {
        &self.settings
    }

    /// Everything that must hold before a code is checked at the request of `ip`.
    pub async fn admit_verify(&self, ip: IpAddr) -> Result<(), LimitError> {
        let s = &self.settings;
        self.hit(
            &format!("verify:ip:{}", self.ip_key(ip)),
            s.verifies_per_ip,
            s.window,
            Limit::VerifiesPerIp,
        )
        .await
    }

    /// Counts a guess at `phone`'s code before it is compared; refuses while the number
    /// is locked, and past the cap (concurrent guesses each get their own count).
    pub async fn count_guess(&self, phone: &PhoneNumber) -> Result<Guess, LimitError> {
        let max = self.settings.max_consecutive_failures;
        if max == 0 {
            return Ok(Guess { count: 0 });
        }
        let now = self.clock.now();
        let key = failures_key(phone);
        let failures = self
            .store
            .count_failure(&key, now, now + FAILURES_KEPT.as_millis() as Millis)
            .await?;
        if let Some(until) = failures.locked_until {
            return Err(self.refusal(Limit::ConsecutiveFailures, until));
        }
        if failures.count > max {
            let until = self.lock(&key).await?;
            return Err(self.refusal(Limit::ConsecutiveFailures, until));
        }
        Ok(Guess {
            count: failures.count,
        })
    }

    /// A counted guess was wrong: at the cap, the number is locked.
    pub async fn wrong_guess(&self, phone: &PhoneNumber, guess: Guess) -> Result<(), StoreError> {
        let max = self.settings.max_consecutive_failures;
        if max != 0 && guess.count >= max {
            tracing::warn!(phone = %phone, "number locked after too many wrong codes in a row");
            self.lock(&failures_key(phone)).await?;
        }
        Ok(())
    }

    /// A code sent by `channel` at `sent_at` to `phone` was verified: its failures are
    /// forgotten, and its country's conversion (for that channel) counts it.
    pub async fn right_guess(
        &self,
        phone: &PhoneNumber,
        sent_at: Millis,
        channel: Channel,
    ) -> Result<(), StoreError> {
        // Independent writes, so they share a commit.
        let reset = async {
            if self.settings.max_consecutive_failures == 0 {
                return Ok(());
            }
            self.store.reset_failures(&failures_key(phone)).await
        };
        let converted = async {
            if self.settings.conversion.min_sends == 0 {
                return Ok(());
            }
            self.store
                .record_conversion(
                    &conversion_key(phone.country(), channel),
                    minute_of(sent_at),
                    true,
                )
                .await
        };
        let (reset, converted) = tokio::join!(reset, converted);
        reset.and(converted)
    }

    async fn lock(&self, key: &str) -> Result<Millis, StoreError> {
        let until = self.clock.now() + self.settings.lockout.as_millis() as Millis;
        self.store.lock_failures(key, until).await?;
        Ok(until)
    }

    /// What is left of the resend cooldown of `phone` on `channel` (zero when none runs).
    pub async fn cooldown_left(
        &self,
        phone: &PhoneNumber,
        channel: Channel,
    ) -> Result<Duration, StoreError> {
        if self.settings.resend_cooldown.is_zero() {
            return Ok(Duration::ZERO);
        }
        let now = self.clock.now();
        let until = self
            .store
            .cooldown(&cooldown_key(phone, channel), now)
            .await?;
        Ok(until.map_or(Duration::ZERO, |until| {
            Duration::from_millis((until - now).max(0) as u64)
        }))
    }

    /// Ends the resend cooldown of `phone` on `channel` (its code never arrived).
    pub async fn end_cooldown(
        &self,
        phone: &PhoneNumber,
        channel: Channel,
    ) -> Result<(), StoreError> {
        self.store
            .clear_cooldown(&cooldown_key(phone, channel))
            .await
    }

    /// The key per-IP limits count `ip` under: IPv4 (IPv4-mapped IPv6 included) as is,
    /// other IPv6 addresses by their network of `IPV6_PREFIX_LENGTH` bits.
    fn ip_key(&self, ip: IpAddr) -> String {
        match ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let prefix = self.settings.ipv6_prefix_length.min(128);
                    let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
                    let network = std::net::Ipv6Addr::from(u128::from(v6) & mask);
                    format!("{network}/{prefix}")
                }
            },
        }
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

    async fn start_cooldown(
        &self,
        phone: &PhoneNumber,
        channel: Channel,
    ) -> Result<(), LimitError> {
        let cooldown = self.settings.resend_cooldown;
        if cooldown.is_zero() {
            return Ok(());
        }
        let now = self.clock.now();
        let until = now + cooldown.as_millis() as Millis;
        match self
            .store
            .start_cooldown(&cooldown_key(phone, channel), now, until)
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

/// A counter a request counts against: its key, its limit (0: off), its window, and the
/// limit it enforces.
type Counter = (String, u64, Duration, Limit);

/// The start of the minute containing `at`.
fn minute_of(at: Millis) -> Millis {
    at - at.rem_euclid(MINUTE)
}

/// Cooldown keys of the conversion guard's pauses start with this.
pub(super) const PAUSE_PREFIX: &str = "pause:country:";

pub(super) fn pause_key(region: &str) -> String {
    format!("{PAUSE_PREFIX}{region}")
}

/// Calls have a cooldown of their own: "Call me instead" right after an SMS is fine.
fn cooldown_key(phone: &PhoneNumber, channel: Channel) -> String {
    match channel {
        Channel::Sms => format!("cooldown:{}", phone.as_e164()),
        Channel::Voice => format!("cooldown:call:{}", phone.as_e164()),
    }
}

/// What the conversion guard counts under: the country for SMS, `US/voice` for calls,
/// so each channel is judged (and paused) on its own.
fn conversion_key(region: &str, channel: Channel) -> String {
    match channel {
        Channel::Sms => region.to_string(),
        Channel::Voice => format!("{region}/voice"),
    }
}

fn failures_key(phone: &PhoneNumber) -> String {
    format!("failures:{}", phone.as_e164())
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
        limiter.admit(&number, IP, Channel::Sms).await.unwrap();
        clock.advance(Duration::from_secs(10));
        let refused = limiter.admit(&number, IP, Channel::Sms).await.unwrap_err();
        assert_eq!(rate_limited(refused), (Limit::ResendCooldown, 20));
        assert!(
            limiter
                .admit(&phone("2125550124"), IP, Channel::Sms)
                .await
                .is_ok(),
            "per number"
        );
        clock.advance(Duration::from_secs(20));
        assert!(limiter.admit(&number, IP, Channel::Sms).await.is_ok());
    }

    #[tokio::test]
    async fn a_request_refused_by_a_cap_does_not_start_the_cooldown() {
        let (limiter, _) = limiter(LimitSettings {
            resend_cooldown: Duration::from_secs(30),
            sends_per_hour: 1,
            ..LimitSettings::off()
        });
        limiter
            .admit(&phone("2125550123"), IP, Channel::Sms)
            .await
            .unwrap();
        let other = phone("2125550124");
        let refused = limiter.admit(&other, IP, Channel::Sms).await.unwrap_err();
        assert_eq!(rate_limited(refused).0, Limit::SendsOverall);
        // Still refused by the cap, not by a cooldown the refused request started.
        let again = limiter.admit(&other, IP, Channel::Sms).await.unwrap_err();
        assert_eq!(rate_limited(again).0, Limit::SendsOverall);
    }

    #[tokio::test]
    async fn what_a_refused_request_counted_at_once_is_given_back_but_its_address_count() {
        let (limiter, clock) = limiter(LimitSettings {
            resend_cooldown: Duration::from_secs(30),
            sends_per_number: 2,
            sends_per_ip: 3,
            ..LimitSettings::off()
        });
        let counted = |key: String| {
            let limiter = &limiter;
            async move {
                let (start, _) = limiter.window(limiter.settings().window);
                limiter.store().count(&key, start).await.unwrap()
            }
        };
        let (a, b) = (phone("2125550123"), phone("2125550124"));
        limiter.admit(&a, IP, Channel::Sms).await.unwrap();
        // Too soon: the cooldown refuses; the number's count goes back, the address's stays.
        let refused = limiter.admit(&a, IP, Channel::Sms).await.unwrap_err();
        assert_eq!(rate_limited(refused).0, Limit::ResendCooldown);
        assert_eq!(counted(format!("send:number:{}", a.as_e164())).await, 1);
        assert_eq!(counted(format!("send:ip:{}", IP)).await, 2);
        clock.advance(Duration::from_secs(30));
        limiter.admit(&a, IP, Channel::Sms).await.unwrap();
        // The address's limit: nothing else counted, and no cooldown started.
        let refused = limiter.admit(&b, IP, Channel::Sms).await.unwrap_err();
        assert_eq!(rate_limited(refused).0, Limit::SendsPerIp);
        assert_eq!(counted(format!("send:number:{}", b.as_e164())).await, 0);
        let other = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 7));
        assert!(limiter.admit(&b, other, Channel::Sms).await.is_ok());
    }

    #[tokio::test]
    async fn a_cap_counts_within_its_window() {
        let (limiter, clock) = limiter(LimitSettings {
            sends_per_number: 2,
            ..LimitSettings::off()
        });
        let number = phone("2125550123");
        limiter.admit(&number, IP, Channel::Sms).await.unwrap();
        limiter.admit(&number, IP, Channel::Sms).await.unwrap();
        let refused = limiter.admit(&number, IP, Channel::Sms).await.unwrap_err();
        let (limit, wait) = rate_limited(refused);
        assert_eq!(limit, Limit::SendsPerNumber);
        assert!((1..=600).contains(&wait));
        clock.advance(Duration::from_secs(wait));
        assert!(limiter.admit(&number, IP, Channel::Sms).await.is_ok());
    }

    #[tokio::test]
    async fn premium_and_shared_cost_numbers_are_refused_and_voip_when_asked() {
        let (limiter, _) = limiter(LimitSettings::off());
        let premium = phone("+1 900 234 5678");
        assert!(matches!(
            limiter.admit(&premium, IP, Channel::Sms).await.unwrap_err(),
            LimitError::NumberNotAllowed {
                kind: NumberKind::PremiumRate
            }
        ));
        let shared = phone("+34 901 12 34 56");
        assert!(matches!(
            limiter.admit(&shared, IP, Channel::Sms).await.unwrap_err(),
            LimitError::NumberNotAllowed {
                kind: NumberKind::SharedCost
            }
        ));
        let voip = phone("+44 56 1234 5678");
        assert!(limiter.admit(&voip, IP, Channel::Sms).await.is_ok());
        let (strict, _) = self::limiter(LimitSettings {
            block_voip: true,
            ..LimitSettings::off()
        });
        assert!(matches!(
            strict.admit(&voip, IP, Channel::Sms).await.unwrap_err(),
            LimitError::NumberNotAllowed {
                kind: NumberKind::Voip
            }
        ));
    }

    #[tokio::test]
    async fn only_allowed_countries_get_codes() {
        let (limiter, _) = limiter(LimitSettings {
            allowed_countries: AllowedCountries::Only(vec!["US".into(), "CA".into()]),
            ..LimitSettings::off()
        });
        assert!(limiter
            .admit(&phone("2125550123"), IP, Channel::Sms)
            .await
            .is_ok());
        let refused = limiter
            .admit(&phone("+44 7400 123456"), IP, Channel::Sms)
            .await
            .unwrap_err();
        assert!(
            matches!(&refused, LimitError::CountryNotAllowed { region } if region == "GB"),
            "{refused:?}"
        );
    }

    #[tokio::test]
    async fn consecutive_failures_lock_the_number_even_for_the_right_code() {
        let (limiter, clock) = limiter(LimitSettings {
            max_consecutive_failures: 3,
            lockout: Duration::from_secs(3600),
            ..LimitSettings::off()
        });
        let number = phone("2125550123");
        for _ in 0..3 {
            let guess = limiter.count_guess(&number).await.unwrap();
            limiter.wrong_guess(&number, guess).await.unwrap();
        }
        let (limit, wait) = rate_limited(limiter.count_guess(&number).await.unwrap_err());
        assert_eq!((limit, wait), (Limit::ConsecutiveFailures, 3600));
        assert!(
            limiter.count_guess(&phone("2125550124")).await.is_ok(),
            "per number"
        );
        clock.advance(Duration::from_secs(3600));
        let guess = limiter.count_guess(&number).await.unwrap();
        assert_eq!(guess.count, 1, "a fresh start after the lockout");
    }

    #[tokio::test]
    async fn only_a_success_resets_the_failures() {
        let (limiter, clock) = limiter(LimitSettings {
            max_consecutive_failures: 3,
            ..LimitSettings::off()
        });
        let number = phone("2125550123");
        for _ in 0..2 {
            let guess = limiter.count_guess(&number).await.unwrap();
            limiter.wrong_guess(&number, guess).await.unwrap();
        }
        // Time alone forgives nothing.
        clock.advance(Duration::from_secs(7 * 24 * 3600));
        limiter.count_guess(&number).await.unwrap();
        limiter
            .right_guess(&number, clock.now(), Channel::Sms)
            .await
            .unwrap();
        for _ in 0..3 {
            let guess = limiter.count_guess(&number).await.unwrap();
            limiter.wrong_guess(&number, guess).await.unwrap();
        }
        assert!(limiter.count_guess(&number).await.is_err());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_burst_of_guesses_never_exceeds_the_cap() {
        let (limiter, _) = limiter(LimitSettings {
            max_consecutive_failures: 20,
            ..LimitSettings::off()
        });
        let limiter = Arc::new(limiter);
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move { limiter.count_guess(&phone("2125550123")).await.is_ok() })
            })
            .collect();
        let mut admitted = 0;
        for task in tasks {
            admitted += task.await.unwrap() as usize;
        }
        assert_eq!(admitted, 20);
    }

    #[tokio::test]
    async fn ipv6_clients_count_per_64_and_mapped_ipv4_as_ipv4() {
        let (limiter, _) = limiter(LimitSettings {
            sends_per_ip: 1,
            ..LimitSettings::off()
        });
        let first: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let same_home: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other_home: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        limiter
            .admit(&phone("2125550123"), first, Channel::Sms)
            .await
            .unwrap();
        let refused = limiter
            .admit(&phone("2125550124"), same_home, Channel::Sms)
            .await
            .unwrap_err();
        assert_eq!(rate_limited(refused).0, Limit::SendsPerIp);
        limiter
            .admit(&phone("2125550125"), other_home, Channel::Sms)
            .await
            .unwrap();

        let v4: IpAddr = "198.51.100.7".parse().unwrap();
        let mapped: IpAddr = "::ffff:198.51.100.7".parse().unwrap();
        limiter
            .admit(&phone("2125550126"), v4, Channel::Sms)
            .await
            .unwrap();
        let refused = limiter
            .admit(&phone("2125550127"), mapped, Channel::Sms)
            .await
            .unwrap_err();
        assert_eq!(rate_limited(refused).0, Limit::SendsPerIp);
    }

    #[tokio::test]
    async fn daily_caps_hold_across_hours() {
        let (limiter, clock) = limiter(LimitSettings {
            sends_per_day: 2,
            sends_per_country_per_day: 0,
            ..LimitSettings::off()
        });
        limiter
            .admit(&phone("2125550123"), IP, Channel::Sms)
            .await
            .unwrap();
        clock.advance(Duration::from_secs(3600));
        limiter
            .admit(&phone("2125550124"), IP, Channel::Sms)
            .await
            .unwrap();
        clock.advance(Duration::from_secs(3600));
        let refused = limiter
            .admit(&phone("2125550125"), IP, Channel::Sms)
            .await
            .unwrap_err();
        assert_eq!(rate_limited(refused).0, Limit::SendsPerDay);

        let (per_country, _) = self::limiter(LimitSettings {
            sends_per_country_per_day: 1,
            ..LimitSettings::off()
        });
        per_country
            .admit(&phone("2125550123"), IP, Channel::Sms)
            .await
            .unwrap();
        let refused = per_country
            .admit(&phone("+1 416 555 0123"), IP, Channel::Sms)
            .await;
        assert!(refused.is_ok(), "Canada is another country");
        let refused = per_country
            .admit(&phone("2125550124"), IP, Channel::Sms)
            .await
            .unwrap_err();
        assert_eq!(rate_limited(refused).0, Limit::SendsPerCountryPerDay);
    }

    fn guarded() -> LimitSettings {
        LimitSettings {
            conversion: ConversionGuard {
                min_sends: 20,
                min_ratio: 0.2,
                settle: Duration::from_secs(300),
            },
            ..LimitSettings::off()
        }
    }

    /// Sends `count` codes to US numbers now, verifying `verified` of them.
    async fn send(limiter: &Limiter, clock: &ManualClock, count: u64, verified: u64) {
        for n in 0..count {
            let number = phone(&format!("+1212555{:04}", 1000 + n));
            limiter.admit(&number, IP, Channel::Sms).await.unwrap();
            limiter.record_sent(&number, Channel::Sms).await.unwrap();
            if n < verified {
                limiter
                    .right_guess(&number, clock.now(), Channel::Sms)
                    .await
                    .unwrap();
            }
        }
    }

    #[tokio::test]
    async fn the_conversion_guard_pauses_a_country_nobody_verifies_in() {
        let (limiter, clock) = limiter(guarded());
        send(&limiter, &clock, 25, 2).await;
        // Still settling: people may be typing.
        assert!(limiter
            .admit(&phone("2125559999"), IP, Channel::Sms)
            .await
            .is_ok());
        clock.advance(Duration::from_secs(360));
        let (limit, wait) = rate_limited(
            limiter
                .admit(&phone("2125559998"), IP, Channel::Sms)
                .await
                .unwrap_err(),
        );
        assert_eq!((limit, wait), (Limit::ConversionGuard, 3600));
        assert!(
            limiter
                .admit(&phone("+44 7400 123456"), IP, Channel::Sms)
                .await
                .is_ok(),
            "other countries go on"
        );
        clock.advance(Duration::from_secs(3600));
        assert!(
            limiter
                .admit(&phone("2125559997"), IP, Channel::Sms)
                .await
                .is_ok(),
            "the pause ends"
        );
    }

    #[tokio::test]
    async fn real_users_who_verify_never_trip_the_guard() {
        let (limiter, clock) = limiter(guarded());
        send(&limiter, &clock, 40, 30).await;
        clock.advance(Duration::from_secs(360));
        assert!(limiter
            .admit(&phone("2125559999"), IP, Channel::Sms)
            .await
            .is_ok());
        let (off, clock) = self::limiter(LimitSettings::off());
        send(&off, &clock, 40, 0).await;
        clock.advance(Duration::from_secs(360));
        assert!(
            off.admit(&phone("2125559999"), IP, Channel::Sms)
                .await
                .is_ok(),
            "0 turns it off"
        );
    }

    #[tokio::test]
    async fn calls_have_their_own_caps_cooldown_and_guard() {
        let (limiter, clock) = limiter(LimitSettings {
            resend_cooldown: Duration::from_secs(30),
            calls: CallCaps {
                per_number: 2,
                per_ip_per_hour: 4,
                per_country_per_hour: 100,
            },
            ..guarded()
        });
        let number = phone("2125550123");
        limiter.admit(&number, IP, Channel::Sms).await.unwrap();
        // An SMS was just sent: a call is still allowed (its own cooldown).
        limiter.admit(&number, IP, Channel::Voice).await.unwrap();
        let (limit, _) = rate_limited(
            limiter
                .admit(&number, IP, Channel::Voice)
                .await
                .unwrap_err(),
        );
        assert_eq!(limit, Limit::ResendCooldown);
        clock.advance(Duration::from_secs(31));
        limiter.admit(&number, IP, Channel::Voice).await.unwrap();
        clock.advance(Duration::from_secs(31));
        let (limit, _) = rate_limited(
            limiter
                .admit(&number, IP, Channel::Voice)
                .await
                .unwrap_err(),
        );
        assert_eq!(limit, Limit::CallsPerNumber);
        let (limit, _) = rate_limited(
            limiter
                .admit(&phone("2125550199"), IP, Channel::Voice)
                .await
                .unwrap_err(),
        );
        assert_eq!(
            limit,
            Limit::CallsPerIp,
            "4 call requests an hour from one address"
        );
        let premium = phone("+1 900 234 5678");
        assert!(matches!(
            limiter
                .admit(&premium, "10.0.0.9".parse().unwrap(), Channel::Voice)
                .await,
            Err(LimitError::NumberNotAllowed { .. })
        ));

        // Unverified calls pause calls to the country, not its SMS.
        let (limiter, clock) = self::limiter(guarded());
        for n in 0..25 {
            let number = phone(&format!("+1212555{:04}", 2000 + n));
            limiter.admit(&number, IP, Channel::Voice).await.unwrap();
            limiter.record_sent(&number, Channel::Voice).await.unwrap();
        }
        clock.advance(Duration::from_secs(360));
        let (limit, _) = rate_limited(
            limiter
                .admit(&phone("2125559998"), IP, Channel::Voice)
                .await
                .unwrap_err(),
        );
        assert_eq!(limit, Limit::ConversionGuard);
        assert!(limiter
            .admit(&phone("2125559998"), IP, Channel::Sms)
            .await
            .is_ok());
    }
}
