//! The `telnyx-2fa` server binary: load settings, start telemetry, serve.

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    use std::process::ExitCode;
    use telnyx_2fa::server::{
        config::Config,
        http::startup::Application,
        telemetry::{self, LogFormat},
    };

    let config = match Config::load() {
        Ok(config) => config,
        Err(error) => {
            telemetry::init(LogFormat::Text);
            tracing::error!("{error}");
            eprintln!("telnyx-2fa: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format());
    let app = match Application::build(config, telnyx_2fa::app::ui()).await {
        Ok(app) => app,
        Err(error) => {
            tracing::error!("{error}");
            eprintln!("telnyx-2fa: {error}");
            return ExitCode::FAILURE;
        }
    };
    match app.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("server failed: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "ssr"))]
pub fn main() {
    // The WASM bundle starts in `telnyx_2fa::hydrate`; this binary needs the `ssr` feature.
}
