//! `/admin`: absent without `ADMIN_TOKEN`; behind it otherwise (a sign-in form for
//! browsers, a bearer token for scripts); and its numbers come from the shared store.

use crate::{
    fake_telnyx::{Reply, WebhookSender},
    helpers::*,
    postgres::fresh_database,
};
use serde_json::Value;
use std::time::Duration;
use telnyx_2fa::server::domain::clock::ManualClock;

const TOKEN: &str = "admin-token-0123456789abcdef";

async fn admin_json(app: &TestApp) -> Value {
    let response = app
        .client
        .get(format!("{}/admin", app.address))
        .bearer_auth(TOKEN)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn admin_html(app: &TestApp) -> String {
    let response = app
        .client
        .get(format!("{}/admin", app.address))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    response.text().await.unwrap()
}

fn country<'a>(totals: &'a Value, code: &str) -> &'a Value {
    totals
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["country"] == code)
        .unwrap_or_else(|| panic!("no {code} row in {totals}"))
}

#[tokio::test]
async fn without_an_admin_token_there_is_no_dashboard() {
    let app = spawn_app().await;
    assert_eq!(app.get("/admin").await.status().as_u16(), 404);
    let login = app
        .post_form("/admin/login", &[("token", "anything")])
        .await;
    assert_eq!(login.status().as_u16(), 404);
}

#[tokio::test]
async fn the_dashboard_refuses_without_the_token_and_signs_in_with_it() {
    let app = spawn_app_with(&[("ADMIN_TOKEN", TOKEN)], None).await;
    let anonymous = app.get("/admin").await;
    assert_eq!(anonymous.status().as_u16(), 401);
    let form = anonymous.text().await.unwrap();
    assert!(form.contains(r#"action="/admin/login""#), "{form}");
    assert!(!form.contains("Last 24 hours"));

    let wrong_bearer = app
        .client
        .get(format!("{}/admin", app.address))
        .bearer_auth("admin-token-wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_bearer.status().as_u16(), 401);

    let wrong = app.post_form("/admin/login", &[("token", "not-it")]).await;
    assert_eq!(wrong.status().as_u16(), 401);
    assert!(wrong.headers().get("set-cookie").is_none());
    assert!(wrong
        .text()
        .await
        .unwrap()
        .contains("That is not the admin token."));

    let signed_in = app.post_form("/admin/login", &[("token", TOKEN)]).await;
    assert_eq!(signed_in.status().as_u16(), 303);
    assert_eq!(signed_in.headers()["location"], "/admin");
    let cookie = set_cookie(&signed_in, "t2fa_admin");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie_pair(&signed_in, "t2fa_admin");
    let dashboard = app.get_with_cookie("/admin", &pair).await;
    assert_eq!(dashboard.status().as_u16(), 200);
    assert_eq!(dashboard.headers()["cache-control"], "no-store");
    let csp = dashboard.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("script-src 'none'"), "{csp}");
    let html = dashboard.text().await.unwrap();
    assert!(
        html.contains("Last 24 hours") && html.contains("<svg"),
        "{html}"
    );

    // A forged cookie is not a sign-in, and signing out forgets it.
    let forged = app
        .get_with_cookie("/admin", "t2fa_admin=99999999999999:abc")
        .await;
    assert_eq!(forged.status().as_u16(), 401);
    let out = app
        .client
        .post(format!("{}/admin/logout", app.address))
        .header("cookie", &pair)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status().as_u16(), 303);
    assert!(set_cookie(&out, "t2fa_admin").contains("Max-Age=0"));
}

#[tokio::test]
async fn sign_in_tries_are_rate_limited_even_with_the_right_token() {
    let app = spawn_app_with(&[("ADMIN_TOKEN", TOKEN)], None).await;
    for _ in 0..5 {
        let wrong = app.post_form("/admin/login", &[("token", "guess")]).await;
        assert_eq!(wrong.status().as_u16(), 401);
    }
    let limited = app.post_form("/admin/login", &[("token", TOKEN)]).await;
    assert_eq!(limited.status().as_u16(), 429);
    assert_eq!(limited.headers()["retry-after"], "60");
}

#[tokio::test]
async fn sign_in_from_another_site_is_refused() {
    let app = spawn_app_with(&[("ADMIN_TOKEN", TOKEN)], None).await;
    let response = app
        .client
        .post(format!("{}/admin/login", app.address))
        .header("origin", "https://evil.example")
        .form(&[("token", TOKEN)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
}

#[tokio::test]
async fn a_verified_flow_shows_in_the_counts_with_delivery_spend_and_errors() {
    let webhooks = WebhookSender::new();
    let key = webhooks.public_key();
    let app = spawn_app_with(&[("ADMIN_TOKEN", TOKEN), ("TELNYX_PUBLIC_KEY", &key)], None).await;

    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();
    let finalized = WebhookSender::event(
        "message.finalized",
        &app.telnyx.last_message_id(),
        "delivered",
    );
    assert_eq!(webhooks.post(&app.address, &finalized).await, 204);
    assert_eq!(app.verify_code(PHONE, &code).await.status().as_u16(), 200);
    app.request_code("+442079460000").await;
    app.telnyx
        .reply_next(Reply::telnyx_error(400, "40310", "Invalid 'to' address"));
    app.request_code("+12125550188").await;

    let report = admin_json(&app).await;
    let us = country(&report["last_24h"], "US");
    assert_eq!(us["sent"], 1, "the refused send was not sent: {us}");
    assert_eq!(us["delivered"], 1);
    assert_eq!(us["verified"], 1);
    assert_eq!(us["cost_micros"], 5100, "Telnyx's reported 0.0051");
    assert_eq!(us["currency"], "USD");
    let gb = country(&report["last_24h"], "GB");
    assert_eq!(
        (gb["sent"].as_u64(), gb["verified"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(country(&report["last_7d"], "US")["verified"], 1);
    let hourly = report["hourly"]["slots"].as_array().unwrap();
    assert_eq!(hourly.len(), 24);
    assert_eq!(hourly[23]["sent"], 2, "this hour: {hourly:?}");
    assert_eq!(hourly[23]["verified"], 1);
    assert_eq!(report["daily"]["slots"].as_array().unwrap().len(), 7);
    let failures = report["provider_failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0]["phone"], "+1212***0188");
    assert_eq!(failures[0]["status"], 400);
    assert_eq!(failures[0]["code"], "40310");
    let limits = report["limits"].as_array().unwrap();
    assert!(limits.iter().any(|s| s["name"] == "SENDS_PER_NUMBER"));

    // The page shows the same, numbers masked, and conversion as a share.
    let html = admin_html(&app).await;
    assert!(html.contains(r#"data-country="US""#), "{html}");
    assert!(html.contains("100%") && html.contains("USD 0.0051"));
    assert!(html.contains("+1212***0188") && !html.contains("2125550188"));
    assert!(!html.contains(&code));
}

#[tokio::test]
async fn countries_the_conversion_guard_paused_are_listed() {
    let clock = ManualClock::starting_at(1_800_000_000_000);
    let app = spawn_app_with(
        &[
            ("ADMIN_TOKEN", TOKEN),
            ("CONVERSION_MIN_SENDS", "2"),
            ("CONVERSION_MIN_RATIO", "0.5"),
            ("CONVERSION_SETTLE_SECONDS", "0"),
        ],
        Some(clock.clone()),
    )
    .await;
    for phone in ["+12125550101", "+12125550102"] {
        assert_eq!(app.request_code(phone).await.status().as_u16(), 200);
    }
    // The guard judges whole minutes.
    clock.advance(Duration::from_secs(60));
    assert_eq!(
        app.request_code("+12125550103").await.status().as_u16(),
        429
    );
    let report = admin_json(&app).await;
    let paused = report["paused"].as_array().unwrap();
    assert_eq!(paused.len(), 1, "{report}");
    assert_eq!(paused[0]["country"], "US");
    let html = admin_html(&app).await;
    assert!(
        html.contains(r#"<ul id="paused" class="alert"><li>US"#),
        "{html}"
    );
    assert!(
        html.contains("country low"),
        "the pumped country is marked in the chart"
    );
}

#[tokio::test]
async fn every_instance_shows_the_same_numbers() {
    let database = fresh_database().await;
    let settings = [
        ("DATABASE_URL", database.url.as_str()),
        (
            "SECRET_KEY",
            "8b1f0c7e5d4a39261f0e9d8c7b6a59483726150f1e2d3c4b5a69788796a5b4c3",
        ),
        ("ADMIN_TOKEN", TOKEN),
    ];
    let a = spawn_app_with(&settings, None).await;
    let b = spawn_app_with(&settings, None).await;
    a.request_code(PHONE).await;
    let code = a.telnyx.last().code();
    assert_eq!(a.verify_code(PHONE, &code).await.status().as_u16(), 200);
    let seen_by_b = admin_json(&b).await;
    let us = country(&seen_by_b["last_24h"], "US");
    assert_eq!(
        (us["sent"].as_u64(), us["verified"].as_u64()),
        (Some(1), Some(1))
    );
}
