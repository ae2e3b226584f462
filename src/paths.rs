//! The app's page paths, in one place: the router, the server functions' redirects and
//! the pages' links all use these, and the server's own endpoints. No path carries a
//! phone number.

use leptos_router::StaticSegment;

/// The phone form.
pub const HOME: &str = "/";
/// The code form.
pub const VERIFY: &str = "/verify";
/// The page that confirms a verified number.
pub const VERIFIED: &str = "/verified";

/// Where Telnyx posts delivery reports (signed webhooks).
#[cfg(feature = "ssr")]
pub const TELNYX_WEBHOOK: &str = "/webhooks/telnyx";
/// The dev outbox's page (only without a Telnyx key).
#[cfg(feature = "ssr")]
pub const DEV_OUTBOX: &str = "/dev/outbox";

/// Prometheus metrics (where the metrics are served on the main listener).
#[cfg(feature = "ssr")]
pub const METRICS: &str = "/metrics";
/// The operator's dashboard (only with `ADMIN_TOKEN`), its sign-in and sign-out.
#[cfg(feature = "ssr")]
pub const ADMIN: &str = "/admin";
#[cfg(feature = "ssr")]
pub const ADMIN_LOGIN: &str = "/admin/login";
#[cfg(feature = "ssr")]
pub const ADMIN_LOGOUT: &str = "/admin/logout";

/// A page path as a router segment (`"/verify"` → `verify`).
pub fn segment(path: &'static str) -> StaticSegment<&'static str> {
    StaticSegment(path.trim_start_matches('/'))
}
