//! The server-rendered pages and the dev outbox.

use crate::helpers::*;

#[tokio::test]
async fn the_home_page_asks_for_a_phone_number() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status().as_u16(), 200);
    let page = response.text().await.unwrap();
    assert!(
        page.contains(r#"<label for="phone">Phone number</label>"#),
        "{page}"
    );
    assert!(page.contains("Send code"));
    assert!(page.contains(r#"action="/api/request-code""#));
    assert!(
        page.contains(r#"<link rel="icon" href="/favicon.svg" type="image/svg+xml">"#),
        "a favicon, so browsers don't ask for /favicon.ico: {page}"
    );
}

/// The code page as the browser that requested a code sees it.
async fn code_page(app: &TestApp) -> String {
    let sent = app.request_code(PHONE).await;
    let cookie = cookie_pair(&sent, "t2fa_verification");
    app.get_with_cookie("/verify", &cookie)
        .await
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_code_page_masks_the_number_and_asks_for_the_code() {
    let app = spawn_app().await;
    let page = code_page(&app).await;
    assert!(page.contains("+1212***0123"));
    assert!(!page.contains("2125550123"));
    assert!(page.contains("Verification code"));
    assert!(page.contains(r#"autocomplete="one-time-code""#));
    assert!(page.contains(r#"inputmode="numeric""#));
    assert!(page.contains(r#"action="/api/verify-code""#));
    // The code's time left, as rendered (a live countdown once hydrated).
    assert!(page.contains(r#"id="code-expiry""#), "{page}");
    assert!(
        page.contains(">The code expires in 10:00.<")
            || page.contains(">The code expires in 9:59.<"),
        "{page}"
    );
}

#[tokio::test]
async fn hex_codes_get_a_text_keyboard() {
    let app = spawn_app_with(&[("CODE_ALPHABET", "hex")], None).await;
    let page = code_page(&app).await;
    assert!(page.contains(r#"inputmode="text""#), "{page}");
}

#[tokio::test]
async fn without_a_verification_the_code_page_says_to_start_over() {
    let app = spawn_app().await;
    let page = app.page("/verify?phone=%2B12125550123").await;
    assert!(page.contains("No number yet"), "{page}");
    assert!(!page.contains("0123"), "a number in the URL is never shown");
}

#[tokio::test]
async fn unknown_pages_are_404() {
    let app = spawn_app().await;
    assert_eq!(app.get("/nope").await.status().as_u16(), 404);
}

#[tokio::test]
async fn the_dev_outbox_exists_only_without_an_api_key() {
    let with_key = spawn_app().await;
    assert_eq!(with_key.get("/dev/outbox").await.status().as_u16(), 404);

    let dev = spawn_app_with(&[("TELNYX_API_KEY", "")], None).await;
    let (status, _) = json(dev.request_code("212 555 0123").await).await;
    assert_eq!(status, 200);
    dev.request_code("212 555 0124").await;
    let page = dev.page("/dev/outbox").await;
    assert!(dev.telnyx.received().is_empty(), "nothing goes to Telnyx");
    let newest = page.find("+12125550124").expect("newest message listed");
    let oldest = page.find("+12125550123").expect("oldest message listed");
    assert!(newest < oldest, "newest first");
    assert!(page.contains("code is"));
}

#[tokio::test]
async fn health_answers() {
    let app = spawn_app().await;
    assert_eq!(app.page("/health").await, "ok");
}

#[tokio::test]
async fn every_page_names_the_app() {
    let app = spawn_app_with(&[("APP_NAME", "Acme Sign-in")], None).await;
    let sent = app.request_code(PHONE).await;
    let cookie = cookie_pair(&sent, "t2fa_verification");
    for path in ["/", "/verify", "/no-such-page"] {
        let page = app
            .get_with_cookie(path, &cookie)
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(r#"<header class="site-name">Acme Sign-in</header>"#),
            "{path}: {page}"
        );
    }
}

/// Pages keep answering while another app starts in the same process. Listing an app's
/// routes switches resource loading off for the whole process, and a page whose resource
/// first polled in that window never finished (here it would time out after a second).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_answer_while_another_app_starts_in_the_process() {
    let app = spawn_app_with(&[("REQUEST_TIMEOUT_SECONDS", "1")], None).await;
    let starting = tokio::spawn(async {
        for _ in 0..30 {
            spawn_app().await;
        }
    });
    let mut served = 0;
    while !starting.is_finished() {
        let pages = (0..4).map(|_| app.get("/"));
        for response in futures_util::future::join_all(pages).await {
            let status = response.status().as_u16();
            let page = response.text().await.unwrap();
            assert_eq!(status, 200, "{page}");
            assert!(page.contains("Send code"), "{page}");
            served += 1;
        }
    }
    starting.await.unwrap();
    assert!(served >= 4, "pages were served meanwhile: {served}");
}
