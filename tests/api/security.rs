//! Headers, the cross-site check, the session cookie, body limits and logs, asserted on
//! real responses.

use crate::{fake_telnyx::FakeTelnyx, helpers::*, restart};

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn pages_carry_a_nonce_csp_and_the_security_headers() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    let csp = header(&response, "content-security-policy");
    assert_eq!(header(&response, "x-content-type-options"), "nosniff");
    assert_eq!(header(&response, "referrer-policy"), "same-origin");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_none(),
        "plain HTTP"
    );

    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the CSP")
        .to_string();
    let page = response.text().await.unwrap();
    let script_tags: Vec<&str> = page
        .split("<script")
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap())
        .collect();
    assert!(!script_tags.is_empty());
    for tag in script_tags {
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "script without the nonce: {tag}"
        );
    }

    let json = app.request_code(PHONE).await;
    assert!(header(&json, "content-security-policy").contains("script-src 'none'"));
    assert_eq!(header(&json, "x-content-type-options"), "nosniff");
}

#[tokio::test]
async fn hsts_is_sent_over_https_behind_a_trusted_proxy() {
    let app = spawn_app_with(&[("TRUSTED_PROXIES", "127.0.0.1")], None).await;
    let response = app
        .client
        .get(format!("{}/", app.address))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(header(&response, "strict-transport-security").starts_with("max-age="));

    let untrusted = spawn_app().await;
    let response = untrusted
        .client
        .get(format!("{}/", untrusted.address))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(response
        .headers()
        .get("strict-transport-security")
        .is_none());
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = spawn_app().await;
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("referer", "https://evil.example/form"),
    ] {
        let response = app
            .client
            .post(format!("{}/api/request-code", app.address))
            .header(name, value)
            .form(&[("phone", PHONE)])
            .send()
            .await
            .unwrap();
        // A refusal carries the security headers too.
        assert_eq!(header(&response, "x-content-type-options"), "nosniff");
        assert!(header(&response, "content-security-policy").contains("script-src 'none'"));
        let (status, body) = json(response).await;
        assert_eq!(status, 403, "{name}: {body}");
        assert_eq!(body["error"], "cross_site_request");
    }
    assert!(app.telnyx.received().is_empty());

    let same_origin = app
        .client
        .post(format!("{}/api/request-code", app.address))
        .header("origin", &app.address)
        .form(&[("phone", PHONE)])
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), 200);
}

#[tokio::test]
async fn the_verified_page_needs_the_session_cookie_and_sign_out_ends_it() {
    let app = spawn_app().await;
    // A browser navigation (Accept: text/html) is redirected to the start.
    let without = app
        .client
        .get(format!("{}/verified", app.address))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(without.status().as_u16(), 302);
    assert_eq!(header(&without, "location"), "/");

    let forged = app
        .client
        .get(format!("{}/verified", app.address))
        .header("accept", "text/html")
        .header("cookie", "t2fa_session=%2B12125550123%7C99999999999999")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 302);

    app.request_code(PHONE).await;
    let verified = app.verify_code(PHONE, &app.telnyx.last().code()).await;
    let cookie = set_cookie(&verified, "t2fa_session");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert!(!cookie.contains("Secure"), "plain HTTP");
    let session = cookie_pair(&verified, "t2fa_session");

    let page = app.get_with_cookie("/verified", &session).await;
    assert_eq!(page.status().as_u16(), 200);

    let signed_out = app
        .client
        .post(format!("{}/api/sign-out", app.address))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert!(set_cookie(&signed_out, "t2fa_session").contains("Max-Age=0"));
    // Sign-out ended the session server side: the old cookie is worthless now.
    let replayed = app
        .client
        .get(format!("{}/verified", app.address))
        .header("accept", "text/html")
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(replayed.status().as_u16(), 302);
    let (status, body) = json(
        app.client
            .post(format!("{}/api/session", app.address))
            .header("cookie", &session)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, body), (200, serde_json::Value::Null));
}

#[tokio::test]
async fn the_session_cookie_is_secure_over_https() {
    let app = spawn_app_with(&[("TRUSTED_PROXIES", "127.0.0.1")], None).await;
    app.request_code(PHONE).await;
    let verified = app
        .client
        .post(format!("{}/api/verify-code", app.address))
        .header("x-forwarded-proto", "https")
        .form(&[
            ("code", app.telnyx.last().code()),
            ("verification_id", app.verification_of(PHONE).unwrap()),
        ])
        .send()
        .await
        .unwrap();
    let cookie = set_cookie(&verified, "__Host-t2fa_session");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
}

#[tokio::test]
async fn cookies_are_secure_when_the_public_url_is_https() {
    let app = spawn_app_with(&[("PUBLIC_URL", "https://auth.example.com")], None).await;
    let sent = app.request_code(PHONE).await;
    assert!(set_cookie(&sent, "__Host-t2fa_verification").contains("Secure"));
    let verified = app.verify_code(PHONE, &app.telnyx.last().code()).await;
    assert!(set_cookie(&verified, "__Host-t2fa_session").contains("Secure"));
}

#[tokio::test]
async fn instances_sharing_the_secret_and_database_accept_each_others_cookies() {
    let database = crate::postgres::fresh_database().await;
    let secret = "5e".repeat(32);
    let settings = [
        ("SECRET_KEY", secret.as_str()),
        ("DATABASE_URL", &database.url),
    ];
    let a = spawn_app_with(&settings, None).await;
    let b = spawn_app_with(&settings, None).await;
    a.request_code(PHONE).await;
    let verified = a.verify_code(PHONE, &a.telnyx.last().code()).await;
    let session = cookie_pair(&verified, "t2fa_session");
    let page = b.get_with_cookie("/verified", &session).await;
    assert_eq!(page.status().as_u16(), 200);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = spawn_app().await;
    let huge = "9".repeat(100_000);
    let response = app.request_code(&huge).await;
    assert_eq!(
        response.status().as_u16(),
        413,
        "refused before the body is read"
    );
    assert!(app.telnyx.received().is_empty());
}

/// The real binary at debug log level through a full flow: its log never holds the code,
/// the full number or the API key.
#[tokio::test]
async fn logs_never_hold_a_code_a_number_or_the_key() {
    let telnyx = FakeTelnyx::start().await;
    let data_dir = tempfile::tempdir().unwrap();
    let port = restart::free_port();
    let mut server = restart::start(data_dir.path(), port, &telnyx, &[("RUST_LOG", "debug")]).await;
    let client = reqwest::Client::new();
    let send = |path: &'static str, form: Vec<(&'static str, String)>| {
        let client = client.clone();
        async move {
            client
                .post(format!("http://127.0.0.1:{port}{path}"))
                .form(&form)
                .send()
                .await
                .unwrap()
        }
    };
    let (status, sent) = json(
        send(
            "/api/request-code",
            vec![("phone", "+1 (212) 555-0177".into())],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let verification = sent["verification_id"].as_str().unwrap().to_string();
    let post = |path: &'static str, mut form: Vec<(&'static str, String)>| {
        form.push(("verification_id", verification.clone()));
        let request = send(path, form);
        async move { request.await.status().as_u16() }
    };
    let code = telnyx.last().code();
    // A wrong guess unlike the code and unlike the fake's message ids.
    let guess: String = code
        .chars()
        .map(|c| char::from_digit((c.to_digit(10).unwrap() + 5) % 10, 10).unwrap())
        .collect();
    assert_eq!(
        post(
            "/api/verify-code",
            vec![("phone", "+12125550177".into()), ("code", guess.clone())]
        )
        .await,
        401
    );
    assert_eq!(
        post(
            "/api/verify-code",
            vec![("phone", "+12125550177".into()), ("code", code.clone())]
        )
        .await,
        200
    );
    let _ = client
        .get(format!("http://127.0.0.1:{port}/verify"))
        .send()
        .await;
    server.kill().unwrap();
    server.wait().unwrap();

    let log = std::fs::read_to_string(data_dir.path().join("server.log")).unwrap();
    assert!(
        log.contains("+1212***0177"),
        "the flow was logged, masked:\n{log}"
    );
    assert!(!log.contains(&code), "code in log:\n{log}");
    assert!(!log.contains(&guess), "guess in log:\n{log}");
    assert!(!log.contains("2125550177"), "full number in log:\n{log}");
    assert!(!log.contains(API_KEY), "API key in log:\n{log}");
    assert!(
        !log.contains(&verification),
        "verification id in log:\n{log}"
    );
}

#[tokio::test]
async fn a_session_ends_on_the_clock_and_a_tampered_cookie_is_nobody() {
    let clock = telnyx_2fa::server::domain::clock::ManualClock::starting_at(1_767_225_600_000);
    let app = spawn_app_with(&[("SESSION_TTL_SECONDS", "120")], Some(clock.clone())).await;
    let session_of = |cookie: String| {
        let app = &app;
        async move {
            let response = app
                .client
                .post(format!("{}/api/session", app.address))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            json(response).await.1
        }
    };
    app.request_code(PHONE).await;
    let verified = app.verify_code(PHONE, &app.telnyx.last().code()).await;
    let session = cookie_pair(&verified, "t2fa_session");
    assert_eq!(
        session_of(session.clone()).await["masked_phone"],
        "+1212***0123"
    );

    let (name, value) = session.split_once('=').unwrap();
    let flipped: String = value
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 5 {
                if c == 'A' {
                    'B'
                } else {
                    'A'
                }
            } else {
                c
            }
        })
        .collect();
    assert_eq!(
        session_of(format!("{name}={flipped}")).await,
        serde_json::Value::Null,
        "tampered"
    );

    clock.advance(std::time::Duration::from_secs(119));
    assert_eq!(
        session_of(session.clone()).await["masked_phone"],
        "+1212***0123"
    );
    clock.advance(std::time::Duration::from_secs(1));
    assert_eq!(
        session_of(session).await,
        serde_json::Value::Null,
        "expired"
    );
}
