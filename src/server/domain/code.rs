//! One-time codes: their format, generation from a CSPRNG, and parsing what a person typed.

use rand::Rng;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which symbols a code is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CodeAlphabet {
    /// Decimal digits (the default; easy to type on a phone keypad).
    Numeric,
    /// Upper-case hexadecimal, as in Telnyx's tutorial; checked case-insensitively.
    Hex,
}

impl CodeAlphabet {
    fn symbols(self) -> &'static [u8] {
        match self {
            CodeAlphabet::Numeric => b"0123456789",
            CodeAlphabet::Hex => b"0123456789ABCDEF",
        }
    }
}

/// The shape of the codes this deployment issues: alphabet and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeSpec {
    alphabet: CodeAlphabet,
    length: usize,
}

/// Why typed input is not a code of the expected shape (what people read is worded in
/// `server::http::errors`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("empty code")]
    Empty,
    #[error("the code should have {expected} characters")]
    WrongLength { expected: usize },
    #[error("the code has symbols outside its alphabet")]
    WrongSymbols(CodeAlphabet),
}

/// The rules every code follows: its shape, how long it lives, how many guesses it allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodePolicy {
    pub spec: CodeSpec,
    pub ttl: std::time::Duration,
    pub max_attempts: u32,
}

impl CodeSpec {
    pub const MIN_LENGTH: usize = 4;
    pub const MAX_LENGTH: usize = 10;

    pub fn new(alphabet: CodeAlphabet, length: usize) -> Result<Self, String> {
        if !(Self::MIN_LENGTH..=Self::MAX_LENGTH).contains(&length) {
            return Err(format!(
                "must be between {} and {}, got {length}",
                Self::MIN_LENGTH,
                Self::MAX_LENGTH
            ));
        }
        Ok(Self { alphabet, length })
    }

    pub fn alphabet(&self) -> CodeAlphabet {
        self.alphabet
    }

    pub fn length(&self) -> usize {
        self.length
    }

    /// Codes are digits only (a phone's numeric keypad fits them).
    pub fn is_numeric(&self) -> bool {
        self.alphabet() == CodeAlphabet::Numeric
    }

    /// Bits of entropy of a code drawn uniformly from this spec.
    pub fn entropy_bits(&self) -> f64 {
        self.length as f64 * (self.alphabet.symbols().len() as f64).log2()
    }

    /// Draws a code with every symbol chosen uniformly and independently.
    ///
    /// `random_range` rejects out-of-range samples instead of reducing them modulo the
    /// alphabet size, so no symbol is more likely than another.
    pub fn generate<R: Rng + ?Sized>(&self, rng: &mut R) -> Code {
        let symbols = self.alphabet.symbols();
        let code = (0..self.length)
            .map(|_| symbols[rng.random_range(0..symbols.len())] as char)
            .collect();
        Code(code)
    }

    /// Parses what a person typed: surrounding whitespace is ignored, hex is case-insensitive.
    pub fn parse(&self, input: &str) -> Result<Code, CodeError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(CodeError::Empty);
        }
        // People type and paste codes grouped: `123 456`, `123-456`.
        let normalized: String = trimmed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        let symbols = self.alphabet.symbols();
        if !normalized.bytes().all(|byte| symbols.contains(&byte)) {
            return Err(CodeError::WrongSymbols(self.alphabet));
        }
        if normalized.len() != self.length {
            return Err(CodeError::WrongLength {
                expected: self.length,
            });
        }
        Ok(Code(normalized))
    }
}

/// A code of the configured shape. Its `Debug` output is redacted so it never reaches a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Code(String);

impl Code {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Code(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{rngs::StdRng, SeedableRng};

    fn spec(alphabet: CodeAlphabet, length: usize) -> CodeSpec {
        CodeSpec::new(alphabet, length).unwrap()
    }

    #[test]
    fn generates_codes_of_the_configured_length_and_alphabet() {
        let mut rng = rand::rng();
        for length in CodeSpec::MIN_LENGTH..=CodeSpec::MAX_LENGTH {
            let numeric = spec(CodeAlphabet::Numeric, length).generate(&mut rng);
            assert_eq!(numeric.as_str().len(), length);
            assert!(numeric.as_str().bytes().all(|b| b.is_ascii_digit()));

            let hex = spec(CodeAlphabet::Hex, length).generate(&mut rng);
            assert_eq!(hex.as_str().len(), length, "odd hex lengths work too");
            assert!(hex
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)));
        }
    }

    #[test]
    fn grouped_codes_are_read_as_typed_or_pasted() {
        let six = spec(CodeAlphabet::Numeric, 6);
        for typed in ["123456", "123 456", "123-456", " 12 34 56 ", "123\u{a0}456"] {
            assert_eq!(six.parse(typed).unwrap().as_str(), "123456", "{typed:?}");
        }
        assert!(six.parse("123_456").is_err());
        assert!(six.parse("123 45").is_err());
        assert!(six.parse(" - ").is_err());
    }

    #[test]
    fn rejects_lengths_outside_the_supported_range() {
        assert!(CodeSpec::new(CodeAlphabet::Numeric, 3).is_err());
        assert!(CodeSpec::new(CodeAlphabet::Hex, 11).is_err());
    }

    #[test]
    fn default_numeric_codes_carry_about_twenty_bits() {
        assert!(spec(CodeAlphabet::Numeric, 6).entropy_bits() > 19.9);
        assert_eq!(spec(CodeAlphabet::Hex, 5).entropy_bits(), 20.0);
    }

    /// Chi-square test of symbol frequencies. A generator that reduced a random byte
    /// modulo 10 would make 0-5 about 4% likelier than 6-9, which this detects with
    /// overwhelming certainty at this sample size.
    fn chi_square(alphabet: CodeAlphabet) -> f64 {
        let mut rng = StdRng::seed_from_u64(0x2fa);
        let spec = spec(alphabet, 10);
        let symbols = alphabet.symbols();
        let mut counts = vec![0u64; symbols.len()];
        let codes = 100_000;
        for _ in 0..codes {
            for byte in spec.generate(&mut rng).as_str().bytes() {
                counts[symbols.iter().position(|&s| s == byte).unwrap()] += 1;
            }
        }
        let expected = (codes * 10) as f64 / symbols.len() as f64;
        counts
            .iter()
            .map(|&count| (count as f64 - expected).powi(2) / expected)
            .sum()
    }

    #[test]
    fn digits_are_uniform() {
        // 9 degrees of freedom: p = 0.001 at 27.88.
        let statistic = chi_square(CodeAlphabet::Numeric);
        assert!(statistic < 27.88, "chi-square {statistic}");
    }

    #[test]
    fn hex_symbols_are_uniform() {
        // 15 degrees of freedom: p = 0.001 at 37.70.
        let statistic = chi_square(CodeAlphabet::Hex);
        assert!(statistic < 37.70, "chi-square {statistic}");
    }

    #[test]
    fn the_chi_square_check_catches_modulo_bias() {
        let mut rng = StdRng::seed_from_u64(0x2fa);
        let mut counts = [0u64; 10];
        for _ in 0..1_000_000 {
            counts[(rng.random::<u8>() % 10) as usize] += 1;
        }
        let expected = 100_000.0;
        let statistic: f64 = counts
            .iter()
            .map(|&count| (count as f64 - expected).powi(2) / expected)
            .sum();
        assert!(statistic > 27.88, "biased generator passed: {statistic}");
    }

    #[test]
    fn parsing_ignores_surrounding_whitespace() {
        let numeric = spec(CodeAlphabet::Numeric, 6);
        assert_eq!(numeric.parse(" 012345\n").unwrap().as_str(), "012345");
    }

    #[test]
    fn hex_parsing_is_case_insensitive() {
        let hex = spec(CodeAlphabet::Hex, 5);
        assert_eq!(hex.parse("a1b2c").unwrap().as_str(), "A1B2C");
    }

    #[test]
    fn parsing_rejects_malformed_codes() {
        let numeric = spec(CodeAlphabet::Numeric, 6);
        assert_eq!(numeric.parse("  "), Err(CodeError::Empty));
        assert_eq!(
            numeric.parse("12345"),
            Err(CodeError::WrongLength { expected: 6 })
        );
        assert!(matches!(
            numeric.parse("12a456"),
            Err(CodeError::WrongSymbols(_))
        ));
        assert!(matches!(
            numeric.parse("１２３４５６"),
            Err(CodeError::WrongSymbols(_))
        ));
    }

    #[test]
    fn debug_output_never_shows_the_code() {
        let code = spec(CodeAlphabet::Numeric, 6).parse("424242").unwrap();
        assert!(!format!("{code:?}").contains("424242"));
    }
}
