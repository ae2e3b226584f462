//! Keys for backends that call the JSON API (`API_KEYS`, `Authorization: Bearer <key>`).
//! A keyed request may name its end user's address (`client_ip`, used for the per-IP
//! caps), is exempt from the cross-site check (a backend is no browser), and is counted
//! per key. With `API_KEYS_REQUIRED=true`, an API call without a key is refused unless it
//! comes from the app's own pages.

use super::{errors, respond, security::from_this_site, state::AppState, tokens};
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};

/// Marks a request that carried a valid key (its name).
#[derive(Debug, Clone)]
pub(crate) struct KeyedClient(pub(crate) String);

pub(crate) async fn gate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let keys = state.api_keys();
    match tokens::bearer(request.headers()) {
        Some(given) if !keys.is_empty() => {
            let Some(key) = keys.iter().find(|key| key.matches(given)) else {
                tracing::warn!("API call with an unknown key");
                return respond::error_response(errors::invalid_api_key());
            };
            state.services().metrics().api_key_request(&key.name);
            request
                .extensions_mut()
                .insert(KeyedClient(key.name.clone()));
        }
        _ if state.api_keys_required()
            && !from_this_site(request.headers(), state.public_host()) =>
        {
            return respond::error_response(errors::api_key_required());
        }
        _ => {}
    }
    next.run(request).await
}
