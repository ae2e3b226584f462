//! What an operator and a load balancer see: liveness, readiness (the store answering),
//! request ids, and JSON logs that parse line by line.

use crate::{fake_telnyx::FakeTelnyx, helpers::*, postgres::fresh_database, restart};

#[tokio::test]
async fn live_and_ready_answer_and_health_stays_an_alias() {
    let app = spawn_app().await;
    for path in ["/livez", "/health"] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert_eq!(response.text().await.unwrap(), "ok");
    }
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status().as_u16(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready");
}

#[tokio::test]
async fn without_its_database_an_instance_is_live_but_not_ready() {
    let database = fresh_database().await;
    let app = spawn_app_with(&[("DATABASE_URL", &database.url)], None).await;
    assert_eq!(app.get("/readyz").await.status().as_u16(), 200);
    database.drop_now().await;
    let started = std::time::Instant::now();
    assert_eq!(app.get("/readyz").await.status().as_u16(), 503);
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    assert_eq!(app.get("/livez").await.status().as_u16(), 200);
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_only_trusted_proxies_choose_it() {
    let app = spawn_app().await;
    let id_of = |response: &reqwest::Response| {
        response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_string()
    };
    let first = id_of(&app.get("/livez").await);
    let second = id_of(&app.get("/livez").await);
    assert_eq!(first.len(), 32);
    assert_ne!(first, second, "fresh per request");
    let claimed = app
        .client
        .get(format!("{}/livez", app.address))
        .header("x-request-id", "from-the-client")
        .send()
        .await
        .unwrap();
    assert_ne!(
        id_of(&claimed),
        "from-the-client",
        "an untrusted client can't choose it"
    );

    let proxied = spawn_app_with(&[("TRUSTED_PROXIES", "127.0.0.1")], None).await;
    let forwarded = proxied
        .client
        .get(format!("{}/livez", proxied.address))
        .header("x-request-id", "lb-1234")
        .send()
        .await
        .unwrap();
    assert_eq!(id_of(&forwarded), "lb-1234");
}

/// The real binary with `LOG_FORMAT=json` through a flow: every line is one JSON object,
/// requests carry their id, and numbers stay masked.
#[tokio::test]
async fn json_logs_parse_line_by_line() {
    let telnyx = FakeTelnyx::start().await;
    let data_dir = tempfile::tempdir().unwrap();
    let port = restart::free_port();
    let mut server =
        restart::start(data_dir.path(), port, &telnyx, &[("LOG_FORMAT", "json")]).await;
    let response = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/request-code"))
        .form(&[("phone", "+1 (212) 555-0178")])
        .send()
        .await
        .unwrap();
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(response.status().as_u16(), 200);
    server.kill().unwrap();
    server.wait().unwrap();

    let log = std::fs::read_to_string(data_dir.path().join("server.log")).unwrap();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let sent = lines
        .iter()
        .find(|line| line["fields"]["message"] == "code sent")
        .unwrap_or_else(|| panic!("no `code sent` line in {log}"));
    assert_eq!(sent["fields"]["phone"], "+1212***0178");
    assert_eq!(sent["span"]["request_id"], request_id.as_str());
    assert!(!log.contains("2125550178"), "full number in log:\n{log}");
}

/// SIGTERM while a request is in flight: `/readyz` answers 503 at once, the request
/// completes, and the process exits 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_sigterm_the_instance_drains() {
    use std::time::{Duration, Instant};
    let telnyx = FakeTelnyx::start().await;
    let data_dir = tempfile::tempdir().unwrap();
    let port = restart::free_port();
    let mut server = restart::start(
        data_dir.path(),
        port,
        &telnyx,
        &[
            ("SHUTDOWN_GRACE_SECONDS", "10"),
            ("TELNYX_TIMEOUT_SECONDS", "5"),
        ],
    )
    .await;
    telnyx.reply_next(crate::fake_telnyx::Reply::Slow(Duration::from_secs(4)));
    let in_flight = tokio::spawn(async move {
        reqwest::Client::new()
            .post(format!("http://127.0.0.1:{port}/api/request-code"))
            .form(&[("phone", PHONE)])
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    let signalled = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());
    // The signal is handled within moments: /readyz turns 503 while the request runs.
    let readyz = format!("http://127.0.0.1:{port}/readyz");
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let status = reqwest::get(&readyz).await.unwrap().status().as_u16();
        if status == 503 {
            break;
        }
        assert!(Instant::now() < deadline, "/readyz still answers {status}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        in_flight.await.unwrap(),
        200,
        "the request in flight completed"
    );

    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after the drain");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(status.success(), "{status:?}");
}
