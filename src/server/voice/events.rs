//! A call's life, driven by its signed Call Control webhooks: `call.answered` → speak the
//! code; an answering machine (`call.machine.detection.ended` with `machine`) → hang up,
//! or (`VOICE_ON_MACHINE=speak`) speak again after its beep
//! (`call.machine.greeting.ended`); `call.speak.ended` → hang up; `call.hangup` → the
//! call's final status. Each step records the code's delivery status through the
//! delivery tracker and sends its command with a `command_id`, so a webhook delivered
//! twice acts once.

use super::{
    call_state::{CallState, Stage},
    CallControl, Caller, MachineAction, Voice,
};
use crate::{
    delivery_status::DeliveryStatus,
    server::{sms::SendError, store::StoreError},
};
use serde::Deserialize;

/// The part of a Call Control webhook's `data.payload` a code call reads.
#[derive(Debug, Deserialize)]
pub struct CallPayload {
    pub call_control_id: String,
    /// What this app's last command put there (sealed), echoed by Telnyx.
    #[serde(default)]
    pub client_state: Option<String>,
    /// Answering-machine detection: `human`, `machine`, `not_sure`, … or, at the end of a
    /// greeting, `beep_detected`, `ended`, `no_beep_detected`.
    #[serde(default)]
    pub result: Option<String>,
    /// On `call.hangup`: `normal_clearing`, `timeout`, `user_busy`, `call_rejected`, …
    #[serde(default)]
    pub hangup_cause: Option<String>,
    /// On `call.speak.ended`: `completed`, or why it stopped early.
    #[serde(default)]
    pub status: Option<String>,
}

/// A webhook that could not be handled now; Telnyx delivers it again.
#[derive(Debug, thiserror::Error)]
pub enum CallEventError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("Telnyx did not take the call command: {0}")]
    Telnyx(SendError),
}

impl Voice {
    /// Handles one signed call event. Events of calls this app did not place (no state it
    /// sealed) are ignored.
    pub async fn handle(&self, event_type: &str, call: CallPayload) -> Result<(), CallEventError> {
        let Caller::Telnyx(control) = &self.caller else {
            return Ok(());
        };
        let Some(state) = call
            .client_state
            .as_deref()
            .and_then(|client_state| CallState::open(&self.sealer, client_state))
        else {
            tracing::info!(event_type, "call event without a state of ours: ignored");
            return Ok(());
        };
        let id = call.call_control_id.as_str();
        let on_machine = self.settings.on_machine;
        let outcome = match event_type {
            "call.answered" => {
                self.tracker
                    .record(id, DeliveryStatus::Answered, None)
                    .await?;
                if self.clock.now() >= state.expires_at {
                    self.hang_up(control, id, &state, "expired").await
                } else {
                    self.say(control, id, &state, Stage::Speaking, "speak", false)
                        .await
                }
            }
            "call.machine.detection.ended" | "call.machine.premium.detection.ended"
                if call.result.as_deref().is_some_and(is_machine) =>
            {
                match on_machine {
                    MachineAction::Hangup => {
                        self.hang_up(control, id, &state.at(Stage::HungUpOnMachine), "machine")
                            .await
                    }
                    // Start over, so the end of the first message doesn't hang up before
                    // the beep; the message is left after it.
                    MachineAction::Speak => {
                        self.say(control, id, &state, Stage::Machine, "speak-machine", true)
                            .await
                    }
                }
            }
            "call.machine.greeting.ended" | "call.machine.premium.greeting.ended"
                if on_machine == MachineAction::Speak =>
            {
                self.say(
                    control,
                    id,
                    &state,
                    Stage::AfterBeep,
                    "speak-after-beep",
                    true,
                )
                .await
            }
            "call.speak.ended"
                if matches!(state.stage, Stage::Speaking | Stage::AfterBeep)
                    && call
                        .status
                        .as_deref()
                        .is_none_or(|status| status == "completed") =>
            {
                self.hang_up(control, id, &state, "done").await
            }
            "call.hangup" => {
                let status = final_status(state.stage, call.hangup_cause.as_deref());
                self.tracker.record(id, status, None).await?;
                tracing::info!(status = status.as_str(), "call ended");
                Ok(())
            }
            _ => Ok(()),
        };
        match outcome {
            Ok(()) => Ok(()),
            // The call is gone, or Telnyx refused the command for good: nothing to retry.
            Err(error) if !retryable(&error) => {
                tracing::warn!(event_type, %error, "call command refused");
                Ok(())
            }
            Err(error) => Err(CallEventError::Telnyx(error)),
        }
    }

    /// Speaks the code, moving the call to `stage`.
    async fn say(
        &self,
        control: &CallControl,
        id: &str,
        state: &CallState,
        stage: Stage,
        step: &str,
        interrupt: bool,
    ) -> Result<(), SendError> {
        let next = state.at(stage);
        let client_state = next.seal(&self.sealer).map_err(SendError::Transport)?;
        let text = self.script(state.locale, &state.code);
        let speaker = self.settings.speaker(state.locale);
        control
            .speak(
                id,
                &text,
                speaker,
                &client_state,
                &format!("{step}-{id}"),
                interrupt,
            )
            .await
    }

    async fn hang_up(
        &self,
        control: &CallControl,
        id: &str,
        state: &CallState,
        step: &str,
    ) -> Result<(), SendError> {
        let client_state = state.seal(&self.sealer).map_err(SendError::Transport)?;
        control
            .hangup(id, &client_state, &format!("hangup-{step}-{id}"))
            .await
    }
}

/// A detection result that means a machine (`machine`, premium `machine`, …).
fn is_machine(result: &str) -> bool {
    result.starts_with("machine")
}

/// The status a call ends with: completed once someone picked up (no answer when it was
/// a machine the call hung up on); else no answer for the ways a call goes unanswered,
/// failed for the rest.
fn final_status(stage: Stage, cause: Option<&str>) -> DeliveryStatus {
    match stage {
        Stage::HungUpOnMachine => DeliveryStatus::NoAnswer,
        stage if stage.answered() => DeliveryStatus::Completed,
        _ => match cause.unwrap_or_default() {
            "timeout" | "no_answer" | "user_busy" | "call_rejected" | "originator_cancel"
            | "normal_clearing" => DeliveryStatus::NoAnswer,
            _ => DeliveryStatus::Failed,
        },
    }
}

/// Worth Telnyx delivering the webhook again: the command may not have reached it.
fn retryable(error: &SendError) -> bool {
    matches!(
        error,
        SendError::Timeout
            | SendError::Transport(_)
            | SendError::Upstream { .. }
            | SendError::RateLimited { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_ends_completed_only_once_answered() {
        use DeliveryStatus::{Completed, Failed, NoAnswer};
        let cases = [
            (Stage::Speaking, "normal_clearing", Completed),
            (Stage::Dialled, "timeout", NoAnswer),
            (Stage::Dialled, "user_busy", NoAnswer),
            (Stage::Dialled, "destination_out_of_order", Failed),
            (Stage::HungUpOnMachine, "normal_clearing", NoAnswer),
        ];
        for (stage, cause, status) in cases {
            assert_eq!(
                final_status(stage, Some(cause)),
                status,
                "{stage:?} {cause}"
            );
        }
        assert!(is_machine("machine") && !is_machine("human") && !is_machine("not_sure"));
    }
}
