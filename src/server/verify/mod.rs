//! The verification service: request a code for a number, check a code for a number,
//! with every rule of the flow and typed errors for each way it can fail.

mod error;
mod verifier;

pub use error::VerifyError;
pub use verifier::{CodeRequest, Verifier, VerifierParts, Waiting};
