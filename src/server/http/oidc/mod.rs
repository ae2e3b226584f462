//! The OpenID Connect provider's HTTP side: discovery, JWKS, the authorization endpoint
//! (with the hop back from the phone pages), the token endpoint and userinfo. The routes
//! exist only when clients are configured.
//!
//! People arrive at `/oauth2/authorize` from the relying party's site: a cross-site
//! navigation, which carries no `SameSite=Strict` cookie. So the session is also kept in
//! a `Lax` cookie read only here (`t2fa_sso`), and the pending request travels in a
//! signed `Lax` cookie (`t2fa_authorize`) through the phone and code pages; once the
//! number is verified, `/oauth2/authorize/resume` issues the code.

mod page;
mod token;

pub(crate) use token::{token, userinfo};

use super::{
    cookies::{with_set_cookies, AUTHORIZE, SESSION, SSO},
    state::AppState,
};
use crate::{
    paths,
    server::oidc::{
        error::OAuthError,
        request::{AuthorizationQuery, AuthorizationRequest, AuthorizeError},
    },
    server::store::SessionRecord,
};
use axum::{
    extract::{Query, State},
    http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Form, Json,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use std::time::Duration;

/// How long a person has to verify before the relying party's request lapses.
const REQUEST_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// `Access-Control-Allow-Origin: *` on what browser-based clients fetch (no cookies are
/// involved there).
fn open_to_any_origin(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

pub(crate) async fn discovery(State(state): State<AppState>) -> Response {
    let Some(provider) = state.services().oidc() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    open_to_any_origin(Json(provider.discovery(&state.issuer())).into_response())
}

pub(crate) async fn jwks(State(state): State<AppState>) -> Response {
    let Some(provider) = state.services().oidc() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match provider.keys().jwks().await {
        Ok(jwks) => {
            let mut response = open_to_any_origin(Json(jwks).into_response());
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("max-age=300"),
            );
            response
        }
        Err(error) => {
            tracing::error!(%error, "could not read the signing keys");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// `GET /oauth2/authorize`.
pub(crate) async fn authorize(
    State(state): State<AppState>,
    parts: Parts,
    Query(query): Query<AuthorizationQuery>,
) -> Response {
    start(&state, &parts, query).await
}

/// `POST /oauth2/authorize` (OpenID Connect Core §3.1.2.1 allows both).
pub(crate) async fn authorize_form(
    State(state): State<AppState>,
    parts: Parts,
    Form(query): Form<AuthorizationQuery>,
) -> Response {
    start(&state, &parts, query).await
}

async fn start(state: &AppState, parts: &Parts, query: AuthorizationQuery) -> Response {
    let Some(provider) = state.services().oidc() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let request = match provider.check(query) {
        Ok(request) => request,
        Err(AuthorizeError::Page(message)) => {
            tracing::warn!(%message, "authorization request refused");
            return page::error(state, StatusCode::BAD_REQUEST, &message);
        }
        Err(AuthorizeError::Redirect {
            redirect_uri,
            state: client_state,
            error,
        }) => return back_to_client(state, &redirect_uri, client_state.as_deref(), Err(&error)),
    };
    // An existing session answers at once, unless the request wants a fresh one.
    let session = match state.cookies().get(&parts.headers, SSO) {
        Some(id) => state.sessions().record(&id).await.unwrap_or_else(|error| {
            tracing::warn!(%error, "could not read a session");
            None
        }),
        None => None,
    };
    if let Some(session) = session.filter(|session| provider.session_answers(&request, session)) {
        return finish(state, &request, &session, None).await;
    }
    if request.silent {
        let error = OAuthError::login_required("no verified session");
        return back_to_client(
            state,
            &request.redirect_uri,
            request.state.as_deref(),
            Err(&error),
        );
    }
    let Ok(json) = serde_json::to_vec(&request) else {
        return page::error(
            state,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Could not start the sign-in.",
        );
    };
    let cookie = state.cookies().set_lax(
        AUTHORIZE,
        &URL_SAFE_NO_PAD.encode(json),
        REQUEST_LIFETIME,
        state.secure_request(parts),
    );
    with_set_cookies(Redirect::to(paths::HOME).into_response(), &[cookie])
}

/// `GET /oauth2/authorize/resume`: the number is verified; the relying party gets its
/// code.
pub(crate) async fn resume(State(state): State<AppState>, parts: Parts) -> Response {
    let Some(provider) = state.services().oidc() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(request) = pending_request(&state, &parts.headers) else {
        return page::error(
            &state,
            StatusCode::BAD_REQUEST,
            "This sign-in has expired or was already completed. Go back to the application and sign in again.",
        );
    };
    if provider
        .client(&request.client_id)
        .is_none_or(|client| !client.allows_redirect(&request.redirect_uri))
    {
        return page::error(
            &state,
            StatusCode::BAD_REQUEST,
            "The application is no longer registered.",
        );
    }
    let session_id = state
        .cookies()
        .get(&parts.headers, SESSION)
        .or_else(|| state.cookies().get(&parts.headers, SSO));
    let session = match session_id {
        Some(id) => match state.sessions().record(&id).await {
            Ok(session) => session,
            Err(error) => {
                tracing::error!(%error, "could not read a session");
                return page::error(
                    &state,
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Try again in a moment.",
                );
            }
        },
        None => None,
    };
    // The verification must be this request's own (it began after the request).
    match session.filter(|session| session.started_at >= request.created_at) {
        Some(session) => {
            let clear = state
                .cookies()
                .clear(AUTHORIZE, state.secure_request(&parts));
            finish(&state, &request, &session, Some(clear)).await
        }
        None => Redirect::to(paths::HOME).into_response(),
    }
}

/// The relying party's request this browser carries, if any (and still valid).
pub(crate) fn pending_request(
    state: &AppState,
    headers: &HeaderMap,
) -> Option<AuthorizationRequest> {
    let value = state.cookies().get(headers, AUTHORIZE)?;
    let json = URL_SAFE_NO_PAD.decode(value).ok()?;
    let request: AuthorizationRequest = serde_json::from_slice(&json).ok()?;
    let age = state.services().clock().now() - request.created_at;
    (age < REQUEST_LIFETIME.as_millis() as i64).then_some(request)
}

/// Issues the code and sends the person back to the relying party.
async fn finish(
    state: &AppState,
    request: &AuthorizationRequest,
    session: &SessionRecord,
    clear: Option<String>,
) -> Response {
    let Some(provider) = state.services().oidc() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let answer = provider
        .issue_code(request, &session.phone, session.started_at)
        .await;
    let response = back_to_client(
        state,
        &request.redirect_uri,
        request.state.as_deref(),
        answer.as_deref(),
    );
    with_set_cookies(response, clear.as_slice())
}

/// `303` to the client's redirect URI with `code` (or `error`), `state` and `iss`
/// (RFC 9207).
fn back_to_client(
    state: &AppState,
    redirect_uri: &str,
    client_state: Option<&str>,
    answer: Result<&str, &OAuthError>,
) -> Response {
    let Ok(mut url) = url::Url::parse(redirect_uri) else {
        return page::error(
            state,
            StatusCode::BAD_REQUEST,
            "The redirect_uri is not a URL.",
        );
    };
    {
        let mut pairs = url.query_pairs_mut();
        match answer {
            Ok(code) => {
                pairs.append_pair("code", code);
            }
            Err(error) => {
                pairs.append_pair("error", error.code);
                pairs.append_pair("error_description", &error.description);
            }
        }
        if let Some(client_state) = client_state {
            pairs.append_pair("state", client_state);
        }
        pairs.append_pair("iss", &state.issuer());
    }
    let mut response = Redirect::to(url.as_str()).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
