//! The relying parties allowed to use the provider: configured, never self-registered.
//! Each has an id, a name people see, its exact redirect URIs and, for a confidential
//! client, a secret kept only as its SHA-256.

use crate::server::domain::digest::SecretDigest;

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
pub type ClientSecret = SecretDigest;

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
