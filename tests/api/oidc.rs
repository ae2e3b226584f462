//! The OpenID Connect provider, driven as a relying party and a browser would: discovery,
//! the authorization code flow through the phone pages, the token endpoint's checks,
//! ID tokens checked against the published JWKS, userinfo, session reuse, and keys.

use crate::{helpers::*, postgres::fresh_database};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use jsonwebtoken::{jwk::JwkSet, Algorithm, DecodingKey, Validation};
use reqwest::Response;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::{collections::BTreeMap, time::Duration};
use telnyx_2fa::server::domain::clock::ManualClock;

/// A confidential client (secret, Basic or post), a public one (PKCE), and one that
/// wants EdDSA.
pub const WEB: &str = "web";
pub const WEB_SECRET: &str = "web-client-secret-0123456789";
pub const WEB_CALLBACK: &str = "https://rp.example.com/callback";
pub const SPA: &str = "spa";
pub const SPA_CALLBACK: &str = "http://localhost:4000/callback";
const ED: &str = "ed";
const ED_CALLBACK: &str = "https://ed.example.com/cb";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

pub fn clients() -> String {
    let hashed = hex::encode(Sha256::digest(WEB_SECRET.as_bytes()));
    json!([
        {"client_id": WEB, "name": "Web shop", "client_secret": format!("sha256:{hashed}"),
         "redirect_uris": [WEB_CALLBACK]},
        {"client_id": SPA, "name": "Single page app", "redirect_uris": [SPA_CALLBACK]},
        {"client_id": ED, "client_secret": "ed-client-secret-0123456789",
         "redirect_uris": [ED_CALLBACK], "id_token_signed_response_alg": "EdDSA"}
    ])
    .to_string()
}

fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A browser's cookies for the app, by name.
#[derive(Default, Clone)]
struct Jar(BTreeMap<String, String>);

impl Jar {
    fn take(&mut self, response: &Response) {
        for value in response.headers().get_all("set-cookie") {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.0.remove(name);
            } else {
                self.0.insert(name.to_string(), value.to_string());
            }
        }
    }

    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Only the cookies a cross-site navigation carries: the `SameSite=Lax` ones.
    fn cross_site(&self) -> Jar {
        Jar(self
            .0
            .iter()
            .filter(|(name, _)| name.ends_with("t2fa_sso") || name.ends_with("t2fa_authorize"))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect())
    }
}

fn location(response: &Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

/// The query parameters of a redirect to a client.
fn query(url: &str) -> BTreeMap<String, String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

struct Flow<'a> {
    app: &'a TestApp,
    jar: Jar,
}

impl<'a> Flow<'a> {
    fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            jar: Jar::default(),
        }
    }

    async fn get(&mut self, path_and_query: &str, jar: &Jar) -> Response {
        let response = self
            .app
            .client
            .get(format!("{}{path_and_query}", self.app.address))
            .header("cookie", jar.header())
            .send()
            .await
            .unwrap();
        self.jar.take(&response);
        response
    }

    /// `GET /oauth2/authorize`, arriving from the relying party's site.
    async fn authorize(&mut self, params: &[(&str, &str)]) -> Response {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        let jar = self.jar.cross_site();
        self.get(&format!("/oauth2/authorize?{query}"), &jar).await
    }

    /// The phone and code pages, as the hydrated app calls them; returns `continue_to`.
    async fn verify_number(&mut self, phone: &str) -> Value {
        let sent = self
            .app
            .client
            .post(format!("{}/api/request-code", self.app.address))
            .header("cookie", self.jar.header())
            .form(&[("phone", phone)])
            .send()
            .await
            .unwrap();
        self.jar.take(&sent);
        assert_eq!(sent.status().as_u16(), 200);
        let code = self.app.telnyx.last().code();
        let verified = self
            .app
            .client
            .post(format!("{}/api/verify-code", self.app.address))
            .header("cookie", self.jar.header())
            .form(&[("code", code.as_str())])
            .send()
            .await
            .unwrap();
        self.jar.take(&verified);
        let (status, body) = json(verified).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// The whole browser side: authorize, verify, resume; returns the client redirect.
    async fn sign_in(&mut self, params: &[(&str, &str)]) -> String {
        let start = self.authorize(params).await;
        assert_eq!(start.status().as_u16(), 303);
        assert_eq!(location(&start), "/", "to the phone page");
        let verified = self.verify_number(PHONE).await;
        assert_eq!(verified["continue_to"], "/oauth2/authorize/resume");
        let jar = self.jar.clone();
        let back = self.get("/oauth2/authorize/resume", &jar).await;
        assert_eq!(back.status().as_u16(), 303);
        location(&back)
    }
}

fn web_request<'a>(state: &'a str, nonce: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("client_id", WEB),
        ("redirect_uri", WEB_CALLBACK),
        ("response_type", "code"),
        ("scope", "openid phone"),
        ("state", state),
        ("nonce", nonce),
    ]
}

fn spa_request(challenge: &str) -> Vec<(&str, &str)> {
    vec![
        ("client_id", SPA),
        ("redirect_uri", SPA_CALLBACK),
        ("response_type", "code"),
        ("scope", "openid"),
        ("state", "spa-state"),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ]
}

/// The ids of the keys `/oauth2/jwks` publishes.
async fn published_kids(app: &TestApp) -> Vec<String> {
    let set: Value = app.get("/oauth2/jwks").await.json().await.unwrap();
    set["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key["kid"].as_str().unwrap().to_string())
        .collect()
}

/// A new sign-in of the web client (verifying again) and its code.
async fn fresh_web_code(flow: &mut Flow<'_>) -> String {
    let params = [web_request("s", "n"), vec![("prompt", "login")]].concat();
    query(&flow.sign_in(&params).await)["code"].clone()
}

async fn oidc_app() -> TestApp {
    spawn_app_with(&[("OIDC_CLIENTS", &clients())], None).await
}

async fn token(app: &TestApp, form: &[(&str, &str)], basic: Option<(&str, &str)>) -> (u16, Value) {
    let mut request = app
        .client
        .post(format!("{}/oauth2/token", app.address))
        .form(form);
    if let Some((id, secret)) = basic {
        request = request.basic_auth(id, Some(secret));
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.headers()["cache-control"], "no-store");
    json(response).await
}

async fn exchange_web(app: &TestApp, code: &str) -> (u16, Value) {
    token(
        app,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", WEB_CALLBACK),
        ],
        Some((WEB, WEB_SECRET)),
    )
    .await
}

/// The ID token's claims, after checking its signature against the published JWKS.
async fn verified_claims(app: &TestApp, id_token: &str, audience: &str) -> (String, Value) {
    let header = jsonwebtoken::decode_header(id_token).unwrap();
    let jwks: JwkSet = app
        .client
        .get(format!("{}/oauth2/jwks", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kid = header.kid.clone().expect("a kid");
    let jwk = jwks.find(&kid).expect("the signing key is published");
    let mut validation = Validation::new(header.alg);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[app.address.as_str()]);
    let data =
        jsonwebtoken::decode::<Value>(id_token, &DecodingKey::from_jwk(jwk).unwrap(), &validation)
            .expect("the signature and the standard claims check out");
    (kid, data.claims)
}

#[tokio::test]
async fn without_clients_there_is_no_provider() {
    let app = spawn_app().await;
    for path in [
        "/.well-known/openid-configuration",
        "/oauth2/jwks",
        "/oauth2/authorize",
    ] {
        assert_eq!(app.get(path).await.status().as_u16(), 404, "{path}");
    }
}

#[tokio::test]
async fn discovery_describes_the_provider() {
    let app = oidc_app().await;
    let (status, meta) = json(app.get("/.well-known/openid-configuration").await).await;
    assert_eq!(status, 200);
    let issuer = app.address.clone();
    assert_eq!(meta["issuer"], issuer);
    assert_eq!(
        meta["authorization_endpoint"],
        format!("{issuer}/oauth2/authorize")
    );
    assert_eq!(meta["token_endpoint"], format!("{issuer}/oauth2/token"));
    assert_eq!(meta["jwks_uri"], format!("{issuer}/oauth2/jwks"));
    assert_eq!(
        meta["userinfo_endpoint"],
        format!("{issuer}/oauth2/userinfo")
    );
    assert_eq!(meta["response_types_supported"], json!(["code"]));
    assert_eq!(meta["code_challenge_methods_supported"], json!(["S256"]));
    assert_eq!(
        meta["id_token_signing_alg_values_supported"],
        json!(["ES256", "EdDSA"])
    );
    assert_eq!(
        meta["token_endpoint_auth_methods_supported"],
        json!(["client_secret_basic", "client_secret_post", "none"])
    );
    let scopes = meta["scopes_supported"].as_array().unwrap();
    assert!(scopes.contains(&json!("openid")) && scopes.contains(&json!("phone")));
}

#[tokio::test]
async fn a_confidential_client_signs_a_person_in_with_nonce_and_state_carried_through() {
    let app = oidc_app().await;
    let mut flow = Flow::new(&app);
    let back = flow.sign_in(&web_request("st-123", "n-456")).await;
    assert!(back.starts_with(&format!("{WEB_CALLBACK}?")), "{back}");
    let params = query(&back);
    assert_eq!(params["state"], "st-123");
    assert_eq!(params["iss"], app.address);
    let code = &params["code"];

    let (status, tokens) = exchange_web(&app, code).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    let id_token = tokens["id_token"].as_str().unwrap();
    let (_, claims) = verified_claims(&app, id_token, WEB).await;
    assert_eq!(
        jsonwebtoken::decode_header(id_token).unwrap().alg,
        Algorithm::ES256
    );
    assert_eq!(claims["nonce"], "n-456");
    assert_eq!(claims["phone_number"], PHONE);
    assert_eq!(claims["phone_number_verified"], true);
    assert_eq!(claims["amr"], json!(["sms"]));
    let sub = claims["sub"].as_str().unwrap();
    assert!(!sub.contains("2125550123"), "sub is not the number");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((claims["auth_time"].as_i64().unwrap() - now).abs() < 60);
    assert!(claims["exp"].as_i64().unwrap() > now);
    let access_token = tokens["access_token"].as_str().unwrap();
    let digest = Sha256::digest(access_token.as_bytes());
    assert_eq!(claims["at_hash"], URL_SAFE_NO_PAD.encode(&digest[..16]));

    let info = app
        .client
        .get(format!("{}/oauth2/userinfo", app.address))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap();
    let (status, info) = json(info).await;
    assert_eq!(status, 200);
    assert_eq!(
        info,
        json!({"sub": sub, "phone_number": PHONE, "phone_number_verified": true})
    );

    // The same number gets the same `sub` on a second sign-in.
    let again = flow
        .sign_in(&[web_request("s2", "n2"), vec![("prompt", "login")]].concat())
        .await;
    let (_, tokens) = exchange_web(&app, &query(&again)["code"]).await;
    let (_, claims) = verified_claims(&app, tokens["id_token"].as_str().unwrap(), WEB).await;
    assert_eq!(claims["sub"], sub);
}

#[tokio::test]
async fn the_phone_page_names_the_client_and_a_plain_form_post_goes_back_to_it() {
    let app = oidc_app().await;
    let mut flow = Flow::new(&app);
    flow.authorize(&web_request("s", "n")).await;
    let jar = flow.jar.clone();
    let home = flow.get("/", &jar).await;
    // The last form post of a sign-in is redirected to the client: the CSP allows it.
    let csp = home.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("form-action 'self' http://localhost:4000 https://ed.example.com https://rp.example.com;"),
        "{csp}"
    );
    let home = home.text().await.unwrap();
    assert!(
        home.contains("Verify your phone number to continue to Web shop."),
        "{home}"
    );
    // Without JavaScript: the code form's post is redirected to the provider.
    let sent = app
        .client
        .post(format!("{}/api/request-code", app.address))
        .header("cookie", flow.jar.header())
        .header("accept", "text/html")
        .form(&[("phone", PHONE)])
        .send()
        .await
        .unwrap();
    flow.jar.take(&sent);
    let code = app.telnyx.last().code();
    let verified = app
        .client
        .post(format!("{}/api/verify-code", app.address))
        .header("cookie", flow.jar.header())
        .header("accept", "text/html")
        .form(&[("code", code.as_str())])
        .send()
        .await
        .unwrap();
    flow.jar.take(&verified);
    assert!(verified.status().is_redirection());
    assert_eq!(location(&verified), "/oauth2/authorize/resume");
}

#[tokio::test]
async fn an_existing_session_is_reused_from_another_site_unless_a_fresh_one_is_asked() {
    let app = oidc_app().await;
    let mut flow = Flow::new(&app);
    flow.sign_in(&web_request("s1", "n1")).await;
    // A cross-site navigation carries only the Lax cookies; that is enough.
    let again = flow.authorize(&web_request("s2", "n2")).await;
    assert_eq!(again.status().as_u16(), 303);
    let back = location(&again);
    assert!(back.starts_with(WEB_CALLBACK), "reused at once: {back}");
    assert_eq!(query(&back)["state"], "s2");
    let (status, tokens) = exchange_web(&app, &query(&back)["code"]).await;
    assert_eq!(status, 200, "{tokens}");

    for fresh in [("prompt", "login"), ("max_age", "0")] {
        let asked = flow
            .authorize(&[web_request("s3", "n3"), vec![fresh]].concat())
            .await;
        assert_eq!(
            location(&asked),
            "/",
            "{fresh:?} asks for a new verification"
        );
    }
    let fresh = Flow::new(&app)
        .authorize(&[web_request("s4", "n4"), vec![("prompt", "none")]].concat())
        .await;
    let refused = query(&location(&fresh));
    assert_eq!(refused["error"], "login_required");
    assert_eq!(refused["state"], "s4");
}

#[tokio::test]
async fn unknown_clients_and_unregistered_redirects_get_a_page_never_a_redirect() {
    let app = oidc_app().await;
    let cases: Vec<Vec<(&str, &str)>> = vec![
        vec![("client_id", "nobody"), ("redirect_uri", WEB_CALLBACK)],
        vec![("redirect_uri", WEB_CALLBACK)],
        vec![("client_id", WEB)],
        vec![
            ("client_id", WEB),
            ("redirect_uri", "https://evil.example.com/callback"),
        ],
        vec![
            ("client_id", WEB),
            ("redirect_uri", "https://rp.example.com/callback/"),
        ],
        vec![
            ("client_id", WEB),
            ("redirect_uri", "https://RP.example.com/callback"),
        ],
        vec![
            ("client_id", WEB),
            ("redirect_uri", "https://rp.example.com/callback?x=1"),
        ],
        vec![("client_id", WEB), ("redirect_uri", SPA_CALLBACK)],
    ];
    for params in cases {
        let params = [params, vec![("response_type", "code"), ("scope", "openid")]].concat();
        let response = Flow::new(&app).authorize(&params).await;
        assert_eq!(response.status().as_u16(), 400, "{params:?}");
        assert!(response.headers().get("location").is_none());
        assert!(response
            .text()
            .await
            .unwrap()
            .contains("This sign-in can't continue"));
    }
}

#[tokio::test]
async fn other_request_errors_go_back_to_the_client_with_its_state() {
    let app = oidc_app().await;
    let base = |extra: Vec<(&'static str, &'static str)>| {
        let mut params = vec![
            ("client_id", SPA),
            ("redirect_uri", SPA_CALLBACK),
            ("state", "st"),
        ];
        params.extend(extra);
        params
    };
    let good: &'static str = Box::leak(challenge(VERIFIER).into_boxed_str());
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            base(vec![("response_type", "token"), ("scope", "openid")]),
            "unsupported_response_type",
        ),
        (base(vec![("scope", "openid")]), "invalid_request"),
        (
            base(vec![("response_type", "code"), ("scope", "profile")]),
            "invalid_scope",
        ),
        // A public client must use PKCE, and only S256.
        (
            base(vec![("response_type", "code"), ("scope", "openid")]),
            "invalid_request",
        ),
        (
            base(vec![
                ("response_type", "code"),
                ("scope", "openid"),
                ("code_challenge_method", "plain"),
            ]),
            "invalid_request",
        ),
        (
            base(vec![
                ("response_type", "code"),
                ("scope", "openid"),
                ("code_challenge", "short"),
                ("code_challenge_method", "S256"),
            ]),
            "invalid_request",
        ),
        (
            base(vec![
                ("response_type", "code"),
                ("scope", "openid"),
                ("code_challenge", good),
            ]),
            "invalid_request",
        ),
    ];
    for (params, expected) in cases {
        let response = Flow::new(&app).authorize(&params).await;
        assert_eq!(response.status().as_u16(), 303, "{params:?}");
        let back = location(&response);
        assert!(back.starts_with(SPA_CALLBACK), "{back}");
        let answer = query(&back);
        assert_eq!(answer["error"], expected, "{params:?}");
        assert_eq!(answer["state"], "st");
        assert_eq!(answer["iss"], app.address);
        assert!(!answer.contains_key("code"));
    }
}

#[tokio::test]
async fn a_public_client_proves_its_pkce_verifier() {
    let app = oidc_app().await;
    let good = challenge(VERIFIER);
    let mut flow = Flow::new(&app);
    let back = flow.sign_in(&spa_request(&good)).await;
    let code = query(&back)["code"].clone();
    let exchange = |verifier: Option<&'static str>, code: String| {
        let app = &app;
        async move {
            let mut form = vec![
                ("grant_type", "authorization_code".to_string()),
                ("code", code),
                ("redirect_uri", SPA_CALLBACK.to_string()),
                ("client_id", SPA.to_string()),
            ];
            if let Some(verifier) = verifier {
                form.push(("code_verifier", verifier.to_string()));
            }
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            token(app, &form, None).await
        }
    };
    let (status, body) = exchange(
        Some("wrong-verifier-wrong-verifier-wrong-verifier-00"),
        code.clone(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    // The code was used by that failed try: PKCE failures burn it too.
    let (status, body) = exchange(Some(VERIFIER), code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    let back = flow
        .sign_in(&[spa_request(&good), vec![("prompt", "login")]].concat())
        .await;
    let (status, body) = exchange(None, query(&back)["code"].clone()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "verifier missing"
    );

    let back = flow
        .sign_in(&[spa_request(&good), vec![("prompt", "login")]].concat())
        .await;
    let (status, tokens) = exchange(Some(VERIFIER), query(&back)["code"].clone()).await;
    assert_eq!(status, 200, "{tokens}");
    verified_claims(&app, tokens["id_token"].as_str().unwrap(), SPA).await;
}

#[tokio::test]
async fn a_code_works_once_and_its_reuse_revokes_what_it_bought() {
    let app = oidc_app().await;
    let back = Flow::new(&app).sign_in(&web_request("s", "n")).await;
    let code = query(&back)["code"].clone();
    let (status, tokens) = exchange_web(&app, &code).await;
    assert_eq!(status, 200);
    let access_token = tokens["access_token"].as_str().unwrap();
    let userinfo = || {
        app.client
            .get(format!("{}/oauth2/userinfo", app.address))
            .bearer_auth(access_token)
            .send()
    };
    assert_eq!(userinfo().await.unwrap().status().as_u16(), 200);

    let (status, body) = exchange_web(&app, &code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let revoked = userinfo().await.unwrap();
    assert_eq!(revoked.status().as_u16(), 401);
    assert!(revoked.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .contains("invalid_token"));
}

#[tokio::test]
async fn the_token_endpoint_checks_client_code_and_redirect() {
    let app = oidc_app().await;
    let mut flow = Flow::new(&app);

    let code = fresh_web_code(&mut flow).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", WEB_CALLBACK),
    ];
    let (status, body) = token(&app, &form, Some((WEB, "not-the-secret-0000000"))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, body) = token(&app, &form, Some(("nobody", WEB_SECRET))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, body) = token(&app, &form, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "no credentials"
    );

    let wrong_redirect = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", "https://rp.example.com/other"),
    ];
    let (status, body) = token(&app, &wrong_redirect, Some((WEB, WEB_SECRET))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    let code = fresh_web_code(&mut flow).await;
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "password"),
            ("code", code.as_str()),
            ("redirect_uri", WEB_CALLBACK),
        ],
        Some((WEB, WEB_SECRET)),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    // client_secret_post works as well as Basic.
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", WEB_CALLBACK),
            ("client_id", WEB),
            ("client_secret", WEB_SECRET),
        ],
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // A code issued to one client is useless to another.
    let code = fresh_web_code(&mut flow).await;
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", ED_CALLBACK),
        ],
        Some((ED, "ed-client-secret-0123456789")),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (status, body) = exchange_web(&app, "made-up-code").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn codes_expire_after_a_minute() {
    let clock = ManualClock::starting_at(1_800_000_000_000);
    let app = spawn_app_with(&[("OIDC_CLIENTS", &clients())], Some(clock.clone())).await;
    let back = Flow::new(&app).sign_in(&web_request("s", "n")).await;
    clock.advance(Duration::from_secs(61));
    let (status, body) = exchange_web(&app, &query(&back)["code"]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(body["error_description"], "the code expired");
}

#[tokio::test]
async fn keys_rotate_and_the_old_key_stays_published_until_its_tokens_expire() {
    let clock = ManualClock::starting_at(1_800_000_000_000);
    let app = spawn_app_with(
        &[
            ("OIDC_CLIENTS", &clients()),
            ("OIDC_KEY_ROTATION_DAYS", "30"),
        ],
        Some(clock.clone()),
    )
    .await;
    let mut flow = Flow::new(&app);
    let first = flow.sign_in(&web_request("s", "n")).await;
    let (_, old_tokens) = exchange_web(&app, &query(&first)["code"]).await;
    let old_token = old_tokens["id_token"].as_str().unwrap().to_string();
    let old_kid = jsonwebtoken::decode_header(&old_token)
        .unwrap()
        .kid
        .unwrap();

    clock.advance(Duration::from_secs(31 * 86_400));
    let second = flow
        .sign_in(&[web_request("s", "n"), vec![("prompt", "login")]].concat())
        .await;
    let (_, new_tokens) = exchange_web(&app, &query(&second)["code"]).await;
    let new_kid = jsonwebtoken::decode_header(new_tokens["id_token"].as_str().unwrap())
        .unwrap()
        .kid
        .unwrap();
    assert_ne!(new_kid, old_kid, "a new key after the rotation period");
    let published = published_kids(&app).await;
    assert!(published.contains(&old_kid) && published.contains(&new_kid));
    clock.advance(Duration::from_secs(2 * 3600));
    let published = published_kids(&app).await;
    assert!(
        !published.contains(&old_kid),
        "unpublished once its tokens expired"
    );
    assert!(published.contains(&new_kid));
}

#[tokio::test]
async fn a_client_may_ask_for_eddsa() {
    let app = oidc_app().await;
    let params = [
        ("client_id", ED),
        ("redirect_uri", ED_CALLBACK),
        ("response_type", "code"),
        ("scope", "openid"),
    ];
    let back = Flow::new(&app).sign_in(&params).await;
    let (status, tokens) = token(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &query(&back)["code"]),
            ("redirect_uri", ED_CALLBACK),
        ],
        Some((ED, "ed-client-secret-0123456789")),
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let id_token = tokens["id_token"].as_str().unwrap();
    assert_eq!(
        jsonwebtoken::decode_header(id_token).unwrap().alg,
        Algorithm::EdDSA
    );
    verified_claims(&app, id_token, ED).await;
}

#[tokio::test]
async fn instances_share_codes_and_keys() {
    let database = fresh_database().await;
    let clients = clients();
    let settings = [
        ("DATABASE_URL", database.url.as_str()),
        (
            "SECRET_KEY",
            "8b1f0c7e5d4a39261f0e9d8c7b6a59483726150f1e2d3c4b5a69788796a5b4c3",
        ),
        ("OIDC_CLIENTS", clients.as_str()),
        ("PUBLIC_URL", "https://auth.example.com"),
    ];
    let a = spawn_app_with(&settings, None).await;
    let b = spawn_app_with(&settings, None).await;
    let back = Flow::new(&a).sign_in(&web_request("s", "n")).await;
    assert_eq!(query(&back)["iss"], "https://auth.example.com");
    let (status, tokens) = exchange_web(&b, &query(&back)["code"]).await;
    assert_eq!(status, 200, "a code issued by A works on B: {tokens}");
    let kid = jsonwebtoken::decode_header(tokens["id_token"].as_str().unwrap())
        .unwrap()
        .kid
        .unwrap();
    for app in [&a, &b] {
        let kids = published_kids(app).await;
        assert_eq!(kids.iter().filter(|k| **k == kid).count(), 1, "{kids:?}");
    }
}

#[tokio::test]
async fn rotate_keys_replaces_the_key_at_once_and_keeps_the_old_one_published() {
    let app = oidc_app().await;
    let first = Flow::new(&app).sign_in(&web_request("s", "n")).await;
    let (_, tokens) = exchange_web(&app, &query(&first)["code"]).await;
    let old_kid = jsonwebtoken::decode_header(tokens["id_token"].as_str().unwrap())
        .unwrap()
        .kid
        .unwrap();

    let clients = clients();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_telnyx-2fa"))
        .arg("rotate-keys")
        .current_dir(app.data_dir.path())
        .env_clear()
        .env("DATA_DIR", app.data_dir.path())
        .env("OIDC_CLIENTS", &clients)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        report.contains("ES256: new key") && report.contains("EdDSA: new key"),
        "{report}"
    );

    let second = Flow::new(&app).sign_in(&web_request("s", "n")).await;
    let (_, tokens) = exchange_web(&app, &query(&second)["code"]).await;
    let new_token = tokens["id_token"].as_str().unwrap();
    let (new_kid, _) = verified_claims(&app, new_token, WEB).await;
    assert_ne!(new_kid, old_kid);
    let kids = published_kids(&app).await;
    assert!(
        kids.contains(&old_kid),
        "the old key stays published: {kids:?}"
    );
}

#[tokio::test]
async fn a_signing_key_can_be_given_by_setting() {
    use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
    let random = ring::rand::SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &random).unwrap();
    let point = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &random)
        .unwrap()
        .public_key()
        .as_ref()
        .to_vec();
    let (x, y) = (
        URL_SAFE_NO_PAD.encode(&point[1..33]),
        URL_SAFE_NO_PAD.encode(&point[33..65]),
    );
    // As an environment variable often carries PEM: with literal `\n`s.
    let body = base64::engine::general_purpose::STANDARD.encode(pkcs8.as_ref());
    let pem = format!("-----BEGIN PRIVATE KEY-----\\n{body}\\n-----END PRIVATE KEY-----\\n");
    let app = spawn_app_with(
        &[("OIDC_CLIENTS", &clients()), ("OIDC_SIGNING_KEY", &pem)],
        None,
    )
    .await;
    let back = Flow::new(&app).sign_in(&web_request("s", "n")).await;
    let (_, tokens) = exchange_web(&app, &query(&back)["code"]).await;
    let id_token = tokens["id_token"].as_str().unwrap();
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_audience(&[WEB]);
    jsonwebtoken::decode::<Value>(
        id_token,
        &DecodingKey::from_ec_components(&x, &y).unwrap(),
        &validation,
    )
    .expect("signed with the configured key");
    let set: Value = app.get("/oauth2/jwks").await.json().await.unwrap();
    assert!(set["keys"]
        .as_array()
        .unwrap()
        .iter()
        .any(|key| key["x"] == x.as_str() && key["y"] == y.as_str()));

    let error = telnyx_2fa::server::config::Config::from_env(
        [
            ("OIDC_CLIENTS", clients()),
            ("OIDC_SIGNING_KEY", "not a key".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
    )
    .unwrap_err();
    assert_eq!(error.setting, "OIDC_SIGNING_KEY");
}
