//! Everything that runs only on the server: configuration, the verification service,
//! code storage, SMS sending, and the HTTP application around them.

pub mod client_ip;
pub mod clock;
pub mod code;
pub mod code_hash;
pub mod delivery;
pub mod limits;
pub mod outbox_page;
pub mod phone;
pub mod respond;
pub mod secret;
pub mod security;
pub mod session;
pub mod settings;
pub mod sms;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod verification;
pub mod webhook;
