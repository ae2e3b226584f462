//! Logging: `tracing` to stderr, filtered by `RUST_LOG` (default `info`).
//! Nothing logged anywhere in the app carries a code, an API key or a full number.

use tracing_subscriber::{fmt, EnvFilter};

/// Installs the global subscriber; a second call (tests) is a no-op.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = fmt().with_env_filter(filter).with_target(false).try_init();
}
