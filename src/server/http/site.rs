//! The Leptos options the server renders and serves files with: the names Cargo.toml's
//! `[package.metadata.leptos]` states (compiled in, so the binary needs no Cargo.toml at
//! run time; `LEPTOS_*` variables apply as cargo-leptos sets them), with the configured
//! site address and root on top.

use crate::server::config::HttpConfig;
use leptos::config::LeptosOptions;

pub(crate) fn leptos_options(http: &HttpConfig) -> Result<LeptosOptions, String> {
    let mut options = leptos::config::get_config_from_str(include_str!("../../../Cargo.toml"))
        .map_err(|error| format!("Cargo.toml's Leptos metadata: {error}"))?;
    if let Some(addr) = http.site_addr {
        options.site_addr = addr;
    }
    if let Some(root) = &http.site_root {
        options.site_root = root.as_str().into();
    }
    Ok(options)
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
