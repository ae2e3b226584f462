//! The provider: authorization codes issued for verified numbers, exchanged once (bound
//! to the client, its redirect URI and the PKCE verifier) for an ID token and an access
//! token, and the userinfo those tokens unlock.

use super::{
    clients::{OidcClient, SigningAlg},
    error::OAuthError,
    keys::{KeyError, KeyRing},
    request::{AuthorizationQuery, AuthorizationRequest, AuthorizeError},
    ACCESS_TOKEN_TTL, CODE_TTL, ID_TOKEN_TTL,
};
use crate::server::{
    domain::{
        clock::{Clock, Millis},
        phone::PhoneNumber,
    },
    store::{
        oidc::{CodeUse, IssuedCode, IssuedToken, OidcStore},
        SessionRecord,
    },
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// How a client authenticated at the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientAuth {
    /// `Authorization: Basic` (client_secret_basic).
    Basic { id: String, secret: String },
    /// `client_id` and `client_secret` in the form (client_secret_post).
    Post { id: String, secret: String },
    /// `client_id` only (a public client, `none`).
    None { id: String },
}

/// The token request's form, beyond client authentication.
#[derive(Debug, Default, Clone)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: u64,
    pub id_token: String,
    pub scope: String,
}

#[derive(Serialize)]
struct IdTokenClaims<'a> {
    iss: &'a str,
    sub: String,
    aud: &'a str,
    exp: i64,
    iat: i64,
    auth_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
    amr: [&'static str; 1],
    at_hash: String,
    phone_number: &'a str,
    phone_number_verified: bool,
}

pub struct Provider {
    clients: Vec<OidcClient>,
    keys: KeyRing,
    store: Arc<dyn OidcStore>,
    clock: Arc<dyn Clock>,
    /// Keys the stable `sub` of each number.
    subject_key: Vec<u8>,
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn seconds(at: Millis) -> i64 {
    at.div_euclid(1000)
}

impl Provider {
    pub fn new(
        clients: Vec<OidcClient>,
        keys: KeyRing,
        store: Arc<dyn OidcStore>,
        clock: Arc<dyn Clock>,
        subject_key: Vec<u8>,
    ) -> Self {
        Self {
            clients,
            keys,
            store,
            clock,
            subject_key,
        }
    }

    pub fn client(&self, id: &str) -> Option<&OidcClient> {
        self.clients.iter().find(|client| client.id == id)
    }

    pub fn keys(&self) -> &KeyRing {
        &self.keys
    }

    /// Checks an authorization request.
    pub fn check(&self, query: AuthorizationQuery) -> Result<AuthorizationRequest, AuthorizeError> {
        let client = query.client_id.as_deref().and_then(|id| self.client(id));
        query.check(client, self.clock.now())
    }

    /// Whether `session` answers `request` without a new verification: not when it
    /// asked for a fresh one (`prompt=login`, a session older than `max_age`), and only
    /// when the session began after the request if it asked to log in again.
    pub fn session_answers(&self, request: &AuthorizationRequest, session: &SessionRecord) -> bool {
        if request.login && session.started_at < request.created_at {
            return false;
        }
        match request.max_age {
            Some(max_age) => self.clock.now() - session.started_at <= max_age as i64 * 1000,
            None => true,
        }
    }

    /// Issues a single-use code for `phone`, verified at `auth_time`, answering `request`.
    pub async fn issue_code(
        &self,
        request: &AuthorizationRequest,
        phone: &PhoneNumber,
        auth_time: Millis,
    ) -> Result<String, OAuthError> {
        let code = random_token();
        let issued = IssuedCode {
            client_id: request.client_id.clone(),
            redirect_uri: request.redirect_uri.clone(),
            phone: phone.as_e164().to_string(),
            nonce: request.nonce.clone(),
            code_challenge: request.code_challenge.clone(),
            scope: request.scope.clone(),
            auth_time,
            expires_at: self.clock.now() + CODE_TTL.as_millis() as Millis,
        };
        self.store
            .save_code(&sha256_hex(&code), &issued)
            .await
            .map_err(|error| OAuthError::server_error(error.to_string()))?;
        Ok(code)
    }

    /// The token endpoint: authenticates the client, then uses the code once.
    pub async fn exchange(
        &self,
        issuer: &str,
        auth: ClientAuth,
        request: TokenRequest,
    ) -> Result<TokenResponse, OAuthError> {
        let client = self.authenticate(&auth)?;
        if request.grant_type.as_deref() != Some("authorization_code") {
            return Err(match request.grant_type {
                None => OAuthError::invalid_request("grant_type is required"),
                Some(_) => {
                    OAuthError::unsupported_grant_type("only authorization_code is supported")
                }
            });
        }
        let code = request
            .code
            .as_deref()
            .filter(|code| !code.is_empty())
            .ok_or_else(|| OAuthError::invalid_request("code is required"))?;
        let code_hash = sha256_hex(code);
        let now = self.clock.now();
        let store_failed =
            |error: crate::server::store::StoreError| OAuthError::server_error(error.to_string());
        let issued = match self
            .store
            .use_code(&code_hash, now)
            .await
            .map_err(store_failed)?
        {
            CodeUse::First(issued) => issued,
            CodeUse::Again => {
                // A replayed code may be stolen: what it bought is revoked.
                let revoked = self
                    .store
                    .revoke_tokens(&code_hash)
                    .await
                    .map_err(store_failed)?;
                tracing::warn!(client = %client.id, revoked, "authorization code used twice; its tokens are revoked");
                return Err(OAuthError::invalid_grant("the code was already used"));
            }
            CodeUse::Unknown => return Err(OAuthError::invalid_grant("unknown code")),
        };
        if issued.expires_at <= now {
            return Err(OAuthError::invalid_grant("the code expired"));
        }
        if issued.client_id != client.id {
            return Err(OAuthError::invalid_grant(
                "the code was issued to another client",
            ));
        }
        if request.redirect_uri.as_deref() != Some(issued.redirect_uri.as_str()) {
            return Err(OAuthError::invalid_grant(
                "redirect_uri does not match the authorization request's",
            ));
        }
        match (&issued.code_challenge, request.code_verifier.as_deref()) {
            (Some(challenge), Some(verifier)) => {
                let valid_verifier = (43..=128).contains(&verifier.len())
                    && verifier
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
                let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
                if !valid_verifier || computed != *challenge {
                    return Err(OAuthError::invalid_grant(
                        "code_verifier does not match the code_challenge",
                    ));
                }
            }
            (Some(_), None) => return Err(OAuthError::invalid_grant("code_verifier is required")),
            (None, Some(_)) => {
                return Err(OAuthError::invalid_grant(
                    "code_verifier given, but the authorization request had no code_challenge",
                ))
            }
            (None, None) => {}
        }
        let phone = PhoneNumber::from_e164(&issued.phone)
            .map_err(|_| OAuthError::server_error("a stored number is not E.164"))?;
        let access_token = random_token();
        self.store
            .save_token(
                &sha256_hex(&access_token),
                &code_hash,
                &IssuedToken {
                    client_id: client.id.clone(),
                    phone: issued.phone.clone(),
                    scope: issued.scope.clone(),
                },
                now + ACCESS_TOKEN_TTL.as_millis() as Millis,
            )
            .await
            .map_err(store_failed)?;
        let digest = Sha256::digest(access_token.as_bytes());
        let claims = IdTokenClaims {
            iss: issuer,
            sub: self.subject(&phone),
            aud: &client.id,
            exp: seconds(now) + ID_TOKEN_TTL.as_secs() as i64,
            iat: seconds(now),
            auth_time: seconds(issued.auth_time),
            nonce: issued.nonce.as_deref(),
            amr: ["sms"],
            at_hash: URL_SAFE_NO_PAD.encode(&digest[..16]),
            phone_number: phone.as_e164(),
            phone_number_verified: true,
        };
        let id_token = self
            .keys
            .signing_key(client.alg)
            .await
            .and_then(|key| key.sign(&claims))
            .map_err(|error: KeyError| OAuthError::server_error(error.to_string()))?;
        tracing::info!(client = %client.id, phone = %phone, "tokens issued");
        Ok(TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: ACCESS_TOKEN_TTL.as_secs(),
            id_token,
            scope: issued.scope,
        })
    }

    /// The claims an access token unlocks.
    pub async fn userinfo(&self, access_token: &str) -> Result<Value, OAuthError> {
        let token = self
            .store
            .token(&sha256_hex(access_token), self.clock.now())
            .await
            .map_err(|error| OAuthError::server_error(error.to_string()))?
            .ok_or_else(|| {
                OAuthError::invalid_token("the access token is unknown, expired or revoked")
            })?;
        let phone = PhoneNumber::from_e164(&token.phone)
            .map_err(|_| OAuthError::server_error("a stored number is not E.164"))?;
        Ok(json!({
            "sub": self.subject(&phone),
            "phone_number": phone.as_e164(),
            "phone_number_verified": true,
        }))
    }

    /// OpenID Connect Discovery 1.0 metadata for `issuer`.
    pub fn discovery(&self, issuer: &str) -> Value {
        json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{issuer}{}", super::AUTHORIZE_PATH),
            "token_endpoint": format!("{issuer}{}", super::TOKEN_PATH),
            "jwks_uri": format!("{issuer}{}", super::JWKS_PATH),
            "userinfo_endpoint": format!("{issuer}{}", super::USERINFO_PATH),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": SigningAlg::ALL.map(SigningAlg::as_str),
            "scopes_supported": ["openid", "phone"],
            "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "amr",
                                 "at_hash", "phone_number", "phone_number_verified"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "code_challenge_methods_supported": ["S256"],
            "prompt_values_supported": ["none", "login"],
            "claims_parameter_supported": false,
            "request_parameter_supported": false,
            "request_uri_parameter_supported": false,
            "authorization_response_iss_parameter_supported": true,
        })
    }

    /// The `sub` of a number: stable for this deployment, and not the number itself.
    fn subject(&self, phone: &PhoneNumber) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.subject_key)
            .expect("HMAC takes keys of any length");
        mac.update(phone.as_e164().as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    fn authenticate(&self, auth: &ClientAuth) -> Result<&OidcClient, OAuthError> {
        let (id, secret) = match auth {
            ClientAuth::Basic { id, secret } | ClientAuth::Post { id, secret } => {
                (id, Some(secret))
            }
            ClientAuth::None { id } => (id, None),
        };
        let client = self
            .client(id)
            .ok_or_else(|| OAuthError::invalid_client("unknown client"))?;
        match (&client.secret, secret) {
            (Some(expected), Some(given)) if expected.matches(given) => Ok(client),
            (Some(_), Some(_)) => Err(OAuthError::invalid_client("wrong client secret")),
            (Some(_), None) => Err(OAuthError::invalid_client("this client must authenticate")),
            (None, None) => Ok(client),
            (None, Some(_)) => Err(OAuthError::invalid_client(
                "this public client has no secret",
            )),
        }
    }
}
