//! A site is one publisher: a short key, a name, and the origins allowed to embed its threads.

use crate::ids::SiteId;
use crate::page_url::origin_of;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    pub id: SiteId,
    pub key: String,
    pub name: String,
    /// Normalized origins (`https://news.example`, `http://127.0.0.1:8080`).
    pub origins: Vec<String>,
    /// The line shown above the comment form; `None` uses the configured default.
    pub prompt: Option<String>,
    pub created_at: i64,
}

impl Site {
    /// Whether `origin` (as a browser sends it, or as taken from a page URL) belongs to this site.
    pub fn allows_origin(&self, origin: &str) -> bool {
        let Some(origin) = origin_of(origin) else {
            return false;
        };
        self.origins.contains(&origin)
    }
}

#[derive(Debug, Clone)]
pub struct NewSite {
    pub key: String,
    pub name: String,
    pub origins: Vec<String>,
    pub prompt: Option<String>,
}

impl NewSite {
    /// Checks the key and normalizes the origins; reports every problem at once.
    pub fn validate(mut self) -> Result<Self, Vec<String>> {
        let mut problems = Vec::new();
        let key_ok = !self.key.is_empty()
            && self.key.len() <= 64
            && self
                .key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !key_ok {
            problems.push(format!(
                "site key '{}' must be 1-64 letters, digits, '-' or '_'",
                self.key
            ));
        }
        if self.name.trim().is_empty() {
            problems.push("site name must not be empty".into());
        }
        let mut origins = Vec::new();
        for o in &self.origins {
            match origin_of(o) {
                Some(n) => origins.push(n),
                None => problems.push(format!("'{o}' is not an http(s) origin")),
            }
        }
        if origins.is_empty() && problems.is_empty() {
            problems.push("a site needs at least one origin".into());
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        origins.dedup();
        self.origins = origins;
        Ok(self)
    }
}

/// What a site token lets a machine do (`rostra site token create KEY --scope …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// `POST /api/admin/import`: import a file into the site.
    Import,
    /// `GET /api/admin/export`: download everything of the site.
    Export,
}

impl TokenScope {
    pub const ALL: &'static [TokenScope] = &[TokenScope::Import, TokenScope::Export];

    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Import => "import",
            TokenScope::Export => "export",
        }
    }

    pub fn parse(s: &str) -> Option<TokenScope> {
        Self::ALL.iter().copied().find(|t| t.as_str() == s)
    }
}

/// A site's machine-to-machine token, as stored: only its hash is kept, the token itself is
/// shown once when it is made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteToken {
    pub id: i64,
    pub site_id: SiteId,
    pub scope: TokenScope,
    /// What the token is for, in the words of whoever made it ("WordPress").
    pub label: Option<String>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct NewSiteToken {
    pub site_id: SiteId,
    pub scope: TokenScope,
    pub label: Option<String>,
    /// `privacy::hash_token` of the token.
    pub token_hash: String,
}
