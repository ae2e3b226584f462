//! The dev outbox fails closed: without a Telnyx key it runs only on a loopback address
//! with no `PUBLIC_URL`, or where `DEV_OUTBOX=true` says so; a blank key is an error.

use std::{collections::HashMap, sync::Arc};
use telnyx_2fa::server::{config::Config, domain::clock::SystemClock, http::startup::Application};

/// Starts the app with `settings` (no Telnyx key unless given), or says why it won't.
async fn start(settings: &[(&str, &str)]) -> Result<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let env: HashMap<String, String> = [
        ("DATA_DIR", dir.path().to_str().unwrap()),
        ("DATABASE_URL", "memory:"),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
    ]
    .iter()
    .chain(settings)
    .map(|(key, value)| (key.to_string(), value.to_string()))
    .collect();
    let config = Config::from_env(env).map_err(|error| error.to_string())?;
    let app = Application::build_with_clock(config, Arc::new(SystemClock), telnyx_2fa::app::ui())
        .await
        .map_err(|error| error.to_string())?;
    let port = app.local_addr().port();
    tokio::spawn(app.run_until_stopped());
    Ok(format!("http://127.0.0.1:{port}"))
}

async fn outbox_status(address: &str) -> u16 {
    reqwest::get(format!("{address}/dev/outbox"))
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn on_loopback_without_a_key_the_outbox_runs() {
    let address = start(&[]).await.unwrap();
    assert_eq!(outbox_status(&address).await, 200);
}

#[tokio::test]
async fn on_every_interface_without_a_key_the_server_refuses_to_start() {
    let error = start(&[("LEPTOS_SITE_ADDR", "0.0.0.0:0")])
        .await
        .unwrap_err();
    assert!(error.contains("LEPTOS_SITE_ADDR"), "{error}");
    assert!(error.contains("DEV_OUTBOX=true"), "{error}");
}

#[tokio::test]
async fn with_a_public_url_and_no_key_the_server_refuses_to_start() {
    let error = start(&[("PUBLIC_URL", "https://auth.example.com")])
        .await
        .unwrap_err();
    assert!(error.contains("PUBLIC_URL"), "{error}");
}

#[tokio::test]
async fn dev_outbox_true_runs_it_anywhere() {
    let address = start(&[("LEPTOS_SITE_ADDR", "0.0.0.0:0"), ("DEV_OUTBOX", "true")])
        .await
        .unwrap();
    assert_eq!(outbox_status(&address).await, 200);
}

#[tokio::test]
async fn a_blank_key_is_an_error_naming_the_setting() {
    for blank in ["", "   "] {
        let error = start(&[("TELNYX_API_KEY", blank)]).await.unwrap_err();
        assert!(error.contains("TELNYX_API_KEY"), "{error}");
    }
}

#[tokio::test]
async fn with_a_key_there_is_no_outbox_on_any_interface() {
    let address = start(&[
        ("LEPTOS_SITE_ADDR", "0.0.0.0:0"),
        ("TELNYX_API_KEY", "KEY"),
        ("TELNYX_FROM_NUMBER", "+15550001111"),
    ])
    .await
    .unwrap();
    assert_ne!(outbox_status(&address).await, 200);
}
