//! The pages' text in the person's language: Fluent messages from `locales/<locale>/`
//! (compiled in by `fluent-templates`), looked up for the page's locale. The app provides
//! the locale at its root; the server picks it from the switcher's choice, else
//! `Accept-Language`, and writes it on `<html lang>`. Only the server looks messages up:
//! the code page's island is handed its texts already translated, so none of this
//! reaches the WASM bundle.

use crate::locale::Locale;
use fluent_templates::{
    fluent_bundle::FluentValue, langid, static_loader, LanguageIdentifier, Loader,
};
use leptos::prelude::*;
use std::{borrow::Cow, collections::HashMap};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around numbers and names: the pages are one
        // direction, and tests (and people copying text) see plain text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

fn language(locale: Locale) -> &'static LanguageIdentifier {
    static EN: LanguageIdentifier = langid!("en");
    static ES: LanguageIdentifier = langid!("es");
    static FR: LanguageIdentifier = langid!("fr");
    static DE: LanguageIdentifier = langid!("de");
    static PT: LanguageIdentifier = langid!("pt");
    match locale {
        Locale::En => &EN,
        Locale::Es => &ES,
        Locale::Fr => &FR,
        Locale::De => &DE,
        Locale::Pt => &PT,
    }
}

/// The message `key` in `locale` (English when the locale lacks it).
pub fn t(locale: Locale, key: &str) -> String {
    LOCALES.lookup(language(locale), key)
}

/// The message `key` in `locale`, with its arguments (`{ $name }`; numbers choose plural
/// forms).
pub fn t_with(locale: Locale, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'static>> = args
        .iter()
        .map(|(name, value)| (Cow::Borrowed(*name), value.clone()))
        .collect();
    LOCALES.lookup_with_args(language(locale), key, &args)
}

/// Whether `locale` has its own message `key` (not the English fallback).
#[cfg(test)]
pub fn has(locale: Locale, key: &str) -> bool {
    // Every argument any message takes, so that formatting can't fail for lack of one.
    let args: HashMap<&str, FluentValue> = [
        "client", "phone", "length", "seconds", "time", "count", "wait",
    ]
    .into_iter()
    .map(|name| (name, FluentValue::from(1)))
    .collect();
    LOCALES
        .lookup_single_language(language(locale), key, Some(&args))
        .is_ok()
}

/// The page's locale, as the app provided it.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// "27 seconds", "1 minute", "10 minutes", in `locale`.
pub fn describe_wait(locale: Locale, seconds: u64) -> String {
    match seconds {
        0..=119 => t_with(locale, "wait-seconds", &[("count", seconds.into())]),
        _ => t_with(
            locale,
            "wait-minutes",
            &[("count", seconds.div_ceil(60).into())],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_has_every_message_and_the_same_arguments() {
        let english = include_str!("../locales/en/main.ftl");
        let keys: Vec<&str> = english
            .lines()
            .filter(|line| !line.starts_with([' ', '#', '*', '}']) && line.contains(" ="))
            .map(|line| line.split(" =").next().unwrap())
            .collect();
        assert!(keys.len() > 60, "{}", keys.len());
        for locale in Locale::ALL {
            for key in &keys {
                assert!(has(locale, key), "{} lacks {key}", locale.code());
            }
        }
        assert_eq!(t(Locale::Es, "verify"), "Verificar");
        assert_eq!(
            t_with(Locale::De, "error-wrong_code-left", &[("count", 1.into())]),
            "Dieser Code ist falsch. Noch 1 Versuch."
        );
        assert_eq!(
            t_with(Locale::Fr, "error-wrong_code-left", &[("count", 3.into())]),
            "Ce code n'est pas le bon. Il vous reste 3 essais."
        );
        assert_eq!(describe_wait(Locale::Pt, 125), "3 minutos");
        assert_eq!(describe_wait(Locale::En, 1), "1 second");
    }
}
