//! Browser-facing protections: the Content-Security-Policy (with Leptos' per-response
//! nonce for its inline hydration scripts), the usual security headers, HSTS over HTTPS,
//! and the cross-site request check on state-changing requests.

use super::{api_keys::KeyedClient, errors, state::AppState};
use crate::error::ApiError;
use axum::extract::{ConnectInfo, Request};
use http::{header, HeaderMap, HeaderValue, Method};
use std::net::SocketAddr;

/// For responses that are not app pages (JSON, the outbox, static files): no scripts.
const DEFAULT_CSP: &str = "default-src 'self'; script-src 'none'; object-src 'none'; \
                           base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The policy of an app page: only scripts carrying this response's nonce run, and what
/// they load (the app's own module and WASM). Forms post to this server only, and may be
/// redirected on to `form_targets` (the OpenID Connect clients' redirect URIs: a form
/// post that completes a sign-in ends at the relying party).
pub(crate) fn page_csp(nonce: &str, form_targets: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'{form_targets}; frame-ancestors 'none'"
    )
}

/// Sets the page's CSP on the response being rendered (called from the HTML shell).
pub(crate) fn set_page_csp() {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let form_targets = use_context::<AppState>()
        .map(|state| state.form_targets().to_string())
        .unwrap_or_default();
    if let Ok(value) = HeaderValue::from_str(&page_csp(&nonce.to_string(), &form_targets)) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Whether `request` came over HTTPS: through a trusted proxy that says so (HSTS is
/// only sent then).
pub(crate) fn over_https(state: &AppState, request: &Request) -> bool {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|ConnectInfo(peer)| {
            state
                .trusted_proxies()
                .forwarded_https(peer.ip(), request.headers())
        })
}

/// Adds the security headers every response carries (HSTS when `https`); a page keeps
/// the CSP it set.
pub(crate) fn add_headers(headers: &mut HeaderMap, https: bool) {
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DEFAULT_CSP),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // same-origin: form posts still carry the Referer the no-JS flow redirects back to.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
}

/// Refuses state-changing requests that a browser sent from another site: their
/// `Origin` (or, lacking it, `Referer`) must name this server's own host (the `Host`
/// header, or `PUBLIC_URL`'s host for proxies that rewrite `Host`). Requests with neither
/// header come from non-browser clients and pass; an unreadable one is refused.
pub(crate) fn check_cross_site(state: &AppState, request: &Request) -> Result<(), ApiError> {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    // The provider's endpoints are called from relying parties' sites and backends by
    // design; they rest on codes, PKCE and tokens, not on cookies.
    let for_relying_parties = request.uri().path().starts_with("/oauth2/");
    // A backend with an API key is no browser: there is no session to ride.
    let keyed = request.extensions().get::<KeyedClient>().is_some();
    if safe || for_relying_parties || keyed || same_site(request.headers(), state.public_host()) {
        return Ok(());
    }
    tracing::warn!(path = %request.uri().path(), "cross-site request refused");
    Err(errors::cross_site())
}

/// The request says it comes from this site's own pages: `Sec-Fetch-Site: same-origin`,
/// or an `Origin` (or `Referer`) naming this server.
pub(crate) fn from_this_site(headers: &HeaderMap, public_host: Option<&str>) -> bool {
    let fetched_here = headers
        .get("sec-fetch-site")
        .is_some_and(|site| site.as_bytes() == b"same-origin");
    let names_a_source =
        headers.contains_key(header::ORIGIN) || headers.contains_key(header::REFERER);
    fetched_here || (names_a_source && same_site(headers, public_host))
}

fn same_site(headers: &HeaderMap, public_host: Option<&str>) -> bool {
    let Some(source) = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
    else {
        return true;
    };
    let Some(url) = source
        .to_str()
        .ok()
        .and_then(|source| url::Url::parse(source).ok())
    else {
        return false;
    };
    let authority = match url.port() {
        Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_string(),
    };
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok());
    [host, public_host]
        .into_iter()
        .flatten()
        .any(|own| authority.eq_ignore_ascii_case(own))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (name.clone(), HeaderValue::from_str(value).unwrap()))
            .collect()
    }

    fn same_site_here(headers: &HeaderMap) -> bool {
        same_site(headers, None)
    }

    #[test]
    fn behind_a_proxy_that_rewrites_host_the_public_url_counts() {
        let proxied = headers(&[
            (header::HOST, "backend:3000"),
            (header::ORIGIN, "https://auth.example.com"),
        ]);
        assert!(!same_site(&proxied, None));
        assert!(same_site(&proxied, Some("auth.example.com")));
        let evil = headers(&[
            (header::HOST, "backend:3000"),
            (header::ORIGIN, "https://evil.example"),
        ]);
        assert!(!same_site(&evil, Some("auth.example.com")));
    }

    #[test]
    fn same_origin_requests_pass_and_others_do_not() {
        let host = (header::HOST, "app.example.com");
        assert!(same_site_here(&headers(&[
            host.clone(),
            (header::ORIGIN, "https://app.example.com")
        ])));
        assert!(same_site_here(&headers(&[
            host.clone(),
            (header::REFERER, "https://app.example.com/verify?x=1")
        ])));
        assert!(
            same_site_here(&headers(std::slice::from_ref(&host))),
            "non-browser clients send neither"
        );
        assert!(!same_site_here(&headers(&[
            host.clone(),
            (header::ORIGIN, "https://evil.example")
        ])));
        assert!(!same_site_here(&headers(&[
            host.clone(),
            (header::ORIGIN, "null")
        ])));
        assert!(!same_site_here(&headers(&[
            host,
            (header::ORIGIN, "https://app.example.com:8443")
        ])));
        let local = (header::HOST, "127.0.0.1:3000");
        assert!(same_site_here(&headers(&[
            local.clone(),
            (header::ORIGIN, "http://127.0.0.1:3000")
        ])));
        assert!(!same_site_here(&headers(&[
            local,
            (header::ORIGIN, "http://127.0.0.1:4000")
        ])));
    }

    #[test]
    fn page_policy_allows_only_nonced_scripts_and_no_framing() {
        let csp = page_csp("abc123", "");
        assert!(csp.contains("script-src 'nonce-abc123' 'strict-dynamic'"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
