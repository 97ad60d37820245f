//! Id newtypes, so a comment id is never passed where a thread id belongs.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A publisher's site.
    SiteId
);
id_type!(
    /// The discussion under one page.
    ThreadId
);
id_type!(
    /// One comment.
    CommentId
);
id_type!(
    /// A moderator or admin account.
    UserId
);
id_type!(
    /// A reader's account (Rostra's own, or one a publisher's SSO signs in).
    AccountId
);
