//! The Telnyx Call Control (Voice API v2) commands a code call needs: dial
//! (`POST /v2/calls`), speak (`POST /v2/calls/{call_control_id}/actions/speak`) and hang
//! up (`…/actions/hangup`). Requests, retries and error classes are the messaging
//! client's ([`TelnyxClient::post`]); every command after the dial carries a
//! `command_id`, so a retried command (or a webhook delivered twice) acts once.

use super::{speech::Speaker, MachineAction};
use crate::server::{
    domain::phone::PhoneNumber,
    sms::{
        telnyx::{parse_answer, TelnyxClient},
        SendError,
    },
};
use rand::Rng;
use serde::{Deserialize, Serialize};
use url::Url;

/// How long a call rings before Telnyx gives up (`call.hangup` with `timeout`).
const RING_SECONDS: u32 = 30;
/// A code call never lasts longer than this once answered (a machine that never beeps).
const TIME_LIMIT_SECONDS: u32 = 120;

/// Where calls come from and where their webhooks go.
#[derive(Debug, Clone)]
pub struct CallControlConfig {
    /// `TELNYX_CONNECTION_ID`: the Call Control application that places the calls.
    pub connection_id: String,
    /// `TELNYX_VOICE_FROM_NUMBER`, else `TELNYX_FROM_NUMBER` (required with a Telnyx key).
    pub from: Option<String>,
    /// `{PUBLIC_URL}/webhooks/telnyx`; else the application's own webhook URL is used.
    pub webhook_url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CallControl {
    client: TelnyxClient,
    calls_url: Url,
    config: CallControlConfig,
    on_machine: MachineAction,
}

#[derive(Serialize)]
struct Dial<'a> {
    connection_id: &'a str,
    to: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook_url: Option<&'a str>,
    client_state: &'a str,
    command_id: String,
    answering_machine_detection: &'static str,
    timeout_secs: u32,
    time_limit_secs: u32,
}

#[derive(Deserialize)]
struct Dialled {
    data: DialledCall,
}

#[derive(Deserialize)]
struct DialledCall {
    call_control_id: String,
}

#[derive(Serialize)]
struct Speak<'a> {
    payload: &'a str,
    payload_type: &'static str,
    voice: &'a str,
    language: &'a str,
    client_state: &'a str,
    command_id: &'a str,
    /// `all`: stop what is being said (the greeting-time message) and say this instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    stop: Option<&'static str>,
}

#[derive(Serialize)]
struct Hangup<'a> {
    client_state: &'a str,
    command_id: &'a str,
}

impl CallControl {
    pub fn new(
        client: TelnyxClient,
        config: CallControlConfig,
        on_machine: MachineAction,
    ) -> Result<Self, String> {
        let calls_url = client
            .url("v2/calls")
            .map_err(|error| format!("cannot build the calls URL: {error}"))?;
        Ok(Self {
            client,
            calls_url,
            config,
            on_machine,
        })
    }

    /// Places a call to `to` carrying `client_state`; returns its `call_control_id`.
    /// Answering-machine detection is on: `detect_beep` when a machine gets the code after
    /// its beep, `detect` when the call just hangs up on it.
    pub async fn dial(&self, to: &PhoneNumber, client_state: &str) -> Result<String, SendError> {
        let body = Dial {
            connection_id: &self.config.connection_id,
            to: to.as_e164(),
            from: self.config.from.as_deref(),
            webhook_url: self.config.webhook_url.as_deref(),
            client_state,
            command_id: format!("dial-{:032x}", rand::rng().random::<u128>()),
            answering_machine_detection: match self.on_machine {
                MachineAction::Speak => "detect_beep",
                MachineAction::Hangup => "detect",
            },
            timeout_secs: RING_SECONDS,
            time_limit_secs: TIME_LIMIT_SECONDS,
        };
        let bytes = self.client.post(&self.calls_url, &body).await?;
        let dialled: Dialled = parse_answer(&bytes, "a call object")?;
        Ok(dialled.data.call_control_id)
    }

    /// Says `text` on the call; `interrupt` stops anything being said first.
    pub async fn speak(
        &self,
        call_control_id: &str,
        text: &str,
        speaker: &Speaker,
        client_state: &str,
        command_id: &str,
        interrupt: bool,
    ) -> Result<(), SendError> {
        let body = Speak {
            payload: text,
            payload_type: "text",
            voice: &speaker.voice,
            language: &speaker.language,
            client_state,
            command_id,
            stop: interrupt.then_some("all"),
        };
        let url = self.action_url(call_control_id, "speak")?;
        self.client.post(&url, &body).await.map(drop)
    }

    /// Hangs the call up.
    pub async fn hangup(
        &self,
        call_control_id: &str,
        client_state: &str,
        command_id: &str,
    ) -> Result<(), SendError> {
        let url = self.action_url(call_control_id, "hangup")?;
        let body = Hangup {
            client_state,
            command_id,
        };
        self.client.post(&url, &body).await.map(drop)
    }

    /// `{calls}/{call_control_id}/actions/{action}`, the id escaped as one path segment.
    fn action_url(&self, call_control_id: &str, action: &str) -> Result<Url, SendError> {
        let mut url = self.calls_url.clone();
        url.path_segments_mut()
            .map_err(|_| SendError::InvalidResponse("the API base can't take a path".into()))?
            .push(call_control_id)
            .push("actions")
            .push(action);
        Ok(url)
    }
}
