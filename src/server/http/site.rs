//! The Leptos options the server renders and serves files with: the names Cargo.toml's
//! `[package.metadata.leptos]` states (compiled in, so the binary needs no Cargo.toml at
//! run time), with the configured site address and root (`LEPTOS_SITE_ADDR`,
//! `LEPTOS_SITE_ROOT`, read with every other setting) on top. The environment is not read
//! here a second time.

use crate::server::config::HttpConfig;
use config::{Config, File, FileFormat};
use leptos::config::LeptosOptions;

const CARGO_TOML: &str = include_str!("../../../Cargo.toml");
const SECTION: &str = "[package.metadata.leptos]";

pub(crate) fn leptos_options(http: &HttpConfig) -> Result<LeptosOptions, String> {
    let mut options = cargo_leptos_metadata()
        .map_err(|error| format!("Cargo.toml's Leptos metadata: {error}"))?;
    if let Some(addr) = http.site_addr {
        options.site_addr = addr;
    }
    if let Some(root) = &http.site_root {
        options.site_root = root.as_str().into();
    }
    Ok(options)
}

/// The `[package.metadata.leptos]` table of Cargo.toml, as Leptos options.
fn cargo_leptos_metadata() -> Result<LeptosOptions, String> {
    let start = CARGO_TOML
        .find(SECTION)
        .ok_or_else(|| format!("no {SECTION} section"))?
        + SECTION.len();
    let table: String = CARGO_TOML[start..]
        .lines()
        .take_while(|line| !line.trim_start().starts_with('['))
        .map(|line| format!("{line}\n"))
        .collect();
    Config::builder()
        .add_source(File::from_str(&table, FileFormat::Toml))
        .build()
        .and_then(Config::try_deserialize)
        .map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::config::Config;

    fn options(env: &[(&str, &str)]) -> LeptosOptions {
        let env = env
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect();
        leptos_options(&Config::from_env(env).unwrap().http).unwrap()
    }

    #[test]
    fn names_come_from_cargo_toml() {
        let options = options(&[]);
        assert_eq!(&*options.output_name, "telnyx-2fa");
        assert_eq!(&*options.site_pkg_dir, "pkg");
        assert_eq!(&*options.site_root, "target/site");
        assert_eq!(options.site_addr.to_string(), "127.0.0.1:3000");
    }

    #[test]
    fn the_configured_address_and_root_win() {
        let options = options(&[
            ("LEPTOS_SITE_ROOT", "/srv/site"),
            ("LEPTOS_SITE_ADDR", "0.0.0.0:8080"),
        ]);
        assert_eq!(&*options.site_root, "/srv/site");
        assert_eq!(options.site_addr.to_string(), "0.0.0.0:8080");
    }
}
