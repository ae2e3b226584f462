//! The flow as a browser without JavaScript drives it: plain form posts and redirects.

use crate::helpers::*;

async fn form_post(
    app: &TestApp,
    path: &str,
    referer: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.client
        .post(format!("{}{path}", app.address))
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", format!("{}{referer}", app.address))
        .form(form)
        .send()
        .await
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn the_whole_flow_works_with_form_posts_and_redirects() {
    let app = spawn_app().await;

    let sent = form_post(&app, "/api/request-code", "/", &[("phone", "212-555-0123")]).await;
    assert_eq!(sent.status().as_u16(), 302);
    assert_eq!(location(&sent), "/verify?phone=%2B12125550123");

    let page = app.page("/verify?phone=%2B12125550123").await;
    assert!(page.contains("+1212***0123"));

    let code = app.telnyx.last().code();
    let verified = form_post(
        &app,
        "/api/verify-code",
        "/verify?phone=%2B12125550123",
        &[("phone", PHONE), ("code", &code)],
    )
    .await;
    assert_eq!(verified.status().as_u16(), 302);
    assert_eq!(location(&verified), "/verified");
    let cookie = verified.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let session = cookie_pair(&verified);

    let page = app.get_with_cookie("/verified", &session).await;
    assert_eq!(page.status().as_u16(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("<h1>Verified</h1>"), "{page}");
    assert!(page.contains("+1212***0123"));
}

#[tokio::test]
async fn errors_come_back_to_the_form_and_are_shown() {
    let app = spawn_app().await;

    let refused = form_post(&app, "/api/request-code", "/", &[("phone", "12")]).await;
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
    app.request_code(PHONE).await;
    let wrong = other_code(&app.telnyx.last().code());

    let refused = form_post(
        &app,
        "/api/verify-code",
        "/verify?phone=%2B12125550123",
        &[("phone", PHONE), ("code", &wrong)],
    )
    .await;
    assert_eq!(refused.status().as_u16(), 302);
    let back = location(&refused);
    assert!(back.contains("/verify?phone=%2B12125550123"), "{back}");

    let page = app.page(&back).await;
    assert!(page.contains("4 attempts left"), "{page}");
}
