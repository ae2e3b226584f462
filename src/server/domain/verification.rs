//! A verification's id: 24 random bytes (192 bits) from the OS's CSPRNG, base64url
//! without padding. The requester holds it (a signed cookie, or the API's
//! `verification_id`); the store keeps only its SHA-256, so a database reader cannot act
//! on anyone's verification.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt;

const BYTES: usize = 24;
/// Length of the id's text form.
const CHARS: usize = 32;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct VerificationId(String);

impl VerificationId {
    /// A fresh, unguessable id.
    pub fn generate() -> Self {
        let mut bytes = [0u8; BYTES];
        rand::rng().fill_bytes(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// An id as a client sent it back; `None` unless it has an id's exact shape.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        (text.len() == CHARS
            && URL_SAFE_NO_PAD
                .decode(text)
                .is_ok_and(|bytes| bytes.len() == BYTES))
        .then(|| Self(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the store keys the verification by: the id's SHA-256, in hex.
    pub fn store_key(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Debug for VerificationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VerificationId(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_long_random_and_parse_back() {
        let a = VerificationId::generate();
        let b = VerificationId::generate();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), CHARS);
        assert_eq!(VerificationId::parse(a.as_str()), Some(a.clone()));
        assert_eq!(a.store_key().len(), 64);
        assert_ne!(a.store_key(), a.as_str());
    }

    #[test]
    fn anything_else_is_not_an_id() {
        for text in ["", "abc", &"A".repeat(31), &"A".repeat(33), &"!".repeat(32)] {
            assert_eq!(VerificationId::parse(text), None, "{text}");
        }
    }

    #[test]
    fn debug_output_hides_the_id() {
        let id = VerificationId::generate();
        assert!(!format!("{id:?}").contains(id.as_str()));
    }
}
