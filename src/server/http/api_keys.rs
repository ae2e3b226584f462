//! Keys for backends that call the JSON API (`API_KEYS`, `Authorization: Bearer <key>`).
//! A keyed request may name its end user's address (`client_ip`, used for the per-IP
//! caps), is exempt from the cross-site check (a backend is no browser), and is counted
//! per key. With `API_KEYS_REQUIRED=true`, an API call without a key is refused unless it
//! comes from the app's own pages.

use super::{errors, security::from_this_site, state::AppState, tokens};
use crate::error::ApiError;
use axum::extract::Request;

/// Marks a request that carried a valid key (its name).
#[derive(Debug, Clone)]
pub(crate) struct KeyedClient(pub(crate) String);

/// Checks an API call's key: a known key marks the request as its (and counts it), an
/// unknown one is refused, and none at all is refused when keys are required (unless the
/// call comes from the app's own pages). Other paths pass.
pub(crate) fn check(state: &AppState, request: &mut Request) -> Result<(), ApiError> {
    if !request.uri().path().starts_with("/api/") {
        return Ok(());
    }
    let keys = state.api_keys();
    match tokens::bearer(request.headers()) {
        Some(given) if !keys.is_empty() => {
            let Some(key) = keys.iter().find(|key| key.matches(given)) else {
                tracing::warn!("API call with an unknown key");
                return Err(errors::invalid_api_key());
            };
            state.services().metrics().api_key_request(&key.name);
            request
                .extensions_mut()
                .insert(KeyedClient(key.name.clone()));
        }
        _ if state.api_keys_required()
            && !from_this_site(request.headers(), state.public_host()) =>
        {
            return Err(errors::api_key_required());
        }
        _ => {}
    }
    Ok(())
}
