//! The checks a comment goes through. Each looks at the text under the site's policy and says
//! what it found as reasons, each with its own verdict; no reason means "allow".

mod attributes;
mod duplicates;
pub(crate) mod lexicon;
mod links;
mod words;

pub use attributes::{reason as attribute_reason, AttributeCheck};
pub use duplicates::DuplicateCheck;
pub use links::LinkCheck;
pub use words::{normalize_word, WordCheck};

use rostra_core::moderation::{Reason, SitePolicy};
use rostra_core::SiteId;

/// What a check looks at.
pub struct CheckInput<'a> {
    pub site: SiteId,
    /// The Markdown the author wrote.
    pub body: &'a str,
    pub author_name: Option<&'a str>,
    pub policy: &'a SitePolicy,
    /// Milliseconds since the epoch (for time windows).
    pub now: i64,
}

pub trait Check: Send + Sync {
    fn check(&self, input: &CheckInput<'_>) -> Vec<Reason>;

    /// What `check` would say, leaving no trace: a check with memory (duplicates) neither
    /// remembers the text nor forgets older ones. The nudge before posting runs this.
    fn preview(&self, input: &CheckInput<'_>) -> Vec<Reason> {
        self.check(input)
    }
}
