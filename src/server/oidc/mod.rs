//! The OpenID Connect provider (Core 1.0, Discovery 1.0; OAuth 2.0 with PKCE, per the
//! Security BCP): configured clients, the authorization code flow over the app's own
//! phone verification, ES256/EdDSA ID tokens, userinfo, and rotating signing keys. No
//! HTTP here: the edge (`server::http::oidc`) routes requests to it.

pub mod clients;
pub mod error;
pub mod keys;
pub mod provider;
pub mod request;

use std::time::Duration;

/// An authorization code lives this long.
pub const CODE_TTL: Duration = Duration::from_secs(60);
/// ID tokens expire after this.
pub const ID_TOKEN_TTL: Duration = Duration::from_secs(3600);
/// Access tokens (for userinfo) expire after this.
pub const ACCESS_TOKEN_TTL: Duration = Duration::from_secs(3600);

pub const DISCOVERY_PATH: &str = "/.well-known/openid-configuration";
pub const AUTHORIZE_PATH: &str = "/oauth2/authorize";
/// Where the flow continues once the number is verified.
pub const RESUME_PATH: &str = "/oauth2/authorize/resume";
pub const TOKEN_PATH: &str = "/oauth2/token";
pub const JWKS_PATH: &str = "/oauth2/jwks";
pub const USERINFO_PATH: &str = "/oauth2/userinfo";
