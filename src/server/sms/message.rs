//! The text of the SMS that carries a code, in the person's language: a template per
//! locale (`SMS_TEMPLATE` for English, `SMS_TEMPLATE_ES`, `_FR`, `_DE`, `_PT`; checked at
//! start) and, when the app's public origin is known, the origin-bound last line
//! `@host #code` that lets Safari and Chrome offer the code on that site only.

use crate::{locale::Locale, server::domain::code::Code};
use std::time::Duration;

/// The SMS text unless `SMS_TEMPLATE` says otherwise.
pub const DEFAULT_SMS_TEMPLATE: &str =
    "Your {app_name} code is {code}. It expires in {minutes} minutes.";

/// The SMS text in `locale` unless its setting says otherwise.
pub fn default_template(locale: Locale) -> &'static str {
    match locale {
        Locale::En => DEFAULT_SMS_TEMPLATE,
        Locale::Es => "Tu código de {app_name} es {code}. Caduca en {minutes} minutos.",
        Locale::Fr => "Votre code {app_name} est {code}. Il expire dans {minutes} minutes.",
        Locale::De => "Ihr {app_name}-Code lautet {code}. Er läuft in {minutes} Minuten ab.",
        Locale::Pt => "O seu código {app_name} é {code}. Expira dentro de {minutes} minutos.",
    }
}

/// The setting that overrides the template of `locale`.
pub fn setting(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "SMS_TEMPLATE",
        Locale::Es => "SMS_TEMPLATE_ES",
        Locale::Fr => "SMS_TEMPLATE_FR",
        Locale::De => "SMS_TEMPLATE_DE",
        Locale::Pt => "SMS_TEMPLATE_PT",
    }
}

/// One template per locale, in [`Locale::ALL`]'s order.
#[derive(Debug, Clone)]
pub struct Messages(pub [MessageTemplate; 5]);

impl Messages {
    pub fn for_locale(&self, locale: Locale) -> &MessageTemplate {
        let index = Locale::ALL
            .iter()
            .position(|known| *known == locale)
            .unwrap_or(0);
        &self.0[index]
    }
}

const PLACEHOLDERS: [&str; 3] = ["{app_name}", "{code}", "{minutes}"];

/// The GSM 03.38 basic character set (plus the characters of its extension table):
/// text within it travels as 7-bit GSM, 160 characters per segment.
const GSM7: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                    ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€";

#[derive(Debug, Clone)]
pub struct MessageTemplate {
    template: String,
    app_name: String,
    origin_host: Option<String>,
}

impl MessageTemplate {
    /// Checks the template: it must name `{code}` and only known placeholders.
    pub fn new(
        template: &str,
        app_name: &str,
        origin_host: Option<String>,
    ) -> Result<Self, String> {
        if !template.contains("{code}") {
            return Err("must contain {code}".into());
        }
        let mut rest = template.to_string();
        for placeholder in PLACEHOLDERS {
            rest = rest.replace(placeholder, "");
        }
        if let Some(start) = rest.find('{') {
            let unknown: String = rest[start..].chars().take_while(|&c| c != '}').collect();
            return Err(format!(
                "unknown placeholder {unknown}}}; use {}",
                PLACEHOLDERS.join(", ")
            ));
        }
        Ok(Self {
            template: template.to_string(),
            app_name: app_name.to_string(),
            origin_host,
        })
    }

    pub fn render(&self, code: &Code, valid_for: Duration) -> String {
        let minutes = valid_for.as_secs().div_ceil(60).max(1);
        let mut text = self
            .template
            .replace("{app_name}", &self.app_name)
            .replace("{minutes}", &minutes.to_string())
            .replace("{code}", code.as_str());
        if let Some(host) = &self.origin_host {
            text.push_str(&format!("\n\n@{host} #{}", code.as_str()));
        }
        text
    }

    /// Why a rendered message would not fit one segment, if it would not: 160 GSM-7
    /// characters, or 70 UCS-2 ones once any character is outside GSM-7.
    pub fn single_segment_problem(&self, sample: &Code, valid_for: Duration) -> Option<String> {
        let text = self.render(sample, valid_for);
        if let Some(c) = text.chars().find(|c| !GSM7.contains(*c)) {
            let length = text.encode_utf16().count();
            return (length > 70).then(|| format!(
                "the SMS text contains {c:?}, which is not in the GSM-7 alphabet, so it is sent as UCS-2; at {length} characters it is more than one 70-character segment"
            ));
        }
        let length: usize = text
            .chars()
            .map(|c| if "^{}\\[~]|€".contains(c) { 2 } else { 1 })
            .sum();
        (length > 160).then(|| {
            format!(
                "the SMS text is {length} GSM-7 characters: more than one 160-character segment"
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::domain::code::{CodeAlphabet, CodeSpec};

    fn code() -> Code {
        CodeSpec::new(CodeAlphabet::Numeric, 6)
            .unwrap()
            .parse("042424")
            .unwrap()
    }

    fn template(host: Option<&str>) -> MessageTemplate {
        MessageTemplate::new(DEFAULT_SMS_TEMPLATE, "telnyx-2fa", host.map(String::from)).unwrap()
    }

    #[test]
    fn the_default_text_names_the_app_the_code_and_the_validity() {
        assert_eq!(
            template(None).render(&code(), Duration::from_secs(600)),
            "Your telnyx-2fa code is 042424. It expires in 10 minutes."
        );
    }

    #[test]
    fn with_a_public_origin_the_last_line_binds_the_code_to_it() {
        assert_eq!(
            template(Some("auth.example.com")).render(&code(), Duration::from_secs(600)),
            "Your telnyx-2fa code is 042424. It expires in 10 minutes.\n\n@auth.example.com #042424"
        );
    }

    #[test]
    fn partial_minutes_round_up() {
        assert!(template(None)
            .render(&code(), Duration::from_secs(90))
            .ends_with("expires in 2 minutes."));
    }

    #[test]
    fn templates_must_name_the_code_and_known_placeholders_only() {
        assert!(MessageTemplate::new("Hello", "x", None).is_err());
        assert!(MessageTemplate::new("{code} from {sender}", "x", None)
            .unwrap_err()
            .contains("{sender}"));
        let custom = MessageTemplate::new("{code} is your {app_name} code", "Acme", None).unwrap();
        assert_eq!(
            custom.render(&code(), Duration::from_secs(600)),
            "042424 is your Acme code"
        );
    }

    #[test]
    fn warns_about_texts_that_leave_gsm7_or_one_segment() {
        let sample = code();
        let ttl = Duration::from_secs(600);
        assert_eq!(
            template(Some("auth.example.com")).single_segment_problem(&sample, ttl),
            None
        );
        let emoji = MessageTemplate::new("🔐 {code}", "x", None).unwrap();
        assert_eq!(
            emoji.single_segment_problem(&sample, ttl),
            None,
            "short UCS-2"
        );
        let long_emoji =
            MessageTemplate::new(&format!("🔐 {} {{code}}", "a".repeat(70)), "x", None).unwrap();
        assert!(long_emoji
            .single_segment_problem(&sample, ttl)
            .unwrap()
            .contains("70-character segment"));
        for locale in Locale::ALL {
            let default = MessageTemplate::new(default_template(locale), "telnyx-2fa", None);
            assert_eq!(
                default.unwrap().single_segment_problem(&sample, ttl),
                None,
                "{locale:?}: the default fits one segment"
            );
        }
        let long =
            MessageTemplate::new(&format!("{} {{code}}", "a".repeat(160)), "x", None).unwrap();
        assert!(long
            .single_segment_problem(&sample, ttl)
            .unwrap()
            .contains("segment"));
    }
}
