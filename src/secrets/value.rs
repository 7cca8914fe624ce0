//! `SecretValue`: a decrypted value that never prints itself and is zeroed when dropped.

use age::secrecy::{ExposeSecret, SecretSlice};

/// The bytes of one decrypted secret. `Debug` shows `SecretValue(***)`; there is no `Display`
/// and no `Serialize`, so a value reaches output, logs or the store only through `expose`.
/// The buffer is overwritten with zeroes on drop (by `secrecy`/`zeroize`, which the compiler
/// may not optimise away).
pub(crate) struct SecretValue(SecretSlice<u8>);

impl SecretValue {
    /// A copy of `bytes`, allocated to its exact size (so no spare capacity escapes zeroing).
    pub(crate) fn new(bytes: &[u8]) -> Self {
        Self(SecretSlice::from(Box::<[u8]>::from(bytes)))
    }

    /// The value's bytes: pass them straight to where they are used, never to a message.
    pub(crate) fn expose(&self) -> &[u8] {
        self.0.expose_secret()
    }

    /// The value as text (a password, a URL, a PEM key), if it is UTF-8.
    #[allow(dead_code, reason = "for remote/: sudo passwords and private keys")]
    pub(crate) fn expose_str(&self) -> Option<&str> {
        std::str::from_utf8(self.expose()).ok()
    }
}

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretValue(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::SecretValue;

    #[test]
    fn debug_hides_the_value() {
        let v = SecretValue::new(b"hunter2");
        assert_eq!(format!("{v:?}"), "SecretValue(***)");
        assert_eq!(format!("{:?}", Some(&v)), "Some(SecretValue(***))");
        assert_eq!(v.expose(), b"hunter2");
        assert_eq!(v.expose_str(), Some("hunter2"));
    }
}
