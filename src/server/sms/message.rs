//! The text of the SMS that carries a code.

use crate::server::code::Code;
use std::time::Duration;

/// `Your {app_name} code is {code}. It expires in {n} minutes.`
pub fn code_message(app_name: &str, code: &Code, valid_for: Duration) -> String {
    format!(
        "Your {app_name} code is {}. It expires in {}.",
        code.as_str(),
        describe(valid_for)
    )
}

fn describe(valid_for: Duration) -> String {
    let seconds = valid_for.as_secs();
    if seconds < 60 {
        return plural(seconds, "second");
    }
    plural(seconds.div_ceil(60), "minute")
}

fn plural(count: u64, unit: &str) -> String {
    if count == 1 {
        format!("1 {unit}")
    } else {
        format!("{count} {unit}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::code::{CodeAlphabet, CodeSpec};

    fn code() -> Code {
        CodeSpec::new(CodeAlphabet::Numeric, 6)
            .unwrap()
            .parse("042424")
            .unwrap()
    }

    #[test]
    fn names_the_app_the_code_and_the_validity() {
        assert_eq!(
            code_message("telnyx-2fa", &code(), Duration::from_secs(600)),
            "Your telnyx-2fa code is 042424. It expires in 10 minutes."
        );
    }

    #[test]
    fn rounds_partial_minutes_up_and_handles_singulars() {
        let text = |secs| code_message("x", &code(), Duration::from_secs(secs));
        assert!(text(60).ends_with("expires in 1 minute."));
        assert!(text(90).ends_with("expires in 2 minutes."));
        assert!(text(45).ends_with("expires in 45 seconds."));
    }
}
