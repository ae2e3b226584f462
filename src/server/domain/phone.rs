//! Phone numbers as the service accepts them: parsed with libphonenumber's rules
//! (the `phonenumber` crate) and normalized to E.164.

use crate::mask::mask_phone;
use phonenumber::{
    country,
    metadata::{Descriptor, DATABASE},
    Metadata,
};
use std::{
    collections::HashMap,
    fmt,
    str::FromStr,
    sync::{Mutex, OnceLock},
};

/// The region assumed for numbers typed without a country code (`DEFAULT_REGION`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region(country::Id);

impl FromStr for Region {
    type Err = String;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        country::Id::from_str(&code.trim().to_ascii_uppercase())
            .map(Region)
            .map_err(|_| format!("`{code}` is not an ISO 3166 region code such as US or GB"))
    }
}

/// What kind of line a number is, as far as its digits tell (libphonenumber's metadata).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumberKind {
    /// Mobile, or either mobile or fixed line (e.g. all US numbers): can receive SMS.
    Ordinary,
    /// A fixed line only (libphonenumber's `FIXED_LINE`): SMS often can't reach it, a
    /// voice call can.
    Landline,
    PremiumRate,
    SharedCost,
    Voip,
    /// Toll-free, pager, UAN, personal, voicemail, ...: allowed, SMS may not arrive.
    Other,
}

impl Region {
    /// The ISO 3166 code, e.g. `US`.
    pub fn code(&self) -> &str {
        self.0.as_ref()
    }
}

/// A valid phone number in E.164 form (`+12125550123`), with its region and kind.
///
/// `Debug` and `Display` print it masked; use [`PhoneNumber::as_e164`] where the whole
/// number is really needed (the SMS request, the store key).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber {
    e164: String,
    region: Option<String>,
    kind: NumberKind,
}

/// Why input is not an acceptable phone number (what people read is worded in
/// `server::http::errors`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("empty phone number")]
    Empty,
    #[error("phone number input too long")]
    TooLong,
    #[error("not a phone number")]
    Unparseable,
    #[error("not a valid phone number")]
    Invalid,
}

impl PhoneNumber {
    /// Longest input considered at all; anything longer is refused before parsing.
    pub const MAX_INPUT_CHARS: usize = 64;

    /// Parses a number as a person types it: national numbers in `region`'s format,
    /// or international ones with `+` (or the region's international prefix).
    pub fn parse(input: &str, region: Region) -> Result<Self, PhoneError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(PhoneError::Empty);
        }
        if input.chars().count() > Self::MAX_INPUT_CHARS {
            return Err(PhoneError::TooLong);
        }
        let key = (region.0, input.to_string());
        if let Some(known) = recent().get(&key) {
            return Ok(known);
        }
        let parsed = Self::parse_uncached(input, region)?;
        // Also as the store gives it back (see `from_e164`).
        recent().keep((E164_REGION, parsed.e164.clone()), &parsed);
        recent().keep(key, &parsed);
        Ok(parsed)
    }

    /// What [`PhoneNumber::parse`] does on a number it has not seen lately. The number's
    /// metadata is looked up once (for a shared country code such as +1 that takes
    /// libphonenumber's rules for each candidate region) and serves its validity, kind
    /// and region alike.
    fn parse_uncached(input: &str, region: Region) -> Result<Self, PhoneError> {
        // A number typed with `+` carries its country code: the default region must not
        // touch it (with one, the crate strips that region's national prefix from it,
        // e.g. +49 1512 … read as +49 512 … under US rules). It is read under its
        // country code's main region instead, as libphonenumber itself does, which also
        // spares the crate a search of every region sharing the code.
        let region = match input.strip_prefix('+') {
            Some(international) => main_region(international),
            None => Some(region.0),
        };
        let number = phonenumber::parse(region, input).map_err(|_| PhoneError::Unparseable)?;
        let (metadata, kind) = classify(number.code().value(), &number.national().to_string())
            .ok_or(PhoneError::Invalid)?;
        Ok(Self {
            // E.164 is the country code and the national number (with Italy's leading
            // zero): the crate's formatter would look up the region's formats first.
            e164: format!("+{}{}", number.code().value(), number.national()),
            region: metadata
                .id()
                .parse::<country::Id>()
                .ok()
                .map(|id| id.as_ref().to_string()),
            kind,
        })
    }

    /// Reads back a number this server stored in E.164 form.
    pub fn from_e164(e164: &str) -> Result<Self, PhoneError> {
        Self::parse(e164, Region(E164_REGION)).and_then(|phone| {
            (phone.e164 == e164)
                .then_some(phone)
                .ok_or(PhoneError::Invalid)
        })
    }

    pub fn as_e164(&self) -> &str {
        &self.e164
    }

    /// The ISO 3166 region the number belongs to (`US`, `GB`), when it has one.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The region as counted per country (limits, metrics): `001` for non-geographic
    /// numbers.
    pub fn country(&self) -> &str {
        self.region().unwrap_or("001")
    }

    pub fn kind(&self) -> NumberKind {
        self.kind
    }

    /// The number with its middle digits hidden, for logs and pages.
    pub fn masked(&self) -> String {
        mask_phone(&self.e164)
    }
}

/// The main region of the country code `international` (a number after its `+`) starts
/// with (`US` for +1, `GB` for +44); `None` for a non-geographic code or none at all.
/// Country codes are prefix-free: the first of one, two or three digits that is one wins.
fn main_region(international: &str) -> Option<country::Id> {
    let digits = international.bytes().take_while(u8::is_ascii_digit).count();
    (1..=digits.min(3)).find_map(|length| {
        let code: u16 = international[..length].parse().ok()?;
        let regions = DATABASE.region(&code)?;
        Some(regions.first()?.parse::<country::Id>().ok())
    })?
}

/// The region a number belongs to and its kind there; `None`: not a valid number. For a
/// country code several regions share (+1, +7, +39, …): the first region whose leading
/// digits or, without those, whose rules take the number (libphonenumber's
/// `getRegionCodeForNumber`). The national number keeps its leading zeros (Italy's).
fn classify(country_code: u16, national: &str) -> Option<(&'static Metadata, NumberKind)> {
    let regions = DATABASE.by_code(&country_code)?;
    if let [only] = regions[..] {
        return number_type(only, national).map(|kind| (only, kind));
    }
    for metadata in regions {
        match metadata.leading_digits() {
            Some(leading) if leading.find(national).is_some_and(|at| at.start() == 0) => {
                return number_type(metadata, national).map(|kind| (metadata, kind));
            }
            Some(_) => {}
            None => {
                if let Some(kind) = number_type(metadata, national) {
                    return Some((metadata, kind));
                }
            }
        }
    }
    None
}

/// The kind of a national number under its region's metadata; `None`: not a valid
/// number there. libphonenumber's order of tests (`getNumberType`), stopping at the
/// first that tells the kinds apart that matter here.
fn number_type(metadata: &Metadata, national: &str) -> Option<NumberKind> {
    let descriptors = metadata.descriptors();
    let matches =
        |descriptor: Option<&Descriptor>| descriptor.is_some_and(|d| d.is_match(national));
    if !descriptors.general().is_match(national) {
        return None;
    }
    let kind = if matches(descriptors.premium_rate()) {
        NumberKind::PremiumRate
    } else if matches(descriptors.toll_free()) {
        NumberKind::Other
    } else if matches(descriptors.shared_cost()) {
        NumberKind::SharedCost
    } else if matches(descriptors.voip()) {
        NumberKind::Voip
    } else if [
        descriptors.personal_number(),
        descriptors.pager(),
        descriptors.uan(),
        descriptors.voicemail(),
    ]
    .into_iter()
    .any(matches)
    {
        NumberKind::Other
    } else if matches(descriptors.fixed_line()) {
        let (fixed, mobile) = (descriptors.fixed_line(), descriptors.mobile());
        let same_rule = fixed.map(|d| d.national_number().as_str())
            == mobile.map(|d| d.national_number().as_str());
        if same_rule || matches(mobile) {
            NumberKind::Ordinary
        } else {
            NumberKind::Landline
        }
    } else if matches(descriptors.mobile()) {
        NumberKind::Ordinary
    } else {
        return None;
    };
    Some(kind)
}

/// The region an E.164 number is read back with (any would do: it has its country code).
const E164_REGION: country::Id = country::Id::US;

/// Numbers parsed lately, by region and input. libphonenumber's rules run dozens of
/// regular expressions per number (a large share of a request's time); a number asked
/// for a code is read back from the store when its code is checked, and people retry.
/// Only valid numbers are kept, at most [`Recent::MOST`], all forgotten when full.
struct Recent(Mutex<HashMap<(country::Id, String), PhoneNumber>>);

impl Recent {
    const MOST: usize = 16_384;

    fn get(&self, key: &(country::Id, String)) -> Option<PhoneNumber> {
        self.0.lock().ok()?.get(key).cloned()
    }

    fn keep(&self, key: (country::Id, String), phone: &PhoneNumber) {
        if let Ok(mut recent) = self.0.lock() {
            if recent.len() >= Self::MOST {
                recent.clear();
            }
            recent.insert(key, phone.clone());
        }
    }
}

fn recent() -> &'static Recent {
    static RECENT: OnceLock<Recent> = OnceLock::new();
    RECENT.get_or_init(|| Recent(Mutex::default()))
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber({})", self.masked())
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use phonenumber::{Mode, Type};

    fn us() -> Region {
        "US".parse().unwrap()
    }

    fn e164(input: &str) -> Result<String, PhoneError> {
        PhoneNumber::parse(input, us()).map(|phone| phone.as_e164().to_string())
    }

    #[test]
    fn a_number_seen_before_reads_the_same_and_its_region_still_counts() {
        let gb: Region = "GB".parse().unwrap();
        let first = PhoneNumber::parse("020 7946 0018", gb).unwrap();
        // Again (from the recent numbers), and as the store gives it back.
        assert_eq!(PhoneNumber::parse(" 020 7946 0018 ", gb).unwrap(), first);
        assert_eq!(PhoneNumber::from_e164("+442079460018").unwrap(), first);
        assert_eq!(first.kind(), NumberKind::Landline);
        // The same digits typed in another region are another number (or none).
        assert_ne!(
            e164("020 7946 0018").ok(),
            Some(first.as_e164().to_string())
        );
        // A non-E.164 spelling is not read back as stored.
        assert!(PhoneNumber::from_e164("020 7946 0018").is_err());
    }

    #[test]
    fn national_formats_get_the_default_country_code() {
        for input in [
            "212-555-0123",
            "(212) 555 0123",
            "212.555.0123",
            "2125550123",
        ] {
            assert_eq!(e164(input).as_deref(), Ok("+12125550123"), "{input}");
        }
    }

    #[test]
    fn international_formats_keep_their_country_code() {
        // The tutorial turned "+1 ..." into "+1+1...": not here.
        assert_eq!(e164("+1 212 555 0123").as_deref(), Ok("+12125550123"));
        assert_eq!(e164("+44 20 7183 8750").as_deref(), Ok("+442071838750"));
        assert_eq!(e164("011 44 20 7183 8750").as_deref(), Ok("+442071838750"));
    }

    #[test]
    fn the_default_region_decides_national_numbers() {
        let gb: Region = "gb".parse().unwrap();
        let phone = PhoneNumber::parse("020 7183 8750", gb).unwrap();
        assert_eq!(phone.as_e164(), "+442071838750");
    }

    #[test]
    fn rejects_what_is_not_a_valid_number() {
        assert_eq!(e164(""), Err(PhoneError::Empty));
        assert_eq!(e164("   "), Err(PhoneError::Empty));
        assert_eq!(e164("hello"), Err(PhoneError::Unparseable));
        assert_eq!(e164("123"), Err(PhoneError::Invalid));
        assert_eq!(e164("+1 212 555 01234567"), Err(PhoneError::Invalid));
        assert!(e164("+999 1234 5678").is_err(), "no such country code");
    }

    #[test]
    fn refuses_overlong_input_before_parsing() {
        assert_eq!(e164(&"1".repeat(65)), Err(PhoneError::TooLong));
        assert_eq!(e164(&"٣".repeat(200)), Err(PhoneError::TooLong));
    }

    #[test]
    fn unknown_regions_are_refused() {
        assert!("XX".parse::<Region>().is_err());
        assert!("".parse::<Region>().is_err());
    }

    #[test]
    fn tells_regions_and_number_kinds() {
        let gb: Region = "GB".parse().unwrap();
        let kind = |input: &str| PhoneNumber::parse(input, gb).unwrap().kind();
        assert_eq!(kind("+44 7400 123456"), NumberKind::Ordinary);
        assert_eq!(kind("+44 20 7183 8750"), NumberKind::Landline);
        assert_eq!(
            kind("+1 212 555 0123"),
            NumberKind::Ordinary,
            "US: fixed line or mobile"
        );
        assert_eq!(kind("+44 909 876 5432"), NumberKind::PremiumRate);
        assert_eq!(kind("+34 901 12 34 56"), NumberKind::SharedCost);
        assert_eq!(kind("+44 56 1234 5678"), NumberKind::Voip);
        assert_eq!(kind("+1 900 234 5678"), NumberKind::PremiumRate);
        let phone = PhoneNumber::parse("+44 7400 123456", gb).unwrap();
        assert_eq!(phone.region(), Some("GB"));
        assert_eq!(e164("212 555 0123").map(|_| ()), Ok(()));
        assert_eq!(
            PhoneNumber::parse("212 555 0123", us()).unwrap().region(),
            Some("US")
        );
    }

    #[test]
    fn one_metadata_look_up_agrees_with_libphonenumbers_own_answers() {
        // Numbers of many kinds and regions, including +1's shared country code and
        // non-geographic ones; valid and not.
        let inputs = [
            "+1 212 555 0123",
            "+1 416 555 0199",
            "+1 876 555 0123",
            "+1 800 555 0199",
            "+1 900 234 5678",
            "+1 268 464 1234",
            "+44 7400 123456",
            "+44 20 7183 8750",
            "+44 909 876 5432",
            "+44 56 1234 5678",
            "+44 800 123 4567",
            "+44 70 1234 5678",
            "+34 901 12 34 56",
            "+34 612 34 56 78",
            "+49 30 123456",
            "+49 1512 3456789",
            "+33 6 12 34 56 78",
            "+33 1 23 45 67 89",
            "+39 06 1234 5678",
            "+39 312 345 6789",
            "+61 4 1234 5678",
            "+81 90 1234 5678",
            "+91 98765 43210",
            "+55 11 91234 5678",
            "+7 912 345 67 89",
            "+7 701 123 4567",
            // Codes shared by several regions, read under the code's main region.
            "+44 1481 256789",
            "+44 7624 123456",
            "+358 18 123456",
            "+262 269 61 23 45",
            "+590 690 00 12 34",
            "+47 79 12 34 56",
            "+800 1234 5678",
            "+882 3456 789012",
            "+44 1234",
            "+1 212 555 012",
            "+49 1",
            "+999 123 456 789",
        ];
        for input in inputs {
            let theirs = phonenumber::parse(None, input).ok();
            if theirs.as_ref().is_some_and(|n| n.national().zeros() > 0) {
                continue; // the crate's own type look-up drops those zeros (see below)
            }
            let expected = theirs
                .as_ref()
                .filter(|n| phonenumber::is_valid(n))
                .map(|n| {
                    let kind = match n.number_type(&DATABASE) {
                        Type::Mobile | Type::FixedLineOrMobile => NumberKind::Ordinary,
                        Type::FixedLine => NumberKind::Landline,
                        Type::PremiumRate => NumberKind::PremiumRate,
                        Type::SharedCost => NumberKind::SharedCost,
                        Type::Voip => NumberKind::Voip,
                        _ => NumberKind::Other,
                    };
                    let region = n.country().id().map(|id| id.as_ref().to_string());
                    (kind, region, n.format().mode(Mode::E164).to_string())
                });
            let ours = PhoneNumber::parse_uncached(input, us())
                .ok()
                .map(|phone| (phone.kind, phone.region, phone.e164));
            assert_eq!(ours, expected, "{input}");
        }
        // Italy's numbers keep their leading zero, as libphonenumber reads them: a Rome
        // landline, not a number of no region.
        let rome = PhoneNumber::parse("+39 06 1234 5678", us()).unwrap();
        assert_eq!(
            (rome.kind(), rome.region()),
            (NumberKind::Landline, Some("IT"))
        );
        // Typed with `+`, a number is not read with the default region's national prefix.
        assert_eq!(e164("+49 1512 3456789").unwrap(), "+4915123456789");
    }

    #[test]
    fn formatting_masks_the_number() {
        let phone = PhoneNumber::parse("212 555 0123", us()).unwrap();
        assert_eq!(format!("{phone}"), "+1212***0123");
        assert_eq!(format!("{phone:?}"), "PhoneNumber(+1212***0123)");
    }
}
