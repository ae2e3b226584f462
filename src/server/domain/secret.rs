//! The deployment's secret key (`SECRET_KEY`), and the purpose-specific keys derived from
//! it (code hashing, session-cookie signing), so one secret serves every instance.
//!
//! Without a configured key, one is generated on first run and kept in the data
//! directory (mode 0600), so restarts keep verifying the codes issued before them.

use base64::{engine::general_purpose, Engine};
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretBox};
use sha2::Sha256;
use std::{
    fmt, fs,
    io::{self, Write},
    path::{Path, PathBuf},
};

/// Shortest acceptable key.
pub const MIN_KEY_BYTES: usize = 32;

/// The file, inside the data directory, that holds a generated key (hex).
pub const KEY_FILE: &str = "secret_key";

pub struct SecretKey(SecretBox<Vec<u8>>);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl Clone for SecretKey {
    fn clone(&self) -> Self {
        Self(SecretBox::new(Box::new(self.0.expose_secret().clone())))
    }
}

impl SecretKey {
    /// Parses a key given as hex or base64, at least 32 bytes once decoded.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let bytes = hex::decode(text)
            .or_else(|_| general_purpose::STANDARD.decode(text))
            .or_else(|_| general_purpose::URL_SAFE_NO_PAD.decode(text))
            .map_err(|_| "must be hex or base64".to_string())?;
        if bytes.len() < MIN_KEY_BYTES {
            return Err(format!(
                "must be at least {MIN_KEY_BYTES} bytes of randomness, got {}",
                bytes.len()
            ));
        }
        Ok(Self(SecretBox::new(Box::new(bytes))))
    }

    /// Reads the key kept in `data_dir`, generating and saving one (0600) if there is none.
    pub fn load_or_generate(data_dir: &Path) -> Result<Self, String> {
        let path = data_dir.join(KEY_FILE);
        match fs::read_to_string(&path) {
            Ok(text) => {
                refuse_if_shared(&path)?;
                return Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        }
        create_private_dir(data_dir)?;
        let mut key = vec![0u8; MIN_KEY_BYTES];
        rand::rng().fill_bytes(&mut key);
        match write_new_private_file(&path, hex::encode(&key).as_bytes()) {
            Ok(()) => {
                tracing::warn!(path = %path.display(), "generated a new SECRET_KEY; every instance of one deployment must share it");
                Ok(Self(SecretBox::new(Box::new(key))))
            }
            // Another instance created it first: use theirs.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Self::load_or_generate(data_dir),
            Err(e) => Err(format!("cannot write {}: {e}", path.display())),
        }
    }

    /// A key for one purpose: HMAC-SHA256(secret, "telnyx-2fa/" + purpose).
    pub fn derive(&self, purpose: &str) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.0.expose_secret())
            .expect("HMAC accepts any key length");
        mac.update(b"telnyx-2fa/");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

/// Creates `dir` (and its parents) readable by this user only (0700), if it is missing.
pub fn create_private_dir(dir: &Path) -> Result<(), String> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// A key file others can read is a leaked key: refuse it rather than use it.
fn refuse_if_shared(path: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(format!(
                "{} is readable by other users (mode {:o}): make it private with `chmod 600 {}`",
                path.display(),
                mode & 0o777,
                path.display()
            ));
        }
    }
    Ok(())
}

fn write_new_private_file(path: &PathBuf, contents: &[u8]) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_hex_and_base64_keys_of_32_bytes() {
        assert!(SecretKey::parse(&"ab".repeat(32)).is_ok());
        assert!(SecretKey::parse(&general_purpose::STANDARD.encode([7u8; 32])).is_ok());
        assert!(SecretKey::parse(&"ab".repeat(31)).is_err());
        assert!(SecretKey::parse("not a key!").is_err());
    }

    #[test]
    fn derived_keys_differ_by_purpose_and_secret() {
        let a = SecretKey::parse(&"ab".repeat(32)).unwrap();
        let b = SecretKey::parse(&"cd".repeat(32)).unwrap();
        assert_ne!(a.derive("code-hash"), a.derive("cookie"));
        assert_ne!(a.derive("code-hash"), b.derive("code-hash"));
        assert_eq!(a.derive("code-hash"), a.clone().derive("code-hash"));
    }

    #[test]
    fn a_generated_key_is_kept_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("data");
        let first = SecretKey::load_or_generate(&data_dir).unwrap();
        let second = SecretKey::load_or_generate(&data_dir).unwrap();
        assert_eq!(first.derive("x"), second.derive("x"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(data_dir.join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_data_directory_is_private_and_a_shared_key_file_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("nested").join("data");
        SecretKey::load_or_generate(&data_dir).unwrap();
        let mode = fs::metadata(&data_dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);

        let key_file = data_dir.join(KEY_FILE);
        fs::set_permissions(&key_file, fs::Permissions::from_mode(0o644)).unwrap();
        let error = SecretKey::load_or_generate(&data_dir).unwrap_err();
        assert!(error.contains(&key_file.display().to_string()), "{error}");
        assert!(error.contains("chmod 600"), "{error}");
    }

    #[test]
    fn debug_output_hides_the_key() {
        let key = SecretKey::parse(&"ab".repeat(32)).unwrap();
        assert!(!format!("{key:?}").contains("abab"));
    }
}
