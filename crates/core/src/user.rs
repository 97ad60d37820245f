//! Moderators and admins: who may act on which site, and their sessions.

use crate::ids::{SiteId, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages sites, settings and moderators; moderates every site.
    Admin,
    /// Moderates the sites they were given.
    Moderator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Moderator => "moderator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "moderator" => Some(Role::Moderator),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub role: Role,
    /// Sites a moderator may act on (admins act on all).
    pub sites: Vec<SiteId>,
    #[serde(skip)]
    pub password_hash: String,
    pub created_at: i64,
}

impl User {
    pub fn may_moderate(&self, site: SiteId) -> bool {
        self.role == Role::Admin || self.sites.contains(&site)
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub role: Role,
    pub sites: Vec<SiteId>,
    pub password_hash: String,
}

/// A signed-in moderator's session. The cookie holds the token; the database only its hash.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub token_hash: String,
    pub user_id: UserId,
    /// The token every form of this session must carry.
    pub csrf_token: String,
    pub created_at: i64,
    pub expires_at: i64,
}
