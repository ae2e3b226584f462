//! `GET /metrics`: a Prometheus scrape counts what a flow did (requests, sends by country,
//! Telnyx's answers, refusals, delivery reports, verifications, latency, pending codes),
//! never shows a number or a code, and is reachable only as configured.

use crate::{
    fake_telnyx::{Reply, WebhookSender},
    helpers::*,
};
use std::collections::BTreeMap;

const TOKEN: &str = "metrics-token-0123456789";

/// One sample of the exposition: name, labels, value.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// Parses Prometheus' text format (comments skipped; label values hold no quotes here).
fn samples(text: &str) -> Vec<Sample> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').expect("name value");
            let (name, labels) = match series.split_once('{') {
                Some((name, labels)) => (name, labels.trim_end_matches('}')),
                None => (series, ""),
            };
            let labels = labels
                .split(',')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (key, value) = pair.split_once('=').expect("label=value");
                    (key.to_string(), value.trim_matches('"').to_string())
                })
                .collect();
            Sample {
                name: name.to_string(),
                labels,
                value: value.parse().expect("a number"),
            }
        })
        .collect()
}

/// The value of the sample `name` whose labels include `labels` (0 when absent).
fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    samples
        .iter()
        .filter(|sample| sample.name == name)
        .filter(|sample| {
            labels
                .iter()
                .all(|(key, value)| sample.labels.get(*key).map(String::as_str) == Some(*value))
        })
        .map(|sample| sample.value)
        .sum()
}

async fn scrape(app: &TestApp, base: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(format!("{base}/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_scrape_counts_the_flow_and_holds_no_number_or_code() {
    let webhooks = WebhookSender::new();
    let key = webhooks.public_key();
    let app = spawn_app_with(
        &[("METRICS_TOKEN", TOKEN), ("TELNYX_PUBLIC_KEY", &key)],
        None,
    )
    .await;

    // A verified flow: a code sent, delivered, one wrong guess, then the right code.
    assert_eq!(app.request_code(PHONE).await.status().as_u16(), 200);
    let code = app.telnyx.last().code();
    let message_id = app.telnyx.last_message_id();
    let delivered = WebhookSender::event("message.finalized", &message_id, "delivered");
    assert_eq!(webhooks.post(&app.address, &delivered).await, 204);
    assert_eq!(
        app.verify_code(PHONE, &other_code(&code))
            .await
            .status()
            .as_u16(),
        401
    );
    assert_eq!(app.verify_code(PHONE, &code).await.status().as_u16(), 200);
    // A number that does not parse, a number Telnyx refuses, and one code left pending.
    assert_eq!(app.request_code("12").await.status().as_u16(), 422);
    app.telnyx
        .reply_next(Reply::telnyx_error(400, "40310", "Invalid 'to' address"));
    assert_eq!(
        app.request_code("+12125550188").await.status().as_u16(),
        422
    );
    assert_eq!(
        app.request_code("+442079460000").await.status().as_u16(),
        200
    );
    let pending_code = app.telnyx.last().code();
    // No route matched: no latency sample, so raw paths never become labels.
    assert_eq!(
        app.get("/no-such-page-2125550199").await.status().as_u16(),
        404
    );

    let refused = scrape(&app, &app.address, None).await;
    assert_eq!(refused.status().as_u16(), 401, "the token is required");
    let wrong = scrape(&app, &app.address, Some("not-the-token")).await;
    assert_eq!(wrong.status().as_u16(), 401);

    let response = scrape(&app, &app.address, Some(TOKEN)).await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = response.text().await.unwrap();
    let s = samples(&text);
    let requested = "telnyx_2fa_codes_requested_total";
    assert_eq!(
        value(&s, requested, &[("country", "US"), ("outcome", "sent")]),
        1.0,
        "{text}"
    );
    assert_eq!(
        value(&s, requested, &[("country", "GB"), ("outcome", "sent")]),
        1.0
    );
    assert_eq!(
        value(
            &s,
            requested,
            &[("country", "US"), ("outcome", "send_failed")]
        ),
        1.0
    );
    assert_eq!(
        value(
            &s,
            requested,
            &[("country", "unknown"), ("outcome", "invalid")]
        ),
        1.0
    );
    assert_eq!(
        value(&s, "telnyx_2fa_codes_sent_total", &[("country", "US")]),
        1.0
    );
    let verifications = "telnyx_2fa_verifications_total";
    assert_eq!(value(&s, verifications, &[("outcome", "verified")]), 1.0);
    assert_eq!(value(&s, verifications, &[("outcome", "wrong_code")]), 1.0);
    let telnyx = "telnyx_2fa_telnyx_responses_total";
    assert_eq!(value(&s, telnyx, &[("status", "200"), ("code", "")]), 2.0);
    assert_eq!(
        value(&s, telnyx, &[("status", "400"), ("code", "40310")]),
        1.0
    );
    assert_eq!(
        value(
            &s,
            "telnyx_2fa_delivery_reports_total",
            &[("status", "delivered")]
        ),
        1.0
    );
    assert_eq!(
        value(&s, "telnyx_2fa_pending_codes", &[]),
        1.0,
        "the GB code"
    );
    let latency = "telnyx_2fa_http_request_duration_seconds_count";
    assert_eq!(
        value(
            &s,
            latency,
            &[("endpoint", "/api/request-code"), ("method", "POST")]
        ),
        4.0
    );
    assert_eq!(
        value(
            &s,
            latency,
            &[("endpoint", "/api/verify-code"), ("status", "200")]
        ),
        1.0
    );
    assert_eq!(value(&s, "telnyx_2fa_store_errors_total", &[]), 0.0);

    assert!(
        !text.contains("no-such-page"),
        "an unmatched path is no label"
    );
    for secret in [
        "2125550123",
        "2125550188",
        "2079460000",
        &code,
        &pending_code,
    ] {
        let leaked = text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|token| token.contains(secret));
        assert!(!leaked, "the scrape shows {secret}");
    }
}

#[tokio::test]
async fn limits_count_their_refusals_by_name() {
    let app = spawn_app_with(&[("METRICS_TOKEN", TOKEN), ("SENDS_PER_NUMBER", "1")], None).await;
    assert_eq!(app.request_code(PHONE).await.status().as_u16(), 200);
    assert_eq!(app.request_code(PHONE).await.status().as_u16(), 429);
    let text = scrape(&app, &app.address, Some(TOKEN))
        .await
        .text()
        .await
        .unwrap();
    let s = samples(&text);
    assert_eq!(
        value(
            &s,
            "telnyx_2fa_limit_refusals_total",
            &[("limit", "sends_per_number")]
        ),
        1.0,
        "{text}"
    );
    assert_eq!(
        value(
            &s,
            "telnyx_2fa_codes_requested_total",
            &[("outcome", "refused")]
        ),
        1.0
    );
}

#[tokio::test]
async fn metrics_can_have_their_own_listener_and_then_only_there() {
    let app = spawn_app_with(&[("METRICS_ADDR", "127.0.0.1:0")], None).await;
    assert_eq!(
        scrape(&app, &app.address, None).await.status().as_u16(),
        404
    );
    let own = app.metrics_address.clone().expect("a metrics listener");
    app.request_code(PHONE).await;
    let response = scrape(&app, &own, None).await;
    assert_eq!(response.status().as_u16(), 200);
    let s = samples(&response.text().await.unwrap());
    assert_eq!(
        value(&s, "telnyx_2fa_codes_sent_total", &[("country", "US")]),
        1.0
    );
}

#[tokio::test]
async fn without_a_token_metrics_are_open_only_on_a_development_server() {
    let local = spawn_app().await;
    assert_eq!(
        scrape(&local, &local.address, None).await.status().as_u16(),
        200
    );
    let public = spawn_app_with(&[("PUBLIC_URL", "https://auth.example.com")], None).await;
    assert_eq!(
        scrape(&public, &public.address, None)
            .await
            .status()
            .as_u16(),
        404
    );
}
