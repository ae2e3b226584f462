//! `POST /oauth2/token` and `GET|POST /oauth2/userinfo`: client authentication
//! (`client_secret_basic`, `client_secret_post`, or `none` for public clients) and the
//! RFC 6749 §5.2 error format, as JSON that is never cached.

use super::open_to_any_origin;
use crate::server::{
    http::{state::AppState, tokens},
    oidc::{
        error::OAuthError,
        provider::{ClientAuth, TokenRequest},
    },
};
use axum::{
    body::Bytes,
    extract::State,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use base64::{engine::general_purpose::STANDARD, Engine};
use serde_json::json;
use std::collections::HashMap;

/// A JSON answer with the headers RFC 6749 §5.1 asks for.
fn no_store(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    open_to_any_origin(response)
}

fn failure(error: &OAuthError, basic: bool) -> Response {
    if error.code == "server_error" {
        tracing::error!(%error, "token endpoint failed");
    }
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = no_store(
        status,
        json!({ "error": error.code, "error_description": error.description }),
    );
    if status == StatusCode::UNAUTHORIZED && basic {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"telnyx-2fa\""),
        );
    }
    response
}

/// The form's parameters; a parameter sent twice is an error (RFC 6749 §3.2).
fn form(body: &[u8]) -> Result<HashMap<String, String>, OAuthError> {
    let mut fields = HashMap::new();
    for (name, value) in url::form_urlencoded::parse(body) {
        if fields.insert(name.to_string(), value.to_string()).is_some() {
            return Err(OAuthError::invalid_request(format!("`{name}` is repeated")));
        }
    }
    Ok(fields)
}

/// `Authorization: Basic`, with both halves form-decoded (RFC 6749 §2.3.1).
fn basic(headers: &HeaderMap) -> Result<Option<(String, String)>, OAuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let malformed = || OAuthError::invalid_client("malformed Basic credentials");
    let value = value.to_str().map_err(|_| malformed())?.trim();
    let Some((scheme, encoded)) = value.split_once(' ') else {
        return Err(malformed());
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(OAuthError::invalid_client(
            "use Basic authentication or client_secret_post",
        ));
    }
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| malformed())?;
    let decoded = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(malformed)?;
    let decode = |part: &str| {
        url::form_urlencoded::parse(format!("x={part}").as_bytes())
            .next()
            .map(|(_, value)| value.to_string())
            .unwrap_or_default()
    };
    Ok(Some((decode(id), decode(secret))))
}

fn client_auth(
    headers: &HeaderMap,
    fields: &HashMap<String, String>,
) -> Result<ClientAuth, OAuthError> {
    let form_id = fields.get("client_id").cloned();
    let form_secret = fields.get("client_secret").cloned();
    match basic(headers)? {
        Some((id, secret)) => {
            if form_secret.is_some() {
                return Err(OAuthError::invalid_request(
                    "use one client authentication method",
                ));
            }
            if form_id.as_deref().is_some_and(|form_id| form_id != id) {
                return Err(OAuthError::invalid_request(
                    "client_id does not match the credentials",
                ));
            }
            Ok(ClientAuth::Basic { id, secret })
        }
        None => match (form_id, form_secret) {
            (Some(id), Some(secret)) => Ok(ClientAuth::Post { id, secret }),
            (Some(id), None) => Ok(ClientAuth::None { id }),
            (None, _) => Err(OAuthError::invalid_client("no client authentication")),
        },
    }
}

pub(crate) async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(provider) = state.services().oidc() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let used_basic = headers.contains_key(header::AUTHORIZATION);
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        let error = OAuthError::invalid_request("send application/x-www-form-urlencoded");
        return failure(&error, used_basic);
    }
    let answer = async {
        let fields = form(&body)?;
        let auth = client_auth(&headers, &fields)?;
        let field = |name: &str| fields.get(name).cloned();
        let request = TokenRequest {
            grant_type: field("grant_type"),
            code: field("code"),
            redirect_uri: field("redirect_uri"),
            code_verifier: field("code_verifier"),
        };
        provider.exchange(&state.issuer(), auth, request).await
    }
    .await;
    match answer {
        Ok(tokens) => no_store(StatusCode::OK, json!(tokens)),
        Err(error) => {
            tracing::info!(error = error.code, description = %error.description, "token request refused");
            failure(&error, used_basic)
        }
    }
}

pub(crate) async fn userinfo(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(provider) = state.services().oidc() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let refused = |error: OAuthError| {
        let challenge = format!(
            "Bearer error=\"{}\", error_description=\"{}\"",
            error.code, error.description
        );
        let mut response = no_store(
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::UNAUTHORIZED),
            json!({ "error": error.code, "error_description": error.description }),
        );
        if let Ok(value) = HeaderValue::from_str(&challenge) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
        response
    };
    let Some(token) = tokens::bearer(&headers) else {
        return refused(OAuthError::invalid_token(
            "send the access token as a Bearer token",
        ));
    };
    match provider.userinfo(token).await {
        Ok(claims) => no_store(StatusCode::OK, claims),
        Err(error) => refused(error),
    }
}
