//! Secrets the app only has to recognise (operator tokens, API keys, OIDC client
//! secrets): kept as their SHA-256, given in clear or hashed as `sha256:<64 hex>`, and
//! compared in constant time.

use sha2::{Digest, Sha256};

#[derive(Clone, PartialEq, Eq)]
pub struct SecretDigest([u8; 32]);

impl std::fmt::Debug for SecretDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretDigest(…)")
    }
}

impl SecretDigest {
    /// The digest of `secret`.
    pub fn of(secret: &str) -> Self {
        Self(Sha256::digest(secret.as_bytes()).into())
    }

    /// Reads `sha256:<64 hex>`, or a secret in clear (`what` names it in the warning a
    /// short one gets). Empty is refused.
    pub fn parse(text: &str, what: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Some(hex_digest) = text.strip_prefix("sha256:") {
            return hex::decode(hex_digest.trim())
                .ok()
                .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                .map(Self)
                .ok_or_else(|| "a hashed secret is `sha256:` and 64 hex digits".to_string());
        }
        if text.is_empty() {
            return Err("must not be empty".into());
        }
        if text.len() < 16 {
            tracing::warn!("{what} is shorter than 16 characters: use a long random one");
        }
        Ok(Self::of(text))
    }

    /// `given` is the secret. Both sides are digests, so the comparison's time says
    /// nothing about the secret itself.
    pub fn matches(&self, given: &str) -> bool {
        Self::of(given)
            .0
            .iter()
            .zip(self.0.iter())
            .fold(0u8, |differ, (a, b)| differ | (a ^ b))
            == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_and_hashed_secrets_match_the_same_way() {
        let hashed = format!(
            "sha256:{}",
            hex::encode(Sha256::digest(b"correct horse battery"))
        );
        let hashed = SecretDigest::parse(&hashed, "a secret").unwrap();
        assert_eq!(
            hashed,
            SecretDigest::parse(" correct horse battery ", "a secret").unwrap()
        );
        assert!(hashed.matches("correct horse battery"));
        assert!(!hashed.matches("correct horse batter"));
        let short = SecretDigest::parse("short", "a secret").unwrap();
        assert!(short.matches("short"), "weak, but the operator's call");
        assert!(SecretDigest::parse("sha256:abcd", "a secret").is_err());
        assert!(SecretDigest::parse("  ", "a secret").is_err());
        assert!(!format!("{hashed:?}").contains("correct"));
    }
}
