//! The built assets (the WASM bundle, scripts, styles, the favicon) go out gzipped to
//! browsers that accept it. Pages and API answers do not: they carry request-chosen text
//! next to secrets (nonces, verification ids), which compression would leak (BREACH).

use http::{header::CONTENT_TYPE, Extensions, HeaderMap, StatusCode, Version};
use tower_http::compression::{
    predicate::{Predicate, SizeAbove},
    CompressionLayer,
};

/// The content types of the built assets.
const ASSET_TYPES: [&str; 5] = [
    "application/wasm",
    "text/javascript",
    "application/javascript",
    "text/css",
    "image/svg+xml",
];

/// Gzip for assets (of a few hundred bytes or more).
pub(crate) fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new().compress_when(SizeAbove::new(256).and(is_asset))
}

fn is_asset(_: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| ASSET_TYPES.iter().any(|asset| value.starts_with(asset)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_assets_are_compressed() {
        let with = |content_type: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(CONTENT_TYPE, content_type.parse().unwrap());
            is_asset(
                StatusCode::OK,
                Version::HTTP_11,
                &headers,
                &Extensions::new(),
            )
        };
        assert!(with("application/wasm"));
        assert!(with("text/javascript; charset=utf-8"));
        assert!(with("text/css"));
        assert!(!with("text/html; charset=utf-8"));
        assert!(!with("application/json"));
    }
}
