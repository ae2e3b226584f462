//! The session cookie given after a successful verification: signed (HMAC, with a key
//! derived from `SECRET_KEY`, so every instance accepts it), `HttpOnly`,
//! `SameSite=Strict`, `Secure` over HTTPS, naming the verified number and its expiry.

use crate::server::domain::{
    clock::{Clock, Millis},
    secret::SecretKey,
};
use cookie::{time, Cookie, CookieJar, Key, SameSite};
use http::{header, HeaderMap};
use std::{sync::Arc, time::Duration};

pub(crate) const COOKIE_NAME: &str = "t2fa_session";

pub(crate) struct Sessions {
    key: Key,
    ttl: Duration,
    clock: Arc<dyn Clock>,
}

impl Sessions {
    pub(crate) fn new(secret: &SecretKey, ttl: Duration, clock: Arc<dyn Clock>) -> Self {
        Self {
            key: Key::derive_from(&secret.derive("session-cookie")),
            ttl,
            clock,
        }
    }

    /// The `Set-Cookie` value of a new session naming `phone` (E.164).
    pub(crate) fn issue(&self, phone: &str, secure: bool) -> String {
        let expires = self.clock.now() + self.ttl.as_millis() as Millis;
        let cookie = self.cookie(format!("{phone}|{expires}"), secure, self.ttl);
        let mut jar = CookieJar::new();
        jar.signed_mut(&self.key).add(cookie);
        jar.get(COOKIE_NAME)
            .map(|signed| signed.encoded().to_string())
            .unwrap_or_default()
    }

    /// The `Set-Cookie` value that ends the session.
    pub(crate) fn clear(&self, secure: bool) -> String {
        self.cookie(String::new(), secure, Duration::ZERO)
            .encoded()
            .to_string()
    }

    /// The verified number (E.164) of a valid, unexpired session cookie in `headers`.
    pub(crate) fn read(&self, headers: &HeaderMap) -> Option<String> {
        let mut jar = CookieJar::new();
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| Cookie::parse_encoded(pair.trim().to_string()).ok())
            .for_each(|cookie| jar.add_original(cookie));
        let cookie = jar.signed(&self.key).get(COOKIE_NAME)?;
        let (phone, expires) = cookie.value().split_once('|')?;
        let expires: Millis = expires.parse().ok()?;
        (expires > self.clock.now()).then(|| phone.to_string())
    }

    fn cookie(&self, value: String, secure: bool, max_age: Duration) -> Cookie<'static> {
        Cookie::build((COOKIE_NAME, value))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(secure)
            .max_age(time::Duration::seconds(max_age.as_secs() as i64))
            .build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::domain::clock::ManualClock;
    use http::HeaderValue;

    fn sessions(secret: &str, clock: &ManualClock) -> Sessions {
        let secret = SecretKey::parse(&secret.repeat(32)).unwrap();
        Sessions::new(&secret, Duration::from_secs(3600), Arc::new(clock.clone()))
    }

    fn request_with(set_cookie: &str) -> HeaderMap {
        let pair = set_cookie.split(';').next().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(pair).unwrap());
        headers
    }

    #[test]
    fn a_session_names_its_number_until_it_expires() {
        let clock = ManualClock::starting_at(1_800_000_000_000);
        let sessions = sessions("ab", &clock);
        let set_cookie = sessions.issue("+12125550123", false);
        assert!(set_cookie.contains("HttpOnly"));
        assert!(set_cookie.contains("SameSite=Strict"));
        assert!(!set_cookie.contains("Secure"));
        assert!(sessions.issue("+1", true).contains("Secure"));
        assert_eq!(
            sessions.read(&request_with(&set_cookie)).as_deref(),
            Some("+12125550123")
        );
        clock.advance(Duration::from_secs(3600));
        assert_eq!(sessions.read(&request_with(&set_cookie)), None);
    }

    #[test]
    fn forged_or_foreign_cookies_are_ignored() {
        let clock = ManualClock::starting_at(1_800_000_000_000);
        let ours = sessions("ab", &clock);
        let theirs = sessions("cd", &clock);
        let foreign = theirs.issue("+12125550123", false);
        assert_eq!(ours.read(&request_with(&foreign)), None);
        let forged = format!("{COOKIE_NAME}=%2B12125550123%7C99999999999999");
        assert_eq!(ours.read(&request_with(&forged)), None);
        assert_eq!(ours.read(&request_with(&ours.clear(false))), None);
    }
}
