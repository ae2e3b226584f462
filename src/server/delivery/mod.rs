//! Delivery reports for sent codes: checking that a report really comes from Telnyx
//! (its Ed25519 signature), and recording it against the code it belongs to.

mod signature;
mod tracker;

pub use signature::WebhookVerifier;
pub use tracker::DeliveryTracker;
