//! What the code page's island is given: the verification as the page was rendered and
//! every text it may show, already in the page's language. The server resolves the
//! translations (and the error from a failed form post); the island only counts down,
//! follows the delivery status and fills in numbers, so no translation machinery ships
//! in the WASM bundle.
//!
//! The server writes the page as JSON into the document ([`DATA_ID`]); in the browser
//! the island reads it back with the browser's own JSON parser. (Island props would do
//! the same through `serde_json`, which alone would take most of the WASM size budget.)

use super::{
    alert::{error_text, Shown},
    phone_text::around_phone,
};
use crate::{
    api::{CodeFormat, PendingCode},
    channel::Channel,
    delivery_status::DeliveryStatus,
    error::{ApiError, ErrorKind},
    i18n::{t, t_with},
    locale::Locale,
};
use serde::Serialize;

/// How many "attempts left" counts the page carries the wrong-code text for (0 to 9; a
/// policy allowing more falls back to a page load for the higher counts).
const WRONG_CODE_TEXTS: u32 = 10;

/// The id of the element whose `data-page` holds the page as JSON.
pub const DATA_ID: &str = "code-page";

/// The code page as rendered: what the island needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodePage {
    pub masked_phone: String,
    pub format: CodeFormat,
    pub status: DeliveryStatus,
    pub expires_in: u64,
    pub resend_in: u64,
    /// `None` with voice off.
    pub voice_offer_in: Option<u64>,
    /// The page's language, which new codes (SMS or call) go out in.
    pub locale: String,
    /// A wrong code (or another failure) from the last form post.
    pub verify_error: Option<Shown>,
    /// A refused "Send a new code" or "Call me instead".
    pub resend_error: Option<Shown>,
    /// "A new code is on its way." after a resend.
    pub notice: Option<String>,
    pub texts: CodeTexts,
}

/// The page's texts. Those with a number carry a placeholder (`{seconds}`, `{time}`)
/// that [`fill`] replaces; none of them changes form with the number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeTexts {
    pub heading: String,
    /// The lead sentence, before and after the masked number.
    pub lead_before: String,
    pub lead_after: String,
    pub code_label: String,
    pub placeholder: String,
    pub verify: String,
    pub checking: String,
    pub send_new_code: String,
    pub sending: String,
    pub resend_wait: String,
    pub use_different_number: String,
    pub expires_in: String,
    pub expired: String,
    pub call_offer: String,
    pub call_me: String,
    pub calling: String,
    /// Each delivery status's label, in [`DeliveryStatus::ALL`] order.
    pub statuses: Vec<String>,
    /// "That code is not right. N attempts left.", for N = 0, 1, … (index = N).
    pub wrong_code: Vec<String>,
}

impl CodeTexts {
    /// What `status` reads as on the page.
    pub fn status(&self, status: DeliveryStatus) -> &str {
        DeliveryStatus::ALL
            .iter()
            .position(|known| *known == status)
            .and_then(|at| self.statuses.get(at))
            .map_or("", String::as_str)
    }
}

/// `template` with its placeholder `{name}` replaced by `value`.
pub fn fill(template: &str, name: &str, value: &str) -> String {
    template.replace(&format!("{{{name}}}"), value)
}

impl CodePage {
    /// The page for `pending`, in `locale`, after a form post that failed (`verify_error`,
    /// `resend_error`) or that sent a new code (`sent`).
    pub fn new(
        locale: Locale,
        pending: PendingCode,
        verify_error: Option<Shown>,
        resend_error: Option<Shown>,
        sent: Option<Channel>,
    ) -> Self {
        let (lead, call_offer, call_me) = match pending.channel {
            Channel::Sms => ("sent-by-sms", "call-offer-sms", "call-me"),
            Channel::Voice => ("sent-by-voice", "call-offer-voice", "call-me-again"),
        };
        let template = |key: &str, name: &'static str| {
            t_with(locale, key, &[(name, format!("{{{name}}}").into())])
        };
        let (lead_before, lead_after) = around_phone(locale, lead);
        let texts = CodeTexts {
            heading: t(locale, "verify-title"),
            lead_before,
            lead_after,
            code_label: t(locale, "code-label"),
            placeholder: t_with(
                locale,
                if pending.format.numeric {
                    "code-placeholder-digits"
                } else {
                    "code-placeholder-characters"
                },
                &[("length", pending.format.length.into())],
            ),
            verify: t(locale, "verify"),
            checking: t(locale, "checking"),
            send_new_code: t(locale, "send-new-code"),
            sending: t(locale, "sending"),
            resend_wait: template("resend-wait", "seconds"),
            use_different_number: t(locale, "use-different-number"),
            expires_in: template("expires-in", "time"),
            expired: t(locale, "expired"),
            call_offer: template(call_offer, "seconds"),
            call_me: t(locale, call_me),
            calling: t(locale, "calling"),
            statuses: DeliveryStatus::ALL
                .iter()
                .map(|status| t(locale, status.label_key()))
                .collect(),
            wrong_code: (0..WRONG_CODE_TEXTS)
                .map(|left| {
                    let wrong = ApiError::new(ErrorKind::WrongCode, "").with_attempts_left(left);
                    error_text(locale, &wrong)
                })
                .collect(),
        };
        let notice = sent.map(|channel| {
            t(
                locale,
                match channel {
                    Channel::Sms => "new-code-sms",
                    Channel::Voice => "new-code-voice",
                },
            )
        });
        Self {
            masked_phone: pending.masked_phone,
            format: pending.format,
            status: pending.status,
            expires_in: pending.expires_in_seconds,
            resend_in: pending.resend_in_seconds,
            voice_offer_in: pending.voice_offer_in_seconds,
            locale: locale.code().to_string(),
            verify_error,
            resend_error,
            notice,
            texts,
        }
    }
}

impl CodePage {
    /// In the browser: the page the server wrote into the document.
    #[cfg(feature = "hydrate")]
    pub fn current() -> Option<Self> {
        let element = leptos::prelude::document().get_element_by_id(DATA_ID)?;
        Self::from_json(&element.get_attribute("data-page")?)
    }

    /// The page as the server writes it into `data-page`. (Only the server renders the
    /// page around the island: the WASM bundle has no JSON writer.)
    pub fn to_json(&self) -> String {
        #[cfg(feature = "ssr")]
        {
            serde_json::to_string(self).unwrap_or_default()
        }
        #[cfg(not(feature = "ssr"))]
        {
            String::new()
        }
    }

    /// The page from its JSON (see [`CodePage::to_json`]), read field by field.
    #[cfg(any(feature = "hydrate", test))]
    pub fn from_json(json: &str) -> Option<Self> {
        let page = json::Object::parse(json)?;
        let texts = page.object("texts")?;
        let format = page.object("format")?;
        let shown = |key: &str| {
            page.object(key).map(|error| Shown {
                kind: error.string("kind"),
                text: error.string("text"),
            })
        };
        Some(Self {
            masked_phone: page.string("masked_phone"),
            format: CodeFormat {
                length: format.number("length")? as usize,
                numeric: format.boolean("numeric"),
            },
            status: DeliveryStatus::parse(&page.string("status"))?,
            expires_in: page.number("expires_in")?,
            resend_in: page.number("resend_in")?,
            voice_offer_in: page.number("voice_offer_in"),
            locale: page.string("locale"),
            verify_error: shown("verify_error"),
            resend_error: shown("resend_error"),
            notice: page.optional_string("notice"),
            texts: CodeTexts {
                heading: texts.string("heading"),
                lead_before: texts.string("lead_before"),
                lead_after: texts.string("lead_after"),
                code_label: texts.string("code_label"),
                placeholder: texts.string("placeholder"),
                verify: texts.string("verify"),
                checking: texts.string("checking"),
                send_new_code: texts.string("send_new_code"),
                sending: texts.string("sending"),
                resend_wait: texts.string("resend_wait"),
                use_different_number: texts.string("use_different_number"),
                expires_in: texts.string("expires_in"),
                expired: texts.string("expired"),
                call_offer: texts.string("call_offer"),
                call_me: texts.string("call_me"),
                calling: texts.string("calling"),
                statuses: texts.strings("statuses"),
                wrong_code: texts.strings("wrong_code"),
            },
        })
    }
}

/// A parsed JSON object: in the browser through `JSON.parse`, in unit tests through
/// `serde_json`, behind the same few accessors.
#[cfg(any(feature = "hydrate", test))]
mod json {
    #[cfg(feature = "hydrate")]
    pub struct Object(wasm_bindgen::JsValue);

    #[cfg(feature = "hydrate")]
    impl Object {
        pub fn parse(json: &str) -> Option<Self> {
            js_sys::JSON::parse(json)
                .ok()
                .filter(|v| v.is_object())
                .map(Self)
        }
        fn get(&self, key: &str) -> wasm_bindgen::JsValue {
            js_sys::Reflect::get(&self.0, &key.into()).unwrap_or_default()
        }
        pub fn object(&self, key: &str) -> Option<Self> {
            Some(self.get(key)).filter(|v| v.is_object()).map(Self)
        }
        pub fn optional_string(&self, key: &str) -> Option<String> {
            self.get(key).as_string()
        }
        pub fn number(&self, key: &str) -> Option<u64> {
            self.get(key).as_f64().map(|n| n as u64)
        }
        pub fn boolean(&self, key: &str) -> bool {
            self.get(key).as_bool().unwrap_or(false)
        }
        pub fn strings(&self, key: &str) -> Vec<String> {
            js_sys::Array::from(&self.get(key))
                .iter()
                .map(|v| v.as_string().unwrap_or_default())
                .collect()
        }
    }

    #[cfg(not(feature = "hydrate"))]
    pub struct Object(serde_json::Value);

    #[cfg(not(feature = "hydrate"))]
    impl Object {
        pub fn parse(json: &str) -> Option<Self> {
            serde_json::from_str(json)
                .ok()
                .filter(serde_json::Value::is_object)
                .map(Self)
        }
        pub fn object(&self, key: &str) -> Option<Self> {
            self.0.get(key).filter(|v| v.is_object()).cloned().map(Self)
        }
        pub fn optional_string(&self, key: &str) -> Option<String> {
            self.0.get(key)?.as_str().map(str::to_string)
        }
        pub fn number(&self, key: &str) -> Option<u64> {
            self.0.get(key)?.as_u64()
        }
        pub fn boolean(&self, key: &str) -> bool {
            self.0
                .get(key)
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false)
        }
        pub fn strings(&self, key: &str) -> Vec<String> {
            self.0
                .get(key)
                .and_then(serde_json::Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .map(|v| v.as_str().unwrap_or_default().to_string())
                        .collect()
                })
                .unwrap_or_default()
        }
    }

    impl Object {
        pub fn string(&self, key: &str) -> String {
            self.optional_string(key).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_keep_a_placeholder_the_island_fills_in_every_language() {
        for locale in Locale::ALL {
            let page = CodePage::new(
                locale,
                PendingCode {
                    masked_phone: "+1212***0123".into(),
                    expires_in_seconds: 600,
                    status: DeliveryStatus::Queued,
                    format: CodeFormat::default(),
                    channel: Channel::Sms,
                    voice_offer_in_seconds: Some(30),
                    resend_in_seconds: 30,
                },
                None,
                None,
                Some(Channel::Sms),
            );
            let texts = &page.texts;
            for template in [&texts.resend_wait, &texts.call_offer] {
                assert!(template.contains("{seconds}"), "{template}");
                assert!(fill(template, "seconds", "17").contains("17"));
            }
            assert!(texts.expires_in.contains("{time}"));
            assert_eq!(texts.statuses.len(), DeliveryStatus::ALL.len());
            assert_eq!(
                texts.wrong_code[4],
                t_with(locale, "error-wrong_code-left", &[("count", 4.into())])
            );
            assert_eq!(
                texts.status(DeliveryStatus::Delivered),
                t(locale, "status-delivered")
            );
            assert!(!texts.lead_before.is_empty() || !texts.lead_after.is_empty());
            // What the browser reads back is what the server wrote.
            assert_eq!(CodePage::from_json(&page.to_json()), Some(page.clone()));
            assert_eq!(page.notice, Some(t(locale, "new-code-sms")));
        }
        assert_eq!(
            fill("Le code expire dans {time}.", "time", "9:59"),
            "Le code expire dans 9:59."
        );
    }
}
