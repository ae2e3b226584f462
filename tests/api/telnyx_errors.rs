//! Each class of Telnyx failure gives the person a clear error. A definite refusal leaves
//! no usable new code (and the requester's earlier code working); a send whose outcome is
//! unknown keeps its code, which may still arrive.

use crate::{fake_telnyx::Reply, helpers::*};
use std::time::Duration;

/// Requests a code while Telnyx answers `reply`; checks the app's answer and that the
/// code Telnyx was asked to send does not verify.
async fn assert_send_failure(
    app: &TestApp,
    reply: Reply,
    status: u16,
    error: &str,
) -> reqwest::header::HeaderMap {
    app.telnyx.reply_next(reply);
    let response = app.request_code(PHONE).await;
    let headers = response.headers().clone();
    let (got, body) = json(response).await;
    assert_eq!(got, status, "{body}");
    assert_eq!(body["error"], error);
    assert!(!body["message"].as_str().unwrap().is_empty());

    let code = app.telnyx.last().code();
    let (verify_status, verify_body) = json(app.verify_code(PHONE, &code).await).await;
    assert_eq!(
        verify_status, 404,
        "the unsent code must not work: {verify_body}"
    );
    headers
}

#[tokio::test]
async fn bad_credentials_make_sms_unavailable() {
    let app = spawn_app().await;
    assert_send_failure(
        &app,
        Reply::telnyx_error(401, "10009", "Authentication failed"),
        503,
        "sms_unavailable",
    )
    .await;
}

#[tokio::test]
async fn an_invalid_destination_is_undeliverable() {
    let app = spawn_app().await;
    assert_send_failure(
        &app,
        Reply::telnyx_error(400, "40310", "Invalid 'to' address"),
        422,
        "undeliverable_number",
    )
    .await;
}

#[tokio::test]
async fn an_opted_out_number_is_told_to_text_start() {
    let app = spawn_app().await;
    app.telnyx.reply_next(Reply::telnyx_error(
        409,
        "40300",
        "Blocked due to STOP message",
    ));
    let (status, body) = json(app.request_code(PHONE).await).await;
    assert_eq!(status, 409);
    assert_eq!(body["error"], "opted_out");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains(&format!("Text START to {FROM}")),
        "{body}"
    );
}

#[tokio::test]
async fn telnyx_rate_limits_pass_on_retry_after() {
    let app = spawn_app().await;
    let reply = Reply::Error {
        status: 429,
        headers: vec![("retry-after", "17".into())],
        body: r#"{"errors":[{"code":"10011","title":"Too many requests"}]}"#.into(),
    };
    let headers = assert_send_failure(&app, reply, 503, "sms_rate_limited").await;
    assert_eq!(headers.get("retry-after").unwrap(), "17");
}

/// Requests a code while Telnyx answers `reply`, whose outcome is unknown: the error
/// still carries the verification (JSON and cookie), and the code works if it arrives.
async fn assert_unknown_outcome(app: &TestApp, reply: Reply, status: u16, error: &str) {
    app.telnyx.reply_next(reply);
    let response = app.request_code(PHONE).await;
    let set_cookie = response
        .headers()
        .get("set-cookie")
        .map(|value| value.to_str().unwrap().to_string())
        .unwrap_or_default();
    let (got, body) = json(response).await;
    assert_eq!(got, status, "{body}");
    assert_eq!(body["error"], error);
    assert_eq!(
        body["verification_id"].as_str().map(str::len),
        Some(32),
        "{body}"
    );
    assert!(set_cookie.starts_with("t2fa_verification="), "{set_cookie}");

    let code = app.telnyx.last().code();
    let (verify_status, verify_body) = json(app.verify_code(PHONE, &code).await).await;
    assert_eq!(verify_status, 200, "the code may arrive: {verify_body}");
}

#[tokio::test]
async fn telnyx_server_errors_are_a_502_and_keep_the_code() {
    let app = spawn_app().await;
    assert_unknown_outcome(
        &app,
        Reply::telnyx_error(500, "10007", "Unexpected error"),
        502,
        "sms_failed",
    )
    .await;
}

#[tokio::test]
async fn a_refused_new_code_leaves_the_earlier_one_working() {
    let app = spawn_app().await;
    assert_eq!(app.request_code(PHONE).await.status(), 200);
    let earlier = app.telnyx.last().code();
    app.telnyx
        .reply_next(Reply::telnyx_error(401, "10009", "Authentication failed"));
    assert_eq!(app.request_code(PHONE).await.status(), 503);
    let refused = app.telnyx.last().code();
    if refused != earlier {
        assert_eq!(json(app.verify_code(PHONE, &refused).await).await.0, 401);
    }
    assert_eq!(json(app.verify_code(PHONE, &earlier).await).await.0, 200);
}

#[tokio::test]
async fn a_proxy_error_without_json_is_a_502() {
    let app = spawn_app().await;
    let reply = Reply::Error {
        status: 502,
        headers: vec![],
        body: "<html>Bad Gateway</html>".into(),
    };
    // Retried (a gateway error never reached Telnyx), and failing every time.
    app.telnyx.reply_next(reply.clone());
    app.telnyx.reply_next(reply.clone());
    assert_send_failure(&app, reply, 502, "sms_failed").await;
}

#[tokio::test]
async fn a_telnyx_timeout_is_a_504_and_keeps_the_code() {
    let app = spawn_app_with(&[("TELNYX_TIMEOUT_SECONDS", "1")], None).await;
    assert_unknown_outcome(
        &app,
        Reply::Slow(Duration::from_secs(3)),
        504,
        "sms_timeout",
    )
    .await;
}

#[tokio::test]
async fn an_unreachable_telnyx_is_a_502() {
    let app = spawn_app_with(&[("TELNYX_API_BASE", "http://127.0.0.1:9")], None).await;
    let (status, body) = json(app.request_code(PHONE).await).await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["error"], "sms_failed");
}

#[tokio::test]
async fn a_2xx_with_garbage_is_a_502_and_keeps_the_code() {
    let app = spawn_app().await;
    let garbage = Reply::Error {
        status: 200,
        headers: vec![],
        body: "<html>welcome</html>".into(),
    };
    assert_unknown_outcome(&app, garbage, 502, "sms_failed").await;
}

#[tokio::test]
async fn payment_permission_and_profile_refusals_make_sms_unavailable() {
    for (status, code) in [(402, "10038"), (403, "10010"), (404, "10005")] {
        let app = spawn_app().await;
        assert_send_failure(
            &app,
            Reply::telnyx_error(status, code, "refused"),
            503,
            "sms_unavailable",
        )
        .await;
    }
}

#[tokio::test]
async fn a_422_about_our_sender_is_our_misconfiguration() {
    let app = spawn_app().await;
    let reply = Reply::Error {
        status: 422,
        headers: vec![],
        body: r#"{"errors":[{"code":"40305","title":"Invalid 'from' address","source":{"pointer":"/from"}}]}"#
            .into(),
    };
    assert_send_failure(&app, reply, 503, "sms_unavailable").await;
}

#[tokio::test]
async fn a_503_then_a_slow_reply_stays_within_the_10_second_budget() {
    let app = spawn_app_with(&[("TELNYX_TIMEOUT_SECONDS", "10")], None).await;
    app.telnyx
        .reply_next(Reply::telnyx_error(503, "10007", "Service unavailable"));
    app.telnyx.reply_next(Reply::Slow(Duration::from_secs(30)));
    let started = std::time::Instant::now();
    let (status, body) = json(app.request_code(PHONE).await).await;
    let took = started.elapsed();
    assert_eq!(status, 504, "{body}");
    assert!(took < Duration::from_millis(10_800), "took {took:?}");
    assert!(
        took > Duration::from_secs(9),
        "the retry used the rest of the budget: {took:?}"
    );
}
