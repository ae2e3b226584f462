//! What every request handler can reach: the verification service and the dev outbox.

use super::{sms::outbox::Outbox, verification::Verifier};
use crate::error::{ApiError, ErrorKind};
use axum::extract::FromRef;
use leptos::prelude::{use_context, LeptosOptions};
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub verifier: Arc<Verifier>,
    /// Present only when no Telnyx key is configured.
    pub outbox: Option<Arc<Outbox>>,
}

impl AppState {
    /// The state provided to server functions by the request handlers.
    pub fn from_context() -> Result<Self, ApiError> {
        use_context::<Self>().ok_or_else(|| {
            ApiError::new(ErrorKind::Internal, "The server is not set up correctly.")
        })
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
