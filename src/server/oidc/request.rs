//! An authorization request (`GET /oauth2/authorize`), checked in the order the specs
//! require: first the client and its exactly registered `redirect_uri` (a failure there
//! is shown on a page, never redirected), then everything else (failures go back to the
//! client as `error=…`).

use super::{clients::OidcClient, error::OAuthError};
use crate::server::domain::clock::Millis;
use serde::{Deserialize, Serialize};

/// Longest `state` or `nonce` accepted (they travel in a cookie and a token).
const MAX_OPAQUE: usize = 512;

/// The query as sent.
#[derive(Debug, Default, Deserialize)]
pub struct AuthorizationQuery {
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub response_type: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub prompt: Option<String>,
    pub max_age: Option<String>,
    pub response_mode: Option<String>,
    pub request: Option<String>,
    pub request_uri: Option<String>,
}

/// A checked request, kept (in a signed cookie) while the person verifies their number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    /// Seconds: an older verification must be repeated.
    pub max_age: Option<u64>,
    /// `prompt=login`: verify again whatever the session.
    pub login: bool,
    /// `prompt=none`: answer at once, never show a page.
    pub silent: bool,
    pub created_at: Millis,
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizeError {
    /// The client or its redirect URI is wrong: say so on a page, redirect nowhere.
    Page(String),
    /// Anything else: back to the client's redirect URI.
    Redirect {
        redirect_uri: String,
        state: Option<String>,
        error: OAuthError,
    },
}

impl AuthorizationQuery {
    /// Checks the query against the client it names (`client` is the lookup result).
    pub fn check(
        self,
        client: Option<&OidcClient>,
        now: Millis,
    ) -> Result<AuthorizationRequest, AuthorizeError> {
        let client = match (self.client_id.as_deref(), client) {
            (None, _) => {
                return Err(AuthorizeError::Page(
                    "The request names no client (client_id).".into(),
                ))
            }
            (Some(_), None) => {
                return Err(AuthorizeError::Page(
                    "The request names an unknown client.".into(),
                ))
            }
            (Some(_), Some(client)) => client,
        };
        let Some(redirect_uri) = self.redirect_uri.clone() else {
            return Err(AuthorizeError::Page(
                "The request has no redirect_uri.".into(),
            ));
        };
        if !client.allows_redirect(&redirect_uri) {
            return Err(AuthorizeError::Page(format!(
                "The redirect_uri is not one registered for {}.",
                client.name
            )));
        }
        let state = self.state.clone().filter(|state| !state.is_empty());
        let refuse = |error: OAuthError| AuthorizeError::Redirect {
            redirect_uri: redirect_uri.clone(),
            state: state.clone(),
            error,
        };
        if self.request.is_some() {
            return Err(refuse(OAuthError::request_not_supported(
                "request objects are not supported",
            )));
        }
        if self.request_uri.is_some() {
            return Err(refuse(OAuthError::request_uri_not_supported(
                "request_uri is not supported",
            )));
        }
        match self.response_type.as_deref() {
            Some("code") => {}
            None => {
                return Err(refuse(OAuthError::invalid_request(
                    "response_type is required",
                )))
            }
            Some(_) => {
                return Err(refuse(OAuthError::unsupported_response_type(
                    "only response_type=code is supported",
                )))
            }
        }
        if self
            .response_mode
            .as_deref()
            .is_some_and(|mode| mode != "query")
        {
            return Err(refuse(OAuthError::invalid_request(
                "only response_mode=query is supported",
            )));
        }
        let scope = self.scope.clone().unwrap_or_default();
        if !scope.split(' ').any(|scope| scope == "openid") {
            return Err(refuse(OAuthError::invalid_scope(
                "scope must include openid",
            )));
        }
        let nonce = self.nonce.clone().filter(|nonce| !nonce.is_empty());
        if state.as_ref().is_some_and(|s| s.len() > MAX_OPAQUE)
            || nonce.as_ref().is_some_and(|n| n.len() > MAX_OPAQUE)
        {
            return Err(refuse(OAuthError::invalid_request(format!(
                "state and nonce must be at most {MAX_OPAQUE} characters"
            ))));
        }
        let code_challenge = match (self.code_challenge.as_deref(), self.code_challenge_method.as_deref()) {
            (None, None) if client.is_public() => {
                return Err(refuse(OAuthError::invalid_request(
                    "PKCE is required for public clients: send code_challenge with code_challenge_method=S256",
                )))
            }
            (None, None) => None,
            (None, Some(_)) => return Err(refuse(OAuthError::invalid_request("code_challenge is missing"))),
            (Some(_), method) if method != Some("S256") => {
                return Err(refuse(OAuthError::invalid_request(
                    "code_challenge_method must be S256",
                )))
            }
            (Some(challenge), _) => {
                // BASE64URL(SHA-256(verifier)): 43 characters, no padding.
                let valid = challenge.len() == 43
                    && challenge.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                if !valid {
                    return Err(refuse(OAuthError::invalid_request("code_challenge is not an S256 challenge")));
                }
                Some(challenge.to_string())
            }
        };
        let prompts: Vec<&str> = self
            .prompt
            .as_deref()
            .unwrap_or_default()
            .split(' ')
            .filter(|p| !p.is_empty())
            .collect();
        let silent = prompts.contains(&"none");
        if silent && prompts.len() > 1 {
            return Err(refuse(OAuthError::invalid_request(
                "prompt=none can't be combined with other values",
            )));
        }
        let max_age = match self.max_age.as_deref() {
            None | Some("") => None,
            Some(text) => Some(text.parse::<u64>().map_err(|_| {
                refuse(OAuthError::invalid_request(
                    "max_age must be a number of seconds",
                ))
            })?),
        };
        Ok(AuthorizationRequest {
            client_id: client.id.clone(),
            redirect_uri,
            scope,
            state,
            nonce,
            code_challenge,
            max_age,
            login: prompts.contains(&"login"),
            silent,
            created_at: now,
        })
    }
}
