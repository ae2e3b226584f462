//! The server protects itself: slow header senders are cut off, requests past the
//! concurrency limit are shed with 503 instead of queueing, and slow requests time out.

use crate::{fake_telnyx::Reply, helpers::*};
use std::time::{Duration, Instant};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

#[tokio::test]
async fn a_connection_that_never_finishes_its_headers_is_closed() {
    let app = spawn_app().await;
    let address = app.address.trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(&address).await.unwrap();
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "the connection was still open after 20 s");
    let waited = started.elapsed();
    assert!(
        (Duration::from_secs(9)..Duration::from_secs(15)).contains(&waited),
        "closed after {waited:?}"
    );
    assert!(!String::from_utf8_lossy(&rest).contains("200 OK"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_concurrency_limit_requests_are_shed_with_503() {
    let app = std::sync::Arc::new(
        spawn_app_with(
            &[
                ("MAX_CONCURRENT_REQUESTS", "1"),
                ("TELNYX_TIMEOUT_SECONDS", "5"),
            ],
            None,
        )
        .await,
    );
    app.telnyx.reply_next(Reply::Slow(Duration::from_secs(2)));
    let slow = {
        let app = app.clone();
        tokio::spawn(async move { app.request_code(PHONE).await.status().as_u16() })
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let shed = app.get("/health").await;
    assert_eq!(shed.status().as_u16(), 503);
    assert_eq!(shed.headers()["retry-after"], "1");
    let (_, body) = json(shed).await;
    assert_eq!(body["error"], "overloaded");
    assert_eq!(slow.await.unwrap(), 200, "the request in flight completes");
    assert_eq!(
        app.get("/health").await.status().as_u16(),
        200,
        "and then there is room"
    );
}

#[tokio::test]
async fn a_request_taking_too_long_is_answered_503() {
    let app = spawn_app_with(
        &[
            ("REQUEST_TIMEOUT_SECONDS", "1"),
            ("TELNYX_TIMEOUT_SECONDS", "5"),
        ],
        None,
    )
    .await;
    app.telnyx.reply_next(Reply::Slow(Duration::from_secs(3)));
    let started = Instant::now();
    let (status, body) = json(app.request_code(PHONE).await).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"], "overloaded");
    assert!(started.elapsed() < Duration::from_secs(3));
}
