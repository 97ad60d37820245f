//! Who is asking: the client's address (kept only as a salted hash), the browser's origin, and
//! the widget's voter token; whether that browser may write to a site, and the client's rate
//! limits.

use crate::error::ApiError;
use crate::ratelimit::Action;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use rostra_core::privacy::hash_with_salt;
use rostra_core::Site;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

#[derive(Clone)]
pub struct Client {
    pub ip_hash: String,
    /// The `Origin` header, when a browser sent one.
    pub origin: Option<String>,
    /// Hash of the `X-Rostra-Voter` token, when sent.
    pub voter_hash: Option<String>,
    /// Hash of the `X-Rostra-Author` token: a guest's identity across comments.
    pub author_hash: Option<String>,
    /// Hash of the client's network (the /24 of IPv4, the /48 of IPv6), for network bans.
    pub net_hash: String,
    /// Posting from a reader account whose e-mail address is confirmed.
    pub verified_account: bool,
}

impl Client {
    /// Who a report or vote comes from: the reader's token when the widget sent one, else the
    /// address.
    pub fn reader_hash(&self) -> String {
        self.voter_hash
            .clone()
            .unwrap_or_else(|| self.ip_hash.clone())
    }
}

/// Browsers may write only from the site's own origins or Rostra's own pages; requests without
/// an `Origin` (servers, scripts) are not browsers acting for someone else.
pub fn check_origin(state: &AppState, site: &Site, client: &Client) -> Result<(), ApiError> {
    match &client.origin {
        None => Ok(()),
        Some(o) if site.allows_origin(o) || *o == state.public_origin => Ok(()),
        Some(_) => Err(ApiError::OriginNotAllowed),
    }
}

/// Limits per client address and, when the widget sent one, per identity token too: a
/// commenter switching networks keeps their bucket, and one network's many readers do not
/// share one identity's. Sign-ins and account writes are limited per address only.
pub fn rate_limit(state: &AppState, action: Action, client: &Client) -> Result<(), ApiError> {
    let identity = match action {
        Action::Comment | Action::Check | Action::Edit => client.author_hash.as_deref(),
        Action::Vote | Action::Report => client.voter_hash.as_deref(),
        Action::Login | Action::Account | Action::Import => None,
    };
    for key in std::iter::once(client.ip_hash.as_str()).chain(identity) {
        state
            .rate_limits
            .check(action, key)
            .map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })?;
    }
    Ok(())
}

/// The network an address belongs to, as banned together: /24 for IPv4, /48 for IPv6.
pub fn network_of(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
    }
}

impl FromRequestParts<Arc<AppState>> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let ip = client_ip(
            &parts.headers,
            peer,
            state.config.server.trust_forwarded_for,
        );
        let ip_hash = hash_with_salt(
            &state.ip_salt,
            &ip.map_or_else(|| "unknown".into(), |i| i.to_string()),
        );
        let origin = header(&parts.headers, "origin").map(str::to_string);
        let token = |name: &str| {
            header(&parts.headers, name)
                .filter(|v| !v.is_empty() && v.len() <= 128)
                .map(|v| hash_with_salt(&state.ip_salt, &format!("{name}:{v}")))
        };
        let net = ip.map_or_else(|| "unknown".into(), network_of);
        Ok(Client {
            ip_hash,
            origin,
            voter_hash: token("x-rostra-voter"),
            author_hash: token("x-rostra-author"),
            net_hash: hash_with_salt(&state.ip_salt, &format!("net:{net}")),
            verified_account: false,
        })
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The peer address, or the one the nearest proxy appended to `X-Forwarded-For` when trusted.
fn client_ip(headers: &HeaderMap, peer: Option<IpAddr>, trust_forwarded: bool) -> Option<IpAddr> {
    if trust_forwarded {
        let forwarded = header(headers, "x-forwarded-for")
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    peer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks() {
        assert_eq!(
            network_of("203.0.113.77".parse().unwrap()),
            "203.0.113.0/24"
        );
        assert_eq!(
            network_of("2001:db8:abcd:12::1".parse().unwrap()),
            "2001:db8:abcd::/48"
        );
    }

    #[test]
    fn forwarded_for_only_when_trusted() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "6.6.6.6, 10.1.2.3".parse().unwrap());
        let peer = Some("127.0.0.1".parse().unwrap());
        assert_eq!(client_ip(&h, peer, false), peer);
        assert_eq!(client_ip(&h, peer, true), Some("10.1.2.3".parse().unwrap()));
    }
}
