//! What a call says: the code's characters one by one (separated, so text-to-speech
//! reads "4, 2" and not "forty-two"), said twice, in the person's language; and which
//! voice and language Telnyx speaks it with (`VOICE`, `VOICE_<LOCALE>`,
//! `VOICE_LANGUAGE_<LOCALE>`).

use crate::locale::Locale;

/// A Telnyx text-to-speech voice and the language it speaks (`speak`'s `voice` and
/// `language`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    /// `female`, `male`, or a provider voice such as `AWS.Polly.Lupe-Neural`.
    pub voice: String,
    /// e.g. `es-ES`; ignored by Telnyx for provider voices, which have their own.
    pub language: String,
}

/// The language Telnyx speaks each locale in unless configured otherwise.
pub fn default_language(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "en-US",
        Locale::Es => "es-ES",
        Locale::Fr => "fr-FR",
        Locale::De => "de-DE",
        Locale::Pt => "pt-BR",
    }
}

/// The code's characters, separated so each is read on its own: `1, 2, 3, A`.
pub fn spelled(code: &str) -> String {
    code.chars()
        .map(|c| c.to_ascii_uppercase().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The whole text read out: who is calling, the code, and the code again.
pub fn script(locale: Locale, app_name: &str, code: &str) -> String {
    let code = spelled(code);
    match locale {
        Locale::En => format!(
            "Hello. Your {app_name} verification code is: {code}. Again, your code is: {code}. Goodbye."
        ),
        Locale::Es => format!(
            "Hola. Su código de verificación de {app_name} es: {code}. Repito, su código es: {code}. Adiós."
        ),
        Locale::Fr => format!(
            "Bonjour. Votre code de vérification {app_name} est : {code}. Je répète, votre code est : {code}. Au revoir."
        ),
        Locale::De => format!(
            "Hallo. Ihr Bestätigungscode für {app_name} lautet: {code}. Noch einmal, Ihr Code lautet: {code}. Auf Wiederhören."
        ),
        Locale::Pt => format!(
            "Olá. O seu código de verificação de {app_name} é: {code}. Repito, o seu código é: {code}. Até logo."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_character_twice() {
        let text = script(Locale::En, "Acme", "042917");
        assert_eq!(text.matches("0, 4, 2, 9, 1, 7").count(), 2, "{text}");
        assert!(text.contains("Acme"));
        assert_eq!(spelled("a1f"), "A, 1, F");
        for locale in Locale::ALL {
            assert_eq!(script(locale, "Acme", "12").matches("1, 2").count(), 2);
        }
        assert!(script(Locale::Es, "Acme", "12").starts_with("Hola"));
    }
}
