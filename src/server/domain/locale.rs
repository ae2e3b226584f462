//! The languages the app speaks to people in: English, Spanish, French, German and
//! Portuguese. A locale is read from a language tag (`es`, `es-MX`, `pt_BR`), or guessed
//! from a number's country; English is the fallback.

use std::str::FromStr;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    #[default]
    En,
    Es,
    Fr,
    De,
    Pt,
}

impl Locale {
    pub const ALL: [Locale; 5] = [Self::En, Self::Es, Self::Fr, Self::De, Self::Pt];

    /// The language subtag, as settings suffixes and the API name it (`es`).
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Es => "es",
            Self::Fr => "fr",
            Self::De => "de",
            Self::Pt => "pt",
        }
    }

    /// The main language of a country (ISO 3166 region), when it is one of ours.
    pub fn of_country(region: &str) -> Option<Self> {
        let locale = match region {
            "ES" | "MX" | "AR" | "CO" | "CL" | "PE" | "VE" | "EC" | "GT" | "CU" | "BO" | "DO"
            | "HN" | "PY" | "SV" | "NI" | "CR" | "PA" | "UY" => Self::Es,
            "FR" | "MC" | "SN" | "CI" => Self::Fr,
            "DE" | "AT" | "LI" => Self::De,
            "PT" | "BR" | "AO" | "MZ" => Self::Pt,
            "US" | "GB" | "IE" | "AU" | "NZ" | "CA" => Self::En,
            _ => return None,
        };
        Some(locale)
    }
}

impl FromStr for Locale {
    type Err = String;

    /// A BCP 47 language tag whose language is one of ours (`de`, `de-AT`, `PT_br`).
    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        let language = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|locale| locale.code() == language)
            .ok_or_else(|| format!("`{}` is not one of en, es, fr, de, pt", tag.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_language_tags_and_countries() {
        assert_eq!("es-MX".parse(), Ok(Locale::Es));
        assert_eq!("PT_br".parse(), Ok(Locale::Pt));
        assert_eq!("de".parse(), Ok(Locale::De));
        assert!("ja".parse::<Locale>().is_err());
        assert_eq!(Locale::of_country("BR"), Some(Locale::Pt));
        assert_eq!(Locale::of_country("JP"), None);
    }
}
