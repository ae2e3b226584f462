//! What Telnyx reports a message cost: `cost: {"amount", "currency"}`, where the amount is
//! sometimes a string and sometimes a number. Kept as integer millionths of the currency
//! unit, so sums are exact.

use serde::Deserialize;

/// A message's cost, in millionths of `currency` (`"0.0040"` USD → 4 000 micros).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cost {
    pub micros: i64,
    pub currency: String,
}

/// The wire shape: `{"amount": "0.0040" | 0.004 | null, "currency": "USD" | null}`.
#[derive(Debug, Default, Deserialize)]
pub struct WireCost {
    #[serde(default)]
    amount: Option<serde_json::Value>,
    #[serde(default)]
    currency: Option<String>,
}

impl WireCost {
    /// The cost, when both parts are present and the amount is a non-negative number.
    pub fn parse(&self) -> Option<Cost> {
        let amount = match self.amount.as_ref()? {
            serde_json::Value::String(text) => text.trim().parse::<f64>().ok()?,
            serde_json::Value::Number(number) => number.as_f64()?,
            _ => return None,
        };
        let currency = self.currency.as_deref()?.trim();
        if !amount.is_finite() || amount < 0.0 || currency.is_empty() || currency.len() > 8 {
            return None;
        }
        Some(Cost {
            micros: (amount * 1_000_000.0).round().min(i64::MAX as f64) as i64,
            currency: currency.to_ascii_uppercase(),
        })
    }
}

/// `micros` of `currency` for people: `USD 0.0040`.
pub fn format(micros: i64, currency: &str) -> String {
    format!("{currency} {:.4}", micros as f64 / 1_000_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Option<Cost> {
        serde_json::from_str::<WireCost>(json).unwrap().parse()
    }

    #[test]
    fn amounts_come_as_strings_or_numbers() {
        let usd = |micros| {
            Some(Cost {
                micros,
                currency: "USD".into(),
            })
        };
        assert_eq!(parse(r#"{"amount":"0.0040","currency":"USD"}"#), usd(4_000));
        assert_eq!(parse(r#"{"amount":0.0025,"currency":"usd"}"#), usd(2_500));
        assert_eq!(parse(r#"{"amount":null,"currency":"USD"}"#), None);
        assert_eq!(parse(r#"{"amount":"free","currency":"USD"}"#), None);
        assert_eq!(parse(r#"{"amount":"-1","currency":"USD"}"#), None);
        assert_eq!(parse(r#"{"amount":"1"}"#), None);
        assert_eq!(format(4_000, "USD"), "USD 0.0040");
    }
}
