//! `POST /api/request-code`: what the app sends to Telnyx, and what it answers.

use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn sends_exactly_the_documented_request_to_telnyx() {
    let app = spawn_app().await;

    let (status, body) = json(app.request_code("(212) 555-0123").await).await;

    assert_eq!(status, 200, "{body}");
    assert_eq!(body["phone"], PHONE);
    assert_eq!(body["masked_phone"], "+1212***0123");
    assert_eq!(body["expires_in_seconds"], 600);

    let received = app.telnyx.received();
    assert_eq!(received.len(), 1);
    let sent = &received[0];
    assert_eq!(
        sent.authorization.as_deref(),
        Some(&*format!("Bearer {API_KEY}"))
    );
    assert_eq!(sent.content_type.as_deref(), Some("application/json"));
    let code = sent.code();
    assert_eq!(code.len(), 6);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(
        sent.body,
        json!({
            "to": PHONE,
            "from": FROM,
            "text": format!("Your telnyx-2fa code is {code}. It expires in 10 minutes."),
        }),
        "no other fields, no messaging_profile_id when none is configured"
    );
}

#[tokio::test]
async fn the_code_from_the_sms_verifies_the_number() {
    let app = spawn_app().await;
    app.request_code("212 555 0123").await;
    let code = app.telnyx.last().code();

    let (status, body) = json(app.verify_code("+1 212-555-0123", &code).await).await;

    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"phone": PHONE, "masked_phone": "+1212***0123"})
    );
}

#[tokio::test]
async fn sends_the_messaging_profile_when_configured() {
    let app = spawn_app_with(
        &[(
            "TELNYX_MESSAGING_PROFILE_ID",
            "4001767e-ce0f-4cae-9d5f-0d5e636e7809",
        )],
        None,
    )
    .await;
    app.request_code(PHONE).await;
    let body = app.telnyx.last().body;
    assert_eq!(
        body["messaging_profile_id"],
        "4001767e-ce0f-4cae-9d5f-0d5e636e7809"
    );
    assert_eq!(body["from"], FROM);
}

#[tokio::test]
async fn hex_codes_of_odd_length_work_end_to_end() {
    let app = spawn_app_with(&[("CODE_ALPHABET", "hex"), ("CODE_LENGTH", "5")], None).await;
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();
    assert_eq!(code.len(), 5);
    assert!(code
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_lowercase()));

    let (status, _) = json(app.verify_code(PHONE, &code.to_lowercase()).await).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn invalid_numbers_get_422_and_nothing_is_sent() {
    let app = spawn_app().await;
    for phone in ["", "hello", "123", "+1 212 555 01234567", &"9".repeat(500)] {
        let (status, body) = json(app.request_code(phone).await).await;
        assert_eq!(status, 422, "{phone}: {body}");
        assert_eq!(body["error"], "invalid_phone");
        assert!(!body["message"].as_str().unwrap().is_empty());
    }
    assert!(app.telnyx.received().is_empty());
}

#[tokio::test]
async fn a_missing_field_is_a_400() {
    let app = spawn_app().await;
    let (status, body) = json(
        app.post_form("/api/request-code", &[("number", PHONE)])
            .await,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "bad_request");
}

#[tokio::test]
async fn a_new_code_invalidates_the_previous_one() {
    let app = spawn_app().await;
    app.request_code(PHONE).await;
    let first = app.telnyx.last().code();
    app.request_code(PHONE).await;
    let second = app.telnyx.last().code();

    if first != second {
        let (status, body) = json(app.verify_code(PHONE, &first).await).await;
        assert_eq!(status, 401, "{body}");
    }
    let (status, _) = json(app.verify_code(PHONE, &second).await).await;
    assert_eq!(status, 200);
}
