//! The app's cookies: signed (HMAC, with a key derived from `SECRET_KEY`, so every
//! instance accepts them), `HttpOnly`, `SameSite=Strict`, `Path=/`. Over HTTPS they are
//! `Secure` and carry the `__Host-` prefix, which browsers accept only from a secure
//! origin, for the whole host, with no `Domain`.

use crate::server::domain::secret::SecretKey;
use cookie::{time, Cookie, CookieJar, Key, SameSite};
use http::{header, HeaderMap};
use std::time::Duration;

/// The session of a verified number (its value: a random id; the number stays server side).
pub(crate) const SESSION: &str = "t2fa_session";
/// The verification this browser started (its value: the verification id).
pub(crate) const VERIFICATION: &str = "t2fa_verification";
/// The session again, `SameSite=Lax`, read only by the OpenID Connect authorization
/// endpoint: people arrive there by a cross-site navigation, which carries no Strict
/// cookie, and an existing session must still be reused.
pub(crate) const SSO: &str = "t2fa_sso";
/// A relying party's authorization request while its person verifies (`Lax`, for the
/// same reason).
pub(crate) const AUTHORIZE: &str = "t2fa_authorize";

const SECURE_PREFIX: &str = "__Host-";

pub(crate) struct Cookies {
    key: Key,
}

impl Cookies {
    pub(crate) fn new(secret: &SecretKey) -> Self {
        Self {
            key: Key::derive_from(&secret.derive("session-cookie")),
        }
    }

    /// The `Set-Cookie` value that gives `value` under `name` for `max_age`.
    pub(crate) fn set(&self, name: &str, value: &str, max_age: Duration, secure: bool) -> String {
        self.set_with(name, value, max_age, secure, SameSite::Strict)
    }

    /// Like [`Cookies::set`], `SameSite=Lax`: sent on top-level navigations from other
    /// sites too. Only for cookies that must survive the trip from a relying party.
    pub(crate) fn set_lax(
        &self,
        name: &str,
        value: &str,
        max_age: Duration,
        secure: bool,
    ) -> String {
        self.set_with(name, value, max_age, secure, SameSite::Lax)
    }

    fn set_with(
        &self,
        name: &str,
        value: &str,
        max_age: Duration,
        secure: bool,
        same_site: SameSite,
    ) -> String {
        let mut jar = CookieJar::new();
        jar.signed_mut(&self.key)
            .add(cookie(name, value.to_string(), max_age, secure, same_site));
        jar.get(&full_name(name, secure))
            .map(|signed| signed.encoded().to_string())
            .unwrap_or_default()
    }

    /// The `Set-Cookie` value that removes `name`.
    pub(crate) fn clear(&self, name: &str, secure: bool) -> String {
        cookie(
            name,
            String::new(),
            Duration::ZERO,
            secure,
            SameSite::Strict,
        )
        .encoded()
        .to_string()
    }

    /// The value of a validly signed `name` cookie in `headers` (either spelling).
    pub(crate) fn get(&self, headers: &HeaderMap, name: &str) -> Option<String> {
        let mut jar = CookieJar::new();
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| Cookie::parse_encoded(pair.trim().to_string()).ok())
            .for_each(|cookie| jar.add_original(cookie));
        let signed = jar.signed(&self.key);
        [full_name(name, true), full_name(name, false)]
            .iter()
            .find_map(|name| signed.get(name))
            .map(|cookie| cookie.value().to_string())
            .filter(|value| !value.is_empty())
    }
}

/// `response` with each `Set-Cookie` value added.
pub(crate) fn with_set_cookies<B>(
    mut response: http::Response<B>,
    cookies: &[String],
) -> http::Response<B> {
    for cookie in cookies {
        if let Ok(value) = http::HeaderValue::from_str(cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

fn full_name(name: &str, secure: bool) -> String {
    if secure {
        format!("{SECURE_PREFIX}{name}")
    } else {
        name.to_string()
    }
}

fn cookie(
    name: &str,
    value: String,
    max_age: Duration,
    secure: bool,
    same_site: SameSite,
) -> Cookie<'static> {
    Cookie::build((full_name(name, secure), value))
        .path("/")
        .http_only(true)
        .same_site(same_site)
        .secure(secure)
        .max_age(time::Duration::seconds(max_age.as_secs() as i64))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn cookies(secret: &str) -> Cookies {
        Cookies::new(&SecretKey::parse(&secret.repeat(32)).unwrap())
    }

    fn request_with(set_cookie: &str) -> HeaderMap {
        let pair = set_cookie.split(';').next().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(pair).unwrap());
        headers
    }

    #[test]
    fn cookies_are_private_strict_and_host_bound_over_https() {
        let jar = cookies("ab");
        let plain = jar.set(SESSION, "id", Duration::from_secs(60), false);
        assert!(plain.starts_with("t2fa_session="), "{plain}");
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Strict"));
        assert!(!plain.contains("Secure"));
        let secure = jar.set(SESSION, "id", Duration::from_secs(60), true);
        assert!(secure.starts_with("__Host-t2fa_session="), "{secure}");
        assert!(secure.contains("Secure") && secure.contains("Path=/"));
        assert!(!secure.contains("Domain"));
        assert_eq!(
            jar.get(&request_with(&plain), SESSION).as_deref(),
            Some("id")
        );
        assert_eq!(
            jar.get(&request_with(&secure), SESSION).as_deref(),
            Some("id")
        );
        assert_eq!(jar.get(&request_with(&plain), VERIFICATION), None);
    }

    #[test]
    fn forged_or_foreign_cookies_are_ignored() {
        let ours = cookies("ab");
        let theirs = cookies("cd");
        let foreign = theirs.set(SESSION, "id", Duration::from_secs(60), false);
        assert_eq!(ours.get(&request_with(&foreign), SESSION), None);
        assert_eq!(ours.get(&request_with("t2fa_session=id"), SESSION), None);
        assert_eq!(
            ours.get(&request_with(&ours.clear(SESSION, false)), SESSION),
            None
        );
    }
}
