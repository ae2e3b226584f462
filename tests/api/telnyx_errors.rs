//! Each class of Telnyx failure gives the person a clear error and leaves no usable code.

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

#[tokio::test]
async fn telnyx_server_errors_are_a_502() {
    let app = spawn_app().await;
    assert_send_failure(
        &app,
        Reply::telnyx_error(500, "10007", "Unexpected error"),
        502,
        "sms_failed",
    )
    .await;
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
async fn a_telnyx_timeout_is_a_504() {
    let app = spawn_app_with(&[("TELNYX_TIMEOUT_SECONDS", "1")], None).await;
    assert_send_failure(
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
