//! The flow as a browser without JavaScript drives it: plain form posts and redirects.

use crate::helpers::*;
use base64::{engine::general_purpose::URL_SAFE, Engine};

async fn page_with_cookie(app: &TestApp, path: &str, cookie: &str) -> String {
    app.get_with_cookie(path, cookie)
        .await
        .text()
        .await
        .unwrap()
}

/// The code form's post, from the browser holding the verification `cookie`.
async fn submit_code(app: &TestApp, cookie: &str, code: &str) -> reqwest::Response {
    form_post(
        app,
        "/api/verify-code",
        "/verify",
        cookie,
        &[("code", code)],
    )
    .await
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn the_whole_flow_works_with_form_posts_and_redirects() {
    let app = spawn_app().await;

    let sent = form_post(
        &app,
        "/api/request-code",
        "/",
        "",
        &[("phone", "212-555-0123")],
    )
    .await;
    assert_eq!(sent.status().as_u16(), 302);
    assert_eq!(location(&sent), "/verify", "no number in the URL");
    let verification = cookie_pair(&sent, "t2fa_verification");

    let page = page_with_cookie(&app, "/verify", &verification).await;
    assert!(page.contains("+1212***0123"), "{page}");
    assert!(
        !page.contains("2125550123"),
        "the page shows the number masked only"
    );

    let code = app.telnyx.last().code();
    let verified = submit_code(&app, &verification, &code).await;
    assert_eq!(verified.status().as_u16(), 302);
    assert_eq!(location(&verified), "/verified");
    let cookie = set_cookie(&verified, "t2fa_session");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("2125550123"),
        "the number stays server side: {cookie}"
    );
    let session = cookie_pair(&verified, "t2fa_session");

    let page = app.get_with_cookie("/verified", &session).await;
    assert_eq!(page.status().as_u16(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("<h1>Verified</h1>"), "{page}");
    assert!(page.contains("+1212***0123"));
}

#[tokio::test]
async fn errors_come_back_to_the_form_and_are_shown() {
    let app = spawn_app().await;

    let refused = form_post(&app, "/api/request-code", "/", "", &[("phone", "12")]).await;
    assert_eq!(refused.status().as_u16(), 302);
    let back = location(&refused);
    assert!(back.starts_with(&format!("{}/?", app.address)), "{back}");

    let page = app.page(&back).await;
    assert!(page.contains(r#"data-error="invalid_phone""#), "{page}");
    assert!(page.contains("look like a phone number"), "{page}");
    assert!(app.telnyx.received().is_empty());
}

#[tokio::test]
async fn a_wrong_code_comes_back_with_the_attempts_left() {
    let app = spawn_app().await;
    let sent = form_post(&app, "/api/request-code", "/", "", &[("phone", PHONE)]).await;
    let verification = cookie_pair(&sent, "t2fa_verification");
    let wrong = other_code(&app.telnyx.last().code());

    let refused = form_post(
        &app,
        "/api/verify-code",
        "/verify",
        &verification,
        &[("code", &wrong)],
    )
    .await;
    assert_eq!(refused.status().as_u16(), 302);
    let back = location(&refused);
    assert!(back.contains("/verify?"), "{back}");

    let page = page_with_cookie(&app, &back.replace(&app.address, ""), &verification).await;
    assert!(page.contains("4 attempts left"), "{page}");
}

#[tokio::test]
async fn an_error_message_planted_in_the_url_is_not_shown() {
    let app = spawn_app().await;
    let planted = serde_json::json!({
        "error": "invalid_phone",
        "message": "Your account is blocked. Call +1 900 555 0199 now."
    });
    let url = reqwest::Url::parse_with_params(
        &format!("{}/", app.address),
        &[
            ("__path", "/api/request-code"),
            ("__err", &URL_SAFE.encode(planted.to_string())),
        ],
    )
    .unwrap();
    let page = app.page(url.as_str()).await;
    assert!(page.contains(r#"data-error="invalid_phone""#), "{page}");
    assert!(!page.contains("blocked"), "{page}");
    assert!(!page.contains("900"), "{page}");
}

#[tokio::test]
async fn send_a_new_code_needs_no_number_and_keeps_the_verification() {
    let app = spawn_app().await;
    let sent = form_post(&app, "/api/request-code", "/", "", &[("phone", PHONE)]).await;
    let verification = cookie_pair(&sent, "t2fa_verification");
    let again = form_post(&app, "/api/resend-code", "/verify", &verification, &[]).await;
    // Back to the code page, which says a new code is on its way.
    assert_eq!(location(&again), "/verify?sent=sms");
    let page = page_with_cookie(&app, "/verify?sent=sms", &verification).await;
    assert!(page.contains("A new code is on its way."), "{page}");
    assert_eq!(app.telnyx.received().len(), 2);
    assert_eq!(app.telnyx.last().body["to"], PHONE);
    let code = app.telnyx.last().code();
    let verified = submit_code(&app, &verification, &code).await;
    assert_eq!(location(&verified), "/verified");
}
