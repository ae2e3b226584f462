//! Languages: every page in each of the five locales, chosen by `Accept-Language` or by
//! the switcher (remembered in a cookie), with no English left on a translated page; the
//! SMS in the page's language, the API's `locale`, or the number's country's language;
//! per-locale SMS templates checked at start.

use crate::helpers::*;
use std::collections::BTreeMap;
use telnyx_2fa::server::config::Config;

const LOCALES: [&str; 5] = ["en", "es", "fr", "de", "pt"];

/// The single-line messages of a locale's Fluent file: key → text.
fn messages(locale: &str) -> BTreeMap<String, String> {
    let path = format!("{}/locales/{locale}/main.ftl", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with([' ', '#', '*', '}']))
        .filter_map(|line| line.split_once(" = "))
        .filter(|(_, text)| !text.trim().is_empty() && !text.trim_end().ends_with("->"))
        .map(|(key, text)| (key.to_string(), text.to_string()))
        .collect()
}

/// English fragments (between placeholders, 12 characters or more) that a page in
/// `locale` must not contain: the texts its translation changed.
fn english_only(locale: &str) -> Vec<String> {
    let english = messages("en");
    let own = messages(locale);
    english
        .iter()
        .filter(|(key, text)| own.get(*key) != Some(*text))
        .flat_map(|(_, text)| {
            text.split(['{', '}'])
                .filter(|part| !part.trim_start().starts_with('$'))
                .map(|part| part.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|fragment| fragment.chars().count() >= 12)
        .collect()
}

fn unescape(html: &str) -> String {
    html.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

async fn page_in(app: &TestApp, path: &str, locale: &str, cookie: &str) -> String {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .header("accept-language", format!("{locale};q=0.9, ja;q=0.1"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    unescape(&response.text().await.unwrap())
}

fn assert_all_in(locale: &str, what: &str, page: &str) {
    assert!(
        page.contains(&format!(r#"<html lang="{locale}""#)),
        "{what}: {page}"
    );
    if locale == "en" {
        return;
    }
    let english = english_only(locale);
    assert!(
        english.len() > 50,
        "{locale}: only {} texts to look for",
        english.len()
    );
    for fragment in english {
        assert!(
            !page.contains(&fragment),
            "{what} in {locale} still says {fragment:?}: {page}"
        );
    }
}

#[tokio::test]
async fn every_page_in_every_language_has_no_english_left() {
    let app = spawn_app().await;
    for (index, locale) in LOCALES.into_iter().enumerate() {
        let phone = format!("+1212555{:04}", 100 + index);
        let home = page_in(&app, "/", locale, "").await;
        assert_all_in(locale, "the phone page", &home);
        assert!(
            home.contains(&messages(locale)["home-lead"]),
            "{locale}: the page says its own text"
        );
        assert!(
            home.contains(&format!(r#"name="locale" value="{locale}""#)),
            "{home}"
        );

        let sent = form_post(
            &app,
            "/api/request-code",
            "/",
            "",
            &[("phone", &phone), ("locale", locale)],
        )
        .await;
        assert_eq!(sent.status().as_u16(), 302);
        let cookie = cookie_pair(&sent, "t2fa_verification");
        let sms = app.telnyx.last();
        let code = sms.body["text"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .find(|word| {
                word.trim_end_matches('.').len() == 6
                    && word
                        .trim_end_matches('.')
                        .chars()
                        .all(|c| c.is_ascii_digit())
            })
            .unwrap()
            .trim_end_matches('.')
            .to_string();
        let verify = page_in(&app, "/verify", locale, &cookie).await;
        assert_all_in(locale, "the code page", &verify);
        assert!(verify.contains("+1212***0"), "{verify}");

        let wrong = form_post(
            &app,
            "/api/verify-code",
            "/verify",
            &cookie,
            &[("code", &other_code(&code))],
        )
        .await;
        let back = wrong.headers()["location"]
            .to_str()
            .unwrap()
            .replace(&app.address, "");
        let error = page_in(&app, &back, locale, &cookie).await;
        assert_all_in(locale, "the code page with an error", &error);
        assert!(error.contains(r#"data-error="wrong_code""#), "{error}");

        let right = form_post(
            &app,
            "/api/verify-code",
            "/verify",
            &cookie,
            &[("code", &code)],
        )
        .await;
        let session = cookie_pair(&right, "t2fa_session");
        let verified = page_in(&app, "/verified", locale, &session).await;
        assert_all_in(locale, "the verified page", &verified);
        assert!(verified.contains("+1212***0"), "{verified}");

        let missing = page_in(&app, "/no-such-page", locale, "").await;
        assert_all_in(locale, "the 404 page", &missing);
    }
}

#[tokio::test]
async fn the_switcher_picks_a_language_and_the_cookie_keeps_it() {
    let app = spawn_app().await;
    let home = page_in(&app, "/", "de", "").await;
    assert!(home.contains("<h1>Telefonnummer bestätigen</h1>"), "{home}");
    for locale in LOCALES {
        assert!(
            home.contains(&format!(r#"href="?lang={locale}""#)),
            "{home}"
        );
    }
    assert!(home.contains(r#"aria-current="true">Deutsch<"#), "{home}");

    let picked = app.get("/verify?lang=pt&error=x").await;
    assert_eq!(picked.status().as_u16(), 303);
    assert_eq!(picked.headers()["location"], "/verify?error=x");
    let cookie = cookie_pair(&picked, "t2fa_lang");
    assert_eq!(cookie, "t2fa_lang=pt");
    let page = page_in(&app, "/", "de", &cookie).await;
    assert!(
        page.contains(r#"<html lang="pt""#),
        "the pick wins over the browser"
    );
    assert!(
        page.contains("<h1>Verifique o seu número de telefone</h1>"),
        "{page}"
    );

    let ignored = app.get("/?lang=xx").await;
    assert_eq!(
        ignored.status().as_u16(),
        200,
        "an unknown language is ignored"
    );
}

#[tokio::test]
async fn the_sms_speaks_the_page_the_api_or_the_country_language() {
    let app = spawn_app_with(&[("SMS_TEMPLATE_FR", "Code {app_name} : {code}")], None).await;
    // (number, locale asked for, how the SMS begins, why)
    let cases = [
        (
            PHONE,
            Some("es"),
            "Tu código de telnyx-2fa es ",
            "the page's language",
        ),
        (
            "+34 612 34 56 78",
            None,
            "Tu código de telnyx-2fa es ",
            "Spain",
        ),
        (
            "+49 151 23456789",
            None,
            "Ihr telnyx-2fa-Code lautet ",
            "Germany",
        ),
        (
            "+351 912 345 678",
            None,
            "O seu código telnyx-2fa é ",
            "Portugal",
        ),
        (
            "+81 90 1234 5678",
            None,
            "Your telnyx-2fa code is ",
            "Japan: English",
        ),
        (
            "+34 612 34 56 78",
            Some("fr"),
            "Code telnyx-2fa : ",
            "the override",
        ),
        (PHONE, None, "Your telnyx-2fa code is ", "the US"),
    ];
    for (phone, locale, begins, why) in cases {
        let mut form = vec![("phone", phone)];
        form.extend(locale.map(|locale| ("locale", locale)));
        app.post_form("/api/request-code", &form).await;
        let text = app.telnyx.last().body["text"].as_str().unwrap().to_string();
        assert!(text.starts_with(begins), "{why}: {text}");
    }
}

#[test]
fn per_locale_templates_are_checked_at_start() {
    let env = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .chain([(
                "CONFIG_FILE".to_string(),
                format!("{}/end2end/empty-config.toml", env!("CARGO_MANIFEST_DIR")),
            )])
            .collect()
    };
    let error = Config::from_env(env(&[("SMS_TEMPLATE_ES", "Hola")])).unwrap_err();
    assert_eq!(error.setting, "SMS_TEMPLATE_ES");
    assert!(error.message.contains("{code}"), "{}", error.message);
    let error = Config::from_env(env(&[("SMS_TEMPLATE_PT", "{code} {sender}")])).unwrap_err();
    assert_eq!(error.setting, "SMS_TEMPLATE_PT");
    assert!(Config::from_env(env(&[("SMS_TEMPLATE_DE", "{code} ist Ihr Code")])).is_ok());
}
