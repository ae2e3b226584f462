//! Everything that runs only on the server, in layers that depend one way:
//!
//! ```text
//! http      the HTTP edge: startup, routes, state, errors → statuses, cookies, pages
//!   ↓
//! services  builds the service graph below from the configuration
//!   ↓
//! verify → limits, voice → sms → delivery      the services (no Leptos, no axum)
//!   ↓
//! domain, store                         types that parse, and where state lives
//! ```
//!
//! `activity` tells what happened to the metrics (`metrics`, this instance) and to the
//! operator's record (the store, every instance). `config` turns settings into the parts
//! each layer takes; `telemetry` sets up logging.
//! Only what `main.rs` and the black-box tests need is `pub`.

pub(crate) mod activity;
pub mod check;
pub mod config;
pub(crate) mod delivery;
pub mod domain;
pub mod http;
pub(crate) mod limits;
pub mod metrics;
pub mod oidc;
pub mod rotate;
pub(crate) mod services;
pub(crate) mod sms;
pub mod store;
pub mod telemetry;
pub(crate) mod verify;
pub(crate) mod voice;
