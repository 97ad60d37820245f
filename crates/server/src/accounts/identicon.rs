//! Generated avatars: a symmetric 5×5 identicon drawn as SVG from a hash, made here (no
//! Gravatar or other outside call).

use sha2::{Digest, Sha256};

/// The avatar key of an account: a hash of its id, so the URL does not count accounts.
pub fn key_for_account(id: rostra_core::AccountId) -> String {
    let digest = Sha256::digest(format!("rostra-avatar:{}", id.0).as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The path of an account's avatar on this server.
pub fn path_for_account(id: rostra_core::AccountId) -> String {
    format!("/api/avatars/{}.svg", key_for_account(id))
}

/// The identicon of any key: the same key always gives the same picture.
pub fn svg(key: &str) -> String {
    let d = Sha256::digest(key.as_bytes());
    let hue = u16::from_be_bytes([d[0], d[1]]) % 360;
    let mut cells = String::new();
    for row in 0..5usize {
        for col in 0..3usize {
            let bit = row * 3 + col;
            if d[2 + bit / 8] >> (bit % 8) & 1 == 1 {
                for x in [col, 4 - col] {
                    cells.push_str(&format!(
                        r#"<rect x="{}" y="{}" width="1" height="1"/>"#,
                        x + 1,
                        row + 1
                    ));
                    if col == 2 {
                        break;
                    }
                }
            }
        }
    }
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 7 7" width="64" height="64" shape-rendering="crispEdges"><rect width="7" height="7" fill="#f0f0f0"/><g fill="hsl({hue},55%,45%)">{cells}</g></svg>"##
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn same_key_same_picture_and_keys_differ() {
        assert_eq!(super::svg("a"), super::svg("a"));
        assert_ne!(super::svg("a"), super::svg("b"));
        assert!(super::svg("a").starts_with("<svg"));
        let k = super::key_for_account(rostra_core::AccountId(7));
        assert_eq!(k.len(), 16);
        assert_ne!(k, super::key_for_account(rostra_core::AccountId(8)));
    }
}
