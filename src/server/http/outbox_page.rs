//! `GET /dev/outbox`: the messages (and simulated calls, with what they would say) the
//! dev outbox holds, newest first. The route exists only when no Telnyx API key is
//! configured.

use super::state::AppState;
use crate::{
    channel::Channel,
    document::head_basics,
    server::{domain::clock::utc_text, sms::outbox::OutboxMessage},
};
use axum::{extract::State, http::StatusCode, response::Html};
use leptos::prelude::*;

pub(crate) async fn show(State(state): State<AppState>) -> Result<Html<String>, StatusCode> {
    let outbox = state.services().outbox().ok_or(StatusCode::NOT_FOUND)?;
    Ok(Html(render(&outbox.messages(), state.leptos_options())))
}

fn render(messages: &[OutboxMessage], options: &LeptosOptions) -> String {
    let rows = messages
        .iter()
        .map(|message| {
            view! {
                <tr
                    class="message"
                    data-to=message.to.clone()
                    data-id=message.id.clone()
                    data-channel=message.channel.as_str()
                >
                    <td class="sent-at" data-millis=message.sent_at>{utc_text(message.sent_at)}</td>
                    <td class="channel">
                        {match message.channel {
                            Channel::Sms => "SMS",
                            Channel::Voice => "Call",
                        }}
                    </td>
                    <td class="to">{message.to.clone()}</td>
                    <td class="text">{message.text.clone()}</td>
                    <td class="status" data-status=message.status.as_str()>{message.status.as_str()}</td>
                </tr>
            }
        })
        .collect_view();
    let count = messages.len();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                {head_basics(options)}
                <title>"Dev outbox"</title>
            </head>
            <body>
                <main class="page wide">
                    <section class="card">
                        <h1>"Dev outbox"</h1>
                        <p class="lead">
                            "No Telnyx API key is configured, so text messages are kept here instead of being sent. "
                            "Set TELNYX_API_KEY and TELNYX_FROM_NUMBER to send real SMS. "
                            "Calls (\"Call me instead\", with TELNYX_CONNECTION_ID) are simulated here too."
                        </p>
                        <p>{count} " message(s), newest first."</p>
                        <table class="outbox">
                            <thead>
                                <tr><th>"Sent"</th><th>"How"</th><th>"To"</th><th>"Text (or what the call says)"</th><th>"Status"</th></tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </section>
                </main>
            </body>
        </html>
    }
    .to_html()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::delivery_status::DeliveryStatus;

    #[test]
    fn escapes_message_text() {
        let html = render(
            &[OutboxMessage {
                id: "1".into(),
                to: "+12125550123".into(),
                text: "<script>alert(1)</script>".into(),
                channel: Channel::Sms,
                sent_at: 0,
                status: DeliveryStatus::Queued,
            }],
            &LeptosOptions::builder().output_name("app").build(),
        );
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("1970-01-01 00:00 UTC"), "a time people read");
        assert!(!html.contains("<script>alert"));
    }
}
