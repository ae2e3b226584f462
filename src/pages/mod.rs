//! The pages of the flow, one per file, and the pieces they share.

mod alert;
mod delivery;
mod home;
mod not_found;
mod verified;
mod verify;
mod web_otp;

pub use home::HomePage;
pub use not_found::NotFound;
pub use verified::VerifiedPage;
pub use verify::VerifyPage;
