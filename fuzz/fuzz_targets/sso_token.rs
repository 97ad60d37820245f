//! SSO token verification: any string is a verified token or a clear error. Inputs that are
//! not JWT-shaped are also tried as the claims of a token signed with the right secret, so the
//! claim checks behind the signature get fuzzed too.
#![no_main]
use jsonwebtoken::{encode, EncodingKey, Header};
use libfuzzer_sys::fuzz_target;
use rostra_server::accounts::sso::verify;

const SECRET: &str = "fuzzing-secret";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = verify(text, SECRET, "news");
    if let Ok(claims) = serde_json::from_str::<serde_json::Value>(text) {
        if let Ok(token) = encode(&Header::default(), &claims, &EncodingKey::from_secret(SECRET.as_bytes())) {
            let _ = verify(&token, SECRET, "news");
        }
    }
});
