//! One value in, one age envelope out, and back; with the value's name bound to it.
//!
//! Each value is a standard ASCII-armored age file whose plaintext is exactly the value, so
//! `age -d -i IDENTITY` decrypts an entry copied out of secrets.yaml. Age alone does not say
//! which name a ciphertext belongs to, so each entry carries a `mac`: HMAC-SHA256 of the name,
//! keyed by HKDF-SHA256 of the envelope's own age file key. Only whoever wrote the envelope or
//! can open it knows that key: someone without an identity can move a ciphertext under another
//! name, but not make its `mac` fit, and `get` refuses it. Nothing else needs managing (no
//! extra key to share or rotate), and re-encrypting a value gives it a new file key and tag.
//!
//! The file key is observed through age's public `Recipient`/`Identity` traits (its "one
//! joint" for external recipient types): thin wrappers around the X25519 ones copy it as age
//! wraps or unwraps it.

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::{Read, Write};

use age::armor::{ArmoredReader, ArmoredWriter, Format};
use age::secrecy::ExposeSecret;
use age::secrecy::zeroize::Zeroizing;
use age::x25519;
use age_core::format::{FileKey, Stanza};
use ring::{hkdf, hmac};

use super::error::SecretError;
use super::file::Entry;
use super::value::SecretValue;

const MAC_SALT: &[u8] = b"homelabcmd secrets.yaml";
const MAC_INFO: &[u8] = b"v1 name binding";

type FileKeyBytes = Zeroizing<[u8; 16]>;

/// The `mac` key of an envelope, from its file key.
fn mac_key(file_key: &[u8; 16]) -> hmac::Key {
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, MAC_SALT).extract(file_key);
    let okm = prk
        .expand(&[MAC_INFO], hmac::HMAC_SHA256)
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    hmac::Key::from(okm)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// An X25519 recipient that also remembers the file key it was asked to wrap.
struct Capture<'a> {
    inner: &'a x25519::Recipient,
    seen: &'a RefCell<Option<FileKeyBytes>>,
}

impl age::Recipient for Capture<'_> {
    fn wrap_file_key(
        &self,
        file_key: &FileKey,
    ) -> Result<(Vec<Stanza>, HashSet<String>), age::EncryptError> {
        *self.seen.borrow_mut() = Some(Zeroizing::new(*file_key.expose_secret()));
        self.inner.wrap_file_key(file_key)
    }
}

/// The local X25519 identities, remembering the file key the one that fits unwraps.
struct Opener<'a> {
    identities: &'a [x25519::Identity],
    seen: RefCell<Option<FileKeyBytes>>,
}

impl age::Identity for Opener<'_> {
    fn unwrap_stanza(&self, stanza: &Stanza) -> Option<Result<FileKey, age::DecryptError>> {
        self.unwrap_stanzas(std::slice::from_ref(stanza))
    }

    fn unwrap_stanzas(&self, stanzas: &[Stanza]) -> Option<Result<FileKey, age::DecryptError>> {
        let found = self
            .identities
            .iter()
            .find_map(|identity| identity.unwrap_stanzas(stanzas));
        if let Some(Ok(file_key)) = &found {
            *self.seen.borrow_mut() = Some(Zeroizing::new(*file_key.expose_secret()));
        }
        found
    }
}

/// Encrypt `value` to `recipients` (at least one) as the secret `name`.
pub(crate) fn seal(
    name: &str,
    value: &[u8],
    recipients: &[x25519::Recipient],
) -> Result<Entry, SecretError> {
    let err = |e: &dyn std::fmt::Display| SecretError::Encrypt(e.to_string());
    let seen = RefCell::new(None);
    let wrapped: Vec<Capture<'_>> = recipients
        .iter()
        .map(|inner| Capture { inner, seen: &seen })
        .collect();
    let encryptor =
        age::Encryptor::with_recipients(wrapped.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|e| err(&e))?;
    let mut armored = Vec::with_capacity(value.len() * 2 + 400);
    let writer =
        ArmoredWriter::wrap_output(&mut armored, Format::AsciiArmor).map_err(|e| err(&e))?;
    let mut stream = encryptor.wrap_output(writer).map_err(|e| err(&e))?;
    stream.write_all(value).map_err(|e| err(&e))?;
    stream
        .finish()
        .and_then(|armor| armor.finish())
        .map_err(|e| err(&e))?;
    let file_key = seen
        .take()
        .ok_or_else(|| SecretError::Encrypt("age did not wrap a file key".into()))?;
    let mac = hex(hmac::sign(&mac_key(&file_key), name.as_bytes()).as_ref());
    let text = String::from_utf8(armored).map_err(|e| err(&e))?;
    Ok(Entry {
        mac,
        value: format!("{}\n", text.trim_end()),
        pos: Default::default(),
    })
}

/// Decrypt the secret `name` with the local identities, after checking that its envelope was
/// written for `name`. `public_keys` (the identities' own) are for the refusal's hint.
pub(crate) fn open(
    name: &str,
    entry: &Entry,
    identities: &[x25519::Identity],
    public_keys: &[String],
) -> Result<SecretValue, SecretError> {
    let corrupt = |why: String| SecretError::Corrupt {
        name: name.to_string(),
        why,
    };
    let decryptor = age::Decryptor::new_buffered(ArmoredReader::new(entry.value.as_bytes()))
        .map_err(|e| corrupt(e.to_string()))?;
    let opener = Opener {
        identities,
        seen: RefCell::new(None),
    };
    let mut reader = match decryptor.decrypt(std::iter::once(&opener as &dyn age::Identity)) {
        Ok(reader) => reader,
        Err(age::DecryptError::NoMatchingKeys) => {
            return Err(SecretError::NotRecipient {
                name: name.to_string(),
                public_keys: public_keys.to_vec(),
            });
        }
        Err(e) => return Err(corrupt(e.to_string())),
    };
    let file_key = opener
        .seen
        .take()
        .ok_or_else(|| corrupt("no file key was unwrapped".into()))?;
    // Check the name before reading a byte of the value.
    let bound = unhex(&entry.mac)
        .is_some_and(|tag| hmac::verify(&mac_key(&file_key), name.as_bytes(), &tag).is_ok());
    if !bound {
        return Err(SecretError::NameMismatch {
            name: name.to_string(),
            pos: entry.pos,
        });
    }
    // Room for the whole value up front (the armored text is longer than it), so the buffer is
    // never reallocated, leaving a copy behind that would not be zeroed.
    let mut plain = Zeroizing::new(Vec::with_capacity(entry.value.len()));
    reader
        .read_to_end(&mut plain)
        .map_err(|e| corrupt(e.to_string()))?;
    Ok(SecretValue::new(&plain))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SK: &str = "AGE-SECRET-KEY-1GQ9778VQXMMJVE8SK7J6VT8UJ4HDQAJUVSFCWCM02D8GEWQ72PVQ2Y5J33";

    fn me() -> (x25519::Identity, x25519::Recipient) {
        let identity: x25519::Identity = SK.parse().unwrap();
        let recipient = identity.to_public();
        (identity, recipient)
    }

    #[test]
    fn round_trip_and_name_binding() {
        let (identity, recipient) = me();
        let entry = seal("db_password", b"hunter2", &[recipient]).unwrap();
        assert!(
            entry
                .value
                .starts_with("-----BEGIN AGE ENCRYPTED FILE-----\n")
        );
        assert!(entry.value.ends_with("-----END AGE ENCRYPTED FILE-----\n"));
        assert_eq!(entry.mac.len(), 64);
        let ids = [identity];
        let value = open("db_password", &entry, &ids, &[]).unwrap();
        assert_eq!(value.expose(), b"hunter2");
        let moved = open("other", &entry, &ids, &[]).unwrap_err();
        assert!(
            matches!(moved, SecretError::NameMismatch { .. }),
            "{moved:?}"
        );
    }

    #[test]
    fn other_identities_are_not_recipients() {
        let (_, recipient) = me();
        let entry = seal("x", b"v", &[recipient]).unwrap();
        let stranger = [x25519::Identity::generate()];
        let e = open("x", &entry, &stranger, &["age1me".into()]).unwrap_err();
        assert!(matches!(e, SecretError::NotRecipient { .. }), "{e:?}");
    }

    #[test]
    fn every_recipient_can_open() {
        let (me_id, me_pk) = me();
        let other = x25519::Identity::generate();
        let entry = seal("x", b"v", &[me_pk, other.to_public()]).unwrap();
        assert_eq!(open("x", &entry, &[me_id], &[]).unwrap().expose(), b"v");
        assert_eq!(open("x", &entry, &[other], &[]).unwrap().expose(), b"v");
    }
}
