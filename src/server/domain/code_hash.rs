//! Keyed hashing of codes (HMAC-SHA256 over the number and the code), so the store never
//! holds a code in plaintext and a stored hash is useless without the server's key.

use super::{code::Code, phone::PhoneNumber};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;

type HmacSha256 = Hmac<Sha256>;

/// The stored form of a code: HMAC-SHA256(key, phone ‖ 0x00 ‖ code).
pub type CodeDigest = [u8; 32];

/// Computes and checks code digests with the server's secret key.
#[derive(Clone)]
pub struct CodeHasher {
    key: Vec<u8>,
}

impl CodeHasher {
    /// The key must be at least 32 bytes of secret randomness.
    pub fn new(key: Vec<u8>) -> Self {
        Self { key }
    }

    /// A hasher with a fresh random key (for tests).
    #[cfg(test)]
    pub fn random() -> Self {
        use rand::RngCore;
        let mut key = vec![0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self::new(key)
    }

    fn mac(&self, phone: &PhoneNumber, code: &Code) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC accepts any key length");
        mac.update(phone.as_e164().as_bytes());
        mac.update(&[0]);
        mac.update(code.as_str().as_bytes());
        mac
    }

    pub fn digest(&self, phone: &PhoneNumber, code: &Code) -> CodeDigest {
        self.mac(phone, code).finalize().into_bytes().into()
    }

    /// Whether `code` for `phone` hashes to `stored`, compared in constant time.
    pub fn matches(&self, phone: &PhoneNumber, code: &Code, stored: &CodeDigest) -> bool {
        self.mac(phone, code).verify_slice(stored).is_ok()
    }
}

impl fmt::Debug for CodeHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeHasher(<key redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::domain::code::{CodeAlphabet, CodeSpec};

    fn phone(input: &str) -> PhoneNumber {
        PhoneNumber::parse(input, "US".parse().unwrap()).unwrap()
    }

    fn code(input: &str) -> Code {
        CodeSpec::new(CodeAlphabet::Numeric, 6)
            .unwrap()
            .parse(input)
            .unwrap()
    }

    #[test]
    fn a_digest_matches_only_its_own_number_and_code() {
        let hasher = CodeHasher::random();
        let digest = hasher.digest(&phone("2125550123"), &code("123456"));
        assert!(hasher.matches(&phone("2125550123"), &code("123456"), &digest));
        assert!(!hasher.matches(&phone("2125550123"), &code("123457"), &digest));
        assert!(!hasher.matches(&phone("2125550124"), &code("123456"), &digest));
    }

    #[test]
    fn digests_depend_on_the_key() {
        let digest = CodeHasher::new(vec![1; 32]).digest(&phone("2125550123"), &code("123456"));
        let other = CodeHasher::new(vec![2; 32]);
        assert!(!other.matches(&phone("2125550123"), &code("123456"), &digest));
    }

    #[test]
    fn the_digest_does_not_contain_the_code() {
        let digest = CodeHasher::random().digest(&phone("2125550123"), &code("123456"));
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert!(!hex.contains("123456"));
    }
}
