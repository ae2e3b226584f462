//! Keys for backends (`API_KEYS`): a keyed call may name its end user's address for the
//! per-IP caps, is exempt from the cross-site check and is counted per key; with
//! `API_KEYS_REQUIRED`, unkeyed API calls are refused but the app's own pages work.

use crate::helpers::*;
use reqwest::RequestBuilder;

const KEY: &str = "backend-key-0123456789abcdef";

fn keyed(request: RequestBuilder, key: &str) -> RequestBuilder {
    request.bearer_auth(key)
}

async fn request_code_as(app: &TestApp, key: Option<&str>, phone: &str, client_ip: &str) -> u16 {
    let mut request = app
        .client
        .post(format!("{}/api/request-code", app.address))
        .form(&[("phone", phone), ("client_ip", client_ip)]);
    if let Some(key) = key {
        request = keyed(request, key);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn a_keyed_backend_names_its_users_addresses_for_the_per_ip_caps() {
    let app = spawn_app_with(
        &[("API_KEYS", &format!("shop:{KEY}")), ("SENDS_PER_IP", "1")],
        None,
    )
    .await;
    // Two end users behind one backend: each has their own per-IP allowance.
    assert_eq!(
        request_code_as(&app, Some(KEY), "+12125550101", "203.0.113.7").await,
        200
    );
    assert_eq!(
        request_code_as(&app, Some(KEY), "+12125550102", "203.0.113.8").await,
        200
    );
    assert_eq!(
        request_code_as(&app, Some(KEY), "+12125550103", "203.0.113.7").await,
        429
    );
    // Without a key the claimed address is ignored: the caller's own is counted.
    assert_eq!(
        request_code_as(&app, None, "+12125550104", "198.51.100.1").await,
        200
    );
    assert_eq!(
        request_code_as(&app, None, "+12125550105", "198.51.100.2").await,
        429
    );
}

#[tokio::test]
async fn a_wrong_key_is_refused_and_keyed_calls_skip_the_cross_site_check() {
    let app = spawn_app_with(&[("API_KEYS", &format!("shop:{KEY}"))], None).await;
    let wrong = app
        .client
        .post(format!("{}/api/request-code", app.address))
        .bearer_auth("not-a-key-0123456789abcdef")
        .form(&[("phone", PHONE)])
        .send()
        .await
        .unwrap();
    let (status, body) = json(wrong).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_api_key"))
    );

    let from_elsewhere = |key: Option<&str>| {
        let mut request = app
            .client
            .post(format!("{}/api/request-code", app.address))
            .header("origin", "https://shop.example.com")
            .form(&[("phone", PHONE)]);
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        request.send()
    };
    assert_eq!(from_elsewhere(None).await.unwrap().status().as_u16(), 403);
    assert_eq!(
        from_elsewhere(Some(KEY)).await.unwrap().status().as_u16(),
        200
    );

    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains(r#"telnyx_2fa_api_key_requests_total{key="shop"} 1"#),
        "{metrics}"
    );
    assert!(!metrics.contains(KEY));
}

#[tokio::test]
async fn with_keys_required_only_keyed_calls_and_the_apps_own_pages_get_through() {
    let hashed = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(KEY.as_bytes()))
    };
    let app = spawn_app_with(
        &[
            ("API_KEYS", &format!("shop:sha256:{hashed}")),
            ("API_KEYS_REQUIRED", "true"),
        ],
        None,
    )
    .await;
    let (status, body) = json(app.request_code(PHONE).await).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("api_key_required"))
    );
    assert_eq!(
        request_code_as(&app, Some(KEY), PHONE, "203.0.113.7").await,
        200
    );
    // A browser on the app's own page sends its origin.
    let own_page = app
        .client
        .post(format!("{}/api/request-code", app.address))
        .header("origin", &app.address)
        .header("accept", "text/html")
        .form(&[("phone", "+12125550177")])
        .send()
        .await
        .unwrap();
    assert!(own_page.status().is_redirection(), "{}", own_page.status());
    assert!(
        app.get("/").await.status().is_success(),
        "pages are not API calls"
    );
}

#[tokio::test]
async fn keys_required_without_keys_fails_at_start() {
    let error = telnyx_2fa::server::config::Config::from_env(
        [("API_KEYS_REQUIRED", "true")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
    .unwrap_err();
    assert_eq!(error.setting, "API_KEYS_REQUIRED");
}
