//! The verifier: binding codes to numbers, expiry, the attempt cap, single use, and never
//! leaving a usable code behind when the SMS (or call) could not be sent.

use super::VerifyError;
use crate::locale::Locale;
use crate::{
    channel::Channel,
    delivery_status::DeliveryStatus,
    server::{
        activity::Activity,
        config::{CodeConfig, Config},
        domain::{
            clock::{Clock, Millis},
            code::CodePolicy,
            code_hash::CodeHasher,
            phone::{NumberKind, PhoneError, PhoneNumber},
            verification::VerificationId,
        },
        limits::Limiter,
        sms::{message::Messages, SendError, SmsSender},
        store::{CodeStore, NewCode, Pending, StoreError},
        voice::Voice,
    },
};
use std::{net::IpAddr, sync::Arc, time::Duration};

/// What a verification is waiting for.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub phone: PhoneNumber,
    /// Time left before the code expires (zero once it has).
    pub expires_in: Duration,
    pub delivery: DeliveryStatus,
    pub channel: Channel,
    /// When the page may offer a call instead: `None` with voice off, zero once the SMS
    /// failed or `VOICE_OFFER_AFTER_SECONDS` passed.
    pub voice_offer_in: Option<Duration>,
    /// When another SMS may be asked for (what is left of the resend cooldown).
    pub resend_in: Duration,
}

/// Someone asks for a code.
#[derive(Debug, Clone)]
pub struct CodeRequest<'a> {
    /// The number as typed; `None`: the number of the requester's own `verification`.
    pub phone: Option<&'a str>,
    pub verification: Option<VerificationId>,
    /// Who asks (the per-IP caps count it).
    pub client: IpAddr,
    /// `None`: SMS, or a call for a landline with `VOICE_FOR_LANDLINES`.
    pub channel: Option<Channel>,
    /// The language the code is given in (a call speaks it); `None`: the number's
    /// country's main language, else English.
    pub locale: Option<Locale>,
}

/// A code was stored for a verification and handed to the SMS provider.
#[derive(Debug, Clone)]
pub struct CodeSent {
    /// The verification the code belongs to (new, or the requester's own).
    pub verification: VerificationId,
    pub phone: PhoneNumber,
    /// How long the code stays valid.
    pub expires_in: Duration,
    /// How it went out.
    pub channel: Channel,
    /// When a call may be offered instead; `None` with voice off.
    pub voice_offer_in: Option<Duration>,
    /// When another SMS may be asked for.
    pub resend_in: Duration,
}

pub struct Verifier {
    codes: CodeConfig,
    messages: Messages,
    store: Arc<dyn CodeStore>,
    sender: SmsSender,
    hasher: CodeHasher,
    clock: Arc<dyn Clock>,
    limiter: Arc<Limiter>,
    activity: Arc<Activity>,
    voice: Option<Arc<Voice>>,
}

/// The services a verifier works with.
pub struct VerifierParts {
    pub store: Arc<dyn CodeStore>,
    pub sender: SmsSender,
    pub hasher: CodeHasher,
    pub clock: Arc<dyn Clock>,
    pub limiter: Arc<Limiter>,
    pub activity: Arc<Activity>,
    /// The voice channel, when `TELNYX_CONNECTION_ID` is set.
    pub voice: Option<Arc<Voice>>,
}

impl Verifier {
    /// A verifier following `config`'s code and message settings.
    pub fn new(config: &Config, parts: VerifierParts) -> Self {
        let VerifierParts {
            store,
            sender,
            hasher,
            clock,
            limiter,
            activity,
            voice,
        } = parts;
        Self {
            codes: config.codes,
            messages: config.sms.messages.clone(),
            store,
            sender,
            hasher,
            clock,
            limiter,
            activity,
            voice,
        }
    }

    /// The rules codes follow.
    pub fn policy(&self) -> CodePolicy {
        self.codes.policy
    }

    /// Sends a fresh code for the number asked for (or, without one, for the number of
    /// the requester's own verification) and stores it as that verification's only code,
    /// if the limits allow a code for this number by this channel from this client.
    /// Without a verification of its own, the requester gets a new one.
    ///
    /// The code is stored once the send's outcome is known: a definite refusal leaves the
    /// requester's earlier code working; an unknown outcome (timeout, 500, an unreadable
    /// answer) keeps the new code, which may still arrive.
    pub async fn request_code(&self, request: CodeRequest<'_>) -> Result<CodeSent, VerifyError> {
        let CodeRequest {
            phone: raw_phone,
            verification,
            client,
            channel,
            locale,
        } = request;
        let phone = match raw_phone.map(str::trim).filter(|raw| !raw.is_empty()) {
            Some(raw) => PhoneNumber::parse(raw, self.codes.region)
                .inspect_err(|_| self.activity.number_invalid())?,
            None => match &verification {
                Some(verification) => self.pending(verification).await?.phone,
                None => return Err(PhoneError::Empty.into()),
            },
        };
        let channel = channel.unwrap_or_else(|| match &self.voice {
            Some(voice) if voice.for_landlines() && phone.kind() == NumberKind::Landline => {
                Channel::Voice
            }
            _ => Channel::Sms,
        });
        if channel == Channel::Voice && self.voice.is_none() {
            return Err(VerifyError::VoiceUnavailable);
        }
        if let Err(error) = self.limiter.admit(&phone, client, channel).await {
            if let Some(rule) = error.rule() {
                self.activity.request_refused(&phone, rule);
            }
            return Err(error.into());
        }
        let verification = verification.unwrap_or_else(VerificationId::generate);
        let code = self.codes.policy.spec.generate(&mut rand::rng());
        let now = self.clock.now();
        let expires_at = now + self.codes.policy.ttl.as_millis() as Millis;
        let new_code = |message_id| NewCode {
            id: self.store.new_id(),
            verification: verification.clone(),
            phone: phone.clone(),
            digest: self.hasher.digest(&phone, &code),
            created_at: now,
            expires_at,
            message_id,
            channel,
        };
        // The page's language; for API clients without one, the number's country's.
        let locale = locale
            .or_else(|| Locale::of_country(phone.country()))
            .unwrap_or_default();
        let sent = match (&self.voice, channel) {
            (Some(voice), Channel::Voice) => voice.call(&phone, &code, locale, expires_at).await,
            _ => {
                let text = self
                    .messages
                    .for_locale(locale)
                    .render(&code, self.codes.policy.ttl);
                self.sender.send(&phone, &text).await
            }
        };
        match sent {
            Ok(message) => {
                tracing::info!(phone = %phone, message_id = %message.id, channel = channel.as_str(), "code sent");
                let code = new_code(Some(message.id.clone()));
                let record = self
                    .activity
                    .code_sent(&phone, code.id, &message.id, message.cost);
                self.keep_sent(code, record).await?;
                // An SMS just started its cooldown; a call leaves the SMS's as it was.
                let resend_in = match channel {
                    Channel::Sms => self.limiter.settings().resend_cooldown,
                    Channel::Voice => self.resend_wait(&phone).await,
                };
                Ok(CodeSent {
                    verification,
                    phone,
                    expires_in: self.codes.policy.ttl,
                    channel,
                    voice_offer_in: self.voice.as_ref().map(|voice| voice.offer_after()),
                    resend_in,
                })
            }
            Err(error) if error.outcome_unknown() => {
                tracing::warn!(phone = %phone, %error, channel = channel.as_str(), "code may not have been sent; it stays valid in case it arrives");
                let code = new_code(None);
                let record = self.activity.send_failed(
                    &phone,
                    error.status_and_code(),
                    error.to_string(),
                    Some(code.id),
                );
                self.keep_sent(code, record).await?;
                Err(self.not_sent(error, channel, Some(verification)))
            }
            Err(error) => {
                // Nothing arrived, so asking again at once is fair.
                if let Err(store_error) = self.limiter.end_cooldown(&phone, channel).await {
                    tracing::warn!(phone = %phone, error = %store_error, "could not end the resend cooldown");
                }
                match (&error, channel) {
                    (SendError::Misconfigured { .. }, Channel::Sms) => {
                        tracing::error!(phone = %phone, %error, "SMS provider refused our configuration: check TELNYX_API_KEY, TELNYX_FROM_NUMBER and TELNYX_MESSAGING_PROFILE_ID")
                    }
                    (SendError::Misconfigured { .. }, Channel::Voice) => {
                        tracing::error!(phone = %phone, %error, "Telnyx refused the call's configuration: check TELNYX_API_KEY, TELNYX_CONNECTION_ID and TELNYX_VOICE_FROM_NUMBER")
                    }
                    _ => {
                        tracing::warn!(phone = %phone, %error, channel = channel.as_str(), "code not sent")
                    }
                }
                self.activity
                    .send_failed(&phone, error.status_and_code(), error.to_string(), None)
                    .await;
                Err(self.not_sent(error, channel, None))
            }
        }
    }

    fn not_sent(
        &self,
        error: SendError,
        channel: Channel,
        verification: Option<VerificationId>,
    ) -> VerifyError {
        VerifyError::NotSent {
            error,
            channel,
            sender: self.sender.sender_id().map(str::to_string),
            verification,
        }
    }

    /// Stores a code that was sent (or may have been) while `record` writes the send's
    /// record (which names the code by the id chosen for it) and the send is counted for
    /// the conversion guard: independent writes, so they share a commit.
    async fn keep_sent(
        &self,
        code: NewCode,
        record: impl std::future::Future<Output = ()>,
    ) -> Result<(), StoreError> {
        let (phone, channel) = (code.phone.clone(), code.channel);
        let (stored, (), ()) = tokio::join!(
            self.store.replace(code),
            record,
            self.count_sent(&phone, channel)
        );
        stored.map(|_| ())
    }

    /// Counts a code sent to `phone` for the conversion guard (a failure is only logged:
    /// the code went out).
    async fn count_sent(&self, phone: &PhoneNumber, channel: Channel) {
        if let Err(error) = self.limiter.record_sent(phone, channel).await {
            tracing::warn!(%error, "could not count a sent code");
        }
    }

    /// What is left of `phone`'s SMS resend cooldown (none when the store can't say: the
    /// server refuses a resend that comes too early anyway).
    async fn resend_wait(&self, phone: &PhoneNumber) -> Duration {
        self.limiter
            .cooldown_left(phone, Channel::Sms)
            .await
            .unwrap_or_else(|error| {
                tracing::warn!(%error, "could not read the resend cooldown");
                Duration::ZERO
            })
    }

    /// The verification's pending code: its number, time left and delivery status.
    pub async fn pending(&self, verification: &VerificationId) -> Result<Waiting, VerifyError> {
        let Pending {
            phone,
            created_at,
            expires_at,
            delivery,
            channel,
        } = self
            .store
            .pending(verification)
            .await?
            .ok_or(VerifyError::NoPendingCode)?;
        let now = self.clock.now();
        let left = (expires_at - now).max(0);
        let voice_offer_in = self.voice.as_ref().map(|voice| {
            let offered_at = created_at + voice.offer_after().as_millis() as Millis;
            if delivery.is_failure() || now >= offered_at {
                Duration::ZERO
            } else {
                Duration::from_millis((offered_at - now) as u64)
            }
        });
        let resend_in = self.resend_wait(&phone).await;
        Ok(Waiting {
            resend_in,
            phone,
            expires_in: Duration::from_millis(left as u64),
            delivery,
            channel,
            voice_offer_in,
        })
    }

    /// Checks `raw_code` against the code pending for `verification`, consuming it on
    /// success; returns the verified number. A number given with it must be the
    /// verification's own.
    ///
    /// `also` is written in the commit that consumes a right code: the caller's own
    /// record of the verification (a session), one round trip to the store fewer than
    /// writing it after. It runs before the code is known to be this request's: when
    /// another request consumed it first, the answer is [`VerifyError::AlreadyUsed`] and
    /// undoing what `also` wrote is the caller's part.
    pub async fn verify_code<Also>(
        &self,
        verification: Option<&VerificationId>,
        raw_phone: Option<&str>,
        raw_code: &str,
        client: IpAddr,
        also: impl FnOnce(PhoneNumber) -> Also,
    ) -> Result<PhoneNumber, VerifyError>
    where
        Also: std::future::Future<Output = Result<(), StoreError>>,
    {
        let checked = self
            .check_code(verification, raw_phone, raw_code, client, also)
            .await;
        if let Err(error) = &checked {
            let rule = match error {
                VerifyError::Limited(limit) => limit.rule(),
                _ => None,
            };
            self.activity.checked(error.check_outcome(), rule);
        }
        checked
    }

    async fn check_code<Also>(
        &self,
        verification: Option<&VerificationId>,
        raw_phone: Option<&str>,
        raw_code: &str,
        client: IpAddr,
        also: impl FnOnce(PhoneNumber) -> Also,
    ) -> Result<PhoneNumber, VerifyError>
    where
        Also: std::future::Future<Output = Result<(), StoreError>>,
    {
        let claimed = raw_phone
            .map(str::trim)
            .filter(|raw| !raw.is_empty())
            .map(|raw| PhoneNumber::parse(raw, self.codes.region))
            .transpose()?;
        let code = self.codes.policy.spec.parse(raw_code);
        let max = self.codes.policy.max_attempts;
        // The attempt is counted before the comparison, so concurrent guesses can't
        // exceed the cap; and in the commit that counts the client's verifications (one
        // round trip, not two). A client past its cap compares nothing: its attempt is
        // given back.
        let (admitted, attempt) = tokio::join!(self.limiter.admit_verify(client), async {
            match (&code, verification) {
                (Ok(_), Some(verification)) => self.store.count_attempt(verification).await,
                _ => Ok(None),
            }
        });
        if let Err(refused) = admitted {
            if let Ok(Some(attempt)) = &attempt {
                // The refusal stands either way (as when nothing was counted).
                if let Err(error) = self.store.give_back_attempt(attempt.id).await {
                    tracing::warn!(%error, "could not give back the attempt of a refused verification");
                }
            }
            return Err(refused.into());
        }
        let code = code?;
        let Some(attempt) = attempt? else {
            return Err(VerifyError::NoPendingCode);
        };
        let phone = attempt.phone;
        if claimed.is_some_and(|claimed| claimed != phone) {
            return Err(VerifyError::NoPendingCode);
        }
        let now = self.clock.now();
        if now >= attempt.expires_at {
            tracing::info!(phone = %phone, "expired code");
            return Err(VerifyError::Expired);
        }
        if attempt.attempts > max {
            tracing::info!(phone = %phone, "code locked after too many attempts");
            return Err(VerifyError::TooManyAttempts);
        }
        // Counted against the number's failures in a row, also before the comparison.
        let guess = self.limiter.count_guess(&phone).await?;
        if !self.hasher.matches(&phone, &code, &attempt.digest) {
            let attempts_left = max - attempt.attempts;
            tracing::info!(phone = %phone, attempts_left, "wrong code");
            self.limiter.wrong_guess(&phone, guess).await?;
            return Err(VerifyError::WrongCode { attempts_left });
        }
        // The right code: it is consumed, and at once (one commit) its send is marked
        // verified, the number's failures and its country's conversion are counted, and
        // the caller's `also` is written. The counts hold even when another request
        // consumed it first: the code was received.
        let (consumed, (), counted, also) = tokio::join!(
            self.store.consume(attempt.id, now),
            self.activity.verified(attempt.id),
            self.limiter
                .right_guess(&phone, attempt.created_at, attempt.channel),
            also(phone.clone())
        );
        if !consumed? {
            // Another request consumed it first.
            return Err(VerifyError::AlreadyUsed);
        }
        counted?;
        also?;
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

    /// Nothing written with a right code besides its own records.
    fn no_more(_: PhoneNumber) -> std::future::Ready<Result<(), StoreError>> {
        std::future::ready(Ok(()))
    }

    struct Harness {
        verifier: Arc<Verifier>,
        outbox: Arc<Outbox>,
        clock: ManualClock,
        /// The test requester's verification, once it has one.
        verification: std::sync::Mutex<Option<VerificationId>>,
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
            verification: Default::default(),
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

        fn verification(&self) -> Option<VerificationId> {
            self.verification.lock().unwrap().clone()
        }

        async fn request(&self) -> String {
            let sent = self
                .verifier
                .request_code(request(Some(PHONE), self.verification()))
                .await
                .unwrap();
            *self.verification.lock().unwrap() = Some(sent.verification);
            self.last_code()
        }

        async fn verify(&self, code: &str) -> Result<PhoneNumber, VerifyError> {
            let verification = self.verification();
            self.verifier
                .verify_code(verification.as_ref(), Some(PHONE), code, IP, no_more)
                .await
        }
    }

    fn request(phone: Option<&str>, verification: Option<VerificationId>) -> CodeRequest<'_> {
        CodeRequest {
            phone,
            verification,
            client: IP,
            channel: None,
            locale: None,
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
    async fn a_code_is_bound_to_its_verification_and_number() {
        let h = harness("numeric", 6).await;
        let other = "212 555 0124";
        let code = h.request().await;
        let mine = h.verification().unwrap();
        let error = h
            .verifier
            .verify_code(Some(&mine), Some(other), &code, IP, no_more)
            .await
            .unwrap_err();
        assert!(matches!(error, VerifyError::NoPendingCode), "{error:?}");
        let error = h
            .verifier
            .verify_code(None, Some(PHONE), &code, IP, no_more)
            .await
            .unwrap_err();
        assert!(
            matches!(error, VerifyError::NoPendingCode),
            "no id: {error:?}"
        );

        // Another requester asks for a code for the same number: ours still works.
        let theirs = h
            .verifier
            .request_code(request(Some(PHONE), None))
            .await
            .unwrap()
            .verification;
        assert_ne!(theirs, mine);
        if h.last_code() != code {
            let error = h
                .verifier
                .verify_code(Some(&theirs), None, &code, IP, no_more)
                .await
                .unwrap_err();
            assert!(matches!(error, VerifyError::WrongCode { .. }), "{error:?}");
        }
        assert!(
            h.verify(&code).await.is_ok(),
            "the first requester's code still works"
        );
    }

    #[tokio::test]
    async fn a_new_code_can_be_asked_for_without_the_number() {
        let h = harness("numeric", 6).await;
        h.request().await;
        let mine = h.verification().unwrap();
        let sent = h
            .verifier
            .request_code(request(None, Some(mine.clone())))
            .await
            .unwrap();
        assert_eq!(sent.verification, mine);
        assert_eq!(sent.phone.as_e164(), "+12125550123");
        let code = h.last_code();
        assert!(h.verify(&code).await.is_ok());
        let error = h
            .verifier
            .request_code(request(None, None))
            .await
            .unwrap_err();
        assert!(matches!(error, VerifyError::InvalidPhone(_)), "{error:?}");
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
        let error = h
            .verifier
            .request_code(request(Some("12"), None))
            .await
            .unwrap_err();
        assert!(matches!(error, VerifyError::InvalidPhone(_)), "{error:?}");
        assert!(h.outbox.messages().is_empty());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_correct_submissions_verify_exactly_once() {
        let h = harness("numeric", 6).await;
        let code = h.request().await;
        let verification = h.verification();
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let verifier = h.verifier.clone();
                let code = code.clone();
                let verification = verification.clone();
                tokio::spawn(async move {
                    verifier
                        .verify_code(verification.as_ref(), None, &code, IP, no_more)
                        .await
                })
            })
            .collect();
        let mut successes = 0;
        for task in tasks {
            successes += task.await.unwrap().is_ok() as usize;
        }
        assert_eq!(successes, 1);
    }
}
