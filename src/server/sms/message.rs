//! The text of the SMS that carries a code: a template (`SMS_TEMPLATE`, checked at
//! start) and, when the app's public origin is known, the origin-bound last line
//! `@host #code` that lets Safari and Chrome offer the code on that site only.

use crate::server::domain::code::Code;
use std::time::Duration;

/// The SMS text unless `SMS_TEMPLATE` says otherwise.
pub const DEFAULT_SMS_TEMPLATE: &str =
    "Your {app_name} code is {code}. It expires in {minutes} minutes.";

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

    /// Why a rendered message would not fit one GSM-7 segment, if it would not.
    pub fn single_segment_problem(&self, sample: &Code, valid_for: Duration) -> Option<String> {
        let text = self.render(sample, valid_for);
        if let Some(c) = text.chars().find(|c| !GSM7.contains(*c)) {
            return Some(format!(
                "the SMS text contains {c:?}, which is not in the GSM-7 alphabet: it will be sent as UCS-2 (70 characters per segment)"
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
        assert!(emoji
            .single_segment_problem(&sample, ttl)
            .unwrap()
            .contains("GSM-7"));
        let long =
            MessageTemplate::new(&format!("{} {{code}}", "a".repeat(160)), "x", None).unwrap();
        assert!(long
            .single_segment_problem(&sample, ttl)
            .unwrap()
            .contains("segment"));
    }
}
