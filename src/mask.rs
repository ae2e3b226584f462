//! Masking of phone numbers for display and logs: `+12125550123` becomes `+1212***0123`.

/// Masks an E.164 number, keeping the country prefix and the last four digits.
///
/// At least three digits are always hidden; very short inputs keep only their last two.
pub fn mask_phone(e164: &str) -> String {
    let chars: Vec<char> = e164.chars().collect();
    let len = chars.len();
    if len < 9 {
        let tail: String = chars[len.saturating_sub(2)..].iter().collect();
        return format!("***{tail}");
    }
    let tail_len = 4;
    let head_len = (len - tail_len - 3).min(5);
    let head: String = chars[..head_len].iter().collect();
    let tail: String = chars[len - tail_len..].iter().collect();
    format!("{head}***{tail}")
}

#[cfg(test)]
mod tests {
    use super::mask_phone;

    #[test]
    fn masks_the_middle_of_a_us_number() {
        assert_eq!(mask_phone("+12125550123"), "+1212***0123");
    }

    #[test]
    fn hides_at_least_three_digits_of_short_numbers() {
        assert_eq!(mask_phone("+3545512345"), "+354***2345");
        assert_eq!(mask_phone("+4930123"), "***23");
    }

    #[test]
    fn never_reveals_a_long_number_whole() {
        let masked = mask_phone("+442071838750");
        assert_eq!(masked, "+4420***8750");
        assert!(!masked.contains("71838"));
    }
}
