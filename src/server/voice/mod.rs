//! Voice codes: "Call me instead". The code is read out by a Telnyx Call Control call
//! (or, with the dev outbox, by a simulated call listed at `/dev/outbox`), and the call's
//! signed webhooks drive it: answered → speak the code twice → hang up, with
//! answering-machine detection (`VOICE_ON_MACHINE`). Its progress is recorded as the
//! code's delivery status (`calling`, `answered`, `no_answer`, `completed`, `failed`).
//!
//! Voice is off unless `TELNYX_CONNECTION_ID` is set. The rules a voice code follows
//! (expiry, attempts, binding, caps) are the verifier's and the limiter's, as for SMS.

mod call_control;
mod call_state;
mod events;
mod speech;

pub use call_control::{CallControl, CallControlConfig};
pub use events::CallPayload;
pub use speech::{default_language, Speaker};

use crate::locale::Locale;
use crate::server::{
    delivery::DeliveryTracker,
    domain::{
        clock::{Clock, Millis},
        code::Code,
        phone::PhoneNumber,
        sealer::Sealer,
    },
    sms::{outbox::Outbox, Accepted, SendError},
};
use call_state::{CallState, Stage};
use std::{sync::Arc, time::Duration};

/// What a call does when an answering machine picks up (`VOICE_ON_MACHINE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MachineAction {
    /// Leave the code as a message after the beep.
    Speak,
    /// Hang up (the page then says "No answer: try again").
    Hangup,
}

/// The voice settings; present only when `TELNYX_CONNECTION_ID` is set.
#[derive(Debug, Clone)]
pub struct VoiceSettings {
    /// How calls are placed through Telnyx (the dev outbox simulates them instead when
    /// no `TELNYX_API_KEY` is set).
    pub call_control: CallControlConfig,
    /// `VOICE_ON_MACHINE`.
    pub on_machine: MachineAction,
    /// `VOICE_OFFER_AFTER_SECONDS`: the code page offers a call this long after the SMS.
    pub offer_after: Duration,
    /// `VOICE_FOR_LANDLINES`: fixed-line numbers get a call instead of an SMS.
    pub for_landlines: bool,
    /// The voice and language per locale (`VOICE`, `VOICE_ES`, `VOICE_LANGUAGE_ES`, …),
    /// in [`Locale::ALL`]'s order.
    pub speakers: [Speaker; 5],
}

impl VoiceSettings {
    fn speaker(&self, locale: Locale) -> &Speaker {
        let index = Locale::ALL
            .iter()
            .position(|known| *known == locale)
            .unwrap_or(0);
        &self.speakers[index]
    }
}

/// Who places the calls.
pub enum Caller {
    Telnyx(Box<CallControl>),
    /// No Telnyx key: calls are simulated in the dev outbox.
    Outbox(Arc<Outbox>),
}

/// The voice channel: places code calls and follows them through their webhooks.
pub struct Voice {
    settings: VoiceSettings,
    caller: Caller,
    sealer: Sealer,
    app_name: String,
    tracker: Arc<DeliveryTracker>,
    clock: Arc<dyn Clock>,
}

impl Voice {
    /// `sealing_key` (32 bytes, derived from `SECRET_KEY`) seals what calls carry.
    pub fn new(
        settings: VoiceSettings,
        caller: Caller,
        sealing_key: &[u8],
        app_name: &str,
        tracker: Arc<DeliveryTracker>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, String> {
        Ok(Self {
            settings,
            caller,
            sealer: Sealer::new(sealing_key)?,
            app_name: app_name.to_string(),
            tracker,
            clock,
        })
    }

    /// How long after an SMS the code page offers a call.
    pub fn offer_after(&self) -> Duration {
        self.settings.offer_after
    }

    /// Whether fixed-line numbers are called instead of texted.
    pub fn for_landlines(&self) -> bool {
        self.settings.for_landlines
    }

    /// Calls `to` to read out `code` in `locale`; the call's id comes back as the
    /// message id its webhooks (and the code's delivery status) are keyed by.
    pub async fn call(
        &self,
        to: &PhoneNumber,
        code: &Code,
        locale: Locale,
        expires_at: Millis,
    ) -> Result<Accepted, SendError> {
        match &self.caller {
            Caller::Telnyx(control) => {
                let state = CallState {
                    code: code.as_str().to_string(),
                    locale,
                    expires_at,
                    stage: Stage::Dialled,
                };
                let client_state = state.seal(&self.sealer).map_err(SendError::Transport)?;
                let id = control.dial(to, &client_state).await?;
                Ok(Accepted { id, cost: None })
            }
            Caller::Outbox(outbox) => Ok(outbox.call(to, &self.script(locale, code.as_str()))),
        }
    }

    /// The text a call reads out.
    fn script(&self, locale: Locale, code: &str) -> String {
        speech::script(locale, &self.app_name, code)
    }
}
