//! The pages of the flow, one per file, and the pieces they share.

mod alert;
mod call_me;
mod delivery;
mod expiry;
mod home;
mod not_found;
mod phone_text;
mod submit;
mod verified;
mod verify;
mod web_otp;

pub(crate) use home::HomePage;
pub(crate) use not_found::NotFound;
pub(crate) use verified::VerifiedPage;
pub(crate) use verify::VerifyPage;
