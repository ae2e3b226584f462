//! Voice codes ("Call me instead") end to end: the app dials through the Telnyx stand-in's
//! Call Control API, the stand-in sends the call's signed webhooks back, the app speaks
//! the code and hangs up, and the code the call read out verifies. Caps, errors,
//! answering machines, and the dev outbox's simulated calls.

use crate::{
    fake_telnyx::{FakeTelnyx, Reply, WebhookSender},
    helpers::*,
};
use reqwest::Response;
use serde_json::{json, Value};

const CONNECTION_ID: &str = "1684641123236054244";
const PUBLIC_URL: &str = "https://auth.example.com";

async fn voice_app(sender: &WebhookSender, extra: &[(&str, &str)]) -> TestApp {
    let key = sender.public_key();
    let mut settings = vec![
        ("TELNYX_PUBLIC_KEY", key.as_str()),
        ("TELNYX_CONNECTION_ID", CONNECTION_ID),
        ("PUBLIC_URL", PUBLIC_URL),
    ];
    settings.extend_from_slice(extra);
    spawn_app_with(&settings, None).await
}

/// `POST /api/request-code` with extra form fields, remembering the verification.
async fn request(app: &TestApp, fields: &[(&str, &str)]) -> Response {
    let mut form = vec![("phone", PHONE)];
    form.extend_from_slice(fields);
    let response = app.post_form("/api/request-code", &form).await;
    let (status, body) = json(response).await;
    if let Some(id) = body["verification_id"].as_str() {
        app.adopt_verification(PHONE, id);
    }
    rebuild(status, body)
}

/// `POST /api/resend-code` for the test number's verification, with extra fields.
async fn resend(app: &TestApp, fields: &[(&str, &str)]) -> (u16, Value) {
    let id = app.verification_of(PHONE).expect("a verification");
    let mut form = vec![("verification_id", id.as_str())];
    form.extend_from_slice(fields);
    json(app.post_form("/api/resend-code", &form).await).await
}

/// `POST /api/request-code` for a call to `phone` (not the test number).
async fn call_for(app: &TestApp, phone: &str) -> (u16, Value) {
    json(
        app.post_form(
            "/api/request-code",
            &[("phone", phone), ("channel", "voice")],
        )
        .await,
    )
    .await
}

/// Asserts an error answer: its status and `error` kind.
fn refused(status: u16, body: &Value, expected_status: u16, kind: &str, why: &str) {
    assert_eq!(
        (status, body["error"].as_str()),
        (expected_status, Some(kind)),
        "{why}: {body}"
    );
}

fn rebuild(status: u16, body: Value) -> Response {
    Response::from(
        http::Response::builder()
            .status(status)
            .body(body.to_string())
            .unwrap(),
    )
}

async fn call_status(app: &TestApp) -> String {
    let (code, body) = json(app.delivery_status(PHONE).await).await;
    assert_eq!(code, 200, "{body}");
    body["status"].as_str().unwrap().to_string()
}

/// The code a `speak` command reads out: its digits, said twice ("1, 2, 3").
fn code_in(speak: &Value) -> String {
    let text = speak["payload"].as_str().expect("a payload");
    let spelled = text
        .split(": ")
        .nth(1)
        .expect("the code follows a colon")
        .split('.')
        .next()
        .unwrap();
    assert_eq!(text.matches(spelled).count(), 2, "said twice: {text}");
    spelled.split(", ").collect()
}

async fn event(app: &TestApp, sender: &WebhookSender, id: &str, kind: &str, extra: Value) {
    let status = app
        .telnyx
        .call_event(sender, &app.address, id, kind, extra)
        .await;
    assert_eq!(status, 204, "{kind}");
}

fn actions(telnyx: &FakeTelnyx, id: &str) -> Vec<String> {
    telnyx
        .commands(id)
        .into_iter()
        .map(|(action, _)| action)
        .collect()
}

#[tokio::test]
async fn a_voice_code_is_read_out_and_verifies() {
    let sender = WebhookSender::new();
    let app = voice_app(&sender, &[]).await;
    let (status, body) = json(request(&app, &[("channel", "voice")]).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["channel"], "voice");
    assert!(app.telnyx.received().is_empty(), "no SMS");

    let dial = app.telnyx.dials()[0].clone();
    assert_eq!(
        dial.authorization.as_deref(),
        Some(&*format!("Bearer {API_KEY}"))
    );
    assert_eq!(dial.body["connection_id"], CONNECTION_ID);
    assert_eq!(dial.body["to"], PHONE);
    assert_eq!(dial.body["from"], FROM);
    assert_eq!(
        dial.body["webhook_url"],
        format!("{PUBLIC_URL}/webhooks/telnyx")
    );
    assert_eq!(dial.body["answering_machine_detection"], "detect_beep");
    let state = dial.body["client_state"].as_str().unwrap();
    assert!(base64_decodes(state), "client_state is base64");
    let id = app.telnyx.last_call_id();
    assert_eq!(call_status(&app).await, "calling");

    event(
        &app,
        &sender,
        &id,
        "call.initiated",
        json!({"state": "bridging"}),
    )
    .await;
    assert!(
        app.telnyx.commands(&id).is_empty(),
        "nothing to say before the answer"
    );
    event(&app, &sender, &id, "call.answered", json!({})).await;
    assert_eq!(call_status(&app).await, "answered");
    let speak = app
        .telnyx
        .spoken(&id)
        .expect("the code is spoken on answer");
    assert_eq!(speak["voice"], "female");
    assert_eq!(speak["language"], "en-US");
    assert_eq!(speak["payload_type"], "text");
    assert!(speak["command_id"]
        .as_str()
        .is_some_and(|id| !id.is_empty()));
    let code = code_in(&speak);
    assert_eq!(code.len(), 6);
    assert!(!state.contains(&code), "the code travels sealed");

    // Telnyx delivers a webhook twice now and then: the code is said once.
    event(&app, &sender, &id, "call.answered", json!({})).await;
    let speaks = actions(&app.telnyx, &id)
        .iter()
        .filter(|a| *a == "speak")
        .count();
    let ids: std::collections::BTreeSet<_> = app
        .telnyx
        .commands(&id)
        .iter()
        .map(|(_, body)| body["command_id"].to_string())
        .collect();
    assert_eq!(
        ids.len(),
        1,
        "a repeated speak carries the same command_id ({speaks} sent)"
    );

    event(
        &app,
        &sender,
        &id,
        "call.speak.ended",
        json!({"status": "completed"}),
    )
    .await;
    assert!(actions(&app.telnyx, &id).contains(&"hangup".to_string()));
    event(
        &app,
        &sender,
        &id,
        "call.hangup",
        json!({"hangup_cause": "normal_clearing", "hangup_source": "caller"}),
    )
    .await;
    assert_eq!(call_status(&app).await, "completed");

    let (status, body) = json(app.verify_code(PHONE, &code).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["phone"], PHONE);
}

fn base64_decodes(text: &str) -> bool {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .is_ok()
}

#[tokio::test]
async fn call_me_instead_replaces_the_sms_code() {
    let sender = WebhookSender::new();
    let app = voice_app(&sender, &[("RESEND_COOLDOWN_SECONDS", "30")]).await;
    let (status, body) = json(request(&app, &[]).await).await;
    assert_eq!((status, &body["channel"]), (200, &json!("sms")), "{body}");
    assert_eq!(body["voice_offer_in_seconds"], 30);
    let sms_code = app.telnyx.last().code();

    // Within the SMS cooldown, a call is still allowed: calls have their own.
    let (status, body) = resend(&app, &[("channel", "voice")]).await;
    assert_eq!(status, 200, "{body}");
    // The code page's data says how the code went out.
    let verification = app.verification_of(PHONE).unwrap();
    let (_, pending) = json(
        app.post_form("/api/verification", &[("verification_id", &verification)])
            .await,
    )
    .await;
    assert_eq!(pending["channel"], "voice", "{pending}");
    assert_eq!(pending["status"], "calling");
    let wait = pending["voice_offer_in_seconds"].as_u64().unwrap();
    assert!((28..=30).contains(&wait), "{pending}");
    let (status, body) = resend(&app, &[("channel", "voice")]).await;
    refused(status, &body, 429, "rate_limited", "");

    let id = app.telnyx.last_call_id();
    event(&app, &sender, &id, "call.answered", json!({})).await;
    let voice_code = code_in(&app.telnyx.spoken(&id).unwrap());

    if sms_code != voice_code {
        let (status, body) = json(app.verify_code(PHONE, &sms_code).await).await;
        refused(status, &body, 401, "wrong_code", "");
    }
    let (status, body) = json(app.verify_code(PHONE, &voice_code).await).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_failed_sms_offers_the_call_at_once() {
    let sender = WebhookSender::new();
    let app = voice_app(&sender, &[("VOICE_OFFER_AFTER_SECONDS", "300")]).await;
    request(&app, &[]).await;
    let id = app.verification_of(PHONE).unwrap();
    let pending = || async {
        json(
            app.post_form("/api/verification", &[("verification_id", &id)])
                .await,
        )
        .await
        .1
    };
    let wait = pending().await["voice_offer_in_seconds"].as_u64().unwrap();
    assert!((295..=300).contains(&wait), "{wait}");
    let failed = WebhookSender::event(
        "message.finalized",
        &app.telnyx.last_message_id(),
        "delivery_failed",
    );
    assert_eq!(sender.post(&app.address, &failed).await, 204);
    assert_eq!(pending().await["voice_offer_in_seconds"], 0);
}

#[tokio::test]
async fn an_answering_machine_is_hung_up_on_and_the_call_can_be_retried() {
    let sender = WebhookSender::new();
    let app = voice_app(
        &sender,
        &[
            ("VOICE_ON_MACHINE", "hangup"),
            ("RESEND_COOLDOWN_SECONDS", "60"),
        ],
    )
    .await;
    request(&app, &[("channel", "voice")]).await;
    assert_eq!(
        app.telnyx.dials()[0].body["answering_machine_detection"],
        "detect"
    );
    let id = app.telnyx.last_call_id();
    let (status, body) = resend(&app, &[("channel", "voice")]).await;
    refused(status, &body, 429, "rate_limited", "cooldown");

    event(&app, &sender, &id, "call.answered", json!({})).await;
    event(
        &app,
        &sender,
        &id,
        "call.machine.detection.ended",
        json!({"result": "machine"}),
    )
    .await;
    assert_eq!(actions(&app.telnyx, &id), ["speak", "hangup"]);
    event(
        &app,
        &sender,
        &id,
        "call.hangup",
        json!({"hangup_cause": "normal_clearing"}),
    )
    .await;
    assert_eq!(call_status(&app).await, "no_answer");

    let (status, body) = resend(&app, &[("channel", "voice")]).await;
    assert_eq!(status, 200, "an unanswered call ends the cooldown: {body}");
}

#[tokio::test]
async fn an_answering_machine_gets_the_code_after_its_beep() {
    let sender = WebhookSender::new();
    let app = voice_app(&sender, &[]).await;
    request(&app, &[("channel", "voice")]).await;
    let id = app.telnyx.last_call_id();
    event(&app, &sender, &id, "call.answered", json!({})).await;
    event(
        &app,
        &sender,
        &id,
        "call.machine.detection.ended",
        json!({"result": "machine"}),
    )
    .await;
    // The greeting plays on: the message started over must not hang up when it ends.
    event(
        &app,
        &sender,
        &id,
        "call.speak.ended",
        json!({"status": "completed"}),
    )
    .await;
    assert_eq!(actions(&app.telnyx, &id), ["speak", "speak"]);
    assert_eq!(app.telnyx.spoken(&id).unwrap()["stop"], "all");
    event(
        &app,
        &sender,
        &id,
        "call.machine.greeting.ended",
        json!({"result": "beep_detected"}),
    )
    .await;
    assert_eq!(actions(&app.telnyx, &id), ["speak", "speak", "speak"]);
    let after_beep = app.telnyx.spoken(&id).unwrap();
    assert_eq!(after_beep["stop"], "all");
    event(
        &app,
        &sender,
        &id,
        "call.speak.ended",
        json!({"status": "completed"}),
    )
    .await;
    assert_eq!(actions(&app.telnyx, &id).last().unwrap(), "hangup");
    event(
        &app,
        &sender,
        &id,
        "call.hangup",
        json!({"hangup_cause": "normal_clearing"}),
    )
    .await;
    assert_eq!(call_status(&app).await, "completed");
    let (status, _) = json(app.verify_code(PHONE, &code_in(&after_beep)).await).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn unanswered_and_failed_calls_say_so() {
    let sender = WebhookSender::new();
    let app = voice_app(&sender, &[]).await;
    request(&app, &[("channel", "voice")]).await;
    let id = app.telnyx.last_call_id();
    event(
        &app,
        &sender,
        &id,
        "call.hangup",
        json!({"hangup_cause": "timeout"}),
    )
    .await;
    assert_eq!(call_status(&app).await, "no_answer");
    assert!(app.telnyx.commands(&id).is_empty());

    request(&app, &[("channel", "voice")]).await;
    let id = app.telnyx.last_call_id();
    event(
        &app,
        &sender,
        &id,
        "call.hangup",
        json!({"hangup_cause": "destination_out_of_order"}),
    )
    .await;
    assert_eq!(call_status(&app).await, "failed");
}

#[tokio::test]
async fn call_events_are_signed_and_must_carry_our_state() {
    let sender = WebhookSender::new();
    let app = voice_app(&sender, &[]).await;
    request(&app, &[("channel", "voice")]).await;
    let id = app.telnyx.last_call_id();
    let answered = json!({"data": {"event_type": "call.answered", "payload": {"call_control_id": id, "client_state": "Zm9yZ2Vk"}}}).to_string();
    assert_eq!(
        sender.post(&app.address, &answered).await,
        204,
        "a state not sealed by us"
    );
    let forged = WebhookSender {
        key: ed25519_dalek::SigningKey::from_bytes(&[1; 32]),
        client: reqwest::Client::new(),
    };
    assert_eq!(
        app.telnyx
            .call_event(&forged, &app.address, &id, "call.answered", json!({}))
            .await,
        401,
        "an unsigned (wrongly signed) event"
    );
    assert!(app.telnyx.commands(&id).is_empty(), "nothing was said");
    assert_eq!(call_status(&app).await, "calling");
}

#[tokio::test]
async fn calls_speak_the_requested_language_with_its_voice() {
    let sender = WebhookSender::new();
    let app = voice_app(
        &sender,
        &[
            ("VOICE_ES", "AWS.Polly.Lupe-Neural"),
            ("VOICE_LANGUAGE_PT", "pt-PT"),
        ],
    )
    .await;
    request(&app, &[("channel", "voice"), ("locale", "es-MX")]).await;
    let id = app.telnyx.last_call_id();
    event(&app, &sender, &id, "call.answered", json!({})).await;
    let speak = app.telnyx.spoken(&id).unwrap();
    assert_eq!(speak["voice"], "AWS.Polly.Lupe-Neural");
    assert_eq!(speak["language"], "es-ES");
    assert!(
        speak["payload"].as_str().unwrap().contains("código"),
        "{speak}"
    );

    request(&app, &[("channel", "voice"), ("locale", "pt")]).await;
    let id = app.telnyx.last_call_id();
    event(&app, &sender, &id, "call.answered", json!({})).await;
    let speak = app.telnyx.spoken(&id).unwrap();
    assert_eq!(
        (&speak["voice"], &speak["language"]),
        (&json!("female"), &json!("pt-PT"))
    );

    let (status, body) = json(request(&app, &[("channel", "voice"), ("locale", "xx")]).await).await;
    refused(status, &body, 400, "bad_request", "");
}

#[tokio::test]
async fn landlines_are_called_when_configured() {
    let sender = WebhookSender::new();
    let app = voice_app(&sender, &[("VOICE_FOR_LANDLINES", "true")]).await;
    let landline = "+44 20 7183 8750";
    let (status, body) = json(
        app.post_form("/api/request-code", &[("phone", landline)])
            .await,
    )
    .await;
    assert_eq!((status, &body["channel"]), (200, &json!("voice")), "{body}");
    assert_eq!(app.telnyx.dials()[0].body["to"], "+442071838750");
    let (status, body) = json(
        app.post_form("/api/request-code", &[("phone", "+44 7400 123456")])
            .await,
    )
    .await;
    assert_eq!(
        (status, &body["channel"]),
        (200, &json!("sms")),
        "a mobile: {body}"
    );
    let (status, body) = json(
        app.post_form(
            "/api/request-code",
            &[("phone", landline), ("channel", "sms")],
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, &body["channel"]),
        (200, &json!("sms")),
        "asked for SMS: {body}"
    );
}

#[tokio::test]
async fn calls_have_their_own_caps_and_refusals_come_before_dialling() {
    let sender = WebhookSender::new();
    let app = voice_app(
        &sender,
        &[
            ("CALLS_PER_NUMBER", "1"),
            ("CALLS_PER_IP_PER_HOUR", "2"),
            ("ALLOWED_COUNTRIES", "US"),
        ],
    )
    .await;
    let (status, _) = json(request(&app, &[("channel", "voice")]).await).await;
    assert_eq!(status, 200);
    let (status, body) = json(request(&app, &[("channel", "voice")]).await).await;
    refused(status, &body, 429, "rate_limited", "");
    assert!(body["retry_after_seconds"].as_u64().unwrap() > 0);
    let (status, _) = json(request(&app, &[]).await).await;
    assert_eq!(status, 200, "SMS is counted apart");

    let (status, body) = call_for(&app, "+1 900 234 5678").await;
    refused(status, &body, 422, "number_not_allowed", "");
    let (status, body) = call_for(&app, "+44 7400 123456").await;
    refused(status, &body, 422, "country_not_allowed", "");
    let (status, body) = call_for(&app, "+1 212 555 0199").await;
    refused(status, &body, 429, "rate_limited", "per IP");
    assert_eq!(
        app.telnyx.dials().len(),
        1,
        "only the first call was dialled"
    );
}

#[tokio::test]
async fn dial_errors_are_clear_and_keep_the_sms_code() {
    let sender = WebhookSender::new();
    let app = voice_app(&sender, &[]).await;
    request(&app, &[]).await;
    let sms_code = app.telnyx.last().code();
    app.telnyx.reply_next(Reply::Error {
        status: 422,
        headers: vec![],
        body: json!({"errors": [{"code": "10015", "title": "Invalid value", "source": {"pointer": "/to"}}]}).to_string(),
    });
    let (status, body) = resend(&app, &[("channel", "voice")]).await;
    refused(status, &body, 422, "undeliverable_number", "");
    app.telnyx
        .reply_next(Reply::telnyx_error(401, "10009", "Authentication failed"));
    let (status, body) = resend(&app, &[("channel", "voice")]).await;
    refused(status, &body, 502, "call_failed", "");
    let (status, body) = json(app.verify_code(PHONE, &sms_code).await).await;
    assert_eq!(status, 200, "the SMS code still works: {body}");
}

#[tokio::test]
async fn voice_is_off_without_a_connection_and_bad_fields_are_refused() {
    let app = spawn_app().await;
    let (status, body) = json(request(&app, &[("channel", "voice")]).await).await;
    refused(status, &body, 400, "voice_unavailable", "");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("Calls are not available"));
    let (status, body) = json(request(&app, &[("channel", "fax")]).await).await;
    refused(status, &body, 400, "bad_request", "");
    let (status, body) = json(request(&app, &[("channel", "sms")]).await).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("voice_offer_in_seconds").is_none(), "{body}");
}

#[tokio::test]
async fn the_dev_outbox_simulates_the_call() {
    let app = spawn_app_with(
        &[
            ("TELNYX_API_KEY", ""),
            ("TELNYX_CONNECTION_ID", CONNECTION_ID),
        ],
        None,
    )
    .await;
    let (status, body) = json(request(&app, &[("channel", "voice")]).await).await;
    assert_eq!((status, &body["channel"]), (200, &json!("voice")), "{body}");
    let page = app.page("/dev/outbox").await;
    assert!(page.contains(r#"data-channel="voice""#), "{page}");
    let spoken = page
        .split("verification code is: ")
        .nth(1)
        .expect("the call's text is listed")
        .split('.')
        .next()
        .unwrap()
        .replace(", ", "");
    assert_eq!(call_status(&app).await, "calling");
    tokio::time::sleep(std::time::Duration::from_millis(2000)).await;
    assert_eq!(call_status(&app).await, "answered");
    let (status, body) = json(app.verify_code(PHONE, &spoken).await).await;
    assert_eq!(status, 200, "{body}");
}
