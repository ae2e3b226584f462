//! Black-box tests: the real application on a random port, sending SMS over real HTTP to
//! a Telnyx-compatible server that the test starts on another port.

mod fake_telnyx;
mod helpers;
mod postgres;

mod admin;
mod api_keys;
mod cli;
mod concurrency;
mod delivery;
mod dev_outbox;
mod fuzz;
mod instances;
mod languages;
mod limits;
mod metrics;
mod no_javascript;
mod oidc;
mod operations;
mod pages;
mod protection;
mod request_code;
mod restart;
mod security;
mod storage;
mod store_failure;
mod telnyx_errors;
mod telnyx_retries;
mod verify_code;
mod voice;
