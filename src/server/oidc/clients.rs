//! The relying parties allowed to use the provider: configured, never self-registered.
//! Each has an id, a name people see, its exact redirect URIs and, for a confidential
//! client, a secret kept only as its SHA-256.

use sha2::{Digest, Sha256};

/// The algorithm a client's ID tokens are signed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningAlg {
    /// ECDSA P-256 with SHA-256: what common client libraries accept (the default).
    Es256,
    /// Ed25519.
    EdDsa,
}

impl SigningAlg {
    pub const ALL: [SigningAlg; 2] = [SigningAlg::Es256, SigningAlg::EdDsa];

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|alg| alg.as_str() == name)
    }

    /// The JOSE name (`ES256`, `EdDSA`).
    pub fn as_str(self) -> &'static str {
        match self {
            SigningAlg::Es256 => "ES256",
            SigningAlg::EdDsa => "EdDSA",
        }
    }
}

/// A client secret, as its SHA-256 only (given hashed as `sha256:<hex>`, or in clear
/// and hashed at load).
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret([u8; 32]);

impl std::fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientSecret(…)")
    }
}

impl ClientSecret {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Some(hex_digest) = text.strip_prefix("sha256:") {
            let bytes = hex::decode(hex_digest.trim())
                .ok()
                .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                .ok_or("a hashed secret is `sha256:` and 64 hex digits")?;
            return Ok(Self(bytes));
        }
        if text.is_empty() {
            return Err("a client secret must not be empty".into());
        }
        if text.len() < 16 {
            tracing::warn!(
                "an OIDC client secret is shorter than 16 characters: use a long random one"
            );
        }
        Ok(Self(Sha256::digest(text.as_bytes()).into()))
    }

    /// `given` is the secret (compared by digest, in constant time).
    pub fn matches(&self, given: &str) -> bool {
        let given: [u8; 32] = Sha256::digest(given.as_bytes()).into();
        given
            .iter()
            .zip(self.0.iter())
            .fold(0u8, |differ, (a, b)| differ | (a ^ b))
            == 0
    }
}

#[derive(Debug, Clone)]
pub struct OidcClient {
    pub id: String,
    /// Shown to people: "Verify your phone number to continue to {name}".
    pub name: String,
    /// `None`: a public client (no secret; PKCE required).
    pub secret: Option<ClientSecret>,
    /// Compared exactly, character for character.
    pub redirect_uris: Vec<String>,
    pub alg: SigningAlg,
}

impl OidcClient {
    pub fn is_public(&self) -> bool {
        self.secret.is_none()
    }

    pub fn allows_redirect(&self, uri: &str) -> bool {
        self.redirect_uris
            .iter()
            .any(|registered| registered == uri)
    }
}

/// Checks a redirect URI at configuration time: absolute, no fragment, and https unless
/// it points at this machine (or is a native app's own scheme).
pub fn check_redirect_uri(uri: &str) -> Result<(), String> {
    let parsed = url::Url::parse(uri).map_err(|error| format!("`{uri}` is not a URL: {error}"))?;
    if parsed.fragment().is_some() {
        return Err(format!("`{uri}` must not have a fragment"));
    }
    let loopback = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        "http" => Err(format!("`{uri}` must use https (http only for localhost)")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_kept_as_digests_and_compared_whole() {
        let clear = ClientSecret::parse("correct horse battery staple").unwrap();
        let digest = hex::encode(Sha256::digest(b"correct horse battery staple"));
        let hashed = ClientSecret::parse(&format!("sha256:{digest}")).unwrap();
        assert_eq!(clear, hashed);
        assert!(hashed.matches("correct horse battery staple"));
        assert!(!hashed.matches("correct horse battery stapl"));
        assert!(
            ClientSecret::parse("short").unwrap().matches("short"),
            "weak, but the operator's call"
        );
        assert!(ClientSecret::parse(" ").is_err());
        assert!(ClientSecret::parse("sha256:abcd").is_err());
    }

    #[test]
    fn redirect_uris_are_absolute_and_https_off_this_machine() {
        assert!(check_redirect_uri("https://app.example.com/callback").is_ok());
        assert!(check_redirect_uri("http://localhost:4000/callback").is_ok());
        assert!(check_redirect_uri("http://127.0.0.1:4000/cb").is_ok());
        assert!(check_redirect_uri("com.example.app:/callback").is_ok());
        assert!(check_redirect_uri("http://app.example.com/callback").is_err());
        assert!(check_redirect_uri("https://app.example.com/cb#x").is_err());
        assert!(check_redirect_uri("/callback").is_err());
    }
}
