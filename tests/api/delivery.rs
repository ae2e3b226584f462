//! Delivery reports: the Telnyx stand-in sends signed `message.sent` and
//! `message.finalized` events to the running app, and the status changes.

use crate::{fake_telnyx::WebhookSender, helpers::*};
use serde_json::Value;

async fn status(app: &TestApp) -> Value {
    let (code, body) = json(app.delivery_status(PHONE).await).await;
    assert_eq!(code, 200, "{body}");
    body["status"].clone()
}

async fn app_with_webhooks(sender: &WebhookSender, extra: &[(&str, &str)]) -> TestApp {
    let key = sender.public_key();
    let mut settings = vec![("TELNYX_PUBLIC_KEY", key.as_str())];
    settings.extend_from_slice(extra);
    spawn_app_with(&settings, None).await
}

#[tokio::test]
async fn signed_events_move_the_status_forward_only() {
    let sender = WebhookSender::new();
    let app = app_with_webhooks(&sender, &[]).await;
    app.request_code(PHONE).await;
    let id = app.telnyx.last_message_id();
    assert_eq!(status(&app).await, "queued");

    let sent = WebhookSender::event("message.sent", &id, "sent");
    assert_eq!(sender.post(&app.address, &sent).await, 204);
    assert_eq!(status(&app).await, "sent");

    let delivered = WebhookSender::event("message.finalized", &id, "delivered");
    assert_eq!(sender.post(&app.address, &delivered).await, 204);
    assert_eq!(
        sender.post(&app.address, &delivered).await,
        204,
        "duplicates are harmless"
    );
    assert_eq!(status(&app).await, "delivered");

    assert_eq!(
        sender.post(&app.address, &sent).await,
        204,
        "a late message.sent"
    );
    assert_eq!(
        status(&app).await,
        "delivered",
        "never overwrites a final status"
    );
}

#[tokio::test]
async fn bad_signatures_are_refused_and_change_nothing() {
    let sender = WebhookSender::new();
    let app = app_with_webhooks(&sender, &[]).await;
    app.request_code(PHONE).await;
    let id = app.telnyx.last_message_id();
    let delivered = WebhookSender::event("message.finalized", &id, "delivered");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();

    // Well outside the window (the server's clock runs on while this test does; the
    // window's exact edges are tested on a manual clock below).
    let tampered = delivered.replace("delivered", "delivery_failed");
    assert_eq!(
        sender
            .post_signed(&app.address, &tampered, now, &delivered)
            .await,
        401
    );
    assert_eq!(
        sender
            .post_signed(&app.address, &delivered, now - 330, &delivered)
            .await,
        401,
        "stale"
    );
    assert_eq!(
        sender
            .post_signed(&app.address, &delivered, now + 330, &delivered)
            .await,
        401,
        "future"
    );
    let stranger = WebhookSender {
        key: ed25519_dalek::SigningKey::from_bytes(&[1; 32]),
        client: reqwest::Client::new(),
    };
    assert_eq!(
        stranger.post(&app.address, &delivered).await,
        401,
        "another key"
    );
    let unsigned = reqwest::Client::new()
        .post(format!("{}/webhooks/telnyx", app.address))
        .body(delivered.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
    assert_eq!(status(&app).await, "queued");
}

#[tokio::test]
async fn without_a_public_key_the_endpoint_does_not_exist() {
    let app = spawn_app().await;
    let sender = WebhookSender::new();
    let body = WebhookSender::event("message.finalized", "x", "delivered");
    assert_eq!(sender.post(&app.address, &body).await, 404);
}

#[tokio::test]
async fn a_failed_delivery_allows_a_new_code_at_once() {
    let sender = WebhookSender::new();
    let app = app_with_webhooks(&sender, &[("RESEND_COOLDOWN_SECONDS", "30")]).await;
    app.request_code(PHONE).await;
    assert_eq!(app.request_code(PHONE).await.status(), 429, "cooling down");

    let failed = WebhookSender::event(
        "message.finalized",
        &app.telnyx.last_message_id(),
        "delivery_failed",
    );
    assert_eq!(sender.post(&app.address, &failed).await, 204);
    assert_eq!(status(&app).await, "delivery_failed");
    assert_eq!(
        app.request_code(PHONE).await.status(),
        200,
        "the cooldown is over"
    );
}

#[tokio::test]
async fn with_a_public_url_sends_name_the_webhook_and_bind_the_code_to_the_origin() {
    let app = spawn_app_with(&[("PUBLIC_URL", "https://auth.example.com")], None).await;
    app.request_code(PHONE).await;
    let sent = app.telnyx.last();
    let code = sent.code();
    assert_eq!(
        sent.body["webhook_url"],
        "https://auth.example.com/webhooks/telnyx"
    );
    assert_eq!(
        sent.body["text"],
        format!("Your telnyx-2fa code is {code}. It expires in 10 minutes.\n\n@auth.example.com #{code}")
    );

    let plain = spawn_app().await;
    plain.request_code(PHONE).await;
    assert!(plain.telnyx.last().body.get("webhook_url").is_none());
}

#[tokio::test]
async fn the_dev_outbox_simulates_delivery() {
    let app = spawn_app_with(&[("TELNYX_API_KEY", "")], None).await;
    app.request_code(PHONE).await;
    assert_eq!(status(&app).await, "queued");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while status(&app).await != "delivered" {
        assert!(std::time::Instant::now() < deadline, "never delivered");
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert!(app
        .page("/dev/outbox")
        .await
        .contains(r#"data-status="delivered""#));
}

/// 2026-01-01T00:00:00Z, a whole second: timestamps around it are exact.
const START: i64 = 1_767_225_600_000;

#[tokio::test]
async fn the_timestamp_window_is_300_seconds_either_way_exactly() {
    let sender = WebhookSender::new();
    let key = sender.public_key();
    let clock = telnyx_2fa::server::domain::clock::ManualClock::starting_at(START);
    let app = spawn_app_with(&[("TELNYX_PUBLIC_KEY", key.as_str())], Some(clock)).await;
    app.request_code(PHONE).await;
    let event = WebhookSender::event("message.sent", &app.telnyx.last_message_id(), "sent");
    let now = (START / 1000) as u64;
    for (timestamp, expected) in [
        (now - 301, 401),
        (now + 301, 401),
        (now - 300, 204),
        (now + 300, 204),
    ] {
        assert_eq!(
            sender
                .post_signed(&app.address, &event, timestamp, &event)
                .await,
            expected,
            "{timestamp} vs {now}"
        );
    }
}

#[tokio::test]
async fn a_signed_but_malformed_body_is_a_400_and_an_unknown_message_changes_nothing() {
    let sender = WebhookSender::new();
    let app = app_with_webhooks(&sender, &[]).await;
    app.request_code(PHONE).await;
    assert_eq!(sender.post(&app.address, "{not json").await, 400);
    assert_eq!(sender.post(&app.address, r#"{"data": {}}"#).await, 400);
    let stranger = WebhookSender::event("message.finalized", "not-our-message", "delivery_failed");
    assert_eq!(sender.post(&app.address, &stranger).await, 204);
    assert_eq!(status(&app).await, "queued");
}

#[tokio::test]
async fn a_store_outage_is_a_503_so_telnyx_retries() {
    let sender = WebhookSender::new();
    let database = crate::postgres::fresh_database().await;
    let app = app_with_webhooks(&sender, &[("DATABASE_URL", &database.url)]).await;
    app.request_code(PHONE).await;
    let event = WebhookSender::event(
        "message.finalized",
        &app.telnyx.last_message_id(),
        "delivered",
    );
    database.drop_now().await;
    assert_eq!(sender.post(&app.address, &event).await, 503);
}
