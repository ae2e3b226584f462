//! OAuth 2.0 errors (RFC 6749 §4.1.2.1 and §5.2, OpenID Connect Core §3.1.2.6): the
//! registered `error` codes with a description for developers.

/// One OAuth error: its registered code and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {description}")]
pub struct OAuthError {
    pub code: &'static str,
    pub description: String,
}

impl OAuthError {
    fn new(code: &'static str, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
        }
    }

    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new("invalid_request", description)
    }

    pub fn invalid_client(description: impl Into<String>) -> Self {
        Self::new("invalid_client", description)
    }

    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Self::new("invalid_grant", description)
    }

    pub fn unsupported_grant_type(description: impl Into<String>) -> Self {
        Self::new("unsupported_grant_type", description)
    }

    pub fn unsupported_response_type(description: impl Into<String>) -> Self {
        Self::new("unsupported_response_type", description)
    }

    pub fn invalid_scope(description: impl Into<String>) -> Self {
        Self::new("invalid_scope", description)
    }

    pub fn login_required(description: impl Into<String>) -> Self {
        Self::new("login_required", description)
    }

    pub fn request_not_supported(description: impl Into<String>) -> Self {
        Self::new("request_not_supported", description)
    }

    pub fn request_uri_not_supported(description: impl Into<String>) -> Self {
        Self::new("request_uri_not_supported", description)
    }

    pub fn invalid_token(description: impl Into<String>) -> Self {
        Self::new("invalid_token", description)
    }

    pub fn server_error(description: impl Into<String>) -> Self {
        Self::new("server_error", description)
    }

    /// The HTTP status of this error at the token and userinfo endpoints.
    pub fn status(&self) -> u16 {
        match self.code {
            "invalid_client" | "invalid_token" => 401,
            "server_error" => 503,
            _ => 400,
        }
    }
}
