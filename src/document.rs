//! What every server-rendered HTML document shares, for the app's shell and the plain
//! server pages (the dev outbox) alike.

use leptos::prelude::*;

/// What every server-rendered document's `<head>` starts with: encoding, viewport, color
/// schemes and the app's stylesheet, as cargo-leptos names it from the Leptos options
/// (`/{site-pkg-dir}/{output-name}.css`).
pub fn head_basics(options: &LeptosOptions) -> impl IntoView {
    let stylesheet = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    view! {
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <link id="leptos" rel="stylesheet" href=stylesheet />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    }
}
