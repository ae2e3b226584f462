//! The domain's types, each parsing instead of validating: phone numbers, codes and their
//! keyed hashes, the deployment's secret key, and the clock that tells time.

pub(crate) mod api_key;
pub mod clock;
pub(crate) mod code;
pub(crate) mod code_hash;
pub(crate) mod cost;
pub(crate) mod digest;
pub mod phone;
pub(crate) mod sealer;
pub(crate) mod secret;
pub mod verification;
