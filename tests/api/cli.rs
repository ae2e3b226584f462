//! The binary's command line: `--help`, `--version`, and `check-config`, which checks the
//! settings, the store and the Telnyx key before a deployment goes live.

use crate::{fake_telnyx::FakeTelnyx, helpers::*};
use std::process::{Command, Output};

fn run(args: &[&str], env: &[(&str, &str)], dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_telnyx-2fa"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("DATA_DIR", dir)
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_and_version() {
    let dir = tempfile::tempdir().unwrap();
    let version = run(&["--version"], &[], dir.path());
    assert!(version.status.success());
    assert_eq!(
        text(&version.stdout).trim(),
        format!("telnyx-2fa {}", env!("CARGO_PKG_VERSION"))
    );
    let help = run(&["--help"], &[], dir.path());
    assert!(help.status.success());
    assert!(text(&help.stdout).contains("check-config"));
    let unknown = run(&["--frobnicate"], &[], dir.path());
    assert_eq!(unknown.status.code(), Some(2));
}

/// Runs on a multi-threaded runtime: the binary blocks one worker while the fake
/// Telnyx answers on another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_config_reaches_the_store_and_telnyx() {
    let telnyx = FakeTelnyx::start().await;
    let dir = tempfile::tempdir().unwrap();
    let with_key = |key| {
        [
            ("TELNYX_API_KEY", key),
            ("TELNYX_FROM_NUMBER", FROM),
            ("TELNYX_API_BASE", telnyx.url.as_str()),
        ]
    };
    let good = run(&["check-config"], &with_key(API_KEY), dir.path());
    assert!(good.status.success(), "{}", text(&good.stderr));
    let report = text(&good.stdout);
    assert!(report.contains("store: reachable"), "{report}");
    assert!(report.contains("telnyx: the API key works"), "{report}");

    let wrong_key = run(&["check-config"], &with_key("WRONG"), dir.path());
    assert!(!wrong_key.status.success());
    let reason = text(&wrong_key.stderr);
    assert!(reason.contains("TELNYX_API_KEY"), "{reason}");
}

#[test]
fn check_config_names_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let bad_setting = run(&["check-config"], &[("CODE_LENGTH", "3")], dir.path());
    assert_eq!(bad_setting.status.code(), Some(2));
    assert!(text(&bad_setting.stderr).contains("CODE_LENGTH"));
    let no_database = run(
        &["check-config"],
        &[("DATABASE_URL", "postgres://postgres@127.0.0.1:1/none")],
        dir.path(),
    );
    assert!(!no_database.status.success());
    assert!(
        text(&no_database.stderr).contains("DATABASE_URL"),
        "{}",
        text(&no_database.stderr)
    );
}
