//! Password hashing: argon2id with the `argon2` crate's defaults (19 MiB,
//! 2 passes) and a random salt, stored in the PHC string format.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// The PHC string of `password`. Slow on purpose: call it off the async
/// threads (`tokio::task::spawn_blocking`).
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| err.to_string())
}

/// Whether `password` matches `stored` (a PHC string). A malformed stored
/// hash matches nothing.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of nothing anyone knows, verified when the account does not
/// exist, so that answering takes as long either way.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash_password("not a password anyone has").unwrap_or_default());
    &DECOY
}

#[cfg(test)]
mod tests {
    use super::{hash_password, verify_password};

    #[test]
    fn hashes_are_salted_argon2id_and_verify() {
        let a = hash_password("mật khẩu dài đủ").unwrap();
        let b = hash_password("mật khẩu dài đủ").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "no salt");
        assert!(verify_password("mật khẩu dài đủ", &a));
        assert!(!verify_password("mật khẩu khác", &a));
        assert!(!verify_password("x", "not a hash"));
    }
}
