//! The pages of the flow, one per file, and the pieces they share.

mod alert;
mod call_me;
mod code_input;
mod code_page;
mod delivery;
mod expiry;
mod home;
mod live;
mod not_found;
mod phone_text;
#[cfg(feature = "hydrate")]
mod post;
mod resend;
mod submit;
mod verified;
mod verify;
#[cfg(feature = "hydrate")]
mod verify_in_place;
#[cfg(feature = "hydrate")]
mod web_otp;

pub(crate) use home::HomePage;
pub(crate) use not_found::NotFound;
pub(crate) use verified::VerifiedPage;
pub(crate) use verify::VerifyPage;
