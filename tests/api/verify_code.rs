//! `POST /api/verify-code`: binding, attempts, expiry, single use.

use crate::helpers::*;
use std::time::Duration;
use telnyx_2fa::server::domain::clock::ManualClock;

#[tokio::test]
async fn a_code_works_exactly_once() {
    let app = spawn_app().await;
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();

    assert_eq!(json(app.verify_code(PHONE, &code).await).await.0, 200);
    let (status, body) = json(app.verify_code(PHONE, &code).await).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "no_pending_code");
}

#[tokio::test]
async fn a_code_may_be_typed_in_groups() {
    let app = spawn_app().await;
    for (phone, separator) in [(PHONE, " "), ("+12125550124", "-")] {
        app.request_code(phone).await;
        let code = app.telnyx.last().code();
        let grouped = format!("{}{separator}{}", &code[..3], &code[3..]);
        let (status, body) = json(app.verify_code(phone, &grouped).await).await;
        assert_eq!(status, 200, "{grouped}: {body}");
    }
}

#[tokio::test]
async fn a_code_is_bound_to_the_number_it_was_sent_to() {
    let app = spawn_app().await;
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();

    let (status, body) = json(app.verify_code("+12125550199", &code).await).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"], "no_pending_code");
}

#[tokio::test]
async fn wrong_codes_count_down_then_the_code_is_dead() {
    let app = spawn_app().await;
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();
    let wrong = other_code(&code);

    for left in (0..5).rev() {
        let (status, body) = json(app.verify_code(PHONE, &wrong).await).await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(body["error"], "wrong_code");
        assert_eq!(body["attempts_left"], left);
    }
    let (status, body) = json(app.verify_code(PHONE, &code).await).await;
    assert_eq!(status, 403, "the right code no longer works: {body}");
    assert_eq!(body["error"], "too_many_attempts");
}

#[tokio::test]
async fn the_attempt_limit_is_configurable() {
    let app = spawn_app_with(&[("CODE_MAX_ATTEMPTS", "2")], None).await;
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();
    let wrong = other_code(&code);
    assert_eq!(
        json(app.verify_code(PHONE, &wrong).await).await.1["attempts_left"],
        1
    );
    assert_eq!(
        json(app.verify_code(PHONE, &wrong).await).await.1["attempts_left"],
        0
    );
    assert_eq!(json(app.verify_code(PHONE, &code).await).await.0, 403);
}

#[tokio::test]
async fn codes_expire_after_the_configured_ttl() {
    let clock = ManualClock::starting_at(1_800_000_000_000);
    let app = spawn_app_with(&[("CODE_TTL_SECONDS", "120")], Some(clock.clone())).await;
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();
    assert!(app.telnyx.last().body["text"]
        .as_str()
        .unwrap()
        .ends_with("It expires in 2 minutes."));

    clock.advance(Duration::from_secs(120));
    let (status, body) = json(app.verify_code(PHONE, &code).await).await;
    assert_eq!(status, 410, "{body}");
    assert_eq!(body["error"], "code_expired");
}

#[tokio::test]
async fn no_code_requested_is_a_404() {
    let app = spawn_app().await;
    let (status, body) = json(app.verify_code(PHONE, "123456").await).await;
    assert_eq!(status, 404);
    assert_eq!(body["error"], "no_pending_code");
}

#[tokio::test]
async fn malformed_codes_are_a_422_and_whitespace_is_ignored() {
    let app = spawn_app().await;
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();
    for bad in ["", "12345", "1234567", "abcdef", "12_34_56", "12 34 5"] {
        let (status, body) = json(app.verify_code(PHONE, bad).await).await;
        assert_eq!(status, 422, "{bad:?}: {body}");
        assert_eq!(body["error"], "invalid_code");
    }
    let (status, _) = json(app.verify_code(PHONE, &format!(" \t{code}\n")).await).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_missing_code_field_is_a_400() {
    let app = spawn_app().await;
    let (status, body) = json(app.post_form("/api/verify-code", &[("phone", PHONE)]).await).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "bad_request");
}

/// A verification belongs to whoever started it: without its id, or with another's, the
/// code can't be checked, its status can't be read, and it can't be replaced.
#[tokio::test]
async fn a_missing_or_foreign_verification_id_is_a_404() {
    let app = spawn_app().await;
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();
    let mine = app.verification_of(PHONE).unwrap();

    let stranger = spawn_app_with(&[], None).await;
    let foreign = {
        stranger.request_code(PHONE).await;
        stranger.verification_of(PHONE).unwrap()
    };
    for id in [None, Some(foreign.as_str()), Some("not-an-id")] {
        let mut form = vec![("phone", PHONE), ("code", code.as_str())];
        if let Some(id) = id {
            form.push(("verification_id", id));
        }
        let (status, body) = json(app.post_form("/api/verify-code", &form).await).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (404, Some("no_pending_code")),
            "{id:?}"
        );
        let mut form = vec![];
        if let Some(id) = id {
            form.push(("verification_id", id));
        }
        let (status, _) = json(app.post_form("/api/delivery-status", &form).await).await;
        assert_eq!(status, 404, "{id:?}");
    }

    // Someone else asks for a code for the same number: ours still works.
    let (status, theirs) = json(
        app.post_form("/api/request-code", &[("phone", PHONE)])
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_ne!(theirs["verification_id"].as_str(), Some(mine.as_str()));
    let (status, body) = json(app.verify_code(PHONE, &code).await).await;
    assert_eq!(status, 200, "{body}");
}
