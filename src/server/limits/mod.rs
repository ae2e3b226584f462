//! Abuse limits: who may send how many codes, and guess how often, with typed refusals.
//! Counters live in the shared store, so the limits hold across every app instance.

mod describe;
mod error;
mod limiter;

pub use error::{Limit, LimitError};
pub use limiter::{AllowedCountries, CallCaps, ConversionGuard, LimitSettings, Limiter};
