//! `/admin`: the operator's dashboard, present only when `ADMIN_TOKEN` is set. A browser
//! signs in with the token through a form (then carries a signed, `HttpOnly`,
//! `SameSite=Strict` cookie for 8 hours, bound to that token); scripts send
//! `Authorization: Bearer <ADMIN_TOKEN>` and may ask for JSON. Sign-in tries are rate
//! limited per client address.

mod chart;
mod page;
mod report;

use super::{client_ip::peer_of, cookies::with_set_cookies, state::AppState, tokens};
use crate::paths;
use axum::{
    extract::{Request, State},
    http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
    Form,
};
use governor::{DefaultKeyedRateLimiter, Quota};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::{net::IpAddr, num::NonZeroU32, time::Duration};

/// The sign-in cookie.
const COOKIE: &str = "t2fa_admin";
/// How long a sign-in lasts.
const SIGNED_IN_FOR: Duration = Duration::from_secs(8 * 3600);
/// Sign-in tries allowed per client address per minute.
const TRIES_PER_MINUTE: u32 = 5;

/// The dashboard's gate: the token, and the rate of wrong tries.
pub(crate) struct Admin {
    token: SecretString,
    /// Ties sign-in cookies to this token: changing `ADMIN_TOKEN` signs everyone out.
    fingerprint: String,
    tries: DefaultKeyedRateLimiter<IpAddr>,
}

impl Admin {
    pub(crate) fn new(token: SecretString) -> Self {
        let digest = Sha256::digest(format!("t2fa-admin\0{}", token.expose_secret()));
        let quota = Quota::per_minute(NonZeroU32::new(TRIES_PER_MINUTE).unwrap_or(NonZeroU32::MIN));
        Self {
            fingerprint: hex::encode(&digest[..16]),
            token,
            tries: DefaultKeyedRateLimiter::keyed(quota),
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct Login {
    #[serde(default)]
    token: String,
}

/// Whether the request is signed in: a bearer token, or a live sign-in cookie.
fn signed_in(state: &AppState, admin: &Admin, headers: &HeaderMap) -> bool {
    if tokens::authorized(headers, &admin.token) {
        return true;
    }
    let Some(value) = state.cookies().get(headers, COOKIE) else {
        return false;
    };
    let Some((until, fingerprint)) = value.split_once(':') else {
        return false;
    };
    let now = state.services().clock().now();
    until.parse::<i64>().is_ok_and(|until| until > now) && fingerprint == admin.fingerprint
}

/// `GET /admin`: the dashboard, or (401) the sign-in form.
pub(crate) async fn show(State(state): State<AppState>, request: Request) -> Response {
    let Some(admin) = state.admin() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let headers = request.headers();
    if !signed_in(&state, admin, headers) {
        let mut response = login_page(&state, None, StatusCode::UNAUTHORIZED);
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"admin\""),
        );
        return response;
    }
    let services = state.services();
    let report = match report::gather(services, services.clock().now()).await {
        Ok(report) => report,
        Err(error) => {
            tracing::error!(%error, "dashboard: the store failed");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "the store is unavailable; try again\n",
            )
                .into_response();
        }
    };
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json"));
    let mut response = if wants_json {
        axum::Json(&report).into_response()
    } else {
        let guard = &services.limiter().settings().conversion;
        Html(page::dashboard(
            state.leptos_options(),
            state.app_name(),
            &report,
            guard.min_ratio,
            guard.min_sends,
        ))
        .into_response()
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `POST /admin/login`: checks the token from the form and signs the browser in.
pub(crate) async fn login(
    State(state): State<AppState>,
    parts: Parts,
    Form(login): Form<Login>,
) -> Response {
    let Some(admin) = state.admin() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let client = state
        .trusted_proxies()
        .client_ip(peer_of(&parts), &parts.headers);
    // Every try counts, before the comparison: past the limit, not even the right token
    // is checked, so guessing gets no answer at all.
    if admin.tries.check_key(&client).is_err() {
        tracing::warn!("admin sign-in: too many tries from one address");
        let mut response = login_page(
            &state,
            Some("Too many tries. Wait a minute, then try again."),
            StatusCode::TOO_MANY_REQUESTS,
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        return response;
    }
    if !tokens::matches(&login.token, &admin.token) {
        tracing::warn!("admin sign-in: wrong token");
        return login_page(
            &state,
            Some("That is not the admin token."),
            StatusCode::UNAUTHORIZED,
        );
    }
    let until = state.services().clock().now() + SIGNED_IN_FOR.as_millis() as i64;
    let cookie = state.cookies().set(
        COOKIE,
        &format!("{until}:{}", admin.fingerprint),
        SIGNED_IN_FOR,
        state.secure_request(&parts),
    );
    tracing::info!("admin signed in");
    with_set_cookies(Redirect::to(paths::ADMIN).into_response(), &[cookie])
}

/// `POST /admin/logout`: forgets the sign-in.
pub(crate) async fn logout(State(state): State<AppState>, parts: Parts) -> Response {
    if state.admin().is_none() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let cookie = state.cookies().clear(COOKIE, state.secure_request(&parts));
    with_set_cookies(Redirect::to(paths::ADMIN).into_response(), &[cookie])
}

fn login_page(state: &AppState, error: Option<&str>, status: StatusCode) -> Response {
    let html = page::login(state.leptos_options(), state.app_name(), error);
    let mut response = (status, Html(html)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
