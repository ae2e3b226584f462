//! Every abuse limit: reached, refused with 429 and a correct `Retry-After`, released
//! after its window (on a manual clock), and shared across instances.

use crate::{fake_telnyx::Reply, helpers::*, postgres::fresh_database};
use reqwest::Response;
use std::time::Duration;
use telnyx_2fa::server::domain::clock::ManualClock;

/// 2026-01-01T00:00:00Z: window arithmetic is easy to follow from here.
const START: i64 = 1_767_225_600_000;

async fn app_with(settings: &[(&str, &str)]) -> (TestApp, ManualClock) {
    let clock = ManualClock::starting_at(START);
    (spawn_app_with(settings, Some(clock.clone())).await, clock)
}

/// Asserts a 429 with `Retry-After: seconds`, and returns the JSON body.
async fn assert_limited(response: Response, seconds: u64) -> serde_json::Value {
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let (status, body) = json(response).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"], "rate_limited");
    assert_eq!(
        retry_after.as_deref(),
        Some(seconds.to_string().as_str()),
        "{body}"
    );
    assert_eq!(body["retry_after_seconds"], seconds);
    body
}

async fn request_from(app: &TestApp, phone: &str, forwarded_for: &str) -> Response {
    app.client
        .post(format!("{}/api/request-code", app.address))
        .header("x-forwarded-for", forwarded_for)
        .form(&[("phone", phone)])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_resend_cooldown() {
    let (app, clock) = app_with(&[("RESEND_COOLDOWN_SECONDS", "30")]).await;
    assert_eq!(app.request_code(PHONE).await.status(), 200);
    clock.advance(Duration::from_secs(12));
    let body = assert_limited(app.request_code(PHONE).await, 18).await;
    assert!(
        body["message"].as_str().unwrap().contains("18 seconds"),
        "{body}"
    );
    assert_eq!(
        app.telnyx.received().len(),
        1,
        "nothing sent while cooling down"
    );
    clock.advance(Duration::from_secs(18));
    assert_eq!(app.request_code(PHONE).await.status(), 200);
}

#[tokio::test]
async fn a_failed_send_does_not_start_the_cooldown() {
    let (app, _) = app_with(&[("RESEND_COOLDOWN_SECONDS", "30")]).await;
    app.telnyx
        .reply_next(Reply::telnyx_error(401, "10009", "Authentication failed"));
    assert_eq!(app.request_code(PHONE).await.status(), 503);
    assert_eq!(app.request_code(PHONE).await.status(), 200, "retry at once");
}

#[tokio::test]
async fn a_send_of_unknown_outcome_keeps_the_cooldown() {
    let (app, _) = app_with(&[("RESEND_COOLDOWN_SECONDS", "30")]).await;
    app.telnyx
        .reply_next(Reply::telnyx_error(500, "10007", "Unexpected error"));
    assert_eq!(app.request_code(PHONE).await.status(), 502);
    assert_limited(app.request_code(PHONE).await, 30).await;
}

#[tokio::test]
async fn sends_per_number_per_window() {
    let (app, clock) =
        app_with(&[("SENDS_PER_NUMBER", "2"), ("LIMIT_WINDOW_SECONDS", "600")]).await;
    clock.advance(Duration::from_secs(100));
    for _ in 0..2 {
        assert_eq!(app.request_code(PHONE).await.status(), 200);
    }
    assert_limited(app.request_code(PHONE).await, 500).await;
    assert_eq!(
        app.request_code("+12125550124").await.status(),
        200,
        "other numbers are fine"
    );
    clock.advance(Duration::from_secs(500));
    assert_eq!(
        app.request_code(PHONE).await.status(),
        200,
        "released after the window"
    );
}

#[tokio::test]
async fn sends_per_ip_ignore_an_untrusted_forwarded_for() {
    let (app, clock) = app_with(&[("SENDS_PER_IP", "2")]).await;
    assert_eq!(
        request_from(&app, "+12125550101", "198.51.100.1")
            .await
            .status(),
        200
    );
    assert_eq!(
        request_from(&app, "+12125550102", "198.51.100.2")
            .await
            .status(),
        200
    );
    assert_limited(
        request_from(&app, "+12125550103", "198.51.100.3").await,
        600,
    )
    .await;
    clock.advance(Duration::from_secs(600));
    assert_eq!(
        request_from(&app, "+12125550103", "198.51.100.3")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn sends_per_ip_use_the_forwarded_for_of_a_trusted_proxy() {
    let (app, _) = app_with(&[("SENDS_PER_IP", "1"), ("TRUSTED_PROXIES", "127.0.0.0/8")]).await;
    assert_eq!(
        request_from(&app, "+12125550101", "198.51.100.1")
            .await
            .status(),
        200
    );
    assert_eq!(
        request_from(&app, "+12125550102", "198.51.100.2")
            .await
            .status(),
        200,
        "another client"
    );
    assert_limited(
        request_from(&app, "+12125550103", "198.51.100.1").await,
        600,
    )
    .await;
}

#[tokio::test]
async fn verifies_per_ip() {
    let (app, clock) = app_with(&[("VERIFIES_PER_IP", "3"), ("LIMIT_WINDOW_SECONDS", "60")]).await;
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();
    for _ in 0..3 {
        assert_eq!(
            app.verify_code(PHONE, &other_code(&code)).await.status(),
            401
        );
    }
    // Refused tries compare nothing, so they cost the code none of its five attempts.
    for _ in 0..3 {
        assert_limited(app.verify_code(PHONE, &code).await, 60).await;
    }
    clock.advance(Duration::from_secs(60));
    let (status, body) = json(app.verify_code(PHONE, &other_code(&code)).await).await;
    assert_eq!((status, body["attempts_left"].as_u64()), (401, Some(1)));
    assert_eq!(app.verify_code(PHONE, &code).await.status(), 200);
}

#[tokio::test]
async fn consecutive_failures_lock_the_number_across_codes() {
    let (app, clock) = app_with(&[
        ("MAX_CONSECUTIVE_FAILURES", "7"),
        ("LOCKOUT_SECONDS", "3600"),
    ])
    .await;
    // Five wrong codes kill the first code; two more on a new code reach the cap.
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();
    for _ in 0..5 {
        assert_eq!(
            app.verify_code(PHONE, &other_code(&code)).await.status(),
            401
        );
    }
    clock.advance(Duration::from_secs(3 * 3600));
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();
    for _ in 0..2 {
        assert_eq!(
            app.verify_code(PHONE, &other_code(&code)).await.status(),
            401
        );
    }
    let body = assert_limited(app.verify_code(PHONE, &code).await, 3600).await;
    assert!(
        body["message"].as_str().unwrap().contains("locked"),
        "{body}"
    );
    clock.advance(Duration::from_secs(3600));
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();
    assert_eq!(
        app.verify_code(PHONE, &code).await.status(),
        200,
        "unlocked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_concurrent_burst_of_guesses_never_exceeds_the_cap() {
    let (app, _) = app_with(&[
        ("MAX_CONSECUTIVE_FAILURES", "20"),
        ("CODE_MAX_ATTEMPTS", "100"),
    ])
    .await;
    let app = std::sync::Arc::new(app);
    app.request_code(PHONE).await;
    let wrong = other_code(&app.telnyx.last().code());
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let app = app.clone();
            let wrong = wrong.clone();
            tokio::spawn(async move { app.verify_code(PHONE, &wrong).await.status().as_u16() })
        })
        .collect();
    let mut compared = 0;
    for task in tasks {
        compared += (task.await.unwrap() == 401) as usize;
    }
    assert_eq!(
        compared, 20,
        "exactly the cap were compared; the rest refused"
    );
}

#[tokio::test]
async fn only_allowed_countries() {
    let (app, _) = app_with(&[("ALLOWED_COUNTRIES", "US,CA")]).await;
    let (status, body) = json(app.request_code("+44 7400 123456").await).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"], "country_not_allowed");
    assert!(app.telnyx.received().is_empty());
    assert_eq!(app.request_code(PHONE).await.status(), 200);
}

#[tokio::test]
async fn sends_per_country_per_hour() {
    let (app, clock) = app_with(&[("SENDS_PER_COUNTRY_PER_HOUR", "2")]).await;
    app.request_code("+12125550101").await;
    app.request_code("+12125550102").await;
    assert_limited(app.request_code("+12125550103").await, 3600).await;
    assert_eq!(
        app.request_code("+44 7400 123456").await.status(),
        200,
        "other countries"
    );
    clock.advance(Duration::from_secs(3600));
    assert_eq!(app.request_code("+12125550103").await.status(), 200);
}

#[tokio::test]
async fn sends_per_hour_in_all() {
    let (app, clock) = app_with(&[("SENDS_PER_HOUR", "2")]).await;
    clock.advance(Duration::from_secs(1800));
    app.request_code("+12125550101").await;
    app.request_code("+44 7400 123456").await;
    assert_limited(app.request_code("+12125550103").await, 1800).await;
    assert_eq!(app.telnyx.received().len(), 2);
}

#[tokio::test]
async fn premium_shared_cost_and_optionally_voip_numbers_are_refused() {
    let (app, _) = app_with(&[]).await;
    for number in ["+1 900 234 5678", "+34 901 12 34 56"] {
        let (status, body) = json(app.request_code(number).await).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (422, Some("number_not_allowed")),
            "{number}"
        );
    }
    assert_eq!(app.request_code("+44 56 1234 5678").await.status(), 200);

    let (strict, _) = app_with(&[("BLOCK_VOIP", "true")]).await;
    let (status, body) = json(strict.request_code("+44 56 1234 5678").await).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("number_not_allowed"))
    );
    assert!(strict.telnyx.received().is_empty());
}

#[tokio::test]
async fn limits_hold_across_instances_on_one_database() {
    let database = fresh_database().await;
    let settings = [
        ("DATABASE_URL", database.url.as_str()),
        ("SENDS_PER_NUMBER", "2"),
        ("RESEND_COOLDOWN_SECONDS", "30"),
    ];
    let clock = ManualClock::starting_at(START);
    let a = spawn_app_with(&settings, Some(clock.clone())).await;
    let b = spawn_app_with(&settings, Some(clock.clone())).await;

    assert_eq!(a.request_code(PHONE).await.status(), 200);
    assert_limited(b.request_code(PHONE).await, 30).await;
    clock.advance(Duration::from_secs(30));
    assert_eq!(b.request_code(PHONE).await.status(), 200);
    clock.advance(Duration::from_secs(30));
    assert_limited(a.request_code(PHONE).await, 540).await;
}

#[tokio::test]
async fn brute_force_never_gets_more_tries_than_allowed() {
    let (app, _) = app_with(&[("CODE_MAX_ATTEMPTS", "5")]).await;
    app.request_code(PHONE).await;
    let code = app.telnyx.last().code();
    // Every other 6-digit code, concurrently in bursts: only 5 are ever compared.
    let guesses: Vec<String> = (0..200)
        .map(|n| format!("{n:06}"))
        .filter(|g| *g != code)
        .collect();
    let mut compared = 0;
    for burst in guesses.chunks(50) {
        let results =
            futures_util::future::join_all(burst.iter().map(|g| app.verify_code(PHONE, g))).await;
        compared += results.iter().filter(|r| r.status() == 401).count();
    }
    assert_eq!(compared, 5);
    assert_eq!(
        app.verify_code(PHONE, &code).await.status(),
        403,
        "the code is dead"
    );
}

/// Requests from 30 rotating addresses leave counters behind; once their window ends the
/// background purge removes them all: rotating addresses can't grow the tables for ever.
#[tokio::test]
async fn counters_from_rotating_addresses_are_purged() {
    use sqlx::{Connection, SqliteConnection};
    let (app, clock) = app_with(&[
        ("TRUSTED_PROXIES", "127.0.0.1"),
        ("SENDS_PER_IP", "100"),
        ("PURGE_INTERVAL_SECONDS", "1"),
    ])
    .await;
    for n in 0..30 {
        let phone = format!("+1212555{:04}", 3000 + n);
        request_from(&app, &phone, &format!("198.51.100.{n}")).await;
    }
    let path = app.data_dir.path().join("telnyx-2fa.db");
    let mut db = SqliteConnection::connect(&format!("sqlite:{}", path.display()))
        .await
        .unwrap();
    assert!(count_counters(&mut db).await >= 30);
    clock.advance(Duration::from_secs(601));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while count_counters(&mut db).await > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "counters were not purged"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn count_counters(db: &mut sqlx::SqliteConnection) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM limit_counters")
        .fetch_one(db)
        .await
        .unwrap()
}
