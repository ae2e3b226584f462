//! The Telnyx API client: `POST {api_base}/v2/messages` with a bearer key, and every
//! error class of Telnyx's contract mapped to a [`SendError`]. Its retrying
//! [`TelnyxClient::post`] also carries the Call Control commands (`server::voice`).

use super::{Accepted, SendError};
use crate::server::{
    domain::{cost::WireCost, phone::PhoneNumber},
    metrics::Metrics,
};
use rand::Rng;
use reqwest::{header, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use url::Url;

/// One send, retries included, never takes longer than this.
pub const SEND_BUDGET: Duration = Duration::from_secs(10);
/// Tries per send, the first included.
pub const MAX_TRIES: u32 = 3;
/// First backoff after a 502/503/504; doubled per try, with jitter.
const BACKOFF: Duration = Duration::from_millis(250);

/// What the client needs to know; built from the settings.
#[derive(Debug, Clone)]
pub struct TelnyxConfig {
    pub api_base: Url,
    pub api_key: SecretString,
    /// E.164 number, short code or alphanumeric sender ID; optional with a profile.
    pub from: Option<String>,
    pub messaging_profile_id: Option<String>,
    /// Bound on one whole request, connection included.
    pub timeout: Duration,
    /// Per-message delivery webhook (`{PUBLIC_URL}/webhooks/telnyx`), if any.
    pub webhook_url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TelnyxClient {
    http: reqwest::Client,
    messages_url: Url,
    config: TelnyxConfig,
    metrics: Metrics,
}

#[derive(Serialize)]
struct SendMessage<'a> {
    to: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<&'a str>,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    messaging_profile_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook_url: Option<&'a str>,
}

#[derive(Deserialize)]
struct AcceptedBody {
    data: AcceptedMessage,
}

#[derive(Deserialize)]
struct AcceptedMessage {
    id: String,
    /// Often null until the message is finalized; then the webhook reports it.
    #[serde(default)]
    cost: Option<WireCost>,
}

#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    errors: Vec<TelnyxError>,
}

#[derive(Deserialize)]
struct TelnyxError {
    /// A string in the contract; accepted as a number too.
    #[serde(default)]
    code: Option<serde_json::Value>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    source: Option<ErrorSource>,
}

#[derive(Deserialize)]
struct ErrorSource {
    #[serde(default)]
    pointer: Option<String>,
}

impl TelnyxError {
    fn code(&self) -> Option<String> {
        match self.code.as_ref()? {
            serde_json::Value::String(code) => Some(code.clone()),
            other => Some(other.to_string()),
        }
    }

    fn pointer(&self) -> Option<&str> {
        self.source
            .as_ref()
            .and_then(|source| source.pointer.as_deref())
    }

    /// A validation error about what the deployment configures, not about the person.
    fn points_at_our_settings(&self) -> bool {
        self.pointer().is_some_and(|pointer| {
            [
                "/from",
                "/messaging_profile_id",
                "/text",
                "/webhook_url",
                "/connection_id",
            ]
            .iter()
            .any(|field| pointer == *field || pointer.starts_with(&format!("{field}/")))
        })
    }

    fn points_at_recipient(&self) -> bool {
        self.source
            .as_ref()
            .and_then(|source| source.pointer.as_deref())
            .is_some_and(|pointer| pointer == "/to" || pointer.starts_with("/to/"))
    }
}

impl TelnyxClient {
    /// A client for `config` that counts Telnyx's answers and its retries in `metrics`.
    pub fn new(config: TelnyxConfig, metrics: Metrics) -> Result<Self, String> {
        let messages_url = config
            .api_base
            .join("v2/messages")
            .map_err(|error| format!("cannot build the messages URL: {error}"))?;
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(5)))
            .user_agent(concat!("telnyx-2fa/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| format!("cannot build the HTTP client: {error}"))?;
        Ok(Self {
            http,
            messages_url,
            config,
            metrics,
        })
    }

    /// A read-only call that proves the key works: `GET /v2/messaging_profiles`.
    pub async fn check(&self) -> Result<(), String> {
        let url = self
            .config
            .api_base
            .join("v2/messaging_profiles?page[size]=1")
            .map_err(|error| format!("cannot build the URL: {error}"))?;
        let response = self
            .http
            .get(url)
            .bearer_auth(self.config.api_key.expose_secret())
            .header(header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|error| format!("cannot reach Telnyx: {}", transport_error(error)))?;
        match response.status() {
            status if status.is_success() => Ok(()),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Err(format!(
                "Telnyx refused TELNYX_API_KEY (HTTP {})",
                response.status().as_u16()
            )),
            status => Err(format!("Telnyx answered HTTP {}", status.as_u16())),
        }
    }

    /// The API's base URL (`TELNYX_API_BASE`).
    pub fn api_base(&self) -> &Url {
        &self.config.api_base
    }

    /// The configured sender (`TELNYX_FROM_NUMBER`), if any.
    pub fn from(&self) -> Option<&str> {
        self.config.from.as_deref()
    }

    /// Sends one message (see [`TelnyxClient::post`] for what is retried).
    pub async fn send(&self, to: &PhoneNumber, text: &str) -> Result<Accepted, SendError> {
        let body = SendMessage {
            to: to.as_e164(),
            from: self.config.from.as_deref(),
            text,
            messaging_profile_id: self.config.messaging_profile_id.as_deref(),
            webhook_url: self.config.webhook_url.as_deref(),
        };
        let bytes = self.post(&self.messages_url, &body).await?;
        let accepted: AcceptedBody = parse_answer(&bytes, "a message object")?;
        Ok(Accepted {
            cost: accepted.data.cost.as_ref().and_then(WireCost::parse),
            id: accepted.data.id,
        })
    }

    /// `{api_base}/{path}`.
    pub(crate) fn url(&self, path: &str) -> Result<Url, SendError> {
        self.config
            .api_base
            .join(path)
            .map_err(|error| SendError::InvalidResponse(format!("cannot build the URL: {error}")))
    }

    /// Posts one command as JSON and returns the body of its 2xx answer, retrying only
    /// where a retry can't act twice: a connection that failed before the request was
    /// written, 429 (after its `Retry-After`), and 502/503/504 from a gateway that never
    /// reached Telnyx (with backoff and jitter). A 500 or a timeout is not retried:
    /// Telnyx may have acted on it.
    pub(crate) async fn post<B: Serialize>(
        &self,
        url: &Url,
        body: &B,
    ) -> Result<Vec<u8>, SendError> {
        let started = Instant::now();
        let mut tries = 0;
        loop {
            tries += 1;
            let remaining = SEND_BUDGET.saturating_sub(started.elapsed());
            let (error, wait) = match self
                .post_once(url, body, remaining.min(self.config.timeout))
                .await
            {
                Ok(bytes) => return Ok(bytes),
                Err(failure) => failure,
            };
            let wait = match wait {
                Some(_) if tries >= MAX_TRIES => return Err(error),
                None => return Err(error),
                Some(Retry::After(wait)) => wait,
                // Exponential backoff with jitter: ~250 ms, then ~500 ms.
                Some(Retry::Backoff) => jittered(BACKOFF * 2u32.pow(tries - 1)),
            };
            if started.elapsed().saturating_add(wait) >= SEND_BUDGET {
                return Err(error);
            }
            tracing::info!(%error, try_number = tries, wait_ms = wait.as_millis() as u64, "retrying the send");
            self.metrics.telnyx_retry(match error {
                SendError::RateLimited { .. } => "rate_limited",
                SendError::Upstream { .. } => "gateway",
                _ => "connect",
            });
            tokio::time::sleep(wait).await;
        }
    }

    /// One request; on failure, the error and whether a retry is safe
    /// (`None`: retrying could act twice, or can't help).
    async fn post_once<B: Serialize>(
        &self,
        url: &Url,
        body: &B,
        timeout: Duration,
    ) -> Result<Vec<u8>, (SendError, Option<Retry>)> {
        let response = self
            .http
            .post(url.clone())
            .bearer_auth(self.config.api_key.expose_secret())
            .header(header::ACCEPT, "application/json")
            .timeout(timeout)
            .json(body)
            .send()
            .await
            .map_err(|error| {
                // A failed connection never carried the request: safe to retry.
                let wait = error.is_connect().then_some(Retry::Backoff);
                let error = transport_error(error);
                self.count_unanswered(&error);
                (error, wait)
            })?;

        let status = response.status();
        let retry_after = retry_after(response.headers());
        let bytes = response.bytes().await.map_err(|error| {
            let error = transport_error(error);
            self.count_unanswered(&error);
            (error, None)
        })?;
        if status.is_success() {
            self.metrics.telnyx_response(status.as_str(), "");
            return Ok(bytes.to_vec());
        }
        // Bodies may be missing or not JSON (proxies, 502s): classify by status alone then.
        let errors = serde_json::from_slice::<ErrorBody>(&bytes)
            .unwrap_or_default()
            .errors;
        // Telnyx's codes are short digit strings; anything else is counted as `other`, so
        // a misbehaving proxy can't grow the label set.
        let code = match errors.first().and_then(TelnyxError::code) {
            Some(code) if code.len() <= 8 && code.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                code
            }
            Some(_) => "other".to_string(),
            None => String::new(),
        };
        self.metrics.telnyx_response(status.as_str(), &code);
        let wait = match status.as_u16() {
            429 => Some(retry_after.map_or(Retry::Backoff, |seconds| {
                Retry::After(Duration::from_secs(seconds))
            })),
            502..=504 => Some(Retry::Backoff),
            _ => None,
        };
        Err((classify(status, &errors, retry_after), wait))
    }
}

/// A 2xx answer's body read as `T`; an unreadable one is an [`SendError::InvalidResponse`]
/// naming what was expected (not serde's message: it may quote the body, numbers included).
pub(crate) fn parse_answer<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    expected: &str,
) -> Result<T, SendError> {
    serde_json::from_slice(bytes).map_err(|error| {
        SendError::InvalidResponse(format!(
            "not {expected} ({:?} at line {})",
            error.classify(),
            error.line()
        ))
    })
}

impl TelnyxClient {
    /// A try that got no HTTP answer, counted as `timeout` or `transport`.
    fn count_unanswered(&self, error: &SendError) {
        let status = match error {
            SendError::Timeout => "timeout",
            _ => "transport",
        };
        self.metrics.telnyx_response(status, "");
    }
}

fn classify(status: StatusCode, errors: &[TelnyxError], retry_after: Option<u64>) -> SendError {
    let first = errors.first();
    let code = first.and_then(TelnyxError::code);
    let has_code = |wanted: &str| errors.iter().any(|e| e.code().as_deref() == Some(wanted));

    if has_code("40300") {
        return SendError::OptedOut;
    }
    if has_code("40310") {
        return SendError::InvalidRecipient { code };
    }
    match status.as_u16() {
        401 | 403 | 404 => SendError::Misconfigured {
            status: status.as_u16(),
            code,
        },
        409 => SendError::OptedOut,
        // Payment required, or a validation error about our own fields: an operator must act.
        402 => SendError::Misconfigured { status: 402, code },
        400 | 422 if errors.iter().any(TelnyxError::points_at_our_settings) => {
            SendError::Misconfigured {
                status: status.as_u16(),
                code,
            }
        }
        429 => SendError::RateLimited { retry_after },
        400 | 422 if errors.iter().any(TelnyxError::points_at_recipient) => {
            SendError::InvalidRecipient { code }
        }
        500..=599 => SendError::Upstream {
            status: status.as_u16(),
        },
        other => SendError::Rejected {
            status: other,
            code,
            detail: first
                .and_then(|e| e.detail.clone().or_else(|| e.title.clone()))
                .unwrap_or_default(),
        },
    }
}

/// When a failed request may be tried again.
enum Retry {
    /// After the wait the server asked for (`Retry-After`).
    After(Duration),
    /// After an exponential backoff.
    Backoff,
}

/// `base` scaled by a random factor in [0.5, 1.5), so retrying clients spread out.
fn jittered(base: Duration) -> Duration {
    base.mul_f64(rand::rng().random_range(0.5..1.5))
}

fn transport_error(error: reqwest::Error) -> SendError {
    if error.is_timeout() {
        SendError::Timeout
    } else {
        SendError::Transport(error.without_url().to_string())
    }
}

/// Seconds to wait, from `Retry-After` (seconds form) or `x-ratelimit-reset`.
fn retry_after(headers: &header::HeaderMap) -> Option<u64> {
    [header::RETRY_AFTER.as_str(), "x-ratelimit-reset"]
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok()?.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(json: &str) -> Vec<TelnyxError> {
        serde_json::from_str::<ErrorBody>(json).unwrap().errors
    }

    #[test]
    fn classifies_the_documented_error_codes() {
        let opted_out = errors(r#"{"errors":[{"code":"40300","title":"Blocked"}]}"#);
        assert_eq!(
            classify(StatusCode::CONFLICT, &opted_out, None),
            SendError::OptedOut
        );

        let invalid_to = errors(r#"{"errors":[{"code":"40310","title":"Invalid 'to' address"}]}"#);
        assert!(matches!(
            classify(StatusCode::BAD_REQUEST, &invalid_to, None),
            SendError::InvalidRecipient { .. }
        ));

        let pointer = errors(r#"{"errors":[{"code":"10015","source":{"pointer":"/to"}}]}"#);
        assert!(matches!(
            classify(StatusCode::UNPROCESSABLE_ENTITY, &pointer, None),
            SendError::InvalidRecipient { .. }
        ));
    }

    #[test]
    fn classifies_by_status_when_the_body_says_nothing() {
        assert!(matches!(
            classify(StatusCode::UNAUTHORIZED, &[], None),
            SendError::Misconfigured { status: 401, .. }
        ));
        assert_eq!(
            classify(StatusCode::TOO_MANY_REQUESTS, &[], Some(7)),
            SendError::RateLimited {
                retry_after: Some(7)
            }
        );
        assert_eq!(
            classify(StatusCode::BAD_GATEWAY, &[], None),
            SendError::Upstream { status: 502 }
        );
    }

    #[test]
    fn errors_about_our_own_fields_are_misconfiguration() {
        let from = errors(r#"{"errors":[{"code":"40305","source":{"pointer":"/from"}}]}"#);
        assert!(matches!(
            classify(StatusCode::UNPROCESSABLE_ENTITY, &from, None),
            SendError::Misconfigured { status: 422, .. }
        ));
        assert!(matches!(
            classify(StatusCode::PAYMENT_REQUIRED, &[], None),
            SendError::Misconfigured { status: 402, .. }
        ));
    }

    #[test]
    fn accepts_numeric_error_codes() {
        let numeric = errors(r#"{"errors":[{"code":40300}]}"#);
        assert_eq!(
            classify(StatusCode::BAD_REQUEST, &numeric, None),
            SendError::OptedOut
        );
    }
}
