//! The languages the app speaks to people in: English, Spanish, French, German and
//! Portuguese. A locale is read from a language tag (`es`, `es-MX`, `pt_BR`), from an
//! `Accept-Language` header, or guessed from a number's country; English is the
//! fallback. A leaf shared by the pages and the server.

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

    /// The best of ours for an `Accept-Language` header (`es-MX,es;q=0.9,en;q=0.8`), by
    /// the header's weights; `None` when it names none of ours.
    pub fn negotiate(accept_language: &str) -> Option<Self> {
        let mut best: Option<(f32, Self)> = None;
        for range in accept_language.split(',') {
            let mut parts = range.split(';');
            let Ok(locale) = parts.next().unwrap_or_default().parse::<Locale>() else {
                continue;
            };
            let weight = parts
                .find_map(|param| param.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .unwrap_or(0.0);
            if weight > 0.0 && best.is_none_or(|(top, _)| weight > top) {
                best = Some((weight, locale));
            }
        }
        best.map(|(_, locale)| locale)
    }

    /// The locale's name in its own language, for the language switcher.
    pub fn name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Es => "Español",
            Self::Fr => "Français",
            Self::De => "Deutsch",
            Self::Pt => "Português",
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

    #[test]
    fn negotiates_accept_language_by_weight() {
        assert_eq!(
            Locale::negotiate("es-MX,es;q=0.9,en;q=0.8"),
            Some(Locale::Es)
        );
        assert_eq!(Locale::negotiate("ja,fr;q=0.5,de;q=0.7"), Some(Locale::De));
        assert_eq!(Locale::negotiate("pt-BR;q=0, en;q=0.1"), Some(Locale::En));
        assert_eq!(Locale::negotiate("ja, zh"), None);
        assert_eq!(Locale::negotiate(""), None);
    }
}
