//! The `telnyx-2fa` server binary: load settings, start telemetry, serve.

/// What `--help` prints.
#[cfg(feature = "ssr")]
const HELP: &str = "\
telnyx-2fa: self-hostable SMS two-factor authentication on Telnyx

Usage:
  telnyx-2fa                serve (settings from the environment, .env, telnyx-2fa.toml)
  telnyx-2fa check-config   validate the settings, reach the store and Telnyx, then exit
  telnyx-2fa rotate-keys    replace the OpenID Connect signing keys now
  telnyx-2fa --version      print the version
  telnyx-2fa --help         print this help

Settings are listed in the README.
";

/// jemalloc: glibc's malloc spent a fifth of a request's CPU time merging freed chunks.
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    use std::process::ExitCode;
    use telnyx_2fa::server::{
        config::Config,
        http::startup::Application,
        telemetry::{self, LogFormat},
    };

    let command = std::env::args().nth(1);
    match command.as_deref() {
        Some("--help" | "-h") => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Some("--version" | "-V") => {
            println!("telnyx-2fa {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Some("check-config" | "rotate-keys") | None => {}
        Some(other) => {
            eprintln!("telnyx-2fa: unknown argument `{other}` (see --help)");
            return ExitCode::from(2);
        }
    }
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
    let task = match command.as_deref() {
        Some("check-config") => Some(telnyx_2fa::server::check::check_config(&config).await),
        Some("rotate-keys") => Some(telnyx_2fa::server::rotate::rotate_keys(&config).await),
        _ => None,
    };
    if let Some(outcome) = task {
        return match outcome {
            Ok(passed) => {
                for line in passed {
                    println!("ok    {line}");
                }
                ExitCode::SUCCESS
            }
            Err(reason) => {
                eprintln!("FAIL  {reason}");
                ExitCode::FAILURE
            }
        };
    }
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
