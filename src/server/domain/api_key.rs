//! Keys for backends that call the JSON API (`API_KEYS`): each has a name (what metrics
//! count it as) and is kept only as its SHA-256. Given as `name:key` or, hashed,
//! `name:sha256:<64 hex>`, several separated by commas.

use super::digest::SecretDigest;

#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub name: String,
    digest: SecretDigest,
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiKey({})", self.name)
    }
}

impl ApiKey {
    /// Parses the `API_KEYS` list.
    pub fn parse_list(list: &str) -> Result<Vec<ApiKey>, String> {
        let mut keys: Vec<ApiKey> = Vec::new();
        for entry in list
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
        {
            let (name, key) = entry
                .split_once(':')
                .ok_or("each entry is `name:key` or `name:sha256:<hex>`")?;
            let name = name.trim();
            if name.is_empty()
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(format!(
                    "`{name}` is not a key name (letters, digits, - and _)"
                ));
            }
            if keys.iter().any(|known| known.name == name) {
                return Err(format!("the name `{name}` is used twice"));
            }
            let digest = SecretDigest::parse(key, &format!("API key `{name}`"))
                .map_err(|message| format!("key `{name}`: {message}"))?;
            keys.push(ApiKey {
                name: name.to_string(),
                digest,
            });
        }
        Ok(keys)
    }

    /// `given` is this key (compared by digest, in constant time).
    pub fn matches(&self, given: &str) -> bool {
        self.digest.matches(given)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn keys_are_named_and_kept_as_digests() {
        let digest = hex::encode(Sha256::digest(b"backend-two-key-0123456789"));
        let keys = ApiKey::parse_list(&format!(
            "one:backend-one-key-0123456789, two:sha256:{digest}"
        ))
        .unwrap();
        assert_eq!(keys.len(), 2);
        assert!(keys[0].matches("backend-one-key-0123456789"));
        assert!(keys[1].matches("backend-two-key-0123456789"));
        assert!(!keys[1].matches("backend-one-key-0123456789"));
        assert!(!format!("{keys:?}").contains("backend"));
        assert!(ApiKey::parse_list("one:").is_err());
        assert!(ApiKey::parse_list("nokey").is_err());
        assert!(
            ApiKey::parse_list("a:backend-one-key-0123456789,a:backend-one-key-0123456789")
                .is_err()
        );
    }
}
