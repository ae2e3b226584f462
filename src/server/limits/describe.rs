//! The limits in force, as an operator reads them (the `/admin` dashboard): each setting's
//! name and value, `off` for a limit of 0; and the countries the conversion guard has
//! paused right now.

use super::{
    limiter::{pause_key, PAUSE_PREFIX},
    AllowedCountries, LimitSettings, Limiter,
};
use crate::server::{domain::clock::Millis, store::StoreError};

fn cap(value: u64) -> String {
    if value == 0 {
        "off".to_string()
    } else {
        value.to_string()
    }
}

impl LimitSettings {
    /// `(setting, value)` for every limit.
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        let seconds = |duration: std::time::Duration| format!("{} s", duration.as_secs());
        vec![
            ("LIMIT_WINDOW_SECONDS", seconds(self.window)),
            ("RESEND_COOLDOWN_SECONDS", seconds(self.resend_cooldown)),
            ("SENDS_PER_NUMBER", cap(self.sends_per_number)),
            ("SENDS_PER_IP", cap(self.sends_per_ip)),
            ("VERIFIES_PER_IP", cap(self.verifies_per_ip)),
            (
                "MAX_CONSECUTIVE_FAILURES",
                cap(self.max_consecutive_failures),
            ),
            ("LOCKOUT_SECONDS", seconds(self.lockout)),
            (
                "ALLOWED_COUNTRIES",
                match &self.allowed_countries {
                    AllowedCountries::All => "* (all)".to_string(),
                    AllowedCountries::Only(regions) => regions.join(", "),
                },
            ),
            (
                "SENDS_PER_COUNTRY_PER_HOUR",
                cap(self.sends_per_country_per_hour),
            ),
            (
                "SENDS_PER_COUNTRY_PER_DAY",
                cap(self.sends_per_country_per_day),
            ),
            ("SENDS_PER_HOUR", cap(self.sends_per_hour)),
            ("SENDS_PER_DAY", cap(self.sends_per_day)),
            ("BLOCK_VOIP", self.block_voip.to_string()),
            ("CONVERSION_MIN_SENDS", cap(self.conversion.min_sends)),
            (
                "CONVERSION_MIN_RATIO",
                self.conversion.min_ratio.to_string(),
            ),
            ("CONVERSION_SETTLE_SECONDS", seconds(self.conversion.settle)),
            ("IPV6_PREFIX_LENGTH", self.ipv6_prefix_length.to_string()),
            ("CALLS_PER_NUMBER", cap(self.calls.per_number)),
            ("CALLS_PER_IP_PER_HOUR", cap(self.calls.per_ip_per_hour)),
            (
                "CALLS_PER_COUNTRY_PER_HOUR",
                cap(self.calls.per_country_per_hour),
            ),
        ]
    }
}

impl Limiter {
    /// The countries whose sends the conversion guard has paused at `now`, with when each
    /// pause ends.
    pub async fn paused_countries(&self, now: Millis) -> Result<Vec<(String, Millis)>, StoreError> {
        let running = self.store().cooldowns(PAUSE_PREFIX, now).await?;
        Ok(running
            .into_iter()
            .filter_map(|(key, until)| {
                let country = key.strip_prefix(PAUSE_PREFIX)?.to_string();
                (pause_key(&country) == key).then_some((country, until))
            })
            .collect())
    }
}
