//! How a code reaches the person: by SMS (the default) or read out by a voice call.
//! Shared by the API's wire types, the code page and the server; serialized as `"sms"`
//! and `"voice"`, the values of the API's `channel` field.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    #[default]
    Sms,
    Voice,
}

impl Channel {
    /// The channel a request names (`sms` or `voice`, any case); `None` for another word.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "sms" => Some(Self::Sms),
            "voice" => Some(Self::Voice),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Voice => "voice",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_api_values() {
        assert_eq!(Channel::parse("voice"), Some(Channel::Voice));
        assert_eq!(Channel::parse(" SMS "), Some(Channel::Sms));
        assert_eq!(Channel::parse("fax"), None);
        assert_eq!(serde_json::to_string(&Channel::Voice).unwrap(), "\"voice\"");
    }
}
