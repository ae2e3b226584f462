//! Operator tokens (`METRICS_TOKEN`, `ADMIN_TOKEN`): read from `Authorization: Bearer …`
//! and compared without leaking, through timing, how much of a guess was right.

use crate::server::domain::digest::SecretDigest;
use http::{header, HeaderMap};
use secrecy::{ExposeSecret, SecretString};

/// The bearer token of a request, if it sent one.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|token| !token.is_empty())
}

/// `given` is the token (compared by digest, in constant time).
pub(crate) fn matches(given: &str, expected: &SecretString) -> bool {
    SecretDigest::of(expected.expose_secret()).matches(given.trim())
}

/// The request carries `expected` as its bearer token.
pub(crate) fn authorized(headers: &HeaderMap, expected: &SecretString) -> bool {
    bearer(headers).is_some_and(|given| matches(given, expected))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn with(authorization: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(authorization).unwrap(),
        );
        headers
    }

    #[test]
    fn only_the_right_bearer_token_passes() {
        let token = SecretString::from("0123456789abcdef".to_string());
        assert!(authorized(&with("Bearer 0123456789abcdef"), &token));
        assert!(authorized(&with("bearer  0123456789abcdef "), &token));
        assert!(!authorized(&with("Bearer 0123456789abcdeF"), &token));
        assert!(!authorized(&with("Basic 0123456789abcdef"), &token));
        assert!(!authorized(&with("Bearer"), &token));
        assert!(!authorized(&HeaderMap::new(), &token));
    }
}
