//! The real binary, stopped (SIGTERM, and SIGKILL) and started again on the same SQLite
//! file: a code requested before the restart verifies after it.

use crate::{fake_telnyx::FakeTelnyx, helpers::*};
use std::{
    fs::File,
    net::TcpListener,
    path::Path,
    process::{Child, Command},
    time::{Duration, Instant},
};

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts the real binary on `port`, logging to `server.log` in `data_dir`, and waits
/// until it answers `/health`.
pub async fn start(
    data_dir: &Path,
    port: u16,
    telnyx: &FakeTelnyx,
    extra: &[(&str, &str)],
) -> Child {
    let log = File::options()
        .create(true)
        .append(true)
        .open(data_dir.join("server.log"))
        .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_telnyx-2fa"))
        .current_dir(data_dir)
        .env_clear()
        .env("DATA_DIR", data_dir)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("TELNYX_API_KEY", API_KEY)
        .env("TELNYX_FROM_NUMBER", FROM)
        .env("TELNYX_API_BASE", &telnyx.url)
        .envs(extra.iter().copied())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("the binary starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    let health = format!("http://127.0.0.1:{port}/health");
    while Instant::now() < deadline {
        if let Ok(response) = reqwest::get(&health).await {
            if response.status().is_success() {
                return child;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!(
        "the server did not come up; see {}",
        data_dir.join("server.log").display()
    );
}

async fn post(port: u16, path: &str, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}{path}"))
        .form(form)
        .send()
        .await
        .unwrap();
    json(response).await
}

async fn survives(stop: impl FnOnce(&mut Child)) {
    let telnyx = FakeTelnyx::start().await;
    let data_dir = tempfile::tempdir().unwrap();
    let port = free_port();

    let mut server = start(data_dir.path(), port, &telnyx, &[]).await;
    let (status, sent) = post(port, "/api/request-code", &[("phone", PHONE)]).await;
    assert_eq!(status, 200);
    let verification = sent["verification_id"].as_str().unwrap().to_string();
    let code = telnyx.last().code();
    stop(&mut server);
    server.wait().unwrap();

    let mut server = start(data_dir.path(), port, &telnyx, &[]).await;
    let (status, body) = post(
        port,
        "/api/verify-code",
        &[("verification_id", &verification), ("code", &code)],
    )
    .await;
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn pending_codes_survive_a_graceful_restart() {
    survives(|server| {
        let status = Command::new("kill")
            .args(["-TERM", &server.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    })
    .await;
}

#[tokio::test]
async fn pending_codes_survive_a_crash() {
    survives(|server| server.kill().unwrap()).await;
}
