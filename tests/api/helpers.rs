//! Starting the app for a test, and calling its endpoints the way an API client would.

use crate::fake_telnyx::FakeTelnyx;
use reqwest::{redirect, Response};
use serde_json::Value;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};
use telnyx_2fa::server::{
    config::{Config, LIMITS_OFF},
    domain::{
        clock::{Clock, ManualClock, SystemClock},
        phone::PhoneNumber,
    },
    http::startup::Application,
};

pub const API_KEY: &str = "KEY0123456789TEST";
pub const FROM: &str = "+15550001111";
pub const PHONE: &str = "+12125550123";

pub struct TestApp {
    pub address: String,
    pub telnyx: FakeTelnyx,
    pub client: reqwest::Client,
    /// The app's data directory (its SQLite database and secret key, by default).
    pub data_dir: tempfile::TempDir,
    /// The separate metrics listener (`METRICS_ADDR`), when there is one.
    pub metrics_address: Option<String>,
    /// The verification ids the app gave this client, by number (E.164).
    verifications: Mutex<HashMap<String, String>>,
}

/// Starts the app with a fake Telnyx and the given settings on top of the test defaults:
/// a SQLite database in a fresh data directory, abuse limits off. A setting given as "" is removed (e.g.
/// `("TELNYX_API_KEY", "")` selects the dev outbox).
pub async fn spawn_app_with(overrides: &[(&str, &str)], clock: Option<ManualClock>) -> TestApp {
    let telnyx = FakeTelnyx::start().await;
    let data_dir = tempfile::tempdir().unwrap();
    let settings = [
        ("DATA_DIR", data_dir.path().to_str().unwrap()),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:0"),
        ("TELNYX_API_KEY", API_KEY),
        ("TELNYX_FROM_NUMBER", FROM),
        ("TELNYX_API_BASE", telnyx.url.as_str()),
    ];
    // Abuse limits are off unless a test is about them (tests send many codes).
    let mut env: HashMap<String, String> = settings
        .into_iter()
        .chain(LIMITS_OFF)
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for (key, value) in overrides {
        if value.is_empty() {
            env.remove(*key);
        } else {
            env.insert(key.to_string(), value.to_string());
        }
    }
    let config = Config::from_env(env).expect("valid test settings");
    let clock: Arc<dyn Clock> = match clock {
        Some(clock) => Arc::new(clock),
        None => Arc::new(SystemClock),
    };
    let app = Application::build_with_clock(config, clock, telnyx_2fa::app::ui())
        .await
        .expect("the app starts");
    let address = format!("http://{}", app.local_addr());
    let metrics_address = app.metrics_addr().map(|addr| format!("http://{addr}"));
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        address,
        telnyx,
        client,
        data_dir,
        metrics_address,
        verifications: Mutex::default(),
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[], None).await
}

impl TestApp {
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}{path}", self.address))
            .form(form)
            .send()
            .await
            .expect("request sent")
    }

    /// `POST /api/request-code` as an API client that sends back the `verification_id`
    /// it was given for this number, if any (and remembers the one it gets).
    pub async fn request_code(&self, phone: &str) -> Response {
        let mut form = vec![("phone", phone.to_string())];
        if let Some(id) = self.verification_of(phone) {
            form.push(("verification_id", id));
        }
        let response = self
            .client
            .post(format!("{}/api/request-code", self.address))
            .form(&form)
            .send()
            .await
            .expect("request sent");
        self.remember_verification(phone, response).await
    }

    /// `POST /api/verify-code` with the verification the app gave for this number.
    pub async fn verify_code(&self, phone: &str, code: &str) -> Response {
        let mut form = vec![("phone", phone.to_string()), ("code", code.to_string())];
        if let Some(id) = self.verification_of(phone) {
            form.push(("verification_id", id));
        }
        self.client
            .post(format!("{}/api/verify-code", self.address))
            .form(&form)
            .send()
            .await
            .expect("request sent")
    }

    /// `POST /api/delivery-status` for the verification of this number.
    pub async fn delivery_status(&self, phone: &str) -> Response {
        let id = self.verification_of(phone).unwrap_or_default();
        self.post_form("/api/delivery-status", &[("verification_id", &id)])
            .await
    }

    /// The `verification_id` the app gave for `phone`.
    pub fn verification_of(&self, phone: &str) -> Option<String> {
        self.verifications
            .lock()
            .unwrap()
            .get(&e164(phone))
            .cloned()
    }

    /// Uses `id` (another client's verification) for `phone` from now on.
    pub fn adopt_verification(&self, phone: &str, id: &str) {
        self.verifications
            .lock()
            .unwrap()
            .insert(e164(phone), id.to_string());
    }

    /// Notes the `verification_id` a response carries, and hands the response on.
    async fn remember_verification(&self, phone: &str, response: Response) -> Response {
        let mut answer = http::Response::builder().status(response.status());
        for (name, value) in response.headers() {
            answer = answer.header(name, value);
        }
        let body = response.bytes().await.expect("a body");
        if let Some(id) = serde_json::from_slice::<Value>(&body)
            .ok()
            .and_then(|json| json["verification_id"].as_str().map(str::to_string))
        {
            self.verifications.lock().unwrap().insert(e164(phone), id);
        }
        Response::from(answer.body(body).unwrap())
    }

    /// The body of a page, by path (`/verify?...`) or absolute URL.
    pub async fn page(&self, path_or_url: &str) -> String {
        let url = if path_or_url.starts_with("http") {
            path_or_url.to_string()
        } else {
            format!("{}{path_or_url}", self.address)
        };
        let response = self.client.get(url).send().await.expect("request sent");
        response.text().await.expect("a body")
    }

    /// `GET path` as a browser holding the cookie `name=value`.
    pub async fn get_with_cookie(&self, path: &str, cookie: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.address))
            .header("cookie", cookie)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request sent")
    }
}

/// A browser's form post from the page `referer`, with its cookies.
pub async fn form_post(
    app: &TestApp,
    path: &str,
    referer: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.client
        .post(format!("{}{path}", app.address))
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", format!("{}{referer}", app.address))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .unwrap()
}

/// The status and JSON body of a response.
pub async fn json(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    let value = serde_json::from_str(&body)
        .unwrap_or_else(|_| panic!("JSON body expected, got {status}: {body}"));
    (status, value)
}

/// The `Set-Cookie` header of a response that sets `name`.
pub fn set_cookie(response: &Response, name: &str) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().to_string())
        .find(|value| value.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie set"))
}

/// The `name=value` part of a response's `Set-Cookie` for `name`, as a browser would
/// send it back.
pub fn cookie_pair(response: &Response, name: &str) -> String {
    set_cookie(response, name)
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

/// `phone` in E.164 (as typed in the US), or as given when it is not a number.
pub fn e164(phone: &str) -> String {
    PhoneNumber::parse(phone, "US".parse().unwrap())
        .map(|phone| phone.as_e164().to_string())
        .unwrap_or_else(|_| phone.to_string())
}

/// A code of the right shape that is not `code`.
pub fn other_code(code: &str) -> String {
    code.chars()
        .map(|c| if c == '0' { '1' } else { '0' })
        .collect()
}
