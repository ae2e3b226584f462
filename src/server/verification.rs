//! The verification service: request a code for a number, check a code for a number.
//! All the rules live here: binding to the number, expiry, the attempt cap, single use,
//! and never leaving a usable code behind when the SMS could not be sent.

use super::{
    clock::Clock,
    code::{CodeError, CodeSpec},
    code_hash::CodeHasher,
    delivery::{DeliveryStatus, DeliveryTracker},
    limits::Limiter,
    phone::{PhoneError, PhoneNumber, Region},
    sms::{message::MessageTemplate, SmsSender},
    store::{CodeStore, NewCode, StoreError},
};
use crate::{
    api::{CodeFormat, CodeSent, Verified},
    error::{ApiError, ErrorKind},
};
use std::{net::IpAddr, sync::Arc, time::Duration};

/// The rules every code follows.
#[derive(Debug, Clone, Copy)]
pub struct CodePolicy {
    pub spec: CodeSpec,
    pub ttl: Duration,
    pub max_attempts: u32,
}

pub struct Verifier {
    pub policy: CodePolicy,
    pub region: Region,
    pub message: MessageTemplate,
    pub store: Arc<dyn CodeStore>,
    pub sender: SmsSender,
    pub hasher: CodeHasher,
    pub clock: Arc<dyn Clock>,
    pub limiter: Arc<Limiter>,
    pub delivery: Arc<DeliveryTracker>,
}

/// How long the dev outbox takes to "deliver" a message.
const OUTBOX_DELIVERY_DELAY: Duration = Duration::from_millis(1500);

impl Verifier {
    pub fn code_format(&self) -> CodeFormat {
        CodeFormat {
            length: self.policy.spec.length(),
            numeric: self.policy.spec.alphabet() == super::code::CodeAlphabet::Numeric,
        }
    }

    /// Stores a fresh code for `raw_phone` (the previous one stops working) and texts it,
    /// if the limits allow a code for this number from `client`.
    pub async fn request_code(
        &self,
        raw_phone: &str,
        client: IpAddr,
    ) -> Result<CodeSent, ApiError> {
        let phone = PhoneNumber::parse(raw_phone, self.region)?;
        self.limiter.admit_send(&phone, client).await?;
        let code = self.policy.spec.generate(&mut rand::rng());
        let now = self.clock.now();
        let id = self
            .store
            .replace(NewCode {
                phone: phone.as_e164().to_string(),
                digest: self.hasher.digest(&phone, &code),
                created_at: now,
                expires_at: now + self.policy.ttl.as_millis() as i64,
            })
            .await?;

        let text = self.message.render(&code, self.policy.ttl);
        match self.sender.send(&phone, &text).await {
            Ok(message) => {
                tracing::info!(phone = %phone, message_id = %message.0, "code sent");
                if let Err(error) = self.store.attach_message(id, &message.0).await {
                    // The SMS went out and the code works: only its status won't be followed.
                    tracing::warn!(phone = %phone, %error, "could not record the message id");
                }
                if matches!(self.sender, SmsSender::Outbox(_)) {
                    // Nothing reports on outbox messages: simulate the delivery report,
                    // through the same code path as Telnyx's webhooks.
                    let delivery = self.delivery.clone();
                    tokio::spawn(async move {
                        tokio::time::sleep(OUTBOX_DELIVERY_DELAY).await;
                        if let Err(error) =
                            delivery.record(&message.0, DeliveryStatus::Delivered).await
                        {
                            tracing::warn!(%error, "could not record a simulated delivery");
                        }
                    });
                }
                Ok(CodeSent {
                    phone: phone.as_e164().to_string(),
                    masked_phone: phone.masked(),
                    expires_in_seconds: self.policy.ttl.as_secs(),
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
                    super::sms::SendError::Misconfigured { .. } => {
                        tracing::error!(phone = %phone, %error, "SMS provider refused our configuration: check TELNYX_API_KEY, TELNYX_FROM_NUMBER and TELNYX_MESSAGING_PROFILE_ID")
                    }
                    _ => tracing::warn!(phone = %phone, %error, "code not sent"),
                }
                let opted_out = error == super::sms::SendError::OptedOut;
                let mut refusal = ApiError::from(error);
                if let (true, Some(from)) = (opted_out, self.sender.sender_id()) {
                    refusal.message = format!(
                        "This number has opted out of our text messages. Text START to {from} to receive codes again, then try again."
                    );
                }
                Err(refusal)
            }
        }
    }

    /// The delivery status of the code pending for `raw_phone`, if there is one.
    pub async fn delivery_status(
        &self,
        raw_phone: &str,
    ) -> Result<Option<DeliveryStatus>, ApiError> {
        let phone = PhoneNumber::parse(raw_phone, self.region)?;
        let status = self.store.delivery_status(phone.as_e164()).await?;
        Ok(status.as_deref().and_then(DeliveryStatus::parse))
    }

    /// Checks `raw_code` against the code pending for `raw_phone`, consuming it on success.
    pub async fn verify_code(
        &self,
        raw_phone: &str,
        raw_code: &str,
        client: IpAddr,
    ) -> Result<Verified, ApiError> {
        let phone = PhoneNumber::parse(raw_phone, self.region)?;
        self.limiter.admit_verify(&phone, client).await?;
        let code = self.policy.spec.parse(raw_code)?;
        let max = self.policy.max_attempts;

        // The attempt is counted before the comparison, so concurrent guesses can't
        // exceed the cap.
        let Some(attempt) = self.store.count_attempt(phone.as_e164()).await? else {
            return Err(ApiError::new(
                ErrorKind::NoPendingCode,
                "There is no code waiting for this number. Request a new code.",
            ));
        };
        let now = self.clock.now();
        if now >= attempt.expires_at {
            tracing::info!(phone = %phone, "expired code");
            return Err(ApiError::new(
                ErrorKind::CodeExpired,
                "This code has expired. Request a new code.",
            ));
        }
        if attempt.attempts > max {
            tracing::info!(phone = %phone, "code locked after too many attempts");
            return Err(ApiError::new(
                ErrorKind::TooManyAttempts,
                "Too many wrong attempts for this code. Request a new code.",
            ));
        }
        if !self.hasher.matches(&phone, &code, &attempt.digest) {
            let left = max - attempt.attempts;
            tracing::info!(phone = %phone, attempts_left = left, "wrong code");
            self.limiter.record_failed_verify(&phone).await?;
            let message = match left {
                0 => "That code is not right, and that was the last try. Request a new code."
                    .to_string(),
                1 => "That code is not right. 1 attempt left.".to_string(),
                n => format!("That code is not right. {n} attempts left."),
            };
            return Err(ApiError::new(ErrorKind::WrongCode, message).with_attempts_left(left));
        }
        if !self.store.consume(attempt.id, now).await? {
            // Another request consumed it first.
            return Err(ApiError::new(
                ErrorKind::NoPendingCode,
                "This code was already used. Request a new code.",
            ));
        }
        tracing::info!(phone = %phone, "number verified");
        Ok(Verified {
            phone: phone.as_e164().to_string(),
            masked_phone: phone.masked(),
        })
    }
}

impl From<PhoneError> for ApiError {
    fn from(error: PhoneError) -> Self {
        ApiError::new(ErrorKind::InvalidPhone, error.to_string())
    }
}

impl From<CodeError> for ApiError {
    fn from(error: CodeError) -> Self {
        ApiError::new(ErrorKind::InvalidCode, error.to_string())
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        tracing::error!(%error, "code store failed");
        ApiError::new(
            ErrorKind::StoreUnavailable,
            "We can't check codes right now. Please try again in a moment.",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::{
        clock::ManualClock, code::CodeAlphabet, limits::LimitSettings,
        settings::DEFAULT_SMS_TEMPLATE, sms::outbox::Outbox, store::MemoryStore,
    };

    const PHONE: &str = "(212) 555-0123";
    const IP: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    struct Harness {
        verifier: Arc<Verifier>,
        outbox: Arc<Outbox>,
        clock: ManualClock,
    }

    fn harness(alphabet: CodeAlphabet, length: usize) -> Harness {
        let outbox = Arc::new(Outbox::new());
        let clock = ManualClock::starting_at(1_700_000_000_000);
        let store = Arc::new(MemoryStore::new());
        let limiter = Arc::new(Limiter {
            settings: LimitSettings::off(),
            store: store.clone(),
            clock: Arc::new(clock.clone()),
        });
        let verifier = Verifier {
            policy: CodePolicy {
                spec: CodeSpec::new(alphabet, length).unwrap(),
                ttl: Duration::from_secs(600),
                max_attempts: 5,
            },
            region: "US".parse().unwrap(),
            message: MessageTemplate::new(DEFAULT_SMS_TEMPLATE, "telnyx-2fa", None).unwrap(),
            store: store.clone(),
            sender: SmsSender::Outbox(outbox.clone()),
            hasher: CodeHasher::random(),
            clock: Arc::new(clock.clone()),
            limiter: limiter.clone(),
            delivery: Arc::new(DeliveryTracker {
                store: store.clone(),
                limiter,
                outbox: Some(outbox.clone()),
            }),
        };
        Harness {
            verifier: Arc::new(verifier),
            outbox,
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

        async fn verify(&self, code: &str) -> Result<Verified, ApiError> {
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
        let h = harness(CodeAlphabet::Numeric, 6);
        let code = h.request().await;
        let verified = h.verify(&code).await.unwrap();
        assert_eq!(verified.phone, "+12125550123");
        let again = h.verify(&code).await.unwrap_err();
        assert_eq!(again.error, ErrorKind::NoPendingCode);
    }

    #[tokio::test]
    async fn a_code_is_bound_to_its_number() {
        let h = harness(CodeAlphabet::Numeric, 6);
        let other = "212 555 0124";
        let code = h.request().await;
        let error = h.verifier.verify_code(other, &code, IP).await.unwrap_err();
        assert_eq!(error.error, ErrorKind::NoPendingCode);

        h.verifier.request_code(other, IP).await.unwrap();
        if h.last_code() != code {
            let error = h.verifier.verify_code(other, &code, IP).await.unwrap_err();
            assert_eq!(error.error, ErrorKind::WrongCode);
        }
        assert!(
            h.verify(&code).await.is_ok(),
            "the first number's code still works"
        );
    }

    #[tokio::test]
    async fn codes_expire() {
        let h = harness(CodeAlphabet::Numeric, 6);
        let code = h.request().await;
        h.clock.advance(Duration::from_secs(600));
        assert_eq!(
            h.verify(&code).await.unwrap_err().error,
            ErrorKind::CodeExpired
        );
    }

    #[tokio::test]
    async fn a_code_is_still_good_just_before_it_expires() {
        let h = harness(CodeAlphabet::Numeric, 6);
        let code = h.request().await;
        h.clock.advance(Duration::from_secs(599));
        assert!(h.verify(&code).await.is_ok());
    }

    #[tokio::test]
    async fn five_wrong_attempts_kill_the_code() {
        let h = harness(CodeAlphabet::Numeric, 6);
        let code = h.request().await;
        for left in (0..5).rev() {
            let error = h.verify(&wrong(&code)).await.unwrap_err();
            assert_eq!(error.error, ErrorKind::WrongCode);
            assert_eq!(error.attempts_left, Some(left));
        }
        let error = h.verify(&code).await.unwrap_err();
        assert_eq!(
            error.error,
            ErrorKind::TooManyAttempts,
            "even the right code"
        );
    }

    #[tokio::test]
    async fn the_right_code_still_works_on_the_last_attempt() {
        let h = harness(CodeAlphabet::Numeric, 6);
        let code = h.request().await;
        for _ in 0..4 {
            h.verify(&wrong(&code)).await.unwrap_err();
        }
        assert!(h.verify(&code).await.is_ok());
    }

    #[tokio::test]
    async fn a_new_code_invalidates_the_old_one() {
        let h = harness(CodeAlphabet::Numeric, 6);
        let old = h.request().await;
        let new = h.request().await;
        if old != new {
            assert_eq!(
                h.verify(&old).await.unwrap_err().error,
                ErrorKind::WrongCode
            );
        }
        assert!(h.verify(&new).await.is_ok());
    }

    #[tokio::test]
    async fn a_new_code_resets_the_attempt_count() {
        let h = harness(CodeAlphabet::Numeric, 6);
        let old = h.request().await;
        for _ in 0..5 {
            h.verify(&wrong(&old)).await.unwrap_err();
        }
        let new = h.request().await;
        assert!(h.verify(&new).await.is_ok());
    }

    #[tokio::test]
    async fn no_code_requested_says_so() {
        let h = harness(CodeAlphabet::Numeric, 6);
        assert_eq!(
            h.verify("123456").await.unwrap_err().error,
            ErrorKind::NoPendingCode
        );
    }

    #[tokio::test]
    async fn malformed_codes_are_refused_without_counting_an_attempt() {
        let h = harness(CodeAlphabet::Numeric, 6);
        let code = h.request().await;
        for _ in 0..10 {
            assert_eq!(
                h.verify("12ab").await.unwrap_err().error,
                ErrorKind::InvalidCode
            );
        }
        assert!(h.verify(&format!("  {code} ")).await.is_ok());
    }

    #[tokio::test]
    async fn hex_codes_are_checked_case_insensitively() {
        let h = harness(CodeAlphabet::Hex, 5);
        let code = h.request().await;
        assert_eq!(code.len(), 5);
        assert!(h.verify(&code.to_ascii_lowercase()).await.is_ok());
    }

    #[tokio::test]
    async fn invalid_numbers_are_refused_and_nothing_is_sent() {
        let h = harness(CodeAlphabet::Numeric, 6);
        let error = h.verifier.request_code("12", IP).await.unwrap_err();
        assert_eq!(error.error, ErrorKind::InvalidPhone);
        assert!(h.outbox.messages().is_empty());
    }

    #[tokio::test]
    async fn concurrent_correct_submissions_verify_exactly_once() {
        let h = harness(CodeAlphabet::Numeric, 6);
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
