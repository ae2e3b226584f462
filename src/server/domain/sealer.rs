//! Authenticated encryption (AES-256-GCM) under a key derived from `SECRET_KEY`, for what
//! must travel or rest unreadable and unforgeable: OIDC signing keys at rest, and the
//! state a voice call carries through Telnyx (`client_state`). Sealed bytes are the
//! random nonce followed by the ciphertext and tag; `context` is bound as associated
//! data, so a sealed value can't be replayed where another is expected.

use ring::{
    aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN},
    rand::{SecureRandom, SystemRandom},
};

pub struct Sealer {
    key: LessSafeKey,
    random: SystemRandom,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(<redacted>)")
    }
}

impl Sealer {
    /// A sealer with a 32-byte key.
    pub fn new(key: &[u8]) -> Result<Self, String> {
        let key = UnboundKey::new(&AES_256_GCM, key)
            .map_err(|_| "the sealing key must be 32 bytes".to_string())?;
        Ok(Self {
            key: LessSafeKey::new(key),
            random: SystemRandom::new(),
        })
    }

    /// `plain`, encrypted and authenticated, bound to `context`.
    pub fn seal(&self, context: &[u8], plain: &[u8]) -> Result<Vec<u8>, String> {
        let mut nonce = [0u8; NONCE_LEN];
        self.random
            .fill(&mut nonce)
            .map_err(|_| "no randomness".to_string())?;
        let mut sealed = plain.to_vec();
        self.key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(context),
                &mut sealed,
            )
            .map_err(|_| "could not seal".to_string())?;
        Ok([nonce.as_slice(), &sealed].concat())
    }

    /// What [`Sealer::seal`] sealed with this key and `context`; `None` for anything else.
    pub fn open(&self, context: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < NONCE_LEN {
            return None;
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut body = body.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(context), &mut body)
            .ok()?;
        Some(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_only_what_it_sealed_in_the_same_context() {
        let sealer = Sealer::new(&[7; 32]).unwrap();
        let sealed = sealer.seal(b"one", b"secret").unwrap();
        assert_eq!(
            sealer.open(b"one", &sealed).as_deref(),
            Some(&b"secret"[..])
        );
        assert_eq!(sealer.open(b"two", &sealed), None);
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert_eq!(sealer.open(b"one", &tampered), None);
        assert_eq!(Sealer::new(&[8; 32]).unwrap().open(b"one", &sealed), None);
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
    }
}
