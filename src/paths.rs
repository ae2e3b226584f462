//! The app's page paths, in one place: the router, the server functions' redirects and
//! the pages' links all use these. No path carries a phone number.

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
