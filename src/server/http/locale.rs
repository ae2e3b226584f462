//! The page's language: the switcher's choice (the `t2fa_lang` cookie, which `?lang=`
//! sets), else the browser's `Accept-Language`, else English.

use crate::locale::Locale;
use axum::{
    extract::Request,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    response::{IntoResponse, Response},
};

/// Remembers the language picked with the switcher.
pub const COOKIE: &str = "t2fa_lang";
/// The switcher's query parameter: `?lang=es`.
const PARAMETER: &str = "lang";
/// How long a pick is remembered.
const REMEMBERED_SECONDS: u64 = 365 * 24 * 3600;

/// The language of a page requested with `headers`.
pub fn of_request(headers: &HeaderMap) -> Locale {
    chosen(headers)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|value| value.to_str().ok())
                .and_then(Locale::negotiate)
        })
        .unwrap_or_default()
}

/// The language in the switcher's cookie, if it names one of ours.
fn chosen(headers: &HeaderMap) -> Option<Locale> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
        .and_then(|code| code.parse().ok())
}

/// `GET <page>?lang=es`: remembers the pick in a cookie and loads the page again without
/// the parameter (so it works without JavaScript, and the address stays clean). `None`
/// for any other request.
pub fn remember_choice(request: &Request) -> Option<Response> {
    if request.method() == Method::GET {
        if let Some((locale, rest)) = request.uri().query().and_then(pick) {
            let path = request.uri().path();
            let location = if rest.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{rest}")
            };
            let cookie = format!(
                "{COOKIE}={}; Path=/; Max-Age={REMEMBERED_SECONDS}; SameSite=Lax; HttpOnly",
                locale.code()
            );
            let mut response = StatusCode::SEE_OTHER.into_response();
            let headers = response.headers_mut();
            if let (Ok(location), Ok(cookie)) = (
                HeaderValue::from_str(&location),
                HeaderValue::from_str(&cookie),
            ) {
                headers.insert(header::LOCATION, location);
                headers.insert(header::SET_COOKIE, cookie);
                return Some(response);
            }
        }
    }
    None
}

/// The locale a query string picks, and the query without it.
fn pick(query: &str) -> Option<(Locale, String)> {
    let mut locale = None;
    let rest: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            match pair
                .strip_prefix(PARAMETER)
                .and_then(|v| v.strip_prefix('='))
            {
                Some(code) => {
                    locale = code.parse().ok().or(locale);
                    false
                }
                None => !pair.is_empty(),
            }
        })
        .collect();
    Some((locale?, rest.join("&")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pick_wins_over_the_browser() {
        let mut headers = HeaderMap::new();
        assert_eq!(of_request(&headers), Locale::En);
        headers.insert(header::ACCEPT_LANGUAGE, "fr-CA,fr;q=0.9".parse().unwrap());
        assert_eq!(of_request(&headers), Locale::Fr);
        headers.insert(header::COOKIE, "a=b; t2fa_lang=pt".parse().unwrap());
        assert_eq!(of_request(&headers), Locale::Pt);
        assert_eq!(
            pick("lang=de&error=x"),
            Some((Locale::De, "error=x".into()))
        );
        assert_eq!(pick("lang=xx"), None);
        assert_eq!(pick("error=x"), None);
    }
}
