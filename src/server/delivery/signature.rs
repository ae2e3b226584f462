//! Telnyx's webhook signatures: Ed25519 over `"{telnyx-timestamp}|{raw body}"`, checked
//! against `TELNYX_PUBLIC_KEY` before anything is parsed; stale or future timestamps
//! (over 300 s away) are refused.

use crate::server::domain::clock::Clock;
use base64::{engine::general_purpose::STANDARD, Engine};
use ed25519_dalek::{Signature, VerifyingKey};
use std::sync::Arc;

/// How far a signature's timestamp may be from now, as in Telnyx's SDKs.
pub const TOLERANCE_SECONDS: i64 = 300;

/// Checks webhook signatures with the account's public key.
#[derive(Clone)]
pub struct WebhookVerifier {
    key: VerifyingKey,
    clock: Arc<dyn Clock>,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("missing telnyx-timestamp or telnyx-signature-ed25519")]
    Missing,
    #[error("malformed signature headers")]
    Malformed,
    #[error("timestamp too far from now")]
    Stale,
    #[error("signature does not match")]
    Invalid,
}

impl WebhookVerifier {
    /// `public_key` is base64 of the 32-byte Ed25519 key from the Telnyx portal.
    pub fn new(public_key: &str, clock: Arc<dyn Clock>) -> Result<Self, String> {
        let bytes: [u8; 32] = STANDARD
            .decode(public_key.trim())
            .map_err(|_| "must be base64".to_string())?
            .try_into()
            .map_err(|_| "must be 32 bytes (base64 of an Ed25519 public key)".to_string())?;
        let key = VerifyingKey::from_bytes(&bytes)
            .map_err(|_| "not an Ed25519 public key".to_string())?;
        Ok(Self { key, clock })
    }

    /// Checks the `telnyx-timestamp` and `telnyx-signature-ed25519` header values (as
    /// text; unreadable ones as empty text) over the raw `body`.
    pub fn verify(
        &self,
        timestamp: Option<&str>,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<(), SignatureError> {
        let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
            return Err(SignatureError::Missing);
        };
        let (timestamp, signature) = (timestamp.trim(), signature.trim());
        let seconds: i64 = timestamp.parse().map_err(|_| SignatureError::Malformed)?;
        if (self.clock.now() / 1000).abs_diff(seconds) > TOLERANCE_SECONDS.unsigned_abs() {
            return Err(SignatureError::Stale);
        }
        let signature = STANDARD
            .decode(signature)
            .ok()
            .and_then(|bytes| Signature::from_slice(&bytes).ok())
            .ok_or(SignatureError::Malformed)?;
        let mut signed = Vec::with_capacity(timestamp.len() + 1 + body.len());
        signed.extend_from_slice(timestamp.as_bytes());
        signed.push(b'|');
        signed.extend_from_slice(body);
        self.key
            .verify_strict(&signed, &signature)
            .map_err(|_| SignatureError::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::domain::clock::ManualClock;
    use ed25519_dalek::{Signer, SigningKey};
    use http::{HeaderMap, HeaderValue};

    /// The check as the webhook handler calls it, from request headers.
    fn check(
        verifier: &WebhookVerifier,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(), SignatureError> {
        let header = |name| {
            headers
                .get(name)
                .map(|value: &HeaderValue| value.to_str().unwrap_or(""))
        };
        verifier.verify(
            header("telnyx-timestamp"),
            header("telnyx-signature-ed25519"),
            body,
        )
    }

    const NOW_SECONDS: i64 = 1_800_000_000;

    fn setup() -> (SigningKey, WebhookVerifier) {
        let signing = SigningKey::from_bytes(&[42; 32]);
        let public = STANDARD.encode(signing.verifying_key().as_bytes());
        let clock = ManualClock::starting_at(NOW_SECONDS * 1000);
        (
            signing,
            WebhookVerifier::new(&public, Arc::new(clock)).unwrap(),
        )
    }

    fn signed(key: &SigningKey, timestamp: i64, body: &[u8]) -> HeaderMap {
        let mut message = format!("{timestamp}|").into_bytes();
        message.extend_from_slice(body);
        let signature = STANDARD.encode(key.sign(&message).to_bytes());
        let mut headers = HeaderMap::new();
        headers.insert(
            "telnyx-timestamp",
            HeaderValue::from_str(&timestamp.to_string()).unwrap(),
        );
        headers.insert(
            "telnyx-signature-ed25519",
            HeaderValue::from_str(&signature).unwrap(),
        );
        headers
    }

    const BODY: &[u8] = br#"{"data": {"event_type": "message.finalized", "payload": {"id": "m1", "to": [{"status": "delivered"}]}}}"#;

    #[test]
    fn accepts_a_valid_signature() {
        let (key, verifier) = setup();
        assert_eq!(
            check(&verifier, &signed(&key, NOW_SECONDS, BODY), BODY),
            Ok(())
        );
        assert_eq!(
            check(&verifier, &signed(&key, NOW_SECONDS - 299, BODY), BODY),
            Ok(())
        );
    }

    #[test]
    fn refuses_a_tampered_body() {
        let (key, verifier) = setup();
        let tampered = BODY
            .to_vec()
            .into_iter()
            .map(|b| if b == b'm' { b'n' } else { b })
            .collect::<Vec<_>>();
        assert_eq!(
            check(&verifier, &signed(&key, NOW_SECONDS, BODY), &tampered),
            Err(SignatureError::Invalid)
        );
    }

    #[test]
    fn refuses_re_serialized_json() {
        let (key, verifier) = setup();
        let reserialized =
            serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(BODY).unwrap())
                .unwrap();
        assert_ne!(reserialized, BODY);
        assert_eq!(
            check(&verifier, &signed(&key, NOW_SECONDS, BODY), &reserialized),
            Err(SignatureError::Invalid)
        );
    }

    #[test]
    fn refuses_another_key() {
        let (_, verifier) = setup();
        let other = SigningKey::from_bytes(&[7; 32]);
        assert_eq!(
            check(&verifier, &signed(&other, NOW_SECONDS, BODY), BODY),
            Err(SignatureError::Invalid)
        );
    }

    #[test]
    fn refuses_missing_headers() {
        let (key, verifier) = setup();
        assert_eq!(
            check(&verifier, &HeaderMap::new(), BODY),
            Err(SignatureError::Missing)
        );
        let mut only_timestamp = signed(&key, NOW_SECONDS, BODY);
        only_timestamp.remove("telnyx-signature-ed25519");
        assert_eq!(
            check(&verifier, &only_timestamp, BODY),
            Err(SignatureError::Missing)
        );
    }

    #[test]
    fn refuses_stale_and_future_timestamps() {
        let (key, verifier) = setup();
        assert_eq!(
            check(&verifier, &signed(&key, NOW_SECONDS - 301, BODY), BODY),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            check(&verifier, &signed(&key, NOW_SECONDS + 301, BODY), BODY),
            Err(SignatureError::Stale)
        );
    }

    #[test]
    fn extreme_timestamps_are_stale_not_a_panic() {
        let (key, verifier) = setup();
        for timestamp in [i64::MIN, i64::MAX] {
            assert_eq!(
                check(&verifier, &signed(&key, timestamp, BODY), BODY),
                Err(SignatureError::Stale)
            );
        }
    }

    #[test]
    fn refuses_a_signature_for_another_timestamp() {
        let (key, verifier) = setup();
        let mut headers = signed(&key, NOW_SECONDS, BODY);
        headers.insert(
            "telnyx-timestamp",
            HeaderValue::from_str(&(NOW_SECONDS + 1).to_string()).unwrap(),
        );
        assert_eq!(
            check(&verifier, &headers, BODY),
            Err(SignatureError::Invalid)
        );
    }

    #[test]
    fn refuses_malformed_headers() {
        let (key, verifier) = setup();
        let mut headers = signed(&key, NOW_SECONDS, BODY);
        headers.insert(
            "telnyx-signature-ed25519",
            HeaderValue::from_static("not base64!"),
        );
        assert_eq!(
            check(&verifier, &headers, BODY),
            Err(SignatureError::Malformed)
        );
        assert!(WebhookVerifier::new("short", Arc::new(ManualClock::default())).is_err());
    }
}
