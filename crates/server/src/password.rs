//! Passwords: argon2id hashes in PHC format; the plain password is never stored or logged.
//! The server hashes and checks on tokio's blocking pool (the `*_on_pool` forms): argon2 spends
//! tens of milliseconds of CPU by design, and on a connection lane it would hold up every other
//! connection that lane serves.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;

/// Shortest password accepted for a moderator or admin.
pub const MIN_PASSWORD_CHARS: usize = 10;

pub fn hash(password: &str) -> Result<String, String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "a password needs at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    hash_any(password)
}

/// Hashes a password whose length the caller has checked (readers' rules differ).
pub fn hash_any(password: &str) -> Result<String, String> {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let salt = SaltString::encode_b64(&bytes).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Spends the same time as a real check, so a login for an unknown e-mail address is not
/// faster than one with a wrong password.
pub fn verify_nobody(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let stored = DUMMY.get_or_init(|| hash("not-a-real-password").unwrap_or_default());
    let _ = verify(password, stored);
}

/// `hash` on the blocking pool.
pub async fn hash_on_pool(password: &str) -> Result<String, String> {
    let password = password.to_owned();
    on_pool(move || hash(&password))
        .await
        .unwrap_or_else(|| Err(POOL_FAILED.into()))
}

/// `hash_any` on the blocking pool.
pub async fn hash_any_on_pool(password: &str) -> Result<String, String> {
    let password = password.to_owned();
    on_pool(move || hash_any(&password))
        .await
        .unwrap_or_else(|| Err(POOL_FAILED.into()))
}

/// Whether `password` matches the `stored` hash, on the blocking pool. Without a stored hash
/// (no such user) it spends the same time and answers no.
pub async fn verify_on_pool(password: &str, stored: Option<&str>) -> bool {
    let password = password.to_owned();
    let stored = stored.map(str::to_owned);
    on_pool(move || match stored {
        Some(stored) => verify(&password, &stored),
        None => {
            verify_nobody(&password);
            false
        }
    })
    .await
    .unwrap_or(false)
}

const POOL_FAILED: &str = "the password hashing task did not finish";

/// Runs `work` on tokio's blocking pool; `None` when the task panicked or was cancelled.
async fn on_pool<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(work).await.ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_verify_and_are_argon2id() {
        let h = super::hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("correct horse battery", &h));
        assert!(!super::verify("wrong horse battery", &h));
        assert!(super::hash("short").is_err());
    }

    #[tokio::test]
    async fn the_pool_forms_hash_and_verify() {
        let h = super::hash_on_pool("correct horse battery").await.unwrap();
        assert!(super::verify_on_pool("correct horse battery", Some(&h)).await);
        assert!(!super::verify_on_pool("wrong horse battery", Some(&h)).await);
        assert!(!super::verify_on_pool("correct horse battery", None).await);
        assert!(super::hash_on_pool("short").await.is_err());
        let any = super::hash_any_on_pool("short").await.unwrap();
        assert!(super::verify("short", &any));
    }
}
