//! Status polling, rate-limited per verification in this process (a burst of 5, then one
//! a second), so pages polling a verification can't starve the database pool.

use super::errors;
use crate::{error::ApiError, server::domain::verification::VerificationId};
use governor::{clock::Clock, DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;

/// Verifications remembered before idle ones are dropped.
const REMEMBERED: usize = 10_000;

pub(crate) struct Polls {
    limiter: DefaultKeyedRateLimiter<String>,
}

impl Polls {
    pub(crate) fn new() -> Self {
        let quota = Quota::per_second(NonZeroU32::MIN)
            .allow_burst(NonZeroU32::new(5).unwrap_or(NonZeroU32::MIN));
        Self {
            limiter: DefaultKeyedRateLimiter::keyed(quota),
        }
    }

    /// Counts one poll of `verification`; refuses it when they come too fast.
    pub(crate) fn admit(&self, verification: &VerificationId) -> Result<(), ApiError> {
        if self.limiter.len() > REMEMBERED {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&verification.store_key())
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(self.limiter.clock().now());
                errors::polling_too_fast(wait.as_secs().max(1))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_polls_are_refused_per_verification() {
        let polls = Polls::new();
        let busy = VerificationId::generate();
        for _ in 0..5 {
            polls.admit(&busy).unwrap();
        }
        let refused = polls.admit(&busy).unwrap_err();
        assert_eq!(refused.status(), 429);
        assert!(refused.retry_after_seconds.is_some());
        assert!(
            polls.admit(&VerificationId::generate()).is_ok(),
            "per verification"
        );
    }
}
