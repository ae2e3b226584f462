//! The app's page paths, in one place: the router, the server functions' redirects and
//! the pages' links all use these.

use leptos_router::StaticSegment;

/// The phone form.
pub const HOME: &str = "/";
/// The code form.
pub const VERIFY: &str = "/verify";
/// The page that confirms a verified number.
pub const VERIFIED: &str = "/verified";

/// A page path as a router segment (`"/verify"` → `verify`).
pub fn segment(path: &'static str) -> StaticSegment<&'static str> {
    StaticSegment(path.trim_start_matches('/'))
}

/// `path` with `?phone=` naming an E.164 number (its `+` escaped for the query string).
pub fn with_phone(path: &str, e164: &str) -> String {
    format!("{path}?phone={}", e164.replace('+', "%2B"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_queries_keep_their_plus() {
        assert_eq!(
            with_phone(VERIFY, "+12125550123"),
            "/verify?phone=%2B12125550123"
        );
        assert_eq!(with_phone(HOME, "+44"), "/?phone=%2B44");
    }
}
