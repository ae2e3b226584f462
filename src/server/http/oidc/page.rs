//! The page shown when an authorization request can't go back to its client (an unknown
//! client, a redirect URI that is not registered, a lapsed request).

use crate::document::head_basics;
use crate::server::http::state::AppState;
use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Response},
};
use leptos::prelude::*;

pub(super) fn error(state: &AppState, status: StatusCode, message: &str) -> Response {
    let app_name = state.app_name().to_string();
    let html = view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                {head_basics(state.leptos_options())}
                <title>{format!("Sign-in problem · {app_name}")}</title>
            </head>
            <body>
                <main class="page">
                    <section class="card">
                        <h1>"This sign-in can't continue"</h1>
                        <p class="field-error" role="alert" id="oidc-error">{message.to_string()}</p>
                        <p>"Nothing was sent to the application. You can close this page."</p>
                    </section>
                </main>
            </body>
        </html>
    }
    .to_html();
    let mut response = (status, Html(html)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
