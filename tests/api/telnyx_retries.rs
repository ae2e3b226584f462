//! Retries against the Telnyx stand-in: only where they can't send twice, bounded in
//! tries and time, and a clear error with no usable code when they run out.

use crate::{fake_telnyx::Reply, helpers::*};
use std::time::{Duration, Instant};

fn status(code: u16) -> Reply {
    Reply::Error {
        status: code,
        headers: vec![],
        body: r#"{"errors":[{"code":"10007","title":"Unavailable"}]}"#.into(),
    }
}

#[tokio::test]
async fn a_503_then_success_sends_one_sms() {
    let app = spawn_app().await;
    app.telnyx.reply_next(status(503));
    let (code, body) = json(app.request_code(PHONE).await).await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(app.telnyx.received().len(), 2, "one refused, one accepted");
    assert_eq!(
        app.verify_code(PHONE, &app.telnyx.last().code())
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_500_is_not_retried() {
    let app = spawn_app().await;
    app.telnyx.reply_next(status(500));
    let (code, body) = json(app.request_code(PHONE).await).await;
    assert_eq!((code, body["error"].as_str()), (502, Some("sms_failed")));
    assert_eq!(
        app.telnyx.received().len(),
        1,
        "Telnyx may have queued it: never twice"
    );
}

#[tokio::test]
async fn a_429_is_retried_after_its_retry_after() {
    let app = spawn_app().await;
    app.telnyx.reply_next(Reply::Error {
        status: 429,
        headers: vec![("retry-after", "1".into())],
        body: r#"{"errors":[{"code":"10011","title":"Too many requests"}]}"#.into(),
    });
    let started = Instant::now();
    let (code, body) = json(app.request_code(PHONE).await).await;
    assert_eq!(code, 200, "{body}");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited as asked"
    );
    assert_eq!(app.telnyx.received().len(), 2);
}

#[tokio::test]
async fn three_503s_give_up_with_a_clear_error_and_no_usable_code() {
    let app = spawn_app().await;
    for _ in 0..3 {
        app.telnyx.reply_next(status(503));
    }
    let (code, body) = json(app.request_code(PHONE).await).await;
    assert_eq!(
        (code, body["error"].as_str()),
        (502, Some("sms_failed")),
        "{body}"
    );
    assert_eq!(app.telnyx.received().len(), 3, "at most three tries");
    assert_eq!(
        app.verify_code(PHONE, &app.telnyx.last().code())
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn a_400_is_not_retried() {
    let app = spawn_app().await;
    app.telnyx
        .reply_next(Reply::telnyx_error(400, "40310", "Invalid 'to' address"));
    assert_eq!(app.request_code(PHONE).await.status(), 422);
    assert_eq!(app.telnyx.received().len(), 1);
}

#[tokio::test]
async fn a_timeout_is_not_retried() {
    let app = spawn_app_with(&[("TELNYX_TIMEOUT_SECONDS", "1")], None).await;
    app.telnyx.reply_next(Reply::Slow(Duration::from_secs(3)));
    assert_eq!(app.request_code(PHONE).await.status(), 504);
    assert_eq!(app.telnyx.received().len(), 1, "it may have reached Telnyx");
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_is_not_waited_for() {
    let app = spawn_app().await;
    app.telnyx.reply_next(Reply::Error {
        status: 429,
        headers: vec![("retry-after", "30".into())],
        body: "{}".into(),
    });
    let started = Instant::now();
    let response = app.request_code(PHONE).await;
    assert_eq!(response.status(), 503);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(app.telnyx.received().len(), 1);
}
