//! What a call carries through Telnyx: the code to read out, in which language, until
//! when, and how far the call got, sealed (AES-256-GCM under a key derived from
//! `SECRET_KEY`) into the `client_state` Telnyx echoes on every webhook of the call. So
//! no instance keeps a readable code, any instance can answer the call's webhooks, and
//! nobody can forge or read the state on the way.

use crate::{
    locale::Locale,
    server::domain::{clock::Millis, sealer::Sealer},
};
use base64::{engine::general_purpose::STANDARD, Engine};

/// Associated data that binds sealed call states to this use.
const CONTEXT: &[u8] = b"telnyx-2fa/voice-client-state";

/// How far a call got, as its latest command recorded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Dialled, not answered yet.
    Dialled,
    /// Answered: the code is being read out.
    Speaking,
    /// An answering machine picked up: waiting for its beep to leave the code.
    Machine,
    /// Reading the code out after the machine's beep.
    AfterBeep,
    /// An answering machine picked up and the call was hung up (`VOICE_ON_MACHINE=hangup`).
    HungUpOnMachine,
}

impl Stage {
    fn tag(self) -> char {
        match self {
            Stage::Dialled => 'd',
            Stage::Speaking => 's',
            Stage::Machine => 'm',
            Stage::AfterBeep => 'b',
            Stage::HungUpOnMachine => 'h',
        }
    }

    fn from_tag(tag: char) -> Option<Self> {
        [
            Stage::Dialled,
            Stage::Speaking,
            Stage::Machine,
            Stage::AfterBeep,
            Stage::HungUpOnMachine,
        ]
        .into_iter()
        .find(|stage| stage.tag() == tag)
    }

    /// Someone (or something) picked up.
    pub fn answered(self) -> bool {
        !matches!(self, Stage::Dialled)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallState {
    pub code: String,
    pub locale: Locale,
    /// When the code stops working: a later answer hangs up instead of reading it.
    pub expires_at: Millis,
    pub stage: Stage,
}

impl CallState {
    /// The same call, moved on to `stage`.
    pub fn at(&self, stage: Stage) -> Self {
        Self {
            stage,
            ..self.clone()
        }
    }

    /// The `client_state` value: base64 of the sealed state.
    pub fn seal(&self, sealer: &Sealer) -> Result<String, String> {
        let plain = format!(
            "{}|{}|{}|{}",
            self.stage.tag(),
            self.locale.code(),
            self.expires_at,
            self.code
        );
        Ok(STANDARD.encode(sealer.seal(CONTEXT, plain.as_bytes())?))
    }

    /// The state a webhook's `client_state` carries, if this app sealed it.
    pub fn open(sealer: &Sealer, client_state: &str) -> Option<Self> {
        let sealed = STANDARD.decode(client_state.trim()).ok()?;
        let plain = String::from_utf8(sealer.open(CONTEXT, &sealed)?).ok()?;
        let mut parts = plain.splitn(4, '|');
        let stage = Stage::from_tag(parts.next()?.chars().next()?)?;
        let locale = parts.next()?.parse().ok()?;
        let expires_at = parts.next()?.parse().ok()?;
        let code = parts.next()?.to_string();
        Some(Self {
            code,
            locale,
            expires_at,
            stage,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_hides_the_code() {
        let sealer = Sealer::new(&[3; 32]).unwrap();
        let state = CallState {
            code: "042917".into(),
            locale: Locale::Es,
            expires_at: 1_800_000_000_000,
            stage: Stage::Dialled,
        };
        let sealed = state.seal(&sealer).unwrap();
        assert!(!String::from_utf8_lossy(&STANDARD.decode(&sealed).unwrap()).contains("042917"));
        assert_eq!(CallState::open(&sealer, &sealed), Some(state.clone()));
        let moved = state.at(Stage::Speaking).seal(&sealer).unwrap();
        assert_eq!(
            CallState::open(&sealer, &moved).unwrap().stage,
            Stage::Speaking
        );
        assert_eq!(CallState::open(&sealer, "bm90IG91cnM="), None);
        assert_eq!(
            CallState::open(&Sealer::new(&[4; 32]).unwrap(), &sealed),
            None
        );
    }
}
