//! The verifier: binding codes to numbers, expiry, the attempt cap, single use, and never
//! leaving a usable code behind when the SMS could not be sent.

use super::VerifyError;
use crate::{
    delivery_status::DeliveryStatus,
    server::{
        config::{CodeConfig, Config},
        domain::{clock::Clock, code::CodePolicy, code_hash::CodeHasher, phone::PhoneNumber},
        limits::Limiter,
        sms::{message::MessageTemplate, SendError, SmsSender},
        store::{CodeStore, NewCode},
    },
};
use std::{net::IpAddr, sync::Arc, time::Duration};

/// A code was stored for `phone` and handed to the SMS provider.
#[derive(Debug, Clone)]
pub struct CodeSent {
    pub phone: PhoneNumber,
    /// How long the code stays valid.
    pub expires_in: Duration,
}

pub struct Verifier {
    codes: CodeConfig,
    message: MessageTemplate,
    store: Arc<dyn CodeStore>,
    sender: SmsSender,
    hasher: CodeHasher,
    clock: Arc<dyn Clock>,
    limiter: Arc<Limiter>,
}

impl Verifier {
    /// A verifier following `config`'s code and message settings.
    pub fn new(
        config: &Config,
        store: Arc<dyn CodeStore>,
        sender: SmsSender,
        hasher: CodeHasher,
        clock: Arc<dyn Clock>,
        limiter: Arc<Limiter>,
    ) -> Self {
        Self {
            codes: config.codes,
            message: config.sms.message.clone(),
            store,
            sender,
            hasher,
            clock,
            limiter,
        }
    }

    /// The rules codes follow.
    pub fn policy(&self) -> CodePolicy {
        self.codes.policy
    }

    /// Stores a fresh code for `raw_phone` (the previous one stops working) and texts it,
    /// if the limits allow a code for this number from `client`.
    pub async fn request_code(
        &self,
        raw_phone: &str,
        client: IpAddr,
    ) -> Result<CodeSent, VerifyError> {
        let phone = PhoneNumber::parse(raw_phone, self.codes.region)?;
        self.limiter.admit_send(&phone, client).await?;
        let code = self.codes.policy.spec.generate(&mut rand::rng());
        let now = self.clock.now();
        let id = self
            .store
            .replace(NewCode {
                phone: phone.clone(),
                digest: self.hasher.digest(&phone, &code),
                created_at: now,
                expires_at: now + self.codes.policy.ttl.as_millis() as i64,
            })
            .await?;

        let text = self.message.render(&code, self.codes.policy.ttl);
        match self.sender.send(&phone, &text).await {
            Ok(message) => {
                tracing::info!(phone = %phone, message_id = %message.0, "code sent");
                if let Err(error) = self.store.attach_message(id, &message.0).await {
                    // The SMS went out and the code works: only its status won't be followed.
                    tracing::warn!(phone = %phone, %error, "could not record the message id");
                }
                Ok(CodeSent {
                    phone,
                    expires_in: self.codes.policy.ttl,
                })
            }
            Err(error) => {
                // The person never got this code: it must not stay usable.
                if let Err(store_error) = self.store.discard(id).await {
                    tracing::error!(phone = %phone, error = %store_error, "could not discard an unsent code");
                }
                // Nothing arrived, so asking again at once is fair.
                if let Err(store_error) = self.limiter.end_cooldown(&phone).await {
                    tracing::warn!(phone = %phone, error = %store_error, "could not end the resend cooldown");
                }
                match &error {
                    SendError::Misconfigured { .. } => {
                        tracing::error!(phone = %phone, %error, "SMS provider refused our configuration: check TELNYX_API_KEY, TELNYX_FROM_NUMBER and TELNYX_MESSAGING_PROFILE_ID")
                    }
                    _ => tracing::warn!(phone = %phone, %error, "code not sent"),
                }
                Err(VerifyError::NotSent {
                    error,
                    sender: self.sender.sender_id().map(str::to_string),
                })
            }
        }
    }

    /// The delivery status of the code pending for `raw_phone`, if there is one.
    pub async fn delivery_status(
        &self,
        raw_phone: &str,
    ) -> Result<Option<DeliveryStatus>, VerifyError> {
        let phone = PhoneNumber::parse(raw_phone, self.codes.region)?;
        Ok(self.store.delivery_status(&phone).await?)
    }

    /// Checks `raw_code` against the code pending for `raw_phone`, consuming it on
    /// success; returns the verified number.
    pub async fn verify_code(
        &self,
        raw_phone: &str,
        raw_code: &str,
        client: IpAddr,
    ) -> Result<PhoneNumber, VerifyError> {
        let phone = PhoneNumber::parse(raw_phone, self.codes.region)?;
        self.limiter.admit_verify(&phone, client).await?;
        let code = self.codes.policy.spec.parse(raw_code)?;
        let max = self.codes.policy.max_attempts;

        // The attempt is counted before the comparison, so concurrent guesses can't
        // exceed the cap.
        let Some(attempt) = self.store.count_attempt(&phone).await? else {
            return Err(VerifyError::NoPendingCode);
        };
        let now = self.clock.now();
        if now >= attempt.expires_at {
            tracing::info!(phone = %phone, "expired code");
            return Err(VerifyError::Expired);
        }
        if attempt.attempts > max {
            tracing::info!(phone = %phone, "code locked after too many attempts");
            return Err(VerifyError::TooManyAttempts);
        }
        if !self.hasher.matches(&phone, &code, &attempt.digest) {
            let attempts_left = max - attempt.attempts;
            tracing::info!(phone = %phone, attempts_left, "wrong code");
            self.limiter.record_failed_verify(&phone).await?;
            return Err(VerifyError::WrongCode { attempts_left });
        }
        if !self.store.consume(attempt.id, now).await? {
            // Another request consumed it first.
            return Err(VerifyError::AlreadyUsed);
        }
        tracing::info!(phone = %phone, "number verified");
        Ok(phone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::{
        config::{Config, LIMITS_OFF},
        domain::clock::ManualClock,
        services::Services,
        sms::outbox::Outbox,
    };

    const PHONE: &str = "(212) 555-0123";
    const IP: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    struct Harness {
        verifier: Arc<Verifier>,
        outbox: Arc<Outbox>,
        clock: ManualClock,
    }

    /// The service graph as the app builds it: in memory, SMS to the dev outbox, limits off.
    async fn harness(alphabet: &str, length: usize) -> Harness {
        let length = length.to_string();
        let secret = "ab".repeat(32);
        let settings = [
            ("DATABASE_URL", "memory:"),
            ("SECRET_KEY", &secret),
            ("CODE_ALPHABET", alphabet),
            ("CODE_LENGTH", &length),
            ("CODE_MAX_ATTEMPTS", "5"),
        ];
        let env = settings
            .into_iter()
            .chain(LIMITS_OFF)
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect();
        let config = Config::from_env(env).unwrap();
        let clock = ManualClock::starting_at(1_700_000_000_000);
        let services = Services::build(&config, Arc::new(clock.clone()))
            .await
            .unwrap();
        Harness {
            verifier: services.verifier().clone(),
            outbox: services.outbox().cloned().unwrap(),
            clock,
        }
    }

    impl Harness {
        /// The code from the newest message in the outbox.
        fn last_code(&self) -> String {
            let text = self.outbox.messages()[0].text.clone();
            text.split_whitespace()
                .nth(4)
                .unwrap()
                .trim_end_matches('.')
                .to_string()
        }

        async fn request(&self) -> String {
            self.verifier.request_code(PHONE, IP).await.unwrap();
            self.last_code()
        }

        async fn verify(&self, code: &str) -> Result<PhoneNumber, VerifyError> {
            self.verifier.verify_code(PHONE, code, IP).await
        }
    }

    fn wrong(code: &str) -> String {
        code.chars()
            .map(|c| if c == '0' { '1' } else { '0' })
            .collect()
    }

    #[tokio::test]
    async fn the_right_code_verifies_once() {
        let h = harness("numeric", 6).await;
        let code = h.request().await;
        let verified = h.verify(&code).await.unwrap();
        assert_eq!(verified.as_e164(), "+12125550123");
        let again = h.verify(&code).await.unwrap_err();
        assert!(matches!(again, VerifyError::NoPendingCode), "{again:?}");
    }

    #[tokio::test]
    async fn a_code_is_bound_to_its_number() {
        let h = harness("numeric", 6).await;
        let other = "212 555 0124";
        let code = h.request().await;
        let error = h.verifier.verify_code(other, &code, IP).await.unwrap_err();
        assert!(matches!(error, VerifyError::NoPendingCode), "{error:?}");

        h.verifier.request_code(other, IP).await.unwrap();
        if h.last_code() != code {
            let error = h.verifier.verify_code(other, &code, IP).await.unwrap_err();
            assert!(matches!(error, VerifyError::WrongCode { .. }), "{error:?}");
        }
        assert!(
            h.verify(&code).await.is_ok(),
            "the first number's code still works"
        );
    }

    #[tokio::test]
    async fn codes_expire() {
        let h = harness("numeric", 6).await;
        let code = h.request().await;
        h.clock.advance(Duration::from_secs(600));
        assert!(matches!(
            h.verify(&code).await.unwrap_err(),
            VerifyError::Expired
        ));
    }

    #[tokio::test]
    async fn a_code_is_still_good_just_before_it_expires() {
        let h = harness("numeric", 6).await;
        let code = h.request().await;
        h.clock.advance(Duration::from_secs(599));
        assert!(h.verify(&code).await.is_ok());
    }

    #[tokio::test]
    async fn five_wrong_attempts_kill_the_code() {
        let h = harness("numeric", 6).await;
        let code = h.request().await;
        for left in (0..5).rev() {
            let error = h.verify(&wrong(&code)).await.unwrap_err();
            assert!(
                matches!(error, VerifyError::WrongCode { attempts_left } if attempts_left == left),
                "{error:?}"
            );
        }
        let error = h.verify(&code).await.unwrap_err();
        assert!(
            matches!(error, VerifyError::TooManyAttempts),
            "even the right code: {error:?}"
        );
    }

    #[tokio::test]
    async fn the_right_code_still_works_on_the_last_attempt() {
        let h = harness("numeric", 6).await;
        let code = h.request().await;
        for _ in 0..4 {
            h.verify(&wrong(&code)).await.unwrap_err();
        }
        assert!(h.verify(&code).await.is_ok());
    }

    #[tokio::test]
    async fn a_new_code_invalidates_the_old_one() {
        let h = harness("numeric", 6).await;
        let old = h.request().await;
        let new = h.request().await;
        if old != new {
            assert!(matches!(
                h.verify(&old).await.unwrap_err(),
                VerifyError::WrongCode { .. }
            ));
        }
        assert!(h.verify(&new).await.is_ok());
    }

    #[tokio::test]
    async fn a_new_code_resets_the_attempt_count() {
        let h = harness("numeric", 6).await;
        let old = h.request().await;
        for _ in 0..5 {
            h.verify(&wrong(&old)).await.unwrap_err();
        }
        let new = h.request().await;
        assert!(h.verify(&new).await.is_ok());
    }

    #[tokio::test]
    async fn no_code_requested_says_so() {
        let h = harness("numeric", 6).await;
        assert!(matches!(
            h.verify("123456").await.unwrap_err(),
            VerifyError::NoPendingCode
        ));
    }

    #[tokio::test]
    async fn malformed_codes_are_refused_without_counting_an_attempt() {
        let h = harness("numeric", 6).await;
        let code = h.request().await;
        for _ in 0..10 {
            assert!(matches!(
                h.verify("12ab").await.unwrap_err(),
                VerifyError::InvalidCode(_)
            ));
        }
        assert!(h.verify(&format!("  {code} ")).await.is_ok());
    }

    #[tokio::test]
    async fn hex_codes_are_checked_case_insensitively() {
        let h = harness("hex", 5).await;
        let code = h.request().await;
        assert_eq!(code.len(), 5);
        assert!(h.verify(&code.to_ascii_lowercase()).await.is_ok());
    }

    #[tokio::test]
    async fn invalid_numbers_are_refused_and_nothing_is_sent() {
        let h = harness("numeric", 6).await;
        let error = h.verifier.request_code("12", IP).await.unwrap_err();
        assert!(matches!(error, VerifyError::InvalidPhone(_)), "{error:?}");
        assert!(h.outbox.messages().is_empty());
    }

    #[tokio::test]
    async fn concurrent_correct_submissions_verify_exactly_once() {
        let h = harness("numeric", 6).await;
        let code = h.request().await;
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let verifier = h.verifier.clone();
                let code = code.clone();
                tokio::spawn(async move { verifier.verify_code(PHONE, &code, IP).await })
            })
            .collect();
        let mut successes = 0;
        for task in tasks {
            successes += task.await.unwrap().is_ok() as usize;
        }
        assert_eq!(successes, 1);
    }
}
